//! The text of a PDF source, page by page and paragraph by paragraph, so a citation can name
//! `page 3, paragraph 2`. lopdf parses the file, decrypts what opens without a password and
//! decodes each font's strings; this module walks each page's content stream for where each
//! piece of text is drawn, groups pieces into lines by their baseline and lines into paragraphs
//! by the gaps between them, and undoes what typesetting did to words: ligature characters
//! (`ﬁ` → `fi`), soft hyphens, and words hyphenated across a line end.
//!
//! Text is read in the order it is drawn, which is reading order for Chromium's and most
//! word processors' PDFs (a two-column page gives the first column, then the second). Text
//! inside form XObjects and text that only exists as an image are not read; a PDF with no text
//! at all is refused as a scan, and one that needs a password as encrypted.

use lopdf::{Document, Encoding, Object};
use std::collections::BTreeMap;

use crate::diag::Problem;

/// A PDF's text: `pages[i]` holds the paragraphs of page `i + 1`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfText {
    pub pages: Vec<Vec<String>>,
}

/// A piece of text and where it sits on the page.
#[derive(Debug)]
struct Line {
    y: f32,
    size: f32,
    text: String,
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// Read the text of the PDF `bytes`; problems name `file` (the path shown to the user).
pub fn extract(bytes: &[u8], file: &str) -> Result<PdfText, Problem> {
    let doc = Document::load_mem(bytes)
        .map_err(|e| Problem::file(file, format!("cannot read this file as a PDF: {e}")))?;
    if doc.is_encrypted() {
        return Err(Problem::file(
            file,
            "the PDF is encrypted and needs a password: save an unencrypted copy \
             (for example `qpdf --decrypt --password=... in.pdf out.pdf`) and cite that",
        ));
    }
    let mut pages = Vec::new();
    for (number, id) in doc.get_pages() {
        let lines = page_lines(&doc, id).map_err(|e| {
            Problem::file(file, format!("cannot read the text of page {number}: {e}"))
        })?;
        pages.push(paragraphs(&lines));
    }
    if pages.iter().all(Vec::is_empty) {
        return Err(Problem::file(
            file,
            format!(
                "the PDF has no text layer ({} page(s), no text on any): it looks like a scan; \
                 run it through OCR, or cite a copy with real text",
                pages.len()
            ),
        ));
    }
    Ok(PdfText { pages })
}

/// The lines of one page, in the order they are drawn.
fn page_lines(doc: &Document, page: lopdf::ObjectId) -> lopdf::Result<Vec<Line>> {
    let fonts = doc.get_page_fonts(page)?;
    let encodings: BTreeMap<Vec<u8>, Encoding> = fonts
        .into_iter()
        .filter_map(|(name, font)| font.get_font_encoding(doc).ok().map(|e| (name, e)))
        .collect();
    let content = doc.get_and_decode_page_content(page)?;
    let mut w = Walker {
        ctm: IDENTITY,
        ..Walker::default()
    };
    let mut encoding: Option<&Encoding> = None;
    for op in &content.operations {
        let nums = || {
            op.operands
                .iter()
                .filter_map(|o| o.as_float().ok())
                .collect::<Vec<f32>>()
        };
        match op.operator.as_str() {
            "q" => w.stack.push(w.ctm),
            "Q" => w.ctm = w.stack.pop().unwrap_or(IDENTITY),
            "cm" => {
                if let Ok(m) = <[f32; 6]>::try_from(nums()) {
                    w.ctm = multiply(m, w.ctm);
                }
            }
            "BT" => (w.tm, w.tlm) = (IDENTITY, IDENTITY),
            "Tf" => {
                encoding = op
                    .operands
                    .first()
                    .and_then(|n| n.as_name().ok())
                    .and_then(|n| encodings.get(n));
                w.size = op
                    .operands
                    .get(1)
                    .and_then(|s| s.as_float().ok())
                    .unwrap_or(w.size);
            }
            "TL" => w.leading = nums().first().copied().unwrap_or(w.leading),
            "Tm" => {
                if let Ok(m) = <[f32; 6]>::try_from(nums()) {
                    (w.tm, w.tlm) = (m, m);
                }
            }
            "Td" | "TD" => {
                let n = nums();
                if let [x, y] = n[..] {
                    if op.operator == "TD" {
                        w.leading = -y;
                    }
                    w.tlm = multiply([1.0, 0.0, 0.0, 1.0, x, y], w.tlm);
                    w.tm = w.tlm;
                }
            }
            "T*" => w.next_line(),
            "Tj" | "TJ" | "'" | "\"" => {
                if op.operator != "Tj" && op.operator != "TJ" {
                    w.next_line();
                }
                if let Some(text) = w.pending.take() {
                    w.place(&text);
                }
                if let Some(enc) = encoding {
                    let mut text = String::new();
                    show(&mut text, enc, &op.operands);
                    w.put(&text);
                }
            }
            "BDC" => {
                let actual = op
                    .operands
                    .get(1)
                    .and_then(|d| d.as_dict().ok())
                    .and_then(|d| d.get(b"ActualText").ok())
                    .and_then(|t| lopdf::decode_text_string(t).ok());
                // Drawn where the span's first text is drawn: the span often opens before
                // the line's `Tm`.
                w.marked.push(actual.is_some());
                if actual.is_some() {
                    w.pending = actual;
                }
            }
            "BMC" => w.marked.push(false),
            "EMC" => {
                if w.marked.pop() == Some(true)
                    && let Some(text) = w.pending.take()
                {
                    w.place(&text);
                }
            }
            _ => {}
        }
    }
    Ok(w.lines)
}

/// The text state while walking a content stream.
#[derive(Default)]
struct Walker {
    ctm: Matrix,
    stack: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    size: f32,
    leading: f32,
    /// Open marked-content sequences; `true` where an ActualText replaces what is drawn.
    marked: Vec<bool>,
    /// An ActualText not yet placed.
    pending: Option<String>,
    lines: Vec<Line>,
}

impl Walker {
    fn next_line(&mut self) {
        self.tlm = multiply([1.0, 0.0, 0.0, 1.0, 0.0, -self.leading], self.tlm);
        self.tm = self.tlm;
    }

