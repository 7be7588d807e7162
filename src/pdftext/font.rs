//! A font as text extraction needs it: what each character code reads as, and how far it
//! moves the pen (its width), so that where each glyph starts and ends on the page is known
//! and a word space can be told from kerning by the gap between glyphs, as `pdftotext` does.
//!
//! The text of a code comes from the font's ToUnicode map when it has one (it is the
//! producer's own statement of what each glyph means, and outranks `/Encoding`, as in poppler),
//! else, for a simple font, from its encoding ([`super::encoding`]: `/Differences` over a named
//! base or the font program's built-in encoding), for a composite one from lopdf's reading of
//! its CMap. Widths come from `/FirstChar` and `/Widths` for
//! a simple font, from the descendant's `/W` and `/DW` for a composite (Type0) one, whose codes
//! are two bytes.

use std::cell::RefCell;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Encoding, Object};
use rustc_hash::FxHashMap;

use super::cff::Names;

/// Width of a glyph the font does not give, in thousandths of an em: about an average
/// letter, so that missing widths neither glue words nor split them.
const MISSING_WIDTH: f32 = 500.0;
/// The most `/W` or `/Widths` entries read from one font (a CJK font lists about 20,000).
const MAX_WIDTHS: usize = 70_000;

/// One font's codes: their text and widths.
pub(super) struct Font<'a> {
    /// The ToUnicode map (a `UnicodeMapEncoding`), if the font has one that parses.
    map: Option<Encoding<'a>>,
    /// What codes the map does not give read as.
    base: Base<'a>,
    /// Composite font: codes are two bytes.
    two_byte: bool,
    widths: FxHashMap<u32, f32>,
    default_width: f32,
    /// Glyph space to text space (1/1000, or a Type3 font's `/FontMatrix`).
    scale: f32,
    /// Each code drawn so far, decoded once: its text and width. Only codes drawn are kept,
    /// and each one's text was charged to the text limit when first drawn.
    known: RefCell<FxHashMap<u32, (Rc<str>, f32)>>,
}

/// A font's codes read without its ToUnicode map.
enum Base<'a> {
    /// A simple font's 256 codes.
    Simple(Vec<String>),
    /// A composite font's CMap as lopdf reads it, if it is not a ToUnicode map.
    Composite(Option<Encoding<'a>>),
}

/// One character code of a string: its text, its width in text space (for a size of 1), and
/// whether it is the single-byte code 32, to which word spacing (`Tw`) applies.
pub(super) struct Glyph {
    pub(super) text: Rc<str>,
    pub(super) width: f32,
    pub(super) space: bool,
}

impl<'a> Font<'a> {
    /// Read `font` (its encoding as lopdf gives it, `encoding`; its font program's built-in
    /// encoding, `builtin`, if it was read).
    pub(super) fn new(
        doc: &'a Document,
        font: &'a Dictionary,
        encoding: Encoding<'a>,
        builtin: Option<Names>,
    ) -> Self {
        let two_byte = font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0");
        let (map, cmap) = match encoding {
            map @ Encoding::UnicodeMapEncoding(_) => (Some(map), None),
            other => (to_unicode(doc, font), Some(other)),
        };
        let base = if two_byte {
            Base::Composite(cmap)
        } else {
            Base::Simple(super::encoding::table(doc, font, builtin))
        };
        let mut f = Font {
            map,
            base,
            two_byte,
            widths: FxHashMap::default(),
            default_width: MISSING_WIDTH,
            scale: 0.001,
            known: RefCell::default(),
        };
        if two_byte {
            f.composite_widths(doc, font);
        } else {
            f.simple_widths(doc, font);
        }
        f
    }

    fn simple_widths(&mut self, doc: &Document, font: &Dictionary) {
        let first = font.get(b"FirstChar").and_then(Object::as_i64).unwrap_or(0);
        if let Ok(widths) = font.get_deref(b"Widths", doc).and_then(Object::as_array) {
            for (i, w) in widths.iter().take(MAX_WIDTHS).enumerate() {
                if let Ok(w) = number(doc, w) {
                    self.widths.insert((first + i as i64) as u32, w);
                }
            }
        }
        if let Ok(m) = font
            .get_deref(b"FontMatrix", doc)
            .and_then(Object::as_array)
            && let Some(Ok(a)) = m.first().map(|o| number(doc, o))
            && a.abs() > 0.0
        {
            self.scale = a.abs();
        }
    }

