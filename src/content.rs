//! Walk `content/`, split each Markdown file into TOML front matter and body, validate the front
//! matter, and work out where every page is written. Problems in all files are collected.

mod front;

pub use front::{normalize_newlines, split_front_matter};

use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diag::{Problem, find_line};
use crate::fsx::{self, SiteRoot};
use crate::model::Page;
use crate::tomlx::toml_problem;
use front::{RawMeta, count_words, resolve_meta};

/// What walking `content/` found: Markdown files parsed into pages, and other files.
#[derive(Default)]
pub struct Loaded {
    pub pages: Vec<Page>,
    pub assets: Vec<String>,
    /// Content paths of Markdown files that failed to parse (already reported), with the URL
    /// they would have had: links to them are not reported again.
    pub failed: Vec<(String, String)>,
}

/// Read every file under the site's `content/`. Drafts are dropped unless `drafts`. Hidden
/// files and folders, and symbolic links, are skipped; a `content/` that is itself a link is a
/// problem (see [`SiteRoot`]).
///
/// Folders are listed in parallel and each folder's Markdown files are parsed as soon as it is
/// listed, so reading the tree and parsing overlap on every core.
pub fn load(root: &SiteRoot, drafts: bool) -> Result<(Loaded, Vec<Problem>)> {
    let found = Mutex::new(Found::default());
    match root.dir("content") {
        Ok(Some(dir)) => rayon::scope(|scope| visit(scope, root, &dir, String::new(), &found)),
        Ok(None) => {}
        Err(refused) => return Ok((Loaded::default(), vec![refused.problem("content")?])),
    }
    let Found {
        parsed,
        mut assets,
        error,
    } = found.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(error) = error {
        return Err(error);
    }
    // Pages are large: sort their positions by path, then move each page once.
    let mut order: Vec<usize> = (0..parsed.len()).collect();
    order.sort_unstable_by(|&a, &b| parsed[a].0.cmp(&parsed[b].0));
    let (names, results): (Vec<String>, Vec<Result<Page, Problem>>) = parsed.into_iter().unzip();
    let mut slots: Vec<Option<Result<Page, Problem>>> = results.into_iter().map(Some).collect();
    assets.sort();
    let mut pages = Vec::with_capacity(slots.len());
    let mut problems = Vec::new();
    let mut failed = Vec::new();
    for i in order {
        match slots[i].take() {
            Some(Ok(page)) if page.meta.draft && !drafts => {}
            Some(Ok(page)) => pages.push(page),
            Some(Err(problem)) => {
                let rel = &names[i];
                failed.push((rel.clone(), unparsed_url(rel)));
                problems.push(problem);
            }
            None => {}
        }
    }
    Ok((
        Loaded {
            pages,
            assets,
            failed,
        },
        problems,
    ))
}

/// What the parallel walk of `content/` collects.
#[derive(Default)]
struct Found {
    /// Each Markdown file's content-relative path, parsed.
    parsed: Vec<(String, Result<Page, Problem>)>,
    assets: Vec<String>,
    error: Option<anyhow::Error>,
}

/// List the folder `abs` (content-relative `rel`), hand its subfolders to other tasks, and
/// parse its Markdown files.
fn visit<'s>(
    scope: &rayon::Scope<'s>,
    root: &'s SiteRoot,
    abs: &Path,
    rel: String,
    found: &'s Mutex<Found>,
) {
    let fail = |e: anyhow::Error| {
        let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
        found.error.get_or_insert(e);
    };
    let folder = ["content/", &rel, if rel.is_empty() { "" } else { "/" }].concat();
    let mut listing = match list(abs, &rel, &folder) {
        Ok(listing) => listing,
        Err(e) => return fail(e),
    };
    for (abs, path) in listing.folders.drain(..) {
        scope.spawn(move |scope| visit(scope, root, &abs, path, found));
    }
    // Names that macOS and Windows would take for one: the first kept, the others reported.
    for (name, problem) in fsx::name_clashes(&folder, &listing.names) {
        let path = [folder.strip_prefix("content/").unwrap_or(&folder), &name].concat();
        listing.markdown.retain(|(p, _)| *p != path);
        listing.assets.retain(|p| *p != path);
        listing.named.push((path, Err(problem)));
    }
    match read_pages(root, listing.markdown) {
        Ok(parsed) => {
            let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
            found.parsed.extend(parsed);
            found.parsed.extend(listing.named);
            found.assets.extend(listing.assets);
        }
        Err(e) => fail(e),
    }
}

/// One folder of `content/`, listed (content-relative paths).
#[derive(Default)]
struct Listing {
    /// Subfolders: absolute and content-relative paths.
    folders: Vec<(PathBuf, String)>,
    /// Markdown files: content-relative and absolute paths.
    markdown: Vec<(String, PathBuf)>,
    assets: Vec<String>,
    /// Names that links cannot carry, reported with the pages' problems.
    named: Vec<(String, Result<Page, Problem>)>,
    /// Every name listed, for the clash check.
    names: Vec<String>,
}

