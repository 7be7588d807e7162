//! Headless Chromium, driven over the DevTools protocol through `--remote-debugging-pipe`: the
//! browser reads NUL-terminated JSON commands on file descriptor 3 and answers on 4 (see
//! `pipes`, which hands them over). One launch
//! serves every print of a run (the contents need two), no port is opened and no WebSocket or
//! CDP crate is needed. Every wait has a deadline; the process is killed and reaped, and its
//! profile folder deleted, however the run ends. The browser loads nothing but the files of
//! one folder (see `confine`): every request is paused and continued or failed here.

use anyhow::{Context as _, Result, anyhow, bail};
use base64::Engine as _;
use serde_json::{Value, json};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::confine::Folder;

/// Names tried on `PATH` when neither `--chromium` nor `BRIEFING_CHROMIUM` names a browser.
const NAMES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// How the browser is started: headless, quiet, with the DevTools protocol on descriptors
/// 3 and 4, and nothing that fetches on its own.
const FLAGS: [&str; 16] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
    // Nothing printed needs a script: the print document is laid out by its CSS.
    "--blink-settings=scriptEnabled=false",
    // Every connection, loopback included, goes to a proxy on the discard port, where
    // nothing answers. Requests are refused below before they get there; this is for
    // what the DevTools protocol does not see (`<link rel=preconnect>` opens a
    // connection without a request).
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
];

/// The browser to use: `--chromium`, then `BRIEFING_CHROMIUM`, then the usual names on `PATH`.
pub fn find(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        return executable(path)
            .ok_or_else(|| anyhow!("--chromium {}: no such executable", path.display()));
    }
    if let Some(path) = std::env::var_os("BRIEFING_CHROMIUM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return executable(&path)
            .ok_or_else(|| anyhow!("BRIEFING_CHROMIUM={}: no such executable", path.display()));
    }
    let dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    NAMES
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find_map(|path| executable(&path))
        .ok_or_else(|| {
            anyhow!(
                "`briefing pdf` needs Chromium or Google Chrome, and none was found \
                 (looked for {} on PATH). Install it (Debian or Ubuntu: `sudo apt-get install chromium`; \
                 Fedora: `sudo dnf install chromium`; macOS: `brew install --cask chromium`), \
                 or name the browser with --chromium PATH or BRIEFING_CHROMIUM",
                NAMES.join(", ")
            )
        })
}

/// `path` if it is a file this user may run (on Unix, one with an execute bit).
fn executable(path: &Path) -> Option<PathBuf> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let runnable = std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o111 != 0;
    #[cfg(not(unix))]
    let runnable = true;
    (meta.is_file() && runnable).then(|| path.to_path_buf())
}

/// A running headless browser with one page (tab) attached.
pub struct Browser {
    child: Child,
    commands: File,
    replies: Receiver<Value>,
    stderr: Arc<Mutex<Vec<u8>>>,
    session: String,
    next_id: u64,
    timeout: Duration,
    folder: Folder,
    /// The URLs refused, in the order asked for, each once.
    blocked: Vec<String>,
}

