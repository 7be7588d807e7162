//! Issue 20, item 3: a PDF source may be written to exhaust the build. Each test makes one such
//! PDF (a decompression bomb, once and twice compressed, an operator flood, forms that each draw
//! the next twice, a false page count, a page tree that loops, a font map over every code...),
//! cites it, and builds with the real binary under a 2 GiB address-space limit, killed only if it
//! runs past a minute (a hang, not a measure of speed). The build must refuse the PDF naming the
//! file, the page where there is one and the limit (docs/FORMAT.md, "Limits on PDF sources"), or
//! read what it holds. The same PDFs seed the fuzzer (scripts/fuzz-libfuzzer, target pdf_text).

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lopdf::{Object, dictionary};

use crate::common::Fixture;
use crate::common::pdf::{Pdf, text, zeros_zlib, zlib};

const GIB: u64 = 1 << 30;
const FILE: &str = "content/sources/report.pdf";

/// A briefing whose page `report.md` presents `pdf` as its source.
fn site(pdf: &[u8]) -> Fixture {
    let site = Fixture::empty()
        .file("site.toml", "title = \"Northwind\"\ndescription = \"A briefing.\"\n")
        .file(
            "content/_index.md",
            "+++\ntitle = \"Northwind\"\ndescription = \"A briefing.\"\n+++\nWelcome.\n",
        )
        .file(
            "content/report.md",
            "+++\ntitle = \"Report\"\ndescription = \"The report.\"\ndocument = \"sources/report.pdf\"\ntemplate = \"source.html\"\n+++\n",
        );
    site.write(FILE, pdf);
    site
}

/// `briefing build` of `site` with at most 2 GiB of address space: its exit code (`None` if a
/// signal ended it) and its error output.
fn build_bounded(site: &Fixture) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_briefing"));
    cmd.arg("build")
        .arg("--root")
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: between fork and exec only setrlimit runs, which is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 2 * GIB,
                rlim_max: 2 * GIB,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("run briefing build");
    let mut stderr = child.stderr.take().expect("stderr");
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for briefing") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the build was still running after 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (status.code(), errors.join().expect("stderr"))
}

/// Build `pdf` cited as a source; insist the build failed with exit 1 and an error naming the
/// file and each of `fragments`.
fn refused(pdf: &[u8], fragments: &[&str]) -> String {
    let (code, err) = build_bounded(&site(pdf));
    assert_eq!(code, Some(1), "expected exit 1\nstderr: {err}");
    assert!(!err.contains("panicked"), "panic: {err}");
    assert!(err.contains(FILE), "the file is not named: {err}");
    for fragment in fragments {
        assert!(err.contains(fragment), "no `{fragment}` in: {err}");
    }
    err
}

fn title() -> String {
    text(
        72.0,
        700.0,
        12.0,
        14.0,
        &["The annual report says revenue grew."],
    )
}

/// One page whose content stream is `stored` with the filters `filters`.
fn compressed_page(stored: Vec<u8>, filters: &[&str]) -> Pdf {
    let filters: Vec<Object> = filters.iter().map(|&f| Object::from(f)).collect();
    Pdf::new().page_stream(dictionary! { "Filter" => filters }, stored, &[])
}

pub fn decompression_bomb() -> Vec<u8> {
    compressed_page(zeros_zlib(2 * GIB), &["FlateDecode"]).bytes()
}

pub fn double_bomb() -> Vec<u8> {
    let inner = zeros_zlib(4 * GIB);
    compressed_page(zlib(&inner), &["FlateDecode", "FlateDecode"]).bytes()
}

pub fn operator_flood() -> Vec<u8> {
    let content = format!("{}{}", title(), "q Q\n".repeat(600_000));
    compressed_page(zlib(content.as_bytes()), &["FlateDecode"]).bytes()
}

/// Forms `F0`..`F29`, each drawing the next twice: 2^29 draws of the last.
pub fn doubling_forms() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let ids: Vec<_> = (0..30).map(|_| pdf.reserve()).collect();
    for (i, &id) in ids.iter().enumerate() {
        match ids.get(i + 1) {
            Some(&next) => pdf.form(id, "/N Do /N Do", IDENTITY, &[("N", next)], true),
            None => pdf.form(id, "q Q", IDENTITY, &[], true),
        };
    }
    pdf.page(&format!("{}/F0 Do", title()), &[("F0", ids[0])])
        .bytes()
}

/// Forms drawn inside one another, 100 deep, the innermost with text.
pub fn deep_forms() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let ids: Vec<_> = (0..100).map(|_| pdf.reserve()).collect();
    for (i, &id) in ids.iter().enumerate() {
        match ids.get(i + 1) {
            Some(&next) => pdf.form(id, "/N Do", IDENTITY, &[("N", next)], true),
            None => pdf.form(id, &title(), IDENTITY, &[], true),
        };
    }
    pdf.page("/F0 Do", &[("F0", ids[0])]).bytes()
}

