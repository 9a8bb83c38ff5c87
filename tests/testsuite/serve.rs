//! `fascia serve` end to end: the real binary on a fixture, driven over HTTP
//! and its event stream, while the test edits files as an editor would.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::*;

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

fn start(root: &Path, extra: &[&str]) -> Server {
    start_at(root, 20000 + (std::process::id() % 20000) as u16, extra)
}

/// Starts `fascia serve` as README tells a user: in the site folder, with no `--root`.
fn start_at(root: &Path, port: u16, extra: &[&str]) -> Server {
    start_in(root, &["--port", &port.to_string()], extra)
}

fn start_in(cwd: &Path, args: &[&str], extra: &[&str]) -> Server {
    let stderr = if std::env::var_os("FASCIA_TEST_LOG").is_some() {
        Stdio::inherit()
    } else {
        Stdio::null()
    };
    spawn(cwd, args, extra, stderr)
}

/// Starts `fascia serve` in `cwd` and reads its port from the first line it prints.
fn spawn(cwd: &Path, args: &[&str], extra: &[&str], stderr: Stdio) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fascia"))
        .current_dir(cwd)
        .arg("serve")
        .args(args)
        .args(extra)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(stderr)
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
    Server { child, port }
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

fn request(port: u16, raw_path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut req = format!("GET {raw_path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a full response");
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        head,
        body: buf[split + 4..].to_vec(),
    }
}

/// Lines of the event stream, as they arrive.
fn events(port: u16) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET /__fascia/events HTTP/1.1\r\nHost: localhost:{port}\r\nOrigin: http://localhost:{port}\r\n\r\n").unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if let Some(data) = line.strip_prefix("data: ") {
                if tx.send(data.to_string()).is_err() {
                    break;
                }
            }
        }
    });
    rx
}

fn wait_for(rx: &mpsc::Receiver<String>, what: &str) -> String {
    loop {
        let m = rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("no {what} message from serve"));
        if m.contains(&format!("\"type\":\"{what}\"")) {
            return m;
        }
    }
}

/// Starts `fascia serve` on `root` and waits for its first build; returns
/// the server and its event stream.
fn serving(root: &Path, extra: &[&str]) -> (Server, mpsc::Receiver<String>) {
    let server = start(root, extra);
    let rx = events(server.port);
    wait_for(&rx, "ok");
    (server, rx)
}

/// Every message of one rebuild, up to and including its `done`.
fn cycle(rx: &mpsc::Receiver<String>) -> String {
    let mut all = String::new();
    loop {
        let m = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("serve finished no rebuild");
        all.push_str(&m);
        all.push('\n');
        if m.contains("\"type\":\"done\"") {
            return all;
        }
    }
}

fn strip_script(body: &[u8]) -> Vec<u8> {
    // Binary files (the favicon, the search index) are compared as they are.
    let Ok(text) = std::str::from_utf8(body) else {
        return body.to_vec();
    };
    text.replace(
        "<script type=\"module\" src=\"/__fascia/livereload.js\"></script>",
        "",
    )
    .into_bytes()
}

