//! Glyphs, as the walk places them on the page, gathered into lines of words. A glyph on the
//! baseline of the line being built joins it; a word space is where the gap between the end of
//! the previous glyph and the start of the next is wider than [`SPACE_EM`] of the type size
//! (as in `pdftotext`), whether the producer drew a space character, moved the pen with a `TJ`
//! number or set the next word with its own `Td`: kerning, a few hundredths of an em, is not a
//! space. A glyph drawn again on top of the same glyph (within [`SAME_EM`]), which is how
//! many producers fake bold type, is read once.

use rustc_hash::FxHashSet;

use super::Line;

/// A gap between glyphs wider than this many ems is a word space (poppler's
/// `minWordBreakSpace` is 0.1; kerning in justified text stays under it).
const SPACE_EM: f32 = 0.1;
/// A glyph closer than this many ems to the same glyph on its line is the same glyph drawn
/// twice (fake bold draws it again a hundredth or two of an em away; `ll` is a quarter apart).
const SAME_EM: f32 = 0.1;

/// A glyph placed on the page: its text, where it starts and ends along the baseline, its
/// baseline, and its type size (device space).
pub(super) struct Placed<'t> {
    pub(super) text: &'t str,
    pub(super) x0: f32,
    pub(super) x1: f32,
    pub(super) y: f32,
    pub(super) size: f32,
}

/// The lines of a page so far, and the line being built.
#[derive(Default)]
pub(super) struct Lines {
    pub(super) lines: Vec<Line>,
    /// Where the last glyph of the last line ends.
    end: f32,
    /// The glyphs of the last line: first and last character, length, and position in
    /// buckets of [`SAME_EM`] / 2.
    seen: FxHashSet<(char, char, usize, i64)>,
}

impl Lines {
    /// Add a glyph; `false` when it was a duplicate and was dropped.
    pub(super) fn add(&mut self, g: Placed) -> bool {
        let size = g.size.max(1.0);
        let same_line = self
            .lines
            .last()
            .is_some_and(|l| (l.y - g.y).abs() <= 0.3 * size);
        if !same_line {
            self.seen.clear();
            self.end = g.x0;
            self.lines.push(Line {
                y: g.y,
                x: g.x0,
                size: g.size,
                text: String::new(),
            });
        }
        if let Some(key) = self.key(&g, 0) {
            let dup = (-2..=2).any(|d| self.seen.contains(&(key.0, key.1, key.2, key.3 + d)));
            if dup && same_line {
                return false;
            }
            self.seen.insert(key);
        }
        let line = self.lines.last_mut().expect("a line was pushed");
        let gap = g.x0 - self.end;
        let blank = g.text.trim().is_empty();
        if same_line
            && !blank
            && (gap > SPACE_EM * size || gap < -size)
            && !line.text.ends_with(' ')
        {
            line.text.push(' ');
        }
        line.text.push_str(g.text);
        self.end = if gap < -size { g.x1 } else { self.end.max(g.x1) };
        true
    }

    fn key(&self, g: &Placed, shift: i64) -> Option<(char, char, usize, i64)> {
        let first = g.text.chars().next()?;
        if first.is_whitespace() {
            return None;
        }
        let last = g.text.chars().next_back()?;
        let bucket = (g.x0 / (SAME_EM / 2.0 * g.size.max(1.0))).round() as i64;
        Some((first, last, g.text.len(), bucket + shift))
    }
}
