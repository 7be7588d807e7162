//! A tokenizer for the two things every page's link check needs, its ids and its references,
//! following HTML's tokenization rules for tags, attributes (quoted, unquoted, bare), comments
//! and raw-text elements (`script`, `style`, `textarea`, `title`). It reads only tags, so it runs
//! at the speed of memchr over a page; on sites with sources every page is read in full by the
//! lol_html reader instead. A test holds the two to the same ids and references.

use memchr::{memchr, memmem};

use super::read::decode;

/// The ids and references of a page, as [`super::read::Reading`] has them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tags {
    pub ids: Vec<String>,
    pub refs: Vec<(String, &'static str)>,
}

/// Which attribute of which element is a reference, and how messages name it.
fn reference(tag: &[u8], attr: &[u8]) -> Option<&'static str> {
    Some(match (tag, attr) {
        (b"a", b"href") => "a href",
        (b"link", b"href") => "link href",
        (b"img", b"src") => "img src",
        (b"script", b"src") => "script src",
        (b"source", b"src") => "source src",
        (b"iframe", b"src") => "iframe src",
        (b"video", b"poster") => "video poster",
        (b"use", b"href") => "use href",
        _ => return None,
    })
}

/// Read the tags of `html`.
pub fn scan(html: &[u8]) -> Tags {
    let mut tags = Tags::default();
    let mut i = 0;
    let mut name = Vec::with_capacity(16);
    while let Some(at) = memchr(b'<', &html[i..]) {
        i += at + 1;
        let rest = &html[i..];
        if rest.starts_with(b"!--") {
            i = memmem::find(&rest[3..], b"-->").map_or(html.len(), |e| i + 3 + e + 3);
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            // An end tag, a doctype, or a `<` in text.
            continue;
        }
        let len = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .unwrap_or(rest.len());
        name.clear();
        name.extend(rest[..len].iter().map(u8::to_ascii_lowercase));
        i += len;
        i = attributes(html, i, &name, &mut tags);
        if matches!(
            name.as_slice(),
            b"script" | b"style" | b"textarea" | b"title"
        ) {
            i = raw_text_end(html, i, &name);
        }
    }
    tags
}

/// Read the attributes of the tag `name` from `i`; returns the position after the tag.
fn attributes(html: &[u8], mut i: usize, name: &[u8], tags: &mut Tags) -> usize {
    loop {
        while i < html.len() && (html[i].is_ascii_whitespace() || html[i] == b'/') {
            i += 1;
        }
        if i >= html.len() {
            return i;
        }
        if html[i] == b'>' {
            return i + 1;
        }
        let start = i;
        while i < html.len()
            && !html[i].is_ascii_whitespace()
            && !matches!(html[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        // An attribute name may start with `=`, as the HTML tokenizer reads it.
        if i == start {
            i += 1;
        }
        let attr = &html[start..i];
        while i < html.len() && html[i].is_ascii_whitespace() {
            i += 1;
        }
        if html.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < html.len() && html[i].is_ascii_whitespace() {
            i += 1;
        }
        let (value, next) = match html.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr(q, &html[i + 1..]).map_or(html.len(), |e| i + 1 + e);
                (&html[i + 1..end], (end + 1).min(html.len()))
            }
            _ => {
                let end = html[i..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || *b == b'>')
                    .map_or(html.len(), |e| i + e);
                (&html[i..end], end)
            }
        };
        i = next;
        record(name, attr, value, tags);
    }
}

/// Record one attribute; `attr` is as written, in any case.
fn record(tag: &[u8], attr: &[u8], value: &[u8], tags: &mut Tags) {
    // No attribute that matters is longer than six letters: lowercase those only, on the stack.
    let mut lower = [0u8; 6];
    let Some(folded) = lower.get_mut(..attr.len()) else {
        return;
    };
    for (l, a) in folded.iter_mut().zip(attr) {
        *l = a.to_ascii_lowercase();
    }
    let attr = &*folded;
    let text = || match std::str::from_utf8(value) {
        Ok(s) => decode(s).into_owned(),
        Err(_) => decode(&String::from_utf8_lossy(value)).into_owned(),
    };
    if attr == b"id" || (tag == b"a" && attr == b"name") {
        tags.ids.push(text());
    } else if let Some(what) = reference(tag, attr) {
        tags.refs.push((text(), what));
    } else if attr == b"srcset" {
        for candidate in text().split(',') {
            if let Some(url) = candidate.split_whitespace().next() {
                tags.refs.push((url.to_string(), "srcset"));
            }
        }
    }
}

/// The position after the end tag that closes the raw-text element `name`.
fn raw_text_end(html: &[u8], mut i: usize, name: &[u8]) -> usize {
    while let Some(at) = memmem::find(&html[i..], b"</") {
        let start = i + at + 2;
        let candidate = html.get(start..start + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name)) {
            return start;
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
        let refs: Vec<&str> = t.refs.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(
            refs,
            ["one.html", "pic.png", "x.html#p1&q", "a.png", "b.png"]
        );
    }
}
