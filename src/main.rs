//! The `briefing` command: parse arguments, run the subcommand, print any error once, exit 1.

use std::process::ExitCode;

fn main() -> ExitCode {
    match briefing::cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{}", briefing::cli::format_error(&err));
            ExitCode::FAILURE
        }
    }
}
