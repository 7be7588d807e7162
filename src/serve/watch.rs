//! Watch the site's sources (`content/`, `templates/`, `static/`, `site.toml`) and pass on
//! every change at once, with the paths it names: the rebuild loop coalesces what arrives while
//! it builds, so no fixed wait is added to a save.

use anyhow::{Context, Result};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};

use super::cache::Changed;

/// Folders whose every change triggers a rebuild.
const DIRS: [&str; 3] = ["content", "templates", "static"];
const CONFIG: &str = "site.toml";

/// A running watcher and the channel its changes arrive on.
pub struct Watcher {
    watcher: RecommendedWatcher,
    root: PathBuf,
    watched: Vec<PathBuf>,
    /// The paths of each change; `None` when the watcher lost track (then anything may have
    /// changed).
    pub changes: Receiver<Changed>,
}

impl Watcher {
    /// Start watching `root` (canonical).
    pub fn start(root: &Path) -> Result<Watcher> {
        let (tx, changes) = mpsc::channel();
        let filter_root = root.to_path_buf();
        let handler = move |result: notify::Result<Event>| match result {
            Ok(event) if event.need_rescan() => {
                let _ = tx.send(None);
            }
            Ok(event) if changes_source(&filter_root, &event) => {
                let _ = tx.send(Some(event.paths.into_iter().collect()));
            }
            Ok(_) => {}
            Err(e) => {
                crate::diag::warn(format_args!("file watcher: {e}"));
                let _ = tx.send(None);
            }
        };
        let watcher =
            notify::recommended_watcher(handler).context("cannot start the file watcher")?;
        let mut watcher = Watcher {
            watcher,
            root: root.to_path_buf(),
            watched: Vec::new(),
            changes,
        };
        // The root itself, not recursively: catches site.toml (even when an editor replaces it)
        // and source folders that appear later, without watching the user's public/ or .git/.
        watcher
            .watcher
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch {}", root.display()))?;
        watcher.watch_new_dirs();
        Ok(watcher)
    }

    /// Watch source folders that exist now but did not when we last looked.
    pub fn watch_new_dirs(&mut self) {
        for name in DIRS {
            let dir = self.root.join(name);
            if self.watched.contains(&dir) || !dir.is_dir() {
                continue;
            }
            match self.watcher.watch(&dir, RecursiveMode::Recursive) {
                Ok(()) => self.watched.push(dir),
                Err(e) => crate::diag::warn(format_args!("cannot watch {}: {e}", dir.display())),
            }
        }
    }
}

/// Whether an event changed one of the site's sources. Reads are not changes: the build itself
/// opens every source, and counting that would rebuild forever.
fn changes_source(root: &Path, event: &Event) -> bool {
    !matches!(event.kind, EventKind::Access(_)) && event.paths.iter().any(|p| relevant(root, p))
}

/// Whether a path is one of the site's sources.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    match rel.components().next() {
        Some(first) => {
            let first = first.as_os_str();
            (first == CONFIG && rel.components().count() == 1) || DIRS.iter().any(|d| first == *d)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_are_relevant() {
        let root = Path::new("/site");
        assert!(relevant(root, Path::new("/site/site.toml")));
        assert!(relevant(root, Path::new("/site/content/a/b.md")));
        assert!(relevant(root, Path::new("/site/templates/page.html")));
        assert!(relevant(root, Path::new("/site/static")));
        assert!(!relevant(root, Path::new("/site/public/index.html")));
        assert!(!relevant(root, Path::new("/site/.git/index")));
        assert!(!relevant(root, Path::new("/site/site.toml.swp")));
        assert!(!relevant(root, Path::new("/elsewhere/site.toml")));
    }
}
