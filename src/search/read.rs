//! Read a finished page for the search index, with lol_html: the text of its `<main>`, cut into
//! sections where a heading or a paragraph has an `id` (a source's `#p3`, a PDF's
//! `#page-3-p2`), so each result links to the place it was found. What a reader does not read
//! as text is left out: scripts, styles, SVG figures, `aria-hidden` or `hidden` elements, and an
//! element's link to itself (a heading's `#`, a paragraph's `¶3`).

use anyhow::{Context, Result};
use lol_html::html_content::{Element, TextChunk};
use lol_html::{HtmlRewriter, Settings, doc_text, element};
use std::cell::RefCell;
use std::rc::Rc;

use crate::escape::decode;

/// One part of a page as search finds it: the heading or paragraph it starts at.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Part {
    /// The element's id; empty for the text before the first (the page's top).
    pub id: String,
    /// The heading's text, or for a paragraph the heading above it and its own marker.
    pub title: String,
    /// Its text as read, white space and all.
    pub text: String,
}

#[derive(Default)]
struct State {
    parts: Vec<Part>,
    /// Indices of the parts text goes to: the heading's, then an open paragraph's.
    open: Vec<usize>,
    /// Open elements whose text is not read, and open headings' links (not in titles).
    skip: usize,
    in_main: bool,
    in_heading: bool,
    in_link: usize,
}

/// Elements whose text ends a word: a space is put where they start and end (links too: a
/// card's title link is often followed by its description with no space between).
const BLOCKS: &[&str] = &[
    "a",
    "p",
    "div",
    "li",
    "dt",
    "dd",
    "td",
    "th",
    "tr",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "figure",
    "figcaption",
    "blockquote",
    "pre",
    "aside",
    "header",
    "footer",
    "nav",
    "table",
    "ul",
    "ol",
    "dl",
    "hr",
];

/// Elements whose content is not text a reader reads.
const SKIPPED: &[&str] = &["script", "style", "svg", "template", "noscript", "math"];

/// The parts of one page, in order; parts with no text and no title are left out.
pub fn read(html: &[u8]) -> Result<Vec<Part>> {
    let state = Rc::new(RefCell::new(State {
        parts: vec![Part::default()],
        open: vec![0],
        ..State::default()
    }));
    let on_element = {
        let state = state.clone();
        move |el: &mut Element| open(el, &state)
    };
    let on_text = {
        let state = state.clone();
        move |t: &mut TextChunk| {
            state.borrow_mut().text(&decode(t.as_str()));
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
    let mut parts = state.parts;
    for part in &mut parts {
        part.title = part.title.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    parts.retain(|p| !p.title.is_empty() || !p.text.trim().is_empty());
    Ok(parts)
}

impl State {
    fn text(&mut self, text: &str) {
        if !self.in_main || self.skip > 0 {
            return;
        }
        let at = *self.open.last().expect("the page's top is always open");
        let part = &mut self.parts[at];
        if self.in_heading {
            if self.in_link == 0 {
                part.title.push_str(text);
            }
        } else {
            part.text.push_str(text);
        }
    }

    fn space(&mut self) {
        if self.in_main && !self.in_heading {
            self.text(" ");
        }
    }

    /// The id of the element that text now goes to.
    fn current_id(&self) -> &str {
        let at = *self.open.last().expect("the page's top is always open");
        &self.parts[at].id
    }
}

/// Handle an opening tag: where `main` starts and ends, skipped content, and the elements with
/// an id that start a part.
fn open(el: &mut Element, state: &Rc<RefCell<State>>) -> lol_html::HandlerResult {
    let tag = el.tag_name();
    let mut s = state.borrow_mut();
    if tag == "main" {
        s.in_main = true;
        return on_end(el, state, &mut s, |s| s.in_main = false);
    }
    if !s.in_main {
        return Ok(());
    }
    let hidden =
        el.has_attribute("hidden") || el.get_attribute("aria-hidden").is_some_and(|v| v == "true");
    let own_link = tag == "a"
        && el
            .get_attribute("href")
            .is_some_and(|h| h.strip_prefix('#') == Some(s.current_id()) && !h.is_empty());
    if SKIPPED.contains(&tag.as_str()) || hidden || own_link {
        s.skip += 1;
        return on_end(el, state, &mut s, |s| s.skip -= 1);
    }
    if BLOCKS.contains(&tag.as_str()) {
        s.space();
        on_end(el, state, &mut s, State::space)?;
    }
    if tag == "a" && s.in_heading {
        s.in_link += 1;
        return on_end(el, state, &mut s, |s| s.in_link -= 1);
    }
    start_part(el, state, &mut s, &tag)
}

/// A heading or a paragraph with an id starts a part: text goes to it until the next heading,
/// or the paragraph's end.
fn start_part(
    el: &mut Element,
    state: &Rc<RefCell<State>>,
    s: &mut State,
    tag: &str,
) -> lol_html::HandlerResult {
    let Some(id) = el.get_attribute("id").map(|id| decode(&id).into_owned()) else {
        return Ok(());
    };
    if matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
        s.parts.push(Part {
            id,
            ..Part::default()
        });
        s.open = vec![s.parts.len() - 1];
        s.in_heading = true;
        return on_end(el, state, s, |s| s.in_heading = false);
    }
    if tag == "p" {
        paragraph(s, id);
        return on_end(el, state, s, |s| {
            s.open.pop();
        });
    }
    Ok(())
}

/// Open a paragraph's part, titled by the heading it sits under.
fn paragraph(s: &mut State, id: String) {
    let heading = s.open.first().copied().unwrap_or(0);
    let title = s.parts[heading].title.clone();
    s.parts.push(Part {
        id,
        title,
        text: String::new(),
    });
    s.open.push(s.parts.len() - 1);
}

/// Run `then` when the element ends (at once for an element that cannot have content).
fn on_end(
    el: &mut Element,
    state: &Rc<RefCell<State>>,
    now: &mut State,
    then: impl Fn(&mut State) + 'static,
) -> lol_html::HandlerResult {
    if !el.can_have_content() {
        then(now);
        return Ok(());
    }
    let state = state.clone();
    if let Some(handlers) = el.end_tag_handlers() {
        handlers.push(Box::new(move |_| {
            then(&mut state.borrow_mut());
            Ok(())
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_start_at_headings_and_paragraphs_with_ids_inside_main_only() {
        let html = br##"<header>Menu</header><main><h1>Title</h1><p>Lead &amp; more</p>
            <h2 id="a">First <a href="#a">#</a></h2><p>Under a</p>
            <p id="p3"><a href="#p3">&para;3</a> Paragraph <svg><text>42</text></svg>three</p>
            <p>back under a</p></main><footer>Foot</footer>"##;
        let parts: Vec<(String, String, String)> = read(html)
            .unwrap()
            .into_iter()
            .map(|p| {
                (
                    p.id,
                    p.title,
                    p.text.split_whitespace().collect::<Vec<_>>().join(" "),
                )
            })
            .collect();
        let part = |id: &str, title: &str, text: &str| (id.into(), title.into(), text.into());
        assert_eq!(
            parts,
            [
                part("", "", "Title Lead & more"),
                part("a", "First", "Under a back under a"),
                part("p3", "First", "Paragraph three"),
            ]
        );
    }
}
