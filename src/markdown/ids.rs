//! Heading ids and the ids in raw HTML: a heading's plain text and its slug, and the `id`
//! attributes of raw HTML (the allocator that keeps a page's ids unique is `crate::ids`).

use pulldown_cmark::{CowStr, Event, HeadingLevel};
use rustc_hash::FxHashMap as HashMap;

use crate::escape::{escape_attr, push_escaped};
use crate::htmltags::{Finders, name_len};
use crate::ids::{HeadingId, Plan, plan};
use crate::model::Heading;

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

/// What the first pass gave out, to check against the plan for the whole page.
#[derive(Default)]
pub(super) struct Seen {
    /// Per heading: `None` for an explicit id, else the base its automatic id was made from
    /// when that is not the id itself (most headings need no copy).
    pub(super) headings: Vec<Option<Option<String>>>,
    /// Ids in raw HTML, in order.
    pub(super) raw: Vec<String>,
    /// Footnote labels in order of first appearance, with the id each got.
    pub(super) footnotes: Vec<(String, String)>,
    pub(super) by_label: HashMap<String, usize>,
    /// An HTML block being read: its text, and where each piece starts in it and in the body.
    pub(super) block: Option<(String, Vec<(usize, usize)>)>,
}

impl Seen {
    /// The plan for the page, if it gives any id other than the one the first pass gave.
    pub(super) fn replan(&self, toc: &[Heading]) -> Option<Plan> {
        let explicit = self.headings.iter().any(Option::is_none);
        if !explicit && self.raw.is_empty() && self.footnotes.is_empty() {
            return None; // automatic ids only: one pass is the plan
        }
        let headings: Vec<HeadingId> = self
            .headings
            .iter()
            .zip(toc)
            .map(|(seen, h)| match seen {
                None => HeadingId::Explicit(&h.id),
                Some(base) => HeadingId::Automatic(base.as_deref().unwrap_or(&h.id)),
            })
            .collect();
        let plan = plan(
            self.raw.iter().map(String::as_str),
            &headings,
            self.footnotes.iter().map(|(label, _)| label.as_str()),
        );
        let same = plan.headings.iter().zip(toc).all(|(id, h)| *id == h.id)
            && self
                .footnotes
                .iter()
                .all(|(label, id)| plan.footnotes.get(label) == Some(id));
        (!same).then_some(plan)
    }
}

/// The `id` attributes of the tags in a piece of raw HTML, with their positions in it. Comments
/// are skipped; values are decoded the way `check` reads them.
pub(super) fn html_ids(html: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    if memchr::memmem::find(html.as_bytes(), b"id").is_none() {
        return found;
    }
    let b = html.as_bytes();
    let find = Finders::default();
    let mut i = 0;
    while let Some(lt) = find.lt.find(&b[i..]) {
        i += lt + 1;
        if b[i..].starts_with(b"!--") {
            i = memchr::memmem::find(&b[i..], b"-->").map_or(b.len(), |end| i + end + 3);
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name = i + name_len(&b[i..]);
        (i, _) = find.attributes(b, name, |a| {
            if let Some(value) = a.value.filter(|_| a.name.eq_ignore_ascii_case(b"id")) {
                found.push((a.at, decoded(value)));
            }
        });
    }
    found
}

/// An id as `check` reads it: `&amp;`, `&quot;` and `&#39;` decoded.
fn decoded(value: &[u8]) -> String {
    let value = String::from_utf8_lossy(value);
    if value.contains('&') {
        value
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
    } else {
        value.into_owned()
    }
}

/// The opening and closing HTML of a heading with its id, classes and attributes, and its
/// anchor link.
pub(super) fn heading_tags(
    level: HeadingLevel,
    id: &str,
    classes: &[CowStr],
    attrs: &[(CowStr, Option<CowStr>)],
) -> (String, String) {
    let tag = match level {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    };
    let id_attr = escape_attr(id);
    let class_attr = if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", escape_attr(&classes.join(" ")))
    };
    let mut attrs_html = String::new();
    for (name, value) in attrs {
        // As pulldown-cmark writes them: a valueless attribute gets an empty value.
        attrs_html.push(' ');
        push_escaped(&mut attrs_html, name);
        attrs_html.push_str("=\"");
        push_escaped(&mut attrs_html, value.as_deref().unwrap_or_default());
        attrs_html.push('"');
    }
    // Each string is allocated at its exact length: pulldown-cmark boxes it as it is.
    let open = [
        "<",
        tag,
        " id=\"",
        &id_attr,
        "\"",
        &class_attr,
        &attrs_html,
        ">",
    ]
    .concat();
    let close = [
        " <a class=\"anchor\" href=\"#",
        &id_attr,
        "\" aria-hidden=\"true\" tabindex=\"-1\">#</a></",
        tag,
        ">\n",
    ]
    .concat();
    (open, close)
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

    #[test]
    fn ids_in_raw_html_are_found_as_a_browser_reads_them() {
        let html = r#"<div class="x" id="one"><span ID='two' data-id="no">t</span>
<!-- <p id="commented"> --><img src=a.png id=three /> id="text"<a
  title="a > b" id = "four&amp;five">"#;
        let ids: Vec<String> = html_ids(html).into_iter().map(|(_, id)| id).collect();
        assert_eq!(ids, ["one", "two", "three", "four&five"]);
        let (at, _) = html_ids(html)[0];
        assert_eq!(&html[at..at + 2], "id");
        assert!(html_ids("<p>no ids here, though it says id</p>").is_empty());
        // Unquoted, a value runs to white space or `>`, as in a browser.
        assert_eq!(html_ids("<img id=a/b/>")[0].1, "a/b/");
    }
}