/// List the folder `abs` (content-relative `rel`, `content/`-relative `folder`), skipping
/// hidden names and warning of links.
fn list(abs: &Path, rel: &str, folder: &str) -> Result<Listing> {
    let context = |path: &Path| format!("cannot read {}", path.display());
    let mut listing = Listing::default();
    for entry in std::fs::read_dir(abs).with_context(|| context(abs))? {
        let entry = entry.with_context(|| context(abs))?;
        let raw = entry.file_name();
        if raw.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let name = raw.to_string_lossy().into_owned();
        listing.names.push(name.clone());
        let path = if rel.is_empty() {
            name
        } else {
            [rel, "/", &name].concat()
        };
        if let Some(problem) = fsx::name_problem(folder, &raw) {
            listing.named.push((path, Err(problem)));
            continue;
        }
        let kind = entry.file_type().with_context(|| context(&entry.path()))?;
        if kind.is_dir() {
            listing.folders.push((entry.path(), path));
        } else if kind.is_file() && path.ends_with(".md") {
            listing.markdown.push((path, entry.path()));
        } else if kind.is_file() {
            listing.assets.push(path);
        } else if kind.is_symlink() {
            crate::diag::warn(format_args!(
                "content/{path}: skipped: it is a symbolic link, and briefing reads only plain files and folders"
            ));
        }
    }
    Ok(listing)
}

/// Read and parse a folder's Markdown files (content-relative path, absolute path) in parallel,
/// each through the site root.
fn read_pages(
    root: &SiteRoot,
    markdown: Vec<(String, PathBuf)>,
) -> Result<Vec<(String, Result<Page, Problem>)>> {
    markdown
        .into_par_iter()
        .map(|(rel, path)| {
            let file = ["content/", &rel].concat();
            fsx::counters::bump(&fsx::counters::CONTENT_READS);
            let page = match root.read(&file, |bytes| match fsx::utf8(bytes, &file) {
                Ok(text) => parse_page(&rel, file.clone(), text),
                Err(problem) => Err(problem),
            }) {
                Ok(page) => page,
                Err(refused) => Err(refused.problem(&file)?),
            };
            let page = page.map(|page| Page {
                source: path,
                ..page
            });
            Ok((rel, page))
        })
        .collect()
}

/// Parse one content file (`rel` is its content-relative path) into a [`Page`] with its URL.
pub fn parse_page(rel: &str, file: String, text: &str) -> Result<Page, Problem> {
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

/// Read a page's file again (from the site `root`) and hand its whole text (normalised) to
/// `f`: the body starts at `page.front.len()`.
pub fn with_text<R>(root: &SiteRoot, page: &Page, f: impl FnOnce(&str) -> R) -> Result<R> {
    fsx::counters::bump(&fsx::counters::CONTENT_READS);
    let read = root.read(&page.file, |bytes| {
        let text = fsx::utf8(bytes, &page.file).map_err(anyhow::Error::msg)?;
        Ok(f(&normalize_newlines(text)))
    });
    match read {
        Ok(result) => result,
        Err(refused) => Err(anyhow::Error::msg(refused.problem(&page.file)?)),
    }
}

/// The URL a content file that failed to parse would have had (with its default slug), so that
/// links to it are not reported as broken on top of its own problem.
pub fn unparsed_url(rel: &str) -> String {
    let is_section = rel == "_index.md" || rel.ends_with("/_index.md");
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    output_url(rel, stem, is_section).0
}

/// The output URL (site-relative, naming a file) and its folder depth.
pub fn output_url(rel: &str, slug: &str, is_section: bool) -> (String, usize) {
    let folder = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    let url = if is_section {
        if folder.is_empty() {
            "index.html".to_string()
        } else {
            [folder, "/index.html"].concat()
        }
    } else if rel == "404.md" {
        "404.html".to_string()
    } else if folder.is_empty() {
        [slug, "/index.html"].concat()
    } else {
        [folder, "/", slug, "/index.html"].concat()
    };
    let depth = url.matches('/').count();
    (url, depth)
}

/// Problems for pages that would be written to the same output file.
pub fn duplicate_outputs(pages: &[Page]) -> Vec<Problem> {
    let mut seen = rustc_hash::FxHashSet::default();
    if pages.iter().all(|p| seen.insert(p.url.as_str())) {
        return Vec::new();
    }
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
        parse_page(rel, format!("content/{rel}"), text)
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
        // Against the plain definition, across block boundaries and with control bytes.
        let naive = |s: &str| {
            s.split(|c: char| c <= ' ')
                .filter(|w| !w.is_empty())
                .count()
        };
        let mut text = String::new();
        for i in 0..700 {
            text.push_str(["ab", " ", "\n\n", "\t", "é", "x\u{1}y", "  "][i * 7 % 11 % 7]);
            assert_eq!(count_words(&text), naive(&text), "{text:?}");
        }
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
        assert_eq!(normalize_newlines("a\r\nb\r\n"), "a\nb\n");
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
    fn datetimes_read_as_toml_writes_them() {
        for text in [
            "2016-02-08T01:37:00Z",
            "2020-09-30",
            "0099-01-02",
            "1979-05-27T07:32:00",
            "1979-05-27T07:32:00-07:00",
            "1979-05-27T07:32:00+05:30",
            "1979-05-27T00:32:00.999999-07:00",
            "1979-05-27T00:32:00.5Z",
            "07:32:00",
            "00:32:00.999999",
            "1979-05-27 07:32:00Z",
            "1979-05-27T07:32Z",
            "07:32",
        ] {
            let d: toml::value::Datetime = text.parse().expect(text);
            assert_eq!(crate::tomlx::datetime_text(&d), d.to_string(), "{text}");
        }
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
