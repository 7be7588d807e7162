//! What the print document may load. Its HTML comes from the site's content and templates,
//! which a stranger's pull request may have written, and Chromium prints from `file://`: left
//! alone, `<iframe src="file:///etc/passwd">` or an image on a server on 127.0.0.1 would be
//! printed into the published board pack. So Chromium runs with scripts off and a proxy that
//! leads nowhere, every request it makes is paused and allowed only if it names a file inside
//! the print document's folder (this module), and the document itself forbids frames, objects
//! and scripts by a Content-Security-Policy placed before anything the template wrote.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode, percent_encode};
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

/// The policy put first in the print document. It needs no script, frame, object, media or
/// connection: only its own stylesheets, images and fonts, and inline styles (the print
/// template's `<style>`, the charts' `style=` attributes); nor a `<base>` that would send its
/// relative links elsewhere.
pub const POLICY: &str = "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; base-uri 'none'; form-action 'none'";

/// Bytes of a path written as they are in a `file://` URL; every other is percent-encoded.
const PATH_BYTES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The `file://` URL of `path` (absolute), which [`Folder::allows`] reads back to it: a `%`,
/// `#` or `?` in a temporary folder's name stays part of the path.
pub fn file_url(path: &Path) -> String {
    format!(
        "file://{}",
        percent_encode(path.as_os_str().as_encoded_bytes(), PATH_BYTES)
    )
}

/// The folder whose files the print document may load.
pub struct Folder(PathBuf);

impl Folder {
    /// `dir` with its symbolic links resolved, as every requested file will be.
    pub fn new(dir: &Path) -> std::io::Result<Folder> {
        Ok(Folder(dir.canonicalize()?))
    }

    /// Whether `url` is a `file://` URL of a file inside the folder: percent-decoded, no `.`
    /// or `..` left, and still inside once symbolic links are resolved. Anything else (other
    /// schemes, other hosts, files elsewhere, files that do not exist) is refused.
    pub fn allows(&self, url: &str) -> bool {
        let Some(rest) = url.strip_prefix("file://") else {
            return false;
        };
        // Only a path, no host: `file://host/x` would be a network share on some systems.
        if !rest.starts_with('/') {
            return false;
        }
        let path = rest.split(['?', '#']).next().unwrap_or_default();
        let bytes: Vec<u8> = percent_decode(path.as_bytes()).collect();
        if bytes.contains(&0) {
            return false;
        }
        let Some(path) = os_str(&bytes).map(Path::new) else {
            return false;
        };
        let plain = path
            .components()
            .all(|c| matches!(c, Component::RootDir | Component::Normal(_)));
        plain
            && path
                .canonicalize()
                .is_ok_and(|real| real.starts_with(&self.0) && real != self.0)
    }
}

/// The path a URL's decoded bytes name: any bytes on Unix (where the board pack is printed:
/// see `pipes`), UTF-8 elsewhere.
#[cfg(unix)]
fn os_str(bytes: &[u8]) -> Option<&OsStr> {
    Some(std::os::unix::ffi::OsStrExt::from_bytes(bytes))
}

#[cfg(not(unix))]
fn os_str(bytes: &[u8]) -> Option<&OsStr> {
    std::str::from_utf8(bytes).ok().map(OsStr::new)
}

/// `html` with [`POLICY`] as its first element: right after the doctype, before anything the
/// template wrote, so that no element of the template comes before it. (A `<meta>` before
/// `<html>` opens the head; the template's `<html lang>` still gives the root its language.)
pub fn with_policy(html: &str) -> String {
    let meta = format!(r#"<meta http-equiv="Content-Security-Policy" content="{POLICY}">"#);
    let start = html.len() - html.trim_start().len();
    let head = &html[start..];
    let at = if head.len() >= 9 && head[..9].eq_ignore_ascii_case("<!doctype") {
        head.find('>').map_or(0, |i| start + i + 1)
    } else {
        0
    };
    let mut out = String::with_capacity(html.len() + meta.len());
    out.push_str(&html[..at]);
    out.push_str(&meta);
    out.push_str(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn only_files_inside_the_folder_are_allowed() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("a b")).unwrap();
        std::fs::write(site.join("a b/style.css"), "").unwrap();
        std::fs::write(tmp.path().join("secret"), "").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), site.join("link")).unwrap();
        let folder = Folder::new(&site).unwrap();
        let url = |rel: &str| format!("file://{}/{rel}", site.display());
        assert!(folder.allows(&url("a%20b/style.css")));
        assert!(folder.allows(&url("a%20b/style.css?x#y")));
        assert!(folder.allows(&file_url(&site.join("a b/style.css"))));
        let odd = tmp.path().join("odd %41#?");
        std::fs::create_dir_all(&odd).unwrap();
        std::fs::write(odd.join("x.css"), "").unwrap();
        let odd_url = file_url(&odd.join("x.css"));
        assert!(odd_url.ends_with("/odd%20%2541%23%3F/x.css"), "{odd_url}");
        assert!(Folder::new(&odd).unwrap().allows(&odd_url));
        for refused in [
            url("../secret"),
            url("%2e%2e/secret"),
            url("a%20b/%2E%2E/../secret"),
            url("link"),
            url("missing.css"),
            url("a%00b"),
            format!("file://{}", site.display()),
            format!("file://localhost{}/a%20b/style.css", site.display()),
            "file:///etc/passwd".into(),
            "http://127.0.0.1:8000/".into(),
            "data:text/plain,x".into(),
        ] {
            assert!(!folder.allows(&refused), "{refused}");
        }
    }

    #[test]
    fn the_policy_comes_before_anything_the_template_wrote() {
        let meta = format!(r#"<meta http-equiv="Content-Security-Policy" content="{POLICY}">"#);
        assert_eq!(
            with_policy("\n<!DOCTYPE html><script>x</script>"),
            format!("\n<!DOCTYPE html>{meta}<script>x</script>")
        );
        assert_eq!(
            with_policy("<script>x</script><!doctype html>"),
            format!("{meta}<script>x</script><!doctype html>")
        );
    }
}
