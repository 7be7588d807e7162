//! The write phase of a build: render each page, verify it, write it over its previous version
//! in the staging folder, then copy the static files and content assets and write the hosting
//! files.

use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use std::sync::Arc;

use super::Prepared;
use super::copies::Copy;
use super::memo::{self, Filling, Memo};
use crate::diag::into_result;
use crate::fsx;
use crate::model::Page;
use crate::output::{self, Sink};
use crate::search;
use crate::verify::{PageCheck, Verifier};

/// Render every page, verify it and hand it to `sink` (the staging folder, or serve's memory),
/// then every static file, content asset and hosting file; returns the number of files.
pub fn write(prepared: &Prepared, sink: &mut dyn Sink) -> Result<usize> {
    Ok(write_pages(prepared, sink, None)?.0)
}

/// [`write`], taking over from `before` (what the previous build in this process left) the
/// verdicts on pages the sink kept and the social card, where their inputs are the same; and
/// the memo this build leaves for the next.
pub fn write_with(
    prepared: &Prepared,
    sink: &mut dyn Sink,
    before: &Memo,
) -> Result<(usize, Memo)> {
    write_pages(prepared, sink, Some(before))
}

/// The write phase; with `before`, a memo is taken over and left for the next build (a
/// single build, with `None`, keeps none).
fn write_pages(
    prepared: &Prepared,
    sink: &mut dyn Sink,
    before: Option<&Memo>,
) -> Result<(usize, Memo)> {
    let site = &prepared.site;
    let started = std::time::Instant::now();
    let (copies, mut problems) = super::copies::static_and_assets(site)?;
    let hosting = crate::publish::names(site);
    let deck = super::deck::page(site);
    let searching = site.config.search;
    let keep = kept(site, &copies, &hosting, deck.as_ref());
    sink.begin(&keep)?;
    let sink = &*sink;
    let memo = match before {
        Some(before) => Filling::new(before, memo::context(site, &keep)),
        None => Filling::none(),
    };
    super::timing("w:copies", started);
    // The hosting files (a sitemap lists every page) are made while the pages render. Each page
    // is verified before it is written; anchors into other pages once all are read.
    let verifier = Verifier::new(site, &prepared.renderer, &keep);
    let (results, hosting) = rayon::join(
        || write_all(prepared, &verifier, &memo, sink),
        || crate::publish::files_with(site, |card| memo.card(card, crate::publish::card_png)),
    );
    super::timing("w:pages", started);
    let (mut checks, entries): (Vec<_>, Vec<_>) = results?.into_iter().unzip();
    if let Some(deck) = &deck {
        // Rendered, verified and written as a page is, but never kept from an earlier build,
        // and not searched: its words are the pages'.
        let none = Filling::none();
        let (check, _) = write_page(prepared, &verifier, &none, sink, usize::MAX, deck, false)?;
        checks.push((deck, check));
    }
    let found = searching
        .then(|| search_page(prepared, &verifier, &memo, sink, entries))
        .transpose()?;
    if let Some((page, check)) = &found {
        checks.push((page, check.clone()));
    }
    problems.extend(verifier.finish(checks));
    super::timing("w:finish", started);
    if !prepared.keep_going {
        into_result(problems.clone())?;
    }
    let copied = copy_all(site, sink, &copies, &hosting?)?;
    super::timing("w:copied", started);
    into_result(problems)?;
    // The search page and its index are the last two.
    let searched = 2 * usize::from(searching);
    let files = site.pages.len() + usize::from(deck.is_some()) + copied + searched;
    Ok((files, memo.finish()))
}

/// Copy every file to copy, in parallel, then write the hosting files; returns how many files
/// that is.
fn copy_all<B: AsRef<[u8]>>(
    site: &crate::model::Site,
    sink: &dyn Sink,
    copies: &super::copies::Copies,
    hosting: &[(&str, B)],
) -> Result<usize> {
    copies
        .par_iter()
        .try_for_each(|(from, to)| copy(site, sink, from, to))?;
    for (name, bytes) in hosting {
        sink.put(name, bytes.as_ref())?;
    }
    Ok(copies.len() + hosting.len())
}

/// Every name the output keeps: the pages, the copies, the hosting files, the deck, the
/// search page and index (when searching) and the output marker.
fn kept<'a>(
    site: &'a crate::model::Site,
    copies: &'a super::copies::Copies,
    hosting: &[&'static str],
    deck: Option<&'a Page>,
) -> HashSet<&'a str> {
    let search_files = [search::PAGE, search::INDEX]
        .into_iter()
        .filter(|_| site.config.search);
    site.pages
        .iter()
        .map(|p| p.url.as_str())
        .chain(copies.iter().map(|(_, to)| to.as_str()))
        .chain(hosting.iter().copied())
        .chain(deck.map(|d| d.url.as_str()))
        .chain(search_files)
        .chain([output::MARKER])
        .collect()
}

