//! Serve files from the output directory, and nothing outside it: traversal in any spelling is
//! refused, symlinks are followed only when they land inside the site, directories answer with
//! their `index.html`, and a missing file gets the site's own `404.html` with status 404.

use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::{Shared, live};

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file inside the site (canonical path).
    File(PathBuf),
    /// A directory asked for without its trailing slash: redirect to this relative location.
    Redirect(String),
    NotFound,
    /// A path that tries to leave the site, or cannot be a file name.
    Bad,
}

/// Answer a request for a file of the site.
pub async fn handle(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
    }
    // Read the generation before the directory: the page is then at least as new as the number
    // it carries, so the browser may reload once too often but never misses a reload.
    let generation = shared.status.borrow().generation;
    let Some(site) = shared.site() else {
        return not_found(None, uri.path(), generation).await;
    };
    match resolve(&site, uri.path()) {
        Resolved::File(path) => send(&path, StatusCode::OK, uri.path(), generation).await,
        Resolved::Redirect(to) => redirect(&to),
        Resolved::NotFound => not_found(Some(&site), uri.path(), generation).await,
        Resolved::Bad => (StatusCode::BAD_REQUEST, "bad request path\n").into_response(),
    }
}

/// Map a request path (as sent, percent-encoded) to a file inside `site`.
pub fn resolve(site: &Path, raw: &str) -> Resolved {
    let Some(parts) = decode(raw) else {
        return Resolved::Bad;
    };
    let Ok(site) = site.canonicalize() else {
        return Resolved::NotFound;
    };
    let mut path = site.clone();
    path.extend(&parts);
    let Some(real) = inside(&site, &path) else {
        return Resolved::NotFound;
    };
    if !real.is_dir() {
        return Resolved::File(real);
    }
    if !raw.ends_with('/') {
        let last = raw.rsplit('/').next().unwrap_or_default();
        return Resolved::Redirect(format!("{last}/"));
    }
    match inside(&site, &real.join("index.html")) {
        Some(index) if index.is_file() => Resolved::File(index),
        _ => Resolved::NotFound,
    }
}

/// The path's segments, or `None` when any of them could step outside the site: `..`, a
/// backslash, a NUL, or anything the OS would read as a root or drive, however it was encoded.
fn decode(raw: &str) -> Option<Vec<String>> {
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/').filter(|p| !p.is_empty() && *p != ".") {
        let mut components = Path::new(part).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(_)), None) => parts.push(part.to_string()),
            _ => return None,
        }
    }
    Some(parts)
}

/// The canonical form of `path` if it exists and, symlinks resolved, lies inside `site`.
fn inside(site: &Path, path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    real.starts_with(site).then_some(real)
}

async fn send(path: &Path, status: StatusCode, request_path: &str, generation: u64) -> Response {
    let Ok(bytes) = tokio::fs::read(path).await else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let mime = content_type(path);
    let body = if mime.starts_with("text/html") {
        live::inject(&String::from_utf8_lossy(&bytes), request_path, generation).into_bytes()
    } else {
        bytes
    };
    (status, [(header::CONTENT_TYPE, mime)], body).into_response()
}

/// The site's `404.html` with status 404, or a plain page when the site has none (or has not
/// built yet); either way with the reload script, so a fix shows up without a manual reload.
async fn not_found(site: Option<&Path>, request_path: &str, generation: u64) -> Response {
    if let Some(page) = site.and_then(|site| inside(site, &site.join("404.html"))) {
        return send(&page, StatusCode::NOT_FOUND, request_path, generation).await;
    }
    let text = match site {
        Some(_) => "No such page in the site.",
        None => "The site has not built yet: see the error in the terminal.",
    };
    let html = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>Not found</title>\
         <body><h1>Not found</h1><p>{text}</p></body>"
    );
    let html = live::inject(&html, request_path, generation);
    let mime = "text/html; charset=utf-8".to_string();
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, mime)], html).into_response()
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The MIME type from the extension; text types say they are UTF-8, which is what we write.
pub fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "svg" | "manifest+json"
        )
        || mime.suffix().is_some_and(|s| s == "xml" || s == "json");
    if textual {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// `t/site/` with a page, a directory and a secret beside the site.
    fn site() -> (tempfile::TempDir, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let site = t.path().join("site");
        fs::create_dir_all(site.join("a")).unwrap();
        fs::write(site.join("index.html"), "home").unwrap();
        fs::write(site.join("a/index.html"), "a").unwrap();
        fs::write(t.path().join("secret.txt"), "secret").unwrap();
        (t, site)
    }

    #[test]
    fn files_and_directories() {
        let (_t, site) = site();
        let real = site.canonicalize().unwrap();
        assert_eq!(resolve(&site, "/"), Resolved::File(real.join("index.html")));
        assert_eq!(
            resolve(&site, "/a/"),
            Resolved::File(real.join("a/index.html"))
        );
        assert_eq!(resolve(&site, "/a"), Resolved::Redirect("a/".into()));
        assert_eq!(
            resolve(&site, "/%61/"),
            Resolved::File(real.join("a/index.html"))
        );
        assert_eq!(resolve(&site, "/nope.html"), Resolved::NotFound);
    }

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        let (_t, site) = site();
        for path in [
            "/../secret.txt",
            "/a/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2e%2e%2fsecret.txt",
            "/..%2fsecret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%5csecret.txt",
            "/a%5c..%5c..%5csecret.txt",
            "/%00",
            "/%ff",
        ] {
            assert_eq!(resolve(&site, path), Resolved::Bad, "{path}");
        }
        // An absolute path in the request is read relative to the site.
        assert_eq!(resolve(&site, "//etc/passwd"), Resolved::NotFound);
        assert_eq!(resolve(&site, "/%2fetc%2fpasswd"), Resolved::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_must_stay_inside() {
        let (t, site) = site();
        std::os::unix::fs::symlink(t.path().join("secret.txt"), site.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(t.path(), site.join("up")).unwrap();
        std::os::unix::fs::symlink(site.join("index.html"), site.join("home.html")).unwrap();
        assert_eq!(resolve(&site, "/leak.txt"), Resolved::NotFound);
        assert_eq!(resolve(&site, "/up/secret.txt"), Resolved::NotFound);
        let real = site.canonicalize().unwrap();
        assert_eq!(
            resolve(&site, "/home.html"),
            Resolved::File(real.join("index.html"))
        );
    }

    #[test]
    fn text_types_say_utf8() {
        let ct = |p: &str| content_type(Path::new(p));
        assert_eq!(ct("a.html"), "text/html; charset=utf-8");
        assert_eq!(ct("a.css"), "text/css; charset=utf-8");
        assert!(
            ct("a.js").ends_with("javascript; charset=utf-8"),
            "{}",
            ct("a.js")
        );
        assert_eq!(ct("a.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(ct("a.json"), "application/json; charset=utf-8");
        assert_eq!(ct("a.png"), "image/png");
        assert_eq!(ct("a.woff2"), "font/woff2");
        assert_eq!(ct("README"), "application/octet-stream");
    }
}
