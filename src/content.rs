//! Walk `content/`, split each Markdown file into TOML front matter and body, validate the front
//! matter, and work out where every page is written. Problems in all files are collected.

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use walkdir::WalkDir;

use crate::config::toml_problem;
use crate::diag::{Problem, find_line};
use crate::fsx;
use crate::model::{Meta, Page, SortBy};

/// Front matter exactly as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    title: Option<String>,
    description: Option<String>,
    date: Option<toml::Value>,
    weight: Option<i64>,
    draft: Option<bool>,
    slug: Option<String>,
    template: Option<String>,
    sort_by: Option<String>,
    document: Option<String>,
    in_nav: Option<bool>,
    #[serde(default)]
    extra: toml::Table,
}

/// What walking `content/` found: Markdown files parsed into pages, and other files.
pub struct Loaded {
    pub pages: Vec<Page>,
    pub assets: Vec<String>,
}

/// Read every file under `dir` (the site's `content/`). Drafts are dropped unless `drafts`.
pub fn load(dir: &Path, drafts: bool) -> Result<(Loaded, Vec<Problem>)> {
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    if dir.is_dir() {
        let walk = WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            let entry = entry.with_context(|| format!("cannot walk {}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = fsx::slash_path(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
            if rel.ends_with(".md") {
                markdown.push(rel);
            } else {
                assets.push(rel);
            }
        }
    }
    let results: Vec<Result<Result<Page, Problem>>> = markdown
        .par_iter()
        .map(|rel| {
            let file = format!("content/{rel}");
            let path = dir.join(rel);
            fsx::counters::bump(&fsx::counters::CONTENT_READS);
            Ok(match fsx::read_text(&path, &file)? {
                Ok(text) => parse_page(rel, file, text).map(|page| Page {
                    source: path,
                    ..page
                }),
                Err(problem) => Err(problem),
            })
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for result in results {
        match result? {
            Ok(page) if page.meta.draft && !drafts => {}
            Ok(page) => pages.push(page),
            Err(problem) => problems.push(problem),
        }
    }
    Ok((Loaded { pages, assets }, problems))
}

/// Parse one content file (`rel` is its content-relative path) into a [`Page`] with its URL.
pub fn parse_page(rel: &str, file: String, text: String) -> Result<Page, Problem> {
    let text = normalize_newlines(text);
    let (fm, body_start) = split_front_matter(&file, &text)?;
    let raw: RawMeta = toml::from_str(fm).map_err(|e| toml_problem(&file, fm, 1, &e))?;
    let is_section = rel == "_index.md" || rel.ends_with("/_index.md");
    let front = &text[..body_start];
    let meta = resolve_meta(raw, rel, &file, front, is_section)?;
    let (url, depth) = output_url(rel, &meta.slug, is_section);
    Ok(Page {
        rel: rel.to_string(),
        file,
        is_section,
        front: front.to_string(),
        word_count: count_words(&text[body_start..]),
        meta,
        url,
        depth,
        ..Page::default()
    })
}

/// Read a page's file again and return it whole (normalised): the body starts at
/// `page.front.len()`.
pub fn read_full(page: &Page) -> Result<String> {
    fsx::counters::bump(&fsx::counters::CONTENT_READS);
    let text = std::fs::read_to_string(&page.source)
        .with_context(|| format!("cannot read {}", page.source.display()))?;
    Ok(normalize_newlines(text))
}

/// Approximate words: runs of non-white-space (Markdown markers such as `##` count too). It
/// runs over every page before anything is rendered, so it works 64 bytes at a time: a bit mask
/// of white space per chunk, and a word starts wherever a non-space follows a space.
fn count_words(body: &str) -> usize {
    // Bytes up to b' ' (space, tab, newlines and other controls) separate words.
    fn mask(chunk: &[u8]) -> u64 {
        chunk
            .iter()
            .enumerate()
            .fold(0u64, |m, (i, &b)| m | (u64::from(b <= b' ') << i))
    }
    let bytes = body.as_bytes();
    let mut words = 0;
    let mut prev_space = 1u64;
    let mut chunks = bytes.chunks_exact(64);
    for chunk in &mut chunks {
        let chunk: &[u8; 64] = chunk.try_into().expect("64 bytes");
        let space = mask(chunk);
        words += (!space & ((space << 1) | prev_space)).count_ones() as usize;
        prev_space = space >> 63;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let space = mask(rest) | (u64::MAX << rest.len());
        words += (!space & ((space << 1) | prev_space)).count_ones() as usize;
    }
    words
}

/// Accept CRLF (and a byte-order mark) by normalising to `\n`.
pub fn normalize_newlines(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

/// Split `+++`-delimited front matter from the body: returns the TOML and the body's offset.
fn split_front_matter<'t>(file: &str, text: &'t str) -> Result<(&'t str, usize), Problem> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(Problem::at_line(
            file,
            Some(text),
            1,
            "missing front matter: a content file must start with a `+++` line, then TOML, then `+++`",
        ));
    }
    let start = first.len() + 1;
    let mut offset = start.min(text.len());
    for line in text[offset..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((&text[start..offset], offset + line.len()));
        }
        offset += line.len();
    }
    Err(Problem::at_line(
        file,
        Some(text),
        1,
        "front matter opened with `+++` on line 1 is never closed: add a `+++` line after it",
    ))
}

