//! Read a finished page the way a reader meets it, with a real HTML parser (lol_html): the text
//! they see, in order, each run with what surrounds it (a citation, an analysis marker, a
//! quotation, code, a date), plus the page's ids and references for the link checks.

use anyhow::{Context, Result};
use lol_html::html_content::Element;
use lol_html::{HtmlRewriter, Settings, doc_text, element, end_tag};
use std::cell::RefCell;
use std::rc::Rc;

pub use crate::escape::decode;

/// What a run of visible text sits in. The innermost scope of each kind wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// The citation around the text: the reference (`href` or `data-cite`) it names, and whether
    /// it is a link (`<a>`, whose own text is the citation marker) rather than a region.
    pub cite: Option<(String, bool)>,
    /// Inside an element marked as the briefing's own analysis (`data-analysis`).
    pub analysis: bool,
    /// Inside an element marked as an ordinal (`data-ordinal`): the element's number.
    pub ordinal: Option<usize>,
    /// Inside `<code>`, `<pre>`, `<kbd>` or `<samp>`: not prose, so not read for quotations.
    pub code: bool,
    /// Inside `<time>`, or a footnote's reference or label number.
    pub exempt: bool,
    /// The language an element's `lang` gives its text (a quotation, a part of the print
    /// document in another language), if it is one briefing reads.
    pub lang: Option<crate::lang::Lang>,
}

/// A run of text and its scope: `text[start..end]` of the [`Reading`].
#[derive(Debug, Clone)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub scope: Scope,
}

