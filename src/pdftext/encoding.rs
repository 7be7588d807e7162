//! What each of a simple (one-byte) font's 256 codes reads as when its ToUnicode map does not
//! say: the font's `/Encoding`, its `/Differences` (glyph names, read through the Adobe Glyph
//! List) over a base encoding. The base is the one `/Encoding` or `/BaseEncoding` names
//! (WinAnsi, MacRoman, ...); where none is named, the font program's own built-in encoding
//! when the font embeds one (as the PDF Reference has it for an embedded font), else Standard.
//! Each is a fallback of the one before: [`super::font`] asks the ToUnicode map first.

use lopdf::{Dictionary, Document, Encoding, Object};

use super::cff::Names;
use super::glyphnames;

/// Whether reading `font`'s codes may need its font program's built-in encoding: a simple font
/// with no ToUnicode map whose `/Encoding` names no base. Only then is the program decoded.
pub(super) fn needs_builtin(doc: &Document, font: &Dictionary) -> bool {
    let simple = font.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0");
    let named_base = match font.get_deref(b"Encoding", doc) {
        Ok(Object::Name(_)) => true,
        Ok(Object::Dictionary(d)) => d.has(b"BaseEncoding"),
        _ => false,
    };
    simple && !named_base && !font.has(b"ToUnicode")
}

/// The text of each code of the simple font `font`, its program's built-in encoding being
/// `builtin` (if it was read).
pub(super) fn table(doc: &Document, font: &Dictionary, builtin: Option<Names>) -> Vec<String> {
    let encoding = font.get_deref(b"Encoding", doc).ok();
    let dict = encoding.and_then(|e| e.as_dict().ok());
    let base_name = match encoding {
        Some(Object::Name(name)) => Some(name.as_slice()),
        _ => dict.and_then(|d| d.get(b"BaseEncoding").and_then(Object::as_name).ok()),
    };
    let mut codes = match (base_name, builtin) {
        (Some(name), _) => named(doc, name),
        (None, Some(names)) => names
            .iter()
            .map(|n| n.as_deref().and_then(glyphnames::text).unwrap_or_default())
            .collect(),
        (None, None) => named(doc, b"StandardEncoding"),
    };
    codes.resize(256, String::new());
    if let Some(differences) = dict.and_then(|d| d.get_deref(b"Differences", doc).ok()) {
        apply_differences(doc, differences, &mut codes);
    }
    codes
}

/// `/Differences`: a code, then the glyph names of it and the codes after it, and so on. A name
/// the glyph list cannot read leaves its code as the base encoding reads it.
fn apply_differences(doc: &Document, differences: &Object, codes: &mut [String]) {
    let Ok(items) = differences.as_array() else {
        return;
    };
    let mut code: Option<usize> = None;
    for item in items {
        match doc.dereference(item).map(|(_, o)| o) {
            Ok(Object::Integer(n)) => code = usize::try_from(*n).ok().filter(|&c| c < 256),
            Ok(Object::Name(name)) => {
                let Some(c) = code else { continue };
                if let Some(text) = std::str::from_utf8(name).ok().and_then(glyphnames::text) {
                    codes[c] = text;
                }
                code = Some(c + 1).filter(|&c| c < 256);
            }
            _ => code = None,
        }
    }
}

/// The encoding named `name`, as lopdf's tables give it (Standard for a name it does not know).
fn named(doc: &Document, name: &[u8]) -> Vec<String> {
    let mut bare = Dictionary::new();
    bare.set("Type", Object::Name(b"Font".to_vec()));
    bare.set("Encoding", Object::Name(name.to_vec()));
    match bare.get_font_encoding(doc) {
        Ok(encoding @ Encoding::OneByteEncoding(_)) => (0..=255u8)
            .map(|c| encoding.bytes_to_string(&[c]).unwrap_or_default())
            .collect(),
        _ if name != b"StandardEncoding" => named(doc, b"StandardEncoding"),
        _ => vec![String::new(); 256],
    }
}

#[cfg(test)]
mod tests {
    use lopdf::{Dictionary, Document, Object, dictionary};

    use super::table;

    fn builtin() -> Option<super::Names> {
        let mut names = vec![None; 256];
        names[65] = Some("alpha".to_string());
        names[66] = Some("B".to_string());
        names[67] = Some("C".to_string());
        Some(names)
    }

    fn font(encoding: Option<Object>) -> Dictionary {
        let mut font = dictionary! { "Type" => "Font", "Subtype" => "Type1" };
        if let Some(e) = encoding {
            font.set("Encoding", e);
        }
        font
    }

    #[test]
    fn differences_then_the_builtin_encoding_then_standard() {
        let doc = Document::new();
        let differences = Object::Dictionary(dictionary! {
            "Differences" => vec![66.into(), "epsilon1".into(), "g17".into()],
        });
        let codes = table(&doc, &font(Some(differences)), builtin());
        assert_eq!(codes[65], "α", "the font program's own encoding");
        assert_eq!(codes[66], "\u{3f5}", "Differences over it");
        assert_eq!(codes[67], "C", "a name no list knows leaves the base's");
        let none = table(&doc, &font(None), None);
        assert_eq!((none[65].as_str(), none[0xae].as_str()), ("A", "\u{fb01}"));
    }

    #[test]
    fn a_named_base_encoding_outranks_the_builtin_one() {
        let doc = Document::new();
        let win = table(&doc, &font(Some("WinAnsiEncoding".into())), builtin());
        assert_eq!((win[65].as_str(), win[0xe9].as_str()), ("A", "é"));
        let base = Object::Dictionary(dictionary! { "BaseEncoding" => "MacRomanEncoding" });
        assert_eq!(table(&doc, &font(Some(base)), builtin())[0x8e], "é");
    }
}
