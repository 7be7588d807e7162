//! Read a finished page for the search index in one pass over its bytes: the text of its
//! `<main>`, cut into sections where a heading or a paragraph has an `id` (a source's `#p3`, a
//! PDF's `#page-3-p2`), so each result links to the place it was found. What a reader does not
//! read as text is left out: scripts, styles, SVG figures, `aria-hidden` or `hidden` elements,
//! and an element's link to itself (a heading's `#`, a paragraph's `¶3`).
//!
//! It reads tags as HTML's tokenizer does (quoted, unquoted and bare attributes, comments,
//! raw-text elements) at the speed of memchr, as `verify::tags` does for links: a second full
//! parse of every page (lol_html) cost as much as the rest of a build. The pages it reads are
//! the build's own, which close what they open; an element left open only ends its part later.

use memchr::{memchr, memmem};

use crate::escape::decode;
use crate::htmltags::{Finders, name_len};

/// One part of a page as search finds it: the heading or paragraph it starts at.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Part {
    /// The element's id; empty for the text before the first (the page's top).
    pub id: String,
    /// The heading's text, or for a paragraph the heading above it.
    pub title: String,
    /// Its text as read, white space and all.
    pub text: String,
}

#[derive(Default)]
struct State {
    parts: Vec<Part>,
    /// The part text goes to, and the heading's part a paragraph's ends back in.
    at: usize,
    heading: usize,
    in_main: bool,
    in_heading: bool,
    in_link: usize,
}

/// Elements whose text ends a word: a space is put where they start and end (links too: a
/// card's title link is often followed by its description with no space between).
const BLOCKS: &[&[u8]] = &[
    b"a",
    b"p",
    b"div",
    b"li",
    b"dt",
    b"dd",
    b"td",
    b"th",
    b"tr",
    b"br",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"section",
    b"article",
    b"figure",
    b"figcaption",
    b"blockquote",
    b"pre",
    b"aside",
    b"header",
    b"footer",
    b"nav",
    b"table",
    b"ul",
    b"ol",
    b"dl",
    b"hr",
];

/// Elements whose content is not text a reader reads.
const SKIPPED: &[&[u8]] = &[b"svg", b"template", b"noscript", b"math"];
/// Elements whose content is raw text, ended only by their own end tag.
const RAW: &[&[u8]] = &[b"script", b"style", b"title", b"textarea"];
/// Elements that never have content.
const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
    b"source", b"track", b"wbr",
];

/// The attributes of a start tag that search needs.
#[derive(Default)]
struct Tag<'h> {
    name: Vec<u8>,
    id: Option<&'h [u8]>,
    href: Option<&'h [u8]>,
    hidden: bool,
    /// Written `<x/>`: an empty element in SVG and MathML.
    closed: bool,
}

/// The parts of one page, in order; parts with no text and no title are left out.
pub fn read(html: &[u8]) -> Vec<Part> {
    let mut s = State {
        parts: vec![Part::default()],
        ..State::default()
    };
    let mut i = 0;
    let find = Finders::default();
    while let Some(at) = find.lt.find(&html[i..]) {
        s.text(&html[i..i + at]);
        i += at + 1;
        let rest = &html[i..];
        match rest.first() {
            Some(b'!') if rest.starts_with(b"!--") => {
                i = memmem::find(&rest[3..], b"-->").map_or(html.len(), |e| i + 3 + e + 3);
            }
            Some(b'!' | b'?') => i = memchr(b'>', rest).map_or(html.len(), |e| i + e + 1),
            Some(b'/') if rest.get(1).is_some_and(u8::is_ascii_alphabetic) => {
                let len = name_len(&rest[1..]);
                s.close(&rest[1..1 + len].to_ascii_lowercase());
                i = memchr(b'>', rest).map_or(html.len(), |e| i + e + 1);
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let (tag, next) = start_tag(html, i, &find);
                i = s.open(&tag, html, next);
            }
            _ => s.text(b"<"),
        }
    }
    s.text(&html[i..]);
    let mut parts = s.parts;
    for part in &mut parts {
        part.title = part.title.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    parts.retain(|p| !p.title.is_empty() || !p.text.trim().is_empty());
    parts
}

/// Read the start tag whose name begins at `i`; returns it and the position after it.
fn start_tag<'h>(html: &'h [u8], i: usize, find: &Finders) -> (Tag<'h>, usize) {
    let len = name_len(&html[i..]);
    let mut tag = Tag {
        name: html[i..i + len].to_ascii_lowercase(),
        ..Tag::default()
    };
    let (after, closed) = find.attributes(html, i + len, |a| {
        let is = |n: &[u8]| a.name.eq_ignore_ascii_case(n);
        match a.value {
            _ if is(b"hidden") => tag.hidden = true,
            Some(v) if is(b"aria-hidden") => tag.hidden |= v.eq_ignore_ascii_case(b"true"),
            Some(v) if is(b"id") => tag.id = Some(v),
            Some(v) if is(b"href") => tag.href = Some(v),
            _ => {}
        }
    });
    tag.closed = closed;
    (tag, after)
}

