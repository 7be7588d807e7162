//! Search from disk: the search page and the header's search box, and the index script
//! (`search/index.js`) holding the terms of every page's sections and of every source
//! paragraph, each linked relative to the search page, on a fixture, on the starter site, on
//! real letters in German and Chinese, and on the real briefing.

mod common;
use common::{Fixture, Run};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Build the site at `root` into a temp dir; returns it and the output folder.
fn build_into(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let run = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output-dir")
        .arg(&target)
        .output()
        .expect("run briefing");
    Run(run).ok();
    (out, target)
}

/// The index the build wrote, as JSON.
fn index(public: &Path) -> Value {
    let js = fs::read_to_string(public.join("search/index.js")).unwrap();
    let json = js
        .strip_prefix("window.BRIEFING_SEARCH=")
        .and_then(|j| j.strip_suffix(";\n"))
        .expect("the index is one assignment");
    serde_json::from_str(json).unwrap()
}

/// Every part holding `term`: (link from the search page, title, snippet).
fn find(index: &Value, term: &str) -> Vec<(String, String, String)> {
    let Some(deltas) = index["t"][term].as_array() else {
        return Vec::new();
    };
    let mut n = 0;
    deltas
        .iter()
        .map(|d| {
            n += d.as_u64().unwrap() as usize;
            let part = &index["s"][n];
            let page = &index["p"][part[0].as_u64().unwrap() as usize];
            let id = part[1].as_str().unwrap();
            let mut link = page[0].as_str().unwrap().to_string();
            if !id.is_empty() {
                link = format!("{link}#{id}");
            }
            let text = |v: &Value| v.as_str().unwrap().to_string();
            (link, text(&part[2]), text(&part[3]))
        })
        .collect()
}

fn links(index: &Value, term: &str) -> Vec<String> {
    find(index, term).into_iter().map(|f| f.0).collect()
}

/// Every link of the index names a file of the output, and an id in it.
fn every_link_lands(index: &Value, public: &Path) {
    let search = public.join("search");
    let parts = index["s"].as_array().unwrap();
    for part in parts {
        let page = &index["p"][part[0].as_u64().unwrap() as usize];
        let file = search.join(page[0].as_str().unwrap());
        let html = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        let id = part[1].as_str().unwrap();
        assert!(
            id.is_empty() || html.contains(&format!(" id=\"{id}\"")),
            "{file:?} has no id {id}"
        );
    }
}

#[test]
fn pages_sections_and_pdf_paragraphs_are_found_with_their_links() {
    let site = Fixture::starter();
    site.build_ok();
    let index = index(&site.public());
    let customers = find(&index, "customers");
    assert!(
        customers.iter().any(
            |(link, title, snippet)| link == "../report/index.html#page-2-p1"
                && title == "Page 2"
                && snippet.starts_with("At the end of 2025, Example Co. served 2.5 million")
        ),
        "{customers:?}"
    );
    // The text source's paragraphs, by their anchors.
    let source = links(&index, "strategy");
    assert!(
        source
            .iter()
            .any(|l| l.starts_with("../source/index.html#p")),
        "{source:?}"
    );
    // A page's top and its headings; the not-found page is not searched.
    assert!(
        links(&index, "metrics")
            .iter()
            .any(|l| l.starts_with("../metrics/index.html"))
    );
    assert!(
        index["p"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p[0] != "../404.html"),
        "the 404 page is not in the index"
    );
    every_link_lands(&index, &site.public());
}

#[test]
fn the_search_page_has_a_form_that_works_as_a_link_and_every_page_a_search_box() {
    let site = Fixture::starter();
    site.build_ok();
    let page = site.out("search/index.html");
    assert!(page.contains("<h1>Search</h1>"), "{page}");
    assert!(
        page.contains("action=\"index.html\" role=\"search\""),
        "{page}"
    );
    assert!(page.contains("<input type=\"search\" id=\"search-q\" name=\"q\""));
    assert!(page.contains("aria-live=\"polite\""));
    assert!(page.contains("<script src=\"index.js\"></script>"));
    assert!(page.contains("<script src=\"../search.js\"></script>"));
    assert!(site.public().join("search.js").is_file());
    let home = site.out("index.html");
    assert!(
        home.contains("<form class=\"site-search\" action=\"search/index.html\" role=\"search\"")
    );
    let nested = site.out("metrics/index.html");
    assert!(nested.contains("action=\"../search/index.html\""));
    assert!(nested.contains("<input type=\"search\" name=\"q\""));
    // `check` follows the search page's links and script.
    site.run(&["check"]).ok();
}

