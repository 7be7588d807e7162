//! Putting a finished site in place of the old one. Where the kernel can, one atomic
//! `renameat2(RENAME_EXCHANGE)` swaps the two folders. Where it cannot (another system, a file
//! system without it, an output folder that is a mount point and so cannot be renamed), the
//! output folder stays where it is and its *contents* are swapped, one top-level entry at a
//! time: a file is replaced by one atomic rename, a folder is moved aside and the new one moved
//! in. So a reader always finds a site, its home page and marker included, and a build killed
//! part-way leaves a site that mixes old and new top-level folders, at worst missing one, which
//! the next build writes whole again.
//!
//! For tests, `BRIEFING_SWAP=contents` forces the contents swap, `BRIEFING_SWAP=mount` also
//! stages inside the output as for a mount point, and `BRIEFING_SWAP_ABORT_AFTER=N` aborts the
//! process after N renames of the contents swap, as a kill at that moment would.

use std::fs;
use std::path::Path;

/// How `BRIEFING_SWAP` asks the swap to be done (for tests; normally the machine decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Forced {
    None,
    Contents,
    Mount,
}

pub(super) fn forced() -> Forced {
    match std::env::var("BRIEFING_SWAP").as_deref() {
        Ok("contents") => Forced::Contents,
        Ok("mount") => Forced::Mount,
        _ => Forced::None,
    }
}

/// Swap two paths atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
pub(super) fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
pub(super) fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Whether `path` is the root of a mounted file system (a Docker volume, a bind mount): it
/// cannot be renamed, and nothing can be renamed into it from outside. Linux says so with
/// `statx`; elsewhere, or on a kernel too old, a folder on another device than its parent is.
pub(super) fn is_mount_point(path: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags, statx};
        if let Ok(st) = statx(CWD, path, AtFlags::empty(), StatxFlags::BASIC_STATS)
            && st.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT)
        {
            return st.stx_attributes.contains(StatxAttributes::MOUNT_ROOT);
        }
    }
    on_other_device(path)
}

/// Whether `path` is on another device than its parent: the mount roots Unix can tell apart
/// without `statx` (a bind mount of a folder of the same file system is not seen).
#[cfg(unix)]
fn on_other_device(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(path), path.parent().map(fs::metadata)) {
        (Ok(me), Some(Ok(up))) => me.dev() != up.dev(),
        _ => false,
    }
}

/// Windows mounts volumes on drive letters, rarely inside a folder: none is seen.
#[cfg(not(unix))]
fn on_other_device(_: &Path) -> bool {
    false
}

/// Move every top-level entry of `new` into `target`, and every other entry of `target` (but
/// those `skip` names: our own working folders inside a mount point) into `old`, which exists
/// and is empty. `new` is left empty.
pub(super) fn swap_contents(
    new: &Path,
    target: &Path,
    old: &Path,
    skip: impl Fn(&std::ffi::OsStr) -> bool,
) -> std::io::Result<()> {
    let mut renames = Renames::from_env();
    let mut incoming: Vec<fs::DirEntry> = fs::read_dir(new)?.collect::<Result<_, _>>()?;
    // The marker last: while it is the old one, the folder is still the old site's to replace.
    incoming.sort_by_key(|e| e.file_name() == super::MARKER);
    for entry in &incoming {
        let name = entry.file_name();
        let here = target.join(&name);
        let replace_file = match fs::symlink_metadata(&here) {
            Ok(meta) => meta.is_file() && entry.file_type()?.is_file(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Err(e) => return Err(e),
        };
        if !replace_file {
            renames.rename(&here, &old.join(&name))?;
        }
        renames.rename(&entry.path(), &here)?;
    }
    let wanted: std::collections::HashSet<_> = incoming.iter().map(|e| e.file_name()).collect();
    for entry in fs::read_dir(target)? {
        let name = entry?.file_name();
        if !wanted.contains(&name) && !skip(&name) {
            renames.rename(&target.join(&name), &old.join(&name))?;
        }
    }
    Ok(())
}

/// Renames, counted for `BRIEFING_SWAP_ABORT_AFTER`.
struct Renames {
    done: usize,
    abort_after: Option<usize>,
}

impl Renames {
    fn from_env() -> Renames {
        let abort_after = std::env::var("BRIEFING_SWAP_ABORT_AFTER")
            .ok()
            .and_then(|n| n.parse().ok());
        Renames {
            done: 0,
            abort_after,
        }
    }

    fn rename(&mut self, from: &Path, to: &Path) -> std::io::Result<()> {
        if self.abort_after == Some(self.done) {
            std::process::abort();
        }
        fs::rename(from, to)?;
        self.done += 1;
        Ok(())
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The fallback that macOS (and Linux before `statx` knew mount roots) relies on, run here.
    #[test]
    fn a_mount_root_is_on_another_device_than_its_parent() {
        let mounted = ["/proc", "/sys", "/dev"]
            .into_iter()
            .map(Path::new)
            .find(|p| p.is_dir());
        if let Some(mounted) = mounted {
            assert!(on_other_device(mounted), "{}", mounted.display());
        }
        let tmp = tempfile::tempdir().unwrap();
        let plain = tmp.path().join("plain");
        fs::create_dir(&plain).unwrap();
        assert!(!on_other_device(&plain));
        assert!(!is_mount_point(&plain));
        assert!(!on_other_device(&tmp.path().join("missing")));
    }
}
