//! Orchestrate a build: load → parse → render → write, each a named step. `build()` is the
//! table of contents; the steps live in their own modules.

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use walkdir::WalkDir;

use crate::diag::{Problem, Problems, into_result};
use crate::model::{Page, Site, SortBy};
use crate::output::{self, Staging};
use crate::render::Renderer;
use crate::verify::{PageCheck, Verifier};
use crate::{cite, config, content, fsx, render};

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
    let out = output::absolute(
        &opts
            .output_dir
            .clone()
            .unwrap_or_else(|| root.join("public")),
    )?;
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
fn timing(step: &str, started: Instant) {
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
    let root = output::absolute(&opts.root)?;
    if !root.is_dir() {
        bail!("site root {} is not a directory", root.display());
    }
    let config = config::load(&root, opts.base_url.as_deref())?.map_err(|p| Problems(vec![p]))?;
    let content_dir = root.join("content");
    let started = Instant::now();
    // Templates do not depend on content: they compile while it loads.
    let templates_dir = root.join("templates");
    let (loaded, templates) = rayon::join(
        || content::load(&content_dir, opts.drafts),
        || render::load(&templates_dir),
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
    };
    problems.extend(content::duplicate_outputs(&site.pages));
    link_sections(&mut site);
    problems.extend(cite::load_documents(&content_dir, &mut site.pages)?);
    let resolved = cite::resolve(&mut site.pages);
    problems.extend(resolved.schema);
    let findings = resolved.findings;
    let renderer = match templates? {
        Ok(renderer) => {
            problems.extend(renderer.missing_templates(&site.pages));
            Some(renderer)
        }
        Err(problem) => {
            problems.push(problem);
            None
        }
    };
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
        let mut folder = folder_of(&pages[i].rel);
        if pages[i].is_section {
            if folder.is_empty() {
                continue;
            }
            folder = parent_folder(folder);
        }
        loop {
            if let Some(&s) = sections.get(folder) {
                pages[i].parent = Some(s);
                if pages[i].is_section {
                    pages[s].subsections.push(i);
                } else {
                    pages[s].pages.push(i);
                }
                break;
            }
            if folder.is_empty() {
                break;
            }
            folder = parent_folder(folder);
        }
    }
    // Sections sort their lists independently: in parallel.
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

/// Write every page, static file, content asset and hosting file into the staging directory;
/// returns the number of files.
pub fn write(prepared: &Prepared, staging: &mut Staging) -> Result<usize> {
    let site = &prepared.site;
    let copies = static_and_assets(prepared)?;
    let hosting = crate::publish::names(site);
    let mut problems = output_clashes(site, &copies);
    let keep: HashSet<&str> = site
        .pages
        .iter()
        .map(|p| p.url.as_str())
        .chain(copies.iter().map(|(_, to)| to.as_str()))
        .chain(hosting.iter().copied())
        .chain([output::MARKER])
        .collect();
    staging.clear_except(&keep)?;
    let staging = &*staging;
    let dir = staging.path();
    let folders: BTreeSet<&str> = copies
        .iter()
        .filter_map(|(_, to)| to.rsplit_once('/').map(|(folder, _)| folder))
        .filter(|folder| !staging.has_dir(folder))
        .collect();
    for folder in folders {
        fsx::create_dir_all(&dir.join(folder))?;
    }
    // The hosting files (a sitemap lists every page) are made while the pages render. Each page
    // is verified before it is written; anchors into other pages once all are read.
    let verifier = Verifier::new(site, &prepared.renderer, keep.clone());
    let (results, hosting): (Vec<Result<(&Page, PageCheck)>>, _) = rayon::join(
        || {
            site.pages
                .par_iter()
                .map(|page| write_page(prepared, &verifier, staging, page).map(|c| (page, c)))
                .collect()
        },
        || crate::publish::files(site),
    );
    let checks = results.into_iter().collect::<Result<Vec<_>>>()?;
    problems.extend(verifier.finish(checks));
    if !prepared.keep_going {
        into_result(problems.clone())?;
    }
    copies.par_iter().try_for_each(|(from, to)| match from {
        Copy::File(path) => fsx::copy(path, &dir.join(to)),
        Copy::Builtin(bytes) => fsx::write(&dir.join(to), bytes),
        Copy::Bytes(bytes) => fsx::write(&dir.join(to), bytes),
    })?;
    let hosting = hosting?;
    for (name, bytes) in &hosting {
        fsx::write(&dir.join(name), bytes)?;
    }
    into_result(problems)?;
    Ok(site.pages.len() + copies.len() + hosting.len())
}

