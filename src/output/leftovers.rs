//! Where a build keeps its working folders, the lock that says it is alive, and the removal of
//! what builds that died (kill -9, a power cut) left behind.
//!
//! A build's folders are named after its process id, in one place: beside the output as
//! `.NAME.tmp-PID` and `.NAME.old-PID`, or inside it as `.briefing.tmp-PID` when the output is a
//! mount point. Beside them the build holds a lock on `...build-PID.lock` (std's `File::lock`:
//! `flock` on Unix, `LockFileEx` on Windows) for as long as it runs; the system releases the lock
//! when the process ends however it ends, so a lock that can be taken means its build is gone,
//! even if another process has the same id since. Only then, and only for folders that briefing
//! made (with the output marker inside, or empty), are they removed.

use std::fs;
use std::path::{Path, PathBuf};

use super::MARKER;

/// The folder a build keeps its working folders in, and the prefix of their names.
#[derive(Debug, Clone)]
pub(super) struct Place {
    pub(super) dir: PathBuf,
    pub(super) prefix: String,
}

impl Place {
    /// `PREFIX` + `suffix` in the place's folder.
    pub(super) fn path(&self, suffix: &str) -> PathBuf {
        self.dir.join(format!("{}{suffix}", self.prefix))
    }

    /// Whether a name in the output folder is one of ours (only when the place is inside it).
    pub(super) fn owns(&self, name: &std::ffi::OsStr) -> bool {
        name.to_str().is_some_and(|n| n.starts_with(&self.prefix))
    }
}

/// The lock a running build holds; dropping it removes the file.
pub(super) struct BuildLock {
    path: PathBuf,
    _file: fs::File,
}

impl BuildLock {
    /// Create and lock this process's lock file in `place`.
    pub(super) fn take(place: &Place) -> std::io::Result<BuildLock> {
        let path = place.path(&format!("build-{}.lock", std::process::id()));
        for _ in 0..100 {
            // A link of that name is removed, never opened: its target is not ours to lock.
            crate::nofollow::remove_link(&path, "build lock")?;
            let file = match crate::nofollow::open_lock(&path, true) {
                Ok(file) => file,
                Err(e) if is_link_refused(&e) => continue,
                Err(e) => return Err(e),
            };
            file.lock()?;
            // Another build may have found a dead build's lock of the same name and unlinked
            // it between our open and our lock: then this lock guards nothing; start again.
            if same_file(&file, &path) {
                return Ok(BuildLock { path, _file: file });
            }
        }
        Err(std::io::Error::other(format!(
            "cannot lock {}: it keeps being replaced",
            path.display()
        )))
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether `file` is still what `path` names (a lock file removed and made again is not).
#[cfg(unix)]
pub(super) fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere a file cannot be told from one made again under its name (std has no stable file
/// index off Unix), so only whether `path` still names a file is asked.
#[cfg(not(unix))]
pub(super) fn same_file(_file: &fs::File, path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// Whether opening failed because the name is a symbolic link (`O_NOFOLLOW` refuses it with
/// `ELOOP`; the caller removes the link and tries again).
pub(super) fn is_link_refused(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    return e.raw_os_error() == Some(libc::ELOOP);
    #[cfg(not(unix))]
    return {
        let _ = e;
        false
    };
}

/// Remove the folders and lock files of builds in `place` whose process is gone. Best effort:
/// what cannot be removed stays for a later build. Returns how many folders were removed.
pub(super) fn remove_dead(place: &Place) -> usize {
    let Ok(entries) = fs::read_dir(&place.dir) else {
        return 0;
    };
    let own = std::process::id();
    let mut pids: Vec<u32> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let rest = name.strip_prefix(&place.prefix)?;
            let folder = rest
                .strip_prefix("tmp-")
                .or_else(|| rest.strip_prefix("old-"));
            if folder.is_some() && e.file_type().is_ok_and(|t| t.is_symlink()) {
                // A link is never a build's folder, live or dead: the link goes, its target stays.
                let _ = crate::nofollow::remove_link(&e.path(), "staging folder");
                return None;
            }
            let id = folder.or_else(|| rest.strip_prefix("build-")?.strip_suffix(".lock"))?;
            id.parse().ok()
        })
        .filter(|&pid| pid != own)
        .collect();
    pids.sort_unstable();
    pids.dedup();
    let mut removed = 0;
    for pid in pids {
        let Some(_dead) = Dead::claim(place, pid) else {
            continue;
        };
        for kind in ["tmp", "old"] {
            let dir = place.path(&format!("{kind}-{pid}"));
            if ours(&dir) && crate::nofollow::remove_tree(&dir).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

/// A dead build's lock, taken by us while its folders are removed; the file goes with it.
struct Dead {
    lock: PathBuf,
    _file: Option<fs::File>,
}

impl Dead {
    /// The build `pid` in `place` if it is gone: its lock can be taken (std's `try_lock`, the
    /// same on every platform), or it has no lock file and no process has its id (a build of an
    /// older briefing, which took no lock).
    fn claim(place: &Place, pid: u32) -> Option<Dead> {
        let lock = place.path(&format!("build-{pid}.lock"));
        let _ = crate::nofollow::remove_link(&lock, "build lock");
        match crate::nofollow::open_lock(&lock, false) {
            Ok(file) => {
                file.try_lock().ok()?;
                Some(Dead {
                    lock,
                    _file: Some(file),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                crate::tempdirs::no_process(pid).then_some(Dead { lock, _file: None })
            }
            Err(_) => None,
        }
    }
}

impl Drop for Dead {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.lock);
    }
}

/// Whether briefing made the folder `dir`: it holds the output marker, or nothing.
fn ours(dir: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return false;
    };
    meta.is_dir()
        && (dir.join(MARKER).is_file() || fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none()))
}
