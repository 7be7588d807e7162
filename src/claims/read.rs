//! Reading a text into claims: numerals, then the periods they write, then each remaining
//! numeral with the currency, sign, scale and unit written around it, the direction words
//! of its clause and the period it is attached to.

use super::number::{Numeral, numerals};
use super::period::{self, Token};
use super::vocab::{self, SYMBOLS, Unit, Vocab, ends_with, is_cjk, starts_with};
use super::{Claim, Dir, Kind, Marker, Scale};
use crate::lang::Lang;

const SPACES: [char; 4] = [' ', '\u{a0}', '\u{202f}', '\u{2009}'];

pub fn read(text: &str, lang: Lang) -> Vec<Claim> {
    let v = vocab::of(lang);
    let nums = numerals(text, lang);
    let mut used: Vec<bool> = nums.iter().map(|n| is_reference(text, n, v)).collect();
    let mut tokens = period::tokens(text, &nums, v, &mut used);
    let mut claims: Vec<Claim> = Vec::new();
    for (i, n) in nums.iter().enumerate() {
        if used[i] {
            continue;
        }
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
    tokens.sort_by_key(|t| t.start);
    ranges(text, &mut claims, v);
    // A period written after a figure in its clause is that figure's own; a figure without one
    // takes the nearest period before it in its sentence that no other figure owns.
    let mut owned = vec![false; tokens.len()];
    let mut after: Vec<Option<usize>> = Vec::with_capacity(claims.len());
    for i in 0..claims.len() {
        let next = claims.get(i + 1).map_or(text.len(), |c| c.span.start);
        let found = attach_after(text, &claims[i], &tokens, next, v);
        if let Some(t) = found {
            owned[t] = true;
        }
        after.push(found);
    }
    for i in 0..claims.len() {
        let next = claims.get(i + 1).map_or(text.len(), |c| c.span.start);
        let c = &claims[i];
        let direction = c
            .direction
            .or_else(|| direction(text, c, &claims[..i], next, v));
        let t = after[i].or_else(|| attach_before(text, c, &tokens, &owned, v));
        claims[i].direction = direction;
        claims[i].period = t.map(|t| tokens[t].period);
    }
    comparisons(text, &mut claims, v);
    claims.extend(tokens.iter().map(|t| Claim {
        kind: if t.period.day.is_some() {
            Kind::Date
        } else {
            Kind::Period
        },
        value: super::Dec::new(t.period.year.map_or(0, |y| y as u128), 0),
        scale: None,
        unit: None,
        direction: None,
        signed: false,
        inferred: false,
        bound: None,
        period: Some(t.period),
        at: t.start..t.end,
        span: t.start..t.end,
    }));
    claims.sort_by_key(|c| c.at.start);
    claims
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

/// The figure at numeral `n`, with what is written right around it.
fn figure(text: &str, n: &Numeral, lang: Lang, v: &Vocab) -> Claim {
    let mut claim = Claim {
        kind: Kind::Figure,
        value: n.value,
        scale: None,
        unit: None,
        direction: None,
        signed: false,
        inferred: false,
        bound: None,
        period: None,
        at: n.start..n.end,
        span: n.start..n.end,
    };
    // Before: a sign, a currency, or both (`+35%`, `$3.1`, `−$5`, `US$ 5`).
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
    claim.span.start = before.len();
    // After: an ordinal's ending, a scale, then a percent or a currency.
    let mut at = n.end;
    if ordinal_suffix(&text[at..], lang) {
        claim.kind = Kind::Ordinal;
        return claim;
    }
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
    claim.span.end = at;
    claim
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
        if let Some(len) = starts_with(hay, word) {
            if best.is_none_or(|b| len > b.2) {
                best = Some((word, *value, len));
            }
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
        if let Some(start) = ends_with(trimmed, word) {
            if best.is_none_or(|b| start < b.1) {
                best = Some((name, start));
            }
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

/// A figure compared with another carries the direction of the difference, unless its words
/// say otherwise: `$1.0 billion, compared with $1.3 billion` fell; in `from $19 to $95,453`
/// the second rose.
fn comparisons(text: &str, claims: &mut [Claim], v: &Vocab) {
    for i in 1..claims.len() {
        let (a, b) = (&claims[i - 1], &claims[i]);
        let units_agree = match (a.unit, b.unit) {
            (Some(x), Some(y)) => x.agrees(y),
            _ => true,
        };
        if !a.is_figure() || !b.is_figure() || a.span.end > b.span.start || !units_agree {
            continue;
        }
        let between =
            text[a.span.end..b.span.start].trim_matches(|c: char| c.is_whitespace() || c == ',');
        let is = |words: &[&str]| {
            words
                .iter()
                .any(|w| between.eq_ignore_ascii_case(w) || between == *w)
        };
        let before_a = text[..a.span.start].trim_end_matches(SPACES);
        let from = v.from_to.0.iter().any(|w| ends_with(before_a, w).is_some());
        let rise = |x: &Claim, y: &Claim| match x.amount().order(y.amount()) {
            std::cmp::Ordering::Greater => Some(Dir::Up),
            std::cmp::Ordering::Less => Some(Dir::Down),
            std::cmp::Ordering::Equal => None,
        };
        if is(v.versus) && a.direction.is_none() {
            claims[i - 1].direction = rise(a, b);
            claims[i - 1].inferred = true;
        } else if from && is(v.from_to.1) && b.direction.is_none() {
            claims[i].direction = rise(b, a);
            claims[i].inferred = true;
        }
    }
}

const CLAUSE_ENDS: [char; 12] = [
    ',', ';', '\n', '，', '；', '。', '(', ')', '!', '?', '、', ':',
];

/// Where the clause after `at` ends (a comma, a sentence's end), before `limit`.
fn clause_end(text: &str, at: usize, limit: usize) -> usize {
    let window = &text[at..limit];
    let mark = window.find(CLAUSE_ENDS).unwrap_or(window.len());
    let stop = window.find(". ").unwrap_or(window.len());
    at + mark.min(stop)
}

/// Where the sentence holding `at` starts, not before `limit`.
fn sentence_start(text: &str, at: usize, limit: usize) -> usize {
    let window = &text[limit..at];
    let mark = window
        .rfind(['\n', '。', '!', '?', ';', '；'])
        .map_or(0, |i| {
            i + window[i..].chars().next().map_or(1, char::len_utf8)
        });
    let stop = window.rfind(". ").map_or(0, |i| i + 2);
    limit + mark.max(stop)
}

/// The direction words of `c`'s clause: the nearest before it (up to four words back), else
/// one of the two words right after it (`35% lower`, `um 5 % gesunken`).
fn direction(text: &str, c: &Claim, prev: &[Claim], next: usize, v: &Vocab) -> Option<Dir> {
    let limit = prev.last().map_or(0, |p| p.span.end);
    let from = floor(text, c.span.start.saturating_sub(64));
    let from = sentence_start(text, c.span.start, from);
    let before = &text[from..c.span.start];
    let to = clause_end(text, c.span.end, next);
    let after = &text[c.span.end..ceil(text, (c.span.end + 32).min(to))];
    let mut best: Option<(usize, Dir)> = None;
    for (words, dir) in [(v.up, Dir::Up), (v.down, Dir::Down)] {
        for w in words {
            let Some(at) = last_word(before, w, 6) else {
                continue;
            };
            // `grown from $19 to $95,453`: a rise followed by its base is the figure's after
            // that base; the base itself has none.
            let rest = before[at..]
                .trim_start_matches(char::is_alphabetic)
                .trim_start();
            let base = v.base.iter().any(|b| starts_with(rest, b).is_some());
            let between = prev.iter().filter(|p| p.span.start >= from + at).count();
            let to = v
                .from_to
                .1
                .iter()
                .any(|t| text[limit..c.span.start].trim() == *t);
            let applies = if base {
                between == 1 && to
            } else {
                between == 0 && from + at >= limit
            };
            if applies && best.is_none_or(|b| at > b.0) {
                best = Some((at, dir));
            }
        }
    }
    if let Some((_, dir)) = best {
        return Some(dir);
    }
    let (more, less) = v.more_less;
    [
        (v.up, Dir::Up),
        (v.down, Dir::Down),
        (more, Dir::Up),
        (less, Dir::Down),
    ]
    .into_iter()
    .find(|(words, _)| words.iter().any(|w| first_words(after, 2, w)))
    .map(|(_, dir)| dir)
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Where `word` last occurs in `window` among its last `n` words (for a Chinese or Japanese
/// word, anywhere in it); `up to` is a limit, not a rise.
fn last_word(window: &str, word: &str, n: usize) -> Option<usize> {
    if word.chars().any(is_cjk) {
        return window.rfind(word);
    }
    let starts = word_starts(window);
    let from = starts.len().saturating_sub(n);
    starts[from..].iter().rev().copied().find(|&s| {
        starts_with(&window[s..], word).is_some()
            && !(word == "up" && window[s + 2..].trim_start().starts_with("to"))
    })
}

/// Whether `word` is one of the first `n` words of `window`.
fn first_words(window: &str, n: usize, word: &str) -> bool {
    if word.chars().any(is_cjk) {
        return window.chars().take(6).collect::<String>().contains(word);
    }
    word_starts(window)
        .iter()
        .take(n)
        .any(|&s| starts_with(&window[s..], word).is_some())
}

/// The byte offsets where words start.
fn word_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut prev_letter = false;
    for (i, c) in text.char_indices() {
        let letter = c.is_alphabetic() && !is_cjk(c);
        if letter && !prev_letter {
            out.push(i);
        }
        prev_letter = letter;
    }
    out
}

/// Where a word of `text` ends with `word` (a German compound's last noun), if one does.
pub fn find_ending(text: &str, word: &str) -> Option<usize> {
    let lower = word.to_lowercase();
    for s in word_starts(text) {
        let rest = &text[s..];
        let len = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        if rest[..len].to_lowercase().ends_with(&lower) {
            return Some(s);
        }
    }
    None
}

/// Where `word` occurs in `text` as a whole word, if it does.
pub fn find_word(text: &str, word: &str) -> Option<usize> {
    if word.chars().any(is_cjk) {
        return text.find(word);
    }
    word_starts(text)
        .into_iter()
        .find(|&s| starts_with(&text[s..], word).is_some())
}

/// Whether the period token sits after a comparison's base word (`up 13% from 2000`).
fn is_base(text: &str, t: &Token, v: &Vocab) -> bool {
    let before = text[..t.start].trim_end_matches(SPACES);
    v.base.iter().any(|w| ends_with(before, w).is_some())
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
        if starts || !c.is_alphabetic() || is_cjk(c) {
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

/// The first rise or fall `text` states that no figure of it carries (`increase in the book
/// value`, `up from 4.9%`, not `up 14%`): a metric's label says so of the metric's value.
pub fn free_direction(text: &str, lang: Lang) -> Option<Dir> {
    let v = vocab::of(lang);
    let claims = read(text, lang);
    let mut best: Option<(usize, Dir)> = None;
    for (words, dir) in [(v.up, Dir::Up), (v.down, Dir::Down)] {
        for w in words {
            let Some(at) = find_word(text, w) else {
                continue;
            };
            let end = at
                + text[at..]
                    .find(|c: char| !c.is_alphabetic())
                    .unwrap_or(text.len() - at);
            let rest = text[end..].trim_start();
            let base = v.base.iter().any(|b| starts_with(rest, b).is_some());
            let attached = claims.iter().filter(|c| c.is_figure()).any(|c| {
                (c.span.start >= end && c.span.start <= end + 8)
                    || (c.span.end <= at && at - c.span.end <= 2)
            });
            if (base || !attached) && best.is_none_or(|b| at < b.0) {
                best = Some((at, dir));
            }
        }
    }
    best.map(|b| b.1)
}
