//! The print document: one HTML file laid out by the `print.html` template from the built
//! pages. Each page's `<main>` is taken as built (so its figures and quotes are exactly what
//! the site shows), its ids are made unique in the document and its links rebased to the site
//! root; then every link of the finished document is pointed inside it (`#model--evidence`,
//! `#p2` for the paragraphs of the appendix), or at the published site, or dropped, so that no
//! web path is ever printed. The appendix holds every source the document cites, whether or
//! not the navigation lists it. A link left with no target in the document is a problem.

use anyhow::{Context as _, Result};
use lol_html::html_content::{ContentType, Element};
use lol_html::{RewriteStrSettings, element, rewrite_str};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::diag::Problem;
use crate::site::Prepared;

/// One page of the site as it appears in the print document.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// The part's id in the document (`model`), and the prefix of the ids inside it.
    pub key: String,
    pub title: String,
    /// The page's `<main>`, ids prefixed, links relative to the site root.
    pub html: String,
    /// The tag of the page's language (`de-CH`).
    pub lang: String,
}

/// One line of the contents; `page` is empty until the first print has placed the parts.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub key: String,
    pub title: String,
    pub page: String,
    /// A source document, printed in the appendix.
    pub appendix: bool,
}

/// What `print.html` gets as `print`.
#[derive(Debug, Clone, Serialize)]
pub struct Print {
    pub parts: Vec<Part>,
    pub appendix: Vec<Part>,
    pub contents: Vec<Entry>,
}

/// How the site's page URLs map to places in the print document.
pub struct Places {
    /// Page URL (`source/index.html`) → part key.
    keys: HashMap<String, String>,
    /// The one source document's page, whose paragraph ids (`p2`) stay as they are.
    bare: Option<String>,
    base_url: String,
}

impl Places {
    /// The id in the document of `frag` on the page `key`.
    fn id(&self, key: &str, frag: &str) -> String {
        if self.bare.as_deref() == Some(key) && is_paragraph(frag) {
            frag.to_string()
        } else {
            format!("{key}--{frag}")
        }
    }

    /// Where a link written relative to the site root (`source/index.html#p2`) points in the
    /// document (`#p2`), or at the published site, or `None`.
    fn point(&self, value: &str) -> Option<String> {
        let value = value.replace("&amp;", "&");
        if value.starts_with('#') || has_scheme(&value) {
            return Some(value);
        }
        let (path, frag) = value.split_once('#').unwrap_or((&value, ""));
        let path = if path.is_empty() { "index.html" } else { path };
        match self.keys.get(path) {
            Some(key) if frag.is_empty() => Some(format!("#{key}")),
            Some(key) => Some(format!("#{}", self.id(key, frag))),
            None if !self.base_url.is_empty() => Some(format!("{}{value}", self.base_url)),
            None => None,
        }
    }
}

fn is_paragraph(id: &str) -> bool {
    id.strip_prefix('p')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The navigation's pages (those presenting a source wait for [`appendix`]), read from the
/// site built into `dir`. Every page that can be printed has its place: the navigation's, and
/// every page presenting a source, in the navigation or not.
pub fn parts(prepared: &Prepared, dir: &Path) -> Result<(Print, Places)> {
    let site = &prepared.site;
    let nav = site.nav.iter().map(|&i| &site.pages[i]);
    let documents = site.pages.iter().filter(|p| p.document.is_some());
    let keys = nav
        .clone()
        .chain(documents)
        .map(|p| (p.url.clone(), key_of(&p.url)))
        .collect();
    let places = Places {
        bare: None,
        keys,
        base_url: site.config.base_url.clone(),
    };
    let mut print = Print {
        parts: Vec::new(),
        appendix: Vec::new(),
        contents: Vec::new(),
    };
    for page in nav.filter(|p| p.document.is_none()) {
        let part = read_part(page, dir, &places)?;
        print.contents.push(entry(&part, false));
        print.parts.push(part);
    }
    Ok((print, places))
}

/// The appendix: every page presenting a source that is in the navigation or that `rendered`
/// (the print document without its appendix: cover and parts) cites or links, the
/// navigation's first, then the others in content order. A source the pack does not print
/// loses its place, so a link to it is not pointed inside the document.
pub fn appendix(
    prepared: &Prepared,
    dir: &Path,
    print: &mut Print,
    places: &mut Places,
    rendered: &str,
) -> Result<()> {
    let site = &prepared.site;
    let cited = linked_paths(rendered)?;
    let in_nav: HashSet<usize> = site.nav.iter().copied().collect();
    let rest = (0..site.pages.len()).filter(|i| !in_nav.contains(i));
    let (chosen, left): (Vec<usize>, Vec<usize>) = site
        .nav
        .iter()
        .copied()
        .chain(rest)
        .filter(|&i| site.pages[i].document.is_some())
        .partition(|&i| in_nav.contains(&i) || cited.contains(&site.pages[i].url));
    for i in left {
        places.keys.remove(&site.pages[i].url);
    }
    places.bare = (chosen.len() == 1).then(|| key_of(&site.pages[chosen[0]].url));
    for page in chosen.into_iter().map(|i| &site.pages[i]) {
        let part = read_part(page, dir, places)?;
        print.contents.push(entry(&part, true));
        print.appendix.push(part);
    }
    Ok(())
}

/// A built page's `<main>` as a part of the print document.
fn read_part(page: &crate::model::Page, dir: &Path, places: &Places) -> Result<Part> {
    let path = dir.join(&page.url);
    let built = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Part {
        key: places.keys[&page.url].clone(),
        title: page.meta.title.clone(),
        html: main_of(&built, &page.url, places)?,
        lang: page.lang_tag.clone(),
    })
}

