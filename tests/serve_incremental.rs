//! The proof that `serve`'s partial re-rendering is safe: after every edit, creation, deletion
//! or rename, of every kind of source, the site it holds in memory is byte for byte what a
//! clean `briefing build` of the same files writes. Each kind of change has its own test (with
//! how many pages it re-rendered), and a randomised test runs long seeded sequences of them on
//! a generated site.

mod common;

use briefing::serve::{Built, Incremental, MemSite};
use briefing::site::{self, BuildOptions};
use common::Fixture;
use std::path::PathBuf;

const BASE: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock %}</title></head><body><nav>{% for n in nav %}<a href="{{ root }}{{ n.url }}">{{ n.title }}</a>{% endfor %}</nav><main>{% block main %}{% endblock %}</main></body></html>"#;
const INDEX: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ section.title }}</h1>{{ section.content | safe }}{% for s in section.subsections %}<h2>{{ s.title }}</h2>{% endfor %}{% set m = get_page(path="metrics.md") %}<p>{{ m.title }}: {{ m.word_count }} words</p>{% endblock %}"#;
const SECTION: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ section.title }}</h1>{{ section.content | safe }}<ul>{% for p in section.pages %}<li><a href="{{ root }}{{ p.url }}">{{ p.title }}</a> {{ p.word_count }} words, {{ p.reading_time }} min</li>{% endfor %}</ul>{% endblock %}"#;
const PAGE: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% if page.extra.cite %}<a href="{{ root }}{{ page.extra.cite.url }}">source</a>{% endif %}{% endblock %}"#;
const SOURCE: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>{% for p in page.document.paragraphs %}<p id="{{ p.id }}">{{ p.text }}</p>{% endfor %}{% endblock %}"#;
const ARTICLE: &str =
    "The article\n\nRevenue grew 30 percent in the year.\n\nUsers reached 1.07 billion.\n";

/// A site with every kind of input: sections listing word counts, navigation, `get_page()`,
/// `@/` links, a content asset, a static file. (No source document: with one, the build holds
/// every figure to its source, and these generated pages are full of numbers.)
fn fixture(pages: usize) -> Fixture {
    let mut site = Fixture::empty()
        .file("site.toml", "title = \"Gen\"\n")
        .file("templates/base.html", BASE)
        .file("templates/index.html", INDEX)
        .file("templates/section.html", SECTION)
        .file("templates/page.html", PAGE)
        .file("templates/source.html", SOURCE)
        .file("static/style.css", "body { margin: 0 }\n")
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
        )
        .file("content/notes.txt", ARTICLE)
        .file("content/metrics.md", &metrics(true, 3));
    for s in 0..3 {
        site = site.file(
            &format!("content/s{s}/_index.md"),
            &format!(
                "+++\ntitle = \"Section {s}\"\nweight = {s}\nin_nav = true\n+++\nAbout {s}.\n"
            ),
        );
    }
    for i in 0..pages {
        let (rel, text) = page(i, i % 3, i as u64 * 7 + 1);
        site = site.file(&rel, &text);
    }
    site
}

/// The page the home page shows through `get_page()`, with an `@/` link.
fn metrics(in_nav: bool, words: usize) -> String {
    format!(
        "+++\ntitle = \"Metrics\"\nin_nav = {in_nav}\n+++\nSee [a section](@/s0/_index.md). {}\n",
        "word ".repeat(words)
    )
}

/// Page `i` in section `s`, its contents varied by `seed`: title, weight, body length and an
/// `@/` link to the metrics page.
fn page(i: usize, s: usize, seed: u64) -> (String, String) {
    let words = "strategy ".repeat((seed % 40) as usize + 1);
    let link = if seed.is_multiple_of(3) {
        " [m](@/metrics.md)"
    } else {
        ""
    };
    let text = format!(
        "+++\ntitle = \"Page {i} v{seed}\"\nweight = {}\n+++\n{words}{link}\n",
        seed % 5
    );
    (format!("content/s{s}/p{i}.md"), text)
}

/// Serve's builds of one fixture, checked against clean builds.
struct Session {
    site: Fixture,
    root: PathBuf,
    builder: Incremental,
    served: Option<MemSite>,
    clean: tempfile::TempDir,
    builds: usize,
    /// Builds that worked and were compared file by file.
    compared: usize,
    /// Of those, builds that took over the last one's site data.
    patched: usize,
}

