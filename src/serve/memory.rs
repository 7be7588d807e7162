//! The served site, held in memory: every file of one build by its site-relative path, shared
//! read-only by the requests that began while it was current. A new build is a new value that
//! replaces it whole, so a request never sees half of one build and half of another. A build
//! shares with the one before it every file it kept (the bytes, their path and the folder list
//! are reference-counted), so that a build which re-renders one page of 10,000 copies nothing.

use anyhow::{Context as _, Result};
use axum::body::Bytes;
use rustc_hash::FxHashSet as HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::cache::{Stamp, stamp_of};
use crate::output::{Opened, Sink};

/// Maps by a site's paths, which share long prefixes and suffixes (`blog/…/index.html`):
/// foldhash spreads them over a table where Fx's hash made lookups compare many keys.
pub type PathMap<V> = foldhash::HashMap<Arc<str>, V>;
use crate::site::Memo;

/// One build's files.
#[derive(Debug, Default)]
pub struct MemSite {
    files: PathMap<Bytes>,
    /// Every folder that holds a file (`""` is the root), for directory requests.
    dirs: Arc<HashSet<String>>,
    /// The files copied from disk: where from, and the source's stamp before it was read, so
    /// that the next build reads again only files that changed.
    copied: PathMap<(PathBuf, Stamp)>,
    /// The verdicts on its pages and its social card, for the next build to take over.
    pub memo: Memo,
}

impl MemSite {
    /// A site of `files`; its folders are those of `same`, a site with the same paths.
    fn new(files: PathMap<Bytes>, same: Option<&MemSite>) -> MemSite {
        let dirs = match same {
            Some(same) => same.dirs.clone(),
            None => Arc::new(folders(files.keys())),
        };
        MemSite {
            files,
            dirs,
            copied: PathMap::default(),
            memo: Memo::default(),
        }
    }

    /// A site of the given files, for tests.
    #[cfg(test)]
    pub fn from_files<'f>(files: impl IntoIterator<Item = (&'f str, &'f str)>) -> MemSite {
        let files = files
            .into_iter()
            .map(|(rel, text)| (Arc::from(rel), Bytes::from(text.to_string())));
        MemSite::new(files.collect(), None)
    }

    /// The file at `rel`, if the site has it.
    pub fn file(&self, rel: &str) -> Option<&Bytes> {
        self.files.get(rel)
    }

    /// Whether `rel` is a folder of the site.
    pub fn is_dir(&self, rel: &str) -> bool {
        self.dirs.contains(rel)
    }

    /// Every file, for tests and the bench: paths and contents.
    pub fn files(&self) -> impl Iterator<Item = (&str, &Bytes)> {
        self.files.iter().map(|(rel, bytes)| (&**rel, bytes))
    }

    /// The bytes held, for the memory report.
    pub fn size(&self) -> usize {
        self.files.values().map(Bytes::len).sum()
    }
}

/// Every folder holding one of `paths`, and the root.
fn folders<'p>(paths: impl Iterator<Item = &'p Arc<str>>) -> HashSet<String> {
    let mut dirs = HashSet::default();
    dirs.insert(String::new());
    for rel in paths {
        let mut path = &**rel;
        while let Some((folder, _)) = path.rsplit_once('/') {
            if dirs.contains(folder) {
                break;
            }
            dirs.insert(folder.to_string());
            path = folder;
        }
    }
    dirs
}

/// A [`Sink`] that collects a build in memory. Pages marked `reuse` are not rendered: their
/// bytes come over from the previous build, which rendered them from the same inputs. A copied
/// file whose source has the stamp it had when the previous build read it is not read again.
pub struct MemorySink<'a> {
    previous: Option<&'a MemSite>,
    /// By page index: the previous build's path and bytes, when they are still right (each
    /// looked up once: on a large site every lookup costs a cache miss or two).
    kept: Vec<Option<(Arc<str>, Bytes)>>,
    files: Mutex<PathMap<Bytes>>,
    copied: Mutex<PathMap<(PathBuf, Stamp)>>,
}

impl<'a> MemorySink<'a> {
    /// `reuse[i]` is the URL of page `i` when its previous render can be kept.
    pub fn new(previous: Option<&'a MemSite>, reuse: &[Option<&str>]) -> MemorySink<'a> {
        let kept = reuse
            .iter()
            .map(|url| {
                let (rel, bytes) = previous?.files.get_key_value(*url.as_ref()?)?;
                Some((rel.clone(), bytes.clone()))
            })
            .collect();
        MemorySink {
            previous,
            kept,
            files: Mutex::default(),
            copied: Mutex::default(),
        }
    }

    /// The finished site: what was written, and the kept pages.
    pub fn finish(self) -> Result<MemSite> {
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        // The kept pages are the previous build's: the paths are the same if those written
        // are among its paths and there are as many in all.
        let written_known = self
            .previous
            .filter(|p| files.keys().all(|k| p.files.contains_key(k)));
        files.extend(self.kept.into_iter().flatten());
        let same = written_known.filter(|p| p.files.len() == files.len());
        let mut site = MemSite::new(files, same);
        site.copied = self.copied.into_inner().unwrap_or_else(|e| e.into_inner());
        Ok(site)
    }

    /// How many pages were rendered rather than kept.
    pub fn rendered(&self, pages: usize) -> usize {
        pages - self.kept.iter().flatten().count()
    }

    /// The previous build's copy of `from` at `rel`, if `from` still has the stamp `now`.
    fn copied_before(
        &self,
        rel: &str,
        from: &Path,
        now: Option<Stamp>,
    ) -> Option<(Arc<str>, Bytes)> {
        let previous = self.previous?;
        let (key, (path, then)) = previous.copied.get_key_value(rel)?;
        let bytes = previous.files.get(rel)?;
        (path == from && Some(*then) == now).then(|| (key.clone(), bytes.clone()))
    }
}

impl Sink for MemorySink<'_> {
    fn begin(&mut self, keep: &HashSet<&str>) -> Result<()> {
        let files = self.files.get_mut().unwrap_or_else(|e| e.into_inner());
        files.reserve(keep.len());
        Ok(())
    }

    fn kept(&self, index: usize) -> Option<&[u8]> {
        let (_, bytes) = self.kept.get(index)?.as_ref()?;
        Some(&bytes[..])
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let bytes = Bytes::copy_from_slice(bytes);
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(Arc::from(rel), bytes);
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path, (mut source, meta): Opened) -> Result<()> {
        // The stamp is taken before the file is read: a save during the read changes it, and
        // the next build reads the file again.
        let now = stamp_of(&meta);
        let (key, bytes) = match self.copied_before(rel, from, now) {
            Some(kept) => kept,
            None => {
                let mut bytes = Vec::with_capacity(meta.len() as usize);
                std::io::Read::read_to_end(&mut source, &mut bytes)
                    .with_context(|| format!("cannot read {}", from.display()))?;
                (Arc::from(rel), Bytes::from(bytes))
            }
        };
        if let Some(now) = now {
            let mut copied = self.copied.lock().unwrap_or_else(|e| e.into_inner());
            copied.insert(key.clone(), (from.to_path_buf(), now));
        }
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(key, bytes);
        Ok(())
    }
}
