//! Problems in a user's files, located by file, line and column, and printed the way a
//! compiler would: `file:line:col: message`, then the offending line with a caret under it.
//!
//! Everything briefing prints about a site passes [`shown`] on its way out ([`format_error`],
//! [`warn`]): a site's text and file names are a stranger's, and a terminal obeys control
//! characters, so they are shown escaped, never sent.

use std::borrow::Cow;
use std::fmt;

/// One problem in one file. `line` and `col` are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Path relative to the site root, e.g. `content/model.md`.
    pub file: String,
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub message: String,
    /// The source line the problem points at, shown under the message.
    pub snippet: Option<String>,
}

impl Problem {
    /// A problem with the whole file (no position).
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            line: None,
            col: None,
            message: message.into(),
            snippet: None,
        }
    }

    /// A problem at a byte offset in `text`, the contents of `file`; `line_base` is added to the
    /// line number (for text that starts part-way through the file, like a Markdown body).
    pub fn at_offset(
        file: impl Into<String>,
        text: &str,
        offset: usize,
        line_base: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, col) = line_col(text, offset);
        let snippet = text.lines().nth(line - 1).map(str::to_owned);
        Problem {
            file: file.into(),
            line: Some(line + line_base),
            col: Some(col),
            message: message.into(),
            snippet,
        }
    }

    /// A problem at a 1-based line of the file, with that line shown when `text` is given.
    pub fn at_line(
        file: impl Into<String>,
        text: Option<&str>,
        line: usize,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.into(),
            line: Some(line),
            col: None,
            message: message.into(),
            snippet: text.and_then(|t| t.lines().nth(line.saturating_sub(1)).map(str::to_owned)),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A file name is one line whatever it holds: a line break in it is shown as `\n`.
        write!(f, "{}", inline(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        // A message is one line; any further lines of it (a name with a line break in it, a
        // library's long explanation) are indented, so that only a problem starts a line.
        write!(f, ": ")?;
        for (i, part) in self.message.trim_end().split('\n').enumerate() {
            if i > 0 {
                write!(f, "\n   ")?;
            }
            write!(f, "{part}")?;
        }
        if let Some(snippet) = &self.snippet {
            let line = self.line.unwrap_or(0);
            let gutter = line.to_string().len();
            write!(f, "\n {line} | {snippet}")?;
            if let Some(col) = self.col {
                // As wide as the characters before the column will be once shown.
                let pad: String = snippet
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(|c| match c {
                        '\t' => "\t".to_string(),
                        c => " ".repeat(escaped(c).map_or(1, |e| e.chars().count())),
                    })
                    .collect();
                write!(f, "\n {:gutter$} | {pad}^", "")?;
            }
        }
        Ok(())
    }
}

/// Every problem found in one run; an error in its own right so that `?` carries them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.0 {
            writeln!(f, "{p}")?;
        }
        let n = self.0.len();
        write!(f, "{n} problem{} found", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Problems {}

/// Turn a list of problems into `Ok(())` when empty, or an error carrying all of them.
pub fn into_result(mut problems: Vec<Problem>) -> Result<(), Problems> {
    if problems.is_empty() {
        Ok(())
    } else {
        problems.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
        problems.dedup();
        Err(Problems(problems))
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// The 1-based line on which `needle` first occurs in `text`, if it does.
pub fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|at| line_col(text, at).0)
}

/// The candidate closest to `name`, when it is close enough to be a likely misspelling: at most
/// one edit for short names, two for longer ones. Ties go to the first candidate.
pub fn did_you_mean<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = if name.chars().count() <= 4 { 1 } else { 2 };
    closest_within(name, candidates, limit)
}

/// The candidate at most `limit` edits from `name`, the closest first.
pub fn closest_within<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    limit: usize,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .filter(|c| *c != name && c.len().abs_diff(name.len()) <= limit * 4)
        .filter(|c| c.chars().count().abs_diff(name.chars().count()) <= limit)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `did_you_mean` as the end of a message: ` (did you mean `x`?)`, or nothing.
pub fn suggestion<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    did_you_mean(name, candidates).map_or(String::new(), |c| format!("; did you mean `{c}`?"))
}

/// [`suggestion`] for a file name that may name a file since renamed rather than misspelt: a
/// close name; else the one candidate whose name holds every word of the missing one's
/// (`letter.txt` → `northwind-letter-2024.txt`); else the one candidate of the same type (the
/// same extension), when there is only one. `candidates` should leave out files other settings
/// already name.
pub fn renamed_suggestion<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    let candidates: Vec<&str> = candidates.into_iter().filter(|c| *c != name).collect();
    if let Some(c) = did_you_mean(name, candidates.iter().copied()) {
        return format!("; did you mean `{c}`?");
    }
    let (stem, ext) = stem_and_extension(name);
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let wanted = words(stem);
    let same_type: Vec<&str> = candidates
        .into_iter()
        .filter(|c| stem_and_extension(c).1.eq_ignore_ascii_case(ext))
        .collect();
    let holding: Vec<&str> = same_type
        .iter()
        .copied()
        .filter(|c| {
            let have = words(stem_and_extension(c).0);
            !wanted.is_empty() && wanted.iter().all(|w| have.contains(w))
        })
        .collect();
    match (holding.as_slice(), same_type.as_slice()) {
        ([one], _) | ([], [one]) => format!("; did you mean `{one}`?"),
        _ => String::new(),
    }
}

/// The file name of a path without its extension, and the extension (`sources/a.txt` →
/// `a`, `txt`).
fn stem_and_extension(path: &str) -> (&str, &str) {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.rsplit_once('.').unwrap_or((file, ""))
}