impl Browser {
    /// Start `exe` with its profile in `profile` (a fresh folder the caller deletes), and open
    /// a blank page that may load only files in `folder`. Every later call must answer within
    /// `timeout`.
    pub fn launch(
        exe: &Path,
        profile: &Path,
        folder: Folder,
        timeout: Duration,
    ) -> Result<Browser> {
        let mut cmd = Command::new(exe);
        cmd.args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            // Chromium's own temporary files go beside its profile, into the folder removed
            // with it (`tempdirs::TempDir`).
            .env("TMPDIR", profile.parent().unwrap_or(profile));
        let (mut child, commands, replies) = super::pipes::spawn(&mut cmd)
            .with_context(|| format!("cannot start {}", exe.display()))?;
        crate::tempdirs::own_child(child.id());
        let stderr = Arc::new(Mutex::new(Vec::new()));
        if let Some(mut pipe) = child.stderr.take() {
            let keep = stderr.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = pipe.read(&mut buf) {
                    let mut kept = keep.lock().unwrap_or_else(|e| e.into_inner());
                    kept.extend_from_slice(&buf[..n]);
                    let excess = kept.len().saturating_sub(16 * 1024);
                    kept.drain(..excess);
                }
            });
        }
        let mut browser = Browser {
            child,
            commands,
            replies: read_messages(replies),
            stderr,
            session: String::new(),
            next_id: 0,
            timeout,
            folder,
            blocked: Vec::new(),
        };
        browser.attach()?;
        Ok(browser)
    }

    /// Pause every request the browser makes (see `decide`), open a page and attach to it,
    /// with scripts off.
    fn attach(&mut self) -> Result<()> {
        // Paused on the browser, not the page, so that frames in other processes are too.
        self.call(
            "Fetch.enable",
            json!({"patterns": [{"urlPattern": "*", "requestStage": "Request"}]}),
        )?;
        let target = self.call("Target.createTarget", json!({"url": "about:blank"}))?;
        let target = target["targetId"].as_str().unwrap_or_default().to_string();
        let attached = self.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        )?;
        self.session = attached["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("Chromium did not attach to its page"))?
            .to_string();
        self.call("Page.enable", json!({}))?;
        self.call(
            "Emulation.setScriptExecutionDisabled",
            json!({"value": true}),
        )?;
        Ok(())
    }

    /// Load `url` in the page and wait for its `load` event.
    pub fn open(&mut self, url: &str) -> Result<()> {
        let answer = self.call("Page.navigate", json!({"url": url}))?;
        if let Some(error) = answer["errorText"].as_str() {
            bail!("Chromium could not open {url}: {error}");
        }
        self.wait_for(|m| m["method"] == "Page.loadEventFired")?;
        Ok(())
    }

    /// Print the loaded page: paper size and margins from its CSS `@page` rules, backgrounds
    /// as styled, tagged, with an outline made from its headings.
    pub fn print(&mut self) -> Result<Vec<u8>> {
        let answer = self.call(
            "Page.printToPDF",
            json!({
                "preferCSSPageSize": true,
                "printBackground": true,
                "displayHeaderFooter": false,
                "generateTaggedPDF": true,
                "generateDocumentOutline": true,
            }),
        )?;
        let data = answer["data"]
            .as_str()
            .ok_or_else(|| anyhow!("Chromium's printToPDF answer holds no data"))?;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .context("Chromium's printToPDF answer is not base64")
    }

    /// The URLs the page asked for and was refused, each once.
    pub fn blocked(&self) -> &[String] {
        &self.blocked
    }

    /// Send one command (to the page once attached) and wait for its answer.
    fn call(&mut self, method: &str, params: Value) -> Result<Value> {
        let session = self.session.clone();
        let id = self.send(method, params, &session)?;
        let answer = self.wait_for(|m| m["id"] == id)?;
        if let Some(error) = answer.get("error") {
            bail!("Chromium refused {method}: {}", error["message"]);
        }
        Ok(answer["result"].clone())
    }

    /// Send one command to `session` (the browser itself when empty); returns its id.
    fn send(&mut self, method: &str, params: Value, session: &str) -> Result<u64> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if !session.is_empty() {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message)?;
        bytes.push(0);
        if self.commands.write_all(&bytes).is_err() {
            return Err(self.died(method));
        }
        Ok(id)
    }

    /// Let a paused request go on if it names a file in the folder, else fail it. The answer
    /// to either is not waited for: a request may be gone already, and that is no error.
    fn decide(&mut self, paused: &Value) -> Result<()> {
        let params = &paused["params"];
        let id = params["requestId"].clone();
        let url = params["request"]["url"].as_str().unwrap_or_default();
        let session = paused["sessionId"].as_str().unwrap_or_default().to_string();
        if self.folder.allows(url) {
            self.send("Fetch.continueRequest", json!({"requestId": id}), &session)?;
            return Ok(());
        }
        if !self.blocked.iter().any(|b| b == url) {
            self.blocked.push(url.to_string());
        }
        let fail = json!({"requestId": id, "errorReason": "BlockedByClient"});
        self.send("Fetch.failRequest", fail, &session)?;
        Ok(())
    }

    /// The first message matching `wanted`, within the timeout. Requests paused meanwhile are
    /// decided on the way.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Result<Value> {
        let deadline = Instant::now() + self.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.replies.recv_timeout(left) {
                Ok(message) if wanted(&message) => return Ok(message),
                Ok(message) if message["method"] == "Fetch.requestPaused" => {
                    self.decide(&message)?
                }
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    bail!(
                        "Chromium did not answer within {} s; it was stopped (set BRIEFING_CHROMIUM_TIMEOUT to wait longer){}",
                        self.timeout.as_secs(),
                        self.stderr_tail()
                    );
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.died("waiting")),
            }
        }
    }

    /// The error for a browser that went away: its exit status and the end of what it printed.
    fn died(&mut self, during: &str) -> anyhow::Error {
        let status = match self.child.wait() {
            Ok(status) => status.to_string(),
            Err(e) => e.to_string(),
        };
        anyhow!(
            "Chromium stopped unexpectedly ({status}) during {during}{}",
            self.stderr_tail()
        )
    }

    fn stderr_tail(&self) -> String {
        // Give the reader thread a moment to collect the last words of a crashed browser.
        std::thread::sleep(Duration::from_millis(50));
        let kept = self.stderr.lock().unwrap_or_else(|e| e.into_inner());
        let text = String::from_utf8_lossy(&kept);
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| !l.contains("dbus") && !l.trim().is_empty())
            .collect();
        let tail = &lines[lines.len().saturating_sub(5)..];
        if tail.is_empty() {
            String::new()
        } else {
            format!("; its last output:\n  {}", tail.join("\n  "))
        }
    }
}

impl Drop for Browser {
    /// Nothing needs a graceful close: the prints are in memory. Kill and reap the browser so
    /// that its profile folder can be deleted.
    fn drop(&mut self) {
        crate::tempdirs::end_child(&mut self.child);
    }
}

/// A thread that splits the browser's output into JSON messages; the channel closes when the
/// browser does.
fn read_messages(mut from: File) -> Receiver<Value> {
    let (send, receive) = channel();
    std::thread::spawn(move || {
        let mut pending = Vec::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            pending.extend_from_slice(&buf[..n]);
            let mut start = 0;
            while let Some(end) = memchr::memchr(0, &pending[start..]) {
                let message = serde_json::from_slice(&pending[start..start + end]);
                start += end + 1;
                if let Ok(message) = message
                    && send.send(message).is_err()
                {
                    return;
                }
            }
            pending.drain(..start);
        }
    });
    receive
}
