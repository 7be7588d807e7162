//! Metadata is not prose: a source's URL and publication date build as what they are, a date
//! that is not one fails at its line, and a figure in a setting (`site.toml`, a front-matter
//! value) is reported once, at that file and line, never at the templates showing it. And the
//! starter templates never need an optional key: a site that leaves every one out builds.

mod common;
use common::Fixture;
use std::fs;

/// The 1-based line of `site`'s file `rel` that holds `needle`.
fn line_of(site: &Fixture, rel: &str, needle: &str) -> usize {
    let text = fs::read_to_string(site.root().join(rel)).unwrap();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` in {rel}"));
    text[..at].matches('\n').count() + 1
}

/// Replace `from` by `to` in the site's file `rel` (which must hold `from`).
fn edit(site: &Fixture, rel: &str, from: &str, to: &str) {
    let text = fs::read_to_string(site.root().join(rel)).unwrap();
    assert!(text.contains(from), "`{from}` in {rel}");
    site.write(rel, text.replacen(from, to, 1).as_bytes());
}

/// The starter, built once, with its annual report described as published on `date` (in a
/// year no source states) at `url`.
fn starter_with_source(date: &str, url: &str) -> Fixture {
    let site = Fixture::starter();
    site.build_ok();
    edit(
        &site,
        "content/report.md",
        "date = \"March 2026\"",
        &format!("date = \"{date}\"\nurl = \"{url}\""),
    );
    site
}

const URL: &str = "https://example.com/2019/letter-10k.pdf";

#[test]
fn a_source_url_with_digits_and_a_publication_date_build() {
    // The last pair is a real one: Berkshire Hathaway's letter to shareholders for 2023.
    let berkshire = "https://www.berkshirehathaway.com/letters/2023ltr.pdf";
    for (date, url) in [
        ("2019", URL),
        ("April 2019", URL),
        ("2019-04-14", URL),
        ("14 April 2019", URL),
        ("February 24, 2024", berkshire),
    ] {
        let site = starter_with_source(date, url);
        site.build_ok();
        let sources = site.out("sources/index.html");
        assert!(sources.contains(date), "{date} shown on the Sources page");
        assert!(
            sources.contains(&format!("href=\"{url}\"")),
            "the address is a link"
        );
    }
}

#[test]
fn a_url_written_out_in_prose_is_not_a_figure() {
    let site = Fixture::starter();
    edit(
        &site,
        "content/sources.md",
        "these documents.",
        "these documents. The report is also at https://example.com/2019/letter-10k.pdf.",
    );
    site.build_ok();
}

#[test]
fn a_source_date_that_is_not_a_date_fails_at_its_line() {
    let site = starter_with_source("soon", URL);
    let err = site.fails_keeping_output();
    let line = line_of(&site, "content/report.md", "date = \"soon\"");
    assert!(
        err.contains(&format!("content/report.md:{line}:")),
        "at the date's line:\n{err}"
    );
    assert!(err.contains("does not read as a date"), "{err}");
    assert!(!err.contains("templates/"), "no template blamed:\n{err}");
    assert!(err.contains("1 problem found"), "{err}");
}

/// Build the starter, change one value, and expect exactly one problem, at `rel`'s line
/// holding `to`, naming `figure`; the site built before survives.
fn one_problem_at(rel: &str, from: &str, to: &str, figure: &str) {
    let site = Fixture::starter();
    site.build_ok();
    edit(&site, rel, from, to);
    let err = site.fails_keeping_output();
    let line = line_of(&site, rel, to);
    assert!(
        err.starts_with(&format!("error: {rel}:{line}:")),
        "at {rel}:{line}:\n{err}"
    );
    assert_eq!(
        err.matches(&format!("figure {figure} ")).count(),
        1,
        "{err}"
    );
    assert!(err.contains("a setting cannot cite one"), "{err}");
    assert!(err.contains("1 problem found"), "one message:\n{err}");
    assert!(!err.contains("templates/"), "no template blamed:\n{err}");
}

#[test]
fn a_figure_in_the_site_title_is_reported_once_at_site_toml() {
    one_problem_at(
        "site.toml",
        "title = \"Example Co.’s strategy: a briefing\"",
        "title = \"Revenue up 35% in 2023\"",
        "35",
    );
}

#[test]
fn a_figure_in_the_footer_is_reported_once_at_site_toml() {
    one_problem_at(
        "site.toml",
        "footer = \"Two sources",
        "footer = \"Written by 12 analysts. Two sources",
        "12",
    );
}

#[test]
fn a_figure_in_a_page_description_is_reported_once_at_its_line() {
    one_problem_at(
        "content/principles.md",
        "description = \"The principles",
        "description = \"The 9 principles",
        "9",
    );
}

#[test]
fn a_figure_in_a_page_title_shown_on_every_page_is_reported_once() {
    one_problem_at(
        "content/principles.md",
        "title = \"Principles\"",
        "title = \"Principles for 2031\"",
        "2031",
    );
}

#[test]
fn a_year_some_source_states_is_allowed_in_a_setting() {
    let site = Fixture::starter();
    edit(
        &site,
        "site.toml",
        "title = \"Example Co.’s strategy: a briefing\"",
        "title = \"Example Co. in 2025\"",
    );
    site.build_ok();
}

/// The schema's optional keys (src/cite/schema.rs, the table in docs/FORMAT.md) by the table
/// they belong to, and a page's optional front matter. Left in where the content needs them to
/// stay true: a metric's `cite` (every metric cites its quote), a citation's `page` of a PDF,
/// `forecast = true`, and the `unit` of a metric with a series (a chart's values are numbers);
/// any other metric's `unit` moves into its `value`.
const OPTIONAL: &[(&str, &[&str])] = &[
    (
        "page",
        &[
            "description",
            "date",
            "weight",
            "draft",
            "slug",
            "sort_by",
            "in_nav",
        ],
    ),
    (
        "metrics",
        &[
            "unit",
            "label",
            "as_of",
            "forecast",
            "forecast_reason",
            "note",
            "chart",
        ],
    ),
    ("series", &["label", "forecast", "forecast_reason"]),
    (
        "horizons",
        &["words", "timeframe", "summary", "cite", "also_cite"],
    ),
    ("principles", &["id", "summary", "cites"]),
    ("headline", &["attribution"]),
    ("pull_quote", &["attribution"]),
    ("analysis", &["intro"]),
    ("items", &["horizon", "reading", "cite"]),
    (
        "source",
        &[
            "title",
            "publisher",
            "author",
            "date",
            "url",
            "language",
            "translation",
        ],
    ),
    ("cite", &["page"]),
];

/// Remove the optional keys of `table`, the `kind` of table named in [`OPTIONAL`] (`extra`:
/// the page's `[extra]`, whose keys name their tables' kinds).
fn strip(table: &mut toml::Table, kind: &str) {
    let optional = OPTIONAL
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[][..], |o| o.1);
    let series = table.contains_key("series");
    let unit = table
        .get("unit")
        .and_then(|u| u.as_str())
        .unwrap_or("")
        .to_string();
    if let (false, Some(toml::Value::String(value))) = (series, table.get_mut("value"))
        && !unit.is_empty()
    {
        *value = format!("{value} {unit}");
    }
    let pdf = table.get("source").and_then(|s| s.as_str()) == Some("report.md");
    table.retain(|key, value| {
        let needed = (key == "forecast" && value.as_bool() == Some(true))
            || (key == "page" && pdf)
            || (key == "unit" && series);
        needed || !optional.contains(&key)
    });
    if kind == "page" {
        return;
    }
    for (key, value) in table.iter_mut() {
        let named = kind == "extra" || ["series", "items", "cite"].contains(&key.as_str());
        let kind = if named { key.as_str() } else { kind };
        match value {
            toml::Value::Table(t) => strip(t, kind),
            toml::Value::Array(items) => {
                for item in items.iter_mut().filter_map(|i| i.as_table_mut()) {
                    strip(item, kind);
                }
            }
            _ => {}
        }
    }
}

/// A content file with its optional front matter left out, and all of `[extra]` too unless
/// `keep_data` (then each typed table keeps its required keys).
fn without_optional(text: &str, keep_data: bool) -> String {
    let rest = text.strip_prefix("+++\n").expect("front matter");
    let (front, body) = rest.split_once("\n+++\n").expect("front matter closed");
    let mut table: toml::Table = toml::from_str(front).unwrap();
    strip(&mut table, "page");
    match table.get_mut("extra").and_then(|e| e.as_table_mut()) {
        Some(extra) if keep_data => {
            let typed = [
                "metrics",
                "horizons",
                "principles",
                "headline",
                "pull_quote",
            ];
            extra.retain(|key, _| typed.contains(&key) || key == "analysis" || key == "source");
            strip(extra, "extra");
        }
        _ => {
            table.remove("extra");
        }
    }
    format!("+++\n{}+++\n{body}", toml::to_string(&table).unwrap())
}

/// The starter with every optional key of its content and settings left out.
fn bare_starter(keep_data: bool) -> Fixture {
    let site = Fixture::starter();
    site.write("site.toml", "title = \"Example Co.\"\n".as_bytes());
    for entry in fs::read_dir(site.root().join("content")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = fs::read_to_string(&path).unwrap();
            fs::write(&path, without_optional(&text, keep_data)).unwrap();
        }
    }
    site
}

#[test]
fn the_starter_builds_without_any_optional_key_and_shows_what_is_required() {
    let site = bare_starter(true);
    let metrics = fs::read_to_string(site.root().join("content/metrics.md")).unwrap();
    assert!(
        !metrics.contains("as_of") && !metrics.contains("label ="),
        "{metrics}"
    );
    site.build_ok();
    let metrics = site.out("metrics/index.html");
    for shown in [
        "2.5 million",
        "40 months",
        "Break-even",
        "5–7 years",
        "served 2.5 million customers",
    ] {
        assert!(metrics.contains(shown), "the metrics page shows `{shown}`");
    }
    let model = site.out("model/index.html");
    for shown in [
        "Run",
        "Build",
        "Explore",
        "Which business sits in which horizon?",
    ] {
        assert!(model.contains(shown), "the model page shows `{shown}`");
    }
    assert!(
        site.out("principles/index.html")
            .contains("Customer value first")
    );
    assert!(site.out("index.html").contains("We run today’s business"));
    let sources = site.out("sources/index.html");
    assert_eq!(sources.matches("class=\"source-item\"").count(), 4);
    assert!(
        metrics.contains("$260,174 million"),
        "a series from a column without a unit shows its header's"
    );
    assert!(
        sources.contains("Annual report 2025"),
        "a source without a title shows its page's"
    );
}

#[test]
fn the_starter_builds_without_any_extra_data() {
    let site = bare_starter(false);
    site.build_ok();
    assert!(site.out("index.html").contains("Briefing"));
    assert!(site.out("metrics/index.html").contains("Key metrics"));
}

const MINIMAL_SOURCE: &str = "Northwind letter\n\nIn 2024 Northwind made 3.4 million deliveries a day.\n\nWe build for the long run.\n";

#[test]
fn a_hand_written_site_with_only_required_keys_builds_on_the_built_in_templates() {
    let cite = "source = \"source.md\"\npara = 1";
    let site = Fixture::empty()
        .file("site.toml", "title = \"Northwind\"\n")
        .file("content/sources/letter.txt", MINIMAL_SOURCE)
        .file(
            "content/_index.md",
            "+++\ntitle = \"Northwind\"\n[extra.headline]\nquote = \"We build for the long run.\"\nsource = \"source.md\"\npara = 2\n+++\nA briefing.\n",
        )
        .file(
            "content/source.md",
            "+++\ntitle = \"The letter\"\ntemplate = \"source.html\"\ndocument = \"sources/letter.txt\"\n+++\n",
        )
        .file("content/sources.md", "+++\ntitle = \"Sources\"\ntemplate = \"sources.html\"\n+++\n")
        .file(
            "content/metrics.md",
            &format!("+++\ntitle = \"Figures\"\ntemplate = \"metrics.html\"\n[[extra.metrics]]\nvalue = \"3.4 million deliveries a day\"\n[extra.metrics.cite]\nquote = \"In 2024 Northwind made 3.4 million deliveries a day.\"\n{cite}\n+++\n"),
        )
        .file(
            "content/model.md",
            "+++\ntitle = \"Model\"\ntemplate = \"model.html\"\n[[extra.horizons]]\nname = \"The long run\"\n[extra.analysis]\ntitle = \"What it means\"\n[[extra.analysis.items]]\nreason = \"The letter names no horizon.\"\n+++\n",
        )
        .file(
            "content/principles.md",
            "+++\ntitle = \"Principles\"\ntemplate = \"principles.html\"\n[[extra.principles]]\nname = \"Long run first\"\n+++\n",
        );
    site.build_ok();
    let metrics = site.out("metrics/index.html");
    assert!(metrics.contains("3.4 million deliveries a day"));
    assert!(metrics.contains("In 2024 Northwind made 3.4 million deliveries a day."));
    assert!(site.out("model/index.html").contains("The long run"));
    assert!(
        site.out("model/index.html")
            .contains("The letter names no horizon.")
    );
    assert!(site.out("principles/index.html").contains("Long run first"));
    assert!(
        site.out("index.html")
            .contains("We build for the long run.")
    );
    assert!(site.out("sources/index.html").contains("The letter"));
}

#[test]
fn a_figure_in_a_free_front_matter_value_is_reported_once_at_its_line() {
    one_problem_at(
        "content/_index.md",
        "kicker = \"Briefing · Example Co.’s strategy\"",
        "kicker = \"Briefing by 12 analysts\"",
        "12",
    );
}

/// A word the site leaves at its default is the templates', not a setting: a template that puts
/// it in quotation marks is blamed at the template's line, never at a `site.toml` line that does
/// not exist (the fuzzer's mutant 83 was reported as "site.toml:" with no line).
#[test]
fn a_default_word_quoted_by_a_template_is_blamed_on_the_template() {
    let site = Fixture::starter();
    let path = site.root().join("templates/base.html");
    let base = fs::read_to_string(&path).unwrap();
    let main = "<main id=\"main\" tabindex=\"-1\">";
    let quoted = format!("{main}<p>“{{{{ config.words.pdf_file }}}}”</p>");
    fs::write(&path, base.replacen(main, &quoted, 1)).unwrap();
    let err = site.build().fails();
    let found: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("“The original PDF”"))
        .collect();
    assert!(!found.is_empty(), "{err}");
    for line in found {
        let place = line
            .trim_start_matches("error: ")
            .split(": ")
            .next()
            .unwrap();
        let (file, number) = place.split_once(':').unwrap_or((place, ""));
        assert!(file.starts_with("templates/"), "{line}");
        assert!(number.parse::<u32>().is_ok(), "no line in {line}");
    }
    assert!(!err.contains("site.toml"), "{err}");
}
