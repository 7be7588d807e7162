//! The write phase of a build: render each page, verify it, write it over its previous version
//! in the staging folder, then copy the static files and content assets and write the hosting
//! files.

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use walkdir::WalkDir;

use super::Prepared;
use crate::diag::{Problem, into_result};
use crate::fsx;
use crate::model::{Page, Site};
use crate::output::{self, Staging};
use crate::verify::{PageCheck, Verifier};

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
    Bytes(std::sync::Arc<[u8]>),
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
