//! Reading a text into claims: numerals, then the periods they write, then each remaining
//! numeral with the currency, sign, scale and unit written around it, the direction words
//! of its clause and the period it is attached to.

use super::direction::{comparisons, direction};
use super::number::{Numeral, numerals};
use super::period::{self, Token};
use super::text::{
    SPACES, clause_end, ends_with, find_word, floor, is_cjk, sentence_start, starts_with,
};
use super::vocab::{self, SYMBOLS, Unit, Vocab};
use super::{Claim, Dir, Kind, Marker, Scale};
use crate::lang::Lang;

/// Every claim in `text`: each figure with its meaning, then each period and date.
pub fn read(text: &str, lang: Lang) -> Vec<Claim> {
    let v = vocab::of(lang);
    let nums = numerals(text, lang);
    let mut used: Vec<bool> = nums.iter().map(|n| is_reference(text, n, v)).collect();
    let mut tokens = period::tokens(text, &nums, v, &mut used);
    let mut claims = figures(text, &nums, &used, lang, &mut tokens);
    tokens.sort_by_key(|t| t.start);
    ranges(text, &mut claims, v);
    attach(text, &mut claims, &tokens, v);
    comparisons(text, &mut claims, v);
    claims.extend(tokens.iter().map(|t| period_claim(text, t, v)));
    claims.sort_by_key(|c| c.at.start);
    claims
}

/// The figure of each numeral not yet `used`; a year standing alone becomes a period token.
fn figures(
    text: &str,
    nums: &[Numeral],
    used: &[bool],
    lang: Lang,
    tokens: &mut Vec<Token>,
) -> Vec<Claim> {
    let v = vocab::of(lang);
    let mut claims = Vec::new();
    for (n, _) in nums.iter().zip(used).filter(|(_, used)| !**used) {
        let claim = figure(text, n, lang, v);
        match year_alone(n, &claim) {
            Some(year) => tokens.push(Token {
                start: n.start,
                end: n.end,
                period: period::Period {
                    year: Some(year),
                    ..Default::default()
                },
            }),
            None => claims.push(claim),
        }
    }
    claims
}

/// Give each figure its direction and its period. A period written after a figure in its
/// clause is that figure's own; a figure without one takes the nearest period before it in its
/// sentence that no other figure owns.
fn attach(text: &str, claims: &mut [Claim], tokens: &[Token], v: &Vocab) {
    let next_start =
        |claims: &[Claim], i: usize| claims.get(i + 1).map_or(text.len(), |c| c.span.start);
    let mut owned = vec![false; tokens.len()];
    let mut after: Vec<Option<usize>> = Vec::with_capacity(claims.len());
    for i in 0..claims.len() {
        let found = attach_after(text, &claims[i], tokens, next_start(claims, i), v);
        if let Some(t) = found {
            owned[t] = true;
        }
        after.push(found);
    }
    for i in 0..claims.len() {
        let next = next_start(claims, i);
        let c = &claims[i];
        // A length of time takes no rise or fall from the words around it.
        let direction = c.direction.or_else(|| {
            (!c.duration)
                .then(|| direction(text, c, &claims[..i], next, v))
                .flatten()
        });
        let t = after[i].or_else(|| attach_before(text, c, tokens, &owned, v));
        claims[i].direction = direction;
        claims[i].period = t.map(|t| tokens[t].period);
    }
}

/// The claim a period token makes: a date when it has a day, else a period.
fn period_claim(text: &str, t: &Token, v: &Vocab) -> Claim {
    Claim {
        kind: if t.period.day.is_some() {
            Kind::Date
        } else {
            Kind::Period
        },
        value: super::Dec::new(t.period.year.map_or(0, |y| y as u128), 0),
        period: Some(t.period),
        base: is_base(text, t, v),
        ..blank(t.start..t.end, Kind::Period)
    }
}

/// Words for a page of a source, in a reference to a place in it (`page 2, ¶3`).
const PAGE_WORDS: [&str; 9] = [
    "page", "pages", "p.", "pp.", "Seite", "S.", "página", "pág.", "頁",
];

