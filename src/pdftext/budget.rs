//! What one PDF source may cost to read. A PDF source is input a stranger may have written, and
//! a few bytes of PDF can ask for gigabytes or for hours: a stream that inflates a thousandfold
//! (twice over with two filters), a content stream of millions of operators, form XObjects that
//! each draw the next one twice, a font map over every four-byte code, a page tree that loops.
//! Each such cost is counted here against a limit for the whole document, so reading takes time
//! and memory linear in the pages and bounded overall; a PDF over a limit is refused with a
//! message naming it. docs/FORMAT.md ("Limits on PDF sources") lists them: keep the two in step.

use std::fmt;

use lopdf::{DecompressError, Error, Stream};

/// The most one stream, or one page's content streams together, may decode to (each filter
/// of a chain is held to it).
pub(super) const MAX_STREAM: usize = 32 << 20;
/// The most the forms and font maps, which are kept once read, may decode to in all.
pub(super) const MAX_KEPT: usize = 128 << 20;
/// The most all streams read may decode to in all (page contents are dropped once read, so
/// this bounds time, not memory: a 10,000-page report printed by Chromium decodes to 540 MB).
pub(super) const MAX_DECODED: usize = 2 << 30;
/// The most object streams may decode to while the file is loaded, in all.
pub(super) const MAX_LOADED: usize = 64 << 20;
/// Objects lopdf may make of the object streams while the file loads, in all (each token
/// counts, so an object is several).
pub(super) const MAX_OBJECTS: u64 = 2_000_000;
/// Operands of one operator (held all at once: 24 bytes each in `ops`, 120 where lopdf
/// reads a `BDC`'s properties).
pub(super) const MAX_OPERANDS: u64 = 100_000;
/// Operators drawn for one page, forms included each time they are drawn.
pub(super) const MAX_PAGE_OPS: u64 = 1_000_000;
/// Operators drawn for the whole document (Chromium draws about 4,400 a page).
pub(super) const MAX_OPS: u64 = 100_000_000;
/// Form XObjects drawn inside one another.
pub(super) const MAX_FORM_DEPTH: usize = 32;
/// Bytes of text read from the whole document.
pub(super) const MAX_TEXT: usize = 64 << 20;
/// Pages in the page tree.
pub(super) const MAX_PAGES: usize = 100_000;
/// Levels of the page tree.
pub(super) const MAX_TREE_DEPTH: usize = 64;
/// Character codes the fonts' ToUnicode maps cover, in all (a full two-byte map is 65,536).
pub(super) const MAX_CODES: u64 = 1_000_000;

/// A limit a PDF went over, or a structure that cannot end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Exceeded {
    Stream,
    Kept,
    Loaded,
    Objects,
    Operands,
    Decoded,
    PageOps,
    Ops,
    FormDepth,
    Text,
    Pages,
    TreeDepth,
    TreeLoop,
    Codes,
}

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            Exceeded::Stream => format!(
                "a stream, or a page's content, decompresses to more than {}",
                mib(MAX_STREAM)
            ),
            Exceeded::Kept => format!(
                "its forms and font maps decompress to more than {} in all",
                mib(MAX_KEPT)
            ),
            Exceeded::Loaded => format!(
                "its object streams decompress to more than {} in all",
                mib(MAX_LOADED)
            ),
            Exceeded::Objects => {
                format!("its object streams hold more than {MAX_OBJECTS} objects in all")
            }
            Exceeded::Operands => {
                format!("a content stream gives one operator more than {MAX_OPERANDS} operands")
            }
            Exceeded::Decoded => format!(
                "its streams decompress to more than {} in all",
                mib(MAX_DECODED)
            ),
            Exceeded::PageOps => format!("the page draws more than {MAX_PAGE_OPS} operators"),
            Exceeded::Ops => format!("the document draws more than {MAX_OPS} operators in all"),
            Exceeded::FormDepth => {
                format!("form XObjects are drawn more than {MAX_FORM_DEPTH} deep inside each other")
            }
            Exceeded::Text => format!("the document holds more than {} of text", mib(MAX_TEXT)),
            Exceeded::Pages => format!("the page tree lists more than {MAX_PAGES} pages"),
            Exceeded::TreeDepth => {
                format!("the page tree is more than {MAX_TREE_DEPTH} levels deep")
            }
            Exceeded::TreeLoop => "the page tree reaches one of its nodes twice (a loop)".into(),
            Exceeded::Codes => format!(
                "its fonts' ToUnicode maps cover more than {MAX_CODES} character codes in all"
            ),
        };
        write!(
            f,
            "{what}, over briefing's limit for a PDF source (see \"Limits on PDF sources\" in \
             docs/FORMAT.md)"
        )
    }
}

