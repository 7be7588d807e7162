//! Source documents and the citations that point into them. A citation is any table in a page's
//! `[extra]` with a `quote`; it names the page presenting the source (`source`) and a paragraph
//! (`para`). We check the data against its schema, the quote against its paragraph, every metric
//! against its quote (numbers, units, forecast status), and give each citation the `url` of the
//! paragraph anchor (and the source's `lang` when it is not the page's). Every problem is located at its own key.

mod anchor;
mod cell;
mod column;
mod damage;
mod document;
mod html;
mod load;
mod meaning;
mod metric;
mod moved;
mod nearmiss;
mod schema;
mod short;
mod table;

pub use crate::quotes::normalize;
pub use document::{SourceKind, pdf_document, read_document, read_source, split_document};
pub use load::load_documents;
pub use moved::{Move, moved};
pub use schema::is_typed_data;
pub use short::{derive as derive_short, short_names};

use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::diag::{Problem, renamed_suggestion};
use crate::model::{Document, Page};
use crate::quotes::verbatim_in;
use crate::spans::{problem_at_key, problem_at_value};

/// What [`resolve`] found: `schema` problems stop a build before anything renders (templates
/// would only meet their symptoms); `findings` are wrong facts in well-formed data.
#[derive(Debug, Default)]
pub struct Resolved {
    pub schema: Vec<Problem>,
    pub findings: Vec<Problem>,
}

/// Check every page's data, then resolve and verify its citations, adding `url` to each.
pub fn resolve(pages: &mut [Page]) -> Resolved {
    let sources: HashMap<String, (String, Document)> = pages
        .iter()
        .filter_map(|p| Some((p.rel.clone(), (p.url.clone(), p.document.clone()?))))
        .collect();
    let shorts = short_names(pages);
    let texts: HashMap<String, OnceLock<Vec<String>>> = sources
        .keys()
        .map(|k| (k.clone(), OnceLock::new()))
        .collect();
    let found: Vec<Resolved> = pages
        .par_iter_mut()
        .map(|page| {
            let mut out = Resolved::default();
            for (path, message) in schema::check(&page.meta.extra) {
                out.schema
                    .push(problem_at_key(&page.file, &page.front, &path, message));
            }
            if !out.schema.is_empty() {
                return out;
            }
            let mut extra = std::mem::take(&mut page.meta.extra);
            let mut ctx = Ctx {
                page,
                sources: &sources,
                shorts: &shorts,
                texts: &texts,
                problems: &mut out.findings,
                columns: Vec::new(),
            };
            ctx.expand_columns(&mut extra);
            ctx.walk_table(&mut extra, "extra");
            ctx.check_metrics(&extra);
            anchor_metrics(&mut extra);
            page.meta.extra = extra;
            out
        })
        .collect();
    let mut all = Resolved::default();
    for r in found {
        all.schema.extend(r.schema);
        all.findings.extend(r.findings);
    }
    all
}

/// Give each metric the id of its card, `anchor`: its `id`, else `metric-1`, `metric-2`...
/// A link to the card elsewhere cites the metric (docs/FORMAT.md, "Figures").
fn anchor_metrics(extra: &mut toml::Table) {
    let Some(toml::Value::Array(metrics)) = extra.get_mut("metrics") else {
        return;
    };
    for (i, metric) in metrics.iter_mut().enumerate() {
        if let toml::Value::Table(t) = metric {
            let id = t.get("id").and_then(|v| v.as_str()).map(str::to_owned);
            let anchor = id.unwrap_or_else(|| format!("metric-{}", i + 1));
            t.insert("anchor".into(), toml::Value::String(anchor));
        }
    }
}

/// Only tables (and arrays, which may hold tables) can hold citations.
fn has_children(value: &toml::Value) -> bool {
    matches!(value, toml::Value::Table(_) | toml::Value::Array(_))
}

struct Ctx<'a> {
    page: &'a Page,
    sources: &'a HashMap<String, (String, Document)>,
    /// Each source's short name, when the site has more than one ([`short_names`]).
    shorts: &'a HashMap<String, String>,
    /// Each source's paragraphs normalised, made when a citation first looks for its words.
    texts: &'a HashMap<String, OnceLock<Vec<String>>>,
    problems: &'a mut Vec<Problem>,
    /// The metrics whose series came from a column (`series_from`): a problem with one of
    /// their points is reported at the declaration.
    columns: Vec<String>,
}

