//! Read a source document into numbered paragraphs. The first block is the title (paragraph 0).
//! A document whose body has blank lines between paragraphs is read block by block, however its
//! lines are wrapped; one without them is read one line a paragraph. A byte-order mark is dropped.

use crate::model::{Document, Paragraph, SourcePage};

/// The kinds of source briefing reads, by extension: the one list (messages, the reading and
/// the source page's template all follow it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// Plain text or Markdown, read block by block (see [`split_document`]).
    Text,
    /// A PDF, read page by page.
    Pdf,
    /// A saved web page, read for its main text (see [`super::html`]).
    Html,
    /// A spreadsheet saved as CSV, read as a table (see [`crate::sheet`]).
    Csv,
    /// An Excel workbook.
    Xlsx,
}

impl SourceKind {
    /// Each extension (lowercase, without its dot) and what it is read as.
    const EXTENSIONS: &[(&str, SourceKind)] = &[
        ("txt", SourceKind::Text),
        ("md", SourceKind::Text),
        ("markdown", SourceKind::Text),
        ("pdf", SourceKind::Pdf),
        ("html", SourceKind::Html),
        ("htm", SourceKind::Html),
        ("xhtml", SourceKind::Html),
        ("csv", SourceKind::Csv),
        ("xlsx", SourceKind::Xlsx),
    ];

    /// The kind of the document `path`, or why it has none (an unknown extension, listing the
    /// known ones).
    pub fn of(path: &str) -> Result<SourceKind, String> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let found = Self::EXTENSIONS
            .iter()
            .find(|(e, _)| Some(*e) == ext.as_deref());
        let known = Self::EXTENSIONS.iter().map(|(e, _)| format!(".{e}"));
        let known = known.collect::<Vec<_>>().join(", ");
        match (found, ext) {
            (Some((_, kind)), _) => Ok(*kind),
            (None, Some(ext)) => Err(format!(
                "`{path}` is a .{ext} file, which briefing cannot read as a source; a source is one of {known} (save it as one of those)"
            )),
            (None, None) => Err(format!(
                "`{path}` has no extension, so briefing cannot tell how to read it; a source is one of {known}"
            )),
        }
    }

    /// Its name in templates (`page.document.kind`): `text`, `pdf`, `html`, `csv`, `xlsx`.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Text => "text",
            SourceKind::Pdf => "pdf",
            SourceKind::Html => "html",
            SourceKind::Csv => "csv",
            SourceKind::Xlsx => "xlsx",
        }
    }
}

/// Read the bytes of the source document `path` (as a page names it; `shown` in messages) by
/// its kind ([`SourceKind`]): a PDF by its pages, a spreadsheet by its rows (its first sheet),
/// a web page by its main text, anything else as text, refusing a binary file named as text and
/// damaged text (see [`super::damage`]). The one reading the build and `briefing paragraphs`
/// share, so both number paragraphs alike.
pub fn read_document(
    path: &str,
    shown: &str,
    bytes: &[u8],
) -> Result<Document, crate::diag::Problem> {
    let locate = |message: String| crate::diag::Problem::file(shown, message);
    read_source(path, shown, bytes, None, &locate)
}

/// [`read_document`], with the sheet of a workbook a page chose (`[extra.source] sheet`) and
/// where a wrong choice is reported.
pub fn read_source(
    path: &str,
    shown: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    locate: &dyn Fn(String) -> crate::diag::Problem,
) -> Result<Document, crate::diag::Problem> {
    let kind = SourceKind::of(path).map_err(|m| crate::diag::Problem::file(shown, m))?;
    if !matches!(kind, SourceKind::Pdf | SourceKind::Xlsx) {
        super::damage::refuse_binary(bytes, shown)?;
    }
    let table = |k| super::table::read(k, path, shown, bytes, sheet, locate);
    let mut doc = match kind {
        SourceKind::Pdf => crate::pdftext::extract(bytes, shown).map(|t| pdf_document(path, &t)),
        SourceKind::Html => super::html::paragraphs(bytes, shown).map(|t| document(path, t)),
        SourceKind::Text => crate::fsx::utf8(bytes, shown).map(|text| split_document(path, text)),
        SourceKind::Csv => table(crate::sheet::Kind::Csv),
        SourceKind::Xlsx => table(crate::sheet::Kind::Xlsx),
    }?;
    doc.kind = kind.name();
    super::damage::refuse_damaged(&doc, shown)?;
    Ok(doc)
}

/// Whether `path` names a spreadsheet (a sheet of it may be chosen).
pub fn is_spreadsheet(path: &str) -> bool {
    matches!(SourceKind::of(path), Ok(SourceKind::Csv | SourceKind::Xlsx))
}

