//! The plain data model at the centre of a build: a [`Site`] of [`Page`]s (sections are pages
//! with children). Every stage reads or fills these structs; none hides behaviour in them.

use serde::Serialize;

use crate::config::Config;

/// Everything a build knows about a site.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// All pages and sections, sorted by content path (so builds are deterministic).
    pub pages: Vec<Page>,
    /// Non-Markdown files under `content/`, as content-relative `/`-paths, copied verbatim.
    pub assets: Vec<String>,
    /// Indices into `pages` of the entries shown in the navigation, in order.
    pub nav: Vec<usize>,
    /// Site-relative URL of every page by content path, for `@/` links.
    pub urls: UrlMap,
    /// The board pack published beside the pages (`briefing build --pdf`).
    pub board_pack: Option<BoardPack>,
    /// The site's folder, through which its files are read again (see [`crate::fsx::SiteRoot`]).
    pub root: crate::fsx::SiteRoot,
}

/// A PDF of the whole briefing written into the site; templates see it as `board_pack`.
#[derive(Debug, Clone, Serialize)]
pub struct BoardPack {
    /// Site-relative URL of the file: `briefing.pdf`.
    pub url: String,
    pub pages: usize,
    /// Size in kilobytes (1,000 bytes), rounded up.
    pub kb: usize,
    #[serde(skip)]
    pub bytes: std::sync::Arc<[u8]>,
}

/// Site-relative URLs of all content files, by content path (`model.md` -> `model/index.html`).
pub type UrlMap = rustc_hash::FxHashMap<String, String>;

impl Site {
    /// The page or section at a content path (`model.md`).
    pub fn page(&self, rel: &str) -> Option<&Page> {
        self.pages
            .binary_search_by(|p| p.rel.as_str().cmp(rel))
            .ok()
            .map(|i| &self.pages[i])
    }
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Weight,
    /// Newest first.
    Date,
    Title,
}

/// Front matter after validation.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: String,
    pub description: String,
    /// As written: `2020-09-30` or `2020-09-30T10:00:00Z`.
    pub date: Option<String>,
    pub weight: i64,
    pub draft: bool,
    pub slug: String,
    pub template: Option<String>,
    pub sort_by: SortBy,
    /// Content-relative path of a source document this page presents.
    pub document: Option<String>,
    pub in_nav: bool,
    /// `language`, when the front matter sets it: the language and its tag as written.
    pub language: Option<(crate::lang::Lang, String)>,
    pub extra: toml::Table,
}

/// A heading of a page, for its table of contents and anchor checks.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A source document presented by a page, split into numbered paragraphs (the title is 0).
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Content-relative path of the text file.
    pub path: String,
    pub title: String,
    pub paragraphs: Vec<Paragraph>,
    /// A PDF's pages, each with its paragraphs (which are also in `paragraphs`, in order);
    /// empty for a text source.
    pub pages: Vec<SourcePage>,
    /// The language the document is read in (`[extra.source] language`, else its page's).
    pub lang: crate::lang::Lang,
    /// The tag of that language for `lang` attributes (`de-CH` as written, `de` for `German`).
    pub lang_tag: String,
    /// A spreadsheet source's table (its rows are also its paragraphs, row N as paragraph N).
    pub table: Option<SourceTable>,
    /// How it was read, by its extension: `text`, `pdf`, `html`, `csv` or `xlsx`.
    pub kind: &'static str,
}

/// The table of a spreadsheet source (CSV, or a sheet of an XLSX workbook), for its page and for
/// the citations of its cells.
#[derive(Debug, Clone, Serialize)]
pub struct SourceTable {
    /// The sheet's name in an XLSX workbook; empty for a CSV file.
    pub sheet: String,
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
}

/// One data row of a spreadsheet source: its number (from 1 below the header), anchor (`p3`,
/// as the paragraph it is) and cells.
#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    pub n: usize,
    pub id: String,
    pub cells: Vec<String>,
}

/// One page of a PDF source.
#[derive(Debug, Clone, Serialize)]
pub struct SourcePage {
    /// The page number, from 1.
    pub n: usize,
    /// Its anchor (`page-3`).
    pub id: String,
    pub paragraphs: Vec<Paragraph>,
}

/// One paragraph of a source document; `id` is its anchor (`p0`, `p1`, ...).
#[derive(Debug, Clone, Serialize)]
pub struct Paragraph {
    pub n: usize,
    pub id: String,
    pub text: String,
    /// The page of a PDF source it is on (paragraphs then count from 1 on each page, and
    /// `id` is `page-3-p2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
}

/// One content file: a page, or a section when it is a folder's `_index.md`.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Content-relative path, `/`-separated: `model.md`, `notes/_index.md`.
    pub rel: String,
    /// Path as shown in messages: `content/model.md`.
    pub file: String,
    pub is_section: bool,
    /// The file's absolute path: the body is read again when the page is rendered, so a build
    /// never holds every page's Markdown and HTML in memory at once.
    pub source: std::path::PathBuf,
    /// The front matter with its `+++` lines (line endings normalised to `\n`), for locating
    /// problems; the body starts at byte `front.len()` of the normalised file.
    pub front: String,
    pub meta: Meta,
    /// Site-relative URL of the output file: `model/index.html`.
    pub url: String,
    /// Folders between the site root and the output file: `../` repeated this often is the root.
    pub depth: usize,
    /// Index of the section this page belongs to.
    pub parent: Option<usize>,
    /// Sections only: their pages and subsections, in display order.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
    /// Words in the body (white-space separated runs with a letter or digit).
    pub word_count: usize,
    pub document: Option<Document>,
    /// The language the page is written and read in (`language` in front matter, else the
    /// site's).
    pub lang: crate::lang::Lang,
    /// The tag of that language as written (`de-CH`): its `<html lang>`.
    pub lang_tag: String,
}

impl Page {
    /// Give the page its language: its front matter's `language`, else the site's.
    pub fn set_language(&mut self, site: &crate::config::Config) {
        (self.lang, self.lang_tag) = self
            .meta
            .language
            .clone()
            .unwrap_or_else(|| (site.lang, site.language.clone()));
    }

    /// The relative prefix from this page's output file to the site root.
    pub fn root(&self) -> String {
        "../".repeat(self.depth)
    }

    /// The URL path that names the page on the web: its folder (`model/`, `` for the home
    /// page) when the file is an `index.html`, else the file (`404.html`).
    pub fn web_path(&self) -> &str {
        self.url.strip_suffix("index.html").unwrap_or(&self.url)
    }
}
