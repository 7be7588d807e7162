//! The files a build copies as they are: `static/` to the site root (over the built-in static
//! files, which a site's own file of the same name replaces), and the other files of `content/`
//! beside their pages. One rule for collisions: two of the user's files, or a user's file and a
//! file briefing generates (a page, `sitemap.xml`, `robots.txt`, `og-card.png`, `CNAME`,
//! `.nojekyll`), that would be written to the same output path are an error naming both.
//! Only the built-in defaults give way silently.

use anyhow::Result;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::path::PathBuf;
use walkdir::WalkDir;

use crate::diag::Problem;
use crate::fsx;
use crate::model::Site;

/// Where a copied file comes from.
pub enum Copy {
    /// A user's file, and its name as shown (`static/x.css`, `content/notes/a.png`).
    File(PathBuf, String),
    Builtin(&'static [u8]),
    /// A file briefing made (the board pack).
    Bytes(std::sync::Arc<[u8]>),
}

/// Files to copy, each with its output path.
pub type Copies = Vec<(Copy, String)>;

/// Every file to copy, by output path, and the problems found on the way: names that cannot be
/// linked to, and collisions.
/// Only files inside the site are copied: a `static/` that is a symbolic link is a problem, and
/// links under it are skipped with a warning (see [`fsx::SiteRoot`]).
pub fn static_and_assets(site: &Site) -> Result<(Copies, Vec<Problem>)> {
    let mut found = Found {
        copies: crate::defaults::STATIC
            .iter()
            .map(|(rel, bytes)| (rel.to_string(), Copy::Builtin(bytes)))
            .collect(),
        ..Found::default()
    };
    let static_dir = site.root.dir("static").or_else(|r| {
        found.problems.push(r.problem("static")?);
        anyhow::Ok(None)
    })?;
    if let Some(static_dir) = static_dir {
        found.walk_static(&static_dir)?;
    }
    let content_dir = site.root.path().join("content");
    for rel in site.assets.iter().filter(|rel| !read_as_source(site, rel)) {
        found.add(rel.clone(), content_dir.join(rel), format!("content/{rel}"));
    }
    found.drop_clashing_names();
    if let Some(pack) = &site.board_pack {
        found.add_pack(pack);
    }
    let Found {
        copies,
        mut problems,
        ..
    } = found;
    let copies: Vec<(Copy, String)> = copies.into_iter().map(|(rel, from)| (from, rel)).collect();
    problems.extend(clashes(site, &copies));
    Ok((copies, problems))
}

/// A saved web page presented as a source is not published: its scripts and styles would run
/// as this site's own, and its links point nowhere here. Its text is on its source page.
fn read_as_source(site: &Site, rel: &str) -> bool {
    site.pages.iter().any(|p| {
        p.document
            .as_ref()
            .is_some_and(|d| d.kind == "html" && d.path == rel)
    })
}

/// What the collection has found so far.
#[derive(Default)]
struct Found {
    /// By output path.
    copies: BTreeMap<String, Copy>,
    problems: Vec<Problem>,
    /// The names of each folder of `static/`, for names that macOS and Windows would take for
    /// one.
    folders: BTreeMap<String, Vec<String>>,
}

impl Found {
    /// Copy the user's file `path` (shown as `shown`) to `rel`, unless another user's file goes
    /// there or it is too large.
    fn add(&mut self, rel: String, path: PathBuf, shown: String) {
        if let Some(Copy::File(_, first)) = self.copies.get(&rel) {
            let message = format!(
                "{first} and {shown} would both be written to `{rel}`: rename or remove one"
            );
            self.problems.push(Problem::file(&shown, message));
            return;
        }
        // Checked again when the file is opened to be copied; here so that it is reported with
        // every other problem of the build.
        let size = std::fs::symlink_metadata(&path).map_or(0, |m| m.len());
        if size > fsx::MAX_COPY {
            let refused = fsx::Refused::TooLarge(size, fsx::MAX_COPY);
            self.problems
                .push(Problem::file(&shown, refused.describe(&shown)));
            return;
        }
        self.copies.insert(rel, Copy::File(path, shown));
    }

