//! Mutation test over the real briefing's content: every metric's value, unit and forecast flag,
//! and every quotation (each citation's `quote`, and each passage in quotation marks in the
//! Markdown), changed by one word or one figure. Each mutant must fail the build; the test
//! prints how many it tried and caught.

use std::fs;
use std::path::Path;

use briefing::site::{BuildOptions, build};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the real site in a temp dir.
fn copy_site(to: &Path) {
    for dir in ["content", "templates", "static"] {
        for entry in walkdir::WalkDir::new(repo().join(dir)) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(repo()).unwrap();
            let dest = to.join(rel);
            if entry.file_type().is_dir() {
                fs::create_dir_all(&dest).unwrap();
            } else {
                fs::copy(entry.path(), &dest).unwrap();
            }
        }
    }
    fs::copy(repo().join("site.toml"), to.join("site.toml")).unwrap();
}

/// One word of `text` (the middle one) replaced, so the text is no longer the source's.
fn one_word_off(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let i = words.len() / 2;
    let mut out = words.clone();
    let replacement = if words[i] == "the" { "a" } else { "the" };
    out[i] = replacement;
    out.join(" ")
}

/// A figure changed (its last digit), or, for a value without one, a figure added.
fn other_value(value: &str) -> String {
    match value.rfind(|c: char| c.is_ascii_digit()) {
        Some(at) => {
            let d = value.as_bytes()[at] - b'0';
            format!("{}{}{}", &value[..at], (d + 1) % 10, &value[at + 1..])
        }
        None => format!("1 {value}"),
    }
}

/// A unit of another class or scale.
fn other_unit(unit: &str) -> String {
    for (from, to) in [
        ("billion", "million"),
        ("million", "billion"),
        ("month", "year"),
        ("years", "months"),
        ("year", "month"),
    ] {
        if unit.contains(from) {
            return unit.replacen(from, to, 1);
        }
    }
    format!("{unit} million").trim().to_string()
}

/// Every mutant of one content file: (what was changed, the new text).
fn mutants(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    let with_line = |i: usize, new: String| {
        let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        l[i] = new;
        l.join("\n")
    };
    let mut in_front = false;
    let mut in_metric = false;
    for (i, line) in lines.iter().enumerate() {
        if *line == "+++" {
            in_front = !in_front;
            continue;
        }
        if line.starts_with('[') {
            in_metric = line.starts_with("[[extra.metrics]]")
                || (in_metric && line.starts_with("[extra.metrics."));
        }
        let value_of = |key: &str| {
            line.strip_prefix(key)
                .and_then(|r| r.strip_prefix(" = \""))
                .and_then(|r| r.strip_suffix('"'))
        };
        if in_front {
            if let Some(v) = value_of("value").filter(|_| in_metric) {
                out.push((
                    format!("value `{v}`"),
                    with_line(i, format!("value = \"{}\"", other_value(v))),
                ));
            } else if let Some(v) = value_of("unit").filter(|_| in_metric) {
                out.push((
                    format!("unit `{v}`"),
                    with_line(i, format!("unit = \"{}\"", other_unit(v))),
                ));
            } else if let Some(v) = value_of("quote") {
                out.push((
                    format!("quote `{v}`"),
                    with_line(i, format!("quote = \"{}\"", one_word_off(v))),
                ));
            } else if let Some(flag) = line.strip_prefix("forecast = ").filter(|_| in_metric) {
                let flipped = if flag == "true" { "false" } else { "true" };
                out.push((
                    format!("forecast {flag}"),
                    with_line(i, format!("forecast = {flipped}")),
                ));
            }
        } else {
            // A passage in quotation marks on one line of the Markdown.
            let mut rest = *line;
            while let Some(open) = rest.find('“') {
                let after = &rest[open + '“'.len_utf8()..];
                let Some(close) = after.find('”') else {
                    break;
                };
                let quoted = &after[..close];
                if quoted.split(' ').count() >= 3 {
                    let new = line.replacen(quoted, &one_word_off(quoted), 1);
                    out.push((format!("prose quotation “{quoted}”"), with_line(i, new)));
                }
                rest = &after[close..];
            }
        }
    }
    out
}

#[test]
fn every_mutant_of_the_real_content_fails_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_site(&site);
    let opts = BuildOptions {
        root: site.clone(),
        output_dir: Some(dir.path().join("out")),
        ..BuildOptions::default()
    };
    build(&opts).expect("the real site builds");
    let mut tried = 0;
    let mut survived = Vec::new();
    let mut files: Vec<_> = fs::read_dir(site.join("content"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    for file in &files {
        let original = fs::read_to_string(file).unwrap();
        // A page presenting a source shows the source itself: it is not held to the rules.
        if original.contains("\ndocument = ") {
            continue;
        }
        for (what, text) in mutants(&original) {
            tried += 1;
            fs::write(file, &text).unwrap();
            if build(&opts).is_ok() {
                survived.push(format!(
                    "{}: {what}",
                    file.file_name().unwrap().to_string_lossy()
                ));
            }
        }
        fs::write(file, &original).unwrap();
    }
    println!("mutants: {tried} tried, {} caught", tried - survived.len());
    assert!(tried >= 40, "the mutation test found only {tried} mutants");
    assert!(
        survived.is_empty(),
        "mutants that built:\n{}",
        survived.join("\n")
    );
}
