//! Template loading: any `page.html` (beside the built-in templates) either compiles or gives
//! problems that each name a template file and a line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("page.html"), text).expect("write");
    if let Ok(Err(problems)) = briefing::render::load(dir.path()) {
        for problem in &problems {
            assert!(problem.file.starts_with("templates/") && problem.file.len() > 10, "{problem}");
            assert!(problem.line.is_some(), "no line: {problem}");
        }
    }
});
