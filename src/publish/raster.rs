//! The social card drawn to pixels: each [`Mark`] filled with tiny-skia, text set glyph by glyph
//! from the DejaVu Sans shipped in `assets/fonts/` (outlines, advances and the legacy `kern`
//! table read with ttf-parser), never a font of the machine, so that every machine writes the
//! same bytes. No shaping: one glyph a character, a character the font lacks drawn as its
//! `.notdef` box.

use tiny_skia::{FillRule, Paint, Path, PathBuilder, Pixmap, Transform};
use ttf_parser::{Face, GlyphId, OutlineBuilder};

use super::{Card, Mark};

const SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The card as a PNG of its size, its text set in the shipped font.
pub fn png(card: &Card) -> anyhow::Result<Vec<u8>> {
    let pixmap = draw(card)?;
    encode(pixmap.width(), pixmap.height(), &pixmap.take_demultiplied())
        .map_err(|e| anyhow::anyhow!("cannot encode the social card: {e}"))
}

/// The card's marks filled in order onto a transparent canvas of its size.
pub fn draw(card: &Card) -> anyhow::Result<Pixmap> {
    let faces = [Face::parse(SANS, 0), Face::parse(SANS_BOLD, 0)];
    let [Ok(regular), Ok(bold)] = faces else {
        anyhow::bail!("the shipped DejaVu Sans cannot be read");
    };
    let mut pixmap = Pixmap::new(card.width, card.height)
        .ok_or_else(|| anyhow::anyhow!("the social card has no size"))?;
    for mark in &card.marks {
        let (path, colour, transform) = shape(mark, [&regular, &bold]);
        if let Some(path) = path {
            let mut paint = Paint::default();
            paint.set_color_rgba8(colour[0], colour[1], colour[2], 255);
            paint.anti_alias = true;
            pixmap.fill_path(&path, &paint, FillRule::Winding, transform, None);
        }
    }
    Ok(pixmap)
}

/// A mark's outline, its colour and where the outline goes on the card (text is outlined in
/// font units, y up, and scaled onto its baseline).
fn shape(mark: &Mark, [regular, bold]: [&Face; 2]) -> (Option<Path>, [u8; 3], Transform) {
    match mark {
        Mark::Rect {
            x,
            y,
            width,
            height,
            radius,
            colour,
        } => {
            let [x, y, w, h, r] = [x, y, width, height, radius].map(|n| *n as f32);
            (rect(x, y, w, h, r), *colour, Transform::identity())
        }
        Mark::Text {
            x,
            y,
            size,
            bold: heavy,
            spacing,
            colour,
            text,
        } => {
            let face = if *heavy { bold } else { regular };
            let scale = f32::from(*size) / f32::from(face.units_per_em());
            let spacing = f32::from(*spacing) / scale;
            let transform = Transform::from_row(scale, 0.0, 0.0, -scale, *x as f32, *y as f32);
            (outline(face, text, spacing), *colour, transform)
        }
    }
}

/// A rectangle with corners rounded by `r` (a quarter ellipse drawn as one cubic each).
fn rect(x: f32, y: f32, w: f32, h: f32, r: f32) -> Option<Path> {
    let r = r.min(w / 2.0).min(h / 2.0);
    if r <= 0.0 {
        return Some(PathBuilder::from_rect(tiny_skia::Rect::from_xywh(
            x, y, w, h,
        )?));
    }
    // The control-point distance that makes a cubic Bézier closest to a quarter circle.
    let k = r * 0.552_284_8;
    let (right, bottom) = (x + w, y + h);
    let mut p = PathBuilder::new();
    p.move_to(x + r, y);
    p.line_to(right - r, y);
    p.cubic_to(right - r + k, y, right, y + r - k, right, y + r);
    p.line_to(right, bottom - r);
    p.cubic_to(
        right,
        bottom - r + k,
        right - r + k,
        bottom,
        right - r,
        bottom,
    );
    p.line_to(x + r, bottom);
    p.cubic_to(x + r - k, bottom, x, bottom - r + k, x, bottom - r);
    p.line_to(x, y + r);
    p.cubic_to(x, y + r - k, x + r - k, y, x + r, y);
    p.close();
    p.finish()
}

/// The outlines of `text`'s glyphs in font units (y up), each placed at the pen, which moves on
/// by the glyph's advance, the kerning with the next glyph and `spacing` (font units).
fn outline(face: &Face, text: &str, spacing: f32) -> Option<Path> {
    let glyphs: Vec<GlyphId> = text
        .chars()
        .map(|c| face.glyph_index(c).unwrap_or(GlyphId(0)))
        .collect();
    let mut pen = Pen {
        path: PathBuilder::new(),
        x: 0.0,
    };
    for (i, &glyph) in glyphs.iter().enumerate() {
        face.outline_glyph(glyph, &mut pen);
        let kern = glyphs
            .get(i + 1)
            .map_or(0, |&next| kerning(face, glyph, next));
        pen.x += f32::from(face.glyph_hor_advance(glyph).unwrap_or(0)) + f32::from(kern) + spacing;
    }
    pen.path.finish()
}

/// The adjustment between two glyphs from the font's legacy `kern` table, 0 where it has none.
fn kerning(face: &Face, left: GlyphId, right: GlyphId) -> i16 {
    let Some(table) = face.tables().kern else {
        return 0;
    };
    table
        .subtables
        .into_iter()
        .filter(|s| s.horizontal && !s.variable && !s.has_cross_stream)
        .find_map(|s| s.glyphs_kerning(left, right))
        .unwrap_or(0)
}

