//! Numerals as a language writes them: digits (ASCII or full-width), grouping marks and one
//! decimal mark, read into an exact decimal. English writes `1,250.5`; German, French and
//! Spanish `1.250,5` or `1 250,5`; Chinese and Japanese as English, in either width.

use crate::lang::Lang;

/// An exact decimal: `digits × 10^exp`, with no trailing zeros in `digits` (so `1.50` and
/// `1.5` are equal, and `1.07 × 10^9` equals `1070 × 10^6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dec {
    pub digits: u128,
    pub exp: i32,
}

impl Dec {
    pub fn new(mut digits: u128, mut exp: i32) -> Dec {
        if digits == 0 {
            return Dec { digits: 0, exp: 0 };
        }
        while digits.is_multiple_of(10) {
            digits /= 10;
            exp += 1;
        }
        Dec { digits, exp }
    }

    /// The value times `10^power`.
    pub fn scaled(self, power: i32) -> Dec {
        Dec::new(self.digits, self.exp + power)
    }

    /// Which of two values is larger.
    pub fn order(self, other: Dec) -> std::cmp::Ordering {
        let f = |d: Dec| d.digits as f64 * 10f64.powi(d.exp);
        f(self).total_cmp(&f(other))
    }

    /// The value as an integer, if it is a small whole number.
    pub fn whole(self) -> Option<u64> {
        if self.exp < 0 || self.exp > 18 {
            return None;
        }
        u64::try_from(self.digits.checked_mul(10u128.pow(self.exp as u32))?).ok()
    }
}

impl std::fmt::Display for Dec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.digits.to_string();
        if self.exp >= 0 {
            return write!(f, "{s}{}", "0".repeat(self.exp as usize));
        }
        let point = s.len() as i32 + self.exp;
        if point > 0 {
            write!(f, "{}.{}", &s[..point as usize], &s[point as usize..])
        } else {
            write!(f, "0.{}{s}", "0".repeat((-point) as usize))
        }
    }
}

/// A numeral found in a text: its byte range, its value, and how it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numeral {
    pub start: usize,
    pub end: usize,
    pub value: Dec,
    /// How many digits it has before any decimal mark, and whether it has grouping or
    /// decimal marks (a year is four plain digits).
    pub int_digits: usize,
    pub plain: bool,
}

/// The value of a digit, ASCII or full-width.
pub fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

fn is_decimal_mark(c: char, lang: Lang) -> bool {
    if lang.decimal_comma() {
        matches!(c, ',' | '，')
    } else {
        matches!(c, '.' | '．')
    }
}

fn is_group_mark(c: char, lang: Lang) -> bool {
    match c {
        '\u{a0}' | '\u{202f}' | '\u{2009}' => true,
        ',' | '，' => !lang.decimal_comma(),
        '.' | ' ' => lang.decimal_comma(),
        _ => false,
    }
}

/// The digits starting at `at`: their count and the byte after them.
fn run(text: &str, at: usize, acc: &mut u128, overflow: &mut bool) -> (usize, usize) {
    let mut n = 0;
    let mut end = at;
    for c in text[at..].chars() {
        let Some(d) = digit(c) else { break };
        match acc
            .checked_mul(10)
            .and_then(|a| a.checked_add(u128::from(d)))
        {
            Some(a) => *acc = a,
            None => *overflow = true,
        }
        n += 1;
        end += c.len_utf8();
    }
    (n, end)
}

/// Every numeral of `text` read in `lang`. A grouping mark counts only between groups of
/// three digits after a first group of one to three (`1,250`, `1 250 000`); anything else
/// ends the numeral, so `1,5` in English is two numerals and `2023 250` in French too.
pub fn numerals(text: &str, lang: Lang) -> Vec<Numeral> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if digit(c).is_none() {
            i += c.len_utf8();
            continue;
        }
        let n = numeral_at(text, i, lang);
        i = n.end;
        out.push(n);
    }
    out
}

fn numeral_at(text: &str, start: usize, lang: Lang) -> Numeral {
    let (mut acc, mut overflow) = (0u128, false);
    let (first, mut end) = run(text, start, &mut acc, &mut overflow);
    let mut plain = true;
    let mut exp = 0;
    let grouping = first <= 3;
    while let Some(c) = text[end..].chars().next() {
        let after = end + c.len_utf8();
        let next_digit = text[after..].chars().next().and_then(digit).is_some();
        if !next_digit {
            break;
        }
        if grouping && is_group_mark(c, lang) && group_of_three(text, after) {
            let (_, e) = run(text, after, &mut acc, &mut overflow);
            end = e;
            plain = false;
            continue;
        }
        if is_decimal_mark(c, lang) {
            let (n, e) = run(text, after, &mut acc, &mut overflow);
            exp = -(n as i32);
            end = e;
            plain = false;
        }
        break;
    }
    let value = if overflow {
        Dec::new(0, 0)
    } else {
        Dec::new(acc, exp)
    };
    Numeral {
        start,
        end,
        value,
        int_digits: first,
        plain,
    }
}

/// Whether exactly three digits start at `at`.
fn group_of_three(text: &str, at: usize) -> bool {
    let mut chars = text[at..].chars();
    (0..3).all(|_| chars.next().and_then(digit).is_some()) && chars.next().and_then(digit).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, lang: Lang) -> Vec<String> {
        numerals(text, lang)
            .iter()
            .map(|n| n.value.to_string())
            .collect()
    }

    #[test]
    fn marks_are_read_by_the_language() {
        assert_eq!(values("1,250.5 and 1.07", Lang::En), ["1250.5", "1.07"]);
        assert_eq!(values("1.250,5 und 12,50", Lang::De), ["1250.5", "12.5"]);
        assert_eq!(values("1,250", Lang::De), ["1.25"]);
        assert_eq!(
            values("1 250,5 et 1\u{202f}000", Lang::Fr),
            ["1250.5", "1000"]
        );
        assert_eq!(values("en 2023 250 tiendas", Lang::Es), ["2023", "250"]);
        assert_eq!(values("９，８７６．５億", Lang::Zh), ["9876.5"]);
        assert_eq!(values("1,5 and 1,2345", Lang::En), ["1", "5", "1", "2345"]);
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(Dec::new(107, -2).scaled(9), Dec::new(1070, 6));
        assert_eq!(Dec::new(150, -2), Dec::new(15, -1));
        assert_eq!(Dec::new(12, 3).to_string(), "12000");
        assert_eq!(Dec::new(5, -3).to_string(), "0.005");
        assert_eq!(Dec::new(2024, 0).whole(), Some(2024));
    }
}