/// Whether numeral `n` is a reference to a place in a source, not a figure: a paragraph (`¶2`,
/// `paragraph 3`, `Absatz 3`, `第4段`), or a page named with its paragraph (`page 2, ¶3`).
fn is_reference(text: &str, n: &Numeral, v: &Vocab) -> bool {
    let before = &text[..n.start];
    let trimmed = before.trim_end_matches(SPACES);
    let word_before = |words: &[&str]| words.iter().any(|w| ends_with(trimmed, w).is_some());
    if word_before(v.paragraph) && (trimmed.ends_with('¶') || trimmed.len() < before.len()) {
        return true;
    }
    let after = &text[n.end..];
    if trimmed.ends_with('第') && after.starts_with('段') {
        return true;
    }
    let next = after.trim_start_matches([',', ' ', '\u{a0}']);
    word_before(&PAGE_WORDS)
        && (next.starts_with('¶') || v.paragraph.iter().any(|w| starts_with(next, w).is_some()))
}

/// A four-digit year with nothing that makes it an amount.
fn year_alone(n: &Numeral, c: &Claim) -> Option<i32> {
    let y = i32::try_from(n.value.whole()?).ok()?;
    let bare = c.scale.is_none() && c.unit.is_none() && c.direction.is_none();
    (n.plain && n.int_digits == 4 && (1900..2200).contains(&y) && bare && c.kind == Kind::Figure)
        .then_some(y)
}

/// A claim of `kind` at the bytes `at`, with nothing read around it yet.
fn blank(at: std::ops::Range<usize>, kind: Kind) -> Claim {
    Claim {
        kind,
        value: super::Dec::new(0, 0),
        scale: None,
        unit: None,
        direction: None,
        signed: false,
        inferred: false,
        bound: None,
        period: None,
        base: false,
        duration: false,
        at: at.clone(),
        span: at,
    }
}

/// The figure at numeral `n`, with what is written right around it.
fn figure(text: &str, n: &Numeral, lang: Lang, v: &Vocab) -> Claim {
    let mut claim = Claim {
        value: n.value,
        ..blank(n.start..n.end, Kind::Figure)
    };
    claim.span.start = read_before(text, n, lang, v, &mut claim);
    if ordinal_suffix(&text[n.end..], lang) {
        claim.kind = Kind::Ordinal;
        return claim;
    }
    claim.span.end = read_after(text, n.end, lang, v, &mut claim);
    claim
}

/// Read what is written before numeral `n`: a sign, a currency, or both (`+35%`, `$3.1`,
/// `−$5`, `US$ 5`), then a bound (`at least`); returns where the figure's words start.
fn read_before(text: &str, n: &Numeral, lang: Lang, v: &Vocab, claim: &mut Claim) -> usize {
    let mut before = &text[..n.start];
    for _ in 0..2 {
        if let Some(dir) = sign(before) {
            claim.direction = Some(dir);
            claim.signed = true;
            before = &before[..before.len() - before.chars().next_back().map_or(0, char::len_utf8)];
        } else if let Some((unit, start)) = currency_before(before, lang) {
            claim.unit = Some(unit);
            before = &text[..start];
        }
    }
    let trimmed = before.trim_end_matches(SPACES);
    let bound = v
        .bounds
        .iter()
        .find_map(|(w, b)| Some((ends_with(trimmed, w)?, *b)));
    if let Some((start, b)) = bound {
        claim.bound = Some(b);
        before = &text[..start];
    }
    before.len()
}

