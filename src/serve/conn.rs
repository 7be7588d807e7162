//! Connections, so that nobody can lock the server out: each must send its request headers in
//! time and is closed after a spell without traffic, their number is capped below what the
//! process may open, and when the cap or the descriptor table is reached the connection that
//! has been quiet longest makes room for the new one.

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::BTreeMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

/// How connections are bounded.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open connections at most.
    pub max: usize,
    /// Time a client has to send a request's headers.
    pub header_read: Duration,
    /// A connection without a byte either way for this long is closed. The event stream sends
    /// a keep-alive comment more often than this, so open tabs stay.
    pub idle: Duration,
}

impl Limits {
    /// The defaults: at most 512 connections, or fewer when the process may open fewer
    /// descriptors (some are kept for reading the site); 10 s for headers, 60 s idle.
    pub fn for_this_process() -> Limits {
        Limits {
            max: descriptor_limit().saturating_sub(64).clamp(8, 512),
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(60),
        }
    }
}

/// How many descriptors the process may open: `getrlimit(RLIMIT_NOFILE)` on Unix (Linux and
/// macOS alike), 1024 if it cannot say.
#[cfg(unix)]
fn descriptor_limit() -> usize {
    // SAFETY: getrlimit writes only into `limit`, which is valid and plain data.
    let mut limit: libc::rlimit = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return 1024;
    }
    if limit.rlim_cur == libc::RLIM_INFINITY {
        return usize::MAX;
    }
    usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX)
}

/// Windows has no such limit on sockets: 1024, so the cap below is its default of 512.
#[cfg(not(unix))]
fn descriptor_limit() -> usize {
    1024
}

/// One open connection: when it last moved a byte, and how to ask it to close.
struct Conn {
    last: AtomicU64,
    close: Notify,
    /// Already asked to close: shedding it again would free nothing, and the accept loop
    /// would take a descriptor for every one it believes it freed.
    shed: AtomicBool,
}

/// The open connections by number (oldest first), and the clock their activity is read on.
struct Registry {
    open: Mutex<BTreeMap<u64, Arc<Conn>>>,
    start: Instant,
}

impl Registry {
    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn len(&self) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Ask the connection quiet the longest to close; false if there is none.
    fn shed_oldest_idle(&self) -> bool {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let quietest = open
            .values()
            .filter(|c| !c.shed.load(Ordering::Relaxed))
            .min_by_key(|c| c.last.load(Ordering::Relaxed));
        match quietest {
            Some(conn) => {
                conn.shed.store(true, Ordering::Relaxed);
                conn.close.notify_one();
                true
            }
            None => false,
        }
    }

    /// A new open connection, numbered `n`.
    fn register(&self, n: u64) -> Arc<Conn> {
        let conn = Arc::new(Conn {
            last: AtomicU64::new(self.now()),
            close: Notify::new(),
            shed: AtomicBool::new(false),
        });
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.insert(n, conn.clone());
        conn
    }

    /// Ask every connection idle past `limit` to close.
    fn close_idle(&self, limit: Duration) {
        let now = self.now();
        let limit = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        for conn in open.values() {
            if now.saturating_sub(conn.last.load(Ordering::Relaxed)) >= limit {
                conn.close.notify_one();
            }
        }
    }
}

/// Accept and serve connections with `app` until `stop` turns true.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    mut stop: watch::Receiver<bool>,
    limits: Limits,
) {
    let registry = Arc::new(Registry {
        open: Mutex::default(),
        start: Instant::now(),
    });
    let reaper = tokio::spawn(reap(registry.clone(), limits.idle));
    let mut next = 0u64;
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.wait_for(|stop| *stop) => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) if out_of_descriptors(&e) => {
                // The connection waits in the backlog while the quietest one makes room.
                registry.shed_oldest_idle();
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
            Err(_) => continue,
        };
        if registry.len() >= limits.max && !registry.shed_oldest_idle() {
            continue; // nothing to shed: refuse by closing
        }
        next += 1;
        let conn = registry.register(next);
        let (registry, app, stop) = (registry.clone(), app.clone(), stop.clone());
        tokio::spawn(async move {
            one(stream, app, conn, &registry, stop, limits).await;
            registry
                .open
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&next);
        });
    }
    reaper.abort();
}

/// Close the connections idle for `idle` or more, once a second, until aborted.
async fn reap(registry: Arc<Registry>, idle: Duration) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        registry.close_idle(idle);
    }
}

fn out_of_descriptors(e: &io::Error) -> bool {
    // EMFILE and ENFILE: the process's or the system's table is full.
    matches!(e.raw_os_error(), Some(24 | 23))
}