#[test]
fn served_site_equals_a_fresh_build_after_edits_creations_renames_and_deletions() {
    let site = SiteTest::fixture("basic");
    let root = site.root().to_path_buf();
    let (server, rx) = serving(&root, &[]);
    let port = server.port;

    // A body edit is incremental: the edited page reloads first, listings follow.
    site.edit(
        "content/conditions/neck-pain.md",
        "Stiffness.",
        "Stiffness and soreness.",
    );
    let m = cycle(&rx);
    let first_reload = m
        .lines()
        .find(|l| l.contains("\"type\":\"reload\""))
        .unwrap_or("");
    assert_eq!(
        first_reload, r#"{"paths":["/conditions/neck-pain/"],"type":"reload"}"#,
        "{m}"
    );
    let page = request(port, "/conditions/neck-pain/", &[]);
    assert!(String::from_utf8_lossy(&page.body).contains("Stiffness and soreness."));

    // An atomic save (temp file, then rename) as vim and VS Code do.
    let tmp = root.join("content/conditions/.neck-pain.md.swp");
    let text = std::fs::read_to_string(root.join("content/conditions/neck-pain.md")).unwrap();
    std::fs::write(
        &tmp,
        text.replace("Intro text.", "Intro text, saved atomically."),
    )
    .unwrap();
    std::fs::rename(&tmp, root.join("content/conditions/neck-pain.md")).unwrap();
    cycle(&rx);
    let page = request(port, "/conditions/neck-pain/", &[]);
    assert!(String::from_utf8_lossy(&page.body).contains("saved atomically"));

    // A front matter edit changes listings too.
    site.edit(
        "content/conditions/back-pain.md",
        "title = \"Back pain\"",
        "title = \"Lower back pain\"",
    );
    cycle(&rx);

    // A new page and a renamed page.
    site.write(
        "content/conditions/hip-pain.md",
        "+++\ntitle = \"Hip pain\"\ndate = 2026-04-01\n[taxonomies]\ntags = [\"posture\"]\n+++\n\n## Where it hurts\n\nSee [the neck](@/conditions/neck-pain.md).\n",
    );
    cycle(&rx);
    std::fs::rename(
        root.join("content/about.md"),
        root.join("content/about-us.md"),
    )
    .unwrap();
    cycle(&rx);
    assert_eq!(
        request(port, "/about/", &[]).status,
        404,
        "a renamed page leaves its old URL"
    );
    assert_eq!(
        request(port, "/about-us/", &[]).status,
        200,
        "and moves to its new one"
    );

    // Deleting a page that others link to is an error; the last good pages stay.
    std::fs::remove_file(root.join("content/conditions/back-pain.md")).unwrap();
    let m = cycle(&rx);
    assert!(
        m.contains("\"type\":\"error\"") && m.contains("content/conditions/neck-pain.md"),
        "{m}"
    );
    assert_eq!(request(port, "/conditions/neck-pain/", &[]).status, 200);
    site.edit(
        "content/conditions/neck-pain.md",
        "related = [\"@/conditions/back-pain.md\"]",
        "related = []",
    );
    site.edit(
        "content/conditions/neck-pain.md",
        "See [back pain](@/conditions/back-pain.md#when-to-see-a-doctor).",
        "No.",
    );
    let mut m = cycle(&rx);
    while !m.contains("\"type\":\"ok\"") {
        m = cycle(&rx);
    }
    assert_eq!(request(port, "/conditions/back-pain/", &[]).status, 404);

    // Body edits whose listings render after the reload: in place once `done` arrives.
    site.edit(
        "content/conditions/hip-pain.md",
        "## Where it hurts",
        "## Where it hurts most",
    );
    cycle(&rx);
    site.edit(
        "content/conditions/neck-pain.md",
        "Intro text, saved atomically.",
        "Intro text, saved atomically, and longer now.",
    );
    cycle(&rx);

    // Now the served site must equal `fascia build` of the same files.
    let out = tempfile::tempdir().unwrap();
    let built = Command::new(env!("CARGO_BIN_EXE_fascia"))
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            out.path().to_str().unwrap(),
        ])
        .args(["--base-url", &format!("http://127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let mut compared = 0;
    for e in walkdir::WalkDir::new(out.path())
        .into_iter()
        .filter_map(Result::ok)
    {
        // fascia's own files (manifest, fingerprint) are never served.
        if !e.file_type().is_file() || e.file_name().to_string_lossy().starts_with(".fascia-") {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(out.path())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let url = match rel.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{rel}"),
        };
        let served = request(port, &url, &[]);
        let expected = std::fs::read(e.path()).unwrap();
        assert_eq!(served.status, 200, "{url}");
        assert!(
            strip_script(&served.body) == expected,
            "{url} differs from the build"
        );
        compared += 1;
    }
    assert!(compared > 20, "only {compared} files compared");
}

#[test]
fn refuses_traversal_foreign_hosts_and_foreign_origins() {
    let site = SiteTest::fixture("basic");
    site.write("secret.txt", "do not serve");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "outside the site").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.root().join("static/leak.txt"),
    )
    .unwrap();
    let server = start(site.root(), &[]);
    let port = server.port;
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/site.toml",
        "/content/about.md",
    ] {
        let r = request(port, path, &[]);
        assert!(r.status == 403 || r.status == 404, "{path}: {}", r.status);
        assert!(
            !String::from_utf8_lossy(&r.body).contains("do not serve"),
            "{path}"
        );
    }
    let r = request(port, "/", &[("Host", "evil.example:80")]);
    assert_eq!(r.status, 403, "DNS rebinding");
    let r = request(
        port,
        "/__fascia/events",
        &[("Origin", "http://evil.example")],
    );
    assert_eq!(r.status, 403, "foreign origin");
    let r = request(port, "/", &[]);
    assert_eq!(r.status, 200);
    assert!(!r
        .head
        .to_lowercase()
        .contains("access-control-allow-origin"));
    assert!(r.head.contains("text/html"));
    let css = request(port, "/style.css", &[]);
    assert!(css.head.contains("text/css"), "{}", css.head);
    assert_eq!(request(port, "/no/such/page/", &[]).status, 404);
}

