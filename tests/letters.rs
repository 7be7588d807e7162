//! Acceptance test of issue 21 ("figures mean what the source means"): a briefing written from
//! `briefing init` on four real public sources (tests/fixtures/letters: an English letter, an
//! English release, a German annual report as PDF and a Chinese annual report summary) must
//! build, and every figure on it, changed in what it means, must be refused.
//!
//! Every figure site (a metric's `value`, `unit`, `label`, `as_of`, a series `date`, the text of
//! a cited link, a table row marked `data-cite`) is changed in one of four ways, one at a time:
//! its scale (million → billion, Mio. → Mrd., 万 → 亿), its currency ($ → €, 元 → 美元), its
//! sign or direction (rose → fell, + → −, gestiegen → gesunken, 增长 → 下降, or a minus sign
//! put before the figure), and its period (Q4 → Q3, 2023 → 2022). The test prints how many
//! mutants of each kind it tried and caught and fails listing every mutant that built.
//!
//! The builds run in-process (`briefing::site::build`), each into the same output folder.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use briefing::site::{BuildOptions, build};

/// The kinds of change, in the order they are reported.
const KINDS: [&str; 4] = ["scale", "currency", "direction", "period"];

/// Scale words and what each becomes: another scale of the same language.
const SCALES: &[(&str, &str)] = &[
    ("billion", "million"),
    ("million", "billion"),
    ("Milliarden", "Millionen"),
    ("Millionen", "Milliarden"),
    ("Mrd.", "Mio."),
    ("Mio.", "Mrd."),
    ("亿", "万"),
    ("万", "亿"),
];

/// Currencies and what each becomes.
const CURRENCIES: &[(&str, &str)] = &[
    ("US dollars", "euros"),
    ("US$", "€"),
    ("$", "€"),
    ("€", "$"),
    ("Euro", "Dollar"),
    ("RMB", "USD"),
    ("¥", "$"),
    ("yuan", "dollars"),
    ("元", "美元"),
];

/// Direction words and their opposites (a word is matched whole; longer forms first).
const DIRECTIONS: &[(&str, &str)] = &[
    ("increased", "decreased"),
    ("increase", "decrease"),
    ("rose", "fell"),
    ("fell", "rose"),
    ("raised", "cut"),
    ("grown", "shrunk"),
    ("grew", "shrank"),
    ("falling", "rising"),
    ("fall", "rise"),
    ("up", "down"),
    ("down", "up"),
    ("more", "less"),
    ("gesteigert", "gesenkt"),
    ("steigern", "senken"),
    ("gestiegen", "gesunken"),
    ("sanken", "stiegen"),
    ("über", "unter"),
    ("增长", "下降"),
    ("增加", "减少"),
    ("+", "−"),
];

/// Periods: quarters, each to the one before.
const QUARTERS: &[(&str, &str)] = &[
    ("fourth quarter", "third quarter"),
    ("Q4", "Q3"),
    ("4. Quartal", "3. Quartal"),
    ("第四季度", "第三季度"),
];

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/letters")
}

/// A copy of the fixture site in `to`.
fn copy_site(to: &Path) {
    let from = fixture();
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// `text` with the first whole occurrence of `from` replaced by `to`. A word that starts with a
/// letter of a cased script matches only between non-letters, so `up` is not found in `supply`.
fn replace_word(text: &str, from: &str, to: &str) -> Option<String> {
    let cased = from
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() && (c.is_lowercase() || c.is_uppercase()));
    let mut start = 0;
    while let Some(found) = text[start..].find(from) {
        let at = start + found;
        let end = at + from.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        let already = to.ends_with(from) && text[..at].ends_with(&to[..to.len() - from.len()]);
        if (!cased || (edge(before) && edge(after))) && !already {
            return Some(format!("{}{to}{}", &text[..at], &text[end..]));
        }
        start = end;
    }
    None
}

/// The first pair of `pairs` found in `text`, applied: (description, new text).
fn first_of(text: &str, pairs: &[(&str, &str)]) -> Option<(String, String)> {
    pairs.iter().find_map(|(from, to)| {
        replace_word(text, from, to).map(|new| (format!("`{from}` → `{to}`"), new))
    })
}

/// A minus sign before the first figure (before its currency sign, if it has one).
fn negate(text: &str) -> Option<(String, String)> {
    let digit = text.find(|c: char| c.is_ascii_digit())?;
    let mut at = digit;
    for sign in ["US$", "$", "€", "¥", "RMB "] {
        if text[..at].ends_with(sign) {
            at -= sign.len();
            break;
        }
    }
    let prev = text[..at].chars().next_back();
    if matches!(prev, Some('-' | '−' | '+')) {
        return None;
    }
    Some((
        "a minus sign".into(),
        format!("{}−{}", &text[..at], &text[at..]),
    ))
}

/// The year before the first year (1900–2199) in `text`.
fn earlier_year(text: &str) -> Option<(String, String)> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let four = text.get(i..i + 4)?;
        let edge = |j: Option<&u8>| j.is_none_or(|b| !b.is_ascii_digit());
        let year: u32 = four.parse().ok().filter(|y| (1900..2200).contains(y))?;
        (edge(i.checked_sub(1).and_then(|j| bytes.get(j))) && edge(bytes.get(i + 4))).then(|| {
            let new = format!("{}{}{}", &text[..i], year - 1, &text[i + 4..]);
            (format!("`{year}` → `{}`", year - 1), new)
        })
    })
}

