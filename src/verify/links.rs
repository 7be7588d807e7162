//! Resolve the references of a finished page: relative paths against the output's files,
//! fragments against the ids of their target. Used by `build` (a broken internal link or anchor
//! never reaches a reader) and by `check`.

/// Whether a reference leaves the site (another scheme, or another host), so no file of the
/// output answers it.
pub fn is_outside(value: &str) -> bool {
    let value = value.trim();
    // Every scheme starts with a letter: a path (`../x.html`) or an anchor needs no comparison.
    match value.as_bytes().first() {
        Some(b) if b.is_ascii_alphabetic() => {}
        Some(b'/') => return value.starts_with("//"),
        _ => return false,
    }
    ["http:", "https:", "mailto:", "tel:", "data:", "javascript:"]
        .iter()
        .any(|s| {
            value
                .get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s))
        })
        || value.starts_with("//")
}

/// Why a reference from `file` does not resolve, or `None` when it does (or is external).
pub fn check_ref(
    file: &str,
    value: &str,
    files: &dyn Fn(&str) -> bool,
    has_id: &dyn Fn(&str, &str) -> Option<bool>,
) -> Option<String> {
    let value = value.trim();
    if let Some(verdict) = by_form(value) {
        return verdict;
    }
    let (path, fragment) = match memchr::memchr(b'#', value.as_bytes()) {
        Some(at) => (&value[..at], Some(&value[at + 1..])),
        None => (value, None),
    };
    let path = memchr::memchr(b'?', path.as_bytes()).map_or(path, |at| &path[..at]);
    let target = if path.is_empty() {
        file.to_string()
    } else {
        let decoded = if path.contains('%') {
            percent_decode(path).into()
        } else {
            std::borrow::Cow::Borrowed(path)
        };
        match resolve(file, &decoded) {
            Some(t) => t,
            None => return Some("points outside the site".into()),
        }
    };
    if !files(target.as_str()) {
        return Some(missing(&target, path, files));
    }
    match fragment {
        Some(id) if !id.is_empty() && has_id(&target, &decode_if_needed(id)) == Some(false) => {
            Some(format!("no element with id `{id}` in `{target}`"))
        }
        _ => None,
    }
}

/// The verdict on a reference told by its form alone: empty, external (fine), `javascript:`,
/// or root-absolute; `None` for a relative reference, which must be resolved.
fn by_form(value: &str) -> Option<Option<String>> {
    if value.is_empty() {
        return Some(Some("empty link".into()));
    }
    let starts = |prefix: &str| {
        value
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    if ["http:", "https:", "mailto:", "tel:", "data:"]
        .iter()
        .any(|s| starts(s))
        || value.starts_with("//")
    {
        return Some(None);
    }
    if starts("javascript:") {
        return Some(Some(
            "javascript: links need JavaScript; link to a page instead".into(),
        ));
    }
    if value.starts_with('/') {
        return Some(Some(
            "root-absolute link: it breaks file:// and subpath hosting; link relatively".into(),
        ));
    }
    None
}

/// Why `target` (written `path`), which is no file of the output, does not resolve: a folder
/// (whose index.html a browser will not open from disk), or nothing.
fn missing(target: &str, path: &str, files: &dyn Fn(&str) -> bool) -> String {
    let as_folder = format!("{}/index.html", target.trim_end_matches('/'));
    if target.is_empty() || target.ends_with('/') || files(as_folder.as_str()) {
        let folder = if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        };
        return format!(
            "links to a folder; from disk a browser will not open its index.html: link to `{folder}index.html`"
        );
    }
    format!("no file `{target}` in the output")
}

/// The page a build resolves many references from: where the folders of its URL end, found once.
pub struct Base<'a> {
    file: &'a str,
    /// Where the first [`DEPTH`] folders end (on the stack: one page, one `Base`); a deeper page
    /// has none, and its references go the full way.
    slashes: [usize; DEPTH],
    depth: usize,
}

const DEPTH: usize = 16;

