//! File names that work on Linux but not on every machine a briefing is written or read on:
//! names Windows reserves for devices or cannot hold, characters that are invisible or turn text
//! around (a link or an error message then shows one name and means another), and names that
//! macOS and Windows take for one file (`Model.md` and `model.md`; `café` written with a
//! composed `é` or with `e` and a combining accent). Checked with [`super::name_problem`] for
//! one name and [`name_clashes`] for the names of one folder.

use unicode_normalization::UnicodeNormalization;

use crate::diag::Problem;

/// What is wrong with `text` (a file or folder name in `folder`, shown as `content/notes/`) on
/// macOS or Windows, if anything.
pub(super) fn portability(folder: &str, text: &str) -> Option<Problem> {
    let problem = |why: String| {
        Some(Problem::file(
            format!("{folder}{}", shown(text)),
            format!("the name `{}` {why}", shown(text)),
        ))
    };
    // Invisible characters are never ASCII: most names skip that scan.
    if let Some(c) = text.chars().find(|&c| !c.is_ascii() && invisible(c)) {
        return problem(format!(
            "has the invisible character U+{:04X}, which can make a name look like another or show it reversed: rename it without it",
            c as u32
        ));
    }
    if let Some(c) = text.chars().find(|&c| matches!(c, ':' | '*' | '|')) {
        return problem(format!(
            "has `{c}`, which a file name cannot hold on Windows: rename it"
        ));
    }
    if text.ends_with('.') {
        return problem("ends with `.`, which Windows drops from a file name: rename it".into());
    }
    let stem = text.split('.').next().unwrap_or(text).to_ascii_uppercase();
    let device = matches!(
        stem.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || (stem.len() == 4
        && (stem.starts_with("COM") || stem.starts_with("LPT"))
        && matches!(stem.as_bytes()[3], b'1'..=b'9'));
    if device {
        return problem(format!(
            "is reserved on Windows for the device `{stem}`, whatever its extension: rename it"
        ));
    }
    None
}

/// Characters that show as nothing or reorder what follows: zero-width spaces and joiners, the
/// byte order mark, the soft hyphen, and the bidirectional controls.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// A name as it can be printed: invisible characters written as `\u{...}`.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| match invisible(c) {
            true => format!("\\u{{{:04x}}}", c as u32),
            false => c.to_string(),
        })
        .collect()
}

/// The name macOS and Windows would file `name` under: the same letters whatever their case
/// and however their accents are encoded.
fn folded(name: &str) -> String {
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    name.nfd().flat_map(char::to_lowercase).nfc().collect()
}

/// Names among `names` (the entries of the folder shown as `folder`) that macOS or Windows
/// would take for one already listed: each with the problem naming both. The first of each
/// group in sorted order is kept; the others are reported.
pub fn name_clashes(folder: &str, names: &[String]) -> Vec<(String, Problem)> {
    use std::collections::hash_map::Entry;
    let mut seen: rustc_hash::FxHashMap<String, &String> = Default::default();
    let mut sorted: Vec<&String> = names.iter().collect();
    sorted.sort();
    let mut clashes = Vec::new();
    for name in sorted {
        let first = match seen.entry(folded(name)) {
            Entry::Vacant(slot) => {
                slot.insert(name);
                continue;
            }
            Entry::Occupied(slot) => *slot.get(),
        };
        let how = match first.to_lowercase() == name.to_lowercase() {
            true => "differ only in case",
            false => "differ only in how their accents are encoded (Unicode NFC and NFD)",
        };
        clashes.push((
            name.clone(),
            Problem::file(
                format!("{folder}{name}"),
                format!(
                    "{folder}{first} and {folder}{name} {how}: macOS and Windows keep them as one file, so one would overwrite the other; rename or remove one"
                ),
            ),
        ));
    }
    clashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_mislead_or_cannot_exist_elsewhere() {
        for bad in [
            "CON.md",
            "con",
            "aux.md",
            "Nul.txt",
            "com1.md",
            "LPT9.tar.gz",
            "a\u{202E}dm.exe",
            "zero\u{200B}width.md",
            "a:b.md",
            "trailing.",
        ] {
            assert!(portability("content/", bad).is_some(), "{bad}");
        }
        for good in [
            "console.md",
            "com10.md",
            "auxiliary.md",
            "café.md",
            "com.md",
            "lpt.md",
        ] {
            assert!(portability("content/", good).is_none(), "{good}");
        }
        let p = portability("content/", "a\u{202E}b.md").unwrap();
        assert!(!p.to_string().contains('\u{202E}'), "{p}");
    }

    #[test]
    fn names_one_file_on_macos_or_windows() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let found = name_clashes("content/", &names(&["model.md", "Model.md", "other.md"]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "model.md");
        let message = found[0].1.to_string();
        assert!(
            message.contains("content/Model.md and content/model.md"),
            "{message}"
        );
        let nfc = "caf\u{e9}.md";
        let nfd = "cafe\u{301}.md";
        let found = name_clashes("static/", &names(&[nfc, nfd]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.message.contains("NFC"), "{found:?}");
        assert!(name_clashes("", &names(&["a.md", "b.md", "a.md.txt"])).is_empty());
    }
}
