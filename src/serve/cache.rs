//! What `serve` keeps between builds to do less on the next one: every content file as it was
//! parsed (read again only when the watcher says it changed), and a fingerprint of everything
//! each page's render depends on, so that a page whose fingerprint did not change keeps the
//! bytes it was rendered to last time. Where the rules cannot be sure (the watcher lost events),
//! everything is read and rendered again.

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet, FxHasher};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::content::{self, Loaded};
use crate::diag::Problem;
use crate::fsx::{self, SiteRoot};
use crate::model::{Page, Site};
use crate::site::debug_hash;

/// A content file as last read.
struct Parsed {
    /// Hash of the file's bytes: a page's front matter, body, word count and URL follow from it.
    hash: u64,
    /// Hash of what a list or the navigation shows of the page: its front matter and word
    /// count (not the rest of its body).
    summary: u64,
    /// The file's size, modification time and inode, taken before it was read: a build checks
    /// them again after rendering, since a page's body is read a second time then.
    stamp: Option<Stamp>,
    /// Whether the page's output can depend on other pages' URLs or the source documents (an
    /// `@/` link, a citation, a document of its own).
    linked: bool,
    page: Result<Page, Problem>,
}

/// The content files of the last build and the fingerprints of its pages.
#[derive(Default)]
pub struct Cache {
    /// By content path (foldhash, as in [`super::memory::PathMap`]: paths share long parts).
    files: foldhash::HashMap<String, Parsed>,
    /// Fingerprint of each page's last render, by output URL.
    prints: foldhash::HashMap<String, u64>,
}

/// What tells a file's versions apart without reading it.
pub type Stamp = (u64, std::time::SystemTime, u64);

/// A file's stamp, if it can be read.
pub fn stamp(path: &Path) -> Option<Stamp> {
    stamp_of(&std::fs::symlink_metadata(path).ok()?)
}

/// The stamp of a file from its metadata (of the open file, or of the path itself).
pub fn stamp_of(meta: &std::fs::Metadata) -> Option<Stamp> {
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((meta.len(), meta.modified().ok()?, inode))
}

/// Which files changed since the last build: named paths, or anything (`None`).
pub type Changed = Option<HashSet<PathBuf>>;

impl Cache {
    /// List `content/` and parse the Markdown files that are new or `changed`, reusing the rest;
    /// the same pages, assets and problems, in the same order, as [`content::load`] gives.
    pub fn load(
        &mut self,
        root: &SiteRoot,
        drafts: bool,
        changed: &Changed,
    ) -> Result<(Loaded, Vec<Problem>)> {
        let t = std::time::Instant::now();
        let mut markdown = Vec::new();
        let mut assets = Vec::new();
        match root.dir("content") {
            Ok(Some(dir)) => list(&dir, "", &mut markdown, &mut assets)?,
            Ok(None) => {}
            Err(refused) => return Ok((Loaded::default(), vec![refused.problem("content")?])),
        }
        assets.sort();
        markdown.sort();
        crate::site::timing("c:list", t);
        let stale: Vec<&(String, PathBuf)> = markdown
            .iter()
            .filter(|(rel, path)| {
                !self.files.contains_key(rel) || changed.as_ref().is_none_or(|c| c.contains(path))
            })
            .collect();
        let fresh: Vec<(String, Parsed)> = stale
            .par_iter()
            .map(|(rel, path)| Ok((rel.clone(), parse(root, rel, path)?)))
            .collect::<Result<_>>()?;
        self.files.extend(fresh);
        let listed: HashSet<&str> = markdown.iter().map(|(rel, _)| rel.as_str()).collect();
        self.files.retain(|rel, _| listed.contains(rel.as_str()));
        crate::site::timing("c:parsed", t);
        let mut pages = Vec::with_capacity(markdown.len());
        let mut problems = Vec::new();
        let mut failed = Vec::new();
        for (rel, _) in &markdown {
            match &self.files[rel].page {
                Ok(page) if page.meta.draft && !drafts => {}
                Ok(page) => pages.push(page.clone()),
                Err(problem) => {
                    failed.push((rel.clone(), content::unparsed_url(rel)));
                    problems.push(problem.clone());
                }
            }
        }
        crate::site::timing("c:cloned", t);
        let loaded = Loaded {
            pages,
            assets,
            failed,
        };
        Ok((loaded, problems))
    }

