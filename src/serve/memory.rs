//! The served site, held in memory: every file of one build by its site-relative path, shared
//! read-only by the requests that began while it was current. A new build is a new value that
//! replaces it whole, so a request never sees half of one build and half of another.

use anyhow::{Context as _, Result};
use axum::body::Bytes;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::Path;
use std::sync::Mutex;

use crate::output::Sink;

/// One build's files.
#[derive(Debug, Default)]
pub struct MemSite {
    files: HashMap<String, Bytes>,
    /// Every folder that holds a file (`""` is the root), for directory requests.
    dirs: HashSet<String>,
}

impl MemSite {
    fn new(files: HashMap<String, Bytes>) -> MemSite {
        let mut dirs = HashSet::default();
        dirs.insert(String::new());
        for rel in files.keys() {
            let mut path = rel.as_str();
            while let Some((folder, _)) = path.rsplit_once('/') {
                if !dirs.insert(folder.to_string()) {
                    break;
                }
                path = folder;
            }
        }
        MemSite { files, dirs }
    }

    /// A site of the given files, for tests.
    #[cfg(test)]
    pub fn from_files<'f>(files: impl IntoIterator<Item = (&'f str, &'f str)>) -> MemSite {
        let files = files
            .into_iter()
            .map(|(rel, text)| (rel.to_string(), Bytes::from(text.to_string())));
        MemSite::new(files.collect())
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
    pub fn files(&self) -> impl Iterator<Item = (&String, &Bytes)> {
        self.files.iter()
    }

    /// The bytes held, for the memory report.
    pub fn size(&self) -> usize {
        self.files.values().map(Bytes::len).sum()
    }
}

/// A [`Sink`] that collects a build in memory. Pages marked `reuse` are not rendered: their
/// bytes come over from the previous build, which rendered them from the same inputs.
pub struct MemorySink<'a> {
    previous: Option<&'a MemSite>,
    /// By page index: the previous bytes at this URL are still right.
    reuse: Vec<Option<&'a str>>,
    files: Mutex<HashMap<String, Bytes>>,
}

impl<'a> MemorySink<'a> {
    /// `reuse[i]` is the URL of page `i` when its previous render can be kept.
    pub fn new(previous: Option<&'a MemSite>, reuse: Vec<Option<&'a str>>) -> MemorySink<'a> {
        MemorySink {
            previous,
            reuse,
            files: Mutex::default(),
        }
    }

    /// The finished site: what was written, and the reused pages.
    pub fn finish(self) -> Result<MemSite> {
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        for url in self.reuse.iter().flatten() {
            let bytes = self
                .previous
                .and_then(|p| p.file(url))
                .with_context(|| format!("the previous build has no {url}"))?;
            files.insert((*url).to_string(), bytes.clone());
        }
        Ok(MemSite::new(files))
    }

    /// How many pages were rendered rather than kept.
    pub fn rendered(&self, pages: usize) -> usize {
        pages - self.reuse.iter().flatten().count()
    }
}

impl Sink for MemorySink<'_> {
    fn begin(&mut self, keep: &HashSet<&str>) -> Result<()> {
        let files = self.files.get_mut().unwrap_or_else(|e| e.into_inner());
        files.reserve(keep.len());
        Ok(())
    }

    fn kept(&self, index: usize) -> Option<&[u8]> {
        let url = (*self.reuse.get(index)?)?;
        self.previous?.file(url).map(|bytes| &bytes[..])
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let bytes = Bytes::copy_from_slice(bytes);
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(rel.to_string(), bytes);
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let bytes =
            std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(rel.to_string(), Bytes::from(bytes));
        Ok(())
    }
}
