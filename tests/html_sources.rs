//! Issue 22, items 4 and 6: a saved web page as a source, and sources briefing refuses. The
//! page is a real one, the V8 blog post the starter ships (`starter/content/sources/`, from
//! Mozilla Readability's test pages): cited by a metric and by prose, misquoted, cited where
//! only its navigation or footer says so; then an unknown extension, mojibake and a binary file
//! named as text, each failing with the file named.

mod common;
use common::Fixture;

/// The saved V8 blog post, as the starter ships it.
fn v8_page() -> Vec<u8> {
    let path = "starter/content/sources/v8-standalone-wasm.html";
    std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

const POST: &str = "+++\ntitle = \"Post\"\ndescription = \"The post.\"\ndocument = \"sources/post.html\"\ntemplate = \"page.html\"\n\n[extra.source]\nurl = \"https://v8.dev/blog/emscripten-standalone-wasm\"\nretrieved = \"November 2020\"\n+++\n";

/// A page citing the post by a metric (`quote`) and in its prose (`prose`, a quotation).
fn figures(quote: &str, prose: &str) -> String {
    format!(
        "+++\ntitle = \"Figures\"\ndescription = \"Figures.\"\n\n[[extra.metrics]]\nvalue = \"87\"\nunit = \"bytes\"\nlabel = \"a standalone Wasm file for add\"\n[extra.metrics.cite]\nquote = \"{quote}\"\nsource = \"post.md\"\npara = 11\n+++\nThe post calls the file “{prose}”.\n"
    )
}

fn site(quote: &str, prose: &str) -> Fixture {
    let site = Fixture::new()
        .file("content/post.md", POST)
        .file("content/figures.md", &figures(quote, prose));
    site.write("content/sources/post.html", &v8_page());
    site
}

const HONEST: &str = "Disassembling it, it's very minimal - just 87 bytes!";

#[test]
fn a_web_page_cited_by_a_metric_and_by_prose_builds() {
    let site = site(HONEST, "very minimal - just 87 bytes");
    site.build_ok();
    assert!(
        !site.public().join("sources/post.html").exists(),
        "the saved page is not published"
    );
}

#[test]
fn a_misquote_of_a_web_page_fails_at_its_line() {
    let err = site(
        "Disassembling it, it's very minimal - just 88 bytes!",
        "just 87 bytes",
    )
    .build()
    .fails();
    assert!(err.contains("content/figures.md:10"), "{err}");
    assert!(err.contains("sources/post.html"), "{err}");
    let err = site(HONEST, "very minimal - just 86 bytes").build().fails();
    assert!(err.contains("content/figures.md:14"), "{err}");
    assert!(err.contains("86"), "{err}");
}

#[test]
fn navigation_and_footer_are_not_citable() {
    for outside in [
        // The site's footer, after the post's own.
        "Except as otherwise noted, any code samples from the V8 project are licensed under",
        // The header's navigation.
        "Show navigation",
    ] {
        let site = site(HONEST, "just 87 bytes");
        let metric = format!(
            "+++\ntitle = \"Quote\"\ndescription = \"Q.\"\n[extra.pull_quote]\nquote = \"{outside}\"\nsource = \"post.md\"\n+++\n"
        );
        site.write("content/quote.md", metric.as_bytes());
        let err = site.build().fails();
        assert!(err.contains("content/quote.md:5"), "{outside}: {err}");
        assert!(
            err.contains("is in no paragraph of `sources/post.html`"),
            "{err}"
        );
    }
}

#[test]
fn paragraphs_prints_the_main_text_of_a_web_page() {
    let site = Fixture::empty();
    site.write("post.html", &v8_page());
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("paragraphs")
        .arg(site.root().join("post.html"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let out = String::from_utf8(run.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "¶0 Outside the web: standalone WebAssembly binaries using Emscripten · V8",
            "¶1 Outside the web: standalone WebAssembly binaries using Emscripten",
            "¶2 Published 21 November 2019 · Tagged with WebAssembly tooling",
        ]
    );
    assert!(lines.contains(&"¶11 Disassembling it, it's very minimal - just 87 bytes! It contains the obvious add function"), "{out}");
    assert!(
        !out.contains("Show navigation") && !out.contains("Branding"),
        "{out}"
    );
    assert!(
        !out.contains("<") || out.contains("#include <"),
        "no tags: {out}"
    );
}

/// A site whose one source page presents `document`, holding `bytes`.
fn presenting(document: &str, bytes: &[u8]) -> Fixture {
    let page =
        format!("+++\ntitle = \"Source\"\ndescription = \"S.\"\ndocument = \"{document}\"\n+++\n");
    let site = Fixture::new().file("content/source.md", &page);
    site.write(&format!("content/{document}"), bytes);
    site
}

#[test]
fn an_unknown_extension_is_refused_listing_what_is_read() {
    let err = presenting("sources/report.docx", b"PK\x03\x04")
        .build()
        .fails();
    assert!(err.contains("content/source.md:4"), "{err}");
    assert!(
        err.contains("`sources/report.docx` is a .docx file"),
        "{err}"
    );
    assert!(
        err.contains(".txt, .md, .markdown, .pdf, .html, .htm, .xhtml, .csv, .xlsx"),
        "{err}"
    );
    let err = presenting("sources/README", b"Text\n").build().fails();
    assert!(err.contains("has no extension"), "{err}");
}

/// The V8 post's text as it reads after being saved once through Windows-1252: every curly
/// quote and dash three characters of mojibake.
fn garbled() -> Vec<u8> {
    let page = v8_page();
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&page);
    text.into_owned().into_bytes()
}

#[test]
fn mojibake_and_binary_files_are_refused_naming_them() {
    let err = presenting("sources/post.html", &garbled()).build().fails();
    assert!(err.contains("content/sources/post.html"), "{err}");
    assert!(
        err.contains("the text looks damaged") && err.contains("mojibake"),
        "{err}"
    );
    assert!(err.contains("the document of content/source.md:4"), "{err}");
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n";
    let err = presenting("sources/notes.txt", pdf).build().fails();
    assert!(err.contains("content/sources/notes.txt"), "{err}");
    assert!(err.contains("not text but a PDF: name it `.pdf`"), "{err}");
    let err = presenting("sources/notes.txt", b"Title\n\nA\0binary\0file")
        .build()
        .fails();
    assert!(err.contains("NUL byte at byte 8"), "{err}");
    // The real page itself is read.
    presenting("sources/post.html", &v8_page()).build_ok();
}
