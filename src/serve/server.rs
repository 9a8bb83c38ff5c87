//! The HTTP side of `serve`: files from memory, the live-reload script and its
//! event stream, and the checks that keep other sites out (Host and Origin).

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use super::{message, Store};
use crate::outpath::output_file;

const SCRIPT: &str = include_str!("livereload.js");
const SCRIPT_PATH: &str = "/__fascia/livereload.js";
const EVENTS_PATH: &str = "/__fascia/events";

/// Shared by every request.
#[derive(Clone)]
pub struct State {
    store: Arc<RwLock<Store>>,
    tx: broadcast::Sender<String>,
    hosts: Arc<Vec<String>>,
    any_ip_host: bool,
}

impl State {
    /// Allows the bound address and the loopback names on the bound port.
    pub fn new(
        store: Arc<RwLock<Store>>,
        tx: broadcast::Sender<String>,
        addr: SocketAddr,
        bind: IpAddr,
    ) -> Self {
        let port = addr.port();
        let mut hosts = vec![
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ];
        match addr.ip() {
            IpAddr::V6(ip) => hosts.push(format!("[{ip}]:{port}")),
            IpAddr::V4(ip) => hosts.push(format!("{ip}:{port}")),
        }
        State {
            store,
            tx,
            hosts: Arc::new(hosts),
            // Bound to all interfaces: other machines reach it by IP, never by a DNS name.
            any_ip_host: bind.is_unspecified(),
        }
    }

    fn host_allowed(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        if self.hosts.contains(&host) {
            return true;
        }
        self.any_ip_host
            && host
                .rsplit_once(':')
                .is_some_and(|(h, _)| h.trim_matches(['[', ']']).parse::<IpAddr>().is_ok())
    }
}

/// How long a connection may stay silent in both directions before it is
/// closed: longer than the event stream's keep-alive (15 s), so open tabs stay
/// connected. `FASCIA_SERVE_IDLE_TIMEOUT_MS` changes it (the tests use it).
fn idle_timeout() -> Duration {
    std::env::var("FASCIA_SERVE_IDLE_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(30), Duration::from_millis)
}

/// Accepts connections that close themselves after [`idle_timeout`] without traffic.
struct IdleListener {
    inner: tokio::net::TcpListener,
    timeout: Duration,
}

impl axum::serve::Listener for IdleListener {
    type Io = IdleStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = axum::serve::Listener::accept(&mut self.inner).await;
        let stream = IdleStream {
            inner: io,
            timeout: self.timeout,
            deadline: Box::pin(tokio::time::sleep(self.timeout)),
        };
        (stream, addr)
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A TCP stream whose reads fail once nothing was read or written for `timeout`:
/// hyper then closes the connection, so idle sockets cannot pile up.
struct IdleStream {
    inner: tokio::net::TcpStream,
    timeout: Duration,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl IdleStream {
    fn active(&mut self) {
        let next = tokio::time::Instant::now() + self.timeout;
        self.deadline.as_mut().reset(next);
    }
}

impl AsyncRead for IdleStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                if buf.filled().len() > before {
                    self.active();
                }
                Poll::Ready(r)
            }
            Poll::Pending => match self.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "idle connection",
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for IdleStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.active();
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Serves until the process ends.
pub async fn serve(listener: std::net::TcpListener, state: State) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = IdleListener {
        inner: tokio::net::TcpListener::from_std(listener)?,
        timeout: idle_timeout(),
    };
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(get(file))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state);
    axum::serve(listener, app).await
}

/// Refuses requests for other hosts (DNS rebinding) and event streams opened by other sites.
async fn guard(
    axum::extract::State(state): axum::extract::State<State>,
    req: Request,
    next: Next,
) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !state.host_allowed(host) {
        return (StatusCode::FORBIDDEN, "fascia serve: unknown Host\n").into_response();
    }
    if req.uri().path() == EVENTS_PATH {
        if let Some(origin) = req.headers().get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or("");
            let ok = origin
                .strip_prefix("http://")
                .is_some_and(|h| state.host_allowed(h));
            if !ok {
                return (
                    StatusCode::FORBIDDEN,
                    "fascia serve: cross-origin event stream refused\n",
                )
                    .into_response();
            }
        }
    }
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    res
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

