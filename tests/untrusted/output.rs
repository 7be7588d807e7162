//! Issue 20: see main.rs. The output folder and temporary folders: symbolic links committed
//! where briefing keeps its own folders (the spare, staging and old folders, locks) are removed
//! as links and never followed; a killed build's staging folder is recognised; builds of one
//! output take turns; `check` and `pdf` leave no temporary folder, whatever signal ends them.

use crate::common::{Fixture, snapshot};
use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A folder outside the site with files a hostile link must not reach. It holds the output
/// marker, so that a build following a link would take it for its own.
fn precious() -> (tempfile::TempDir, Vec<(String, Vec<u8>)>) {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("deep/er")).unwrap();
    fs::write(dir.path().join("thesis.txt"), "years of work").unwrap();
    fs::write(dir.path().join("deep/er/notes.md"), "more work").unwrap();
    fs::write(dir.path().join("index.html"), "someone's page").unwrap();
    fs::write(dir.path().join(".briefing-output"), "").unwrap();
    let before = snapshot(dir.path());
    (dir, before)
}

/// Names in `dir` that look like briefing's own working files.
fn working_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    names.sort();
    names
}

fn briefing() -> Command {
    Command::new(env!("CARGO_BIN_EXE_briefing"))
}

#[test]
fn a_linked_spare_is_removed_as_a_link_and_its_target_survives() {
    let (target, before) = precious();
    let site = Fixture::new();
    let spare = site.root().join(".public.briefing-spare");
    for args in [&["build"][..], &["build", "--clean"], &["build"]] {
        symlink(target.path(), &spare).unwrap();
        let run = site.run(args);
        assert_eq!(
            snapshot(target.path()),
            before,
            "{args:?}: the link's target changed"
        );
        run.ok();
        assert!(
            run.stderr().contains("was a symbolic link")
                && run.stderr().contains("removed the link"),
            "{args:?} says so: {}",
            run.stderr()
        );
        assert!(site.public().join("index.html").is_file());
        let left = fs::symlink_metadata(&spare);
        assert!(
            left.is_err() || !left.unwrap().file_type().is_symlink(),
            "{args:?}: the link is gone"
        );
        // The second round starts with a real spare beside the output, and no link.
        let _ = fs::remove_dir_all(&spare);
    }
}

/// Send `signal` to the process `pid` (libc's kill: the same call on Linux and macOS).
fn signal(pid: u32, signal: libc::c_int) {
    // SAFETY: kill touches no memory of ours.
    let sent = unsafe { libc::kill(pid as libc::pid_t, signal) };
    assert_eq!(sent, 0, "kill {pid}: {}", std::io::Error::last_os_error());
}

/// Whether a process `pid` exists (signal 0 asks without sending anything).
fn exists(pid: u32) -> bool {
    // SAFETY: as above.
    unsafe { libc::kill(pid as libc::pid_t, 0) == 0 }
}

