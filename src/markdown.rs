//! Markdown to HTML with pulldown-cmark. On the way through the event stream we give every
//! heading an id and a visible anchor link, collect the table of contents, and rewrite links so
//! the output only ever links relatively: `@/model.md#x` and root-absolute `/notes/a/` become
//! paths from the current page that name a file.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::VecDeque;

use crate::diag::Problem;
use crate::model::Heading;

/// What rendering one Markdown body produced.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    /// Every link and image, when asked for (`Where::record_links`).
    pub links: Vec<Link>,
    pub problems: Vec<Problem>,
}

/// A link or image as written and as rewritten, for `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Destination after rewriting (what the HTML holds).
    pub dest: String,
    /// Destination as written in the Markdown (`@/source.md#p2`).
    pub raw: String,
    /// The link text as written (inline links; empty for other kinds).
    pub text: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// Where the body sits, for link rewriting and error positions.
pub struct Where<'a> {
    /// File as shown in messages, and its whole (normalised) text.
    pub file: &'a str,
    pub text: &'a str,
    /// Byte offset of the body within `text`.
    pub body_start: usize,
    /// Relative prefix from this page to the site root (`../../`).
    pub root: &'a str,
    /// Collect every link with its line (for `check`); builds skip this work.
    pub record_links: bool,
}

/// Site-relative URLs of all content files, by content path (`model.md` -> `model/index.html`).
pub type UrlMap = HashMap<String, String>;

/// The Markdown extensions every page is rendered with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Render the body of the page whose whole text `at.text` is.
///
/// Source positions are only needed to report a problem or record links, so the usual build
/// runs pulldown-cmark's plain event stream, and renders again with positions only when it
/// found a problem to locate.
pub fn render(at: &Where, urls: &UrlMap) -> Rendered {
    let body = &at.text[at.body_start..];
    let located = |body| Located {
        inner: Parser::new_ext(body, options()).into_offset_iter(),
        range: 0..0,
    };
    if at.record_links {
        return render_events(at, urls, located(body));
    }
    let fast = render_events(at, urls, Plain(Parser::new_ext(body, options())));
    if fast.problems.is_empty() {
        return fast;
    }
    render_events(at, urls, located(body))
}

/// Markdown events, and where in the body the last one came from.
trait Source<'a>: Iterator<Item = Event<'a>> {
    /// The byte range of the event `next` returned last (`0..0` when not tracked).
    fn range(&self) -> std::ops::Range<usize>;
}

/// pulldown-cmark's plain event stream: the fast path, which knows no positions.
struct Plain<'a>(Parser<'a>);

impl<'a> Iterator for Plain<'a> {
    type Item = Event<'a>;

    #[inline]
    fn next(&mut self) -> Option<Event<'a>> {
        self.0.next()
    }
}

impl<'a> Source<'a> for Plain<'a> {
    fn range(&self) -> std::ops::Range<usize> {
        0..0
    }
}

/// The event stream with source positions, for locating problems and recording links.
struct Located<'a> {
    inner: pulldown_cmark::OffsetIter<'a>,
    range: std::ops::Range<usize>,
}

impl<'a> Iterator for Located<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let (event, range) = self.inner.next()?;
        self.range = range;
        Some(event)
    }
}

impl<'a> Source<'a> for Located<'a> {
    fn range(&self) -> std::ops::Range<usize> {
        self.range.clone()
    }
}

fn render_events<'a, I: Source<'a>>(at: &Where, urls: &UrlMap, events: I) -> Rendered {
    let body = &at.text[at.body_start..];
    let mut out = Rendered::default();
    let mut html = String::with_capacity(body.len() + body.len() / 2);
    let events = Events {
        inner: events,
        at,
        urls,
        out: &mut out,
        ids: HashSet::default(),
        queue: VecDeque::new(),
        lines: Lines::default(),
    };
    html::push_html(&mut html, events);
    out.html = html;
    out
}

/// The event stream with headings given ids and anchors, and links rewritten. Only a heading's
/// own events are ever buffered.
struct Events<'a, 'w, I> {
    inner: I,
    at: &'w Where<'w>,
    urls: &'w UrlMap,
    out: &'w mut Rendered,
    ids: HashSet<String>,
    queue: VecDeque<Event<'a>>,
    lines: Lines,
}

impl<'a, I: Source<'a>> Iterator for Events<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if !self.queue.is_empty() {
            return self.queue.pop_front();
        }
        let event = self.inner.next()?;
        // Most events pass through untouched: decide on a reference, move once.
        if !matches!(
            event,
            Event::Start(Tag::Heading { .. } | Tag::Link { .. } | Tag::Image { .. })
        ) {
            return Some(event);
        }
        Some(self.rewrite(event))
    }
}

