//! Read each page's source document from inside the site: the one place a page names a file
//! by a path it writes itself (`document = "..."`), so the one a hostile repository would aim
//! outside the site with an absolute path, `..` or a symbolic link.

use anyhow::Result;

use super::read_source;
use crate::diag::{Problem, find_line, renamed_suggestion};
use crate::fsx::{self, Refused, SiteRoot};
use crate::lang::Lang;
use crate::model::Page;
use crate::spans::problem_at_value;

/// Load the source document of every page that presents one (`document = "..."`, a path under
/// `content/`). Only a regular file inside `content/`, reached without a symbolic link, is read
/// (see [`SiteRoot`]); a missing one is reported with what it was likely misspelt as or renamed
/// to, from the names of its folder in the site, never anything outside.
pub fn load_documents(root: &SiteRoot, pages: &mut [Page]) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    // What a missing document may have been renamed to is a file no other page presents.
    let named: Vec<String> = pages
        .iter()
        .filter_map(|p| p.meta.document.clone())
        .collect();
    for page in pages.iter_mut() {
        let Some(doc) = page.meta.document.clone() else {
            continue;
        };
        let line = find_line(&page.front, "\ndocument").map_or(1, |l| l + 1);
        let at = |message: String| Problem::at_line(&page.file, Some(&page.front), line, message);
        if !fsx::plain_relative(&doc) {
            problems.push(at(format!(
                "document `{doc}` is not a path inside `content/`: name it relative to `content/`, without a leading `/`, `..` or `\\` (briefing reads nothing outside the site)"
            )));
            continue;
        }
        if let Err(message) = super::SourceKind::of(&doc) {
            problems.push(at(format!("document {message}")));
            continue;
        }
        let shown = format!("content/{doc}");
        let sheet = source_sheet(page, &doc, &mut problems);
        let at_sheet = |message: String| problem_at_value(&page.file, &page.front, SHEET, message);
        let read = root.read(&shown, |bytes| {
            read_source(&doc, &shown, bytes, sheet.as_deref(), &at_sheet)
        });
        match read {
            Ok(Ok(mut document)) => {
                // A language we cannot read is reported; the document is still there for
                // the citations naming it, read in its page's language.
                let (lang, tag) = source_language(page).unwrap_or_else(|problem| {
                    problems.push(problem);
                    (page.lang, page.lang_tag.clone())
                });
                (document.lang, document.lang_tag) = (lang, tag);
                page.document = Some(document);
            }
            Ok(Err(mut problem)) => {
                // The file is at fault; the page naming it is where it entered the briefing.
                problem.message += &format!(" (the document of {}:{line})", page.file);
                problems.push(problem);
            }
            Err(Refused::Missing) => {
                let found = siblings(root, &doc);
                let unnamed = found.iter().filter(|f| !named.contains(f));
                let hint = renamed_suggestion(&doc, unnamed.map(String::as_str));
                problems.push(at(format!("document `{shown}` does not exist{hint}")));
            }
            Err(refused) => {
                let problem = refused.problem(&shown)?;
                problems.push(at(format!("document {}", problem.message)));
            }
        }
    }
    Ok(problems)
}

/// Where a page chooses the sheet of its spreadsheet source.
const SHEET: &str = "extra.source.sheet";

/// The sheet a page chooses for its source (`[extra.source] sheet`), which only a spreadsheet
/// has: naming one for another kind of document is a problem at its line.
fn source_sheet(page: &Page, doc: &str, problems: &mut Vec<Problem>) -> Option<String> {
    let source = page.meta.extra.get("source")?;
    let sheet = source.get("sheet").and_then(|s| s.as_str())?;
    if !super::document::is_spreadsheet(doc) {
        let message = format!(
            "`sheet = \"{sheet}\"` chooses a sheet of a spreadsheet, but `{doc}` is not one (a `.csv` or `.xlsx` file): remove `sheet`"
        );
        problems.push(problem_at_value(&page.file, &page.front, SHEET, message));
        return None;
    }
    Some(sheet.to_string())
}

/// The language a page's source document is read in: `[extra.source] language` (a tag or a
/// language's name), else the page's own.
fn source_language(page: &Page) -> Result<(Lang, String), Problem> {
    let written = page
        .meta
        .extra
        .get("source")
        .and_then(|s| s.get("language"));
    match written.and_then(|l| l.as_str()) {
        // Not text: the schema reports it.
        None => Ok((page.lang, page.lang_tag.clone())),
        Some(text) => crate::lang::setting(text).ok_or_else(|| {
            let at = "extra.source.language";
            problem_at_value(&page.file, &page.front, at, crate::lang::unknown(text))
        }),
    }
}

/// The names in the folder of the document `doc` (under `content/`), written as `doc` would
/// name them: what a missing document may have meant. Only a folder inside the site is listed.
fn siblings(root: &SiteRoot, doc: &str) -> Vec<String> {
    let dir = doc.rsplit_once('/').map(|(dir, _)| dir);
    let folder = dir.map_or("content".to_string(), |dir| format!("content/{dir}"));
    let Ok(Some(folder)) = root.dir(&folder) else {
        return Vec::new();
    };
    std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            match dir {
                Some(dir) => format!("{dir}/{name}"),
                None => name,
            }
        })
        .collect()
}
