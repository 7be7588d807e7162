//! The paths briefing makes for itself (the output folder, its spare, staging and old folders,
//! lock files, temporary folders) sit where a repository's author may have put a symbolic link
//! of the same name. Everything here acts on the name itself and never on what a link points
//! to: a link is removed as a link, folders are emptied through directory descriptors opened
//! with `O_NOFOLLOW` (so no link anywhere inside a tree is followed, and no path is looked up
//! twice), and lock files are opened with `O_NOFOLLOW`. Other systems get the same rules from
//! `symlink_metadata` checks before each step.

use std::fs;
use std::io;
use std::path::Path;

/// What is at a path, without following a link there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Missing,
    Dir,
    Link,
    Other,
}

/// What `path` is, looked at with `lstat`.
pub fn kind(path: &Path) -> io::Result<Kind> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Ok(Kind::Link),
        Ok(meta) if meta.is_dir() => Ok(Kind::Dir),
        Ok(_) => Ok(Kind::Other),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Kind::Missing),
        Err(e) => Err(e),
    }
}

/// If `path` is a symbolic link where briefing expects its own `what`, remove the link (never
/// what it points to) and say so. True if there was a link.
pub fn remove_link(path: &Path, what: &str) -> io::Result<bool> {
    if kind(path)? != Kind::Link {
        return Ok(false);
    }
    let to = fs::read_link(path).unwrap_or_default();
    fs::remove_file(path)?;
    eprintln!(
        "warning: {} was a symbolic link (to {to:?}) where briefing keeps its {what}; removed the link, left its target alone",
        path.display()
    );
    Ok(true)
}

/// Open (and with `create`, make) the lock file `path` for reading and writing, refusing a
/// symbolic link (`ELOOP`) and anything but a plain file.
pub fn open_lock(path: &Path, create: bool) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options
        .read(true)
        .write(true)
        .create(create)
        .truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // No blocking on a FIFO, no controlling terminal from a device.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    #[cfg(not(unix))]
    if kind(path)? == Kind::Link {
        return Err(io::Error::other("a symbolic link"));
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("not a plain file"));
    }
    Ok(file)
}

/// Write `bytes` to a new file at `path`, removing first whatever is there (a link as a link):
/// `O_CREAT | O_EXCL` never writes through a link.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    match remove_tree(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

/// Remove `path` and, if it is a folder, everything in it, following no symbolic link: a link
/// (at `path` or anywhere inside) is unlinked itself. The top-level entries, and the entries of
/// large folders, are removed in parallel: on a large site most of a rebuild's file-system time
/// is unlinking the previous output.
#[cfg(target_os = "linux")]
pub fn remove_tree(path: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, Mode, OFlags, openat};
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other(format!("{} has no name", path.display())))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // The folder holding `path` is the caller's (the output's parent, the temporary folder).
    let parent = openat(
        CWD,
        parent,
        OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    linux::remove_at(&parent, name, true)
}

/// Remove `path` and everything in it, following no symbolic link (portable: `lstat` first;
/// std's `remove_dir_all` does not follow links inside the tree).
#[cfg(not(target_os = "linux"))]
pub fn remove_tree(path: &Path) -> io::Result<()> {
    remove_tree_portably(path)
}

/// [`remove_tree`] off Linux; compiled for Linux's tests too, which run it.
#[cfg(any(test, not(target_os = "linux")))]
fn remove_tree_portably(path: &Path) -> io::Result<()> {
    match kind(path)? {
        Kind::Dir => fs::remove_dir_all(path),
        Kind::Missing => Err(io::ErrorKind::NotFound.into()),
        Kind::Link | Kind::Other => fs::remove_file(path),
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use rayon::prelude::*;
    use rustix::fd::{AsFd, BorrowedFd};
    use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags, openat, unlinkat};
    use rustix::io::Errno;
    use std::ffi::{CStr, CString};
    use std::io;

    /// Remove the entry `name` of the folder `parent`, whatever it is, without following it.
    pub(super) fn remove_at(
        parent: impl AsFd,
        name: impl rustix::path::Arg,
        top: bool,
    ) -> io::Result<()> {
        let name = name.into_c_str()?;
        let flags = OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::RDONLY;
        match openat(&parent, &*name, flags, Mode::empty()) {
            Ok(dir) => {
                clear(Dir::new(dir)?, top)?;
                Ok(unlinkat(&parent, &*name, AtFlags::REMOVEDIR)?)
            }
            // A link (ELOOP) or a file (ENOTDIR): unlinked as such.
            Err(Errno::LOOP | Errno::NOTDIR) => Ok(unlinkat(&parent, &*name, AtFlags::empty())?),
            Err(e) => Err(e.into()),
        }
    }

    /// Remove everything in the folder `dir`, listed first and then unlinked through its
    /// descriptor.
    fn clear(mut dir: Dir, top: bool) -> io::Result<()> {
        let mut entries: Vec<(CString, FileType)> = Vec::new();
        for entry in &mut dir {
            let entry = entry?;
            let name = entry.file_name();
            if name != c"." && name != c".." {
                entries.push((name.to_owned(), entry.file_type()));
            }
        }
        let fd: BorrowedFd<'_> = dir.fd()?;
        let one = |(name, kind): &(CString, FileType)| -> io::Result<()> {
            let name: &CStr = name;
            let done = match kind {
                FileType::Directory | FileType::Unknown => remove_at(fd, name, false),
                _ => unlinkat(fd, name, AtFlags::empty()).map_err(io::Error::from),
            };
            match done {
                // Gone already (removed by whoever made it): what was wanted.
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                done => done,
            }
        };
        if top || entries.len() > 64 {
            entries.par_iter().try_for_each(one)
        } else {
            entries.iter().try_for_each(one)
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn remove_tree_removes_links_not_their_targets() {
        removes_links_not_their_targets(remove_tree);
        removes_links_not_their_targets(remove_tree_portably);
    }

    fn removes_links_not_their_targets(remove_tree: fn(&Path) -> io::Result<()>) {
        let t = tempfile::tempdir().unwrap();
        let precious = t.path().join("precious");
        fs::create_dir_all(precious.join("deep")).unwrap();
        fs::write(precious.join("deep/keep.txt"), "keep").unwrap();
        let tree = t.path().join("tree");
        fs::create_dir_all(tree.join("a/b")).unwrap();
        for (i, at) in ["", "a", "a/b"].iter().enumerate() {
            std::os::unix::fs::symlink(&precious, tree.join(at).join(format!("link{i}"))).unwrap();
        }
        fs::write(tree.join("a/b/file"), "x").unwrap();
        remove_tree(&tree).unwrap();
        assert_eq!(kind(&tree).unwrap(), Kind::Missing);
        let top = t.path().join("top");
        std::os::unix::fs::symlink(&precious, &top).unwrap();
        remove_tree(&top).unwrap();
        assert_eq!(kind(&top).unwrap(), Kind::Missing);
        assert_eq!(
            fs::read_to_string(precious.join("deep/keep.txt")).unwrap(),
            "keep"
        );
    }
}
