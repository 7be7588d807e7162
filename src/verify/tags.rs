//! A tokenizer for the two things every page's link check needs, its ids and its references,
//! following HTML's tokenization rules for tags, attributes (read by [`crate::htmltags`]),
//! comments and raw-text elements (`script`, `style`, `textarea`, `title`). It reads only tags, so it runs
//! at the speed of memchr over a page, and it borrows every value from the page unless a
//! character reference had to be decoded; on sites with sources every page is read in full by
//! the lol_html reader instead. A test holds the two to the same ids and references.

use std::borrow::Cow;

use memchr::{memchr, memmem};

use super::read::decode;
use crate::htmltags::{self, Finders};

/// The ids and references of a page, as [`super::read::Reading`] has them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tags<'h> {
    pub ids: Vec<Cow<'h, str>>,
    pub refs: Vec<(Cow<'h, str>, &'static str)>,
}

/// The elements the scan tells apart: those with a reference attribute, and the raw-text ones.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Element {
    A,
    Link,
    Img,
    Script,
    Source,
    Iframe,
    Video,
    Use,
    RawText,
    Other,
}

/// The element a tag name (in any case) opens; compared by length first, so that the common
/// `p`, `li` or `td` costs a comparison or two.
fn element(name: &[u8]) -> Element {
    let is = |n: &[u8]| name.eq_ignore_ascii_case(n);
    match name.len() {
        1 if is(b"a") => Element::A,
        3 if is(b"img") => Element::Img,
        3 if is(b"use") => Element::Use,
        4 if is(b"link") => Element::Link,
        5 if is(b"video") => Element::Video,
        5 if is(b"style") || is(b"title") => Element::RawText,
        6 if is(b"script") => Element::Script,
        6 if is(b"source") => Element::Source,
        6 if is(b"iframe") => Element::Iframe,
        8 if is(b"textarea") => Element::RawText,
        _ => Element::Other,
    }
}

/// What an attribute (as written, in any case) of element `el` is to the link check.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attr {
    Id,
    Ref(&'static str),
    Srcset,
    Other,
}

fn attr(el: Element, name: &[u8]) -> Attr {
    let is = |n: &[u8]| name.eq_ignore_ascii_case(n);
    match (name.len(), el) {
        (2, _) if is(b"id") => Attr::Id,
        (4, Element::A) if is(b"name") => Attr::Id,
        (4, Element::A) if is(b"href") => Attr::Ref("a href"),
        (4, Element::Link) if is(b"href") => Attr::Ref("link href"),
        (4, Element::Use) if is(b"href") => Attr::Ref("use href"),
        (3, Element::Img) if is(b"src") => Attr::Ref("img src"),
        (3, Element::Script) if is(b"src") => Attr::Ref("script src"),
        (3, Element::Source) if is(b"src") => Attr::Ref("source src"),
        (3, Element::Iframe) if is(b"src") => Attr::Ref("iframe src"),
        (6, Element::Video) if is(b"poster") => Attr::Ref("video poster"),
        (6, _) if is(b"srcset") => Attr::Srcset,
        _ => Attr::Other,
    }
}

/// Read the tags of `html`.
pub fn scan(html: &[u8]) -> Tags<'_> {
    let mut tags = Tags {
        ids: Vec::with_capacity(16),
        refs: Vec::with_capacity(32),
    };
    let mut i = 0;
    let find = Finders::default();
    while let Some(at) = find.lt.find(&html[i..]) {
        i += at + 1;
        let rest = &html[i..];
        match rest.first() {
            Some(b) if b.is_ascii_alphabetic() => {}
            Some(b'!') if rest.starts_with(b"!--") => {
                i = memmem::find(&rest[3..], b"-->").map_or(html.len(), |e| i + 3 + e + 3);
                continue;
            }
            // An end tag, a doctype, or a `<` in text.
            _ => continue,
        }
        let len = htmltags::name_len(rest);
        let el = element(&rest[..len]);
        let name = &rest[..len];
        i += len;
        i = attributes(html, i, el, &find, &mut tags);
        if el == Element::RawText || el == Element::Script {
            i = raw_text_end(html, i, name);
        }
    }
    tags
}

/// Read the attributes of a tag of element `el` from `i`; returns the position after the tag.
fn attributes<'h>(
    html: &'h [u8],
    i: usize,
    el: Element,
    find: &Finders,
    tags: &mut Tags<'h>,
) -> usize {
    let (after, _) = find.attributes(html, i, |a| {
        let Some(value) = a.value else {
            return;
        };
        match attr(el, a.name) {
            Attr::Other => {}
            Attr::Id => tags.ids.push(text(value)),
            Attr::Ref(what) => tags.refs.push((text(value), what)),
            Attr::Srcset => match text(value) {
                Cow::Borrowed(s) => tags
                    .refs
                    .extend(candidates(s).map(|url| (Cow::Borrowed(url), "srcset"))),
                Cow::Owned(s) => tags
                    .refs
                    .extend(candidates(&s).map(|url| (Cow::Owned(url.to_string()), "srcset"))),
            },
        }
    });
    after
}

