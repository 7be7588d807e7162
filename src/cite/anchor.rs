//! Citations anchored by their words: the paragraphs of a document that hold a quote, which
//! place a citation written without `para` (and `page`), and tell `briefing fix` where a quote
//! went after its source was re-issued or re-wrapped. Quotes and paragraphs are compared as the
//! verbatim check compares them ([`normalize`]), so a quote placed here is one the build accepts.

use super::{Ctx, nearmiss, normalize, paragraph_name};
use crate::model::{Document, Paragraph};

impl Ctx<'_> {
    /// The paragraph a citation names: `para` of a text source, or `page` and `para` of a PDF.
    pub(super) fn paragraph<'d>(
        &mut self,
        doc: &'d Document,
        source: &str,
        path: &str,
        page: Option<i64>,
        para: i64,
    ) -> Option<&'d crate::model::Paragraph> {
        if doc.pages.is_empty() && page.is_some() {
            let message = format!(
                "citation `{path}` names a page, but `{source}` presents a text source, which has paragraphs only: remove `page`"
            );
            self.at_key(&format!("{path}.page"), message);
            return None;
        }
        if doc.pages.is_empty() {
            return self.text_paragraph(doc, source, path, para);
        }
        let Some(page) = page else {
            let message = format!(
                "citation `{path}` cites the PDF `{}` and needs `page` (from 1) as well as `para` (from 1 on that page), or neither: its quote then finds both",
                doc.path
            );
            self.at_key(&format!("{path}.para"), message);
            return None;
        };
        let Some(sheet) = usize::try_from(page)
            .ok()
            .and_then(|n| doc.pages.get(n.wrapping_sub(1)))
        else {
            let message = format!(
                "citation `{path}` names page {page} of `{}`, which has pages 1 to {}",
                doc.path,
                doc.pages.len()
            );
            self.at_value(&format!("{path}.page"), message);
            return None;
        };
        let found = usize::try_from(para)
            .ok()
            .and_then(|n| sheet.paragraphs.get(n.wrapping_sub(1)));
        if found.is_none() {
            let message = format!(
                "citation `{path}` names paragraph {para} of page {page} of `{}`, which has paragraphs 1 to {} there",
                doc.path,
                sheet.paragraphs.len()
            );
            self.at_value(&format!("{path}.para"), message);
        }
        found
    }

    /// Paragraph `para` (from 0) of a source without pages.
    fn text_paragraph<'d>(
        &mut self,
        doc: &'d Document,
        source: &str,
        path: &str,
        para: i64,
    ) -> Option<&'d crate::model::Paragraph> {
        let found = usize::try_from(para)
            .ok()
            .and_then(|n| doc.paragraphs.get(n));
        if found.is_none() {
            let last = doc.paragraphs.len() - 1;
            let message = format!(
                "citation `{path}` names paragraph {para} of `{source}`, which has paragraphs 0 to {last}"
            );
            self.at_value(&format!("{path}.para"), message);
        }
        found
    }

    /// The one paragraph holding the quote of a citation written without `para`.
    pub(super) fn locate<'d>(
        &mut self,
        doc: &'d Document,
        source: &str,
        path: &str,
        page: Option<i64>,
        quote: &str,
    ) -> Option<&'d crate::model::Paragraph> {
        let quote_at = format!("{path}.quote");
        if page.is_some() && doc.pages.is_empty() {
            let message = format!(
                "citation `{path}` names a page, but `{}` is a text source, which has paragraphs only: remove `page`",
                doc.path
            );
            self.at_key(&format!("{path}.page"), message);
            return None;
        }
        let texts = self
            .texts
            .get(source)
            .map(|t| t.get_or_init(|| normalized(doc)));
        let texts = texts.map_or(&[][..], Vec::as_slice);
        let found = holding_among(doc, texts, quote, page);
        match found.as_slice() {
            [one] => Some(one),
            [] if page.is_some() && !holding_among(doc, texts, quote, None).is_empty() => {
                let elsewhere = holding_among(doc, texts, quote, None);
                let message = format!(
                    "quote in `{path}` is not on page {} of `{}` (it is in {}): \"{}\"",
                    page.unwrap_or_default(),
                    doc.path,
                    list(&elsewhere),
                    crate::diag::inline(quote)
                );
                self.at_value(&quote_at, message);
                None
            }
            [] => {
                self.unplaced(quote, &quote_at, doc);
                None
            }
            several => {
                let choose = if doc.pages.is_empty() {
                    "`para`"
                } else {
                    "`page` and `para`"
                };
                let message = format!(
                    "quote in `{path}` is in {} of `{}`: add {choose} to choose one: \"{}\"",
                    list(several),
                    doc.path,
                    crate::diag::inline(quote)
                );
                self.at_value(&quote_at, message);
                None
            }
        }
    }

    /// A quote found in no paragraph of its document: one running across two paragraphs, or the
    /// closest passage of the paragraph sharing most of its words.
    fn unplaced(&mut self, quote: &str, at: &str, doc: &Document) {
        if self.crossing(quote, at, doc) {
            return;
        }
        let words: Vec<String> = normalize(quote).split(' ').map(str::to_owned).collect();
        let shared = |p: &&crate::model::Paragraph| {
            let text = normalize(&p.text);
            words.iter().filter(|w| text.contains(w.as_str())).count()
        };
        let best = doc.paragraphs.iter().max_by_key(shared);
        let closest = best
            .and_then(|p| Some((p, nearmiss::closest(quote, &p.text)?)))
            .map_or(String::new(), |(p, c)| {
                format!("\n  closest passage, in {}: “{c}”\n  ([-…-] is the quote's, {{+…+}} the source's)", paragraph_name(p))
            });
        let message = format!(
            "quote in `{}` is in no paragraph of `{}`: \"{}\"{closest}",
            at.trim_end_matches(".quote"),
            doc.path,
            crate::diag::inline(quote)
        );
        self.at_value(at, message);
    }
}

