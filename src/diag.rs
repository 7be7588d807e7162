//! Problems in a user's files, located by file, line and column, and printed the way a
//! compiler would: `file:line:col: message`, then the offending line with a caret under it.

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
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(snippet) = &self.snippet {
            let line = self.line.unwrap_or(0);
            let gutter = line.to_string().len();
            write!(f, "\n {line} | {snippet}")?;
            if let Some(col) = self.col {
                let pad: String = snippet
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
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

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// An error chain as printed to the terminal: located problems as they are, others as
/// `error: outer: inner`.
pub fn format_error(err: &anyhow::Error) -> String {
    if let Some(problems) = err.downcast_ref::<Problems>() {
        return format!("error: {problems}");
    }
    let chain: Vec<String> = err.chain().map(ToString::to_string).collect();
    format!("error: {}", chain.join(": "))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn problems_are_sorted_and_counted() {
        let err = into_result(vec![
            Problem::file("b.md", "two"),
            Problem::file("a.md", "one"),
        ])
        .unwrap_err();
        assert_eq!(err.to_string(), "a.md: one\nb.md: two\n2 problems found");
    }
}
