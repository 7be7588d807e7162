//! The rules a page's visible text must keep when a site has source documents: every quotation
//! verbatim in a source, every figure backed (see docs/FORMAT.md for the definitions).

use std::ops::Range;

use super::read::{Reading, RegionKind, Scope};
use super::sources::{ParaRef, Sources};
use crate::claims::{self, Claim, Found};
use crate::lang::Lang;
use crate::quotes::{normalize, quoted, strip_marks};

/// A broken rule, before it is located in a content or template file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub message: String,
    /// Text to look for in the page's content file, then in the templates: the quote, or the
    /// words around the figure, then the figure alone.
    pub needles: Vec<String>,
    /// The citation link the text sits in, if any: its Markdown line is the place to blame.
    pub link: Option<String>,
    /// The bytes of the reading's text the finding is about (a figure, a quotation), so that
    /// text a page took from settings or front matter can be told apart.
    #[allow(dead_code)] // read once settings and front matter are told apart (issue 21)
    pub at: Range<usize>,
}

/// Check one page's reading; `url` is the page's site-relative URL. Quotations are checked
/// first: the figures inside a verified one are the source's own words.
pub fn check(reading: &Reading, sources: &Sources, url: &str, lang: Lang) -> Vec<Finding> {
    let page = PageRef {
        reading,
        sources,
        url,
    };
    let mut out = Vec::new();
    let (mut verified, failed) = page.quotations(&mut out);
    for region in &reading.regions {
        if let Some(ok) = page.region(region, &failed, &mut out) {
            ok.then(|| verified.push(region.start..region.end));
        }
    }
    page.figures(lang, &verified, &mut out);
    out
}

/// One page being checked against the site's sources.
struct PageRef<'a> {
    reading: &'a Reading,
    sources: &'a Sources,
    url: &'a str,
}

impl PageRef<'_> {
    /// Check each quotation in quotation marks; returns the ranges verified and those that
    /// failed. One in a citation link is held to that paragraph; elsewhere (a `data-cite`
    /// region too) to any paragraph of any source.
    fn quotations(&self, out: &mut Vec<Finding>) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
        let (mut verified, mut failed) = (Vec::new(), Vec::new());
        let text = &self.reading.text;
        for q in quoted(text) {
            let scope = scope_at(self.reading, q.start);
            if scope.code {
                continue;
            }
            let passage = &text[q.start..q.end];
            let cited = scope
                .cite
                .as_ref()
                .filter(|(_, link)| *link)
                .and_then(|(r, _)| self.sources.paragraph(self.url, r));
            if self.holds(cited, passage) {
                verified.push(q.start..q.end);
            } else {
                failed.push(q.start..q.end);
                let finding = quote_finding(self.sources, passage, q.start..q.end, cited, &scope);
                out.push(finding);
            }
        }
        (verified, failed)
    }

    /// Whether the cited paragraph (else any paragraph of any source) holds `passage`.
    fn holds(&self, cited: Option<ParaRef>, passage: &str) -> bool {
        match cited {
            Some(p) => self.sources.in_paragraph(p, passage),
            None => self.sources.anywhere(passage),
        }
    }

    /// Check one marked region; for a block quotation, whether every line of it was verified
    /// (`None` for the other kinds).
    fn region(
        &self,
        region: &super::read::Region,
        failed: &[Range<usize>],
        out: &mut Vec<Finding>,
    ) -> Option<bool> {
        let inner = region_text(self.reading, region.start..region.end);
        let at = region.start..region.end;
        match &region.kind {
            // Its quotation marks were read already, and that problem is reported.
            RegionKind::Quote(_)
                if failed
                    .iter()
                    .any(|f| at.start <= f.start && f.end <= at.end) =>
            {
                None
            }
            RegionKind::Quote(cite) => Some(self.block_quote(cite.as_deref(), &inner, at, out)),
            RegionKind::Name(href) => {
                out.extend(wrong_name(
                    self.reading,
                    region,
                    href,
                    self.sources,
                    self.url,
                ));
                None
            }
            RegionKind::Ordinal => {
                out.extend(ordinal_finding(&inner, at));
                None
            }
            RegionKind::Analysis(basis) => {
                out.extend(analysis_finding(basis, &inner, at));
                None
            }
        }
    }

    /// Check each line of a block quotation against its cited paragraph (else any); returns
    /// whether all of them hold.
    fn block_quote(
        &self,
        cite: Option<&str>,
        inner: &str,
        at: Range<usize>,
        out: &mut Vec<Finding>,
    ) -> bool {
        let cited = cite.and_then(|r| self.sources.paragraph(self.url, r));
        let mut all = true;
        for line in inner.split('\n').map(strip_marks).filter(|l| !l.is_empty()) {
            if !self.holds(cited, line) {
                all = false;
                let finding =
                    quote_finding(self.sources, line, at.clone(), cited, &Scope::default());
                out.push(finding);
            }
        }
        all
    }

    /// Check every figure outside exempt, analysis and verified text against the paragraphs
    /// its region cites, else against the sources.
    fn figures(&self, lang: Lang, verified: &[Range<usize>], out: &mut Vec<Finding>) {
        let text = &self.reading.text;
        for c in read_claims(self.reading, lang) {
            let scope = scope_at(self.reading, c.at.start);
            if scope.exempt || scope.analysis || scope.ordinal.is_some() {
                continue;
            }
            if verified
                .iter()
                .any(|r| r.start <= c.at.start && c.at.end <= r.end)
            {
                continue;
            }
            let cited = self.cited(&scope);
            let Some(message) = unbacked(text, &c, &cited, self.sources) else {
                continue;
            };
            out.push(Finding {
                message,
                needles: vec![
                    excerpt(text, c.at.start, c.at.end),
                    around(text, c.at.start, c.at.end),
                    text[c.at.clone()].to_string(),
                ],
                link: scope.cite.filter(|(_, link)| *link).map(|(r, _)| r),
                at: c.at.clone(),
            });
        }
    }

    /// The paragraphs a scope cites: its link's, or each of a region's (a chart of values
    /// from several paragraphs: any of them backs).
    fn cited(&self, scope: &Scope) -> Vec<ParaRef> {
        match &scope.cite {
            Some((r, true)) => self.sources.paragraph(self.url, r).into_iter().collect(),
            Some((r, false)) => r
                .split_whitespace()
                .filter_map(|r| self.sources.paragraph(self.url, r))
                .collect(),
            None => Vec::new(),
        }
    }
}