/// An element whose text is claimed by the page itself: a quotation element (`<q>`,
/// `<blockquote>`, `data-quote`), an ordinal, or an analysis marker with its basis.
#[derive(Debug, Clone)]
pub struct Region {
    pub kind: RegionKind,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionKind {
    /// A quotation; the reference of its `cite` attribute, if any.
    Quote(Option<String>),
    Ordinal,
    /// An analysis marker and its stated basis.
    Analysis(String),
    /// The name of the cited document in a citation link (`<cite>` inside `<a>`: "2021 letter
    /// ¶4"), and the link's reference: a reference to a source, not a figure, which must be
    /// that source's short name.
    Name(String),
}

/// The visible text of a page and what the link checks need.
#[derive(Debug, Default)]
pub struct Reading {
    pub text: String,
    pub segments: Vec<Segment>,
    pub regions: Vec<Region>,
    /// Every `id` (and `<a name>`), in order, repeats included.
    pub ids: Vec<String>,
    /// (attribute value, element and attribute, e.g. `a href`).
    pub refs: Vec<(String, &'static str)>,
}

#[derive(Default)]
struct State {
    reading: Reading,
    stack: Vec<Frame>,
    in_body: bool,
    in_title: bool,
    skip: usize,
}

/// An open element that changes the scope of the text inside it.
struct Frame {
    scope: Scope,
    region: Option<(RegionKind, usize)>,
    skip: bool,
}

const REFS: [(&str, &str, &str); 8] = [
    ("a", "href", "a href"),
    ("link", "href", "link href"),
    ("img", "src", "img src"),
    ("script", "src", "script src"),
    ("source", "src", "source src"),
    ("iframe", "src", "iframe src"),
    ("video", "poster", "video poster"),
    ("use", "href", "use href"),
];

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "main",
    "aside",
    "figure",
    "figcaption",
    "blockquote",
    "br",
    "hr",
    "pre",
    "title",
    "text",
    "tspan",
    "desc",
];

/// Read one page. `cite_ref` tells whether a reference names a source paragraph (so that an
/// `<a>` with it is a citation).
pub fn read(html: &[u8], cite_ref: &dyn Fn(&str) -> bool) -> Result<Reading> {
    let state = Rc::new(RefCell::new(State::default()));
    let on_element = {
        let state = state.clone();
        move |el: &mut Element| open(el, &state, cite_ref)
    };
    let on_text = {
        let state = state.clone();
        move |t: &mut lol_html::html_content::TextChunk| {
            let mut s = state.borrow_mut();
            if s.skip == 0 && (s.in_body || s.in_title) {
                let scope = s.stack.last().map(|f| f.scope.clone()).unwrap_or_default();
                push_text(&mut s.reading, &decode(t.as_str()), scope);
            }
            Ok(())
        }
    };
    let settings = Settings::new()
        .append_element_content_handler(element!("*", on_element))
        .append_document_content_handler(doc_text!(on_text));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    rewriter.write(html).context("cannot parse HTML")?;
    rewriter.end().context("cannot parse HTML")?;
    let state = Rc::try_unwrap(state)
        .map_err(|_| anyhow::anyhow!("HTML reader still in use"))?
        .into_inner();
    Ok(state.reading)
}

fn push_text(reading: &mut Reading, text: &str, scope: Scope) {
    if text.is_empty() {
        return;
    }
    let start = reading.text.len();
    reading.text.push_str(text);
    let end = reading.text.len();
    match reading.segments.last_mut() {
        Some(last) if last.scope == scope && last.end == start => last.end = end,
        _ => reading.segments.push(Segment { start, end, scope }),
    }
}

/// Handle an opening tag: record ids and references, and open a scope where the element
/// changes what its text means.
fn open(
    el: &mut Element,
    state: &Rc<RefCell<State>>,
    cite_ref: &dyn Fn(&str) -> bool,
) -> lol_html::HandlerResult {
    let tag = el.tag_name();
    let mut s = state.borrow_mut();
    record(el, &tag, &mut s.reading);
    if tag == "body" {
        s.in_body = true;
    }
    if BLOCKS.contains(&tag.as_str()) {
        let scope = s.stack.last().map(|f| f.scope.clone()).unwrap_or_default();
        push_text(&mut s.reading, "\n", scope);
    }
    if tag == "img"
        && let Some(alt) = el.get_attribute("alt").filter(|a| !a.trim().is_empty())
    {
        let scope = s.stack.last().map(|f| f.scope.clone()).unwrap_or_default();
        let alt = format!("\n{}\n", decode(&alt));
        push_text(&mut s.reading, &alt, scope);
    }
    let Some(frame) = frame(el, &tag, &s, cite_ref) else {
        return Ok(());
    };
    if !el.can_have_content() {
        return Ok(());
    }
    if frame.skip {
        s.skip += 1;
    }
    if tag == "title" && !s.in_body {
        s.in_title = true;
    }
    s.stack.push(frame);
    drop(s);
    // An inline element (a citation link, a quotation) ends inside its line: `[3.1](…) billion`
    // reads as one figure with its scale.
    let block = BLOCKS.contains(&tag.as_str());
    let state = state.clone();
    el.on_end_tag(end_tag!(move |_end| {
        close(&mut state.borrow_mut(), block);
        Ok(())
    }))
}

/// Record an element's ids (an anchor's `name` too) and the URLs it references.
fn record(el: &Element, tag: &str, reading: &mut Reading) {
    if let Some(id) = el.get_attribute("id") {
        reading.ids.push(decode(&id).into_owned());
    }
    if tag == "a"
        && let Some(name) = el.get_attribute("name")
    {
        reading.ids.push(decode(&name).into_owned());
    }
    for (t, attr, what) in REFS {
        if tag == t
            && let Some(v) = el.get_attribute(attr)
        {
            reading.refs.push((decode(&v).into_owned(), what));
        }
    }
    if let Some(srcset) = el.get_attribute("srcset") {
        for candidate in srcset.split(',') {
            if let Some(url) = candidate.split_whitespace().next() {
                reading.refs.push((decode(url).into_owned(), "srcset"));
            }
        }
    }
}

/// Close the innermost scope at an end tag: its region ends here; a block ends its line.
fn close(s: &mut State, block: bool) {
    if let Some(frame) = s.stack.pop() {
        if frame.skip {
            s.skip -= 1;
        }
        if let Some((kind, start)) = frame.region {
            let end = s.reading.text.len();
            s.reading.regions.push(Region { kind, start, end });
        }
    }
    s.in_title = false;
    if block {
        let scope = s.stack.last().map(|f| f.scope.clone()).unwrap_or_default();
        push_text(&mut s.reading, "\n", scope);
    }
}

/// The scope an element opens, if it opens one.
fn frame(el: &Element, tag: &str, s: &State, cite_ref: &dyn Fn(&str) -> bool) -> Option<Frame> {
    let mut scope = s.stack.last().map(|f| f.scope.clone()).unwrap_or_default();
    let start = s.reading.text.len();
    let skip = matches!(tag, "script" | "style" | "template");
    let mut changed = false;
    if let Some(r) = el.get_attribute("data-cite") {
        scope.cite = Some((decode(&r).into_owned(), false));
        changed = true;
    } else if tag == "a"
        && let Some(href) = el.get_attribute("href").filter(|h| cite_ref(h))
    {
        scope.cite = Some((decode(&href).into_owned(), true));
        changed = true;
    }
    if let Some(lang) = el
        .get_attribute("lang")
        .and_then(|l| crate::lang::Lang::parse(&l))
    {
        scope.lang = Some(lang);
        changed = true;
    }
    let region = region(el, tag, &mut scope, start, s.reading.regions.len());
    changed |= region.is_some();
    if matches!(tag, "code" | "pre" | "kbd" | "samp") {
        scope.code = true;
        changed = true;
    }
    let class = el.get_attribute("class").unwrap_or_default();
    let footnote = class
        .split_whitespace()
        .any(|c| c == "footnote-reference" || c == "footnote-definition-label");
    // A chart's axis values mark its scale; they are no figure of a source.
    if tag == "time" || footnote || el.has_attribute("data-axis") {
        scope.exempt = true;
        changed = true;
    }
    (changed || skip || tag == "title").then_some(Frame {
        scope,
        region,
        skip,
    })
}

/// The region an element marks, starting at byte `start` of the text, and what it changes in
/// its `scope`: an analysis (with its basis), a list number (region number `index`), a
/// quotation, or the name of the document a citation link points to.
fn region(
    el: &Element,
    tag: &str,
    scope: &mut Scope,
    start: usize,
    index: usize,
) -> Option<(RegionKind, usize)> {
    let mut region = None;
    if let Some(basis) = el.get_attribute("data-analysis") {
        scope.analysis = true;
        region = Some((RegionKind::Analysis(decode(&basis).into_owned()), start));
    }
    if el.has_attribute("data-ordinal") {
        scope.ordinal = Some(index);
        region = Some((RegionKind::Ordinal, start));
    }
    if matches!(tag, "q" | "blockquote") || el.has_attribute("data-quote") {
        let cited = el
            .get_attribute("cite")
            .or_else(|| el.get_attribute("data-cite"))
            .map(|c| decode(&c).into_owned());
        region.get_or_insert((RegionKind::Quote(cited), start));
    }
    if tag == "cite"
        && let Some((href, true)) = &scope.cite
    {
        region = Some((RegionKind::Name(href.clone()), start));
        scope.exempt = true;
    }
    region
}
