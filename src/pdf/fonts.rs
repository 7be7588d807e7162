//! Fonts for the board pack. A character that no font on the machine has prints as a box (or
//! not at all), and neither Chromium nor the PDF says so: the reader gets boxes where the site
//! showed 菜鸟. So before Chromium starts, every character of the print document's text is
//! looked up in the fonts Chromium can draw with: the machine's scalable fonts, as fontconfig
//! lists them (Chromium on Linux asks fontconfig for its fallback fonts too), and the font
//! files of the built site, which its stylesheets may load. One `fc-list` call gives every
//! installed font's character set (a few tens of milliseconds); `fc-scan` reads the site's.
//! A character in none of them is an error naming it, where the site writes it, and the
//! Debian package with a font for it. (Reading the printed PDF instead would need its content
//! streams decoded to spot glyph 0, and would come after the print, not before.)

use anyhow::Result;
use lol_html::{RewriteStrSettings, doc_text, rewrite_str};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::diag::Problem;
use crate::fsx::SiteRoot;

/// The characters of every font Chromium may use, as sorted, merged ranges of code points.
#[derive(Debug, Default)]
pub struct Coverage(Vec<(u32, u32)>);

impl Coverage {
    /// The machine's scalable fonts and the font files in `dir` (the built site), or `None`
    /// when fontconfig's tools are missing.
    pub fn of_machine_and(dir: &Path) -> Option<Coverage> {
        let mut listed = run("fc-list", &["--format", "%{charset}\n", ":scalable=true"])?;
        for file in font_files(dir) {
            let file = file.to_string_lossy();
            listed.push_str(
                &run("fc-scan", &["--format", "%{charset}\n", &file]).unwrap_or_default(),
            );
        }
        Some(Coverage::parse(&listed))
    }

    /// Read fontconfig's charset lists: hex code points and ranges, `20-7e a0 100-17f`.
    pub fn parse(listed: &str) -> Coverage {
        let hex = |s: &str| u32::from_str_radix(s, 16).ok();
        let mut ranges: Vec<(u32, u32)> = listed
            .split_whitespace()
            .filter_map(|item| match item.split_once('-') {
                Some((a, b)) => Some((hex(a)?, hex(b)?)),
                None => hex(item).map(|c| (c, c)),
            })
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        Coverage(merged)
    }

    /// Whether some font has `c`.
    pub fn has(&self, c: char) -> bool {
        let c = c as u32;
        let at = self.0.partition_point(|&(_, end)| end < c);
        self.0.get(at).is_some_and(|&(start, _)| start <= c)
    }
}

/// The standard output of a program, or `None` if it cannot run or fails.
fn run(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The font files under `dir`, in a stable order.
fn font_files(dir: &Path) -> Vec<std::path::PathBuf> {
    const FONTS: [&str; 6] = ["ttf", "otf", "ttc", "otc", "woff", "woff2"];
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| FONTS.contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect()
}

/// The characters the document `html` writes as text (character references decoded),
/// without white space, controls and the invisible format characters no font needs to draw.
pub fn drawn(html: &str) -> Result<Vec<char>> {
    let chars = RefCell::new(std::collections::BTreeSet::new());
    let pending = RefCell::new(String::new());
    let settings = RewriteStrSettings::new().append_document_content_handler(doc_text!(|t| {
        let mut pending = pending.borrow_mut();
        pending.push_str(t.as_str());
        if t.last_in_text_node() {
            let text = crate::verify::decode(&pending).into_owned();
            chars
                .borrow_mut()
                .extend(text.chars().filter(|&c| !invisible(c)));
            pending.clear();
        }
        Ok(())
    }));
    rewrite_str(html, settings)?;
    Ok(chars.into_inner().into_iter().collect())
}

/// White space, controls and Unicode's default-ignorable characters (soft hyphen, zero-width
/// joiners, bidirectional marks, variation selectors): nothing to draw.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c as u32,
            0xAD | 0x34F | 0x61C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
            | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF)
}

