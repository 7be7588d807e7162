//! The event adapter: pulldown-cmark's events pass through untouched, except headings, which
//! are given their id and anchor link and recorded for the table of contents, and links and
//! images, whose destinations are rewritten. Two sources feed it: the plain stream (the fast
//! path) and the stream with source offsets (to locate problems and record links).

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html};
use std::collections::VecDeque;

use super::ids::{Seen, heading_tags, html_ids, plain_text, slugify};
use super::links::{Lines, link_text, rewrite_link};
use super::{Link, Rendered, UrlMap, Where};
use crate::diag::Problem;
use crate::escape::{escape_attr, push_escaped};
use crate::ids::{Claim, Ids, Plan};
use crate::model::Heading;

/// Markdown events, and where in the body the last one came from.
pub(super) trait Source<'a>: Iterator<Item = Event<'a>> {
    /// The byte range of the event `next` returned last (`0..0` when not tracked).
    fn range(&self) -> std::ops::Range<usize>;
}

/// pulldown-cmark's plain event stream: the fast path, which knows no positions.
pub(super) struct Plain<'a>(pub(super) Parser<'a>);

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
pub(super) struct Located<'a> {
    pub(super) inner: pulldown_cmark::OffsetIter<'a>,
    pub(super) range: std::ops::Range<usize>,
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

/// Render a body's events. Without a `plan`, ids are given out in one pass, and the plan is
/// returned when the page's order defeated that (an explicit id after an automatic one that
/// took it, a footnote before the heading it collides with); render again with it.
pub(super) fn render_events<'a, I: Source<'a>>(
    at: &Where,
    urls: &UrlMap,
    events: I,
    plan: Option<&Plan>,
) -> (Rendered, Option<Plan>) {
    let body = &at.text[at.body_start..];
    let mut out = Rendered::default();
    let mut html = String::with_capacity(body.len() + body.len() / 2);
    let mut events = Events {
        inner: events,
        at,
        urls,
        out: &mut out,
        ids: Ids::default(),
        plan,
        seen: Seen::default(),
        queue: VecDeque::new(),
        lines: Lines::default(),
    };
    // By reference: passed by value, the adapter's `next` is no longer inlined (measured).
    html::push_html(&mut html, &mut events);
    let plan = match plan {
        Some(_) => None,
        None => events.seen.replan(&events.out.toc),
    };
    out.html = html;
    (out, plan)
}

/// The event stream with headings given ids and anchors, footnotes and raw HTML given their
/// place among the page's ids, and links rewritten. Only a heading's own events, and an HTML
/// block's text, are ever buffered.
struct Events<'a, 'w, I> {
    inner: I,
    at: &'w Where<'w>,
    urls: &'w UrlMap,
    out: &'w mut Rendered,
    ids: Ids,
    plan: Option<&'w Plan>,
    seen: Seen,
    queue: VecDeque<Event<'a>>,
    lines: Lines,
}

/// Whether an event is one the adapter changes or learns ids from.
fn is_rewritten(event: &Event) -> bool {
    matches!(
        event,
        Event::Start(
            Tag::Heading { .. }
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::FootnoteDefinition(_)
                | Tag::HtmlBlock
        ) | Event::End(TagEnd::HtmlBlock)
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
    )
}

impl<'a, I: Source<'a>> Iterator for Events<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if !self.queue.is_empty() {
            return self.queue.pop_front();
        }
        let event = self.inner.next()?;
        // Most events pass through untouched: decide on a reference, move once.
        if !is_rewritten(&event) {
            return Some(event);
        }
        Some(self.rewrite(event))
    }
}

