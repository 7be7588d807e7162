//! The `briefing` command: parse arguments, run the subcommand, print any error once, exit 1.

use std::process::ExitCode;

/// A build allocates small strings on both cores at once (events, ids, template values);
/// mimalloc's per-thread heaps serve that faster than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // mimalloc asks the kernel for transparent huge pages, and the kernel then zeroes 2 MiB at
    // every first touch: a tenth of a large build's time went to that. Small pages cost less
    // here and halve the peak memory. (Best effort: nothing changes if the call is refused.)
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    match briefing::cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{}", briefing::diag::format_error(&err));
            ExitCode::FAILURE
        }
    }
}
