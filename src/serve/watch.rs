//! Watches `content/`, `templates/`, `themes/`, `static/` and `site.toml`,
//! coalesces bursts of saves, rebuilds, and only then tells the tabs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer_opt, DebounceEventResult, Debouncer, NoCache, RecommendedCache,
};
use tokio::sync::broadcast;

use super::{message, MemorySink, ServeOptions, Store};
use crate::config::CONFIG_FILE;
use crate::console::Console;
use crate::diagnostics::render_all;
use crate::model::is_skipped_name;
use crate::pipeline::{Job, Session, Update};
use crate::search;

/// How long the saves must have settled before the search index is rebuilt.
const SEARCH_QUIET: Duration = Duration::from_millis(150);

/// Folders whose changes rebuild the site (with `site.toml` beside them).
const WATCHED_DIRS: [&str; 4] = ["content", "templates", "themes", "static"];

/// One of the two kinds of watcher.
enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Watcher {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        }
    }
}

/// Keeps the watcher alive; dropping it stops watching.
pub struct Handle {
    _watcher: Arc<Mutex<Watcher>>,
}
/// Starts watching and a thread that rebuilds on every settled change.
pub fn start(
    session: Session,
    store: Arc<RwLock<Store>>,
    tx: broadcast::Sender<String>,
    opts: &ServeOptions,
    out: Console,
) -> notify::Result<Handle> {
    let (events_tx, events_rx) = mpsc::channel::<DebounceEventResult>();
    let root = opts.root.clone();
    let watched: Vec<PathBuf> = WATCHED_DIRS
        .iter()
        .map(|p| root.join(p))
        .filter(|p| p.exists())
        .collect();
    let poll = |events_tx| -> notify::Result<Watcher> {
        let mut d = new_debouncer_opt::<_, PollWatcher, NoCache>(
            opts.debounce,
            None,
            events_tx,
            NoCache,
            poll_config(),
        )?;
        for p in &watched {
            d.watch(p, RecursiveMode::Recursive)?;
        }
        d.watch(&root, RecursiveMode::NonRecursive)?;
        Ok(Watcher::Poll(d))
    };
    let watcher = if opts.poll {
        poll(events_tx)?
    } else {
        let native = new_debouncer_opt::<_, RecommendedWatcher, RecommendedCache>(
            opts.debounce,
            None,
            events_tx.clone(),
            RecommendedCache::new(),
            notify::Config::default(),
        )
        .and_then(|mut d| {
            for p in &watched {
                d.watch(p, RecursiveMode::Recursive)?;
            }
            // site.toml through its folder: an editor's atomic save replaces the file itself.
            // The same watch sees `static/` or `templates/` created later.
            d.watch(&root, RecursiveMode::NonRecursive)?;
            Ok(d)
        });
        match native {
            Ok(d) => Watcher::Native(d),
            Err(e) => {
                out.warning(format!(
                    "native file events are not available ({e}); polling instead"
                ));
                poll(events_tx)?
            }
        }
    };
    let watcher = Arc::new(Mutex::new(watcher));
    let handle = Handle {
        _watcher: watcher.clone(),
    };
    std::thread::Builder::new()
        .name("fascia-watch".into())
        .spawn(move || rebuild_loop(session, events_rx, store, tx, out, watcher))
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
    Ok(handle)
}

