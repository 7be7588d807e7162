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

/// What a stranger's text tries to do to the terminal that shows briefing's messages: clear
/// the screen, return to the start of the line and print a success of its own, flip the text.
const HOSTILE: &str = "\u{1b}[2J\r\nBuilt 6 pages (6 files) into public in 1.0 ms\u{202e}";

/// `stderr` reaches a terminal harmlessly: no control byte but the line break, no DEL, no C1
/// control, no bidirectional control; the escape character shown as `\x1b`; and no line,
/// indented or not, that starts with the forged `Built ...` (its line break is shown as `\n`).
fn assert_terminal_safe(stderr: &[u8]) {
    let text = String::from_utf8_lossy(stderr);
    for (at, &b) in stderr.iter().enumerate() {
        assert!(
            (b >= 0x20 || b == b'\n') && b != 0x7f,
            "byte {b:#04x} at {at} reaches the terminal:\n{text}"
        );
    }
    for c in text.chars() {
        assert!(
            !matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'),
            "{c:?} reaches the terminal:\n{text}"
        );
    }
    assert!(text.contains("\\x1b[2J"), "the escape is shown: {text}");
    assert!(
        !text.lines().any(|l| l.trim_start().starts_with("Built")),
        "the stranger's line break reaches the terminal:\n{text}"
    );
}

#[test]
fn control_characters_in_content_are_shown_escaped() {
    // In a quote (a TOML string's escapes), and raw on a Markdown line with a broken link.
    let quote = "the \\u001b[2J\\r\\nBuilt 6 pages (6 files) into public in 1.0 ms\\u202e";
    let site = quoting("A letter\n\nThe first paragraph.\n\nThat is all.\n", quote);
    let out = run_guarded(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_terminal_safe(&out.stderr);
    let site = site.file(
        "content/notes.md",
        &format!("+++\ntitle = \"Notes\"\ndescription = \"d\"\n+++\nSee [this]({HOSTILE}.md).\n"),
    );
    let out = run_guarded(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("content/notes.md:5:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_terminal_safe(&out.stderr);
}

#[cfg(unix)]
#[test]
fn control_characters_in_file_names_are_shown_escaped() {
    let site = quoting(
        "A letter\n\nThe first paragraph.\n\nThat is all.\n",
        "The first paragraph.",
    );
    site.write(&format!("content/{HOSTILE}.md"), b"+++\ntitle = 1\n+++\n");
    std::os::unix::fs::symlink("_index.md", site.root().join("content/link\u{202e}lmth.md"))
        .unwrap();
    let out = run_guarded(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content/\\x1b[2J\\x0d\\nBuilt 6 pages"),
        "{err}"
    );
    // A name with only a right-to-left override passes the name rule, and is warned about.
    assert!(err.contains("content/link\\u{202e}lmth.md"), "{err}");
    assert_terminal_safe(&out.stderr);
}

/// A page with a script in every place content can hold one, and what each is called.
const SCRIPTED: &str = "+++\ntitle = \"P\"\ndescription = \"d\"\n[extra]\nmore = \"javascript:alert(0)\"\n+++\nText <img alt=\"\" onerror=\"alert(1)\"> here.\n\n<script>alert(2)</script>\n\nSee [this](javascript:alert(3)).\n\n<div><a href=\"&#106;avascript:alert(4)\">x</a></div>\n";

/// Each script of [`SCRIPTED`] as `content/page.md:LINE:COL` (or `:LINE` for front matter).
fn scripted_at() -> Vec<String> {
    let lines: Vec<&str> = SCRIPTED.lines().collect();
    let at = |needle: &str| {
        let (n, line) = lines
            .iter()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap();
        let col = line[..line.find(needle).unwrap()].chars().count() + 1;
        format!("content/page.md:{}:{col}: ", n + 1)
    };
    vec![
        "content/page.md:5: a `javascript:` URL in `[extra]`".to_string(),
        at("onerror") + "the event-handler attribute `onerror`",
        at("<script>") + "a `<script>` element",
        at("[this]") + "a `javascript:` URL in a link",
        at("href=") + "a `javascript:` URL in `href`",
    ]
}

#[test]
fn content_may_not_run_scripts_unless_the_site_says_so() {
    let site = Fixture::new()
        .file("content/page.md", SCRIPTED)
        .file(
            "content/plain.md",
            "+++\ntitle = \"Q\"\ndescription = \"d\"\n+++\nRaw HTML that runs nothing: <span lang=\"zh-Hans\">菜鸟</span>.\n\n<div class=\"note\"><a href=\"https://example.com/\">x</a></div>\n",
        );
    let build = |site: &Fixture| run_guarded(site, &["build"]);
    let out = build(&site);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for expected in scripted_at() {
        assert!(err.contains(&expected), "{expected}\nnot in:\n{err}");
    }
    assert!(!err.contains("plain.md"), "{err}");
    // Allowed: the build publishes them; `check` still reports every one.
    let site = site.file(
        "site.toml",
        "title = \"Fixture\"\n[markdown]\nunsafe_html = true\n",
    );
    let out = build(&site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        site.out("page/index.html")
            .contains("<script>alert(2)</script>")
    );
    let out = run_guarded(&site, &["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for expected in scripted_at() {
        assert!(err.contains(&expected), "{expected}\nnot in:\n{err}");
    }
}

#[test]
fn serve_refuses_a_script_url_added_to_front_matter_as_a_build_does() {
    // serve patches some edits into the site it holds without preparing the whole site again;
    // a script URL in an edit must still stop it, as it stops `build`.
    let page = "+++\ntitle = \"P\"\ndescription = \"d\"\n[extra]\nmore = \"https://example.com/\"\n+++\nText.\n";
    let site = Fixture::new().file("content/page.md", page);
    let root = briefing::output::absolute(site.root()).unwrap();
    let mut serve = briefing::serve::Incremental::new(&root, false);
    let first = serve.build(&None, None).expect("the first build");
    let edited = page.replace("https://example.com/", "javascript:alert(1)");
    site.write("content/page.md", edited.as_bytes());
    let changed = Some(vec![root.join("content/page.md")].into_iter().collect());
    let err = serve
        .build(&changed, Some(&first.site))
        .map(|_| ())
        .expect_err("serve refuses the script URL");
    let err = briefing::diag::format_error(&err);
    assert!(
        err.contains("content/page.md:5: a `javascript:` URL in `[extra]`"),
        "{err}"
    );
}
