//! The tokens of a content stream, as lopdf's grammar has them: where each kind ends (a
//! name, a number, a literal or hexadecimal string, an indirect reference) and the values of
//! those that need decoding (names' `#xx`, strings' escapes, reals).

use super::ops::Operand;

/// Literal strings nested deeper than this end the stream (lopdf's limit).
const MAX_PARENS: usize = 100;

/// The value of two hexadecimal digits.
pub(super) fn hex_byte(high: u8, low: u8) -> u8 {
    let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
    digit(high) << 4 | digit(low)
}

/// A hexadecimal string's digits (white space between them ignored) as bytes; an odd last
/// digit is followed by 0.
pub(super) fn hex(raw: &[u8], out: &mut Vec<u8>) {
    let mut high = None;
    for &c in raw.iter().filter(|c| c.is_ascii_hexdigit()) {
        match high.take() {
            None => high = Some(c),
            Some(h) => out.push(hex_byte(h, c)),
        }
    }
    if let Some(h) = high {
        out.push(hex_byte(h, b'0'));
    }
}

/// A literal string's bytes inside its outer parentheses: each end of line (CR, LF or both)
/// is a LF, and a backslash escapes: up to three octal digits (a byte, overflow ignored), an
/// end of line (nothing), `n r t b f`, or any other byte (itself).
pub(super) fn literal(raw: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\\' if i + 1 < raw.len() => i = escape(raw, i + 1, out),
            b'\r' => {
                out.push(b'\n');
                i += if raw.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
}

/// The escape after a backslash at `i`; where the string goes on.
fn escape(raw: &[u8], i: usize, out: &mut Vec<u8>) -> usize {
    let octal = raw[i..]
        .iter()
        .take(3)
        .take_while(|c| (b'0'..=b'7').contains(c))
        .count();
    if octal > 0 {
        let v = raw[i..i + octal]
            .iter()
            .fold(0u16, |v, &c| v * 8 + u16::from(c - b'0'));
        out.push(v as u8);
        return i + octal;
    }
    match raw[i] {
        b'\r' if raw.get(i + 1) == Some(&b'\n') => return i + 2,
        b'\r' | b'\n' => {}
        b'n' => out.push(b'\n'),
        b'r' => out.push(b'\r'),
        b't' => out.push(b'\t'),
        b'b' => out.push(b'\x08'),
        b'f' => out.push(b'\x0c'),
        c => out.push(c),
    }
    i + 1
}

/// The powers of ten that are exact in an f64.
const POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A real's value, `text` being its sign and digits around a point (minus signs among the
/// fraction's digits, which some producers write, ignored as lopdf, pdf.js and poppler do):
/// the f32 nearest the decimal, as `f32::from_str` gives it.
pub(super) fn real(text: &[u8], signed: usize) -> Option<f32> {
    if let Some(v) = exact_real(&text[signed..]) {
        return Some(if text[0] == b'-' { -v } else { v });
    }
    if !text[1..].contains(&b'-') {
        return std::str::from_utf8(text).ok()?.parse().ok();
    }
    let kept: Vec<u8> = text[..1]
        .iter()
        .chain(text[1..].iter().filter(|&&c| c != b'-'))
        .copied()
        .collect();
    std::str::from_utf8(&kept).ok()?.parse().ok()
}

/// The fast path of [`real`], for up to 15 digits and 22 decimals: the digits as an integer
/// and the power of ten are exact in an f64, so their quotient is the decimal rounded once to
/// an f64; rounded again to an f32 it is the decimal rounded once to an f32, unless the f64
/// fell exactly halfway between two f32s (then, and for values outside the f32's normal
/// range, `None`: parse the text).
fn exact_real(body: &[u8]) -> Option<f32> {
    let point = body.iter().position(|&c| c == b'.')?;
    let decimals = body[point + 1..]
        .iter()
        .filter(|c| c.is_ascii_digit())
        .count();
    let digits = body.iter().filter(|c| c.is_ascii_digit());
    if decimals >= POWERS.len() || digits.clone().count() > 15 {
        return None;
    }
    let m = digits.fold(0u64, |m, &c| m * 10 + u64::from(c - b'0'));
    let q = m as f64 / POWERS[decimals];
    let halfway = q.to_bits() & ((1 << 29) - 1) == 1 << 28;
    let normal = q == 0.0 || (f64::from(f32::MIN_POSITIVE)..f64::from(f32::MAX)).contains(&q);
    (normal && !halfway).then_some(q as f32)
}

/// An integer's value, if it fits 64 bits.
fn integer(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.len() > 18 {
        return std::str::from_utf8(text).ok()?.parse().ok();
    }
    let v = digits
        .iter()
        .fold(0i64, |v, &c| v * 10 + i64::from(c - b'0'));
    Some(if negative { -v } else { v })
}

pub(super) fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0 | b'\x0c')
}

fn is_regular(c: u8) -> bool {
    !is_white(c) && !b"()<>[]{}/%".contains(&c)
}

