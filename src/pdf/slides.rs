//! `briefing pdf --slides`: the deck on paper, one 16:9 slide a page (`@page { size: 16in 9in }`
//! in slides.css), with the speaker notes under each slide when `--notes` is given. The site is
//! built (and so the deck verified) into a temporary folder, and the deck printed from there
//! with scripts off, as the board pack is: the deck reads as slides one after another without
//! them. The notes are shown by one attribute on the root element, which slides.css answers.

use anyhow::{Result, bail};
use std::path::Path;

use super::{Printed, confine};
use crate::site::{self, BuildOptions};

/// The deck's PDF file name in the site's folder.
pub const FILE: &str = "slides.pdf";

/// Build the site and print its deck; with `notes`, each slide's notes under it.
pub fn print(opts: &BuildOptions, chromium: Option<&Path>, notes: bool) -> Result<Printed> {
    let staged = super::Staged::new(opts, chromium)?;
    let dir = &staged.dir;
    let Ok(html) = std::fs::read_to_string(dir.join(site::deck::URL)) else {
        bail!("the site has no deck to print: it needs a home page, `content/_index.md`");
    };
    let html = if notes {
        html.replacen("<html", "<html data-print-notes", 1)
    } else {
        html
    };
    let html = links_for_paper(&html)?;
    super::check_fonts(&staged.prepared, dir, &html)?;
    // Beside the deck, so that its relative links and styles resolve as they do there.
    let document = dir.join("slides/.briefing-print.html");
    crate::fsx::write(&document, confine::with_policy(&html))?;
    let mut browser = staged.browser()?;
    browser.open(&confine::file_url(&document))?;
    let pdf = browser.print()?;
    super::warn_blocked(browser.blocked());
    drop(browser);
    Printed::from_pdf(&pdf)
}

/// The deck's links as paper shows them: a link into the site points at its page on the web
/// (`data-print-url`, absolute when the site has a base URL) or, without one, nowhere, so that
/// no path of the temporary folder is written into the PDF (and the same site prints the same
/// bytes wherever it is printed).
fn links_for_paper(html: &str) -> Result<String> {
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let rewritten = rewrite_str(
        html,
        RewriteStrSettings::new().append_element_content_handler(element!("a[href]", |el| {
            let href = el.get_attribute("href").unwrap_or_default();
            if href.contains("://") || href.starts_with("mailto:") {
                return Ok(());
            }
            match el.get_attribute("data-print-url") {
                Some(url) if url.contains("://") => el.set_attribute("href", &url)?,
                _ => el.remove_attribute("href"),
            }
            Ok(())
        })),
    );
    rewritten.map_err(|e| anyhow::anyhow!("cannot lay out the deck for print: {e}"))
}
