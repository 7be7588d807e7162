//! Fixture briefings for the drawings and the words: horizon diagrams with two to six
//! horizons, metrics with a series drawn as a chart, `[words]` in site.toml, and a scan of the
//! default templates for words typed into them. Each starts from `briefing init`.

mod common;
use common::Fixture;
use std::fs;

const LONG: [(&str, &str); 6] = [
    (
        "Defend and extend the core marketplace",
        "work for today on every merchant",
    ),
    (
        "Internationalisation",
        "invest for tomorrow in cross-border commerce",
    ),
    (
        "Cloud and the infrastructure beneath it",
        "build what later businesses run on",
    ),
    (
        "Incubate new ventures",
        "incubate for the day after tomorrow",
    ),
    (
        "Moonshots with no revenue yet",
        "bets that take eight to ten years",
    ),
    ("A sixth horizon", "one too many"),
];
const SERIES_QUOTE: &str = "Users reached 1.07 billion in 2024";
/// One sentence of the source for each value of the series (paragraphs 8, 9, 10).
const POINT_QUOTES: [&str; 3] = [
    "Users were 1.0 billion in 2023",
    "Users reached 1.07 billion in 2024, a record",
    "Users are expected to reach 1.5 billion in 2027",
];

/// `briefing init` into a temp dir, plus a source of our own that the fixture pages cite.
fn starter() -> Fixture {
    let site = Fixture::starter();
    let mut text = String::from("A fixture source\n");
    for (_, words) in LONG {
        text.push_str(&format!("We say: {words}.\n"));
    }
    for quote in std::iter::once(SERIES_QUOTE).chain(POINT_QUOTES) {
        text.push_str(quote);
        text.push_str(".\n");
    }
    site.file("content/sources/fixture.txt", &text).file(
        "content/fixture-source.md",
        "+++\ntitle = \"Fixture source\"\ndocument = \"sources/fixture.txt\"\ntemplate = \"source.html\"\nin_nav = false\n+++\n",
    )
}

fn horizons_page(n: usize) -> String {
    let mut s = String::from("+++\ntitle = \"Horizons\"\ntemplate = \"model.html\"\n[extra]\n");
    for (i, (name, words)) in LONG.iter().take(n).enumerate() {
        s.push_str(&format!(
            "[[extra.horizons]]\nname = \"{name}\"\nwords = \"{words}\"\ntimeframe = \"{}\"\nsummary = \"s\"\n\
             [extra.horizons.cite]\nquote = \"{words}\"\nsource = \"fixture-source.md\"\npara = {}\n",
            ["today", "next year", "the day after tomorrow", "later", "much later", "never"][i],
            i + 1
        ));
    }
    s + "+++\n"
}

fn series_page(values: [&str; 3]) -> String {
    let para = LONG.len() + 1;
    let mut s = format!(
        "+++\ntitle = \"Series\"\ntemplate = \"metrics.html\"\n[extra]\n[[extra.metrics]]\nvalue = \"1.07\"\n\
         unit = \"billion\"\nlabel = \"users by year\"\nas_of = \"2024\"\nchart = \"bar\"\n[extra.metrics.cite]\n\
         quote = \"{SERIES_QUOTE}\"\nsource = \"fixture-source.md\"\npara = {para}\n"
    );
    let dates = ["2023", "2024", "2027"];
    for (j, (value, quote)) in values.iter().zip(POINT_QUOTES).enumerate() {
        s.push_str(&format!(
            "[[extra.metrics.series]]\ndate = \"{}\"\nvalue = \"{value}\"\nforecast = {}\n[extra.metrics.series.cite]\n\
             quote = \"{quote}\"\nsource = \"fixture-source.md\"\npara = {}\n",
            dates[j],
            j == 2,
            para + 1 + j
        ));
    }
    s + "+++\n"
}

#[test]
fn two_to_five_horizons_each_draw_their_own_curve_style() {
    for n in 2..=5 {
        let site = starter().file("content/horizons.md", &horizons_page(n));
        site.build_ok();
        let html = site.out("horizons/index.html");
        let svg = &html[html.find("<svg class=\"hz-diagram\"").unwrap()..];
        let svg = &svg[..svg.find("</svg>").unwrap()];
        assert_eq!(svg.matches("class=\"hz-curve ").count(), n);
        let mut dashes: Vec<&str> = svg
            .split("stroke-dasharray=\"")
            .skip(1)
            .map(|r| &r[..r.find('"').unwrap()])
            .collect();
        dashes.sort();
        dashes.dedup();
        assert_eq!(dashes.len(), n, "{n} horizons, {n} line styles");
        assert_eq!(svg.matches("class=\"hz-tag\"").count(), n);
    }
}

#[test]
fn a_sixth_horizon_fails_the_build_and_keeps_the_last_site() {
    let site = starter().file("content/horizons.md", &horizons_page(5));
    site.build_ok();
    let before = site.out("horizons/index.html");
    site.write("content/horizons.md", horizons_page(6).as_bytes());
    let err = site.build().fails();
    assert!(
        err.contains("horizon_diagram draws 1 to 5 horizons; this page gives 6"),
        "{err}"
    );
    assert!(
        err.contains("templates/model.html") && err.contains("content/horizons.md"),
        "{err}"
    );
    assert_eq!(
        site.out("horizons/index.html"),
        before,
        "the previous output survived"
    );
}

