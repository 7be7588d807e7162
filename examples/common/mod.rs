//! What the bench's reference programs (`floor`, `probe`) share.

use std::path::{Path, PathBuf};

/// Every Markdown file under `content`.
pub fn markdown_files(content: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect()
}
