//! Orchestrate a build: load → parse → render → write, each a named step. `build()` is the
//! table of contents; the steps live in their own modules.

mod memo;
mod write;

pub use memo::{Memo, debug_hash};
pub use write::{write, write_with};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diag::{Problem, Problems, into_result};
use crate::fsx::SiteRoot;
use crate::model::{Page, Site, SortBy};
use crate::output::{self, Staging};
use crate::render::Renderer;
use crate::{cite, config, content, render};

mod copies;
pub mod deck;

/// What `briefing build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `public` under the root.
    pub output_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Start from an empty folder and keep no spare copy of the previous output.
    pub clean: bool,
    /// A board pack to publish with the site (made by `pdf`, which builds the site first).
    pub board_pack: Option<crate::model::BoardPack>,
    /// Report content's scripts even where site.toml allows them (`check`).
    pub report_scripts: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    pub pages: usize,
    pub files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    pub base_url: String,
}

/// A site loaded and rendered to HTML fragments, ready to be written.
pub struct Prepared {
    pub root: PathBuf,
    pub site: Arc<Site>,
    pub renderer: Renderer,
    /// Problems that do not stop `check` from looking further (unsupported quotes, ...).
    pub findings: Vec<Problem>,
    /// Write every page even when some fail verification (`check`, which judges the output
    /// as a whole); `build` writes nothing it would refuse.
    pub keep_going: bool,
}

/// Build the site: everything is checked before anything is written, and the new output
/// replaces the old one only when all of it was written.
pub fn build(opts: &BuildOptions) -> Result<Report> {
    let started = Instant::now();
    let root = output::absolute(&opts.root)?;
    let given = opts
        .output_dir
        .clone()
        .unwrap_or_else(|| root.join("public"));
    output::refuse_link(&given)?;
    let out = output::absolute(&given)?;
    output::check_target(&root, &out)?;
    let (prepared, mut staging) = prepare_and_claim(opts, &out)?;
    into_result(prepared.findings.clone())?;
    timing("prepare", started);
    let files = write(&prepared, &mut staging)?;
    timing("write", started);
    staging.commit()?;
    timing("swap", started);
    print_stats(&prepared);
    let report = Report {
        pages: prepared.site.pages.len(),
        files,
        output: out,
        elapsed: started.elapsed(),
        base_url: prepared.site.config.base_url.clone(),
    };
    // Freeing every page's data costs milliseconds on a large site and nobody waits for it.
    std::thread::spawn(move || drop(prepared));
    Ok(report)
}

/// [`prepare`] the site while another thread claims and lists the previous output (file-system
/// work independent of the content). A build that fails here gives the claim back untouched.
fn prepare_and_claim(opts: &BuildOptions, out: &Path) -> Result<(Prepared, Staging)> {
    let reuse = !opts.clean;
    let (prepared, staging) = std::thread::scope(|scope| {
        let claim = scope.spawn(|| Staging::new(out, reuse));
        let prepared = prepare(opts);
        let staging = claim
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (prepared, staging)
    });
    Ok((prepared?, staging?))
}

/// With `BRIEFING_TIMINGS` set, print the work counters of the regression guard.
fn print_stats(prepared: &Prepared) {
    if std::env::var_os("BRIEFING_TIMINGS").is_some() {
        use crate::fsx::counters::{CONTENT_READS, TEMPLATE_COMPILES, get};
        eprintln!(
            "     stats: {} pages, {} content file reads, {} template set compiles",
            prepared.site.pages.len(),
            get(&CONTENT_READS),
            get(&TEMPLATE_COMPILES)
        );
    }
}

/// With `BRIEFING_TIMINGS` set, print how long the build has taken so far after each step, and
/// (on Linux) the memory the process holds and has held at most.
pub fn timing(step: &str, started: Instant) {
    if std::env::var_os("BRIEFING_TIMINGS").is_some() {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map_or(String::new(), |v| v.trim().to_string())
        };
        eprintln!(
            "{step:>10}: {:7.1} ms  {} resident, {} at most",
            started.elapsed().as_secs_f64() * 1000.0,
            field("VmRSS:"),
            field("VmHWM:"),
        );
    }
}

/// Load configuration and content, render Markdown, resolve citations and load templates.
pub fn prepare(opts: &BuildOptions) -> Result<Prepared> {
    prepare_with(opts, |root| content::load(root, opts.drafts), None)
}

