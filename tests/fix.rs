//! Citations anchored by their words (issue 22, item 2) and named by their document (item 3):
//! a citation without `para` finds its paragraph, an ambiguous quote is refused at its line, a
//! re-issued and re-wrapped source is put right by `briefing fix` (its changes printed, every
//! other byte of the page kept), `briefing paragraphs` numbers a source as the build does, and a
//! site with two sources names the document beside each paragraph. The source is a real one:
//! excerpts of Berkshire Hathaway's 2010 letter (see tests/fixtures/letters/README.md).

mod common;
use common::Fixture;
use std::fs;

fn fixture(rel: &str) -> String {
    fs::read_to_string(format!(
        "{}/tests/fixtures/{rel}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn letter() -> String {
    fixture("letters/content/sources/berkshire-2010.txt")
}

const LETTER_PAGE: &str = "+++\ntitle = \"2010 letter\"\ntemplate = \"source.html\"\ndocument = \"sources/letter.txt\"\n+++\n";

/// A site presenting the letter, with `metrics` the front matter of its Key figures page.
fn site(metrics: &str) -> Fixture {
    Fixture::empty()
        .file("site.toml", "title = \"Letters\"\n")
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nA briefing.\n",
        )
        .file("content/sources/letter.txt", &letter())
        .file("content/letter.md", LETTER_PAGE)
        .file("content/metrics.md", metrics)
}

const BOOK: &str =
    "The per-share book value of both our Class A and Class B stock increased by 13% in 2010.";
const CASH: &str =
    "Making this purchase increased our share count by 6% and used $22 billion of cash.";

fn metrics(paras: [Option<u32>; 2]) -> String {
    let mut s = String::from("+++\ntitle = \"Key figures\"\ntemplate = \"metrics.html\"\n");
    let cards = [
        ("13", "%", "increase in per-share book value", BOOK),
        ("$22", "billion", "cash used to buy BNSF", CASH),
    ];
    for ((value, unit, label, quote), para) in cards.iter().zip(paras) {
        s.push_str(&format!(
            "\n[[extra.metrics]]\nvalue = \"{value}\"\nunit = \"{unit}\"\nlabel = \"{label}\"\nas_of = \"2010\"\n[extra.metrics.cite]\nquote = \"{quote}\"\nsource = \"letter.md\"\n"
        ));
        if let Some(p) = para {
            s.push_str(&format!("para = {p}\n"));
        }
    }
    s + "+++\n"
}

#[test]
fn a_citation_without_para_links_to_the_paragraph_holding_its_quote() {
    let site = site(&metrics([None, None]));
    site.build_ok();
    let html = site.out("metrics/index.html");
    assert!(html.contains("href=\"../letter/index.html#p2\""), "{html}");
    assert!(html.contains("href=\"../letter/index.html#p3\""), "{html}");
    assert!(
        html.contains("Source ¶2</a>"),
        "one source: no document name"
    );
    assert!(!html.contains("<cite>"), "{html}");
}

#[test]
fn an_ambiguous_quote_is_refused_at_its_line_listing_the_paragraphs() {
    let page = metrics([Some(2), Some(3)]).replacen(
        "\n\n[[extra.metrics]]",
        "\n\n[[extra.principles]]\nname = \"Earning power\"\n[[extra.principles.cites]]\nquote = \"pre-tax\"\nsource = \"letter.md\"\n\n[[extra.metrics]]",
        1,
    );
    let line = page
        .lines()
        .position(|l| l == "quote = \"pre-tax\"")
        .unwrap()
        + 1;
    let err = site(&page).build().fails();
    assert!(
        err.contains(&format!("content/metrics.md:{line}:9"))
            && err.contains(
                "is in paragraphs 3 and 4 of `sources/letter.txt`: add `para` to choose one"
            ),
        "{err}"
    );
    // Choosing one with `para` builds.
    let chosen = page.replace("quote = \"pre-tax\"\n", "quote = \"pre-tax\"\npara = 4\n");
    site(&chosen).build_ok();
}

#[test]
fn a_quote_in_no_paragraph_shows_the_closest_passage() {
    let err = site(&metrics([None, None]).replace("used $22 billion", "spent $22 billion"))
        .build()
        .fails();
    assert!(
        err.contains("is in no paragraph of `sources/letter.txt`"),
        "{err}"
    );
    assert!(err.contains("closest passage, in paragraph 3"), "{err}");
    assert!(err.contains("[-spent-]{+used+}"), "{err}");
}

/// `text` with every paragraph wrapped at 72 columns, as an editor re-wraps it.
fn rewrap(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > 72 {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(&line);
        out.push_str("\n\n");
    }
    out
}

#[test]
fn fix_puts_citations_of_a_reissued_source_back_and_touches_nothing_else() {
    let page = metrics([Some(2), Some(3)]).replace(
        "[extra.metrics.cite]",
        "[extra.metrics.cite]  # keep this comment",
    );
    let site = site(&page);
    site.build_ok();
    // The corrected release: one paragraph more before the cited ones, re-wrapped at 72.
    let reissued = letter().replacen(
        "\n\nThe per-share",
        "\n\n(Corrected release: the figures below are unchanged.)\n\nThe per-share",
        1,
    );
    site.write("content/sources/letter.txt", rewrap(&reissued).as_bytes());
    let err = site.build().fails();
    assert!(
        err.contains("(it is in paragraph 3)") && err.contains("(it is in paragraph 4)"),
        "{err}"
    );

    let lines: Vec<usize> = page
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("para = "))
        .map(|(i, _)| i + 1)
        .collect();
    let expected = format!(
        "content/metrics.md:{}: para 2 -> 3\ncontent/metrics.md:{}: para 3 -> 4\n",
        lines[0], lines[1]
    );
    let dry = site.run(&["fix", "--dry-run"]);
    dry.ok();
    assert_eq!(dry.stdout(), expected);
    assert_eq!(
        fs::read_to_string(site.root().join("content/metrics.md")).unwrap(),
        page
    );

    let fixed = site.run(&["fix"]);
    fixed.ok();
    assert_eq!(fixed.stdout(), expected);
    let written = fs::read_to_string(site.root().join("content/metrics.md")).unwrap();
    assert_eq!(
        written,
        page.replace("para = 3", "para = 4")
            .replace("para = 2", "para = 3")
    );
    site.build_ok();
    let html = site.out("metrics/index.html");
    assert!(
        html.contains("href=\"../letter/index.html#p3\"") && html.contains("#p4\""),
        "{html}"
    );
    let again = site.run(&["fix"]);
    again.ok();
    assert!(
        again.stdout().contains("nothing to fix"),
        "{}",
        again.stdout()
    );
}

