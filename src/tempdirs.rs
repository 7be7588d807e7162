//! Temporary folders of `pdf` and `check` (the site built to be printed or judged, Chromium's
//! profile): removed when the run ends, however it ends. On success and on error a
//! [`TempDir`] is dropped; on Unix, SIGINT, SIGTERM and SIGHUP are taken by one thread that
//! waits for them ([`guard_signals`]), kills the browser, removes every live temporary folder
//! and exits with 128 + the signal's number. (`serve` builds in memory and makes no temporary
//! folder.)
//!
//! What a run killed outright (SIGKILL, Ctrl-C on Windows) leaves is removed by a later run, by
//! the rule the build uses for its staging folders: the folder is named
//! `briefing-KIND-PID-N`, and its owner holds a lock (std's `File::lock`: `flock` on Unix,
//! `LockFileEx` on Windows) on the marker file inside for as long as it runs; the system lets
//! go when the process ends, however it ends. The marker is written only once it is locked.
//! A folder whose marker is written and can be locked, owned by this user, is a dead run's; so
//! is one without a written marker (between its making and its lock) when no process has its
//! id. On Unix the owner also locks the folder itself, first, as briefing did before the
//! marker was the lock: two versions on one machine then never take each other's live folders
//! for dead, and a folder whose lock is held is alive whatever its marker says.

use anyhow::{Context as _, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::nofollow;

/// The file that says a temporary folder is briefing's; written first.
const MARKER: &str = ".briefing-temp";

/// Folders to remove, and processes to kill, should a signal end the run.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static CHILDREN: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// A temporary folder `briefing-KIND-PID-N` in the system's temporary folder (`TMPDIR`).
pub struct TempDir {
    path: PathBuf,
    /// The locks held while the folder lives.
    lock: Option<Held>,
}

/// The marker file, open and locked, and on Unix the folder itself, locked before it.
struct Held {
    _marker: fs::File,
    #[cfg(unix)]
    _folder: fs::File,
}

impl TempDir {
    /// Remove what dead runs left, then make and lock a new folder (mode 0700 on Unix).
    pub fn new(kind: &str) -> Result<TempDir> {
        let base = std::env::temp_dir();
        remove_dead(&base);
        let pid = std::process::id();
        for n in 0..1000 {
            let path = base.join(format!("briefing-{kind}-{pid}-{n}"));
            // Made and registered under the lock a signal's clean-up takes first: a signal
            // finds the folder either registered or not yet made.
            let mut live = lock(&LIVE);
            match make(&path) {
                Ok(lock) => {
                    live.push(path.clone());
                    let lock = Some(lock);
                    return Ok(TempDir { path, lock });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(e).with_context(|| {
                        format!("cannot create a temporary folder in {}", base.display())
                    });
                }
            }
        }
        anyhow::bail!(
            "cannot create a temporary folder in {}: too many exist",
            base.display()
        )
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Closed first: Windows removes no folder with a file in it still open.
        drop(self.lock.take());
        let _ = nofollow::remove_tree(&self.path);
        unregister(&self.path);
    }
}

/// Make the folder `path` (never through a link: it must not exist), lock it (on Unix), then
/// make its marker, locked before it is written.
fn make(path: &Path) -> std::io::Result<Held> {
    private_folder().create(path)?;
    let locked = || -> std::io::Result<Held> {
        #[cfg(unix)]
        let folder = open_dir(path)?;
        #[cfg(unix)]
        folder.lock()?;
        let mut marker = nofollow::open_lock(&path.join(MARKER), true)?;
        marker.lock()?;
        let text = "A temporary folder of briefing, removed when its run ends.\n";
        std::io::Write::write_all(&mut marker, text.as_bytes())?;
        Ok(Held {
            _marker: marker,
            #[cfg(unix)]
            _folder: folder,
        })
    };
    locked().inspect_err(|_| {
        let _ = nofollow::remove_tree(path);
    })
}

/// Open the folder `path` itself, not a link of that name.
#[cfg(unix)]
fn open_dir(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    options.custom_flags(libc::O_NOFOLLOW | libc::O_DIRECTORY);
    options.open(path)
}

/// A builder of folders only this user may enter: mode 0700 on Unix; on Windows the user's
/// temporary folder is private already.
#[cfg(unix)]
fn private_folder() -> fs::DirBuilder {
    let mut builder = fs::DirBuilder::new();
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
}

#[cfg(not(unix))]
fn private_folder() -> fs::DirBuilder {
    fs::DirBuilder::new()
}

/// Remove the temporary folders in `base` of runs that are gone. Best effort.
fn remove_dead(base: &Path) {
    let Ok(entries) = fs::read_dir(base) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(dead_candidate) else {
            continue;
        };
        if entry.file_type().is_ok_and(|t| t.is_dir()) && is_dead(&entry.path(), pid) {
            let _ = nofollow::remove_tree(&entry.path());
        }
    }
}

