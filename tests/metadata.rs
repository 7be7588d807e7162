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

/// The starter, built once, with its annual report described as dated 2019 (a year no source
/// states) at an address with digits in it.
fn starter_with_source(date: &str) -> Fixture {
    let site = Fixture::starter();
    site.build_ok();
    edit(
        &site,
        "content/report.md",
        "date = \"March 2026\"",
        &format!("date = \"{date}\"\nurl = \"https://example.com/2019/letter-10k.pdf\""),
    );
    site
}

#[test]
fn a_source_url_with_digits_and_a_publication_date_build() {
    for date in ["2019", "April 2019", "2019-04-14", "14 April 2019", "April 14, 2019"] {
        let site = starter_with_source(date);
        site.build_ok();
        let sources = site.out("sources/index.html");
        assert!(sources.contains(date), "{date} shown on the Sources page");
        assert!(
            sources.contains("href=\"https://example.com/2019/letter-10k.pdf\""),
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
    let site = starter_with_source("soon");
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
    assert_eq!(err.matches(&format!("figure {figure} ")).count(), 1, "{err}");
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