#[test]
fn fix_exits_1_listing_the_citations_it_cannot_place() {
    let page = metrics([Some(2), Some(3)]);
    let site = site(&page);
    let reissued = letter()
        .replace("increased by 13% in 2010", "rose by 13% in 2010")
        .replace(CASH, "")
        + &format!("\n\n{CASH}\n\nAgain: {CASH}\n");
    site.write("content/sources/letter.txt", reissued.as_bytes());
    let err = site.run(&["fix"]).fails();
    assert!(
        err.contains("content/metrics.md:")
            && err.contains("is in no paragraph of `sources/letter.txt`: fix cannot place it"),
        "{err}"
    );
    assert!(
        err.contains("is in paragraphs 11 and 12 of `sources/letter.txt`: fix cannot choose"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(site.root().join("content/metrics.md")).unwrap(),
        page,
        "nothing written"
    );
}

/// Paragraphs as the source page shows them: (anchor, text), HTML's escapes undone.
fn shown(html: &str) -> Vec<(String, String)> {
    html.split("<a class=\"para-num\" href=\"#")
        .skip(1)
        .map(|rest| {
            let (id, rest) = rest.split_once('"').unwrap();
            let text = rest.split_once("</a> ").unwrap().1;
            let text = text.split_once("</").unwrap().0;
            let text = text
                .replace("&#x2F;", "/")
                .replace("&quot;", "\"")
                .replace("&#x27;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            (id.to_string(), text)
        })
        .collect()
}

/// What `briefing paragraphs` printed, as (anchor, text) the way the source page names them.
fn printed(out: &str) -> Vec<(String, String)> {
    out.lines()
        .map(|l| {
            let (place, text) = l.split_once(' ').unwrap();
            match place.strip_prefix('¶') {
                Some(n) => (format!("p{n}"), text.to_string()),
                None => {
                    let (page, rest) = text.split_once(' ').unwrap();
                    let (n, text) = rest.split_once(' ').unwrap();
                    (
                        format!("page-{page}-p{}", n.trim_start_matches('¶')),
                        text.to_string(),
                    )
                }
            }
        })
        .collect()
}

fn paragraphs(site: &Fixture, file: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("paragraphs")
        .arg(site.root().join(file))
        .output()
        .unwrap();
    common::Run(out).ok().stdout()
}

#[test]
fn paragraphs_are_printed_as_the_build_numbers_them() {
    let site = site(&metrics([Some(2), Some(3)]));
    site.write("content/sources/letter.txt", rewrap(&letter()).as_bytes());
    let pdf = fs::read(format!(
        "{}/tests/fixtures/letters/content/sources/continental-2023.pdf",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    site.write("content/sources/report.pdf", &pdf);
    site.write("content/report.md", b"+++\ntitle = \"Report\"\ntemplate = \"source.html\"\ndocument = \"sources/report.pdf\"\n+++\n");
    site.build_ok();

    let text = paragraphs(&site, "content/sources/letter.txt");
    assert!(text.starts_with("¶0 BERKSHIRE HATHAWAY INC.\n¶1 To the Shareholders of Berkshire Hathaway Inc.:\n¶2 The per-share book value"), "{text}");
    assert_eq!(printed(&text), shown(&site.out("letter/index.html")));

    let pdf = paragraphs(&site, "content/sources/report.pdf");
    assert!(pdf.starts_with("page 1 ¶1 "), "{pdf}");
    assert!(pdf.contains("\npage 3 ¶16 "), "{pdf}");
    let built = shown(&site.out("report/index.html"));
    assert!(built.len() > 20);
    assert_eq!(printed(&pdf), built);
}

/// The letter's site with a second source, Amazon's release for the fourth quarter of 2025.
fn two_sources() -> Fixture {
    let amazon = fixture("letters/content/sources/amazon-q4-2025.txt");
    let page = metrics([None, Some(3)]).replacen(
        "\n\n[[extra.metrics]]",
        "\n\n[[extra.metrics]]\nvalue = \"$213.4\"\nunit = \"billion\"\nlabel = \"net sales\"\nas_of = \"Q4 2025\"\n[extra.metrics.cite]\nquote = \"Net sales increased 14% to $213.4 billion in the fourth quarter\"\nsource = \"amazon.md\"\n\n[[extra.metrics]]",
        1,
    );
    site(&page)
        .file("content/sources/amazon.txt", &amazon)
        .file(
            "content/amazon.md",
            "+++\ntitle = \"Amazon: fourth quarter results, 2025\"\ntemplate = \"source.html\"\ndocument = \"sources/amazon.txt\"\n[extra.source]\nshort = \"Amazon Q4 release\"\n+++\n",
        )
        .file("content/letter.md", &LETTER_PAGE.replace("2010 letter", "Buffett’s 2011 letter to shareholders"))
}

#[test]
fn with_two_sources_each_citation_names_its_document() {
    let site = two_sources();
    site.build_ok();
    let html = site.out("metrics/index.html");
    // `short` as written; else the first words of the source page's title, less "to".
    assert!(
        html.contains("<cite>Amazon Q4 release</cite> ¶3</a>"),
        "{html}"
    );
    assert!(
        html.contains("<cite>Buffett’s 2011 letter</cite> ¶2</a>"),
        "{html}"
    );
    assert!(
        html.contains("<cite>Buffett’s 2011 letter</cite> ¶3</a>"),
        "{html}"
    );
    assert!(!html.contains("Source ¶"), "{html}");
}

#[test]
fn the_board_pack_names_the_document_of_each_citation() {
    let Some(chromium) = common::print_tools("the board pack's citations") else {
        return;
    };
    let site = two_sources();
    site.run(&["pdf", "--chromium", &chromium]).ok();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(site.root().join("briefing.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Amazon Q4 release ¶3"), "{text}");
    assert!(text.contains("Buffett’s 2011 letter ¶2"), "{text}");
}

/// The letter re-issued with one paragraph more before the cited ones.
fn reissue(site: &Fixture) {
    let reissued = letter().replacen("\n\nThe per-share", "\n\n(Corrected.)\n\nThe per-share", 1);
    site.write("content/sources/letter.txt", reissued.as_bytes());
}

#[test]
fn fix_keeps_crlf_line_ends_and_a_byte_order_mark() {
    let page = format!(
        "\u{feff}{}",
        metrics([Some(2), Some(3)]).replace('\n', "\r\n")
    );
    let site = site(&page);
    reissue(&site);
    site.run(&["fix"]).ok();
    let written = fs::read_to_string(site.root().join("content/metrics.md")).unwrap();
    assert_eq!(
        written,
        page.replace("para = 3", "para = 4")
            .replace("para = 2", "para = 3")
    );
    site.build_ok();
}

#[cfg(unix)]
#[test]
fn fix_writes_through_no_link_planted_at_its_temporary_name() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("victim.txt");
    fs::write(&target, "untouched").unwrap();
    let site = site(&metrics([Some(2), Some(3)]));
    reissue(&site);
    std::os::unix::fs::symlink(
        &target,
        site.root().join("content/.metrics.md.briefing-fix"),
    )
    .unwrap();
    site.run(&["fix"]).ok();
    assert_eq!(fs::read_to_string(&target).unwrap(), "untouched");
    let meta = fs::symlink_metadata(site.root().join("content/metrics.md")).unwrap();
    assert!(meta.file_type().is_file());
    site.build_ok();
}

#[test]
fn a_pdf_citation_without_page_and_para_finds_both() {
    let pdf = fs::read(format!(
        "{}/tests/fixtures/letters/content/sources/continental-2023.pdf",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let principles = "+++\ntitle = \"Principles\"\ntemplate = \"principles.html\"\n[[extra.principles]]\nname = \"On course\"\n[[extra.principles.cites]]\nquote = \"Ihre Continental ist auf dem richtigen Weg.\"\nsource = \"report.md\"\n+++\n";
    let site = site(&metrics([Some(2), Some(3)]))
        .file("content/principles.md", principles)
        .file(
            "content/report.md",
            "+++\ntitle = \"Continental annual report 2023\"\ntemplate = \"source.html\"\ndocument = \"sources/report.pdf\"\n[extra.source]\nlanguage = \"German\"\n+++\n",
        );
    site.write("content/sources/report.pdf", &pdf);
    site.build_ok();
    let html = site.out("principles/index.html");
    assert!(
        html.contains("href=\"../report/index.html#page-3-p16\"")
            && html.contains("<cite>Continental annual report 2023</cite> ¶16</a>"),
        "{html}"
    );
    // Limited to a page that does not hold it, the quote is reported with the page that does.
    let elsewhere =
        principles.replace("source = \"report.md\"", "source = \"report.md\"\npage = 2");
    site.write("content/principles.md", elsewhere.as_bytes());
    let err = site.build().fails();
    assert!(
        err.contains("is not on page 2 of `sources/report.pdf` (it is in paragraph 16 of page 3)"),
        "{err}"
    );
}

#[test]
fn a_year_in_a_short_name_is_a_name_not_a_figure_and_must_be_the_cited_source_s() {
    let site = two_sources();
    let letter = LETTER_PAGE.replace(
        "document = \"sources/letter.txt\"\n",
        "document = \"sources/letter.txt\"\n[extra.source]\nshort = \"1987 memo\"\n",
    );
    site.write("content/letter.md", letter.as_bytes());
    site.build_ok();
    assert!(
        site.out("metrics/index.html")
            .contains("<cite>1987 memo</cite> ¶2</a>")
    );
    // A citation link naming another document is refused.
    let home = "+++\ntitle = \"Home\"\n+++\nBook value rose [<cite>Amazon Q4 release</cite> ¶2](@/letter.md#p2).\n";
    site.write("content/_index.md", home.as_bytes());
    let err = site.build().fails();
    assert!(
        err.contains("a citation link names its document “Amazon Q4 release”, but it cites `sources/letter.txt`, whose name in citations is “1987 memo”"),
        "{err}"
    );
}