/// Split a source text into its title and paragraphs (see the module comment).
pub fn split_document(path: &str, text: &str) -> Document {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let Some(title_at) = lines.iter().position(|l| !l.is_empty()) else {
        return document(path, Vec::new());
    };
    // The title block ends at the first blank line (or, in a line-per-paragraph file, at the end
    // of its first line).
    let body_at = lines[title_at..]
        .iter()
        .position(|l| l.is_empty())
        .map_or(lines.len(), |n| title_at + n);
    let body = &lines[body_at..];
    let first_text = body
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(body.len());
    let body = &body[first_text..];
    let blocks_mode = body.iter().any(|l| l.is_empty());
    let mut texts = Vec::new();
    if blocks_mode {
        texts.push(join(&lines[title_at..body_at]));
        texts.extend(
            body.split(|l| l.is_empty())
                .filter(|b| !b.is_empty())
                .map(join),
        );
    } else {
        // One line a paragraph: every line of the title block after its first is a paragraph too.
        texts.extend(
            lines[title_at..body_at]
                .iter()
                .chain(body)
                .filter(|l| !l.is_empty())
                .map(|l| l.to_string()),
        );
    }
    document(path, texts)
}

fn join(lines: &[&str]) -> String {
    lines.join(" ")
}

fn document(path: &str, texts: Vec<String>) -> Document {
    let title = texts.first().cloned().unwrap_or_default();
    let mut paragraphs: Vec<Paragraph> = texts
        .into_iter()
        .enumerate()
        .map(|(n, text)| Paragraph {
            n,
            id: format!("p{n}"),
            text,
            page: None,
        })
        .collect();
    if paragraphs.is_empty() {
        paragraphs.push(Paragraph {
            n: 0,
            id: "p0".into(),
            text: String::new(),
            page: None,
        });
    }
    Document {
        path: path.to_string(),
        title,
        paragraphs,
        pages: Vec::new(),
        lang: crate::lang::Lang::default(),
        lang_tag: "en".into(),
        table: None,
        kind: SourceKind::Text.name(),
    }
}

/// A PDF source as a document: its pages, each paragraph anchored `page-N-pM` (M from 1 on
/// every page). Its title is the first paragraph of its first page with text.
pub fn pdf_document(path: &str, text: &crate::pdftext::PdfText) -> Document {
    let pages: Vec<SourcePage> = text
        .pages
        .iter()
        .enumerate()
        .map(|(i, paras)| SourcePage {
            n: i + 1,
            id: format!("page-{}", i + 1),
            paragraphs: paras
                .iter()
                .enumerate()
                .map(|(j, t)| Paragraph {
                    n: j + 1,
                    id: format!("page-{}-p{}", i + 1, j + 1),
                    text: t.clone(),
                    page: Some(i + 1),
                })
                .collect(),
        })
        .collect();
    let paragraphs: Vec<Paragraph> = pages.iter().flat_map(|p| p.paragraphs.clone()).collect();
    Document {
        path: path.to_string(),
        title: paragraphs
            .first()
            .map(|p| p.text.clone())
            .unwrap_or_default(),
        paragraphs,
        pages,
        lang: crate::lang::Lang::default(),
        lang_tag: "en".into(),
        table: None,
        kind: SourceKind::Text.name(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(d: &Document) -> Vec<&str> {
        d.paragraphs.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn a_line_a_paragraph_without_blank_lines_in_the_body() {
        let d = split_document("a.txt", "Title\n\n\nFirst.\nSecond.");
        assert_eq!(texts(&d), ["Title", "First.", "Second."]);
        assert_eq!(d.paragraphs[2].id, "p2");
        let d = split_document("a.txt", "Title\nFirst.\nSecond.\n");
        assert_eq!(texts(&d), ["Title", "First.", "Second."]);
    }

    #[test]
    fn blocks_when_blank_lines_separate_paragraphs() {
        let wrapped = "A wrapped\ntitle\n\nThe first paragraph is\nwrapped at a narrow width.\n\n\nThe second\none too.\n";
        let d = split_document("a.txt", wrapped);
        assert_eq!(
            texts(&d),
            [
                "A wrapped title",
                "The first paragraph is wrapped at a narrow width.",
                "The second one too."
            ]
        );
        assert_eq!(d.title, "A wrapped title");
    }

    #[test]
    fn a_byte_order_mark_is_dropped_and_crlf_read() {
        let d = split_document("a.txt", "\u{feff}Title\r\nFirst.\r\n");
        assert_eq!(texts(&d), ["Title", "First."]);
        assert_eq!(split_document("a.txt", "").paragraphs.len(), 1);
    }
}
