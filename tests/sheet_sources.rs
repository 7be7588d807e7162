//! Spreadsheet sources (CSV and XLSX): a metric and a series citing cells build, and the
//! source page shows the sheet as a table; a wrong scale, currency, period, row, column or
//! sheet fails at its line; a hostile workbook (a zip bomb, a cell far away) is refused within
//! bounds; a real public table (Apple's net sales, from its 10-K filings) is the starter's.

mod common;
use common::Fixture;
use std::io::Write;

const CSV: &str =
    "Year,Revenue ($ million),Note\n2021,120.5,\n2022,\"1,310.2\",restated\n2023,147.8,\n";

const SOURCE: &str = "+++\ntitle = \"Revenue\"\ndocument = \"sources/revenue.DOC\"\ntemplate = \"source.html\"\nSHEET+++\n";

const METRICS: &str = r#"+++
title = "Metrics"
template = "metrics.html"
[[extra.metrics]]
value = "147.8"
unit = "$ million"
label = "revenue"
as_of = "2023"
[extra.metrics.cite]
source = "revenue.md"
row = 3
column = "Revenue ($ million)"
[[extra.metrics]]
value = "147.8"
unit = "$ million"
label = "revenue by year"
[extra.metrics.cite]
source = "revenue.md"
row = 3
column = "Revenue ($ million)"
[extra.metrics.series_from]
source = "revenue.md"
column = "Revenue ($ million)"
dates = "Year"
+++
Body.
"#;

/// A site with a spreadsheet source `revenue.<ext>` (its bytes) and the metrics above.
fn site(ext: &str, bytes: &[u8], sheet: &str) -> Fixture {
    let source = SOURCE.replace("DOC", ext).replace("SHEET", sheet);
    let site = Fixture::starter()
        .file("content/revenue.md", &source)
        .file("content/metrics.md", METRICS);
    site.write(&format!("content/sources/revenue.{ext}"), bytes);
    site
}

fn with(site: Fixture, from: &str, to: &str) -> Fixture {
    let text = METRICS.replacen(from, to, 1);
    assert_ne!(text, METRICS, "{from}");
    site.file("content/metrics.md", &text)
}

