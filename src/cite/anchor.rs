//! Citations anchored by their words: the paragraphs of a document that hold a quote, which
//! place a citation written without `para` (and `page`), and tell `briefing fix` where a quote
//! went after its source was re-issued or re-wrapped. Quotes and paragraphs are compared as the
//! verbatim check compares them ([`normalize`]), so a quote placed here is one the build accepts.

use super::normalize;
use crate::model::{Document, Paragraph};

/// Every paragraph of `doc` whose text holds `quote`, in order; only those of page `page` when
/// one is given (a PDF citation may name its page and leave out the paragraph).
pub fn holding<'d>(doc: &'d Document, quote: &str, page: Option<i64>) -> Vec<&'d Paragraph> {
    let quote = normalize(quote);
    if quote.trim().is_empty() {
        return Vec::new();
    }
    doc.paragraphs
        .iter()
        .filter(|p| page.is_none_or(|n| p.page.and_then(|q| i64::try_from(q).ok()) == Some(n)))
        .filter(|p| normalize(&p.text).contains(&quote))
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
        false => found.iter().map(|p| super::paragraph_name(p)).collect(),
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