#[test]
fn a_failing_first_build_still_serves_the_error_and_recovers() {
    let site = SiteTest::fixture("basic");
    site.edit("content/about.md", "title: About", "title: [About");
    let server = start(site.root(), &[]);
    let port = server.port;
    let r = request(port, "/", &[]);
    assert_eq!(r.status, 500);
    assert!(String::from_utf8_lossy(&r.body).contains("content/about.md"));
    let rx = events(port);
    wait_for(&rx, "error");
    site.edit("content/about.md", "title: [About", "title: About");
    wait_for(&rx, "ok");
    assert_eq!(request(port, "/", &[]).status, 200);
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let site = SiteTest::fixture("basic");
    let first = start(site.root(), &[]);
    let second = start_at(site.root(), first.port, &[]);
    assert_ne!(first.port, second.port);
    assert_eq!(request(second.port, "/", &[]).status, 200);
}

#[test]
fn polling_mode_sees_changes() {
    let site = SiteTest::fixture("basic");
    let (server, rx) = serving(site.root(), &["--poll"]);
    site.edit(
        "content/conditions/neck-pain.md",
        "Stiffness.",
        "Polled stiffness.",
    );
    wait_for(&rx, "reload");
    let page = request(server.port, "/conditions/neck-pain/", &[]);
    assert!(String::from_utf8_lossy(&page.body).contains("Polled stiffness."));
}

#[test]
fn an_atomic_save_of_site_toml_rebuilds_everything() {
    let site = SiteTest::fixture("basic");
    let (server, rx) = serving(site.root(), &[]);
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let tmp = site.root().join(".site.toml.tmp");
    std::fs::write(&tmp, config.replace("Fixture guide", "Renamed guide")).unwrap();
    std::fs::rename(&tmp, site.root().join("site.toml")).unwrap();
    let m = wait_for(&rx, "reload");
    assert!(m.contains("/conditions/neck-pain/"), "{m}");
    let page = request(server.port, "/conditions/neck-pain/", &[]);
    assert!(String::from_utf8_lossy(&page.body).contains("<title>Renamed guide</title>"));
    // A second save is seen too: the folder is watched, not the replaced file.
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    std::fs::write(&tmp, config.replace("Renamed guide", "Renamed again")).unwrap();
    std::fs::rename(&tmp, site.root().join("site.toml")).unwrap();
    wait_for(&rx, "reload");
    let page = request(server.port, "/", &[]);
    assert!(String::from_utf8_lossy(&page.body).contains("Renamed again"));
}

