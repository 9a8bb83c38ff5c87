//! Incremental = full: random edit sequences on a copy of the `basic` fixture
//! (and a few on the bundled site), each edit followed by `Session::rebuild`
//! (and `follow_up` for the pending listings) as `serve` does, applied to an
//! in-memory copy of the served files the way `serve` applies them (a full
//! update replaces everything, a partial one overlays). Right after each
//! incremental rebuild and at the end of each sequence, the served files must
//! equal a fresh full build into memory, and a failed rebuild must match a
//! failing full build.
//!
//! `FASCIA_RIG_SEQUENCE=N` replays sequence N alone; a failure lists its edits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use fascia::pipeline::{BuildOptions, Session, Update};
use fascia::serve::MemorySink;

use super::fuzz::scale;
use super::{markdown_files, report, Rng};
use crate::common::SiteTest;

type Files = HashMap<String, Arc<[u8]>>;

/// Sequences per CI run, split over two tests so both cores work.
const SEQUENCES: u64 = 256;
/// Base seed; sequence `n` uses `SEED + n`.
const SEED: u64 = 0x1dc7_e417;

/// The state of one sequence: a site on disk and what `serve` would show.
struct Run {
    site: SiteTest,
    rng: Rng,
    counter: usize,
    log: Vec<String>,
    /// Edits left to undo an injected error: (file, text before).
    fix: Option<(PathBuf, Vec<u8>)>,
}

impl Run {
    fn root(&self) -> &Path {
        self.site.root()
    }
    fn content(&self) -> PathBuf {
        self.root().join("content")
    }
    /// Markdown files under content/, as keys like `conditions/back-pain.md`.
    fn md_keys(&self) -> Vec<String> {
        markdown_files(&self.content())
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }
    fn read(&self, key: &str) -> String {
        std::fs::read_to_string(self.content().join(key)).unwrap()
    }
    fn write(&self, key: &str, text: &str) -> PathBuf {
        let p = self.content().join(key);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }
    fn pick_page(&mut self) -> String {
        let keys = self.md_keys();
        self.rng.pick(&keys).clone()
    }
    /// A key fit for an `@/` link: an existing, non-draft Markdown file.
    fn link_target(&mut self) -> String {
        let keys: Vec<String> = self
            .md_keys()
            .into_iter()
            .filter(|k| !self.read(k).contains("draft = true"))
            .collect();
        self.rng.pick(&keys).clone()
    }
    fn n(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }

    /// Applies one random edit; returns the changed absolute paths.
    fn edit(&mut self) -> Vec<PathBuf> {
        if let Some((path, before)) = self.fix.take() {
            self.log.push(format!("fix {}", path.display()));
            std::fs::write(&path, before).unwrap();
            return vec![path];
        }
        let n = self.n();
        match self.rng.below(25) {
            0..=5 => {
                let key = self.pick_page();
                let text = self.read(&key) + &format!("\nEdited paragraph {n}.\n");
                self.log.push(format!("body edit {key}"));
                vec![self.write(&key, &text)]
            }
            6 | 7 => {
                let key = self.pick_page();
                let to = self.link_target();
                let text = self.read(&key) + &format!("\nSee [also {n}](@/{to}).\n");
                self.log.push(format!("add link {key} -> {to}"));
                vec![self.write(&key, &text)]
            }
            8 => {
                let key = self.pick_page();
                let text = self.read(&key);
                let body_at = body_start(&text);
                let Some(line) = text[body_at..]
                    .lines()
                    .rev()
                    .find(|l| l.contains("](@/") || l.contains("](#"))
                else {
                    return self.edit_again();
                };
                let text = format!(
                    "{}{}",
                    &text[..body_at],
                    text[body_at..].replacen(line, "Link removed.", 1)
                );
                self.log.push(format!("remove link {key}: {line}"));
                vec![self.write(&key, &text)]
            }
            9 => {
                let key = self.pick_page();
                let text = self.read(&key);
                let text = if text.contains("title = \"") {
                    text.replacen("title = \"", &format!("title = \"T{n} "), 1)
                } else if text.contains("title: ") {
                    text.replacen("title: ", &format!("title: T{n} "), 1)
                } else {
                    return self.edit_again();
                };
                self.log.push(format!("title edit {key}"));
                vec![self.write(&key, &text)]
            }
            10 => {
                let key = self.pick_page();
                let text = self.read(&key);
                let tag = *self.rng.pick(&["Neck", "posture", "knee", "new tag", "é"]);
                let text = if text.contains("tags = [") {
                    text.replacen("tags = [", &format!("tags = [\"{tag}\", "), 1)
                } else if text.starts_with("+++\n") && !text.contains("[taxonomies]") {
                    text.replacen(
                        "+++\n",
                        &format!("+++\ntaxonomies = {{ tags = [\"{tag}\"] }}\n"),
                        1,
                    )
                } else {
                    return self.edit_again();
                };
                self.log.push(format!("taxonomy edit {key}: {tag}"));
                vec![self.write(&key, &text)]
            }
            11 => {
                let dir = *self.rng.pick(&["", "conditions/", "conditions/knee-pain/"]);
                let dir = if dir.ends_with("knee-pain/") {
                    "conditions/"
                } else {
                    dir
                };
                let to = self.link_target();
                let key = format!("{dir}new-{n}.md");
                let text = format!(
                    "+++\ntitle = \"New {n}\"\ndate = 2026-04-{:02}\n[taxonomies]\ntags = [\"posture\"]\n+++\n\nFresh page linking [there](@/{to}).\n",
                    1 + n % 28
                );
                self.log.push(format!("create {key}"));
                vec![self.write(&key, &text)]
            }
            12 => {
                let created: Vec<String> = self
                    .md_keys()
                    .into_iter()
                    .filter(|k| k.contains("new-") || k == "about.md")
                    .collect();
                if created.is_empty() {
                    return self.edit_again();
                }
                let key = self.rng.pick(&created).clone();
                let p = self.content().join(&key);
                std::fs::remove_file(&p).unwrap();
                self.log.push(format!("delete {key}"));
                vec![p]
            }
            13 => {
                // Pages nothing links to, so the site stays good.
                let movable: Vec<String> = self
                    .md_keys()
                    .into_iter()
                    .filter(|k| k.contains("new-") || k == "about.md" || k.contains("first"))
                    .collect();
                if movable.is_empty() {
                    return self.edit_again();
                }
                let key = self.rng.pick(&movable).clone();
                let from = self.content().join(&key);
                let to_key = format!("{}-moved-{n}.md", key.trim_end_matches(".md"));
                let to = self.content().join(&to_key);
                std::fs::rename(&from, &to).unwrap();
                self.log.push(format!("rename {key} -> {to_key}"));
                vec![from, to]
            }
            14 => {
                let names: Vec<&str> = [
                    "templates/page.html",
                    "templates/base.html",
                    "templates/section.html",
                    "themes/guide/templates/page.html",
                    "themes/guide/templates/section.html",
                    "themes/guide/templates/macros.html",
                ]
                .into_iter()
                .filter(|t| self.root().join(t).is_file())
                .collect();
                let name = *self.rng.pick(&names);
                let p = self.root().join(name);
                let text = std::fs::read_to_string(&p).unwrap();
                let text = if text.contains("{% endblock %}") {
                    text.replacen("{% endblock %}", &format!("<p>v{n}</p>{{% endblock %}}"), 1)
                } else {
                    format!("{text}{{# v{n} #}}")
                };
                std::fs::write(&p, text).unwrap();
                self.log.push(format!("template edit {name}"));
                vec![p]
            }
            15 => {
                let p = self.root().join("static/style.css");
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, format!("body {{ color: #{:06x}; }}\n", n * 4099)).unwrap();
                self.log.push("static edit style.css".into());
                vec![p]
            }
            16 => {
                let with_index = self.rng.chance(50);
                let mut changed = Vec::new();
                if with_index {
                    changed.push(self.write(
                        &format!("area-{n}/_index.md"),
                        &format!("+++\ntitle = \"Area {n}\"\n+++\n\nA new section.\n"),
                    ));
                }
                changed.push(self.write(
                    &format!("area-{n}/first.md"),
                    &format!("+++\ntitle = \"First of {n}\"\n+++\n\nIn a new folder.\n"),
                ));
                self.log
                    .push(format!("new folder area-{n} (with _index: {with_index})"));
                changed
            }
            17 => {
                // An unterminated string in the front matter; the next edit fixes it.
                let key = self.pick_page();
                let before = self.read(&key);
                let text = if before.starts_with("+++\n") {
                    before.replacen("+++\n", "+++\ndescription = \"unterminated\n", 1)
                } else {
                    before.replacen("---\n", "---\ndescription: [unclosed\n", 1)
                };
                self.log.push(format!("break front matter of {key}"));
                let p = self.write(&key, &text);
                self.fix = Some((p.clone(), before.into_bytes()));
                vec![p]
            }
            18 => {
                // A broken link in the body (the incremental path's own error); fixed next.
                let key = self.pick_page();
                let before = self.read(&key);
                let text = before.clone() + "\n[gone](@/nowhere.md)\n";
                self.log.push(format!("break a link in {key}"));
                let p = self.write(&key, &text);
                self.fix = Some((p.clone(), before.into_bytes()));
                vec![p]
            }
            19 | 20 => {
                // Renames a heading: anchors into this page may now be missing.
                let key = self.pick_page();
                let text = self.read(&key);
                let body_at = body_start(&text);
                if !text[body_at..].contains("\n## ") && !text[body_at..].starts_with("## ") {
                    return self.edit_again();
                }
                let text = format!(
                    "{}{}",
                    &text[..body_at],
                    text[body_at..].replacen("## ", &format!("## Renamed {n} "), 1)
                );
                self.log.push(format!("rename a heading in {key}"));
                vec![self.write(&key, &text)]
            }
            22 | 23 => {
                // A long paragraph: the reading time changes, and listings show it.
                let key = self.pick_page();
                let words = format!("word{n} ").repeat(150 + self.rng.below(300));
                let text = self.read(&key) + &format!("\n{words}\n");
                self.log.push(format!("long paragraph in {key}"));
                vec![self.write(&key, &text)]
            }
            21 => {
                // New first words: the summary and excerpt change.
                let key = self.pick_page();
                let text = self.read(&key);
                let body_at = body_start(&text);
                let text = format!("{}First words {n}. {}", &text[..body_at], &text[body_at..]);
                self.log.push(format!("prepend to the body of {key}"));
                vec![self.write(&key, &text)]
            }
            _ => {
                let key = self.pick_page();
                let text = self.read(&key);
                let body_at = body_start(&text);
                let text = format!(
                    "{}Summary {n}.\n\n<!-- more -->\n\n## Heading {n}\n\n{}",
                    &text[..body_at],
                    &text[body_at..]
                );
                self.log.push(format!("summary and heading in {key}"));
                vec![self.write(&key, &text)]
            }
        }
    }

    fn edit_again(&mut self) -> Vec<PathBuf> {
        self.edit()
    }
}