fn rebuild_loop(
    mut session: Session,
    rx: mpsc::Receiver<DebounceEventResult>,
    store: Arc<RwLock<Store>>,
    tx: broadcast::Sender<String>,
    out: Console,
    watcher: Arc<Mutex<Watcher>>,
) {
    let root = session.root().to_path_buf();
    // A rebuild ran whose search step and `done` are still to come.
    let mut unfinished = false;
    loop {
        let first = if unfinished {
            // The search index comes last, once the saves have settled: a burst
            // of edits is indexed once, and never delays the edited page's reload.
            match rx.recv_timeout(SEARCH_QUIET) {
                Ok(e) => e,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    search_step(&mut session, &store, &tx, out);
                    unfinished = false;
                    // Everything of this change is in place (tools and tests wait for this).
                    let _ = tx.send(message("done", None));
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match rx.recv() {
                Ok(e) => e,
                Err(_) => break,
            }
        };
        let mut changed = BTreeSet::new();
        collect(&root, first, &mut changed);
        // The debouncer already waited for quiet; take whatever else has settled meanwhile
        // so a burst of saves becomes one rebuild.
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(2)) {
            collect(&root, more, &mut changed);
        }
        if changed.is_empty() {
            continue;
        }
        watch_new_folders(&root, &changed, &watcher, out);
        let started = Instant::now();
        let paths: Vec<PathBuf> = changed.into_iter().collect();
        let sink = MemorySink::default();
        match session.rebuild(&paths, &sink) {
            Ok((update, warnings)) => {
                out.diagnostics(&warnings);
                let served = Served {
                    store: &store,
                    tx: &tx,
                    out,
                };
                publish(&mut session, update, sink, &paths, started, &served);
            }
            Err(diags) => show_errors(&diags, &store, &tx, out),
        }
        unfinished = true;
    }
}

/// A watched folder created (or re-created) after `serve` started: watch it
/// from now on. Whatever it already holds comes in with this full rebuild.
/// Only these folders are watched recursively, never the whole site root, so
/// `public/`, `.git/` or `target/` cost no watches at all.
fn watch_new_folders(
    root: &Path,
    changed: &BTreeSet<PathBuf>,
    watcher: &Mutex<Watcher>,
    out: Console,
) {
    for p in changed {
        let top = p.parent() == Some(root)
            && p.file_name()
                .is_some_and(|n| WATCHED_DIRS.contains(&n.to_string_lossy().as_ref()));
        if top && p.is_dir() {
            let mut w = watcher.lock().unwrap_or_else(|e| e.into_inner());
            if let Err(e) = w.watch(p, RecursiveMode::Recursive) {
                out.warning(format!("cannot watch {}: {e}", p.display()));
            }
        }
    }
}

/// Where a rebuild's files and messages go.
struct Served<'a> {
    store: &'a Arc<RwLock<Store>>,
    tx: &'a broadcast::Sender<String>,
    out: Console,
}

/// Swaps a successful rebuild's files in, tells the browsers what to reload
/// (only the stylesheets when only CSS changed), and renders what else shows
/// the edited pages.
fn publish(
    session: &mut Session,
    update: Update,
    sink: MemorySink,
    paths: &[PathBuf],
    started: Instant,
    to: &Served,
) {
    let (store, tx, out) = (to.store, to.tx, to.out);
    let (full, pending) = match update {
        Update::Full => (true, Vec::new()),
        Update::Partial(jobs) => (false, jobs),
    };
    let (changed, was_error) = apply(store, sink.into_files(), full);
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    // Pages change too when a stylesheet's cache-busting hash does, but a swap is enough.
    let css_only = paths
        .iter()
        .all(|p| p.extension().is_some_and(|x| x == "css"));
    let msg = if css_only {
        let css: Vec<&String> = changed.iter().filter(|p| p.ends_with(".css")).collect();
        message("css", Some(("paths", serde_json::json!(css))))
    } else {
        message("reload", Some(("paths", serde_json::json!(changed))))
    };
    if was_error {
        let _ = tx.send(message("ok", None));
    }
    let _ = tx.send(msg);
    out.status(format!(
        "{} rebuild: {} changed file{} in {ms:.1} ms",
        if full { "Full" } else { "Incremental" },
        changed.len(),
        if changed.len() == 1 { "" } else { "s" }
    ));
    if !pending.is_empty() {
        follow_up(session, &pending, store, tx, out);
    }
}

/// Rebuilds the search index when pages changed and swaps it in whole.
fn search_step(
    session: &mut Session,
    store: &Arc<RwLock<Store>>,
    tx: &broadcast::Sender<String>,
    out: Console,
) {
    let started = Instant::now();
    let sink = MemorySink::default();
    match session.search_index(&sink) {
        Ok(false) => {}
        Ok(true) => {
            let files = sink.into_files();
            let count = files.len();
            let mut store = store.write().unwrap_or_else(|e| e.into_inner());
            store.files.retain(|k, _| !search::is_index_file(k));
            store.files.extend(files);
            out.detail(format!(
                "Search index: {count} file{} in {:.1} ms",
                if count == 1 { "" } else { "s" },
                started.elapsed().as_secs_f64() * 1000.0
            ));
        }
        Err(diags) => show_errors(&diags, store, tx, out),
    }
}

