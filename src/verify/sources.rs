//! The site's source documents, indexed once a build for the checks of finished pages: each
//! paragraph normalised with its figures, every year and dated day any source states, and which
//! page presents which document.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::claims::{self, Claim, Period};
use crate::model::Site;
use crate::quotes::{normalize, verbatim_in_normalized};

/// A paragraph of a source, as the checks read it: its text normalised and its claims, read
/// once a build in the document's language.
struct Para {
    n: usize,
    text: String,
    claims: Vec<Claim>,
}

struct Doc {
    path: String,
    /// The name citations give the document (`[extra.source] short`), when the site has more
    /// than one source.
    short: Option<String>,
    lang: crate::lang::Lang,
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
    /// Every year, quarter of a year and dated day (month, day) some source states.
    years: HashSet<i32>,
    quarters: HashSet<(i32, u8)>,
    days: HashSet<(u8, u8)>,
    /// The paragraph each metric's card (`metrics/index.html#metric-2`) cites: a link to
    /// the card is a citation of it.
    cards: HashMap<String, ParaRef>,
}

impl Sources {
    /// Index the documents of `site`.
    pub fn of(site: &Site) -> Sources {
        let mut sources = Sources::default();
        let shorts = crate::cite::short_names(&site.pages);
        for page in &site.pages {
            let Some(doc) = &page.document else {
                continue;
            };
            let mut paragraphs = Vec::new();
            let mut by_id = HashMap::default();
            let mut context = claims::Context::default();
            for (i, p) in doc.paragraphs.iter().enumerate() {
                let text = normalize(&p.text);
                let mut claims = claims::read(&text, doc.lang);
                context.date(&mut claims);
                for period in claims
                    .iter()
                    .filter(|c| !c.is_figure())
                    .filter_map(|c| c.period)
                {
                    sources.add_period(&period);
                }
                by_id.insert(p.id.clone(), i);
                paragraphs.push(Para {
                    n: p.n,
                    text,
                    claims,
                });
            }
            sources.by_url.insert(page.url.clone(), sources.docs.len());
            sources.docs.push(Doc {
                path: doc.path.clone(),
                short: shorts.get(&page.rel).cloned(),
                lang: doc.lang,
                paragraphs,
                by_id,
            });
        }
        for page in &site.pages {
            let metrics = page.meta.extra.get("metrics").and_then(|m| m.as_array());
            for metric in metrics.into_iter().flatten().filter_map(|m| m.as_table()) {
                let anchor = metric.get("anchor").and_then(|a| a.as_str());
                let cited = metric
                    .get("cite")
                    .and_then(|c| c.get("url"))
                    .and_then(|u| u.as_str());
                let (Some(anchor), Some(cited)) = (anchor, cited) else {
                    continue;
                };
                if let Some(p) = sources.paragraph("", cited) {
                    sources.cards.insert(format!("{}#{anchor}", page.url), p);
                }
            }
        }
        sources
    }

    fn add_period(&mut self, p: &Period) {
        if let Some(y) = p.year {
            self.years.insert(y);
            if let Some(q) = p.quarter {
                self.quarters.insert((y, q));
            }
        }
        if let (Some(m), Some(d)) = (p.month, p.day) {
            self.days.insert((m, d));
        }
    }

    /// Whether some source states the period: its year, its quarter of that year, its day.
    pub fn states(&self, p: &Period) -> bool {
        let year = p.year.is_none_or(|y| self.years.contains(&y));
        let quarter = match (p.year, p.quarter) {
            (Some(y), Some(q)) => self.quarters.contains(&(y, q)),
            _ => true,
        };
        let day = match (p.month, p.day) {
            (Some(m), Some(d)) => self.days.contains(&(m, d)),
            _ => true,
        };
        year && quarter && day
    }

    /// The claims of a paragraph.
    pub fn claims(&self, (d, p): ParaRef) -> &[Claim] {
        &self.docs[d].paragraphs[p].claims
    }

    /// Whether the site has any source document (which turns the rules on).
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Whether `url` is a page presenting a source (exempt: it shows the source itself).
    pub fn presents(&self, url: &str) -> bool {
        self.by_url.contains_key(url)
    }

    /// The paragraph a reference from the page at `from` names (`../source/index.html#p2`),
    /// or that the metric card it names cites (`../metrics/index.html#metric-2`).
    pub fn paragraph(&self, from: &str, reference: &str) -> Option<ParaRef> {
        let (path, id) = reference.split_once('#')?;
        let target = if path.is_empty() {
            from.to_string()
        } else if from.is_empty() {
            path.to_string()
        } else {
            super::links::resolve(from, path)?
        };
        match self.by_url.get(&target) {
            Some(&doc) => Some((doc, *self.docs[doc].by_id.get(id)?)),
            None if self.cards.is_empty() => None,
            None => self.cards.get(&format!("{target}#{id}")).copied(),
        }
    }

    /// The cited document's path and the name citations give it (none with one source).
    pub fn name(&self, (d, _): ParaRef) -> (&str, Option<&str>) {
        let doc = &self.docs[d];
        (&doc.path, doc.short.as_deref())
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

    /// Whether a difference is only a scale, percent or currency the page adds to a figure the
    /// paragraph gives bare, and that it or the nearest paragraph before it states (a header).
    pub fn given_nearby(&self, (d, p): ParaRef, difference: &claims::Difference) -> bool {
        let doc = &self.docs[d];
        let before = doc.paragraphs[..=p].iter().rev().map(|p| p.text.as_str());
        claims::given_nearby(difference, before, doc.lang)
    }

    /// The words of a claim of a paragraph (`$3.1 billion`).
    pub fn span(&self, (d, p): ParaRef, c: &Claim) -> &str {
        &self.docs[d].paragraphs[p].text[c.span.clone()]
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

    /// “paragraph 2 of `sources/article.txt`”.
    pub fn describe(&self, (d, p): ParaRef) -> String {
        let doc = &self.docs[d];
        format!("paragraph {} of `{}`", doc.paragraphs[p].n, doc.path)
    }
}
