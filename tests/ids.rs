//! Every id on a built page is unique: headings, footnotes, ids in raw HTML and ids written by
//! templates. The Markdown stage keeps its own apart; `check` finds a template's.

mod common;
use common::Fixture;

/// The `id` attributes of a built page, in order, as `check`'s HTML parser reads them.
fn ids(html: &str) -> Vec<String> {
    briefing::check::scan(html.as_bytes()).unwrap().id_list
}

/// The fixture's base template, with the meta description `check` asks for.
const BASE: &str = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{{ config.title }}</title>\n\
<meta name=\"description\" content=\"A fixture.\"></head>\n<body>\n<main>\n{% block main %}{% endblock %}\n</main>\n</body>\n</html>\n";

const PAGE: &str = "+++\ntitle = \"Ids\"\n+++\n\
See the note[^note] and [the box](#box).\n\n\
## Note\n\n\
## Same\n\n\
## Same\n\n\
## Kept {#same-1}\n\n\
## Wide {#wide .big data-role=summary hidden}\n\n\
<div id=\"box\">A box.</div>\n\n\
## Box\n\n\
[^note]: The footnote.\n";

#[test]
fn every_id_on_a_page_is_unique_and_links_land() {
    let site = Fixture::new()
        .file("templates/base.html", BASE)
        .file("content/ids.md", PAGE);
    site.build_ok();
    let html = site.out("ids/index.html");
    let found = ids(&html);
    assert_eq!(
        found,
        [
            "note", "same", "same-2", "same-1", "wide", "box", "box-1", "note-1"
        ],
        "{html}"
    );
    // The footnote moved aside for the heading, and its reference moved with it.
    assert!(
        html.contains("<a href=\"#note-1\">1</a>")
            && html.contains("<div class=\"footnote-definition\" id=\"note-1\">"),
        "{html}"
    );
    // Custom heading attributes reach the page.
    assert!(
        html.contains("<h2 id=\"wide\" class=\"big\" data-role=\"summary\" hidden=\"\">"),
        "{html}"
    );
    // The table of contents (anchors) agrees with the ids.
    assert!(html.contains("href=\"#same-2\"") && html.contains("href=\"#box-1\""));
    site.run(&["check"]).ok();
}

#[test]
fn identical_headings_are_numbered_in_order() {
    let body: String = "## Same\n\n".repeat(2_000);
    let site = Fixture::new().file(
        "content/many.md",
        &format!("+++\ntitle = \"Many\"\n+++\n{body}"),
    );
    site.build_ok();
    let found = ids(&site.out("many/index.html"));
    assert_eq!(found.len(), 2_000);
    assert_eq!(found[0], "same");
    assert_eq!(found[1], "same-1");
    assert_eq!(found[1_999], "same-1999");
}

#[test]
fn an_explicit_id_given_twice_is_refused_at_its_line() {
    let site = Fixture::new().file("content/ids.md", PAGE);
    site.build_ok();
    site.write(
        "content/ids.md",
        b"+++\ntitle = \"Ids\"\n+++\n## Intro {#intro}\n\nText.\n\n<p id=\"intro\">Again.</p>\n",
    );
    let err = site.fails_keeping_output();
    assert!(
        err.contains("content/ids.md:8:") && err.contains("id `intro` is given twice"),
        "{err}"
    );
}

#[test]
fn check_reports_a_duplicate_id_written_by_a_template() {
    let base = BASE.replace("<main>", "<main id=\"main\">");
    let site = Fixture::new().file("templates/base.html", &base).file(
        "content/ids.md",
        "+++\ntitle = \"Ids\"\n+++\n## Main\n\nText.\n",
    );
    let err = site.run(&["check"]).fails();
    assert!(
        err.contains("templates/base.html:6: id `main` is on the page 2 times")
            && err.contains("content/ids.md gives it too")
            && err.contains("(in ids/index.html)"),
        "{err}"
    );
    assert!(err.contains("1 problem found"), "only the one page: {err}");
    // Giving the heading its own id fixes it.
    site.write(
        "content/ids.md",
        b"+++\ntitle = \"Ids\"\n+++\n## Main {#main-points}\n\nText.\n",
    );
    site.run(&["check"]).ok();
}
