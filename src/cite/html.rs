//! Read a saved web page (`.html`, `.htm`, `.xhtml`) as a source: its main text, paragraph by
//! paragraph, the title first. The main text is the `main` element (or `role="main"`), else the
//! `article` elements, else the body; navigation, asides, scripts, forms' controls, hidden
//! elements and the page's own header and footer (outside `main` and `article`) are never read. Every block element (`p`,
//! `li`, `h1`-`h6`, `blockquote`, a table row, `dt`/`dd`, `figcaption`, `pre`, `div`...) starts a
//! paragraph; two `<br>` in a row do too; a table row's cells are joined with a space.
//!
//! The page is read by html5gum, a WHATWG tokenizer (entities decoded, `<script>` and `<style>`
//! read as raw text), in one pass and without building a tree: time is linear in the file and
//! memory holds the text and a few counters, however deep a hostile page nests its elements
//! (a tree builder walks its stack of open elements for most tags, quadratic in the depth).

use std::borrow::Cow;

use html5gum::{DefaultEmitter, StartTag, Token, Tokenizer};

use crate::diag::Problem;

/// Elements whose text is never read: navigation, scripts, embedded things, forms' controls.
/// (`form` itself is read: ASP.NET pages wrap their whole body in one.)
const SKIP: &[&str] = &[
    "nav", "aside", "script", "style", "noscript", "template", "svg", "iframe", "object", "canvas",
    "video", "audio", "map", "button", "select", "textarea", "label", "datalist", "dialog", "menu",
    "search",
];

/// The roles that mark what `SKIP` holds, written on any element.
const SKIP_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
    "menubar",
    "dialog",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "legend",
    "li",
    "listing",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Elements with no end tag, or whose end tag may be left out: never followed to their end.
const UNCLOSED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
    "tfoot", "rt", "rp", "colgroup", "caption", "html", "head", "body",
];

/// The title and paragraphs of the saved page `bytes` (`shown` in messages): the title is
/// `<title>`, else the first `h1` of the main text, else its first paragraph.
pub fn paragraphs(bytes: &[u8], shown: &str) -> Result<Vec<String>, Problem> {
    let text = decode(bytes, shown)?;
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut reader = Reader::default();
    for Ok(token) in Tokenizer::new_with_emitter(text.as_ref(), emitter) {
        reader.token(token);
    }
    Ok(reader.finish())
}

/// An element followed to its end tag by counting the tags of its name inside it.
struct Open {
    name: Vec<u8>,
    depth: usize,
}

impl Open {
    fn new(name: &[u8]) -> Self {
        Open {
            name: name.to_vec(),
            depth: 1,
        }
    }

    fn start(&mut self, name: &[u8]) {
        if name == self.name {
            self.depth += 1;
        }
    }

    /// Whether this end tag closes the element.
    fn end(&mut self, name: &[u8]) -> bool {
        if name == self.name {
            self.depth -= 1;
        }
        self.depth == 0
    }
}

/// Where a paragraph stands in the page.
#[derive(Clone, Copy, Default, PartialEq)]
struct Place {
    main: bool,
    article: bool,
    h1: bool,
}

#[derive(Default)]
struct Reader {
    title: Option<String>,
    in_title: bool,
    skip: Option<Open>,
    main: Option<Open>,
    article: Option<Open>,
    h1: bool,
    /// Open `pre` elements: a blank line in one ends a paragraph, as in a text source.
    pre: usize,
    /// The paragraph being read, and where it started.
    text: String,
    place: Place,
    /// `<br>` since the last text: one is a space, two end the paragraph.
    breaks: usize,
    blocks: Vec<(String, Place)>,
}

impl Reader {
    fn token(&mut self, token: Token) {
        match token {
            Token::StartTag(tag) => self.start(&tag),
            Token::EndTag(tag) => self.end(&tag.name),
            Token::String(text) => self.text(&String::from_utf8_lossy(&text)),
            _ => {}
        }
    }

