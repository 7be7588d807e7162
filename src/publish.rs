//! What hosting and crawlers need beside the pages: `.nojekyll` and `CNAME` for GitHub Pages,
//! and, when the site has a base URL, `sitemap.xml` with absolute URLs and a `robots.txt`
//! pointing at it, and the social card as a PNG. Everything is derived from the site data, in
//! a stable order; the card is laid out here as a list of marks and drawn by [`raster`] from
//! the DejaVu Sans shipped in `assets/fonts/`, so that every machine writes the same bytes.

mod raster;

use crate::diagram::wrap;
use crate::escape::push_escaped;
use crate::model::Site;

pub use raster::png as card_png;

/// The names of the hosting files (they go to the output root), in a stable order.
pub fn names(site: &Site) -> Vec<&'static str> {
    let mut names = vec![".nojekyll"];
    if !site.config.cname.is_empty() {
        names.push("CNAME");
    }
    if !site.config.base_url.is_empty() {
        names.extend(["sitemap.xml", "robots.txt", CARD]);
    }
    names
}

/// The hosting files: [`names`] with their contents.
pub fn files(site: &Site) -> anyhow::Result<Vec<(&'static str, Vec<u8>)>> {
    files_with(site, card_png)
}

/// [`files`], with the social card turned into a PNG by `png` (serve keeps the last one).
pub fn files_with(
    site: &Site,
    png: impl Fn(&Card) -> anyhow::Result<Vec<u8>>,
) -> anyhow::Result<Vec<(&'static str, Vec<u8>)>> {
    names(site)
        .into_iter()
        .map(|name| {
            let bytes = match name {
                "CNAME" => format!("{}\n", site.config.cname).into_bytes(),
                "sitemap.xml" => sitemap(site).into_bytes(),
                "robots.txt" => robots(&site.config.base_url).into_bytes(),
                CARD => png(&card(site))?,
                _ => Vec::new(),
            };
            Ok((name, bytes))
        })
        .collect()
}

/// `sitemap.xml`: every page but the 404 page, by URL.
pub fn sitemap(site: &Site) -> String {
    let mut pages: Vec<_> = site.pages.iter().filter(|p| p.url != "404.html").collect();
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages {
        xml.push_str("  <url><loc>");
        push_escaped(&mut xml, &site.config.base_url);
        push_escaped(&mut xml, page.web_path());
        xml.push_str("</loc>");
        if let Some(date) = page.meta.date.as_deref().filter(|d| d.len() >= 10) {
            xml.push_str("<lastmod>");
            push_escaped(&mut xml, date.get(..10).unwrap_or(date));
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The social card image, written at the output root when the site has a base URL.
pub const CARD: &str = "og-card.png";

/// The social card as drawn: a canvas and the marks painted on it in order. Serve keeps the
/// last card's PNG and draws again only when this value changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    /// The canvas size in pixels.
    pub width: u32,
    /// See `width`.
    pub height: u32,
    /// What is painted, back to front.
    pub marks: Vec<Mark>,
}

/// One thing painted on the card, in pixels from its top left corner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A filled rectangle, its corners rounded by `radius`.
    Rect {
        x: u32,
        y: u32,
        width: u32,
        height: u32,
        radius: u32,
        colour: [u8; 3],
    },
    /// One line of text starting at `x` on the baseline `y`, set in DejaVu Sans (Bold when
    /// `bold`) at `size` pixels to the em, `spacing` pixels added after each character.
    Text {
        x: u32,
        y: u32,
        size: u16,
        bold: bool,
        spacing: u16,
        colour: [u8; 3],
        text: String,
    },
}

const NAVY: [u8; 3] = [0x0f, 0x27, 0x42];
const SKY: [u8; 3] = [0x5f, 0xb3, 0xf0];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];
const MIST: [u8; 3] = [0xc9, 0xdc, 0xee];
const TILE: [u8; 3] = [0x16, 0x38, 0x5c];

/// Text of `size` pixels in `colour`, regular weight, no extra spacing.
fn text(x: usize, y: usize, size: u16, colour: [u8; 3], text: &str) -> Mark {
    Mark::Text {
        x: x as u32,
        y: y as u32,
        size,
        bold: false,
        spacing: 0,
        colour,
        text: text.to_owned(),
    }
}

/// `mark` in bold (a text mark; any other is returned as it is).
fn bold(mut mark: Mark) -> Mark {
    if let Mark::Text { bold, .. } = &mut mark {
        *bold = true;
    }
    mark
}

/// A filled rectangle.
fn rect(x: usize, y: usize, width: u32, height: u32, radius: u32, colour: [u8; 3]) -> Mark {
    let (x, y) = (x as u32, y as u32);
    Mark::Rect {
        x,
        y,
        width,
        height,
        radius,
        colour,
    }
}

/// A 1200×630 card: the site title and description, and the first four metrics of the site
/// (from any page's `extra.metrics`, in content order), value large, label small.
pub fn card(site: &Site) -> Card {
    let metrics: Vec<&toml::Table> = site
        .pages
        .iter()
        .filter_map(|p| p.meta.extra.get("metrics")?.as_array())
        .flatten()
        .filter_map(toml::Value::as_table)
        .take(4)
        .collect();
    let mut marks = vec![rect(0, 0, 1200, 630, 0, NAVY), rect(0, 0, 16, 630, 0, SKY)];
    for (i, line) in clip(wrap(&site.config.title, 38), 2).iter().enumerate() {
        marks.push(bold(text(72, 120 + i * 66, 56, WHITE, line)));
    }
    let description = clip(wrap(&site.config.description, 74), 3);
    for (i, line) in description.iter().enumerate() {
        marks.push(text(72, 246 + i * 36, 26, MIST, line));
    }
    for (i, m) in metrics.iter().enumerate() {
        metric(&mut marks, 72 + i * 270, m);
    }
    Card {
        width: 1200,
        height: 630,
        marks,
    }
}

/// One metric's tile at `x`: its value, unit, FORECAST when it is one, and label.
fn metric(marks: &mut Vec<Mark>, x: usize, m: &toml::Table) {
    let field = |k: &str| {
        m.get(k)
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .unwrap_or_default()
    };
    let value = field("value");
    let size = if value.chars().count() > 6 { 40 } else { 50 };
    marks.push(rect(x, 360, 250, 235, 14, TILE));
    marks.push(bold(text(x + 22, 446, size, WHITE, &value)));
    marks.push(text(x + 22, 478, 24, WHITE, &field("unit")));
    if m.get("forecast").and_then(toml::Value::as_bool) == Some(true) {
        let mut forecast = bold(text(x + 22, 392, 16, SKY, "FORECAST"));
        if let Mark::Text { spacing, .. } = &mut forecast {
            *spacing = 2;
        }
        marks.push(forecast);
    }
    for (j, line) in clip(wrap(&field("label"), 20), 3).iter().enumerate() {
        marks.push(text(x + 22, 512 + j * 26, 20, MIST, line));
    }
}

/// At most `max` lines, the last one ending in an ellipsis when text was cut.
fn clip(mut lines: Vec<String>, max: usize) -> Vec<String> {
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n")
}
