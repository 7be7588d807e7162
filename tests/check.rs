//! `briefing check`: one fixture per kind of problem; each is reported with file and line, and
//! the run exits 1. A clean site passes.

mod common;
use common::Fixture;
use std::sync::{Arc, Mutex};

const BASE: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ config.title }}</title><meta name="description" content="{{ config.description }}"><link rel="stylesheet" href="{{ root }}style.css"></head><body><nav>{% for n in nav %}<a href="{{ root }}{{ n.url }}">{{ n.title }}</a>{% endfor %}</nav><main>{% block main %}{% endblock %}</main></body></html>"#;
const PAGE: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>{% if page.document %}{% for p in page.document.paragraphs %}<p id="{{ p.id }}">{{ p.text }}</p>{% endfor %}{% endif %}{% for m in page.extra.metrics | default(value=[]) %}<p{% if m.cite %} data-cite="{{ root }}{{ m.cite.url }}"{% endif %}>{{ m.value }}{% if m.cite %} <a href="{{ root }}{{ m.cite.url }}">source</a>{% endif %}</p>{% endfor %}{{ page.content | safe }}{% endblock %}"#;
const METRICS: &str = "+++\ntitle = \"Metrics\"\n[[extra.metrics]]\nvalue = \"42\"\n[extra.metrics.cite]\nquote = \"reached 42 widgets\"\nsource = \"source.md\"\npara = 1\n+++\nSee [the source](@/source.md#p1).\n";

fn site() -> Fixture {
    Fixture::new()
        .file(
            "site.toml",
            "title = \"Check\"\ndescription = \"A fixture.\"\n",
        )
        .file("templates/base.html", BASE)
        .file("templates/page.html", PAGE)
        .file(
            "content/sources/doc.txt",
            "Title\nSales reached 42 widgets.\nThe “plan” works.",
        )
        .file(
            "content/source.md",
            "+++\ntitle = \"Source\"\ndocument = \"sources/doc.txt\"\n+++\n",
        )
        .file("content/metrics.md", METRICS)
}

fn check_fails(site: &Fixture, expected: &[&str]) -> String {
    let err = site.run(&["check"]).fails();
    for needle in expected {
        assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    }
    assert!(!site.public().exists(), "check never writes public/");
    err
}

#[test]
fn a_clean_site_passes() {
    let run = site().run(&["check"]);
    run.ok();
    assert!(
        run.stdout().contains("no problems found"),
        "{}",
        run.stdout()
    );
}

#[test]
fn broken_link() {
    let s = site().file(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nintro\n\n[gone](missing.html)\n",
    );
    check_fails(&s, &["content/notes.md:6:", "no file `notes/missing.html`"]);
}

