//! Quotation marks: the pairs that open and close a quotation in the languages briefing reads
//! (one table, [`PAIRS`]), the passages they enclose, and the comparison of quoted text with a
//! source, which forgives the style of the marks and nothing else. The table is printed in
//! docs/FORMAT.md, "Languages".

use crate::lang::Lang::{self, De, En, Es, Fr, Ja, Zh};

/// A pair of quotation marks.
#[derive(Debug, Clone, Copy)]
pub struct Pair {
    pub open: char,
    pub close: char,
    /// A double (primary) quotation, compared as `"`; a single one is compared as `'`.
    pub double: bool,
    /// The languages that write it (for the docs: every pair is read in every language, since a
    /// page may quote a source in another language).
    pub langs: &'static [Lang],
}

const fn pair(open: char, close: char, double: bool, langs: &'static [Lang]) -> Pair {
    Pair {
        open,
        close,
        double,
        langs,
    }
}

/// Every pair of quotation marks. Some marks serve two pairs: `“` opens in English and closes
/// German `„…“`; `»` closes French `«…»` and opens German `»…«`. Which one a mark is follows
/// from pairing (see [`quoted`]). The English single quotes `‘…’` are not here, because `’` is
/// also the apostrophe (`Ali’s`); German `‚…‘` is, because its opening mark is never an
/// apostrophe and `‘` closes only a `‚` that is open.
pub const PAIRS: [Pair; 10] = [
    pair('“', '”', true, &[En, Es, Zh, Ja, De]),
    pair('"', '"', true, &[En, De, Fr, Es, Zh, Ja]),
    pair('„', '“', true, &[De]),
    pair('‚', '‘', false, &[De]),
    pair('»', '«', true, &[De]),
    pair('›', '‹', false, &[De]),
    pair('«', '»', true, &[Fr, Es, De]),
    pair('‹', '›', false, &[Fr]),
    pair('「', '」', true, &[Zh, Ja]),
    pair('『', '』', false, &[Zh, Ja]),
];

/// Marks compared as the straight quotes of [`normalize`] that open or close no pair here:
/// the apostrophe and English single quotes, primes.
const SINGLE_MARKS: [char; 3] = ['‘', '’', '′'];
const DOUBLE_MARKS: [char; 1] = ['″'];

/// The straight quote a quotation mark is compared as, if `c` is one.
fn straight(c: char) -> Option<char> {
    // Most text is ASCII, where `"` is the only mark: no table to search.
    if c.is_ascii() {
        return (c == '"').then_some('"');
    }
    if SINGLE_MARKS.contains(&c) {
        return Some('\'');
    }
    if DOUBLE_MARKS.contains(&c) {
        return Some('"');
    }
    PAIRS
        .iter()
        .find(|p| p.open == c || p.close == c)
        .map(|p| if p.double { '"' } else { '\'' })
}

fn no_break_space(c: char) -> bool {
    matches!(c, '\u{a0}' | '\u{202f}')
}

/// Compare text the way quotes are checked: every quotation mark as a straight one (`„`, `«`,
/// `「` as `"`; `‚`, `’`, `『` as `'`), runs of white space as one space, and a no-break space
/// beside a quotation mark (French `« oui »`) as nothing. Nothing else is forgiven.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let mut prev_mark = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if no_break_space(c) && (prev_mark || chars.peek().is_some_and(|&n| straight(n).is_some()))
        {
            continue;
        }
        let mark = straight(c);
        prev_mark = mark.is_some();
        let c = mark.unwrap_or(c);
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// A passage in quotation marks, with the byte range of its text (inside the marks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quoted {
    pub start: usize,
    pub end: usize,
}

/// Passages of `text` between the marks of a pair of [`PAIRS`], nested ones too. A mark that
/// closes a pair that is open closes it (`“` after `„`, `»` after `«`); otherwise a mark that
/// opens a pair opens one. A pair opened again before it closes starts anew there, and pairs
/// opened inside a quotation that closes are dropped: an unmatched mark never swallows text.
pub fn quoted(text: &str) -> Vec<Quoted> {
    let mut out = Vec::new();
    // The pairs open, innermost last: (index in PAIRS, byte where the text starts).
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        if c.is_ascii() && c != '"' {
            continue;
        }
        if let Some(at) = open.iter().rposition(|&(p, _)| PAIRS[p].close == c) {
            out.push(Quoted {
                start: open[at].1,
                end: i,
            });
            open.truncate(at);
        } else if let Some(p) = PAIRS.iter().position(|p| p.open == c) {
            let start = i + c.len_utf8();
            match open.iter().position(|&(q, _)| q == p) {
                Some(at) => {
                    open.truncate(at + 1);
                    open[at].1 = start;
                }
                None => open.push((p, start)),
            }
        }
    }
    out.retain(|q| !text[q.start..q.end].trim().is_empty());
    out.sort_by_key(|q| q.start);
    out
}

/// A line of a quotation without its surrounding white space and quotation marks (a block
/// quotation may open its marks on its first line and close them on its last).
pub fn strip_marks(line: &str) -> &str {
    let opens = |c: char| PAIRS.iter().any(|p| p.open == c) || c.is_whitespace();
    let closes = |c: char| PAIRS.iter().any(|p| p.close == c) || c.is_whitespace();
    line.trim_start_matches(opens).trim_end_matches(closes)
}

/// Whether `quote` occurs in `passage` once both are normalised, allowing only the quote's first
/// letter to differ in case (a quotation may start a sentence).
pub fn verbatim_in(quote: &str, passage: &str) -> bool {
    verbatim_in_normalized(&normalize(quote), &normalize(passage))
}

