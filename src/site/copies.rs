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
    let mut copies: BTreeMap<String, Copy> = crate::defaults::STATIC
        .iter()
        .map(|(rel, bytes)| (rel.to_string(), Copy::Builtin(bytes)))
        .collect();
    let mut problems = Vec::new();
    let mut add = |rel: String, path: PathBuf, shown: String, problems: &mut Vec<Problem>| {
        if let Some(Copy::File(_, first)) = copies.get(&rel) {
            problems.push(Problem::file(
                &shown,
                format!(
                    "{first} and {shown} would both be written to `{rel}`: rename or remove one"
                ),
            ));
            return;
        }
        // Checked again when the file is opened to be copied; here so that it is reported with
        // every other problem of the build.
        let size = std::fs::symlink_metadata(&path).map_or(0, |m| m.len());
        if size > fsx::MAX_COPY {
            let refused = fsx::Refused::TooLarge(size, fsx::MAX_COPY);
            problems.push(Problem::file(&shown, refused.describe(&shown)));
            return;
        }
        copies.insert(rel, Copy::File(path, shown));
    };
    let static_dir = site.root.dir("static").or_else(|r| {
        problems.push(r.problem("static")?);
        anyhow::Ok(None)
    })?;
    // The names of each folder, for names that macOS and Windows would take for one.
    let mut folders: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(static_dir) = static_dir {
        let mut walk = WalkDir::new(&static_dir).sort_by_file_name().into_iter();
        while let Some(entry) = walk.next() {
            let entry = entry?;
            let rel_path = entry.path().strip_prefix(&static_dir)?;
            if rel_path.as_os_str().is_empty() {
                continue;
            }
            let folder = rel_path.parent().map(fsx::slash_path).unwrap_or_default();
            let folder = if folder.is_empty() {
                "static/".to_string()
            } else {
                format!("static/{folder}/")
            };
            if let Some(problem) = fsx::name_problem(&folder, entry.file_name()) {
                problems.push(problem);
                if entry.file_type().is_dir() {
                    walk.skip_current_dir();
                }
                continue;
            }
            let rel = fsx::slash_path(rel_path);
            let name = entry.file_name().to_string_lossy().into_owned();
            folders.entry(folder).or_default().push(name);
            if entry.file_type().is_symlink() {
                crate::diag::warn(format_args!(
                    "static/{rel}: skipped: it is a symbolic link, and briefing copies only plain files"
                ));
            } else if entry.file_type().is_file() {
                add(
                    rel.clone(),
                    entry.path().to_path_buf(),
                    format!("static/{rel}"),
                    &mut problems,
                );
            }
        }
    }
    let content_dir = site.root.path().join("content");
    // A saved web page presented as a source is not published: its scripts and styles would run
    // as this site's own, and its links point nowhere here. Its text is on its source page.
    let pages_read = |rel: &String| {
        site.pages.iter().any(|p| {
            p.document
                .as_ref()
                .is_some_and(|d| d.kind == "html" && d.path == *rel)
        })
    };
    for rel in site.assets.iter().filter(|rel| !pages_read(rel)) {
        add(
            rel.clone(),
            content_dir.join(rel),
            format!("content/{rel}"),
            &mut problems,
        );
    }
    for (folder, names) in &folders {
        for (name, problem) in fsx::name_clashes(folder, names) {
            let rel = [folder.strip_prefix("static/").unwrap_or(folder), &name].concat();
            copies.remove(&rel);
            problems.push(problem);
        }
    }
    if let Some(pack) = &site.board_pack {
        if let Some(Copy::File(_, shown)) = copies.get(&pack.url) {
            problems.push(Problem::file(
                shown,
                format!(
                    "briefing writes `{}` itself (the board pack): remove {shown}",
                    pack.url
                ),
            ));
        }
        copies.insert(pack.url.clone(), Copy::Bytes(pack.bytes.clone()));
    }
    let copies: Vec<(Copy, String)> = copies.into_iter().map(|(rel, from)| (from, rel)).collect();
    problems.extend(clashes(site, &copies));
    Ok((copies, problems))
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