    /// Read again the files `paths` (absolute) when each is a Markdown page of the last build,
    /// still a plain file, that parses with its front matter as it was, or changed only in
    /// what a section's list orders and shows (title, description, date, weight; see
    /// [`light`]): then each page as parsed now, by content path. `None` otherwise, and the
    /// caller goes the whole way.
    pub fn edits(
        &mut self,
        root: &SiteRoot,
        paths: &HashSet<PathBuf>,
    ) -> Result<Option<Vec<Page>>> {
        let mut fresh = Vec::with_capacity(paths.len());
        let dir = root.path().join("content");
        for path in paths {
            let Some(rel) = content_rel(&dir, path) else {
                return Ok(None);
            };
            let known = match self.files.get(&rel) {
                Some(Parsed { page: Ok(page), .. }) => page,
                _ => return Ok(None),
            };
            let plain = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
            if !plain {
                return Ok(None);
            }
            let parsed = settled(root, &rel, path)?;
            match &parsed.page {
                Ok(page) if page.front == known.front || light(known, page) => {
                    fresh.push((rel, parsed))
                }
                _ => return Ok(None),
            }
        }
        let pages = fresh
            .iter()
            .filter_map(|(_, p)| p.page.as_ref().ok().cloned())
            .collect();
        self.files.extend(fresh);
        Ok(Some(pages))
    }

    /// The fingerprint of every page of `site` (in order): a hash of its template and those it
    /// names, the configuration, the navigation, the page's own file, what its lists show of
    /// other pages and, where the page can show them, every page's URL and the source
    /// documents. A template that calls `get_page()` can show any page: then every page's
    /// file counts for the pages that use it.
    pub fn fingerprints(
        &self,
        site: &Site,
        templates: &std::collections::HashMap<String, String>,
    ) -> Vec<u64> {
        let parsed = |page: &Page| self.files.get(&page.rel);
        // A page's URL follows from its path and front matter: both go with every hash.
        let own = |page: &Page| with_rel(page, parsed(page).map_or(0, |f| f.hash));
        let summary = |page: &Page| with_rel(page, parsed(page).map_or(0, |f| f.summary));
        let linked = |page: &Page| parsed(page).is_none_or(|f| f.linked);
        let mut global = FxHasher::default();
        debug_hash(&site.config, &mut global);
        for &i in &site.nav {
            summary(&site.pages[i]).hash(&mut global);
        }
        let mut every = FxHasher::default();
        site.pages.iter().for_each(|p| own(p).hash(&mut every));
        let mut links = FxHasher::default();
        let mut urls: Vec<(&String, &String)> = site.urls.iter().collect();
        urls.sort();
        urls.hash(&mut links);
        for page in site.pages.iter().filter(|p| p.document.is_some()) {
            debug_hash(&page.document, &mut links);
        }
        let (global, every, links) = (global.finish(), every.finish(), links.finish());
        let uses = closures(templates);
        site.pages
            .par_iter()
            .map(|page| {
                let mut h = FxHasher::default();
                let (template, any_page) = uses
                    .get(crate::render::template_name(page))
                    .copied()
                    .unwrap_or((0, true));
                (global, template, own(page)).hash(&mut h);
                let mut needs_links = linked(page);
                if any_page {
                    (every, links).hash(&mut h);
                }
                for &j in page.pages.iter().chain(&page.subsections) {
                    summary(&site.pages[j]).hash(&mut h);
                    needs_links |= linked(&site.pages[j]);
                }
                if needs_links {
                    links.hash(&mut h);
                }
                h.finish()
            })
            .collect()
    }

