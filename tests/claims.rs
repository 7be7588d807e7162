//! Figures are compared by what they mean (value, scale, currency, direction, period), on pages
//! and in metrics, in each language: for every rule, the honest form builds and the wrong form
//! fails with its message at its line. The sources are short letters written for these tests
//! in the manner of shareholder letters; the fixture uses the built-in templates.

mod common;
use common::Fixture;

const LETTER: &str = "Northwind letter to shareholders\n\n\
Operating income fell 35% to $3.1 billion in 2024.\n\n\
Northwind had 40 million members in 2023, compared to 32 million in 2022.\n\n\
In the fourth quarter of 2024, net sales were $1.2 billion, up 13%.\n\n\
The company opened 27 offices in 2024, 12 of them in Asia.\n";

const BRIEF: &str = "Nordwind Brief an die Aktionäre\n\n\
Der Umsatz stieg im Jahr 2023 auf 2 Mrd. €.\n\n\
Wir schlagen vor, die Dividende auf 1,250 € je Aktie zu erhöhen.\n";

const LETTER_ZH: &str = "北风致股东信\n\n２０２３年营收为９亿元，同比下降５%。\n";

const HOME: &str = "+++\ntitle = \"Northwind\"\ndescription = \"A briefing.\"\n[extra]\nmetrics_page = \"metrics.md\"\n+++\nOverview.\n";

/// A metric of the fixture: value, unit, label, as_of and its quote of paragraph `para`.
fn metric(value: &str, unit: &str, label: &str, as_of: &str, quote: &str, para: u32) -> String {
    format!(
        "[[extra.metrics]]\nvalue = \"{value}\"\nunit = \"{unit}\"\nlabel = \"{label}\"\nas_of = \"{as_of}\"\n\
         [extra.metrics.cite]\nquote = \"{quote}\"\nsource = \"letter.md\"\npara = {para}\n\n"
    )
}

fn metrics() -> String {
    String::from(
        "+++\ntitle = \"Key metrics\"\ndescription = \"The figures.\"\ntemplate = \"metrics.html\"\n\n",
    ) + &metric(
        "$3.1",
        "billion",
        "operating income",
        "2024",
        "Operating income fell 35% to $3.1 billion in 2024",
        1,
    ) + &metric(
        "$1.2",
        "billion",
        "net sales, up 13%",
        "Q4 2024",
        "In the fourth quarter of 2024, net sales were $1.2 billion, up 13%",
        3,
    ) + &metric(
        "27",
        "offices",
        "offices opened",
        "2024",
        "The company opened 27 offices in 2024",
        4,
    ) + &metric(
        "13",
        "%",
        "growth of net sales",
        "Q4 2024",
        "net sales were $1.2 billion, up 13%",
        3,
    ) + &metric(
        "12",
        "offices",
        "offices opened in Asia",
        "2024",
        "12 of them in Asia",
        4,
    ) + "+++\nThe figures of the letter.\n"
}

fn briefing() -> Fixture {
    Fixture::empty()
        .file("site.toml", "title = \"Northwind\"\ndescription = \"A briefing.\"\n")
        .file("content/_index.md", HOME)
        .file("content/metrics.md", &metrics())
        .file("content/letter.md", "+++\ntitle = \"Letter\"\ndescription = \"The letter.\"\ndocument = \"sources/letter.txt\"\ntemplate = \"source.html\"\n+++\n")
        .file("content/sources/letter.txt", LETTER)
        .file("content/brief.md", "+++\ntitle = \"Brief\"\ndescription = \"Der Brief.\"\ndocument = \"sources/brief.txt\"\ntemplate = \"source.html\"\n[extra.source]\nlanguage = \"de\"\n+++\n")
        .file("content/sources/brief.txt", BRIEF)
        .file("content/xin.md", "+++\ntitle = \"Xin\"\ndescription = \"信\"\ndocument = \"sources/xin.txt\"\ntemplate = \"source.html\"\n[extra.source]\nlanguage = \"zh\"\n+++\n")
        .file("content/sources/xin.txt", LETTER_ZH)
}

