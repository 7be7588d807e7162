//! The one way a build opens a file of the site it was given: [`SiteRoot`]. A briefing
//! repository may be written by a stranger (a pull request is built like any push), so a path it
//! names (`document = "..."`) or a file it holds is read only when it lies inside the site's
//! folder, reached without a symbolic link, and is a regular file of at most [`MAX_INPUT`]
//! bytes. On Linux the kernel resolves the path under the kept folder descriptor with
//! `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)`, one system call
//! like a plain `open`; elsewhere, or on a kernel without `openat2`, each step of the path is
//! looked at with `lstat` first.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// The largest file briefing reads from a site: a page, a template, `site.toml` or a source
/// document. Far above any real one; it keeps a hostile repository from making a build hold
/// gigabytes.
pub const MAX_INPUT: u64 = 64 << 20;

/// The largest file briefing copies into a site verbatim (`static/`, files beside content):
/// GitHub refuses files over 100 MB, so no file of a real briefing repository is larger.
pub const MAX_COPY: u64 = 100 << 20;

/// The folder of the site being built, kept open so that every path is resolved under it.
#[derive(Debug)]
pub struct SiteRoot {
    path: PathBuf,
    #[cfg(target_os = "linux")]
    fd: std::os::fd::OwnedFd,
}

/// Why a path of the site was not read.
#[derive(Debug)]
pub enum Refused {
    /// Nothing is there.
    Missing,
    /// An absolute path, `..`, or not a plain relative path.
    Outside,
    /// A symbolic link is the file or on the way to it.
    Link,
    /// A folder, a device, a pipe or a socket where a file was expected (or the reverse).
    Kind,
    /// Larger than the limit (the file's size, the limit): [`MAX_INPUT`] for a file briefing
    /// reads, [`MAX_COPY`] for one it copies.
    TooLarge(u64, u64),
    Io(io::Error),
}

impl Refused {
    /// What to tell the user; `shown` is the path as written in the site (`content/a.txt`).
    /// It never names anything but `shown`.
    pub fn describe(&self, shown: &str) -> String {
        match self {
            Refused::Missing => format!("`{shown}` does not exist"),
            Refused::Outside => format!(
                "`{shown}` is not a path inside the site: briefing reads only files under the site's folder, named without a leading `/`, `..` or `\\`"
            ),
            Refused::Link => format!(
                "`{shown}` is, or goes through, a symbolic link: briefing follows no symbolic links (copy what it points to into the site instead)"
            ),
            Refused::Kind => {
                format!(
                    "`{shown}` is not a regular file: briefing reads only plain files and folders"
                )
            }
            Refused::TooLarge(size, limit) => format!(
                "`{shown}` is {size} bytes, over the limit of {} MiB for a file briefing {}",
                limit >> 20,
                if *limit == MAX_COPY {
                    "copies"
                } else {
                    "reads"
                }
            ),
            Refused::Io(e) => format!("cannot read `{shown}`: {e}"),
        }
    }

    /// The problem to report for the site's file `file`; an I/O error is not a problem of the
    /// site but an error that stops the build, as any other does.
    pub fn problem(self, file: &str) -> anyhow::Result<crate::diag::Problem> {
        match self {
            Refused::Io(e) => Err(anyhow::Error::new(e).context(format!("cannot read {file}"))),
            refused => Ok(crate::diag::Problem::file(file, refused.describe(file))),
        }
    }
}

