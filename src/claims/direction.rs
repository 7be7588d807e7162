//! Which way a figure moved: a sign, the rise and fall words of its clause in the text's
//! language, a comparison with another figure (`compared with`, `from … to`), and the rise or
//! fall a metric's label states of its value.

use super::read::read;
use super::text::{
    SPACES, ceil, clause_end, ends_with, find_word, floor, is_cjk, sentence_start, starts_with,
    word_starts,
};
use super::vocab::{self, Vocab};
use super::{Claim, Dir};
use crate::lang::Lang;

/// A figure compared with another carries the direction of the difference, unless its words
/// say otherwise: `$1.0 billion, compared with $1.3 billion` fell; in `from $19 to $95,453`
/// the second rose.
pub fn comparisons(text: &str, claims: &mut [Claim], v: &Vocab) {
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

/// The direction words of `c`'s clause: the nearest before it (up to six words back), else
/// one of the two words right after it (`35% lower`, `um 5 % gesunken`).
pub fn direction(text: &str, c: &Claim, prev: &[Claim], next: usize, v: &Vocab) -> Option<Dir> {
    let limit = prev.last().map_or(0, |p| p.span.end);
    let from = floor(text, c.span.start.saturating_sub(64));
    let from = sentence_start(text, c.span.start, from);
    let before = &text[from..c.span.start];
    let to = clause_end(text, c.span.end, next);
    let after = &text[c.span.end..ceil(text, (c.span.end + 32).min(to))];
    // The word starts are found once a figure; each direction word is tried at each.
    let starts = word_starts(before);
    let last = &starts[starts.len().saturating_sub(6)..];
    let to_between = v
        .from_to
        .1
        .iter()
        .any(|t| text[limit..c.span.start].trim() == *t);
    let mut best: Option<(usize, Dir)> = None;
    for (words, dir) in [(v.up, Dir::Up), (v.down, Dir::Down)] {
        for w in words {
            let Some(at) = last_word(before, last, w) else {
                continue;
            };
            // `grown from $19 to $95,453`: a rise followed by its base is the figure's after
            // that base; the base itself has none.
            let rest = before[at..]
                .trim_start_matches(char::is_alphabetic)
                .trim_start();
            let base = v.base.iter().any(|b| starts_with(rest, b).is_some());
            let between = prev.iter().filter(|p| p.span.start >= from + at).count();
            let applies = if base {
                between == 1 && to_between
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
    let first: Vec<usize> = word_starts(after).into_iter().take(2).collect();
    let (more, less) = v.more_less;
    [
        (v.up, Dir::Up),
        (v.down, Dir::Down),
        (more, Dir::Up),
        (less, Dir::Down),
    ]
    .into_iter()
    .find(|(words, _)| words.iter().any(|w| first_words(after, &first, w)))
    .map(|(_, dir)| dir)
}

/// Where `word` last occurs in `window` at one of the word `starts` (for a Chinese or Japanese
/// word, anywhere in it); `up to` is a limit, not a rise.
fn last_word(window: &str, starts: &[usize], word: &str) -> Option<usize> {
    if word.chars().any(is_cjk) {
        return window.rfind(word);
    }
    starts.iter().rev().copied().find(|&s| {
        starts_with(&window[s..], word).is_some()
            && !(word == "up" && window[s + 2..].trim_start().starts_with("to"))
    })
}

/// Whether `word` is at one of the word `starts` of `window` (a Chinese or Japanese word: in
/// its first six characters).
fn first_words(window: &str, starts: &[usize], word: &str) -> bool {
    if word.chars().any(is_cjk) {
        let end = window
            .char_indices()
            .nth(6)
            .map_or(window.len(), |(i, _)| i);
        return window[..end].contains(word);
    }
    starts
        .iter()
        .any(|&s| starts_with(&window[s..], word).is_some())
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
