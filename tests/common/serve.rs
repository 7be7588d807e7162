//! Harness for `briefing serve`: start the real binary on a free port, fetch with a tiny raw
//! HTTP/1.1 client (raw so that traversal paths reach the server exactly as written), and read
//! the reload event stream. Every wait is bounded; the server is killed on drop.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a wait lasts before the test fails: long enough that only a hang reaches it, even
/// on a busy two-core machine (a build event took over 10 s there; issue 24).
pub const WAIT: Duration = Duration::from_secs(60);

/// A running `briefing serve`.
pub struct Server {
    child: Child,
    pub addr: String,
    /// The server's TMPDIR, which it must leave empty: the site is served from memory.
    pub tmp: tempfile::TempDir,
    output: Arc<Mutex<String>>,
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.as_str())
    }
}

/// One Server-Sent Event: its name and data.
pub type Event = (String, String);

impl Server {
    /// `briefing serve --port 0 --root ROOT`, once it has printed its URL.
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, None)
    }

    /// [`Server::start`] with more arguments (`--interface 0.0.0.0`).
    pub fn start_args(root: &Path, args: &[&str]) -> Server {
        Server::spawn(root, None, args)
    }

    /// [`Server::start`], allowed at most `descriptors` open files (`ulimit -n`) when given.
    pub fn start_with(root: &Path, descriptors: Option<u32>) -> Server {
        Server::spawn(root, descriptors, &[])
    }

    fn spawn(root: &Path, descriptors: Option<u32>, args: &[&str]) -> Server {
        let tmp = tempfile::tempdir().unwrap();
        let mut command = match descriptors {
            Some(n) => {
                let mut sh = Command::new("sh");
                sh.args(["-c", &format!("ulimit -n {n} && exec \"$0\" \"$@\"")]);
                sh.arg(env!("CARGO_BIN_EXE_briefing"));
                sh
            }
            None => Command::new(env!("CARGO_BIN_EXE_briefing")),
        };
        let mut child = command
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(args)
            .env("TMPDIR", tmp.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start briefing serve");
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        collect(child.stdout.take().unwrap(), output.clone(), Some(tx));
        collect(child.stderr.take().unwrap(), output.clone(), None);
        let mut server = Server {
            child,
            addr: String::new(),
            tmp,
            output,
        };
        let line: String = rx.recv_timeout(WAIT).expect("serve printed no URL");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap();
        server.addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .into();
        server
    }

    /// Everything the server printed so far.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// GET `path`, sent exactly as given.
    pub fn get(&self, path: &str) -> Response {
        self.try_get(path)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// [`Server::get`], with what went wrong instead of a panic.
    pub fn try_get(&self, path: &str) -> Result<Response, String> {
        let host = format!("Host: {}", self.addr);
        self.try_get_with(path, &[&host])
    }

    /// GET `path` with the header lines `headers` (`Host: evil.example`, `Origin: ...`)
    /// instead of the usual `Host`.
    pub fn get_with(&self, path: &str, headers: &[&str]) -> Response {
        self.try_get_with(path, headers)
            .unwrap_or_else(|e| panic!("GET {path} {headers:?}: {e}"))
    }

    /// The status and headers of GET `path` with `headers`, not waiting for the body (an
    /// event stream has no end); the body is left empty.
    pub fn head_with(&self, path: &str, headers: &[&str]) -> Response {
        let stream = self.try_send(path, headers).expect("connect");
        let mut lines = BufReader::new(stream).lines().map_while(Result::ok);
        let status = lines.next().expect("a status line");
        let status = status.split(' ').nth(1).and_then(|s| s.parse().ok());
        let headers = lines
            .take_while(|l| !l.is_empty())
            .filter_map(|l| {
                let (n, v) = l.split_once(':')?;
                Some((n.trim().to_ascii_lowercase(), v.trim().to_string()))
            })
            .collect();
        Response {
            status: status.expect("a status code"),
            headers,
            body: String::new(),
        }
    }

    fn try_get_with(&self, path: &str, headers: &[&str]) -> Result<Response, String> {
        let mut stream = self
            .try_send(path, headers)
            .map_err(|e| format!("connect: {e}"))?;
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .map_err(|e| format!("read: {e}"))?;
        let raw = String::from_utf8_lossy(&raw);
        let (head, body) = raw
            .split_once("\r\n\r\n")
            .ok_or_else(|| format!("no response head in {raw:?}"))?;
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Ok(Response {
            status,
            headers,
            body: body.to_string(),
        })
    }

    /// Subscribe to the reload stream.
    pub fn events(&self) -> Events {
        let stream = self.connect("/__briefing/events");
        stream.set_read_timeout(None).unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (String::new(), String::new());
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { return };
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                } else if line.is_empty() && !name.is_empty() {
                    let event = (std::mem::take(&mut name), std::mem::take(&mut data));
                    if tx.send(event).is_err() {
                        return;
                    }
                }
            }
        });
        Events(rx)
    }

    fn connect(&self, path: &str) -> TcpStream {
        self.try_connect(path).expect("connect")
    }

    fn try_connect(&self, path: &str) -> std::io::Result<TcpStream> {
        self.try_send(path, &[&format!("Host: {}", self.addr)])
    }

    fn try_send(&self, path: &str, headers: &[&str]) -> std::io::Result<TcpStream> {
        let mut stream = TcpStream::connect(&self.addr)?;
        stream.set_read_timeout(Some(WAIT))?;
        let headers: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
        let request = format!("GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n");
        stream.write_all(request.as_bytes())?;
        Ok(stream)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Copy a child's output into `sink`, and its first line with a URL to `url`.
fn collect(
    pipe: impl Read + Send + 'static,
    sink: Arc<Mutex<String>>,
    url: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            sink.lock().unwrap().push_str(&format!("{line}\n"));
            if let Some(tx) = &url
                && line.contains("http://")
            {
                let _ = tx.send(line);
            }
        }
    });
}

/// The reload stream of one browser tab.
pub struct Events(Receiver<Event>);

impl Events {
    /// The next event, waiting at most `timeout`.
    pub fn next(&self, timeout: Duration) -> Option<Event> {
        self.0.recv_timeout(timeout).ok()
    }

    /// Skip events until one named `name` arrives; panics after [`WAIT`].
    pub fn wait_for(&self, name: &str) -> Event {
        let deadline = Instant::now() + WAIT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.next(left) {
                Some(event) if event.0 == name => return event,
                Some(_) => {}
                None => break,
            }
        }
        panic!("no {name} event within {WAIT:?}");
    }
}
