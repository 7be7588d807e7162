//! An XLSX workbook's sheet, read with calamine within bounds. An XLSX file is a zip archive of
//! XML parts, and a few kilobytes of it can inflate to gigabytes (a zip bomb, or a shared-string
//! table of millions of entries that calamine would hold in memory), so every part is first
//! inflated once, into nothing, and counted: a workbook over [`MAX_PART`], [`MAX_STRINGS`] or
//! [`MAX_INFLATED`] is refused before calamine reads it. The sheet's cells are then read one at a
//! time (never as calamine's dense range, which a cell at `XFD1048576` would make 17 billion
//! cells wide) and counted against [`super::within`].

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};

use super::Error;

/// At most this many bytes in one part of the workbook, inflated.
pub const MAX_PART: u64 = 128 << 20;
/// At most this many bytes of shared strings, inflated (calamine keeps them all).
pub const MAX_STRINGS: u64 = 32 << 20;
/// At most this many bytes in all the workbook's parts, inflated.
pub const MAX_INFLATED: u64 = 256 << 20;
/// At most this many parts in the archive.
pub const MAX_PARTS: usize = 10_000;

/// The chosen sheet (the first when `sheet` is none) of the workbook in `bytes`: its name and
/// its rows of cells, as text.
pub fn read(bytes: &[u8], sheet: Option<&str>) -> Result<(String, Vec<Vec<String>>), Error> {
    inflated_within_bounds(bytes).map_err(Error::File)?;
    let mut book = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| Error::File(format!("cannot read the workbook: {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(want) => match names.iter().find(|n| n.as_str() == want) {
            Some(n) => n.clone(),
            None => {
                let hint = crate::diag::suggestion(want, names.iter().map(String::as_str));
                let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                return Err(Error::Sheet(format!(
                    "the workbook has no sheet `{want}`{hint} (its sheets: {})",
                    list.join(", ")
                )));
            }
        },
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::File("the workbook has no sheet".into()))?,
    };
    let rows = cells(&mut book, &name).map_err(Error::File)?;
    Ok((name, rows))
}

/// Inflate every part of the archive once, counting, and refuse one over the bounds.
fn inflated_within_bounds(bytes: &[u8]) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("the file is not an XLSX workbook (a zip archive): {e}"))?;
    if zip.len() > MAX_PARTS {
        return Err(format!(
            "the workbook has {} parts, over briefing's limit of {MAX_PARTS} for a spreadsheet source",
            zip.len()
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| format!("cannot read part {i} of the workbook: {e}"))?;
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let limit = if name.ends_with("sharedStrings.xml") {
            MAX_STRINGS
        } else {
            MAX_PART
        };
        let read = std::io::copy(&mut (&mut part).take(limit + 1), &mut std::io::sink())
            .map_err(|e| format!("cannot inflate `{name}` in the workbook: {e}"))?;
        if read > limit {
            return Err(format!(
                "`{name}` in the workbook inflates to more than {} MiB, over briefing's limit for a spreadsheet source",
                limit >> 20
            ));
        }
        total += read;
        if total > MAX_INFLATED {
            return Err(format!(
                "the workbook inflates to more than {} MiB, over briefing's limit for a spreadsheet source",
                MAX_INFLATED >> 20
            ));
        }
    }
    Ok(())
}

/// The cells of sheet `name`, one at a time, placed in rows.
fn cells(book: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Vec<Vec<String>>, String> {
    let mut reader = book
        .worksheet_cells_reader(name)
        .map_err(|e| format!("cannot read sheet `{name}`: {e}"))?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let (mut placed, mut text) = (0usize, 0usize);
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| format!("cannot read sheet `{name}`: {e}"))?
    {
        let value = shown(cell.get_value());
        if value.is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        // Every cell a row or a gap makes is counted, so a cell far down or far right cannot
        // ask for more than the bounds.
        if rows.len() <= r {
            placed += r + 1 - rows.len();
            super::within(placed, text, 0)?;
            rows.resize(r + 1, Vec::new());
        }
        let row = &mut rows[r];
        if row.len() <= c {
            placed += c + 1 - row.len();
            super::within(placed, text, c + 1)?;
            row.resize(c + 1, String::new());
        }
        text += value.len();
        super::within(placed, text, row.len())?;
        row[c] = value;
    }
    Ok(rows)
}

/// A cell as text: a number as its shortest exact form (`147.8`), a date as `2024-06-30`.
fn shown(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        DataRef::DateTime(d) if d.is_datetime() => date(d.as_f64()),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// An Excel date serial (days since 1899-12-30 in the 1900 system) as `YYYY-MM-DD`.
fn date(serial: f64) -> String {
    let days = serial.floor() as i64 - 25_569; // to days since 1970-01-01
    let (y, m, d) = crate::dates::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_are_dates() {
        assert_eq!(date(45_473.0), "2024-06-30");
        assert_eq!(date(25_569.5), "1970-01-01");
    }

    #[test]
    fn a_file_that_is_not_a_zip_is_refused() {
        let e = read(b"not a zip", None).unwrap_err();
        assert!(matches!(e, Error::File(m) if m.contains("not an XLSX")));
    }
}
