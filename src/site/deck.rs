//! The briefing as a deck: `slides/index.html`, rendered with `slides.html` from the home
//! page's data (its headline, the pages it names, the sources) and verified like every page.
//! It is no content file of its own: the deck is the home page rendered a second time, with
//! another template at another address, so every figure on a slide is blamed on the content
//! line that wrote it, as on the home page.

use crate::model::{Page, Site};

/// Where the deck is written.
pub const URL: &str = "slides/index.html";

/// The template the deck is rendered with.
pub const TEMPLATE: &str = "slides.html";

/// The deck as a page: the home page at [`URL`] with [`TEMPLATE`]; none for a site without a
/// home page.
pub fn page(site: &Site) -> Option<Page> {
    let home = site.page("_index.md")?;
    let mut deck = home.clone();
    deck.url = URL.to_string();
    deck.depth = 1;
    deck.meta.template = Some(TEMPLATE.to_string());
    Some(deck)
}
