//! `briefing init DIR`: write a complete starter briefing (settings, example content with
//! metrics, horizons and a placeholder source, and the default templates and styles).

use anyhow::{Context, Result, bail};
use std::path::Path;

use crate::cli::InitArgs;
use crate::{defaults, fsx};

pub fn run(args: InitArgs) -> Result<()> {
    let dir = &args.dir;
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a directory", dir.display());
        }
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "refusing to initialise {}: the directory is not empty",
                dir.display()
            );
        }
    }
    let count = write_all(dir)?;
    println!(
        "Created a new briefing in {} ({count} files). Next:\n  briefing build --root {0}\n  briefing serve --root {0}",
        dir.display()
    );
    Ok(())
}

/// Write the starter site, the templates and the static files; returns the number of files.
pub fn write_all(dir: &Path) -> Result<usize> {
    let sets = [
        ("", defaults::STARTER),
        ("templates/", defaults::TEMPLATES),
        ("static/", defaults::STATIC),
    ];
    let mut count = 0;
    for (prefix, files) in sets {
        for (rel, bytes) in files {
            let path = dir.join(format!("{prefix}{rel}"));
            if let Some(parent) = path.parent() {
                fsx::create_dir_all(parent)?;
            }
            fsx::write(&path, bytes)?;
            count += 1;
        }
    }
    Ok(count)
}