/// An attribute's value as a reader's browser has it: character references decoded, borrowed
/// from the page when there were none.
fn text(value: &[u8]) -> Cow<'_, str> {
    // The common value, ASCII without `&`, told by one fold the compiler turns into vector
    // code: a tenth of what `str::from_utf8` and a search for `&` cost on a short value.
    let plain = value
        .iter()
        .fold(0u8, |acc, &b| acc | (b & 0x80) | u8::from(b == b'&'));
    if plain == 0 {
        // SAFETY: every byte is below 0x80, so the bytes are ASCII, which is valid UTF-8.
        return Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(value) });
    }
    match std::str::from_utf8(value) {
        Ok(s) => decode(s),
        Err(_) => Cow::Owned(decode(&String::from_utf8_lossy(value)).into_owned()),
    }
}

/// The URL of each candidate of a `srcset`.
fn candidates(srcset: &str) -> impl Iterator<Item = &str> {
    srcset
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
}

/// The position after the end tag that closes the raw-text element `name` (found by its `<`:
/// `memmem` costs more to set up than a page's `<title>` costs to search).
fn raw_text_end(html: &[u8], mut i: usize, name: &[u8]) -> usize {
    while let Some(at) = memchr(b'<', &html[i..]) {
        let start = i + at + 1;
        if html.get(start) == Some(&b'/') {
            let candidate = html.get(start + 1..start + 1 + name.len());
            if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name)) {
                return start + 1;
            }
        }
        i = start;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_references_as_html_tokenizes_them() {
        let html = br#"<!doctype html><html><head><title>a <b id="no"></title><script>var s = "<a href='x'>";</script></head>
<body><!-- <a href="comment.html"> --><h1 id=top class=x>T</h1><A HREF='one.html'>1</A>
<a name="old">n</a><img src=pic.png alt="a > b"><a href="x.html#p1&amp;q" id="l">x</a>
<img srcset="a.png 1x, b.png 2x"><p data-x="href=no">t</p></body></html>"#;
        let t = scan(html);
        assert_eq!(t.ids, ["top", "old", "l"]);
        let refs: Vec<&str> = t.refs.iter().map(|(v, _)| v.as_ref()).collect();
        assert_eq!(
            refs,
            ["one.html", "pic.png", "x.html#p1&q", "a.png", "b.png"]
        );
    }

    /// The scan stands in for the full reader on sites without sources: both must find the same
    /// ids and references, whatever the case, quoting or entities.
    #[test]
    fn agrees_with_the_full_reader() {
        let pages: [&[u8]; 4] = [
            br##"<!DOCTYPE html><html><head><title>T</title><link rel=stylesheet href="../style.css"><script src='app.js'></script><style>a[href="x"]{}</style></head><body>
<header><a href="../index.html">Home</a></header><h2 ID="Intro" class="x">Intro</h2>
<p>Text &lt;a href="no.html"&gt; and a < b</p><a HREF = "#intro" name=anchor>i</a>
<picture><source srcset="w.png 2x,n.png" src="s.png"><img src="i.png" alt="x" SRCSET="a b.png"></picture>
<video poster="p.jpg"></video><iframe src="f.html"></iframe><svg><use href="#icon"></use></svg>
<textarea><a href="inside.html"></textarea><a href="q.html?x=1&amp;y=2#f%20g">q</a><img src=bare.png/></body></html>"##,
            b"<p id=one><a href=x.html>x</a><a href='y.html' id=two>y</a><p data-id=\"no\" id = \"three\">",
            "<h1 id=\"\u{e9}t\u{e9}\">\u{e9}</h1><a href=\"caf\u{e9}.html\">c</a>".as_bytes(),
            b"<!-- <a href=c.html> --><a href=\"d.html\"><img src=\"e.png\" id=\"f\"></a><a",
        ];
        for html in pages {
            let scanned = scan(html);
            let read = crate::verify::read(html, &|_| false).unwrap();
            let ids: Vec<&str> = scanned.ids.iter().map(|id| id.as_ref()).collect();
            assert_eq!(ids, read.ids, "{}", String::from_utf8_lossy(html));
            // In the same order but for the attributes of one tag.
            let mut refs: Vec<(&str, &str)> =
                scanned.refs.iter().map(|(v, w)| (v.as_ref(), *w)).collect();
            let mut want: Vec<(&str, &str)> =
                read.refs.iter().map(|(v, w)| (v.as_str(), *w)).collect();
            assert!(!want.is_empty());
            refs.sort_unstable();
            want.sort_unstable();
            assert_eq!(refs, want, "{}", String::from_utf8_lossy(html));
        }
    }
}
