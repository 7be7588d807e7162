//! One build of an output at a time. A build holds `.NAME.briefing-lock` beside the output
//! (std's file lock: `flock` on Unix, `LockFileEx` on Windows; opened with `O_NOFOLLOW`) from before it looks at its spare until its new site is
//! swapped in and the spare kept; a second build of the same output waits for it, and says for
//! whom. Two builds at once would otherwise race for the spare (`--clean` deleting the folder
//! the other had just claimed), which made `build --clean` beside another build fail.
//!
//! The holder removes the file before it lets go, so no lock file stays beside the output; a
//! waiter that then gets the lock finds its file gone from the folder and starts again.

use std::fs;
use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use super::leftovers::Place;
use crate::nofollow;

/// The lock on one output folder, held while a build of it runs.
pub(super) struct OutputLock {
    path: PathBuf,
    _file: fs::File,
}

impl OutputLock {
    /// Take the lock of the output whose working folders are in `place`, waiting for a build
    /// that holds it. std's file lock is `flock` on Unix and `LockFileEx` on Windows.
    pub(super) fn take(place: &Place, target: &Path) -> std::io::Result<OutputLock> {
        let path = place.path("briefing-lock");
        for _ in 0..1000 {
            nofollow::remove_link(&path, "build lock")?;
            let mut file = match nofollow::open_lock(&path, true) {
                Ok(file) => file,
                // Replaced by a link between the check and the open: look again.
                Err(e) if super::leftovers::is_link_refused(&e) => continue,
                Err(e) => return Err(e),
            };
            if file.try_lock().is_err() {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = match holder.trim().parse::<u32>() {
                    Ok(pid) => format!("process {pid}"),
                    Err(_) => "another process".into(),
                };
                eprintln!(
                    "Waiting for another build of {} ({holder}) to finish...",
                    target.display()
                );
                file.lock()?;
            }
            // The holder removed the file as it finished: this lock guards nothing.
            if !super::leftovers::same_file(&file, &path) {
                continue;
            }
            file.set_len(0)?;
            file.rewind()?;
            write!(file, "{}", std::process::id())?;
            return Ok(OutputLock { path, _file: file });
        }
        Err(std::io::Error::other(format!(
            "cannot lock {}: it keeps being replaced",
            path.display()
        )))
    }
}

impl Drop for OutputLock {
    /// Remove the file while still holding it, then let go (the file closes after this).
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}
