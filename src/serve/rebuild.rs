//! The rebuild loop: build the whole site into a fresh directory, point the server at it, and
//! only then tell the browsers. A failed build leaves the last good site served and reports the
//! error in the terminal and to the browsers.

use std::collections::VecDeque;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Shared;
use super::watch::Watcher;
use crate::diag::format_error;
use crate::site::{self, BuildOptions};

/// Builds kept on disk: the one served and the one before, which requests that began just
/// before a swap may still be reading.
const KEEP: usize = 2;

pub struct Rebuilder {
    root: PathBuf,
    work: PathBuf,
    drafts: bool,
    shared: Arc<Shared>,
    count: u64,
    kept: VecDeque<PathBuf>,
}

impl Rebuilder {
    pub fn new(root: &Path, work: &Path, drafts: bool, shared: Arc<Shared>) -> Rebuilder {
        Rebuilder {
            root: root.to_path_buf(),
            work: work.to_path_buf(),
            drafts,
            shared,
            count: 0,
            kept: VecDeque::new(),
        }
    }

    /// Rebuild on every change until the watcher goes away.
    pub fn run(mut self, mut watcher: Watcher) {
        while watcher.changes.recv().is_ok() {
            // Changes that arrived while we were building are covered by this one rebuild.
            while watcher.changes.try_recv().is_ok() {}
            self.rebuild();
            watcher.watch_new_dirs();
        }
    }

    /// Build the whole site into a new directory; serve it if it built, report it if not.
    pub fn rebuild(&mut self) {
        self.count += 1;
        let dir = self.work.join(format!("site-{}", self.count));
        let opts = BuildOptions {
            root: self.root.clone(),
            output_dir: Some(dir.clone()),
            base_url: None,
            drafts: self.drafts,
            clean: true,
            board_pack: None,
        };
        match site::build(&opts) {
            Ok(report) => {
                self.publish(dir);
                println!(
                    "Built {} pages in {:.1} ms",
                    report.pages,
                    report.elapsed.as_secs_f64() * 1000.0
                );
            }
            Err(err) => {
                let message = format_error(&err);
                eprintln!("{message}");
                eprintln!("Still serving the last good build; fix the problem and save.");
                self.shared.status.send_modify(|s| s.error = Some(message));
            }
        }
    }

    /// Swap the new build in, then announce it: a browser that reloads finds it complete.
    fn publish(&mut self, dir: PathBuf) {
        *self.shared.site.write().unwrap_or_else(|e| e.into_inner()) = Some(dir.clone());
        let generation = self.count;
        self.shared.status.send_modify(|s| {
            s.generation = generation;
            s.error = None;
        });
        self.kept.push_back(dir);
        while self.kept.len() > KEEP {
            if let Some(old) = self.kept.pop_front() {
                let _ = fs::remove_dir_all(old);
            }
        }
    }
}
