//! Periods written in a text: a year, a fiscal year (`FY2021`, `FY21`, `fiscal 2021`,
//! `2021年度`), a quarter (`Q4 2024`, `4Q24`, `fourth quarter of 2024`, `4. Quartal 2024`,
//! `2024年第四季度`), a half (`H1 2024`), a month (`April 2023`, `2010年4月`) and a day
//! (`September 30`, `30 avril 2023`, `2010年4月30日`). The numerals they use are not figures.

use super::number::Numeral;
use super::text::{ends_with, starts_with};
use super::vocab::Vocab;

/// A period a figure is attached to, or a text names. Every part is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Period {
    pub year: Option<i32>,
    pub fiscal: bool,
    pub quarter: Option<u8>,
    pub half: Option<u8>,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Period {
    /// Whether the two name different times: another year, quarter, half, month or day
    /// (a part only one of them gives is no conflict: `2024` and `Q4 2024` agree).
    pub fn conflicts(&self, other: &Period) -> bool {
        fn differ<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
            matches!((a, b), (Some(a), Some(b)) if a != b)
        }
        differ(self.year, other.year)
            || differ(self.quarter, other.quarter)
            || differ(self.half, other.half)
            || differ(self.month, other.month)
            || (self.month == other.month && differ(self.day, other.day))
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(d) = self.day {
            parts.push(d.to_string());
        }
        if let Some(m) = self.month.filter(|m| (1..=12).contains(m)) {
            parts.push(MONTHS[usize::from(m - 1)].to_string());
        }
        if let Some(q) = self.quarter {
            parts.push(format!("Q{q}"));
        }
        if let Some(h) = self.half {
            parts.push(format!("H{h}"));
        }
        match (self.year, self.fiscal) {
            (Some(y), true) => parts.push(format!("FY{y}")),
            (Some(y), false) => parts.push(y.to_string()),
            (None, true) => parts.push("the fiscal year".into()),
            (None, false) => {}
        }
        write!(f, "{}", parts.join(" "))
    }
}

/// A period written in a text, with its byte range.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub period: Period,
}

/// A year a numeral can be: four plain digits from 1900 to 2199, or (where `two` allows,
/// after `FY`, `Q4`) two digits for 2000 to 2099.
fn year_of(n: &Numeral, two: bool) -> Option<i32> {
    let v = i32::try_from(n.value.whole()?).ok()?;
    match n.int_digits {
        4 if n.plain && (1900..2200).contains(&v) => Some(v),
        2 if two && n.plain => Some(2000 + v),
        _ => None,
    }
}

/// The numeral after `nums[i]` if it starts at most `gap` bytes after `from`, with only
/// spaces, `/`, `'`, `,` or the given words between.
fn next_within(
    text: &str,
    nums: &[Numeral],
    i: usize,
    from: usize,
    words: &[&str],
) -> Option<usize> {
    let j = i + 1;
    let n = nums.get(j)?;
    let between = text
        .get(from..n.start)?
        .trim_matches([' ', '\u{a0}', '/', '\'', '’', ',']);
    (between.is_empty() || words.iter().any(|w| between.eq_ignore_ascii_case(w))).then_some(j)
}

/// Every period of `text`; the numerals they use are marked in `used`.
pub fn tokens(text: &str, nums: &[Numeral], v: &Vocab, used: &mut [bool]) -> Vec<Token> {
    let mut out = Vec::new();
    for i in 0..nums.len() {
        if used[i] {
            continue;
        }
        let found = cjk(text, nums, i)
            .or_else(|| marked(text, nums, i))
            .or_else(|| fiscal(text, nums, i, v))
            .or_else(|| spelled_quarter(text, nums, i, v))
            .or_else(|| dated(text, nums, i, v));
        if let Some((token, last)) = found {
            used[i..=last].iter_mut().for_each(|u| *u = true);
            out.push(token);
        }
    }
    out
}

type Found = Option<(Token, usize)>;