fn mib(bytes: usize) -> String {
    if bytes.is_multiple_of(1 << 30) {
        format!("{} GiB", bytes >> 30)
    } else {
        format!("{} MiB", bytes >> 20)
    }
}

/// Whether `e` is lopdf refusing to decode past the limit it was given.
pub(super) fn over_limit(e: &Error) -> bool {
    matches!(
        e,
        Error::Decompress(DecompressError::MemoryLimitExceeded { .. })
    )
}

/// What reading one document has cost so far.
#[derive(Debug, Default)]
pub(super) struct Budget {
    decoded: usize,
    kept: usize,
    ops: u64,
    page_ops: u64,
    text: usize,
    codes: u64,
}

impl Budget {
    pub(super) fn start_page(&mut self) {
        self.page_ops = 0;
    }

    /// The stream's content through its filters (lopdf's bounded decoder), charged to the
    /// document; `Ok(None)` where it does not decode for another reason. `page` is how much
    /// of the page's content is already decoded, or `None` for a stream that will be kept.
    pub(super) fn decode(
        &mut self,
        stream: &Stream,
        page: Option<usize>,
    ) -> Result<Option<Vec<u8>>, Exceeded> {
        let (room, over) = match page {
            Some(so_far) => (MAX_STREAM.saturating_sub(so_far), Exceeded::Stream),
            None if MAX_KEPT - self.kept < MAX_STREAM => (MAX_KEPT - self.kept, Exceeded::Kept),
            None => (MAX_STREAM, Exceeded::Stream),
        };
        let left = MAX_DECODED - self.decoded;
        let (limit, over) = if left < room {
            (left, Exceeded::Decoded)
        } else {
            (room, over)
        };
        match stream.decompressed_content_with_limit(limit) {
            Ok(bytes) => {
                self.decoded += bytes.len();
                if page.is_none() {
                    self.kept += bytes.len();
                }
                Ok(Some(bytes))
            }
            Err(e) if over_limit(&e) => Err(over),
            Err(_) => Ok(None),
        }
    }

    /// Decoded content, checked before it is walked: no operator may have more than
    /// [`MAX_OPERANDS`] operands.
    pub(super) fn content(&self, bytes: &[u8]) -> Result<(), Exceeded> {
        // A token takes at least a byte, so most streams need no count.
        if bytes.len() as u64 > MAX_OPERANDS
            && super::tokens::count(bytes).longest_run > MAX_OPERANDS
        {
            return Err(Exceeded::Operands);
        }
        Ok(())
    }

    /// Charge raw bytes read in place of a page's content stream that would not decode.
    pub(super) fn raw(&mut self, len: usize, so_far: usize) -> Result<(), Exceeded> {
        if so_far + len > MAX_STREAM {
            return Err(Exceeded::Stream);
        }
        self.decoded += len;
        if self.decoded > MAX_DECODED {
            return Err(Exceeded::Decoded);
        }
        Ok(())
    }

    /// Charge one operator drawn.
    pub(super) fn op(&mut self) -> Result<(), Exceeded> {
        self.ops += 1;
        self.page_ops += 1;
        if self.page_ops > MAX_PAGE_OPS {
            Err(Exceeded::PageOps)
        } else if self.ops > MAX_OPS {
            Err(Exceeded::Ops)
        } else {
            Ok(())
        }
    }

    /// Charge `len` bytes of text read.
    pub(super) fn text(&mut self, len: usize) -> Result<(), Exceeded> {
        self.text += len;
        if self.text > MAX_TEXT {
            Err(Exceeded::Text)
        } else {
            Ok(())
        }
    }

    /// Charge `n` character codes of a font's ToUnicode map.
    pub(super) fn codes(&mut self, n: u64) -> Result<(), Exceeded> {
        self.codes = self.codes.saturating_add(n);
        if self.codes > MAX_CODES {
            Err(Exceeded::Codes)
        } else {
            Ok(())
        }
    }
}