/// The site root (absolute) opened, and its configuration read.
fn open(opts: &BuildOptions) -> Result<(PathBuf, SiteRoot, config::Config)> {
    let root = output::absolute(&opts.root)?;
    if !root.is_dir() {
        bail!("site root {} is not a directory", root.display());
    }
    let site_root = SiteRoot::open(&root)
        .with_context(|| format!("cannot open the site root {}", root.display()))?;
    let mut config =
        config::load(&site_root, opts.base_url.as_deref())?.map_err(|p| Problems(vec![p]))?;
    config.unsafe_html &= !opts.report_scripts;
    Ok((root, site_root, config))
}

/// The templates, when they loaded: with the problems of loading them, or of pages naming a
/// template that does not exist.
fn checked_renderer(
    templates: Result<Renderer, Vec<Problem>>,
    pages: &[Page],
    problems: &mut Vec<Problem>,
) -> Option<Renderer> {
    match templates {
        Ok(renderer) => {
            problems.extend(renderer.missing_templates(pages));
            Some(renderer)
        }
        Err(found) => {
            problems.extend(found);
            None
        }
    }
}

/// What is wrong across the loaded pages: two writing one output, active content in front
/// matter (unless the site allows raw HTML), and no home page (unless it failed to parse).
fn page_problems(site: &Site, failed: &[(String, String)]) -> Vec<Problem> {
    let mut problems = content::duplicate_outputs(&site.pages);
    if !site.config.unsafe_html {
        for page in &site.pages {
            problems.extend(crate::active::in_extra(
                &page.file,
                &page.front,
                &page.meta.extra,
            ));
        }
    }
    let parsed_home = site.pages.iter().any(|p| p.rel == "_index.md");
    let failed_home = failed.iter().any(|(rel, _)| rel == "_index.md");
    if !parsed_home && !failed_home {
        problems.extend(no_home(site));
    }
    problems
}

/// [`prepare`], with the content files read by `load` (given the site): `serve` hands over
/// the pages it kept from the last build, read again only where a file changed, and the
/// `templates` of the last build when none of them changed.
pub fn prepare_with(
    opts: &BuildOptions,
    load: impl FnOnce(&SiteRoot) -> Result<(content::Loaded, Vec<Problem>)> + Send,
    templates: Option<Renderer>,
) -> Result<Prepared> {
    let (root, site_root, config) = open(opts)?;
    let started = Instant::now();
    // Templates do not depend on content: they compile while it loads.
    let (loaded, templates) = rayon::join(
        || load(&site_root),
        || match templates {
            Some(renderer) => Ok(Ok(renderer)),
            None => render::load(&site_root),
        },
    );
    let (loaded, mut problems) = loaded?;
    timing("load", started);
    let mut site = Site {
        config,
        pages: loaded.pages,
        assets: loaded.assets,
        nav: Vec::new(),
        urls: HashMap::default(),
        board_pack: opts.board_pack.clone(),
        root: site_root,
    };
    problems.extend(page_problems(&site, &loaded.failed));
    link_sections(&mut site);
    // Links to a page that failed to parse are not broken: that page's own problem is the cause.
    site.urls.extend(loaded.failed);
    for page in &mut site.pages {
        page.set_language(&site.config);
    }
    problems.extend(cite::load_documents(&site.root, &mut site.pages)?);
    let resolved = cite::resolve(&mut site.pages);
    problems.extend(resolved.schema);
    let findings = resolved.findings;
    let renderer = checked_renderer(templates?, &site.pages, &mut problems);
    timing("templates", started);
    if !problems.is_empty() {
        // Markdown is rendered while writing; on this slow path render it now too, so that its
        // problems (broken `@/` links) are reported together with the others.
        problems.extend(markdown_problems(&site)?);
    }
    into_result(problems)?;
    let site = Arc::new(site);
    let mut renderer = renderer.expect("no problems means templates loaded");
    renderer.prepare(site.clone());
    Ok(Prepared {
        root,
        renderer,
        site,
        findings,
        keep_going: false,
    })
}

fn markdown_problems(site: &Site) -> Result<Vec<Problem>> {
    let found: Vec<Vec<Problem>> = site
        .pages
        .par_iter()
        .map(|page| Ok(render::markdown(site, page)?.problems))
        .collect::<Result<_>>()?;
    Ok(found.into_iter().flatten().collect())
}

