//! Fetch outside URLs with the system's `curl` program: one child process (no shell) per round,
//! every URL in parallel, the URLs and their options given as a config file on stdin. A link
//! is untrusted text, so curl is held to http and https (a redirect to `file://` is refused,
//! never read), to 10 redirects and 15 seconds a transfer, writes nothing to disk, and reads no
//! `.curlrc`. curl 7.75 or newer is needed (`%{exitcode}` and `%{errormsg}` in `--write-out`).
//!
//! curl rather than an HTTP crate: a TLS stack (rustls, ring and its C build) was about an
//! eighth of a release build, for this one command that is off by default.

use std::io::Write as _;
use std::process::{Command, Stdio};

/// The oldest curl whose `--write-out` knows `%{exitcode}` and `%{errormsg}`.
const MINIMUM: (u32, u32) = (7, 75);

/// How a URL is asked for: HEAD first, GET for those a HEAD fails.
#[derive(Clone, Copy)]
pub enum Method {
    Head,
    Get,
}

/// Whether curl can be used: `Err` says why not (missing from `PATH`, too old, broken).
pub fn usable() -> Result<(), String> {
    let output = Command::new("curl")
        .args(["-q", "--version"])
        .stdin(Stdio::null())
        .output();
    let output = match output {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!(
                "`check --external` fetches links with curl, which was not found on PATH: install curl ({} or newer)",
                shown(MINIMUM)
            ));
        }
        Err(e) => return Err(format!("`check --external` could not run curl: {e}")),
    };
    let text = String::from_utf8_lossy(&output.stdout);
    match version(&text) {
        Some(v) if v >= MINIMUM => Ok(()),
        Some(v) => Err(format!(
            "`check --external` needs curl {} or newer; this curl is {}: update it",
            shown(MINIMUM),
            shown(v)
        )),
        None => Err(format!(
            "`check --external` could not read curl's version from `curl --version`: {}",
            text.lines().next().unwrap_or("(no output)")
        )),
    }
}

fn shown((major, minor): (u32, u32)) -> String {
    format!("{major}.{minor}")
}

/// The major and minor version in the first line of `curl --version` (`curl 7.88.1 (...)`).
fn version(text: &str) -> Option<(u32, u32)> {
    let word = text.lines().next()?.split_whitespace().nth(1)?;
    let mut parts = word.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// Ask for every URL (each already free of whitespace and control characters) in one curl run;
/// for each, in order, `None` when it answered with a status below 400, or why it failed.
pub fn fetch(urls: &[String], method: Method) -> Result<Vec<Option<String>>, String> {
    let mut child = Command::new("curl")
        // `-q` must come first: it keeps curl from reading the user's `.curlrc`. `--silent` does
        // not quiet the meter of `--parallel` (curl 7.88); `--no-progress-meter` does.
        .args([
            "-q",
            "--no-progress-meter",
            "--parallel",
            "--parallel-max",
            "16",
        ])
        .args(["--config", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("`check --external` could not run curl: {e}"))?;
    let config = config(urls, method);
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Written from its own thread, so a full stdout or stderr pipe can never stall both sides.
    let writer = std::thread::spawn(move || stdin.write_all(config.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("`check --external`: curl failed: {e}"))?;
    let _ = writer.join();
    let mut results = vec![None; urls.len()];
    let mut seen = vec![false; urls.len()];
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        if let Some((index, outcome)) = result(line).filter(|(i, _)| *i < urls.len()) {
            results[index] = outcome;
            seen[index] = true;
        }
    }
    if seen.iter().any(|s| !s) {
        let why = String::from_utf8_lossy(&output.stderr);
        let why = why.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        for (outcome, _) in results.iter_mut().zip(&seen).filter(|(_, s)| !**s) {
            *outcome = Some(match why.trim() {
                "" => "curl gave no result for it".to_string(),
                why => format!("curl gave no result for it ({why})"),
            });
        }
    }
    Ok(results)
}

/// The config curl reads on stdin: one group of options per URL, separated by `next`, each
/// writing its index, status, exit code and error message on a line of its own.
fn config(urls: &[String], method: Method) -> String {
    let null = if cfg!(windows) { "NUL" } else { "/dev/null" };
    let agent = concat!("briefing/", env!("CARGO_PKG_VERSION"));
    let mut text = String::new();
    for (i, url) in urls.iter().enumerate() {
        if i > 0 {
            text.push_str("next\n");
        }
        text.push_str(&format!("url = {}\n", quoted(url)));
        text.push_str(&format!("output = {}\n", quoted(null)));
        if let Method::Head = method {
            text.push_str("head\n");
        }
        text.push_str(&format!(
            "write-out = \"{i}\\t%{{http_code}}\\t%{{exitcode}}\\t%{{errormsg}}\\n\"\n"
        ));
        text.push_str(&format!("user-agent = {}\n", quoted(agent)));
        text.push_str(concat!(
            "proto = \"=http,https\"\nproto-redir = \"=http,https\"\n",
            "location\nmax-redirs = 10\nmax-time = 15\n",
            // A URL's brackets and braces are its own, not a curl glob.
            "globoff\nsilent\nshow-error\nno-progress-meter\n",
        ));
    }
    text
}

/// `text` as a quoted string of curl's config syntax.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// One `--write-out` line: the URL's index, and `None` or why it failed.
fn result(line: &str) -> Option<(usize, Option<String>)> {
    let mut fields = line.splitn(4, '\t');
    let index = fields.next()?.parse().ok()?;
    let status: u16 = fields.next()?.parse().ok()?;
    let exit: u32 = fields.next()?.parse().ok()?;
    let message = fields.next().unwrap_or("").trim();
    let outcome = if exit != 0 {
        Some(if message.is_empty() {
            format!("curl error {exit}")
        } else {
            message.to_string()
        })
    } else if status == 0 {
        Some("no HTTP answer".to_string())
    } else if status >= 400 {
        Some(format!("HTTP status {status}"))
    } else {
        None
    };
    Some((index, outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_quotes_urls_and_keeps_curl_to_the_web() {
        let text = config(&[r#"http://x/a"b\c"#.to_string()], Method::Head);
        assert!(text.contains(r#"url = "http://x/a\"b\\c""#), "{text}");
        for option in [
            "head\n",
            "proto = \"=http,https\"",
            "proto-redir = \"=http,https\"",
        ] {
            assert!(text.contains(option), "{option}: {text}");
        }
        assert!(!config(&["http://x/".into()], Method::Get).contains("head\n"));
        let two = config(&["http://a/".into(), "http://b/".into()], Method::Get);
        assert_eq!(two.matches("next\n").count(), 1, "{two}");
    }

    #[test]
    fn write_out_lines_and_versions_are_read() {
        assert_eq!(result("3\t200\t0\t"), Some((3, None)));
        assert_eq!(
            result("0\t404\t0\t"),
            Some((0, Some("HTTP status 404".into())))
        );
        assert_eq!(
            result("1\t000\t0\t"),
            Some((1, Some("no HTTP answer".into())))
        );
        let refused = result("2\t302\t1\tProtocol \"file\" not supported").unwrap();
        assert_eq!(
            refused.1.as_deref(),
            Some("Protocol \"file\" not supported")
        );
        assert_eq!(result("garbage"), None);
        assert_eq!(
            version("curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1"),
            Some((7, 88))
        );
        assert_eq!(version("curl 8.5.0 (x)"), Some((8, 5)));
        assert!(version("curl 7.68.0 (x)").unwrap() < MINIMUM);
    }
}