impl Session {
    fn new(site: Fixture) -> Session {
        let root = briefing::output::absolute(site.root()).unwrap();
        let mut session = Session {
            builder: Incremental::new(&root, false),
            root,
            site,
            served: None,
            clean: tempfile::tempdir().unwrap(),
            builds: 0,
            compared: 0,
            patched: 0,
        };
        let first = session.check(None, "the first build");
        assert!(first.is_some(), "the fixture builds");
        session
    }

    /// Build incrementally after `changed` (paths relative to the root; `None`: anything),
    /// build cleanly, and insist both agree (both fail, or the same files and bytes).
    fn check(&mut self, changed: Option<&[&str]>, what: &str) -> Option<Built> {
        let changed = changed.map(|c| c.iter().map(|rel| self.root.join(rel)).collect());
        let served = self.builder.build(&changed, self.served.as_ref());
        self.builds += 1;
        let out = self.clean.path().join(format!("b{}", self.builds));
        let clean = site::build(&BuildOptions {
            root: self.root.clone(),
            output_dir: Some(out.clone()),
            clean: true,
            ..BuildOptions::default()
        });
        match (served, clean) {
            (Ok(built), Ok(_)) => {
                let mut mine: Vec<(String, Vec<u8>)> = built
                    .site
                    .files()
                    .map(|(rel, bytes)| (rel.to_string(), bytes.to_vec()))
                    .collect();
                mine.sort();
                let theirs: Vec<(String, Vec<u8>)> = common::snapshot(&out)
                    .into_iter()
                    .filter(|(rel, _)| rel != ".briefing-output")
                    .collect();
                let names = |files: &[(String, Vec<u8>)]| -> Vec<String> {
                    files.iter().map(|(rel, _)| rel.clone()).collect()
                };
                assert_eq!(names(&mine), names(&theirs), "{what}: the same files");
                for ((rel, a), (_, b)) in mine.iter().zip(&theirs) {
                    assert!(
                        a == b,
                        "{what}: {rel} differs from a clean build\nserved:\n{}\nclean:\n{}",
                        String::from_utf8_lossy(a),
                        String::from_utf8_lossy(b)
                    );
                }
                let _ = std::fs::remove_dir_all(&out);
                self.compared += 1;
                self.patched += usize::from(built.patched);
                let result = Built {
                    site: MemSite::default(),
                    pages: built.pages,
                    rendered: built.rendered,
                    patched: built.patched,
                };
                self.served = Some(built.site);
                Some(result)
            }
            (Err(_), Err(e)) => {
                println!("{what}: both fail: {e:#}");
                None
            }
            (Ok(_), Err(e)) => panic!("{what}: serve built, a clean build failed: {e:#}"),
            (Err(e), Ok(_)) => panic!("{what}: a clean build worked, serve failed: {e:#}"),
        }
    }

    fn write(&mut self, rel: &str, text: &str, what: &str) -> Option<Built> {
        self.site.write(rel, text.as_bytes());
        self.check(Some(&[rel]), what)
    }

    /// Add `words` to the body of the page at `rel`, its front matter as it was.
    fn append(&mut self, rel: &str, words: &str, what: &str) -> Option<Built> {
        let text = std::fs::read_to_string(self.site.root().join(rel)).unwrap();
        self.write(rel, &format!("{text}{words}\n"), what)
    }

    fn rendered(&mut self, rel: &str, text: &str, what: &str) -> usize {
        self.write(rel, text, what).expect("builds").rendered
    }
}

#[test]
fn a_body_edit_renders_the_page_and_what_shows_its_word_count() {
    let mut s = Session::new(fixture(9));
    let (rel, text) = page(4, 1, 29);
    let n = s.rendered(
        &rel,
        &text.replace("strategy", "tactics"),
        "same words, new text",
    );
    // The home page calls get_page(): it may show any page, so it is rendered too.
    assert_eq!(n, 2, "the word count did not change: the page (and home)");
    let again = s.append(&rel, "", "an empty line more").expect("builds");
    assert!(
        again.patched,
        "a body edit takes over the last build's site data"
    );
    let n = s.rendered(&rel, &format!("{text}more words here\n"), "longer body");
    assert_eq!(n, 3, "and its section, which shows its word count");
}

