//! File system helpers whose errors always name the path they were working on.

use anyhow::{Context, Result};
use std::fs;
use std::path::Path;

use crate::diag::{Problem, line_col};

mod confined;
mod names;

pub use confined::{MAX_COPY, MAX_INPUT, Refused, SiteRoot, plain_relative};
pub use names::name_clashes;

/// Work counters for the performance regression guard (`BRIEFING_TIMINGS` prints them): how
/// often a build reads a content file and compiles the template set.
pub mod counters {
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub static CONTENT_READS: AtomicUsize = AtomicUsize::new(0);
    pub static TEMPLATE_COMPILES: AtomicUsize = AtomicUsize::new(0);

    pub fn bump(counter: &AtomicUsize) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(counter: &AtomicUsize) -> usize {
        counter.load(Ordering::Relaxed)
    }
}

/// Read a UTF-8 text file. A file that is not UTF-8 is reported as a [`Problem`] at the line and
/// column of the first bad byte; `shown` is the path to print (relative to the site root).
pub fn read_text(path: &Path, shown: &str) -> Result<Result<String, Problem>> {
    with_file(path, |bytes| utf8(bytes, shown).map(str::to_owned))
        .with_context(|| format!("cannot read {}", path.display()))
}

/// A file's bytes as text, or the problem at its first byte that is not UTF-8.
pub fn utf8<'b>(bytes: &'b [u8], shown: &str) -> Result<&'b str, Problem> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = e.valid_up_to();
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        let (line, col) = line_col(prefix, good);
        Problem {
            file: shown.to_string(),
            line: Some(line),
            col: Some(col),
            message: format!(
                "file is not valid UTF-8 (invalid byte 0x{:02x} at byte {good}); save it as UTF-8",
                bytes[good]
            ),
            snippet: None,
        }
    })
}

thread_local! {
    /// The buffer [`with_file`] reads into on this thread.
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Read the file at `path` and hand its bytes to `f`. Each thread reads into one buffer that it
/// keeps, so no file costs an allocation, and without asking the file's size first, so none
/// costs a `statx`. A site's own files are read with [`SiteRoot::read`] instead.
pub fn with_file<R>(path: &Path, f: impl FnOnce(&[u8]) -> R) -> std::io::Result<R> {
    let mut file = fs::File::open(path)?;
    with_buffer(|buf| {
        let n = read_whole(&mut file, buf, None)?;
        Ok(f(&buf[..n]))
    })
}

/// Lend `f` this thread's read buffer; a nested call gets a buffer of its own.
fn with_buffer<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    READ_BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            let result = f(&mut buf);
            if buf.len() > 4 << 20 {
                *buf = Vec::new(); // an unusually large file: do not keep its memory
            }
            result
        }
        Err(_) => f(&mut Vec::new()),
    })
}