/// An element marked `data-ordinal` must show a list number.
fn ordinal_finding(inner: &str, at: Range<usize>) -> Option<Finding> {
    let t = inner.trim();
    let ok = !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit());
    (!ok).then(|| Finding {
        message: format!("an element marked `data-ordinal` shows “{t}”: only a list number (1 to 999) may be marked so"),
        needles: vec![t.to_string(), "data-ordinal".into()],
        link: None,
        at,
    })
}

/// An analysis marker must state its basis, and the marked text must show it.
fn analysis_finding(basis: &str, inner: &str, at: Range<usize>) -> Option<Finding> {
    let ok = !basis.trim().is_empty() && normalize(inner).contains(&normalize(basis));
    (!ok).then(|| Finding {
        message: format!("an analysis marker must state its basis and show it to readers: `data-analysis` is “{basis}”, but the marked text (“{}”) does not show it", excerpt(inner, 0, inner.len())),
        needles: vec![basis.to_string(), "data-analysis".into()],
        link: None,
        at,
    })
}

/// The claims of a page's text, each run read in its language: the page's, or the one an
/// element's `lang` gives (a German part of the print document, a quotation).
fn read_claims(reading: &Reading, page: Lang) -> Vec<Claim> {
    let text = &reading.text;
    let lang_at = |s: &super::read::Segment| s.scope.lang.unwrap_or(page);
    if reading.segments.iter().all(|s| lang_at(s) == page) {
        return claims::read(text, page);
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < reading.segments.len() {
        let lang = lang_at(&reading.segments[i]);
        let start = reading.segments[i].start;
        let mut end = reading.segments[i].end;
        while i + 1 < reading.segments.len() && lang_at(&reading.segments[i + 1]) == lang {
            i += 1;
            end = reading.segments[i].end;
        }
        i += 1;
        for mut c in claims::read(&text[start..end], lang) {
            c.at = c.at.start + start..c.at.end + start;
            c.span = c.span.start + start..c.span.end + start;
            out.push(c);
        }
    }
    out
}

/// Why claim `c` of the page's `text` is not backed, if it is not: a figure by the paragraph
/// its citation names, meaning what the paragraph says; a period by any source.
fn unbacked(text: &str, c: &Claim, cited: &[ParaRef], sources: &Sources) -> Option<String> {
    let raw = &text[c.at.clone()];
    let context = excerpt(text, c.at.start, c.at.end);
    if !c.is_figure() && c.period.is_some_and(|p| sources.states(&p)) {
        return None;
    }
    let Some(&first) = cited.first() else {
        return Some(format!(
            "figure {raw} in “{context}” has no source: cite the paragraph that states it, link it to the metric that gives it, or mark it as the briefing's own analysis with its basis (docs/FORMAT.md, “Figures”)"
        ));
    };
    let mut differs = None;
    for &p in cited.iter().filter(|_| c.is_figure()) {
        match claims::find(c, sources.claims(p)) {
            Found::Same(_) => return None,
            Found::Differs(s, mut d) => {
                d.retain(|d| !sources.given_nearby(p, d));
                if d.is_empty() {
                    return None;
                }
                differs.get_or_insert((p, s, d));
            }
            Found::Missing => {}
        }
    }
    let Some((p, s, differences)) = differs else {
        return Some(format!(
            "figure {raw} in “{context}” is not in {}, which it cites",
            sources.describe(first)
        ));
    };
    let what: Vec<String> = differences.iter().map(|d| d.describe("page")).collect();
    Some(format!(
        "figure {raw} in “{context}” does not mean what {} says (“{}”): {}",
        sources.describe(p),
        sources.span(p, s),
        what.join("; ")
    ))
}

/// A quotation not verbatim in its cited paragraph (or in any, when none is cited); one that
/// runs across a paragraph break is told so.
fn quote_finding(
    sources: &Sources,
    passage: &str,
    at: Range<usize>,
    cited: Option<ParaRef>,
    scope: &Scope,
) -> Finding {
    let quoted = crate::diag::inline(passage.trim());
    let message = match sources.crossing(passage, cited) {
        Some(crossing) => format!(
            "the page quotes “{quoted}”, which runs {crossing}: a quotation is checked against one paragraph, so quote each paragraph separately"
        ),
        None => {
            let where_ = cited.map_or("in any source document".to_string(), |p| {
                format!("in {}", sources.describe(p))
            });
            format!(
                "the page quotes “{quoted}”, which is not verbatim {where_} (only the first letter's case may differ)"
            )
        }
    };
    Finding {
        message,
        needles: vec![passage.trim().to_string()],
        link: scope.cite.clone().filter(|(_, link)| *link).map(|(r, _)| r),
        at,
    }
}

/// A document named in a citation link that is not the short name of the source it cites.
fn wrong_name(
    reading: &Reading,
    region: &super::read::Region,
    href: &str,
    sources: &Sources,
    url: &str,
) -> Option<Finding> {
    let shown = reading.text[region.start..region.end].trim();
    let (path, short) = sources.name(sources.paragraph(url, href)?);
    if short == Some(shown) {
        return None;
    }
    let should = short.map_or("no name (the site has one source)".to_string(), |s| {
        format!("“{s}”")
    });
    Some(Finding {
        message: format!(
            "a citation link names its document “{shown}”, but it cites `{path}`, whose name in citations is {should}"
        ),
        needles: vec![shown.to_string(), "<cite>".into()],
        link: Some(href.to_string()),
        at: region.start..region.end,
    })
}

/// The scope of the text at byte `at`.
fn scope_at(reading: &Reading, at: usize) -> Scope {
    let i = reading.segments.partition_point(|s| s.end <= at);
    reading
        .segments
        .get(i)
        .filter(|s| s.start <= at)
        .map(|s| s.scope.clone())
        .unwrap_or_default()
}

/// The text of a range without the text of citation links in it (their markers, `¶2`).
fn region_text(reading: &Reading, range: Range<usize>) -> String {
    let mut out = String::new();
    for s in &reading.segments {
        let (start, end) = (s.start.max(range.start), s.end.min(range.end));
        if start < end && !s.scope.cite.as_ref().is_some_and(|(_, link)| *link) {
            out.push_str(&reading.text[start..end]);
        }
    }
    out
}

/// Up to about 40 characters of the line around `start..end`, for messages and locating.
fn excerpt(text: &str, start: usize, end: usize) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let mut from = line_start.max(start.saturating_sub(40));
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = line_end.min(end + 40);
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let s = text[from..to].trim();
    normalize(s)
}

/// The figure with the word before and after it (`reached 1.7 billion`).
fn around(text: &str, start: usize, end: usize) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let line = &text[line_start..line_end];
    let at = start - line_start;
    let words: Vec<(usize, &str)> = line
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
        .collect();
    let i = words
        .iter()
        .position(|(o, w)| *o <= at && at < o + w.len())
        .unwrap_or(0);
    let (lo, hi) = (i.saturating_sub(1), (i + 2).min(words.len()));
    let picked: Vec<&str> = words[lo..hi].iter().map(|(_, w)| *w).collect();
    picked.join(" ")
}
