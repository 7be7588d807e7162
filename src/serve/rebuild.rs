//! The rebuild loop: on the first change, build at once, in memory, on the same pipeline as
//! `briefing build` (prepare, render, publish, copies), re-rendering only pages whose inputs
//! changed; changes that arrive meanwhile become one more build after it. The new site is put
//! in place whole, and only then are the browsers told. A failed build leaves the last good
//! site served and reports the error in the terminal and to the browsers.

use rustc_hash::FxHashSet as HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use super::Shared;
use super::cache::{Cache, Changed};
use super::memory::{MemSite, MemorySink};
use super::watch::Watcher;
use crate::diag::{format_error, into_result};
use crate::fsx::SiteRoot;
use crate::model::{Page, Site};
use crate::site::{self, BuildOptions, Memo, Prepared};

/// How long a failed build waits for more changes before it reports: an editor that writes a
/// file in several steps is read again once it has finished, instead of showing the error of a
/// half-written file.
const SETTLE: Duration = Duration::from_millis(60);

pub struct Rebuilder {
    builder: Incremental,
    shared: Arc<Shared>,
    count: u64,
    /// The error of the last build, when it failed.
    failed: Option<String>,
}

/// Builds of one site in memory, each reusing what the one before read and rendered.
pub struct Incremental {
    opts: BuildOptions,
    cache: Cache,
    /// Files changed since the content was last read.
    pending: Changed,
    /// The last build's site data and compiled templates, when it was served and nothing it
    /// read has changed but what [`Incremental::patched`] can follow.
    last: Option<Prepared>,
}

/// What one build gave.
pub struct Built {
    pub site: MemSite,
    pub pages: usize,
    pub rendered: usize,
    /// Whether the last build's site data was taken over (every change a body edit).
    pub patched: bool,
}

impl Rebuilder {
    pub fn new(root: &Path, drafts: bool, shared: Arc<Shared>) -> Rebuilder {
        Rebuilder {
            builder: Incremental::new(root, drafts),
            shared,
            count: 0,
            failed: None,
        }
    }