impl SiteRoot {
    /// Keep the folder `path` (the site root the user gave) open.
    pub fn open(path: &Path) -> io::Result<SiteRoot> {
        #[cfg(target_os = "linux")]
        let fd = rustix::fs::open(
            path,
            rustix::fs::OFlags::PATH | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )?;
        #[cfg(not(target_os = "linux"))]
        if !path.is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "not a folder"));
        }
        Ok(SiteRoot {
            path: path.to_path_buf(),
            #[cfg(target_os = "linux")]
            fd,
        })
    }

    /// The site's folder as the user named it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder at `rel` (`content`, `templates`, `static`, `content/notes`), to be walked:
    /// `None` when nothing is there. A walk from it must not follow links either (walkdir's
    /// default; `read_dir` entries' types are those of the links themselves).
    pub fn dir(&self, rel: &str) -> Result<Option<PathBuf>, Refused> {
        if !plain_relative(rel) {
            return Err(Refused::Outside);
        }
        #[cfg(target_os = "linux")]
        let beneath = self.open_beneath(rel, true);
        #[cfg(not(target_os = "linux"))]
        let beneath: Option<Result<File, Refused>> = None;
        let checked = match beneath {
            Some(opened) => opened.map(drop),
            None => lstat_steps(&self.path, rel, true).map(drop),
        };
        match checked {
            Ok(()) => Ok(Some(self.path.join(rel))),
            Err(Refused::Missing) => Ok(None),
            Err(refused) => Err(refused),
        }
    }

    /// Read the regular file at `rel` and hand its bytes to `f`, in the calling thread's kept
    /// buffer (see [`super::with_file`]).
    pub fn read<R>(&self, rel: &str, f: impl FnOnce(&[u8]) -> R) -> Result<R, Refused> {
        let (mut file, size) = self.open_file(rel)?;
        super::with_buffer(|buf| {
            let n = super::read_whole(&mut file, buf, Some(size))?;
            Ok(f(&buf[..n]))
        })
        .map_err(Refused::Io)
    }

    /// Open the regular file at `rel`, and its size. One `fstat` tells a regular file from a
    /// pipe or a device (opened without blocking, never read) and gives the size the read then
    /// needs not ask for.
    pub fn open_file(&self, rel: &str) -> Result<(File, u64), Refused> {
        let (file, meta) = self.open_limited(rel, MAX_INPUT)?;
        Ok((file, meta.len()))
    }

    /// Open the regular file at `rel` to copy it verbatim, with its metadata (whose stamp
    /// `serve` keeps): the same confinement as [`SiteRoot::open_file`], the limit [`MAX_COPY`].
    pub fn open_copy(&self, rel: &str) -> Result<(File, std::fs::Metadata), Refused> {
        self.open_limited(rel, MAX_COPY)
    }

    fn open_limited(&self, rel: &str, limit: u64) -> Result<(File, std::fs::Metadata), Refused> {
        let file = self.open_checked(rel)?;
        let meta = file.metadata().map_err(Refused::Io)?;
        if !meta.is_file() {
            return Err(Refused::Kind);
        }
        if meta.len() > limit {
            return Err(Refused::TooLarge(meta.len(), limit));
        }
        Ok((file, meta))
    }

    fn open_checked(&self, rel: &str) -> Result<File, Refused> {
        if !plain_relative(rel) {
            return Err(Refused::Outside);
        }
        #[cfg(target_os = "linux")]
        if let Some(opened) = self.open_beneath(rel, false) {
            return opened;
        }
        open_stepwise(&self.path, rel)
    }

    /// `openat2` under the kept folder; `None` when the kernel has no `openat2` (before 5.6,
    /// or a sandbox that forbids it), and then it is not tried again.
    #[cfg(target_os = "linux")]
    fn open_beneath(&self, rel: &str, dir: bool) -> Option<Result<File, Refused>> {
        use rustix::fs::{Mode, OFlags, ResolveFlags};
        use rustix::io::Errno;
        use std::sync::atomic::{AtomicBool, Ordering};
        static UNAVAILABLE: AtomicBool = AtomicBool::new(false);
        if UNAVAILABLE.load(Ordering::Relaxed) {
            return None;
        }
        let kind = match dir {
            true => OFlags::PATH | OFlags::DIRECTORY,
            false => OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY,
        };
        // No O_NOFOLLOW: RESOLVE_NO_SYMLINKS refuses a final link too, and with O_PATH the flag
        // would open the link itself instead.
        let how = ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
        loop {
            let opened =
                rustix::fs::openat2(&self.fd, rel, kind | OFlags::CLOEXEC, Mode::empty(), how);
            return Some(match opened {
                Ok(fd) => Ok(File::from(fd)),
                // The kernel asks for a retry when a rename raced the lookup.
                Err(Errno::AGAIN | Errno::INTR) => continue,
                Err(Errno::NOSYS | Errno::PERM) => {
                    UNAVAILABLE.store(true, Ordering::Relaxed);
                    return None;
                }
                Err(Errno::LOOP) => Err(Refused::Link),
                Err(Errno::XDEV) => Err(Refused::Outside),
                Err(Errno::NOENT) => Err(Refused::Missing),
                Err(Errno::NOTDIR) if !dir => Err(Refused::Missing),
                Err(Errno::NOTDIR | Errno::ISDIR) => Err(Refused::Kind),
                Err(e) => Err(Refused::Io(e.into())),
            });
        }
    }
}

/// Whether `rel` names something under a folder: relative, each part a plain name (no `.`,
/// `..`, root, drive or empty part), no `\` (a separator on Windows) and no NUL.
pub fn plain_relative(rel: &str) -> bool {
    // One pass over the bytes (this runs for every file a build reads): no `\\` or NUL, and
    // every `/`-separated part a name, never empty, `.` or `..`.
    !rel.is_empty()
        && !rel.bytes().any(|b| b == b'\\' || b == 0)
        && rel.split('/').all(|part| !matches!(part, "" | "." | ".."))
}