/// Renders the listings an incremental rebuild left for later and reloads the tabs showing them.
fn follow_up(
    session: &mut Session,
    jobs: &[Job],
    store: &Arc<RwLock<Store>>,
    tx: &broadcast::Sender<String>,
    out: Console,
) {
    let started = Instant::now();
    let sink = MemorySink::default();
    match session.follow_up(jobs, &sink) {
        Ok(()) => {
            let (changed, _) = apply(store, sink.into_files(), false);
            if !changed.is_empty() {
                let _ = tx.send(message(
                    "reload",
                    Some(("paths", serde_json::json!(changed))),
                ));
            }
            out.detail(format!(
                "Listings: {} changed file{} in {:.1} ms",
                changed.len(),
                if changed.len() == 1 { "" } else { "s" },
                started.elapsed().as_secs_f64() * 1000.0
            ));
        }
        Err(diags) => show_errors(&diags, store, tx, out),
    }
}

fn show_errors(
    diags: &[crate::diagnostics::Diagnostic],
    store: &Arc<RwLock<Store>>,
    tx: &broadcast::Sender<String>,
    out: Console,
) {
    out.diagnostics(diags);
    let text = render_all(diags, false);
    store.write().unwrap_or_else(|e| e.into_inner()).error = Some(text.clone());
    let _ = tx.send(message("error", Some(("text", serde_json::json!(text)))));
}

/// Puts a successful rebuild in place (all files when `full`, else the ones
/// given); returns the URL paths that changed and whether an error was showing before.
fn apply(store: &Arc<RwLock<Store>>, files: super::Files, full: bool) -> (Vec<String>, bool) {
    let mut store = store.write().unwrap_or_else(|e| e.into_inner());
    let was_error = store.error.take().is_some();
    let mut changed = Vec::new();
    match full {
        true => {
            for (k, v) in &files {
                if store.files.get(k) != Some(v) {
                    changed.push(url_path(k));
                }
            }
            // The search index is not part of a rebuild: it stays until the search step replaces it.
            let mut files = files;
            for (k, v) in &store.files {
                if search::is_index_file(k) {
                    files.entry(k.clone()).or_insert_with(|| v.clone());
                } else if !files.contains_key(k) {
                    changed.push(url_path(k));
                }
            }
            store.files = files;
        }
        false => {
            for (k, v) in files {
                if store.files.get(&k) != Some(&v) {
                    changed.push(url_path(&k));
                    store.files.insert(k, v);
                }
            }
        }
    }
    changed.sort();
    (changed, was_error)
}

/// `conditions/index.html` → `/conditions/`.
fn url_path(rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{rel}"),
    }
}

fn collect(root: &Path, result: DebounceEventResult, into: &mut BTreeSet<PathBuf>) {
    let Ok(events) = result else { return };
    for e in events {
        if e.kind.is_access() {
            continue;
        }
        for p in &e.paths {
            let ignored = p
                .strip_prefix(root)
                .map(|rel| {
                    let first = rel
                        .components()
                        .next()
                        .map(|c| c.as_os_str().to_string_lossy());
                    // The build copies dotfiles of static/ (`.well-known/`): watch them too.
                    let dotfiles = first.as_deref() == Some("static");
                    let relevant = rel == Path::new(CONFIG_FILE)
                        || rel == Path::new(crate::config::zola::ZOLA_CONFIG_FILE)
                        || first.is_some_and(|f| WATCHED_DIRS.contains(&f.as_ref()));
                    !relevant
                        || rel
                            .components()
                            .any(|c| is_skipped_name(&c.as_os_str().to_string_lossy(), dotfiles))
                })
                .unwrap_or(true);
            if !ignored {
                into.insert(p.clone());
            }
        }
    }
}

// Polling compares mtimes in whole seconds, so two saves within a second would
// look alike: compare contents too.
fn poll_config() -> notify::Config {
    notify::Config::default()
        .with_poll_interval(Duration::from_millis(300))
        .with_compare_contents(true)
}
