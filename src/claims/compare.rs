//! Comparing what a figure is shown to mean with what its source says: the value once each
//! side's scale is applied (`1.07 billion` is `1,070 million`; no rounding is forgiven), then
//! the scale, unit or currency, direction and period, each named when it differs.

use super::period::Period;
use super::vocab::{Unit, scale_name};
use super::{Bound, Claim, Dir, Marker, Scale};
use crate::lang::Lang;

/// One way a shown figure means something else than its source's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    Scale {
        source: Option<Scale>,
        shown: Option<Scale>,
    },
    Unit {
        source: Option<Unit>,
        shown: Unit,
    },
    Direction {
        source: Option<Dir>,
        shown: Dir,
    },
    Bound {
        source: Option<Bound>,
        shown: Option<Bound>,
    },
    Period {
        source: Period,
        shown: Period,
        /// The source's figure, as messages write it (`32 million`).
        figure: String,
    },
}

fn scale_words(s: Scale) -> String {
    let name = scale_name(s.power);
    if s.word.eq_ignore_ascii_case(name) || s.word.trim_end_matches('s') == name {
        name.to_string()
    } else {
        format!("{name} (“{}”)", s.word)
    }
}

fn moved(d: Dir) -> &'static str {
    match d {
        Dir::Up => "rose",
        Dir::Down => "fell",
    }
}

fn bounded(b: Option<Bound>) -> &'static str {
    match b {
        Some(Bound::AtLeast) => "more than the figure",
        Some(Bound::AtMost) => "less than the figure",
        None => "the figure itself",
    }
}

fn unit_kind(u: Unit) -> &'static str {
    match u {
        Unit::Currency(_) => "currency",
        _ => "percent",
    }
}

impl Difference {
    /// What differs, in words: `side` is what shows the figure ("page", "metric").
    pub fn describe(&self, side: &str) -> String {
        match self {
            Difference::Scale {
                source: Some(a),
                shown: Some(b),
            } => format!(
                "the source says {}; the {side} says {}",
                scale_words(*a),
                scale_words(*b)
            ),
            Difference::Scale {
                source: None,
                shown: Some(b),
            } => format!(
                "the source gives the figure without a scale; the {side} says {}",
                scale_words(*b)
            ),
            Difference::Scale { source, .. } => format!(
                "the source says {}; the {side} gives another scale",
                source.map_or("no scale".into(), scale_words)
            ),
            Difference::Unit {
                source: Some(a),
                shown,
            } => format!(
                "the source says {}; the {side} says {}",
                a.name(),
                shown.name()
            ),
            Difference::Unit {
                source: None,
                shown,
            } => format!(
                "the source gives no {} for it; the {side} says {}",
                unit_kind(*shown),
                shown.name()
            ),
            Difference::Direction {
                source: Some(source),
                shown,
            } => format!(
                "the source says the figure {}; the {side} says it {}",
                moved(*source),
                moved(*shown)
            ),
            Difference::Direction {
                source: None,
                shown,
            } => format!(
                "the source gives the figure with no rise or fall; the {side} says it {}",
                moved(*shown)
            ),
            Difference::Bound { source, shown } => format!(
                "the source says {}; the {side} says {}",
                bounded(*source),
                bounded(*shown)
            ),
            Difference::Period {
                source,
                shown,
                figure,
            } => {
                format!("the source gives {figure} for {source}; the {side} attaches it to {shown}")
            }
        }
    }
}