/// The process id in a name `briefing-KIND-PID-N`, unless it is this process's.
fn dead_candidate(name: &str) -> Option<u32> {
    let rest = name.strip_prefix("briefing-")?;
    let mut parts = rest.rsplitn(3, '-');
    let n = parts.next()?;
    let pid: u32 = parts.next()?.parse().ok()?;
    let kind = parts.next()?;
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    (plain(kind) && n.parse::<u32>().is_ok() && pid != std::process::id()).then_some(pid)
}

/// Whether the folder `dir` of process `pid` is a dead run's (see the module's comment).
fn is_dead(dir: &Path, pid: u32) -> bool {
    if !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir() && mine(&m)) {
        return false;
    }
    // Held while this is asked, so that the folder's owner cannot be half-way through making it.
    #[cfg(unix)]
    let Some(_folder) = open_dir(dir).ok().filter(|f| f.try_lock().is_ok()) else {
        return false; // a live run's, of this briefing or an earlier one
    };
    match nofollow::open_lock(&dir.join(MARKER), false) {
        // Written, so locked once: dead if nobody holds the lock now.
        Ok(marker) if marker.metadata().is_ok_and(|m| m.len() > 0) => marker.try_lock().is_ok(),
        // Not yet written, or not yet made: in the making, unless its process is gone.
        Ok(_) => no_process(pid),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => no_process(pid),
        Err(_) => false,
    }
}

/// Whether this user owns the file `meta` describes (on Unix; elsewhere the temporary folder
/// is the user's own).
#[cfg(unix)]
fn mine(meta: &fs::Metadata) -> bool {
    // SAFETY: geteuid cannot fail and touches no memory.
    std::os::unix::fs::MetadataExt::uid(meta) == unsafe { libc::geteuid() }
}

#[cfg(not(unix))]
fn mine(_: &fs::Metadata) -> bool {
    true
}

/// Whether no process has the id `pid` (`kill(pid, 0)` answers ESRCH). Off Unix it cannot be
/// told without a new dependency: a process is assumed to exist, and its folder is left.
#[cfg(unix)]
pub fn no_process(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    let answer = unsafe { libc::kill(pid, 0) };
    answer != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

#[cfg(not(unix))]
pub fn no_process(_: u32) -> bool {
    false
}

/// A temporary file made elsewhere (beside a PDF being written), removed on a signal while
/// this lives.
pub struct Registered(PathBuf);

/// Remove `path` on a signal until the returned guard is dropped.
pub fn register(path: &Path) -> Registered {
    lock(&LIVE).push(path.to_path_buf());
    Registered(path.to_path_buf())
}

impl Drop for Registered {
    fn drop(&mut self) {
        unregister(&self.0);
    }
}

fn unregister(path: &Path) {
    lock(&LIVE).retain(|p| p != path);
}

/// A child process (the browser), started as the leader of its own process group, to kill
/// with its whole group before the folders are removed on a signal: it and the processes it
/// starts write into them.
pub fn own_child(pid: u32) {
    lock(&CHILDREN).push(pid);
}

/// End the child `child` (see [`own_child`]) and every process of its group, and wait until
/// they are all gone, so that nothing writes into a folder about to be removed.
pub fn end_child(child: &mut std::process::Child) {
    let pid = child.id();
    kill_group(pid);
    let _ = child.kill();
    let _ = child.wait();
    // Reaped: its id may be reused and must not be killed any more.
    lock(&CHILDREN).retain(|&p| p != pid);
    wait_for_group(pid);
}

/// SIGKILL to the process group `pid` leads. (Off Unix no browser is started: see `pdf`.)
#[cfg(unix)]
fn kill_group(pid: u32) {
    // SAFETY: kill has no memory effects; the group is our child's, not yet reaped.
    unsafe {
        libc::kill(-(pid as libc::pid_t), libc::SIGKILL);
    }
}

#[cfg(not(unix))]
fn kill_group(_: u32) {}

/// Wait (5 s at most) until no process of the group `pid` led is left; its leader is reaped.
#[cfg(not(unix))]
fn wait_for_group(_: u32) {}

/// Wait (5 s at most) until no process of the group `pid` led is left; its leader is reaped.
#[cfg(unix)]
fn wait_for_group(pid: u32) {
    for _ in 0..250 {
        // SAFETY: signal 0 only asks whether the group has a member.
        if unsafe { libc::kill(-(pid as libc::pid_t), 0) } != 0 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Take SIGINT, SIGTERM and SIGHUP from here on: the temporary folders are removed and the
/// process exits with 128 + the signal. Call it first thing in a command, before any other
/// thread starts: the signals are blocked in this thread and so in every thread it starts,
/// and one thread waits for them. Child processes start with no signal blocked (std resets
/// the mask). Once per process.
#[cfg(unix)]
pub fn guard_signals() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sigset_t is plain data, initialised by sigemptyset before use; the calls
        // only read and write that set and this thread's mask.
        let set = unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                libc::sigaddset(&mut set, sig);
            }
            if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
                return;
            }
            set
        };
        std::thread::spawn(move || {
            let mut sig: libc::c_int = 0;
            // SAFETY: `set` and `sig` are valid for the call.
            while unsafe { libc::sigwait(&set, &mut sig) } != 0 {}
            clean_up_and_exit(sig);
        });
    });
}

