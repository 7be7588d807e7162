//! Command-line interface (clap derive). Each subcommand is a `run(args)` in `cmd/`.

use clap::{Parser, Subcommand};
use std::net::IpAddr;
use std::path::PathBuf;

use crate::cmd;

/// What `briefing --version` prints after the name: "0.1.0 (abc1234 2026-12-04)", the version and
/// the commit the binary was built from (see build.rs).
pub const VERSION: &str = env!("BRIEFING_VERSION");

/// A fast static site generator for strategy briefings.
#[derive(Debug, Parser)]
#[command(name = "briefing", version = VERSION, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output directory (default: public/ under the root).
    Build(BuildArgs),
    /// Build into a temporary directory and check links, anchors, citations and page structure.
    Check(CheckArgs),
    /// Write a new starter briefing into DIR (which must be empty or not exist).
    Init(InitArgs),
    /// Serve the site locally, rebuild on every save and reload the browser.
    Serve(ServeArgs),
    /// Print the whole briefing as one PDF (the board pack) with headless Chromium.
    Pdf(PdfArgs),
    /// Put each citation whose quote moved (a source re-issued or re-wrapped) back on the
    /// paragraph holding it: rewrite its `para` and `page`, and nothing else.
    Fix(FixArgs),
    /// Print a source's paragraphs numbered as the build numbers them (`¶N`, `page P ¶N`).
    Paragraphs(ParagraphsArgs),
}

#[derive(Debug, clap::Args)]
pub struct FixArgs {
    /// The site's root folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Print the changes without writing them.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, clap::Args)]
pub struct ParagraphsArgs {
    /// The source document: text, Markdown, a PDF, a saved web page, a CSV or XLSX file.
    pub file: PathBuf,
    /// The sheet of an XLSX workbook (as `[extra.source] sheet`); the first one by default.
    #[arg(long)]
    pub sheet: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct PdfArgs {
    /// The site's root folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the PDF [default: ROOT/briefing.pdf, with --slides ROOT/slides.pdf].
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Print the deck (slides/index.html), one 16:9 slide a page, instead of the board pack.
    #[arg(long)]
    pub slides: bool,
    /// With --slides: print each slide's speaker notes under it.
    #[arg(long, requires = "slides")]
    pub notes: bool,
    /// The Chromium or Chrome to print with [default: $BRIEFING_CHROMIUM, then chromium,
    /// chromium-browser, google-chrome or google-chrome-stable on PATH].
    #[arg(long)]
    pub chromium: Option<PathBuf>,
    /// Absolute URL the site is served from; links to pages not in the PDF then print as
    /// absolute URLs (overrides site.toml).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Folder to create the new briefing in.
    pub dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site's root folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Also check external (http/https) links, with the system's curl (7.75 or newer); off by
    /// default so checks work offline.
    #[arg(long)]
    pub external: bool,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site's root folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Address to listen on; 0.0.0.0 makes the site reachable from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub interface: IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site's root folder (holds site.toml, content/, templates/, static/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: ROOT/public].
    #[arg(long)]
    pub output_dir: Option<PathBuf>,
    /// Absolute URL the site is served from, e.g. https://owner.github.io/repo/ (overrides site.toml).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Write every file anew and keep no spare copy of the previous output beside the output
    /// folder (by default the previous output is kept as .NAME.briefing-spare and written over
    /// by the next build, which makes rebuilds of large sites much cheaper).
    #[arg(long)]
    pub clean: bool,
    /// Also print the board pack (see `briefing pdf`) into the site as briefing.pdf, linked
    /// from the home page.
    #[arg(long)]
    pub pdf: bool,
    /// With --pdf: the Chromium or Chrome to print with.
    #[arg(long, requires = "pdf")]
    pub chromium: Option<PathBuf>,
}

/// Parse the command line and run the subcommand.
pub fn run() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Pdf(args) => cmd::pdf::run(args),
        Command::Fix(args) => cmd::fix::run(args),
        Command::Paragraphs(args) => cmd::paragraphs::run(args),
    }
}
