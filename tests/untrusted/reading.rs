//! Issue 20, reading: nothing outside the site is read, printed or published. A repository's
//! `document = "..."`, its symbolic links, pipes and oversized files, and its `content/`,
//! `templates/`, `static/` and `site.toml` being links, all aimed at a secret outside the site;
//! the secret must appear nowhere (output, stdout, stderr). Also the file names that macOS or
//! Windows would take for one file, or that mislead (issue 20, item 8).

use crate::common::{Fixture, Run, snapshot};
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What every outside file holds; it must never come out of a build.
const SECRET: &str = "SECRET-4f1c-do-not-publish";

/// A page that presents `document`, with a template that prints the document's paragraphs.
fn presenting(document: &str) -> Fixture {
    Fixture::new()
        .file(
            "content/source.md",
            &format!("+++\ntitle = \"Source\"\ndocument = \"{document}\"\n+++\n"),
        )
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{% if page.document %}{% for p in page.document.paragraphs %}<p>{{ p.text }}</p>{% endfor %}{% endif %}{% endblock %}",
        )
}

/// A folder outside every site, holding `secret.txt` (and whatever a test adds).
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("secret.txt"),
        format!("Title {SECRET}\n\nA paragraph with {SECRET} in it.\n"),
    )
    .unwrap();
    dir
}

/// `briefing build` with `env` set, given two minutes at most: a build that waits on a pipe or
/// a device must fail the test, not hang the suite.
fn build_within(site: &Fixture, env: &[(&str, &str)]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("build")
        .arg("--root")
        .arg(site.root())
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run briefing");
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("the build hung (killed after two minutes)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Run(child.wait_with_output().expect("output"))
}

/// The build failed with exit 1, said `why`, and the secret is in none of its words or files.
fn refused(site: &Fixture, run: &Run, why: &str) -> String {
    let err = run.fails();
    assert!(err.contains(why), "expected `{why}` in:\n{err}");
    assert_secret_kept(site, run);
    err
}

fn assert_secret_kept(site: &Fixture, run: &Run) {
    assert!(!run.stdout().contains(SECRET), "{}", run.stdout());
    assert!(!run.stderr().contains(SECRET), "{}", run.stderr());
    for (name, bytes) in snapshot(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(SECRET), "{name} publishes the secret");
    }
}

#[test]
fn a_document_named_outside_the_site_is_refused() {
    let out = outside();
    // The site's parent folder is the temp folder: `../../` from content/ leaves the site.
    let site = Fixture::new();
    let parent = site.root().parent().unwrap();
    let beside = tempfile::Builder::new().tempfile_in(parent).unwrap();
    std::fs::write(beside.path(), SECRET).unwrap();
    let beside_name = beside.path().file_name().unwrap().to_str().unwrap();
    let secret = out.path().join("secret.txt");
    for document in [
        secret.to_str().unwrap().to_string(),
        "/etc/passwd".to_string(),
        format!("../../{beside_name}"),
        format!("sources/../../../{beside_name}"),
        "/proc/kmsg".to_string(),
    ] {
        let site = presenting(&document);
        let run = build_within(&site, &[]);
        let err = refused(&site, &run, "is not a path inside `content/`");
        assert!(err.contains("content/source.md:3"), "{err}");
        assert!(!err.contains("root:"), "{err}");
    }
}

#[test]
fn a_document_through_a_symbolic_link_is_refused() {
    let out = outside();
    let site = presenting("sources/doc.txt");
    std::fs::create_dir_all(site.root().join("content/sources")).unwrap();
    symlink(
        out.path().join("secret.txt"),
        site.root().join("content/sources/doc.txt"),
    )
    .unwrap();
    refused(&site, &build_within(&site, &[]), "symbolic link");

    // A link that stays inside the site, to where `actions/checkout` keeps its token.
    let site = presenting("sources/doc.txt");
    site.write(
        ".git/config",
        format!("[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n").as_bytes(),
    );
    std::fs::create_dir_all(site.root().join("content/sources")).unwrap();
    symlink(
        "../../.git/config",
        site.root().join("content/sources/doc.txt"),
    )
    .unwrap();
    refused(&site, &build_within(&site, &[]), "symbolic link");

    // A folder on the way that is a link.
    let site = presenting("sources/secret.txt");
    symlink(out.path(), site.root().join("content/sources")).unwrap();
    refused(&site, &build_within(&site, &[]), "symbolic link");
}

