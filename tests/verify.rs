//! `build` verifies what the reader sees: one fixture per rule, each asserting the message, its
//! file:line location, exit 1, and that the previous output survived. The fixture is a small
//! briefing on the built-in templates.

mod common;
use common::Fixture;

const SOURCE: &str = "Northwind annual letter\n\nIn 2024 Northwind made 3.4 million\ndeliveries a day, up from 2.9 million.\n\nBy 2027 Northwind aims to reach 5 million deliveries a day.\n\nThe chief executive said: “We build for the long run.”\n";

const HOME: &str = "+++\ntitle = \"Northwind\"\ndescription = \"A briefing.\"\n[extra]\nmetrics_page = \"metrics.md\"\n[extra.headline]\nquote = \"By 2027 Northwind aims to reach 5 million deliveries a day\"\nsource = \"source.md\"\npara = 2\n+++\nNorthwind made [3.4 million deliveries a day in 2024](@/source.md#p1).\n";

const METRICS: &str = "+++\ntitle = \"Key metrics\"\ndescription = \"The figures.\"\ntemplate = \"metrics.html\"\n\n[[extra.metrics]]\nvalue = \"3.4\"\nunit = \"million deliveries a day\"\nlabel = \"deliveries\"\nas_of = \"2024\"\nforecast = false\n[extra.metrics.cite]\nquote = \"In 2024 Northwind made 3.4 million deliveries a day\"\nsource = \"source.md\"\npara = 1\n\n[[extra.metrics]]\nvalue = \"5\"\nunit = \"million deliveries a day\"\nlabel = \"target\"\nas_of = \"By 2027\"\nforecast = true\n[extra.metrics.cite]\nquote = \"By 2027 Northwind aims to reach 5 million deliveries a day\"\nsource = \"source.md\"\npara = 2\n+++\nThe letter calls the long run its aim: “We build for the long run.”\n";

fn briefing() -> Fixture {
    Fixture::empty()
        .file("site.toml", "title = \"Northwind\"\ndescription = \"A briefing.\"\n")
        .file("content/_index.md", HOME)
        .file("content/metrics.md", METRICS)
        .file(
            "content/source.md",
            "+++\ntitle = \"Source\"\ndescription = \"The letter.\"\ndocument = \"sources/letter.txt\"\ntemplate = \"source.html\"\n+++\n",
        )
        .file("content/sources/letter.txt", SOURCE)
}

/// Build the good fixture, apply `change`, and expect the build to fail with every needle in
/// its message; the site built before must be untouched.
fn refused(change: impl FnOnce(Fixture) -> Fixture, needles: &[&str]) -> String {
    let site = briefing();
    site.build_ok();
    let site = change(site);
    let err = site.fails_keeping_output();
    for needle in needles {
        assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    }
    err
}

#[test]
fn the_fixture_builds_and_its_pages_are_verified() {
    let site = briefing();
    site.build_ok();
    let home = site.out("index.html");
    assert!(
        home.contains("By 2027 Northwind aims"),
        "the quote is shown as written"
    );
}

#[test]
fn a_figure_typed_into_prose() {
    refused(
        |s| {
            s.file(
                "content/metrics.md",
                &METRICS.replace(
                    "long run.”\n",
                    "long run.”\n\nRevenue grew 12% last year.\n",
                ),
            )
        },
        &[
            "content/metrics.md:",
            "figure 12 in “Revenue grew 12% last year.” has no source",
        ],
    );
}

#[test]
fn a_prose_citation_to_the_wrong_paragraph() {
    refused(
        |s| {
            s.file(
                "content/_index.md",
                &HOME.replace("source.md#p1", "source.md#p2"),
            )
        },
        &[
            "content/_index.md:11:",
            "figure 3.4",
            "is not in paragraph 2 of `sources/letter.txt`",
        ],
    );
}

#[test]
fn a_figure_typed_into_a_template() {
    let err = refused(
        |s| {
            s.file("templates/page.html", "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1><p>Up 40% this year.</p>{% endblock main %}")
            .file("content/notes.md", "+++\ntitle = \"Notes\"\ndescription = \"n\"\n+++\nNotes.\n")
        },
        &["templates/page.html:1:", "figure 40"],
    );
    assert!(err.contains("(in notes/index.html)"), "{err}");
}

#[test]
fn a_template_filter_that_changes_a_quote() {
    refused(
        |s| {
            s.file(
                "templates/index.html",
                &String::from_utf8_lossy(
                    &std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/index.html"))
                        .unwrap(),
                )
                .replace(
                    "{{ x.headline.quote }}",
                    "{{ x.headline.quote | capitalize }}",
                ),
            )
        },
        &[
            "content/_index.md:7:",
            "By 2027 northwind aims",
            "a template filter",
        ],
    );
}

#[test]
fn a_wrong_unit_is_reported_at_its_key() {
    refused(
        |s| {
            s.file(
                "content/metrics.md",
                &METRICS.replacen(
                    "unit = \"million deliveries a day\"",
                    "unit = \"billion deliveries a day\"",
                    1,
                ),
            )
        },
        &[
            "content/metrics.md:8:1:",
            "shows `3.4 billion deliveries a day`, but its quote gives “3.4 million”: the source says million; the metric says billion",
        ],
    );
}

#[test]
fn a_forecast_marked_as_stated() {
    let err = refused(
        |s| {
            s.file(
                "content/metrics.md",
                &METRICS.replace("forecast = true", "forecast = false"),
            )
        },
        &["content/metrics.md:22:1:", "its quote looks ahead (“aims”)"],
    );
    assert!(err.contains("forecast_reason"), "{err}");
    // An override with its reason builds, and the page shows the reason.
    let site = briefing().file(
        "content/metrics.md",
        &METRICS.replace(
            "forecast = true",
            "forecast = false\nforecast_reason = \"The letter reports the plan as adopted.\"",
        ),
    );
    site.build_ok();
    assert!(
        site.out("metrics/index.html")
            .contains("The letter reports the plan as adopted.")
    );
}

