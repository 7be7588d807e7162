//! The DevTools pipe between briefing and the browser. Chromium started with
//! `--remote-debugging-pipe` reads commands on its descriptor 3 and writes answers on 4; on
//! Unix (Linux, macOS) both are handed over with `dup2` between fork and exec. On Windows
//! Chromium takes that pipe as inherited handles, which std cannot pass (it has no `pre_exec`
//! and no way to choose which handles a child inherits), and a debugging port would open a
//! socket any local process could drive. So the board pack is printed on Unix only, and
//! [`supported`] refuses before any work starts elsewhere.

use anyhow::{Result, anyhow};
use std::fs::File;
use std::process::{Child, Command};

/// Whether this platform can print the board pack; the error says where it can be.
pub fn supported() -> Result<()> {
    if cfg!(unix) {
        Ok(())
    } else {
        Err(refusal(std::env::consts::OS))
    }
}

/// Why the board pack is not printed on `os`, and where it is.
fn refusal(os: &str) -> anyhow::Error {
    anyhow!(
        "the board pack (`briefing pdf`, `briefing build --pdf`) is printed on Linux and macOS, \
         not on {os}: Chromium takes its DevTools pipe there as inherited handles, which briefing \
         cannot pass. Print it under WSL (the Windows Subsystem for Linux), or let the Pages \
         workflow that `briefing init` writes print it; `briefing build` and `briefing check` \
         work here as everywhere"
    )
}

/// Start `cmd` with the pipe on its descriptors 3 and 4, as the leader of its own process
/// group (the browser and every process it starts can be ended at once, before its profile
/// folder is removed: see `tempdirs::end_child`). Returns the child, the end commands are
/// written to and the end answers are read from.
#[cfg(unix)]
pub fn spawn(cmd: &mut Command) -> Result<(Child, File, File)> {
    use std::os::fd::AsRawFd as _;
    use std::os::unix::process::CommandExt as _;
    let (to_browser_read, to_browser) = unix::pipe()?;
    let (from_browser, from_browser_write) = unix::pipe()?;
    let (fd3, fd4) = (to_browser_read.as_raw_fd(), from_browser_write.as_raw_fd());
    cmd.process_group(0);
    // SAFETY: between fork and exec only dup2, which is async-signal-safe, runs. Both pipe
    // ends were moved above descriptor 9 (see `unix::pipe`), so neither is overwritten here,
    // and dup2 clears close-on-exec on the copies the browser is to inherit.
    unsafe {
        cmd.pre_exec(move || {
            if libc::dup2(fd3, 3) < 0 || libc::dup2(fd4, 4) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd.spawn()?;
    // The browser's ends are its own now: closed here, so that its exit ends our reads.
    drop((to_browser_read, from_browser_write));
    Ok((child, File::from(to_browser), File::from(from_browser)))
}

/// Elsewhere nothing is started: see the module's comment.
#[cfg(not(unix))]
pub fn spawn(_: &mut Command) -> Result<(Child, File, File)> {
    Err(refusal(std::env::consts::OS))
}

#[cfg(unix)]
mod unix {
    use anyhow::{Context as _, Result};
    use std::os::fd::{AsRawFd as _, FromRawFd as _, OwnedFd};

    /// A pipe whose ends are close-on-exec and numbered above 9, clear of the 3 and 4 the
    /// browser expects.
    pub(super) fn pipe() -> Result<(OwnedFd, OwnedFd)> {
        // std's pipe is close-on-exec on every Unix (pipe2 where there is one, as on Linux).
        let (read, write) = std::io::pipe().context("cannot create a pipe")?;
        Ok((high(OwnedFd::from(read))?, high(OwnedFd::from(write))?))
    }

    fn high(fd: OwnedFd) -> Result<OwnedFd> {
        // SAFETY: fcntl on an open descriptor; a new descriptor it returns is ours to own.
        let new = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 10) };
        if new < 0 {
            return Err(std::io::Error::last_os_error()).context("cannot duplicate a pipe");
        }
        // SAFETY: as above.
        Ok(unsafe { OwnedFd::from_raw_fd(new) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_prints_and_elsewhere_the_refusal_says_where_it_can() {
        assert_eq!(supported().is_ok(), cfg!(unix));
        // The message a Windows user reads, checked here too.
        let message = refusal("windows").to_string();
        for part in [
            "printed on Linux and macOS",
            "not on windows",
            "WSL",
            "briefing check",
        ] {
            assert!(message.contains(part), "{part}: {message}");
        }
    }
}
