//! Issue 20: a briefing repository is untrusted input. Each module tries one way a stranger's
//! pull request could reach outside the site (delete, read, print, publish, mislead) and asserts
//! that the build refuses or contains it. One test binary, so the suite links once.

#[path = "../common/mod.rs"]
mod common;

// These need Unix: symbolic links, signals, resource limits, /proc.
#[cfg(unix)]
mod hostile_pdf;
mod messages;
#[cfg(unix)]
mod output;
mod pack_and_serve;
#[cfg(unix)]
mod reading;
