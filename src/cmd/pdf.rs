//! `briefing pdf`: print the whole briefing as one PDF and say where it went.

use anyhow::Result;

use crate::cli::PdfArgs;
use crate::pdf;
use crate::site::BuildOptions;

pub fn run(args: PdfArgs) -> Result<()> {
    // First, before any thread starts: a signal removes the temporary folders.
    crate::tempdirs::guard_signals();
    let opts = BuildOptions {
        root: args.root,
        base_url: args.base_url,
        drafts: args.drafts,
        ..BuildOptions::default()
    };
    let what = match args.slides {
        true => pdf::What::Slides(args.notes),
        false => pdf::What::Pack,
    };
    let report = pdf::run(
        &opts,
        args.output.as_deref(),
        args.chromium.as_deref(),
        what,
    )?;
    let path = report.path.display().to_string();
    println!(
        "Wrote {} ({} pages, {} kB) in {:.2} s",
        crate::diag::shown(&path),
        report.pages,
        report.bytes.div_ceil(1000),
        report.elapsed.as_secs_f64()
    );
    Ok(())
}
