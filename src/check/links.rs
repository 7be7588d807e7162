//! Resolve the references found in built pages: relative paths against the output, fragments
//! against the ids of their target, and (with `--external`) outside URLs over HTTP.

use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

use super::Scan;
use crate::diag::Problem;

pub fn is_external(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// Fetch every external URL once (in parallel); each failure is reported where it was linked.
pub fn check_external(links: Vec<(String, Problem)>) -> Vec<Problem> {
    let mut unique: Vec<String> = links.iter().map(|(u, _)| u.clone()).collect();
    unique.sort_unstable();
    unique.dedup();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(15)))
        .http_status_as_error(false)
        .build()
        .into();
    let failures: HashMap<&str, String> = unique
        .par_iter()
        .map(String::as_str)
        .filter_map(|url| {
            let full = if url.starts_with("//") {
                format!("https:{url}")
            } else {
                url.to_string()
            };
            let full = full.split('#').next().unwrap_or_default().to_string();
            let status = match agent.head(&full).call() {
                Ok(r) if r.status().as_u16() < 400 => return None,
                Ok(_) => agent.get(&full).call().map(|r| r.status().as_u16()),
                Err(e) => Err(e),
            };
            match status {
                Ok(code) if code < 400 => None,
                Ok(code) => Some((url, format!("HTTP status {code}"))),
                Err(e) => Some((url, e.to_string())),
            }
        })
        .collect();
    links
        .into_iter()
        .filter_map(|(url, mut problem)| {
            let why = failures.get(url.as_str())?;
            problem.message = format!("{}: external link failed: {why}", problem.message);
            Some(problem)
        })
        .collect()
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
