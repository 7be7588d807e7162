//! The real briefing in this repository: golden output, the edit workflow, the checks, and
//! byte-identical rebuilds.

mod common;
use common::{Fixture, snapshot};
use std::fs;
use std::path::PathBuf;
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn briefing(args: &[&str]) -> common::Run {
    let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .output()
        .expect("run briefing");
    common::Run(out)
}

/// Build the real site into a temp dir; returns the dir.
fn build_real() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let root = repo();
    briefing(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output-dir",
        target.to_str().unwrap(),
    ])
    .ok();
    out
}

/// A copy of the real site's sources in a temp dir, to edit.
fn copy_of_site() -> Fixture {
    let site = Fixture::empty();
    for entry in walkdir::WalkDir::new(repo()) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(repo()).unwrap();
        let top = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let wanted = matches!(
            top.as_deref(),
            Some("content" | "templates" | "static" | "site.toml")
        );
        if wanted && entry.file_type().is_file() {
            site.write(rel.to_str().unwrap(), &fs::read(entry.path()).unwrap());
        }
    }
    site
}

#[test]
fn pages_match_the_golden_files() {
    let out = build_real();
    let built = out.path().join("site");
    let golden = repo().join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let pages: Vec<(String, Vec<u8>)> = snapshot(&built)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .collect();
    assert!(
        pages.len() >= 6,
        "home, model, metrics, principles, source, 404"
    );
    if update {
        let _ = fs::remove_dir_all(&golden);
    }
    for (rel, bytes) in &pages {
        let path = golden.join(rel);
        if update {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, bytes).unwrap();
            continue;
        }
        let expected = fs::read(&path).unwrap_or_else(|_| {
            panic!("no golden file for {rel}: run UPDATE_GOLDEN=1 cargo test --test real_site")
        });
        assert!(
            &expected == bytes,
            "{rel} differs from tests/golden/{rel}; if the change is intended, run UPDATE_GOLDEN=1 cargo test --test real_site and review the diff"
        );
    }
    let golden_count = snapshot(&golden).len();
    assert_eq!(
        golden_count,
        pages.len(),
        "a golden page is no longer built"
    );
}

#[test]
fn every_page_shows_what_the_design_asks_for() {
    let out = build_real();
    let site = out.path().join("site");
    let read = |rel: &str| fs::read_to_string(site.join(rel)).unwrap();
    let home = read("index.html");
    assert!(
        home.contains("role=\"img\"") && home.contains("<title"),
        "diagram on the home page"
    );
    assert!(
        home.matches("class=\"metric-value\"").count() >= 4,
        "metric cards on the home page"
    );
    assert!(
        home.contains("1.07") && home.contains("27"),
        "key figures on the home page"
    );
    for page in [
        "model/index.html",
        "metrics/index.html",
        "principles/index.html",
        "source/index.html",
    ] {
        assert!(
            home.contains(&format!("href=\"{page}\"")),
            "home links to {page}"
        );
    }
    let source = read("source/index.html");
    for p in 0..=4 {
        assert!(
            source.contains(&format!("id=\"p{p}\"")),
            "source paragraph p{p} is anchored"
        );
    }
    assert!(source.contains("He Chang") && source.contains("Sina Technology News"));
    assert!(
        source.contains("Cainiao"),
        "the editorial note on “rookies”"
    );
    let model = read("model/index.html");
    assert!(
        model.contains("<table"),
        "the diagram has a table equivalent"
    );
    assert!(
        model.to_lowercase().contains("analysis"),
        "any mapping of businesses is labelled analysis"
    );
    let metrics = read("metrics/index.html");
    assert!(
        metrics.to_lowercase().contains("forecast"),
        "forecasts are marked"
    );
    for (rel, bytes) in snapshot(&site) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("href=\"/") && !text.contains("src=\"/"),
            "root-absolute link in {rel}"
        );
        // The deck's one script adds keys and the presenter view to a page that reads without
        // it (tests/browser/deck.mjs turns JavaScript off to see); only search's page and
        // scripts hold another (and its page works as a plain form without it).
        let text = text.replace("<script src=\"../slides.js\"></script>", "");
        let search = ["search/index.html", "search/index.js", "search.js"].contains(&rel.as_str());
        assert!(
            search || !text.contains("<script"),
            "no page needs JavaScript: {rel}"
        );
    }
}

