//! A page's lines grouped into paragraphs. Lines of one paragraph sit one line pitch apart;
//! the pitch is measured over the whole document for each type size (the spacing most of its
//! lines of that size keep), so a paragraph margin narrower than a line, a page of one-line
//! paragraphs and a wrapped heading are told apart from the lines around them.

use std::collections::BTreeMap;

use super::Line;
use super::words::{self, Compounds};

/// A gap wider than the line pitch by this many ems is a paragraph's margin. Paragraph margins
/// are rarely under half an em; lines of one paragraph vary by a device pixel (0.75 pt).
const MARGIN_EM: f32 = 0.25;
/// A gap wider than this many ems is a paragraph's margin whatever the pitch: wider than
/// double spacing.
const WIDE_EM: f32 = 2.05;

/// The usual distance between successive lines of one paragraph, by type size.
#[derive(Debug, Default)]
pub(super) struct Pitch {
    /// Keyed by the size in half points.
    by_size: BTreeMap<i32, f32>,
}

fn size_key(size: f32) -> i32 {
    (size * 2.0).round() as i32
}

fn same_size(a: &Line, b: &Line) -> bool {
    (a.size - b.size).abs() <= 0.15 * a.size.max(b.size)
}

fn text_lines(page: &[Line]) -> Vec<&Line> {
    page.iter().filter(|l| !l.text.trim().is_empty()).collect()
}

impl Pitch {
    /// Every gap between successive lines of one size going down a page, up to double
    /// spacing, is a sample; the pitch for the size is the top of the densest cluster of its
    /// samples (within a tenth of an em and a device pixel), the lower one on a tie.
    pub(super) fn of(pages: &[Vec<Line>]) -> Pitch {
        let mut samples: BTreeMap<i32, Vec<f32>> = BTreeMap::new();
        for page in pages {
            for w in text_lines(page).windows(2) {
                let gap = w[0].y - w[1].y;
                if same_size(w[0], w[1]) && gap > 0.0 && gap <= WIDE_EM * w[1].size {
                    samples.entry(size_key(w[1].size)).or_default().push(gap);
                }
            }
        }
        let by_size = samples
            .into_iter()
            .map(|(key, mut gaps)| {
                gaps.sort_by(f32::total_cmp);
                let tolerance = 0.1 * key as f32 / 2.0 + 0.8;
                let (mut best, mut top, mut end) = (0, gaps[0], 0);
                for (start, &low) in gaps.iter().enumerate() {
                    while end + 1 < gaps.len() && gaps[end + 1] <= low + tolerance {
                        end += 1;
                    }
                    if end + 1 - start > best {
                        (best, top) = (end + 1 - start, gaps[end]);
                    }
                }
                (key, top)
            })
            .collect();
        Pitch { by_size }
    }

    fn get(&self, size: f32) -> Option<f32> {
        self.by_size.get(&size_key(size)).copied()
    }
}

/// Group a page's lines into paragraphs. A new one starts where the type size changes (a
/// heading), where the gap to the previous line is wider than the line pitch by a quarter of
/// an em or than double spacing, where a line starts indented between two that start at one
/// edge after a line that ends a sentence, and where the text moves up (a new column) unless
/// the sentence runs on: the last line ends without a full stop, colon or closing mark and the
/// next starts in lowercase.
pub(super) fn paragraphs(page: &[Line], pitch: &Pitch, compounds: &Compounds) -> Vec<String> {
    let lines = text_lines(page);
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, line) in lines.iter().enumerate() {
        let breaks = i == 0 || starts_paragraph(lines[i - 1], line, lines.get(i + 1), pitch);
        if breaks && !current.is_empty() {
            out.push(words::tidy(&std::mem::take(&mut current)));
        }
        words::join(&mut current, &line.text, compounds);
    }
    if !current.trim().is_empty() {
        out.push(words::tidy(&current));
    }
    out.retain(|p| !p.is_empty());
    out
}

/// Whether `line`, after `prev` and before `next`, starts a paragraph.
fn starts_paragraph(prev: &Line, line: &Line, next: Option<&&Line>, pitch: &Pitch) -> bool {
    if !same_size(prev, line) {
        return true;
    }
    let gap = prev.y - line.y;
    let size = line.size.max(prev.size);
    if gap <= 0.0 {
        return !runs_on(&prev.text, &line.text);
    }
    // Only after a line that ends a sentence: a list's hanging indent, whose wrapped lines
    // start further in than its bullets, is not a paragraph start.
    let indented = next.is_some_and(|n| {
        let indent = line.x - prev.x;
        same_size(line, n)
            && (n.x - prev.x).abs() <= 0.05 * size
            && indent > 0.5 * size
            && indent < 4.0 * size
            && ends_sentence(&prev.text)
    });
    let wide = gap > WIDE_EM * size;
    let margin = pitch
        .get(line.size)
        .is_some_and(|p| gap > p + MARGIN_EM * size);
    wide || margin || indented
}