/// The portable way: `lstat` each step from the root, refusing a link anywhere, then open the
/// file without following a link (`O_NOFOLLOW`) and without blocking on a pipe.
pub fn open_stepwise(root: &Path, rel: &str) -> Result<File, Refused> {
    let at = lstat_steps(root, rel, false)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY,
    );
    options.open(&at).map_err(|e| match e.raw_os_error() {
        #[cfg(unix)]
        Some(libc::ELOOP) => Refused::Link,
        _ if e.kind() == io::ErrorKind::NotFound => Refused::Missing,
        _ => Refused::Io(e),
    })
}

/// `lstat` each step of `rel` from `root`: no link on the way, folders up to the last part,
/// and the last a folder if `dir` (else anything but a folder). The path it checked.
fn lstat_steps(root: &Path, rel: &str, dir: bool) -> Result<PathBuf, Refused> {
    let mut at = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let meta = match std::fs::symlink_metadata(&at) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Refused::Missing),
            Err(e) => return Err(Refused::Io(e)),
        };
        let last = i + 1 == parts.len();
        match () {
            _ if meta.file_type().is_symlink() => return Err(Refused::Link),
            _ if !last && !meta.is_dir() => return Err(Refused::Missing),
            _ if last && dir != meta.is_dir() => return Err(Refused::Kind),
            _ => {}
        }
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/notes")).unwrap();
        std::fs::write(root.join("content/a.txt"), "inside").unwrap();
        std::fs::write(root.join("secret"), "outside").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink("../secret", root.join("content/link.txt")).unwrap();
            symlink("notes", root.join("content/dirlink")).unwrap();
            std::fs::write(root.join("content/notes/b.txt"), "b").unwrap();
        }
        dir
    }

    /// Both ways of opening, on the same cases: the kernel's and the portable one.
    fn opened(root: &SiteRoot, rel: &str, stepwise: bool) -> Result<String, String> {
        let file = match stepwise {
            true => open_stepwise(root.path(), rel),
            false => root.open_checked(rel),
        };
        let mut text = String::new();
        use std::io::Read;
        file.map_err(|r| format!("{r:?}"))?
            .read_to_string(&mut text)
            .map_err(|e| e.to_string())?;
        Ok(text)
    }

    #[test]
    fn only_plain_paths_inside_the_site_are_opened() {
        let dir = site();
        let root = SiteRoot::open(dir.path()).unwrap();
        for stepwise in [false, true] {
            assert_eq!(opened(&root, "content/a.txt", stepwise).unwrap(), "inside");
            assert_eq!(opened(&root, "content/notes/b.txt", stepwise).unwrap(), "b");
            for (rel, why) in [
                ("content/link.txt", "Link"),
                ("content/dirlink/b.txt", "Link"),
                ("content/none.txt", "Missing"),
                ("content/a.txt/x", "Missing"),
            ] {
                let got = opened(&root, rel, stepwise).unwrap_err();
                assert!(got.starts_with(why), "{rel} ({stepwise}): {got}");
            }
        }
        for rel in [
            "/etc/passwd",
            "../secret",
            "content/../secret",
            "./x",
            "a//b",
            "a\\b",
            "",
        ] {
            assert!(!plain_relative(rel), "{rel}");
            assert!(
                matches!(root.read(rel, |_| ()), Err(Refused::Outside)),
                "{rel}"
            );
        }
        assert!(matches!(root.dir("content"), Ok(Some(_))));
        assert!(matches!(root.dir("static"), Ok(None)));
        assert!(matches!(root.dir("content/dirlink"), Err(Refused::Link)));
        assert!(matches!(root.dir("content/a.txt"), Err(Refused::Kind)));
        let steps = |rel| lstat_steps(root.path(), rel, true);
        assert!(matches!(steps("content/dirlink"), Err(Refused::Link)));
        assert!(matches!(steps("content/a.txt"), Err(Refused::Kind)));
        assert!(steps("content/notes").is_ok());
        assert!(matches!(root.read("content", |_| ()), Err(Refused::Kind)));
        assert_eq!(
            root.read("content/a.txt", |b| b.to_vec()).unwrap(),
            b"inside"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_refused_without_waiting_for_a_writer() {
        let dir = site();
        let fifo = dir.path().join("content/pipe");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let root = SiteRoot::open(dir.path()).unwrap();
        assert!(matches!(
            root.read("content/pipe", |_| ()),
            Err(Refused::Kind)
        ));
    }
}
