//! HTML escaping for attribute values and text, shared by the stages that write HTML, SVG or
//! XML by hand (heading tags, the horizon diagram, the sitemap and the social card).

/// Escape text for an HTML attribute value.
pub fn escape_attr(s: &str) -> std::borrow::Cow<'_, str> {
    if !needs_escaping(s) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 16);
    escape_into(&mut out, s);
    out.into()
}

fn needs_escaping(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b'&' | b'"' | b'<' | b'>'))
}

/// Append `s` to `out`, escaped for an HTML attribute value or text, copying the runs between
/// special characters whole.
pub fn push_escaped(out: &mut String, s: &str) {
    // Ids and most attribute values have nothing to escape: one scan, one copy.
    if needs_escaping(s) {
        escape_into(out, s);
    } else {
        out.push_str(s);
    }
}

/// [`push_escaped`] for text known to hold something to escape.
fn escape_into(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(escaped);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}