/// How `shown` differs from the `source` claim it restates (empty: it means the same). What
/// the page leaves out (a scale, a currency, a direction or a period the source gives) is not
/// a difference; what it adds or changes is.
pub fn differences(shown: &Claim, source: &Claim) -> Vec<Difference> {
    let mut out = Vec::new();
    if shown.amount() != source.amount() && shown.scale.is_some() {
        out.push(Difference::Scale {
            source: source.scale,
            shown: shown.scale,
        });
    }
    if let Some(unit) = shown.unit
        && source.unit.is_none_or(|s| !s.agrees(unit))
    {
        out.push(Difference::Unit {
            source: source.unit,
            shown: unit,
        });
    }
    // A sign needs a sign or a word in the source: `−$1.0 billion` is a loss, not a fall
    // the source only implies by a comparison.
    let source_direction = source
        .direction
        .filter(|_| !(shown.signed && source.inferred));
    if let Some(b) = shown.direction
        && source_direction != Some(b)
    {
        out.push(Difference::Direction {
            source: source_direction,
            shown: b,
        });
    }
    if shown.bound.is_some() && shown.bound != source.bound {
        out.push(Difference::Bound {
            source: source.bound,
            shown: shown.bound,
        });
    }
    if let (Some(a), Some(b)) = (source.period, shown.period)
        && a.conflicts(&b)
    {
        out.push(Difference::Period {
            source: a,
            shown: b,
            figure: source.shown(),
        });
    }
    out
}

/// What [`find`] found for a shown figure among a passage's claims.
#[derive(Debug)]
pub enum Found<'a> {
    /// A claim of the passage that means the same.
    Same(&'a Claim),
    /// The passage's closest claim with the same number, and how it differs.
    Differs(&'a Claim, Vec<Difference>),
    /// No claim of the passage has the number.
    Missing,
}

/// The claim of `source` that `shown` restates: one with the same value as written or the
/// same amount once scaled, meaning the same if one does.
pub fn find<'a>(shown: &Claim, source: &'a [Claim]) -> Found<'a> {
    let mut closest: Option<(&Claim, Vec<Difference>)> = None;
    let amount = shown.amount();
    for s in source.iter().filter(|s| s.is_figure()) {
        if s.value != shown.value && s.amount() != amount {
            continue;
        }
        let d = differences(shown, s);
        if d.is_empty() {
            return Found::Same(s);
        }
        if closest.as_ref().is_none_or(|c| d.len() < c.1.len()) {
            closest = Some((s, d));
        }
    }
    match closest {
        Some((s, d)) => Found::Differs(s, d),
        None => Found::Missing,
    }
}

/// What `source` attaches to its figure that `shown` leaves out, by name (`million`,
/// `percent`, `US dollars`): a metric must show it.
pub fn omitted(shown: &Claim, source: &Claim) -> Vec<&'static str> {
    let mut out = Vec::new();
    if let (Some(s), None) = (source.scale, shown.scale)
        && shown.amount() != source.amount()
    {
        out.push(scale_name(s.power));
    }
    if let (Some(u), None) = (source.unit, shown.unit) {
        out.push(u.name());
    }
    out
}

/// Whether a scale, percent or currency the page adds to a figure its source gives bare is the
/// one the source states for it: in the cited paragraph, else in the nearest paragraph before
/// it that states one of that kind (a table's header: `Mio €`, `∆ in %`). `paragraphs` are the
/// cited paragraph, then those before it, nearest first.
pub fn given_nearby<'t>(
    d: &Difference,
    paragraphs: impl Iterator<Item = &'t str>,
    lang: Lang,
) -> bool {
    let kind = |m: &Marker| match (d, m) {
        (Difference::Scale { .. }, Marker::Scale(_)) => true,
        (Difference::Unit { shown, .. }, Marker::Unit(u)) => {
            matches!(shown, Unit::Currency(_)) == matches!(u, Unit::Currency(_))
        }
        _ => false,
    };
    let wanted = |m: &Marker| match (d, m) {
        (Difference::Scale { shown: Some(s), .. }, Marker::Scale(p)) => s.power == *p,
        (Difference::Unit { shown, .. }, Marker::Unit(u)) => shown.agrees(*u),
        _ => false,
    };
    if !matches!(
        d,
        Difference::Scale {
            source: None,
            shown: Some(_)
        } | Difference::Unit { source: None, .. }
    ) {
        return false;
    }
    for text in paragraphs.take(40) {
        let markers: Vec<Marker> = super::unit_words(text, lang)
            .into_iter()
            .map(|(_, m)| m)
            .filter(|m| kind(m))
            .collect();
        if !markers.is_empty() {
            return markers.iter().any(wanted);
        }
    }
    false
}