thread_local! {
    /// The buffer each thread renders pages into before they are verified and written.
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Render one page, verify it, and write it over its previous version in the staging folder
/// (a page with problems is not written).
fn write_page(
    prepared: &Prepared,
    verifier: &Verifier,
    staging: &Staging,
    page: &Page,
) -> Result<PageCheck> {
    PAGE_BUFFER.with(|cell| {
        let mut html = cell.borrow_mut();
        let problems = prepared.renderer.render_to_vec(page, &mut html)?;
        if !problems.is_empty() {
            return Ok(Verifier::failed(problems));
        }
        let check = verifier.page(page, &html)?;
        if check.problems.is_empty() || prepared.keep_going {
            let dir = staging.path();
            let folder = page.url.rsplit_once('/').map_or("", |(folder, _)| folder);
            if !staging.has_dir(folder) {
                fsx::create_dir_all(&dir.join(folder))?;
            }
            let path = dir.join(&page.url);
            let mut out = fsx::FileOut::open(&path, staging.has_file(&page.url))
                .and_then(|mut out| std::io::Write::write_all(&mut out, &html).map(|()| out))
                .and_then(fsx::FileOut::finish)
                .with_context(|| format!("cannot write {}", path.display()));
            out.as_mut().map_err(|e| anyhow::anyhow!("{e:#}"))?;
        }
        if html.capacity() > 4 << 20 {
            *html = Vec::new(); // an unusually large page: do not keep its memory
        }
        Ok(check)
    })
}

/// Where a copied file comes from.
enum Copy {
    File(PathBuf),
    Builtin(&'static [u8]),
    Bytes(Arc<[u8]>),
}

/// Files copied verbatim: `static/` (over the built-in static files) to the site root, other
/// files of `content/` beside their pages.
fn static_and_assets(prepared: &Prepared) -> Result<Vec<(Copy, String)>> {
    let mut copies: BTreeMap<String, Copy> = crate::defaults::STATIC
        .iter()
        .map(|(rel, bytes)| (rel.to_string(), Copy::Builtin(bytes)))
        .collect();
    let static_dir = prepared.root.join("static");
    if static_dir.is_dir() {
        for entry in WalkDir::new(&static_dir).sort_by_file_name() {
            let entry = entry?;
            if entry.file_type().is_file() {
                let rel = fsx::slash_path(entry.path().strip_prefix(&static_dir)?);
                copies.insert(rel, Copy::File(entry.path().to_path_buf()));
            }
        }
    }
    let content_dir = prepared.root.join("content");
    for rel in &prepared.site.assets {
        copies.insert(rel.clone(), Copy::File(content_dir.join(rel)));
    }
    if let Some(pack) = &prepared.site.board_pack {
        copies.insert(pack.url.clone(), Copy::Bytes(pack.bytes.clone()));
    }
    Ok(copies.into_iter().map(|(rel, from)| (from, rel)).collect())
}

fn output_clashes(site: &Site, copies: &[(Copy, String)]) -> Vec<Problem> {
    let pages: HashMap<&str, &Page> = site.pages.iter().map(|p| (p.url.as_str(), p)).collect();
    copies
        .iter()
        .filter_map(|(_, to)| {
            let page = pages.get(to.as_str())?;
            Some(Problem::file(
                &page.file,
                format!("writes `{to}`, which a static or content file also provides"),
            ))
        })
        .collect()
}
