//! `briefing check`: build into a temporary directory and judge the finished output the way a
//! reader's browser would meet it. Every internal link, anchor and asset must resolve, every
//! citation must land on its paragraph, every page must be well-formed for assistive tech, and
//! nothing may link root-absolutely. All problems are reported in one run.

use anyhow::{Context, Result};
use lol_html::{HtmlRewriter, Settings, element, text};
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use walkdir::WalkDir;

use crate::diag::{Problem, Problems, find_line};
use crate::model::Page;
use crate::render::template_name;
use crate::site::{self, BuildOptions, Prepared};

/// What one HTML file contains that the checks need.
#[derive(Debug, Default)]
pub struct Scan {
    pub ids: HashSet<String>,
    /// (attribute value, element and attribute, e.g. `a href`).
    pub refs: Vec<(String, &'static str)>,
    pub images_without_alt: Vec<String>,
    pub headings: Vec<u8>,
    pub lang: Option<String>,
    pub title: String,
    pub description: Option<String>,
}

/// The result of a check: problems, and what was looked at.
pub struct Outcome {
    pub problems: Vec<Problem>,
    pub pages: usize,
    pub links: usize,
}

/// Build the site into a temporary directory and check it.
pub fn run(opts: &BuildOptions, external: bool) -> Result<Outcome> {
    let prepared = match site::prepare(opts) {
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
    let tmp = tempfile::tempdir().context("cannot create a temporary directory")?;
    if let Err(e) = site::write(&prepared, tmp.path()) {
        let mut problems = prepared.findings.clone();
        match e.downcast::<Problems>() {
            Ok(more) => problems.extend(more.0),
            Err(e) => return Err(e),
        }
        return Ok(Outcome {
            problems,
            pages: 0,
            links: 0,
        });
    }
    let mut outcome = check_output(&prepared, tmp.path(), external)?;
    outcome
        .problems
        .splice(0..0, prepared.findings.iter().cloned());
    Ok(outcome)
}

/// Check a built site in `dir` against the prepared data it was built from.
pub fn check_output(prepared: &Prepared, dir: &Path, external: bool) -> Result<Outcome> {
    let files: Vec<String> = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| crate::fsx::slash_path(e.path().strip_prefix(dir).unwrap_or(e.path())))
        .collect();
    let scans: HashMap<String, Scan> = files
        .par_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| {
            let bytes = std::fs::read(dir.join(f)).with_context(|| format!("cannot read {f}"))?;
            Ok((f.clone(), scan(&bytes)?))
        })
        .collect::<Result<_>>()?;
    let all: HashSet<&str> = files.iter().map(String::as_str).collect();
    let by_url: HashMap<&str, &Page> = prepared
        .site
        .pages
        .iter()
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
            site: Some(&prepared.site),
            renderer: Some(&prepared.renderer),
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
    }
    problems.extend(check_external(outside));
    for file in files.iter().filter(|f| f.ends_with(".css")) {
        let css = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        for url in css_urls(&css) {
            links += 1;
            if let Some(msg) = check_ref(file, &url, &all, &scans) {
                problems.push(Problem::file(
                    format!("static/{file}"),
                    format!("url({url}): {msg}"),
                ));
            }
        }
    }
    problems.extend(citation_targets(&prepared.site.pages, &scans));
    Ok(Outcome {
        problems,
        pages: scans.len(),
        links,
    })
}

fn is_external(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// Fetch every external URL once (in parallel); each failure is reported where it was linked.
fn check_external(links: Vec<(String, Problem)>) -> Vec<Problem> {
    let mut unique: Vec<String> = links.iter().map(|(u, _)| u.clone()).collect();
    unique.sort_unstable();
    unique.dedup();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(15)))
        .http_status_as_error(false)
        .build()
        .into();
    let failures: HashMap<&str, String> = unique
        .par_iter()
        .map(String::as_str)
        .filter_map(|url| {
            let full = if url.starts_with("//") {
                format!("https:{url}")
            } else {
                url.to_string()
            };
            let full = full.split('#').next().unwrap_or_default().to_string();
            let status = match agent.head(&full).call() {
                Ok(r) if r.status().as_u16() < 400 => return None,
                Ok(_) => agent.get(&full).call().map(|r| r.status().as_u16()),
                Err(e) => Err(e),
            };
            match status {
                Ok(code) if code < 400 => None,
                Ok(code) => Some((url, format!("HTTP status {code}"))),
                Err(e) => Some((url, e.to_string())),
            }
        })
        .collect();
    links
        .into_iter()
        .filter_map(|(url, mut problem)| {
            let why = failures.get(url.as_str())?;
            problem.message = format!("{}: external link failed: {why}", problem.message);
            Some(problem)
        })
        .collect()
}

/// Who to blame for a problem found in an output file.
struct Blame<'a> {
    file: &'a str,
    page: Option<&'a Page>,
    site: Option<&'a crate::model::Site>,
    renderer: Option<&'a crate::render::Renderer>,
}

