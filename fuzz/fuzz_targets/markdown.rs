//! Markdown rendering with briefing's adapter (heading ids, `@/` links, root-relative links):
//! never a panic, and every problem at a line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let urls: briefing::markdown::UrlMap = [("model.md".to_string(), "model/index.html".to_string())]
        .into_iter()
        .collect();
    for record_links in [false, true] {
        let at = briefing::markdown::Where {
            file: "content/x.md",
            text,
            body_start: 0,
            root: "../",
            record_links,
        };
        let rendered = briefing::markdown::render(&at, &urls);
        for problem in &rendered.problems {
            assert!(problem.line.is_some(), "no line: {problem}");
        }
    }
});