    /// Add text drawn at the current position: to the last line if it is on the same
    /// baseline, else as a new line. Text under an ActualText is replaced by it.
    fn put(&mut self, text: &str) {
        if !self.marked.iter().any(|&m| m) {
            self.place(text);
        }
    }

    fn place(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let m = multiply(self.tm, self.ctm);
        let size = self.size * m[2].hypot(m[3]);
        let y = m[5];
        match self.lines.last_mut() {
            Some(line) if (line.y - y).abs() <= 0.3 * size.max(1.0) => line.text.push_str(text),
            _ => self.lines.push(Line {
                y,
                size,
                text: text.to_string(),
            }),
        }
    }
}

/// The text of a show operator; a TJ gap wider than a quarter of an em is a space.
fn show(out: &mut String, encoding: &Encoding, operands: &[Object]) {
    for operand in operands {
        match operand {
            Object::String(bytes, _) => {
                if let Ok(s) = Document::decode_text(encoding, bytes) {
                    out.push_str(&s);
                }
            }
            Object::Array(items) => show(out, encoding, items),
            other => {
                if other.as_float().is_ok_and(|n| n < -250.0) && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
        }
    }
}

fn multiply(a: Matrix, b: Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

/// Group a page's lines into paragraphs: a new one starts where the gap to the previous line
/// is clearly wider than the page's usual line spacing or than double spacing, where the text moves up (a new
/// column), or where the type size changes (a heading).
fn paragraphs(lines: &[Line]) -> Vec<String> {
    let lines: Vec<&Line> = lines.iter().filter(|l| !l.text.trim().is_empty()).collect();
    let mut gaps: Vec<f32> = lines
        .windows(2)
        .map(|w| (w[0].y - w[1].y).abs())
        .filter(|g| *g > 0.0)
        .collect();
    gaps.sort_by(f32::total_cmp);
    let usual = gaps.get(gaps.len() / 3).copied();
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, line) in lines.iter().enumerate() {
        let breaks = i == 0 || {
            let prev = lines[i - 1];
            let gap = prev.y - line.y;
            let size_changed = (prev.size - line.size).abs() > 0.15 * prev.size.max(line.size);
            // Wider than 2.05 ems: wider than double spacing, so a paragraph's margin
            // (a page of one-line paragraphs has no narrower gap to compare with).
            let wide = gap > 2.05 * line.size.max(prev.size);
            gap <= 0.0 || size_changed || wide || usual.is_some_and(|u| gap > 1.4 * u)
        };
        if breaks && !current.is_empty() {
            out.push(tidy(&std::mem::take(&mut current)));
        }
        join(&mut current, &line.text);
    }
    if !current.trim().is_empty() {
        out.push(tidy(&current));
    }
    out.retain(|p| !p.is_empty());
    out
}

/// Append a line to a paragraph. A line ending in a soft hyphen, or in the typographic hyphen
/// (U+2010) typesetters draw where they broke a word, joins the next without the hyphen; a
/// line ending in a hyphen-minus keeps it (it may be a compound) but adds no space.
fn join(paragraph: &mut String, line: &str) {
    let line = line.trim();
    let trimmed = paragraph.trim_end();
    if trimmed.ends_with(['\u{2010}', '\u{ad}']) {
        let keep = trimmed.trim_end_matches(['\u{2010}', '\u{ad}']).len();
        paragraph.truncate(keep);
    } else if trimmed.ends_with('-') || paragraph.is_empty() {
        paragraph.truncate(trimmed.len());
    } else {
        paragraph.truncate(trimmed.len());
        paragraph.push(' ');
    }
    paragraph.push_str(line);
}

/// Unfold ligature characters, drop soft hyphens, and make runs of white space one space.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{ad}' => {}
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str) -> Result<PdfText, Problem> {
        let path = format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
        extract(
            &std::fs::read(&path).unwrap(),
            &format!("content/sources/{name}"),
        )
    }