/// The position after the end of the element `name` whose content starts at `i`: its own end
/// tag for a raw-text element, else the end tag that closes it among others of its name.
fn element_end(html: &[u8], mut i: usize, name: &[u8], raw: bool) -> usize {
    let mut depth = 1;
    while let Some(at) = memchr(b'<', &html[i..]) {
        i += at + 1;
        let (close, from) = match html.get(i) {
            Some(b'/') => (true, i + 1),
            _ if raw => continue,
            _ => (false, i),
        };
        let rest = &html[from..];
        if rest.len() > name.len()
            && rest[..name.len()].eq_ignore_ascii_case(name)
            && name_len(&rest[name.len()..]) == 0
        {
            depth += if close { -1 } else { 1 };
            if depth == 0 {
                return memchr(b'>', rest).map_or(html.len(), |e| from + e + 1);
            }
        }
    }
    html.len()
}

impl State {
    /// Text as written in the page (character references not yet decoded).
    fn text(&mut self, raw: &[u8]) {
        if !self.in_main || raw.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(raw);
        let text = decode(&text);
        let part = &mut self.parts[self.at];
        if self.in_heading {
            if self.in_link == 0 {
                part.title.push_str(&text);
            }
        } else {
            part.text.push_str(&text);
        }
    }

    fn space(&mut self) {
        if self.in_main && !self.in_heading {
            self.parts[self.at].text.push(' ');
        }
    }

    /// Handle a start tag whose content starts at `i`; returns where reading goes on.
    fn open(&mut self, tag: &Tag, html: &[u8], i: usize) -> usize {
        let name = tag.name.as_slice();
        let empty = tag.closed || VOID.contains(&name);
        if RAW.contains(&name) {
            return element_end(html, i, name, true);
        }
        if name == b"main" {
            self.in_main = true;
            return i;
        }
        if !self.in_main {
            return i;
        }
        let id = tag
            .id
            .map(|id| decode(&String::from_utf8_lossy(id)).into_owned());
        let own_link = name == b"a"
            && tag
                .href
                .and_then(|h| h.strip_prefix(b"#"))
                .is_some_and(|h| !h.is_empty() && h == self.parts[self.at].id.as_bytes());
        if SKIPPED.contains(&name) || tag.hidden || own_link {
            return if empty {
                i
            } else {
                element_end(html, i, name, false)
            };
        }
        if BLOCKS.contains(&name) {
            self.space();
            if empty {
                self.space();
            }
        }
        if name == b"a" && self.in_heading {
            self.in_link += 1;
        }
        if let Some(id) = id {
            self.start_part(name, id);
        }
        i
    }

    /// A heading or a paragraph with an id starts a part: text goes to it until the next
    /// heading, or the paragraph's end. A paragraph's part is titled by the heading above it.
    fn start_part(&mut self, name: &[u8], id: String) {
        let title = match name {
            b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => None,
            b"p" => Some(self.parts[self.heading].title.clone()),
            _ => return,
        };
        let heading = title.is_none();
        self.parts.push(Part {
            id,
            title: title.unwrap_or_default(),
            text: String::new(),
        });
        self.at = self.parts.len() - 1;
        if heading {
            self.heading = self.at;
            self.in_heading = true;
        }
    }

    /// Handle an end tag.
    fn close(&mut self, name: &[u8]) {
        if !self.in_main {
            return;
        }
        match name {
            b"main" => self.in_main = false,
            b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => self.in_heading = false,
            b"a" if self.in_heading => self.in_link = self.in_link.saturating_sub(1),
            b"p" => self.at = self.heading,
            _ => {}
        }
        if BLOCKS.contains(&name) {
            self.space();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(html: &[u8]) -> Vec<(String, String, String)> {
        read(html)
            .into_iter()
            .map(|p| {
                let text = p.text.split_whitespace().collect::<Vec<_>>().join(" ");
                (p.id, p.title, text)
            })
            .collect()
    }

    fn part(id: &str, title: &str, text: &str) -> (String, String, String) {
        (id.into(), title.into(), text.into())
    }

    #[test]
    fn parts_start_at_headings_and_paragraphs_with_ids_inside_main_only() {
        let html = br##"<header>Menu</header><main><h1>Title</h1><p>Lead &amp; more</p>
            <h2 id="a">First <a href="#a">#</a></h2><p>Under a</p>
            <p id="p3"><a href="#p3">&para;3</a> Paragraph <svg><text>42</text></svg>three</p>
            <p>back under a</p></main><footer>Foot</footer>"##;
        assert_eq!(
            parts(html),
            [
                part("", "", "Title Lead & more"),
                part("a", "First", "Under a back under a"),
                part("p3", "First", "Paragraph three"),
            ]
        );
    }

    #[test]
    fn what_a_reader_does_not_read_is_left_out() {
        let html = br##"<!DOCTYPE html><title>main</title><script>"<main>x"</script>
            <MAIN class=x><!-- <p>comment</p> --><h2 ID=s>Sec<span aria-hidden="true">&#9733;</span></h2>
            <div hidden><div>gone</div> still gone</div><p>a < b<br>c<img alt="no" src=x.png></p>
            <svg viewBox="0 0 1 1"><svg><text>9</text></svg><text>8</text></svg>
            <style>p{}</style><script>if (a<b) {"</p>"}</script><p aria-hidden='false'>seen</p>
            <math><mi>x</mi></math><template><p>t</p></template><circle/>end</main>after"##;
        assert_eq!(parts(html), [part("s", "Sec", "a < b c seen end")]);
    }
}
