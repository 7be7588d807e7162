//! The text of a PDF source, page by page and paragraph by paragraph, so a citation can name
//! `page 3, paragraph 2`. lopdf parses the file, decrypts what opens without a password and
//! decodes each font's strings (`font`; a simple font's codes through `encoding`, whose last
//! fallback is the built-in encoding of the embedded font program, `cff` or `type1`, its glyph
//! names read by `glyphnames`); the stages below do the rest:
//! - `walk`: each page's content stream (and the form XObjects it draws) for where each glyph
//!   is drawn, with `font`'s widths and the text state; `ops` reads the stream's operations
//!   in place (`lex`: its tokens), in lopdf's grammar without making an object of each;
//! - `lines`: glyphs on one baseline gathered into lines, a word space wherever the gap between
//!   glyphs is over a tenth of an em (as in pdftotext), a glyph drawn on itself read once;
//! - `layout`: lines into paragraphs, by the gap between lines compared with the document's
//!   usual line pitch for that type size, by type size and by columns;
//! - `words`: what typesetting did to words undone: ligature characters (`ﬁ` → `fi`), soft
//!   hyphens, and words hyphenated across a line end.
//!
//! A PDF source may be written to exhaust the build, so everything that costs memory or time is
//! bounded (`budget`, the limits, listed in docs/FORMAT.md; `load`, `tree`, `tokens` and
//! `resources` hold to them while loading the file, walking its page tree, before lopdf parses
//! a stream, and reading each font and form once): a PDF over a limit is refused by name.
//!
//! Text is read in the order it is drawn, which is reading order for Chromium's and most
//! word processors' PDFs (a two-column page gives the first column, then the second). Text that
//! only exists as an image is not read; a PDF with no text at all is refused as a scan, and one
//! that needs a password as encrypted.

mod budget;
mod cff;
mod encoding;
mod font;
mod glyphnames;
mod layout;
mod lex;
mod lines;
mod load;
mod ops;
mod resources;
mod tokens;
mod tree;
mod type1;
mod walk;
mod words;

use crate::diag::Problem;

/// A PDF's text: `pages[i]` holds the paragraphs of page `i + 1`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfText {
    pub pages: Vec<Vec<String>>,
}

/// A line of text and where it sits on the page (PDF user space, y up).
#[derive(Debug, Clone)]
struct Line {
    /// The baseline.
    y: f32,
    /// Where the line's first text starts.
    x: f32,
    /// The type size, scaled by the text and transformation matrices.
    size: f32,
    text: String,
}

/// Read the text of the PDF `bytes`; problems name `file` (the path shown to the user).
pub fn extract(bytes: &[u8], file: &str) -> Result<PdfText, Problem> {
    let doc = load::load(bytes).map_err(|e| Problem::file(file, e))?;
    if doc.is_encrypted() {
        return Err(Problem::file(
            file,
            "the PDF is encrypted and needs a password: save an unencrypted copy \
             (for example `qpdf --decrypt --password=... in.pdf out.pdf`) and cite that",
        ));
    }
    let pages = tree::pages(&doc)
        .map_err(|e| Problem::file(file, format!("cannot read the PDF's pages: {e}")))?;
    let mut reader = resources::Reader::new(&doc);
    let mut tables = walk::Tables::default();
    let mut lines = Vec::new();
    for (i, id) in pages.into_iter().enumerate() {
        let page = walk::page_lines(&mut reader, &mut tables, id).map_err(|e| {
            Problem::file(file, format!("cannot read the text of page {}: {e}", i + 1))
        })?;
        lines.push(page);
    }
    let pitch = layout::Pitch::of(&lines);
    let compounds = words::Compounds::of(lines.iter().flatten().map(|l| l.text.as_str()));
    let pages: Vec<Vec<String>> = lines
        .iter()
        .map(|page| layout::paragraphs(page, &pitch, &compounds))
        .collect();
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
}
