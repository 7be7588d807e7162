//! The `briefing` command: parse arguments, run the subcommand, print any error once, exit 1.

use std::process::ExitCode;

/// A build allocates small strings on both cores at once (events, ids, template values);
/// mimalloc's per-thread heaps serve that faster than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match briefing::cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{}", briefing::cli::format_error(&err));
            ExitCode::FAILURE
        }
    }
}
