//! The write phase of a build: render each page, verify it, write it over its previous version
//! in the staging folder, then copy the static files and content assets and write the hosting
//! files.

use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;
use std::path::PathBuf;
use walkdir::WalkDir;

use super::Prepared;
use crate::diag::{Problem, into_result};
use crate::fsx;
use crate::model::{Page, Site};
use crate::output::{self, Sink};
use crate::verify::{PageCheck, Verifier};

/// Render every page, verify it and hand it to `sink` (the staging folder, or serve's memory),
/// then every static file, content asset and hosting file; returns the number of files.
pub fn write(prepared: &Prepared, sink: &mut dyn Sink) -> Result<usize> {
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
    sink.begin(&keep)?;
    let sink = &*sink;
    // The hosting files (a sitemap lists every page) are made while the pages render. Each page
    // is verified before it is written; anchors into other pages once all are read.
    let verifier = Verifier::new(site, &prepared.renderer, keep.clone());
    let (results, hosting): (Vec<Result<(&Page, PageCheck)>>, _) = rayon::join(
        || {
            site.pages
                .par_iter()
                .enumerate()
                .map(|(i, page)| write_page(prepared, &verifier, sink, i, page).map(|c| (page, c)))
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
        Copy::File(path) => sink.copy(to, path),
        Copy::Builtin(bytes) => sink.put(to, bytes),
        Copy::Bytes(bytes) => sink.put(to, bytes),
    })?;
    let hosting = hosting?;
    for (name, bytes) in &hosting {
        sink.put(name, bytes.as_ref())?;
    }
    into_result(problems)?;
    Ok(site.pages.len() + copies.len() + hosting.len())
}

thread_local! {
    /// The buffer each thread renders pages into before they are verified and written.
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Render page `index`, verify it, and hand it to the sink (a page with problems is not
/// written). A page the sink kept from an identical earlier render is verified, not rendered:
/// what it links to may have changed.
fn write_page(
    prepared: &Prepared,
    verifier: &Verifier,
    sink: &dyn Sink,
    index: usize,
    page: &Page,
) -> Result<PageCheck> {
    if let Some(html) = sink.kept(index) {
        return verifier.page(page, html);
    }
    PAGE_BUFFER.with(|cell| {
        let mut html = cell.borrow_mut();
        let problems = prepared.renderer.render_to_vec(page, &mut html)?;
        if !problems.is_empty() {
            return Ok(Verifier::failed(problems));
        }
        let check = verifier.page(page, &html)?;
        if check.problems.is_empty() || prepared.keep_going {
            sink.put(&page.url, &html)?;
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
