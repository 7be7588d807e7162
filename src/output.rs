//! The output directory: decide whether we may write it, stage the new site beside it, and swap
//! it in only when the whole build succeeded. A failed build leaves the previous site untouched,
//! and we never delete a directory that a previous `briefing build` did not create.

use anyhow::{Context, Result, bail};
use std::fs;
use std::path::{Path, PathBuf};

use crate::fsx;

/// Written into every output directory we create; its presence is our permission to replace it.
pub const MARKER: &str = ".briefing-output";
const MARKER_TEXT: &str =
    "This folder is written by `briefing build` and replaced on every build.\n";

/// A new site being written beside the output directory.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

/// Make `path` absolute without requiring it to exist.
pub fn absolute(path: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(path)
        .with_context(|| format!("cannot resolve path {}", path.display()))?;
    // Canonicalise the longest existing ancestor so symlinks and `..` compare correctly.
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for part in rest.iter().rev() {
        if part == ".." {
            out.pop();
        } else if part != "." {
            out.push(part);
        }
    }
    Ok(out)
}

/// Refuse output directories that would clobber the site's own sources.
pub fn check_target(root: &Path, out: &Path) -> Result<()> {
    if out == root {
        bail!(
            "refusing to write the site into its own root {}: choose an output directory such as {}/public",
            out.display(),
            root.display()
        );
    }
    if root.starts_with(out) {
        bail!(
            "refusing output directory {}: it contains the site root {}",
            out.display(),
            root.display()
        );
    }
    for name in ["content", "templates", "static"] {
        let dir = root.join(name);
        if out.starts_with(&dir) || dir.starts_with(out) {
            bail!(
                "refusing output directory {}: it overlaps the site's {name}/ folder",
                out.display()
            );
        }
    }
    if out.exists() {
        if !out.is_dir() {
            bail!(
                "output path {} exists and is not a directory",
                out.display()
            );
        }
        let empty = fs::read_dir(out)
            .with_context(|| format!("cannot read {}", out.display()))?
            .next()
            .is_none();
        if !empty && !out.join(MARKER).is_file() {
            bail!(
                "refusing to replace {}: it is not empty and was not written by briefing (no {MARKER} file in it)",
                out.display()
            );
        }
    }
    Ok(())
}

impl Staging {
    /// Create a fresh staging directory beside `target`.
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target
            .parent()
            .context("the output directory has no parent")?;
        let name = target
            .file_name()
            .context("the output directory has no name")?;
        fsx::create_dir_all(parent)?;
        let dir = parent.join(format!(
            ".{}.tmp-{}",
            name.to_string_lossy(),
            std::process::id()
        ));
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("cannot clear {}", dir.display()))?;
        }
        fsx::create_dir_all(&dir)?;
        fsx::write(&dir.join(MARKER), MARKER_TEXT)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// Where to write the new site.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Swap the finished site in place of the old one.
    pub fn commit(mut self) -> Result<()> {
        let target = &self.target;
        let old = self.dir.with_file_name(format!(
            ".{}.old-{}",
            target.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        let had_old = target.exists();
        if had_old {
            fs::rename(target, &old).with_context(|| {
                format!("cannot move the previous site {} aside", target.display())
            })?;
        }
        if let Err(e) = fs::rename(&self.dir, target) {
            if had_old {
                let _ = fs::rename(&old, target);
            }
            return Err(e)
                .with_context(|| format!("cannot move the new site into {}", target.display()));
        }
        self.committed = true;
        if had_old {
            remove_tree(&old)
                .with_context(|| format!("cannot remove the previous site at {}", old.display()))?;
        }
        Ok(())
    }
}

/// `remove_dir_all`, with the top-level entries removed in parallel: on a large site most of a
/// rebuild's file-system time is spent unlinking the previous output.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree_inner(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(dir)
}

fn remove_tree_inner(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    if entries.len() > 64 {
        entries.par_iter().try_for_each(|e| {
            if e.file_type()?.is_dir() {
                fs::remove_dir_all(e.path())
            } else {
                fs::remove_file(e.path())
            }
        })?;
        fs::remove_dir(dir)
    } else {
        fs::remove_dir_all(dir)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_targets() {
        let t = tempfile::tempdir().unwrap();
        let root = absolute(t.path()).unwrap();
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_target(&root, &root).is_err());
        assert!(check_target(&root, root.parent().unwrap()).is_err());
        assert!(check_target(&root, &root.join("content")).is_err());
        assert!(check_target(&root, &root.join("content/out")).is_err());
        assert!(check_target(&root, &root.join("public")).is_ok());
        let foreign = root.join("mine");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("keep.txt"), "x").unwrap();
        let err = check_target(&root, &foreign).unwrap_err().to_string();
        assert!(err.contains("not written by briefing"), "{err}");
    }

    #[test]
    fn staging_swaps_in_and_cleans_up() {
        let t = tempfile::tempdir().unwrap();
        let target = t.path().join("public");
        let s = Staging::new(&target).unwrap();
        fs::write(s.path().join("a.html"), "1").unwrap();
        s.commit().unwrap();
        let s = Staging::new(&target).unwrap();
        fs::write(s.path().join("b.html"), "2").unwrap();
        drop(s); // a failed build: the old site stays
        assert!(target.join("a.html").is_file());
        assert_eq!(
            fs::read_dir(t.path()).unwrap().count(),
            1,
            "no staging left behind"
        );
    }
}