/// How many character codes the `bfrange` sections of a ToUnicode CMap cover. lopdf lists
/// every code of every range in a reverse map, so `<00000000> <FFFFFFFF>` alone would be four
/// billion entries; single `bfchar` entries cost no more than their own bytes.
pub(super) fn cmap_codes(cmap: &[u8]) -> u64 {
    let mut total: u64 = 0;
    let mut rest = cmap;
    while let Some(start) = find(rest, b"beginbfrange") {
        rest = &rest[start + b"beginbfrange".len()..];
        let end = find(rest, b"endbfrange").unwrap_or(rest.len());
        total = total.saturating_add(ranges(&rest[..end]));
        rest = &rest[end..];
    }
    total
}

/// The codes covered by one section's `<lo> <hi> target` entries.
fn ranges(section: &[u8]) -> u64 {
    let mut total: u64 = 0;
    let mut ends: Vec<u64> = Vec::with_capacity(2);
    let mut i = 0;
    while i < section.len() {
        match section[i] {
            b'[' => {
                // An array target: skip it whole.
                i += section[i..]
                    .iter()
                    .position(|&b| b == b']')
                    .unwrap_or(section.len() - i);
                ends.clear();
            }
            b'<' => {
                let len = section[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .unwrap_or(section.len() - i);
                let hex = &section[i + 1..i + len];
                if ends.len() == 2 {
                    ends.clear();
                } else {
                    ends.push(hex_value(hex));
                    if let [lo, hi] = ends[..] {
                        total = total.saturating_add(hi.saturating_sub(lo).saturating_add(1));
                    }
                }
                i += len;
            }
            _ => {}
        }
        i += 1;
    }
    total
}

/// A hex code's value; one too long for 64 bits counts as the largest.
fn hex_value(hex: &[u8]) -> u64 {
    let digits: Vec<u8> = hex.iter().copied().filter(u8::is_ascii_hexdigit).collect();
    if digits.len() > 16 {
        return u64::MAX;
    }
    digits.iter().fold(0, |v, &d| {
        (v << 4) | u64::from((d as char).to_digit(16).unwrap_or(0))
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cmap_counts_the_codes_its_ranges_cover() {
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            2 beginbfrange\n<0000> <00FF> <0020>\n<0100> <0101> [<0041> <0042>]\nendbfrange\n\
            1 beginbfchar <0005> <0041> endbfchar\n\
            1 beginbfrange <00000000> <FFFFFFFF> <0000> endbfrange";
        assert_eq!(cmap_codes(cmap), 256 + 2 + (1 << 32));
        assert_eq!(cmap_codes(b"1 beginbfchar <01> <0041> endbfchar"), 0);
    }

    #[test]
    fn operators_are_limited_per_page_and_per_document() {
        let mut b = Budget::default();
        assert_eq!(
            (0..=MAX_PAGE_OPS).try_for_each(|_| b.op()),
            Err(Exceeded::PageOps)
        );
        // A document that has drawn all but ten: a new page may draw ten more.
        let mut b = Budget {
            ops: MAX_OPS - 10,
            ..Budget::default()
        };
        b.start_page();
        assert_eq!((0..10).try_for_each(|_| b.op()), Ok(()));
        assert_eq!(b.op(), Err(Exceeded::Ops));
    }

    #[test]
    fn streams_read_are_limited_in_all() {
        let mut stream = Stream::new(lopdf::Dictionary::new(), vec![b' '; 30 << 20]);
        stream.compress().unwrap();
        // A document that has read all but 40 MiB: one more page of 30 MiB, not two.
        let mut b = Budget {
            decoded: MAX_DECODED - (40 << 20),
            ..Budget::default()
        };
        assert_eq!(
            b.decode(&stream, Some(0)).map(|d| d.map(|d| d.len())),
            Ok(Some(30 << 20))
        );
        assert_eq!(b.decode(&stream, Some(0)), Err(Exceeded::Decoded));
        // What is kept has its own limit, below that.
        let mut b = Budget::default();
        for _ in 0..MAX_KEPT / (30 << 20) {
            assert!(b.decode(&stream, None).unwrap().is_some());
        }
        assert_eq!(b.decode(&stream, None), Err(Exceeded::Kept));
        assert!(
            b.decode(&stream, Some(0)).unwrap().is_some(),
            "a page's content is not kept"
        );
    }

    #[test]
    fn each_limit_is_named_with_its_value() {
        let m = Exceeded::PageOps.to_string();
        assert!(
            m.contains("1000000 operators") && m.contains("docs/FORMAT.md"),
            "{m}"
        );
        assert!(Exceeded::Stream.to_string().contains("32 MiB"));
    }
}
