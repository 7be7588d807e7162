//! `briefing pdf`: the whole briefing as one PDF, the board pack. The site is built into a
//! temporary folder, one print document is laid out from the built pages through the
//! `print.html` template, and headless Chromium prints it: once to learn on which page each
//! part starts (Chromium has no `target-counter()`), then again with those numbers in the
//! contents. The file is made deterministic and written in one rename, so a failed run leaves
//! the previous PDF as it was.

mod chromium;
mod confine;
mod fonts;
mod layout;
mod pdfdoc;
mod pipes;
pub mod slides;

use anyhow::{Context as _, Result, bail};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diag::{Problems, into_result};
use crate::model::{BoardPack, Page};
use crate::output::Staging;
use crate::site::{self, BuildOptions};
use crate::verify::Verifier;

/// The board pack's file name, in the site's folder and in the built site.
pub const FILE: &str = "briefing.pdf";

/// A printed board pack.
pub struct Printed {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// What `briefing pdf` wrote.
pub struct Report {
    pub path: PathBuf,
    pub pages: usize,
    pub bytes: usize,
    pub elapsed: Duration,
}

/// What `briefing pdf` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// The board pack.
    Pack,
    /// The deck, one slide a page; `true` with the speaker notes.
    Slides(bool),
}

/// Print the site and write the PDF to `output` (default: `briefing.pdf`, or `slides.pdf` for
/// the deck, in the site root).
pub fn run(
    opts: &BuildOptions,
    output: Option<&Path>,
    chromium: Option<&Path>,
    what: What,
) -> Result<Report> {
    let started = Instant::now();
    let file = match what {
        What::Pack => FILE,
        What::Slides(_) => slides::FILE,
    };
    let path = match output {
        Some(path) => path.to_path_buf(),
        None => opts.root.join(file),
    };
    let printed = match what {
        What::Pack => print(opts, chromium)?,
        What::Slides(notes) => slides::print(opts, chromium, notes)?,
    };
    write_atomically(&path, &printed.bytes)?;
    Ok(Report {
        path,
        pages: printed.pages,
        bytes: printed.bytes.len(),
        elapsed: started.elapsed(),
    })
}

/// `briefing build --pdf`: print the board pack, then build the site with it and a link to it.
pub fn build_with_pdf(opts: &BuildOptions, chromium: Option<&Path>) -> Result<site::Report> {
    let printed = print(opts, chromium)?;
    let opts = BuildOptions {
        board_pack: Some(BoardPack {
            url: FILE.to_string(),
            pages: printed.pages,
            kb: printed.bytes.len().div_ceil(1000),
            bytes: Arc::from(printed.bytes),
        }),
        ..opts.clone()
    };
    site::build(&opts)
}

/// Lay the site out as one document and print it.
pub fn print(opts: &BuildOptions, chromium: Option<&Path>) -> Result<Printed> {
    let staged = Staged::new(opts, chromium)?;
    let (prepared, dir) = (&staged.prepared, staged.dir.as_path());
    let (mut print, mut places) = layout::parts(prepared, dir)?;
    let document = dir.join(".briefing-print.html");
    let url = confine::file_url(&document);
    let mut files = output_files(dir);
    files.push("print.html".into());
    let file_set = files.iter().map(String::as_str).collect();
    let verifier = Verifier::new(&prepared.site, &prepared.renderer, &file_set);
    let render = |print: &layout::Print| -> Result<String> {
        let html = prepared.renderer.render_print(print)?;
        Ok(html.map_err(|p| Problems(vec![p]))?)
    };
    // The cover and the parts, rendered, say which sources the appendix prints.
    let cited = render(&print)?;
    layout::appendix(prepared, dir, &mut print, &mut places, &cited)?;
    let lay_out = |print: &layout::Print| -> Result<()> {
        // The document is verified as a page of the site at its root, with its links as the
        // site's pages write them, before they are pointed inside it. The appendix is left
        // out of that, as the site leaves out the pages presenting a source: it is the source.
        let mut probe = print.clone();
        probe.appendix.iter_mut().for_each(|part| part.html.clear());
        let check = verifier.page(&print_page(), render(&probe)?.as_bytes())?;
        into_result(check.problems)?;
        let (html, problems) = layout::link_inside(&render(print)?, &places)?;
        into_result(problems)?;
        crate::fsx::write(&document, confine::with_policy(&html))
    };
    lay_out(&print)?;
    check_fonts(prepared, dir, &render(&print)?)?;
    let mut browser = staged.browser()?;
    let pdf = print_settled(&mut browser, &url, &mut print, lay_out)?;
    warn_blocked(browser.blocked());
    drop(browser);
    Printed::from_pdf(&pdf)
}

/// A site built (and so verified) into a temporary folder, to be printed from there by the
/// Chromium found.
struct Staged {
    prepared: site::Prepared,
    exe: PathBuf,
    /// The built site's folder, inside `tmp`; `staging` removes it when dropped.
    dir: PathBuf,
    _staging: Staging,
    tmp: crate::tempdirs::TempDir,
}

impl Staged {
    /// Find Chromium, then build the site into a new temporary folder; a site with findings is
    /// not printed.
    fn new(opts: &BuildOptions, chromium: Option<&Path>) -> Result<Staged> {
        pipes::supported()?;
        let exe = chromium::find(chromium)?;
        let prepared = site::prepare(opts)?;
        into_result(prepared.findings.clone())?;
        let tmp = crate::tempdirs::TempDir::new("pdf")?;
        let mut staging = Staging::new(&tmp.path().join("site"), false)?;
        site::write(&prepared, &mut staging)?;
        let dir = staging.path().to_path_buf();
        Ok(Staged {
            prepared,
            exe,
            dir,
            _staging: staging,
            tmp,
        })
    }

