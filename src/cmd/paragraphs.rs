//! `briefing paragraphs FILE`: a source's paragraphs numbered exactly as the build numbers them
//! (the same reading, [`crate::cite::read_document`]), so a
//! citation can be written before the first build: `¶N text`, or `page P ¶N text` in a PDF;
//! a workbook's sheet is chosen with `--sheet`, as a source page chooses it with `sheet`.

use anyhow::{Context, Result};
use std::io::Write;

use crate::cli::ParagraphsArgs;
use crate::diag::Problems;

pub fn run(args: ParagraphsArgs) -> Result<()> {
    let shown = crate::fsx::slash_path(&args.file);
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {shown}"))?;
    let locate = |message: String| crate::diag::Problem::file(&shown, message);
    let sheet = args.sheet.as_deref();
    let doc = crate::cite::read_source(&shown, &shown, &bytes, sheet, &locate)
        .map_err(|p| Problems(vec![p]))?;
    let mut out = std::io::stdout().lock();
    for p in &doc.paragraphs {
        match p.page {
            Some(page) => writeln!(out, "page {page} ¶{} {}", p.n, p.text)?,
            None => writeln!(out, "¶{} {}", p.n, p.text)?,
        }
    }
    Ok(())
}
