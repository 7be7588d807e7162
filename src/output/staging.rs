//! Staging: the new site is written beside the output folder (into the claimed spare, or a
//! fresh folder) and swapped in with one atomic exchange only when the whole build succeeded.

use anyhow::{Context, Result};
use rustc_hash::FxHashSet as HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::leftovers::{BuildLock, Place, remove_dead};
use super::lock::OutputLock;
use super::spare::{Existing, claim_spare, clear_place, keep_as_spare, remove_tree, spare_path};
use super::swap::{Forced, exchange, forced, is_mount_point, swap_contents};
use super::{MARKER, MARKER_TEXT};
use crate::fsx;

/// A new site being written beside the output directory (or inside it, for a mount point).
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// Where this build's working folders are: beside the output, or inside a mount point.
    place: Place,
    /// The output folder cannot be renamed (a mount point): its contents are swapped.
    inside: bool,
    /// What `dir` already holds when it is a reused spare (see [`Staging::new`]).
    existing: Option<Existing>,
    keep_spare: bool,
    /// Whether anything in `dir` was changed: a spare that was not can be put back.
    touched: bool,
    committed: bool,
    /// Held while the build runs: tells later builds that these folders are in use. The locks
    /// are released after `drop` has removed the folders, the output's last.
    _lock: BuildLock,
    /// Held from before the spare is looked at until the spare is kept (see [`super::lock`]).
    _output_lock: OutputLock,
}

impl Staging {
    /// Prepare a staging directory beside `target`.
    ///
    /// With `reuse`, the previous output, which the last build kept beside `target` as
    /// `.NAME.briefing-spare`, becomes the staging directory: the new site is written over its
    /// files in place, and only what the new site lacks is deleted. Creating and later unlinking
    /// two inodes a page (a folder and its `index.html`) is most of what a large rebuild spends
    /// in the kernel. A spare is reused only if it holds nothing but plain folders and files (a
    /// symbolic link could lead a write outside it); a file with another hard link is replaced
    /// rather than written through ([`fsx::FileOut`]). Without `reuse` any spare is deleted and
    /// none is kept.
    ///
    /// First, what builds that died left here is removed (see [`super::leftovers`]). When
    /// `target` is a mount point, the staging folder is made inside it (`.briefing.tmp-PID`)
    /// and no spare is kept: nothing outside can be renamed into it.
    pub fn new(target: &Path, reuse: bool) -> Result<Staging> {
        let parent = target
            .parent()
            .context("the output directory has no parent")?;
        fsx::create_dir_all(parent)?;
        super::target::refuse_link(target)?;
        let inside = forced() == Forced::Mount || (target.is_dir() && is_mount_point(target));
        let place = if inside {
            fsx::create_dir_all(target)?;
            Place {
                dir: target.to_path_buf(),
                prefix: ".briefing.".into(),
            }
        } else {
            let name = target
                .file_name()
                .context("the output directory has no name")?;
            Place {
                dir: parent.to_path_buf(),
                prefix: format!(".{}.", name.to_string_lossy()),
            }
        };
        let output_lock = OutputLock::take(&place, target)
            .with_context(|| format!("cannot lock the output {}", target.display()))?;
        let lock = BuildLock::take(&place)
            .with_context(|| format!("cannot lock the build in {}", place.dir.display()))?;
        remove_dead(&place);
        let pid = std::process::id();
        let dir = place.path(&format!("tmp-{pid}"));
        for mine in [&dir, &place.path(&format!("old-{pid}"))] {
            // Left by a dead build that had our process id, or a link put there.
            clear_place(mine, "staging folder")?;
        }
        let reuse = reuse && !inside;
        let existing = if reuse {
            claim_spare(target, &dir)?
        } else {
            clear_place(&spare_path(target)?, "spare copy of the previous output")?;
            None
        };
        if existing.is_none() {
            // `create_dir`, not `create_dir_all`: whatever is at that name now is an error,
            // never a place to write through.
            fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
            // The marker first: a killed build's folder is always known to be ours.
            fsx::write(&dir.join(MARKER), MARKER_TEXT)?;
        }
        pause_for_tests(&dir);
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            place,
            inside,
            existing,
            keep_spare: reuse,
            touched: false,
            committed: false,
            _lock: lock,
            _output_lock: output_lock,
        })
    }

    /// Where to write the new site. Writing there is only allowed after [`Staging::clear_except`].
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Whether the staging directory already has the folder `rel_dir` (`""` is its root).
    pub fn has_dir(&self, rel_dir: &str) -> bool {
        rel_dir.is_empty()
            || self
                .existing
                .as_ref()
                .is_some_and(|e| e.dirs.contains(rel_dir))
    }

    /// Whether the staging directory already has the file `rel`, to be written over.
    pub fn has_file(&self, rel: &str) -> bool {
        self.existing
            .as_ref()
            .is_some_and(|e| e.files.contains(rel))
    }

    /// Delete whatever a reused spare holds that is not one of `keep` (every file the new site
    /// will write, `/`-separated): stale files, and folders no kept file is in.
    pub fn clear_except(&mut self, keep: &HashSet<&str>) -> Result<()> {
        use rayon::prelude::*;
        self.touched = true;
        let Some(existing) = &self.existing else {
            return Ok(());
        };
        let mut wanted: HashSet<&str> = HashSet::default();
        for file in keep {
            let mut path = *file;
            while let Some((folder, _)) = path.rsplit_once('/') {
                if !wanted.insert(folder) {
                    break;
                }
                path = folder;
            }
        }
        // A folder goes when no kept file is in it; only the outermost such folders need
        // removing, and a file is removed on its own only if its folder stays.
        let stays = |path: &str| {
            path.rsplit_once('/')
                .is_none_or(|(folder, _)| wanted.contains(folder))
        };
        let gone_dirs: Vec<&String> = existing
            .dirs
            .iter()
            .filter(|d| !wanted.contains(d.as_str()) && stays(d))
            .collect();
        let gone_files: Vec<&String> = existing
            .files
            .iter()
            .filter(|f| !keep.contains(f.as_str()) && stays(f))
            .collect();
        let dir = &self.dir;
        gone_dirs.par_iter().try_for_each(|d| {
            remove_tree(&dir.join(d.as_str()))
                .with_context(|| format!("cannot remove {}", dir.join(d.as_str()).display()))
        })?;
        gone_files.par_iter().try_for_each(|f| {
            fs::remove_file(dir.join(f.as_str()))
                .with_context(|| format!("cannot remove {}", dir.join(f.as_str()).display()))
        })?;
        // What is left of `existing` is right for every path of `keep` that
        // `has_dir`/`has_file` will be asked about.
        Ok(())
    }

    /// Swap the finished site in place of the old one, which becomes the spare for the next
    /// build (or is deleted).
    pub fn commit(mut self) -> Result<()> {
        self.touched = true;
        let target = self.target.clone();
        fsx::write(&self.dir.join(MARKER), MARKER_TEXT)?;
        if !self.inside && !target.exists() {
            fs::rename(&self.dir, &target)
                .with_context(|| format!("cannot move the new site into {}", target.display()))?;
            self.committed = true;
            return Ok(());
        }
        let swapped = !self.inside
            && forced() == Forced::None
            // One atomic step: the new site at `target`, the old one where the new one was.
            && exchange(&self.dir, &target).is_ok();
        let old = if swapped {
            self.dir.clone()
        } else {
            let old = self.place.path(&format!("old-{}", std::process::id()));
            clear_place(&old, "staging folder")?;
            fs::create_dir(&old).with_context(|| format!("cannot create {}", old.display()))?;
            fsx::write(&old.join(MARKER), MARKER_TEXT)?;
            let place = &self.place;
            let inside = self.inside;
            swap_contents(&self.dir, &target, &old, |name| inside && place.owns(name))
                .with_context(|| format!("cannot move the new site into {}", target.display()))?;
            let _ = fs::remove_dir(&self.dir);
            old
        };
        self.committed = true;
        if self.keep_spare && keep_as_spare(&old, &spare_path(&target)?) {
            return Ok(());
        }
        remove_tree(&old)
            .with_context(|| format!("cannot remove the previous site at {}", old.display()))
    }
}

