//! `briefing serve` end to end: the real binary on a free port against a temp copy of a small
//! site; pages, headers, live reload, build errors and path traversal, seen over HTTP.

mod common;

use common::Fixture;
use common::serve::Server;
use std::time::Duration;

/// A home page, one page, a 404 page and a stylesheet.
fn site() -> Fixture {
    Fixture::new()
        .file("content/a.md", "+++\ntitle = \"A\"\n+++\nFirst draft.\n")
        .file(
            "content/404.md",
            "+++\ntitle = \"Lost\"\n+++\nNothing here.\n",
        )
}

#[test]
fn serves_pages_with_types_no_store_and_the_reload_script() {
    let site = site();
    let server = Server::start(site.root());
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(home.body.contains("Welcome."), "{}", home.body);
    assert!(home.body.contains("\"__briefing/events\""), "{}", home.body);
    let page = server.get("/a/");
    assert!(page.body.contains("First draft.") && page.body.contains("\"../__briefing/events\""));
    let css = server.get("/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.header("cache-control"), Some("no-store"));
    assert_eq!(css.body, "body { margin: 0 }\n");
    let dir = server.get("/a");
    assert_eq!((dir.status, dir.header("location")), (308, Some("a/")));
    let missing = server.get("/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Nothing here."), "{}", missing.body);
    assert_eq!(missing.header("cache-control"), Some("no-store"));
    assert!(
        !site.public().exists(),
        "serve must not write the user's public/"
    );
    let written: Vec<_> = std::fs::read_dir(server.tmp.path()).unwrap().collect();
    assert!(written.is_empty(), "serve wrote {written:?} to disk");
    // The script belongs to serve alone, never to the built site.
    site.build_ok();
    assert!(!site.out("index.html").contains("__briefing"));
}

#[test]
fn an_edit_reloads_a_broken_edit_shows_the_error_and_keeps_the_old_page() {
    let site = site();
    let server = Server::start(site.root());
    let tab = server.events();
    let (_, first) = tab.wait_for("build-ok");
    site.write("content/a.md", b"+++\ntitle = \"A\"\n+++\nSecond draft.\n");
    let (_, reload) = tab.wait_for("build-ok");
    assert_ne!(reload, first, "a new generation");
    assert!(server.get("/a/").body.contains("Second draft."));

    site.write(
        "content/a.md",
        b"+++\ntitle = \"A\nbroken = \n+++\nThird draft.\n",
    );
    let (_, error) = tab.wait_for("build-error");
    assert!(error.contains("content/a.md:2:"), "{error}");
    let page = server.get("/a/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Second draft."),
        "the last good page stays served"
    );
    let late_tab = server.events();
    assert_eq!(
        late_tab.wait_for("build-error").1,
        error,
        "a new tab hears of the error at once"
    );
    assert!(
        server.output().contains("content/a.md:2:"),
        "{}",
        server.output()
    );

    site.write("content/a.md", b"+++\ntitle = \"A\"\n+++\nFixed draft.\n");
    let (_, fixed) = tab.wait_for("build-ok");
    assert!(fixed.contains("\"error\":null"), "{fixed}");
    assert!(server.get("/a/").body.contains("Fixed draft."));
}

#[test]
fn a_burst_of_saves_gives_one_rebuild_and_site_toml_counts() {
    let site = site();
    let server = Server::start(site.root());
    let tab = server.events();
    tab.wait_for("build-ok");
    for i in 0..5 {
        site.write(
            "content/a.md",
            format!("+++\ntitle = \"A\"\n+++\nSave {i}.\n").as_bytes(),
        );
    }
    tab.wait_for("build-ok");
    // The first save starts a build at once; the saves that arrive during it give exactly one
    // more build after it, never one per save.
    let mut builds = 1;
    while let Some(event) = tab.next(Duration::from_millis(500)) {
        if event.0 == "build-ok" {
            builds += 1;
        }
    }
    assert!(builds <= 2, "{builds} rebuilds for one burst of 5 saves");
    assert!(server.get("/a/").body.contains("Save 4."));
    site.write("site.toml", b"title = \"Renamed\"\n");
    tab.wait_for("build-ok");
    assert!(
        server.get("/").body.contains("<title>Home</title>")
            || server.get("/").body.contains("Renamed")
    );
}

#[test]
fn traversal_never_reaches_files_outside_the_site() {
    let site = site().file("secret.txt", "SECRET in the root");
    let server = Server::start(site.root());
    let tmp = server.tmp.path();
    std::fs::write(tmp.join("secret.txt"), "SECRET in the temp dir").unwrap();
    let mut paths = vec!["/secret.txt".to_string(), "/content/a.md".to_string()];
    let root = site.root().display().to_string();
    paths.push(format!("/{root}/secret.txt"));
    paths.push(format!("/%2f{}/secret.txt", root.trim_start_matches('/')));
    for up in 1..=6 {
        for step in [
            "../",
            "%2e%2e%2f",
            "%2e%2e/",
            "..%2f",
            "%2E%2E%2F",
            "..%5c",
            "%5c..%5c",
        ] {
            paths.push(format!("/{}secret.txt", step.repeat(up)));
            paths.push(format!("/a/{}secret.txt", step.repeat(up)));
        }
    }
    for path in &paths {
        let response = server.get(path);
        assert!(
            matches!(response.status, 400 | 404),
            "{path}: {}",
            response.status
        );
        assert!(!response.body.contains("SECRET"), "{path} leaked a file");
    }
}

#[test]
fn a_busy_port_is_reported_with_a_way_out() {
    let site = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = site.run(&["serve", "--port", &port]);
    let err = run.fails();
    assert!(
        err.contains("already in use") && err.contains("--port"),
        "{err}"
    );
}

#[test]
fn a_site_that_never_built_is_served_once_fixed() {
    let site = site().file("site.toml", "title = \n");
    let server = Server::start(site.root());
    let tab = server.events();
    let (_, error) = tab.wait_for("build-error");
    assert!(error.contains("site.toml:1:"), "{error}");
    let home = server.get("/");
    assert_eq!(home.status, 404);
    assert!(
        home.body.contains("__briefing/events"),
        "the error page reloads too"
    );
    site.write("site.toml", b"title = \"Fixed\"\n");
    tab.wait_for("build-ok");
    assert!(server.get("/").body.contains("Welcome."));
}
