//! Glyphs, as the walk places them on the page, gathered into lines of words. A glyph on the
//! baseline of the line being built joins it; a word space is where the gap between the end of
//! the previous glyph and the start of the next is wider than [`SPACE_EM`] of the type size
//! (as in `pdftotext`), whether the producer drew a space character, moved the pen with a `TJ`
//! number or set the next word with its own `Td`: kerning, a few hundredths of an em, is not a
//! space. A glyph drawn again on top of the same glyph anywhere on the page (within
//! [`SAME_EM`] both ways), which is how many producers fake bold type (glyph by glyph, word by
//! word or a whole paragraph again), is read once. A glyph within half an em of the line's
//! baseline (a superscript, a subscript) belongs to the line.

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

/// Buckets across the baseline, in ems: fake bold moves along the line, if at all across it.
const ACROSS_EM: f32 = 0.3;

/// The most glyphs remembered per page to find those drawn twice (32 bytes each); past it
/// the page's memory starts again, so a hostile page cannot make it grow without bound.
const MAX_SEEN: usize = 1 << 20;

/// A glyph's first and last character, its length, and where it is: in buckets of
/// [`SAME_EM`] along the baseline (the bucket beside counts too) and of [`ACROSS_EM`] across.
type Key = (char, char, u32, i32, i32);

/// The glyphs of a page, to find those drawn twice.
pub(super) type Seen = FxHashSet<Key>;

/// The lines of a page so far, and the line being built.
#[derive(Default)]
pub(super) struct Lines {
    pub(super) lines: Vec<Line>,
    /// Where the last glyph of the last line ends.
    end: f32,
    /// The glyphs of the page.
    seen: Seen,
}

impl Lines {
    /// A page's lines, remembering its glyphs in `seen` (emptied: kept from an earlier page
    /// only so that its room is not grown again).
    pub(super) fn new(mut seen: Seen) -> Lines {
        seen.clear();
        Lines {
            lines: Vec::new(),
            end: 0.0,
            seen,
        }
    }

    /// The lines, and the glyphs' table for the next page.
    pub(super) fn finish(self) -> (Vec<Line>, Seen) {
        (self.lines, self.seen)
    }
}

impl Lines {
    /// Add a glyph; `false` when it was drawn on itself and was dropped.
    pub(super) fn add(&mut self, g: Placed) -> bool {
        if let Some(key) = key(&g) {
            let (c, d, n, x, y) = key;
            let twice = (-1..=1).any(|i| self.seen.contains(&(c, d, n, x + i, y)));
            if twice {
                return false;
            }
            if self.seen.len() >= MAX_SEEN {
                self.seen.clear();
            }
            self.seen.insert(key);
        }
        let size = g.size.max(1.0);
        let same_line = self
            .lines
            .last()
            .is_some_and(|l| (l.y - g.y).abs() <= 0.5 * size.max(l.size));
        if !same_line {
            self.end = g.x0;
            self.lines.push(Line {
                y: g.y,
                x: g.x0,
                size: g.size,
                text: String::new(),
            });
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
        self.end = if gap < -size {
            g.x1
        } else {
            self.end.max(g.x1)
        };
        true
    }
}

impl Lines {
    /// Extend the last line to `x` when `y` is on it: a glyph whose text was given otherwise
    /// (an ActualText) was drawn up to there.
    pub(super) fn cover(&mut self, x: f32, y: f32) {
        if let Some(l) = self.lines.last()
            && (l.y - y).abs() <= 0.5 * l.size.max(1.0)
        {
            self.end = self.end.max(x);
        }
    }
}

/// The key of a glyph that has text, to find it drawn again on itself.
fn key(g: &Placed) -> Option<Key> {
    let first = g.text.chars().next()?;
    if first.is_whitespace() {
        return None;
    }
    let last = g.text.chars().next_back()?;
    let unit = SAME_EM * g.size.max(1.0);
    let across = ACROSS_EM * g.size.max(1.0);
    Some((
        first,
        last,
        g.text.len() as u32,
        (g.x0 / unit).round() as i32,
        (g.y / across).round() as i32,
    ))
}
