//! What a build can take over from the one before it in the same process (`serve`), where the
//! inputs show that it would come out the same: the verdict on each page whose bytes were kept,
//! what search read from those bytes, the search index when no page's entry changed, and the
//! social card. A clean build starts from an empty memo and keeps nothing.

use rustc_hash::{FxHashSet as HashSet, FxHasher};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use crate::model::Site;
use crate::publish::Card;
use crate::search::Entry;
use crate::verify::PageCheck;

/// The verdicts and the card of one build, for the next.
#[derive(Default)]
pub struct Memo {
    /// What the verdicts were reached against; see [`context`].
    context: u64,
    /// Each page's verdict, by URL: kept only for builds that were served, whose pages all
    /// passed.
    checks: foldhash::HashMap<Arc<str>, Arc<PageCheck>>,
    /// What search read from each page, by URL: a function of the page's bytes alone.
    entries: foldhash::HashMap<Arc<str>, Arc<Entry>>,
    /// The search index, and how many pages' entries it was made of.
    index: Option<(usize, Arc<[u8]>)>,
    /// The social card and the PNG it gave.
    card: Option<(Card, Vec<u8>)>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (checks, entries) = (self.checks.len(), self.entries.len());
        write!(f, "Memo({checks} verdicts, {entries} search entries)")
    }
}

/// A memo being filled by a build, from many threads.
pub(super) struct Filling<'m> {
    before: &'m Memo,
    /// Whether the build keeps a memo at all: `serve`'s do, a single `build` does not.
    keeps: bool,
    context: u64,
    checks: Mutex<Vec<(Arc<str>, Arc<PageCheck>)>>,
    entries: Mutex<Vec<(Arc<str>, Arc<Entry>)>>,
    /// Whether some page's entry was read anew (so the index is made anew).
    read: std::sync::atomic::AtomicBool,
    index: Mutex<Option<(usize, Arc<[u8]>)>>,
    card: Mutex<Option<(Card, Vec<u8>)>>,
}

impl<'m> Filling<'m> {
    pub(super) fn new(before: &'m Memo, context: u64) -> Filling<'m> {
        Filling {
            before,
            keeps: true,
            context,
            checks: Mutex::default(),
            entries: Mutex::default(),
            read: Default::default(),
            index: Mutex::default(),
            card: Mutex::default(),
        }
    }

    /// For a build that neither takes over nor leaves a memo.
    pub(super) fn none() -> Filling<'static> {
        static EMPTY: std::sync::LazyLock<Memo> = std::sync::LazyLock::new(Memo::default);
        Filling {
            keeps: false,
            ..Filling::new(&EMPTY, 0)
        }
    }

    /// The verdict of the previous build on the page at `url`, if its bytes were kept and it
    /// was verified against the same output paths and sources.
    pub(super) fn check(&self, url: &str) -> Option<Arc<PageCheck>> {
        if !self.keeps || self.before.context != self.context {
            return None;
        }
        let (key, check) = self.before.checks.get_key_value(url)?;
        self.keep(key.clone(), check);
        Some(check.clone())
    }

    /// Keep the verdict on the page at `url` for the next build.
    pub(super) fn remember(&self, url: &str, check: &Arc<PageCheck>) {
        if self.keeps {
            self.keep(Arc::from(url), check);
        }
    }

    fn keep(&self, url: Arc<str>, check: &Arc<PageCheck>) {
        if !check.problems.is_empty() {
            return; // a page with problems is never kept: nothing to remember
        }
        let mut checks = self.checks.lock().unwrap_or_else(|e| e.into_inner());
        checks.push((url, check.clone()));
    }

    /// What search reads from the page at `url`: the previous build's entry when the sink
    /// kept the page's bytes (`kept`), else `read` of them.
    pub(super) fn entry(&self, url: &str, kept: bool, read: impl FnOnce() -> Entry) -> Arc<Entry> {
        let before = self.before.entries.get_key_value(url).filter(|_| kept);
        let (url, entry) = match before {
            Some((url, entry)) => (url.clone(), entry.clone()),
            None => {
                self.read.store(true, std::sync::atomic::Ordering::Relaxed);
                (Arc::from(url), Arc::new(read()))
            }
        };
        if self.keeps {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            entries.push((url, entry.clone()));
        }
        entry
    }