/// The problem of a site with no home page (or no pages at all): building it would replace the
/// published site with nothing a reader can open. None when `content/` could not be read (that
/// is reported already).
fn no_home(site: &Site) -> Option<Problem> {
    Some(if site.pages.is_empty() {
        let what = match site.root.dir("content").ok()? {
            Some(_) => "has no Markdown pages",
            None => "does not exist",
        };
        Problem::file(
            "content/",
            format!(
                "`content/` {what}: a site needs at least a home page, `content/_index.md` (`briefing init` writes a starter)"
            ),
        )
    } else {
        Problem::file(
            "content/_index.md",
            "the site has no home page: add `content/_index.md` (front matter with a `title`, then the home page's text)",
        )
    })
}

/// Order pages, give each its section, fill section lists and the navigation.
fn link_sections(site: &mut Site) {
    let pages = &mut site.pages;
    pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    site.urls = pages
        .iter()
        .map(|p| (p.rel.clone(), p.url.clone()))
        .collect();
    let sections: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section)
        .map(|(i, p)| (folder_of(&p.rel).to_string(), i))
        .collect();
    for i in 0..pages.len() {
        if let Some(s) = nearest_section(&pages[i], &sections) {
            pages[i].parent = Some(s);
            if pages[i].is_section {
                pages[s].subsections.push(i);
            } else {
                pages[s].pages.push(i);
            }
        }
    }
    sort_sections(pages);
    let home = sections.get("").copied();
    let mut nav: Vec<usize> = (0..pages.len())
        .filter(|&i| {
            let p = &pages[i];
            p.meta.in_nav && p.url != "404.html" && Some(i) != home && p.parent == home
        })
        .collect();
    sort_pages(&mut nav, pages, SortBy::Weight);
    site.nav = nav;
}

/// The section a page belongs to: the nearest section above its folder (above a section's
/// own folder, for a section); none for the home page.
fn nearest_section(page: &Page, sections: &HashMap<String, usize>) -> Option<usize> {
    let mut folder = folder_of(&page.rel);
    if page.is_section {
        if folder.is_empty() {
            return None;
        }
        folder = parent_folder(folder);
    }
    loop {
        if let Some(&s) = sections.get(folder) {
            return Some(s);
        }
        if folder.is_empty() {
            return None;
        }
        folder = parent_folder(folder);
    }
}

/// Sort each section's pages (by its `sort_by`) and subsections (by weight). Sections sort
/// their lists independently: in parallel.
fn sort_sections(pages: &mut [Page]) {
    let mut lists: Vec<(usize, Vec<usize>, Vec<usize>)> = Vec::new();
    for (s, page) in pages.iter_mut().enumerate() {
        if page.is_section {
            lists.push((
                s,
                std::mem::take(&mut page.pages),
                std::mem::take(&mut page.subsections),
            ));
        }
    }
    let all: &[Page] = pages;
    lists.par_iter_mut().for_each(|(s, list, subs)| {
        sort_pages(list, all, all[*s].meta.sort_by);
        sort_pages(subs, all, SortBy::Weight);
    });
    for (s, list, subs) in lists {
        pages[s].pages = list;
        pages[s].subsections = subs;
    }
}

/// Sort the list of section `s` again, as a build does (serve, after a page's title, date or
/// weight changed).
pub fn sort_section(site: &mut Site, s: usize) {
    let mut list = std::mem::take(&mut site.pages[s].pages);
    sort_pages(&mut list, &site.pages, site.pages[s].meta.sort_by);
    site.pages[s].pages = list;
}

fn sort_pages(list: &mut [usize], pages: &[Page], by: SortBy) {
    list.sort_by(|&a, &b| {
        let (a, b) = (&pages[a].meta, &pages[b].meta);
        let primary = match by {
            SortBy::Weight => a.weight.cmp(&b.weight),
            SortBy::Date => b.date.cmp(&a.date),
            SortBy::Title => std::cmp::Ordering::Equal,
        };
        primary.then_with(|| a.title.cmp(&b.title))
    });
}

fn folder_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn parent_folder(folder: &str) -> &str {
    folder.rsplit_once('/').map_or("", |(dir, _)| dir)
}