    /// Rebuild on every change until the watcher goes away.
    pub fn run(mut self, mut watcher: Watcher) {
        while let Ok(first) = watcher.changes.recv() {
            let mut changed = first;
            loop {
                // Changes that arrived while we were building are covered by one more build.
                while let Ok(more) = watcher.changes.try_recv() {
                    merge(&mut changed, more);
                }
                let ok = self.rebuild(&changed);
                watcher.watch_new_dirs();
                if ok {
                    break;
                }
                match watcher.changes.recv_timeout(SETTLE) {
                    Ok(more) => changed = more,
                    Err(RecvTimeoutError::Timeout) => {
                        self.report();
                        break;
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        }
    }

    /// The first build: reported at once, whatever it gives.
    pub fn first(&mut self) {
        if !self.rebuild(&None) {
            self.report();
        }
    }

    /// Build; serve the result if it built. False if it failed (the error is kept for
    /// [`Rebuilder::report`]).
    fn rebuild(&mut self, changed: &Changed) -> bool {
        let started = Instant::now();
        let previous = self.shared.site();
        match self.builder.build(changed, previous.as_deref()) {
            Ok(built) => {
                self.count += 1;
                let generation = self.count;
                *self.shared.site.write().unwrap_or_else(|e| e.into_inner()) =
                    Some(Arc::new(built.site));
                // Announce only once the new site is in place: a browser that reloads finds it.
                self.shared.status.send_modify(|s| {
                    s.generation = generation;
                    s.error = None;
                });
                self.failed = None;
                println!(
                    "Built {} pages in {:.1} ms ({} rendered)",
                    built.pages,
                    started.elapsed().as_secs_f64() * 1000.0,
                    built.rendered,
                );
                true
            }
            Err(err) => {
                self.failed = Some(format_error(&err));
                false
            }
        }
    }

    /// Show the error of the last build, in the terminal and the browsers.
    fn report(&self) {
        let Some(message) = self.failed.clone() else {
            return;
        };
        eprintln!("{message}");
        eprintln!("Still serving the last good build; fix the problem and save.");
        self.shared.status.send_modify(|s| s.error = Some(message));
    }
}

impl Incremental {
    /// Builds of the site at `root` (absolute), with drafts or not.
    pub fn new(root: &Path, drafts: bool) -> Incremental {
        Incremental {
            opts: BuildOptions {
                root: root.to_path_buf(),
                drafts,
                ..BuildOptions::default()
            },
            cache: Cache::default(),
            pending: None,
            last: None,
        }
    }

    /// Build the site in memory, keeping the previous bytes of every page whose fingerprint
    /// did not change. `changed` names the files changed since the last call (`None`: any);
    /// `previous` is what that call gave.
    pub fn build(
        &mut self,
        changed: &Changed,
        previous: Option<&MemSite>,
    ) -> anyhow::Result<Built> {
        // Changes stay pending until a build has read them: one that failed before (on a
        // broken site.toml, say) leaves them for the next.
        merge(&mut self.pending, changed.clone());
        loop {
            let (built, torn) = self.build_once(previous)?;
            if torn.is_empty() {
                return Ok(built);
            }
            // A file was saved while it was rendered: read it again, render it again.
            merge(&mut self.pending, Some(torn.into_iter().collect()));
        }
    }

    /// One build of what is pending, and the files that changed while it ran.
    fn build_once(&mut self, previous: Option<&MemSite>) -> anyhow::Result<(Built, Vec<PathBuf>)> {
        let started = Instant::now();
        let templates = self.opts.root.join("templates");
        let edited = |paths: &HashSet<PathBuf>| paths.iter().any(|p| p.starts_with(&templates));
        if self.pending.as_ref().is_none_or(edited) {
            self.last = None;
        }
        let patched = self.patched(previous)?;
        let was_patched = patched.is_some();
        let prepared = match patched {
            Some(prepared) => prepared,
            None => self.prepare(started)?,
        };
        site::timing("s:prepare", started);
        into_result(prepared.findings.clone())?;
        let site_data = &prepared.site;
        let prints = self
            .cache
            .fingerprints(site_data, prepared.renderer.sources());
        site::timing("s:prints", started);
        let reuse = self.reusable(site_data, &prints, previous.is_some());
        let rendered = site_data
            .pages
            .iter()
            .zip(&reuse)
            .filter(|(_, r)| r.is_none());
        let mut sink = MemorySink::new(previous, &reuse);
        let empty = Memo::default();
        let before = previous.map_or(&empty, |p| &p.memo);
        let (_, memo) = site::write_with(&prepared, &mut sink, before)?;
        site::timing("s:write", started);
        let torn = self.cache.changed_since_read(rendered.map(|(p, _)| p));
        let pages = site_data.pages.len();
        let count = sink.rendered(pages);
        let mut site = sink.finish()?;
        site.memo = memo;
        site::timing("s:finish", started);
        if torn.is_empty() {
            self.cache.remember(site_data, &prints);
            self.last = Some(prepared);
        } else {
            // Freeing every page's data costs milliseconds on a large site; nobody waits for it.
            std::thread::spawn(move || drop(prepared));
        }
        let built = Built {
            site,
            pages,
            rendered: count,
            patched: was_patched,
        };
        Ok((built, torn))
    }
}

impl Incremental {
    /// Load what is pending and prepare the site again, keeping the last build's templates
    /// when they did not change (only the site data is made again).
    fn prepare(&mut self, started: Instant) -> anyhow::Result<site::Prepared> {
        let root = SiteRoot::open(&self.opts.root)?;
        let loaded = self.cache.load(&root, self.opts.drafts, &self.pending)?;
        self.pending = Some(Default::default());
        site::timing("s:load", started);
        let renderer = self.last.take().map(|mut last| {
            last.renderer.release();
            std::thread::spawn(move || drop(last.site));
            last.renderer
        });
        site::prepare_with(&self.opts, move |_| Ok(loaded), renderer)
    }

    /// For each page, its URL when the page the last build served can be kept as it is: its
    /// fingerprint (`prints`) is the same, and there was a last build.
    fn reusable<'s>(
        &self,
        site: &'s crate::model::Site,
        prints: &[u64],
        had_previous: bool,
    ) -> Vec<Option<&'s str>> {
        site.pages
            .iter()
            .zip(prints)
            .map(|(page, &print)| {
                let keep = had_previous && self.cache.unchanged(&page.url, print);
                keep.then_some(page.url.as_str())
            })
            .collect()
    }

    /// The last build's site data, taken over when every pending change is an edit of a page
    /// known from the last build, whose front matter is as it was or changed only in what its
    /// section's list orders and shows (see [`Cache::edits`]). Then nothing else a list, the
    /// navigation, a URL or a citation shows can have changed: the pages' new word counts and
    /// list data are put in and their sections' lists sorted again; everything else is as a
    /// full preparation would make it. `None` when the rules cannot be sure.
    fn patched(&mut self, previous: Option<&MemSite>) -> anyhow::Result<Option<Prepared>> {
        let (Some(changed), Some(_), Some(_)) = (&self.pending, previous, &self.last) else {
            return Ok(None);
        };
        let root = SiteRoot::open(&self.opts.root)?;
        let Some(edits) = self.cache.edits(&root, changed)? else {
            return Ok(None);
        };
        let Some(mut last) = self.last.take() else {
            return Ok(None);
        };
        last.renderer.release();
        let patched = Arc::get_mut(&mut last.site).is_some_and(|site| put_in(site, edits));
        if !patched {
            // A draft, say: the whole way, with the templates kept.
            self.last = Some(last);
            return Ok(None);
        }
        last.renderer.prepare(last.site.clone());
        self.pending = Some(Default::default());
        Ok(Some(last))
    }
}

/// Put each edited page's word count, front matter and list data into `site`, and sort the
/// lists of the sections they are in again; false if a page is not in `site` (a draft) or its
/// changed title or weight is one the navigation shows.
fn put_in(site: &mut Site, edits: Vec<Page>) -> bool {
    let mut sections = Vec::new();
    for new in edits {
        let Ok(i) = site
            .pages
            .binary_search_by(|p| p.rel.as_str().cmp(&new.rel))
        else {
            return false;
        };
        let listed = site.pages[i].front != new.front;
        if listed && site.nav.contains(&i) {
            return false; // the navigation shows its title, in an order its weight decides
        }
        let page = &mut site.pages[i];
        page.word_count = new.word_count;
        if listed {
            page.front = new.front;
            page.meta.title = new.meta.title;
            page.meta.description = new.meta.description;
            page.meta.date = new.meta.date;
            page.meta.weight = new.meta.weight;
            sections.extend(page.parent);
        }
    }
    sections.sort_unstable();
    sections.dedup();
    for s in sections {
        site::sort_section(site, s);
    }
    true
}

/// Both sets of changes; `None` (anything may have changed) wins.
fn merge(into: &mut Changed, more: Changed) {
    match (into.as_mut(), more) {
        (Some(paths), Some(more)) => paths.extend(more),
        _ => *into = None,
    }
}