impl<'a> Base<'a> {
    pub fn new(file: &'a str) -> Base<'a> {
        let mut base = Base {
            file,
            slashes: [0; DEPTH],
            depth: 0,
        };
        for (at, _) in file.bytes().enumerate().filter(|&(_, b)| b == b'/') {
            if base.depth == DEPTH {
                base.depth = usize::MAX;
                break;
            }
            base.slashes[base.depth] = at;
            base.depth += 1;
        }
        base
    }

    /// The common reference, a relative path after any `../`, joined as written to the folder
    /// it climbs to, into `out`; `false` if nothing follows the climb or it climbs out of the
    /// site. The join is what the full way resolves whenever it names a file of a set of
    /// [`is_normal`] paths: a fragment, query, escape, scheme, space around the value, or a `.`,
    /// `..` or empty segment left in the join keeps it out of such a set, so a miss goes the
    /// full way.
    pub fn plain(&self, value: &str, out: &mut String) -> bool {
        if self.depth > DEPTH {
            return false;
        }
        let mut rest = value.as_bytes();
        let mut k = self.depth;
        let mut end = if k > 0 { self.slashes[k - 1] } else { 0 };
        while let Some(r) = rest.strip_prefix(b"../") {
            if end == 0 {
                return false;
            }
            k -= 1;
            end = if k > 0 { self.slashes[k - 1] } else { 0 };
            rest = r;
        }
        if rest.is_empty() {
            return false;
        }
        out.clear();
        if end > 0 {
            out.push_str(&self.file[..end]);
            out.push('/');
        }
        out.push_str(&value[value.len() - rest.len()..]);
        true
    }
}

/// Whether a site-relative path is normal: no `.`, `..` or empty segment (so no leading,
/// trailing or doubled `/`), none with space around it, and no `#`, `?`, `%` or `:`. The files
/// of a build's output are.
pub fn is_normal(path: &str) -> bool {
    if !path.is_ascii() {
        return path.split('/').all(normal_segment);
    }
    // One pass over the bytes, a segment's ends checked at each `/` (every output path is
    // checked once a build, so this is kept cheap).
    let bytes = path.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'#' | b'?' | b'%' | b':' => return false,
            b'/' => {
                if !normal_ascii_segment(&bytes[start..i]) {
                    return false;
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    normal_ascii_segment(&bytes[start..])
}

/// [`normal_segment`] for an ASCII segment already known to hold none of `# ? % :`.
fn normal_ascii_segment(seg: &[u8]) -> bool {
    // ASCII white space as `str::trim` sees it: tab to carriage return, and space.
    let space = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
    match seg {
        [] | [b'.'] | [b'.', b'.'] => false,
        [first, .., last] => !space(first) && !space(last),
        [only] => !space(only),
    }
}

fn normal_segment(seg: &str) -> bool {
    !seg.is_empty()
        && seg != "."
        && seg != ".."
        && seg.trim() == seg
        && !seg.contains(['#', '?', '%', ':'])
}

/// Resolve `path` relative to the folder of `file`; `None` if it climbs out of the site.
pub fn resolve(file: &str, path: &str) -> Option<String> {
    let mut out = String::with_capacity(file.len() + path.len());
    resolve_into(file, path, &mut out).then_some(out)
}

/// [`resolve`] into `out` (cleared first), so a caller can reuse one buffer; `false` if the path
/// climbs out of the site.
pub fn resolve_into(file: &str, path: &str, out: &mut String) -> bool {
    out.clear();
    let folder = memchr::memrchr(b'/', file.as_bytes()).map_or(0, |at| at);
    // The common shape, `../../x/index.html`: climbs, then names that need no resolving, so the
    // result is a prefix of the file's folder and the rest as written.
    let mut rest = path;
    let mut end = folder;
    while let Some(r) = rest.strip_prefix("../") {
        if end == 0 {
            return false;
        }
        end = memchr::memrchr(b'/', &file.as_bytes()[..end]).unwrap_or(0);
        rest = r;
    }
    if is_simple(rest) {
        if end > 0 {
            out.push_str(&file[..end]);
            out.push('/');
        }
        out.push_str(rest);
        return true;
    }
    // Anything else segment by segment: the file's folder, then each segment of the path.
    out.push_str(&file[..folder]);
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.is_empty() {
                    return false;
                }
                out.truncate(memchr::memrchr(b'/', out.as_bytes()).unwrap_or(0));
            }
            s => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(s);
            }
        }
    }
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    true
}

/// Whether every segment of a relative path is a plain name: none empty, none starting with `.`
/// (so neither `.` nor `..`), no leading or trailing `/`.
fn is_simple(path: &str) -> bool {
    let b = path.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    if matches!(first, b'.' | b'/') || last == b'/' {
        return false;
    }
    let mut previous = first;
    for &c in &b[1..] {
        if previous == b'/' && matches!(c, b'/' | b'.') {
            return false;
        }
        previous = c;
    }
    true
}