#[test]
fn the_environment_is_not_read_through_proc() {
    let site = presenting("/proc/self/environ");
    let env = [("BRIEFING_TEST_TOKEN", SECRET)];
    refused(&site, &build_within(&site, &env), "not a path inside");
    let site = presenting("env.txt");
    symlink("/proc/self/environ", site.root().join("content/env.txt")).unwrap();
    refused(&site, &build_within(&site, &env), "symbolic link");
}

#[test]
fn a_pipe_or_a_device_is_refused_without_waiting() {
    let site = presenting("sources/pipe.txt");
    std::fs::create_dir_all(site.root().join("content/sources")).unwrap();
    let fifo = site.root().join("content/sources/pipe.txt");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    refused(&site, &build_within(&site, &[]), "is not a regular file");

    let site = presenting("kmsg.txt");
    symlink("/proc/kmsg", site.root().join("content/kmsg.txt")).unwrap();
    refused(&site, &build_within(&site, &[]), "symbolic link");
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    // Sparse files: 64 MiB and a byte, without writing them.
    let big = |site: &Fixture, rel: &str| {
        let path = site.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let file = std::fs::File::create(path).unwrap();
        file.set_len((64 << 20) + 1).unwrap();
    };
    let site = presenting("sources/big.txt");
    big(&site, "content/sources/big.txt");
    let err = refused(&site, &build_within(&site, &[]), "over the limit of 64 MiB");
    assert!(err.contains("content/sources/big.txt"), "{err}");
    let site = Fixture::new();
    site.build_ok();
    big(&site, "content/huge.md");
    let err = site.fails_keeping_output();
    assert!(
        err.contains("content/huge.md") && err.contains("over the limit"),
        "{err}"
    );
    // Files copied verbatim have their own, larger limit (GitHub's 100 MB), checked with
    // every other problem: both oversized copies are named in one run.
    let site = Fixture::new();
    site.build_ok();
    let copied = |rel: &str, len: u64| {
        let path = site.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::File::create(path).unwrap().set_len(len).unwrap();
    };
    copied("static/clip.mp4", (64 << 20) + 1);
    site.build_ok();
    copied("static/video.bin", (100 << 20) + 1);
    copied("content/notes/scan.png", (100 << 20) + 1);
    let err = site.fails_keeping_output();
    for file in ["static/video.bin", "content/notes/scan.png"] {
        assert!(
            err.contains(file) && err.contains("limit of 100 MiB for a file briefing copies"),
            "{err}"
        );
    }
}

#[test]
fn site_folders_that_are_links_are_refused() {
    let out = outside();
    std::fs::write(
        out.path().join("_index.md"),
        format!("+++\ntitle = \"Home\"\n+++\n{SECRET}\n"),
    )
    .unwrap();
    std::fs::write(out.path().join("page.html"), SECRET).unwrap();
    std::fs::write(out.path().join("site.toml"), "title = \"Fixture\"\n").unwrap();
    for (name, link) in [
        ("static", "static"),
        ("content", "content"),
        ("templates", "templates"),
        ("site.toml", "site.toml"),
    ] {
        let site = Fixture::new();
        site.build_ok();
        let at = site.root().join(link);
        match at.is_dir() {
            true => std::fs::remove_dir_all(&at).unwrap(),
            false => std::fs::remove_file(&at).unwrap(),
        }
        let target = match name {
            "site.toml" => out.path().join("site.toml"),
            _ => out.path().to_path_buf(),
        };
        symlink(&target, &at).unwrap();
        let before = snapshot(&site.public());
        let run = build_within(&site, &[]);
        refused(&site, &run, "symbolic link");
        assert_eq!(
            snapshot(&site.public()),
            before,
            "{name}: the previous site must survive"
        );
    }
}