fn entry(part: &Part, appendix: bool) -> Entry {
    Entry {
        key: part.key.clone(),
        title: part.title.clone(),
        page: String::new(),
        appendix,
    }
}

/// The site pages (`source/index.html`) that the links, quotation sources and citations
/// (`href`, `cite`, `data-cite`) of `html`, written relative to the site root, point at.
fn linked_paths(html: &str) -> Result<HashSet<String>> {
    let found = RefCell::new(HashSet::new());
    rewrite(
        html,
        vec![element!("[href], [cite], [data-cite]", |el| {
            for attr in ["href", "cite", "data-cite"] {
                let Some(value) = el.get_attribute(attr) else {
                    continue;
                };
                let value = value.replace("&amp;", "&");
                for value in value.split_whitespace() {
                    if value.starts_with('#') || has_scheme(value) {
                        continue;
                    }
                    let path = value.split(['#', '?']).next().unwrap_or_default();
                    let path = if path.is_empty() { "index.html" } else { path };
                    found.borrow_mut().insert(path.to_string());
                }
            }
            Ok(())
        })],
    )
    .context("cannot read the print document's links")?;
    Ok(found.into_inner())
}

/// `model/index.html` → `model`, `a/b/index.html` → `a-b`, `index.html` → `home`.
fn key_of(url: &str) -> String {
    let path = url.strip_suffix("index.html").unwrap_or(url);
    let key = path.trim_matches('/').replace(['/', '.'], "-");
    if key.is_empty() { "home".into() } else { key }
}

const START: &str = "<!--briefing-print-main-->";
const END: &str = "<!--/briefing-print-main-->";
/// Attributes holding space-separated id references.
const ID_LISTS: [&str; 4] = ["aria-labelledby", "aria-describedby", "headers", "for"];

/// The inner HTML of the page's `<main>`, ids prefixed with its key and links rebased.
fn main_of(html: &str, url: &str, places: &Places) -> Result<String> {
    let key = &places.keys[url];
    let folder = url.rsplit_once('/').map_or("", |(f, _)| f);
    let out = rewrite(
        html,
        vec![
            element!("main", |el| {
                el.prepend(START, ContentType::Html);
                el.append(END, ContentType::Html);
                Ok(())
            }),
            element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    let _ = el.set_attribute("id", &places.id(key, &id));
                }
                Ok(())
            }),
            element!("[href], [src], [cite], [data-cite]", |el| {
                for attr in ["href", "src", "cite", "data-cite"] {
                    rebase(el, attr, key, folder, places);
                }
                Ok(())
            }),
            element!(
                "[aria-labelledby], [aria-describedby], [headers], label[for]",
                |el| {
                    prefix_id_lists(el, key, places);
                    Ok(())
                }
            ),
        ],
    )
    .with_context(|| format!("cannot read the built page {url}"))?;
    let start = out.find(START).map(|i| i + START.len());
    let end = out.rfind(END);
    match (start, end) {
        (Some(start), Some(end)) if start <= end => Ok(out[start..end].trim().to_string()),
        _ => Ok(String::new()),
    }
}

