//! Refuse a source that is not the text it claims to be: a binary file (a PDF, an archive, an
//! image, anything with NUL bytes) named as text, and text that is damaged, so that a reader
//! would see garbage and a quote could only match the garbage. Damage is measured on the
//! paragraphs as read (what the source page shows), so it covers every kind of source:
//! - mojibake, UTF-8 that was read as Latin-1 or Windows-1252 and saved again (`Ã©` for `é`,
//!   `â€™` for `’`): the share of the text's non-ASCII characters that form such sequences;
//! - replacement characters (U+FFFD, where a converter met bytes it could not read) and control
//!   characters: their share of all the text's characters.
//!
//! The thresholds were measured (see docs/FORMAT.md, "Unsupported and damaged sources"): on every source in the
//! repository and on real web pages, the largest mojibake share is 0 and the largest share of
//! replacement and control characters is 0; a real page re-saved once through Latin-1 reaches
//! a mojibake share of 1.0 (every accented letter and curly quote is a sequence).

use crate::diag::Problem;
use crate::model::Document;

/// A text is damaged when at least this share of its non-ASCII characters is mojibake...
const MOJIBAKE_SHARE: f64 = 0.2;
/// ...and it holds at least this many such characters (one `â€™`, or two `Ã©`).
const MOJIBAKE_MIN: usize = 3;
/// Or when this share of its characters are replacement or control characters.
const BROKEN_SHARE: f64 = 0.01;
const BROKEN_MIN: usize = 3;

/// Refuse `bytes` that are not text, before they are read as text: what they are, and the
/// extension that would read them where there is one.
pub fn refuse_binary(bytes: &[u8], shown: &str) -> Result<(), Problem> {
    const KINDS: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF: name it `.pdf`"),
        (
            b"PK\x03\x04",
            "a ZIP archive (an Office document such as .xlsx or .docx, or an .epub)",
        ),
        (
            b"\xD0\xCF\x11\xE0",
            "an old Office document (.doc or .xls): save it as text, PDF or .xlsx",
        ),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"\xFF\xFE", "UTF-16 text: save it as UTF-8"),
        (b"\xFE\xFF", "UTF-16 text: save it as UTF-8"),
    ];
    let what = KINDS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, what)| what.to_string())
        .or_else(|| {
            let at = bytes.iter().position(|&b| b == 0)?;
            Some(format!("binary: it has a NUL byte at byte {at}"))
        });
    match what {
        Some(what) => Err(Problem::file(
            shown,
            format!("this file is not text but {what}; a source is read as its extension says"),
        )),
        None => Ok(()),
    }
}

/// What [`measure`] counts.
#[derive(Debug, Default, PartialEq)]
pub struct Damage {
    /// Characters that are not whitespace.
    pub chars: usize,
    /// Non-ASCII characters among them.
    pub non_ascii: usize,
    /// Characters in mojibake sequences.
    pub mojibake: usize,
    /// Replacement and control characters.
    pub broken: usize,
    /// The first damaged place: its paragraph's number and page, and the words around it.
    pub first: Option<(usize, Option<usize>, String)>,
}

impl Damage {
    /// Whether the text is over either threshold.
    pub fn is_damaged(&self) -> bool {
        let share = |n: usize, of: usize| n as f64 / of.max(1) as f64;
        (self.mojibake >= MOJIBAKE_MIN && share(self.mojibake, self.non_ascii) >= MOJIBAKE_SHARE)
            || (self.broken >= BROKEN_MIN && share(self.broken, self.chars) >= BROKEN_SHARE)
    }
}

/// Refuse a document whose text is damaged (see the module comment), naming the first place.
pub fn refuse_damaged(doc: &Document, shown: &str) -> Result<(), Problem> {
    let damage = measure(
        doc.paragraphs
            .iter()
            .map(|p| (p.n, p.page, p.text.as_str())),
    );
    if !damage.is_damaged() {
        return Ok(());
    }
    let (n, page, sample) = damage.first.clone().unwrap_or_default();
    let (what, share) = if damage.mojibake >= MOJIBAKE_MIN {
        (
            "mojibake (UTF-8 read as Latin-1 or Windows-1252, such as `Ã©` for `é` or `â€™` for `’`)",
            format!(
                "{} of its {} non-ASCII characters",
                damage.mojibake, damage.non_ascii
            ),
        )
    } else {
        (
            "replacement or control characters (bytes a converter could not read)",
            format!("{} of its {} characters", damage.broken, damage.chars),
        )
    };
    let at = match page {
        Some(page) => format!("page {page} ¶{n}"),
        None => format!("¶{n}"),
    };
    Err(Problem::file(
        shown,
        format!(
            "the text looks damaged: {share} are {what}, first in {at}: “{sample}”; save the source again from its original as UTF-8"
        ),
    ))
}