/// The last process id the kernel handed out.
#[cfg(target_os = "linux")]
fn last_pid() -> u32 {
    fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn links_named_like_staging_folders_and_locks_are_never_followed() {
    let (target, before) = precious();
    let victim = tempfile::tempdir().unwrap();
    fs::write(victim.path().join("lock-me.txt"), "do not truncate").unwrap();
    let site = Fixture::new();
    site.build_ok();
    for args in [&["build"][..], &["build", "--clean"]] {
        // Links for the process ids the next builds are likely to get, and for the test's own
        // children: a helper started now, whose id is what the build's neighbours get.
        let mut helper = Command::new("sleep").arg("30").spawn().unwrap();
        let from = last_pid().saturating_sub(50);
        let mut pids: Vec<u32> = (from..from + 600).chain([helper.id()]).collect();
        pids.sort_unstable();
        pids.dedup();
        for pid in &pids {
            for kind in ["tmp", "old"] {
                let link = site.root().join(format!(".public.{kind}-{pid}"));
                symlink(target.path(), link).unwrap();
            }
            let lock = site.root().join(format!(".public.build-{pid}.lock"));
            symlink(victim.path().join("lock-me.txt"), lock).unwrap();
        }
        symlink(
            victim.path().join("lock-me.txt"),
            site.root().join(".public.briefing-lock"),
        )
        .unwrap();
        let child = briefing()
            .args(["build", "--root"])
            .arg(site.root())
            .args(&args[1..])
            .output()
            .unwrap();
        let _ = helper.kill();
        let _ = helper.wait();
        let stderr = String::from_utf8_lossy(&child.stderr);
        assert_eq!(
            snapshot(target.path()),
            before,
            "{args:?}: a link was followed"
        );
        assert_eq!(
            fs::read_to_string(victim.path().join("lock-me.txt")).unwrap(),
            "do not truncate",
            "{args:?}: a lock was opened through a link"
        );
        assert!(child.status.success(), "{args:?}: {stderr}");
        assert!(stderr.contains("was a symbolic link"), "{stderr}");
        assert_eq!(
            working_names(site.root())
                .iter()
                .filter(|n| *n != ".public.briefing-spare")
                .count(),
            0,
            "{args:?}: the staging-folder links are gone"
        );
        for name in working_names(site.root()) {
            let _ = fs::remove_file(site.root().join(name));
        }
    }
}

#[test]
fn a_linked_output_folder_is_refused_and_its_target_kept() {
    let (target, before) = precious();
    let site = Fixture::new();
    symlink(target.path(), site.public()).unwrap();
    for args in [&["build"][..], &["build", "--clean"]] {
        let err = site.run(args).fails();
        assert!(err.contains("is a symbolic link"), "{err}");
        assert_eq!(snapshot(target.path()), before);
    }
    let out = site.root().join("out/");
    symlink(target.path(), site.root().join("out")).unwrap();
    let err = site
        .run(&["build", "--output-dir", out.to_str().unwrap()])
        .fails();
    assert!(err.contains("is a symbolic link"), "{err}");
    assert_eq!(snapshot(target.path()), before);
}

#[test]
fn a_committed_output_folder_with_links_inside_is_replaced_without_following_them() {
    let (target, before) = precious();
    let victim = tempfile::tempdir().unwrap();
    let file = victim.path().join("bashrc");
    for args in [&["build"][..], &["build", "--clean"]] {
        fs::write(&file, "export PATH=safe").unwrap();
        // `public/` as a pull request can commit it: briefing's marker, and links where the
        // build writes the spare's `.gitignore` and `CACHEDIR.TAG` and where it removes folders.
        let site = Fixture::new()
            .file("public/.briefing-output", "")
            .file("public/page.html", "stale");
        for (name, to) in [
            (".gitignore", file.as_path()),
            ("CACHEDIR.TAG", file.as_path()),
            ("deep", target.path()),
        ] {
            symlink(to, site.public().join(name)).unwrap();
        }
        site.run(args).ok();
        assert_eq!(snapshot(target.path()), before, "{args:?}");
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            "export PATH=safe",
            "{args:?}"
        );
        assert!(!site.public().join("page.html").exists(), "{args:?}");
        // And once more, with that output now the spare.
        site.run(args).ok();
        assert_eq!(snapshot(target.path()), before, "{args:?}");
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            "export PATH=safe",
            "{args:?}"
        );
    }
}