/// Byte offset just after the closing fence (0 when there is none).
fn body_start(text: &str) -> usize {
    let fence = if text.starts_with("---") {
        "\n---\n"
    } else {
        "\n+++\n"
    };
    text[3..].find(fence).map_or(0, |i| 3 + i + fence.len())
}

fn options(root: &Path) -> BuildOptions {
    let mut o = BuildOptions::new(root);
    o.base_url = Some("http://127.0.0.1:1111".into());
    o
}

/// A fresh full build into memory, as `serve` starts.
fn fresh(root: &Path) -> Option<Files> {
    let sink = MemorySink::default();
    Session::new(options(root))
        .full(&sink)
        .ok()
        .map(|_| sink.into_files())
}

/// Where two sets of served files differ, briefly.
fn difference(served: &Files, full: &Files) -> String {
    let mut out = Vec::new();
    let mut keys: Vec<&String> = served.keys().chain(full.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        match (served.get(k), full.get(k)) {
            (Some(_), None) => out.push(format!("  {k}: served, but not in a full build")),
            (None, Some(_)) => out.push(format!("  {k}: missing from the served files")),
            (Some(a), Some(b)) if a != b => {
                let at = a
                    .iter()
                    .zip(b.iter())
                    .position(|(x, y)| x != y)
                    .unwrap_or(a.len().min(b.len()));
                let from = at.saturating_sub(60);
                let show = |x: &[u8]| {
                    String::from_utf8_lossy(&x[from..(at + 80).min(x.len())]).into_owned()
                };
                out.push(format!(
                    "  {k}: differs at byte {at}\n    served: {:?}\n    full:   {:?}",
                    show(a),
                    show(b)
                ));
            }
            _ => {}
        }
    }
    out.join("\n")
}

/// What the sequences did, for the figures.
#[derive(Default)]
struct Stats {
    rebuilds: usize,
    partial: usize,
    compared: usize,
    failed: usize,
    ended_failing: usize,
}

/// Which site a sequence edits.
#[derive(Clone, Copy)]
enum Kind {
    /// `tests/fixtures/basic`: small, its own templates.
    Fixture,
    /// The bundled site (content/, site.toml, themes/): the guide theme, whose
    /// listings show excerpts and reading times.
    Bundled,
}

fn site(kind: Kind) -> SiteTest {
    match kind {
        Kind::Fixture => SiteTest::fixture("basic"),
        Kind::Bundled => {
            let t = SiteTest::empty();
            for dir in ["content", "themes"] {
                crate::common::copy_dir(&super::repo().join(dir), &t.root().join(dir));
            }
            std::fs::copy(super::repo().join("site.toml"), t.root().join("site.toml")).unwrap();
            t
        }
    }
}

