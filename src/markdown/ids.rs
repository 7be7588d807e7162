//! Heading ids and the ids in raw HTML: a heading's plain text and its slug, and the `id`
//! attributes of raw HTML (the allocator that keeps a page's ids unique is `crate::ids`).

use pulldown_cmark::Event;

pub(super) fn plain_text<'e, 'a: 'e>(events: impl Iterator<Item = &'e Event<'a>>) -> String {
    let mut s = String::with_capacity(64);
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// A heading's id: lower-case letters and digits, other runs turned into single `-`.
pub fn slugify(text: &str) -> String {
    if text.is_ascii() {
        slugify_ascii(text)
    } else {
        slugify_chars(text)
    }
}

fn slugify_chars(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    // Whether the last thing pushed was a separator (or nothing yet).
    let mut after_dash = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
            after_dash = false;
        } else if !c.is_ascii() && c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
            after_dash = false;
        } else if !after_dash && c != '\'' && c != '’' {
            slug.push('-');
            after_dash = true;
        }
    }
    if slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
}

/// [`slugify`] for ASCII text (most headings), a byte at a time into a buffer that cannot
/// overflow: the slug is never longer than the text.
fn slugify_ascii(text: &str) -> String {
    let mut slug = vec![0u8; text.len()];
    let mut n = 0;
    let mut after_dash = true;
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() {
            slug[n] = b.to_ascii_lowercase();
            n += 1;
            after_dash = false;
        } else if !after_dash && b != b'\'' {
            slug[n] = b'-';
            n += 1;
            after_dash = true;
        }
    }
    if n > 0 && slug[n - 1] == b'-' {
        n -= 1;
    }
    if n == 0 {
        return "section".into();
    }
    slug.truncate(n);
    String::from_utf8(slug).expect("ASCII bytes")
}

/// The `id` attributes of the tags in a piece of raw HTML, with their positions in it. Comments
/// are skipped; values are decoded the way `check` reads them.
pub(super) fn html_ids(html: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    if memchr::memmem::find(html.as_bytes(), b"id").is_none() {
        return found;
    }
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]) {
        i += lt + 1;
        if b[i..].starts_with(b"!--") {
            i = memchr::memmem::find(&b[i..], b"-->").map_or(b.len(), |end| i + end + 3);
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        // The tag's name, then its attributes up to `>`.
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let name = i;
            while i < b.len() && !b"= \t\r\n>/".contains(&b[i]) {
                i += 1;
            }
            let is_id = html[name..i].eq_ignore_ascii_case("id");
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if b.get(i) != Some(&b'=') {
                continue;
            }
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (start, end) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e);
                    (i + 1, end)
                }
                _ => {
                    let mut end = i;
                    while end < b.len() && !b[end].is_ascii_whitespace() && b[end] != b'>' {
                        end += 1;
                    }
                    (i, end)
                }
            };
            if is_id {
                let value = &html[start..end];
                let value = if value.contains('&') {
                    value
                        .replace("&amp;", "&")
                        .replace("&quot;", "\"")
                        .replace("&#39;", "'")
                } else {
                    value.to_string()
                };
                found.push((name, value));
            }
            i = (end + 1).min(b.len());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_slugs_match_the_general_rule() {
        for text in [
            "Hello, World!",
            "  --lead and trail--  ",
            "It's 8 to 10 years",
            "a_b-c.d/e",
            "!!!",
            "",
            "MiXeD 123 CaSe",
            "x",
        ] {
            assert_eq!(slugify_ascii(text), slugify_chars(text), "{text:?}");
        }
        assert_eq!(slugify("!!!"), "section");
        assert_eq!(slugify("It's 8 to 10 years"), "its-8-to-10-years");
    }
}