    fn start(&mut self, tag: &StartTag<()>) {
        let name = tag.name.as_slice();
        if let Some(skip) = &mut self.skip {
            skip.start(name);
            return;
        }
        if name == b"title" {
            self.in_title = self.title.is_none();
            return;
        }
        let chrome = (name == b"header" || name == b"footer") && self.article.is_none();
        if skipped(tag) || (chrome && self.main.is_none()) {
            self.skip = Some(Open::new(name));
            return;
        }
        self.boundary(name);
        let role_main = attribute(tag, b"role").is_some_and(|r| r.eq_ignore_ascii_case("main"));
        match &mut self.main {
            Some(main) => main.start(name),
            None if name == b"main" || (role_main && !is(name, UNCLOSED)) => {
                self.main = Some(Open::new(name));
            }
            None => {}
        }
        match &mut self.article {
            Some(article) => article.start(name),
            None if name == b"article" => self.article = Some(Open::new(name)),
            None => {}
        }
        self.h1 |= name == b"h1";
        self.pre += usize::from(name == b"pre");
    }

    fn end(&mut self, name: &[u8]) {
        if let Some(skip) = &mut self.skip {
            if skip.end(name) {
                self.skip = None;
            }
            return;
        }
        if name == b"title" {
            self.in_title = false;
            return;
        }
        self.boundary(name);
        if self.main.as_mut().is_some_and(|m| m.end(name)) {
            self.main = None;
        }
        if self.article.as_mut().is_some_and(|a| a.end(name)) {
            self.article = None;
        }
        if name == b"h1" {
            self.h1 = false;
        }
        if name == b"pre" {
            self.pre = self.pre.saturating_sub(1);
        }
    }

    /// What a tag does to the paragraph being read: a block ends it, a `<br>` counts, a cell
    /// leaves a space.
    fn boundary(&mut self, name: &[u8]) {
        if is(name, BLOCKS) {
            self.flush();
        } else if name == b"br" {
            self.breaks += 1;
        } else if name == b"td" || name == b"th" {
            self.text.push(' ');
        }
    }

    fn text(&mut self, text: &str) {
        if self.skip.is_some() {
            return;
        }
        if self.in_title {
            self.title.get_or_insert_default().push_str(text);
            return;
        }
        if self.pre > 0 {
            let mut blocks = text.split("\n\n");
            self.inline(blocks.next().unwrap_or_default());
            for block in blocks {
                self.flush();
                self.inline(block);
            }
            return;
        }
        self.inline(text);
    }

    /// Text inside the paragraph being read.
    fn inline(&mut self, text: &str) {
        if text.trim().is_empty() {
            self.text.push(' ');
            return;
        }
        if self.breaks >= 2 {
            self.flush();
        }
        if self.breaks > 0 {
            self.text.push(' ');
        }
        self.breaks = 0;
        if self.text.trim().is_empty() {
            self.place = Place {
                main: self.main.is_some(),
                article: self.article.is_some(),
                h1: self.h1,
            };
        }
        self.text.push_str(text);
    }

    fn flush(&mut self) {
        self.breaks = 0;
        let text = collapse(&std::mem::take(&mut self.text));
        if !text.is_empty() {
            self.blocks.push((text, self.place));
        }
    }

    /// The title, then the paragraphs of the main text.
    fn finish(mut self) -> Vec<String> {
        self.flush();
        let blocks = self.blocks;
        let keep: fn(&Place) -> bool = if blocks.iter().any(|(_, p)| p.main) {
            |p| p.main
        } else if blocks.iter().any(|(_, p)| p.article) {
            |p| p.article
        } else {
            |_| true
        };
        let mut body: Vec<(String, Place)> = blocks.into_iter().filter(|(_, p)| keep(p)).collect();
        let title = match self.title.map(|t| collapse(&t)).filter(|t| !t.is_empty()) {
            Some(title) => title,
            None => match body.iter().position(|(_, p)| p.h1) {
                Some(at) => body.remove(at).0,
                None if !body.is_empty() => body.remove(0).0,
                None => String::new(),
            },
        };
        // A page whose first heading repeats its title gives it one paragraph, not two.
        if body.first().is_some_and(|(text, _)| *text == title) {
            body.remove(0);
        }
        std::iter::once(title)
            .chain(body.into_iter().map(|(text, _)| text))
            .collect()
    }
}

