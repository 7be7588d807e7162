//! One file per subcommand.

pub mod build;
pub mod check;
pub mod fix;
pub mod init;
pub mod paragraphs;
pub mod pdf;
pub mod serve;
