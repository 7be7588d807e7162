//! One reader of the claims a text makes with figures, used on both sides of every check: a
//! page's visible text, a metric's value, unit and label, and the source sentence it cites. A
//! claim is a value (its marks read by the text's language), a scale, a unit or currency, a
//! direction and the period it is attached to; [`differences`] compares two claims by what
//! they mean, not by their digits. docs/FORMAT.md ("Figures", "Figures by language") has the
//! rules and the words of each language.

mod compare;
mod direction;
mod measure;
mod number;
mod period;
mod read;
mod text;
mod vocab;

pub use compare::{Difference, Found, find, given_nearby, omitted};
pub use measure::{header_unit, unit_around, written, written_figure};
pub use number::Dec;
pub use period::Period;
pub use vocab::{Unit, scale_name};

use std::ops::Range;

use crate::lang::Lang;

/// What a claim is: a figure (a count or an amount), an ordinal (`3rd`), or a period alone
/// (`2024`, `Q4 2024`, `FY21`), which is a date when it names a day (`September 30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Figure,
    Ordinal,
    Period,
    Date,
}

/// Which way a figure moved: `rose 35%`, `+35%`; `fell 35%`, `−35%`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Up,
    Down,
}

/// A bound written before a figure: `more than 95%`, `less than 5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    AtLeast,
    AtMost,
}

/// A scale word and the power of ten it multiplies by (`Mrd.`, 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub power: i32,
    pub word: &'static str,
}

/// One claim of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub kind: Kind,
    /// The number as written, before its scale (`1.07` of `1.07 billion`); a period's year.
    pub value: Dec,
    pub scale: Option<Scale>,
    pub unit: Option<Unit>,
    pub direction: Option<Dir>,
    /// Whether the direction is written as a sign (`−$1.0 billion`), and whether it was only
    /// inferred from a comparison (`$1.0 billion, compared with $1.3 billion`): a sign on the
    /// page needs a sign or a word in the source.
    pub signed: bool,
    pub inferred: bool,
    /// `more than`, `less than`: the figure is a bound, not a value.
    pub bound: Option<Bound>,
    /// The period the figure is attached to; a period claim's own period.
    pub period: Option<Period>,
    /// A period claim that is the base of a comparison (`up 14% on the fourth quarter of
    /// 2024`, `from 2000`), not a time the text's figures are for.
    pub base: bool,
    /// A length of time (`10 years`, `18 Monate`): it counts time, so it has no direction.
    pub duration: bool,
    /// The bytes of the numeral (of a period, its words too).
    pub at: Range<usize>,
    /// The bytes of the whole claim: currency, sign, numeral, scale and unit.
    pub span: Range<usize>,
}

impl Claim {
    /// The value with its scale applied: `1.07 billion` is 1,070,000,000.
    pub fn amount(&self) -> Dec {
        self.value.scaled(self.scale.map_or(0, |s| s.power))
    }

    /// Whether the claim is a figure (or an ordinal), not a period.
    pub fn is_figure(&self) -> bool {
        matches!(self.kind, Kind::Figure | Kind::Ordinal)
    }

    /// How the figure reads in a message: `32 million`, `3.1 billion`.
    pub fn shown(&self) -> String {
        match self.scale {
            Some(s)
                if s.word
                    .chars()
                    .all(|c| !c.is_alphabetic() || !text::is_cjk(c)) =>
            {
                format!("{} {}", self.value, s.word)
            }
            Some(s) => format!("{}{}", self.value, s.word),
            None => self.value.to_string(),
        }
    }
}

/// Every claim of `text`, read in `lang`, in order. Paragraph references (`¶2`, `paragraph
/// 3`) are not claims.
pub fn read(text: &str, lang: Lang) -> Vec<Claim> {
    read::read(text, lang)
}

/// The period a paragraph's figures are about when their sentences attach them to none, as a
/// reader takes it: the one period named by the nearest paragraph before it that names periods and states
/// no figure, a heading or a lead-in (“Fourth Quarter 2025”, “Die Ergebnisse des Jahres 2023
/// zeigen …”). A paragraph with figures names the periods of its own figures (“compared with
/// fourth quarter 2024”), not of those after it; a heading naming several periods (a table's
/// `2023 2022`) leaves the figures after it without one. Fed a document's paragraphs in order.
#[derive(Debug, Default, Clone, Copy)]
pub struct Context(Option<Period>);

impl Context {
    /// The context a paragraph is read in, from the paragraphs before it, nearest first (the
    /// same as feeding them all in order: only the nearest heading counts).
    pub fn before<'t>(paragraphs: impl Iterator<Item = &'t str>, lang: Lang) -> Context {
        let mut context = Context::default();
        for text in paragraphs {
            let mut claims = read(text, lang);
            if Context::heading(&claims) {
                context.date(&mut claims);
                break;
            }
        }
        context
    }

    /// Whether a paragraph's claims are a heading's: a reporting period (a year, a fiscal
    /// year, a quarter or a half, not a month or a day, which date a publication: “Published
    /// in March 2026”), and no figure.
    fn heading(claims: &[Claim]) -> bool {
        claims.iter().any(|c| Context::reporting(c).is_some())
            && !claims.iter().any(|c| c.kind == Kind::Figure)
    }

    /// The reporting period a period claim names, if it names one.
    fn reporting(c: &Claim) -> Option<Period> {
        c.period
            .filter(|p| !c.base && p.month.is_none() && p.day.is_none() && p.year.is_some())
    }

    /// Date the figures of the next paragraph's `claims` that their sentences attach to no
    /// period from the context; a heading then becomes the context.
    pub fn date(&mut self, claims: &mut [Claim]) {
        for c in claims.iter_mut().filter(|c| c.kind == Kind::Figure) {
            c.period = c.period.or(self.0);
        }
        if !Context::heading(claims) {
            return;
        }
        let mut named: Vec<Period> = claims.iter().filter_map(Context::reporting).collect();
        named.sort_by_key(|p| (p.year, p.quarter, p.half, p.month, p.day, p.fiscal));
        named.dedup();
        self.0 = match named.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
    }
}

/// A scale, percent or currency word, apart from any figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Scale(i32),
    Unit(Unit),
}

impl Marker {
    /// Its name: `million`, `percent`, `euros`.
    pub fn name(self) -> &'static str {
        match self {
            Marker::Scale(p) => scale_name(p),
            Marker::Unit(u) => u.name(),
        }
    }
}

/// The scale, percent and currency words of `text`, wherever they stand.
pub fn unit_words(text: &str, lang: Lang) -> Vec<(Range<usize>, Marker)> {
    read::unit_words(text, lang)
}

/// The first rise or fall `text` states that none of its figures carries.
pub fn free_direction(text: &str, lang: Lang) -> Option<Dir> {
    direction::free_direction(text, lang)
}

/// The forward-looking words of `text` in `lang` (empty when it states a fact).
pub fn forward_words(text: &str, lang: Lang) -> Vec<&'static str> {
    let v = vocab::of(lang);
    let mut found: Vec<(usize, &'static str)> = v
        .forward
        .iter()
        .filter_map(|w| {
            let found = text::find_word(text, w);
            // German joins nouns: `Mittelfristziele` holds `Ziele`.
            let compound = || {
                (lang == Lang::De && w.starts_with(char::is_uppercase))
                    .then(|| text::find_ending(text, w))
                    .flatten()
            };
            Some((found.or_else(compound)?, *w))
        })
        .collect();
    found.sort();
    found.dedup_by_key(|f| f.1);
    found.into_iter().map(|f| f.1).collect()
}

#[cfg(test)]
mod tests;