/// Rebase attribute `attr` of a page in `folder` (key `key`) to the site root; a fragment
/// gets the page's id prefix. A `data-cite` may name several paragraphs (a chart's points),
/// space-separated.
fn rebase(el: &mut Element, attr: &str, key: &str, folder: &str, places: &Places) {
    let rebase_one = |value: &str| match value.strip_prefix('#') {
        Some(frag) => format!("#{}", places.id(key, frag)),
        None if has_scheme(value) => value.to_string(),
        None => join(folder, value),
    };
    if let Some(value) = el.get_attribute(attr) {
        let value = value.replace("&amp;", "&");
        let new = if attr == "data-cite" {
            let all: Vec<String> = value.split_whitespace().map(rebase_one).collect();
            all.join(" ")
        } else {
            rebase_one(&value)
        };
        let _ = el.set_attribute(attr, &new);
    }
}

/// Give each id named in an id-list attribute (`aria-labelledby`, `for`...) the page's prefix.
fn prefix_id_lists(el: &mut Element, key: &str, places: &Places) {
    for attr in ID_LISTS {
        if let Some(list) = el.get_attribute(attr) {
            let ids: Vec<String> = list
                .split_whitespace()
                .map(|id| places.id(key, id))
                .collect();
            let _ = el.set_attribute(attr, &ids.join(" "));
        }
    }
}

/// `html` through lol_html with `handlers`.
fn rewrite<'h>(
    html: &str,
    handlers: Vec<(
        std::borrow::Cow<'static, lol_html::Selector>,
        lol_html::ElementContentHandlers<'h>,
    )>,
) -> Result<String, lol_html::errors::RewritingError> {
    let settings = handlers.into_iter().fold(
        RewriteStrSettings::new(),
        RewriteStrSettings::append_element_content_handler,
    );
    rewrite_str(html, settings)
}

fn has_scheme(url: &str) -> bool {
    let end = url.find([':', '/', '?', '#']).unwrap_or(url.len());
    url[end..].starts_with(':') && end > 0
}

/// `href` relative to the page folder `folder`, as a path from the site root.
fn join(folder: &str, href: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    let mut rest = href;
    while let Some(next) = rest.strip_prefix("../") {
        parts.pop();
        rest = next;
    }
    let rest = rest.strip_prefix("./").unwrap_or(rest);
    parts.push(rest);
    parts.retain(|s| !s.is_empty());
    parts.join("/")
}

/// Point every link, quotation source and citation (`data-cite`) of the rendered print
/// document inside it, or at the published site (with a base URL), or drop it: a link becomes
/// a `<span>` keeping its text and class. Returns the document and the links that have
/// no target in it.
pub fn link_inside(html: &str, places: &Places) -> Result<(String, Vec<Problem>)> {
    let ids = RefCell::new(HashSet::new());
    let targets = RefCell::new(Vec::new());
    let out = rewrite(
        html,
        vec![
            element!("[id]", |el| {
                ids.borrow_mut().extend(el.get_attribute("id"));
                Ok(())
            }),
            element!("a[href], area[href]", |el| {
                point_link(el, places, &targets)
            }),
            element!("[cite], [data-cite]", |el| point_citations(el, places)),
        ],
    )
    .context("cannot lay out the print document")?;
    let problems = unmatched(&ids.into_inner(), targets.into_inner());
    Ok((out, problems))
}

/// Point a link inside the document or at the site, else drop it (an `a` is kept as a span, so
/// its class still styles it: a card's value). The fragment it now points to joins `targets`.
fn point_link(
    el: &mut Element,
    places: &Places,
    targets: &RefCell<Vec<String>>,
) -> lol_html::HandlerResult {
    let href = el.get_attribute("href").unwrap_or_default();
    match places.point(&href) {
        Some(new) => {
            if let Some(frag) = new.strip_prefix('#') {
                targets.borrow_mut().push(frag.to_string());
            }
            let _ = el.set_attribute("href", &new);
        }
        None if el.tag_name() == "a" => {
            el.remove_attribute("href");
            el.set_tag_name("span")?;
        }
        None => el.remove(),
    }
    el.remove_attribute("data-print-url");
    Ok(())
}