/// Windows has no such signals: Ctrl-C ends the run at once, and the next run removes its
/// folders (see the module's comment).
#[cfg(not(unix))]
pub fn guard_signals() {}

/// Kill the browser, remove every live temporary folder, exit with 128 + `sig`.
#[cfg(unix)]
fn clean_up_and_exit(sig: libc::c_int) -> ! {
    for &pid in lock(&CHILDREN).iter() {
        kill_group(pid);
        // SAFETY: reaps our own child (the main thread no longer will); no memory is passed.
        unsafe { libc::waitpid(pid as libc::pid_t, std::ptr::null_mut(), 0) };
        wait_for_group(pid);
    }
    // Held until the exit: no folder is registered, nor made, after this.
    let live = lock(&LIVE);
    for path in live.iter() {
        // The main thread or a dying browser may still add a file while the tree goes.
        for _ in 0..100 {
            let _ = nofollow::remove_tree(path);
            if nofollow::kind(path).is_ok_and(|k| k == nofollow::Kind::Missing) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    eprintln!("interrupted: temporary folders removed");
    // SAFETY: ends the process at once, without running other threads' code any further.
    unsafe { libc::_exit(128 + sig) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_briefing_names_with_a_pid_are_candidates() {
        assert_eq!(dead_candidate("briefing-check-123-0"), Some(123));
        assert_eq!(dead_candidate("briefing-pdf-77-12"), Some(77));
        for name in [
            "briefing-check-x-0",
            "briefing-123-0",
            "briefing--1-0",
            "briefing-pdf-1-",
            "other-check-1-0",
            "briefing-pdf-abc123",
        ] {
            assert_eq!(dead_candidate(name), None, "{name}");
        }
        let own = format!("briefing-check-{}-0", std::process::id());
        assert_eq!(dead_candidate(&own), None);
    }

    /// The rule every platform uses, run here: a written marker nobody locks is a dead run's;
    /// a locked one a live run's; an unwritten one is dead only when its process is gone.
    #[test]
    fn a_folder_is_dead_when_its_marker_is_unlocked_or_its_process_gone() {
        let base = tempfile::tempdir().unwrap();
        let live = std::process::id();
        let gone = 4_194_400; // above the largest process id Linux (2^22) or macOS hands out
        assert!(no_process(gone) && !no_process(live));
        let folder = |name: &str, marker: Option<&str>| {
            let dir = base.path().join(name);
            fs::create_dir(&dir).unwrap();
            if let Some(text) = marker {
                fs::write(dir.join(MARKER), text).unwrap();
            }
            dir
        };
        let written = folder("written", Some("text"));
        assert!(is_dead(&written, live), "written, unlocked");
        #[cfg(unix)]
        {
            // As an earlier briefing runs: the folder locked, its marker not.
            let held = open_dir(&written).unwrap();
            held.lock().unwrap();
            assert!(!is_dead(&written, gone), "the folder locked");
        }
        let held = fs::File::open(written.join(MARKER)).unwrap();
        held.lock().unwrap();
        assert!(!is_dead(&written, gone), "written and locked");
        drop(held);
        assert!(!is_dead(&folder("empty-live", Some("")), live));
        assert!(is_dead(&folder("empty-gone", Some("")), gone));
        assert!(!is_dead(&folder("unmarked-live", None), live));
        assert!(is_dead(&folder("unmarked-gone", None), gone));
        let made = TempDir::new("unit").unwrap();
        assert!(!is_dead(made.path(), gone), "a live TempDir");
        let path = made.path().to_path_buf();
        drop(made);
        assert!(!path.exists());
    }
}
