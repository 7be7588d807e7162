//! The target checks: which output folders a build may write, and which it must refuse.

use anyhow::{Context, Result, bail};
use std::fs;
use std::path::{Path, PathBuf};

use super::MARKER;

/// Make `path` absolute without requiring it to exist.
pub fn absolute(path: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(path)
        .with_context(|| format!("cannot resolve path {}", path.display()))?;
    // Canonicalise the longest existing ancestor so symlinks and `..` compare correctly.
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for part in rest.iter().rev() {
        if part == ".." {
            out.pop();
        } else if part != "." {
            out.push(part);
        }
    }
    Ok(out)
}

/// Refuse an output folder that is a symbolic link, before its path is resolved: a build
/// replaces its output, and through a link that would be whatever folder the link points to
/// (a repository can commit `public -> ../..`). The link is left for its owner to remove.
pub fn refuse_link(out: &Path) -> Result<()> {
    // Rebuilt from its components: a trailing `/` would make `lstat` follow the link.
    let name: PathBuf = out.components().collect();
    if crate::nofollow::kind(&name)? == crate::nofollow::Kind::Link {
        bail!(
            "refusing output directory {}: it is a symbolic link, and briefing does not write through links (remove it, or pass the real folder with --output-dir)",
            out.display()
        );
    }
    Ok(())
}

/// Refuse output directories that would clobber the site's own sources.
pub fn check_target(root: &Path, out: &Path) -> Result<()> {
    if out == root {
        bail!(
            "refusing to write the site into its own root {}: choose an output directory such as {}/public",
            out.display(),
            root.display()
        );
    }
    if root.starts_with(out) {
        bail!(
            "refusing output directory {}: it contains the site root {}",
            out.display(),
            root.display()
        );
    }
    for name in ["content", "templates", "static"] {
        let dir = root.join(name);
        if out.starts_with(&dir) || dir.starts_with(out) {
            bail!(
                "refusing output directory {}: it overlaps the site's {name}/ folder",
                out.display()
            );
        }
    }
    if out.exists() {
        if !out.is_dir() {
            bail!(
                "output path {} exists and is not a directory",
                out.display()
            );
        }
        let empty = fs::read_dir(out)
            .with_context(|| format!("cannot read {}", out.display()))?
            .next()
            .is_none();
        if !empty && !out.join(MARKER).is_file() {
            bail!(
                "refusing to replace {}: it is not empty and was not written by briefing (no {MARKER} file in it)",
                out.display()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_targets() {
        let t = tempfile::tempdir().unwrap();
        let root = absolute(t.path()).unwrap();
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_target(&root, &root).is_err());
        assert!(check_target(&root, root.parent().unwrap()).is_err());
        assert!(check_target(&root, &root.join("content")).is_err());
        assert!(check_target(&root, &root.join("content/out")).is_err());
        assert!(check_target(&root, &root.join("public")).is_ok());
        let foreign = root.join("mine");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("keep.txt"), "x").unwrap();
        let err = check_target(&root, &foreign).unwrap_err().to_string();
        assert!(err.contains("not written by briefing"), "{err}");
    }
}
