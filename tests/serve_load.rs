//! `briefing serve` under load and under attack, on loopback only: a bounded number of requests
//! while the site rebuilds, with every error and every torn page (one that mixes two versions)
//! counted, and silent connections that try to use up the server's descriptors.

mod common;

use common::Fixture;
use common::serve::Server;
#[cfg(unix)]
use std::io::Write as _;
#[cfg(unix)]
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
#[cfg(unix)]
use std::time::Duration;
use std::time::Instant;

/// Version `v` of the page: the same number in its title and, twice, in its body, so a
/// response that mixes two versions shows two numbers.
fn version(v: usize) -> String {
    format!(
        "+++\ntitle = \"v{v}\"\n+++\nBody v{v}.\n\n{}\n\nEnd v{v}.\n",
        "filler ".repeat(2000)
    )
}

/// The version numbers a served page shows.
fn versions(body: &str) -> Vec<String> {
    let mut found: Vec<String> = body
        .match_indices(" v")
        .chain(body.match_indices(">v"))
        .filter_map(|(at, _)| {
            let digits: String = body[at + 2..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            (!digits.is_empty()).then_some(digits)
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn requests_during_rebuilds_never_fail_or_tear() {
    const CLIENTS: usize = 4;
    /// Requests per client at most: the run is bounded even if builds stall.
    const MAX_REQUESTS: usize = 5000;
    const SAVES: usize = 20;
    let site = Fixture::new().file("content/a.md", &version(0));
    let server = Server::start(site.root());
    let tab = server.events();
    tab.wait_for("build-ok");
    let (errors, torn, saved) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    let mut latencies = Vec::new();
    let started = Instant::now();
    std::thread::scope(|scope| {
        let clients: Vec<_> = (0..CLIENTS)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    while saved.load(Ordering::Relaxed) < SAVES && mine.len() < MAX_REQUESTS {
                        let sent = Instant::now();
                        match server.try_get("/a/") {
                            Ok(r) if r.status == 200 => {
                                if versions(&r.body).len() != 1
                                    && torn.fetch_add(1, Ordering::Relaxed) == 0
                                {
                                    let short = r.body.replace(&"filler ".repeat(2000), "[filler]");
                                    eprintln!("torn: {:?} in {short}", versions(&r.body));
                                }
                            }
                            Ok(_) | Err(_) => {
                                errors.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        mine.push(sent.elapsed());
                    }
                    mine
                })
            })
            .collect();
        // Rebuild all the while: each save is a new version of the page, built and served
        // before the next.
        for v in 1..=SAVES {
            site.write("content/a.md", version(v).as_bytes());
            // Each wait is bounded: `wait_for` fails the test after a while without events.
            while !server.get("/a/").body.contains(&format!("Body v{v}.")) {
                tab.wait_for("build-ok");
            }
            saved.fetch_add(1, Ordering::Relaxed);
        }
        for client in clients {
            latencies.extend(client.join().unwrap());
        }
    });
    let elapsed = started.elapsed();
    latencies.sort();
    let total = latencies.len();
    println!(
        "{total} requests during {SAVES} rebuilds in {:.2} s ({:.0}/s), p50 {:?}, p99 {:?}",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        latencies[total / 2],
        latencies[total * 99 / 100]
    );
    assert_eq!(errors.into_inner(), 0, "failed requests");
    assert_eq!(torn.into_inner(), 0, "pages that mix two versions");
    assert_eq!(saved.into_inner(), SAVES, "every save was built and served");
}

#[cfg(unix)]
#[test]
fn silent_connections_cannot_lock_the_server_out() {
    // 200 descriptors: the server takes at most 136 connections, and 300 silent ones are
    // opened against it. The quietest make room, so a real request still gets its page.
    let site = Fixture::new().file("content/a.md", &version(1));
    let server = Server::start_with(site.root(), Some(200));
    server.events().wait_for("build-ok");
    let mut silent = Vec::new();
    for _ in 0..300 {
        if let Ok(mut stream) = TcpStream::connect(&server.addr) {
            // Half a request, never finished.
            let _ = stream.write_all(b"GET / HTTP/1.1\r\n");
            silent.push(stream);
        }
    }
    std::thread::sleep(Duration::from_millis(200));
    // Served at all is the point: a server locked out would never answer (the read gives up
    // after `WAIT`). How fast it answers depends on the machine, so it is not asserted.
    let page = server.try_get("/a/");
    assert!(
        matches!(&page, Ok(r) if r.status == 200 && r.body.contains("Body v1.")),
        "{:?}",
        page.as_ref().map(|r| r.status)
    );
    // The server is still whole: a rebuild is served too.
    let tab = server.events();
    tab.wait_for("build-ok");
    site.write("content/a.md", version(2).as_bytes());
    tab.wait_for("build-ok");
    assert!(server.get("/a/").body.contains("Body v2."));
    drop(silent);
}
