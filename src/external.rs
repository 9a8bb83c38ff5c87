//! `fascia check --external`: asks the servers behind every `http(s)://` link
//! whether the page is still there. Never part of `build` or a plain `check`,
//! because it needs the network and its answer changes from day to day.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use ureq::http::StatusCode;
use ureq::Agent;

use crate::derived::Derived;
use crate::diagnostics::{value_span, Code, Diagnostic};
use crate::markdown::LinkKind;
use crate::model::Site;

/// One external link as written in a file.
#[derive(Debug, Clone)]
pub struct ExternalLink {
    /// The address as written, fragment included.
    pub url: String,
    /// Path shown to the user (`content/…`).
    pub file: PathBuf,
    /// The whole text of `file`.
    pub source: Arc<str>,
    /// Byte range of the link in `source`.
    pub span: Range<usize>,
}

/// How politely and how patiently to check.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Longest wait for one request, redirects included.
    pub timeout: Duration,
    /// Extra attempts after a timeout, connection error, 5xx or 429.
    pub retries: u32,
    /// Wait before the first retry; each further retry waits one more step.
    pub backoff: Duration,
    /// Most requests in flight to one host at a time.
    pub per_host: usize,
    /// Most requests in flight in all.
    pub concurrency: usize,
    /// Sent as `User-Agent`, so site owners can tell who is asking.
    pub user_agent: String,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            timeout: Duration::from_secs(10),
            retries: 2,
            backoff: Duration::from_millis(250),
            per_host: 2,
            concurrency: 8,
            user_agent: format!(
                "fascia-link-check/{} (+static site generator)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

/// Every external link in the bodies of pages and sections, in file order.
pub fn collect(site: &Site, derived: &Derived) -> Vec<ExternalLink> {
    let files = site
        .page_ids()
        .map(|p| (&site[p].file, derived.page_body(p)))
        .chain(
            site.section_ids()
                .map(|s| (&site[s].file, derived.section_body(s))),
        );
    let mut links = reference_links(site);
    for (file, rendered) in files {
        for link in &rendered.links {
            if let LinkKind::External(url) = &link.kind {
                links.push(ExternalLink {
                    url: url.clone(),
                    file: file.display.clone(),
                    source: file.text.clone(),
                    span: link.span.clone(),
                });
            }
        }
    }
    links
}

/// The DOI, PubMed and web links of every page's `[[references]]`, placed at
/// the field that gives them.
fn reference_links(site: &Site) -> Vec<ExternalLink> {
    let mut links = Vec::new();
    for page in &site.pages {
        for r in &page.meta.references {
            let fields = [
                (r.doi.as_deref(), r.doi_url()),
                (r.pmid.as_deref(), r.pmid_url()),
                (r.url.as_deref(), r.url.clone()),
            ];
            for (written, url) in fields {
                let (Some(written), Some(url)) = (written, url) else {
                    continue;
                };
                if !url.starts_with("http://") && !url.starts_with("https://") {
                    continue;
                }
                let text = &page.file.text;
                links.push(ExternalLink {
                    url,
                    file: page.file.display.clone(),
                    source: text.clone(),
                    span: value_span(text, 0, written),
                });
            }
        }
    }
    links
}

/// Checks each distinct address once and returns one error per occurrence of
/// a failing link, sorted by file and position.
pub fn check(links: Vec<ExternalLink>, opts: &ExternalOptions) -> Vec<Diagnostic> {
    let mut urls: Vec<String> = links.iter().map(|l| request_url(&l.url)).collect();
    urls.sort_unstable();
    urls.dedup();
    let failures = probe_all(urls, opts);
    let mut failed: Vec<(ExternalLink, &String)> = links
        .into_iter()
        .filter_map(|l| {
            let reason = failures.get(&request_url(&l.url))?;
            Some((l, reason))
        })
        .collect();
    failed.sort_by(|a, b| (&a.0.file, a.0.span.start).cmp(&(&b.0.file, b.0.span.start)));
    failed
        .into_iter()
        .map(|(l, reason)| {
            let shown = l.url.split('#').next().unwrap_or(&l.url);
            Diagnostic::error(
                Code::LinkExternal,
                format!("external link {shown} failed: {reason}"),
            )
            .at(&l.file, &l.source, l.span)
            .label("this link is broken")
            .hint("check the address, or remove the link if the page is gone")
        })
        .collect()
}

/// Characters that `http::Uri` refuses but Markdown link targets may hold;
/// anything outside ASCII is always encoded.
const UNSAFE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

/// The address to request: no fragment (servers never see it, so `#a` and
/// `#b` are one check), `https:` for protocol-relative links, and encoded.
fn request_url(url: &str) -> String {
    let url = url.split('#').next().unwrap_or(url);
    let url = match url.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    };
    utf8_percent_encode(&url, UNSAFE).to_string()
}

/// `host[:port]` of an address, lower-cased, for the per-host limit.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    host.to_ascii_lowercase()
}

/// The work shared by the worker threads.
struct Queue {
    pending: VecDeque<(String, String)>,
    busy: HashMap<String, usize>,
    failures: HashMap<String, String>,
}

