//! A PDF source's text from any bytes: never a panic, and every problem names the file. The
//! limits of docs/FORMAT.md ("Limits on PDF sources") keep each input within libFuzzer's memory
//! and time limits (`-rss_limit_mb`, `-timeout`), so an input that gets around them fails the
//! run. Seeded with tests/fixtures/pdf/ and the hostile PDFs of tests/untrusted/hostile_pdf.rs
//! (fuzz/seeds/pdf_text/).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Err(problem) = briefing::pdftext::extract(bytes, "content/sources/x.pdf") {
        assert_eq!(problem.file, "content/sources/x.pdf", "{problem}");
    }
});
