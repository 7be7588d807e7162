//! Issue 12, defects 7 and 8: file names links cannot carry, and a user's files colliding with
//! each other or with generated ones. Each is an error naming the file(s) and what to do, exit
//! 1, and the previous site survives; a skipped symbolic link is said on stderr.

mod common;
use common::Fixture;

/// Build a good site, add `rel` with `text`, and return the error of the next build, checking
/// that the previous output survived.
fn rejected(site: Fixture, added: &[(&str, &str)]) -> String {
    site.build_ok();
    for (rel, text) in added {
        site.write(rel, text.as_bytes());
    }
    site.fails_keeping_output()
}

#[test]
fn names_links_cannot_carry_are_refused_with_what_to_rename() {
    for (rel, shown, what, suggested) in [
        (
            "content/my notes.md",
            "content/my notes.md",
            "a space",
            "my-notes.md",
        ),
        ("content/q?.md", "content/q?.md", "`?`", "q-.md"),
        ("content/a/50%.png", "content/a/50%.png", "`%`", "50-.png"),
        ("static/img/x#1.svg", "static/img/x#1.svg", "`#`", "x-1.svg"),
        ("static/my dir/a.css", "static/my dir", "a space", "my-dir"),
    ] {
        let err = rejected(Fixture::new(), &[(rel, "+++\ntitle = \"T\"\n+++\n")]);
        assert!(
            err.contains(&format!("{shown}: the name `")),
            "{rel}: {err}"
        );
        assert!(err.contains(what), "{rel}: {err}");
        assert!(
            err.contains(&format!("e.g. to `{suggested}`")),
            "{rel}: {err}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_name_that_is_not_utf8_is_an_error_naming_it_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let site = Fixture::new();
    site.build_ok();
    let before = common::snapshot(&site.public());
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(
        site.root().join("content").join(name),
        "+++\ntitle = \"C\"\n+++\n",
    )
    .unwrap();
    let err = site.build().fails();
    assert!(
        err.contains("content/caf\\xe9.md: the name `caf\\xe9.md` is not valid UTF-8"),
        "{err}"
    );
    assert!(!err.contains('\u{fffd}'), "{err}");
    assert_eq!(common::snapshot(&site.public()), before);
}

#[test]
fn a_users_file_never_silently_replaces_a_generated_one() {
    let hosted = || {
        Fixture::new().file(
            "site.toml",
            "title = \"F\"\nbase_url = \"https://f.example/\"\ncname = \"f.example\"\n",
        )
    };
    for name in [
        "robots.txt",
        "sitemap.xml",
        "og-card.png",
        "CNAME",
        ".nojekyll",
    ] {
        let err = rejected(hosted(), &[(&format!("static/{name}"), "mine\n")]);
        assert!(
            err.contains(&format!("static/{name}: briefing writes `{name}` itself")),
            "{name}: {err}"
        );
    }
    let err = rejected(hosted(), &[("content/robots.txt", "mine\n")]);
    assert!(err.contains("content/robots.txt: briefing writes `robots.txt` itself because the site has a base URL"), "{err}");
    // Without a base URL nothing generates robots.txt: the user's file is simply copied.
    let site = Fixture::new().file("static/robots.txt", "User-agent: *\n");
    site.build_ok();
    assert_eq!(site.out("robots.txt"), "User-agent: *\n");
}

#[test]
fn two_user_files_for_one_output_path_are_an_error_naming_both() {
    let err = rejected(
        Fixture::new(),
        &[
            ("static/notes/a.txt", "static\n"),
            ("content/notes/a.txt", "content\n"),
        ],
    );
    assert!(
        err.contains(
            "static/notes/a.txt and content/notes/a.txt would both be written to `notes/a.txt`"
        ),
        "{err}"
    );
    let err = rejected(Fixture::new(), &[("static/index.html", "<p>mine</p>\n")]);
    assert!(
        err.contains("content/_index.md:1: this page and static/index.html would both be written to `index.html`"),
        "{err}"
    );
    // A site's own file replacing a built-in default is the documented rule, not a clash.
    let site = Fixture::new().file("static/favicon.svg", "<svg/>");
    site.build_ok();
    assert_eq!(site.out("favicon.svg"), "<svg/>");
}

#[cfg(unix)]
#[test]
fn a_skipped_symbolic_link_is_said_on_stderr() {
    let site = Fixture::new().file("elsewhere/shared.md", "+++\ntitle = \"S\"\n+++\n");
    std::os::unix::fs::symlink(
        site.root().join("elsewhere/shared.md"),
        site.root().join("content/shared.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        site.root().join("elsewhere"),
        site.root().join("static/linked"),
    )
    .unwrap();
    let run = site.build();
    run.ok();
    let err = run.stderr();
    assert!(
        err.contains("warning: content/shared.md: skipped: it is a symbolic link"),
        "{err}"
    );
    assert!(
        err.contains("warning: static/linked: skipped: it is a symbolic link"),
        "{err}"
    );
    assert!(!site.public().join("shared/index.html").exists());
}
