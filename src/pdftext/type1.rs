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

#[cfg(test)]
mod tests {
    use super::encoding;

    const CLEAR: &[u8] = b"%!PS-AdobeFont-1.0: CMMI10\n/FontName /CMMI10 def\n\
        /Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
        dup 11 /alpha put\ndup 65/A put\nreadonly def\ncurrentfile eexec\n\x8a\x01dup 66 /B put";

    #[test]
    fn the_clear_text_encoding_array_names_the_codes() {
        let names = encoding(CLEAR, None).expect("an encoding");
        assert_eq!(names[11].as_deref(), Some("alpha"));
        assert_eq!(names[65].as_deref(), Some("A"));
        assert_eq!(names[66], None, "nothing after eexec is read");
        let standard = encoding(b"/Encoding StandardEncoding def", None).unwrap();
        assert_eq!(standard[0xae].as_deref(), Some("fi"));
        assert_eq!(encoding(b"/FontName /X def", None), None);
    }

    #[test]
    fn truncated_and_garbage_programs_never_panic() {
        for n in 0..CLEAR.len() {
            let _ = encoding(&CLEAR[..n], None);
            let _ = encoding(CLEAR, Some(n));
        }
        let _ = encoding(CLEAR, Some(usize::MAX));
        for garbage in [
            &b"/Encoding dup dup dup"[..],
            b"/Encoding dup 999 /x put dup -1 /y put dup 5 z put dup",
            b"/Encoding /",
            &[0xff; 40],
        ] {
            let _ = encoding(garbage, None);
        }
    }
}
