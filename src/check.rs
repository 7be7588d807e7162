//! `briefing check`: build into a temporary directory and judge the finished output the way a
//! reader's browser would meet it. Every internal link, anchor and asset must resolve, every
//! citation must land on its paragraph, every page must be well-formed for assistive tech, and
//! nothing may link root-absolutely. All problems are reported in one run.

mod curl;
mod links;
mod scan;
mod unique;

pub use scan::{Scan, scan};

use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use walkdir::WalkDir;

use crate::diag::{Problem, Problems, find_line};
use crate::model::Page;
use crate::output::Staging;
use crate::site::{self, BuildOptions, Prepared};
use crate::verify::Blame;
use links::{check_external, check_ref, is_external};
use scan::css_urls;

/// The result of a check: problems, and what was looked at.
pub struct Outcome {
    pub problems: Vec<Problem>,
    pub pages: usize,
    pub links: usize,
}

/// Build the site into a temporary directory and check it.
pub fn run(opts: &BuildOptions, external: bool) -> Result<Outcome> {
    let mut prepared = match site::prepare(opts) {
        Ok(p) => p,
        Err(e) => match e.downcast::<Problems>() {
            Ok(problems) => {
                return Ok(Outcome {
                    problems: problems.0,
                    pages: 0,
                    links: 0,
                });
            }
            Err(e) => return Err(e),
        },
    };
    prepared.keep_going = true;
    let tmp = crate::tempdirs::TempDir::new("check")?;
    let mut staging = Staging::new(&tmp.path().join("site"), false)?;
    let mut problems = prepared.findings.clone();
    // The build's own verification (links, anchors, figures, quotes) comes first; the output is
    // complete either way, so the rest of the checks run over all of it.
    if let Err(e) = site::write(&prepared, &mut staging) {
        match e.downcast::<Problems>() {
            Ok(more) => problems.extend(more.0),
            Err(e) => return Err(e),
        }
    }
    let mut outcome = check_output(&prepared, staging.path(), external)?;
    for p in std::mem::take(&mut outcome.problems) {
        if !problems.contains(&p) {
            problems.push(p);
        }
    }
    outcome.problems = problems;
    Ok(outcome)
}

/// Check a built site in `dir` against the prepared data it was built from.
pub fn check_output(prepared: &Prepared, dir: &Path, external: bool) -> Result<Outcome> {
    let (files, scans) = scan_output(dir)?;
    let all: HashSet<&str> = files.iter().map(String::as_str).collect();
    // The deck is the home page rendered again with `slides.html`, the search page a page made
    // for `search.html`: each is blamed as the page it is rendered as.
    let deck = crate::site::deck::page(&prepared.site);
    let search = crate::search::page(&prepared.site);
    let by_url: HashMap<&str, &Page> = prepared
        .site
        .pages
        .iter()
        .chain(deck.as_ref())
        .chain([&search])
        .map(|p| (p.url.as_str(), p))
        .collect();
    let mut problems = Vec::new();
    let mut links = 0;
    let mut names: Vec<&String> = scans.keys().collect();
    names.sort();
    let mut outside: Vec<(String, Problem)> = Vec::new();
    for file in names {
        let scan = &scans[file];
        let page = by_url.get(file.as_str()).copied();
        let blame = Blame {
            file,
            page,
            site: &prepared.site,
            renderer: &prepared.renderer,
        };
        links += scan.refs.len();
        for (value, what) in &scan.refs {
            if let Some(msg) = check_ref(file, value, &all, &scans) {
                problems.push(blame.link(value, &format!("{what} `{value}`: {msg}")));
            } else if external && is_external(value) {
                outside.push((
                    value.clone(),
                    blame.link(value, &format!("{what} `{value}`")),
                ));
            }
        }
        problems.extend(page_rules(&blame, scan));
        problems.extend(unique::duplicate_ids(&blame, scan));
    }
    problems.extend(check_external(outside));
    let (css, css_links) = css_problems(dir, &files, &all, &scans);
    problems.extend(css);
    links += css_links;
    problems.extend(citation_targets(&prepared.site.pages, &scans));
    Ok(Outcome {
        problems,
        pages: scans.len(),
        links,
    })
}

/// Every file of the built site in `dir` (slash paths, in name order), and the scan of each page.
fn scan_output(dir: &Path) -> Result<(Vec<String>, HashMap<String, Scan>)> {
    let files: Vec<String> = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| crate::fsx::slash_path(e.path().strip_prefix(dir).unwrap_or(e.path())))
        .collect();
    let scans = files
        .par_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| {
            let bytes = std::fs::read(dir.join(f)).with_context(|| format!("cannot read {f}"))?;
            Ok((f.clone(), scan(&bytes)?))
        })
        .collect::<Result<_>>()?;
    Ok((files, scans))
}