#[test]
fn a_title_edit_renders_the_lists_that_show_it() {
    let mut s = Session::new(fixture(9));
    let (rel, text) = page(4, 1, 29);
    let built = s.write(&rel, &text.replace("Page 4 v29", "Renamed"), "title");
    let built = built.expect("builds");
    assert!(
        built.patched,
        "a title edit takes over the last build's site data"
    );
    let n = built.rendered;
    assert_eq!(
        n, 3,
        "the page, its section (and home, which calls get_page)"
    );
    let nav = "content/s1/_index.md";
    let n = s.rendered(
        nav,
        "+++\ntitle = \"Middle\"\nweight = 1\nin_nav = true\n+++\nAbout 1.\n",
        "nav title",
    );
    let pages = s
        .write(
            nav,
            "+++\ntitle = \"Middle\"\nweight = 1\nin_nav = true\n+++\nAbout one.\n",
            "nav body",
        )
        .expect("builds")
        .pages;
    assert_eq!(n, pages, "a navigation title is shown on every page");
    // A page of the navigation (at the top, in_nav by default): its title is on every page,
    // and now sorts after a section of the same weight.
    let metrics = metrics(true, 3).replace("title = \"Metrics\"", "title = \"Zahlen\"");
    let n = s.rendered("content/metrics.md", &metrics, "a navigation page's title");
    assert_eq!(n, pages, "a navigation page's title is shown on every page");
}

#[test]
fn templates_assets_config_and_static_files_are_followed() {
    let mut s = Session::new(fixture(6));
    s.write(
        "templates/page.html",
        &PAGE.replace("<h1>", "<h1 class=\"t\">"),
        "template",
    );
    s.write(
        "content/notes.txt",
        &ARTICLE.replace("30", "31"),
        "content asset",
    );
    s.write("site.toml", "title = \"Renamed\"\n", "site.toml");
    s.write("static/style.css", "body { margin: 1px }\n", "static file");
    s.write("static/new.txt", "new\n", "new static file");
    // get_page(): the home page shows the metrics page's word count.
    s.write(
        "content/metrics.md",
        &metrics(true, 9),
        "a page get_page shows",
    );
}

#[test]
fn creations_deletions_renames_and_errors_are_followed() {
    let mut s = Session::new(fixture(6));
    let (rel, text) = page(20, 2, 3);
    s.write(&rel, &text, "a new page");
    s.site.remove("content/s0/p0.md");
    s.check(Some(&["content/s0/p0.md"]), "a deleted page");
    std::fs::rename(
        s.site.root().join("content/s1/p1.md"),
        s.site.root().join("content/s2/moved.md"),
    )
    .unwrap();
    s.check(
        Some(&["content/s1/p1.md", "content/s2/moved.md"]),
        "a renamed page",
    );
    std::fs::rename(
        s.site.root().join("content/s2"),
        s.site.root().join("content/s9"),
    )
    .unwrap();
    s.check(
        Some(&["content/s2", "content/s9"]),
        "a renamed section folder",
    );
    assert!(
        s.write(
            "content/s1/p4.md",
            "+++\ntitle = \"broken\n+++\n",
            "a broken page"
        )
        .is_none()
    );
    assert!(
        s.write(
            "content/metrics.md",
            "+++\ntitle = \"M\"\n+++\n[x](@/nowhere.md)\n",
            "a broken link"
        )
        .is_none()
    );
    s.write(
        "content/s1/p4.md",
        "+++\ntitle = \"fixed\"\n+++\nok\n",
        "one fixed, one broken",
    );
    s.write(
        "content/metrics.md",
        "+++\ntitle = \"M\"\n+++\nfixed\n",
        "both fixed",
    );
}

#[test]
fn a_kept_page_is_verified_again_when_what_it_links_to_goes() {
    let styled = PAGE.replace(
        "<h1>",
        "<link rel=\"stylesheet\" href=\"{{ root }}site.css\"><h1>",
    );
    let site = fixture(6)
        .file("templates/page.html", &styled)
        .file(
            "content/s1/p1.md",
            "+++\ntitle = \"Target\"\n+++\n## Intro\n\nText.\n",
        )
        .file(
            "content/s0/p0.md",
            "+++\ntitle = \"Pointer\"\n+++\nSee [the intro](../../s1/p1/index.html#intro).\n",
        );
    let mut s = Session::new(site.file("static/site.css", "p { margin: 0 }\n"));
    s.site.remove("static/site.css");
    let gone = s.check(
        Some(&["static/site.css"]),
        "the stylesheet every page links is gone",
    );
    assert!(gone.is_none(), "pages kept from before are verified again");
    s.write(
        "static/site.css",
        "p { margin: 1px }\n",
        "the stylesheet is back",
    )
    .expect("builds");
    let gone = s.write(
        "content/s1/p1.md",
        "+++\ntitle = \"Target\"\n+++\nNo heading.\n",
        "the anchor another page links to is gone",
    );
    assert!(
        gone.is_none(),
        "the kept page's anchor is checked against the new page"
    );
    let back = s.write(
        "content/s1/p1.md",
        "+++\ntitle = \"Target\"\n+++\n## Intro\n\nAgain.\n",
        "the anchor is back",
    );
    assert_eq!(
        back.expect("builds").rendered,
        2,
        "the page, and home (get_page)"
    );
}

