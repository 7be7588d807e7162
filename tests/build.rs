//! `briefing build` behaviour, one small fixture site per behaviour.

mod common;
use common::{Fixture, snapshot};

#[test]
fn writes_pages_sections_and_static_files_with_relative_links() {
    let site = Fixture::new()
        .file("content/notes/_index.md", "+++\ntitle = \"Notes\"\n+++\n")
        .file("content/notes/deep.md", "+++\ntitle = \"Deep\"\n+++\n[home](/) [css](/style.css) [notes](/notes/) [x](@/_index.md)\n")
        .file("content/notes/figure.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file("static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    let run = site.build();
    run.ok();
    assert!(
        run.stdout().starts_with("Built 3 pages"),
        "{}",
        run.stdout()
    );
    let deep = site.out("notes/deep/index.html");
    assert!(deep.contains(r#"href="../../style.css""#), "{deep}");
    assert!(deep.contains(r#"href="../../index.html">home"#), "{deep}");
    assert!(
        deep.contains(r#"href="../../notes/index.html">notes"#),
        "{deep}"
    );
    assert!(deep.contains(r#"href="../../index.html">x"#), "{deep}");
    assert!(site.public().join("img/logo.svg").is_file());
    assert!(site.public().join("notes/figure.svg").is_file());
    assert!(site.public().join(".nojekyll").is_file());
    for (rel, bytes) in snapshot(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("href=\"/"), "root-absolute link in {rel}");
        assert!(!text.contains("src=\"/"), "root-absolute src in {rel}");
    }
}

#[test]
fn sections_list_pages_in_order_and_nav_follows_weight() {
    let site = Fixture::new()
        .file("content/b.md", "+++\ntitle = \"Bee\"\nweight = 1\n+++\n")
        .file("content/a.md", "+++\ntitle = \"Ay\"\nweight = 2\n+++\n")
        .file(
            "content/hidden.md",
            "+++\ntitle = \"Hidden\"\nin_nav = false\n+++\n",
        )
        .file(
            "content/log/_index.md",
            "+++\ntitle = \"Log\"\nweight = 3\nsort_by = \"date\"\n+++\n",
        )
        .file(
            "content/log/old.md",
            "+++\ntitle = \"Old\"\ndate = 2019-01-01\n+++\n",
        )
        .file(
            "content/log/new.md",
            "+++\ntitle = \"New\"\ndate = 2021-01-01\n+++\n",
        );
    site.build_ok();
    let home = site.out("index.html");
    let nav = &home[home.find("<nav>").unwrap()..home.find("</nav>").unwrap()];
    assert_eq!(
        nav,
        r#"<nav><a href="b/index.html">Bee</a><a href="a/index.html">Ay</a><a href="log/index.html">Log</a>"#
    );
    let log = site.out("log/index.html");
    assert!(
        log.find("New").unwrap() < log.find("Old").unwrap(),
        "newest first: {log}"
    );
}

#[test]
fn drafts_are_skipped_unless_asked_for() {
    let site = Fixture::new().file(
        "content/wip.md",
        "+++\ntitle = \"WIP\"\ndraft = true\n+++\n",
    );
    site.build_ok();
    assert!(!site.public().join("wip/index.html").exists());
    site.run(&["build", "--drafts"]).ok();
    assert!(site.public().join("wip/index.html").is_file());
}

#[test]
fn markdown_extensions_and_heading_anchors() {
    let body = "## Plan & *focus*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ \"quoted\"[^n]\n\n[^n]: A note.\n\n## Plan & focus\n";
    let site = Fixture::new().file(
        "content/md.md",
        &format!("+++\ntitle = \"MD\"\n+++\n{body}"),
    );
    site.build_ok();
    let html = site.out("md/index.html");
    assert!(html.contains(r##"<h2 id="plan-focus">Plan &amp; <em>focus</em> <a class="anchor" href="#plan-focus""##), "{html}");
    assert!(html.contains(r#"<h2 id="plan-focus-1">"#), "{html}");
    assert!(
        html.contains("<table>") && html.contains("<del>old</del>"),
        "{html}"
    );
    assert!(
        html.contains("checkbox") && html.contains("“quoted”"),
        "{html}"
    );
    assert!(html.contains("footnote-definition"), "{html}");
}

#[test]
fn rebuilds_are_byte_identical() {
    let site = Fixture::new()
        .file("content/a.md", "+++\ntitle = \"A\"\n[extra]\nz = 1\na = 2\nm = [3, 2]\n+++\n# A\n")
        .file("templates/page.html", "{% extends \"base.html\" %}{% block main %}{% for k, v in page.extra %}{{ k }}={{ v }};{% endfor %}{% endblock %}");
    site.build_ok();
    let first = snapshot(&site.public());
    site.build_ok();
    assert_eq!(snapshot(&site.public()), first);
    assert!(
        site.out("a/index.html").contains("z=1;a=2;m=[3, 2];"),
        "{}",
        site.out("a/index.html")
    );
}

/// Rebuilds write over the previous output kept beside `public/`; what they leave must be
/// exactly what a clean build writes, after pages shrink, vanish and move.
#[test]
fn rebuilds_over_the_previous_output_equal_clean_builds() {
    let long = "Words. ".repeat(500);
    let site = Fixture::new()
        .file(
            "content/a.md",
            &format!("+++\ntitle = \"A\"\n+++\n{long}\n"),
        )
        .file("content/notes/_index.md", "+++\ntitle = \"Notes\"\n+++\n")
        .file("content/notes/b.md", "+++\ntitle = \"B\"\n+++\nB\n")
        .file(
            "static/img/x.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
    site.build_ok().build_ok();
    let spare = site.root().join(".public.briefing-spare");
    assert!(
        spare.join("a/index.html").is_file(),
        "the previous output is kept"
    );
    // The regression guard for cheap rebuilds: the next build writes over the spare's files
    // (the same inodes) instead of creating new ones.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let before = std::fs::metadata(spare.join("a/index.html")).unwrap().ino();
        site.build_ok();
        let after = std::fs::metadata(site.public().join("a/index.html"))
            .unwrap()
            .ino();
        assert_eq!(after, before, "pages are written over in place");
    }
    #[cfg(not(unix))]
    site.build_ok();
    // A build that fails before writing gives the spare back untouched.
    site.write("content/a.md", b"+++\ntitle = = 1\n+++\n");
    assert!(site.build().fails().contains("content/a.md:2"));
    assert!(
        spare.join("a/index.html").is_file(),
        "the spare survives a failed build"
    );
    site.write("content/a.md", b"+++\ntitle = \"A\"\n+++\nShort now.\n");
    site.remove("content/notes/b.md");
    site.remove("static/img/x.svg");
    site.write("content/c.md", b"+++\ntitle = \"C\"\n+++\nNew.\n");
    std::fs::write(site.public().join("stray.html"), "not ours").unwrap();
    site.build_ok().build_ok();
    let reused = snapshot(&site.public());
    assert!(
        reused
            .iter()
            .all(|(rel, _)| rel != "stray.html" && !rel.starts_with("img"))
    );
    site.run(&["build", "--clean"]).ok();
    assert_eq!(snapshot(&site.public()), reused);
    assert!(!spare.exists(), "--clean keeps no spare");
}

#[test]
fn output_dir_and_base_url_flags() {
    let site = Fixture::new().file(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ section.title }}</h1><link rel=\"canonical\" href=\"{{ config.base_url }}{{ current_url }}\">{% endblock %}",
    );
    let out = site.root().join("elsewhere/site");
    site.run(&[
        "build",
        "--output-dir",
        out.to_str().unwrap(),
        "--base-url",
        "https://o.github.io/repo",
    ])
    .ok();
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains(r#"href="https://o.github.io/repo/index.html""#),
        "{home}"
    );
}

#[test]
fn replaces_only_its_own_output() {
    let site = Fixture::new().file("content/old.md", "+++\ntitle = \"Old\"\n+++\n");
    site.build_ok();
    site.remove("content/old.md");
    site.build_ok();
    assert!(!site.public().join("old").exists(), "stale pages are gone");
    assert!(site.public().join(".briefing-output").is_file());
}

#[test]
fn source_documents_and_citations() {
    let site = Fixture::new()
        .file("content/sources/doc.txt", "The Title\n\nFirst paragraph says 42 things.\nSecond “quoted” one.")
        .file("content/source.md", "+++\ntitle = \"Source\"\ndocument = \"sources/doc.txt\"\n+++\n")
        .file("templates/page.html", "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{% if page.document %}{% for p in page.document.paragraphs %}<p id=\"{{ p.id }}\">{{ p.text }}</p>{% endfor %}{% endif %}{% for m in page.extra.metrics | default(value=[]) %}<a href=\"{{ root }}{{ m.cite.url }}\">{{ m.value }}</a>{% endfor %}{% endblock %}")
        .file("content/m.md", "+++\ntitle = \"M\"\n[[extra.metrics]]\nvalue = \"42\"\n[extra.metrics.cite]\nquote = \"says 42 things\"\nsource = \"source.md\"\npara = 1\n+++\n");
    site.build_ok();
    let source = site.out("source/index.html");
    assert!(
        source.contains(r#"<p id="p2">Second “quoted” one.</p>"#),
        "{source}"
    );
    assert!(
        site.out("m/index.html")
            .contains(r#"<a href="../source/index.html#p1">42</a>"#)
    );

    site.write("content/m.md", b"+++\ntitle = \"M\"\n[[extra.metrics]]\nvalue = \"43\"\n[extra.metrics.cite]\nquote = \"says 42 things\"\nsource = \"source.md\"\npara = 1\n+++\n");
    let err = site.build().fails();
    assert!(
        err.contains("content/m.md:4:") && err.contains("shows 43"),
        "{err}"
    );
    assert!(
        site.out("m/index.html").contains(">42<"),
        "the last good site stays"
    );
}

#[test]
fn hosting_files_follow_the_base_url() {
    let site = Fixture::new()
        .file("site.toml", "title = \"Fixture\"\ndescription = \"D\"\ncname = \"brief.example.org\"\n")
        .file("content/a.md", "+++\ntitle = \"A\"\ndate = 2020-09-30\n[[extra.metrics]]\nvalue = \"1.07\"\nunit = \"billion\"\nlabel = \"users\"\n[extra.metrics.cite]\nquote = \"q\"\nsource = \"nowhere.md\"\npara = 1\n+++\n");
    // The citation is deliberately unresolvable: the build must refuse it.
    let err = site.build().fails();
    assert!(
        err.contains("no page `content/nowhere.md` presents a document"),
        "{err}"
    );

    let site = site.file(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2020-09-30\n+++\n[home](/)\n",
    );
    site.build_ok();
    assert!(site.public().join(".nojekyll").is_file());
    assert_eq!(site.out("CNAME"), "brief.example.org\n");
    assert!(
        !site.public().join("sitemap.xml").exists(),
        "no sitemap without a base URL"
    );
    assert!(!site.public().join("robots.txt").exists());

    site.run(&["build", "--base-url", "https://owner.github.io/briefing"])
        .ok();
    let sitemap = site.out("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://owner.github.io/briefing/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains(
            "<loc>https://owner.github.io/briefing/a/</loc><lastmod>2020-09-30</lastmod>"
        ),
        "{sitemap}"
    );
    assert!(
        site.out("robots.txt")
            .contains("Sitemap: https://owner.github.io/briefing/sitemap.xml")
    );
    let card = std::fs::read(site.public().join("og-card.png")).unwrap();
    assert_eq!(common::png_size(&card), (1200, 630));
    assert!(!site.public().join("og-card.svg").exists());
    assert!(
        site.out("a/index.html")
            .contains(r#"href="../index.html">home"#),
        "links stay relative"
    );
}

#[test]
fn builtin_templates_and_static_files_fill_gaps() {
    // A site with no templates/ or static/ at all still builds with the defaults.
    let site = Fixture::empty()
        .file(
            "site.toml",
            "title = \"Bare\"\ndescription = \"A bare site.\"\n",
        )
        .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHello.\n");
    let run = site.build();
    if briefing::defaults::TEMPLATES.is_empty() {
        run.fails();
        return;
    }
    run.ok();
    assert!(site.out("index.html").contains("Hello."));
    for (rel, _) in briefing::defaults::STATIC {
        assert!(
            site.public().join(rel).is_file(),
            "default static file {rel}"
        );
    }
}

/// Performance regression guard, not a timing: a build reads each content file twice (front
/// matter while loading, the body while rendering it) and compiles the templates once, however
/// many pages there are; the deck (`slides/index.html`) renders the home page a second time.
#[test]
fn work_per_build_stays_linear_and_templates_compile_once() {
    let mut site = Fixture::new().file("content/log/_index.md", "+++\ntitle = \"Log\"\n+++\n");
    for i in 0..40 {
        site = site.file(
            &format!("content/log/p{i}.md"),
            &format!("+++\ntitle = \"P{i}\"\n+++\n[home](/) and [log](@/log/_index.md)\n"),
        );
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["build", "--root"])
        .arg(site.root())
        .env("BRIEFING_TIMINGS", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("stats: 42 pages, 85 content file reads, 1 template set compiles"),
        "{err}"
    );
}
