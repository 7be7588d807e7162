//! What reads as a calendar date, for metadata that must be one (a source's publication
//! `date`, a page's `date`): a year, alone or with a month or quarter, and a day with a month,
//! in the ways the languages briefing reads write them (`2023`, `2023-04-14`, `April 2023`,
//! `14 April 2023`, `April 14, 2023`, `14. April 2023`, `14 de abril de 2023`, `14/04/2023`,
//! `2023年4月14日`, `Q2 2023`). Shared by the checks of front matter and of `[extra.source]`.
//! It also turns a count of days into a calendar date, for the dates briefing writes (the PDF
//! metadata) and reads (spreadsheet date serials).

/// The calendar date (year, month, day) of a count of days since 1970-01-01, in the
/// proleptic Gregorian calendar (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Month names in English, German, French and Spanish; an abbreviation is any prefix of three
/// letters or more (`Sept`, `Mär`, `déc`). Chinese and Japanese write months as numbers (`4月`).
const MONTHS: [&[&str]; 12] = [
    &["january", "januar", "janvier", "enero", "jänner"],
    &["february", "februar", "février", "fevrier", "febrero"],
    &["march", "märz", "maerz", "mars", "marzo"],
    &["april", "avril", "abril"],
    &["may", "mai", "mayo"],
    &["june", "juni", "juin", "junio"],
    &["july", "juli", "juillet", "julio"],
    &["august", "août", "aout", "agosto"],
    &["september", "septembre", "septiembre", "setiembre"],
    &["october", "oktober", "octobre", "octubre"],
    &["november", "novembre", "noviembre"],
    &["december", "dezember", "décembre", "decembre", "diciembre"],
];

/// Words that join the parts of a date (`14 de abril de 2023`, `the 14th of April`).
const JOINING: &[&str] = &["de", "del", "of", "the", "le"];

/// The parts of a date found so far.
#[derive(Default)]
struct Parts {
    year: Option<u32>,
    month: Option<u32>,
    day: Option<u32>,
    quarter: bool,
    /// Numbers 1 to 31 not yet known to be a day or a month (`14/04/2023`).
    small: Vec<u32>,
}

/// Whether `text` reads as one calendar date.
pub fn is_date(text: &str) -> bool {
    let text = text.trim();
    if let Some(ok) = iso(text) {
        return ok;
    }
    let mut parts = Parts::default();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = token_len(rest);
        let token = &rest[..len];
        if !(c.is_whitespace() || ",./-–·".contains(c) || parts.take(token, &rest[len..])) {
            return false;
        }
        rest = &rest[len..];
    }
    parts.settle()
}

/// `2023`, `2023-04`, `2023-04-14` (with a time after it, as TOML writes a datetime): `None`
/// when the text is not in this form at all, else whether its month and day exist.
fn iso(text: &str) -> Option<bool> {
    let date = text.split(['T', ' ']).next().unwrap_or(text);
    let fields: Vec<&str> = date.split('-').collect();
    let numeric = |f: &&str| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit());
    if fields[0].len() != 4 || fields.len() > 3 || !fields.iter().all(numeric) {
        return None;
    }
    if date.len() < text.len() && fields.len() < 3 {
        return None;
    }
    let n = |i: usize| fields.get(i).map(|f| f.parse::<u32>().unwrap_or(0));
    let year_ok = n(0).is_some_and(year);
    let month_ok = n(1).is_none_or(|m| (1..=12).contains(&m));
    let day_ok = n(2).is_none_or(|d| d >= 1 && d <= days_in(n(1).unwrap_or(1)));
    Some(year_ok && month_ok && day_ok && fields[1..].iter().all(|f| f.len() == 2))
}

/// A run of digits, of letters, or one other character.
fn token_len(s: &str) -> usize {
    let mut chars = s.char_indices();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    let same = |c: char| {
        (first.is_ascii_digit() && c.is_ascii_digit())
            || (first.is_alphabetic() && c.is_alphabetic() && !is_cjk_unit(c))
    };
    if is_cjk_unit(first) {
        return first.len_utf8();
    }
    chars.find(|&(_, c)| !same(c)).map_or(s.len(), |(i, _)| i)
}

fn is_cjk_unit(c: char) -> bool {
    matches!(c, '年' | '月' | '日')
}

fn year(y: u32) -> bool {
    (1000..=2999).contains(&y)
}