/// Whether text that moved to a new column continues the sentence of the last line.
fn runs_on(last: &str, next: &str) -> bool {
    let lower = next
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    !ends_sentence(last) && lower
}

fn ends_sentence(line: &str) -> bool {
    let ends = ['.', '!', '?', ':', ';', '”', '"', '’', ')', ']'];
    line.trim_end().ends_with(ends)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(x: f32, y: f32, size: f32, text: &str) -> Line {
        Line {
            y,
            x,
            size,
            text: text.into(),
        }
    }

    fn split(pages: &[Vec<Line>]) -> Vec<Vec<String>> {
        let pitch = Pitch::of(pages);
        let compounds = Compounds::default();
        pages
            .iter()
            .map(|p| paragraphs(p, &pitch, &compounds))
            .collect()
    }

    #[test]
    fn the_pitch_is_the_spacing_most_lines_of_a_size_keep() {
        // Chromium rounds baselines to device pixels: 15.0 and 15.75 apart, margins 21.75.
        let ys = [700.0, 685.0, 669.25, 654.25, 632.5, 617.5, 601.75, 580.0];
        let page: Vec<Line> = ys.iter().map(|&y| line(72.0, y, 11.0, "text")).collect();
        let pitch = Pitch::of(&[page]);
        assert_eq!(pitch.get(11.0), Some(15.75));
        assert_eq!(pitch.get(16.5), None);
    }

    #[test]
    fn a_margin_narrower_than_a_line_splits_paragraphs() {
        let page = vec![
            line(72.0, 700.0, 11.0, "one a"),
            line(72.0, 685.0, 11.0, "one b"),
            line(72.0, 669.25, 11.0, "one c."),
            line(72.0, 647.5, 11.0, "two a"),
            line(72.0, 632.5, 11.0, "two b."),
            line(72.0, 610.75, 11.0, "three."),
        ];
        assert_eq!(
            split(&[page])[0],
            ["one a one b one c.", "two a two b.", "three."]
        );
    }

    #[test]
    fn the_pitch_comes_from_the_whole_document() {
        // Page 2 holds only one-line paragraphs 22 apart: page 1 shows that lines are 15 apart.
        let one = vec![
            line(72.0, 700.0, 11.0, "a"),
            line(72.0, 685.0, 11.0, "b"),
            line(72.0, 670.0, 11.0, "c"),
        ];
        let two = vec![
            line(72.0, 700.0, 11.0, "x."),
            line(72.0, 678.0, 11.0, "y."),
            line(72.0, 656.0, 11.0, "z."),
        ];
        assert_eq!(split(&[one, two])[1], ["x.", "y.", "z."]);
    }

    #[test]
    fn headings_columns_and_indents() {
        let page = vec![
            line(72.0, 733.5, 16.5, "Section 3: the official"),
            line(72.0, 710.25, 16.5, "figures"),
            line(72.0, 679.5, 11.0, "one a"),
            line(72.0, 663.75, 11.0, "one b"),
            line(72.0, 648.75, 11.0, "and so the sentence"),
            line(300.0, 733.5, 11.0, "runs on in the next column."),
            line(300.0, 718.5, 11.0, "A new one"),
            line(300.0, 703.5, 11.0, "ends here."),
            line(320.0, 688.5, 11.0, "An indented start"),
            line(300.0, 673.5, 11.0, "of the third."),
            line(300.0, 658.5, 11.0, "Closing line."),
            line(72.0, 733.5, 11.0, "Next column, after a full stop."),
            line(72.0, 718.5, 11.0, "• A list item whose text"),
            line(80.0, 703.5, 11.0, "wraps under itself"),
            line(72.0, 688.5, 11.0, "• and the next item."),
        ];
        assert_eq!(
            split(&[page])[0],
            [
                "Section 3: the official figures",
                "one a one b and so the sentence runs on in the next column. A new one ends here.",
                "An indented start of the third. Closing line.",
                "Next column, after a full stop. • A list item whose text wraps under itself • and the next item."
            ]
        );
    }
}
