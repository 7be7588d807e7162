//! `briefing pdf` and `briefing build --pdf`: the board pack of the real briefing judged with
//! poppler-utils (pdfinfo, pdftotext, pdftoppm), the failures (no browser, one that hangs, one
//! that crashes), and the social card. The print tests need Chromium and poppler-utils: without
//! them they fail when `CI` is set and otherwise say loudly that they skipped.

mod common;
use common::Fixture;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn briefing(args: &[&str], env: &[(&str, &str)]) -> common::Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_briefing"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    common::Run(cmd.output().expect("run briefing"))
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().expect(name);
    assert!(out.status.success(), "{name} {args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every metric value and label, and every quote the site cites, from the content files.
fn figures_and_quotes() -> Vec<String> {
    let mut found = Vec::new();
    for file in ["_index.md", "model.md", "metrics.md", "principles.md"] {
        let text = fs::read_to_string(repo().join("content").join(file)).unwrap();
        let front = text.split("+++").nth(1).unwrap();
        let table: toml::Table = toml::from_str(front).unwrap();
        collect(&toml::Value::Table(table), &mut found);
    }
    assert!(found.len() > 20, "{found:?}");
    found
}

fn collect(value: &toml::Value, found: &mut Vec<String>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                match (k.as_str(), v.as_str()) {
                    ("quote" | "value" | "label", Some(s)) if !s.is_empty() => {
                        found.push(s.to_string())
                    }
                    _ => collect(v, found),
                }
            }
        }
        toml::Value::Array(a) => a.iter().for_each(|v| collect(v, found)),
        _ => {}
    }
}

