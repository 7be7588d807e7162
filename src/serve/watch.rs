//! Watch the site's sources (`content/`, `templates/`, `static/`, `site.toml`) and turn a burst
//! of file events into one "rebuild now" signal.

use anyhow::{Context, Result};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer,
};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// Folders whose every change triggers a rebuild.
const DIRS: [&str; 3] = ["content", "templates", "static"];
const CONFIG: &str = "site.toml";

/// Quiet time after the last event before we rebuild: long enough to gather an editor's
/// write-rename-chmod burst (or a `git checkout`), short enough to feel instant.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// A running watcher and the channel its debounced changes arrive on.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: Vec<PathBuf>,
    pub changes: Receiver<()>,
}

impl Watcher {
    /// Start watching `root` (canonical).
    pub fn start(root: &Path) -> Result<Watcher> {
        let (tx, changes) = mpsc::channel();
        let filter_root = root.to_path_buf();
        let handler = move |result: DebounceEventResult| match result {
            Ok(events) => {
                if events.iter().any(|e| changes_source(&filter_root, e)) {
                    let _ = tx.send(());
                }
            }
            Err(errors) => errors
                .iter()
                .for_each(|e| eprintln!("warning: file watcher: {e}")),
        };
        let debouncer =
            new_debouncer(DEBOUNCE, None, handler).context("cannot start the file watcher")?;
        let mut watcher = Watcher {
            debouncer,
            root: root.to_path_buf(),
            watched: Vec::new(),
            changes,
        };
        // The root itself, not recursively: catches site.toml (even when an editor replaces it)
        // and source folders that appear later, without watching the user's public/ or .git/.
        watcher
            .debouncer
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
            match self.debouncer.watch(&dir, RecursiveMode::Recursive) {
                Ok(()) => self.watched.push(dir),
                Err(e) => eprintln!("warning: cannot watch {}: {e}", dir.display()),
            }
        }
    }
}

/// Whether an event changed one of the site's sources. Reads are not changes: the build itself
/// opens every source, and counting that would rebuild forever.
fn changes_source(root: &Path, event: &DebouncedEvent) -> bool {
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