/// `2010年4月30日`, `2024年度`, `2021财年`, `2024年第四季度`, `4月`, `第4四半期`.
fn cjk(text: &str, nums: &[Numeral], i: usize) -> Found {
    let n = &nums[i];
    let mut p = Period::default();
    let (mut end, mut last) = (n.end, i);
    let rest = &text[n.end..];
    if let Some(y) = year_of(n, false).filter(|_| rest.starts_with(['年', '财', '財'])) {
        p.year = Some(y);
        for (mark, fiscal) in [
            ("年度", true),
            ("财年", true),
            ("財年", true),
            ("年", false),
        ] {
            if text[end..].starts_with(mark) {
                end += mark.len();
                p.fiscal = fiscal;
                break;
            }
        }
        if let Some((q, e)) = cjk_quarter(text, nums, i, end) {
            p.quarter = Some(q.0);
            (end, last) = (e, q.1);
        }
    } else if text[..n.start].ends_with('第') {
        let (q, e) = cjk_quarter(text, nums, i.wrapping_sub(1), n.start - '第'.len_utf8())?;
        p.quarter = Some(q.0);
        return Some((
            Token {
                start: n.start - 3,
                end: e,
                period: p,
            },
            q.1,
        ));
    }
    let month_at = if p.year.is_some() { last + 1 } else { i };
    if let Some((e, l)) = cjk_month_day(text, nums, month_at, end, &mut p) {
        (end, last) = (e, l);
    }
    (p != Period::default()).then_some((
        Token {
            start: n.start,
            end,
            period: p,
        },
        last,
    ))
}

/// A month (`4月`) at numeral `at`, right at `end` after a year (anywhere without one), and a
/// day after it (`30日`), written into `p`; returns where they end and their last numeral.
fn cjk_month_day(
    text: &str,
    nums: &[Numeral],
    at: usize,
    end: usize,
    p: &mut Period,
) -> Option<(usize, usize)> {
    let m = nums
        .get(at)
        .filter(|m| m.start == end || p.year.is_none())?;
    let small = m.value.whole().filter(|v| (1..=12).contains(v));
    let v = small.filter(|_| text[m.end..].starts_with('月'))?;
    p.month = Some(v as u8);
    let end = m.end + '月'.len_utf8();
    if let Some(d) = nums.get(at + 1).filter(|d| d.start == end)
        && text[d.end..].starts_with('日')
    {
        p.day = d.value.whole().map(|v| v as u8);
        return Some((d.end + '日'.len_utf8(), at + 1));
    }
    Some((end, at))
}

/// A quarter written from `at`: `第四季度`, `第4四半期`: ((quarter, last numeral), end).
fn cjk_quarter(text: &str, nums: &[Numeral], i: usize, at: usize) -> Option<((u8, usize), usize)> {
    let rest = &text[at..];
    for (word, q) in [
        ("第一季度", 1),
        ("第二季度", 2),
        ("第三季度", 3),
        ("第四季度", 4),
    ] {
        if rest.starts_with(word) {
            return Some(((q, i), at + word.len()));
        }
    }
    let j = i.wrapping_add(1);
    let n = nums
        .get(j)
        .filter(|n| n.start == at + '第'.len_utf8() && rest.starts_with('第'))?;
    let q = n.value.whole().filter(|q| (1..=4).contains(q))?;
    let after = &text[n.end..];
    let word = ["四半期", "季度"]
        .into_iter()
        .find(|w| after.starts_with(w))?;
    Some(((q as u8, j), n.end + word.len()))
}

/// `Q4 2024`, `Q4/24`, `4Q24`, `H1 2024`, `1H24`, `4. Quartal 2024`, `T4 2024`.
fn marked(text: &str, nums: &[Numeral], i: usize) -> Found {
    let n = &nums[i];
    let v = n.value.whole().filter(|_| n.plain && n.int_digits == 1)?;
    let before = &text[..n.start];
    let mut back = before.chars().rev();
    let letter_before = back.next();
    let clean = back.next().is_none_or(|c| !c.is_alphanumeric());
    let mut ahead = text[n.end..].chars();
    let letter_after = ahead.next();
    let after_clean = ahead.next().is_none_or(|c| !c.is_alphabetic());
    let (kind, start, from) = if let Some(l @ ('Q' | 'H' | 'T')) = letter_before.filter(|_| clean) {
        (l, n.start - 1, n.end)
    } else if let Some(l @ ('Q' | 'H')) = letter_after.filter(|_| after_clean) {
        (l, n.start, n.end + 1)
    } else if text[n.end..].starts_with(". Quartal") {
        ('Q', n.start, n.end + ". Quartal".len())
    } else {
        return None;
    };
    let mut p = Period::default();
    match kind {
        'Q' | 'T' if (1..=4).contains(&v) => p.quarter = Some(v as u8),
        'H' if (1..=2).contains(&v) => p.half = Some(v as u8),
        _ => return None,
    }
    let mut end = from;
    let mut last = i;
    if let Some(j) = next_within(text, nums, i, from, &["FY", "of", "de"])
        && let Some(y) = year_of(&nums[j], true)
    {
        p.year = Some(y);
        p.fiscal = text[from..nums[j].start].contains("FY");
        (end, last) = (nums[j].end, j);
    }
    if kind == 'T' && p.year.is_none() {
        return None;
    }
    Some((
        Token {
            start,
            end,
            period: p,
        },
        last,
    ))
}