/// Text with typographic quotes made straight and white space collapsed, as quotes are checked.
fn flat(s: &str) -> String {
    s.replace(['’', '‘'], "'")
        .replace(['“', '”'], "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[test]
fn the_briefing_prints_as_one_tagged_board_pack() {
    let Some(chromium) = common::print_tools("the PDF tests") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.pdf"), tmp.path().join("b.pdf"));
    let root = repo();
    let root = root.to_str().unwrap();
    let env = [("BRIEFING_CHROMIUM", chromium.as_str())];
    let run = briefing(
        &["pdf", "--root", root, "--output", a.to_str().unwrap()],
        &env,
    );
    run.ok();
    assert!(run.stdout().contains("pages"), "{}", run.stdout());
    briefing(
        &["pdf", "--root", root, "--output", b.to_str().unwrap()],
        &env,
    )
    .ok();
    assert!(
        fs::read(&a).unwrap() == fs::read(&b).unwrap(),
        "two runs must give the same bytes"
    );
    let pdf = a.to_str().unwrap();
    let info = tool("pdfinfo", &[pdf]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        !info.contains("CreationDate"),
        "no date without SOURCE_DATE_EPOCH: {info}"
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!((8..=20).contains(&pages), "{pages} pages");
    let raw = fs::read(&a).unwrap();
    let has = |s: &[u8]| raw.windows(s.len()).any(|w| w == s);
    assert!(
        has(b"/Type /Outlines") && has(b"/Title (Key metrics)"),
        "outline from headings"
    );

    let text = tool("pdftotext", &["-layout", pdf, "-"]);
    let sheets: Vec<&str> = text
        .split('\x0c')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(sheets.len(), pages);
    assert!(!sheets[0].contains("Page 1 of"), "no number on the cover");
    for (i, sheet) in sheets.iter().enumerate().skip(1) {
        let number = format!("Page {} of {pages}", i + 1);
        assert!(
            sheet.contains(&number),
            "page {} lacks `{number}`:\n{sheet}",
            i + 1
        );
        assert!(
            sheet.contains("Alibaba’s innovation strategy: a briefing"),
            "running title"
        );
    }
    let contents = sheets[1];
    let appendix: usize = contents
        .lines()
        .find(|l| l.contains("Appendix: Source"))
        .and_then(|l| l.split_whitespace().last()?.parse().ok())
        .unwrap_or_else(|| panic!("no appendix with a page number in\n{contents}"));
    assert!(
        sheets[appendix - 1].contains("¶2"),
        "the appendix has the paragraphs"
    );
    for web in ["index.html", ".html", "sources/", "<source", "../"] {
        assert!(!text.contains(web), "a web path `{web}` is printed");
    }

    let plain = flat(&tool("pdftotext", &[pdf, "-"]));
    for needle in figures_and_quotes() {
        assert!(
            plain.contains(&flat(&needle)),
            "`{needle}` is not in the PDF"
        );
    }
    // Citations are links to named destinations in the appendix.
    let dests = tool("pdfinfo", &["-dests", pdf]);
    let p2 = dests
        .lines()
        .find(|l| l.ends_with("\"p2\""))
        .and_then(|l| l.split_whitespace().next()?.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("no destination p2 in\n{dests}"));
    assert!(
        p2 >= appendix,
        "¶2 lands on page {p2}, before the appendix ({appendix})"
    );
    assert!(has(b"/Dest /p2"), "a citation links to ¶2");

    let artifacts = repo().join("tests/browser/artifacts/pdf");
    fs::create_dir_all(&artifacts).unwrap();
    tool(
        "pdftoppm",
        &[
            "-r",
            "60",
            "-png",
            pdf,
            artifacts.join("page").to_str().unwrap(),
        ],
    );
}

#[test]
fn build_with_pdf_publishes_the_board_pack_and_links_it_from_the_home_page() {
    let Some(chromium) = common::print_tools("the PDF tests") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let root = repo();
    let args = ["build", "--pdf", "--root", root.to_str().unwrap()];
    let env = [("BRIEFING_CHROMIUM", chromium.as_str())];
    briefing(
        &[&args[..], &["--output-dir", out.to_str().unwrap()]].concat(),
        &env,
    )
    .ok();
    let pdf = out.join("briefing.pdf");
    let pages = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages = pages
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim();
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains(&format!(
            "<a href=\"briefing.pdf\" type=\"application/pdf\">Board pack, PDF, <span data-ordinal>{pages}</span> pages</a>"
        )),
        "{home}"
    );
    let plain = fs::read_to_string(out.join("metrics/index.html")).unwrap();
    assert!(
        !plain.contains("briefing.pdf"),
        "only the home page links it"
    );
}

/// A site whose `pdf` run must fail, with a previous board pack that must survive.
fn failing_site(tmp: &Path) -> Fixture {
    let site = Fixture::new().file("briefing.pdf", "previous");
    fs::create_dir_all(tmp).unwrap();
    site
}

/// Windows cannot hand Chromium its DevTools pipe (see src/pdf/pipes.rs): `pdf` and
/// `build --pdf` say where the board pack is printed, before any work, and leave no trace.
#[cfg(not(unix))]
#[test]
fn the_board_pack_is_refused_off_unix_saying_where_it_is_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let scratch = tmp.path().join("tmp");
    let site = failing_site(&scratch);
    let root = site.root().to_str().unwrap();
    let env = [
        ("TMP", scratch.to_str().unwrap()),
        ("TEMP", scratch.to_str().unwrap()),
    ];
    for args in [
        &["pdf", "--root", root][..],
        &["build", "--pdf", "--root", root],
    ] {
        let err = briefing(args, &env).fails();
        assert!(
            err.contains("printed on Linux and macOS"),
            "{args:?}: {err}"
        );
        assert!(err.contains("WSL"), "{err}");
    }
    let previous = fs::read_to_string(site.root().join("briefing.pdf")).unwrap();
    assert_eq!(previous, "previous");
    assert!(!site.root().join("public").exists(), "nothing was built");
    assert_eq!(leftovers(&scratch), Vec::<String>::new());
}

fn leftovers(tmp: &Path) -> Vec<String> {
    fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[cfg(unix)]
#[test]
fn without_chromium_pdf_says_what_to_install() {
    let empty = tempfile::tempdir().unwrap();
    let site = failing_site(empty.path());
    let root = site.root().to_str().unwrap();
    let path = empty.path().to_str().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_briefing"));
    cmd.args(["pdf", "--root", root])
        .env("PATH", path)
        .env_remove("BRIEFING_CHROMIUM");
    let run = common::Run(cmd.output().unwrap());
    let err = run.fails();
    assert!(err.contains("`briefing pdf` needs Chromium"), "{err}");
    assert!(
        err.contains("apt-get install chromium") && err.contains("--chromium"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let previous = || fs::read_to_string(site.root().join("briefing.pdf")).unwrap();
    assert_eq!(previous(), "previous");

    let err = briefing(
        &["pdf", "--root", root, "--chromium", "/nonexistent/chrome"],
        &[],
    )
    .fails();
    assert!(
        err.contains("--chromium /nonexistent/chrome: no such executable"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_browser_that_hangs_or_crashes_is_stopped_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let scratch = tmp.path().join("tmp");
    let site = failing_site(&scratch);
    let script = |name: &str, body: &str| {
        let path = tmp.path().join(name);
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path.to_str().unwrap().to_string()
    };
    let hang = script("hang", "exec sleep 30");
    let crash = script("crash", "echo 'fatal: no display' >&2; exit 3");
    let root = site.root().to_str().unwrap();
    let env = [
        ("TMPDIR", scratch.to_str().unwrap()),
        ("BRIEFING_CHROMIUM_TIMEOUT", "1"),
    ];
    let started = std::time::Instant::now();
    let err = briefing(&["pdf", "--root", root, "--chromium", &hang], &env).fails();
    assert!(err.contains("Chromium did not answer within 1 s"), "{err}");
    assert!(started.elapsed().as_secs() < 10, "the timeout held");
    let err = briefing(&["pdf", "--root", root, "--chromium", &crash], &env).fails();
    assert!(
        err.contains("Chromium stopped unexpectedly (exit status: 3)"),
        "{err}"
    );
    assert!(err.contains("fatal: no display"), "{err}");
    assert_eq!(
        fs::read_to_string(site.root().join("briefing.pdf")).unwrap(),
        "previous",
        "the previous PDF survives"
    );
    assert_eq!(
        leftovers(&scratch),
        Vec::<String>::new(),
        "temporary files removed"
    );
}

#[test]
fn the_social_card_is_a_png_drawn_from_the_metrics_and_the_same_every_build() {
    let metric = |value: &str| {
        format!(
            "+++\ntitle = \"M\"\n[[extra.metrics]]\nvalue = \"{value}\"\nlabel = \"users\"\n[extra.metrics.cite]\nquote = \"{value} users\"\nsource = \"s.md\"\npara = 1\n+++\n"
        )
    };
    let site = Fixture::new()
        .file(
            "site.toml",
            "title = \"Card\"\nbase_url = \"https://x.org/\"\n",
        )
        .file("content/sources/s.txt", "Title\n7 users and 9 users.\n")
        .file(
            "content/s.md",
            "+++\ntitle = \"S\"\ndocument = \"sources/s.txt\"\n+++\n",
        )
        .file("content/m.md", &metric("7"));
    site.build_ok();
    let card = || fs::read(site.public().join("og-card.png")).unwrap();
    let first = card();
    assert_eq!(common::png_size(&first), (1200, 630));
    let home = site.out("index.html");
    assert!(
        home.contains("og-card.png") || !home.contains("og:image"),
        "{home}"
    );
    site.build_ok();
    assert!(card() == first, "the same input draws the same bytes");
    site.write("content/m.md", metric("9").as_bytes());
    site.build_ok();
    assert!(card() != first, "a changed metric redraws the card");
}

#[cfg(unix)]
#[test]
fn a_figure_the_print_document_adds_without_a_source_stops_the_pdf() {
    // Verification runs before Chromium starts: any executable passes the browser search.
    let site = Fixture::empty();
    for dir in ["content", "content/sources"] {
        for entry in fs::read_dir(repo().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let rel = path
                    .strip_prefix(repo())
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string();
                site.write(&rel, &fs::read(&path).unwrap());
            }
        }
    }
    site.write("site.toml", &fs::read(repo().join("site.toml")).unwrap());
    let print = fs::read_to_string(repo().join("templates/print.html")).unwrap();
    let print = print.replacen(
        "<p class=\"print-lede\">",
        "<p>Revenue grew 42% last year.</p><p class=\"print-lede\">",
        1,
    );
    let site = site
        .file("templates/print.html", &print)
        .file("briefing.pdf", "previous");
    let root = site.root().to_str().unwrap();
    let err = briefing(&["pdf", "--root", root, "--chromium", "/bin/sh"], &[]).fails();
    assert!(
        err.contains("figure 42") && err.contains("print.html"),
        "{err}"
    );
    let previous = fs::read_to_string(site.root().join("briefing.pdf")).unwrap();
    assert_eq!(previous, "previous");
}

#[test]
fn a_new_briefing_prints_too_dated_by_source_date_epoch() {
    let Some(chromium) = common::print_tools("the PDF tests") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let dir = dir.to_str().unwrap();
    briefing(&["init", dir], &[]).ok();
    let env = [
        ("BRIEFING_CHROMIUM", chromium.as_str()),
        ("SOURCE_DATE_EPOCH", "1601510400"),
    ];
    briefing(&["pdf", "--root", dir], &env).ok();
    let info = tool("pdfinfo", &[&format!("{dir}/briefing.pdf")]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("CreationDate:    Thu Oct  1 00:00:00 2020"),
        "{info}"
    );
    assert!(
        info.contains("ModDate:         Thu Oct  1 00:00:00 2020"),
        "{info}"
    );
}