/// The Debian package with a font for `c`.
pub fn package(c: char) -> &'static str {
    match c as u32 {
        // Hangul Jamo, CJK radicals to Yi, Hangul, compatibility forms, half- and full-width
        // forms, kana supplements, the CJK extension planes.
        0x1100..=0x11FF
        | 0x2E80..=0xA4CF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF
        | 0x1AFF0..=0x1B16F
        | 0x20000..=0x3FFFF => "fonts-noto-cjk",
        0x1F000..=0x1FAFF => "fonts-noto-color-emoji",
        _ => "fonts-noto-core",
    }
}

/// Every character of `chars` that `coverage` lacks, one problem per font package, located
/// at the first of `files` (site-relative: a page, its source document, `site.toml`; read
/// through `root`) that writes its first character.
pub fn problems(
    chars: &[char],
    coverage: &Coverage,
    root: &SiteRoot,
    files: &[String],
) -> Vec<Problem> {
    let mut by_package: BTreeMap<&str, Vec<char>> = BTreeMap::new();
    for &c in chars.iter().filter(|&&c| !coverage.has(c)) {
        by_package.entry(package(c)).or_default().push(c);
    }
    by_package
        .into_iter()
        .map(|(package, missing)| {
            let message = message(&missing, package);
            locate(missing[0], root, files, message)
        })
        .collect()
}

fn message(missing: &[char], package: &str) -> String {
    let shown: Vec<String> = missing
        .iter()
        .take(12)
        .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
        .collect();
    let more = match missing.len().saturating_sub(shown.len()) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let (them, has) = if missing.len() == 1 {
        ("it", "has")
    } else {
        ("them", "have")
    };
    format!(
        "{}{more} {has} no font on this machine, so the board pack would print {them} as boxes: install a font with {them} (apt-get install {package}), then print again",
        shown.join(", ")
    )
}

/// `message` at the first line of the first file in `files` that holds `c`, else at the
/// print template.
fn locate(c: char, root: &SiteRoot, files: &[String], message: String) -> Problem {
    for file in files {
        let Ok(text) = root.read(file, |bytes| String::from_utf8_lossy(bytes).into_owned()) else {
            continue;
        };
        if let Some(at) = text.find(c) {
            return Problem::at_offset(file.as_str(), &text, at, 0, message);
        }
    }
    Problem::file(format!("templates/{}", crate::render::PRINT), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fontconfig_charsets_are_read_and_merged() {
        let cov = Coverage::parse("20-7e a0-17f\n41-5a 180 3000\nzz 9fff-");
        assert_eq!(cov.0, vec![(0x20, 0x7e), (0xa0, 0x180), (0x3000, 0x3000)]);
        assert!(cov.has('A') && cov.has('ſ') && cov.has('ƀ') && cov.has('\u{3000}'));
        assert!(!cov.has('菜') && !cov.has('\u{7f}') && !cov.has('\u{181}'));
    }

    #[test]
    fn the_drawn_characters_are_the_text_decoded_without_invisible_ones() {
        let html = "<p title=\"Ω\">a&#x83DC;b\u{200B}&amp; 鸟</p><p>a\u{AD}</p>";
        assert_eq!(drawn(html).unwrap(), vec!['&', 'a', 'b', '菜', '鸟']);
    }

    #[test]
    fn each_script_names_its_package() {
        assert_eq!(package('菜'), "fonts-noto-cjk");
        assert_eq!(package('あ'), "fonts-noto-cjk");
        assert_eq!(package('한'), "fonts-noto-cjk");
        assert_eq!(package('😀'), "fonts-noto-color-emoji");
        assert_eq!(package('𓀀'), "fonts-noto-core");
        let m = message(&['菜', '鸟'], "fonts-noto-cjk");
        assert!(
            m.starts_with("`菜` (U+83DC), `鸟` (U+9E1F) have no font"),
            "{m}"
        );
        assert!(m.contains("apt-get install fonts-noto-cjk"), "{m}");
    }
}
