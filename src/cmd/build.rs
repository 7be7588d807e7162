//! `briefing build`: build the site and print one summary line.

use anyhow::Result;

use crate::cli::BuildArgs;
use crate::diag::shown;
use crate::pdf;
use crate::site::{self, BuildOptions};

pub fn run(args: BuildArgs) -> Result<()> {
    if args.pdf {
        // First, before any thread starts: a signal removes the board pack's temporary folders.
        crate::tempdirs::guard_signals();
    }
    let opts = BuildOptions {
        root: args.root,
        output_dir: args.output_dir,
        base_url: args.base_url,
        drafts: args.drafts,
        clean: args.clean,
        board_pack: None,
        report_scripts: false,
    };
    let report = if args.pdf {
        pdf::build_with_pdf(&opts, args.chromium.as_deref())?
    } else {
        site::build(&opts)?
    };
    let note = if report.base_url.is_empty() {
        " (no base_url: canonical links, social metadata, sitemap.xml and robots.txt omitted)"
    } else {
        ""
    };
    let output = report.output.display().to_string();
    println!(
        "Built {} pages ({} files) into {} in {:.1} ms{note}",
        report.pages,
        report.files,
        shown(&output),
        report.elapsed.as_secs_f64() * 1000.0
    );
    Ok(())
}
