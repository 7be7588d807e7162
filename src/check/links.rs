//! Resolve the references found in built pages: relative paths against the output, fragments
//! against the ids of their target, and (with `--external`) outside URLs over HTTP, fetched by
//! the system's curl (see `curl`).

use std::collections::{HashMap, HashSet};

use super::Scan;
use super::curl::{self, Method};
use crate::diag::Problem;

pub fn is_external(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// Fetch every external URL once, with curl (HEAD, then GET for those whose HEAD fails); each
/// failure is reported where it was linked. Without a usable curl there is one problem saying so.
pub fn check_external(links: Vec<(String, Problem)>) -> Vec<Problem> {
    let mut unique: Vec<String> = links.iter().map(|(u, _)| u.clone()).collect();
    unique.sort_unstable();
    unique.dedup();
    let mut failures: HashMap<String, String> = HashMap::new();
    let mut fetched: Vec<(String, String)> = Vec::new();
    for url in unique {
        let full = if url.starts_with("//") {
            format!("https:{url}")
        } else {
            url.to_string()
        };
        let full = full.split('#').next().unwrap_or_default().to_string();
        // A URL is passed to curl only when it is one token of plain text.
        if full.chars().any(|c| c.is_whitespace() || c.is_control()) {
            failures.insert(url, "the URL holds a space or a control character".into());
        } else {
            fetched.push((url, full));
        }
    }
    // Whether curl is there is asked only when there is something to fetch.
    let fetch = || curl::usable().and_then(|()| fetch_all(&fetched));
    match if fetched.is_empty() {
        Ok(Vec::new())
    } else {
        fetch()
    } {
        Ok(more) => failures.extend(more),
        Err(why) => return vec![Problem::file("curl", why)],
    }
    links
        .into_iter()
        .filter_map(|(url, mut problem)| {
            let why = failures.get(url.as_str())?;
            problem.message = format!("{}: external link failed: {why}", problem.message);
            Some(problem)
        })
        .collect()
}

/// HEAD every URL, then GET those whose HEAD failed (servers that refuse HEAD, with 405 say):
/// the failures of the GET, by link.
fn fetch_all(urls: &[(String, String)]) -> Result<Vec<(String, String)>, String> {
    let full: Vec<String> = urls.iter().map(|(_, f)| f.clone()).collect();
    let head = curl::fetch(&full, Method::Head)?;
    let again: Vec<usize> = (0..urls.len()).filter(|&i| head[i].is_some()).collect();
    if again.is_empty() {
        return Ok(Vec::new());
    }
    let retry: Vec<String> = again.iter().map(|&i| full[i].clone()).collect();
    let get = curl::fetch(&retry, Method::Get)?;
    Ok(again
        .into_iter()
        .zip(get)
        .filter_map(|(i, why)| Some((urls[i].0.clone(), why?)))
        .collect())
}

/// Why a reference from `file` does not resolve, against the files of the output and the ids of
/// the scanned pages.
pub fn check_ref(
    file: &str,
    value: &str,
    files: &HashSet<&str>,
    scans: &HashMap<String, Scan>,
) -> Option<String> {
    crate::verify::links::check_ref(file, value, &|f| files.contains(f), &|target, id| {
        scans.get(target).map(|s| s.ids.contains(id))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::scan::css_urls;
    use crate::verify::links::resolve;

    /// A URL with a space or control character in it is a problem of its own, never given to
    /// curl (so this needs no curl: nothing else is fetched).
    #[test]
    fn urls_that_are_not_one_token_are_refused_unfetched() {
        let links = ["http://x/a b", "http://x/a\nurl = \"file:///etc/passwd\""].map(|u| {
            (
                u.to_string(),
                Problem::file("content/a.md", format!("link `{u}`")),
            )
        });
        let problems = check_external(links.to_vec());
        assert_eq!(problems.len(), 2, "{problems:?}");
        for p in problems {
            assert!(
                p.message.ends_with(
                    "external link failed: the URL holds a space or a control character"
                ),
                "{p}"
            );
        }
    }

    #[test]
    fn references_resolve_relative_to_their_file() {
        assert_eq!(
            resolve("a/b/index.html", "../../style.css").as_deref(),
            Some("style.css")
        );
        assert_eq!(resolve("index.html", "../x"), None);
        let files: HashSet<&str> = ["index.html", "a/index.html", "style.css"].into();
        let mut scans = HashMap::new();
        scans.insert(
            "a/index.html".to_string(),
            Scan {
                ids: ["p1".to_string()].into(),
                ..Scan::default()
            },
        );
        assert_eq!(
            check_ref("index.html", "a/index.html#p1", &files, &scans),
            None
        );
        for (href, expected) in [
            ("a/index.html#p9", "p9"),
            ("a/", "folder"),
            ("/a/index.html", "root-absolute"),
            ("b.css", "no file"),
        ] {
            let problem = check_ref("index.html", href, &files, &scans).unwrap();
            assert!(problem.contains(expected), "{href}: {problem}");
        }
        assert_eq!(
            check_ref("index.html", "https://example.com/x", &files, &scans),
            None
        );
        assert_eq!(
            css_urls("a{background:url('i.png')} b{x:url(data:abc)}"),
            ["i.png"]
        );
    }
}
