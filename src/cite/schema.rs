//! The typed schema of a briefing's data in `[extra]`: metrics, horizons, principles, the
//! headline and pull quote (with their attribution), analysis, and the citations they carry. A
//! misspelt or misplaced key, or a value of the wrong type, is reported at its own line with
//! "did you mean", before anything is rendered, so a template never meets it as a symptom.
//! Keys of `[extra]` outside this schema are free data for templates.

use crate::diag::{closest_within, suggestion};

/// The type a key's value must have.
#[derive(Clone, Copy)]
enum Ty {
    Text,
    /// Text that reads as a calendar date ([`crate::dates::is_date`]).
    Date,
    /// The address of a document on the web: `https://` or `http://`, a host, no spaces.
    Url,
    /// A string or a number (a metric's value).
    TextOrNumber,
    Bool,
    Int,
    /// A spreadsheet's data row: its number, or the text of its first cell.
    Row,
    Cite,
    Cites,
    Table(&'static Shape),
    Tables(&'static Shape),
}

struct Field {
    name: &'static str,
    ty: Ty,
    required: bool,
}

const fn req(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: true,
    }
}

const fn opt(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: false,
    }
}

/// A kind of table and the keys it may hold.
pub struct Shape {
    what: &'static str,
    fields: &'static [Field],
}

/// A citation: a `quote` of a paragraph, or a cell of a spreadsheet (`row` and `column`).
const CITE: Shape = Shape {
    what: "citation",
    fields: &[
        opt("quote", Ty::Text),
        req("source", Ty::Text),
        opt("para", Ty::Int),
        opt("page", Ty::Int),
        opt("row", Ty::Row),
        opt("column", Ty::Text),
    ],
};

const QUOTE: Shape = Shape {
    what: "quotation",
    fields: &[
        req("quote", Ty::Text),
        req("source", Ty::Text),
        opt("para", Ty::Int),
        opt("page", Ty::Int),
        opt("attribution", Ty::Text),
    ],
};

const METRIC: Shape = Shape {
    what: "metric",
    fields: &[
        req("value", Ty::TextOrNumber),
        opt("id", Ty::Text),
        opt("unit", Ty::Text),
        opt("label", Ty::Text),
        opt("as_of", Ty::Text),
        opt("forecast", Ty::Bool),
        opt("forecast_reason", Ty::Text),
        opt("note", Ty::Text),
        opt("notes", Ty::Text),
        opt("cite", Ty::Cite),
        opt("chart", Ty::Text),
        opt("series", Ty::Tables(&POINT)),
        opt("series_from", Ty::Table(&SERIES_FROM)),
    ],
};

/// A series taken from a column of a spreadsheet source, a point a row (cite::column).
const SERIES_FROM: Shape = Shape {
    what: "series column",
    fields: &[
        req("source", Ty::Text),
        req("column", Ty::Text),
        opt("dates", Ty::Text),
        opt("first_row", Ty::Int),
        opt("last_row", Ty::Int),
    ],
};

/// One dated value of a metric's series, with its own citation.
const POINT: Shape = Shape {
    what: "series value",
    fields: &[
        req("date", Ty::TextOrNumber),
        req("value", Ty::TextOrNumber),
        opt("label", Ty::Text),
        opt("forecast", Ty::Bool),
        opt("forecast_reason", Ty::Text),
        req("cite", Ty::Cite),
    ],
};

const HORIZON: Shape = Shape {
    what: "horizon",
    fields: &[
        req("name", Ty::Text),
        opt("words", Ty::Text),
        opt("timeframe", Ty::Text),
        opt("summary", Ty::Text),
        opt("notes", Ty::Text),
        opt("cite", Ty::Cite),
        opt("also_cite", Ty::Cite),
    ],
};

const PRINCIPLE: Shape = Shape {
    what: "principle",
    fields: &[
        opt("id", Ty::Text),
        req("name", Ty::Text),
        opt("summary", Ty::Text),
        opt("notes", Ty::Text),
        opt("cites", Ty::Cites),
    ],
};

/// The deck's own settings on the home page (`[extra.slides]`): speaker notes for the slides
/// that have no item of their own, and how many metric cards a slide holds.
const SLIDES: Shape = Shape {
    what: "slides table",
    fields: &[
        opt("title_notes", Ty::Text),
        opt("model_notes", Ty::Text),
        opt("metrics_notes", Ty::Text),
        opt("principles_notes", Ty::Text),
        opt("quote_notes", Ty::Text),
        opt("sources_notes", Ty::Text),
        opt("metrics_per_slide", Ty::Int),
        opt("principles_page", Ty::Text),
    ],
};

const ANALYSIS_ITEM: Shape = Shape {
    what: "analysis item",
    fields: &[
        opt("horizon", Ty::Text),
        opt("reading", Ty::Text),
        req("reason", Ty::Text),
        opt("cite", Ty::Cite),
    ],
};

