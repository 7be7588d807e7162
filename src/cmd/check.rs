//! `briefing check`: report every problem of the built site in one run; exit 1 if any.

use anyhow::Result;

use crate::check;
use crate::cli::CheckArgs;
use crate::diag::{Problems, into_result};
use crate::site::BuildOptions;

pub fn run(args: CheckArgs) -> Result<()> {
    // First, before any thread starts: a signal removes the temporary folders.
    crate::tempdirs::guard_signals();
    let opts = BuildOptions {
        root: args.root,
        drafts: args.drafts,
        report_scripts: true,
        ..BuildOptions::default()
    };
    let outcome = check::run(&opts, args.external)?;
    match into_result(outcome.problems) {
        Ok(()) => {
            println!(
                "Checked {} pages and {} links: no problems found",
                outcome.pages, outcome.links
            );
            Ok(())
        }
        Err(Problems(problems)) => Err(Problems(problems).into()),
    }
}
