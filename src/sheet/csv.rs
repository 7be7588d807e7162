//! A CSV reader (RFC 4180 as spreadsheets write it): fields in double quotes may hold the
//! delimiter, line breaks and doubled quotes (`""`); CRLF and LF end rows; a byte-order mark is
//! dropped. The delimiter is the one of `,`, `;` and tab that the first line uses most outside
//! quotes (European statistics offices write `;`). Cells are counted as they are read, so a file
//! of commas cannot ask for more memory than the bounds of [`super::within`].

/// The rows of a CSV file, each a list of cells.
pub fn read(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "the CSV file is not valid UTF-8 (invalid byte at byte {}); save it as UTF-8",
            e.valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = delimiter(text);
    let mut t = Table::default();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let (mut line, mut opened_at) = (1, 0);
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                t.cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                line += usize::from(c == '\n');
                t.cell.push(c);
            }
            (false, '"') if t.cell.trim().is_empty() => {
                t.cell.clear();
                quoted = true;
                opened_at = line;
            }
            (false, c) if c == delimiter => t.end_cell()?,
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n' | '\r') => {
                line += 1;
                t.end_cell()?;
                t.rows.push(std::mem::take(&mut t.row));
            }
            (false, c) => t.cell.push(c),
        }
    }
    if quoted {
        return Err(format!(
            "the CSV file has a quoted field opened on line {opened_at} that is never closed"
        ));
    }
    if !t.cell.is_empty() || !t.row.is_empty() {
        t.row.push(t.cell);
        t.rows.push(t.row);
    }
    Ok(t.rows)
}

/// The rows read so far, the row and the cell being read, and the counts the limits hold.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
    cells: usize,
    total: usize,
}

impl Table {
    /// The cell ends: it joins its row, within the limits on cells and text.
    fn end_cell(&mut self) -> Result<(), String> {
        self.total += self.cell.len();
        self.row.push(std::mem::take(&mut self.cell));
        self.cells += 1;
        super::within(self.cells, self.total, self.row.len())
    }
}

/// The delimiter the first line uses most outside quotes: `,`, `;` or tab (`,` on a tie).
fn delimiter(text: &str) -> char {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .rev()
        .max_by_key(|&i| (counts[i], i == 0))
        .unwrap_or(0);
    if counts[best] == 0 {
        ','
    } else {
        [',', ';', '\t'][best]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_newlines_and_a_bom() {
        let rows = read(b"\xef\xbb\xbfYear,\"Revenue ($ million)\"\r\n2015,\"1,478.5\"\n2016,\"a \"\"b\"\"\nc\"\n").unwrap();
        assert_eq!(
            rows,
            [
                vec!["Year", "Revenue ($ million)"],
                vec!["2015", "1,478.5"],
                vec!["2016", "a \"b\"\nc"]
            ]
        );
        assert_eq!(
            read(b"a;b\n1,5;2").unwrap(),
            [vec!["a", "b"], vec!["1,5", "2"]]
        );
        assert_eq!(read(b"a\tb\n1\t2\n").unwrap()[1], ["1", "2"]);
        assert!(read(b"a,\"b\n").unwrap_err().contains("line 1"));
        assert!(read(b"a,\xff").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn a_file_of_delimiters_is_bounded() {
        let wide = vec![b','; super::super::MAX_COLUMNS + 1];
        assert!(read(&wide).unwrap_err().contains("columns"));
    }
}
