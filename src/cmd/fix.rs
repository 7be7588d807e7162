//! `briefing fix`: put every citation back on the paragraph holding its quote after a source was
//! re-issued or re-wrapped. Each changed `para` or `page` is rewritten where it is written, in
//! the bytes of its value only, so the rest of the file stays byte for byte as it was; each file
//! is written whole to a temporary file beside it and renamed over it. Pages are read through
//! the site's [`SiteRoot`] and only Markdown files under `content/`, reached without a symbolic
//! link, are written. Citations that cannot be placed are listed and the command exits 1.

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::Path;

use crate::cite::{self, Move};
use crate::cli::FixArgs;
use crate::diag::{Problem, Problems};
use crate::fsx::SiteRoot;
use crate::{config, content, output};

pub fn run(args: FixArgs) -> Result<()> {
    let root = output::absolute(&args.root)?;
    let site = SiteRoot::open(&root)
        .with_context(|| format!("cannot open the site root {}", root.display()))?;
    let config = config::load(&site, None)?.map_err(|p| Problems(vec![p]))?;
    let (loaded, mut problems) = content::load(&site, true)?;
    let mut pages = loaded.pages;
    for page in &mut pages {
        page.set_language(&config);
    }
    problems.extend(cite::load_documents(&site, &mut pages)?);
    let (moves, unplaced) = cite::moved(&pages);
    let mut by_file: BTreeMap<&str, Vec<&Move>> = BTreeMap::new();
    for m in &moves {
        by_file.entry(&m.file).or_default().push(m);
    }
    for (file, moves) in by_file {
        let (text, lines) = rewrite(&site, file, &moves)?;
        for (line, m) in lines.iter().zip(&moves) {
            println!("{file}:{line}: {} {} -> {}", m.key, m.from, m.to);
        }
        if !args.dry_run {
            write_within(&site, file, &text)?;
        }
    }
    if moves.is_empty() && unplaced.is_empty() && problems.is_empty() {
        println!("Every citation's paragraph holds its quote: nothing to fix");
    }
    problems.extend(unplaced);
    crate::diag::into_result(problems)?;
    Ok(())
}

/// The text of `file` with each of `moves` written in, and the line of each changed value.
fn rewrite(site: &SiteRoot, file: &str, moves: &[&Move]) -> Result<(String, Vec<usize>)> {
    let text = site
        .read(file, |bytes| String::from_utf8(bytes.to_vec()))
        .map_err(|refused| anyhow::anyhow!(refused.describe(file)))?
        .with_context(|| format!("{file} is not UTF-8"))?;
    // A byte-order mark is kept as it is, before the front matter.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let (toml, _) = content::split_front_matter(file, &text[bom..])
        .map_err(|p: Problem| anyhow::anyhow!(p.to_string()))?;
    let start = bom + (toml.as_ptr() as usize - text[bom..].as_ptr() as usize);
    let mut spans = Vec::new();
    for m in moves {
        let path = format!("{}.{}", m.path, m.key);
        let Some(span) = crate::spans::value_span(toml, &path) else {
            bail!("{file}: cannot find `{path}` to rewrite it");
        };
        spans.push((start + span.start, start + span.end, m.to.to_string()));
    }
    let lines = spans
        .iter()
        .map(|(at, _, _)| find_line_at(&text, *at))
        .collect();
    // From the last to the first, so earlier offsets stay true.
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(spans[i].0));
    let mut out = text.clone();
    for i in order {
        let (from, to, value) = &spans[i];
        out.replace_range(*from..*to, value);
    }
    Ok((out, lines))
}

/// The line (from 1) of byte `at` of `text`.
fn find_line_at(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// Write `text` over the page `file` (`content/...`): to a temporary file in its folder, then
/// renamed over it, keeping its permissions. Only a regular file under `content/`, reached
/// without a symbolic link, is written.
fn write_within(site: &SiteRoot, file: &str, text: &str) -> Result<()> {
    if !file.starts_with("content/") || !file.ends_with(".md") {
        bail!("{file}: fix writes only Markdown pages under content/");
    }
    let (opened, _) = site
        .open_file(file)
        .map_err(|refused| anyhow::anyhow!(refused.describe(file)))?;
    let permissions = opened.metadata()?.permissions();
    drop(opened);
    let path = site.path().join(file);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let dir = path.parent().unwrap_or(Path::new("."));
    let temp = dir.join(format!(".{}.briefing-fix", name.unwrap_or_default()));
    // A file or link already at the temporary name (a repository could commit one) is
    // replaced, never written through.
    let written = crate::fsx::open_private(&temp)
        .and_then(|mut out| std::io::Write::write_all(&mut out, text.as_bytes()))
        .and_then(|()| std::fs::set_permissions(&temp, permissions))
        .and_then(|()| std::fs::rename(&temp, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e).with_context(|| format!("cannot write {file}"));
    }
    Ok(())
}