/// A tiny deterministic generator (no dependency needed for a test's dice).
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn random_sequences_of_changes_always_equal_clean_builds() {
    let mut patched = 0;
    for seed in 1..=3u64 {
        let mut s = Session::new(fixture(12));
        let mut dice = Dice(seed);
        let mut pages: Vec<String> = (0..12)
            .map(|i| format!("content/s{}/p{i}.md", i % 3))
            .collect();
        let mut next = 100;
        for step in 0..40 {
            let what = format!("seed {seed}, step {step}");
            let pick = dice.roll(pages.len().max(1));
            match dice.roll(10) {
                8 if !pages.is_empty() => {
                    let rel = pages[pick].clone();
                    let words = ["more", "strategy strategy [m](@/metrics.md)"][dice.roll(2)];
                    s.append(&rel, words, &format!("{what}: body of {rel}"));
                }
                0 | 1 if !pages.is_empty() => {
                    let rel = pages[pick].clone();
                    let (_, text) = page(pick, 0, dice.roll(1000) as u64);
                    s.write(&rel, &text, &format!("{what}: edit {rel}"));
                }
                2 => {
                    let (rel, text) = page(next, dice.roll(3), dice.roll(1000) as u64);
                    next += 1;
                    s.write(&rel, &text, &format!("{what}: create {rel}"));
                    pages.push(rel);
                }
                3 if pages.len() > 2 => {
                    let rel = pages.swap_remove(pick);
                    s.site.remove(&rel);
                    s.check(Some(&[&rel]), &format!("{what}: delete {rel}"));
                }
                4 if !pages.is_empty() => {
                    let from = pages[pick].clone();
                    let to = format!("content/s{}/r{next}.md", dice.roll(3));
                    next += 1;
                    std::fs::rename(s.site.root().join(&from), s.site.root().join(&to)).unwrap();
                    s.check(
                        Some(&[&from, &to]),
                        &format!("{what}: rename {from} to {to}"),
                    );
                    pages[pick] = to;
                }
                5 => {
                    let section = format!("content/s{}/_index.md", dice.roll(3));
                    let text = format!(
                        "+++\ntitle = \"S v{}\"\nweight = {}\nin_nav = {}\nsort_by = \"{}\"\n+++\nAbout.\n",
                        dice.roll(100),
                        dice.roll(4),
                        dice.roll(2) == 0,
                        ["weight", "title"][dice.roll(2)]
                    );
                    s.write(&section, &text, &format!("{what}: section {section}"));
                }
                6 => {
                    let variant = ["<li>", "<li class=\"x\">"][dice.roll(2)];
                    s.write(
                        "templates/section.html",
                        &SECTION.replace("<li>", variant),
                        &format!("{what}: template"),
                    );
                }
                7 if !pages.is_empty() => {
                    let rel = pages[pick].clone();
                    let broken = s.write(
                        &rel,
                        "+++\ntitle = \"half\n",
                        &format!("{what}: break {rel}"),
                    );
                    assert!(broken.is_none(), "{what}: a broken page fails the build");
                    let (_, text) = page(pick, 0, dice.roll(1000) as u64);
                    s.write(&rel, &text, &format!("{what}: fix {rel}"));
                }
                _ => {
                    let text = metrics(dice.roll(2) == 0, dice.roll(9) + 1);
                    s.write("content/metrics.md", &text, &format!("{what}: metrics"));
                }
            }
        }
        assert!(
            s.compared >= 30,
            "seed {seed}: only {} builds compared",
            s.compared
        );
        // Whatever the watcher missed, a build told that anything changed agrees too.
        s.check(None, &format!("seed {seed}: everything"));
        patched += s.patched;
    }
    assert!(
        patched >= 3,
        "body edits took the short way ({patched} builds)"
    );
}

