//! Link rewriting: `@/model.md#x` becomes the path from the current page to that content
//! file's output, and root-absolute `/notes/a/` a relative path that names a file. Also the
//! line and text of each link, for `check`.

use pulldown_cmark::CowStr;

use super::{UrlMap, Where};
use crate::diag::Problem;

/// The text of an inline link `[text](dest)` as written, from its source range.
pub(super) fn link_text(at: &Where, range: &std::ops::Range<usize>) -> String {
    let body = &at.text[at.body_start..];
    let written = body.get(range.clone()).unwrap_or_default();
    match (
        written
            .strip_prefix('[')
            .or_else(|| written.strip_prefix("![")),
        written.rfind("]("),
    ) {
        (Some(_), Some(end)) if end > 0 => {
            let start = if written.starts_with("![") { 2 } else { 1 };
            written[start..end].to_string()
        }
        _ => String::new(),
    }
}

/// Counts lines forward from the last position asked about, so finding the line of every link
/// in a body costs one pass over it, not one pass per link.
#[derive(Default)]
pub(super) struct Lines {
    offset: usize,
    line: usize,
}

impl Lines {
    pub(super) fn line_of(&mut self, at: &Where, offset: usize) -> usize {
        let end = (at.body_start + offset).min(at.text.len());
        if end < self.offset || self.line == 0 {
            self.offset = 0;
            self.line = 1;
        }
        let bytes = &at.text.as_bytes()[self.offset..end];
        self.line += bytes.iter().filter(|&&b| b == b'\n').count();
        self.offset = end;
        self.line
    }
}

/// Rewrite one link destination; unresolvable `@/` links become problems.
pub(super) fn rewrite_link<'a>(
    dest: CowStr<'a>,
    at: &Where,
    urls: &UrlMap,
    offset: usize,
    problems: &mut Vec<Problem>,
) -> CowStr<'a> {
    if let Some(target) = dest.strip_prefix("@/") {
        let (path, fragment) = split_fragment(target);
        return match urls.get(path) {
            Some(url) => format!("{}{url}{fragment}", at.root).into(),
            None => {
                problems.push(Problem::at_offset(
                    at.file,
                    at.text,
                    at.body_start + offset,
                    0,
                    format!("link to `@/{path}`, but there is no content file `content/{path}`"),
                ));
                dest
            }
        };
    }
    match root_relative(&dest, at.root) {
        Some(url) => url.into(),
        None => dest,
    }
}

/// `/a/b/#x` seen from a page whose root prefix is `root` -> `{root}a/b/index.html#x`.
/// Returns `None` for anything that is not root-absolute.
pub fn root_relative(dest: &str, root: &str) -> Option<String> {
    let path = dest.strip_prefix('/')?;
    if path.starts_with('/') {
        return None; // protocol-relative `//host/x`
    }
    let (path, fragment) = split_fragment(path);
    let last = &path[memchr::memrchr(b'/', path.as_bytes()).map_or(0, |i| i + 1)..];
    let index = if last.is_empty() {
        "index.html"
    } else if memchr::memchr(b'.', last.as_bytes()).is_none() {
        "/index.html"
    } else {
        ""
    };
    // Sized exactly: the link becomes a boxed string without reallocating.
    let mut url = String::with_capacity(root.len() + path.len() + index.len() + fragment.len());
    url.push_str(root);
    url.push_str(path);
    url.push_str(index);
    url.push_str(fragment);
    Some(url)
}

fn split_fragment(s: &str) -> (&str, &str) {
    match memchr::memchr2(b'#', b'?', s.as_bytes()) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}
