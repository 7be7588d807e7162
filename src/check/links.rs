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

/// Why a reference from `file` does not resolve, or `None` when it does (or is external).
pub fn check_ref(
    file: &str,
    value: &str,
    files: &HashSet<&str>,
    scans: &HashMap<String, Scan>,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return Some("empty link".into());
    }
    let lower = value.to_ascii_lowercase();
    if ["http:", "https:", "mailto:", "tel:", "data:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return None;
    }
    if lower.starts_with("javascript:") {
        return Some("javascript: links need JavaScript; link to a page instead".into());
    }
    if value.starts_with("//") {
        return None;
    }
    if value.starts_with('/') {
        return Some(
            "root-absolute link: it breaks file:// and subpath hosting; link relatively".into(),
        );
    }
    let (path, fragment) = match value.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (value, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        file.to_string()
    } else {
        match resolve(file, &percent_decode(path)) {
            Some(t) => t,
            None => return Some("points outside the site".into()),
        }
    };
    if !files.contains(target.as_str()) {
        let as_folder = format!("{}/index.html", target.trim_end_matches('/'));
        if target.is_empty() || target.ends_with('/') || files.contains(as_folder.as_str()) {
            return Some(format!(
                "links to a folder; from disk a browser will not open its index.html: link to `{}index.html`",
                if path.ends_with('/') {
                    path.to_string()
                } else {
                    format!("{path}/")
                }
            ));
        }
        return Some(format!("no file `{target}` in the output"));
    }
    match (fragment, scans.get(&target)) {
        (Some(id), Some(scan)) if !id.is_empty() && !scan.ids.contains(&percent_decode(id)) => {
            Some(format!("no element with id `{id}` in `{target}`"))
        }
        _ => None,
    }
}

/// Resolve `path` relative to the folder of `file`; `None` if it climbs out of the site.
fn resolve(file: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::scan::css_urls;

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