fn resolve_meta(
    raw: RawMeta,
    rel: &str,
    file: &str,
    text: &str,
    is_section: bool,
) -> Result<Meta, Problem> {
    let at_key = |key: &str, msg: String| {
        let line = find_line(text, &format!("\n{key}")).map_or(1, |l| l + 1);
        Problem::at_line(file, Some(text), line, msg)
    };
    let title = raw
        .title
        .ok_or_else(|| Problem::at_line(file, Some(text), 1, "front matter has no `title`"))?;
    let date = match raw.date {
        None => None,
        Some(toml::Value::Datetime(d)) => Some(d.to_string()),
        Some(toml::Value::String(s)) => Some(s),
        Some(other) => {
            return Err(at_key(
                "date",
                format!(
                    "`date` must be a date like 2020-09-30, not a {}",
                    other.type_str()
                ),
            ));
        }
    };
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    let slug = match raw.slug {
        Some(slug) => {
            check_slug(&slug).map_err(|msg| at_key("slug", msg))?;
            slug
        }
        None => stem.to_string(),
    };
    let sort_by = match raw.sort_by.as_deref() {
        None | Some("weight") => SortBy::Weight,
        Some("date") => SortBy::Date,
        Some("title") => SortBy::Title,
        Some(other) => {
            return Err(at_key(
                "sort_by",
                format!("unknown sort_by `{other}`: use weight, date or title"),
            ));
        }
    };
    if raw.document.is_some() && is_section {
        return Err(at_key(
            "document",
            "`document` belongs on a page, not a section".into(),
        ));
    }
    Ok(Meta {
        title,
        description: raw.description.unwrap_or_default(),
        date,
        weight: raw.weight.unwrap_or(0),
        draft: raw.draft.unwrap_or(false),
        slug,
        template: raw.template,
        sort_by,
        document: raw.document,
        in_nav: raw.in_nav.unwrap_or(true),
        extra: plain_table(raw.extra),
    })
}

/// A slug is one path segment: it must not be able to name a file outside the output directory.
fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("`slug` is empty".into());
    }
    if slug.contains(['/', '\\']) || slug == "." || slug == ".." || slug.contains("..") {
        return Err(format!(
            "slug `{slug}` would escape the output directory: a slug is a single path segment"
        ));
    }
    if slug.starts_with('.') || slug.contains(['?', '#', '%', ':', '\0']) {
        return Err(format!(
            "slug `{slug}` is not a safe file name: use letters, digits, `-` and `_`"
        ));
    }
    Ok(())
}

/// The output URL (site-relative, naming a file) and its folder depth.
pub fn output_url(rel: &str, slug: &str, is_section: bool) -> (String, usize) {
    let folder = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    let url = if is_section {
        if folder.is_empty() {
            "index.html".to_string()
        } else {
            format!("{folder}/index.html")
        }
    } else if rel == "404.md" {
        "404.html".to_string()
    } else if folder.is_empty() {
        format!("{slug}/index.html")
    } else {
        format!("{folder}/{slug}/index.html")
    };
    let depth = url.matches('/').count();
    (url, depth)
}

/// Replace TOML datetimes by their text, so templates see plain strings.
pub fn plain_table(table: toml::Table) -> toml::Table {
    table.into_iter().map(|(k, v)| (k, plain(v))).collect()
}

