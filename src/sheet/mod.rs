//! Spreadsheet sources: a CSV file or a sheet of an XLSX workbook, read into a table of text
//! cells under its header row, within fixed bounds (a spreadsheet is input a stranger may have
//! written). The header is the first row with text; data rows count from 1 below it, as
//! citations name them (`row = 3`), and a column is named by its header's text.

mod csv;
mod xlsx;

use crate::diag::suggestion;

/// At most this many cells in a table (a year of daily figures over 2,700 columns).
pub const MAX_CELLS: usize = 4_000_000;
/// At most this many columns (Excel's own limit).
pub const MAX_COLUMNS: usize = 16_384;
/// At most this many bytes of cell text in all (a CSV's own size is already capped).
pub const MAX_TEXT: usize = 64 << 20;

/// The kinds of spreadsheet read, by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Xlsx,
}

/// A sheet read: its name (an XLSX sheet's; empty for a CSV), header and data rows, every row
/// as wide as the widest.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Why a spreadsheet could not be read: the file itself, or the `sheet` asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    File(String),
    Sheet(String),
}

/// Read a spreadsheet of `kind` from its bytes; `sheet` chooses an XLSX workbook's sheet (the
/// first by default; a CSV has one, and naming one is an error).
pub fn read(kind: Kind, bytes: &[u8], sheet: Option<&str>) -> Result<Table, Error> {
    let grid = match kind {
        Kind::Csv => {
            if let Some(name) = sheet {
                return Err(Error::Sheet(format!(
                    "`sheet = \"{name}\"` names a sheet, but a CSV file has one table: remove `sheet`"
                )));
            }
            (String::new(), csv::read(bytes).map_err(Error::File)?)
        }
        Kind::Xlsx => xlsx::read(bytes, sheet)?,
    };
    let (rows, width) = (grid.1.len(), grid.1.iter().map(Vec::len).max().unwrap_or(0));
    // Every row is padded to the widest: a cell far right on a far row spans them all.
    if rows.saturating_mul(width) > MAX_CELLS {
        return Err(Error::File(format!(
            "the sheet spans {rows} rows and {width} columns, more than {MAX_CELLS} cells, over briefing's limit for a spreadsheet source"
        )));
    }
    Ok(Table::from_grid(grid.0, grid.1))
}

impl Table {
    /// The table of a grid of rows: the first row with text is the header; empty rows after
    /// the last with text are dropped, and every row is padded to the widest.
    fn from_grid(name: String, grid: Vec<Vec<String>>) -> Table {
        let filled = |r: &Vec<String>| r.iter().any(|c| !c.trim().is_empty());
        let start = grid.iter().position(filled).unwrap_or(grid.len());
        let end = grid.iter().rposition(filled).map_or(start, |i| i + 1);
        let mut rows: Vec<Vec<String>> = grid
            .into_iter()
            .take(end)
            .skip(start)
            .map(|r| r.into_iter().map(|c| c.trim().to_string()).collect())
            .collect();
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        for row in &mut rows {
            row.resize(width, String::new());
        }
        let header = if rows.is_empty() {
            Vec::new()
        } else {
            rows.remove(0)
        };
        Table { name, header, rows }
    }

    /// The index of the column whose header is `name` ([`column`]).
    pub fn column(&self, name: &str) -> Result<usize, String> {
        column(&self.header, name)
    }

    /// Row `row` (from 1 below the header) as one line of text, `Header: value; ...`, so that
    /// each cell is read with the header that gives its unit. Row 0 is the header itself.
    pub fn row_text(&self, row: usize) -> String {
        if row == 0 {
            return self.header.join(" | ");
        }
        let cells = &self.rows[row - 1];
        let mut out = Vec::new();
        for (h, c) in self.header.iter().zip(cells) {
            match (h.is_empty(), c.is_empty()) {
                (_, true) => {}
                (true, false) => out.push(c.clone()),
                (false, false) => out.push(format!("{h}: {c}")),
            }
        }
        out.join("; ")
    }
}

