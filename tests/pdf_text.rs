//! What briefing reads from a PDF source, on small PDFs built by hand (tests/common/pdf.rs) and,
//! when Chromium is installed, on one it prints: text in form XObjects, words hyphenated at a
//! line end, and paragraphs with tight spacing; each cited in a fixture site build.

mod common;
use common::Fixture;
use common::pdf::{Pdf, text};
use std::path::Path;
use std::process::Command;

const SHIFT_DOWN: [f32; 6] = [1.0, 0.0, 0.0, 1.0, 0.0, -100.0];

/// A page whose middle is drawn by form XObjects: one nested in another, one that would draw
/// its parent again (a cycle), one relying on its page's fonts, and an image.
fn forms_pdf() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (outer, inner, bare) = (pdf.reserve(), pdf.reserve(), pdf.reserve());
    let image = pdf.image();
    // Drawn at 700 within the form, 600 on the page: without the matrix it would share the
    // first line's baseline.
    let outer_text = text(
        72.0,
        700.0,
        11.0,
        14.0,
        &["Inside the form, revenue reached 4.2", "billion in 2025."],
    );
    pdf.form(
        outer,
        &format!("{outer_text}/Inner Do /Im Do"),
        SHIFT_DOWN,
        &[("Inner", inner), ("Im", image)],
        true,
    );
    let inner_text = text(
        72.0,
        600.0,
        11.0,
        14.0,
        &["Nested twice, the form says 7 offices."],
    );
    pdf.form(
        inner,
        &format!("q {inner_text} Q /Outer Do"),
        SHIFT_DOWN,
        &[("Outer", outer)],
        true,
    );
    pdf.form(
        bare,
        &text(
            72.0,
            300.0,
            11.0,
            14.0,
            &["A form with no resources of its own."],
        ),
        [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        &[],
        false,
    );
    let page = format!(
        "{}/Fm Do /Bare Do /Im Do\n{}",
        text(72.0, 700.0, 11.0, 14.0, &["Before the form."]),
        text(72.0, 200.0, 11.0, 14.0, &["After the form."])
    );
    pdf.page(&page, &[("Fm", outer), ("Bare", bare), ("Im", image)])
        .bytes()
}

#[test]
fn text_in_form_xobjects_is_read_where_it_is_drawn_once_each() {
    let t = briefing::pdftext::extract(&forms_pdf(), "content/sources/forms.pdf").unwrap();
    assert_eq!(
        t.pages,
        [[
            "Before the form.",
            "Inside the form, revenue reached 4.2 billion in 2025.",
            "Nested twice, the form says 7 offices.",
            "A form with no resources of its own.",
            "After the form."
        ]]
    );
}

/// Two paragraphs broken at line ends with hyphen-minus, as LaTeX and word processors draw
/// them, and a compound the text also writes within a line.
fn hyphens_pdf() -> Vec<u8> {
    let one = [
        "Our long-term internationalization strat-",
        "egy needs 10 years of in-",
        "vestment in e-",
        "commerce and a well-",
        "known partner for the long-",
        "term.",
    ];
    let two = [
        "A long-term view, after COVID-",
        "19, keeps the well-",
        "known names.",
    ];
    let page = format!(
        "{}{}",
        text(72.0, 700.0, 11.0, 13.2, &one),
        text(72.0, 610.0, 11.0, 13.2, &two)
    );
    Pdf::new().page(&page, &[]).bytes()
}

#[test]
fn words_broken_by_a_hyphen_minus_at_a_line_end_are_joined_and_compounds_kept() {
    let t = briefing::pdftext::extract(&hyphens_pdf(), "content/sources/h.pdf").unwrap();
    assert_eq!(
        t.pages[0],
        [
            "Our long-term internationalization strategy needs 10 years of investment in e-commerce and a wellknown partner for the long-term.",
            "A long-term view, after COVID-19, keeps the wellknown names."
        ],
        "`well-known` is nowhere within a line, so its hyphen at a line end reads as a break"
    );
}