/// Read the whole file into `buf`, which stays initialised to its full length and only grows,
/// and return the file's length. With the `size` known (a regular file's, from `fstat`), the
/// read stops there, without the extra read that finds the end.
fn read_whole(file: &mut fs::File, buf: &mut Vec<u8>, size: Option<u64>) -> std::io::Result<usize> {
    use std::io::Read;
    let mut filled = 0;
    let mut asked = false;
    if let Some(size) = size.map(|s| s as usize).filter(|&s| s > 0) {
        if buf.len() < size {
            buf.resize(size.max(64 << 10), 0);
        }
        while filled < size {
            match file.read(&mut buf[filled..size]) {
                Ok(0) => return Ok(filled),
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        return Ok(filled);
    }
    loop {
        if filled == buf.len() {
            // A file larger than the buffer: ask its size once and grow to it, rather than
            // doubling, which would copy a large file several times and hold up to twice its
            // size at once.
            let size = match asked {
                false if filled > 0 => file.metadata().map_or(0, |m| m.len() as usize + 1),
                _ => 0,
            };
            asked |= filled > 0;
            buf.resize(size.max(buf.len() * 2).max(64 << 10), 0);
        }
        match file.read(&mut buf[filled..]) {
            Ok(0) => return Ok(filled),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Create a directory and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path).with_context(|| format!("cannot create directory {}", path.display()))
}

/// Write a file, naming it on failure. An existing file is written over only if it has no
/// other name: one with another hard link (a snapshot made with `cp -al`, say) or a symbolic
/// link is replaced by a new file, so nothing outside is ever written through.
pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    use std::io::Write as _;
    open_private(path)
        .and_then(|mut file| file.write_all(contents.as_ref()))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Open `path` for writing from empty, as a file only this name leads to (see [`write`]).
pub fn open_private(path: &Path) -> std::io::Result<fs::File> {
    match open_over(path) {
        Ok(file) => {
            let meta = file.metadata()?;
            if meta.is_file() && single_link(&meta) {
                file.set_len(0)?;
                return Ok(file);
            }
            drop(file);
            fs::remove_file(path)?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        // A symbolic link (refused by O_NOFOLLOW) is replaced, never followed.
        Err(e) if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            let _ = e;
            fs::remove_file(path)?;
        }
        Err(e) => return Err(e),
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// A file written from its start: a new file, or one of a reused spare (`existed`) written over
/// in place and cut to its new length if it shrank, which costs the kernel far less than
/// unlinking it and creating another. A file with another hard link is never written over (that
/// would change the other name's contents too): it is unlinked and created afresh.
pub struct FileOut {
    out: std::io::BufWriter<fs::File>,
    written: u64,
    old_len: u64,
}

impl FileOut {
    pub fn open(path: &Path, existed: bool) -> std::io::Result<FileOut> {
        let mut old_len = 0;
        let mut file = None;
        if existed {
            let over = open_over(path)?;
            let meta = over.metadata()?;
            if single_link(&meta) {
                old_len = meta.len();
                file = Some(over);
            } else {
                drop(over);
                fs::remove_file(path)?;
            }
        }
        let file = match file {
            Some(file) => file,
            None => fs::File::create(path)?,
        };
        Ok(FileOut {
            out: std::io::BufWriter::with_capacity(64 * 1024, file),
            written: 0,
            old_len,
        })
    }

    /// Flush, and drop whatever the file held beyond what was written.
    pub fn finish(self) -> std::io::Result<()> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        if self.old_len > self.written {
            file.set_len(self.written)?;
        }
        Ok(())
    }
}

/// Open an existing file for writing without truncating it, refusing a symbolic link.
fn open_over(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true);
    // POSIX: the same flag on Linux and macOS. Windows follows the link, and then its file
    // has no single link (see `single_link`), so it is replaced, never written through.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    options.open(path)
}

#[cfg(unix)]
fn single_link(meta: &fs::Metadata) -> bool {
    std::os::unix::fs::MetadataExt::nlink(meta) == 1
}

#[cfg(not(unix))]
fn single_link(_: &fs::Metadata) -> bool {
    false // cannot tell: never write over a file in place
}

impl std::io::Write for FileOut {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.out.write_all(buf)?;
        self.written += buf.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Copy an opened file (see [`SiteRoot::open_copy`]) to `to`, naming both ends on failure
/// (`from` as the site shows it); the copy is written as [`write`] writes.
pub fn copy(mut source: fs::File, from: &str, to: &Path) -> Result<()> {
    open_private(to)
        .and_then(|mut out| std::io::copy(&mut source, &mut out))
        .map(|_| ())
        .with_context(|| format!("cannot copy {from} to {}", to.display()))
}

/// The problem with a file name that links cannot carry as it is (URLs would need it
/// percent-encoded, and a reader's links would break): white space, control characters,
/// `# ? % " < > \\`, or bytes that are not UTF-8. It names the file (`folder` is its shown
/// folder, `content/notes/`) and what to rename it to.
pub fn name_problem(folder: &str, name: &std::ffi::OsStr) -> Option<Problem> {
    let Some(text) = name.to_str() else {
        let shown = name.as_encoded_bytes().escape_ascii().to_string();
        return Some(Problem::file(
            format!("{folder}{shown}"),
            format!(
                "the name `{shown}` is not valid UTF-8 (bytes shown escaped): rename it using UTF-8 characters"
            ),
        ));
    };
    let bad = |c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '#' | '?' | '%' | '"' | '<' | '>' | '\\')
    };
    let Some(first) = text.chars().find(|&c| bad(c)) else {
        return names::portability(folder, text);
    };
    let suggested: String = text.chars().map(|c| if bad(c) { '-' } else { c }).collect();
    let what = match first {
        ' ' => "a space".to_string(),
        c if c.is_whitespace() || c.is_control() => format!("the character {:?}", c),
        c => format!("`{c}`"),
    };
    let quoted = crate::diag::inline(text);
    Some(Problem::file(
        format!("{folder}{text}"),
        format!(
            "the name `{quoted}` has {what}, which breaks links to it: rename it, e.g. to `{suggested}`"
        ),
    ))
}

/// Path as a `/`-separated string, for paths shown to users and used in URLs.
pub fn slash_path(path: &Path) -> String {
    let mut out = String::new();
    for (i, part) in path.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Linux and macOS refuse the link with the same `O_NOFOLLOW`: it is replaced by a file,
    /// and neither `write` nor a spare's `FileOut` writes through it.
    #[test]
    fn a_symbolic_link_is_replaced_never_written_through() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside.txt");
        fs::write(&outside, "keep").unwrap();
        let at = tmp.path().join("page.html");
        std::os::unix::fs::symlink(&outside, &at).unwrap();
        write(&at, "new").unwrap();
        assert!(!fs::symlink_metadata(&at).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&at).unwrap(), "new");
        fs::remove_file(&at).unwrap();
        std::os::unix::fs::symlink(&outside, &at).unwrap();
        assert!(
            FileOut::open(&at, true).is_err(),
            "a spare's link is not opened"
        );
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep");
    }
}