/// The index of the column of `header` named `name` (compared with runs of white space as
/// one), or why there is none: a close header's name, or the headers there are.
pub fn column(header: &[String], name: &str) -> Result<usize, String> {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let want = norm(name);
    let found: Vec<usize> = (0..header.len())
        .filter(|&i| norm(&header[i]) == want)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let names = header.iter().map(String::as_str);
            let hint = suggestion(name, names.filter(|h| !h.is_empty()));
            let hint = if hint.is_empty() {
                format!(" (its columns: {})", columns(header))
            } else {
                hint
            };
            Err(format!("has no column `{name}`{hint}"))
        }
        several => Err(format!(
            "has {} columns headed `{name}` (columns {}): give them different headers",
            several.len(),
            several
                .iter()
                .map(|&i| letter(i))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The data row (from 1) whose first cell is `label` (compared with runs of white space as
/// one, in any case), or why there is none: a close label, or that several rows have it. A row
/// named by its label stays cited when a re-issued sheet adds or reorders rows.
pub fn row_by_label<'a>(
    labels: impl Iterator<Item = &'a str> + Clone,
    label: &str,
) -> Result<usize, String> {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let want = norm(label);
    let found: Vec<usize> = labels
        .clone()
        .enumerate()
        .filter(|(_, l)| norm(l) == want)
        .map(|(i, _)| i + 1)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let hint = suggestion(label, labels.filter(|l| !l.trim().is_empty()));
            Err(format!("has no row whose first cell is that{hint}"))
        }
        several => {
            let rows: Vec<String> = several.iter().map(usize::to_string).collect();
            Err(format!(
                "has {} rows whose first cell is that (rows {}): cite one by its number",
                several.len(),
                rows.join(", ")
            ))
        }
    }
}

/// The headers of a table, quoted, for messages.
pub fn columns(header: &[String]) -> String {
    let named: Vec<String> = header
        .iter()
        .filter(|h| !h.is_empty())
        .map(|h| format!("`{h}`"))
        .collect();
    named.join(", ")
}

/// A column's spreadsheet letter: 0 is `A`, 26 is `AA`.
pub fn letter(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Count a row's cells against the bounds as it is read: `cells` and `text` are the running
/// totals, `width` the row's own. The message names the limit passed.
fn within(cells: usize, text: usize, width: usize) -> Result<(), String> {
    if width > MAX_COLUMNS {
        return Err(format!(
            "a row has more than {MAX_COLUMNS} columns, over briefing's limit for a spreadsheet source"
        ));
    }
    if cells > MAX_CELLS {
        return Err(format!(
            "the sheet has more than {MAX_CELLS} cells, over briefing's limit for a spreadsheet source"
        ));
    }
    if text > MAX_TEXT {
        return Err(format!(
            "the sheet's cells hold more than {} MiB of text, over briefing's limit for a spreadsheet source",
            MAX_TEXT >> 20
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rows_and_columns() {
        let grid = vec![
            vec![],
            vec!["Year".into(), " Revenue ($ million) ".into()],
            vec!["2015".into(), "147.8".into(), "x".into()],
            vec![String::new()],
        ];
        let t = Table::from_grid(String::new(), grid);
        assert_eq!(t.header, ["Year", "Revenue ($ million)", ""]);
        assert_eq!(t.rows, [vec!["2015", "147.8", "x"]]);
        assert_eq!(t.column("Revenue  ($ million)"), Ok(1));
        let e = t.column("Revenu ($ million)").unwrap_err();
        assert!(e.contains("did you mean `Revenue ($ million)`"), "{e}");
        assert!(
            t.column("Profit")
                .unwrap_err()
                .contains("its columns: `Year`")
        );
        assert_eq!(t.row_text(1), "Year: 2015; Revenue ($ million): 147.8; x");
        assert_eq!(
            (letter(0), letter(25), letter(26), letter(701)),
            ("A".into(), "Z".into(), "AA".into(), "ZZ".into())
        );
    }
}