/// Whether an element's text is never read: a `SKIP` element, a role of one, a hidden
/// element (each followed to its end tag, so only an element that has one).
fn skipped(tag: &StartTag<()>) -> bool {
    let name = tag.name.as_slice();
    if is(name, SKIP) {
        // `<svg/>` in HTML closes at once; a void element holds no text.
        return !tag.self_closing;
    }
    if tag.self_closing || is(name, UNCLOSED) {
        return false;
    }
    let role = attribute(tag, b"role").unwrap_or_default();
    tag.attributes.contains_key(b"hidden".as_slice())
        || attribute(tag, b"aria-hidden").is_some_and(|v| v.trim() == "true")
        || SKIP_ROLES.iter().any(|r| role.eq_ignore_ascii_case(r))
}

fn attribute<'t>(tag: &'t StartTag<()>, name: &[u8]) -> Option<Cow<'t, str>> {
    tag.attributes
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_slice()))
}

fn is(name: &[u8], set: &[&str]) -> bool {
    set.iter().any(|s| s.as_bytes() == name)
}

/// Runs of whitespace (a no-break space included) as one space, none at either end.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page's text in UTF-8: as its byte-order mark says; else UTF-8 when it reads as UTF-8
/// (a page saved again as UTF-8 often keeps the `<meta charset>` it was served with, and text in
/// another encoding almost never reads as UTF-8); else as its `<meta charset>` or XML
/// declaration says (any encoding a browser reads, by encoding_rs).
fn decode<'b>(bytes: &'b [u8], shown: &str) -> Result<Cow<'b, str>, Problem> {
    use encoding_rs::Encoding;
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return strict(encoding, &bytes[bom..], shown, "its byte-order mark");
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(text));
    }
    let Some(label) = declared_charset(bytes) else {
        return crate::fsx::utf8(bytes, shown).map(Cow::Borrowed);
    };
    match Encoding::for_label(label.trim().as_bytes()) {
        Some(encoding) => strict(encoding, bytes, shown, &format!("charset `{label}`")),
        None => Err(Problem::file(
            shown,
            format!(
                "the page declares charset `{label}`, which is not an encoding briefing knows: save it as UTF-8"
            ),
        )),
    }
}

fn strict<'b>(
    encoding: &'static encoding_rs::Encoding,
    bytes: &'b [u8],
    shown: &str,
    said: &str,
) -> Result<Cow<'b, str>, Problem> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(|| {
            Problem::file(
                shown,
                format!(
                    "the page is not valid {} (as {said} says): save it as UTF-8",
                    encoding.name()
                ),
            )
        })
}

