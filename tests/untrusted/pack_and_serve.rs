//! Issue 20, items 4 and 5: the board pack prints only the briefing (raw HTML in a page cannot
//! make Chromium print a file outside the site, reach a server, or run a script), and `serve`
//! answers only requests addressed to it by its own names.

use crate::common::Fixture;
use std::fs;
use std::io::Read as _;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

/// The Chromium the print test uses, or `None` (after saying so) when it or pdftotext is
/// missing; with `CI` set a missing tool is a failure.
fn chromium() -> Option<String> {
    let chromium = std::env::var("BRIEFING_CHROMIUM")
        .ok()
        .filter(|p| Path::new(p).is_file())
        .or_else(|| {
            ["/usr/bin/chromium", "/usr/bin/google-chrome"]
                .into_iter()
                .find(|p| Path::new(p).is_file())
                .map(String::from)
        });
    let poppler = Command::new("pdftotext").arg("-v").output().is_ok();
    match chromium {
        Some(c) if poppler => Some(c),
        _ if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => {
            panic!("CI is set but Chromium or poppler-utils (pdftotext) is missing")
        }
        _ => {
            eprintln!(
                "\n*** SKIPPED: the board-pack probes need Chromium and poppler-utils (apt-get install chromium poppler-utils) ***\n"
            );
            None
        }
    }
}

/// Every way raw HTML in a page could fetch something: files outside the site by `file://`
/// (object, embed, a frame inside a `srcdoc` frame, CSS `@import` and `url()`), the local
/// `server` (preconnect, image, frame), and a script that writes a marker and calls the
/// server. The build itself refuses `file://` in the `src` and `href` it checks (`<img>`,
/// `<iframe>`, `<link>`), so these are the ones that reach the printer. Words only, no digits:
/// the build checks figures.
fn probes(outside: &Path, server: &str) -> String {
    let secret = format!("file://{}", outside.join("secret.html").display());
    let css = format!("file://{}", outside.join("leak.css").display());
    format!(
        r#"+++
title = "Probe"
+++
Plain words.

<div class="probe">
<p class="shown">Visible paragraph.</p>
<object data="file:///etc/passwd"></object>
<object data="{secret}"></object>
<embed src="{secret}">
<iframe srcdoc="<iframe src=&quot;{secret}&quot;></iframe>"></iframe>
<style>@import url("{css}"); .shown {{ background: url("{secret}"); }}</style>
<link rel="preconnect" href="{server}/">
<img src="{server}/image" alt="">
<iframe src="{server}/frame"></iframe>
<script>document.write("SCRIPTMARKER"); fetch("{server}/fetch");</script>
</div>
"#
    )
}

#[test]
fn the_board_pack_loads_nothing_outside_its_folder_and_runs_no_script() {
    let Some(chromium) = chromium() else { return };
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.html"), "<p>OUTSIDESECRET</p>\n").unwrap();
    fs::write(
        outside.path().join("leak.css"),
        ".probe::before { content: \"STYLESECRET\"; }\n",
    )
    .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = format!("http://{}", listener.local_addr().unwrap());
    let site = Fixture::new().file("content/probe.md", &probes(outside.path(), &server));
    let pdf = site.root().join("briefing.pdf");
    let run = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["pdf", "--root"])
        .arg(site.root())
        .env("BRIEFING_CHROMIUM", &chromium)
        .output()
        .unwrap();
    let run = crate::common::Run(run);
    run.ok();
    assert!(
        run.stderr().contains("not loaded: ") && run.stderr().contains("secret.html"),
        "the refusals are reported: {}",
        run.stderr()
    );
    let out = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Visible paragraph"),
        "the page printed: {text}"
    );
    for leaked in ["OUTSIDESECRET", "STYLESECRET", "SCRIPTMARKER", "root:"] {
        assert!(!text.contains(leaked), "{leaked} printed: {text}");
    }
    // Whatever Chromium tried is queued on the listener, accepted or not: nothing may be.
    listener.set_nonblocking(true).unwrap();
    if let Ok((mut conn, _)) = listener.accept() {
        conn.set_nonblocking(false).unwrap();
        conn.set_read_timeout(Some(std::time::Duration::from_secs(1)))
            .unwrap();
        let mut asked = [0u8; 200];
        let n = conn.read(&mut asked).unwrap_or(0);
        panic!(
            "the local server was reached: {:?}",
            String::from_utf8_lossy(&asked[..n])
        );
    }
}