fn plain(value: toml::Value) -> toml::Value {
    match value {
        toml::Value::Datetime(d) => toml::Value::String(d.to_string()),
        toml::Value::Array(items) => toml::Value::Array(items.into_iter().map(plain).collect()),
        toml::Value::Table(t) => toml::Value::Table(plain_table(t)),
        other => other,
    }
}

/// Problems for pages that would be written to the same output file.
pub fn duplicate_outputs(pages: &[Page]) -> Vec<Problem> {
    let mut by_url: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
    for page in pages {
        by_url.entry(&page.url).or_default().push(page);
    }
    let mut problems = Vec::new();
    for (url, group) in by_url.into_iter().filter(|(_, g)| g.len() > 1) {
        for page in &group {
            let others: Vec<&str> = group
                .iter()
                .filter(|o| o.rel != page.rel)
                .map(|o| o.file.as_str())
                .collect();
            let line = find_line(&page.front, "\nslug").map_or(1, |l| l + 1);
            problems.push(Problem::at_line(
                &page.file,
                Some(&page.front),
                line,
                format!(
                    "two pages would be written to `{url}`: this one and {}",
                    others.join(", ")
                ),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel: &str, text: &str) -> Result<Page, Problem> {
        parse_page(rel, format!("content/{rel}"), text.to_string())
    }

    #[test]
    fn splits_front_matter_and_computes_urls() {
        let p = page(
            "notes/a.md",
            "+++\ntitle = \"A\"\nweight = 2\n+++\nBody text\n",
        )
        .unwrap();
        assert_eq!(p.meta.title, "A");
        assert_eq!(p.front, "+++\ntitle = \"A\"\nweight = 2\n+++\n");
        assert_eq!(p.word_count, 2);
        let long = "word ".repeat(100) + "  tail\n\nlast";
        assert_eq!(count_words(&long), 102);
        assert_eq!(count_words("a b"), 2);
        assert_eq!(count_words(""), 0);
        assert_eq!((p.url.as_str(), p.depth), ("notes/a/index.html", 2));
        let s = page("notes/_index.md", "+++\ntitle = \"N\"\n+++\n").unwrap();
        assert!(s.is_section);
        assert_eq!(s.url, "notes/index.html");
        let home = page("_index.md", "+++\ntitle = \"H\"\n+++\n").unwrap();
        assert_eq!((home.url.as_str(), home.depth), ("index.html", 0));
        let nf = page("404.md", "+++\ntitle = \"Missing\"\n+++\n").unwrap();
        assert_eq!(nf.url, "404.html");
    }

    #[test]
    fn crlf_works() {
        let p = page(
            "a.md",
            "+++\r\ntitle = \"A\"\r\n+++\r\nLine one\r\nLine two\r\n",
        )
        .unwrap();
        assert_eq!(p.meta.title, "A");
        assert_eq!(p.front, "+++\ntitle = \"A\"\n+++\n");
        assert_eq!(normalize_newlines("a\r\nb\r\n".into()), "a\nb\n");
    }

    #[test]
    fn front_matter_errors_name_the_line() {
        let e = page("a.md", "+++\ntitle = \"A\"\nweight = = 1\n+++\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let e = page("a.md", "+++\ntitle = \"A\"\ncolour = 1\n+++\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("colour"), "{e}");
        let e = page("a.md", "+++\ntitle = \"A\"\nbody\n").unwrap_err();
        assert!(e.message.contains("never closed"), "{e}");
        let e = page("a.md", "no front matter\n").unwrap_err();
        assert!(e.message.contains("missing front matter"), "{e}");
    }

    #[test]
    fn slugs_cannot_escape() {
        for bad in ["../x", "a/b", "..", "a\\b", ".hidden"] {
            let text = format!("+++\ntitle = \"A\"\nslug = '{bad}'\n+++\n");
            let e = page("a.md", &text).unwrap_err();
            assert_eq!(e.line, Some(3), "{e}");
        }
        assert_eq!(
            page("a.md", "+++\ntitle='A'\nslug='b-c'\n+++\n")
                .unwrap()
                .url,
            "b-c/index.html"
        );
    }

    #[test]
    fn dates_become_strings() {
        let p = page(
            "a.md",
            "+++\ntitle='A'\ndate=2020-09-30\n[extra]\nwhen=2021-01-01\n+++\n",
        )
        .unwrap();
        assert_eq!(p.meta.date.as_deref(), Some("2020-09-30"));
        assert_eq!(p.meta.extra["when"].as_str(), Some("2021-01-01"));
    }
}