#[test]
fn broken_anchor() {
    let s = site().file(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n[x](@/source.md#p9)\n",
    );
    check_fails(&s, &["content/notes.md:4:", "no element with id `p9`"]);
}

#[test]
fn missing_asset() {
    let s = site().file(
        "templates/base.html",
        &BASE.replace("style.css", "css/site.css"),
    );
    check_fails(&s, &["templates/base.html:1:", "css/site.css", "no file"]);
}

#[test]
fn misquoted_source() {
    let s = site().file(
        "content/metrics.md",
        &METRICS.replace("reached 42 widgets", "reached 42 gadgets"),
    );
    check_fails(&s, &["content/metrics.md:6:", "not in paragraph 1"]);
}

#[test]
fn uncited_metric() {
    let s = site().file(
        "content/m2.md",
        "+++\ntitle = \"M2\"\n[[extra.metrics]]\nvalue = \"7\"\nlabel = \"sevens\"\n+++\n",
    );
    check_fails(&s, &["content/m2.md:4:", "no `cite`"]);
}

#[test]
fn image_without_alt() {
    let s = site().file("static/chart.png", "png").file(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n\n<img src=\"../chart.png\">\n",
    );
    check_fails(&s, &["image `../chart.png` has no alt text"]);
}

#[test]
fn structure_rules_and_root_absolute_links() {
    let s = site().file(
        "templates/page.html",
        r#"{% extends "base.html" %}{% block main %}<h2>{{ page.title }}</h2><h4>x</h4><a href="/metrics/index.html">abs</a>{% endblock %}"#,
    );
    let err = check_fails(
        &s,
        &[
            "needs exactly one",
            "skips from the start to h2",
            "root-absolute",
        ],
    );
    assert!(err.contains("problems found"), "{err}");
}

#[test]
fn citation_without_anchor_on_the_source_page() {
    let s = site().file(
        "templates/page.html",
        &PAGE.replace("<p id=\"{{ p.id }}\">", "<p>"),
    );
    check_fails(&s, &["content/metrics.md:6:", "no element with id `p1`"]);
}

#[test]
fn all_problems_in_one_run() {
    let s = site()
        .file(
            "content/metrics.md",
            &METRICS.replace("reached 42 widgets", "reached 42 gadgets"),
        )
        .file(
            "content/notes.md",
            "+++\ntitle = \"Notes\"\n+++\n[gone](missing.html)\n",
        );
    let err = check_fails(&s, &["content/metrics.md:6:", "content/notes.md:4:"]);
    assert!(
        err.contains("3 problems found") || err.contains("2 problems found"),
        "{err}"
    );
}

/// Whether `curl` (which `check --external` runs) is on `PATH`; after saying loudly that `what`
/// is skipped when not. With `CI` set a missing curl is a failure.
fn curl_or_skip(what: &str) -> bool {
    if std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_ok()
    {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none_or(|v| v.is_empty()),
        "{what}: curl is needed and not on PATH"
    );
    eprintln!("\n*** SKIPPED: {what}: curl is not on PATH ***\n");
    false
}

/// A web server on loopback, standing in for the web: `answer(method, path)` gives the status
/// line and any headers of each response. Returns the port and the requests it saw.
fn web(answer: fn(&str, &str) -> String) -> (u16, Arc<Mutex<Vec<String>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).into_owned();
            let mut words = request.split(' ');
            let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            log.lock().unwrap().push(format!("{method} {path}"));
            let head = answer(method, path);
            let _ = write!(
                stream,
                "HTTP/1.1 {head}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    (port, seen)
}

fn notes(body: &str) -> Fixture {
    site().file(
        "content/notes.md",
        &format!("+++\ntitle = \"Notes\"\n+++\n{body}\n"),
    )
}

/// `--external` fetches outside links; a server on loopback stands in for the web.
#[test]
fn external_links_are_checked_only_when_asked() {
    if !curl_or_skip("external_links_are_checked_only_when_asked") {
        return;
    }
    let (port, _) = web(|_, path| match path {
        "/ok" => "200 OK".into(),
        _ => "404 Not Found".into(),
    });
    let s = notes(&format!(
        "[fine](http://127.0.0.1:{port}/ok) and [gone](http://127.0.0.1:{port}/gone)"
    ));
    s.run(&["check"]).ok();
    let err = s.run(&["check", "--external"]).fails();
    assert!(
        err.contains("content/notes.md:4:")
            && err.contains("/gone")
            && err.contains("external link failed: HTTP status 404"),
        "{err}"
    );
    assert!(!err.contains("/ok`"), "{err}");
}

/// A server that refuses HEAD (405) but answers GET is a working link: it is asked again.
#[test]
fn a_link_refusing_head_is_tried_with_get() {
    if !curl_or_skip("a_link_refusing_head_is_tried_with_get") {
        return;
    }
    let (port, seen) = web(|method, _| match method {
        "GET" => "200 OK".into(),
        _ => "405 Method Not Allowed".into(),
    });
    let s = notes(&format!(
        "[only get](http://127.0.0.1:{port}/page?a=[1]#frag)"
    ));
    s.run(&["check", "--external"]).ok();
    let seen = seen.lock().unwrap();
    assert_eq!(*seen, ["HEAD /page?a=%5B1%5D", "GET /page?a=%5B1%5D"]);
}

/// A link is untrusted: curl may follow it over http and https only, so a redirect to a local
/// file fails instead of being read.
#[test]
fn a_redirect_to_a_local_file_is_refused() {
    if !curl_or_skip("a_redirect_to_a_local_file_is_refused") {
        return;
    }
    let (port, _) = web(|_, _| "302 Found\r\nlocation: file:///etc/hostname".into());
    let s = notes(&format!("[away](http://127.0.0.1:{port}/away)"));
    let err = s.run(&["check", "--external"]).fails();
    assert!(
        err.contains("content/notes.md:4:")
            && err.contains("/away`: external link failed:")
            && err.contains("\"file\""),
        "{err}"
    );
}

/// Without curl, `--external` says so once, and fails. Unix only: Windows looks for a program
/// in its system folder, where Windows 10 and later keep a curl, whatever `PATH` says.
#[cfg(unix)]
#[test]
fn external_links_without_curl_say_so() {
    let s = notes("[web](https://example.com/) and [more](https://example.org/)");
    let empty = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["check", "--external", "--root"])
        .arg(s.root())
        .env("PATH", empty.path())
        .output()
        .unwrap();
    let err = common::Run(output).fails();
    let message =
        "`check --external` fetches links with curl, which was not found on PATH: install curl";
    assert_eq!(err.matches(message).count(), 1, "{err}");
    assert!(err.contains("1 problem found"), "{err}");
}

/// A Markdown link into a source paragraph vouches for the numbers and quotations in its text.
#[test]
fn prose_links_to_the_source_must_match_their_paragraph() {
    let ok = "+++\ntitle = \"Notes\"\n+++\nSales reached [42 widgets](@/source.md#p1); [the “plan” works](@/source.md#p2).\n";
    site().file("content/notes.md", ok).run(&["check"]).ok();
    let wrong = "+++\ntitle = \"Notes\"\n+++\nintro\n\nSales reached [43 widgets](@/source.md#p1); [“the scheme”](@/source.md#p2).\n";
    let s = site().file("content/notes.md", wrong);
    let err = check_fails(
        &s,
        &[
            "content/notes.md:6:",
            "figure 43 in “Sales reached 43 widgets; \"the scheme\".” is not in paragraph 1 of `sources/doc.txt`",
            "quotes “the scheme”, which is not verbatim in paragraph 2",
            "2 problems found",
        ],
    );
    assert!(!err.contains("42"), "{err}");
}