/// `search = false` in site.toml (as Zola's `build_search_index = false`): no search page, no
/// index, no search box, and the site still checks clean.
#[test]
fn a_site_can_leave_search_out() {
    let site = Fixture::starter();
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", format!("search = false\n{toml}").as_bytes());
    site.build_ok();
    assert!(!site.public().join("search/index.html").exists());
    assert!(!site.public().join("search/index.js").exists());
    assert!(!site.out("index.html").contains("site-search"));
    site.run(&["check"]).ok();
    site.write("site.toml", format!("search = true\n{toml}").as_bytes());
    site.build_ok();
    assert!(site.public().join("search/index.js").is_file());
    assert!(site.out("index.html").contains("site-search"));
}

#[test]
fn the_search_page_takes_its_words_from_the_site_and_its_template_can_be_replaced() {
    let site = Fixture::new()
        .file(
            "site.toml",
            "title = \"Fixture\"\n[words]\nsearch = \"Suche\"\nsearch_many = \"{n} Treffer\"\n",
        )
        .file(
            "content/a.md",
            "+++\ntitle = \"Café\"\n+++\n## Crème brûlée {#dessert}\nSüß und knusprig.\n",
        );
    site.build_ok();
    let page = site.out("search/index.html");
    assert!(page.contains("<h1>Suche</h1>") && page.contains("data-many=\"{n} Treffer\""));
    let index = index(&site.public());
    // Folded: no case, no diacritics; a heading's words and its text both find its section.
    assert_eq!(links(&index, "creme"), ["../a/index.html#dessert"]);
    assert_eq!(links(&index, "suß"), ["../a/index.html#dessert"]);
    assert!(links(&index, "cafe").contains(&"../a/index.html".to_string()));
    let site = site.file(
        "templates/search.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Find</h1><script src=\"index.js\"></script>{% endblock %}",
    );
    site.build_ok();
    assert!(site.out("search/index.html").contains("<h1>Find</h1>"));
}

#[test]
fn what_readers_do_not_read_as_text_is_not_indexed() {
    let site = Fixture::new().file(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n## Visible {#v}\nplainword\n\n<span aria-hidden=\"true\">hiddenword</span>\n\n<script>scriptword()</script>\n",
    );
    let site = site.file(
        "site.toml",
        "title = \"Fixture\"\n[markdown]\nunsafe_html = true\n",
    );
    site.build_ok();
    let index = index(&site.public());
    assert_eq!(links(&index, "plainword"), ["../a/index.html#v"]);
    assert!(find(&index, "hiddenword").is_empty());
    assert!(find(&index, "scriptword").is_empty());
    // A heading's own anchor link (`#`) is not part of its title.
    assert!(find(&index, "visible").iter().all(|f| f.1 == "Visible"));
}

#[test]
fn german_and_chinese_letters_are_found_by_folded_words_and_character_pairs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/letters");
    let (_dir, public) = build_into(&root);
    let index = index(&public);
    let german = find(&index, "geschaftsjahr");
    assert!(
        german
            .iter()
            .any(|f| f.0.starts_with("../zusammenfassung/index.html")),
        "{german:?}"
    );
    let chinese = links(&index, "年度");
    assert!(
        chinese
            .iter()
            .any(|l| l.starts_with("../beidahuang/index.html#p")),
        "{chinese:?}"
    );
    every_link_lands(&index, &public);
}

#[test]
fn the_real_briefing_finds_its_source_sentences() {
    let (_dir, public) = build_into(Path::new(env!("CARGO_MANIFEST_DIR")));
    let index = index(&public);
    let incubate = links(&index, "incubate");
    assert!(
        incubate
            .iter()
            .any(|l| l.starts_with("../source/index.html#p")),
        "{incubate:?}"
    );
    assert!(
        incubate
            .iter()
            .any(|l| l.starts_with("../model/index.html"))
    );
    assert!(
        !find(&index, "菜鸟").is_empty(),
        "Chinese in an English page"
    );
    every_link_lands(&index, &public);
}