    /// Of `pages`, the files that changed since they were read: a page rendered from one of
    /// them may mix two versions (its front matter from the first read, its body from the
    /// second).
    pub fn changed_since_read<'p>(&self, pages: impl Iterator<Item = &'p Page>) -> Vec<PathBuf> {
        let pages: Vec<&Page> = pages.collect();
        pages
            .par_iter()
            .filter(|p| {
                let then = self.files.get(&p.rel).and_then(|f| f.stamp);
                then.is_none() || then != stamp(&p.source)
            })
            .map(|p| p.source.clone())
            .collect()
    }

    /// Whether the page at `url` was last rendered with this fingerprint.
    pub fn unchanged(&self, url: &str, print: u64) -> bool {
        self.prints.get(url) == Some(&print)
    }

    /// Remember the fingerprints of a build that was served.
    /// Entries are updated in place, without copying every URL again; those of pages that are
    /// gone are dropped (a page's URL is unique in a build that was served).
    pub fn remember(&mut self, site: &Site, prints: &[u64]) {
        for (page, &print) in site.pages.iter().zip(prints) {
            match self.prints.get_mut(page.url.as_str()) {
                Some(kept) => *kept = print,
                None => {
                    self.prints.insert(page.url.clone(), print);
                }
            }
        }
        if self.prints.len() != site.pages.len() {
            let urls: HashSet<&str> = site.pages.iter().map(|p| p.url.as_str()).collect();
            self.prints.retain(|url, _| urls.contains(url.as_str()));
        }
    }
}

/// For every template: a hash of its source and of every template it names (`extends`,
/// `include`, `import`) or whose components it uses (`<name`), transitively, and whether any
/// of them calls `get_page()`.
fn closures(templates: &std::collections::HashMap<String, String>) -> HashMap<&str, (u64, bool)> {
    let mut names: Vec<&str> = templates.keys().map(String::as_str).collect();
    names.sort_unstable();
    let defined: Vec<(&str, Vec<String>)> = names
        .iter()
        .map(|&n| (n, components(&templates[n])))
        .collect();
    let names_of = |source: &str| -> Vec<&str> {
        let named = names
            .iter()
            .copied()
            .filter(|n| source.contains(&format!("\"{n}\"")) || source.contains(&format!("'{n}'")));
        let used = defined
            .iter()
            .filter(|(_, cs)| cs.iter().any(|c| source.contains(&format!("<{c}"))))
            .map(|(n, _)| *n);
        named.chain(used).collect()
    };
    names
        .iter()
        .map(|&name| {
            let mut seen = vec![name];
            let mut at = 0;
            while at < seen.len() {
                for other in names_of(&templates[seen[at]]) {
                    if !seen.contains(&other) {
                        seen.push(other);
                    }
                }
                at += 1;
            }
            seen.sort_unstable();
            let mut h = FxHasher::default();
            let mut any_page = false;
            for n in seen {
                (n, &templates[n]).hash(&mut h);
                any_page |= templates[n].contains("get_page");
            }
            (name, (h.finish(), any_page))
        })
        .collect()
}