/// Serve one connection until it ends, is shed, idles out or the server stops.
async fn one(
    stream: TcpStream,
    app: Router,
    conn: Arc<Conn>,
    registry: &Arc<Registry>,
    mut stop: watch::Receiver<bool>,
    limits: Limits,
) {
    // Which of the machine's addresses the client reached, for `names::only_own`.
    let app = match stream.local_addr() {
        Ok(addr) => app.layer(axum::Extension(super::names::Local(addr))),
        Err(_) => app,
    };
    let io = TokioIo::new(Tracked {
        io: stream,
        conn: conn.clone(),
        registry: registry.clone(),
    });
    let http = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .keep_alive(true)
        .serve_connection(io, TowerToHyperService::new(app));
    tokio::pin!(http);
    let stopping = tokio::select! {
        _ = http.as_mut() => false,
        // Shed or idle: the quietest connection moves no bytes, so it is closed at once.
        () = conn.close.notified() => false,
        _ = stop.wait_for(|stop| *stop) => true,
    };
    if stopping {
        // Finish a response under way, briefly; an event stream never finishes and is cut.
        http.as_mut().graceful_shutdown();
        let _ = tokio::time::timeout(Duration::from_secs(1), http).await;
    }
}

/// A stream that notes the time of every byte it moves.
struct Tracked {
    io: TcpStream,
    conn: Arc<Conn>,
    registry: Arc<Registry>,
}

impl Tracked {
    fn touch(&self) {
        self.conn.last.store(self.registry.now(), Ordering::Relaxed);
    }
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.io).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.touch();
        }
        result
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.io).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        result
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// libc's `getrlimit`, the call macOS makes too, agrees with what Linux says in /proc.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_descriptor_limit_is_the_process_soft_limit() {
        let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
        let line = limits.lines().find(|l| l.starts_with("Max open files"));
        let soft = line.unwrap().split_whitespace().nth(3).unwrap();
        let expected = soft.parse().unwrap_or(usize::MAX); // "unlimited"
        assert_eq!(descriptor_limit(), expected);
    }

    /// A server with short limits on a loopback port, in a runtime of its own.
    fn server(limits: Limits) -> (std::net::SocketAddr, watch::Sender<bool>) {
        let (stop, stopped) = watch::channel(false);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                let app = Router::new().route("/", axum::routing::get(|| async { "hello" }));
                serve(listener, app, stopped, limits).await;
            });
        });
        (rx.recv().unwrap(), stop)
    }

    /// Seconds until the server closes `stream` (reads give 0 bytes or fail); `None` if it
    /// is still open after `within`.
    fn closed_after(mut stream: &std::net::TcpStream, within: Duration) -> Option<f64> {
        let started = Instant::now();
        stream.set_read_timeout(Some(within)).unwrap();
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => return Some(started.elapsed().as_secs_f64()),
                Ok(_) => continue,
                Err(e)
                    if e.kind() == io::ErrorKind::WouldBlock
                        || e.kind() == io::ErrorKind::TimedOut =>
                {
                    return None;
                }
                Err(_) => return Some(started.elapsed().as_secs_f64()),
            }
        }
    }

    const SHORT: Limits = Limits {
        max: 4,
        header_read: Duration::from_millis(300),
        idle: Duration::from_millis(300),
    };

    #[test]
    fn a_client_that_never_finishes_its_headers_is_cut_off() {
        // It keeps sending a byte now and then, so only the header timeout can catch it.
        let (addr, _stop) = server(Limits {
            idle: Duration::from_secs(3600),
            ..SHORT
        });
        let mut slow = std::net::TcpStream::connect(addr).unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if closed_after(&slow, Duration::from_millis(100)).is_some() {
                return;
            }
            if slow.write_all(b"X").is_err() {
                return;
            }
        }
        panic!("a request whose headers never end holds its connection open");
    }

    #[test]
    fn a_quiet_kept_alive_connection_is_closed() {
        let (addr, _stop) = server(Limits {
            header_read: Duration::from_secs(3600),
            ..SHORT
        });
        let mut quiet = std::net::TcpStream::connect(addr).unwrap();
        quiet
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut head = [0u8; 12];
        quiet.read_exact(&mut head).unwrap();
        assert_eq!(&head, b"HTTP/1.1 200");
        assert!(
            closed_after(&quiet, Duration::from_secs(20)).is_some(),
            "an idle keep-alive connection stays open"
        );
    }

    #[test]
    fn past_the_cap_the_quietest_connection_makes_room() {
        let (addr, _stop) = server(Limits {
            idle: Duration::from_secs(3600),
            header_read: Duration::from_secs(3600),
            ..SHORT
        });
        let silent: Vec<_> = (0..SHORT.max)
            .map(|_| std::net::TcpStream::connect(addr).unwrap())
            .collect();
        std::thread::sleep(Duration::from_millis(100));
        let mut real = std::net::TcpStream::connect(addr).unwrap();
        real.set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        real.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut reply = String::new();
        real.read_to_string(&mut reply).unwrap();
        assert!(
            reply.starts_with("HTTP/1.1 200") && reply.ends_with("hello"),
            "{reply}"
        );
        let shed = silent
            .iter()
            .filter(|s| closed_after(s, Duration::from_millis(500)).is_some())
            .count();
        assert!(shed >= 1, "no silent connection was shed");
    }
}