/// A page of prose in `lang` whose body is `body`.
fn prose(lang: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"Notes\"\ndescription = \"Notes.\"\nlanguage = \"{lang}\"\n+++\nIntro.\n\n{body}\n"
    )
}

/// The 1-based line of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

/// The fixture with `rel` set to `text` builds.
fn builds(rel: &str, text: &str) {
    briefing().file(&format!("content/{rel}"), text).build_ok();
}

/// The fixture with `rel` set to `text` fails, at the line holding `at`, with every needle.
fn fails(rel: &str, text: &str, at: &str, needles: &[&str]) -> String {
    let site = briefing();
    site.build_ok();
    let site = site.file(&format!("content/{rel}"), text);
    let err = site.fails_keeping_output();
    let place = format!("content/{rel}:{}:", line_of(text, at));
    assert!(err.contains(&place), "expected `{place}` in:\n{err}");
    for needle in needles {
        assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    }
    err
}

#[test]
fn the_fixture_builds() {
    let site = briefing();
    site.build_ok();
    let page = site.out("metrics/index.html");
    assert!(
        page.contains("id=\"metric-3\" data-cite=\"../letter/index.html#p4\""),
        "{page}"
    );
}

#[test]
fn scale_in_prose() {
    builds(
        "notes.md",
        &prose("en", "Income was [$3.1 billion](@/letter.md#p1)."),
    );
    builds(
        "notes.md",
        &prose("en", "Income was [$3,100 million](@/letter.md#p1)."),
    );
    let text = prose("en", "Income was [$3.1 million](@/letter.md#p1).");
    fails(
        "notes.md",
        &text,
        "$3.1 million",
        &[
            "figure 3.1 in “Income was $3.1 million",
            "does not mean what paragraph 1 of `sources/letter.txt` says (“$3.1 billion”): the source says billion; the page says million",
        ],
    );
}

#[test]
fn currency_in_prose() {
    let text = prose("en", "Income was [€3.1 billion](@/letter.md#p1).");
    fails(
        "notes.md",
        &text,
        "€3.1",
        &["the source says US dollars; the page says euros"],
    );
}

#[test]
fn direction_in_prose_and_in_a_metric() {
    builds(
        "notes.md",
        &prose("en", "Operating income [fell 35%](@/letter.md#p1)."),
    );
    let text = prose("en", "Operating income [rose 35%](@/letter.md#p1).");
    fails(
        "notes.md",
        &text,
        "rose 35%",
        &["the source says the figure fell; the page says it rose"],
    );
    let rose = metrics().replacen(
        "value = \"13\"\nunit = \"%\"",
        "value = \"+13\"\nunit = \"%\"",
        1,
    );
    builds("metrics.md", &rose);
    let fell = metrics().replacen(
        "value = \"13\"\nunit = \"%\"",
        "value = \"-13\"\nunit = \"%\"",
        1,
    );
    fails(
        "metrics.md",
        &fell,
        "value = \"-13\"",
        &[
            "metric `extra.metrics[3]` shows `-13%`, but its quote gives “13%”: the source says the figure rose; the metric says it fell",
        ],
    );
}

#[test]
fn period_of_a_metric_and_of_a_figure() {
    let quote = "Northwind had 40 million members in 2023, compared to 32 million in 2022";
    let honest = metrics().replace(
        "+++\nThe figures",
        &(metric("32", "million members", "members", "2022", quote, 2) + "+++\nThe figures"),
    );
    builds("metrics.md", &honest);
    let wrong = honest.replace(
        "label = \"members\"\nas_of = \"2022\"",
        "label = \"members\"\nas_of = \"2023\"",
    );
    fails(
        "metrics.md",
        &wrong,
        "as_of = \"2023\"",
        &["the source gives 32 million for 2022; the metric attaches it to 2023"],
    );
    let text = prose(
        "en",
        "Northwind had [32 million members in 2023](@/letter.md#p2).",
    );
    fails(
        "notes.md",
        &text,
        "32 million members",
        &["the source gives 32 million for 2022; the page attaches it to 2023"],
    );
}