/// One page, then a node of the page tree holding it again that says it has two billion.
pub fn lying_count() -> Vec<u8> {
    Pdf::new()
        .page(&title(), &[])
        .lying_node(2_000_000_000)
        .bytes()
}

pub fn tree_loop() -> Vec<u8> {
    let pdf = Pdf::new().page(&title(), &[]);
    let root = pdf.root();
    pdf.kid(root).bytes()
}

pub fn deep_tree() -> Vec<u8> {
    Pdf::new().page(&title(), &[]).nest(100).bytes()
}

pub fn many_pages() -> Vec<u8> {
    Pdf::new().page(&title(), &[]).repeat(100_001).bytes()
}

/// A font whose ToUnicode map gives every four-byte code a character.
pub fn every_code() -> Vec<u8> {
    let mut pdf = Pdf::new();
    pdf.set_to_unicode(
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
          /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
          1 begincodespacerange\n<00000000> <FFFFFFFF>\nendcodespacerange\n\
          1 beginbfrange\n<00000000> <FFFFFFFF> <0041>\nendbfrange\n\
          endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n",
    );
    pdf.page(&title(), &[]).bytes()
}

/// A font whose ToUnicode map gives `A` 256 characters (the most lopdf reads), and a string of
/// four million `A`s: two gigabytes of text from a few KB.
pub fn long_mapping() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let target = "0041".repeat(256);
    pdf.set_to_unicode(
        format!(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<00> <FF>\nendcodespacerange\n\
             1 beginbfchar\n<41> <{target}>\nendbfchar\n\
             endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        )
        .as_bytes(),
    );
    let content = format!(
        "{}BT /F1 10 Tf 72 500 Td ({}) Tj ET",
        title(),
        "A".repeat(4 << 20)
    );
    pdf.page_stream(
        dictionary! { "Filter" => "FlateDecode" },
        zlib(content.as_bytes()),
        &[],
    )
    .bytes()
}

/// Five forms of 31 MiB each: under the limit for one stream, over the one for what is kept.
pub fn big_forms() -> Vec<u8> {
    let stored = zlib(&zeros_zlib(31 << 20));
    let mut pdf = Pdf::new();
    let names = ["F0", "F1", "F2", "F3", "F4"];
    let mut xobjects = Vec::new();
    for name in names {
        let id = pdf.reserve();
        let filters = vec![Object::from("FlateDecode"), Object::from("FlateDecode")];
        pdf.form_stream(id, dictionary! { "Filter" => filters }, stored.clone());
        xobjects.push((name, id));
    }
    let draw: String = names.iter().map(|n| format!("/{n} Do\n")).collect();
    pdf.page(&format!("{}{draw}", title()), &xobjects).bytes()
}

/// A form showing a 1 MiB string, drawn 70 times: 70 MiB of text from a few KB.
pub fn text_flood() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let form = pdf.reserve();
    let content = format!("BT /F1 10 Tf 72 600 Td ({}) Tj ET", "A".repeat(1 << 20));
    pdf.form_stream(
        form,
        dictionary! { "Filter" => "FlateDecode" },
        zlib(content.as_bytes()),
    );
    let page = format!("{}{}", title(), "/F Do\n".repeat(70));
    pdf.page(&page, &[("F", form)]).bytes()
}

/// 5,000 pages sharing one font dictionary of 50,000 names.
pub fn shared_fonts() -> Vec<u8> {
    let mut pdf = Pdf::new();
    pdf.share_fonts(50_000);
    for _ in 0..5_000 {
        pdf = pdf.page(&title(), &[]);
    }
    pdf.bytes()
}

const IDENTITY: [f32; 6] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

#[test]
fn a_decompression_bomb_is_refused_at_its_stream() {
    refused(
        &decompression_bomb(),
        &["page 1", "decompresses to more than 32 MiB"],
    );
}

#[test]
fn a_doubly_compressed_bomb_is_refused_at_its_stream() {
    refused(
        &double_bomb(),
        &["page 1", "decompresses to more than 32 MiB"],
    );
}

#[test]
fn forms_under_the_limit_each_are_refused_together() {
    refused(
        &big_forms(),
        &[
            "page 1",
            "forms and font maps decompress to more than 128 MiB in all",
        ],
    );
}

#[test]
fn an_operator_flood_is_refused_at_its_page() {
    refused(
        &operator_flood(),
        &["page 1", "more than 1000000 operators"],
    );
}

#[test]
fn forms_that_each_draw_the_next_twice_are_refused_by_the_operators_they_draw() {
    refused(
        &doubling_forms(),
        &["page 1", "more than 1000000 operators"],
    );
}

#[test]
fn forms_nested_too_deep_are_refused() {
    refused(&deep_forms(), &["page 1", "more than 32 deep"]);
}

#[test]
fn a_form_drawing_a_long_text_again_and_again_is_refused() {
    refused(&text_flood(), &["page 1", "more than 64 MiB of text"]);
}

#[test]
fn a_font_map_over_every_code_is_refused() {
    refused(&every_code(), &["page 1", "ToUnicode maps cover more than"]);
}

