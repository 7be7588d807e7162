//! Glyph names to text, by the Adobe Glyph List's rules: a name is cut at its first period
//! (`a.sc` is `a`), its parts between underscores are read one by one (`f_f_i` is `ffi`), and
//! each part is a name the list gives (`ecircumflex`), `uniXXXX` (one or more four-digit
//! code points) or `uXXXX` to `uXXXXXX` (one code point). The list itself, `glyphlist.txt`, is
//! Adobe's data as published. A simple font's `/Differences` and the built-in encoding of its
//! font program both name glyphs this way, so their codes read as text through here.
//!
//! TeX's fonts (Computer Modern, the AMS fonts) name some glyphs the list does not know, or
//! knows only as private-use code points; [`TEX`] gives those, and is read first.

use std::sync::OnceLock;

/// Names Knuth's and the AMS's fonts use that the Adobe Glyph List does not give, or gives as
/// private-use code points no reader could show, with the characters they draw.
const TEX: &[(&str, &str)] = &[
    ("angbracketleft", "\u{27e8}"),
    ("angbracketright", "\u{27e9}"),
    ("arrowhookleft", "\u{21a9}"),
    ("arrowhookright", "\u{21aa}"),
    ("arrowleftbothalf", "\u{21bd}"),
    ("arrowlefttophalf", "\u{21bc}"),
    ("arrownortheast", "\u{2197}"),
    ("arrownorthwest", "\u{2196}"),
    ("arrowrightbothalf", "\u{21c1}"),
    ("arrowrighttophalf", "\u{21c0}"),
    ("arrowsoutheast", "\u{2198}"),
    ("arrowsouthwest", "\u{2199}"),
    ("bardbl", "\u{2016}"),
    ("ceilingleft", "\u{2308}"),
    ("ceilingright", "\u{2309}"),
    ("circledivide", "\u{2298}"),
    ("circledot", "\u{2299}"),
    ("coproduct", "\u{2210}"),
    ("diamondmath", "\u{22c4}"),
    ("dotlessj", "\u{237}"),
    ("epsilon1", "\u{3f5}"),
    ("equivasymptotic", "\u{224d}"),
    ("flat", "\u{266d}"),
    ("floorleft", "\u{230a}"),
    ("floorright", "\u{230b}"),
    ("follows", "\u{227b}"),
    ("followsequal", "\u{2ab0}"),
    ("greatermuch", "\u{226b}"),
    ("intersectionsq", "\u{2293}"),
    ("latticetop", "\u{22a4}"),
    ("lessmuch", "\u{226a}"),
    ("lscript", "\u{2113}"),
    ("mapsto", "\u{21a6}"),
    ("minusplus", "\u{2213}"),
    ("natural", "\u{266e}"),
    ("negationslash", "\u{338}"),
    ("owner", "\u{220b}"),
    ("pi1", "\u{3d6}"),
    ("precedes", "\u{227a}"),
    ("precedesequal", "\u{2aaf}"),
    ("prime", "\u{2032}"),
    ("rho1", "\u{3f1}"),
    ("sharp", "\u{266f}"),
    ("similarequal", "\u{2243}"),
    ("star", "\u{22c6}"),
    ("subsetsqequal", "\u{2291}"),
    ("supersetsqequal", "\u{2292}"),
    ("triangleinv", "\u{25bd}"),
    ("triangleleft", "\u{25c1}"),
    ("triangleright", "\u{25b7}"),
    ("turnstileleft", "\u{22a2}"),
    ("turnstileright", "\u{22a3}"),
    ("unionmulti", "\u{228e}"),
    ("unionsq", "\u{2294}"),
    ("visiblespace", "\u{2423}"),
    ("wreathproduct", "\u{2240}"),
    // Old-style figures are figures (the list gives them private-use code points).
    ("zerooldstyle", "0"),
    ("oneoldstyle", "1"),
    ("twooldstyle", "2"),
    ("threeoldstyle", "3"),
    ("fouroldstyle", "4"),
    ("fiveoldstyle", "5"),
    ("sixoldstyle", "6"),
    ("sevenoldstyle", "7"),
    ("eightoldstyle", "8"),
    ("nineoldstyle", "9"),
];

/// The text of the glyph `name`, or `None` where no part of it names a character.
pub(super) fn text(name: &str) -> Option<String> {
    let name = name.split('.').next().unwrap_or_default();
    let mut out = String::new();
    for part in name.split('_') {
        if let Some(s) = component(part) {
            out.push_str(&s);
        }
    }
    (!out.is_empty()).then_some(out)
}

fn component(name: &str) -> Option<String> {
    if let Some((_, s)) = TEX.iter().find(|(n, _)| *n == name) {
        return Some((*s).to_string());
    }
    if let Some(code_points) = listed(name) {
        return code_points
            .split(' ')
            .map(|h| scalar(h, 4, 4))
            .collect::<Option<String>>();
    }
    if let Some(hex) = name.strip_prefix("uni")
        && !hex.is_empty()
        && hex.len().is_multiple_of(4)
    {
        let chars = (0..hex.len())
            .step_by(4)
            .map(|i| scalar(&hex[i..i + 4], 4, 4));
        return chars.collect();
    }
    let hex = name.strip_prefix('u')?;
    scalar(hex, 4, 6).map(String::from)
}

/// `hex` as one Unicode scalar value, if it is `min` to `max` uppercase hexadecimal digits.
fn scalar(hex: &str, min: usize, max: usize) -> Option<char> {
    let ok = (min..=max).contains(&hex.len())
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
    if !ok {
        return None;
    }
    char::from_u32(u32::from_str_radix(hex, 16).ok()?)
}

/// The code points the Adobe Glyph List gives `name` (four hex digits each, space-separated).
fn listed(name: &str) -> Option<&'static str> {
    static LIST: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    let list = LIST.get_or_init(|| {
        include_str!("glyphlist.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(';'))
            .collect()
    });
    // The list is sorted by name, byte by byte.
    let at = list.binary_search_by(|(n, _)| n.cmp(&name)).ok()?;
    Some(list[at].1)
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn names_read_by_the_glyph_list_rules() {
        let t = |n: &str| text(n);
        assert_eq!(t("A").as_deref(), Some("A"));
        assert_eq!(t("ecircumflex").as_deref(), Some("ê"));
        assert_eq!(t("fi").as_deref(), Some("\u{fb01}"));
        assert_eq!(t("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(t("a.sc").as_deref(), Some("a"));
        assert_eq!(t("uni00410042").as_deref(), Some("AB"));
        assert_eq!(t("u1D400").as_deref(), Some("\u{1d400}"));
        assert_eq!(t("element").as_deref(), Some("∈"));
        assert_eq!(t("epsilon1").as_deref(), Some("\u{3f5}"));
        assert_eq!(t("minus").as_deref(), Some("−"));
        assert_eq!(t("sevenoldstyle").as_deref(), Some("7"));
        for none in [
            "", ".notdef", "g17", "uniD800", "uni004", "u12", "uni00e9", "a12",
        ] {
            assert_eq!(t(none), None, "{none}");
        }
    }
}