/// The most days a month can have (February in a leap year).
fn days_in(month: u32) -> u32 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The month a word names, if it names one.
fn month_named(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    if word.chars().count() < 3 {
        return None;
    }
    let found = MONTHS
        .iter()
        .position(|names| names.iter().any(|n| n.starts_with(word.as_str())));
    found.map(|i| i as u32 + 1)
}

impl Parts {
    /// Take one token (`after` is the text after it); false when it has no place in a date.
    fn take(&mut self, token: &str, after: &str) -> bool {
        let next = after.chars().next();
        if let Ok(n) = token.parse::<u32>() {
            return match next {
                Some('年') => replace(&mut self.year, n, year(n)),
                Some('月') => replace(&mut self.month, n, (1..=12).contains(&n)),
                Some('日') => replace(&mut self.day, n, (1..=31).contains(&n)),
                _ if token.len() == 4 => replace(&mut self.year, n, year(n)),
                _ if (1..=31).contains(&n) && token.len() <= 2 && self.small.len() < 2 => {
                    self.small.push(n);
                    true
                }
                _ => false,
            };
        }
        let lower = token.to_lowercase();
        if is_cjk_unit(token.chars().next().unwrap_or(' ')) {
            return true; // read with the number before it
        }
        if let Some(m) = month_named(token) {
            return replace(&mut self.month, m, true);
        }
        if let Some(q) = lower.strip_prefix('q').or_else(|| lower.strip_prefix('h')) {
            // `Q2 2023` is read as `Q` then `2`: a quarter or half is the letter alone.
            let digits = after.split(|c: char| !c.is_ascii_digit()).next();
            let n: Option<u32> = digits.and_then(|d| d.parse().ok());
            let ok = q.is_empty() && n.is_some_and(|n| (1..=4).contains(&n)) && !self.quarter;
            self.quarter = ok;
            return ok;
        }
        matches!(lower.as_str(), "st" | "nd" | "rd" | "th" | "er") && !self.small.is_empty()
            || JOINING.contains(&lower.as_str())
    }

    /// Whether the parts make one date: a year, and a day only with its month.
    fn settle(mut self) -> bool {
        if self.quarter {
            // The number after `Q` was taken as a small number: it is the quarter's.
            self.small.pop();
            return self.small.is_empty() && self.month.is_none() && self.year.is_some();
        }
        match (self.month, self.small.as_slice()) {
            (Some(_), []) => {}
            (Some(_), [d]) if self.day.is_none() => self.day = Some(*d),
            (None, [m]) if *m <= 12 => self.month = Some(*m),
            // 14/04/2023 or 04/14/2023: one of them is a month.
            (None, [a, b]) if self.day.is_none() && (*a <= 12 || *b <= 12) => {
                self.month = Some((*a).min(*b));
                self.day = Some((*a).max(*b));
            }
            (_, []) => {}
            _ => return false,
        }
        let day_fits = match (self.month, self.day) {
            (Some(m), Some(d)) => d <= days_in(m),
            (None, Some(_)) => false,
            _ => true,
        };
        self.year.is_some() && day_fits
    }
}

/// Set a part once: false when it is already set or `ok` is false.
fn replace(slot: &mut Option<u32>, value: u32, ok: bool) -> bool {
    ok && slot.replace(value).is_none()
}

#[cfg(test)]
mod tests {
    use super::{civil_from_days, is_date};

    #[test]
    fn dates_as_sources_write_them() {
        for date in [
            "2023",
            "2023-04",
            "2023-04-14",
            "2023-04-14T09:30:00Z",
            "April 2023",
            "Apr. 2023",
            "14 April 2023",
            "April 14, 2023",
            "14th April 2023",
            "the 14th of April 2023",
            "14. April 2023",
            "März 2026",
            "14 avril 2023",
            "1er juin 2023",
            "14 de abril de 2023",
            "14/04/2023",
            "04/14/2023",
            "14.04.2023",
            "2023年4月14日",
            "2023年4月",
            "Q2 2023",
            "H1 2024",
            "Sept. 30, 2021",
        ] {
            assert!(is_date(date), "{date} is a date");
        }
    }

    #[test]
    fn days_count_to_calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-719_468), (0, 3, 1));
    }

    #[test]
    fn what_is_not_a_date() {
        for text in [
            "",
            "soon",
            "last year",
            "April",
            "14 April",
            "2023-13-01",
            "2023-02-30",
            "31 April 2023",
            "2023 and 2024",
            "April 2023 to May 2023",
            "Q5 2023",
            "14/04",
            "123456",
            "FY24",
            "see the letter",
        ] {
            assert!(!is_date(text), "{text} is not a date");
        }
    }
}
