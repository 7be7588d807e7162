//! `briefing serve`: a dev server. Build the site in memory on the same pipeline as `briefing
//! build`, serve it from there, rebuild on every change (re-rendering only the pages whose
//! inputs changed), and tell open browsers to reload over Server-Sent Events once the new build
//! is in place. A failed build keeps the last good site served and shows the error in the
//! terminal and, as an overlay, in the browser. Nothing is written to disk.

mod cache;
mod conn;
mod files;
mod live;
mod memory;
mod names;
mod rebuild;
mod watch;

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

pub use cache::Changed;
pub use memory::MemSite;
pub use rebuild::{Built, Incremental};
use std::time::Duration;

use crate::output;
use live::Status;
use rebuild::Rebuilder;

/// What `briefing serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
}

/// State shared by the rebuild thread and the request handlers.
struct Shared {
    /// The last good build; `None` until a build has succeeded.
    site: RwLock<Option<Arc<MemSite>>>,
    /// The state browsers are told about: which build is served, and the current error if any.
    status: tokio::sync::watch::Sender<Status>,
    /// Flips to `true` on Ctrl-C so open event streams end and the server can stop.
    shutdown: tokio::sync::watch::Receiver<bool>,
}

impl Shared {
    /// The site being served now.
    fn site(&self) -> Option<Arc<MemSite>> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Build, serve, watch and rebuild until Ctrl-C.
pub fn run(opts: ServeOptions) -> Result<()> {
    let root = output::absolute(&opts.root)?;
    if !root.is_dir() {
        bail!("site root {} is not a directory", root.display());
    }
    let listener = bind(opts.interface, opts.port)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let shared = Arc::new(Shared {
        site: RwLock::new(None),
        status: tokio::sync::watch::Sender::new(Status::default()),
        shutdown: stop_rx,
    });
    let mut rebuilder = Rebuilder::new(&root, opts.drafts, shared.clone());
    rebuilder.first();
    let watcher = watch::Watcher::start(&root)?;
    std::thread::spawn(move || rebuilder.run(watcher));

    let url = url_of(listener.local_addr()?);
    let root_shown = root.display().to_string();
    println!(
        "Serving {} at {url} (Ctrl-C to stop)",
        crate::diag::shown(&root_shown)
    );
    if opts.open {
        open_browser(&url);
    }
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(serve(listener, shared, stop_tx))?;
    println!("Stopped.");
    Ok(())
}

/// Bind before anything else so a busy port is reported at once, with what to do about it.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener> {
    let addr = SocketAddr::new(ip, port);
    match TcpListener::bind(addr) {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => bail!(
            "port {port} on {ip} is already in use; choose another with --port N, or --port 0 for any free port"
        ),
        Err(e) => Err(e).with_context(|| format!("cannot listen on {addr}")),
    }
}

fn url_of(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
    }
}

/// Serve until Ctrl-C or SIGTERM, then end the event streams and finish open requests.
async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    stop: tokio::sync::watch::Sender<bool>,
) -> Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let mut stopping = shared.shutdown.clone();
    let app = Router::new()
        .route(live::EVENTS_PATH, get(live::events))
        .fallback(files::handle)
        .layer(middleware::from_fn(names::only_own))
        .layer(middleware::from_fn(no_store))
        .with_state(shared);
    let limits = conn::Limits::for_this_process();
    tokio::spawn(async move {
        stop_signal().await;
        let _ = stop.send(true);
    });
    conn::serve(listener, app, stopping.clone(), limits).await;
    // Open connections finish their responses, or are cut, within a second.
    let _ = stopping.wait_for(|stop| *stop).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    Ok(())
}

/// The browser must never show a stale page: every response says `Cache-Control: no-store`.
async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("install the SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// Best effort: a missing browser opener is worth a warning, not an error.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(e) = cmd.arg(url).spawn() {
        crate::diag::warn(format_args!(
            "cannot open a browser ({e}); open {url} yourself"
        ));
    }
}
