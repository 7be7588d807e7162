//! `briefing serve`: hand the command-line arguments to the dev server.

use anyhow::Result;

use crate::cli::ServeArgs;
use crate::serve::{self, ServeOptions};

pub fn run(args: ServeArgs) -> Result<()> {
    serve::run(ServeOptions {
        root: args.root,
        interface: args.interface,
        port: args.port,
        open: args.open,
        drafts: args.drafts,
    })
}