/// Start `briefing ARGS --root SITE` with `BRIEFING_PAUSE_STAGED`, and wait until it says its
/// staging folder is made; returns the child and that folder.
fn paused(site: &Fixture, args: &[&str], env: &[(&str, &Path)]) -> (Child, PathBuf) {
    let mut cmd = briefing();
    cmd.args(args)
        .arg("--root")
        .arg(site.root())
        .env("BRIEFING_PAUSE_STAGED", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let dir = loop {
        let line = lines
            .next()
            .expect("the run ended before its staging folder was made")
            .unwrap();
        if let Some(dir) = line.strip_prefix("paused: staged in ") {
            break PathBuf::from(dir);
        }
    };
    // Keep reading, so that the child never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, dir)
}

#[test]
fn a_build_killed_right_after_its_staging_folder_appears_is_cleaned_up_next_time() {
    let site = Fixture::new();
    site.build_ok();
    let clean = snapshot(&site.public());
    for args in [&["build"][..], &["build", "--clean"]] {
        let (mut child, dir) = paused(&site, args, &[]);
        // The pages it wrote before the kill.
        fs::create_dir_all(dir.join("written")).unwrap();
        fs::write(dir.join("written/index.html"), "half a site").unwrap();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert!(dir.join("written/index.html").is_file(), "{args:?}");
        assert!(
            dir.join(".briefing-output").is_file(),
            "{args:?}: marked from the start"
        );
        site.build_ok();
        assert!(
            !dir.exists(),
            "{args:?}: the next build removed {}",
            dir.display()
        );
        assert_eq!(snapshot(&site.public()), clean);
    }
}

#[test]
fn a_second_build_of_the_same_output_waits_and_says_for_whom() {
    let site = Fixture::new();
    site.build_ok();
    let (mut first, _) = paused(&site, &["build"], &[]);
    let mut second = briefing()
        .args(["build", "--clean", "--root"])
        .arg(site.root())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(second.stderr.take().unwrap()).lines();
    let line = lines
        .next()
        .expect("the second build said nothing")
        .unwrap();
    assert!(
        line.contains("Waiting for another build of")
            && line.contains(&format!("process {}", first.id())),
        "{line}"
    );
    first.kill().unwrap();
    first.wait().unwrap();
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(second.wait().unwrap().success(), "{rest:?}");
    assert!(site.public().join("index.html").is_file());
}

#[test]
fn builds_and_clean_builds_of_one_output_at_once_all_succeed() {
    let site = Fixture::new();
    for i in 0..10 {
        site.write(
            &format!("content/s{}/p{i}.md", i % 3),
            format!("+++\ntitle = \"P{i}\"\n+++\nText {i}.\n").as_bytes(),
        );
    }
    site.build_ok();
    let clean = snapshot(&site.public());
    for round in 0..8 {
        let second = if round % 2 == 0 {
            "--clean"
        } else {
            "--drafts"
        };
        let start = |extra: &str| {
            briefing()
                .args(["build", "--root"])
                .arg(site.root())
                .arg(extra)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let runs = [start("--clean"), start(second)];
        for run in runs {
            let out = run.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(snapshot(&site.public()), clean, "round {round}");
        let left: Vec<String> = working_names(site.root())
            .into_iter()
            .filter(|n| n != ".public.briefing-spare")
            .collect();
        assert_eq!(left, Vec::<String>::new(), "round {round}");
    }
}

/// A site `check` passes: the one `briefing init` writes.
fn checked_site() -> Fixture {
    Fixture::starter()
}

fn entries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn check_leaves_no_temporary_folder_however_it_ends() {
    let site = checked_site();
    let tmp = tempfile::tempdir().unwrap();
    let check = |site: &Fixture| {
        briefing()
            .args(["check", "--root"])
            .arg(site.root())
            .env("TMPDIR", tmp.path())
            .output()
            .unwrap()
    };
    assert!(check(&site).status.success());
    assert_eq!(entries(tmp.path()), Vec::<String>::new(), "after success");
    // A problem found in the built output, after the temporary folder was made.
    let broken = checked_site().file("content/b.md", "+++\ntitle = \"B\"\n+++\n[x](/abs/)\n");
    assert_eq!(check(&broken).status.code(), Some(1));
    assert_eq!(entries(tmp.path()), Vec::<String>::new(), "after failure");
    for (name, number) in [
        ("INT", libc::SIGINT),
        ("TERM", libc::SIGTERM),
        ("HUP", libc::SIGHUP),
    ] {
        let (mut child, staged) = paused(&site, &["check"], &[("TMPDIR", tmp.path())]);
        assert!(staged.starts_with(tmp.path()), "{}", staged.display());
        signal(child.id(), number);
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(128 + number), "SIG{name}");
        assert_eq!(entries(tmp.path()), Vec::<String>::new(), "after SIG{name}");
    }
    // Killed with -9, it leaves its folder; the next run removes it.
    let (mut child, staged) = paused(&site, &["check"], &[("TMPDIR", tmp.path())]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(staged.is_dir());
    assert!(check(&site).status.success());
    assert_eq!(
        entries(tmp.path()),
        Vec::<String>::new(),
        "after a SIGKILL and a new run"
    );
}

/// A fake browser that says it started (its process id, in `started`) and then hangs.
fn hanging_browser(dir: &Path) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let started = dir.join("started");
    let script = dir.join("hang");
    let body = format!(
        "#!/bin/sh\necho $$ > {}.new\nmv {0}.new {0}\nexec sleep 60\n",
        started.display()
    );
    fs::write(&script, body).unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    (script, started)
}

fn wait_for(path: &Path) {
    for _ in 0..3000 {
        if path.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("{} never appeared", path.display());
}

#[test]
fn pdf_interrupted_while_printing_leaves_no_temporary_folder_nor_browser() {
    let site = Fixture::new();
    let scratch = tempfile::tempdir().unwrap();
    let tmp = scratch.path().join("tmp");
    fs::create_dir(&tmp).unwrap();
    let (browser, started) = hanging_browser(scratch.path());
    for (name, number) in [
        ("INT", libc::SIGINT),
        ("TERM", libc::SIGTERM),
        ("HUP", libc::SIGHUP),
    ] {
        let _ = fs::remove_file(&started);
        let mut child = briefing()
            .args(["pdf", "--root"])
            .arg(site.root())
            .arg("--chromium")
            .arg(&browser)
            .env("TMPDIR", &tmp)
            .env("BRIEFING_CHROMIUM_TIMEOUT", "120")
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for(&started);
        let browser_pid: u32 = fs::read_to_string(&started)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        signal(child.id(), number);
        assert_eq!(
            child.wait().unwrap().code(),
            Some(128 + number),
            "SIG{name}"
        );
        assert_eq!(entries(&tmp), Vec::<String>::new(), "after SIG{name}");
        let gone = (0..500).any(|_| {
            let alive = exists(browser_pid)
                && !fs::read_to_string(format!("/proc/{browser_pid}/stat"))
                    .is_ok_and(|s| s.contains(") Z "));
            if alive {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            !alive
        });
        assert!(gone, "SIG{name}: the browser was stopped");
    }
}

#[test]
fn pdf_interrupted_with_a_real_chromium_leaves_no_temporary_folder() {
    let Some(exe) = crate::common::print_tools("interrupting `pdf` with a real Chromium") else {
        return;
    };
    let exe = PathBuf::from(exe);
    let site = Fixture::starter();
    let tmp = tempfile::tempdir().unwrap();
    for (name, number) in [("INT", libc::SIGINT), ("TERM", libc::SIGTERM)] {
        let mut child = briefing()
            .args(["pdf", "--root"])
            .arg(site.root())
            .arg("--chromium")
            .arg(&exe)
            .env("TMPDIR", tmp.path())
            .stderr(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        // Interrupted once the browser has started writing its profile.
        let profile = loop {
            let found = fs::read_dir(tmp.path())
                .unwrap()
                .map(|e| e.unwrap().path().join("profile/Default"))
                .find(|p| p.is_dir());
            if let Some(found) = found {
                break found;
            }
            assert!(
                child.try_wait().unwrap().is_none(),
                "pdf ended before printing"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        signal(child.id(), number);
        let status = child.wait().unwrap();
        assert!(!profile.exists(), "SIG{name}");
        assert_eq!(entries(tmp.path()), Vec::<String>::new(), "after SIG{name}");
        assert_eq!(status.code(), Some(128 + number), "SIG{name}");
    }
}
