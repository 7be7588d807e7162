//! A spreadsheet source (CSV or XLSX, read by [`crate::sheet`]) as a document: its header is
//! paragraph 0 and data row N is paragraph N (anchored `pN`), each row's text its cells with
//! their headers (`Year: 2015; Revenue ($ million): 147.8`), so that `briefing paragraphs`, a
//! quote and the page verifier read a row as the build numbers it; the table itself is kept for
//! the source page and for citations of a cell (`row` and `column`, see cite::cell).

use crate::diag::Problem;
use crate::model::{Document, Paragraph, SourceTable, TableRow};
use crate::sheet::{self, Kind, Table};

/// Read the spreadsheet `bytes` of `kind` (`path` as the page names it, `shown` in messages);
/// `sheet` chooses a workbook's sheet, and `locate` reports a wrong choice at the line naming it.
pub fn read(
    kind: Kind,
    path: &str,
    shown: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    locate: &dyn Fn(String) -> Problem,
) -> Result<Document, Problem> {
    match sheet::read(kind, bytes, sheet) {
        Ok(table) if table.header.is_empty() => Err(Problem::file(
            shown,
            "the spreadsheet has no text in any cell: a spreadsheet source needs a header row",
        )),
        Ok(table) => Ok(sheet_document(path, table)),
        Err(sheet::Error::File(message)) => Err(Problem::file(shown, message)),
        Err(sheet::Error::Sheet(message)) => Err(locate(format!("`{shown}`: {message}"))),
    }
}

/// The document of a table read from `path`.
pub fn sheet_document(path: &str, table: Table) -> Document {
    let paragraph = |n: usize| Paragraph {
        n,
        id: format!("p{n}"),
        text: table.row_text(n),
        page: None,
    };
    let paragraphs: Vec<Paragraph> = (0..=table.rows.len()).map(paragraph).collect();
    let title = if table.name.is_empty() {
        path.rsplit('/').next().unwrap_or(path).to_string()
    } else {
        table.name.clone()
    };
    let rows = table
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, cells)| TableRow {
            n: i + 1,
            id: format!("p{}", i + 1),
            cells,
        })
        .collect();
    Document {
        path: path.to_string(),
        title,
        paragraphs,
        pages: Vec::new(),
        lang: crate::lang::Lang::default(),
        lang_tag: "en".into(),
        table: Some(SourceTable {
            sheet: table.name,
            header: table.header,
            rows,
        }),
        kind: "",
    }
}