impl<'a, I: Source<'a>> Events<'a, '_, I> {
    /// A heading, link or image start (the event the source gave last), rewritten.
    #[inline(never)]
    fn rewrite(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let classes: Vec<String> = classes.iter().map(|c| c.to_string()).collect();
                self.heading(level, id.map(|i| i.to_string()), &classes)
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: self.link(dest_url),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: self.link(dest_url),
                title,
                id,
            }),
            other => other,
        }
    }

    /// Read a heading's events up to its end and queue it with its id and anchor.
    fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<String>,
        classes: &[String],
    ) -> Event<'a> {
        // The queue is empty whenever a heading starts (see `next`): its events wait there.
        while let Some(event) = self.inner.next() {
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                    let event = self.rewrite(event);
                    self.queue.push_back(event);
                }
                other => self.queue.push_back(other),
            }
        }
        let title = plain_text(self.queue.iter());
        let id = unique_id(id.unwrap_or_else(|| slugify(&title)), &mut self.ids);
        let tag = match level {
            HeadingLevel::H1 => "h1",
            HeadingLevel::H2 => "h2",
            HeadingLevel::H3 => "h3",
            HeadingLevel::H4 => "h4",
            HeadingLevel::H5 => "h5",
            HeadingLevel::H6 => "h6",
        };
        let id_attr = escape_attr(&id);
        let class_attr = if classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape_attr(&classes.join(" ")))
        };
        // Each string is allocated at its exact length: pulldown-cmark boxes it as it is.
        let open = ["<", tag, " id=\"", &id_attr, "\"", &class_attr, ">"].concat();
        let close = [
            " <a class=\"anchor\" href=\"#",
            &id_attr,
            "\" aria-hidden=\"true\" tabindex=\"-1\">#</a></",
            tag,
            ">\n",
        ]
        .concat();
        self.queue.push_back(Event::Html(close.into()));
        self.out.toc.push(Heading {
            level: level as u8,
            id,
            title,
        });
        Event::Html(open.into())
    }

    fn link(&mut self, dest: CowStr<'a>) -> CowStr<'a> {
        let range = &self.inner.range();
        let raw = self.at.record_links.then(|| dest.to_string());
        let dest = rewrite_link(
            dest,
            self.at,
            self.urls,
            range.start,
            &mut self.out.problems,
        );
        if let Some(raw) = raw {
            let line = self.lines.line_of(self.at, range.start);
            let text = link_text(self.at, range);
            self.out.links.push(Link {
                dest: dest.to_string(),
                raw,
                text,
                line,
            });
        }
        dest
    }
}

/// The text of an inline link `[text](dest)` as written, from its source range.
fn link_text(at: &Where, range: &std::ops::Range<usize>) -> String {
    let body = &at.text[at.body_start..];
    let written = body.get(range.clone()).unwrap_or_default();
    match (
        written
            .strip_prefix('[')
            .or_else(|| written.strip_prefix("![")),
        written.rfind("]("),
    ) {
        (Some(_), Some(end)) if end > 0 => {
            let start = if written.starts_with("![") { 2 } else { 1 };
            written[start..end].to_string()
        }
        _ => String::new(),
    }
}

/// Counts lines forward from the last position asked about, so finding the line of every link
/// in a body costs one pass over it, not one pass per link.
#[derive(Default)]
struct Lines {
    offset: usize,
    line: usize,
}

impl Lines {
    fn line_of(&mut self, at: &Where, offset: usize) -> usize {
        let end = (at.body_start + offset).min(at.text.len());
        if end < self.offset || self.line == 0 {
            self.offset = 0;
            self.line = 1;
        }
        let bytes = &at.text.as_bytes()[self.offset..end];
        self.line += bytes.iter().filter(|&&b| b == b'\n').count();
        self.offset = end;
        self.line
    }
}

/// Rewrite one link destination; unresolvable `@/` links become problems.
fn rewrite_link<'a>(
    dest: CowStr<'a>,
    at: &Where,
    urls: &UrlMap,
    offset: usize,
    problems: &mut Vec<Problem>,
) -> CowStr<'a> {
    if let Some(target) = dest.strip_prefix("@/") {
        let (path, fragment) = split_fragment(target);
        return match urls.get(path) {
            Some(url) => format!("{}{url}{fragment}", at.root).into(),
            None => {
                problems.push(Problem::at_offset(
                    at.file,
                    at.text,
                    at.body_start + offset,
                    0,
                    format!("link to `@/{path}`, but there is no content file `content/{path}`"),
                ));
                dest
            }
        };
    }
    match root_relative(&dest, at.root) {
        Some(url) => url.into(),
        None => dest,
    }
}

