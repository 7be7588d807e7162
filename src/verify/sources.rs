//! The site's source documents, indexed once a build for the checks of finished pages: each
//! paragraph normalised with its figures, every year and dated day any source states, and which
//! page presents which document.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::figures::{figures, is_year, month_days, normalize, verbatim_in_normalized};
use crate::model::Site;

/// A paragraph of a source, as the checks read it.
struct Para {
    n: usize,
    text: String,
    numbers: HashSet<String>,
}

struct Doc {
    path: String,
    paragraphs: Vec<Para>,
    by_id: HashMap<String, usize>,
}

/// A paragraph: (document, paragraph) indices.
pub type ParaRef = (usize, usize);

/// Every source document of a site.
#[derive(Default)]
pub struct Sources {
    docs: Vec<Doc>,
    /// Document index by the URL of the page presenting it (`source/index.html`).
    by_url: HashMap<String, usize>,
    years: HashSet<String>,
    dates: HashSet<String>,
    /// The figures of every metric's value (and of its series' values) that its quote contains.
    metrics: HashSet<String>,
}

impl Sources {
    /// Index the documents of `site`.
    pub fn of(site: &Site) -> Sources {
        let mut sources = Sources::default();
        for page in &site.pages {
            let Some(doc) = &page.document else {
                continue;
            };
            let mut paragraphs = Vec::new();
            let mut by_id = HashMap::default();
            for (i, p) in doc.paragraphs.iter().enumerate() {
                let text = normalize(&p.text);
                let numbers: HashSet<String> =
                    figures(&text).into_iter().map(|f| f.value).collect();
                sources
                    .years
                    .extend(numbers.iter().filter(|n| is_year(n)).cloned());
                sources
                    .dates
                    .extend(month_days(&text).into_iter().map(|(k, _, _)| k));
                by_id.insert(p.id.clone(), i);
                paragraphs.push(Para {
                    n: p.n,
                    text,
                    numbers,
                });
            }
            sources.by_url.insert(page.url.clone(), sources.docs.len());
            sources.docs.push(Doc {
                path: doc.path.clone(),
                paragraphs,
                by_id,
            });
        }
        for page in &site.pages {
            let metrics = page.meta.extra.get("metrics").and_then(|m| m.as_array());
            let metrics = metrics.into_iter().flatten().filter_map(|m| m.as_table());
            // A metric and each value of its series, with its own quote.
            let figures_of = metrics.flat_map(|m| {
                let series = m.get("series").and_then(|s| s.as_array());
                std::iter::once(m).chain(series.into_iter().flatten().filter_map(|p| p.as_table()))
            });
            for metric in figures_of {
                let quote = metric
                    .get("cite")
                    .and_then(|c| c.get("quote"))
                    .and_then(|q| q.as_str())
                    .unwrap_or_default();
                let in_quote: HashSet<String> = figures(&normalize(quote))
                    .into_iter()
                    .map(|f| f.value)
                    .collect();
                let value = match metric.get("value") {
                    Some(toml::Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => continue,
                };
                let shown = figures(&value).into_iter().map(|f| f.value);
                sources
                    .metrics
                    .extend(shown.filter(|v| in_quote.contains(v)));
            }
        }
        sources
    }

    /// Whether `value` is a figure of some metric's value, contained in that metric's quote.
    pub fn is_metric_figure(&self, value: &str) -> bool {
        self.metrics.contains(value)
    }

    /// Whether the site has any source document (which turns the rules on).
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Whether `url` is a page presenting a source (exempt: it shows the source itself).
    pub fn presents(&self, url: &str) -> bool {
        self.by_url.contains_key(url)
    }

    /// The paragraph a reference from the page at `from` names (`../source/index.html#p2`).
    pub fn paragraph(&self, from: &str, reference: &str) -> Option<ParaRef> {
        let (path, id) = reference.split_once('#')?;
        let target = if path.is_empty() {
            from.to_string()
        } else {
            super::links::resolve(from, path)?
        };
        let doc = *self.by_url.get(&target)?;
        Some((doc, *self.docs[doc].by_id.get(id)?))
    }

    /// Whether `quote` is verbatim in the paragraph.
    pub fn in_paragraph(&self, (d, p): ParaRef, quote: &str) -> bool {
        verbatim_in_normalized(&normalize(quote), &self.docs[d].paragraphs[p].text)
    }

    /// Whether `quote` is verbatim in some paragraph of some source.
    pub fn anywhere(&self, quote: &str) -> bool {
        let quote = normalize(quote);
        self.docs.iter().any(|d| {
            d.paragraphs
                .iter()
                .any(|p| verbatim_in_normalized(&quote, &p.text))
        })
    }

    /// Where `quote`, verbatim in no one paragraph, runs across a paragraph break of the cited
    /// paragraph's document (of any document when none is cited): “from the end of paragraph 3
    /// into paragraph 4 of `sources/letter.txt`”.
    pub fn crossing(&self, quote: &str, cited: Option<ParaRef>) -> Option<String> {
        let docs = cited.map_or(0..self.docs.len(), |(d, _)| d..d + 1);
        docs.into_iter().find_map(|d| {
            let doc = &self.docs[d];
            let texts = doc.paragraphs.iter().map(|p| p.text.as_str());
            let i = crate::quotes::crossing(quote, texts)?;
            let (from, into) = (&doc.paragraphs[i], &doc.paragraphs[i + 1]);
            Some(format!(
                "from the end of paragraph {} into paragraph {} of `{}`",
                from.n, into.n, doc.path
            ))
        })
    }

    pub fn has_number(&self, (d, p): ParaRef, value: &str) -> bool {
        self.docs[d].paragraphs[p].numbers.contains(value)
    }

    pub fn has_year(&self, value: &str) -> bool {
        self.years.contains(value)
    }

    pub fn has_date(&self, key: &str) -> bool {
        self.dates.contains(key)
    }

    /// “paragraph 2 of `sources/article.txt`”.
    pub fn describe(&self, (d, p): ParaRef) -> String {
        let doc = &self.docs[d];
        format!("paragraph {} of `{}`", doc.paragraphs[p].n, doc.path)
    }
}