const ANALYSIS: Shape = Shape {
    what: "analysis",
    fields: &[
        req("title", Ty::Text),
        opt("intro", Ty::Text),
        opt("items", Ty::Tables(&ANALYSIS_ITEM)),
    ],
};

/// What a source page says about its document (`[extra.source]`), shown on its page and on
/// the Sources page.
const SOURCE: Shape = Shape {
    what: "source description",
    fields: &[
        opt("title", Ty::Text),
        opt("publisher", Ty::Text),
        opt("author", Ty::Text),
        opt("date", Ty::Date),
        opt("url", Ty::Url),
        opt("retrieved", Ty::Date),
        opt("language", Ty::Text),
        opt("translation", Ty::Text),
        opt("short", Ty::Text),
        opt("sheet", Ty::Text),
    ],
};

/// The keys of `[extra]` that the schema knows.
const EXTRA: &[Field] = &[
    opt("metrics", Ty::Tables(&METRIC)),
    opt("horizons", Ty::Tables(&HORIZON)),
    opt("principles", Ty::Tables(&PRINCIPLE)),
    opt("headline", Ty::Table(&QUOTE)),
    opt("pull_quote", Ty::Table(&QUOTE)),
    opt("analysis", Ty::Table(&ANALYSIS)),
    opt("source", Ty::Table(&SOURCE)),
    opt("slides", Ty::Table(&SLIDES)),
];

/// Whether `key` of `[extra]` holds the briefing's typed data (metrics, horizons, quotes...),
/// whose text is checked with its citations; `source` describes a document instead.
pub fn is_typed_data(key: &str) -> bool {
    key != "source" && EXTRA.iter().any(|f| f.name == key)
}

/// Check the known parts of a page's `[extra]`; each problem is (key path, message).
pub fn check(extra: &toml::Table) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for field in EXTRA {
        if let Some(value) = extra.get(field.name) {
            check_value(value, field, &format!("extra.{}", field.name), &mut out);
        }
    }
    // A key one edit off a known one (`[[extra.metric]]`) is a slip, not free data.
    for key in extra.keys() {
        let known = EXTRA.iter().map(|f| f.name);
        if !EXTRA.iter().any(|f| f.name == key)
            && let Some(near) = closest_within(key, known, 1)
        {
            out.push((
                format!("extra.{key}"),
                format!("unknown key `extra.{key}`; did you mean `extra.{near}`?"),
            ));
        }
    }
    out
}

fn check_value(value: &toml::Value, field: &Field, path: &str, out: &mut Vec<(String, String)>) {
    let wrong = |expected: &str| {
        (
            path.to_string(),
            format!(
                "`{path}` must be {expected}, not {}",
                article(value.type_str())
            ),
        )
    };
    match (field.ty, value) {
        (Ty::Text, toml::Value::String(_))
        | (
            Ty::TextOrNumber,
            toml::Value::String(_) | toml::Value::Integer(_) | toml::Value::Float(_),
        )
        | (Ty::Bool, toml::Value::Boolean(_))
        | (Ty::Int | Ty::Row, toml::Value::Integer(_))
        | (Ty::Row, toml::Value::String(_)) => {}
        (Ty::Date, toml::Value::String(s)) if !crate::dates::is_date(s) => {
            out.push((path.to_string(), not_a_date(path, s)));
        }
        (Ty::Url, toml::Value::String(s)) if !is_web_address(s) => {
            out.push((path.to_string(), not_an_address(path, s)));
        }
        (Ty::Date | Ty::Url, toml::Value::String(_)) => {}
        (Ty::Text | Ty::Date | Ty::Url, _) => out.push(wrong("text")),
        (Ty::TextOrNumber, _) => out.push(wrong("text or a number")),
        (Ty::Bool, _) => out.push(wrong("true or false")),
        (Ty::Int, _) => out.push(wrong("a whole number")),
        (Ty::Row, _) => out.push(wrong("a row number or the text of its first cell")),
        (Ty::Cite, toml::Value::Table(t)) => check_cite(t, path, out),
        (Ty::Table(shape), toml::Value::Table(t)) => check_table(t, shape, path, out),
        (Ty::Cite | Ty::Table(_), _) => out.push(wrong("a table")),
        (Ty::Cites, toml::Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let at = format!("{path}[{i}]");
                match item {
                    toml::Value::Table(t) => check_cite(t, &at, out),
                    _ => check_items(std::slice::from_ref(item), &CITE, path, out),
                }
            }
        }
        (Ty::Tables(shape), toml::Value::Array(items)) => check_items(items, shape, path, out),
        (Ty::Cites | Ty::Tables(_), _) => out.push(wrong("an array of tables")),
    }
}