/// `/a/b/#x` seen from a page whose root prefix is `root` -> `{root}a/b/index.html#x`.
/// Returns `None` for anything that is not root-absolute.
pub fn root_relative(dest: &str, root: &str) -> Option<String> {
    let path = dest.strip_prefix('/')?;
    if path.starts_with('/') {
        return None; // protocol-relative `//host/x`
    }
    let (path, fragment) = split_fragment(path);
    let last = &path[memchr::memrchr(b'/', path.as_bytes()).map_or(0, |i| i + 1)..];
    let index = if last.is_empty() {
        "index.html"
    } else if memchr::memchr(b'.', last.as_bytes()).is_none() {
        "/index.html"
    } else {
        ""
    };
    // Sized exactly: the link becomes a boxed string without reallocating.
    let mut url = String::with_capacity(root.len() + path.len() + index.len() + fragment.len());
    url.push_str(root);
    url.push_str(path);
    url.push_str(index);
    url.push_str(fragment);
    Some(url)
}

fn split_fragment(s: &str) -> (&str, &str) {
    match memchr::memchr2(b'#', b'?', s.as_bytes()) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

fn plain_text<'e, 'a: 'e>(events: impl Iterator<Item = &'e Event<'a>>) -> String {
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

fn unique_id(base: String, seen: &mut HashSet<String>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str, root: &str) -> Rendered {
        let urls: UrlMap = [("model.md".to_string(), "model/index.html".to_string())]
            .into_iter()
            .collect();
        let at = Where {
            file: "content/x.md",
            text: body,
            body_start: 0,
            root,
            record_links: true,
        };
        render(&at, &urls)
    }

    #[test]
    fn links_and_images_in_headings_are_rewritten() {
        let body = "## See [the model](@/model.md#x) ![m](/img/m.svg)\n";
        let urls: UrlMap = [("model.md".to_string(), "model/index.html".to_string())]
            .into_iter()
            .collect();
        for record_links in [false, true] {
            let at = Where {
                file: "content/x.md",
                text: body,
                body_start: 0,
                root: "../",
                record_links,
            };
            let r = render(&at, &urls);
            assert!(
                r.html
                    .contains("<h2 id=\"see-the-model-m\">See <a href=\"../model/index.html#x\">")
                    && r.html.contains("src=\"../img/m.svg\""),
                "{}",
                r.html
            );
            assert_eq!(r.links.len(), if record_links { 2 } else { 0 });
        }
    }

    #[test]
    fn headings_get_unique_ids_and_anchors() {
        let r = md(
            "# Hello, World!\n\n## Hello, World!\n\n## Custom {#mine}\n",
            "",
        );
        assert!(
            r.html.contains(
                "<h1 id=\"hello-world\">Hello, World! <a class=\"anchor\" href=\"#hello-world\""
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"hello-world-1\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"mine\">"), "{}", r.html);
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["hello-world", "hello-world-1", "mine"]);
        assert_eq!(r.toc[0].level, 1);
    }

    #[test]
    fn links_become_relative_and_name_files() {
        let r = md(
            "[a](@/model.md#p2) [b](/notes/a/) [c](/) [d](/style.css) [e](https://x.org/) [f](//cdn/x)",
            "../",
        );
        assert!(
            r.html.contains("href=\"../model/index.html#p2\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("href=\"../notes/a/index.html\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"../index.html\""), "{}", r.html);
        assert!(r.html.contains("href=\"../style.css\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://x.org/\""), "{}", r.html);
        assert!(r.html.contains("href=\"//cdn/x\""), "{}", r.html);
        assert!(r.problems.is_empty());
    }

    #[test]
    fn unknown_internal_link_is_a_located_problem() {
        let r = md("intro\n\nsee [x](@/nope.md)\n", "");
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].line, Some(3));
        assert!(r.problems[0].message.contains("content/nope.md"));
    }

    #[test]
    fn extensions_are_on() {
        let r = md(
            "| a |\n|---|\n| 1 |\n\n~~x~~ - [x] done\n\n\"q\" text[^1]\n\n[^1]: note\n",
            "",
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("“q”"));
        assert!(r.html.contains("footnote"));
        assert_eq!(
            slugify("Speed & quality: 8–10 years"),
            "speed-quality-8-10-years"
        );
    }

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