/// Words for titles and bodies on a site with a source: with one, every figure a page shows
/// must be backed, so these pages carry none but their citations.
const WORDS: [&str; 8] = [
    "growth",
    "cloud",
    "market",
    "users",
    "scale",
    "merchants",
    "logistics",
    "payments",
];
const LIST: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ section.title }}</h1>{{ section.content | safe }}<ul>{% for p in section.pages %}<li><a href="{{ root }}{{ p.url }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}"#;
const HOME: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ section.title }}</h1>{{ section.content | safe }}{% for s in section.subsections %}<h2>{{ s.title }}</h2>{% endfor %}{% endblock %}"#;

/// The source document in its versions: as cited, then edits that break citations (a figure
/// changed, a paragraph inserted before the cited ones, a year no longer stated) and one that
/// breaks none.
fn article(version: usize) -> String {
    let cited = format!("{ARTICLE}\nThe firm was founded in 1999.\n");
    match version {
        1 => cited.replace("30", "31"),
        2 => cited.replace("1.07", "1.08"),
        3 => cited.replacen("\n\n", "\n\nA new first paragraph.\n\n", 1),
        4 => format!("{cited}\nA closing paragraph.\n"),
        5 => cited.replace("in 1999", "long ago"),
        _ => cited,
    }
}

/// A site whose pages cite a source document: in their bodies (a figure in a link to its
/// paragraph, a quotation, a year any source states) and in their front matter (a metric with
/// its quote).
fn cited_fixture(pages: usize) -> Fixture {
    let mut site = Fixture::empty()
        .file("site.toml", "title = \"Cited\"\n")
        .file("templates/base.html", BASE)
        .file("templates/index.html", HOME)
        .file("templates/section.html", LIST)
        .file("templates/page.html", PAGE)
        .file("templates/source.html", SOURCE)
        .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\nWelcome.\n")
        .file("content/article.txt", &article(0))
        .file(
            "content/source.md",
            "+++\ntitle = \"The article\"\ndocument = \"article.txt\"\ntemplate = \"source.html\"\n+++\n",
        );
    for (s, name) in ["alpha", "beta", "gamma"].iter().enumerate() {
        site = site.file(
            &format!("content/s{s}/_index.md"),
            &format!("+++\ntitle = \"{name}\"\nweight = {s}\nin_nav = true\n+++\nAbout {name}.\n"),
        );
    }
    for i in 0..pages {
        site = site.file(
            &format!("content/s{}/p{i}.md", i % 3),
            &cited_page(i as u64),
        );
    }
    site
}

/// A page that cites the article, or not, as `seed` says.
fn cited_page(seed: u64) -> String {
    let word = |n: u64| WORDS[(n % WORDS.len() as u64) as usize];
    let title = format!("{} {}", word(seed), word(seed / 8 + 3));
    let (front, body) = match seed % 5 {
        0 => ("", String::new()),
        // No link: a year is backed by any source that states it.
        4 => ("", "Founded in 1999.".to_string()),
        1 => ("", "Revenue [grew 30 percent](@/source.md#p1).".to_string()),
        2 => (
            "",
            "[“Users reached 1.07 billion”](@/source.md#p2)".to_string(),
        ),
        _ => (
            "[[extra.metrics]]\nvalue = \"1.07\"\nunit = \"billion\"\nlabel = \"users\"\nas_of = \"now\"\nforecast = false\n[extra.metrics.cite]\nquote = \"Users reached 1.07 billion\"\nsource = \"source.md\"\npara = 2\n",
            String::new(),
        ),
    };
    format!(
        "+++\ntitle = \"{title}\"\nweight = {}\n{front}+++\n{}{body}\n",
        seed % 5,
        format!("{} ", word(seed / 3)).repeat(1 + (seed % 7) as usize)
    )
}

