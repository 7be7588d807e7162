//! Issue 20: see main.rs. Messages: what a stranger's text can make briefing print, and how
//! long it can make briefing look for the closest passage of a misquote.

use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::Fixture;

/// Run `briefing ARGS --root SITE`, killing it if it has not finished after a minute: a guard
/// against a hang, not a measure of speed.
fn run_guarded(site: &Fixture, args: &[&str]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run briefing");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => output.expect("wait for briefing"),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("briefing {args:?} was still running after 60 s");
        }
    }
}

/// `n` made-up words (letters only, so no figure rule applies), the same every run.
fn words(n: usize) -> Vec<String> {
    const SYLLABLES: [&str; 12] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "fe",
    ];
    let mut seed = 20u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    (0..n)
        .map(|_| {
            let parts = 2 + next() % 2;
            (0..parts).map(|_| SYLLABLES[next() % 12]).collect()
        })
        .collect()
}

/// A one-page briefing whose home page quotes `quote` from paragraph 1 of a source letter.
fn quoting(letter: &str, quote: &str) -> Fixture {
    let home = format!(
        "+++\ntitle = \"Home\"\ndescription = \"d\"\n[extra.headline]\nquote = \"{quote}\"\nsource = \"source.md\"\npara = 1\n+++\nWelcome.\n"
    );
    Fixture::empty()
        .file("site.toml", "title = \"Letters\"\ndescription = \"d\"\n")
        .file("content/_index.md", &home)
        .file(
            "content/source.md",
            "+++\ntitle = \"Source\"\ndescription = \"d\"\ndocument = \"sources/letter.txt\"\ntemplate = \"source.html\"\n+++\n",
        )
        .file("content/sources/letter.txt", letter)
}

#[test]
fn a_long_misquote_in_a_long_paragraph_finds_its_closest_passage() {
    // A title, then one paragraph of 50,000 words, twelve to a line, then a last one; the quote is 2,000 of them from the
    // middle with two words changed and one left out. Trying every window, as the search once
    // did, costs 50,000 × 5 × 2,000² word comparisons: hours.
    let paragraph = words(50_000);
    let lines: Vec<String> = paragraph.chunks(12).map(|line| line.join(" ")).collect();
    let letter = format!("A long letter\n\n{}\n\nThat is all.\n", lines.join("\n"));
    let mut quote: Vec<String> = paragraph[30_000..32_000].to_vec();
    let kept = [quote[500].clone(), quote[1500].clone()];
    quote[500] = "wrongword".into();
    quote[1500] = "otherword".into();
    let left_out = quote.remove(1000);
    let site = quoting(&letter, &quote.join(" "));
    let out = run_guarded(&site, &["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let start = format!("closest passage of paragraph 1: “{} ", paragraph[30_000]);
    assert!(err.contains(&start), "{}", &err[..err.len().min(3000)]);
    for marked in [
        format!("[-wrongword-]{{+{}+}}", kept[0]),
        format!("[-otherword-]{{+{}+}}", kept[1]),
        format!("{{+{left_out}+}}"),
    ] {
        assert!(err.contains(&marked), "{marked} not in the message");
    }
    assert!(
        err.contains(&format!("{}”", paragraph[31_999])),
        "the passage ends where the quote does"
    );
}