impl Blame<'_> {
    /// A link problem: at its Markdown line when the link came from content, else the template.
    fn link(&self, value: &str, message: &str) -> Problem {
        if let Some(page) = self.page {
            let links = self
                .site
                .and_then(|s| crate::render::markdown_with(s, page, true).ok());
            if let Some((_, line)) = links
                .iter()
                .flat_map(|md| &md.links)
                .find(|(d, _)| d == value)
            {
                return Problem::at_line(&page.file, None, *line, message);
            }
        }
        match self.template_line(value) {
            Some((name, line, text)) => Problem::at_line(
                format!("templates/{name}"),
                Some(text),
                line,
                format!("{message} (in {})", self.file),
            ),
            None => self.template(message),
        }
    }

    /// The template line that wrote a link: the value without its `../` prefix, looked up in the
    /// page's own template first, then in the others.
    fn template_line(&self, value: &str) -> Option<(&str, usize, &str)> {
        let renderer = self.renderer?;
        let mut needle = value;
        while let Some(rest) = needle.strip_prefix("../") {
            needle = rest;
        }
        if needle.len() < 3 {
            return None;
        }
        let own = self.page.map(template_name);
        renderer.locate(own.as_deref(), needle)
    }

    fn template(&self, message: &str) -> Problem {
        match self.page {
            Some(page) => Problem::file(
                format!("templates/{}", template_name(page)),
                format!("{message} (in {}, rendered from {})", self.file, page.file),
            ),
            None => Problem::file(self.file, message),
        }
    }

    fn content(&self, message: &str) -> Problem {
        match self.page {
            Some(page) => Problem::at_line(&page.file, Some(&page.front), 1, message),
            None => Problem::file(self.file, message),
        }
    }
}

fn page_rules(blame: &Blame, scan: &Scan) -> Vec<Problem> {
    let mut problems = Vec::new();
    let h1 = scan.headings.iter().filter(|&&l| l == 1).count();
    if h1 != 1 {
        problems.push(blame.template(&format!(
            "page has {h1} <h1> elements; it needs exactly one"
        )));
    }
    let mut previous = 0u8;
    for &level in &scan.headings {
        if level > previous + 1 {
            let from = if previous == 0 {
                "the start".to_string()
            } else {
                format!("h{previous}")
            };
            problems.push(blame.template(&format!("heading level skips from {from} to h{level}")));
            break;
        }
        previous = level;
    }
    if scan.lang.as_deref().is_none_or(str::is_empty) {
        problems.push(blame.template("<html> has no lang attribute"));
    }
    if scan.title.trim().is_empty() {
        problems.push(blame.template("page has no <title>"));
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

/// Why a reference from `file` does not resolve, or `None` when it does (or is external).
fn check_ref(
    file: &str,
    value: &str,
    files: &HashSet<&str>,
    scans: &HashMap<String, Scan>,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return Some("empty link".into());
    }
    let lower = value.to_ascii_lowercase();
    if ["http:", "https:", "mailto:", "tel:", "data:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return None;
    }
    if lower.starts_with("javascript:") {
        return Some("javascript: links need JavaScript; link to a page instead".into());
    }
    if value.starts_with("//") {
        return None;
    }
    if value.starts_with('/') {
        return Some(
            "root-absolute link: it breaks file:// and subpath hosting; link relatively".into(),
        );
    }
    let (path, fragment) = match value.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (value, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        file.to_string()
    } else {
        match resolve(file, &percent_decode(path)) {
            Some(t) => t,
            None => return Some("points outside the site".into()),
        }
    };
    if !files.contains(target.as_str()) {
        let as_folder = format!("{}/index.html", target.trim_end_matches('/'));
        if target.is_empty() || target.ends_with('/') || files.contains(as_folder.as_str()) {
            return Some(format!(
                "links to a folder; from disk a browser will not open its index.html: link to `{}index.html`",
                if path.ends_with('/') {
                    path.to_string()
                } else {
                    format!("{path}/")
                }
            ));
        }
        return Some(format!("no file `{target}` in the output"));
    }
    match (fragment, scans.get(&target)) {
        (Some(id), Some(scan)) if !id.is_empty() && !scan.ids.contains(&percent_decode(id)) => {
            Some(format!("no element with id `{id}` in `{target}`"))
        }
        _ => None,
    }
}

/// Resolve `path` relative to the folder of `file`; `None` if it climbs out of the site.
fn resolve(file: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn decode_entities(s: String) -> String {
    if s.contains('&') {
        s.replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
    } else {
        s
    }
}

/// Read one HTML file with a real HTML parser.
pub fn scan(html: &[u8]) -> Result<Scan> {
    let state = RefCell::new(Scan::default());
    let in_title = RefCell::new(false);
    const REFS: [(&str, &str, &str); 8] = [
        ("a[href]", "href", "a href"),
        ("link[href]", "href", "link href"),
        ("img[src]", "src", "img src"),
        ("script[src]", "src", "script src"),
        ("source[src]", "src", "source src"),
        ("iframe[src]", "src", "iframe src"),
        ("video[poster]", "poster", "video poster"),
        ("use[href]", "href", "use href"),
    ];
    let mut handlers = vec![
        element!("*", |el| {
            let mut s = state.borrow_mut();
            if let Some(id) = el.get_attribute("id") {
                s.ids.insert(decode_entities(id));
            }
            let tag = el.tag_name();
            match tag.as_str() {
                "html" => s.lang = el.get_attribute("lang"),
                "a" => {
                    if let Some(name) = el.get_attribute("name") {
                        s.ids.insert(name);
                    }
                }
                "img" if el.get_attribute("alt").is_none() => {
                    s.images_without_alt
                        .push(el.get_attribute("src").unwrap_or_default());
                }
                "meta" if el.get_attribute("name").as_deref() == Some("description") => {
                    s.description = Some(el.get_attribute("content").unwrap_or_default());
                }
                "title" if s.headings.is_empty() && s.title.is_empty() => {
                    *in_title.borrow_mut() = true;
                }
                t if t.len() == 2 && t.starts_with('h') => {
                    if let Some(level) = t[1..].parse::<u8>().ok().filter(|l| (1..=6).contains(l)) {
                        s.headings.push(level);
                    }
                }
                _ => {}
            }
            if let Some(srcset) = el.get_attribute("srcset") {
                for candidate in srcset.split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        s.refs.push((decode_entities(url.to_string()), "srcset"));
                    }
                }
            }
            Ok(())
        }),
        text!("title", |t| {
            if *in_title.borrow() {
                state.borrow_mut().title.push_str(t.as_str());
                if t.last_in_text_node() {
                    *in_title.borrow_mut() = false;
                }
            }
            Ok(())
        }),
    ];
    for (selector, attr, what) in REFS {
        let state = &state;
        handlers.push(element!(selector, move |el| {
            if let Some(v) = el.get_attribute(attr) {
                state.borrow_mut().refs.push((decode_entities(v), what));
            }
            Ok(())
        }));
    }
    let settings = handlers
        .into_iter()
        .fold(Settings::new(), Settings::append_element_content_handler);
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    rewriter.write(html).context("cannot parse HTML")?;
    rewriter.end().context("cannot parse HTML")?;
    Ok(state.into_inner())
}

