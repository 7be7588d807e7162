//! Heading ids: a heading's plain text, its slug, and the suffix that makes it unique on the
//! page.

use pulldown_cmark::Event;
use rustc_hash::FxHashSet as HashSet;

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

pub(super) fn unique_id(base: String, seen: &mut HashSet<String>) -> String {
    if seen.insert(base.clone()) {
        return base;
    }
    let mut n = 1;
    loop {
        let id = format!("{base}-{n}");
        if seen.insert(id.clone()) {
            return id;
        }
        n += 1;
    }
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
