//! `briefing init DIR`: write a complete starter briefing (settings, example content with
//! metrics, horizons and a placeholder source, the default templates and styles, and a GitHub
//! Pages workflow that publishes it with this very version of `briefing`).

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
    if REPOSITORY.is_empty() {
        eprintln!(
            "warning: this briefing was built from source without a release repository: set \
             BRIEFING_REPOSITORY in {}",
            dir.join(WORKFLOW).display()
        );
    }
    Ok(())
}

/// The GitHub repository whose releases carry `briefing` (archives and SHA256SUMS), from which a
/// new briefing's Pages workflow installs it: the repository the release workflow built this
/// binary in (it sets `BRIEFING_REPOSITORY`), else Cargo.toml's `repository`, else none.
pub const REPOSITORY: &str = match option_env!("BRIEFING_REPOSITORY") {
    Some(url) => url,
    None => env!("CARGO_PKG_REPOSITORY"),
};

/// Where a new briefing's Pages workflow goes.
pub const WORKFLOW: &str = ".github/workflows/pages.yml";

/// The Pages workflow of a new briefing: it installs the released `briefing` of this binary's
/// version, checksum verified, builds with the board pack, checks and deploys.
pub fn pages_workflow() -> String {
    include_str!("init/pages.yml")
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@REPOSITORY@", REPOSITORY.trim_end_matches('/'))
}

/// Write the starter site, the templates, the static files and the Pages workflow; returns the
/// number of files.
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
    let workflow = dir.join(WORKFLOW);
    fsx::create_dir_all(workflow.parent().unwrap_or(dir))?;
    fsx::write(&workflow, pages_workflow())?;
    Ok(count + 1)
}
