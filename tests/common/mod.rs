//! Test harness: a small site written into a temp dir, built with the real `briefing` binary.
#![allow(dead_code)]

pub mod pdf;
pub mod serve;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Minimal templates every fixture starts with; a test overrides what it is about.
pub const BASE: &str = r#"<!doctype html><html lang="{{ config.language }}"><head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock %}</title><link rel="stylesheet" href="{{ root }}style.css"></head><body><nav>{% for n in nav %}<a href="{{ root }}{{ n.url }}">{{ n.title }}</a>{% endfor %}</nav><main>{% block main %}{% endblock %}</main></body></html>"#;
pub const SECTION: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ section.title }}</h1>{{ section.content | safe }}<ul>{% for p in section.pages %}<li><a href="{{ root }}{{ p.url }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}"#;
pub const PAGE: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% endblock %}"#;

/// Width and height of a PNG file; panics unless `bytes` are one.
pub fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.get(12..16) == Some(b"IHDR"),
        "not a PNG file"
    );
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// An empty folder.
    pub fn empty() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A site with `site.toml`, the minimal templates, a stylesheet and a home page.
    pub fn new() -> Fixture {
        Fixture::empty()
            .file("site.toml", "title = \"Fixture\"\n")
            .file("templates/base.html", BASE)
            .file("templates/index.html", SECTION)
            .file("templates/section.html", SECTION)
            .file("templates/page.html", PAGE)
            .file("static/style.css", "body { margin: 0 }\n")
            .file(
                "content/_index.md",
                "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
            )
    }

    /// The site `briefing init` writes, in the fixture's folder.
    pub fn starter() -> Fixture {
        let site = Fixture::empty();
        let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .arg("init")
            .arg(site.root())
            .output()
            .expect("run briefing init");
        Run(out).ok();
        site
    }

    /// Add or replace a file.
    pub fn file(self, rel: &str, text: &str) -> Fixture {
        self.write(rel, text.as_bytes());
        self
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.dir.path().join(rel)).unwrap();
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Run `briefing ARGS... --root <fixture>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_briefing"));
        cmd.args(args).arg("--root").arg(self.root());
        Run(cmd.output().expect("run briefing"))
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Build, insist it failed with exit 1, and that the output left by the last good build is
    /// byte for byte as it was; returns the error.
    pub fn fails_keeping_output(&self) -> String {
        let before = snapshot(&self.public());
        let err = self.build().fails();
        assert_eq!(
            snapshot(&self.public()),
            before,
            "the previous site must survive"
        );
        err
    }

    /// Build and insist it worked.
    pub fn build_ok(&self) -> &Fixture {
        self.build().ok();
        self
    }

    /// Read an output file.
    pub fn out(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }
}

pub struct Run(pub Output);

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    pub fn ok(&self) -> &Run {
        assert!(
            self.0.status.success(),
            "expected success, got {:?}\nstdout: {}\nstderr: {}",
            self.0.status,
            self.stdout(),
            self.stderr()
        );
        self
    }
    /// Expect failure with exit code 1 and no panic; returns stderr.
    pub fn fails(&self) -> String {
        let err = self.stderr();
        assert_eq!(
            self.0.status.code(),
            Some(1),
            "expected exit 1\nstderr: {err}"
        );
        assert!(!err.contains("panicked"), "panic: {err}");
        err
    }
}

/// All files under `dir` with their bytes, sorted, for comparing whole builds.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The Chromium the print tests use, with poppler-utils (`pdfinfo`, `pdftotext`) beside it, or
/// `None` after saying loudly that `what` is skipped. With `CI` set a missing tool is a failure.
pub fn print_tools(what: &str) -> Option<String> {
    if !cfg!(unix) {
        eprintln!("\n*** SKIPPED: {what}: the board pack is printed on Linux and macOS only ***\n");
        return None;
    }
    let chromium = std::env::var("BRIEFING_CHROMIUM")
        .ok()
        .filter(|p| Path::new(p).is_file())
        .or_else(|| {
            ["/usr/bin/chromium", "/usr/bin/google-chrome"]
                .into_iter()
                .find(|p| Path::new(p).is_file())
                .map(String::from)
        });
    let poppler = ["pdfinfo", "pdftotext"]
        .iter()
        .all(|tool| Command::new(tool).arg("-v").output().is_ok());
    match chromium {
        Some(c) if poppler => Some(c),
        _ if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => {
            panic!("CI is set but Chromium or poppler-utils is missing ({what})")
        }
        _ => {
            eprintln!(
                "\n*** SKIPPED: {what} needs Chromium and poppler-utils (apt-get install chromium poppler-utils) ***\n"
            );
            None
        }
    }
}