/// Broken `url(...)` references in the built site's stylesheets, and how many were checked.
fn css_problems(
    dir: &Path,
    files: &[String],
    all: &HashSet<&str>,
    scans: &HashMap<String, Scan>,
) -> (Vec<Problem>, usize) {
    let mut problems = Vec::new();
    let mut links = 0;
    for file in files.iter().filter(|f| f.ends_with(".css")) {
        let css = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        for url in css_urls(&css) {
            links += 1;
            if let Some(msg) = check_ref(file, &url, all, scans) {
                let line = find_line(&css, &url).unwrap_or(1);
                problems.push(Problem::at_line(
                    format!("static/{file}"),
                    Some(&css),
                    line,
                    format!("url({url}): {msg}"),
                ));
            }
        }
    }
    (problems, links)
}

/// The line of a page's first `# ` heading in its Markdown (outside fenced code), if it has one.
fn markdown_h1_line(site: &crate::model::Site, page: &Page) -> Option<usize> {
    crate::content::with_text(&site.root, page, |text: &str| {
        let body = text.get(page.front.len()..).unwrap_or("");
        let mut fenced = false;
        body.lines().position(|l| {
            let l = l.trim_start();
            if l.starts_with("```") || l.starts_with("~~~") {
                fenced = !fenced;
            }
            !fenced && (l == "#" || l.starts_with("# ") || l.starts_with("#\t"))
        })
    })
    .ok()
    .flatten()
    .map(|i| page.front.matches('\n').count() + i + 1)
}

fn page_rules(blame: &Blame, scan: &Scan) -> Vec<Problem> {
    let mut problems = Vec::new();
    let h1 = scan.headings.iter().filter(|&&l| l == 1).count();
    if h1 != 1 {
        let message = format!("page has {h1} <h1> elements; it needs exactly one");
        let markdown = blame
            .page
            .filter(|_| h1 > 1)
            .and_then(|page| markdown_h1_line(blame.site, page));
        problems.push(match (markdown, blame.page) {
            (Some(line), Some(page)) => Problem::at_line(
                &page.file,
                None,
                line,
                format!(
                    "{message}: this Markdown heading is one more than the template's (use `##`)"
                ),
            ),
            _ => blame.template_at("<h1", &message),
        });
    }
    let mut previous = 0u8;
    for &level in &scan.headings {
        if level > previous + 1 {
            let from = if previous == 0 {
                "the start".to_string()
            } else {
                format!("h{previous}")
            };
            problems.push(blame.template_at(
                &format!("<h{level}"),
                &format!("heading level skips from {from} to h{level}"),
            ));
            break;
        }
        previous = level;
    }
    if scan.lang.as_deref().is_none_or(str::is_empty) {
        problems.push(blame.template_at("<html", "<html> has no lang attribute"));
    }
    if scan.title.trim().is_empty() {
        problems.push(blame.template_at("<title", "page has no <title>"));
    }
    if scan
        .description
        .as_deref()
        .is_none_or(|d| d.trim().is_empty())
    {
        problems.push(blame.content(
            "page has no meta description: give it a `description` in its front matter (or the site one in site.toml)",
        ));
    }
    for src in &scan.images_without_alt {
        problems.push(blame.link(src, &format!("image `{src}` has no alt text")));
    }
    problems
}

/// Every citation URL must land on an element id of its target page.
fn citation_targets(pages: &[Page], scans: &HashMap<String, Scan>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for page in pages {
        let mut urls = Vec::new();
        collect_citation_urls(&toml::Value::Table(page.meta.extra.clone()), &mut urls);
        for (url, quote) in urls {
            let (path, id) = url.split_once('#').unwrap_or((&url, ""));
            let found = scans
                .get(path)
                .is_some_and(|s| id.is_empty() || s.ids.contains(id));
            if !found {
                let line = find_line(&page.front, &quote).unwrap_or(1);
                problems.push(Problem::at_line(
                    &page.file,
                    Some(&page.front),
                    line,
                    format!("citation points to `{url}`, but that page has no element with id `{id}` (does its template give paragraphs their ids?)"),
                ));
            }
        }
    }
    problems
}

fn collect_citation_urls(value: &toml::Value, out: &mut Vec<(String, String)>) {
    match value {
        toml::Value::Table(t) => {
            if let (Some(url), Some(quote)) = (
                t.get("url").and_then(|u| u.as_str()),
                t.get("quote").and_then(|q| q.as_str()),
            ) {
                out.push((url.to_string(), quote.to_string()));
            }
            t.values().for_each(|v| collect_citation_urls(v, out));
        }
        toml::Value::Array(items) => items.iter().for_each(|v| collect_citation_urls(v, out)),
        _ => {}
    }
}
