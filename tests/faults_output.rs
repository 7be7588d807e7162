//! Issue 12, defects 1, 2, 3 and 6: the output folder under faults. A hard-linked snapshot of
//! the output never changes; folders of builds killed with -9 are removed by the next build
//! (live builds' and foreign folders are kept); the swap without RENAME_EXCHANGE leaves a site
//! after a kill at any point; a mount point works as the output folder.

mod common;
use common::{Fixture, snapshot};
use std::fs;
use std::path::Path;
use std::process::Command;

/// Names in the folder holding the output that a build left behind.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-") || n.ends_with(".lock"))
        .collect();
    names.sort();
    names
}

fn link_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            link_tree(&entry.path(), &dest);
        } else {
            fs::hard_link(entry.path(), dest).unwrap();
        }
    }
}

fn hosting_site() -> Fixture {
    Fixture::new()
        .file(
            "site.toml",
            "title = \"One\"\nbase_url = \"https://one.example/\"\ncname = \"one.example\"\n",
        )
        .file("static/extra.txt", "static one\n")
        .file("content/notes/_index.md", "+++\ntitle = \"Notes\"\n+++\n")
        .file("content/notes/data.csv", "asset,one\n")
        .file("content/notes/a.md", "+++\ntitle = \"A\"\n+++\nText.\n")
}

#[test]
fn a_hard_linked_snapshot_never_changes_whatever_kind_of_file() {
    let site = hosting_site();
    site.build_ok().build_ok();
    let snap = site.root().join("snap");
    link_tree(&site.public(), &snap);
    let before = snapshot(&snap);
    for rel in [
        "extra.txt",
        "notes/data.csv",
        "sitemap.xml",
        "robots.txt",
        "og-card.png",
        "CNAME",
        "style.css",
        "index.html",
    ] {
        assert!(snap.join(rel).is_file(), "{rel} is in the output");
    }
    let site = site
        .file(
            "site.toml",
            "title = \"Two\"\nbase_url = \"https://two.example/\"\ncname = \"two.example\"\n",
        )
        .file("static/extra.txt", "static two\n")
        .file("static/style.css", "body { margin: 2px }\n")
        .file("content/notes/data.csv", "asset,two\n")
        .file("content/notes/b.md", "+++\ntitle = \"B\"\n+++\nMore.\n");
    // The third build keeps the snapshotted output as its spare; the fourth writes over it.
    site.build_ok().build_ok();
    assert_eq!(snapshot(&snap), before, "the snapshot changed");
    assert_eq!(site.out("extra.txt"), "static two\n");
    assert_eq!(site.out("notes/data.csv"), "asset,two\n");
    assert_eq!(site.out("CNAME"), "two.example\n");
    assert!(site.out("robots.txt").contains("two.example"));
    assert!(site.out("sitemap.xml").contains("notes/b/"));
}

/// A fake build's folder beside the output: `.public.KIND-PID` with the marker and a page.
#[cfg(unix)]
fn fake_folder(site: &Fixture, kind: &str, pid: u32, marker: bool) -> std::path::PathBuf {
    let dir = site.root().join(format!(".public.{kind}-{pid}"));
    fs::create_dir_all(dir.join("deep")).unwrap();
    fs::write(dir.join("deep/index.html"), "old").unwrap();
    if marker {
        fs::write(dir.join(".briefing-output"), "").unwrap();
    }
    dir
}

/// Locks are std's `File::lock` everywhere; `sleep` stands for a live build's process (Unix).
#[cfg(unix)]
#[test]
fn folders_of_dead_builds_are_removed_and_no_others() {
    let site = Fixture::new();
    site.build_ok();
    // Dead: a lock nobody holds, or no lock and no such process.
    let dead = 4_194_301;
    let dead_tmp = fake_folder(&site, "tmp", dead, true);
    let dead_old = fake_folder(&site, "old", dead, true);
    fs::write(site.root().join(format!(".public.build-{dead}.lock")), "").unwrap();
    let lockless = fake_folder(&site, "tmp", dead + 1, true);
    // Not ours: no marker inside, whatever its name.
    let foreign = fake_folder(&site, "tmp", dead + 2, false);
    // Alive: a running process whose lock is held (here, by the test).
    let mut child = Command::new("sleep").arg("30").spawn().unwrap();
    let live = fake_folder(&site, "tmp", child.id(), true);
    let lock = fs::File::create(
        site.root()
            .join(format!(".public.build-{}.lock", child.id())),
    )
    .unwrap();
    lock.lock().unwrap();
    site.build_ok();
    let gone = |p: &Path| !p.exists();
    assert!(
        gone(&dead_tmp) && gone(&dead_old) && gone(&lockless),
        "dead builds' folders are removed"
    );
    assert!(
        foreign.join("deep/index.html").is_file(),
        "a folder without the marker is not ours"
    );
    assert!(
        live.join("deep/index.html").is_file(),
        "a live build's folder is kept"
    );
    assert!(
        !site
            .root()
            .join(format!(".public.build-{dead}.lock"))
            .exists()
    );
    drop(lock);
    let _ = child.kill();
    let _ = child.wait();
    // Its lock released, the build is dead: `--clean` removes its folder too.
    site.run(&["build", "--clean"]).ok();
    assert!(gone(&live), "--clean removes dead builds' folders");
    assert_eq!(
        leftovers(site.root()),
        [format!(".public.tmp-{}", dead + 2)],
        "only the foreign folder is left"
    );
}