#[test]
fn pages_looked_up_by_templates_stay_current_after_a_body_edit() {
    let site = SiteTest::fixture("basic");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{% set p = get_page(path=\"conditions/neck-pain.md\") %}words={{ p.word_count }};{% endblock %}",
    );
    let (server, rx) = serving(site.root(), &[]);
    // The 404 page shows nothing of the page through listings, only through get_page.
    let before = String::from_utf8_lossy(&request(server.port, "/404.html", &[]).body).into_owned();
    site.edit(
        "content/conditions/neck-pain.md",
        "Stiffness.",
        "Stiffness, and four more words.",
    );
    cycle(&rx);
    let after = String::from_utf8_lossy(&request(server.port, "/404.html", &[]).body).into_owned();
    let words = |html: &str| {
        html.split("words=")
            .nth(1)
            .and_then(|r| r.split(';').next())
            .unwrap_or("")
            .parse::<usize>()
            .unwrap()
    };
    assert_eq!(words(&after), words(&before) + 4);
}

/// Edits `neck-pain.md` and waits until the served page shows the edit.
fn sees_an_edit(server: &Server, site: &SiteTest, marker: &str) {
    let rx = events(server.port);
    wait_for(&rx, "ok");
    site.edit("content/conditions/neck-pain.md", "Stiffness.", marker);
    wait_for(&rx, "reload");
    let page = request(server.port, "/conditions/neck-pain/", &[]);
    assert!(
        String::from_utf8_lossy(&page.body).contains(marker),
        "the edit `{marker}` was not served"
    );
}

#[test]
fn live_reload_works_from_the_site_folder_and_with_relative_or_absolute_roots() {
    // README's way: in the site folder, no --root.
    let site = SiteTest::fixture("basic");
    let server = start(site.root(), &[]);
    sees_an_edit(&server, &site, "Seen from the site folder.");

    // A relative --root from the parent folder.
    let site = SiteTest::fixture("basic");
    let parent = site.root().parent().unwrap();
    let name = site.root().file_name().unwrap().to_str().unwrap();
    let server = start_in(parent, &["--root", name, "--port", "0"], &[]);
    sees_an_edit(&server, &site, "Seen through a relative root.");

    // An absolute --root from anywhere.
    let site = SiteTest::fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let server = start_in(
        elsewhere.path(),
        &["--root", site.root().to_str().unwrap(), "--port", "0"],
        &[],
    );
    sees_an_edit(&server, &site, "Seen through an absolute root.");
}

/// Every file of a fresh `fascia build` of `root`, compared with what `port` serves.
fn assert_served_equals_build(root: &Path, port: u16) {
    let out = tempfile::tempdir().unwrap();
    let built = Command::new(env!("CARGO_BIN_EXE_fascia"))
        .args(["build", "--root", root.to_str().unwrap()])
        .args(["--output", out.path().to_str().unwrap()])
        .args(["--base-url", &format!("http://127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    for e in walkdir::WalkDir::new(out.path())
        .into_iter()
        .filter_map(Result::ok)
    {
        // fascia's own files (manifest, fingerprint) are never served.
        if !e.file_type().is_file() || e.file_name().to_string_lossy().starts_with(".fascia-") {
            continue;
        }
        let rel = e.path().strip_prefix(out.path()).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        let url = match rel.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{rel}"),
        };
        let served = request(port, &url, &[]);
        assert_eq!(served.status, 200, "{url}");
        assert!(
            strip_script(&served.body) == std::fs::read(e.path()).unwrap(),
            "{url} differs from the build"
        );
    }
}

/// M1: a failed full rebuild forgets the last good state; an unrelated edit while
/// the site is broken keeps the error showing; the fix brings back exactly the build.
#[test]
fn a_broken_site_stays_broken_until_fixed_and_then_equals_a_build() {
    let site = SiteTest::fixture("basic");
    let (server, rx) = serving(site.root(), &[]);
    let port = server.port;

    // 1) A related link to nothing: the full rebuild fails.
    site.edit(
        "content/conditions/back-pain.md",
        "date = 2026-02-01",
        "date = 2026-02-01\nrelated = [\"@/nope.md\"]",
    );
    let m = cycle(&rx);
    assert!(m.contains("\"type\":\"error\""), "{m}");

    // 2) An unrelated edit while it is broken: still an error, never `ok`.
    site.edit(
        "content/conditions/neck-pain.md",
        "title = \"Neck pain\"",
        "title = \"Stiff neck\"",
    );
    let m = cycle(&rx);
    assert!(m.contains("\"type\":\"error\""), "{m}");
    assert!(!m.contains("\"type\":\"ok\""), "{m}");
    assert!(!m.contains("\"type\":\"reload\""), "{m}");
    // A tab opened now is shown the error too.
    let late = events(port);
    let first = late.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(first.contains("\"type\":\"error\""), "{first}");

    // 3) The fix: the site builds, and serves what `fascia build` writes.
    site.edit(
        "content/conditions/back-pain.md",
        "\nrelated = [\"@/nope.md\"]",
        "",
    );
    let m = cycle(&rx);
    assert!(m.contains("\"type\":\"ok\""), "{m}");
    let page = request(port, "/conditions/neck-pain/", &[]);
    assert!(String::from_utf8_lossy(&page.body).contains("Stiff neck"));
    assert_served_equals_build(site.root(), port);
}

/// A body edit changes the summaries that term lists show (here, word
/// counts): the incremental rebuild renders those lists too.
#[test]
fn a_body_edit_updates_the_term_lists_that_show_the_page() {
    let site = SiteTest::fixture("basic");
    site.write("templates/taxonomy_list.html", WORD_COUNT_TERM_LIST);
    let (server, rx) = serving(site.root(), &[]);
    let port = server.port;
    site.edit(
        "content/conditions/neck-pain.md",
        "Intro text.",
        "Intro text, with a few more words.",
    );
    cycle(&rx);
    let list = request(port, "/tags/", &[]);
    assert!(String::from_utf8_lossy(&list.body).contains("neck: 30 16"));
    assert_served_equals_build(site.root(), port);
}

/// M2: a `static/` folder created after `serve` started is watched.
#[test]
fn a_static_folder_created_while_serving_is_watched() {
    let site = SiteTest::fixture("basic");
    std::fs::remove_dir_all(site.root().join("static")).unwrap();
    // Without static/, the template's stylesheet is the theme's; keep the page simple.
    site.write(
        "templates/base.html",
        "<!doctype html><html lang=\"en\"><head><title>t</title></head><body>{% block content %}{% endblock %}</body></html>",
    );
    let (server, rx) = serving(site.root(), &[]);
    site.write("static/new.css", "body { color: teal }");
    let css = loop {
        cycle(&rx);
        let r = request(server.port, "/new.css", &[]);
        if r.status == 200 {
            break r;
        }
    };
    assert_eq!(css.body, b"body { color: teal }");
    // And a file added to it later is seen too.
    site.write("static/later.css", "p { color: red }");
    loop {
        cycle(&rx);
        if request(server.port, "/later.css", &[]).status == 200 {
            break;
        }
    }
}

/// A connection that sends nothing is closed by the server after the idle timeout.
#[test]
fn idle_connections_are_closed() {
    let site = SiteTest::fixture("basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_fascia"))
        .current_dir(site.root())
        .args(["serve", "--port", "0"])
        .env("NO_COLOR", "1")
        .env("FASCIA_SERVE_IDLE_TIMEOUT_MS", "500")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next().unwrap().unwrap();
    let port: u16 = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap();
    let server = Server { child, port };
    let mut idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut buf = [0u8; 64];
    // The server closes it: read returns 0 (or a reset), well before our own 10 s.
    let n = idle.read(&mut buf).unwrap_or(0);
    assert_eq!(n, 0);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "closed only after {:?}",
        started.elapsed()
    );
    // A keep-alive connection that goes quiet after a response is closed too.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut all = Vec::new();
    let started = std::time::Instant::now();
    let _ = s.read_to_end(&mut all);
    assert!(String::from_utf8_lossy(&all).starts_with("HTTP/1.1 200"));
    assert!(started.elapsed() < Duration::from_secs(5));
    // The server still answers.
    assert_eq!(request(server.port, "/", &[]).status, 200);
}

/// M5: a dangling link and a link to /etc in static/ are skipped; every page is served.
#[cfg(unix)]
#[test]
fn links_to_nothing_or_outside_in_static_do_not_break_serve() {
    let site = SiteTest::fixture("basic");
    std::os::unix::fs::symlink(
        site.root().join("static/nothing.css"),
        site.root().join("static/dangling.css"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/etc", site.root().join("static/etc")).unwrap();
    let server = start(site.root(), &[]);
    assert_eq!(request(server.port, "/", &[]).status, 200);
    assert_eq!(request(server.port, "/style.css", &[]).status, 200);
    assert_eq!(request(server.port, "/etc/passwd", &[]).status, 404);
    assert_eq!(request(server.port, "/dangling.css", &[]).status, 404);
}

/// M3: a render past its time limit shows the error in the tabs at once, and
/// the last good pages stay served (the render itself cannot be stopped).
#[test]
fn a_render_past_its_time_limit_shows_an_error_and_serve_goes_on() {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        format!("{config}\n[build]\nrender_timeout_ms = 300\n"),
    );
    let (server, rx) = serving(site.root(), &[]);
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{% for a in range(end=30000) %}{% for b in range(end=30000) %}{% endfor %}{% endfor %}{% endblock %}",
    );
    let m = wait_for(&rx, "error");
    assert!(
        m.contains("template::timeout") && m.contains("404.html"),
        "{m}"
    );
    assert_eq!(request(server.port, "/", &[]).status, 200);
    assert_eq!(
        request(server.port, "/conditions/neck-pain/", &[]).status,
        200
    );
}

/// Dotfiles of static/ are published, so an edit of one is served too.
#[test]
fn an_edit_of_a_static_dotfile_is_served() {
    let site = SiteTest::fixture("basic");
    site.write("static/.well-known/security.txt", "Contact: a\n");
    let (server, rx) = serving(site.root(), &[]);
    let r = request(server.port, "/.well-known/security.txt", &[]);
    assert_eq!(r.body, b"Contact: a\n");
    site.write("static/.well-known/security.txt", "Contact: b\n");
    cycle(&rx);
    let r = request(server.port, "/.well-known/security.txt", &[]);
    assert_eq!(r.body, b"Contact: b\n");
}

#[test]
fn editing_a_shortcode_template_re_renders_the_pages_that_use_it() {
    let site = SiteTest::fixture("basic");
    site.write("templates/shortcodes/note.html", "<b>first {{ nth }}</b>");
    site.edit(
        "content/conditions/neck-pain.md",
        "Stiffness.",
        "Stiffness. {{ note() }}",
    );
    let (server, rx) = serving(site.root(), &[]);
    let page = request(server.port, "/conditions/neck-pain/", &[]);
    assert!(String::from_utf8_lossy(&page.body).contains("<b>first 1</b>"));
    // A template change is a full rebuild: the shortcodes are loaded again.
    site.write("templates/shortcodes/note.html", "<b>second {{ nth }}</b>");
    wait_for(&rx, "reload");
    let page = request(server.port, "/conditions/neck-pain/", &[]);
    assert!(String::from_utf8_lossy(&page.body).contains("<b>second 1</b>"));
    // And a body edit (the incremental path) keeps using them.
    site.edit(
        "content/conditions/neck-pain.md",
        "{{ note() }}",
        "{{ note() }} {{ note() }}",
    );
    wait_for(&rx, "reload");
    let page = request(server.port, "/conditions/neck-pain/", &[]);
    assert!(String::from_utf8_lossy(&page.body).contains("<b>second 2</b>"));
}

#[test]
fn a_zola_config_toml_is_watched_like_site_toml() {
    let site = SiteTest::fixture("zola");
    let (server, rx) = serving(site.root(), &[]);
    site.edit(
        "config.toml",
        "title = \"Zola fixture\"",
        "title = \"Renamed\"",
    );
    wait_for(&rx, "reload");
    let page = request(server.port, "/blog/first/", &[]);
    assert!(String::from_utf8_lossy(&page.body).contains("Renamed"));
}

/// Lint findings: warnings go to the terminal after each full rebuild and
/// leave the pages served; a rule set to `error` shows in the overlay.
#[test]
fn a_body_edit_is_linted_like_a_full_build() {
    let site = SiteTest::fixture("basic");
    let log = site.root().join("serve.log");
    let stderr = Stdio::from(std::fs::File::create(&log).unwrap());
    let server = spawn(site.root(), &["--port", "0"], &[], stderr);
    let rx = events(server.port);
    wait_for(&rx, "ok");
    let printed = std::fs::read_to_string(&log).unwrap();
    assert!(!printed.contains("lint::link-text"), "{printed}");
    // A body-only edit takes the incremental path; its new finding is printed.
    site.edit(
        "content/about.md",
        "About this site.",
        "About this site. Read more [here](@/conditions/neck-pain.md).",
    );
    reloaded(&rx, "/about/");
    // serve tells the browsers first, then prints the rebuild's line.
    let printed = logged(&log, "Incremental rebuild");
    assert!(printed.contains("Incremental rebuild"), "{printed}");
    assert!(printed.contains("warning[lint::link-text]"), "{printed}");
    assert!(printed.contains("--> content/about.md:7:29"), "{printed}");
    // Fixed by another body edit: no new finding.
    let count = |log: &Path| {
        std::fs::read_to_string(log)
            .unwrap()
            .matches("warning[lint::link-text]")
            .count()
    };
    let before = count(&log);
    site.edit(
        "content/about.md",
        "Read more [here](@/conditions/neck-pain.md).",
        "Read about [neck pain](@/conditions/neck-pain.md).",
    );
    reloaded(&rx, "/about/");
    assert_eq!(count(&log), before);
    // At level `error`, a body edit that brings the finding back fails the
    // incremental rebuild and shows in the tabs.
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", format!("{config}link_text = \"error\"\n"));
    wait_for(&rx, "reload");
    site.edit(
        "content/about.md",
        "Read about [neck pain](@/conditions/neck-pain.md).",
        "Read more [here](@/conditions/neck-pain.md).",
    );
    let m = wait_for(&rx, "error");
    assert!(m.contains("lint::link-text"), "{m}");
}