/// Levenshtein distance over characters, with a swap of two neighbours counted as one edit.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    edit_table(&a, &b, true)[a.len()][b.len()]
}

/// The edit-distance table of two sequences (characters, words): entry `[i][j]` is the distance
/// between the first `i` items of `a` and the first `j` of `b`. With `swaps`, two neighbours
/// swapped count as one edit.
pub fn edit_table<T: PartialEq>(a: &[T], b: &[T], swaps: bool) -> Vec<Vec<usize>> {
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    rows[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if swaps && i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// An error chain as printed to the terminal: located problems as they are, others as
/// `error: outer: inner`, any further lines indented (only briefing starts a line); all of it
/// [`shown`].
pub fn format_error(err: &anyhow::Error) -> String {
    if let Some(problems) = err.downcast_ref::<Problems>() {
        return shown(&format!("error: {problems}")).into_owned();
    }
    let chain: Vec<String> = err.chain().map(ToString::to_string).collect();
    let text = format!("error: {}", chain.join(": "));
    shown(&text.trim_end().replace('\n', "\n   ")).into_owned()
}

/// Print `warning: MESSAGE` to stderr, [`shown`], further lines indented.
pub fn warn(message: impl fmt::Display) {
    let text = message.to_string();
    eprintln!(
        "warning: {}",
        shown(&text.trim_end().replace('\n', "\n   "))
    );
}

/// Text as it may reach a terminal: every control character but the line break and the tab
/// (C0, DEL, C1: escape sequences, carriage returns, backspaces) and every character that
/// reorders or hides text (bidirectional controls, zero-width characters, line separators) is
/// written as an escape, `\x1b` or `\u{202e}`; the rest is unchanged. Backslashes are not
/// doubled, so showing twice changes nothing.
pub fn shown(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| escaped(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match escaped(c) {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Input quoted inside a message (a file name, a quote): [`shown`], and on one line, its line
/// breaks written `\n`, so that it cannot start a line that looks like briefing's own.
pub fn inline(text: &str) -> String {
    shown(text).replace('\n', "\\n")
}

/// How [`shown`] writes `c`, if it is not written as itself.
fn escaped(c: char) -> Option<String> {
    match c {
        '\n' | '\t' => None,
        '\0'..='\x1f' | '\x7f' => Some(format!("\\x{:02x}", c as u32)),
        '\u{80}'..='\u{9f}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2069}'
        | '\u{feff}' => Some(format!("\\u{{{:x}}}", c as u32)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renamed_file_is_suggested() {
        let files = ["sources/northwind-letter-2024.txt", "sources/notes.md"];
        assert_eq!(
            renamed_suggestion("sources/leter.txt", ["sources/letter.txt"]),
            "; did you mean `sources/letter.txt`?"
        );
        assert_eq!(
            renamed_suggestion("sources/letter.txt", files),
            "; did you mean `sources/northwind-letter-2024.txt`?"
        );
        assert_eq!(
            renamed_suggestion("source.md", ["northwind.md"]),
            "; did you mean `northwind.md`?"
        );
        assert_eq!(renamed_suggestion("source.md", ["a.md", "b.md"]), "");
        assert_eq!(
            renamed_suggestion("letter.txt", ["a.txt", "old-letter.txt", "c.txt"]),
            "; did you mean `old-letter.txt`?"
        );
        assert_eq!(renamed_suggestion("letter.txt", ["letter.pdf.bak"]), "");
    }

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let text = "a\n’bc\nd";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        assert_eq!(line_col(text, 5), (2, 2));
        assert_eq!(line_col(text, text.len()), (3, 2));
    }

    #[test]
    fn display_shows_position_line_and_caret() {
        let p = Problem::at_offset("content/a.md", "title = 1\nx = = 2\n", 14, 0, "bad");
        assert_eq!(
            p.to_string(),
            "content/a.md:2:5: bad\n 2 | x = = 2\n   |     ^"
        );
    }

    #[test]
    fn close_names_are_suggested() {
        assert_eq!(
            did_you_mean("lable", ["value", "label", "unit"]),
            Some("label")
        );
        assert_eq!(did_you_mean("sorce", ["source", "para"]), Some("source"));
        assert_eq!(did_you_mean("colour", ["title", "weight"]), None);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(
            suggestion("pagee.html", ["page.html"]),
            "; did you mean `page.html`?"
        );
    }

    #[test]
    fn further_lines_of_a_message_are_indented() {
        let p = Problem::at_line("t.html", None, 2, "extends `a\nb`, which is missing");
        assert_eq!(
            p.to_string(),
            "t.html:2: extends `a\n   b`, which is missing"
        );
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(shown("plain\n\ttext"), "plain\n\ttext");
        assert_eq!(
            shown("a\u{1b}[2J\r\u{7f}\u{9b}\u{202e}b"),
            "a\\x1b[2J\\x0d\\x7f\\u{9b}\\u{202e}b"
        );
        assert_eq!(shown(&shown("\u{1b}")), "\\x1b");
        let p = Problem::at_offset("a\nb.md", "x\u{1b}y", 2, 0, "bad");
        assert_eq!(
            format_error(&Problems(vec![p]).into()),
            "error: a\\nb.md:1:3: bad\n 1 | x\\x1by\n   |      ^\n1 problem found"
        );
    }

    #[test]
    fn problems_are_sorted_and_counted() {
        let err = into_result(vec![
            Problem::file("b.md", "two"),
            Problem::file("a.md", "one"),
        ])
        .unwrap_err();
        assert_eq!(err.to_string(), "a.md: one\nb.md: two\n2 problems found");
    }
}