/// Glyph outlines collected into one path, shifted right by the pen's position.
struct Pen {
    path: PathBuilder,
    x: f32,
}

impl OutlineBuilder for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.path.move_to(self.x + x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.path.line_to(self.x + x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.path.quad_to(self.x + x1, y1, self.x + x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let dx = self.x;
        self.path.cubic_to(dx + x1, y1, dx + x2, y2, dx + x, y);
    }
    fn close(&mut self) {
        self.path.close();
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    const NAVY: [u8; 3] = [0x0f, 0x27, 0x42];
    const WHITE: [u8; 3] = [0xff, 0xff, 0xff];

    fn text(x: u32, y: u32, size: u16, spacing: u16, text: &str) -> Mark {
        let (bold, colour, text) = (true, WHITE, text.to_owned());
        Mark::Text {
            x,
            y,
            size,
            bold,
            spacing,
            colour,
            text,
        }
    }

    /// A navy 1200×630 card with `marks` on it.
    fn card(marks: Vec<Mark>) -> Card {
        let (width, height, radius, colour) = (1200, 630, 0, NAVY);
        let mut all = vec![Mark::Rect {
            x: 0,
            y: 0,
            width,
            height,
            radius,
            colour,
        }];
        all.extend(marks);
        Card {
            width,
            height,
            marks: all,
        }
    }

    /// The smallest box (x0, y0, x1, y1) holding every pixel that is not the background.
    fn ink(pixmap: &Pixmap) -> Option<(u32, u32, u32, u32)> {
        let mut bbox: Option<(u32, u32, u32, u32)> = None;
        for (i, p) in pixmap.pixels().iter().enumerate() {
            if [p.red(), p.green(), p.blue()] != NAVY {
                let (x, y) = (i as u32 % pixmap.width(), i as u32 / pixmap.width());
                let (x0, y0, x1, y1) = bbox.unwrap_or((x, y, x, y));
                bbox = Some((x0.min(x), y0.min(y), x1.max(x), y1.max(y)));
            }
        }
        bbox
    }

    fn advance(text: &str) -> u32 {
        let face = Face::parse(SANS_BOLD, 0).unwrap();
        let units: u32 = text
            .chars()
            .map(|c| {
                u32::from(
                    face.glyph_hor_advance(face.glyph_index(c).unwrap())
                        .unwrap(),
                )
            })
            .sum();
        units * 56 / u32::from(face.units_per_em())
    }

    #[test]
    fn text_is_drawn_glyph_by_glyph_on_its_baseline_and_nowhere_else() {
        let pixmap = draw(&card(vec![text(72, 120, 56, 0, "Hill")])).unwrap();
        let white = pixmap
            .pixels()
            .iter()
            .filter(|p| p.red() == 255 && p.blue() == 255);
        assert!(white.count() > 500, "the title is drawn in its colour");
        let (x0, y0, x1, y1) = ink(&pixmap).unwrap();
        // "Hill": the H's stem starts a few pixels right of x, its top near the cap height
        // (0.73 em), nothing below the baseline; the last l ends before the pen's end.
        assert!(
            (72..80).contains(&x0) && (75..82).contains(&y0),
            "{x0},{y0}"
        );
        assert!(y1 <= 120, "{y1}");
        let end = 72 + advance("Hill");
        assert!(
            (end - 12..end).contains(&x1),
            "{x1} against a pen ending at {end}"
        );
    }

    #[test]
    fn letter_spacing_and_kerning_move_the_glyphs() {
        let right = |mark| ink(&draw(&card(vec![mark])).unwrap()).unwrap().2;
        let spaced =
            right(text(72, 392, 56, 2, "FORECAST")) - right(text(72, 392, 56, 0, "FORECAST"));
        assert_eq!(
            spaced, 14,
            "2 px after each of the seven glyphs before the last"
        );
        let face = Face::parse(SANS, 0).unwrap();
        let glyph = |c| face.glyph_index(c).unwrap();
        assert!(
            kerning(&face, glyph('A'), glyph('V')) < 0,
            "DejaVu's kern table has AV"
        );
        assert_eq!(kerning(&face, glyph('H'), glyph('H')), 0);
    }

    #[test]
    fn a_character_the_font_lacks_is_drawn_as_its_notdef_box() {
        let pixmap = draw(&card(vec![text(72, 120, 56, 0, "\u{10FFFD}")])).unwrap();
        let (x0, y0, x1, y1) = ink(&pixmap).expect("the .notdef glyph is drawn");
        assert!(
            x1 - x0 > 10 && y1 - y0 > 20 && y0 < 120,
            "{x0},{y0},{x1},{y1}"
        );
    }

    #[test]
    fn tiles_have_round_corners_and_the_same_card_gives_the_same_bytes() {
        let tile = Mark::Rect {
            x: 72,
            y: 360,
            width: 250,
            height: 235,
            radius: 14,
            colour: WHITE,
        };
        let card = card(vec![tile, text(94, 446, 50, 0, "1.07")]);
        let pixmap = draw(&card).unwrap();
        let at = |x, y| pixmap.pixel(x, y).map(|p| [p.red(), p.green(), p.blue()]);
        assert_eq!(at(72, 360), Some(NAVY), "the corner is cut");
        assert_eq!(at(72, 480), Some(WHITE), "the side is not");
        assert_eq!(at(200, 360), Some(WHITE), "nor the top");
        assert_eq!(ink(&pixmap), Some((72, 360, 321, 594)));
        assert!(png(&card).unwrap() == png(&card).unwrap());
    }
}