impl Ctx<'_> {
    fn at_key(&mut self, path: &str, message: String) {
        let path = self.written(path);
        let p = problem_at_key(&self.page.file, &self.page.front, &path, message);
        self.problems.push(p);
    }

    fn at_value(&mut self, path: &str, message: String) {
        let path = self.written(path);
        let p = problem_at_value(&self.page.file, &self.page.front, &path, message);
        self.problems.push(p);
    }

    /// Where a key's problem is shown: a point of a series taken from a column is not written
    /// in the page, so its problems go to the `column` of its `series_from`.
    fn written(&self, path: &str) -> String {
        for metric in &self.columns {
            if path.starts_with(&format!("{metric}.series[")) {
                return format!("{metric}.series_from.column");
            }
        }
        path.to_string()
    }

    fn walk_table(&mut self, table: &mut toml::Table, path: &str) {
        if table.contains_key("quote") || cell::is_cell(table) {
            self.cite(table, path);
        }
        for (key, value) in table.iter_mut() {
            if has_children(value) {
                self.walk_value(value, &format!("{path}.{key}"));
            }
        }
    }

    fn walk_value(&mut self, value: &mut toml::Value, path: &str) {
        match value {
            toml::Value::Table(t) => self.walk_table(t, path),
            toml::Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    if has_children(item) {
                        self.walk_value(item, &format!("{path}[{i}]"));
                    }
                }
            }
            _ => {}
        }
    }

    /// Check one citation table and give it its `url`.
    fn cite(&mut self, table: &mut toml::Table, path: &str) {
        let quote = table
            .get("quote")
            .and_then(|q| q.as_str())
            .unwrap_or_default()
            .to_string();
        let quote_at = format!("{path}.quote");
        let source = table
            .get("source")
            .and_then(|s| s.as_str())
            .map(str::to_owned);
        let Some(source) = source else {
            self.at_key(
                &quote_at,
                format!("citation `{path}` needs `source` (the page presenting the document)"),
            );
            return;
        };
        let Some((url, doc)) = self.sources.get(&source) else {
            let hint = self.renamed_source(&source, &quote);
            self.at_value(
                &format!("{path}.source"),
                format!("citation `{path}` names source `{source}`, but no page `content/{source}` presents a document{hint}"),
            );
            return;
        };
        let paragraph = if cell::is_cell(table) {
            self.cell(table, doc, &source, path)
        } else {
            self.cited(table, doc, &source, path, &quote)
        };
        let Some(paragraph) = paragraph else {
            return;
        };
        let target = format!("{url}#{}", paragraph.id);
        table.insert("url".into(), toml::Value::String(target));
        if let Some(short) = self.shorts.get(&source) {
            // Templates name the document beside the paragraph: "2021 Letter ¶4".
            table.insert("short".into(), toml::Value::String(short.clone()));
        }
        if doc.lang_tag != self.page.lang_tag {
            // Templates mark the quoted text with its language where it differs.
            table.insert("lang".into(), toml::Value::String(doc.lang_tag.clone()));
        }
    }

    /// The paragraph a citation cites: the one its `para` (and `page`) names, its quote checked
    /// there; else the one paragraph holding its quote, written into the table for templates.
    fn cited<'d>(
        &mut self,
        table: &mut toml::Table,
        doc: &'d Document,
        source: &str,
        path: &str,
        quote: &str,
    ) -> Option<&'d crate::model::Paragraph> {
        let quote_at = format!("{path}.quote");
        let para = table.get("para").and_then(|p| p.as_integer());
        let page_no = table.get("page").and_then(|p| p.as_integer());
        if quote.trim().is_empty() {
            self.at_value(&quote_at, format!("citation `{path}` has an empty quote"));
            // With no `para`, there are no words to look for.
            para?;
        }
        Some(match para {
            Some(para) => {
                let paragraph = self.paragraph(doc, source, path, page_no, para)?;
                if !quote.trim().is_empty()
                    && !normalize(&paragraph.text).contains(&normalize(quote))
                {
                    self.misquote(quote, &quote_at, para, doc, &paragraph.text);
                }
                paragraph
            }
            None => {
                let paragraph = self.locate(doc, source, path, page_no, quote)?;
                // Templates print the paragraph (and page) the words were found in.
                let n = i64::try_from(paragraph.n).unwrap_or_default();
                table.insert("para".into(), toml::Value::Integer(n));
                if let Some(page) = paragraph.page.and_then(|p| i64::try_from(p).ok()) {
                    table.insert("page".into(), toml::Value::Integer(page));
                }
                paragraph
            }
        })
    }

    /// What a source page named by a citation but missing was likely misspelt as or renamed to:
    /// a close or similar name, else the one source whose document holds the quote.
    fn renamed_source(&self, source: &str, quote: &str) -> String {
        let hint = renamed_suggestion(source, self.sources.keys().map(String::as_str));
        if !hint.is_empty() || quote.trim().is_empty() {
            return hint;
        }
        let quote = normalize(quote);
        let mut holding = self.sources.iter().filter(|(_, (_, doc))| {
            doc.paragraphs
                .iter()
                .any(|p| normalize(&p.text).contains(&quote))
        });
        match (holding.next(), holding.next()) {
            (Some((rel, _)), None) => {
                format!("; did you mean `{rel}`, whose document holds the quote?")
            }
            _ => String::new(),
        }
    }

    /// Report a quote running from one paragraph into the next; whether it does.
    fn crossing(&mut self, quote: &str, at: &str, doc: &Document) -> bool {
        let texts = doc.paragraphs.iter().map(|p| p.text.as_str());
        let Some(i) = crate::quotes::crossing(quote, texts) else {
            return false;
        };
        let (from, into) = (&doc.paragraphs[i], &doc.paragraphs[i + 1]);
        let message = format!(
            "quote in `{}` runs from the end of {} into {} of `{}`: a quote is held to one paragraph, so quote each paragraph separately: \"{}\"",
            at.trim_end_matches(".quote"),
            paragraph_name(from),
            paragraph_name(into),
            doc.path,
            crate::diag::inline(quote)
        );
        self.at_value(at, message);
        true
    }

    fn misquote(&mut self, quote: &str, at: &str, para: i64, doc: &Document, text: &str) {
        if self.crossing(quote, at, doc) {
            return;
        }
        let found_in = doc
            .paragraphs
            .iter()
            .find(|p| normalize(&p.text).contains(&normalize(quote)))
            .map_or(String::new(), |p| format!(" (it is in paragraph {})", p.n));
        let closest = if found_in.is_empty() {
            nearmiss::closest(quote, text).map_or(String::new(), |c| {
                format!("\n  closest passage of paragraph {para}: “{c}”\n  ([-…-] is the quote's, {{+…+}} the source's)")
            })
        } else {
            String::new()
        };
        let capital = if found_in.is_empty() && verbatim_in(quote, text) {
            " (only its first letter's case differs: write it as the source does)"
        } else {
            ""
        };
        self.at_value(
            at,
            format!(
                "quote in `{}` is not in paragraph {para} of `{}`{found_in}{capital}: \"{}\"{closest}",
                at.trim_end_matches(".quote"),
                doc.path,
                crate::diag::inline(quote)
            ),
        );
    }
}

