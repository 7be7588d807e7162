//! Bad input: every case names the file and line, exits 1 without a panic, and leaves the
//! previous build untouched.

mod common;
use common::Fixture;

/// Build a good site, break it with `breakage`, and check the error and the surviving output.
fn assert_rejected(breakage: impl FnOnce(&Fixture), expected: &[&str]) -> String {
    let site = Fixture::new().file(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nSome notes.\n",
    );
    site.build_ok();
    breakage(&site);
    let err = site.fails_keeping_output();
    for needle in expected {
        assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
    err
}

#[test]
fn malformed_site_toml() {
    assert_rejected(
        |s| s.write("site.toml", b"title = \"Fixture\"\nbase_url = \n"),
        &["site.toml:2:", "^"],
    );
}

#[test]
fn malformed_front_matter() {
    assert_rejected(
        |s| {
            s.write(
                "content/notes.md",
                b"+++\ntitle = \"Notes\nweight = 2\n+++\n",
            )
        },
        &["content/notes.md:2:"],
    );
}

#[test]
fn unclosed_front_matter() {
    assert_rejected(
        |s| s.write("content/notes.md", b"+++\ntitle = \"Notes\"\n\nBody\n"),
        &["content/notes.md:1:", "never closed"],
    );
}

#[test]
fn unknown_front_matter_key() {
    assert_rejected(
        |s| {
            s.write(
                "content/notes.md",
                b"+++\ntitle = \"Notes\"\nauthor = \"me\"\n+++\n",
            )
        },
        &["content/notes.md:3:1:", "unknown field `author`"],
    );
}

#[test]
fn missing_template() {
    assert_rejected(
        |s| {
            s.write(
                "content/notes.md",
                b"+++\ntitle = \"Notes\"\ntemplate = \"wide.html\"\n+++\n",
            )
        },
        &["content/notes.md:3:", "template `wide.html` not found"],
    );
}

#[test]
fn tera_syntax_error() {
    assert_rejected(
        |s| {
            s.write(
                "templates/page.html",
                b"{% extends \"base.html\" %}\n{% block main %}{{ page.title }</h1>{% endblock %}",
            )
        },
        &["templates/page.html:2:"],
    );
}

#[test]
fn undefined_template_variable() {
    assert_rejected(
        |s| {
            s.write("templates/page.html", b"{% extends \"base.html\" %}\n{% block main %}\n<p>{{ page.summary }}</p>{% endblock %}")
        },
        &[
            "templates/page.html:3:",
            "summary",
            "while rendering content/notes.md",
        ],
    );
}

#[test]
fn two_pages_with_the_same_output_path() {
    assert_rejected(
        |s| {
            s.write(
                "content/other.md",
                b"+++\ntitle = \"Other\"\nslug = \"notes\"\n+++\n",
            )
        },
        &[
            "content/other.md:3:",
            "content/notes.md",
            "notes/index.html",
        ],
    );
}

#[test]
fn slug_escaping_the_output_directory() {
    assert_rejected(
        |s| {
            s.write(
                "content/notes.md",
                b"+++\ntitle = \"Notes\"\nslug = \"../../etc\"\n+++\n",
            )
        },
        &["content/notes.md:3:", "escape the output directory"],
    );
}

#[test]
fn file_that_is_not_utf8() {
    assert_rejected(
        |s| {
            s.write(
                "content/notes.md",
                b"+++\ntitle = \"Notes\"\n+++\nCaf\xe9\n",
            )
        },
        &["content/notes.md:4:4:", "not valid UTF-8"],
    );
}

#[test]
fn broken_internal_link_in_markdown() {
    assert_rejected(
        |s| {
            s.write(
                "content/notes.md",
                b"+++\ntitle = \"Notes\"\n+++\n\nSee [the model](@/model.md).\n",
            )
        },
        &["content/notes.md:5:", "content/model.md"],
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let err = assert_rejected(
        |s| {
            s.write("content/a.md", b"+++\ntitle = 1\n+++\n");
            s.write("content/b.md", b"+++\ntitle = \"B\"\ncolour = 1\n+++\n");
        },
        &["content/a.md:2:", "content/b.md:3:", "2 problems found"],
    );
    assert!(err.starts_with("error: "), "{err}");
}

#[test]
fn crlf_line_endings_work() {
    let site = Fixture::new().file(
        "content/notes.md",
        "+++\r\ntitle = \"Notes\"\r\n+++\r\n## Heading\r\nLine one\r\nline two\r\n",
    );
    site.build_ok();
    let html = site.out("notes/index.html");
    assert!(html.contains("<h1>Notes</h1>"), "{html}");
    assert!(html.contains("<h2 id=\"heading\">"), "{html}");
    assert!(!html.contains('\r'), "no carriage returns in the output");
}

#[test]
fn refuses_dangerous_output_directories() {
    let site = Fixture::new();
    for (dir, needle) in [
        (".", "its own root"),
        ("content", "content/"),
        ("static/out", "static/"),
        ("..", "contains the site root"),
    ] {
        let out = site.root().join(dir);
        let out = out.to_str().unwrap();
        let err = site.run(&["build", "--output-dir", out]).fails();
        assert!(err.contains(needle), "{dir}: {err}");
    }
    assert!(site.root().join("content/_index.md").is_file());
    let mine = site.root().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("precious.txt"), "keep").unwrap();
    let err = site
        .run(&["build", "--output-dir", mine.to_str().unwrap()])
        .fails();
    assert!(err.contains("not written by briefing"), "{err}");
    assert!(mine.join("precious.txt").is_file());
}

#[test]
fn missing_site_toml_is_explained() {
    let site = Fixture::empty();
    let err = site.build().fails();
    assert!(err.contains("site.toml"), "{err}");
}