/// The mutant of one kind of a figure site's text, if that kind applies to it.
fn mutate(kind: &str, text: &str, figure: bool) -> Option<(String, String)> {
    match kind {
        "scale" => first_of(text, SCALES),
        "currency" => first_of(text, CURRENCIES),
        "direction" => {
            first_of(text, DIRECTIONS).or_else(|| figure.then(|| negate(text)).flatten())
        }
        _ => first_of(text, QUARTERS).or_else(|| earlier_year(text)),
    }
}

/// A place on a content line that states a figure or what it means: the byte range of its
/// text, and whether the text holds the figure itself (so a minus sign can be put before it).
struct Site {
    line: usize,
    range: std::ops::Range<usize>,
    figure: bool,
}

/// The value of `key = "..."` on a front-matter line: its byte range.
fn toml_string(line: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let rest = line.strip_prefix(key)?.strip_prefix(" = \"")?;
    let start = line.len() - rest.len();
    rest.ends_with('"').then(|| start..line.len() - 1)
}

/// The figure sites of a metric's front-matter line.
fn metric_site(i: usize, line: &str) -> Option<Site> {
    ["value", "unit", "label", "as_of", "date"]
        .iter()
        .find_map(|key| {
            toml_string(line, key).map(|range| Site {
                line: i,
                range,
                figure: *key == "value",
            })
        })
}

/// The figure sites of a Markdown body line: the text of each cited link, and the cells of a
/// table row marked `data-cite`.
fn body_sites(i: usize, line: &str, out: &mut Vec<Site>) {
    if line.starts_with("<tr data-cite=") {
        let start = line.find('>').unwrap() + 1;
        out.push(Site {
            line: i,
            range: start..line.len(),
            figure: true,
        });
        return;
    }
    let mut from = 0;
    while let Some(open) = line[from..].find('[') {
        let open = from + open;
        let Some(close) = line[open..].find("](@/").map(|c| open + c) else {
            break;
        };
        let target_end = line[close..].find(')').map_or(line.len(), |e| close + e);
        if line[close..target_end].contains('#') {
            out.push(Site {
                line: i,
                range: open + 1..close,
                figure: true,
            });
        }
        from = target_end;
    }
}

/// Every figure site of a content file.
fn sites(text: &str) -> Vec<Site> {
    let mut out = Vec::new();
    let (mut in_front, mut in_metric) = (false, false);
    for (i, line) in text.split('\n').enumerate() {
        if line == "+++" {
            in_front = !in_front;
        } else if in_front {
            if line.starts_with('[') {
                in_metric = line == "[[extra.metrics]]" || line == "[[extra.metrics.series]]";
            } else if in_metric {
                out.extend(metric_site(i, line));
            }
        } else {
            body_sites(i, line, &mut out);
        }
    }
    out
}

/// One mutant: where, what changed, and the whole new file.
struct Mutant {
    file: PathBuf,
    kind: &'static str,
    what: String,
    text: String,
}

/// Every mutant of one content file.
fn mutants_of(file: &Path, text: &str) -> Vec<Mutant> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::new();
    for site in sites(text) {
        let line = lines[site.line];
        let span = &line[site.range.clone()];
        for kind in KINDS {
            let Some((change, new_span)) = mutate(kind, span, site.figure) else {
                continue;
            };
            let mut new_lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            new_lines[site.line] = format!(
                "{}{new_span}{}",
                &line[..site.range.start],
                &line[site.range.end..]
            );
            out.push(Mutant {
                file: file.to_path_buf(),
                kind,
                what: format!("{}:{}: {change} in “{span}”", rel(file), site.line + 1),
                text: new_lines.join("\n"),
            });
        }
    }
    out
}

/// `content/NAME.md` for a path in the copied site.
fn rel(file: &Path) -> String {
    format!("content/{}", file.file_name().unwrap().to_string_lossy())
}

/// The content files that are the briefing's own (not a page presenting a source document).
fn briefing_pages(site: &Path) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = fs::read_dir(site.join("content"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .filter(|(_, text)| !text.contains("\ndocument = "))
        .collect();
    files.sort();
    files
}

#[test]
fn the_real_briefing_builds_and_every_changed_figure_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_site(&site);
    let opts = BuildOptions {
        root: site.clone(),
        output_dir: Some(dir.path().join("out")),
        ..BuildOptions::default()
    };
    if let Err(e) = build(&opts) {
        panic!("the honest briefing (tests/fixtures/letters) must build:\n{e:#}");
    }
    let mut tried = [0usize; 4];
    let mut survived: Vec<(usize, String)> = Vec::new();
    for (file, original) in briefing_pages(&site) {
        for mutant in mutants_of(&file, &original) {
            let k = KINDS.iter().position(|k| *k == mutant.kind).unwrap();
            tried[k] += 1;
            fs::write(&mutant.file, &mutant.text).unwrap();
            if build(&opts).is_ok() {
                survived.push((k, mutant.what));
            }
        }
        fs::write(&file, &original).unwrap();
    }
    let mut table = String::new();
    for (k, kind) in KINDS.iter().enumerate() {
        let lived = survived.iter().filter(|(s, _)| *s == k).count();
        writeln!(
            table,
            "{kind:>9}: {} tried, {} caught",
            tried[k],
            tried[k] - lived
        )
        .unwrap();
    }
    println!("mutants of tests/fixtures/letters:\n{table}");
    for (k, kind) in KINDS.iter().enumerate() {
        assert!(
            tried[k] >= 10,
            "only {} {kind} mutants: the fixture lost its figures?",
            tried[k]
        );
    }
    let list: Vec<String> = survived
        .iter()
        .map(|(k, what)| format!("[{}] {what}", KINDS[*k]))
        .collect();
    assert!(
        survived.is_empty(),
        "{} of {} mutants built:\n{table}{}",
        survived.len(),
        tried.iter().sum::<usize>(),
        list.join("\n")
    );
}
