//! Print the text briefing reads from PDFs, page by page and paragraph by paragraph, and how
//! long it took: `cargo run --release --example pdftext -- FILE.pdf...`. With `--compare`, one
//! row a file instead: briefing's word F1 against `pdftotext` (tests/common/wordf1.rs), and
//! both tools' times (scripts/bench-pdf runs it over the corpus of real PDFs).

use std::path::Path;
use std::time::Instant;

#[path = "../tests/common/wordf1.rs"]
mod wordf1;

// The allocator the `briefing` binary uses, so the times are the build's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let flag = |f: &str| std::env::args().any(|a| a == f);
    let (quiet, compare) = (flag("--quiet"), flag("--compare"));
    let paths: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if compare {
        println!("file\tpages\twords\tprecision\trecall\tf1\tours_ms\tpdftotext_ms");
    }
    for path in paths {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let started = Instant::now();
        let result = briefing::pdftext::extract(&bytes, &path);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok(text) if compare => row(&path, &text, ms),
            Ok(text) => {
                let paras: usize = text.pages.iter().map(Vec::len).sum();
                println!(
                    "{path}: {} pages, {paras} paragraphs, {ms:.1} ms",
                    text.pages.len()
                );
                if !quiet {
                    for (i, page) in text.pages.iter().enumerate() {
                        for (j, p) in page.iter().enumerate() {
                            println!("  page-{}-p{}: {p}", i + 1, j + 1);
                        }
                    }
                }
            }
            Err(problem) => println!("{path}: error: {}", problem.message),
        }
    }
}

/// One row of the comparison with `pdftotext` (whose time is its whole process).
fn row(path: &str, text: &briefing::pdftext::PdfText, ms: f64) {
    let ours: String = text
        .pages
        .iter()
        .flatten()
        .map(|p| format!("{p}\n"))
        .collect();
    let started = Instant::now();
    let reference = wordf1::pdftotext(Path::new(path)).expect("pdftotext is not installed");
    let theirs = started.elapsed().as_secs_f64() * 1000.0;
    let s = wordf1::score(&ours, &reference);
    let name = Path::new(path).file_name().unwrap().to_string_lossy();
    println!(
        "{name}\t{}\t{}\t{:.3}\t{:.3}\t{:.3}\t{ms:.1}\t{theirs:.1}",
        text.pages.len(),
        wordf1::words(&reference).len(),
        s.precision,
        s.recall,
        s.f1
    );
}
