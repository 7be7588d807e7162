//! The deck: `briefing build` writes `slides/index.html` from the home page's data, on the real
//! briefing and on the letters fixture (real shareholder letters and results, 18 metrics) given a
//! model of five horizons; speaker notes stay out of what the audience sees; and a wrong figure on
//! a slide fails the build at the content line that wrote it.

mod common;
use common::Fixture;
use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `from`'s site files (`site.toml`, `content/`, `templates/`, `static/`).
fn copy_of(from: &Path) -> Fixture {
    let site = Fixture::empty();
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let top = rel.components().next().map(|c| c.as_os_str().to_owned());
        let wanted = top
            .as_ref()
            .and_then(|t| t.to_str())
            .is_some_and(|t| matches!(t, "content" | "templates" | "static" | "site.toml"));
        if wanted && entry.file_type().is_file() {
            site.write(rel.to_str().unwrap(), &fs::read(entry.path()).unwrap());
        }
    }
    site
}

/// The `<section class="slide ...">` elements of a deck, each as its HTML.
fn slides(deck: &str) -> Vec<&str> {
    deck.split("<section class=\"slide ").skip(1).collect()
}

/// The kind of each slide (`title`, `horizon`, ...).
fn kinds(deck: &str) -> Vec<&str> {
    slides(deck)
        .iter()
        .map(|s| {
            let class = &s[..s.find('"').unwrap()];
            class.strip_prefix("slide--").unwrap_or(class)
        })
        .collect()
}

/// Assert that every occurrence of `text` in `html` sits in an element with `hidden`: the
/// nearest opening tag before it carries the attribute.
fn only_hidden(html: &str, text: &str) {
    let mut seen = 0;
    for (at, _) in html.match_indices(text) {
        seen += 1;
        let open = html[..at].rfind('<').unwrap();
        let tag = &html[open..at];
        assert!(
            tag.contains(" hidden") && !tag.starts_with("</"),
            "a note is shown to the audience: {tag}{text}"
        );
    }
    assert!(seen > 0, "the note `{text}` is not in the deck at all");
}

#[test]
fn the_real_briefing_has_a_deck() {
    let site = copy_of(&repo());
    site.build_ok();
    let deck = site.out("slides/index.html");
    assert!(
        deck.starts_with("<!doctype html>\n<html lang=\"en\">"),
        "{}",
        &deck[..80]
    );
    let mut want = vec!["title", "model", "horizon", "horizon", "horizon"];
    want.extend(["metrics", "metrics"]);
    want.extend(["principle"; 4]);
    want.extend(["quote", "sources"]);
    assert_eq!(kinds(&deck), want);
    let all = slides(&deck);
    assert!(
        all[0].contains("“work for today, invest for tomorrow"),
        "title from the headline"
    );
    assert!(all[1].contains("<svg"), "the model slide draws the diagram");
    assert!(all[2].contains("“work for today”") && all[2].contains("class=\"cite\""));
    // Six metrics, three cards a slide, each card with its citation.
    for s in &all[5..7] {
        assert_eq!(s.matches("<li class=\"metric").count(), 3, "{s}");
        assert_eq!(s.matches("class=\"cite\"").count(), 3, "{s}");
    }
    assert!(all[5].contains(">1.07</a>"));
    assert!(all[11].contains("create customer value"));
    assert!(all[12].contains("href=\"../source/index.html\""));
    assert!(deck.contains("src=\"../slides.js\""));
    assert!(site.public().join("slides.js").is_file());
    // Notes are in the deck for the presenter view, never visible to the audience.
    only_hidden(&deck, "Open with the saying itself");
    only_hidden(
        &deck,
        "Say that 1.07 billion is Alibaba Group and Ant Group together",
    );
    only_hidden(&deck, "The only time span the article gives");
}

const MODEL: &str = r#"+++
title = "Segments"
description = "Amazon's fourth quarter of 2025, part by part."
template = "model.html"

[extra]
heading = "Five parts of the quarter"
"#;

/// One horizon of the five-horizon fixture, quoting paragraph `para` of Amazon's release.
fn horizon(name: &str, quote: &str, para: u32, notes: &str) -> String {
    // Words without figures: the diagram names each horizon by its words, outside any citation.
    let words = quote
        .split([' ', '$'])
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "\n[[extra.horizons]]\nname = \"{name}\"\nwords = \"{words}\"\nnotes = \"{notes}\"\n[extra.horizons.cite]\nquote = \"{quote}\"\nsource = \"amazon.md\"\npara = {para}\n"
    )
}

/// The letters fixture with a model page of five horizons, named on the home page.
fn five_horizons(notes_of_aws: &str) -> Fixture {
    let site = copy_of(&repo().join("tests/fixtures/letters"));
    let mut model = MODEL.to_string();
    model += &horizon(
        "North America",
        "North America segment sales increased 10%",
        4,
        "Say it is year over year.",
    );
    model += &horizon(
        "International",
        "International segment sales increased 17%",
        5,
        "Say 11% without exchange rates.",
    );
    model += &horizon("AWS", "AWS segment sales increased 24%", 6, notes_of_aws);
    model += &horizon(
        "Operating income",
        "Operating income increased to $25.0 billion",
        7,
        "Three special charges are in it.",
    );
    model += &horizon(
        "Without the charges",
        "operating income would have been $27.4 billion",
        7,
        "This is without the three charges.",
    );
    model += "+++\n";
    let home = fs::read_to_string(site.root().join("content/_index.md")).unwrap();
    let home = home
        .replace(
            "metrics_page = \"metrics.md\"\n",
            "metrics_page = \"metrics.md\"\nmodel_page = \"segments.md\"\n",
        )
        .replace(
            "[extra.headline]",
            "[extra.slides]\nmetrics_per_slide = 4\n\n[extra.headline]",
        );
    site.file("content/segments.md", &model)
        .file("content/_index.md", &home)
}

