//! A metric's series from a column of a spreadsheet source (`[extra.metrics.series_from]`): one
//! declaration yields a point for every row in range, its date from the dates column, its value
//! from the values column, each point citing its own cell (`row`, `column`), so ten years are
//! written once and every value is checked against its cell as a cited series value is. A
//! problem with a point is reported at the declaration's `column`.

use super::Ctx;
use crate::model::{Document, SourceTable};

/// What `series_from` names, read from its table.
struct From<'t> {
    source: &'t str,
    column: &'t str,
    dates: Option<&'t str>,
    first: Option<i64>,
    last: Option<i64>,
}

impl Ctx<'_> {
    /// Give every metric with `series_from` its `series`, a point a row.
    pub(super) fn expand_columns(&mut self, extra: &mut toml::Table) {
        let Some(toml::Value::Array(metrics)) = extra.get_mut("metrics") else {
            return;
        };
        for (i, metric) in metrics.iter_mut().enumerate() {
            let Some(metric) = metric.as_table_mut() else {
                continue;
            };
            let at = format!("extra.metrics[{i}]");
            let Some(from) = metric.get("series_from").and_then(|f| f.as_table()) else {
                continue;
            };
            if metric.contains_key("series") {
                let message = format!(
                    "metric `{at}` gives both `series` and `series_from`: write the points, or take them from a column, not both"
                );
                self.at_key(&format!("{at}.series_from"), message);
                continue;
            }
            let from = From {
                source: from.get("source").and_then(|s| s.as_str()).unwrap_or(""),
                column: from.get("column").and_then(|s| s.as_str()).unwrap_or(""),
                dates: from.get("dates").and_then(|s| s.as_str()),
                first: from.get("first_row").and_then(|r| r.as_integer()),
                last: from.get("last_row").and_then(|r| r.as_integer()),
            };
            if let Some((points, unit)) = self.points(&from, &format!("{at}.series_from")) {
                metric.insert("series".into(), toml::Value::Array(points));
                // The header states what the cells are in; a metric without a unit shows it.
                if !metric.contains_key("unit") && !unit.is_empty() {
                    metric.insert("unit".into(), toml::Value::String(unit));
                }
                self.columns.push(at);
            }
        }
    }

    /// The points `from` names, or `None` with every problem reported at `at`'s keys.
    /// With them, the unit the values column's header states (`$ million`).
    fn points(&mut self, from: &From<'_>, at: &str) -> Option<(Vec<toml::Value>, String)> {
        let sources = self.sources;
        let Some((_, doc)) = sources.get(from.source) else {
            let hint = self.renamed_source(from.source, "");
            let message = format!(
                "`{at}` names source `{}`, but no page `content/{}` presents a document{hint}",
                from.source, from.source
            );
            self.at_value(&format!("{at}.source"), message);
            return None;
        };
        let Some(sheet) = &doc.table else {
            let message = format!(
                "`{at}` takes a series from a column, but `{}` presents `{}`, which is not a spreadsheet (a `.csv` or `.xlsx` file)",
                from.source, doc.path
            );
            self.at_value(&format!("{at}.source"), message);
            return None;
        };
        let column = self.header(doc, sheet, at, "column", from.column)?;
        let dates = match from.dates {
            Some(name) => self.header(doc, sheet, at, "dates", name)?,
            None => 0,
        };
        let (first, last) = self.row_range(doc, sheet, at, from)?;
        let mut points = Vec::new();
        let mut ok = true;
        for n in first..=last {
            let cells = &sheet.rows[n - 1].cells;
            if cells[dates].is_empty() {
                let message = format!(
                    "`{at}`: row {n} of `{}` has no date under `{}`",
                    doc.path, sheet.header[dates]
                );
                self.at_value(&format!("{at}.dates"), message);
                ok = false;
                continue;
            }
            let mut cite = toml::Table::new();
            cite.insert("source".into(), from.source.into());
            cite.insert("row".into(), toml::Value::Integer(n as i64));
            cite.insert("column".into(), from.column.into());
            let mut point = toml::Table::new();
            point.insert("date".into(), cells[dates].clone().into());
            point.insert("value".into(), cells[column].clone().into());
            point.insert("cite".into(), toml::Value::Table(cite));
            // A point is a forecast when its row's label or its column's header looks ahead.
            let context = super::cell::row_context(sheet, n, column);
            if !crate::claims::forward_words(&context, doc.lang).is_empty() {
                point.insert("forecast".into(), toml::Value::Boolean(true));
            }
            points.push(toml::Value::Table(point));
        }
        let unit = crate::claims::header_unit(&sheet.header[column], doc.lang);
        ok.then_some((points, unit))
    }

    /// The index of the column `name` that `key` of `at` names, or a problem at that key.
    fn header(
        &mut self,
        doc: &Document,
        sheet: &SourceTable,
        at: &str,
        key: &str,
        name: &str,
    ) -> Option<usize> {
        match crate::sheet::column(&sheet.header, name) {
            Ok(i) => Some(i),
            Err(why) => {
                let message = format!("`{at}`: `{}` {why}", doc.path);
                self.at_value(&format!("{at}.{key}"), message);
                None
            }
        }
    }

    /// The first and last data rows `from` takes (every row by default).
    fn row_range(
        &mut self,
        doc: &Document,
        sheet: &SourceTable,
        at: &str,
        from: &From<'_>,
    ) -> Option<(usize, usize)> {
        let rows = sheet.rows.len() as i64;
        let first = from.first.unwrap_or(1);
        let last = from.last.unwrap_or(rows);
        let key = if from.first.is_some_and(|f| !(1..=rows).contains(&f)) {
            "first_row"
        } else if !(first..=rows).contains(&last) {
            "last_row"
        } else {
            return Some((first as usize, last as usize));
        };
        let message = format!(
            "`{at}` takes rows {first} to {last} of `{}`, which has rows 1 to {rows} (data rows, counted from 1 below the header)",
            doc.path
        );
        self.at_value(&format!("{at}.{key}"), message);
        None
    }
}
