//! Lines joined into a paragraph's text, undoing what typesetting did to words: ligature
//! characters unfolded, soft hyphens dropped, and words hyphenated across a line end joined
//! again, while a compound's own hyphen (`long-term`) stays. The rule for a hyphen-minus at a
//! line end is in docs/FORMAT.md ("PDF sources") and at [`join`].

use rustc_hash::FxHashSet;

/// What the whole document says about its hyphens, gathered before any line is joined.
#[derive(Debug, Default)]
pub(super) struct Compounds {
    /// Hyphenated words written within a line (lowercase, without surrounding punctuation).
    seen: FxHashSet<String>,
    /// Whether the typesetter marks the breaks it makes (a soft hyphen anywhere, or a U+2010
    /// hyphen at a line end): then a hyphen-minus at a line end is the text's own.
    marks_breaks: bool,
}

impl Compounds {
    pub(super) fn of<'a>(lines: impl Iterator<Item = &'a str>) -> Compounds {
        let mut c = Compounds::default();
        for line in lines {
            let line = line.trim_end();
            c.marks_breaks |= line.contains('\u{ad}') || line.ends_with('\u{2010}');
            let mut words = line.split_whitespace().peekable();
            while let Some(word) = words.next() {
                // The last word of a line may end in a break, not a compound.
                let last = words.peek().is_none();
                let word = bare(word);
                if word.contains('-') && !(last && word.ends_with('-')) {
                    c.seen.insert(word.to_lowercase());
                }
            }
        }
        c
    }
}

/// A word without the punctuation around it (quotes, brackets, commas, a full stop).
fn bare(word: &str) -> &str {
    word.trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '-')
}

/// Append a line to a paragraph:
/// - after a line ending in a soft hyphen or in the U+2010 hyphen that typesetters draw where
///   they broke a word, the next line follows without the hyphen;
/// - after a line ending in a hyphen-minus that follows a letter, where the next line starts
///   with a lowercase letter, the word was broken there and is joined without the hyphen
///   (`strat-` `egy` → `strategy`), unless the hyphen is the text's own: the document writes
///   the hyphenated word within a line elsewhere (`well-known`), the part before it already
///   has a hyphen (`state-of-` `the-art`) or is a single letter (`e-` `commerce`, which no
///   hyphenation rule leaves), or the typesetter marks its breaks otherwise (see
///   [`Compounds::marks_breaks`]);
/// - after any other hyphen-minus (`COVID-` `19`, `pre-` `IPO`) it stays and no space is added;
/// - otherwise the lines are joined with a space.
pub(super) fn join(paragraph: &mut String, line: &str, compounds: &Compounds) {
    let line = line.trim();
    let trimmed = paragraph.trim_end();
    if trimmed.ends_with(['\u{2010}', '\u{ad}']) {
        let keep = trimmed.trim_end_matches(['\u{2010}', '\u{ad}']).len();
        paragraph.truncate(keep);
    } else if paragraph.is_empty() {
    } else if let Some(left) = trimmed.strip_suffix('-') {
        let len = if broken_word(left, line, compounds) {
            left.len()
        } else {
            trimmed.len()
        };
        paragraph.truncate(len);
    } else {
        paragraph.truncate(trimmed.len());
        paragraph.push(' ');
    }
    paragraph.push_str(line);
}

/// Whether a line ending in `left` + `-`, followed by `next`, broke a word at that hyphen.
fn broken_word(left: &str, next: &str, compounds: &Compounds) -> bool {
    let left = bare(left.rsplit(char::is_whitespace).next().unwrap_or(""));
    let right = bare(next.split_whitespace().next().unwrap_or(""));
    let letter_before = left.chars().next_back().is_some_and(char::is_alphabetic);
    let lower_after = right.chars().next().is_some_and(char::is_lowercase);
    if !letter_before || !lower_after || compounds.marks_breaks {
        return false;
    }
    let compound = format!("{left}-{right}").to_lowercase();
    !(left.contains('-') || left.chars().count() < 2 || compounds.seen.contains(&compound))
}

/// Unfold ligature characters, drop soft hyphens, and make runs of white space one space.
pub(super) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{ad}' => {}
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(lines: &[&str], document: &[&str]) -> String {
        let compounds = Compounds::of(document.iter().chain(lines).copied());
        let mut p = String::new();
        for line in lines {
            join(&mut p, line, &compounds);
        }
        tidy(&p)
    }

    #[test]
    fn typesetters_marked_breaks_are_joined() {
        assert_eq!(
            joined(
                &[
                    "con\u{ad}\u{2010}",
                    "sid\u{ad}er\u{ad}able",
                    "long-",
                    "term ﬁx"
                ],
                &[]
            ),
            "considerable long-term fix",
            "a document that marks its breaks keeps its own hyphens at line ends"
        );
    }

    #[test]
    fn a_hyphen_minus_at_a_line_end_joins_a_broken_word() {
        assert_eq!(
            joined(&["the strat-", "egy requires in-", "vestment."], &[]),
            "the strategy requires investment."
        );
    }

    #[test]
    fn a_compound_the_document_writes_within_a_line_keeps_its_hyphen() {
        let document = ["It is a “well-known” fact, and long-term too."];
        assert_eq!(
            joined(&["a well-", "known plan for the long-", "term."], &document),
            "a well-known plan for the long-term."
        );
        assert_eq!(
            joined(&["a well-", "known plan"], &[]),
            "a wellknown plan",
            "with nothing else to go on, the hyphen at a line end is a break"
        );
        assert_eq!(
            joined(&["a well-", "known plan"], &["a well-"]),
            "a wellknown plan",
            "a hyphen at another line's end is no evidence"
        );
    }

    #[test]
    fn other_hyphens_at_a_line_end_stay() {
        assert_eq!(
            joined(
                &[
                    "state-of-",
                    "the-art e-",
                    "commerce after COVID-",
                    "19 and pre-",
                    "IPO"
                ],
                &[]
            ),
            "state-of-the-art e-commerce after COVID-19 and pre-IPO"
        );
    }
}
