//! Issue 20, items 4 and 5: the board pack prints only the briefing (raw HTML in a page cannot
//! make Chromium print a file outside the site, reach a server, or run a script), and `serve`
//! answers only requests addressed to it by its own names.

use crate::common::Fixture;
use crate::common::serve::Server;
use std::fs;
use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

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

/// A server on 127.0.0.1 holding a secret, as a developer's machine or a CI runner might: it
/// answers every request with `SERVERSECRET` and keeps the first line of each. Its URL, and
/// a call that stops it and returns what it was asked, in order.
fn local_server() -> (String, impl FnOnce() -> Vec<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let worker = std::thread::spawn(move || {
        let mut asked = Vec::new();
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 1024];
            let n = conn.read(&mut buf).unwrap_or(0);
            let line = String::from_utf8_lossy(&buf[..n]);
            let line = line.lines().next().unwrap_or("(a connection, no request)");
            if line == "STOP" {
                return asked;
            }
            asked.push(line.to_string());
            let body = "<p>SERVERSECRET</p>";
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
        asked
    });
    let stop = move || {
        // Connections are accepted in the order they came: Chromium has exited, so whatever
        // it opened is ahead of this one.
        let mut conn = TcpStream::connect(addr).unwrap();
        conn.write_all(b"STOP\r\n").unwrap();
        worker.join().unwrap()
    };
    (format!("http://{addr}"), stop)
}

#[test]
fn the_board_pack_loads_nothing_outside_its_folder_and_runs_no_script() {
    let Some(chromium) = crate::common::print_tools("the board-pack probes") else {
        return;
    };
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.html"), "<p>OUTSIDESECRET</p>\n").unwrap();
    fs::write(
        outside.path().join("leak.css"),
        ".probe::before { content: \"STYLESECRET\"; }\n",
    )
    .unwrap();
    let (server, stop) = local_server();
    // The probe's scripts are content's own: a site must allow them before `build` accepts
    // them (docs/GUIDE.md, "Raw HTML in content"), and the pack must still run none.
    let site = Fixture::new()
        .file(
            "site.toml",
            "title = \"Fixture\"\n[markdown]\nunsafe_html = true\n",
        )
        .file("content/probe.md", &probes(outside.path(), &server));
    let run = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["pdf", "--root"])
        .arg(site.root())
        .env("BRIEFING_CHROMIUM", &chromium)
        .output()
        .unwrap();
    let run = crate::common::Run(run);
    run.ok();
    let asked = stop();
    let pdf = site.root().join("briefing.pdf");
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
    for leaked in [
        "OUTSIDESECRET",
        "STYLESECRET",
        "SERVERSECRET",
        "SCRIPTMARKER",
        "root:",
    ] {
        assert!(!text.contains(leaked), "{leaked} printed: {text}");
    }
    assert_eq!(asked, Vec::<String>::new(), "the local server was reached");
    let err = run.stderr();
    assert!(
        err.contains("not loaded: ") && err.contains("leak.css"),
        "the refusals are reported: {err}"
    );
}

/// A site whose home page says a word no refusal contains.
fn served() -> (Fixture, Server) {
    let site = Fixture::new().file(
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nPRIVATEWORDS here.\n",
    );
    let server = Server::start(site.root());
    (site, server)
}

#[test]
fn serve_answers_only_requests_addressed_to_it() {
    let (_site, server) = served();
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    for host in [
        server.addr.clone(),
        format!("localhost:{port}"),
        "localhost".into(),
        format!("[::1]:{port}"),
    ] {
        let page = server.get_with("/", &[&format!("Host: {host}")]);
        assert_eq!(page.status, 200, "Host: {host}");
        assert!(page.body.contains("PRIVATEWORDS"), "Host: {host}");
    }
    // A page elsewhere whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own name.
    for host in [
        format!("rebind.example:{port}"),
        "rebind.example".into(),
        format!("localhost.rebind.example:{port}"),
    ] {
        for path in ["/", "/style.css", "/__briefing/events"] {
            let refused = server.get_with(path, &[&format!("Host: {host}")]);
            assert_eq!(refused.status, 421, "Host: {host} {path}");
            assert!(!refused.body.contains("PRIVATEWORDS"), "{}", refused.body);
            assert!(!refused.body.contains("margin"), "{}", refused.body);
            assert!(refused.body.len() < 200, "a short text: {}", refused.body);
        }
    }
    let absolute = server.get_with(
        "http://rebind.example/",
        &[&format!("Host: {}", server.addr)],
    );
    assert_eq!(absolute.status, 421, "a URI naming another host");
    let no_host = server.get_with("/", &[]);
    assert_ne!(no_host.status, 200, "a request naming no host");
}

#[test]
fn serve_sends_no_cors_headers_and_its_reload_stream_is_same_origin() {
    let (_site, server) = served();
    let host = format!("Host: {}", server.addr);
    let foreign = "Origin: https://attacker.example";
    let own = format!("Origin: http://{}", server.addr);
    let stream = "/__briefing/events";
    let refused = server.head_with(stream, &[&host, foreign]);
    assert_eq!(
        refused.status, 403,
        "a page elsewhere subscribes to the stream"
    );
    assert_eq!(
        server.get_with(stream, &[&host, "Origin: null"]).status,
        403
    );
    assert_eq!(server.head_with(stream, &[&host, &own]).status, 200);
    assert_eq!(server.head_with(stream, &[&host]).status, 200);
    for path in ["/", "/style.css", "/missing", stream] {
        for origin in [foreign, own.as_str()] {
            let answer = server.head_with(path, &[&host, origin]);
            let cors: Vec<_> = answer
                .headers
                .iter()
                .filter(|(name, _)| name.starts_with("access-control-"))
                .collect();
            assert!(cors.is_empty(), "{path} {origin}: {cors:?}");
        }
    }
}

/// The status line of GET / sent to `addr` with `Host: host`.
fn status_at(addr: &str, host: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.lines().next().unwrap_or_default().to_string()
}

#[test]
fn on_every_interface_serve_answers_to_the_address_it_was_reached_at() {
    // The address this machine would send from: no packet is sent by a UDP connect.
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    let own = socket
        .connect("192.0.2.1:9")
        .and_then(|()| socket.local_addr())
        .map(|a| a.ip())
        .ok()
        .filter(|ip| !ip.is_loopback());
    let Some(own @ std::net::IpAddr::V4(_)) = own else {
        eprintln!("\n*** SKIPPED: this machine has no IPv4 address besides loopback ***\n");
        return;
    };
    let site = Fixture::new();
    let server = Server::start_args(site.root(), &["--interface", "0.0.0.0"]);
    let port = server.addr.rsplit(':').next().unwrap();
    let at = format!("{own}:{port}");
    assert!(status_at(&at, &at).starts_with("HTTP/1.1 200"), "{at}");
    let printed = format!("0.0.0.0:{port}");
    assert!(status_at(&at, &printed).starts_with("HTTP/1.1 200"));
    assert!(status_at(&at, &format!("localhost:{port}")).starts_with("HTTP/1.1 200"));
    let other = match own {
        std::net::IpAddr::V4(v4) => std::net::Ipv4Addr::from(u32::from(v4) ^ 1),
        std::net::IpAddr::V6(_) => unreachable!(),
    };
    let foreign = status_at(&at, &format!("{other}:{port}"));
    assert!(foreign.starts_with("HTTP/1.1 421"), "{foreign}");
    let rebound = status_at(&at, &format!("rebind.example:{port}"));
    assert!(rebound.starts_with("HTTP/1.1 421"), "{rebound}");
}
