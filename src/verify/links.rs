//! Resolve the references of a finished page: relative paths against the output's files,
//! fragments against the ids of their target. Used by `build` (a broken internal link or anchor
//! never reaches a reader) and by `check`.

/// Whether a reference leaves the site (another scheme, or another host), so no file of the
/// output answers it.
pub fn is_outside(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    ["http:", "https:", "mailto:", "tel:", "data:", "javascript:"]
        .iter()
        .any(|s| lower.starts_with(s))
        || lower.starts_with("//")
}

/// Why a reference from `file` does not resolve, or `None` when it does (or is external).
pub fn check_ref(
    file: &str,
    value: &str,
    files: &dyn Fn(&str) -> bool,
    has_id: &dyn Fn(&str, &str) -> Option<bool>,
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
    if !files(target.as_str()) {
        let as_folder = format!("{}/index.html", target.trim_end_matches('/'));
        if target.is_empty() || target.ends_with('/') || files(as_folder.as_str()) {
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
    match fragment {
        Some(id) if !id.is_empty() && has_id(&target, &percent_decode(id)) == Some(false) => {
            Some(format!("no element with id `{id}` in `{target}`"))
        }
        _ => None,
    }
}

/// Resolve `path` relative to the folder of `file`; `None` if it climbs out of the site.
pub fn resolve(file: &str, path: &str) -> Option<String> {
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

pub fn percent_decode(s: &str) -> String {
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