/// “paragraph 3”, or “paragraph 2 of page 5” in a PDF.
fn paragraph_name(p: &crate::model::Paragraph) -> String {
    match p.page {
        Some(page) => format!("paragraph {} of page {page}", p.n),
        None => format!("paragraph {}", p.n),
    }
}

fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(citing: &str) -> Vec<Page> {
        let source = crate::content::parse_page(
            "source.md",
            "content/source.md".into(),
            "+++\ntitle = 'S'\n+++\n",
        );
        let mut source = source.unwrap();
        source.document = Some(split_document(
            "sources/a.txt",
            "T\nUsers reached 1.07 billion.\nIt takes 8 to 10 years.",
        ));
        let page = crate::content::parse_page("m.md", "content/m.md".into(), citing).unwrap();
        vec![page, source]
    }

    #[test]
    fn citations_get_urls_and_wrong_quotes_are_reported() {
        let good = "+++\ntitle = 'M'\n[[extra.metrics]]\nvalue = '1.07'\nunit = 'billion'\nlabel = 'users'\n[extra.metrics.cite]\nquote = 'reached 1.07 billion'\nsource = 'source.md'\npara = 1\n+++\n";
        let mut ps = pages(good);
        assert!(resolve(&mut ps).findings.is_empty());
        let cite = &ps[0].meta.extra["metrics"][0]["cite"];
        assert_eq!(cite["url"].as_str(), Some("source/index.html#p1"));

        let wrong = good.replace("value = '1.07'", "value = '1.08'");
        let problems = resolve(&mut pages(&wrong)).findings;
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("1.08"), "{}", problems[0]);
        assert_eq!(problems[0].line, Some(4));

        let misquoted = good.replace("reached 1.07 billion", "reached 1.7 billion");
        let problems = resolve(&mut pages(&misquoted)).findings;
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("not in paragraph 1"))
        );
        assert_eq!(problems[0].line, Some(8));

        let moved = good.replace("para = 1", "para = 2");
        let problems = resolve(&mut pages(&moved)).findings;
        assert!(
            problems[0].message.contains("it is in paragraph 1"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn uncited_metric_is_reported() {
        let text = "+++\ntitle = 'M'\n[[extra.metrics]]\nvalue = '27'\nlabel = 'days'\n+++\n";
        let problems = resolve(&mut pages(text)).findings;
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("no `cite`"));
        assert_eq!(problems[0].line, Some(4));
    }
}
