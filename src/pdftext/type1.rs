//! The built-in encoding of a Type 1 font program (a `/FontFile`): its clear-text part, before
//! `eexec`, defines `/Encoding` either as `StandardEncoding` or as an array filled glyph by
//! glyph (`dup 65 /A put`), ended by `def`. pdfTeX embeds TeX's maths fonts this way, with
//! neither a ToUnicode map nor an `/Encoding` in the PDF.
//!
//! The program is untrusted bytes: only its clear text is read, token by token, once.

use super::cff::{Names, standard_encoding};

/// The built-in encoding of the Type 1 program `data` (`clear` is its `/Length1`, the length
/// of the clear text, when the PDF gives it), or `None` where it defines none.
pub(super) fn encoding(data: &[u8], clear: Option<usize>) -> Option<Names> {
    let mut clear = &data[..clear.unwrap_or(data.len()).min(data.len())];
    if let Some(eexec) = find(clear, b"eexec") {
        clear = &clear[..eexec];
    }
    let start = find(clear, b"/Encoding")? + b"/Encoding".len();
    let mut tokens = Tokens {
        rest: &clear[start..],
    };
    let mut names: Names = vec![None; 256];
    let mut first = true;
    while let Some(token) = tokens.next() {
        match token {
            b"StandardEncoding" if first => return Some(standard_encoding()),
            b"def" => break,
            b"dup" => {
                let (Some(code), Some(name), Some(b"put")) =
                    (tokens.next(), tokens.next(), tokens.next())
                else {
                    break;
                };
                let code = std::str::from_utf8(code).ok().and_then(|c| c.parse().ok());
                if let (Some(code @ 0..=255), Some(name)) = (code, name.strip_prefix(b"/")) {
                    names[code as usize] = Some(String::from_utf8_lossy(name).into_owned());
                }
            }
            _ => {}
        }
        first = false;
    }
    Some(names)
}

/// PostScript tokens of the clear text, roughly: runs of regular characters, a name starting
/// at its `/`, each delimiter on its own.
struct Tokens<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let start = self.rest.iter().position(|b| !b.is_ascii_whitespace())?;
        let rest = &self.rest[start..];
        let delimiter = |b: &u8| b.is_ascii_whitespace() || b"/{}[]()<>%".contains(b);
        let len = if b"{}[]".contains(&rest[0]) {
            1
        } else {
            1 + rest[1..]
                .iter()
                .position(delimiter)
                .unwrap_or(rest.len() - 1)
        };
        self.rest = &rest[len..];
        Some(&rest[..len])
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