/// Point each of an element's `cite` and `data-cite` values inside the document or at the site;
/// an attribute left with none is removed.
fn point_citations(el: &mut Element, places: &Places) -> lol_html::HandlerResult {
    for attr in ["cite", "data-cite"] {
        let Some(value) = el.get_attribute(attr) else {
            continue;
        };
        let pointed: Vec<String> = value
            .split_whitespace()
            .filter_map(|v| places.point(v))
            .collect();
        match pointed.is_empty() {
            false => el.set_attribute(attr, &pointed.join(" "))?,
            true => el.remove_attribute(attr),
        }
    }
    Ok(())
}

/// A problem for each fragment linked to that no element of the document has as its id.
fn unmatched(ids: &HashSet<String>, targets: Vec<String>) -> Vec<Problem> {
    let mut seen = HashSet::new();
    targets
        .into_iter()
        .filter(|t| !t.is_empty() && !ids.contains(t) && seen.insert(t.clone()))
        .map(|t| {
            Problem::file(
                "templates/print.html",
                format!("the print document links to `#{t}`, which nothing in it has as its id"),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Places {
        Places {
            keys: [
                ("model/index.html".to_string(), "model".to_string()),
                ("source/index.html".to_string(), "source".to_string()),
            ]
            .into_iter()
            .collect(),
            bare: Some("source".into()),
            base_url: String::new(),
        }
    }

    #[test]
    fn keys_and_paths() {
        assert_eq!(key_of("model/index.html"), "model");
        assert_eq!(key_of("a/b/index.html"), "a-b");
        assert_eq!(key_of("index.html"), "home");
        assert_eq!(
            join("model", "../source/index.html#p2"),
            "source/index.html#p2"
        );
        assert_eq!(join("", "style.css"), "style.css");
        assert!(has_scheme("https://x.org/") && has_scheme("mailto:a@b"));
        assert!(!has_scheme("a/b:c") && !has_scheme("#x"));
    }

    #[test]
    fn a_page_keeps_its_main_with_ids_prefixed_and_links_rebased() {
        let html = r##"<html><body><nav><a href="../index.html">Home</a></nav><main id="main"><h2 id="evidence">E</h2><section aria-labelledby="evidence"><a href="#evidence">here</a> <a href="../source/index.html#p2">¶2</a> <a href="https://x.org/">x</a><table><tr data-cite="../source/index.html#p3"><td>5</td></tr></table></section></main><footer>f</footer></body></html>"##;
        let main = main_of(html, "model/index.html", &places()).unwrap();
        assert_eq!(
            main,
            r##"<h2 id="model--evidence">E</h2><section aria-labelledby="model--evidence"><a href="#model--evidence">here</a> <a href="source/index.html#p2">¶2</a> <a href="https://x.org/">x</a><table><tr data-cite="source/index.html#p3"><td>5</td></tr></table></section>"##
        );
    }

    #[test]
    fn links_point_inside_the_document_or_are_dropped() {
        let html = r##"<div id="model"><p id="p2">x</p><a href="source/index.html#p2" data-print-url="source/index.html#p2">¶2</a> <a href="model/index.html">M</a> <a class="v" href="sources/article.txt">plain</a> <a href="#gone">g</a> <blockquote cite="index.html">q</blockquote><tr data-cite="source/index.html#p2"></tr></div>"##;
        let (out, problems) = link_inside(html, &places()).unwrap();
        assert_eq!(
            out,
            r##"<div id="model"><p id="p2">x</p><a href="#p2">¶2</a> <a href="#model">M</a> <span class="v">plain</span> <a href="#gone">g</a> <blockquote>q</blockquote><tr data-cite="#p2"></tr></div>"##
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("`#gone`"));
        let mut with_url = places();
        with_url.base_url = "https://b.org/r/".into();
        let (out, _) = link_inside(html, &with_url).unwrap();
        assert!(
            out.contains(r#"<a class="v" href="https://b.org/r/sources/article.txt">plain</a>"#)
        );
    }

    #[test]
    fn the_linked_pages_are_read_from_links_quotations_and_citations() {
        let html = r##"<a href="report/index.html#page-2-p1">¶1</a><tr data-cite="annex/index.html#p2"></tr><q cite="letter/index.html">q</q><a href="https://x.org/a/index.html">x</a><a href="#top">t</a><a href="?q">h</a>"##;
        let mut found: Vec<String> = linked_paths(html).unwrap().into_iter().collect();
        found.sort();
        assert_eq!(
            found,
            [
                "annex/index.html",
                "index.html",
                "letter/index.html",
                "report/index.html"
            ]
        );
    }
}