/// Pages of one-column paragraphs whose margin (0.4 em) is narrower than a line, under a
/// heading that wraps.
#[test]
fn tight_paragraph_spacing_still_splits_paragraphs() {
    let mut pdf = Pdf::new();
    for page in 1..=3 {
        let mut content = text(
            72.0,
            740.0,
            18.0,
            21.6,
            &["A heading long enough", "to wrap"],
        );
        let mut y = 690.0;
        for n in 1..=5 {
            let lines = [
                format!("Page {page}, paragraph {n} starts"),
                "and runs on".into(),
                "to a third line.".into(),
            ];
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            content.push_str(&text(72.0, y, 11.0, 13.2, &lines));
            y -= 3.0 * 13.2 + 4.4;
        }
        pdf = pdf.page(&content, &[]);
    }
    let t = briefing::pdftext::extract(&pdf.bytes(), "content/sources/tight.pdf").unwrap();
    for (i, page) in t.pages.iter().enumerate() {
        assert_eq!(page.len(), 6, "page {}: {page:?}", i + 1);
        assert_eq!(page[0], "A heading long enough to wrap");
        assert_eq!(
            page[5],
            format!(
                "Page {}, paragraph 5 starts and runs on to a third line.",
                i + 1
            )
        );
    }
}

/// Book-style paragraphs: no space between them, each first line indented by 1.5 em.
#[test]
fn a_first_line_indent_splits_paragraphs_with_no_space_between() {
    let mut content = String::new();
    let mut y = 700.0;
    for n in 1..=4 {
        let first = format!("Paragraph {n} starts indented");
        content.push_str(&text(88.5, y, 11.0, 13.2, &[&first]));
        content.push_str(&text(
            72.0,
            y - 13.2,
            11.0,
            13.2,
            &["and wraps to the left edge", "for a line more."],
        ));
        y -= 3.0 * 13.2;
    }
    let pdf = Pdf::new().page(&content, &[]).bytes();
    let t = briefing::pdftext::extract(&pdf, "content/sources/book.pdf").unwrap();
    let want: Vec<String> = (1..=4)
        .map(|n| {
            format!("Paragraph {n} starts indented and wraps to the left edge for a line more.")
        })
        .collect();
    assert_eq!(t.pages[0], want);
}

/// A briefing citing `report.pdf` with `quotes`, each `(value, unit, quote, page, para)`.
fn site(pdf: &[u8], quotes: &[(&str, &str, &str, u32, u32)]) -> Fixture {
    let mut metrics = String::from(
        "+++\ntitle = \"Key metrics\"\ndescription = \"The figures.\"\ntemplate = \"metrics.html\"\n",
    );
    for (value, unit, quote, page, para) in quotes {
        metrics.push_str(&format!(
            "\n[[extra.metrics]]\nvalue = \"{value}\"\nunit = \"{unit}\"\nlabel = \"a figure\"\nas_of = \"In the report\"\nforecast = false\n[extra.metrics.cite]\nquote = \"{quote}\"\nsource = \"report.md\"\npage = {page}\npara = {para}\n"
        ));
    }
    metrics.push_str("+++\n");
    let site = Fixture::empty()
        .file("site.toml", "title = \"Northwind\"\ndescription = \"A briefing.\"\n")
        .file("content/_index.md", "+++\ntitle = \"Northwind\"\ndescription = \"A briefing.\"\n+++\nWelcome.\n")
        .file("content/metrics.md", &metrics)
        .file(
            "content/report.md",
            "+++\ntitle = \"Report\"\ndescription = \"The report.\"\ndocument = \"sources/report.pdf\"\ntemplate = \"source.html\"\n+++\n",
        );
    site.write("content/sources/report.pdf", pdf);
    site
}

#[test]
fn quotes_across_a_hyphenated_break_and_from_a_form_verify_in_a_build() {
    let site = site(
        &hyphens_pdf(),
        &[(
            "10",
            "years",
            "Our long-term internationalization strategy needs 10 years of investment in e-commerce",
            1,
            1,
        )],
    );
    site.build_ok();
    let html = site.out("metrics/index.html");
    assert!(
        html.contains("internationalization strategy needs 10 years"),
        "{html}"
    );

    // The same PDF with the old reading ("strat-egy") in the quote fails, naming the file.
    let metrics = site_metrics(&site).replace("strategy needs", "strat-egy needs");
    let site = site.file("content/metrics.md", &metrics);
    let err = site.fails_keeping_output();
    assert!(
        err.contains("content/metrics.md:") && err.contains("is not in paragraph 1"),
        "{err}"
    );

    let forms = self::site(
        &forms_pdf(),
        &[
            (
                "4.2",
                "billion",
                "Inside the form, revenue reached 4.2 billion in 2025.",
                1,
                2,
            ),
            ("7", "offices", "the form says 7 offices", 1, 3),
        ],
    );
    forms.build_ok();
    let report = forms.out("report/index.html");
    assert!(report.contains("id=\"page-1-p3\""), "{report}");
    assert!(
        report.contains("Nested twice, the form says 7 offices."),
        "{report}"
    );
}