/// A name's length after its `/`: regular bytes, `#` only with two hexadecimal digits.
pub(super) fn name_len(rest: &[u8]) -> usize {
    let mut i = 0;
    while i < rest.len() && is_regular(rest[i]) {
        if rest[i] == b'#' {
            if !rest
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            {
                break;
            }
            i += 2;
        }
        i += 1;
    }
    i
}

pub(super) fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        // Every `#` of a name's bytes has two hexadecimal digits after it ([`name_len`]).
        if raw[i] == b'#' && i + 2 < raw.len() {
            out.push(hex_byte(raw[i + 1], raw[i + 2]));
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

/// `n g R`, an indirect reference (inside arrays and dictionaries): its length.
pub(super) fn reference(rest: &[u8]) -> Option<usize> {
    let digits = |from: usize| {
        rest[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let spaces = |from: usize| rest[from..].iter().take_while(|&&c| is_white(c)).count();
    let a = digits(0);
    let s1 = spaces(a);
    let b = digits(a + s1);
    let s2 = spaces(a + s1 + b);
    let at = a + s1 + b + s2;
    (s1 > 0 && b > 0 && rest.get(at) == Some(&b'R')).then_some(at + 1)
}

/// A number at the start of `rest` and its length, as lopdf reads one: a sign, then digits
/// with a point (a real, where minus signs among the fraction's digits are ignored) or
/// without (an integer, which must fit 64 bits).
pub(super) fn number(rest: &[u8]) -> Option<(Operand<'static>, usize)> {
    let signed = matches!(rest[0], b'+' | b'-') as usize;
    let whole = digits(&rest[signed..]);
    let point = rest.get(signed + whole) == Some(&b'.');
    if !point {
        if whole == 0 {
            return None;
        }
        let v = integer(&rest[..signed + whole])?;
        return Some((Operand::Number(v as f32), signed + whole));
    }
    let tail = rest[signed + whole + 1..]
        .iter()
        .take_while(|&&c| c == b'-' || c.is_ascii_digit())
        .count();
    let len = signed + whole + 1 + tail;
    let fraction = &rest[signed + whole + 1..len];
    if whole == 0 && !fraction.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some((Operand::Number(real(&rest[..len], signed)?), len))
}

fn digits(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// The length of the literal string opening `rest`, parentheses and all; `None` if it does
/// not close, or nests too deep.
pub(super) fn literal_len(rest: &[u8]) -> Option<usize> {
    let mut depth = 0;
    let mut i = 0;
    while i < rest.len() {
        match rest[i] {
            b'\\' if i + 1 < rest.len() => i += 1,
            b'\\' => return None,
            b'(' => {
                depth += 1;
                if depth > MAX_PARENS + 1 {
                    return None;
                }
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The length of the hexadecimal string opening `rest`: digits and white space, then `>`.
pub(super) fn hex_len(rest: &[u8]) -> Option<usize> {
    let inner = rest[1..]
        .iter()
        .take_while(|&&c| c.is_ascii_hexdigit() || is_white(c))
        .count();
    (rest.get(1 + inner) == Some(&b'>')).then_some(inner + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_are_the_f32_their_text_parses_to() {
        let mut texts = vec![
            "0.1",
            "-0.1",
            "5.",
            ".5",
            "+.5",
            "-.25",
            "123.4567",
            "0.0000001",
            "9999999.",
            "0.1234567",
            "9.3247528",
            "-.23999999",
            "14.6599998",
            "0.0000000000000000000001",
            // Halfway between two f32s (2^24 + 1, + 3), and just past it.
            "16777217.",
            "16777219.0",
            "-16777217.0",
            "16777217.0000001",
        ];
        let mut state = 1u64;
        let random: Vec<String> = (0..20_000)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let digits = format!("{}", state >> 4);
                let cut = (state >> 60) as usize % digits.len().min(16);
                format!("{}.{}", &digits[..cut], &digits[cut..digits.len().min(17)])
            })
            .collect();
        texts.extend(random.iter().map(String::as_str).filter(|t| t.len() > 1));
        for text in texts {
            let signed = matches!(text.as_bytes()[0], b'+' | b'-') as usize;
            let parsed: f32 = text.parse().unwrap();
            assert_eq!(
                real(text.as_bytes(), signed).map(f32::to_bits),
                Some(parsed.to_bits()),
                "{text}"
            );
        }
        assert_eq!(real(b"0.00-4142502", 0), Some(0.004_142_502));
        assert_eq!(real(b"-1.-5", 1), Some(-1.5));
        assert_eq!(real(b"123456789.123", 0), Some(123_456_789.123));
    }

    #[test]
    fn strings_decode_as_lopdf_decodes_them() {
        let mut out = Vec::new();
        literal(
            b"a\\(b\\)\\\\ \\101\\0601\\n\\\r\nc\r\nd\re\\q (x)",
            &mut out,
        );
        assert_eq!(out, b"a(b)\\ A01\nc\nd\neq (x)".to_vec());
        out.clear();
        hex(b"48 65\n6c6C6", &mut out);
        assert_eq!(out, b"Hell`".to_vec());
    }
}
