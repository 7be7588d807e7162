//! Source documents and the citations that point into them. A citation is any table in a page's
//! `[extra]` with a `quote`; it names the page presenting the source (`source`) and a paragraph
//! (`para`). We check the quote really is in that paragraph, that every number of a metric is in
//! its quote, and give each citation the `url` of the paragraph anchor.

use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;

use crate::diag::{Problem, find_line};
use crate::fsx;
use crate::model::{Document, Page, Paragraph};

/// Load the source document of every page that presents one (`document = "..."`).
pub fn load_documents(content: &Path, pages: &mut [Page]) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    for page in pages.iter_mut() {
        let Some(doc) = page.meta.document.clone() else {
            continue;
        };
        let path = content.join(&doc);
        if doc.contains("..") || !path.is_file() {
            let line = find_line(&page.front, "\ndocument").map_or(1, |l| l + 1);
            problems.push(Problem::at_line(
                &page.file,
                Some(&page.front),
                line,
                format!("document `content/{doc}` does not exist"),
            ));
            continue;
        }
        match fsx::read_text(&path, &format!("content/{doc}"))? {
            Ok(text) => page.document = Some(split_document(&doc, &text)),
            Err(problem) => problems.push(problem),
        }
    }
    Ok(problems)
}

/// The first line is the title (paragraph 0); each later non-empty line is one paragraph.
pub fn split_document(path: &str, text: &str) -> Document {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let title = lines.next().unwrap_or_default().to_string();
    let mut paragraphs = vec![Paragraph {
        n: 0,
        id: "p0".into(),
        text: title.clone(),
    }];
    for (i, line) in lines.enumerate() {
        paragraphs.push(Paragraph {
            n: i + 1,
            id: format!("p{}", i + 1),
            text: line.to_string(),
        });
    }
    Document {
        path: path.to_string(),
        title,
        paragraphs,
    }
}

/// Compare text the way quotes are checked: typographic quotes as straight ones, runs of white
/// space as one space. Nothing else is forgiven.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '‘' | '’' | '‚' | '′' => '\'',
            '“' | '”' | '„' | '″' => '"',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// The numbers written in a text: `1.07`, `8`, `10`, `2021`.
pub fn numbers(s: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let decimal_point =
            c == '.' && !current.is_empty() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_ascii_digit() || decimal_point {
            current.push(c);
        } else if c == ','
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
        {
            // thousands separator: 1,000 is 1000
        } else if !current.is_empty() {
            found.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        found.push(current);
    }
    found
}

/// Resolve and verify every citation of every page, adding `url` to each citation table.
pub fn resolve(pages: &mut [Page]) -> Vec<Problem> {
    let sources: HashMap<String, (String, Document)> = pages
        .iter()
        .filter_map(|p| Some((p.rel.clone(), (p.url.clone(), p.document.clone()?))))
        .collect();
    let found: Vec<Vec<Problem>> = pages
        .par_iter_mut()
        .map(|page| {
            let mut problems = Vec::new();
            let mut extra = std::mem::take(&mut page.meta.extra);
            let mut ctx = Ctx {
                page,
                sources: &sources,
                problems: &mut problems,
            };
            ctx.walk_table(&mut extra, "extra");
            ctx.check_metrics(&extra);
            page.meta.extra = extra;
            problems
        })
        .collect();
    found.into_iter().flatten().collect()
}

/// Only tables (and arrays, which may hold tables) can hold citations.
fn has_children(value: &toml::Value) -> bool {
    matches!(value, toml::Value::Table(_) | toml::Value::Array(_))
}

struct Ctx<'a> {
    page: &'a Page,
    sources: &'a HashMap<String, (String, Document)>,
    problems: &'a mut Vec<Problem>,
}