/// An XLSX workbook of `sheets` (name, rows of cells), strings written inline.
fn xlsx(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut parts: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#.into()),
        ("_rels/.rels".into(), r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
    ];
    let mut book = String::from(
        r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (name, rows)) in sheets.iter().enumerate() {
        let n = i + 1;
        book.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        let mut data = String::new();
        for (r, row) in rows.iter().enumerate() {
            data.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, cell) in row.iter().enumerate() {
                let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
                if cell.parse::<f64>().is_ok() {
                    data.push_str(&format!(r#"<c r="{at}"><v>{cell}</v></c>"#));
                } else if !cell.is_empty() {
                    data.push_str(&format!(
                        r#"<c r="{at}" t="inlineStr"><is><t>{cell}</t></is></c>"#
                    ));
                }
            }
            data.push_str("</row>");
        }
        parts.push((format!("xl/worksheets/sheet{n}.xml"), format!(r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#)));
    }
    book.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    parts.push(("xl/workbook.xml".into(), book));
    parts.push(("xl/_rels/workbook.xml.rels".into(), rels));
    zip_of(&parts)
}

fn zip_of(parts: &[(String, String)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

const ROWS: &[&[&str]] = &[
    &["Year", "Revenue ($ million)", "Note"],
    &["2021", "120.5", ""],
    &["2022", "1310.2", "restated"],
    &["2023", "147.8", ""],
];

#[test]
fn a_csv_source_is_a_table_cited_by_a_metric_and_a_series() {
    let site = site("csv", CSV.as_bytes(), "");
    site.build_ok();
    let page = site.out("revenue/index.html");
    assert!(
        page.contains("<th scope=\"col\">Revenue ($ million)</th>"),
        "{page}"
    );
    assert!(
        page.contains("<tr id=\"p3\">"),
        "row 3 is anchored as paragraph 3"
    );
    let metrics = site.out("metrics/index.html");
    assert!(
        metrics.contains("revenue/index.html#p3"),
        "the cell's row is cited"
    );
    assert!(
        metrics.contains("revenue/index.html#p1"),
        "every point cites its row"
    );
    assert!(
        metrics.contains("$1,310.2 million"),
        "a currency written as one"
    );
    assert!(
        metrics.contains("class=\"chart-tick\""),
        "the chart has axis values"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("paragraphs")
        .arg(site.root().join("content/sources/revenue.csv"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.contains("¶2 Year: 2022; Revenue ($ million): 1,310.2; Note: restated"),
        "{out}"
    );
}

#[test]
fn an_xlsx_source_is_read_from_its_chosen_sheet() {
    let book = xlsx(&[("Notes", &[&["Nothing here"]]), ("Revenue", ROWS)]);
    let site = site("xlsx", &book, "[extra.source]\nsheet = \"Revenue\"\n");
    site.build_ok();
    assert!(site.out("metrics/index.html").contains("$147.8 million"));
    let site = self::site("xlsx", &book, "[extra.source]\nsheet = \"Revenu\"\n");
    let err = site.build().fails();
    assert!(
        err.contains("content/revenue.md:6:9:")
            && err.contains("no sheet `Revenu`; did you mean `Revenue`?"),
        "{err}"
    );
    // `briefing paragraphs --sheet` numbers the chosen sheet's rows as the build does.
    let file = site.root().join("content/sources/revenue.xlsx");
    let paragraphs = |sheet: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"));
        command.arg("paragraphs").arg(&file);
        if let Some(sheet) = sheet {
            command.args(["--sheet", sheet]);
        }
        String::from_utf8_lossy(&command.output().unwrap().stdout).into_owned()
    };
    assert!(paragraphs(None).contains("Nothing here"));
    let revenue = paragraphs(Some("Revenue"));
    assert!(
        revenue.contains("¶1 ") && !revenue.contains("Nothing here"),
        "{revenue}"
    );
}

#[test]
fn a_wrong_scale_currency_period_row_column_or_cell_fails_at_its_line() {
    let csv = CSV.as_bytes();
    let cases: &[(&str, &str, &str)] = &[
        (
            "unit = \"$ million\"\nlabel = \"revenue\"\n",
            "unit = \"$ billion\"\nlabel = \"revenue\"\n",
            "metrics.md:6:1: metric `extra.metrics[0]` shows `$147.8 billion`, but its quote gives “$147.8 million”: the source says million; the metric says billion",
        ),
        (
            "unit = \"$ million\"\nlabel = \"revenue\"\n",
            "unit = \"€ million\"\nlabel = \"revenue\"\n",
            "the source says US dollars; the metric says euros",
        ),
        (
            "as_of = \"2023\"",
            "as_of = \"2022\"",
            "metrics.md:8:1: metric `extra.metrics[0]` shows `$147.8 million`, but its quote gives “$147.8 million”: the source gives 147.8 million for 2023; the metric attaches it to 2022",
        ),
        (
            "row = 3\n",
            "row = 4\n",
            "metrics.md:11:7: citation `extra.metrics[0].cite` names row 4 of `sources/revenue.csv`, which has rows 1 to 3",
        ),
        (
            "column = \"Revenue ($ million)\"\n[[",
            "column = \"Revenue ($ milion)\"\n[[",
            "metrics.md:12:10: citation `extra.metrics[0].cite`: `sources/revenue.csv` has no column `Revenue ($ milion)`; did you mean `Revenue ($ million)`?",
        ),
        (
            "row = 3\ncolumn = \"Revenue ($ million)\"\n[[",
            "row = 2\ncolumn = \"Note\"\n[[",
            "metrics.md:11:7: citation `extra.metrics[0].cite`: the cell at row 2 under `Note` of `sources/revenue.csv` is “restated”, which is not a figure",
        ),
        (
            "row = 3\ncolumn = \"Revenue ($ million)\"\n[[",
            "row = 1\ncolumn = \"Note\"\n[[",
            "metrics.md:11:7: citation `extra.metrics[0].cite`: row 1 of `sources/revenue.csv` has no value under `Note`",
        ),
        (
            "dates = \"Year\"",
            "dates = \"Year\"\nlast_row = 7",
            "`extra.metrics[1].series_from` takes rows 1 to 7 of `sources/revenue.csv`, which has rows 1 to 3",
        ),
        (
            "unit = \"$ million\"\nlabel = \"revenue by year\"",
            "unit = \"$ billion\"\nlabel = \"revenue by year\"",
            "metrics.md:23:1: metric `extra.metrics[1].series[0]` shows `$120.5 billion`, but its quote gives “$120.5 million”",
        ),
    ];
    for (from, to, want) in cases {
        let err = with(site("csv", csv, ""), from, to).build().fails();
        assert!(err.contains(want), "{to}\nwanted: {want}\ngot: {err}");
    }
}

/// A cell cited by its row's label (`row = "2023"`) stays cited when the sheet is re-issued with
/// its rows reordered and one added, where the row's number would now name another year; a
/// label no row has, or several rows have, fails at the line of `row`.
#[test]
fn a_row_named_by_its_label_survives_a_reordered_sheet() {
    let by_label = |site: Fixture| {
        site.file(
            "content/metrics.md",
            &METRICS.replace("row = 3\n", "row = \"2023\"\n"),
        )
    };
    let reissued = "Year,Revenue ($ million),Note\n2023,147.8,\n2024,160.1,\n2022,\"1,310.2\",restated\n2021,120.5,\n";
    by_label(site("csv", CSV.as_bytes(), "")).build().ok();
    let site = by_label(site("csv", reissued.as_bytes(), ""));
    site.build().ok();
    assert!(site.out("metrics/index.html").contains("147.8"));
    // By its number, the same citation now names 2022's row, and the build says so.
    let err = self::site("csv", reissued.as_bytes(), "").build().fails();
    assert!(
        err.contains("metrics.md:") && err.contains("1,310.2"),
        "{err}"
    );

    let err = with(
        self::site("csv", CSV.as_bytes(), ""),
        "row = 3\n",
        "row = \"2033\"\n",
    )
    .build()
    .fails();
    assert!(
        err.contains("metrics.md:11:7: citation `extra.metrics[0].cite` names row “2033” of `sources/revenue.csv`, which has no row whose first cell is that; did you mean `2023`?"),
        "{err}"
    );
    let twice = "Year,Revenue ($ million),Note\n2023,147.8,\n2023,147.8,again\n";
    let err = by_label(self::site("csv", twice.as_bytes(), ""))
        .build()
        .fails();
    assert!(
        err.contains("metrics.md:11:7:")
            && err.contains(
                "has 2 rows whose first cell is that (rows 1, 2): cite one by its number"
            ),
        "{err}"
    );
    let err = with(
        self::site("csv", CSV.as_bytes(), ""),
        "row = 3\n",
        "row = 3.0\n",
    )
    .build()
    .fails();
    assert!(
        err.contains("must be a row number or the text of its first cell, not a float"),
        "{err}"
    );
}

#[test]
fn a_hostile_workbook_is_refused_within_bounds() {
    // Shared strings inflating to 40 MiB from a few kilobytes.
    let mut parts: Vec<(String, String)> = Vec::new();
    let strings = format!("<sst>{}</sst>", "<si><t>a</t></si>".repeat(40 << 20 >> 4));
    parts.push(("xl/sharedStrings.xml".into(), strings));
    let bomb = zip_of(&parts);
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    let err = site("xlsx", &bomb, "").build().fails();
    assert!(
        err.contains("content/sources/revenue.xlsx")
            && err.contains("inflates to more than 32 MiB"),
        "{err}"
    );

    // Two cells a sheet apart: the padded table would be 17 billion cells.
    let far: &[&[&str]] = &[&["Year", "Revenue ($ million)"]];
    let mut book = xlsx(&[("S", far)]);
    let sheet = r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>"#;
    let mut parts = unzip(&book);
    for p in &mut parts {
        if p.0.ends_with("sheet1.xml") {
            p.1 = sheet.into();
        }
    }
    book = zip_of(&parts);
    let err = site("xlsx", &book, "").build().fails();
    assert!(
        err.contains("over briefing's limit for a spreadsheet source"),
        "{err}"
    );
}

fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut f, &mut text).unwrap();
            (f.name().unwrap().into_owned(), text)
        })
        .collect()
}

#[test]
fn the_starter_cites_a_real_public_table() {
    // Apple Inc.'s total net sales by fiscal year, from its annual reports on Form 10-K.
    let site = Fixture::starter();
    site.build_ok();
    let page = site.out("net-sales/index.html");
    assert!(page.contains("<td>383,285</td>"), "{page}");
    let metrics = site.out("metrics/index.html");
    assert!(metrics.contains("$260,174 million") && metrics.contains("net-sales/index.html#p5"));
    let text = std::fs::read_to_string(site.root().join("content/metrics.md")).unwrap();
    let wrong = text.replace("value = \"383,285\"", "value = \"383,258\"");
    let site = site.file("content/metrics.md", &wrong);
    let err = site.build().fails();
    assert!(
        err.contains("shows 383,258, but its quote does not contain 383,258"),
        "{err}"
    );
}

/// A cell is a forecast when its row's label or its column's header looks ahead, as a quote is
/// when its words do: `series_from` draws such a point as a forecast, and a metric citing it
/// must say so (`forecast = true`), while a cell in a row of results must not.
#[test]
fn a_cell_whose_row_or_header_looks_ahead_is_a_forecast() {
    let csv = "Year,Revenue ($ million)\n2023,147.8\n2024,160.1\n2025 forecast,172.0\n";
    let metrics = |forecast: &str| {
        format!(
            "+++\ntitle = \"Metrics\"\ntemplate = \"metrics.html\"\n[[extra.metrics]]\nvalue = \"172.0\"\nunit = \"$ million\"\nlabel = \"revenue\"\n{forecast}[extra.metrics.cite]\nsource = \"revenue.md\"\nrow = \"2025 forecast\"\ncolumn = \"Revenue ($ million)\"\n[[extra.metrics]]\nvalue = \"172.0\"\nlabel = \"revenue by year\"\nforecast = true\n[extra.metrics.cite]\nsource = \"revenue.md\"\nrow = 3\ncolumn = \"Revenue ($ million)\"\n[extra.metrics.series_from]\nsource = \"revenue.md\"\ncolumn = \"Revenue ($ million)\"\n+++\nBody.\n"
        )
    };
    let site =
        site("csv", csv.as_bytes(), "").file("content/metrics.md", &metrics("forecast = true\n"));
    site.build().ok();
    let html = site.out("metrics/index.html");
    let forecasts = html.matches("chart-value chart-value--forecast").count();
    assert_eq!(forecasts, 1, "one forecast point, 2025's:\n{html}");

    let site = site.file("content/metrics.md", &metrics(""));
    let err = site.build().fails();
    assert!(
        err.contains("metrics.md:5:1: metric `extra.metrics[0]` is marked as stated (`forecast = false, by default`), but its quote looks ahead (“forecast”)"),
        "{err}"
    );
    let site = site.file(
        "content/metrics.md",
        &metrics("forecast = true\n")
            .replace("row = \"2025 forecast\"", "row = \"2024\"")
            .replace("value = \"172.0\"\nunit", "value = \"160.1\"\nunit"),
    );
    let err = site.build().fails();
    assert!(
        err.contains("is marked `forecast = true`, but its quote states it as a fact"),
        "{err}"
    );
}