#[test]
fn a_series_is_drawn_as_a_chart_with_its_table() {
    let site = starter().file("content/series.md", &series_page(["1.0", "1.07", "1.5"]));
    site.build_ok();
    let html = site.out("series/index.html");
    assert!(
        html.contains("<svg class=\"chart chart--bar\" role=\"img\""),
        "{html}"
    );
    assert!(html.contains("<title id=\"series-1-title\">users by year</title>"));
    assert!(html.contains(
        "2023: 1.0 billion (result); 2024: 1.07 billion (result); 2027: 1.5 billion (forecast).</desc>"
    ));
    assert_eq!(html.matches("chart-bar--forecast").count(), 1);
    assert!(html.contains("<caption>users by year</caption>"));
    assert!(html.contains("<th scope=\"row\">2027</th>"));
    assert_eq!(
        html.matches("href=\"../fixture-source/index.html#p7\"")
            .count(),
        4,
        "card and evidence row"
    );
    for p in ["p8", "p9", "p10"] {
        let link = format!("href=\"../fixture-source/index.html#{p}\"");
        assert!(html.contains(&link), "a series row cites {p}");
    }
}

#[test]
fn a_series_value_is_verified_like_a_metric() {
    let site = starter().file("content/series.md", &series_page(["1.0", "1.07", "1.5"]));
    site.build_ok();
    let before = site.out("series/index.html");
    // A figure its quote does not hold.
    site.write(
        "content/series.md",
        series_page(["1.0", "1.08", "1.5"]).as_bytes(),
    );
    let err = site.build().fails();
    assert!(err.contains("content/series.md:25:9: metric `extra.metrics[0].series[1]` shows 1.08, but its quote does not contain 1.08"), "{err}");
    // A value its quote holds but the chart cannot draw.
    site.write(
        "content/series.md",
        series_page(["1.0", "1.07 or so", "1.5"]).as_bytes(),
    );
    let err = site.build().fails();
    assert!(
        err.contains("value `1.07 or so` (2024) is not a number"),
        "{err}"
    );
    assert!(err.contains("content/series.md"), "{err}");
    // A series value without a citation.
    let uncited = series_page(["1.0", "1.07", "1.5"]).replacen(
        "[extra.metrics.series.cite]",
        "[extra.metrics.series.x]",
        1,
    );
    site.write("content/series.md", uncited.as_bytes());
    let err = site.build().fails();
    assert!(
        err.contains("content/series.md:") && err.contains("cite"),
        "{err}"
    );
    assert_eq!(
        site.out("series/index.html"),
        before,
        "the previous output survived"
    );
}

#[test]
fn words_from_site_toml_replace_the_defaults() {
    let site = starter().file("content/horizons.md", &horizons_page(3));
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let site = site.file(
        "site.toml",
        &format!("{toml}\n[words]\nhorizon = \"Priority\"\nskip_link = \"Zum Inhalt\"\nsource_words = \"In their words\"\ndiagram_time = \"Years →\"\n"),
    );
    site.build_ok();
    let html = site.out("horizons/index.html");
    assert!(html.contains("<th scope=\"col\">Priority</th>"), "{html}");
    assert!(!html.contains(">Horizon<"));
    assert!(html.contains(">Zum Inhalt</a>") && !html.contains("Skip to content"));
    assert!(html.contains("data-label=\"In their words\""));
    assert!(html.contains(">Years →</text>"));
    let metrics = site.out("metrics/index.html");
    assert!(
        metrics.contains(">Stated<"),
        "untouched words keep their defaults"
    );
}

#[test]
fn a_misspelt_word_is_an_error_at_its_line() {
    let site = starter();
    site.build_ok();
    let before = site.out("index.html");
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let line = toml.lines().count() + 3;
    site.write(
        "site.toml",
        format!("{toml}\n[words]\nhorizn = \"Bet\"\n").as_bytes(),
    );
    let err = site.build().fails();
    assert!(
        err.contains(&format!("site.toml:{line}:1")) && err.contains("horizn"),
        "{err}"
    );
    assert_eq!(site.out("index.html"), before);
}

/// No default template types a word for the reader: outside Tera tags, comments, `<style>`
/// `<script>` and markup, and in the attributes people read, only symbols and numbers are left.
#[test]
fn no_default_template_has_words_of_its_own() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let text = fs::read_to_string(entry.path()).unwrap();
        let mut rest = strip(&text, "{#", "#}");
        for (open, close) in [
            ("{%", "%}"),
            ("{{", "}}"),
            ("<style", "</style>"),
            ("<script", "</script>"),
        ] {
            rest = strip(&rest, open, close);
        }
        for attr in ["aria-label=\"", "title=\"", "alt=\"", "data-label=\""] {
            for value in rest.split(attr).skip(1) {
                let value = &value[..value.find('"').unwrap()];
                if value.chars().any(char::is_alphabetic) {
                    found.push(format!("{}: {attr}{value}", entry.path().display()));
                }
            }
        }
        let visible = strip(&rest, "<", ">");
        for word in visible
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
        {
            found.push(format!("{}: {word}", entry.path().display()));
        }
    }
    assert!(
        found.is_empty(),
        "words typed into templates:\n{}",
        found.join("\n")
    );
}

fn strip(text: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        out.push(' ');
        rest = rest[i..]
            .find(close)
            .map_or("", |j| &rest[i + j + close.len()..]);
    }
    out.push_str(rest);
    out
}