/// The names of the components a template defines (`{% component name(`).
fn components(source: &str) -> Vec<String> {
    source
        .match_indices("component ")
        .filter(|(at, _)| source[..*at].trim_end_matches(['-', ' ']).ends_with("{%"))
        .filter_map(|(at, word)| {
            let rest = &source[at + word.len()..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
            (end > 0).then(|| rest[..end].to_string())
        })
        .collect()
}

/// Read and parse one Markdown file, as [`content::load`] does.
fn parse(root: &SiteRoot, rel: &str, path: &Path) -> Result<Parsed> {
    let file = ["content/", rel].concat();
    let stamp = stamp(path);
    root.read(&file, |bytes| {
        let mut h = FxHasher::default();
        bytes.hash(&mut h);
        let linked = memchr::memmem::find(bytes, b"@/").is_some()
            || memchr::memmem::find(bytes, b"quote").is_some()
            || memchr::memmem::find(bytes, b"document").is_some();
        let page = fsx::utf8(bytes, &file)
            .and_then(|text| content::parse_page(rel, file.clone(), text))
            .map(|page| Page {
                source: path.to_path_buf(),
                ..page
            });
        let mut summary = FxHasher::default();
        if let Ok(page) = &page {
            (&page.front, page.word_count).hash(&mut summary);
        }
        Parsed {
            hash: h.finish(),
            summary: summary.finish(),
            stamp,
            linked,
            page,
        }
    })
    // Gone, or turned into a link, since it was listed.
    .map_err(|refused| anyhow::anyhow!(refused.describe(&file)))
}

/// Every file under the folder `abs` (content-relative `rel`): Markdown files with their paths,
/// and other files. Hidden names and symbolic links are skipped, as the build skips them.
fn list(
    abs: &Path,
    rel: &str,
    markdown: &mut Vec<(String, PathBuf)>,
    assets: &mut Vec<String>,
) -> Result<()> {
    let entries =
        std::fs::read_dir(abs).with_context(|| format!("cannot read {}", abs.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", abs.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = if rel.is_empty() {
            name
        } else {
            [rel, "/", &name].concat()
        };
        let kind = entry
            .file_type()
            .with_context(|| format!("cannot read {}", entry.path().display()))?;
        if kind.is_dir() {
            list(&entry.path(), &path, markdown, assets)?;
        } else if kind.is_file() {
            if path.ends_with(".md") {
                markdown.push((path, entry.path()));
            } else {
                assets.push(path);
            }
        }
    }
    Ok(())
}

/// Whether a page's front matter changed only in its title, description, date or weight: a
/// page (not a section) whose data (`extra`, with its citations) and everything that decides
/// its URL, template and place are as they were. (Whether it is in the navigation the caller
/// sees.)
fn light(known: &Page, now: &Page) -> bool {
    let (a, b) = (&known.meta, &now.meta);
    !known.is_section
        && a.in_nav == b.in_nav
        && a.slug == b.slug
        && a.template == b.template
        && a.sort_by == b.sort_by
        && a.document.is_none()
        && b.document.is_none()
        && a.draft == b.draft
        && a.extra == b.extra
        && known.url == now.url
}

/// Read and parse a file that was just saved. An editor that truncates a file and then writes
/// it gives an event for each: read between the two, the file does not parse. Then wait a
/// moment for the file to change again (up to 20 ms), and read it again if it did; a file that
/// stays broken is left to the whole build, which reports it.
fn settled(root: &SiteRoot, rel: &str, path: &Path) -> Result<Parsed> {
    let mut parsed = parse(root, rel, path)?;
    for _ in 0..10 {
        if parsed.page.is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
        if stamp(path) != parsed.stamp {
            parsed = parse(root, rel, path)?;
        }
    }
    Ok(parsed)
}

/// The content path of a Markdown file at `path` under `dir`, as [`list`] names it: `None` for
/// a file elsewhere, under a hidden name, or not Markdown.
fn content_rel(dir: &Path, path: &Path) -> Option<String> {
    let parts: Vec<&str> = path
        .strip_prefix(dir)
        .ok()?
        .components()
        .map(|c| match c {
            std::path::Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let visible = !parts.is_empty() && parts.iter().all(|p| !p.starts_with('.'));
    let rel = parts.join("/");
    (visible && rel.ends_with(".md")).then_some(rel)
}

/// `hash` combined with the page's path.
fn with_rel(page: &Page, hash: u64) -> u64 {
    let mut h = FxHasher::default();
    (hash, &page.rel).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> std::collections::HashMap<String, String> {
        files
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn a_template_depends_on_what_it_names_and_the_components_it_uses() {
        let parts = "{% component card(m) %}<b>{{ m }}</b>{% endcomponent card %}";
        let base = "<main>{% block main %}{% endblock %}</main>";
        let page = "{% extends \"base.html\" %}{% block main %}{{ <card m={1} /> }}{% endblock %}";
        let index = "{% extends 'base.html' %}{{ get_page(path=\"a.md\").title }}";
        let with = |parts: &str| {
            closures(&set(&[
                ("parts.html", parts),
                ("base.html", base),
                ("page.html", page),
                ("index.html", index),
            ]))
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect::<HashMap<String, (u64, bool)>>()
        };
        let (before, after) = (with(parts), with(&parts.replace("<b>", "<i>")));
        assert_ne!(
            before["page.html"].0, after["page.html"].0,
            "page uses the component"
        );
        assert_eq!(before["index.html"], after["index.html"], "index does not");
        assert!(
            before["index.html"].1 && !before["page.html"].1,
            "only index calls get_page"
        );
        assert_eq!(
            components("{%- component a_b(x) -%} {% component c() %} x component d"),
            ["a_b", "c"]
        );
    }
}