    /// `/W` lists `c [w1 w2 ...]` (widths from code c on) and `c1 c2 w` (one width for a range).
    fn composite_widths(&mut self, doc: &Document, font: &Dictionary) {
        let Some(cid) = font
            .get_deref(b"DescendantFonts", doc)
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| a.first())
            .and_then(|d| doc.dereference(d).ok()?.1.as_dict().ok())
        else {
            return;
        };
        if let Ok(dw) = cid.get(b"DW").and_then(|o| number(doc, o)) {
            self.default_width = dw;
        } else {
            self.default_width = 1000.0;
        }
        let Ok(w) = cid.get_deref(b"W", doc).and_then(Object::as_array) else {
            return;
        };
        let mut i = 0;
        while i + 1 < w.len() && self.widths.len() < MAX_WIDTHS {
            let Ok(start) = number(doc, &w[i]) else { break };
            let start = start as u32;
            match doc.dereference(&w[i + 1]).map(|(_, o)| o) {
                Ok(Object::Array(list)) => {
                    for (k, v) in list.iter().enumerate().take(MAX_WIDTHS) {
                        if let Ok(v) = number(doc, v) {
                            self.widths.insert(start + k as u32, v);
                        }
                    }
                    i += 2;
                }
                _ => {
                    let (Ok(end), Some(Ok(v))) =
                        (number(doc, &w[i + 1]), w.get(i + 2).map(|o| number(doc, o)))
                    else {
                        break;
                    };
                    let end = (end as u32).min(start.saturating_add(MAX_WIDTHS as u32));
                    for c in start..=end {
                        if self.widths.len() >= MAX_WIDTHS {
                            break;
                        }
                        self.widths.insert(c, v);
                    }
                    i += 3;
                }
            }
        }
    }

    /// The glyphs of the string `bytes`, each code with its text and width.
    pub(super) fn glyphs(&self, bytes: &[u8], mut each: impl FnMut(Glyph)) {
        let step = if self.two_byte { 2 } else { 1 };
        for code in bytes.chunks(step) {
            let n = code.iter().fold(0u32, |n, &b| n << 8 | b as u32);
            let (text, width) = self
                .known
                .borrow_mut()
                .entry(n)
                .or_insert_with(|| {
                    let width = self.widths.get(&n).copied().unwrap_or(self.default_width);
                    (self.text(n, code).into(), width * self.scale)
                })
                .clone();
            each(Glyph {
                text,
                width,
                space: step == 1 && n == 32,
            });
        }
    }
}

impl Font<'_> {
    /// The text of one code: the ToUnicode map's (for the code's length, or any other: maps of
    /// one-byte fonts often declare two-byte codes), else the encoding's.
    fn text(&self, n: u32, code: &[u8]) -> String {
        if let Some(Encoding::UnicodeMapEncoding(map)) = &self.map {
            let len = code.len() as u8;
            let found = std::iter::once(len)
                .chain((1..=4).filter(|&l| l != len))
                .find_map(|l| map.get(n, l))
                .filter(|units: &Vec<u16>| !units.contains(&0xfffd));
            if let Some(units) = found {
                return String::from_utf16_lossy(&units);
            }
        }
        match &self.base {
            Base::Simple(codes) => codes.get(n as usize).cloned().unwrap_or_default(),
            Base::Composite(Some(cmap)) => cmap.bytes_to_string(code).unwrap_or_default(),
            Base::Composite(None) => String::new(),
        }
    }
}

fn number(doc: &Document, o: &Object) -> Result<f32, lopdf::Error> {
    doc.dereference(o)?.1.as_float()
}

/// The font's ToUnicode map, read as lopdf reads a font that has no `/Encoding`.
fn to_unicode<'a>(doc: &Document, font: &Dictionary) -> Option<Encoding<'a>> {
    let map = font.get(b"ToUnicode").ok()?;
    let mut bare = Dictionary::new();
    bare.set("Type", Object::Name(b"Font".to_vec()));
    bare.set("ToUnicode", map.clone());
    match bare.get_font_encoding_with_limit(doc, super::budget::MAX_STREAM) {
        Ok(Encoding::UnicodeMapEncoding(map)) => Some(Encoding::UnicodeMapEncoding(map)),
        _ => None,
    }
}