    /// Every plain file under `static/`, in name order; names that links cannot carry are
    /// problems (and their folders skipped), links are skipped with a warning.
    fn walk_static(&mut self, static_dir: &std::path::Path) -> Result<()> {
        let mut walk = WalkDir::new(static_dir).sort_by_file_name().into_iter();
        while let Some(entry) = walk.next() {
            let entry = entry?;
            let rel_path = entry.path().strip_prefix(static_dir)?;
            if rel_path.as_os_str().is_empty() {
                continue;
            }
            let folder = match rel_path.parent().map(fsx::slash_path).unwrap_or_default() {
                folder if folder.is_empty() => "static/".to_string(),
                folder => format!("static/{folder}/"),
            };
            if let Some(problem) = fsx::name_problem(&folder, entry.file_name()) {
                self.problems.push(problem);
                if entry.file_type().is_dir() {
                    walk.skip_current_dir();
                }
                continue;
            }
            let rel = fsx::slash_path(rel_path);
            let name = entry.file_name().to_string_lossy().into_owned();
            self.folders.entry(folder).or_default().push(name);
            if entry.file_type().is_symlink() {
                crate::diag::warn(format_args!(
                    "static/{rel}: skipped: it is a symbolic link, and briefing copies only plain files"
                ));
            } else if entry.file_type().is_file() {
                self.add(
                    rel.clone(),
                    entry.path().to_path_buf(),
                    format!("static/{rel}"),
                );
            }
        }
        Ok(())
    }

    /// Names of `static/` that macOS and Windows would take for one: the first kept, the others
    /// problems.
    fn drop_clashing_names(&mut self) {
        for (folder, names) in &self.folders {
            for (name, problem) in fsx::name_clashes(folder, names) {
                let rel = [folder.strip_prefix("static/").unwrap_or(folder), &name].concat();
                self.copies.remove(&rel);
                self.problems.push(problem);
            }
        }
    }

    /// The board pack, written where no user's file may go.
    fn add_pack(&mut self, pack: &crate::model::BoardPack) {
        if let Some(Copy::File(_, shown)) = self.copies.get(&pack.url) {
            let message = format!(
                "briefing writes `{}` itself (the board pack): remove {shown}",
                pack.url
            );
            self.problems.push(Problem::file(shown, message));
        }
        self.copies
            .insert(pack.url.clone(), Copy::Bytes(pack.bytes.clone()));
    }
}

/// A user's file written where a page or a hosting file goes.
fn clashes(site: &Site, copies: &[(Copy, String)]) -> Vec<Problem> {
    let pages: HashMap<&str, &str> = site
        .pages
        .iter()
        .map(|p| (p.url.as_str(), p.file.as_str()))
        .collect();
    let hosting = crate::publish::names(site);
    let mut problems = Vec::new();
    for (from, to) in copies {
        let Copy::File(_, shown) = from else {
            continue;
        };
        if let Some(page) = pages.get(to.as_str()) {
            problems.push(Problem::at_line(
                *page,
                None,
                1,
                format!(
                    "this page and {shown} would both be written to `{to}`: rename or remove one"
                ),
            ));
        } else if to == crate::output::MARKER || hosting.contains(&to.as_str()) {
            problems.push(Problem::file(
                shown,
                format!(
                    "briefing writes `{to}` itself{}: remove {shown} (see README, \"Deploy to GitHub Pages\")",
                    why_generated(to)
                ),
            ));
        }
    }
    problems
}

/// Why briefing writes a hosting file, for the error that names it.
fn why_generated(name: &str) -> &'static str {
    match name {
        "CNAME" => " because site.toml sets `cname`",
        "sitemap.xml" | "robots.txt" | crate::publish::CARD => {
            " because the site has a base URL (`base_url` in site.toml, or --base-url)"
        }
        ".nojekyll" => " for GitHub Pages",
        _ => " to mark the output folder as its own",
    }
}
