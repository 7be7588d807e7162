//! The spare: the previous output, kept beside the output folder and written over by the next
//! build. Listing it, keeping it, and removing trees in parallel.

use anyhow::{Context, Result};
use rustc_hash::FxHashSet as HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::nofollow::{self, Kind};

/// The files and folders of a reused spare, as `/`-separated paths relative to it.
#[derive(Debug, Default)]
pub(super) struct Existing {
    pub(super) files: HashSet<String>,
    pub(super) dirs: HashSet<String>,
}

/// `.NAME.suffix` beside `target`.
pub(super) fn sibling(target: &Path, suffix: &str) -> Result<PathBuf> {
    let name = target
        .file_name()
        .context("the output directory has no name")?;
    Ok(target.with_file_name(format!(".{}.{suffix}", name.to_string_lossy())))
}

/// Where the previous output waits to be written over by the next build.
pub fn spare_path(target: &Path) -> Result<PathBuf> {
    sibling(target, "briefing-spare")
}

/// Move the previous site to the spare's place, marked so that git and backup tools skip it.
/// False if that did not work (another build's spare is there): then the caller deletes it.
pub(super) fn keep_as_spare(old: &Path, spare: &Path) -> bool {
    if fs::rename(old, spare).is_err() {
        return false;
    }
    // The previous output may be a committed `public/` holding links of these names: what is
    // there is removed, never written through.
    let _ = nofollow::write_new(
        &spare.join(".gitignore"),
        b"# briefing's previous output, reused by the next build\n*\n",
    );
    let _ = nofollow::write_new(
        &spare.join("CACHEDIR.TAG"),
        b"Signature: 8a477f597d28d172789f06886806bc55\n# briefing's previous output, reused by the next build\n",
    );
    true
}

/// List a spare's folders and files; `None` if it holds anything but plain folders and files
/// (a symbolic link could lead a write outside it). The kinds come with the directory entries,
/// so this costs no `stat` a file.
pub(super) fn scan(dir: &Path) -> std::io::Result<Option<Existing>> {
    use rayon::prelude::*;
    /// Paths found under one top-level entry: files, then folders.
    type Found = (Vec<String>, Vec<String>);
    /// Add `entry` (inside the folder `rel`) and all it holds; false at anything else.
    fn add(entry: &fs::DirEntry, rel: &str, found: &mut Found) -> std::io::Result<bool> {
        let Ok(name) = entry.file_name().into_string() else {
            return Ok(false);
        };
        let path = if rel.is_empty() {
            name
        } else {
            [rel, "/", &name].concat()
        };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            for child in fs::read_dir(entry.path())? {
                if !add(&child?, &path, found)? {
                    return Ok(false);
                }
            }
            found.1.push(path);
        } else if kind.is_file() {
            // Hard links are looked for when a file is opened to be written over.
            found.0.push(path);
        } else {
            return Ok(false);
        }
        Ok(true)
    }
    let top: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    let parts: Vec<Option<Found>> = top
        .par_iter()
        .map(|entry| {
            let mut found = Found::default();
            Ok(add(entry, "", &mut found)?.then_some(found))
        })
        .collect::<std::io::Result<_>>()?;
    let Some(parts) = parts.into_iter().collect::<Option<Vec<Found>>>() else {
        return Ok(None);
    };
    // Each path is hashed once, into sets sized for all of them.
    let (files, dirs) = parts
        .iter()
        .fold((0, 0), |(f, d), part| (f + part.0.len(), d + part.1.len()));
    let mut all = Existing {
        files: HashSet::with_capacity_and_hasher(files, Default::default()),
        dirs: HashSet::with_capacity_and_hasher(dirs, Default::default()),
    };
    for (files, dirs) in parts {
        all.files.extend(files);
        all.dirs.extend(dirs);
    }
    Ok(Some(all))
}

pub(super) use crate::nofollow::remove_tree;

/// Remove whatever is at `path`, one of this build's own names: a link as a link (saying so),
/// a folder with all it holds.
pub(super) fn clear_place(path: &Path, what: &str) -> Result<()> {
    if nofollow::remove_link(path, what)? || nofollow::kind(path)? == Kind::Missing {
        return Ok(());
    }
    remove_tree(path).with_context(|| format!("cannot clear {}", path.display()))
}

/// Claim the previous output kept beside `target` by renaming it to `dir`, and list it. A
/// concurrent build finds none and starts afresh. `None` when there is no spare, or it cannot
/// be reused (it holds a link: it is removed).
pub(super) fn claim_spare(target: &Path, dir: &Path) -> Result<Option<Existing>> {
    let spare = spare_path(target)?;
    nofollow::remove_link(&spare, "spare copy of the previous output")?;
    if fs::rename(&spare, dir).is_err() {
        return Ok(None);
    }
    // Renamed whatever was there: a link that appeared since is removed, not listed.
    if nofollow::remove_link(dir, "spare copy of the previous output")? {
        return Ok(None);
    }
    match scan(dir) {
        Ok(Some(found)) => Ok(Some(found)),
        _ => {
            remove_tree(dir).with_context(|| format!("cannot clear {}", dir.display()))?;
            Ok(None)
        }
    }
}
