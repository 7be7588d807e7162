//! What hosting and crawlers need beside the pages: `.nojekyll` and `CNAME` for GitHub Pages,
//! and, when the site has a base URL, `sitemap.xml` with absolute URLs and a `robots.txt`
//! pointing at it, and the social card as a PNG. Everything is derived from the site data, in
//! a stable order; the card is rasterised with resvg from the DejaVu Sans shipped in
//! `assets/fonts/`, never a font of the machine, so that every machine writes the same bytes.

use std::fmt::Write as _;

use crate::diagram::wrap;
use crate::escape::{escape_attr, push_escaped};
use crate::model::Site;

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

/// [`files`], with the social card's SVG turned into a PNG by `png` (serve keeps the last one).
pub fn files_with(
    site: &Site,
    png: impl Fn(&str) -> anyhow::Result<Vec<u8>>,
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

const SANS: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// The card's SVG as a 1200×630 PNG, its text set in the shipped font.
pub fn card_png(svg: &str) -> anyhow::Result<Vec<u8>> {
    use resvg::{tiny_skia, usvg};
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_font_data(SANS.to_vec());
    fonts.load_font_data(SANS_BOLD.to_vec());
    fonts.set_sans_serif_family("DejaVu Sans");
    let options = usvg::Options {
        font_family: "DejaVu Sans".into(),
        fontdb: std::sync::Arc::new(fonts),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)
        .map_err(|e| anyhow::anyhow!("cannot read the social card's SVG: {e}"))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| anyhow::anyhow!("the social card has no size"))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    encode(size.width(), size.height(), &pixmap.take_demultiplied())
        .map_err(|e| anyhow::anyhow!("cannot encode the social card: {e}"))
}

/// RGBA pixels as a PNG, with the png crate's fast (fdeflate) compression: tiny-skia's own
/// `encode_png` uses the default level, which cost a third of a 1,000-page build.
fn encode(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut data = Vec::new();
    let mut encoder = png::Encoder::new(&mut data, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgba)?;
    writer.finish()?;
    Ok(data)
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

/// A 1200×630 card: the site title and description, and the first four metrics of the site
/// (from any page's `extra.metrics`, in content order), value large, label small.
pub fn card(site: &Site) -> String {
    let metrics: Vec<&toml::Table> = site
        .pages
        .iter()
        .filter_map(|p| p.meta.extra.get("metrics")?.as_array())
        .flatten()
        .filter_map(toml::Value::as_table)
        .take(4)
        .collect();
    let text = |t: &toml::Table, k: &str| {
        t.get(k)
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .unwrap_or_default()
    };
    let mut svg = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\" viewBox=\"0 0 1200 630\" font-family=\"DejaVu Sans\">\n<rect width=\"1200\" height=\"630\" fill=\"#0f2742\"/>\n<rect x=\"0\" y=\"0\" width=\"16\" height=\"630\" fill=\"#5fb3f0\"/>\n",
    );
    for (i, line) in clip(wrap(&site.config.title, 38), 2).iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text x=\"72\" y=\"{}\" font-size=\"56\" font-weight=\"700\" fill=\"#ffffff\">{}</text>",
            120 + i * 66,
            escape_attr(line)
        );
    }
    for (i, line) in clip(wrap(&site.config.description, 74), 3)
        .iter()
        .enumerate()
    {
        let _ = writeln!(
            svg,
            "<text x=\"72\" y=\"{}\" font-size=\"26\" fill=\"#c9dcee\">{}</text>",
            246 + i * 36,
            escape_attr(line)
        );
    }
    for (i, m) in metrics.iter().enumerate() {
        let x = 72 + i * 270;
        let _ = writeln!(
            svg,
            "<rect x=\"{x}\" y=\"360\" width=\"250\" height=\"235\" rx=\"14\" fill=\"#16385c\"/>\n<text x=\"{}\" y=\"446\" font-size=\"{}\" font-weight=\"700\" fill=\"#ffffff\">{}</text>\n<text x=\"{}\" y=\"478\" font-size=\"24\" fill=\"#ffffff\">{}</text>",
            x + 22,
            if text(m, "value").chars().count() > 6 {
                40
            } else {
                50
            },
            escape_attr(&text(m, "value")),
            x + 22,
            escape_attr(&text(m, "unit")),
        );
        if m.get("forecast").and_then(toml::Value::as_bool) == Some(true) {
            let _ = writeln!(
                svg,
                "<text x=\"{}\" y=\"392\" font-size=\"16\" font-weight=\"700\" letter-spacing=\"2\" fill=\"#5fb3f0\">FORECAST</text>",
                x + 22
            );
        }
        for (j, line) in clip(wrap(&text(m, "label"), 20), 3).iter().enumerate() {
            let _ = writeln!(
                svg,
                "<text x=\"{}\" y=\"{}\" font-size=\"20\" fill=\"#c9dcee\">{}</text>",
                x + 22,
                512 + j * 26,
                escape_attr(line)
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
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
