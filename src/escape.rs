//! Escaping, shared by the stages that write HTML, SVG or XML by hand (heading tags, the horizon
//! diagram, the sitemap and the social card), and the string literals the templates put inside
//! `<script>` (JSON) and `<style>` (CSS); and the reverse, character references decoded, for the
//! stages that read finished HTML (verification, the search index).

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

/// A JSON string literal, safe inside a `<script type="application/ld+json">` block.
pub fn json_string(s: &str) -> String {
    quoted(s, |c, out| match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '<' | '>' | '&' | '\0'..='\u{1f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push(c),
    })
}

/// A CSS string literal, safe inside a `<style>` element (for running titles in `@page`).
pub fn css_string(s: &str) -> String {
    quoted(s, |c, out| match c {
        '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
        c if (c as u32) < 0x20 => out.push(' '),
        c => out.push(c),
    })
}

/// `s` between double quotes, each character written by `write`.
fn quoted(s: &str, write: impl Fn(char, &mut String)) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        write(c, &mut out);
    }
    out.push('"');
    out
}

/// Text with HTML's character references decoded (`&amp;`, `&#8220;`, `&ldquo;`...).
pub fn decode(s: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'&', s.as_bytes()).is_none() {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 10);
        let decoded = end.and_then(|e| reference(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

fn reference(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "para" => '¶',
        "sect" => '§',
        "copy" => '©',
        "middot" => '·',
        "times" => '×',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_cannot_close_their_element() {
        assert_eq!(
            json_string("a\"b\\</script>&\n\u{1}"),
            r#""a\"b\\\u003c/script\u003e\u0026\n\u0001""#
        );
        assert_eq!(css_string("a\"</style>\n"), r#""a\22 \3c /style\3e  ""#);
    }
}