impl Ctx<'_> {
    fn problem(&mut self, near: &str, message: String) {
        let line = locate(&self.page.front, near);
        self.problems.push(Problem::at_line(
            &self.page.file,
            Some(&self.page.front),
            line,
            message,
        ));
    }

    fn walk_table(&mut self, table: &mut toml::Table, path: &str) {
        if table.contains_key("quote") {
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
        let near = if quote.is_empty() {
            "quote".to_string()
        } else {
            quote.clone()
        };
        let source = table
            .get("source")
            .and_then(|s| s.as_str())
            .map(str::to_owned);
        let para = table.get("para").and_then(|p| p.as_integer());
        let (Some(source), Some(para)) = (source, para) else {
            self.problem(
                &near,
                format!("citation `{path}` needs `source` (the page presenting the document) and `para` (a paragraph number)"),
            );
            return;
        };
        let Some((url, doc)) = self.sources.get(&source) else {
            self.problem(
                &near,
                format!("citation `{path}` names source `{source}`, but no page `content/{source}` presents a document"),
            );
            return;
        };
        let Some(paragraph) = usize::try_from(para)
            .ok()
            .and_then(|n| doc.paragraphs.get(n))
        else {
            self.problem(
                &near,
                format!(
                    "citation `{path}` names paragraph {para} of `{source}`, which has paragraphs 0 to {}",
                    doc.paragraphs.len() - 1
                ),
            );
            return;
        };
        if quote.trim().is_empty() {
            self.problem(&near, format!("citation `{path}` has an empty quote"));
        } else if !normalize(&paragraph.text).contains(&normalize(&quote)) {
            let found_in = doc
                .paragraphs
                .iter()
                .find(|p| normalize(&p.text).contains(&normalize(&quote)))
                .map_or(String::new(), |p| format!(" (it is in paragraph {})", p.n));
            self.problem(
                &near,
                format!(
                    "quote in `{path}` is not in paragraph {para} of `{}`{found_in}: \"{quote}\"",
                    doc.path
                ),
            );
        }
        let target = format!("{url}#{}", paragraph.id);
        table.insert("url".into(), toml::Value::String(target));
    }

    /// Every metric must be cited, and every number of its value must be in the quote.
    fn check_metrics(&mut self, extra: &toml::Table) {
        let Some(metrics) = extra.get("metrics").and_then(|m| m.as_array()) else {
            return;
        };
        for (i, metric) in metrics.iter().enumerate() {
            let Some(metric) = metric.as_table() else {
                continue;
            };
            let value = metric.get("value").map(value_text).unwrap_or_default();
            let label = metric
                .get("label")
                .and_then(|l| l.as_str())
                .unwrap_or(&value)
                .to_string();
            let near = if value.is_empty() {
                label.clone()
            } else {
                value.clone()
            };
            let Some(cite) = metric.get("cite").and_then(|c| c.as_table()) else {
                self.problem(&near, format!("metric `extra.metrics[{i}]` ({label}) has no `cite` table: every metric must cite its source"));
                continue;
            };
            let quote = cite
                .get("quote")
                .and_then(|q| q.as_str())
                .unwrap_or_default();
            let in_quote = numbers(&normalize(quote));
            for n in numbers(&value) {
                if !in_quote.contains(&n) {
                    self.problem(
                        &near,
                        format!("metric `extra.metrics[{i}]` shows {n}, but its quote does not contain {n}"),
                    );
                }
            }
        }
    }
}

fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The line of the file on which `near` (or, failing that, its start) first appears.
fn locate(text: &str, near: &str) -> usize {
    let short: String = near.chars().take(40).collect();
    find_line(text, near)
        .or_else(|| find_line(text, &short))
        .or_else(|| find_line(text, "\n[extra").map(|l| l + 1))
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_forgives_only_quotes_and_space() {
        assert_eq!(
            normalize("called” caterpillar  development “,"),
            "called\" caterpillar development \","
        );
        assert_eq!(normalize("Ali’s\n innovation"), "Ali's innovation");
        assert_ne!(normalize("Alibaba"), normalize("alibaba"));
    }

    #[test]
    fn numbers_are_found() {
        assert_eq!(
            numbers("1.07 billion, 8–10 years, 27 days."),
            ["1.07", "8", "10", "27"]
        );
        assert_eq!(numbers("1,000 pages"), ["1000"]);
        assert!(numbers("no digits.").is_empty());
    }

    #[test]
    fn documents_split_into_numbered_paragraphs() {
        let d = split_document("a.txt", "Title\n\n\nFirst.\nSecond.");
        assert_eq!(d.paragraphs.len(), 3);
        assert_eq!(d.paragraphs[2].id, "p2");
        assert_eq!(d.paragraphs[2].text, "Second.");
    }

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
        let good = "+++\ntitle = 'M'\n[[extra.metrics]]\nvalue = '1.07'\n[extra.metrics.cite]\nquote = 'reached 1.07 billion'\nsource = 'source.md'\npara = 1\n+++\n";
        let mut ps = pages(good);
        assert!(resolve(&mut ps).is_empty());
        let cite = &ps[0].meta.extra["metrics"][0]["cite"];
        assert_eq!(cite["url"].as_str(), Some("source/index.html#p1"));

        let wrong = good.replace("value = '1.07'", "value = '1.08'");
        let problems = resolve(&mut pages(&wrong));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("1.08"), "{}", problems[0]);
        assert_eq!(problems[0].line, Some(4));

        let misquoted = good.replace("reached 1.07 billion", "reached 1.7 billion");
        let problems = resolve(&mut pages(&misquoted));
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("not in paragraph 1"))
        );
        assert_eq!(problems[0].line, Some(6));

        let moved = good.replace("para = 1", "para = 2");
        let problems = resolve(&mut pages(&moved));
        assert!(
            problems[0].message.contains("it is in paragraph 1"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn uncited_metric_is_reported() {
        let text = "+++\ntitle = 'M'\n[[extra.metrics]]\nvalue = '27'\nlabel = 'days'\n+++\n";
        let problems = resolve(&mut pages(text));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("no `cite`"));
        assert_eq!(problems[0].line, Some(4));
    }
}
