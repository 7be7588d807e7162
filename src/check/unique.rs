//! Every id on a built page must be unique. The Markdown stage keeps its own ids apart (see
//! `crate::ids`), but templates write ids it never sees: a template's `id="main"` and a page's
//! `## Main` both make `id="main"`. Each duplicate is blamed on the template line that writes
//! it, when one does.

use super::{Blame, Scan};
use crate::diag::Problem;
use crate::ids::duplicates;
use crate::render::template_name;

/// One problem for each id that occurs more than once on the page `scan` read.
pub(super) fn duplicate_ids(blame: &Blame, scan: &Scan) -> Vec<Problem> {
    let found = duplicates(scan.id_list.iter().map(String::as_str));
    if found.is_empty() {
        return Vec::new();
    }
    // Which of them the page's Markdown gives out, for a hint at the cause.
    let markdown = blame
        .page
        .and_then(|page| crate::render::markdown(blame.site, page).ok());
    found
        .into_iter()
        .map(|id| {
            let count = scan.id_list.iter().filter(|i| *i == id).count();
            let mut message = format!(
                "id `{id}` is on the page {count} times: every id on a page must be unique"
            );
            let from_markdown = markdown.as_ref().is_some_and(|md| {
                md.toc.iter().any(|h| h.id == id) || md.html.contains(&format!("id=\"{id}\""))
            });
            if let (true, Some(page)) = (from_markdown, blame.page) {
                message.push_str(&format!(
                    "; {} gives it too (a heading's id can be set with `{{#other-id}}`)",
                    page.file
                ));
            }
            match writer(blame, &format!("id=\"{id}\"")) {
                Some((name, line, text)) => Problem::at_line(
                    format!("templates/{name}"),
                    Some(text),
                    line,
                    format!("{message} (in {})", blame.file),
                ),
                None => blame.template(&message),
            }
        })
        .collect()
}

/// The template line holding `needle`: in the page's own template or one it extends, nearest
/// first, else in any template (an include or a macro).
fn writer<'r>(blame: &Blame<'r>, needle: &str) -> Option<(&'r str, usize, &'r str)> {
    let renderer = blame.renderer;
    let own = blame.page.map(template_name);
    let mut chain: Vec<&str> = own.into_iter().collect();
    while chain.len() < 16 {
        let Some(&current) = chain.last() else {
            break;
        };
        let Some((name, line, text)) = renderer.locate(Some(current), "{% extends") else {
            break;
        };
        let parent = text
            .lines()
            .nth(line - 1)
            .and_then(|l| l.split(['"', '\'']).nth(1));
        match parent {
            Some(parent) if name == current && !chain.contains(&parent) => chain.push(parent),
            _ => break,
        }
    }
    chain
        .iter()
        .find_map(|t| {
            renderer
                .locate(Some(t), needle)
                .filter(|(name, ..)| name == t)
        })
        .or_else(|| renderer.locate(own, needle))
}