/// `FY2021`, `FY21`, `FY 2021`, `fiscal 2021`, `fiscal year 2021`, `Geschäftsjahr 2023`,
/// `2021 fiscal year`.
fn fiscal(text: &str, nums: &[Numeral], i: usize, v: &Vocab) -> Found {
    let n = &nums[i];
    let before = text[..n.start].trim_end_matches([' ', '\u{a0}', '\'', '’']);
    let after = text[n.end..].trim_start_matches(' ');
    for word in v.fiscal {
        let two = *word == "FY";
        let Some(start) = ends_with(before, word) else {
            continue;
        };
        let tight = two || before.len() < n.start;
        if let Some(y) = year_of(n, two).filter(|_| tight) {
            let p = Period {
                year: Some(y),
                fiscal: true,
                ..Period::default()
            };
            return Some((
                Token {
                    start,
                    end: n.end,
                    period: p,
                },
                i,
            ));
        }
    }
    let y = year_of(n, false)?;
    let end = v
        .fiscal
        .iter()
        .find_map(|w| starts_with(after, w).filter(|_| w.len() > 2))?;
    let p = Period {
        year: Some(y),
        fiscal: true,
        ..Period::default()
    };
    let end = n.end + (text.len() - n.end - after.len()) + end;
    Some((
        Token {
            start: n.start,
            end,
            period: p,
        },
        i,
    ))
}

/// `fourth quarter of 2024`, `cuarto trimestre de 2024`, `vierten Quartal 2024`.
fn spelled_quarter(text: &str, nums: &[Numeral], i: usize, v: &Vocab) -> Found {
    let n = &nums[i];
    let y = year_of(n, false)?;
    let before = text[..n.start].trim_end_matches([' ', '\u{a0}']);
    let (start, q) = v
        .quarters
        .iter()
        .find_map(|(w, q)| ends_with(before, w).map(|s| (s, *q)))?;
    let p = Period {
        year: Some(y),
        quarter: Some(q),
        ..Period::default()
    };
    Some((
        Token {
            start,
            end: n.end,
            period: p,
        },
        i,
    ))
}

/// A month name before or after a day (`September 30`, `30 avril`), or before a year
/// (`April 2023`, `abril de 2023`), with a year that follows (`April 30, 2023`).
fn dated(text: &str, nums: &[Numeral], i: usize, v: &Vocab) -> Found {
    let n = &nums[i];
    let before = text[..n.start].trim_end_matches([' ', '\u{a0}']);
    let before = before.strip_suffix(" de").unwrap_or(before);
    let month_before = v.months.iter().find_map(|(w, m)| {
        let s = ends_with(before, w)?;
        month_case(&text[s..], w).then_some((s, *m))
    });
    if let (Some((start, m)), Some(y)) = (month_before, year_of(n, false)) {
        let p = Period {
            year: Some(y),
            month: Some(m),
            ..Period::default()
        };
        return Some((
            Token {
                start,
                end: n.end,
                period: p,
            },
            i,
        ));
    }
    let day = n
        .value
        .whole()
        .filter(|d| n.plain && n.int_digits <= 2 && (1..=31).contains(d))? as u8;
    let after = text[n.end..].trim_start_matches(['.', ' ', '\u{a0}']);
    let after = after.strip_prefix("de ").unwrap_or(after);
    let month_after = v.months.iter().find_map(|(w, m)| {
        let len = starts_with(after, w)?;
        month_case(after, w).then_some((text.len() - after.len() + len, *m))
    });
    let (start, end, month) = match (month_before, month_after) {
        (Some((s, m)), _) => (s, n.end, m),
        (None, Some((e, m))) => (n.start, e, m),
        _ => return None,
    };
    let mut p = Period {
        month: Some(month),
        day: Some(day),
        ..Period::default()
    };
    let (mut end, mut last) = (end, i);
    if let Some(j) = next_within(text, nums, i, end, &["de"])
        && let Some(y) = year_of(&nums[j], false)
    {
        p.year = Some(y);
        (end, last) = (nums[j].end, j);
    }
    Some((
        Token {
            start,
            end,
            period: p,
        },
        last,
    ))
}

/// English and German month names are capitalised: `may 5` is not a date.
fn month_case(at: &str, word: &str) -> bool {
    let first = word.chars().next().unwrap_or('a');
    let written = at.chars().next().unwrap_or('a');
    !(matches!(word, "may" | "march") && first.is_lowercase() && written.is_lowercase())
}
