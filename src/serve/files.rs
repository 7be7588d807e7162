//! Serve files of the in-memory site, and nothing else: traversal in any spelling is refused,
//! folders answer with their `index.html`, and a missing file gets the site's own `404.html`
//! with status 404.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use std::path::{Component, Path};
use std::sync::Arc;

use super::memory::MemSite;
use super::{Shared, live};

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the site, by its site-relative path.
    File(String),
    /// A folder asked for without its trailing slash: redirect to this relative location.
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
    // Read the generation before the site: the page is then at least as new as the number it
    // carries, so the browser may reload once too often but never misses a reload.
    let generation = shared.status.borrow().generation;
    // The whole request is answered from this one build, whatever is built meanwhile.
    let Some(site) = shared.site() else {
        return not_found(None, uri.path(), generation);
    };
    match resolve(&site, uri.path()) {
        Resolved::File(rel) => send(&site, &rel, StatusCode::OK, uri.path(), generation),
        Resolved::Redirect(to) => redirect(&to),
        Resolved::NotFound => not_found(Some(&site), uri.path(), generation),
        Resolved::Bad => (StatusCode::BAD_REQUEST, "bad request path\n").into_response(),
    }
}

/// Map a request path (as sent, percent-encoded) to a file of `site`.
pub fn resolve(site: &MemSite, raw: &str) -> Resolved {
    let Some(parts) = decode(raw) else {
        return Resolved::Bad;
    };
    let rel = parts.join("/");
    if site.file(&rel).is_some() {
        return Resolved::File(rel);
    }
    if !site.is_dir(&rel) {
        return Resolved::NotFound;
    }
    if !raw.ends_with('/') {
        let last = raw.rsplit('/').next().unwrap_or_default();
        return Resolved::Redirect(format!("{last}/"));
    }
    let index = if rel.is_empty() {
        "index.html".to_string()
    } else {
        [rel.as_str(), "/index.html"].concat()
    };
    match site.file(&index) {
        Some(_) => Resolved::File(index),
        None => Resolved::NotFound,
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

fn send(
    site: &MemSite,
    rel: &str,
    status: StatusCode,
    request_path: &str,
    generation: u64,
) -> Response {
    let Some(bytes) = site.file(rel) else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let mime = content_type(Path::new(rel));
    let body = if mime.starts_with("text/html") {
        Bytes::from(live::inject(
            &String::from_utf8_lossy(bytes),
            request_path,
            generation,
        ))
    } else {
        bytes.clone()
    };
    (status, [(header::CONTENT_TYPE, mime)], body).into_response()
}

/// The site's `404.html` with status 404, or a plain page when the site has none (or has not
/// built yet); either way with the reload script, so a fix shows up without a manual reload.
fn not_found(site: Option<&MemSite>, request_path: &str, generation: u64) -> Response {
    if let Some(site) = site.filter(|site| site.file("404.html").is_some()) {
        return send(
            site,
            "404.html",
            StatusCode::NOT_FOUND,
            request_path,
            generation,
        );
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

    /// A home page and a folder with a page.
    fn site() -> MemSite {
        MemSite::from_files([
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("a/b.css", "b"),
        ])
    }

    #[test]
    fn files_and_directories() {
        let site = site();
        let file = |rel: &str| Resolved::File(rel.into());
        assert_eq!(resolve(&site, "/"), file("index.html"));
        assert_eq!(resolve(&site, "/a/"), file("a/index.html"));
        assert_eq!(resolve(&site, "/a"), Resolved::Redirect("a/".into()));
        assert_eq!(resolve(&site, "/x/a"), Resolved::NotFound);
        assert_eq!(resolve(&site, "/%61/"), file("a/index.html"));
        assert_eq!(resolve(&site, "/a/b.css"), file("a/b.css"));
        assert_eq!(resolve(&site, "/a//./b.css"), file("a/b.css"));
        assert_eq!(resolve(&site, "/nope.html"), Resolved::NotFound);
    }

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        let site = site();
        for path in [
            "/../secret.txt",
            "/a/../../secret.txt",
            "/a/../index.html",
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