    /// The search index of `pages` entries: the previous build's when every entry was taken
    /// over from it and their number is the same (so they are the same, in the same order),
    /// else `make`'s.
    pub(super) fn index(&self, pages: usize, make: impl FnOnce() -> Vec<u8>) -> Arc<[u8]> {
        let fresh = self.read.load(std::sync::atomic::Ordering::Relaxed);
        let index = match &self.before.index {
            Some((n, index)) if self.keeps && !fresh && *n == pages => index.clone(),
            _ => Arc::from(make()),
        };
        if self.keeps {
            *self.index.lock().unwrap_or_else(|e| e.into_inner()) = Some((pages, index.clone()));
        }
        index
    }

    /// The social card's PNG for `card`: the previous build's when the card is the same.
    pub(super) fn card(
        &self,
        card: &Card,
        draw: impl FnOnce(&Card) -> anyhow::Result<Vec<u8>>,
    ) -> anyhow::Result<Vec<u8>> {
        let png = match &self.before.card {
            Some((before, png)) if before == card => png.clone(),
            _ => draw(card)?,
        };
        if self.keeps {
            *self.card.lock().unwrap_or_else(|e| e.into_inner()) =
                Some((card.clone(), png.clone()));
        }
        Ok(png)
    }

    /// The memo for the next build.
    pub(super) fn finish(self) -> Memo {
        let checks = self.checks.into_inner().unwrap_or_else(|e| e.into_inner());
        let entries = self.entries.into_inner().unwrap_or_else(|e| e.into_inner());
        Memo {
            context: self.context,
            checks: checks.into_iter().collect(),
            entries: entries.into_iter().collect(),
            index: self.index.into_inner().unwrap_or_else(|e| e.into_inner()),
            card: self.card.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }
}

/// A fingerprint of everything a page's verdict depends on besides its own bytes and URL:
/// every path the output will hold (links and anchors resolve against them) and, on a site
/// with source documents, the documents and every page's data (the figures of metrics count
/// as backed). The paths are combined without sorting them: each is hashed and mixed on its
/// own, and the results are added.
pub(super) fn context(site: &Site, files: &HashSet<&str>) -> u64 {
    let mut sum = files.len() as u64;
    for file in files {
        let mut h = FxHasher::default();
        file.hash(&mut h);
        sum = sum.wrapping_add(mix(h.finish()));
    }
    let mut h = FxHasher::default();
    sum.hash(&mut h);
    if site.pages.iter().any(|p| p.document.is_some()) {
        for page in &site.pages {
            page.url.hash(&mut h);
            debug_hash(&page.document, &mut h);
            debug_hash(&page.meta.extra, &mut h);
        }
    }
    h.finish()
}

/// A strong 64-bit finaliser (splitmix64), so that sums of hashes do not cancel out.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Hash a value's `Debug` text without building it: every field takes part.
pub fn debug_hash(value: &impl std::fmt::Debug, h: &mut FxHasher) {
    struct Feed<'h>(&'h mut FxHasher);
    impl std::fmt::Write for Feed<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let _ = write!(Feed(h), "{value:?}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::Mark;

    fn card(text: &str) -> Card {
        let (x, y, size, bold, spacing, colour) = (0, 9, 9, false, 0, [0, 0, 0]);
        let text = text.to_owned();
        let marks = vec![Mark::Text {
            x,
            y,
            size,
            bold,
            spacing,
            colour,
            text,
        }];
        Card {
            width: 9,
            height: 9,
            marks,
        }
    }

    #[test]
    fn the_card_is_drawn_again_only_when_it_changed() {
        let empty = Memo::default();
        let first = Filling::new(&empty, 0);
        assert_eq!(first.card(&card("a"), |_| Ok(vec![1])).unwrap(), [1]);
        let memo = first.finish();
        let second = Filling::new(&memo, 0);
        let kept = second.card(&card("a"), |_| anyhow::bail!("drawn again"));
        assert_eq!(kept.unwrap(), [1]);
        assert_eq!(second.card(&card("b"), |_| Ok(vec![2])).unwrap(), [2]);
    }
}