/// The log once it holds `needle` (it is written as serve goes, so a line
/// may come just after the message a test waited for).
fn logged(log: &Path, needle: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let printed = std::fs::read_to_string(log).unwrap();
        if printed.contains(needle) || std::time::Instant::now() > deadline {
            return printed;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for the reload message that names `path`.
fn reloaded(rx: &mpsc::Receiver<String>, path: &str) -> String {
    loop {
        let m = wait_for(rx, "reload");
        if m.contains(&format!("\"{path}\"")) {
            return m;
        }
    }
}

#[test]
fn lint_warnings_go_to_the_terminal_and_only_errors_to_the_overlay() {
    let site = SiteTest::fixture("basic");
    site.edit(
        "content/about.md",
        "About this site.",
        "About this site. Read more [here](@/conditions/neck-pain.md).",
    );
    let log = site.root().join("serve.log");
    let stderr = Stdio::from(std::fs::File::create(&log).unwrap());
    let server = spawn(site.root(), &["--port", "0"], &[], stderr);
    let rx = events(server.port);
    wait_for(&rx, "ok");
    assert_eq!(request(server.port, "/about/", &[]).status, 200);
    let printed = logged(&log, "warning[lint::link-text]");
    assert!(printed.contains("warning[lint::link-text]"), "{printed}");
    // The same finding as an error fails the rebuild and shows in the tabs.
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", format!("{config}link_text = \"error\"\n"));
    let m = wait_for(&rx, "error");
    assert!(m.contains("lint::link-text"), "{m}");
    // Back to a warning: the overlay goes, the page is served again.
    site.write("site.toml", config);
    wait_for(&rx, "ok");
    assert_eq!(request(server.port, "/about/", &[]).status, 200);
}