/// The charset a page declares before its body (`<meta charset>`, `<meta http-equiv
/// content="...; charset=...">`, or an XML declaration's `encoding`), read from its first
/// 64 KiB.
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 << 10)]);
    if let Some(decl) = head
        .strip_prefix("<?xml")
        .and_then(|d| d.split("?>").next())
    {
        let after = decl.split("encoding").nth(1)?;
        let value = after.trim_start().strip_prefix('=')?.trim_start();
        let quote = value.chars().next()?;
        return value[1..].split(quote).next().map(str::to_string);
    }
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    for Ok(token) in Tokenizer::new_with_emitter(head.as_ref(), emitter) {
        let Token::StartTag(tag) = token else {
            continue;
        };
        match tag.name.as_slice() {
            b"body" => return None,
            b"meta" => {}
            _ => continue,
        }
        if let Some(charset) = attribute(&tag, b"charset") {
            return Some(charset.into_owned());
        }
        let content = attribute(&tag, b"content").unwrap_or_default();
        let lower = content.to_ascii_lowercase();
        if let Some(at) = lower.find("charset=") {
            let value = &content[at + "charset=".len()..];
            let value = value.trim_start_matches(['"', '\'']);
            let end = value.find([';', '"', '\'', ' ']).unwrap_or(value.len());
            return Some(value[..end].to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(html: &str) -> Vec<String> {
        paragraphs(html.as_bytes(), "a.html").unwrap()
    }

    #[test]
    fn the_main_text_paragraph_by_paragraph() {
        let page = "<!doctype html><html><head><title>Q4 results &amp; outlook</title><style>p{}</style></head><body><header><a>Home</a></header><nav><ul><li>Investors</li></ul></nav><main><h1>Q4 results</h1><p>Revenue rose&nbsp;12%\n   to <b>$85</b>bn.<p>Second &#8220;quoted&#8221;<br>line.<br><br>Third.</p><ul><li>One<li>Two</ul><table><tr><th>Year<th>Sales<tr><td>2024</td><td>10</td></table><aside>Related</aside><script>var x = '<p>no</p>';</script></main><footer>© Example</footer></body></html>";
        assert_eq!(
            read(page),
            [
                "Q4 results & outlook",
                "Q4 results",
                "Revenue rose 12% to $85bn.",
                "Second “quoted” line.",
                "Third.",
                "One",
                "Two",
                "Year Sales",
                "2024 10"
            ]
        );
    }

    #[test]
    fn the_article_else_the_body_without_its_header_and_footer() {
        let page = "<body><div role=navigation><div>Menu</div></div><p>Teaser</p><article><header><h1>Title</h1><p>By A. Writer</p></header><p>Text.</p></article></body>";
        assert_eq!(read(page), ["Title", "By A. Writer", "Text."]);
        let page = "<body><header>Site</header><div hidden><p>Cookie banner</p></div><h1>Only</h1><div>Body <i>text</i>.</div><footer>Legal</footer></body>";
        assert_eq!(read(page), ["Only", "Body text."]);
        assert_eq!(read(""), [""]);
    }

    #[test]
    fn a_declared_charset_is_decoded_and_an_unknown_one_refused() {
        let latin = b"<meta charset=\"iso-8859-1\"><title>Caf\xe9</title><p>Gr\xfc\xdfe</p>";
        let read = paragraphs(latin, "a.html").unwrap();
        assert_eq!(read, ["Café", "Grüße"]);
        let xml =
            b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><html><p>\x93Hi\x94</p></html>";
        assert_eq!(paragraphs(xml, "a.xhtml").unwrap(), ["“Hi”"]);
        let err = paragraphs(b"<meta charset=klingon><p>\xff</p>", "a.html").unwrap_err();
        assert!(err.message.contains("charset `klingon`"), "{}", err.message);
        let utf8 = "<meta charset=\"gb2312\"><p>Saved again as UTF-8: 腾讯</p>";
        assert_eq!(
            paragraphs(utf8.as_bytes(), "a.html").unwrap(),
            ["Saved again as UTF-8: 腾讯"]
        );
        let err = paragraphs(b"<p>Caf\xe9</p>", "a.html").unwrap_err();
        assert!(err.message.contains("not valid UTF-8"), "{}", err.message);
    }

    #[test]
    fn a_blank_line_in_pre_ends_a_paragraph() {
        let page = "<h1>T</h1><pre>First\nlines.\n\nSecond <a>one</a>.\n</pre>";
        assert_eq!(read(page), ["T", "First lines.", "Second one."]);
    }

    #[test]
    fn deep_nesting_is_read_in_linear_time() {
        let n = 50_000;
        let page = format!(
            "{}<p>deep</p>{}",
            "<div><span>".repeat(n),
            "</span></div>".repeat(n)
        );
        assert_eq!(read(&page), ["deep"]);
        let page = format!("<nav>{}x", "<nav>".repeat(n));
        assert_eq!(read(&page), [""]);
    }
}
