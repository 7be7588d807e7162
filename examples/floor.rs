//! The floor for `scripts/bench`: what reading, pulldown-cmark and writing alone cost.
//!
//! Walks `ROOT/content`, skips each file's `+++` front matter, renders the body with
//! pulldown-cmark and writes it to `ROOT/floor-out/<path>/index.html`, one rayon task a page.
//! No templates, no links, no staging: nothing a generator could leave out. A generator's build
//! time over this one's is the price of its features.

mod common;

use std::path::{Path, PathBuf};

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

fn body(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("+++") else {
        return text;
    };
    match rest.find("\n+++") {
        Some(end) => &rest[end + 4..],
        None => text,
    }
}

fn main() -> std::io::Result<()> {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let content = root.join("content");
    let out = root.join("floor-out");
    let _ = std::fs::remove_dir_all(&out);
    let files = common::markdown_files(&content);
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    files.par_iter().try_for_each(|path| {
        let text = std::fs::read_to_string(path)?;
        let mut html_out = String::with_capacity(text.len() * 3 / 2);
        html::push_html(&mut html_out, Parser::new_ext(body(&text), opts));
        let rel = path.strip_prefix(&content).unwrap().with_extension("");
        let dir: &Path = &out.join(rel);
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("index.html"), html_out)
    })
}