/// Read what is written after a numeral ending at `at`: a scale, then a percent or a currency,
/// else whether a length of time follows; returns where the figure's words end.
fn read_after(text: &str, mut at: usize, lang: Lang, v: &Vocab, claim: &mut Claim) -> usize {
    let g = gap(text, at);
    let scales = v.scales.iter().chain(vocab::CJK_SCALES);
    if let Some((word, power, len)) = longest(&text[g..], scales) {
        claim.scale = Some(Scale { power, word });
        at = g + len;
    }
    let g = gap(text, at);
    if let Some((_, unit, len)) = longest(&text[g..], v.percent.iter()) {
        claim.unit = Some(unit);
        at = g + len;
    } else if claim.unit.is_none() {
        let words = SYMBOLS.iter().chain(v.currencies);
        if let Some((_, name, len)) = longest(&text[g..], words) {
            claim.unit = Some(Unit::Currency(currency(name, lang)));
            at = g + len;
        }
    }
    if claim.unit.is_none() {
        let g = gap(text, at);
        claim.duration = v
            .durations
            .iter()
            .any(|w| starts_with(&text[g..], w).is_some());
    }
    at
}

/// `¥` is yen in Japanese, yuan in Chinese, either elsewhere.
fn currency(name: &'static str, lang: Lang) -> &'static str {
    match (name, lang) {
        ("yen or yuan", Lang::Ja) => "yen",
        ("yen or yuan", Lang::Zh) => "yuan",
        _ => name,
    }
}

/// Where the next word starts: after at most one space.
fn gap(text: &str, at: usize) -> usize {
    match text[at..].chars().next() {
        Some(c) if SPACES.contains(&c) => at + c.len_utf8(),
        _ => at,
    }
}

/// The longest entry of `table` that `hay` starts with: (entry, its value, bytes covered).
fn longest<'t, T: Copy + 't>(
    hay: &str,
    table: impl Iterator<Item = &'t (&'static str, T)>,
) -> Option<(&'static str, T, usize)> {
    let mut best: Option<(&'static str, T, usize)> = None;
    for (word, value) in table {
        if let Some(len) = starts_with(hay, word)
            && best.is_none_or(|b| len > b.2)
        {
            best = Some((word, *value, len));
        }
    }
    best
}

/// A sign right before a numeral: `+35%`, `-3`, `−3` (not the hyphen of `COVID-19` or of a
/// range `8-10`).
fn sign(before: &str) -> Option<Dir> {
    let mut chars = before.chars().rev();
    let dir = match chars.next()? {
        '+' => Dir::Up,
        '-' | '−' | '–' => Dir::Down,
        _ => return None,
    };
    let prev = chars.next();
    // An en dash right before the digits is a minus (`4.499,4 –10,3`); between figures it is
    // a range (`8–10`).
    let range = before.ends_with('–') && prev.is_some_and(|c| !c.is_whitespace());
    (prev.is_none_or(|c| !c.is_ascii_alphanumeric()) && !range).then_some(dir)
}

/// A currency written before a numeral, at most one space away: (its unit, where it starts).
fn currency_before(before: &str, lang: Lang) -> Option<(Unit, usize)> {
    let trimmed = before.trim_end_matches(SPACES);
    if before.len() - trimmed.len() > 3 {
        return None;
    }
    let mut best: Option<(&'static str, usize)> = None;
    for (word, name) in SYMBOLS {
        if let Some(start) = ends_with(trimmed, word)
            && best.is_none_or(|b| start < b.1)
        {
            best = Some((name, start));
        }
    }
    best.map(|(name, start)| (Unit::Currency(currency(name, lang)), start))
}

/// Whether an ordinal's ending follows (`3rd`, `1er`, `2º`).
fn ordinal_suffix(rest: &str, lang: Lang) -> bool {
    let endings: &[&str] = match lang {
        Lang::En => &["st", "nd", "rd", "th"],
        Lang::Fr => &["er", "re", "e", "ème"],
        Lang::Es => &["º", "ª", ".º", ".ª"],
        _ => &[],
    };
    endings.iter().any(|e| {
        rest.strip_prefix(e)
            .is_some_and(|r| r.chars().next().is_none_or(|c| !c.is_alphabetic()))
    })
}

/// Two figures joined as a range (`8 to 10 years`, `$3–4 billion`) share the scale and unit
/// one of them writes.
fn ranges(text: &str, claims: &mut [Claim], v: &Vocab) {
    for i in 1..claims.len() {
        let (a, b) = (&claims[i - 1], &claims[i]);
        if !a.is_figure() || !b.is_figure() || a.span.end > b.span.start {
            continue;
        }
        let between = text[a.span.end..b.span.start].trim_matches(SPACES);
        let joined = v
            .range
            .iter()
            .any(|w| between.eq_ignore_ascii_case(w) || between == *w)
            || (v.between.1.contains(&between) && {
                let before = &text[floor(text, a.span.start.saturating_sub(24))..a.span.start];
                v.between.0.iter().any(|w| find_word(before, w).is_some())
            });
        if !joined {
            continue;
        }
        let (scale, unit) = (b.scale, b.unit);
        let a_unit = a.unit;
        if a.scale.is_none() && a.unit.is_none_or(|u| Some(u) == unit) {
            claims[i - 1].scale = scale;
            claims[i - 1].unit = unit;
        }
        if claims[i].unit.is_none() && matches!(a_unit, Some(Unit::Currency(_))) {
            claims[i].unit = a_unit;
        }
    }
}

/// Whether the period token sits after a comparison's base word (`up 13% from 2000`).
/// An article between them counts for nothing (`up 14% on the fourth quarter of 2024`); `on`
/// makes a base of a year, quarter or month, never of a day (`on 30 September`).
fn is_base(text: &str, t: &Token, v: &Vocab) -> bool {
    let mut before = text[..t.start].trim_end_matches(SPACES);
    if let Some(at) = ends_with(before, "the") {
        before = before[..at].trim_end_matches(SPACES);
    }
    let on = t.period.day.is_none() && ends_with(before, "on").is_some();
    on || v.base.iter().any(|w| ends_with(before, w).is_some())
}

/// The first period after `c` in its clause, before the next figure.
fn attach_after(text: &str, c: &Claim, tokens: &[Token], next: usize, v: &Vocab) -> Option<usize> {
    let end = clause_end(text, c.span.end, next);
    tokens
        .iter()
        .position(|t| t.start >= c.span.end && t.end <= end && !is_base(text, t, v))
}

/// The nearest period before `c` in its sentence that no figure owns.
fn attach_before(
    text: &str,
    c: &Claim,
    tokens: &[Token],
    owned: &[bool],
    v: &Vocab,
) -> Option<usize> {
    let start = sentence_start(
        text,
        c.span.start,
        floor(text, c.span.start.saturating_sub(400)),
    );
    (0..tokens.len()).rev().find(|&i| {
        let t = &tokens[i];
        t.end <= c.span.start && t.start >= start && !owned[i] && !is_base(text, t, v)
    })
}

/// The scale, percent and currency words of `text` wherever they stand, by name (`million`,
/// `percent`, `euros`), with their byte ranges: a metric may not show one its quote lacks.
/// One-letter scales (`m`, `b`) count only next to a figure.
pub fn unit_words(text: &str, lang: Lang) -> Vec<(std::ops::Range<usize>, Marker)> {
    let v = vocab::of(lang);
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let c = rest.chars().next().unwrap_or(' ');
        let starts = at == 0
            || !text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic);
        let mut found = None;
        // A word starts here, or a symbol or a Chinese or Japanese character stands here.
        let symbol =
            !c.is_alphanumeric() && !c.is_whitespace() && !matches!(c, ',' | '.' | '(' | ')');
        if (starts && c.is_alphabetic()) || symbol || is_cjk(c) {
            let scales = v.scales.iter().filter(|(w, _)| w.chars().count() > 1);
            found = longest(rest, scales)
                .map(|(_, p, len)| (Marker::Scale(p), len))
                .or_else(|| {
                    longest(rest, v.percent.iter()).map(|(_, u, len)| (Marker::Unit(u), len))
                })
                .or_else(|| {
                    let words = SYMBOLS.iter().chain(v.currencies);
                    longest(rest, words)
                        .map(|(_, n, len)| (Marker::Unit(Unit::Currency(currency(n, lang))), len))
                });
        }
        match found {
            Some((name, len)) => {
                out.push((at..at + len, name));
                at += len;
            }
            None => at += c.len_utf8(),
        }
    }
    out
}