/// [`verbatim_in`] for a quote and passage already normalised.
pub fn verbatim_in_normalized(quote: &str, passage: &str) -> bool {
    if quote.is_empty() {
        return false;
    }
    if passage.contains(quote) {
        return true;
    }
    let mut chars = quote.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    let flipped: String = if first.is_uppercase() {
        first.to_lowercase().chain(rest.chars()).collect()
    } else {
        first.to_uppercase().chain(rest.chars()).collect()
    };
    passage.contains(&flipped)
}

/// Where a quote that is in no one paragraph runs across a paragraph break: the index `i` in
/// `paragraphs` (in order) such that the quote starts in paragraph `i` and ends in paragraph
/// `i + 1`. The break may be quoted as a space or as nothing. Only a quote that failed is
/// looked for, so the paragraphs are normalised here.
pub fn crossing<'p>(quote: &str, paragraphs: impl IntoIterator<Item = &'p str>) -> Option<usize> {
    let quote = normalize(quote);
    let paragraphs: Vec<String> = paragraphs.into_iter().map(normalize).collect();
    if quote.is_empty() || paragraphs.iter().any(|p| verbatim_in_normalized(&quote, p)) {
        return None;
    }
    paragraphs.windows(2).position(|w| {
        [" ", ""].iter().any(|gap| {
            let joined = [w[0].as_str(), gap, w[1].as_str()].concat();
            verbatim_in_normalized(&quote, &joined)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        quoted(text).iter().map(|q| &text[q.start..q.end]).collect()
    }

    #[test]
    fn normalize_forgives_only_marks_and_space() {
        assert_eq!(
            normalize("called” caterpillar  development “,"),
            "called\" caterpillar development \","
        );
        assert_eq!(normalize("Ali’s\n innovation"), "Ali's innovation");
        assert_ne!(normalize("Alibaba"), normalize("alibaba"));
        assert_eq!(normalize("„Wir“ und ‚uns‘"), "\"Wir\" und 'uns'");
        assert_eq!(normalize("«\u{a0}Oui\u{202f}», dit-il"), "\"Oui\", dit-il");
        assert_eq!(normalize("le 3\u{a0}mai"), "le 3 mai");
        assert_eq!(normalize("「客户第一」『好』"), "\"客户第一\"'好'");
    }

    #[test]
    fn quotations_pair_their_marks() {
        let text = "He said “work for today” and \"invest\", Ali’s “open";
        assert_eq!(found(text), ["work for today", "invest"]);
    }

    #[test]
    fn every_language_pairs_its_own_marks() {
        assert_eq!(found("Er sagte „Wir wachsen“ und ging."), ["Wir wachsen"]);
        assert_eq!(
            found("Er sagte »Wir wachsen« und ‚ja‘."),
            ["Wir wachsen", "ja"]
        );
        assert_eq!(
            found("Il a dit « nous croissons » hier."),
            [" nous croissons "]
        );
        assert_eq!(
            found("Il a dit «\u{a0}oui\u{a0}» et ‹ non ›."),
            ["\u{a0}oui\u{a0}", " non "]
        );
        assert_eq!(
            found("他说「让天下没有难做的生意」。"),
            ["让天下没有难做的生意"]
        );
        assert_eq!(found("「外『内』外」"), ["外『内』外", "内"]);
        assert_eq!(
            found("Dijo «crecemos “mucho”» ayer."),
            ["crecemos “mucho”", "mucho"]
        );
    }

    #[test]
    fn german_single_quotes_are_told_from_apostrophes_by_pairing() {
        // `‘` closes only an open `‚`; `’` is never a mark that pairs.
        assert_eq!(found("Ali’s ‘best’ year"), Vec::<&str>::new());
        assert_eq!(found("Das ‚Prinzip‘ gilt, sagt’s."), ["Prinzip"]);
    }

    #[test]
    fn an_unmatched_mark_swallows_nothing() {
        assert_eq!(found("„offen und “zu”"), ["offen und "]);
        assert_eq!(found("« un « deux »"), [" deux "]);
    }

    #[test]
    fn block_quotation_lines_lose_their_marks() {
        assert_eq!(strip_marks("  „Wir wachsen,"), "Wir wachsen,");
        assert_eq!(strip_marks("sagte er.“ "), "sagte er.");
        assert_eq!(strip_marks("«\u{a0}oui\u{a0}»"), "oui");
        assert_eq!(strip_marks("「客户第一」"), "客户第一");
    }

    #[test]
    fn verbatim_allows_only_the_initial_capital() {
        let p = "we always work for today, invest for tomorrow";
        assert!(verbatim_in("work for today", p));
        assert!(verbatim_in("We always work", p));
        assert!(!verbatim_in("we always Work", p));
        assert!(!verbatim_in("work for tomorrow", p));
        assert!(!verbatim_in("", p));
    }

    #[test]
    fn the_docs_list_every_pair() {
        let docs = include_str!("../docs/FORMAT.md");
        for p in PAIRS {
            let row = format!("| `{}` | `{}` |", p.open, p.close);
            assert!(
                docs.contains(&row),
                "docs/FORMAT.md, Languages, lacks {row}"
            );
        }
    }

    #[test]
    fn a_quote_across_a_paragraph_break_is_found() {
        let paras = ["Title", "We grew. Sales rose.", "Costs fell. We hired."];
        assert_eq!(crossing("Sales rose. Costs fell.", paras), Some(1));
        assert_eq!(crossing("Sales rose.Costs fell", paras), Some(1));
        assert_eq!(crossing("Sales rose.", paras), None);
        assert_eq!(crossing("Sales fell. Costs rose.", paras), None);
    }
}