fn site_metrics(site: &Fixture) -> String {
    std::fs::read_to_string(site.root().join("content/metrics.md")).unwrap()
}

/// Chromium, or `None` after saying loudly that the test is skipped (a failure when `CI` is set).
fn chromium() -> Option<String> {
    let found = std::env::var("BRIEFING_CHROMIUM")
        .ok()
        .into_iter()
        .chain(["/usr/bin/chromium".into(), "/usr/bin/google-chrome".into()])
        .find(|p| Path::new(p).is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "CI is set but Chromium is missing"
        );
        eprintln!("\n*** SKIPPED: printing a PDF needs Chromium (apt-get install chromium) ***\n");
    }
    found
}

/// A paragraph set with `hyphens: auto` in a narrow justified column, with soft hyphens too
/// (Chromium hyphenates by itself only where it has the language's dictionary, which it
/// downloads), so words break at line ends; it also holds compounds (`self-evident`) that may
/// break at their own hyphen.
const HYPHENATED: &str = "The in&shy;ter&shy;na&shy;tion&shy;al&shy;iza&shy;tion strat&shy;egy of a self-evident, well-known, long-term view re&shy;quires 10 years of in&shy;vest&shy;ment in in&shy;fra&shy;struc&shy;ture, re&shy;spon&shy;si&shy;bil&shy;i&shy;ties and char&shy;ac&shy;ter&shy;is&shy;ti&shy;cal&shy;ly con&shy;sid&shy;er&shy;able de&shy;vel&shy;op&shy;ments.";

#[test]
fn a_chromium_print_with_css_hyphenation_is_quoted_across_its_breaks() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("h.html");
    std::fs::write(
        &html,
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>H</title><style>body{{font-family:'DejaVu Serif',serif;font-size:12pt;margin:2cm}} p{{width:4.2cm;hyphens:auto;text-align:justify}}</style></head><body><h1>Hyphenation</h1><p>{HYPHENATED}</p></body></html>"
        ),
    )
    .unwrap();
    let pdf = dir.path().join("h.pdf");
    let out = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("run Chromium");
    assert!(
        out.status.success() && pdf.is_file(),
        "Chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    let t = briefing::pdftext::extract(&bytes, "content/sources/report.pdf").unwrap();
    if let Ok(layout) = Command::new("pdftotext").arg(&pdf).arg("-").output() {
        let layout = String::from_utf8_lossy(&layout.stdout).into_owned();
        let breaks = layout
            .lines()
            .filter(|l| l.trim_end().ends_with(['\u{2010}', '-']))
            .count();
        assert!(
            breaks >= 3,
            "the column is narrow enough to break words: {layout}"
        );
    }
    let whole = HYPHENATED.replace("&shy;", "");
    assert_eq!(t.pages[0], ["Hyphenation", whole.as_str()]);

    let site = site(&bytes, &[("10", "years", &whole, 1, 2)]);
    site.build_ok();
    assert!(
        site.out("metrics/index.html")
            .contains("internationalization strategy")
    );
}

/// A reportlab PDF (tests/fixtures/pdf/made/), whose body fonts are standard fonts the file
/// names without embedding: a figure quoted from it verifies in a build, and the same figure
/// with another scale is refused.
#[test]
fn a_reportlab_pdf_with_unembedded_standard_fonts_is_quoted_in_a_build() {
    let pdf = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pdf/made/reportlab-letter.pdf"),
    )
    .unwrap();
    let quote = "Revenue rose 14% to $4.2 billion, and operating income reached $612 million";
    let site = site(&pdf, &[("4.2", "$ billion", quote, 1, 2)]);
    site.build_ok();
    assert!(
        site.out("report/index.html")
            .contains("The fleet grew by 410 vehicles")
    );
    let metrics = site_metrics(&site).replace("\"$ billion\"", "\"$ million\"");
    let err = site
        .file("content/metrics.md", &metrics)
        .fails_keeping_output();
    assert!(
        err.contains("content/metrics.md:")
            && err.contains("the source says billion; the metric says million"),
        "{err}"
    );
}