#[test]
fn a_font_map_giving_one_code_a_long_text_is_refused() {
    refused(&long_mapping(), &["page 1", "more than 64 MiB of text"]);
}

#[test]
fn a_page_tree_that_loops_is_refused() {
    refused(&tree_loop(), &["page tree", "(a loop)"]);
}

#[test]
fn a_page_tree_too_deep_or_too_long_is_refused() {
    refused(&deep_tree(), &["page tree is more than 64 levels deep"]);
    refused(&many_pages(), &["page tree lists more than 100000 pages"]);
}

#[test]
fn resources_shared_by_every_page_are_read_once() {
    let site = site(&shared_fonts());
    let (code, err) = build_bounded(&site);
    assert_eq!(code, Some(0), "stderr: {err}");
    assert!(site.out("report/index.html").contains("page-5000"));
}

#[test]
fn a_false_page_count_reserves_nothing_and_the_page_is_read() {
    let site = site(&lying_count());
    let (code, err) = build_bounded(&site);
    assert_eq!(code, Some(0), "stderr: {err}");
    assert!(
        site.out("report/index.html")
            .contains("The annual report says revenue grew."),
        "the one real page is read"
    );
}

/// The seeds of the fuzz target `pdf_text` are these PDFs (but the 2 MB single-layer bomb, which
/// the doubly compressed one stands for). `BRIEFING_BLESS=1` writes them again.
#[test]
fn the_fuzzer_is_seeded_with_these_pdfs() {
    type Make = fn() -> Vec<u8>;
    let seeds: [(&str, Make); 13] = [
        ("double-bomb.pdf", double_bomb),
        ("operator-flood.pdf", operator_flood),
        ("doubling-forms.pdf", doubling_forms),
        ("deep-forms.pdf", deep_forms),
        ("lying-count.pdf", lying_count),
        ("tree-loop.pdf", tree_loop),
        ("deep-tree.pdf", deep_tree),
        ("every-code.pdf", every_code),
        ("text-flood.pdf", text_flood),
        ("object-streams.pdf", object_streams),
        ("object-array.pdf", object_array),
        ("operand-flood.pdf", operand_flood),
        ("long-mapping.pdf", long_mapping),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/pdf_text");
    for (name, make) in seeds {
        let path = dir.join(name);
        let bytes = make();
        if std::env::var_os("BRIEFING_BLESS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let seed = std::fs::read(&path).unwrap_or_default();
        assert!(
            seed == bytes,
            "{} is not what this test makes: run it with BRIEFING_BLESS=1",
            path.display()
        );
    }
}

/// 80 object streams, each a few hundred bytes inflating twice to one 30 MiB string.
pub fn object_streams() -> Vec<u8> {
    // lopdf gathers the members of every object stream before it keeps any.
    let mut member = b"1000 0\n(".to_vec();
    member.resize(30 << 20, b'A');
    member.push(b')');
    with_object_streams(&member, 80)
}

/// One object stream whose one member is an array of 15 million numbers (30 MiB).
pub fn object_array() -> Vec<u8> {
    let mut member = b"1000 0\n[".to_vec();
    member.extend_from_slice("0 ".repeat(15_000_000).as_bytes());
    member.push(b']');
    with_object_streams(&member, 1)
}

/// An operator given 15 million operands (30 MiB, a few KB compressed twice).
pub fn operand_flood() -> Vec<u8> {
    let content = format!("{}[{}] TJ", title(), "0 ".repeat(15_000_000));
    compressed_page(
        zlib(&zlib(content.as_bytes())),
        &["FlateDecode", "FlateDecode"],
    )
    .bytes()
}

/// A file written by hand (lopdf's writer would not keep them): one page of text, then
/// `streams` object streams holding `member` (`1000 0` and the object) compressed twice.
fn with_object_streams(member: &[u8], streams: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    let content = title();
    object(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    object(&mut out, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    object(
        &mut out,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
          /Resources << /Font << /F1 5 0 R >> >> >>",
    );
    object(
        &mut out,
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        )
        .as_bytes(),
    );
    object(
        &mut out,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    );
    let stored = zlib(&zlib(member));
    for _ in 0..streams {
        let mut body = format!(
            "<< /Type /ObjStm /N 1 /First {} /Filter [/FlateDecode /FlateDecode] /Length {} >>\nstream\n",
            7,
            stored.len()
        )
        .into_bytes();
        body.extend_from_slice(&stored);
        body.extend_from_slice(b"\nendstream");
        object(&mut out, &body);
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for at in &offsets {
        out.extend_from_slice(format!("{at:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn an_operator_with_millions_of_operands_is_refused() {
    refused(&operand_flood(), &["page 1", "more than 100000 operands"]);
}

#[test]
fn an_object_stream_of_millions_of_objects_is_refused() {
    refused(
        &object_array(),
        &["object streams hold more than 2000000 objects"],
    );
}

#[test]
fn object_streams_decompressed_at_load_are_bounded_in_all() {
    refused(
        &object_streams(),
        &["object streams decompress to more than 64 MiB in all"],
    );
}
