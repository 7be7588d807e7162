//! Several sources, one of them a PDF: the starter's two sources, citations by page and
//! paragraph, the source pages and the Sources page, and tampering with a source (a changed
//! figure, a swapped PDF, a scan, an encrypted copy) failing the build with the file named and
//! the previous site left as it was.

mod common;
use common::Fixture;
use std::fs;

fn fixture_pdf(name: &str) -> Vec<u8> {
    fs::read(format!(
        "{}/tests/fixtures/pdf/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

const PDF: &str = "content/sources/annual-report.pdf";

#[test]
fn a_pdf_source_is_shown_page_by_page_and_cited_by_page_and_paragraph() {
    let site = Fixture::starter();
    site.build_ok();
    let report = site.out("report/index.html");
    assert!(
        report.contains("<section class=\"source-page\" id=\"page-2\""),
        "{report}"
    );
    assert!(report.contains(
        "<p id=\"page-2-p1\"><a class=\"para-num\" href=\"#page-2-p1\">¶1</a> At the end of 2025, Example Co. served 2.5 million customers.</p>"
    ));
    assert!(report.contains("href=\"../sources/annual-report.pdf#page=2\""));
    assert!(
        report.contains("<dt>Publisher</dt>")
            && report.contains("<dd><time>March 2026</time></dd>")
    );
    let published = fs::read(site.public().join("sources/annual-report.pdf")).unwrap();
    assert_eq!(
        published,
        fs::read(site.root().join(PDF)).unwrap(),
        "the PDF is published as it is"
    );
    let metrics = site.out("metrics/index.html");
    for anchor in ["page-1-p3", "page-1-p4", "page-2-p1", "page-2-p2"] {
        assert!(
            metrics.contains(&format!("../report/index.html#{anchor}")),
            "a series value cites {anchor}"
        );
    }
    assert!(metrics.contains("title=\"Page 2, Source, paragraph 1\""));
}

#[test]
fn the_sources_page_lists_every_source_with_its_description() {
    let site = Fixture::starter();
    site.build_ok();
    let html = site.out("sources/index.html");
    let first = html
        .find("href=\"../source/index.html\">Example Co. sets out its strategy</a>")
        .expect("the text source");
    let second = html
        .find("href=\"../report/index.html\">Example Co. annual report 2025</a>")
        .expect("the PDF");
    assert!(first < second, "by weight");
    assert!(html.contains("<dd>Example Co.’s press office</dd>"));
    assert!(html.contains("<dd>None: the report is in English.</dd>"));
    let check = site.run(&["check"]);
    check.ok();
}

#[test]
fn a_changed_figure_in_a_text_source_fails_naming_it() {
    let site = Fixture::starter();
    site.build_ok();
    let before = site.out("metrics/index.html");
    let path = site.root().join("content/sources/source.txt");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("2.5 million customers", "2.6 million customers");
    fs::write(&path, text).unwrap();
    let err = site.build().fails();
    assert!(
        err.contains("content/metrics.md:") && err.contains("`sources/source.txt`"),
        "{err}"
    );
    assert!(err.contains("is not in paragraph 2"), "{err}");
    assert_eq!(
        site.out("metrics/index.html"),
        before,
        "the previous output survived"
    );
}

#[test]
fn a_swapped_pdf_fails_naming_it() {
    let site = Fixture::starter();
    site.build_ok();
    let before = site.out("report/index.html");
    site.write(PDF, &fixture_pdf("chromium.pdf"));
    let err = site.build().fails();
    assert!(
        err.contains("content/metrics.md:") && err.contains("sources/annual-report.pdf"),
        "{err}"
    );
    assert_eq!(site.out("report/index.html"), before);
}

#[test]
fn a_scanned_or_encrypted_pdf_fails_naming_it() {
    for (name, says) in [
        ("scan.pdf", "no text layer"),
        ("encrypted.pdf", "encrypted"),
    ] {
        let site = Fixture::starter();
        site.build_ok();
        let before = site.out("report/index.html");
        site.write(PDF, &fixture_pdf(name));
        let err = site.build().fails();
        assert!(
            err.contains(&format!("error: {PDF}: ")) && err.contains(says),
            "{name}: {err}"
        );
        assert_eq!(site.out("report/index.html"), before);
    }
}

#[test]
fn a_pdf_citation_needs_its_page_and_a_text_one_has_none() {
    let site = Fixture::starter();
    let path = site.root().join("content/metrics.md");
    let metrics = fs::read_to_string(&path).unwrap();
    let no_page = metrics.replacen(
        "source = \"report.md\"\npage = 2\npara = 1",
        "source = \"report.md\"\npara = 1",
        1,
    );
    fs::write(&path, &no_page).unwrap();
    let err = site.build().fails();
    assert!(
        err.contains("cites the PDF `sources/annual-report.pdf` and needs `page`"),
        "{err}"
    );
    let far = metrics.replacen("page = 2\npara = 1", "page = 9\npara = 1", 1);
    fs::write(&path, &far).unwrap();
    let err = site.build().fails();
    assert!(
        err.contains("names page 9 of `sources/annual-report.pdf`, which has pages 1 to 2"),
        "{err}"
    );
    let text_page = metrics.replacen(
        "source = \"source.md\"\npara = 2",
        "source = \"source.md\"\npage = 1\npara = 2",
        1,
    );
    fs::write(&path, &text_page).unwrap();
    let err = site.build().fails();
    assert!(
        err.contains("presents a text source, which has paragraphs only"),
        "{err}"
    );
}