#[test]
fn german_scales_and_decimal_commas() {
    builds(
        "notiz.md",
        &prose("de", "Der Umsatz lag [bei 2 Mrd. €](@/brief.md#p1)."),
    );
    let text = prose("de", "Der Umsatz lag [bei 2 Mio. €](@/brief.md#p1).");
    fails(
        "notiz.md",
        &text,
        "2 Mio.",
        &["the source says billion (“Mrd.”); the page says million (“Mio.”)"],
    );
    builds(
        "notiz.md",
        &prose(
            "de",
            "Die Dividende soll [1,250 €](@/brief.md#p2) betragen.",
        ),
    );
    let text = prose(
        "de",
        "Die Dividende soll [12,50 €](@/brief.md#p2) betragen.",
    );
    fails(
        "notiz.md",
        &text,
        "12,50",
        &[
            "figure 12,50 in",
            "is not in paragraph 2 of `sources/brief.txt`",
        ],
    );
    // An English page reads 1,250 as twelve hundred and fifty: not the German 1,250.
    builds(
        "notes.md",
        &prose("en", "The dividend is to be [€1.25](@/brief.md#p2)."),
    );
    fails(
        "notes.md",
        &prose("en", "The dividend is to be [€1,250](@/brief.md#p2)."),
        "€1,250",
        &["is not in paragraph 2"],
    );
}

#[test]
fn full_width_digits_and_chinese_scales() {
    builds("biji.md", &prose("zh", "营收为[9亿元](@/xin.md#p1)。"));
    let text = prose("zh", "营收为[9万元](@/xin.md#p1)。");
    fails(
        "biji.md",
        &text,
        "9万元",
        &["the source says hundred million (“亿”); the page says ten thousand (“万”)"],
    );
    let text = prose("zh", "营收[同比增长5%](@/xin.md#p1)。");
    fails(
        "biji.md",
        &text,
        "增长5%",
        &["the source says the figure fell; the page says it rose"],
    );
}

#[test]
fn a_figure_is_backed_only_by_its_own_citation() {
    let text = prose("en", "The company opened 27 offices, 12 of them in Europe.");
    let err = fails(
        "notes.md",
        &text,
        "27 offices",
        &["figure 27 in", "has no source", "figure 12 in"],
    );
    assert!(err.contains("link it to the metric that gives it"), "{err}");
    // A link to the metric's card carries the metric's citation.
    builds(
        "notes.md",
        &prose(
            "en",
            "The company opened [27 offices](@/metrics.md#metric-3).",
        ),
    );
    let text = prose(
        "en",
        "The company opened [28 offices](@/metrics.md#metric-3).",
    );
    fails(
        "notes.md",
        &text,
        "28 offices",
        &["is not in paragraph 4 of `sources/letter.txt`"],
    );
}

#[test]
fn periods_written_another_way() {
    // `Q4 2024` in `as_of` for "the fourth quarter of 2024" builds (the fixture's metric 2).
    let wrong = metrics().replace("as_of = \"Q4 2024\"", "as_of = \"Q3 2024\"");
    fails(
        "metrics.md",
        &wrong,
        "as_of = \"Q3 2024\"",
        &["the source gives 1.2 billion for Q4 2024; the metric attaches it to Q3 2024"],
    );
    builds(
        "notes.md",
        &prose("en", "[In FY24 operating income fell 35%](@/letter.md#p1)."),
    );
    builds(
        "notes.md",
        &prose(
            "en",
            "[In fiscal 2024 operating income fell 35%](@/letter.md#p1).",
        ),
    );
}

#[test]
fn a_metric_label_restates_only_its_quote() {
    // "net sales, up 13%" restates the quote's 13% (the fixture's metric 2 builds).
    let wrong = metrics().replace(
        "label = \"net sales, up 13%\"",
        "label = \"net sales, up 15%\"",
    );
    fails(
        "metrics.md",
        &wrong,
        "up 15%",
        &["metric `extra.metrics[1]`: its label shows 15, but its quote does not contain 15"],
    );
}