/// Render, verify and write every page in parallel; each page's verdict and search entry.
fn write_all<'p>(
    prepared: &'p Prepared,
    verifier: &Verifier,
    memo: &Filling,
    sink: &dyn Sink,
) -> Result<Vec<Verdict<'p>>> {
    let searching = prepared.site.config.search;
    prepared
        .site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let searched = searching && search::searched(page);
            write_page(prepared, verifier, memo, sink, i, page, searched)
                .map(|(c, e)| ((page, c), e))
        })
        .collect()
}

/// Copy one file into the sink: a user's file opened again through the site root (so a file
/// swapped for a link since it was listed is refused), or bytes briefing holds.
fn copy(site: &crate::model::Site, sink: &dyn Sink, from: &Copy, to: &str) -> Result<()> {
    match from {
        Copy::File(path, shown) => {
            let opened = site
                .root
                .open_copy(shown)
                .map_err(|refused| match refused {
                    fsx::Refused::Io(e) => {
                        anyhow::Error::new(e).context(format!("cannot read {shown}"))
                    }
                    refused => anyhow::anyhow!("{}", refused.describe(shown)),
                })?;
            sink.copy(to, path, opened)
        }
        Copy::Builtin(bytes) => sink.put(to, bytes),
        Copy::Bytes(bytes) => sink.put(to, bytes),
    }
}

/// A page and its verdict, shared with the memo; and what search keeps of it.
type Verdict<'p> = ((&'p Page, Arc<PageCheck>), Option<Arc<search::Entry>>);

/// Write the search index of every page's `entries` (the previous build's when they are all
/// the same) and the search page, verified like the pages; returns the search page and its
/// verdict.
fn search_page(
    prepared: &Prepared,
    verifier: &Verifier,
    memo: &Filling,
    sink: &dyn Sink,
    entries: Vec<Option<Arc<search::Entry>>>,
) -> Result<(Page, Arc<PageCheck>)> {
    let entries: Vec<_> = entries.into_iter().flatten().collect();
    let index = memo.index(entries.len(), || search::script(&entries).into_bytes());
    sink.put(search::INDEX, &index)?;
    let page = search::page(&prepared.site);
    let mut html = Vec::new();
    let problems = prepared
        .renderer
        .render_made(&page, search::TEMPLATE, &mut html);
    if !problems.is_empty() {
        return Ok((page, Arc::new(Verifier::failed(problems))));
    }
    let check = verifier.page(&page, &html)?;
    if check.problems.is_empty() || prepared.keep_going {
        sink.put(search::PAGE, &html)?;
    }
    Ok((page, Arc::new(check)))
}

thread_local! {
    /// The buffer each thread renders pages into before they are verified and written.
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Render page `index`, verify it, and hand it to the sink (a page with problems is not
/// written); with what search reads of it, when it is `searched`. A page the sink kept from an
/// identical earlier render is not rendered, and is verified again only when what it can link
/// to (or the sources) changed; search's entry for it is the previous build's.
fn write_page(
    prepared: &Prepared,
    verifier: &Verifier,
    memo: &Filling,
    sink: &dyn Sink,
    index: usize,
    page: &Page,
    searched: bool,
) -> Result<(Arc<PageCheck>, Option<Arc<search::Entry>>)> {
    let entry = |html: &[u8], kept: bool| {
        searched.then(|| memo.entry(&page.url, kept, || search::entry(page, html)))
    };
    if let Some(html) = sink.kept(index) {
        let check = match memo.check(&page.url) {
            Some(check) => check,
            None => {
                let check = Arc::new(verifier.page(page, html)?);
                memo.remember(&page.url, &check);
                check
            }
        };
        return Ok((check, entry(html, true)));
    }
    PAGE_BUFFER.with(|cell| {
        let mut html = cell.borrow_mut();
        let problems = prepared.renderer.render_to_vec(page, &mut html)?;
        if !problems.is_empty() {
            return Ok((Arc::new(Verifier::failed(problems)), None));
        }
        let check = Arc::new(verifier.page(page, &html)?);
        let mut found = None;
        if check.problems.is_empty() || prepared.keep_going {
            sink.put(&page.url, &html)?;
            found = entry(&html, false);
        }
        if html.capacity() > 4 << 20 {
            *html = Vec::new(); // an unusually large page: do not keep its memory
        }
        memo.remember(&page.url, &check);
        Ok((check, found))
    })
}