#[test]
fn a_misspelt_key_is_reported_at_the_content_line_not_the_template() {
    let err = refused(
        |s| {
            s.file(
                "content/metrics.md",
                &METRICS.replacen("label = \"deliveries\"", "lable = \"deliveries\"", 1),
            )
        },
        &[
            "content/metrics.md:9:1:",
            "unknown key `lable`",
            "did you mean `label`?",
        ],
    );
    assert!(
        !err.contains("templates/"),
        "no symptom in a template: {err}"
    );
}

#[test]
fn broken_links_and_anchors_stop_the_build() {
    refused(
        |s| {
            s.file("content/notes.md", "+++\ntitle = \"Notes\"\ndescription = \"n\"\n+++\n[gone](missing.html) and [there](@/metrics.md#nowhere)\n")
        },
        &[
            "content/notes.md:5:",
            "no file `notes/missing.html`",
            "no element with id `nowhere`",
        ],
    );
}

#[test]
fn an_empty_site_or_one_without_a_home_page_is_refused() {
    refused(
        |s| {
            for f in ["_index.md", "metrics.md", "source.md"] {
                s.remove(&format!("content/{f}"));
            }
            s
        },
        &["content/: `content/` has no Markdown pages"],
    );
    refused(
        |s| {
            s.remove("content/_index.md");
            s
        },
        &["content/_index.md: the site has no home page"],
    );
}

#[test]
fn a_page_that_fails_to_parse_causes_no_false_link_errors() {
    let err = refused(
        |s| {
            s.file(
                "content/metrics.md",
                &METRICS.replace("title = \"Key metrics\"", "title = \"Key metrics"),
            )
        },
        &["content/metrics.md:2:"],
    );
    assert!(err.contains("1 problem found"), "only the cause: {err}");
}

#[test]
fn a_repeated_quote_is_located_at_its_own_copy() {
    // The second metric quotes the first metric's sentence but cites paragraph 2.
    let repeated = METRICS.replace(
        "quote = \"By 2027 Northwind aims to reach 5 million deliveries a day\"",
        "quote = \"In 2024 Northwind made 3.4 million deliveries a day\"",
    );
    let site = briefing().file("content/metrics.md", &repeated);
    let err = site.build().fails();
    assert!(
        err.contains("content/metrics.md:24:9: quote in `extra.metrics[1].cite`"),
        "{err}"
    );
    assert!(err.contains("(it is in paragraph 1)"), "{err}");
}

#[test]
fn a_near_miss_quote_shows_the_closest_passage() {
    let near = METRICS
        .replace(
            "aims to reach 5 million deliveries a day\"\nsource",
            "aims to reach 6 million deliveries a day\"\nsource",
        )
        .replacen("value = \"5\"", "value = \"6\"", 1);
    let err = briefing().file("content/metrics.md", &near).build().fails();
    assert!(err.contains("content/metrics.md:24:9:"), "{err}");
    assert!(
        err.contains(
            "closest passage of paragraph 2: “By 2027 Northwind aims to reach [-6-]{+5+} million"
        ),
        "{err}"
    );
}

#[test]
fn a_source_wrapped_in_blocks_and_a_byte_order_mark() {
    let site = briefing().file("content/sources/letter.txt", &format!("\u{feff}{SOURCE}"));
    site.build_ok();
    let source = site.out("source/index.html");
    assert!(
        source
            .contains("In 2024 Northwind made 3.4 million deliveries a day, up from 2.9 million."),
        "block joined"
    );
    assert!(!source.contains('\u{feff}'), "no byte-order mark");
}

#[test]
fn the_analysis_marker_shows_its_basis() {
    let own = "+++\ntitle = \"Notes\"\ndescription = \"n\"\n+++\nGrowth was [about 17%](analysis: \"3.4 over 2.9 million, ¶1\") a year.\n";
    let site = briefing().file("content/notes.md", own);
    site.build_ok();
    let page = site.out("notes/index.html");
    assert!(
        page.contains("data-analysis=\"3.4 over 2.9 million, ¶1\""),
        "{page}"
    );
    assert!(
        page.contains("(analysis: 3.4 over 2.9 million, ¶1)"),
        "the basis is shown: {page}"
    );
    refused(
        |s| {
            s.file("content/notes.md", "+++\ntitle = \"Notes\"\ndescription = \"n\"\n+++\n<span data-analysis=\"\">about 17%</span>\n")
        },
        &["must state its basis"],
    );
}

#[test]
fn an_ordinal_marker_holds_only_a_list_number() {
    refused(
        |s| {
            s.file("templates/page.html", "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1><span data-ordinal>12%</span>{% endblock main %}")
            .file("content/notes.md", "+++\ntitle = \"Notes\"\ndescription = \"n\"\n+++\nNotes.\n")
        },
        &["`data-ordinal` shows “12%”"],
    );
}

#[test]
fn did_you_mean_for_templates() {
    refused(
        |s| {
            s.file(
                "content/metrics.md",
                &METRICS.replace("template = \"metrics.html\"", "template = \"metric.html\""),
            )
        },
        &["content/metrics.md:4:", "did you mean `metrics.html`?"],
    );
}

#[test]
fn a_site_without_sources_has_no_figure_rules() {
    Fixture::new()
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\nRevenue grew 12% to $3.4 billion.\n",
        )
        .build_ok();
}
