//! The second reference row of `scripts/bench`: the floor plus what any generator on this stack
//! must do, and nothing of what briefing adds.
//!
//! Like `floor`, but each page's TOML front matter is parsed with the `toml` crate and its HTML
//! goes through the site's Tera 2 templates (`page.html` with the page's title, date, extra and
//! content; `section.html` and `index.html` for `_index.md` files, with empty lists) before it is
//! written to `ROOT/probe-out/<path>/index.html`. Section lists, heading ids, link rewriting,
//! word counts, the sitemap, staging and the atomic swap are left out. briefing's build time over
//! this one's is the price of those features.

mod common;

use std::path::{Path, PathBuf};

use pulldown_cmark::{Parser, html};
use rayon::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Front {
    title: String,
    date: Option<toml::Value>,
    #[serde(default)]
    extra: toml::Table,
}

fn split(text: &str) -> (&str, &str) {
    let Some(rest) = text.strip_prefix("+++\n") else {
        return ("", text);
    };
    match rest.find("\n+++\n") {
        Some(end) => (&rest[..end], &rest[end + 5..]),
        None => ("", text),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let content = root.join("content");
    let out = root.join("probe-out");
    let _ = std::fs::remove_dir_all(&out);
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html"]);
    for name in ["page.html", "section.html", "index.html"] {
        let template = std::fs::read_to_string(root.join("templates").join(name))?;
        tera.add_raw_template(name, &template)?;
    }
    let mut config = tera::Map::new();
    config.insert("title".into(), "Benchmark site".into());
    let config = tera::Value::from(config);
    let files = common::markdown_files(&content);
    // The same Markdown extensions as briefing's, so the difference is only the features.
    let opts = briefing::markdown::options();
    files
        .par_iter()
        .try_for_each(
            |path| -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
                let text = std::fs::read_to_string(path)?;
                let (front, body) = split(&text);
                let front: Front = toml::from_str(front)?;
                let mut content_html = String::with_capacity(body.len() * 3 / 2);
                html::push_html(&mut content_html, Parser::new_ext(body, opts));
                let rel = path.strip_prefix(&content)?.with_extension("");
                let section = rel.file_name().is_some_and(|n| n == "_index");
                // A page `a/b.md` is written to `a/b/index.html`, a section `a/_index.md` to
                // `a/index.html`.
                let rel = if section {
                    rel.parent().unwrap_or(Path::new("")).to_path_buf()
                } else {
                    rel
                };
                let depth = rel.components().count();
                let mut page = tera::Map::new();
                page.insert("title".into(), front.title.into());
                let date = front.date.map(|d| match d {
                    toml::Value::String(s) => s,
                    other => other.to_string(),
                });
                page.insert("date".into(), date.into());
                page.insert("extra".into(), tera::Value::from_serializable(&front.extra));
                page.insert("content".into(), tera::Value::safe_string(&content_html));
                let (name, var) = match (section, depth) {
                    (false, _) => ("page.html", "page"),
                    (true, 0) => ("index.html", "section"),
                    (true, _) => ("section.html", "section"),
                };
                if section {
                    page.insert("pages".into(), tera::Value::from(Vec::<tera::Value>::new()));
                    page.insert(
                        "subsections".into(),
                        tera::Value::from(Vec::<tera::Value>::new()),
                    );
                }
                let mut ctx = tera::Context::new();
                ctx.insert_value("config", config.clone());
                ctx.insert("root", &"../".repeat(depth));
                ctx.insert_value(var, tera::Value::from(page));
                let dir: &Path = &out.join(rel);
                std::fs::create_dir_all(dir)?;
                let file = std::fs::File::create(dir.join("index.html"))?;
                let mut writer = std::io::BufWriter::with_capacity(64 * 1024, file);
                tera.render_to(name, &ctx, &mut writer)?;
                std::io::Write::flush(&mut writer)?;
                Ok(())
            },
        )
        .map_err(|e| e.to_string().into())
}