/// Count the damage in `paragraphs` (each with its number and page).
pub fn measure<'t>(paragraphs: impl Iterator<Item = (usize, Option<usize>, &'t str)>) -> Damage {
    let mut d = Damage::default();
    for (n, page, text) in paragraphs {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !c.is_whitespace() {
                d.chars += 1;
                d.non_ascii += usize::from(!c.is_ascii());
            }
            let bad = if c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()) {
                d.broken += 1;
                1
            } else {
                let len = mojibake_len(&chars[i..]);
                d.mojibake += len;
                // The sequence's other characters are counted as characters on the way.
                len.min(1)
            };
            if bad > 0 && d.first.is_none() {
                d.first = Some((n, page, around(&chars, i)));
            }
            i += 1;
        }
    }
    d
}

/// The length of the mojibake sequence starting `chars`, or 0: a UTF-8 lead byte read as a
/// Latin-1 letter (`Â`-`ô`) followed by as many continuation bytes read as Latin-1 or
/// Windows-1252 as the lead announces.
fn mojibake_len(chars: &[char]) -> usize {
    let lead = chars[0] as u32;
    let continuations = match lead {
        0xC2..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF4 => 3,
        _ => return 0,
    };
    let all =
        chars.len() > continuations && chars[1..=continuations].iter().all(|&c| continuation(c));
    if all { continuations + 1 } else { 0 }
}

/// A byte 0x80-0xBF as Latin-1 or Windows-1252 shows it.
fn continuation(c: char) -> bool {
    matches!(c as u32, 0x80..=0xBF) || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c)
}

/// The words around `chars[at]`, to show where the damage is.
fn around(chars: &[char], at: usize) -> String {
    let from = at.saturating_sub(20);
    let to = (at + 20).min(chars.len());
    let s: String = chars[from..to].iter().collect();
    crate::diag::inline(s.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Damage {
        measure(std::iter::once((1, None, text)))
    }

    #[test]
    fn mojibake_is_counted_and_real_accents_are_not() {
        let real = "Ça coûte 12 € — « déjà » Grüße, naïve, São Paulo, ½ · ©, 東京, Ärger über Öl";
        let d = of(real);
        assert_eq!((d.mojibake, d.broken), (0, 0), "{d:?}");
        assert!(!d.is_damaged());
        // The same text saved once through Windows-1252.
        let garbled: String = real
            .as_bytes()
            .iter()
            .map(|&b| encoding_rs::WINDOWS_1252.decode(&[b]).0.into_owned())
            .collect();
        let d = of(&garbled);
        assert!(d.is_damaged(), "{d:?}: {garbled}");
        assert!(d.mojibake * 10 >= d.non_ascii * 9, "{d:?}");
    }

    #[test]
    fn replacement_and_control_characters_are_counted() {
        assert!(
            of("Fine text \u{FFFD} with one bad character in a long line of words.").broken == 1
        );
        assert!(
            !of("Fine text \u{FFFD} with one bad character in a long line of words.").is_damaged()
        );
        assert!(of("\u{FFFD}\u{FFFD}\u{FFFD}\u{1}\u{2} x").is_damaged());
    }

    #[test]
    fn binary_files_are_named_for_what_they_are() {
        let err = refuse_binary(b"%PDF-1.7\n...", "a.txt").unwrap_err();
        assert!(
            err.message.contains("a PDF: name it `.pdf`"),
            "{}",
            err.message
        );
        let err = refuse_binary(b"abc\0def", "a.txt").unwrap_err();
        assert!(
            err.message.contains("NUL byte at byte 3"),
            "{}",
            err.message
        );
        assert!(refuse_binary("Plain ü text".as_bytes(), "a.txt").is_ok());
    }
}
