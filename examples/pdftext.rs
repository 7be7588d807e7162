//! Print the text briefing reads from PDFs, page by page and paragraph by paragraph, and how
//! long it took: `cargo run --release --example pdftext -- FILE.pdf...` (scripts/bench-pdf
//! uses it on a generated 100-page report).

use std::time::Instant;

// The allocator the `briefing` binary uses, so the times are the build's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let quiet = std::env::args().any(|a| a == "--quiet");
    for path in std::env::args().skip(1).filter(|a| a != "--quiet") {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let started = Instant::now();
        let result = briefing::pdftext::extract(&bytes, &path);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match result {
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