impl<'a, I: Source<'a>> Events<'a, '_, I> {
    /// An event [`is_rewritten`] picks (the event the source gave last), rewritten.
    #[inline(never)]
    fn rewrite(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => self.heading(level, id, &classes, &attrs),
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) if dest_url.trim() == "analysis:" => self.analysis(&title),
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
            Event::FootnoteReference(label) => Event::FootnoteReference(self.footnote(label)),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                Event::Start(Tag::FootnoteDefinition(self.footnote(label)))
            }
            event @ (Event::Start(Tag::HtmlBlock)
            | Event::Html(_)
            | Event::End(TagEnd::HtmlBlock)
            | Event::InlineHtml(_)) => self.html(event),
            other => other,
        }
    }

    /// Raw HTML, passed through once its active content and ids are looked at: a block's
    /// pieces are gathered to its end, so that a tag split over lines is read whole.
    fn html(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                self.seen.block = Some(Default::default());
                event
            }
            Event::Html(text) => {
                let start = self.inner.range().start;
                match &mut self.seen.block {
                    Some((block, pieces)) => {
                        pieces.push((block.len(), start));
                        block.push_str(&text);
                    }
                    None => self.raw_html(&text, &[(0, start)]),
                }
                Event::Html(text)
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((block, pieces)) = self.seen.block.take() {
                    self.raw_html(&block, &pieces);
                }
                event
            }
            Event::InlineHtml(text) => {
                self.raw_html(&text, &[(0, self.inner.range().start)]);
                Event::InlineHtml(text)
            }
            other => other,
        }
    }

    /// Read a heading's events up to its end and queue it with its id and anchor.
    fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: &[CowStr<'a>],
        attrs: &[(CowStr<'a>, Option<CowStr<'a>>)],
    ) -> Event<'a> {
        let start = self.inner.range().start;
        // The queue is empty whenever a heading starts (see `next`): its events wait there.
        while let Some(event) = self.inner.next() {
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                event if is_rewritten(&event) => {
                    let event = self.rewrite(event);
                    self.queue.push_back(event);
                }
                other => self.queue.push_back(other),
            }
        }
        let title = plain_text(self.queue.iter());
        let id = self.heading_id(id, start, &title);
        let (open, close) = heading_tags(level, &id, classes, attrs);
        self.queue.push_back(Event::Html(close.into()));
        self.out.toc.push(Heading {
            level: level as u8,
            id,
            title,
        });
        Event::Html(open.into())
    }

    /// A heading's id: the one written (`{#id}`), the plan's (serve's kept ids), or one made
    /// from its title.
    fn heading_id(&mut self, id: Option<CowStr<'a>>, start: usize, title: &str) -> String {
        match id {
            Some(id) => {
                self.explicit(&id, start);
                self.seen.headings.push(None);
                id.to_string()
            }
            None => match self.plan {
                Some(plan) => plan.headings[self.out.toc.len()].clone(),
                None => {
                    let (id, base) = self.ids.automatic_from(slugify(title));
                    self.seen.headings.push(Some(base));
                    id
                }
            },
        }
    }

    /// Claim an explicit id written at `offset` in the body; a duplicate is a problem.
    fn explicit(&mut self, id: &str, offset: usize) {
        if self.ids.explicit(id) == Claim::Duplicate {
            self.out.problems.push(Problem::at_offset(
                self.at.file,
                self.at.text,
                self.at.body_start + offset,
                0,
                format!(
                    "id `{id}` is given twice on this page (by a heading's {{#{id}}} or an `id` in HTML): ids must be unique"
                ),
            ));
        }
    }

    /// Claim the ids of raw HTML: `pieces` are (position in `html`, offset in the body).
    fn raw_html(&mut self, html: &str, pieces: &[(usize, usize)]) {
        let in_body = |at: usize| {
            let (piece, offset) = pieces
                .iter()
                .rev()
                .find(|(p, _)| *p <= at)
                .copied()
                .unwrap_or((0, 0));
            offset + (at - piece)
        };
        for (at, id) in html_ids(html) {
            self.explicit(&id, in_body(at));
            if self.plan.is_none() {
                self.seen.raw.push(id);
            }
        }
        if !self.at.scripts_allowed {
            for (at, what) in crate::active::in_html(html) {
                self.active(in_body(at), &what);
            }
        }
    }

    /// Active content (a script) at `offset` in the body: a problem unless the site allows it.
    fn active(&mut self, offset: usize, what: &str) {
        self.out.problems.push(Problem::at_offset(
            self.at.file,
            self.at.text,
            self.at.body_start + offset,
            0,
            crate::active::message(what),
        ));
    }

    /// The id of the footnote `label`, the same for its definition and every reference.
    fn footnote(&mut self, label: CowStr<'a>) -> CowStr<'a> {
        let id = match self.plan {
            Some(plan) => plan.footnotes.get(&*label).cloned(),
            None => match self.seen.by_label.get(&*label) {
                Some(&i) => Some(self.seen.footnotes[i].1.clone()),
                None => {
                    let id = self.ids.automatic(label.to_string());
                    self.seen
                        .by_label
                        .insert(label.to_string(), self.seen.footnotes.len());
                    self.seen.footnotes.push((label.to_string(), id.clone()));
                    Some(id)
                }
            },
        };
        match id {
            Some(id) if *id != *label => id.into(),
            _ => label,
        }
    }

    /// A link to `analysis:` is the briefing's own analysis: its text in a marked span, followed
    /// by its basis (the link's title), shown to readers.
    fn analysis(&mut self, basis: &str) -> Event<'a> {
        let mut depth = 0usize;
        while let Some(event) = self.inner.next() {
            match &event {
                Event::End(TagEnd::Link) if depth == 0 => break,
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            let event = if is_rewritten(&event) {
                self.rewrite(event)
            } else {
                event
            };
            self.queue.push_back(event);
        }
        let mut close = String::from(" <span class=\"analysis-basis\">(analysis: ");
        push_escaped(&mut close, basis);
        close.push_str(")</span></span>");
        self.queue.push_back(Event::InlineHtml(close.into()));
        let open = format!(
            "<span class=\"analysis-figure\" data-analysis=\"{}\">",
            escape_attr(basis)
        );
        Event::InlineHtml(open.into())
    }

    fn link(&mut self, dest: CowStr<'a>) -> CowStr<'a> {
        let range = &self.inner.range();
        if !self.at.scripts_allowed
            && let Some(scheme) = crate::active::dangerous_url(&dest)
        {
            self.active(range.start, &format!("a `{scheme}:` URL in a link"));
        }
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