#[test]
fn did_you_mean_names_only_files_of_the_site() {
    let out = outside();
    std::fs::write(out.path().join("passwords-2026.txt"), SECRET).unwrap();
    // The folder the document names is a link to the outside folder.
    let site = presenting("sources/passwords-2025.txt");
    symlink(out.path(), site.root().join("content/sources")).unwrap();
    let err = site.build().fails();
    assert!(!err.contains("passwords-2026"), "{err}");
    assert!(!err.contains(out.path().to_str().unwrap()), "{err}");
    // Inside the site, the hint still helps.
    let site = presenting("sources/dco.txt").file("content/sources/doc.txt", "T\n\nP.\n");
    let err = site.build().fails();
    assert!(err.contains("sources/doc.txt"), "{err}");
}

#[test]
fn links_found_by_walks_are_skipped_with_a_warning() {
    let out = outside();
    let site = Fixture::new();
    symlink(
        out.path().join("secret.txt"),
        site.root().join("static/s.txt"),
    )
    .unwrap();
    symlink(
        out.path().join("secret.txt"),
        site.root().join("content/s.md"),
    )
    .unwrap();
    symlink(
        out.path().join("secret.txt"),
        site.root().join("templates/s.html"),
    )
    .unwrap();
    let run = site.build();
    run.ok();
    assert_secret_kept(&site, &run);
    for name in ["static/s.txt", "content/s.md", "templates/s.html"] {
        assert!(
            run.stderr().contains(&format!("warning: {name}: skipped")),
            "{name}: {}",
            run.stderr()
        );
    }
}

/// Add `names` (each with a short text) to a site that built, build again: exit 1, every name
/// in `expect` in the error, the previous output kept.
fn names_refused(names: &[&str], expect: &[&str]) -> String {
    let site = Fixture::new();
    site.build_ok();
    for name in names {
        let text = match name.ends_with(".md") {
            true => "+++\ntitle = \"T\"\n+++\n",
            false => "x",
        };
        site.write(name, text.as_bytes());
    }
    let err = site.fails_keeping_output();
    for e in expect {
        assert!(err.contains(e), "expected `{e}` in:\n{err}");
    }
    err
}

#[test]
fn names_that_differ_only_in_case_are_an_error_naming_both() {
    names_refused(
        &["content/model.md", "content/Model.md"],
        &[
            "content/Model.md and content/model.md",
            "differ only in case",
        ],
    );
    names_refused(
        &["static/img/Logo.png", "static/img/logo.png"],
        &["static/img/Logo.png and static/img/logo.png"],
    );
}

#[test]
fn names_in_two_unicode_forms_are_an_error_naming_both() {
    let (nfc, nfd) = ("caf\u{e9}", "cafe\u{301}");
    let err = names_refused(
        &[&format!("content/{nfc}.md"), &format!("content/{nfd}.md")],
        &["NFC and NFD"],
    );
    assert!(err.contains(&format!("content/{nfc}.md")), "{err}");
    assert!(err.contains(&format!("content/{nfd}.md")), "{err}");
    names_refused(
        &[&format!("static/{nfc}.css"), &format!("static/{nfd}.css")],
        &["NFC and NFD"],
    );
}

#[test]
fn reserved_and_invisible_names_are_errors_all_at_once() {
    let err = names_refused(
        &[
            "content/CON.md",
            "content/aux.md",
            "content/a\u{202e}dm.md",
            "content/zero\u{200b}width.md",
        ],
        &[
            "content/CON.md",
            "content/aux.md",
            "reserved on Windows",
            "content/a\\u{202e}dm.md",
            "content/zero\\u{200b}width.md",
            "invisible character U+202E",
        ],
    );
    assert!(
        !err.contains('\u{202e}') && !err.contains('\u{200b}'),
        "{err}"
    );
    assert!(err.contains("4 problems"), "{err}");
    // Static files are listed when the site is written, after its content passed.
    names_refused(
        &["static/nul.txt", "static/LPT1", "static/x\u{2066}.css"],
        &[
            "static/nul.txt",
            "static/LPT1",
            "static/x\\u{2066}.css",
            "3 problems",
        ],
    );
}

#[test]
fn plain_names_still_build() {
    let site = Fixture::new()
        .file("content/console.md", "+++\ntitle = \"C\"\n+++\n")
        .file("content/caf\u{e9}.md", "+++\ntitle = \"Caf\u{e9}\"\n+++\n")
        .file("static/com10.txt", "x");
    site.build_ok();
    assert!(Path::new(&site.public().join("console/index.html")).is_file());
}