/// Runs sequence `n`, adding to `stats`; `Err` says what differs.
fn sequence(n: u64, kind: Kind, stats: &mut Stats) -> Result<(), String> {
    let mut run = Run {
        site: site(kind),
        rng: Rng(SEED.wrapping_add(n)),
        counter: 0,
        log: Vec::new(),
        fix: None,
    };
    let root = run.root().to_path_buf();
    let mut session = Session::new(options(&root));
    let sink = MemorySink::default();
    session
        .full(&sink)
        .map_err(|d| format!("the fixture fails: {d:?}"))?;
    let mut served: Files = sink.into_files();
    let mut ok = true;
    let fail = |run: &Run, why: String| {
        Err(format!(
            "sequence {n} (replay with FASCIA_RIG_SEQUENCE={n}, or FASCIA_RIG_BUNDLED_SEQUENCE={n} \
             for the bundled site):\n{}\n{why}",
            run.log.join("\n")
        ))
    };
    let steps = 3 + run.rng.below(4);
    for _ in 0..steps {
        let mut changed = run.edit();
        // Sometimes two saves land in one debounced batch.
        if run.fix.is_none() && run.rng.chance(20) {
            changed.extend(run.edit());
        }
        changed.sort();
        changed.dedup();
        let sink = MemorySink::default();
        let mut partial = false;
        ok = match session.rebuild(&changed, &sink) {
            Ok((Update::Full, _)) => {
                served = sink.into_files();
                true
            }
            Ok((Update::Partial(jobs), _)) => {
                partial = true;
                stats.partial += 1;
                served.extend(sink.into_files());
                let more = MemorySink::default();
                let r = session.follow_up(&jobs, &more);
                served.extend(more.into_files());
                r.is_ok()
            }
            Err(_) => false,
        };
        run.log
            .push(format!("  -> rebuild {}", if ok { "ok" } else { "failed" }));
        // The incremental path is where bugs would be: compare right after it, so
        // a later full rebuild cannot hide them.
        if partial && ok {
            stats.compared += 1;
            match fresh(&root) {
                Some(full) if served != full => return fail(&run, difference(&served, &full)),
                None => {
                    return fail(
                        &run,
                        "the incremental rebuild succeeded, a full build fails".into(),
                    )
                }
                _ => {}
            }
        }
        stats.rebuilds += 1;
        stats.failed += usize::from(!ok);
    }
    stats.ended_failing += usize::from(!ok);
    stats.compared += 1;
    match (ok, fresh(&root)) {
        (true, Some(full)) if served != full => fail(&run, difference(&served, &full)),
        (true, None) => fail(
            &run,
            "the incremental rebuild succeeded, a full build fails".into(),
        ),
        (false, Some(_)) => fail(
            &run,
            "the incremental rebuild failed, a full build succeeds".into(),
        ),
        _ => Ok(()),
    }
}

fn run_range(range: std::ops::Range<u64>, kind: Kind, part: &str) {
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut stats = Stats::default();
    for n in range.clone() {
        if let Err(e) = sequence(n, kind, &mut stats) {
            failures.push(e);
        }
    }
    report(
        &format!("incremental = full ({part})"),
        &format!(
            "{} sequences, {} comparisons with a fresh full build (at the end of each sequence \
             and after each incremental rebuild; {} rebuilds: {} incremental, {} failed as \
             intended; {} sequences end on a broken site), {} differ",
            range.end - range.start,
            stats.compared,
            stats.rebuilds,
            stats.partial,
            stats.failed,
            stats.ended_failing,
            failures.len()
        ),
        started,
    );
    assert!(
        failures.is_empty(),
        "{} of {} sequences differ from a full build; the first:\n{}",
        failures.len(),
        range.end - range.start,
        failures[0]
    );
}

fn half(first: bool) -> std::ops::Range<u64> {
    if let Some(n) = std::env::var("FASCIA_RIG_SEQUENCE")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return if first { n..n + 1 } else { 0..0 };
    }
    let total = SEQUENCES * u64::from(scale());
    if first {
        0..total / 2
    } else {
        total / 2..total
    }
}

#[test]
fn incremental_equals_full_first_half() {
    run_range(half(true), Kind::Fixture, "basic fixture, first half");
}

#[test]
fn incremental_equals_full_second_half() {
    run_range(half(false), Kind::Fixture, "basic fixture, second half");
}

/// A few sequences on the bundled site, beyond the 256: its builds cost ten times more.
#[test]
fn incremental_equals_full_on_the_bundled_site() {
    let range = match std::env::var("FASCIA_RIG_BUNDLED_SEQUENCE")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        Some(n) => n..n + 1,
        None => 1000..1000 + 12 * u64::from(scale()),
    };
    run_range(range, Kind::Bundled, "bundled site");
}