/// `url(...)` references in a stylesheet, other than data: URLs and fragments.
fn css_urls(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let url = rest[..end].trim().trim_matches(['"', '\'']).to_string();
        if !url.starts_with("data:") && !url.starts_with('#') {
            out.push(url);
        }
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_collects_what_checks_need() {
        let html = br#"<!doctype html><html lang="en"><head><title>T &amp; U</title><meta name="description" content="d"><link rel="stylesheet" href="s.css"></head><body><h1 id="top">A</h1><h3>skip</h3><img src="a.png"><a href="x.html#p1&amp;q">x</a><p id="p1"></p></body></html>"#;
        let s = scan(html).unwrap();
        assert_eq!(s.lang.as_deref(), Some("en"));
        assert_eq!(s.title, "T &amp; U");
        assert_eq!(s.headings, [1, 3]);
        assert!(s.ids.contains("top") && s.ids.contains("p1"));
        assert_eq!(s.images_without_alt, ["a.png"]);
        assert!(s.refs.contains(&("s.css".into(), "link href")));
        assert!(s.refs.contains(&("x.html#p1&q".into(), "a href")));
    }

    #[test]
    fn references_resolve_relative_to_their_file() {
        assert_eq!(
            resolve("a/b/index.html", "../../style.css").as_deref(),
            Some("style.css")
        );
        assert_eq!(resolve("index.html", "../x"), None);
        let files: HashSet<&str> = ["index.html", "a/index.html", "style.css"].into();
        let mut scans = HashMap::new();
        scans.insert(
            "a/index.html".to_string(),
            Scan {
                ids: ["p1".to_string()].into(),
                ..Scan::default()
            },
        );
        assert_eq!(
            check_ref("index.html", "a/index.html#p1", &files, &scans),
            None
        );
        assert!(
            check_ref("index.html", "a/index.html#p9", &files, &scans)
                .unwrap()
                .contains("p9")
        );
        assert!(
            check_ref("index.html", "a/", &files, &scans)
                .unwrap()
                .contains("folder")
        );
        assert!(
            check_ref("index.html", "/a/index.html", &files, &scans)
                .unwrap()
                .contains("root-absolute")
        );
        assert!(
            check_ref("index.html", "b.css", &files, &scans)
                .unwrap()
                .contains("no file")
        );
        assert_eq!(
            check_ref("index.html", "https://example.com/x", &files, &scans),
            None
        );
        assert_eq!(
            css_urls("a{background:url('i.png')} b{x:url(data:abc)}"),
            ["i.png"]
        );
    }
}
