//! The dev server under attack: path-traversal variants, foreign Host and
//! Origin headers, and header floods against a running `fascia serve` (started
//! as `tests/testsuite/serve.rs` starts it). Nothing outside the site may come
//! back: only 400, 403 or 404, and never a secret placed beside the site, the
//! site's own sources or `/etc/passwd`. After the floods the server still answers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::report;
use crate::common::copy_dir;

const SECRET: &str = "SENTINEL-SECRET-5e7e";

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Path) -> Server {
    let port = 30000 + (std::process::id() % 20000) as u16;
    let mut child = Command::new(env!("CARGO_BIN_EXE_fascia"))
        .current_dir(site)
        .args(["serve", "--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next().expect("serve printed nothing").unwrap();
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {line}"));
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, port }
}

/// Sends raw request bytes; returns the status (None when the server closed
/// the connection without a response) and the body.
fn raw(port: u16, request: &[u8]) -> (Option<u16>, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    // The server may refuse before reading everything: a failed write is an answer too.
    let _ = s.write_all(request);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let Some(split) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return (None, buf);
    };
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok());
    (status, buf[split + 4..].to_vec())
}

fn get(port: u16, target: &str, headers: &str) -> (Option<u16>, Vec<u8>) {
    let host = if headers.to_ascii_lowercase().contains("host:") {
        String::new()
    } else {
        format!("Host: 127.0.0.1:{port}\r\n")
    };
    raw(
        port,
        format!("GET {target} HTTP/1.1\r\n{host}{headers}Connection: close\r\n\r\n").as_bytes(),
    )
}

/// Request targets that try to leave the site, in many spellings.
fn variants() -> Vec<String> {
    let prefixes = [
        "/../",
        "/../../../../",
        "/..%2f",
        "/..%2F..%2F",
        "/%2e%2e/",
        "/%2E%2E/",
        "/%2e%2E/%2E%2e/",
        "/%2e%2e%2f",
        "/.%2e/",
        "/%2e./",
        "/%252e%252e/",
        "/%252e%252e%252f",
        "/%25252e%25252e/",
        "/..%5c",
        "/%5c..%5c",
        "/..%255c",
        "/%c0%ae%c0%ae/",
        "/%c0%2e%c0%2e/",
        "/%e0%80%ae%e0%80%ae/",
        "/..%c0%af",
        "/..%c1%9c",
        "/%ef%bc%8e%ef%bc%8e/",
        "/conditions/../../",
        "/conditions/%2e%2e/%2e%2e/",
        "/./../",
        "/%2e/%2e%2e/",
        "/%00/../",
        "/..%00/",
        "/.%00./",
        "/....//",
        "/..;/",
        "/%u002e%u002e/",
        "//",
        "///",
        "/%2f%2f",
        "/%2F..%2F..%2F",
    ];
    let targets = ["secret.txt", "etc/passwd"];
    let mut v: Vec<String> = prefixes
        .iter()
        .flat_map(|p| targets.iter().map(move |t| format!("{p}{t}")))
        .collect();
    v.extend(
        [
            "/etc/passwd",
            "/site.toml",
            "/content/about.md",
            "/../site/site.toml",
            "/%2e%2e/site/content/about.md",
            "/templates/base.html",
            "/secret.txt%00.html",
            "/style.css%00",
            "/..\\..\\secret.txt",
            "/\\..\\secret.txt",
            "/conditions\\..\\..\\secret.txt",
            "/C:/Windows/win.ini",
            "/c:%5cwindows%5cwin.ini",
            "/file:///etc/passwd",
            "http://127.0.0.1/../secret.txt",
            "http://evil.example/../../etc/passwd",
            "file:///etc/passwd",
            "etc/passwd",
            "../secret.txt",
            "*",
            "/.fascia-manifest.json",
            "/.fascia-staging/index.html",
        ]
        .map(String::from),
    );
    v
}

