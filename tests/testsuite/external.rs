//! `fascia check --external` against a small HTTP server on 127.0.0.1; the
//! tests never reach the internet.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crate::common::*;
use assert_cmd::Command;
use fascia::external::{self, ExternalLink, ExternalOptions};

/// What the server saw: every request line, user agents, and the most `/hold` requests at once.
#[derive(Default)]
struct Seen {
    requests: Vec<String>,
    user_agents: Vec<String>,
    holding: usize,
    max_holding: usize,
}

/// A tiny HTTP/1.1 server, one thread per connection, one request per connection.
struct Server {
    base: String,
    seen: Arc<Mutex<Seen>>,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Seen::default()));
        let shared = seen.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = shared.clone();
                thread::spawn(move || answer(stream, &seen));
            }
        });
        Server { base, seen }
    }

    fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().requests.clone()
    }

    fn count(&self, line: &str) -> usize {
        self.requests().iter().filter(|r| *r == line).count()
    }
}

fn answer(stream: TcpStream, seen: &Mutex<Seen>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    // Headers end at an empty line; no request here has a body.
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(n) if n > 0 && line != "\r\n" => {
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("user-agent") {
                        user_agent = value.trim().to_string();
                    }
                }
            }
            _ => break,
        }
    }
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let path = target.split('?').next().unwrap_or("").to_string();
    let earlier = {
        let mut s = seen.lock().unwrap();
        let earlier = s
            .requests
            .iter()
            .filter(|r| r.split(' ').nth(1) == Some(path.as_str()))
            .count();
        s.requests.push(format!("{method} {path}"));
        s.user_agents.push(user_agent);
        earlier
    };
    let (status, extra) = match (method.as_str(), path.as_str()) {
        (_, "/ok") => ("200 OK", ""),
        (_, "/gone") => ("404 Not Found", ""),
        (_, "/slow") => {
            thread::sleep(Duration::from_secs(3));
            ("200 OK", "")
        }
        (_, "/flaky") if earlier == 0 => ("503 Service Unavailable", ""),
        (_, "/flaky") => ("200 OK", ""),
        ("HEAD", "/head-not-allowed") => ("405 Method Not Allowed", ""),
        (_, "/head-not-allowed") => ("200 OK", ""),
        (_, "/redirect") => ("301 Moved Permanently", "Location: /ok\r\n"),
        (_, "/hold") => {
            {
                let mut s = seen.lock().unwrap();
                s.holding += 1;
                s.max_holding = s.max_holding.max(s.holding);
            }
            thread::sleep(Duration::from_millis(300));
            seen.lock().unwrap().holding -= 1;
            ("200 OK", "")
        }
        _ => ("404 Not Found", ""),
    };
    let body = if method == "HEAD" { "" } else { "ok" };
    let mut stream = stream;
    // The client may have given up already (`/slow`); that is fine.
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// Runs `fascia ARGS` in the site, with no proxy so requests go straight to 127.0.0.1.
fn run(t: &SiteTest, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("fascia")
        .unwrap()
        .current_dir(t.root())
        .env("NO_COLOR", "1")
        .env("NO_PROXY", "127.0.0.1")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn check_external_reports_every_broken_link_and_build_stays_offline() {
    let server = Server::start();
    let b = &server.base;
    let t = SiteTest::fixture("basic");
    t.write(
        "content/links.md",
        format!(
            "+++\n\
             title = \"Links\"\n\
             +++\n\
             \n\
             [ok]({b}/ok)\n\
             [gone]({b}/gone)\n\
             See [slow]({b}/slow).\n\
             [flaky]({b}/flaky)\n\
             [head]({b}/head-not-allowed)\n\
             [redirect]({b}/redirect#top)\n\
             Again: [gone]({b}/gone#section).\n"
        ),
    );

    // Neither a build nor a plain check touches the network.
    t.build_ok(&[]);
    let out = run(&t, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(server.requests(), Vec::<String>::new());

    let start = std::time::Instant::now();
    let out = run(&t, &["check", "--external", "--external-timeout", "1"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // Every failure in one run, each at its file, line and column.
    assert_eq!(err.matches("error[link::external]").count(), 3, "{err}");
    assert!(err.contains("content/links.md:6:1"), "{err}");
    assert!(err.contains("content/links.md:7:5"), "{err}");
    assert!(err.contains("content/links.md:11:8"), "{err}");
    assert!(
        err.contains(&format!(
            "external link {b}/gone failed: the server answered 404"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "external link {b}/slow failed: no answer within 1 s"
        )),
        "{err}"
    );
    for fine in ["/ok", "/flaky", "/head-not-allowed", "/redirect"] {
        assert!(
            !err.contains(&format!("{b}{fine} failed")),
            "{fine} reported:\n{err}"
        );
    }
    // The slow link is retried twice after the first timeout, and that is all the waiting.
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );

    // One check per address (fragments dropped), HEAD first, GET when HEAD fails.
    assert_eq!(server.count("HEAD /gone"), 1);
    assert_eq!(server.count("GET /gone"), 1);
    // The flaky server's 503 to HEAD is asked again with GET, which succeeds.
    assert_eq!(server.count("HEAD /flaky") + server.count("GET /flaky"), 2);
    assert_eq!(server.count("HEAD /slow"), 3);
    assert_eq!(server.count("HEAD /head-not-allowed"), 1);
    assert_eq!(server.count("GET /head-not-allowed"), 1);
    assert_eq!(server.count("HEAD /redirect"), 1);
    assert!(server.count("HEAD /ok") >= 2, "{:?}", server.requests());
    let user_agents = server.seen.lock().unwrap().user_agents.clone();
    assert!(
        user_agents
            .iter()
            .all(|ua| ua.starts_with("fascia-link-check/")),
        "{user_agents:?}"
    );

    // Building again still contacts nobody.
    let asked = server.requests().len();
    t.build_ok(&[]);
    assert_eq!(server.requests().len(), asked);
}

#[test]
fn check_external_passes_when_every_link_works() {
    let server = Server::start();
    let t = SiteTest::fixture("basic");
    t.write(
        "content/links.md",
        format!(
            "+++\ntitle = \"Links\"\n+++\n\n[ok]({}/ok) and [moved]({}/redirect)\n",
            server.base, server.base
        ),
    );
    let out = run(&t, &["check", "--external"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Checked 2 external links"));
}

#[test]
fn timeout_needs_external() {
    let t = SiteTest::fixture("basic");
    let out = run(&t, &["check", "--external-timeout", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn at_most_per_host_requests_are_in_flight() {
    let server = Server::start();
    let source: Arc<str> = Arc::from("links");
    let links = (0..6)
        .map(|i| ExternalLink {
            url: format!("{}/hold?{i}", server.base),
            file: "content/links.md".into(),
            source: source.clone(),
            span: 0..5,
        })
        .collect();
    let opts = ExternalOptions {
        per_host: 2,
        concurrency: 8,
        ..Default::default()
    };
    let diags = external::check(links, &opts);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(server.count("HEAD /hold"), 6);
    assert_eq!(server.seen.lock().unwrap().max_holding, 2);
}

#[test]
fn check_external_checks_reference_urls_and_dois_at_their_fields() {
    let server = Server::start();
    let b = &server.base;
    let t = SiteTest::fixture("basic");
    t.write(
        "content/cited.md",
        format!(
            "+++\n\
             title = \"Cited\"\n\
             \n\
             [[references]]\n\
             id = \"a\"\n\
             title = \"A page\"\n\
             url = \"{b}/gone\"\n\
             \n\
             [[references]]\n\
             id = \"b\"\n\
             title = \"A paper\"\n\
             doi = \"10.1234/not-a-real-paper\"\n\
             +++\n\
             \n\
             Claims [@a] and [@b].\n"
        ),
    );
    let out = run(&t, &["check", "--external", "--external-timeout", "2"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // The web page of a reference is asked for, and reported at its `url` field.
    assert!(server.count("HEAD /gone") >= 1, "{:?}", server.requests());
    assert!(err.contains("content/cited.md:7:8"), "{err}");
    // The DOI is checked as its doi.org link (offline here, so it fails), at its field.
    assert!(
        err.contains("https://doi.org/10.1234/not-a-real-paper"),
        "{err}"
    );
    assert!(err.contains("content/cited.md:12:8"), "{err}");
}
