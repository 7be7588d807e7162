//! Citations of a spreadsheet's cell: `row` (data rows from 1 below the header) and `column`
//! (its header's text) instead of a quote. The cell must hold a figure; what the figure means
//! comes from its header, read by the claims reader (`147.8` under “Revenue ($ million)” is
//! `$147.8 million`, [`claims::written_figure`]), and the period from its row's first cell (a
//! year, `FY2024`, `Q4 2024`) as a heading gives one. A metric citing it is compared with that
//! claim as with a quote's (cite::metric).

use super::Ctx;
use crate::claims::{self, Claim};
use crate::model::{Document, Paragraph, SourceTable};

/// Whether a citation names a cell rather than a quote.
pub fn is_cell(table: &toml::Table) -> bool {
    table.contains_key("row") || table.contains_key("column")
}

/// Whether `item` (a metric or a series value) cites a cell that could not be found: its
/// citation's problem is reported, and there is nothing to compare the figure with.
pub fn unresolved(item: &toml::Table) -> bool {
    let cite = item.get("cite").and_then(|c| c.as_table());
    cite.is_some_and(|c| is_cell(c) && !c.contains_key("url"))
}

impl Ctx<'_> {
    /// The row a cell citation names, its cell checked; the cell's text becomes the citation's
    /// `quote` and its row its `para`, for templates.
    pub(super) fn cell<'d>(
        &mut self,
        table: &mut toml::Table,
        doc: &'d Document,
        source: &str,
        path: &str,
    ) -> Option<&'d Paragraph> {
        let Some(sheet) = &doc.table else {
            let message = format!(
                "citation `{path}` names a cell (`row`, `column`), but `{source}` presents `{}`, which is not a spreadsheet: cite its words with `quote`",
                doc.path
            );
            self.at_key(&format!("{path}.column"), message);
            return None;
        };
        let row = table.get("row")?.clone();
        let name = table.get("column").and_then(|c| c.as_str())?;
        let (n, col) = self.find_cell(sheet, doc, path, &row, name)?;
        let row = shown(&row);
        let cell = &sheet.rows[n - 1].cells[col];
        let at_row = format!("{path}.row");
        if cell.is_empty() {
            let message = format!(
                "citation `{path}`: row {row} of `{}` has no value under `{name}`",
                doc.path
            );
            self.at_value(&at_row, message);
            return None;
        }
        if !claims::read(cell, doc.lang).iter().any(|c| c.is_figure()) {
            let message = format!(
                "citation `{path}`: the cell at row {row} under `{name}` of `{}` is “{}”, which is not a figure",
                doc.path,
                crate::diag::inline(cell)
            );
            self.at_value(&at_row, message);
            return None;
        }
        table.insert("quote".into(), toml::Value::String(cell.clone()));
        table.insert("para".into(), toml::Value::Integer(n as i64));
        doc.paragraphs.get(n)
    }

    /// The row (from 1) and column index a cell citation names, or a problem at the key.
    fn find_cell(
        &mut self,
        sheet: &SourceTable,
        doc: &Document,
        path: &str,
        row: &toml::Value,
        name: &str,
    ) -> Option<(usize, usize)> {
        let col = match crate::sheet::column(&sheet.header, name) {
            Ok(col) => col,
            Err(why) => {
                let message = format!("citation `{path}`: `{}` {why}", doc.path);
                self.at_value(&format!("{path}.column"), message);
                return None;
            }
        };
        let n = match row_number(sheet, row) {
            Ok(n) => n,
            Err(why) => {
                let message = format!(
                    "citation `{path}` names row {} of `{}`, which {why}",
                    shown(row),
                    doc.path
                );
                self.at_value(&format!("{path}.row"), message);
                return None;
            }
        };
        Some((n, col))
    }
}

/// The first cell of data row `row` (from 1) and the header of column `col`, as one text.
pub fn row_context(sheet: &SourceTable, row: usize, col: usize) -> String {
    let label = sheet.rows[row - 1].cells.first().filter(|_| col > 0);
    let label = label.map_or("", String::as_str);
    format!("{label} {}", sheet.header[col]).trim().to_string()
}

/// The data row (from 1) a citation's `row` names: its number, or the text of its first cell
/// (`row = "FY2023"`); or why there is none.
fn row_number(sheet: &SourceTable, row: &toml::Value) -> Result<usize, String> {
    match row {
        toml::Value::String(label) => {
            let labels = sheet
                .rows
                .iter()
                .map(|r| r.cells.first().map_or("", String::as_str));
            crate::sheet::row_by_label(labels, label)
        }
        row => {
            let row = row.as_integer().unwrap_or(0);
            usize::try_from(row)
                .ok()
                .filter(|n| (1..=sheet.rows.len()).contains(n))
                .ok_or_else(|| {
                    format!(
                        "has rows 1 to {} (data rows, counted from 1 below the header)",
                        sheet.rows.len()
                    )
                })
        }
    }
}

/// A `row` as a message shows it: `3`, or `“FY2023”`.
fn shown(row: &toml::Value) -> String {
    match row {
        toml::Value::String(label) => format!("“{label}”"),
        row => row.to_string(),
    }
}

/// What a resolved cell citation `cite` says, as a quote would: the cell written with its
/// header's unit (`$147.8 million`), its claims, dated by its row's first cell, and its context.
pub fn claims_of(doc: &Document, cite: &toml::Table) -> Option<Said> {
    let sheet = doc.table.as_ref()?;
    let row = row_number(sheet, cite.get("row")?).ok()?;
    let col = crate::sheet::column(&sheet.header, cite.get("column")?.as_str()?).ok()?;
    let cells = &sheet.rows.get(row.checked_sub(1)?)?.cells;
    let text = claims::written_figure(&cells[col], &sheet.header[col], doc.lang);
    let mut said = claims::read(&text, doc.lang);
    if col > 0 {
        let label = std::iter::once(cells[0].as_str());
        claims::Context::before(label, doc.lang).date(&mut said);
    }
    let context = row_context(sheet, row, col);
    Some(Said {
        text,
        said,
        context,
    })
}

/// What a cell says: its figure written with its header's unit, the claims of that, and the
/// words around the cell that say what kind of figure it is (its row's first cell and its
/// column's header, `2025 forecast`, `Revenue guidance ($ million)`). A cell is a forecast
/// exactly when these words look ahead, as a quote is when its words do.
pub struct Said {
    pub text: String,
    pub said: Vec<Claim>,
    pub context: String,
}