#[test]
fn random_sequences_with_a_source_document_always_equal_clean_builds() {
    let mut failed = 0;
    let mut patched = 0;
    for seed in 1..=3u64 {
        let mut s = Session::new(cited_fixture(9));
        let mut dice = Dice(seed * 1000 + 7);
        let mut pages: Vec<String> = (0..9)
            .map(|i| format!("content/s{}/p{i}.md", i % 3))
            .collect();
        let mut next = 100;
        for step in 0..30 {
            let what = format!("seed {seed}, step {step}");
            let pick = dice.roll(pages.len());
            match dice.roll(9) {
                7 => {
                    let rel = pages[pick].clone();
                    let words =
                        ["more growth", "and [grew 30 percent](@/source.md#p1)"][dice.roll(2)];
                    s.append(&rel, words, &format!("{what}: body of {rel}"));
                }
                0 | 1 => {
                    let rel = pages[pick].clone();
                    let text = cited_page(dice.roll(1000) as u64);
                    s.write(&rel, &text, &format!("{what}: edit {rel}"));
                }
                2 => {
                    let rel = format!("content/s{}/n{next}.md", dice.roll(3));
                    next += 1;
                    let text = cited_page(dice.roll(1000) as u64);
                    s.write(&rel, &text, &format!("{what}: create {rel}"));
                    pages.push(rel);
                }
                3 if pages.len() > 2 => {
                    let rel = pages.swap_remove(pick);
                    s.site.remove(&rel);
                    s.check(Some(&[&rel]), &format!("{what}: delete {rel}"));
                }
                4 => {
                    // A source edit that every citation survives.
                    let v = [0, 4][dice.roll(2)];
                    let built = s.write(
                        "content/article.txt",
                        &article(v),
                        &format!("{what}: source v{v}"),
                    );
                    assert!(built.is_some(), "{what}: every citation survives");
                }
                5 => {
                    // A source edit that breaks what cites it, then the fix.
                    let v = [1, 2, 3, 5][dice.roll(4)];
                    let broken = s.write(
                        "content/article.txt",
                        &article(v),
                        &format!("{what}: break v{v}"),
                    );
                    failed += usize::from(broken.is_none());
                    let fixed =
                        s.write("content/article.txt", &article(0), &format!("{what}: fix"));
                    assert!(fixed.is_some(), "{what}: the source as cited builds");
                }
                6 => {
                    let variant = ["<h1>", "<h1 class=\"t\">"][dice.roll(2)];
                    s.write(
                        "templates/page.html",
                        &PAGE.replace("<h1>", variant),
                        &format!("{what}: template"),
                    );
                }
                _ => {
                    let title = format!("{} source", WORDS[dice.roll(WORDS.len())]);
                    let text = format!(
                        "+++\ntitle = \"{title}\"\ndocument = \"article.txt\"\ntemplate = \"source.html\"\n+++\n"
                    );
                    s.write("content/source.md", &text, &format!("{what}: source page"));
                }
            }
        }
        // The source as cited, then whatever the watcher missed: both agree with clean builds.
        s.write(
            "content/article.txt",
            &article(0),
            &format!("seed {seed}: as cited"),
        );
        assert!(
            s.compared >= 25,
            "seed {seed}: only {} builds compared",
            s.compared
        );
        s.check(None, &format!("seed {seed}: everything"));
        patched += s.patched;
    }
    assert!(
        patched >= 3,
        "body edits took the short way ({patched} builds)"
    );
    assert!(
        failed > 0,
        "some source edits broke a citation (and both builds refused them)"
    );
}

/// With two sources, citations name their document by a short name taken from its page's front
/// matter: a page citing it is rendered again when that name changes.
#[test]
fn a_source_s_short_name_is_followed_by_the_pages_citing_it() {
    const NAMED: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>{% if page.extra.cite %}<a href="{{ root }}{{ page.extra.cite.url }}">{% if page.extra.cite.short %}<cite>{{ page.extra.cite.short }}</cite> {% endif %}¶{{ page.extra.cite.para }}</a>{% endif %}{% endblock %}"#;
    let site = cited_fixture(3)
        .file("templates/page.html", NAMED)
        .file("content/other.txt", "Another source\n\nNothing cited here.\n")
        .file(
            "content/other.md",
            "+++\ntitle = \"Other\"\ndocument = \"other.txt\"\ntemplate = \"source.html\"\n+++\n",
        )
        .file(
            "content/cites.md",
            "+++\ntitle = \"Cites\"\n[extra.cite]\nquote = \"Users reached 1.07 billion\"\nsource = \"source.md\"\n+++\n",
        );
    let mut s = Session::new(site);
    let source =
        "+++\ntitle = \"The article\"\ndocument = \"article.txt\"\ntemplate = \"source.html\"\n";
    s.write(
        "content/source.md",
        &format!("{source}[extra.source]\nshort = \"2024 article\"\n+++\n"),
        "a short name written",
    )
    .expect("builds");
    s.write(
        "content/source.md",
        &format!(
            "{}+++\n",
            source.replace("The article", "A renamed article")
        ),
        "a short name derived from a new title",
    )
    .expect("builds");
    s.write(
        "content/other.md",
        "+++\ntitle = \"Other\"\n+++\n",
        "one source left",
    )
    .expect("builds");
}