#[test]
fn check_finds_no_broken_link_anchor_or_citation() {
    let root = repo();
    let run = briefing(&["check", "--root", root.to_str().unwrap()]);
    run.ok();
    assert!(
        run.stdout().contains("no problems found"),
        "{}",
        run.stdout()
    );
}

#[test]
fn editing_a_metric_in_markdown_updates_the_site() {
    let site = copy_of_site();
    site.build_ok();
    assert!(site.out("metrics/index.html").contains("1.07"));
    // A new source says 1.24 billion: update the source text and the metric together.
    let edit = |rel: &str| {
        let path = site.root().join(rel);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("1.07", "1.24")).unwrap();
    };
    for rel in [
        "content/sources/article.txt",
        "content/metrics.md",
        "content/model.md",
        "content/_index.md",
    ] {
        if fs::read_to_string(site.root().join(rel))
            .unwrap()
            .contains("1.07")
        {
            edit(rel);
        }
    }
    site.build_ok();
    let metrics = site.out("metrics/index.html");
    assert!(
        metrics.contains("1.24") && !metrics.contains("1.07"),
        "new value shown, old gone"
    );
    assert!(
        site.out("index.html").contains("1.24"),
        "home cards follow the metrics page"
    );
}

#[test]
fn a_metric_its_source_does_not_support_never_reaches_the_site() {
    let site = copy_of_site();
    site.build_ok();
    let path = site.root().join("content/metrics.md");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replacen("value = \"1.07\"", "value = \"1.7\"", 1),
    )
    .unwrap();
    let err = site.build().fails();
    assert!(
        err.contains("content/metrics.md:") && err.contains("1.7"),
        "{err}"
    );
    assert!(
        site.out("metrics/index.html").contains("1.07"),
        "the last good site stays"
    );
}

#[test]
fn rebuilds_of_the_real_site_are_byte_identical() {
    let a = build_real();
    let b = build_real();
    assert_eq!(
        snapshot(&a.path().join("site")),
        snapshot(&b.path().join("site"))
    );
}

#[test]
fn the_source_copy_is_the_article() {
    let text = fs::read_to_string(repo().join("content/sources/article.txt")).unwrap();
    assert!(text.starts_with("Zhang Yong talks about Ali’s innovation strategy"));
    assert_eq!(
        text.lines().filter(|l| !l.trim().is_empty()).count(),
        5,
        "title + four paragraphs"
    );
}

#[test]
fn a_base_url_with_a_path_makes_absolute_urls_only_where_needed() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let root = repo();
    let base = "https://owner.github.io/briefing/";
    briefing(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output-dir",
        target.to_str().unwrap(),
        "--base-url",
        base,
    ])
    .ok();
    let read = |rel: &str| fs::read_to_string(target.join(rel)).unwrap();
    let model = read("model/index.html");
    assert!(
        model.contains(&format!("<link rel=\"canonical\" href=\"{base}model/\">")),
        "{model}"
    );
    assert!(model.contains(&format!(
        "<meta property=\"og:url\" content=\"{base}model/\">"
    )));
    assert!(model.contains(&format!(
        "<meta property=\"og:image\" content=\"{base}og-card.png\">\n<meta property=\"og:image:type\" content=\"image/png\">"
    )));
    let home = read("index.html");
    assert!(home.contains(&format!("<link rel=\"canonical\" href=\"{base}\">")));
    assert!(model.contains("twitter:card") && model.contains("application/ld+json"));
    assert!(
        model.contains("href=\"../style.css\"") && model.contains("href=\"../metrics/index.html\""),
        "internal links stay relative"
    );
    let sitemap = read("sitemap.xml");
    for page in ["", "model/", "metrics/", "principles/", "source/"] {
        assert!(
            sitemap.contains(&format!("<loc>{base}{page}</loc>")),
            "{page} in {sitemap}"
        );
    }
    assert!(!sitemap.contains("404.html") && !sitemap.contains("index.html"));
    assert_eq!(
        read("robots.txt"),
        format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n")
    );
    let card = fs::read(target.join("og-card.png")).unwrap();
    assert_eq!(common::png_size(&card), (1200, 630));
    let not_found = read("404.html");
    assert!(
        not_found.contains(&format!("href=\"{base}index.html\"")),
        "404 links work at any depth"
    );
    assert!(not_found.contains("<style>"), "404 styles are inline");
}