fn decode_if_needed(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('%') {
        percent_decode(s).into()
    } else {
        s.into()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths_as_a_browser_does() {
        let cases = [
            (
                "blog/post/index.html",
                "../../index.html",
                Some("index.html"),
            ),
            (
                "blog/post/index.html",
                "../other/index.html",
                Some("blog/other/index.html"),
            ),
            ("blog/post/index.html", "pic.png", Some("blog/post/pic.png")),
            ("blog/post/index.html", "../../../index.html", None),
            ("index.html", "../index.html", None),
            ("index.html", "blog/index.html", Some("blog/index.html")),
            ("index.html", "", Some("")),
            (
                "blog/post/index.html",
                "./a/./b.html",
                Some("blog/post/a/b.html"),
            ),
            (
                "blog/post/index.html",
                "a/../b.html",
                Some("blog/post/b.html"),
            ),
            (
                "blog/post/index.html",
                "a//b.html",
                Some("blog/post/a/b.html"),
            ),
            ("blog/post/index.html", "../", Some("blog/")),
            ("blog/post/index.html", "../../", Some("")),
            ("blog/post/index.html", "sub/", Some("blog/post/sub/")),
            (
                "blog/post/index.html",
                "../.well-known/x",
                Some("blog/.well-known/x"),
            ),
            ("blog/post/index.html", "..", Some("blog")),
            ("blog/post/index.html", "x/..", Some("blog/post")),
            ("a/index.html", "../../x.html", None),
            ("a/index.html", "../b/../../x.html", None),
        ];
        let mut out = String::from("left over");
        for (file, path, want) in cases {
            let ok = resolve_into(file, path, &mut out);
            assert_eq!(ok.then_some(out.as_str()), want, "{path} from {file}");
            // The quick way answers only what it may: a normal path, as the full way has it.
            if Base::new(file).plain(path, &mut out) && is_normal(&out) {
                assert_eq!(Some(out.as_str()), want, "{path} from {file}, quickly");
            }
        }
        let deep = "a/".repeat(DEPTH + 1) + "index.html";
        assert!(!Base::new(&deep).plain("x.html", &mut out));
        let deep = "a/".repeat(DEPTH) + "index.html";
        assert!(Base::new(&deep).plain("../x.html", &mut out));
        assert_eq!(out, "a/".repeat(DEPTH - 1) + "x.html");
        let quick = |file, path| {
            let mut out = String::new();
            Base::new(file).plain(path, &mut out).then_some(out)
        };
        assert_eq!(
            quick("a/b/index.html", "../../c/index.html").unwrap(),
            "c/index.html"
        );
        assert_eq!(quick("a/b/index.html", "../c.css").unwrap(), "a/c.css");
        assert_eq!(quick("index.html", "x/y.png").unwrap(), "x/y.png");
        for path in ["../", "../../../x"] {
            assert_eq!(quick("a/b/index.html", path), None, "{path}");
        }
        // Joined as written: not normal, so never found among the files.
        for path in [
            "x.html#a", "x?q", "x%20y", "mailto:x", " x", "x ", "x/", "./x", "a//b", "a/../b",
            "/x", " ../x", "../ x",
        ] {
            assert!(
                !is_normal(&quick("a/b/index.html", path).unwrap()),
                "{path}"
            );
        }
        assert!(!is_normal(&quick("index.html", "/x").unwrap()));
        assert!(is_normal("a/.well-known/x") && is_normal("index.html"));
        // The byte loop for ASCII paths agrees with the rule stated segment by segment.
        let parts = [
            "a", ".", "..", "", " ", "\t", "\u{b}", "x y", " x", "x ", "#", "%", "é", "b.c",
        ];
        for a in parts {
            for b in parts {
                for c in ["", "/", "//"] {
                    let path = format!("{a}{c}{b}");
                    let slow = path.split('/').all(normal_segment);
                    assert_eq!(is_normal(&path), slow, "{path:?}");
                }
            }
        }
        for path in [
            "", "a/", "/a", "a/./b", "a/../b", "a/ b", "a#b", "a?b", "a%20b", "c:/x",
        ] {
            assert!(!is_normal(path), "{path}");
        }
    }

    #[test]
    fn outside_means_another_scheme_or_host() {
        for v in [
            "https://x.org",
            " HTTP:x",
            "mailto:a@b",
            "//cdn.org/x.js",
            "data:,",
            "tel:1",
        ] {
            assert!(is_outside(v), "{v}");
        }
        for v in [
            "../x.html",
            "#top",
            "x.html",
            "/root.html",
            "",
            "httpx.html",
            "ftp:x",
        ] {
            assert!(!is_outside(v), "{v}");
        }
    }
}
