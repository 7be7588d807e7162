//! `briefing init`: a starter briefing that builds and checks at once, built-in defaults that
//! a site's own files override, and no clobbering of existing folders.

mod common;
use common::Fixture;
use std::fs;

#[test]
fn the_starter_builds_and_checks() {
    let site = Fixture::starter();
    let dir = site.root();
    for rel in [
        "site.toml",
        "content/_index.md",
        "content/metrics.md",
        "content/model.md",
        "content/sources/source.txt",
        "content/sources/annual-report.pdf",
        "content/report.md",
        "content/sources.md",
        "templates/base.html",
        "static/style.css",
    ] {
        assert!(dir.join(rel).is_file(), "{rel}");
    }
    site.run(&["build"]).ok();
    let metrics = fs::read_to_string(dir.join("public/metrics/index.html")).unwrap();
    assert!(
        metrics.contains("<svg class=\"chart chart--line\""),
        "the starter draws a series"
    );
    let sources = fs::read_to_string(dir.join("public/sources/index.html")).unwrap();
    assert_eq!(
        sources.matches("class=\"source-item\"").count(),
        2,
        "two sources listed"
    );
    let home = fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(
        home.contains("2.5") && home.contains("role=\"img\""),
        "metrics and diagram"
    );
    let check = site.run(&["check"]);
    check.ok();
    assert!(check.stdout().contains("no problems found"));
}

#[test]
fn defaults_fill_in_and_one_override_wins() {
    let site = Fixture::starter();
    let dir = site.root();
    fs::remove_dir_all(dir.join("templates")).unwrap();
    fs::remove_dir_all(dir.join("static")).unwrap();
    site.run(&["build"]).ok();
    assert!(
        dir.join("public/style.css").is_file(),
        "built-in stylesheet"
    );
    let principles = fs::read_to_string(dir.join("public/principles/index.html")).unwrap();
    assert!(principles.contains("Customer value first"));

    fs::create_dir_all(dir.join("templates")).unwrap();
    fs::write(
        dir.join("templates/principles.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Our own principles page</h1>{% endblock main %}",
    )
    .unwrap();
    fs::create_dir_all(dir.join("static")).unwrap();
    fs::write(dir.join("static/style.css"), "/* ours */").unwrap();
    site.run(&["build"]).ok();
    let principles = fs::read_to_string(dir.join("public/principles/index.html")).unwrap();
    assert!(
        principles.contains("Our own principles page"),
        "the site's template wins"
    );
    assert!(
        principles.contains("class=\"site-header\""),
        "and still extends the built-in base"
    );
    assert_eq!(
        fs::read_to_string(dir.join("public/style.css")).unwrap(),
        "/* ours */"
    );
}

#[test]
fn init_refuses_a_non_empty_directory() {
    let site = Fixture::empty().file("brief/notes.txt", "mine");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("init")
        .arg(site.root().join("brief"))
        .output()
        .unwrap();
    let err = common::Run(out).fails();
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(
        fs::read_to_string(site.root().join("brief/notes.txt")).unwrap(),
        "mine"
    );
    assert!(!site.root().join("brief/site.toml").exists());
}

#[test]
fn init_makes_a_folder_that_does_not_exist_yet() {
    let site = Fixture::empty();
    let dir = site.root().join("briefs/new");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("init")
        .arg(&dir)
        .output()
        .unwrap();
    common::Run(out).ok();
    assert!(dir.join("site.toml").is_file());
    assert!(dir.join("content/_index.md").is_file());
}