#[test]
fn a_fixture_with_five_horizons_and_many_metrics() {
    let site = five_horizons("AWS segment sales were $35.6 billion.");
    site.build_ok();
    let deck = site.out("slides/index.html");
    let kinds = kinds(&deck);
    assert_eq!(kinds.iter().filter(|k| **k == "horizon").count(), 5);
    let metrics: Vec<&str> = slides(&deck)
        .into_iter()
        .filter(|s| s.starts_with("slide--metrics"))
        .collect();
    let cards: usize = metrics
        .iter()
        .map(|s| s.matches("<li class=\"metric").count())
        .sum();
    let home_cards = site.out("index.html").matches("<li class=\"metric").count();
    assert_eq!(
        cards, home_cards,
        "every metric of the home page is on a slide"
    );
    assert_eq!(metrics.len(), home_cards.div_ceil(4), "four cards a slide");
    for s in &metrics {
        let n = s.matches("<li class=\"metric").count();
        assert!((1..=4).contains(&n));
        assert_eq!(
            s.matches("class=\"cite\"").count(),
            n,
            "a citation on every card"
        );
    }
    assert_eq!(kinds.first(), Some(&"title"));
    assert_eq!(&kinds[kinds.len() - 2..], ["quote", "sources"]);
    only_hidden(&deck, "AWS segment sales were $35.6 billion.");
    // The pull quote is German: its language is marked on the slide as on the home page.
    assert!(
        deck.contains("lang=\"de"),
        "the German pull quote keeps its lang"
    );
}

#[test]
fn a_wrong_figure_in_a_note_fails_at_its_content_line() {
    let site = five_horizons("AWS segment sales were $36.5 billion.");
    let err = site.build().fails();
    assert!(err.contains("content/segments.md:"), "{err}");
    assert!(err.contains("36.5"), "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("content/segments.md:"))
        .unwrap();
    let n: usize = line.split(':').nth(2).unwrap().parse().unwrap();
    let text = fs::read_to_string(site.root().join("content/segments.md")).unwrap();
    assert!(
        text.lines().nth(n - 1).unwrap().contains("$36.5 billion"),
        "{line}"
    );
    assert!(!site.public().join("slides/index.html").exists());
}

#[test]
fn a_wrong_figure_on_a_slide_fails_at_its_content_line() {
    // A horizon's summary shown on its slide, with a figure its cited paragraph does not hold.
    let site = five_horizons("Say the segment grew.");
    let model = fs::read_to_string(site.root().join("content/segments.md")).unwrap();
    let site = site.file(
        "content/segments.md",
        &model.replacen(
            "words = \"AWS segment sales\"",
            "words = \"AWS segment sales\"\nsummary = \"AWS segment sales rose 42%.\"",
            1,
        ),
    );
    let err = site.build().fails();
    assert!(err.contains("content/segments.md:"), "{err}");
    assert!(err.contains("42"), "{err}");
    assert!(
        !err.contains("templates/slides.html"),
        "blamed on the content: {err}"
    );
}

/// `pdftotext` of pages `first..=last` of `pdf` (all with `None`).
fn pdf_text(pdf: &Path, pages: Option<(usize, usize)>) -> String {
    let mut cmd = std::process::Command::new("pdftotext");
    if let Some((first, last)) = pages {
        cmd.args(["-f", &first.to_string(), "-l", &last.to_string()]);
    }
    let out = cmd.arg(pdf).arg("-").output().expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn pdf_slides_prints_one_16_9_slide_a_page_and_notes_on_demand() {
    let Some(chromium) = common::print_tools("briefing pdf --slides") else {
        return;
    };
    let site = copy_of(&repo());
    site.build_ok();
    let count = slides(&site.out("slides/index.html")).len();
    let print = |name: &str, extra: &[&str]| {
        let out = site.root().join(name);
        let mut args = vec!["pdf", "--slides", "--chromium", &chromium];
        args.extend(extra);
        args.extend(["--output", out.to_str().unwrap()]);
        site.run(&args).ok();
        out
    };
    let plain = print("a.pdf", &[]);
    let info = std::process::Command::new("pdfinfo")
        .arg(&plain)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    assert!(
        info.contains(&format!("Pages:           {count}\n")),
        "{info}"
    );
    assert!(
        info.contains("Page size:       1152 x 648 pts"),
        "16 by 9 inches: {info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
    // One slide a page: the title on the first, the first metrics on the sixth, sources last.
    assert!(pdf_text(&plain, Some((1, 1))).contains("Work for today, invest for"));
    let six = pdf_text(&plain, Some((6, 6)));
    assert!(
        six.contains("1.07") && six.contains("27") && !six.contains("Positive"),
        "{six}"
    );
    assert!(pdf_text(&plain, Some((count, count))).contains("Sources"));
    let all = pdf_text(&plain, None);
    for figure in ["1.07", "27", "Profit", "Positive", "8–10", "20"] {
        assert!(all.contains(figure), "figure {figure} is printed");
    }
    assert!(
        !all.contains("Say that 1.07 billion"),
        "no notes without --notes"
    );
    // The same input prints the same bytes.
    let same = fs::read(&plain).unwrap() == fs::read(print("b.pdf", &[])).unwrap();
    assert!(same, "two prints of the same deck differ");
    let noted = pdf_text(&print("c.pdf", &["--notes"]), None);
    assert!(noted.contains("Say that 1.07 billion"), "{noted}");
    assert!(noted.contains("Open with the saying itself"), "{noted}");
}
