//! The output directory: decide whether we may write it, stage the new site beside it, and swap
//! it in only when the whole build succeeded. A failed build leaves the previous site untouched,
//! and we never delete a directory that a previous `briefing build` did not create.

mod leftovers;
mod lock;
mod sink;
mod spare;
mod staging;
mod swap;
mod target;

pub use sink::{Opened, Sink};
pub use spare::spare_path;
pub use staging::Staging;
pub use target::{absolute, check_target, refuse_link};

/// Written into every output directory we create; its presence is our permission to replace it.
pub const MARKER: &str = ".briefing-output";
pub(super) const MARKER_TEXT: &str =
    "This folder is written by `briefing build` and replaced on every build.\n";
