//! Search that works from disk: every page's `<main>`, read from its finished HTML in one cheap
//! pass and cut into parts (see [`read`]), goes into one compact index, written as a script
//! (`search/index.js`, `window.BRIEFING_SEARCH = {...}`) that the search page loads with a
//! plain `<script src>`, so it works opened from `file://` as well as served. The index is
//! inverted: each folded term (see [`terms`]) maps to the numbers of the parts it is in, and
//! each part keeps only its link, title and the start of its text for the result list.

mod read;
mod terms;

pub use read::{Part, read};
pub use terms::{fold, split, terms};

use rustc_hash::FxHashMap as HashMap;
use std::fmt::Write as _;

use crate::escape::json_string;
use crate::model::{Meta, Page, Site};

/// The search page, at the output root's `search/`.
pub const PAGE: &str = "search/index.html";
/// The index the search page loads, beside it.
pub const INDEX: &str = "search/index.js";
/// The search page's template.
pub const TEMPLATE: &str = "search.html";
/// Characters of a part's text kept to show under its result.
const SNIPPET: usize = 160;

/// What the index keeps of one page: its URL, title and parts (with their terms).
#[derive(Debug, Default, Clone)]
pub struct Entry {
    pub url: String,
    pub title: String,
    pub parts: Vec<Indexed>,
}

/// A part as the index keeps it: its terms, and the start of its text.
#[derive(Debug, Default, Clone)]
pub struct Indexed {
    pub id: String,
    pub title: String,
    pub snippet: String,
    /// Its distinct terms, sorted, each followed by a space (terms hold none): one allocation a
    /// part rather than one a term.
    pub terms: String,
}

/// The search page as a page of the site (it has no content file): its template renders it
/// like any other page, and it is verified like them.
pub fn page(site: &Site) -> Page {
    let mut page = Page {
        rel: PAGE.to_string(),
        file: format!("templates/{TEMPLATE}"),
        url: PAGE.to_string(),
        depth: 1,
        meta: Meta {
            title: site.config.words.search.clone(),
            slug: "search".to_string(),
            ..Meta::default()
        },
        ..Page::default()
    };
    page.set_language(&site.config);
    page
}

/// Whether a page is searched: every page but the not-found page.
pub fn searched(page: &Page) -> bool {
    page.url != "404.html"
}

/// Read one finished page into its entry.
pub fn entry(page: &Page, html: &[u8]) -> Entry {
    let parts = read(html)
        .into_iter()
        .map(|part| {
            let (title, text) = (fold(&part.title), fold(&part.text));
            let mut all = Vec::with_capacity(text.len() / 6);
            split(&title, |t| all.push(t));
            split(&text, |t| all.push(t));
            // Sorting beats hashing each word here: the comparisons are libc's memcmp.
            all.sort_unstable();
            all.dedup();
            Indexed {
                terms: all
                    .iter()
                    .fold(String::with_capacity(text.len() / 2), |mut s, t| {
                        s.push_str(t);
                        s.push(' ');
                        s
                    }),
                snippet: snippet(&part.text),
                id: part.id,
                title: part.title,
            }
        })
        .collect();
    Entry {
        url: page.url.clone(),
        title: page.meta.title.clone(),
        parts,
    }
}

/// The first [`SNIPPET`] characters of `text` with its white space collapsed, cut after a
/// word, with `…` when cut.
fn snippet(text: &str) -> String {
    let mut out = String::with_capacity(SNIPPET + 8);
    let mut words = text.split_whitespace();
    let mut count = 0;
    for word in words.by_ref() {
        let n = word.chars().count();
        if count + n > SNIPPET {
            if out.is_empty() {
                out.extend(word.chars().take(SNIPPET));
            }
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        count += n + 1;
    }
    out
}

/// The index script: `window.BRIEFING_SEARCH = {"p": pages, "s": parts, "t": terms}`.
/// `p` is `[url, title]` with URLs relative to the search page; `s` is `[page, id, title,
/// snippet]`; `t` maps each term to its parts' numbers, each given as the difference from the
/// one before (so most are one or two digits).
pub fn script(entries: &[std::sync::Arc<Entry>]) -> String {
    let mut out = String::with_capacity(entries.len() * 2048);
    out.push_str("window.BRIEFING_SEARCH={\"p\":[");
    for (i, entry) in entries.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let url = json_string(&format!("../{}", entry.url));
        let _ = write!(out, "{sep}[{url},{}]", json_string(&entry.title));
    }
    out.push_str("],\"s\":[");
    let postings = push_parts(entries, &mut out);
    out.push_str("],\"t\":{");
    let mut postings: Vec<_> = postings.into_iter().collect();
    postings.sort_unstable_by(|a, b| a.0.cmp(b.0));
    push_terms(&postings, &mut out);
    out.push_str("}};\n");
    out
}

/// Every page's parts as `[page, id, title, snippet]`; returns the parts of each term.
fn push_parts<'e>(
    entries: &'e [std::sync::Arc<Entry>],
    out: &mut String,
) -> HashMap<&'e str, Vec<usize>> {
    let mut postings: HashMap<&str, Vec<usize>> = HashMap::default();
    let mut n = 0;
    for (page, entry) in entries.iter().enumerate() {
        for part in &entry.parts {
            let sep = if n == 0 { "" } else { "," };
            let (id, title) = (json_string(&part.id), json_string(&part.title));
            let _ = write!(
                out,
                "{sep}[{page},{id},{title},{}]",
                json_string(&part.snippet)
            );
            for term in part.terms.split_terminator(' ') {
                postings.entry(term).or_default().push(n);
            }
            n += 1;
        }
    }
    postings
}

/// Each term and its parts' numbers, each after the first as the difference from the last.
fn push_terms(postings: &[(&str, Vec<usize>)], out: &mut String) {
    for (i, (term, parts)) in postings.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(out, "{sep}{}:[", json_string(term));
        let mut last = 0;
        for (j, &n) in parts.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_number(out, n - last);
            last = n;
        }
        out.push(']');
    }
}

/// `n` in decimal, without the formatting machinery (millions of them in a large index).
fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // The bytes are ASCII digits.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}
