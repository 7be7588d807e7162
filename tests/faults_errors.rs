//! Issue 12, defect 10: every error names a file and a line, including the template errors Tera
//! reports without one (a missing parent, circular includes, a component calling itself, checks
//! that come back as plain text), `site.toml` without a title, and `check`'s page findings.
//! Each case exits 1 and the previous site survives.

mod common;
use common::Fixture;

/// Build a good site, break it, and return the error, checking that it exits 1 and leaves the
/// previous output as it was.
fn rejected(breakage: &[(&str, &str)]) -> String {
    let mut site = Fixture::new();
    site.build_ok();
    for (rel, text) in breakage {
        site = site.file(rel, text);
    }
    site.fails_keeping_output()
}

/// The problem lines of an error: each must start with `file:line`.
fn assert_all_located(err: &str) {
    for line in err.lines().filter(|l| !l.starts_with(' ')) {
        if line.ends_with("found") {
            continue;
        }
        let line = line.strip_prefix("error: ").unwrap_or(line);
        let place = line.split(": ").next().unwrap();
        let mut parts = place.split(':');
        let file = parts.next().unwrap();
        let number = parts.next().unwrap_or("");
        assert!(
            !file.is_empty() && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()),
            "no file:line in `{line}`:\n{err}"
        );
    }
}

#[test]
fn a_missing_parent_template_is_located_at_its_extends() {
    let err = rejected(&[(
        "templates/page.html",
        "{# a page #}\n{% extends \"bsae.html\" %}\n",
    )]);
    assert!(
        err.contains("templates/page.html:2: extends `bsae.html`, which is not in templates/"),
        "{err}"
    );
    assert_all_located(&err);
}

#[test]
fn circular_includes_are_located() {
    let err = rejected(&[
        ("templates/index.html", "<main>\n{% include \"a.html\" %}\n"),
        ("templates/a.html", "<p>\n\n{% include \"index.html\" %}\n"),
    ]);
    assert!(
        err.contains("templates/a.html:3: templates include each other in a circle"),
        "{err}"
    );
    assert_all_located(&err);
}

#[test]
fn templates_extending_each_other_are_located() {
    let err = rejected(&[
        ("templates/a.html", "{# a #}\n{% extends \"b.html\" %}\n"),
        ("templates/b.html", "{% extends \"a.html\" %}\n"),
    ]);
    assert!(
        err.contains("templates extend each other in a circle:") && err.contains(" → "),
        "{err}"
    );
    assert!(
        err.contains("templates/a.html:2:") || err.contains("templates/b.html:1:"),
        "{err}"
    );
    assert_all_located(&err);
}

#[test]
fn a_component_calling_itself_is_located() {
    let err = rejected(&[(
        "templates/index.html",
        "<main>\n{% component loop(n: string) %}{{ <loop n={n} /> }}{% endcomponent loop %}\n{{ <loop n=\"a\" /> }}\n",
    )]);
    assert!(
        err.contains("templates/index.html:2: component `loop` calls itself"),
        "{err}"
    );
    assert!(err.contains("(while rendering content/_index.md)"), "{err}");
    assert_all_located(&err);
}

#[test]
fn unknown_includes_and_filters_get_a_file_and_line_not_a_folder() {
    let err = rejected(&[(
        "templates/index.html",
        "<main>\n{% include \"gone.html\" %}\n{{ section.title | shout }}\n",
    )]);
    assert!(!err.contains("templates/:"), "{err}");
    assert!(!err.contains("-->"), "{err}");
    assert!(err.contains("templates/index.html:2:"), "{err}");
    assert!(err.contains("Unknown template `gone.html`"), "{err}");
    assert_all_located(&err);
}

#[test]
fn site_toml_without_a_title_names_a_line() {
    let err = rejected(&[("site.toml", "description = \"No title\"\n")]);
    assert!(err.contains("site.toml:1: missing `title`"), "{err}");
    let err = rejected(&[("site.toml", "description = \"x\"\ntitle = \"  \"\n")]);
    assert!(err.contains("site.toml:2: missing `title`"), "{err}");
}

#[test]
fn check_findings_name_the_template_or_markdown_line() {
    let base = "<!doctype html>\n<html>\n<head><meta charset=\"utf-8\"><title>T</title><meta name=\"description\" content=\"d\"></head>\n<body>{% block main %}{% endblock %}</body></html>\n";
    let site = Fixture::new().file("templates/base.html", base).file(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nIntro.\n\n# A second title\n",
    );
    let err = site.run(&["check"]).fails();
    assert!(
        err.contains("content/notes.md:6: page has 2 <h1> elements"),
        "{err}"
    );
    assert!(
        err.contains("templates/base.html:2: <html> has no lang attribute"),
        "{err}"
    );
    assert_all_located(&err);
}