    /// Chromium, started with a new profile in the temporary folder, reading only the site's.
    fn browser(&self) -> Result<chromium::Browser> {
        let profile = self.tmp.path().join("profile");
        let folder = confine::Folder::new(&self.dir).context("cannot resolve the print folder")?;
        chromium::Browser::launch(&self.exe, &profile, folder, timeout())
    }
}

impl Printed {
    /// The PDF Chromium printed, normalized (dated by `SOURCE_DATE_EPOCH`), with its page count.
    fn from_pdf(pdf: &[u8]) -> Result<Printed> {
        let parsed = pdfdoc::Pdf::parse(pdf)?;
        let pages = parsed.pages().len();
        let bytes = parsed.normalized(source_date().as_deref());
        Ok(Printed { bytes, pages })
    }
}

/// Print, read where each part landed, and print again with those page numbers until they
/// stand still (the contents' page column has a fixed width, so once is the rule).
fn print_settled(
    browser: &mut chromium::Browser,
    url: &str,
    print: &mut layout::Print,
    lay_out: impl Fn(&layout::Print) -> Result<()>,
) -> Result<Vec<u8>> {
    for pass in 1.. {
        browser.open(url)?;
        let pdf = browser.print()?;
        let found = pdfdoc::Pdf::parse(&pdf)?.destinations();
        let mut changed = false;
        for entry in &mut print.contents {
            let page = found
                .get(&entry.key)
                .map_or(String::new(), usize::to_string);
            changed |= page != entry.page;
            entry.page = page;
        }
        if !changed {
            return Ok(pdf);
        }
        if pass == 4 {
            bail!("the contents' page numbers did not settle after 4 prints");
        }
        lay_out(print)?;
    }
    bail!("the contents' page numbers did not settle")
}

/// Refuse to print characters no font on the machine (or in the site) has: on paper they
/// would be boxes. Without fontconfig's tools nothing can be known, so nothing is printed.
fn check_fonts(prepared: &site::Prepared, dir: &Path, html: &str) -> Result<()> {
    let Some(coverage) = fonts::Coverage::of_machine_and(dir) else {
        bail!(
            "`briefing pdf` checks that every character of the board pack has a font with \
             fontconfig's `fc-list`, which did not run: install it (Debian or Ubuntu: \
             `sudo apt-get install fontconfig`; macOS: `brew install fontconfig`)"
        );
    };
    let site = &prepared.site;
    let home = site.page("_index.md").into_iter();
    let nav = site.nav.iter().map(|&i| &site.pages[i]);
    let documents = site.pages.iter().filter(|p| p.document.is_some());
    let mut files: Vec<String> = Vec::new();
    for page in home.chain(nav).chain(documents) {
        files.push(page.file.clone());
        files.extend(
            page.document
                .as_ref()
                .map(|d| format!("content/{}", d.path)),
        );
    }
    files.push("site.toml".into());
    let chars = fonts::drawn(html)?;
    into_result(fonts::problems(&chars, &coverage, &site.root, &files))?;
    Ok(())
}

/// Say what the print document asked for and did not get: an image on the web, say, which
/// the board pack now prints without.
fn warn_blocked(urls: &[String]) {
    if urls.is_empty() {
        return;
    }
    let shown: Vec<&str> = urls.iter().take(5).map(|u| short(u)).collect();
    let more = match urls.len() - shown.len() {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    eprintln!(
        "warning: the board pack loads only the site's own files; not loaded: {}{more}",
        shown.join(", ")
    );
}

/// A URL cut to 100 bytes (a `data:` URL can be megabytes).
fn short(url: &str) -> &str {
    let mut end = url.len().min(100);
    while !url.is_char_boundary(end) {
        end -= 1;
    }
    &url[..end]
}

/// The print document as the verifier sees it: a page at the site root, written by its
/// template.
fn print_page() -> Page {
    Page {
        rel: "print.html".into(),
        file: format!("templates/{}", crate::render::PRINT),
        url: "print.html".into(),
        ..Page::default()
    }
}

/// Every file of the built site in `dir`, by site-relative path.
fn output_files(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| Some(crate::fsx::slash_path(e.path().strip_prefix(dir).ok()?)))
        .collect()
}

/// How long Chromium may take to answer: `BRIEFING_CHROMIUM_TIMEOUT` seconds, default 60.
fn timeout() -> Duration {
    let secs = std::env::var("BRIEFING_CHROMIUM_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .unwrap_or(60.0);
    Duration::from_secs_f64(secs)
}

/// `SOURCE_DATE_EPOCH` as a PDF date; without it the PDF carries no date at all.
fn source_date() -> Option<String> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok()?;
    epoch.trim().parse::<i64>().ok().map(pdfdoc::pdf_date)
}

/// Write `bytes` beside `path` and rename it into place.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".briefing-pdf-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write into {}", dir.display()))?;
    let _removed_on_a_signal = crate::tempdirs::register(tmp.path());
    std::io::Write::write_all(&mut tmp, bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    // A temporary file is private (0600 on Unix); the board pack is for everyone to read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let readable = std::fs::Permissions::from_mode(0o644);
        let _ = tmp.as_file().set_permissions(readable);
    }
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
