//! The values of the tokens of a content stream that need decoding, as lopdf decodes them:
//! literal and hexadecimal strings, and reals.

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

/// The powers of ten that are exact in an f32.
const POWERS: [f32; 11] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

/// A real's value, `text` being its sign and digits around a point (minus signs among the
/// fraction's digits, which some producers write, ignored as lopdf, pdf.js and poppler do).
/// Up to seven digits and ten decimals, the digits as an integer divided by a power of ten
/// is exact then rounded once, the same f32 as parsing the text; others are parsed.
pub(super) fn real(text: &[u8], signed: usize) -> Option<f32> {
    let body = &text[signed..];
    let point = body.iter().position(|&c| c == b'.')?;
    let decimals = body[point + 1..].iter().filter(|c| c.is_ascii_digit()).count();
    let digits = body.iter().filter(|c| c.is_ascii_digit());
    if decimals <= 10 && digits.clone().count() <= 7 {
        let m = digits.fold(0u32, |m, &c| m * 10 + u32::from(c - b'0'));
        let v = m as f32 / POWERS[decimals];
        return Some(if text[0] == b'-' { -v } else { v });
    }
    let kept: Vec<u8> = text[..1]
        .iter()
        .chain(text[1..].iter().filter(|&&c| c != b'-'))
        .copied()
        .collect();
    std::str::from_utf8(&kept).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_are_the_f32_their_text_parses_to() {
        for text in ["0.1", "-0.1", "5.", ".5", "+.5", "-.25", "123.4567", "0.0000001", "9999999.", "0.1234567"] {
            let signed = matches!(text.as_bytes()[0], b'+' | b'-') as usize;
            let parsed: f32 = text.parse().unwrap();
            assert_eq!(real(text.as_bytes(), signed).map(f32::to_bits), Some(parsed.to_bits()), "{text}");
        }
        assert_eq!(real(b"0.00-4142502", 0), Some(0.004_142_502));
        assert_eq!(real(b"-1.-5", 1), Some(-1.5));
        assert_eq!(real(b"123456789.123", 0), Some(123_456_789.123));
    }

    #[test]
    fn strings_decode_as_lopdf_decodes_them() {
        let mut out = Vec::new();
        literal(b"a\\(b\\)\\\\ \\101\\0601\\n\\\r\nc\r\nd\re\\q (x)", &mut out);
        assert_eq!(out, b"a(b)\\ A01\nc\nd\neq (x)".to_vec());
        out.clear();
        hex(b"48 65\n6c6C6", &mut out);
        assert_eq!(out, b"Hell`".to_vec());
    }
}
