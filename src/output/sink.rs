//! Where a build's files go, one whole file at a time: a staging folder beside the output, or
//! `serve`'s memory.

use anyhow::{Context as _, Result};
use rustc_hash::FxHashSet as HashSet;
use std::path::Path;

use super::Staging;
use crate::fsx;

/// A file opened for copying, with its metadata.
pub type Opened = (std::fs::File, std::fs::Metadata);

/// Where a build's files go: a staging folder beside the output ([`Staging`]), or `serve`'s
/// memory. Each page is rendered to bytes first and then handed over whole.
pub trait Sink: Sync {
    /// Called once before anything is written, with every path the new site will have.
    fn begin(&mut self, keep: &HashSet<&str>) -> Result<()>;
    /// The bytes of page `index` (of `site.pages`) when the sink still holds them from an
    /// identical earlier render, and keeps them: then the page is not rendered again.
    fn kept(&self, _index: usize) -> Option<&[u8]> {
        None
    }
    /// A file of the new site (`rel` is `/`-separated), called from many threads at once.
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()>;
    /// A file copied verbatim: `source`, opened inside the site (see
    /// [`fsx::SiteRoot::open_copy`]), whose path is `from`.
    fn copy(&self, rel: &str, from: &Path, source: Opened) -> Result<()>;
}

/// A build on disk: files go into the staging folder, written over a reused spare's files in
/// place where they exist (see [`fsx::FileOut`]).
impl Sink for Staging {
    fn begin(&mut self, keep: &HashSet<&str>) -> Result<()> {
        self.clear_except(keep)
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        use std::io::Write as _;
        let path = self.path().join(rel);
        self.make_folder(rel)?;
        let mut out = fsx::FileOut::open(&path, self.has_file(rel))
            .with_context(|| format!("cannot write {}", path.display()))?;
        out.write_all(bytes)
            .and_then(|()| out.finish())
            .with_context(|| format!("cannot write {}", path.display()))
    }

    fn copy(&self, rel: &str, from: &Path, source: Opened) -> Result<()> {
        self.make_folder(rel)?;
        fsx::copy(
            source.0,
            &from.display().to_string(),
            &self.path().join(rel),
        )
    }
}

impl Staging {
    /// Create the folder `rel` is in, unless the reused spare has it.
    fn make_folder(&self, rel: &str) -> Result<()> {
        let folder = rel.rsplit_once('/').map_or("", |(folder, _)| folder);
        if self.has_dir(folder) {
            return Ok(());
        }
        fsx::create_dir_all(&self.path().join(folder))
    }
}