#[test]
fn serve_refuses_traversal_foreign_hosts_and_survives_floods() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
        &site,
    );
    std::fs::write(tmp.path().join("secret.txt"), SECRET).unwrap();
    let server = start(&site);
    let port = server.port;
    let (status, body) = get(port, "/", "");
    assert_eq!(status, Some(200), "{}", String::from_utf8_lossy(&body));

    let forbidden = [SECRET, "root:x:0:0", "base_url", "{% extends", "+++"];
    let mut problems = Vec::new();
    let variants = variants();
    let mut statuses = std::collections::BTreeMap::new();
    for v in &variants {
        let (status, body) = get(port, v, "");
        *statuses.entry(status).or_insert(0) += 1;
        let text = String::from_utf8_lossy(&body);
        if !matches!(status, Some(400 | 403 | 404) | None) {
            problems.push(format!("{v}: status {status:?}"));
        }
        if let Some(f) = forbidden.iter().find(|f| text.contains(**f)) {
            problems.push(format!("{v}: the body shows {f:?}"));
        }
    }

    // Foreign hosts (DNS rebinding) and cross-origin event streams.
    let hosts = [
        "Host: evil.example\r\n".to_string(),
        format!("Host: evil.example:{port}\r\n"),
        format!("Host: 127.0.0.1.evil.example:{port}\r\n"),
        format!("Host: localhost.:{port}\r\n"),
        format!("Host: 127.0.0.1:{}\r\n", port.wrapping_add(1)),
        "Host: \r\n".to_string(),
        format!("Host: EVIL.example:{port}\r\n"),
    ];
    let mut header_cases = 0;
    for h in &hosts {
        header_cases += 1;
        let (status, _) = get(port, "/", h);
        if !matches!(status, Some(400 | 403) | None) {
            problems.push(format!("foreign {h:?}: status {status:?}"));
        }
    }
    for origin in [
        "http://evil.example".to_string(),
        format!("http://evil.example:{port}"),
        format!("https://127.0.0.1:{port}"),
        "null".to_string(),
        format!("http://127.0.0.1:{port}.evil.example"),
    ] {
        header_cases += 1;
        let (status, _) = get(port, "/__fascia/events", &format!("Origin: {origin}\r\n"));
        if status != Some(403) {
            problems.push(format!(
                "event stream from Origin {origin}: status {status:?}"
            ));
        }
    }

    // Not asserted, only shown: two Host headers, the first allowed. RFC 9112 asks
    // for 400; the guard reads the first and serves. A browser cannot send this,
    // so DNS rebinding is not open through it.
    let (twice, _) = get(
        port,
        "/",
        &format!("Host: 127.0.0.1:{port}\r\nHost: evil.example\r\n"),
    );
    eprintln!(
        "rig: dev server: a request with two Host headers (allowed, then foreign) gets {twice:?}"
    );

    // Header floods: many headers, one huge header, several at once.
    let many: String = (0..1000).map(|i| format!("X-Flood-{i}: {i}\r\n")).collect();
    let huge = format!("X-Huge: {}\r\n", "a".repeat(1 << 20));
    let (s1, _) = get(port, "/", &many);
    let (s2, _) = get(port, "/", &huge);
    let floods: Vec<_> = (0..8)
        .map(|i| {
            let h = if i % 2 == 0 {
                many.clone()
            } else {
                huge.clone()
            };
            std::thread::spawn(move || get(port, "/", &h).0)
        })
        .collect();
    for f in floods {
        let _ = f.join();
    }
    let (after, _) = get(port, "/conditions/", "");
    if after != Some(200) {
        problems.push(format!(
            "after the floods (1,000 headers: {s1:?}, 1 MB header: {s2:?}) the server answers {after:?}"
        ));
    }
    let mut server = server;
    if let Ok(Some(status)) = server.child.try_wait() {
        problems.push(format!("the server exited during the floods: {status}"));
    }
    report(
        "dev server",
        &format!(
            "{} traversal variants (statuses {statuses:?}), {header_cases} foreign Host/Origin cases, \
             floods of 1,000 headers and of a 1 MB header (answered {s1:?}, {s2:?}), {} problems",
            variants.len(),
            problems.len()
        ),
        started,
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
