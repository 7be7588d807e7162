//! Where the quotes of citations went after their source was re-issued or re-wrapped: for each
//! citation whose `para` (and `page`) no longer holds its quote, the one paragraph that does, as
//! changes `briefing fix` writes into the front matter; a quote found nowhere, or in several
//! paragraphs, is a problem at the quote, as the build reports it.

use std::collections::HashMap;

use super::anchor::{self, Citation};
use crate::diag::Problem;
use crate::model::{Document, Page};
use crate::spans::problem_at_value;

/// One value of a citation to rewrite: `key` (`para` or `page`) of the citation at `path` in
/// the page `file`, from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub file: String,
    pub path: String,
    pub key: &'static str,
    pub from: i64,
    pub to: i64,
}

/// Every change that puts each citation of `pages` back on the paragraph holding its quote,
/// and the citations that cannot be placed. Pages must have their documents loaded.
pub fn moved(pages: &[Page]) -> (Vec<Move>, Vec<Problem>) {
    let sources: HashMap<&str, (&Document, Vec<String>)> = pages
        .iter()
        .filter_map(|p| {
            let doc = p.document.as_ref()?;
            Some((p.rel.as_str(), (doc, anchor::normalized(doc))))
        })
        .collect();
    let mut moves = Vec::new();
    let mut problems = Vec::new();
    for page in pages {
        for c in anchor::citations(&page.meta.extra) {
            match place(&c, &sources) {
                Ok(changes) => moves.extend(changes.into_iter().map(|(key, from, to)| Move {
                    file: page.file.clone(),
                    path: c.path.clone(),
                    key,
                    from,
                    to,
                })),
                Err(message) => {
                    let at = format!("{}.quote", c.path);
                    problems.push(problem_at_value(&page.file, &page.front, &at, message));
                }
            }
        }
    }
    (moves, problems)
}

type Changes = Vec<(&'static str, i64, i64)>;

/// The changes one citation needs (none when its paragraph holds its quote, or when it names no
/// paragraph and its words find one), or why it cannot be placed.
fn place(
    c: &Citation,
    sources: &HashMap<&str, (&Document, Vec<String>)>,
) -> Result<Changes, String> {
    let text = |key: &str| c.table.get(key).and_then(|v| v.as_str());
    let int = |key: &str| c.table.get(key).and_then(|v| v.as_integer());
    let (quote, path) = (text("quote").unwrap_or_default(), &c.path);
    let source = text("source").unwrap_or_default();
    let Some((doc, texts)) = sources.get(source) else {
        return Err(format!(
            "citation `{path}` names source `{source}`, which presents no document: fix cannot place it"
        ));
    };
    let (page, para) = (int("page"), int("para"));
    if let Some(para) = para
        && anchor::named(doc, page, para)
            .is_some_and(|p| super::normalize(&p.text).contains(&super::normalize(quote)))
    {
        return Ok(Vec::new());
    }
    // A PDF citation's `page` moves with its quote: look in the whole document.
    let within = if para.is_some() { None } else { page };
    let found = anchor::holding_among(doc, texts, quote, within);
    let one = match found.as_slice() {
        [one] => *one,
        [] => {
            return Err(format!(
                "quote in `{path}` is in no paragraph of `{}`: fix cannot place it (correct the quote)",
                doc.path
            ));
        }
        several => {
            return Err(format!(
                "quote in `{path}` is in {} of `{}`: fix cannot choose (lengthen the quote, or set `para`)",
                anchor::list(several),
                doc.path
            ));
        }
    };
    let mut changes = Vec::new();
    let to_page = one.page.and_then(|p| i64::try_from(p).ok());
    if let (Some(from), Some(to)) = (page, to_page)
        && from != to
    {
        changes.push(("page", from, to));
    }
    let to = i64::try_from(one.n).unwrap_or_default();
    if let Some(from) = para.filter(|&from| from != to) {
        changes.push(("para", from, to));
    }
    Ok(changes)
}
