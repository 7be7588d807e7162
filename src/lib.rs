//! briefing: a static site generator for strategy briefings. Markdown with TOML front matter in
//! `content/`, Tera templates in `templates/`, files in `static/`, settings in `site.toml`; out
//! comes a static site whose every link is relative, so it works from disk, at a domain root and
//! under a subpath, and whose every cited number is checked against its source.

pub mod active;
pub mod chart;
pub mod check;
pub mod cite;
pub mod claims;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod dates;
pub mod defaults;
pub mod diag;
pub mod diagram;
pub mod escape;
pub mod fsx;
pub mod htmltags;
pub mod ids;
pub mod lang;
pub mod markdown;
pub mod model;
pub mod nofollow;
pub mod output;
pub mod pdf;
pub mod pdftext;
pub mod publish;
pub mod quotes;
pub mod render;
pub mod search;
pub mod serve;
pub mod sheet;
pub mod site;
pub mod spans;
pub mod svgtext;
pub mod tempdirs;
pub mod tomlx;
pub mod verify;
pub mod words;
