//! What counts as a figure in text (quotations are [`crate::quotes`]'s). Shared by the citation
//! checks (which compare a metric with its quote) and the verification of finished pages (which
//! compares what a reader sees with the sources). The rules are written out in docs/FORMAT.md.

pub use crate::quotes::{Quoted, normalize, quoted, verbatim_in, verbatim_in_normalized};

/// One figure found in a text: its value (digits and a decimal point, grouping commas dropped)
/// and the byte range it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub value: String,
    pub start: usize,
    pub end: usize,
}

/// Every figure in `s`: a run of digits, with `.` or `,` between digits (`1.07`, `1,000`). A
/// range (`8–10`, `8 to 10`) is two figures. Digits right after `¶` are a paragraph reference,
/// not a figure.
pub fn figures(s: &str) -> Vec<Figure> {
    let bytes = s.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut value = String::new();
        while i < bytes.len() {
            let b = bytes[i];
            let digit_follows = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if b.is_ascii_digit() {
                value.push(b as char);
            } else if b == b'.' && digit_follows {
                value.push('.');
            } else if b != b',' || !digit_follows {
                break;
            }
            i += 1;
        }
        if !after_pilcrow(s, start) {
            found.push(Figure {
                value,
                start,
                end: i,
            });
        }
    }
    found
}

/// The values of every figure in `s`: `1.07`, `8`, `10`, `2021`.
pub fn numbers(s: &str) -> Vec<String> {
    figures(s).into_iter().map(|f| f.value).collect()
}

/// Whether the digits at `at` name a paragraph of a source (`¶2`, `¶ 2`, `paragraph 3`).
fn after_pilcrow(s: &str, at: usize) -> bool {
    let before = s[..at].trim_end_matches([' ', '\u{a0}']);
    if before.ends_with('¶') {
        return true;
    }
    let word_start = before.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let word = before[word_start..].to_lowercase();
    before.len() < s[..at].len() && matches!(word.as_str(), "paragraph" | "paragraphs" | "para")
}

/// A four-digit figure that reads as a year (1900 to 2199).
pub fn is_year(value: &str) -> bool {
    value.len() == 4
        && value
            .parse::<u32>()
            .is_ok_and(|y| (1900..2200).contains(&y))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The dates written as a month name and a day (`September 30`, `30 September`), as
/// `month-day` keys (`9-30`), with the byte range of the day.
pub fn month_days(s: &str) -> Vec<(String, usize, usize)> {
    let words: Vec<(usize, &str)> = word_spans(s);
    let mut out = Vec::new();
    for (i, &(at, word)) in words.iter().enumerate() {
        let Ok(day) = word.parse::<u32>() else {
            continue;
        };
        if !(1..=31).contains(&day) {
            continue;
        }
        let month_at = |j: Option<usize>| {
            let (_, w) = *words.get(j?)?;
            let lower = w.to_lowercase();
            MONTHS.iter().position(|m| *m == lower).map(|m| m + 1)
        };
        if let Some(month) = month_at(i.checked_sub(1)).or_else(|| month_at(Some(i + 1))) {
            out.push((format!("{month}-{day}"), at, at + word.len()));
        }
    }
    out
}

/// Words (runs of letters or of digits) with their byte offsets.
fn word_spans(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, bool)> = None;
    for (i, c) in s.char_indices() {
        let kind = if c.is_ascii_digit() {
            Some(true)
        } else if c.is_alphabetic() {
            Some(false)
        } else {
            None
        };
        match (start, kind) {
            (Some((_, d)), Some(k)) if d == k => {}
            (Some((s0, _)), _) => {
                out.push((s0, &s[s0..i]));
                start = kind.map(|k| (i, k));
            }
            (None, Some(k)) => start = Some((i, k)),
            (None, None) => {}
        }
    }
    if let Some((s0, _)) = start {
        out.push((s0, &s[s0..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_found_with_their_ranges() {
        assert_eq!(
            numbers("1.07 billion, 8–10 years, 27 days."),
            ["1.07", "8", "10", "27"]
        );
        assert_eq!(numbers("1,000 pages"), ["1000"]);
        assert_eq!(numbers("up 3.5%, to $1,200.50."), ["3.5", "1200.50"]);
        assert!(numbers("no digits.").is_empty());
        assert_eq!(numbers("see ¶2 and ¶ 14, then 3"), ["3"]);
        assert_eq!(numbers("paragraph 3 says, para 4 too; 5 paragraphs"), ["5"]);
        assert_eq!(numbers("H1 and COVID-19"), ["1", "19"]);
        let f = &figures("x 42.")[0];
        assert_eq!((f.start, f.end), (2, 4));
    }

    #[test]
    fn years_and_dates() {
        assert!(is_year("2020") && !is_year("1850") && !is_year("20200"));
        let days = month_days("on the afternoon of September 30, and 1 May, not 40 June");
        let keys: Vec<&str> = days.iter().map(|d| d.0.as_str()).collect();
        assert_eq!(keys, ["9-30", "5-1"]);
    }
}