async fn events(axum::extract::State(state): axum::extract::State<State>) -> Response {
    let first = {
        let store = state.store.read().unwrap_or_else(|e| e.into_inner());
        match &store.error {
            Some(text) => message("error", Some(("text", serde_json::json!(text)))),
            None => message("ok", None),
        }
    };
    let updates = BroadcastStream::new(state.tx.subscribe()).filter_map(|m| m.ok());
    let stream = tokio_stream::once(first)
        .chain(updates)
        .map(|m| Ok::<_, Infallible>(Event::default().data(m)));
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn file(axum::extract::State(state): axum::extract::State<State>, req: Request) -> Response {
    let raw = req.uri().path();
    let Some(path) = safe_path(raw) else {
        return (
            StatusCode::FORBIDDEN,
            "fascia serve: path outside the site\n",
        )
            .into_response();
    };
    let store = state.store.read().unwrap_or_else(|e| e.into_inner());
    if store.files.is_empty() {
        if let Some(text) = &store.error {
            return html(
                StatusCode::INTERNAL_SERVER_ERROR,
                error_page(text).as_bytes(),
            );
        }
    }
    let rel = output_file(&path);
    if let Some(bytes) = store.files.get(&rel) {
        return respond(StatusCode::OK, &rel, bytes);
    }
    if !path.ends_with('/')
        && store
            .files
            .contains_key(&format!("{}/index.html", path.trim_matches('/')))
    {
        let to = format!("{path}/");
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
    }
    match store.files.get("404.html") {
        Some(bytes) => respond(StatusCode::NOT_FOUND, "404.html", bytes),
        None => (StatusCode::NOT_FOUND, "Not found\n").into_response(),
    }
}

/// Decodes the path and refuses anything that could step outside the site.
fn safe_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) || decoded.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    // A second layer of encoding (`%252e%252e`) is refused too.
    if decoded.contains('%') {
        let twice = percent_encoding::percent_decode_str(&decoded)
            .decode_utf8()
            .ok()?;
        if twice.split('/').any(|seg| seg == "..") || twice.contains(['\\', '\0']) {
            return None;
        }
    }
    Some(decoded.into_owned())
}

fn respond(status: StatusCode, rel: &str, bytes: &[u8]) -> Response {
    if rel.ends_with(".html") {
        return html(status, bytes);
    }
    let mime = mime_guess::from_path(rel).first_or_octet_stream();
    let mut value = mime.essence_str().to_string();
    if value.starts_with("text/")
        || value.ends_with("xml")
        || value.ends_with("json")
        || value.ends_with("javascript")
    {
        value.push_str("; charset=utf-8");
    }
    (
        status,
        [(header::CONTENT_TYPE, value)],
        Body::from(bytes.to_vec()),
    )
        .into_response()
}

/// Adds the live-reload script just before `</body>`.
fn html(status: StatusCode, bytes: &[u8]) -> Response {
    let tag = format!("<script type=\"module\" src=\"{SCRIPT_PATH}\"></script>");
    let text = String::from_utf8_lossy(bytes);
    let out = match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]),
        None => format!("{text}{tag}"),
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        out,
    )
        .into_response()
}

fn error_page(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head>\
         <body><main><h1>The build failed</h1><pre>{escaped}</pre></main></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::safe_path;

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a/..%2f..%2fx",
            "/%252e%252e/x",
            "/a\\..\\b",
            "/%00",
        ] {
            assert!(safe_path(bad).is_none(), "{bad}");
        }
        assert_eq!(
            safe_path("/conditions/neck%20pain/").as_deref(),
            Some("/conditions/neck pain/")
        );
    }
}