    #[test]
    fn a_chromium_print_gives_pages_of_paragraphs() {
        let t = read("chromium.pdf").unwrap();
        assert_eq!(t.pages.len(), 2);
        assert_eq!(t.pages[0][0], "A briefing printed by Chromium");
        assert!(t.pages[0][1].starts_with("Paragraph 1. As of the end of June 2020,"));
        assert!(t.pages[0][1].contains(
            "reached 1.07 billion, and consumers who used five or more services were on the platform 27 days a month."
        ));
        assert!(
            t.pages[0][2].contains("we always work for today, invest for tomorrow, and incubate")
        );
        assert!(
            t.pages[1][1].starts_with("Paragraph 7."),
            "{:?}",
            t.pages[1]
        );
        let all: usize = t.pages.iter().map(Vec::len).sum();
        assert_eq!(
            all, 14,
            "a title, 12 paragraphs, and the one that runs over the page"
        );
    }

    #[test]
    fn two_columns_read_the_first_column_first() {
        let t = read("two-column.pdf").unwrap();
        let starts: Vec<&str> = t.pages[0]
            .iter()
            .map(|p| &p[..p.find('.').unwrap_or(p.len())])
            .collect();
        assert_eq!(
            starts,
            [
                "A two-column report",
                "Column paragraph 1",
                "Column paragraph 2",
                "Column paragraph 3",
                "Column paragraph 4",
                "Column paragraph 5",
                "Column paragraph 6"
            ]
        );
    }

    #[test]
    fn ligatures_come_back_as_letters() {
        let t = read("ligatures.pdf").unwrap();
        assert_eq!(
            t.pages[0][1],
            "The official efficiency figures of the first fiscal quarter show affluent, fluffy, difficult and offline workflows: fifty finance offices filed 1,234 reports."
        );
        assert_eq!(
            t.pages[0][2],
            "The firm's flagship offers efficient workflows."
        );
    }

    #[test]
    fn words_broken_across_lines_are_whole_again() {
        let t = read("hyphenation.pdf").unwrap();
        assert_eq!(
            t.pages[0][1],
            "The incubation of new businesses takes considerable patience: Alibaba's internationalization strategy requires eight to ten years of investment in infrastructure."
        );
    }

    #[test]
    fn a_scan_and_an_encrypted_pdf_are_refused_by_name() {
        let p = read("scan.pdf").unwrap_err();
        assert_eq!(p.file, "content/sources/scan.pdf");
        assert!(
            p.message.contains("no text layer") && p.message.contains("scan"),
            "{}",
            p.message
        );
        let p = read("encrypted.pdf").unwrap_err();
        assert_eq!(p.file, "content/sources/encrypted.pdf");
        assert!(
            p.message.contains("encrypted") && p.message.contains("password"),
            "{}",
            p.message
        );
        let p = extract(b"%PDF-1.4 not really", "content/x.pdf").unwrap_err();
        assert!(
            p.message.contains("cannot read this file as a PDF"),
            "{}",
            p.message
        );
    }

    #[test]
    fn lines_join_with_hyphens_handled() {
        let mut p = String::new();
        for line in [
            "con\u{ad}\u{2010}",
            "sid\u{ad}er\u{ad}able",
            "long-",
            "term ﬁx",
        ] {
            join(&mut p, line);
        }
        assert_eq!(tidy(&p), "considerable long-term fix");
    }

    #[test]
    fn paragraphs_break_at_wide_gaps_columns_and_headings() {
        let line = |y: f32, size: f32, text: &str| Line {
            y,
            size,
            text: text.into(),
        };
        let lines = [
            line(700.0, 20.0, "Title"),
            line(660.0, 10.0, "one a"),
            line(648.0, 10.0, "one b"),
            line(636.0, 10.0, "one c"),
            line(610.0, 10.0, "two a"),
            line(598.0, 10.0, "two b"),
            line(660.0, 10.0, "three (next column)"),
        ];
        assert_eq!(
            paragraphs(&lines),
            [
                "Title",
                "one a one b one c",
                "two a two b",
                "three (next column)"
            ]
        );
    }
}
