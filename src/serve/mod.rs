//! `fascia serve`: builds into memory, serves on loopback, watches the site
//! and pushes reloads to open tabs over Server-Sent Events.

mod memory;
mod server;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::console::Console;
use crate::diagnostics::render_all;
use crate::pipeline::{BuildOptions, Session, TimeoutHook};
pub use memory::{Files, MemorySink};

/// Options of `fascia serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root.
    pub root: PathBuf,
    /// Address to bind, loopback by default.
    pub bind: IpAddr,
    /// First port to try.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// Include drafts.
    pub drafts: bool,
    /// Poll for changes instead of native file events.
    pub poll: bool,
    /// How long to wait for a burst of saves to settle.
    pub debounce: Duration,
}

/// What the browser tabs are shown, shared between the server and the watcher.
#[derive(Default)]
pub struct Store {
    /// Served files, by path relative to the site root.
    pub files: Files,
    /// The rendered build errors while the last build failed.
    pub error: Option<String>,
}

/// A message to every open tab, as JSON.
pub fn message(kind: &str, field: Option<(&str, serde_json::Value)>) -> String {
    let mut m = serde_json::json!({ "type": kind });
    if let Some((k, v)) = field {
        m[k] = v;
    }
    m.to_string()
}

/// Runs the server until the process is stopped. Returns the exit code.
pub fn run(mut opts: ServeOptions, out: Console) -> i32 {
    // File events name absolute paths: a relative root (`.`, README's way) must be
    // made absolute, or no event would ever match the watched folders.
    match opts.root.canonicalize() {
        Ok(root) => opts.root = root,
        Err(e) => {
            out.error(format!(
                "cannot open the site folder {}: {e}",
                opts.root.display()
            ));
            return 1;
        }
    }
    let Some((listener, addr, base_url)) = listen(&opts, out) else {
        return 1;
    };
    let store = Arc::new(RwLock::new(Store::default()));
    let (tx, _) = broadcast::channel::<String>(64);
    let mut build = BuildOptions::new(&opts.root);
    build.base_url = Some(base_url.clone());
    build.drafts = opts.drafts;
    build.lint = true;
    // A render past its time limit: the tabs show the error at once; the
    // rebuild fails when the render ends, and the last good pages stay served.
    let (hook_store, hook_tx) = (store.clone(), tx.clone());
    build.on_timeout = Some(TimeoutHook(Arc::new(move |d| {
        out.diagnostics(std::slice::from_ref(d));
        let text = render_all(std::slice::from_ref(d), false);
        hook_store.write().unwrap_or_else(|e| e.into_inner()).error = Some(text.clone());
        let _ = hook_tx.send(message("error", Some(("text", serde_json::json!(text)))));
    })));

    let mut session = Session::new(build);
    first_build(&mut session, &store, out);

    let watcher = match watch::start(session, store.clone(), tx.clone(), &opts, out) {
        Ok(w) => w,
        Err(e) => {
            out.error(format!("cannot watch the site for changes: {e}"));
            return 1;
        }
    };
    out.result(format!(
        "Serving {} at {base_url}/ (Ctrl+C to stop)",
        opts.root.display()
    ));
    if opts.open {
        let _ = open::that_detached(format!("{base_url}/"));
    }
    let state = server::State::new(store, tx, addr, opts.bind);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            out.error(format!("cannot start the server: {e}"));
            return 1;
        }
    };
    let result = runtime.block_on(server::serve(listener, state));
    drop(watcher);
    match result {
        Ok(()) => 0,
        Err(e) => {
            out.error(format!("the server stopped: {e}"));
            1
        }
    }
}

/// Binds the port (or the next free one) and says where the site is served.
fn listen(opts: &ServeOptions, out: Console) -> Option<(TcpListener, SocketAddr, String)> {
    let Some((listener, addr)) = bind(opts.bind, opts.port) else {
        out.error(format!(
            "no free port from {} to {}",
            opts.port,
            opts.port.saturating_add(50)
        ));
        return None;
    };
    if opts.port != 0 && addr.port() != opts.port {
        out.status(format!(
            "Port {} is taken; using {} instead.",
            opts.port,
            addr.port()
        ));
    }
    if !opts.bind.is_loopback() {
        out.warning(format!(
            "serving on {}, which other machines can reach. The preview server is for local use only.",
            opts.bind
        ));
    }
    let host = match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let base_url = format!("http://{host}:{}", addr.port());
    Some((listener, addr, base_url))
}

/// The first full build into memory; a failure is served as the error page.
fn first_build(session: &mut Session, store: &Arc<RwLock<Store>>, out: Console) {
    let started = Instant::now();
    let sink = MemorySink::default();
    match session
        .full(&sink)
        .and_then(|w| session.search_index(&sink).map(|_| w))
    {
        Ok(warnings) => {
            out.diagnostics(&warnings);
            let files = sink.into_files();
            let pages = files.keys().filter(|k| k.ends_with(".html")).count();
            store.write().unwrap_or_else(|e| e.into_inner()).files = files;
            out.status(format!(
                "Built {pages} HTML files in {} ms",
                started.elapsed().as_millis()
            ));
        }
        Err(diags) => {
            out.diagnostics(&diags);
            out.status("The first build failed; serving the error until it is fixed.");
            store.write().unwrap_or_else(|e| e.into_inner()).error =
                Some(render_all(&diags, false));
        }
    }
}

/// Binds the first free port from `port` on.
fn bind(ip: IpAddr, port: u16) -> Option<(TcpListener, SocketAddr)> {
    (port..=port.saturating_add(50)).find_map(|p| {
        let listener = TcpListener::bind(SocketAddr::new(ip, p)).ok()?;
        let addr = listener.local_addr().ok()?;
        Some((listener, addr))
    })
}