/// The text of each paragraph of `doc`, normalised: computed once a document for all the
/// citations that look for their words in it.
pub fn normalized(doc: &Document) -> Vec<String> {
    doc.paragraphs.iter().map(|p| normalize(&p.text)).collect()
}

/// Every paragraph of `doc` whose text holds `quote`, in order, given its paragraphs'
/// [`normalized`] `texts`; only those of page `page` when one is given (a PDF citation may name
/// its page and leave out the paragraph).
pub fn holding_among<'d>(
    doc: &'d Document,
    texts: &[String],
    quote: &str,
    page: Option<i64>,
) -> Vec<&'d Paragraph> {
    let quote = normalize(quote);
    if quote.trim().is_empty() {
        return Vec::new();
    }
    let on_page =
        |p: &Paragraph| page.is_none_or(|n| p.page.and_then(|q| i64::try_from(q).ok()) == Some(n));
    doc.paragraphs
        .iter()
        .zip(texts)
        .filter(|(p, text)| on_page(p) && text.contains(&quote))
        .map(|(p, _)| p)
        .collect()
}

/// The paragraph a citation names (`page`, `para`), if it exists.
pub fn named(doc: &Document, page: Option<i64>, para: i64) -> Option<&Paragraph> {
    let para = usize::try_from(para).ok()?;
    if doc.pages.is_empty() {
        return page.is_none().then(|| doc.paragraphs.get(para)).flatten();
    }
    let page = usize::try_from(page?).ok()?;
    doc.pages
        .get(page.checked_sub(1)?)?
        .paragraphs
        .get(para.checked_sub(1)?)
}

/// The paragraphs as a reader finds them: "paragraphs 3 and 7", or "paragraph 2 of page 5 and
/// paragraph 1 of page 6" in a PDF.
pub fn list(found: &[&Paragraph]) -> String {
    let text = found.iter().all(|p| p.page.is_none());
    let names: Vec<String> = match text {
        true => found.iter().map(|p| p.n.to_string()).collect(),
        false => found.iter().map(|p| paragraph_name(p)).collect(),
    };
    let joined = match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    match (text, found.len()) {
        (true, 1) => format!("paragraph {joined}"),
        (true, _) => format!("paragraphs {joined}"),
        (false, _) => joined,
    }
}

/// A citation table and where it is: `extra.metrics[0].cite`.
pub struct Citation<'t> {
    pub path: String,
    pub table: &'t toml::Table,
}

/// Every citation (a table with a `quote`) in a page's `[extra]`, in the order written.
pub fn citations(extra: &toml::Table) -> Vec<Citation<'_>> {
    let mut out = Vec::new();
    walk(extra, "extra".into(), &mut out);
    out
}

fn walk<'t>(table: &'t toml::Table, path: String, out: &mut Vec<Citation<'t>>) {
    if table.contains_key("quote") {
        out.push(Citation {
            path: path.clone(),
            table,
        });
    }
    for (key, value) in table {
        walk_value(value, format!("{path}.{key}"), out);
    }
}

fn walk_value<'t>(value: &'t toml::Value, path: String, out: &mut Vec<Citation<'t>>) {
    match value {
        toml::Value::Table(t) => walk(t, path, out),
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_value(item, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}