/// A citation names a paragraph's words (`quote`) or a spreadsheet's cell (`row` and
/// `column`), one or the other.
fn check_cite(table: &toml::Table, path: &str, out: &mut Vec<(String, String)>) {
    check_table(table, &CITE, path, out);
    let has = |k: &str| table.contains_key(k);
    let cell = has("row") || has("column");
    let problem = match (has("quote"), has("row"), has("column")) {
        (false, false, false) => format!(
            "citation `{path}` has no `quote` (or `row` and `column`, for a cell of a spreadsheet)"
        ),
        (true, _, _) if cell => format!(
            "citation `{path}` gives a `quote` and a cell (`row`, `column`): cite a spreadsheet's cell by `row` and `column` alone"
        ),
        (false, true, false) => {
            format!("citation `{path}` names a `row` and needs the `column` (its header's text)")
        }
        (false, false, true) => format!(
            "citation `{path}` names a `column` and needs the `row` (data rows count from 1 below the header)"
        ),
        _ => return,
    };
    out.push((path.to_string(), problem));
}

fn check_items(items: &[toml::Value], shape: &Shape, path: &str, out: &mut Vec<(String, String)>) {
    for (i, item) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        match item {
            toml::Value::Table(t) => check_table(t, shape, &at, out),
            other => out.push((
                at.clone(),
                format!(
                    "`{at}` must be a table (a {}), not {}",
                    shape.what,
                    article(other.type_str())
                ),
            )),
        }
    }
}

fn check_table(table: &toml::Table, shape: &Shape, path: &str, out: &mut Vec<(String, String)>) {
    for (key, value) in table {
        let at = format!("{path}.{key}");
        match shape.fields.iter().find(|f| f.name == key) {
            Some(field) => check_value(value, field, &at, out),
            None if key == "url" && shape.fields.iter().any(|f| f.name == "quote") => out.push((
                at,
                format!("`{path}.url` is set by the build from `source` and `para`: remove it"),
            )),
            None => {
                let names: Vec<&str> = shape.fields.iter().map(|f| f.name).collect();
                let hint = suggestion(key, names.iter().copied());
                out.push((
                    at,
                    format!(
                        "unknown key `{key}` in {} `{path}`{hint} (a {} has: {})",
                        shape.what,
                        shape.what,
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    for field in shape.fields.iter().filter(|f| f.required) {
        if !table.contains_key(field.name) {
            out.push((
                path.to_string(),
                format!("{} `{path}` has no `{}`", shape.what, field.name),
            ));
        }
    }
}

fn not_a_date(path: &str, text: &str) -> String {
    format!(
        "`{path}` is “{}”, which does not read as a date: write it as 2023-04-14, 14 April 2023, April 2023 or 2023",
        crate::diag::inline(text)
    )
}

/// An address a reader can follow from any page: absolute, on the web, without spaces.
fn is_web_address(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}

fn not_an_address(path: &str, url: &str) -> String {
    let hint = if url.starts_with("www.") {
        format!(": did you mean `https://{url}`?")
    } else {
        ": write the whole address, starting with https://".into()
    };
    format!(
        "`{path}` is “{}”, which is not a web address{hint}",
        crate::diag::inline(url)
    )
}

fn article(type_str: &str) -> String {
    match type_str {
        "integer" => "an integer".into(),
        "array" => "an array".into(),
        other => format!("a {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(toml_text: &str) -> Vec<(String, String)> {
        let table: toml::Table = toml::from_str(toml_text).unwrap();
        check(&table)
    }

    #[test]
    fn a_misspelt_key_is_named_with_a_suggestion() {
        let found = problems("[[metrics]]\nlable = 'x'\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "extra.metrics[0].lable");
        assert!(
            found[0].1.contains("did you mean `label`"),
            "{}",
            found[0].1
        );
        assert!(found[1].1.contains("has no `value`"), "{}", found[1].1);
    }

    #[test]
    fn types_and_misplaced_tables() {
        let found = problems(
            "[[metrics]]\nvalue = '1'\nlabel = 'x'\nforecast = 'yes'\n[metrics.cite]\nquote = 'q'\nsource = 's'\npara = '2'\n",
        );
        let paths: Vec<&str> = found.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(
            paths,
            ["extra.metrics[0].forecast", "extra.metrics[0].cite.para"]
        );
        let found = problems("[[metric]]\nvalue = '1'\n");
        assert!(
            found[0].1.contains("did you mean `extra.metrics`"),
            "{found:?}"
        );
        assert!(problems("[free]\nanything = 1\n").is_empty());
    }

    #[test]
    fn a_source_date_is_a_date_and_its_url_an_address() {
        let good =
            "[source]\ndate = 'April 2023'\nurl = 'https://example.com/2023/letter-10k.pdf'\n";
        assert!(problems(good).is_empty(), "{:?}", problems(good));
        let found = problems("[source]\ndate = 'soon'\nurl = 'www.example.com/a.pdf'\n");
        let paths: Vec<&str> = found.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(paths, ["extra.source.date", "extra.source.url"]);
        assert!(found[0].1.contains("does not read as a date"), "{found:?}");
        assert!(
            found[1]
                .1
                .contains("did you mean `https://www.example.com/a.pdf`"),
            "{found:?}"
        );
    }
}
