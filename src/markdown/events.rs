//! The event adapter: pulldown-cmark's events pass through untouched, except headings, which
//! are given their id and anchor link and recorded for the table of contents, and links and
//! images, whose destinations are rewritten. Two sources feed it: the plain stream (the fast
//! path) and the stream with source offsets (to locate problems and record links).

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html};
use rustc_hash::FxHashSet as HashSet;
use std::collections::VecDeque;

use super::ids::{plain_text, slugify, unique_id};
use super::links::{Lines, link_text, rewrite_link};
use super::{Link, Rendered, UrlMap, Where};
use crate::escape::escape_attr;
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

pub(super) fn render_events<'a, I: Source<'a>>(at: &Where, urls: &UrlMap, events: I) -> Rendered {
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