/// A site big enough that a kill lands in the middle of writing it.
fn big_site(pages: usize) -> Fixture {
    let site = Fixture::new();
    let body = "Some words in a paragraph, with a [link](@/_index.md).\n\n".repeat(20);
    for i in 0..pages {
        site.write(
            &format!("content/s{}/p{i}.md", i % 10),
            format!("+++\ntitle = \"P{i}\"\n+++\n# Heading {i}\n\n{body}").as_bytes(),
        );
    }
    for s in 0..10 {
        site.write(
            &format!("content/s{s}/_index.md"),
            format!("+++\ntitle = \"S{s}\"\n+++\n").as_bytes(),
        );
    }
    site
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_site_and_the_next_build_cleans_up() {
    let site = big_site(600);
    site.build_ok();
    let clean = snapshot(&site.public());
    for trial in 0..6u64 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(["build", "--root"])
            .arg(site.root())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(10 + trial * 60));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert!(
            site.public().join("index.html").is_file(),
            "trial {trial}: no site after the kill"
        );
        site.build_ok();
        assert_eq!(
            leftovers(site.root()),
            Vec::<String>::new(),
            "trial {trial}"
        );
        assert_eq!(
            snapshot(&site.public()),
            clean,
            "trial {trial}: the rebuilt site differs"
        );
    }
}

#[test]
fn the_contents_swap_leaves_a_site_after_a_kill_at_any_point() {
    let site = hosting_site().file("content/about.md", "+++\ntitle = \"About\"\n+++\nOld.\n");
    site.build_ok();
    let mut step = 0;
    loop {
        site.write(
            "content/about.md",
            format!("+++\ntitle = \"About\"\n+++\nVersion {step}.\n").as_bytes(),
        );
        let killed = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(["build", "--root"])
            .arg(site.root())
            .env("BRIEFING_SWAP", "contents")
            .env("BRIEFING_SWAP_ABORT_AFTER", step.to_string())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(
            site.public().join("index.html").is_file(),
            "step {step}: no home page"
        );
        assert!(
            site.public().join(".briefing-output").is_file(),
            "step {step}: no marker"
        );
        // The next build (swapping contents again) repairs whatever the kill left.
        site.write(
            "content/about.md",
            format!("+++\ntitle = \"About\"\n+++\nNext {step}.\n").as_bytes(),
        );
        let next = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(["build", "--root"])
            .arg(site.root())
            .env("BRIEFING_SWAP", "contents")
            .output()
            .unwrap();
        assert!(
            next.status.success(),
            "step {step}: {}",
            String::from_utf8_lossy(&next.stderr)
        );
        assert_eq!(leftovers(site.root()), Vec::<String>::new(), "step {step}");
        let fresh = site.root().join("fresh");
        site.run(&["build", "--output-dir", fresh.to_str().unwrap()])
            .ok();
        assert_eq!(
            snapshot(&site.public()),
            snapshot(&fresh),
            "step {step}: differs from a clean build"
        );
        fs::remove_dir_all(&fresh).unwrap();
        if killed.success() {
            assert!(step > 5, "the swap took only {step} renames");
            break;
        }
        step += 1;
    }
}

/// Build into `out` with the swap forced to treat it as a mount point, or for real.
fn build_into(site: &Fixture, out: &Path, env: Option<&str>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_briefing"));
    cmd.args(["build", "--root"])
        .arg(site.root())
        .arg("--output-dir")
        .arg(out);
    if let Some(mode) = env {
        cmd.env("BRIEFING_SWAP", mode);
    }
    let run = cmd.output().unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn assert_mount_builds(site: &Fixture, out: &Path, env: Option<&str>) {
    build_into(site, out, env);
    site.write("content/later.md", b"+++\ntitle = \"Later\"\n+++\nNew.\n");
    build_into(site, out, env);
    build_into(site, out, env);
    let fresh = site.root().join("fresh");
    build_into(site, &fresh, None);
    assert_eq!(snapshot(out), snapshot(&fresh));
    let ours: Vec<_> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".briefing."))
        .collect();
    assert!(
        ours.is_empty(),
        "working folders left in the mount: {ours:?}"
    );
}

#[test]
fn the_output_staged_inside_itself_as_for_a_mount_point() {
    let site = Fixture::new();
    let out = site.root().join("volume");
    assert_mount_builds(&site, &out, Some("mount"));
}

#[cfg(target_os = "linux")]
#[test]
fn a_real_mount_point_works_as_the_output() {
    struct Mounted(std::path::PathBuf);
    impl Drop for Mounted {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let site = Fixture::new();
    let out = site.root().join("volume");
    fs::create_dir_all(&out).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "briefing-test"])
        .arg(&out)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        assert!(
            std::env::var_os("CI").is_none(),
            "cannot mount a tmpfs here (CI needs root)"
        );
        eprintln!(
            "SKIPPED a_real_mount_point_works_as_the_output: cannot mount a tmpfs here (not root?); the same path is tested with BRIEFING_SWAP=mount"
        );
        return;
    }
    let _guard = Mounted(out.clone());
    assert_mount_builds(&site, &out, None);
}