/// For tests: with `BRIEFING_PAUSE_STAGED` set, a run stops for good once its staging folder
/// is made and marked, and says so on stderr, so that a test can kill it at that moment.
fn pause_for_tests(dir: &Path) {
    if std::env::var_os("BRIEFING_PAUSE_STAGED").is_some() {
        eprintln!("paused: staged in {}", dir.display());
        loop {
            std::thread::park();
        }
    }
}

impl Drop for Staging {
    /// A build that failed before writing anything (a typo in a page, say) puts a claimed
    /// spare back untouched; otherwise the staging directory is deleted.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let unchanged = self.existing.is_some() && !self.touched;
        let put_back = unchanged
            && spare_path(&self.target).is_ok_and(|spare| fs::rename(&self.dir, spare).is_ok());
        if !put_back {
            let _ = remove_tree(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_swaps_in_and_cleans_up() {
        let t = tempfile::tempdir().unwrap();
        let target = t.path().join("public");
        let s = Staging::new(&target, false).unwrap();
        fs::write(s.path().join("a.html"), "1").unwrap();
        s.commit().unwrap();
        let s = Staging::new(&target, false).unwrap();
        fs::write(s.path().join("b.html"), "2").unwrap();
        drop(s); // a failed build: the old site stays
        assert!(target.join("a.html").is_file());
        assert_eq!(names(t.path()), ["public"], "no staging left behind");
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Every file under `dir` with its contents.
    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = fsx::slash_path(e.path().strip_prefix(dir).unwrap());
                (rel, fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    /// One build through the staging API, as `site::write` does it.
    fn build(target: &Path, files: &[(&str, &str)]) {
        let mut s = Staging::new(target, true).unwrap();
        let keep: HashSet<&str> = files.iter().map(|(rel, _)| *rel).collect();
        s.clear_except(&keep).unwrap();
        for (rel, text) in files {
            let path = s.path().join(rel);
            let folder = rel.rsplit_once('/').map_or("", |(f, _)| f);
            if !s.has_dir(folder) {
                fs::create_dir_all(path.parent().unwrap()).unwrap();
            }
            let mut out = fsx::FileOut::open(&path, s.has_file(rel)).unwrap();
            std::io::Write::write_all(&mut out, text.as_bytes()).unwrap();
            out.finish().unwrap();
        }
        s.commit().unwrap();
    }

    #[test]
    fn the_previous_output_is_written_over_and_matches_a_fresh_build() {
        let t = tempfile::tempdir().unwrap();
        let target = t.path().join("public");
        let spare = spare_path(&target).unwrap();
        build(
            &target,
            &[
                ("index.html", "one, long"),
                ("a/index.html", "a"),
                ("x/y/z.css", "z"),
            ],
        );
        assert!(!spare.exists(), "nothing to keep after a first build");
        build(&target, &[("index.html", "two"), ("b/index.html", "b")]);
        assert!(
            spare.join("x/y/z.css").is_file(),
            "the first output is the spare"
        );
        // The user drops a file into the output; it must not come back later.
        fs::write(target.join("stray.txt"), "mine").unwrap();
        let third = [
            ("index.html", "3"),
            ("a/index.html", "a, again"),
            ("x/w.css", "w"),
        ];
        build(&target, &third);
        let fresh = t.path().join("fresh");
        let mut s = Staging::new(&fresh, false).unwrap();
        s.clear_except(&HashSet::default()).unwrap();
        for (rel, text) in third {
            fs::create_dir_all(s.path().join(rel).parent().unwrap()).unwrap();
            fs::write(s.path().join(rel), text).unwrap();
        }
        s.commit().unwrap();
        assert_eq!(
            tree(&target),
            tree(&fresh),
            "shorter files are cut, stale files gone"
        );
        assert_eq!(
            names(&target.join("x")),
            ["w.css"],
            "emptied folders are removed"
        );
        assert!(
            spare.join("stray.txt").is_file(),
            "the second output is now the spare"
        );
        let fourth = [("index.html", "4")];
        build(&target, &fourth);
        assert_eq!(names(&target), [".briefing-output", "index.html"]);
        assert_eq!(
            names(t.path()),
            [".public.briefing-spare", "fresh", "public"]
        );
    }

    #[test]
    fn nested_and_similar_folders_are_removed_once() {
        let t = tempfile::tempdir().unwrap();
        let target = t.path().join("public");
        let old = [
            ("a/b/c.html", "1"),
            ("a-x/y.html", "1"),
            ("a/z.html", "1"),
            ("a/b/d/e.html", "1"),
        ];
        build(&target, &old);
        build(&target, &old);
        build(&target, &[("a-x/y.html", "2")]);
        assert_eq!(names(&target), [".briefing-output", "a-x"]);
        assert_eq!(tree(&target)[1..], [("a-x/y.html".into(), "2".into())]);
    }

    #[cfg(unix)]
    #[test]
    fn a_spare_with_links_is_never_written_through() {
        let t = tempfile::tempdir().unwrap();
        let target = t.path().join("public");
        let outside = t.path().join("outside.txt");
        fs::write(&outside, "untouched").unwrap();
        build(&target, &[("index.html", "1"), ("page.html", "1")]);
        build(&target, &[("index.html", "2"), ("page.html", "2")]);
        let spare = spare_path(&target).unwrap();
        // A symbolic link where the next build writes a page, and a hard link to a page.
        fs::remove_file(spare.join("page.html")).unwrap();
        std::os::unix::fs::symlink(&outside, spare.join("page.html")).unwrap();
        let linked = t.path().join("linked.html");
        fs::hard_link(spare.join("index.html"), &linked).unwrap();
        build(&target, &[("index.html", "3"), ("page.html", "3")]);
        assert_eq!(fs::read_to_string(&outside).unwrap(), "untouched");
        assert_eq!(fs::read_to_string(&linked).unwrap(), "1");
        assert_eq!(
            tree(&target)[1..],
            [
                ("index.html".into(), "3".into()),
                ("page.html".into(), "3".into())
            ]
        );
    }

    #[test]
    fn clean_builds_keep_no_spare() {
        let t = tempfile::tempdir().unwrap();
        let target = t.path().join("public");
        build(&target, &[("index.html", "1")]);
        build(&target, &[("index.html", "2")]);
        assert!(spare_path(&target).unwrap().is_dir());
        let s = Staging::new(&target, false).unwrap();
        s.commit().unwrap();
        assert_eq!(names(t.path()), ["public"]);
    }
}
