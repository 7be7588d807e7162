//! Where a key of a page's front matter is written: `extra.metrics[1].cite.quote` → the byte
//! offset of that key in the file, so a problem with one value points at its own line, even when
//! the same text appears twice. The TOML is parsed again with spans only when a problem needs
//! locating, so good builds never pay for it.

use toml::de::{DeTable, DeValue};

use crate::diag::Problem;

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// Split `extra.metrics[1].cite` into its steps.
fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        while let Some((index, after)) = rest.split_once(']') {
            if let Ok(i) = index.parse() {
                out.push(Step::Index(i));
            }
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    out
}

/// The byte offset in `toml` (front matter without its `+++` lines) of the key at `path`, or of
/// the deepest part of the path that exists; `None` if the TOML does not parse or nothing of the
/// path is there.
pub fn key_offset(toml: &str, path: &str) -> Option<usize> {
    let root = DeTable::parse(toml).ok()?;
    let mut table: &DeTable = root.get_ref();
    let mut value: Option<&DeValue> = None;
    let mut best: Option<usize> = None;
    for step in steps(path) {
        match (step, value) {
            (Step::Key(k), None | Some(DeValue::Table(_))) => {
                if let Some(DeValue::Table(t)) = value {
                    table = t;
                }
                let Some((key, v)) = table.get_key_value(k) else {
                    return best;
                };
                best = Some(key.span().start);
                value = Some(v.get_ref());
            }
            (Step::Index(i), Some(DeValue::Array(items))) => {
                let Some(item) = items.get(i) else {
                    return best;
                };
                if let DeValue::Table(t) = item.get_ref() {
                    // An item of an array of tables: its first key stands for it.
                    if let Some(first) = t.keys().min_by_key(|k| k.span().start) {
                        best = Some(first.span().start);
                    }
                } else {
                    best = Some(item.span().start);
                }
                value = Some(item.get_ref());
            }
            _ => return best,
        }
    }
    best
}

/// The byte offset in `toml` where the value at `path` starts (a quote's text, say).
pub fn value_offset(toml: &str, path: &str) -> Option<usize> {
    value_span(toml, path).map(|span| span.start)
}

/// The bytes of `toml` the value at `path` is written in (`12` of `para = 12`): what
/// `briefing fix` replaces, leaving every other byte of the file as it was.
pub fn value_span(toml: &str, path: &str) -> Option<std::ops::Range<usize>> {
    let root = DeTable::parse(toml).ok()?;
    // A top-level key (`language`) has no parent.
    let (parent, last) = path.rsplit_once('.').unwrap_or(("", path));
    let table: &DeTable = root.get_ref();
    let mut current: Option<&DeValue> = None;
    for step in steps(parent).into_iter().filter(|_| !parent.is_empty()) {
        let next = match (step, current) {
            (Step::Key(k), None) => table.get(k)?.get_ref(),
            (Step::Key(k), Some(DeValue::Table(t))) => t.get(k)?.get_ref(),
            (Step::Index(i), Some(DeValue::Array(items))) => items.get(i)?.get_ref(),
            _ => return None,
        };
        current = Some(next);
    }
    let table = match current {
        None => table,
        Some(DeValue::Table(t)) => t,
        _ => return None,
    };
    table.get(last).map(|v| v.span())
}

/// A problem at the key `path` of the front matter `front` (with its `+++` lines) of `file`,
/// with line, column and the line itself; at line 1 when the key cannot be found.
pub fn problem_at_key(file: &str, front: &str, path: &str, message: String) -> Problem {
    let (start, toml) = toml_of(front);
    match key_offset(toml, path) {
        Some(offset) => Problem::at_offset(file, front, start + offset, 0, message),
        None => Problem::at_line(file, Some(front), 1, message),
    }
}

/// Like [`problem_at_key`], pointing at the key's value (the text of a quote).
pub fn problem_at_value(file: &str, front: &str, path: &str, message: String) -> Problem {
    let (start, toml) = toml_of(front);
    match value_offset(toml, path) {
        Some(offset) => Problem::at_offset(file, front, start + offset, 0, message),
        None => problem_at_key(file, front, path, message),
    }
}

/// The TOML inside front matter, and its byte offset.
fn toml_of(front: &str) -> (usize, &str) {
    let start = front.find('\n').map_or(front.len(), |i| i + 1);
    let body = front[start..].trim_end_matches('\n');
    let end = body.rfind('\n').map_or(start, |i| start + i + 1);
    (start, &front[start..end.max(start)])
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = "title = 'T'\n[[extra.metrics]]\nvalue = '1'\n[extra.metrics.cite]\nquote = 'same'\n[[extra.metrics]]\nvalue = '2'\nlable = 'x'\n[extra.metrics.cite]\nquote = 'same'\n";

    fn line(offset: Option<usize>) -> usize {
        TOML[..offset.unwrap()].matches('\n').count() + 1
    }

    #[test]
    fn keys_are_found_by_path_even_when_values_repeat() {
        assert_eq!(line(key_offset(TOML, "extra.metrics[0].cite.quote")), 5);
        assert_eq!(line(key_offset(TOML, "extra.metrics[1].cite.quote")), 10);
        assert_eq!(line(key_offset(TOML, "extra.metrics[1].lable")), 8);
        assert_eq!(line(value_offset(TOML, "extra.metrics[1].cite.quote")), 10);
    }

    #[test]
    fn problems_point_into_the_whole_file() {
        let front = format!("+++\n{TOML}+++\n");
        let p = problem_at_key(
            "content/m.md",
            &front,
            "extra.metrics[1].lable",
            "bad".into(),
        );
        assert_eq!((p.line, p.col), (Some(9), Some(1)));
        assert_eq!(p.snippet.as_deref(), Some("lable = 'x'"));
        let p = problem_at_value(
            "content/m.md",
            &front,
            "extra.metrics[1].cite.quote",
            "q".into(),
        );
        assert_eq!((p.line, p.col), (Some(11), Some(9)));
    }

    #[test]
    fn a_missing_key_points_at_the_deepest_part_that_exists() {
        assert_eq!(line(key_offset(TOML, "extra.metrics[1].unit")), 7);
        assert_eq!(key_offset("not = = toml", "a"), None);
        assert_eq!(
            steps("a.b[2][3].c"),
            [
                Step::Key("a"),
                Step::Key("b"),
                Step::Index(2),
                Step::Index(3),
                Step::Key("c")
            ]
        );
    }
}
