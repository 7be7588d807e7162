//! Front matter and page parsing: any text either parses or is a problem at a line of the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(problem) = briefing::content::parse_page("notes/a.md", "content/notes/a.md".into(), text) {
        assert!(problem.line.is_some(), "no line: {problem}");
        assert!(problem.file == "content/notes/a.md", "{problem}");
    }
});