/// Checks `urls` on a bounded pool of threads; returns the failing ones with a reason.
fn probe_all(urls: Vec<String>, opts: &ExternalOptions) -> HashMap<String, String> {
    if urls.is_empty() {
        return HashMap::new();
    }
    let agent: Agent = Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .http_status_as_error(false)
        .user_agent(opts.user_agent.as_str())
        .build()
        .into();
    let workers = opts.concurrency.clamp(1, urls.len());
    // Zero would let no request through and wait forever.
    let per_host = opts.per_host.max(1);
    let queue = Mutex::new(Queue {
        pending: urls
            .into_iter()
            .map(|u| {
                let host = host_of(&u);
                (u, host)
            })
            .collect(),
        busy: HashMap::new(),
        failures: HashMap::new(),
    });
    let freed = Condvar::new();
    thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| worker(&agent, &queue, &freed, per_host, opts));
        }
    });
    queue.into_inner().expect("no worker panics").failures
}

/// Takes the first address whose host has a free slot, checks it, repeats.
fn worker(
    agent: &Agent,
    queue: &Mutex<Queue>,
    freed: &Condvar,
    per_host: usize,
    opts: &ExternalOptions,
) {
    loop {
        let (url, host) = {
            let mut q = queue.lock().expect("no worker panics");
            loop {
                if q.pending.is_empty() {
                    return;
                }
                let free = q
                    .pending
                    .iter()
                    .position(|(_, h)| q.busy.get(h).copied().unwrap_or(0) < per_host);
                if let Some(i) = free {
                    let (url, host) = q.pending.remove(i).expect("index from position");
                    *q.busy.entry(host.clone()).or_default() += 1;
                    break (url, host);
                }
                q = freed.wait(q).expect("no worker panics");
            }
        };
        let result = probe(agent, &url, opts);
        let mut q = queue.lock().expect("no worker panics");
        if let Some(n) = q.busy.get_mut(&host) {
            *n -= 1;
        }
        if let Err(reason) = result {
            q.failures.insert(url, reason);
        }
        freed.notify_all();
    }
}

/// Checks one address, retrying transient failures after a growing pause.
fn probe(agent: &Agent, url: &str, opts: &ExternalOptions) -> Result<(), String> {
    let mut attempt = 0;
    loop {
        match attempt_once(agent, url, opts) {
            Ok(()) => return Ok(()),
            Err(Failure { reason, transient }) => {
                if !transient || attempt >= opts.retries {
                    return Err(reason);
                }
                attempt += 1;
                thread::sleep(opts.backoff * attempt);
            }
        }
    }
}

struct Failure {
    reason: String,
    /// Worth asking again: the server or the network may recover in a moment.
    transient: bool,
}

/// One HEAD (then GET when HEAD fails), redirects followed.
fn attempt_once(agent: &Agent, url: &str, opts: &ExternalOptions) -> Result<(), Failure> {
    let status = match agent.head(url).call() {
        // Many servers answer HEAD with 403, 404 or 405 while GET works: ask again before failing.
        Ok(r) if r.status().as_u16() >= 400 && r.status().as_u16() != 429 => agent.get(url).call(),
        other => other,
    }
    .map(|r| r.status())
    .map_err(|e| error_failure(e, opts.timeout))?;
    // A 3xx here is final (such as 304); ureq already followed every redirect it could.
    if status.is_success() || status.is_redirection() {
        return Ok(());
    }
    Err(Failure {
        reason: format!(
            "the server answered {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )
        .trim_end()
        .to_string(),
        transient: status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS,
    })
}

fn error_failure(e: ureq::Error, timeout: Duration) -> Failure {
    use ureq::Error as E;
    let (reason, transient) = match e {
        E::Timeout(_) => (
            format!("no answer within {} s", timeout.as_secs_f64()),
            true,
        ),
        E::HostNotFound => ("the host name does not resolve".to_string(), false),
        E::ConnectionFailed => ("could not connect".to_string(), true),
        E::Io(e) => (format!("network error: {e}"), true),
        E::TooManyRedirects => ("too many redirects".to_string(), false),
        E::BadUri(_) => ("not a valid address".to_string(), false),
        other => (other.to_string(), false),
    };
    Failure { reason, transient }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_url_drops_fragment_and_encodes() {
        assert_eq!(
            request_url("https://example.org/a#b"),
            "https://example.org/a"
        );
        assert_eq!(request_url("//example.org/x"), "https://example.org/x");
        assert_eq!(
            request_url("https://example.org/Müller a"),
            "https://example.org/M%C3%BCller%20a"
        );
    }

    #[test]
    fn host_ignores_path_and_user() {
        assert_eq!(
            host_of("https://User@Example.org:8080/a?b"),
            "example.org:8080"
        );
        assert_eq!(host_of("http://127.0.0.1:4000"), "127.0.0.1:4000");
    }

    #[test]
    fn no_links_means_no_requests() {
        assert!(check(Vec::new(), &ExternalOptions::default()).is_empty());
    }
}
