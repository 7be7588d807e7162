//! Compile the project's own `templates/`, `static/` and `starter/` folders into the binary, so
//! a site may leave out any default template or file, and `briefing init` can write a new site;
//! and name the commit the binary is built from, for `briefing --version`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

fn files(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            files(&path, base, out);
        } else {
            let rel = path.strip_prefix(base).unwrap().components();
            let rel: Vec<String> = rel
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push((rel.join("/"), path.canonicalize().unwrap()));
        }
    }
}

/// `git` run in `root`, its trimmed output if it succeeded.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

/// "abc1234 2026-12-04" (short hash, commit date) when `root` is the top of a git work tree; a
/// tarball unpacked inside some other repository must not take that repository's commit.
fn git_commit(root: &Path) -> Option<String> {
    let top = PathBuf::from(git(root, &["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != root.canonicalize().ok()? {
        return None;
    }
    // Rebuild when HEAD moves: the worktree's HEAD, the branch it names, and packed refs.
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watched.extend(git(root, &["symbolic-ref", "-q", "HEAD"]));
    for name in watched {
        // A path that does not exist would make cargo rerun this script on every build.
        let path = git(root, &["rev-parse", "--git-path", &name]).map(|p| root.join(p));
        if let Some(path) = path.filter(|p| p.exists()) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    let hash = git(root, &["rev-parse", "--short=7", "HEAD"])?;
    let date = git(root, &["log", "-1", "--date=short", "--format=%cd", "HEAD"])?;
    Some(format!("{hash} {date}"))
}

/// The version `briefing --version` prints: "0.1.0 (abc1234 2026-12-04)". The commit comes from
/// git when the source is a git work tree, else from `BRIEFING_COMMIT` (the release workflow
/// sets it), else it is "unknown commit": a build from a tarball never fails for want of git.
fn version(root: &Path) {
    println!("cargo:rerun-if-env-changed=BRIEFING_COMMIT");
    let commit = git_commit(root)
        .or_else(|| {
            env::var("BRIEFING_COMMIT")
                .ok()
                .filter(|c| !c.trim().is_empty())
        })
        .unwrap_or_else(|| "unknown commit".to_owned());
    let version = env::var("CARGO_PKG_VERSION").unwrap();
    println!(
        "cargo:rustc-env=BRIEFING_VERSION={version} ({})",
        commit.trim()
    );
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    version(&root);
    let mut code = String::new();
    for (name, dir) in [
        ("TEMPLATES", "templates"),
        ("STATIC", "static"),
        ("STARTER", "starter"),
    ] {
        println!("cargo:rerun-if-changed={dir}");
        let mut list = Vec::new();
        files(&root.join(dir), &root.join(dir), &mut list);
        writeln!(
            code,
            "/// Files of the project's `{dir}/` folder: (relative path, bytes)."
        )
        .unwrap();
        writeln!(code, "pub static {name}: &[(&str, &[u8])] = &[").unwrap();
        for (rel, path) in list {
            writeln!(
                code,
                "    ({rel:?}, include_bytes!({:?})),",
                path.display().to_string()
            )
            .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    fs::write(
        PathBuf::from(env::var("OUT_DIR").unwrap()).join("defaults.rs"),
        code,
    )
    .unwrap();
}
