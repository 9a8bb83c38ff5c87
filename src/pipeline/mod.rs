//! The orchestrator: the one place that runs the stages, load → passes
//! (links, related) → render → write, for `build`, `check` and `serve`.
//! `check` is the same run without the write; `serve` runs it into memory and
//! uses [`Session`] for incremental rebuilds, which reuse these same stages.

mod fingerprint;
mod incremental;
mod partial;

pub use crate::external::ExternalOptions;
pub use crate::output::abandon_open_staging;
pub use crate::render::Job;
pub use incremental::{Session, Update};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content;
use crate::derived::{BodyReader, Derived};
use crate::diagnostics::{error_count, Code, Diagnostic};
use crate::health;
use crate::inputs::Reads;
use crate::links;
use crate::lint;
use crate::metadata::related;
use crate::model::front_matter::PageDate;
use crate::model::Site;
use crate::output::{OutputWriter, Sink, WriteStats};
use crate::render::shortcodes::ShortcodeTemplates;
use crate::render::theme::{self, StaticSource};
use crate::render::Renderer;
use crate::search;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root (holds `site.toml`).
    pub root: PathBuf,
    /// Output folder; `output_dir` from the config when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Write into a non-empty folder fascia did not create.
    pub force: bool,
    /// Validate only; write nothing.
    pub dry_run: bool,
    /// Run the content lint (`check` and `serve` do; `build` does not).
    pub lint: bool,
    /// Called (from a watchdog thread) as soon as a render runs past
    /// `[build] render_timeout_ms`, while the render itself may go on.
    pub on_timeout: Option<TimeoutHook>,
}

/// What to do the moment a render runs past its time limit: `build` and
/// `check` report and exit, `serve` shows the error in the open tabs. The
/// render cannot be interrupted; when it ends, the build fails with the same error.
#[derive(Clone)]
pub struct TimeoutHook(pub Arc<dyn Fn(&Diagnostic) + Send + Sync>);

impl std::fmt::Debug for TimeoutHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TimeoutHook")
    }
}

impl BuildOptions {
    /// Defaults for building the site at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            force: false,
            dry_run: false,
            lint: false,
            on_timeout: None,
        }
    }
}

/// Time spent per stage.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    /// Hashing the inputs for the fingerprint, and checking the output
    /// folder when it matches.
    pub inputs: Duration,
    /// Reading the config, walking `content/` and reading the files.
    pub load: Duration,
    /// Parsing front matter and building the page tree.
    pub parse: Duration,
    /// Rendering Markdown.
    pub markdown: Duration,
    /// Anchors, backlinks, taxonomies, related, health and lint.
    pub metadata: Duration,
    /// The health pass (part of `metadata`).
    pub health: Duration,
    /// The content lint (part of `metadata`; zero when it does not run).
    pub lint: Duration,
    /// Rendering templates (includes staging writes).
    pub render: Duration,
    /// Building the search index from the rendered pages (includes staging writes).
    pub search: Duration,
    /// Copying static files and committing the output.
    pub write: Duration,
}

/// What a build produced.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Warnings and errors.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages built.
    pub pages: usize,
    /// Sections built.
    pub sections: usize,
    /// Taxonomy terms built.
    pub terms: usize,
    /// What the write did (zero for `check`).
    pub written: WriteStats,
    /// Where the output went.
    pub output: PathBuf,
    /// A failed build had begun to move files into the output folder (a file
    /// system error during the commit); the next build repairs them.
    pub partly_written: bool,
    /// Per-stage times.
    pub timings: Timings,
    /// Lint findings that pages allow, listed by `check`.
    pub allowed: Vec<crate::derived::Allowed>,
    /// Nothing changed since the last build, which found no problem: its
    /// fingerprint matched, the output folder is as it left it, and nothing
    /// was loaded, rendered or written.
    pub nothing_changed: bool,
    /// Only page bodies changed since the last build: how many pages, and
    /// the outputs rendered again (the rest were kept as they were).
    pub partial: Option<(usize, Vec<String>)>,
    /// Wall time.
    pub elapsed: Duration,
}

impl BuildReport {
    /// True when no error was found.
    pub fn ok(&self) -> bool {
        error_count(&self.diagnostics) == 0
    }
}

/// Loads the site and runs the passes over it, without rendering templates.
pub fn load(
    opts: &BuildOptions,
    timings: &mut Timings,
) -> (Option<(Site, Derived)>, Vec<Diagnostic>) {
    let t = Instant::now();
    let mut config = match Config::load(&opts.root) {
        Ok(c) => c,
        Err(d) => return (None, d),
    };
    if let Some(b) = &opts.base_url {
        config.base_url = b.trim_end_matches('/').to_string();
    }
    let config_warnings = std::mem::take(&mut config.warnings);
    let (mut site, mut diags, read) = content::load(&opts.root, config, opts.drafts);
    diags.extend(config_warnings);
    let mut derived = Derived {
        reads: Arc::new(Reads::new(&site.root, &fingerprint::folders(&site.config))),
        ..Derived::default()
    };
    let (taxonomies, terms, d) = content::taxonomies::build(&site, &site.config);
    site.taxonomies = taxonomies;
    derived.terms = terms;
    diags.extend(d);
    let loaded = t.elapsed();
    timings.load = read.min(loaded);
    timings.parse = loaded - timings.load;

    let t = Instant::now();
    diags.extend(load_shortcodes(&site, &mut derived));
    let body_lint = lint::BodyLint::when_on(opts.lint, &site.config.lint);
    let reader = body_lint.as_ref().map(|b| b as &dyn BodyReader);
    diags.extend(links::render_bodies(&site, &mut derived, reader));
    timings.markdown = t.elapsed();

    let t = Instant::now();
    diags.extend(links::check_anchors_and_backlinks(&site, &mut derived));
    diags.extend(related::compute(&site, &mut derived));
    let today = PageDate::today();
    let h = Instant::now();
    diags.extend(health::pass(&site, &mut derived, &today));
    timings.health = h.elapsed();
    if opts.lint {
        let l = Instant::now();
        let report = lint::pass(&site, &derived, &today);
        diags.extend(report.diagnostics);
        derived.allowed = report.allowed;
        timings.lint = l.elapsed();
    }
    timings.metadata = t.elapsed();
    (Some((site, derived)), diags)
}

/// Loads the shortcode templates of the theme and the site into `derived`,
/// for the links pass. A theme that cannot be read is reported when rendering.
fn load_shortcodes(site: &Site, derived: &mut Derived) -> Option<Diagnostic> {
    let files = theme::collect(&site.root, site.config.theme.as_deref()).ok()?;
    match ShortcodeTemplates::new(site, &files.templates, &derived.reads) {
        Ok(t) => {
            derived.shortcodes = crate::derived::ShortcodeTemplates(
                t.map(|t| std::sync::Arc::new(t) as std::sync::Arc<_>),
            );
            None
        }
        Err(e) => Some(
            Diagnostic::error(
                Code::TemplateError,
                format!("a shortcode template does not parse: {e}"),
            )
            .in_file("templates/shortcodes"),
        ),
    }
}

/// A loaded site with its derived data, templates and static files: what a
/// build keeps so that `serve` can re-render parts of it.
pub struct Built {
    /// The site model.
    pub site: Site,
    /// What the passes computed.
    pub derived: Derived,
    /// The loaded templates and shared values.
    pub renderer: Renderer,
    /// Static files with their output paths.
    pub statics: Vec<(String, Vec<u8>)>,
    /// Told when a render runs past its time limit.
    pub on_timeout: Option<TimeoutHook>,
}

/// Loads the theme and static files and sets up the renderer for a loaded
/// site (the second half of [`prepare_site`]); the problems that do not stop
/// the build go to `diags`. With `release`, lets go of the sources once
/// nothing points into them any more (see [`Site::release_sources`]).
fn prepare(
    opts: &BuildOptions,
    mut site: Site,
    derived: Derived,
    diags: &mut Vec<Diagnostic>,
    release: bool,
) -> Option<Built> {
    let theme_files = match theme::collect(&site.root, site.config.theme.as_deref()) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    diags.extend(theme_files.warnings.iter().cloned());
    let mut found = Vec::new();
    let statics = read_statics(&site, &theme_files.statics, &mut found);
    let failed = error_count(&found) > 0;
    diags.extend(found);
    if failed {
        return None;
    }
    let hashes: HashMap<String, String> = statics
        .iter()
        .map(|(p, b)| {
            (
                p.clone(),
                format!("{:08x}", xxhash_rust::xxh3::xxh3_64(b) as u32),
            )
        })
        .collect();
    match Renderer::new(&site, &derived, &theme_files, hashes) {
        Ok(renderer) => {
            // Every output path is known before anything renders: two claims on one
            // file are an error, never a silent overwrite.
            let jobs = renderer.jobs(&site, &derived);
            let static_paths: Vec<&str> = statics.iter().map(|(p, _)| p.as_str()).collect();
            let collisions = renderer.collisions(&site, &jobs, &static_paths);
            if !collisions.is_empty() {
                diags.extend(collisions);
                return None;
            }
            // The collision errors point into the sources; the summaries of
            // every page are made after they are gone.
            if release {
                site.release_sources();
            }
            renderer.summarise(&site, &derived);
            Some(Built {
                site,
                derived,
                renderer,
                statics,
                on_timeout: opts.on_timeout.clone(),
            })
        }
        Err(d) => {
            diags.extend(d);
            None
        }
    }
}

/// Loads, runs the passes and prepares rendering; `None` when an error was found.
pub fn prepare_site(opts: &BuildOptions, report: &mut BuildReport) -> Option<Built> {
    let (site, derived) = load_site(opts, report)?;
    prepare(opts, site, derived, &mut report.diagnostics, false)
}

/// Loads and runs the passes (the first half of [`prepare_site`]); `None`
/// when an error was found. The problems go to `report.diagnostics`.
fn load_site(opts: &BuildOptions, report: &mut BuildReport) -> Option<(Site, Derived)> {
    let (loaded, diags) = load(opts, &mut report.timings);
    report.diagnostics = diags;
    let (site, derived) = loaded?;
    report.pages = site.pages.len();
    report.allowed = derived.allowed.clone();
    report.sections = site.sections.len();
    report.terms = site.taxonomies.iter().map(|t| t.terms.len()).sum();
    (error_count(&report.diagnostics) == 0).then_some((site, derived))
}

impl Built {
    /// Renders `jobs` in parallel into `sink`, returning the problems found.
    ///
    /// A watchdog thread watches the running renders: one that runs past
    /// `[build] render_timeout_ms` is reported at once (through the
    /// [`TimeoutHook`]) and fails the build with `template::timeout`, naming
    /// its template and page. Tera cannot be interrupted, so the render itself
    /// runs on until it ends.
    pub fn render(&self, jobs: &[Job], sink: &dyn Sink) -> Vec<Diagnostic> {
        let limit = Duration::from_millis(self.site.config.build.render_timeout_ms.max(1));
        let running: Mutex<HashMap<usize, Instant>> = Mutex::default();
        let late: Mutex<Vec<Diagnostic>> = Mutex::default();
        let done = AtomicBool::new(false);
        let mut diags: Vec<Diagnostic> = std::thread::scope(|scope| {
            let watchdog = scope.spawn(|| {
                let tick = (limit / 4).clamp(Duration::from_millis(1), Duration::from_millis(100));
                let mut reported = HashSet::new();
                while !done.load(Ordering::Acquire) {
                    std::thread::park_timeout(tick);
                    let now = Instant::now();
                    let over: Vec<usize> = lock(&running)
                        .iter()
                        .filter(|(i, &t)| now - t >= limit && !reported.contains(*i))
                        .map(|(&i, _)| i)
                        .collect();
                    for i in over {
                        reported.insert(i);
                        let d = self.timeout_error(&jobs[i], limit);
                        if let Some(hook) = &self.on_timeout {
                            (hook.0)(&d);
                        }
                        lock(&late).push(d);
                    }
                }
            });
            let diags = jobs
                .par_iter()
                .enumerate()
                .filter_map(|(i, job)| {
                    lock(&running).insert(i, Instant::now());
                    let result = self.renderer.render(&self.site, &self.derived, job);
                    lock(&running).remove(&i);
                    let (rel, bytes) = match result {
                        Ok(x) => x,
                        Err(d) => return Some(d),
                    };
                    sink.put(&rel, &bytes).err().map(|e| io_error(&rel, e))
                })
                .collect();
            done.store(true, Ordering::Release);
            watchdog.thread().unpark();
            diags
        });
        diags.extend(late.into_inner().unwrap_or_else(|e| e.into_inner()));
        crate::render::merge_template_errors(diags)
    }

    fn timeout_error(&self, job: &Job, limit: Duration) -> Diagnostic {
        let (template, who) = self.renderer.describe(&self.site, job);
        Diagnostic::error(
            Code::TemplateTimeout,
            format!(
                "rendering {who} with `{template}` took longer than {} ms",
                limit.as_millis()
            ),
        )
        .in_file(self.renderer.origin(&template).unwrap_or(template))
        .hint("look for a loop over a large range or a slow nested loop in the template; or raise `render_timeout_ms` under `[build]` in site.toml")
    }

    /// Renders `jobs` like [`Built::render`] and also returns the rendered
    /// pages that the search index takes in (none when search is off).
    pub fn render_for_search(
        &self,
        jobs: &[Job],
        sink: &dyn Sink,
    ) -> (Vec<Diagnostic>, search::Kept) {
        let config = self.renderer.search.then_some(&self.site.config);
        let tee = search::Tee::new(sink, config);
        let diags = self.render(jobs, &tee);
        (diags, tee.into_pages())
    }

    /// Builds the search index of `pages` into `sink`: the search pass, run
    /// after rendering. Does nothing when search is off.
    pub fn search_index(&self, pages: search::Input, sink: &dyn Sink) -> Vec<Diagnostic> {
        if !self.renderer.search {
            return Vec::new();
        }
        match search::index(pages) {
            Ok(files) => files
                .par_iter()
                .filter_map(|(rel, bytes)| sink.put(rel, bytes).err().map(|e| io_error(rel, e)))
                .collect(),
            Err(d) => vec![d],
        }
    }

    /// Renders every output and stores the static files that no output
    /// claimed; returns the problems and the pages for the search index.
    pub fn render_all(&self, sink: &dyn Sink) -> (Vec<Diagnostic>, search::Pages) {
        let jobs = self.renderer.jobs(&self.site, &self.derived);
        let (mut diags, pages) = self.render_for_search(&jobs, sink);
        diags.extend(
            self.statics
                .par_iter()
                .filter(|(rel, _)| !sink.contains(rel))
                .filter_map(|(rel, bytes)| sink.put(rel, bytes).err().map(|e| io_error(rel, e)))
                .collect::<Vec<_>>(),
        );
        (diags, pages.into_iter().collect())
    }
}

/// Runs the whole build into the output folder (or, for `check`, nowhere).
/// On any error nothing in the output folder changes. The built state comes
/// back too, for `check --external`.
///
/// A build whose inputs match the fingerprint the last build saved, into an
/// output folder as that build left it, stops there: nothing is loaded,
/// rendered or written (`nothing_changed`; never with `--force` or `check`).
/// When only page bodies changed, it loads and checks everything but renders
/// only the outputs that show those pages (`partial`, see `partial.rs`).
pub fn build(opts: &BuildOptions) -> (BuildReport, Option<Built>) {
    let start = Instant::now();
    let mut report = BuildReport::default();
    let inputs = (!opts.dry_run).then(|| fingerprint_inputs(opts)).flatten();
    let last = match &inputs {
        Some(i) if !opts.force => i.against_last(),
        _ => fingerprint::Last::Unknown,
    };
    let edit = match (last, &inputs) {
        (fingerprint::Last::Unchanged(last), Some(inputs)) => {
            (report.pages, report.sections, report.terms) = last.counts;
            report.written.unchanged = last.files;
            report.output = inputs.out.clone();
            report.nothing_changed = true;
            report.timings.inputs = start.elapsed();
            report.elapsed = start.elapsed();
            return (report, None);
        }
        (fingerprint::Last::Edited(edit), _) => Some(edit),
        _ => None,
    };
    report.timings.inputs = start.elapsed();
    let built = load_site(opts, &mut report).and_then(|(site, derived)| {
        // Recorded for the next build, while the sources are still here.
        let states = inputs
            .as_ref()
            .map(|_| partial::page_states(&site, &derived));
        let edit = edit.filter(|_| {
            inputs
                .as_ref()
                .is_some_and(|i| partial::loaded_as_hashed(&site, i))
        });
        // Only `check --external` reads the content files after `prepare`.
        let release = !opts.dry_run;
        let mut built = prepare(opts, site, derived, &mut report.diagnostics, release)?;
        report.output = output_folder(opts, &built.site.config);
        let plan = match (edit, &states) {
            (Some(edit), Some(states)) => partial::plan(&built, &edit, states),
            _ => None,
        };
        // Each page is rendered once here: its output takes its HTML.
        built.derived.detach_page_html();
        let saved = inputs.as_ref().zip(states);
        write(opts, &built, &mut report, saved, plan).then_some(built)
    });
    report.elapsed = start.elapsed();
    (report, built)
}

/// The output folder: `--output`, else `output_dir` of the site.
fn output_folder(opts: &BuildOptions, config: &Config) -> PathBuf {
    opts.output
        .clone()
        .unwrap_or_else(|| opts.root.join(&config.output_dir))
}

/// The inputs of a build of `opts`, hashed; `None` when `site.toml` does not
/// load or some input cannot be vouched for (the build then runs in full).
fn fingerprint_inputs(opts: &BuildOptions) -> Option<fingerprint::Inputs> {
    let config = Config::load(&opts.root).ok()?;
    let out = output_folder(opts, &config);
    fingerprint::Inputs::of(opts, &config, out, &PageDate::today())
}

/// `check --external`: checks every external link of a built site over the
/// network; returns how many distinct links there were and the failures.
pub fn check_external(built: &Built, opts: &ExternalOptions) -> (usize, Vec<Diagnostic>) {
    let links = crate::external::collect(&built.site, &built.derived);
    let count = links.len();
    (count, crate::external::check(links, opts))
}

/// Renders into the output folder and commits; false when an error stopped
/// it. Renders only the jobs of `plan` when there is one, keeping the rest
/// of the last build. Saves the fingerprint of `saved` (the inputs, and what
/// other outputs show of each page) when the build found no problem.
fn write(
    opts: &BuildOptions,
    built: &Built,
    report: &mut BuildReport,
    saved: Option<(
        &fingerprint::Inputs,
        BTreeMap<String, fingerprint::PageState>,
    )>,
    plan: Option<partial::Partial>,
) -> bool {
    let counts = (report.pages, report.sections, report.terms);
    if let Some(d) =
        output_overlaps_site(&report.output, &opts.root).map(|p| overlap_error(opts, p))
    {
        report.diagnostics.push(d);
        return false;
    }
    let t = Instant::now();
    let mut writer = match OutputWriter::open(&report.output, opts.force, opts.dry_run) {
        Ok(w) => w,
        Err(d) => {
            report.diagnostics.push(d);
            return false;
        }
    };
    let diags = &mut report.diagnostics;
    diags.append(&mut writer.warnings);
    let jobs = match &plan {
        Some(plan) => plan.jobs.clone(),
        None => built.renderer.jobs(&built.site, &built.derived),
    };
    // The search index reports nothing about the content: `check`, which
    // writes nothing, skips it (a fifth of its time at 10,000 pages).
    let (found, mut pages) = if opts.dry_run {
        (built.render(&jobs, &writer), search::Kept::new())
    } else {
        built.render_for_search(&jobs, &writer)
    };
    diags.extend(found);
    if let Some(plan) = &plan {
        report.partial = Some((plan.edited, writer.produced()));
        match kept_pages(built, &writer, &report.output) {
            Ok(kept) => pages.extend(kept),
            Err(d) => diags.push(d),
        }
    }
    report.timings.render = t.elapsed();

    let t = Instant::now();
    if error_count(diags) == 0 && !opts.dry_run {
        let pages: search::Pages = pages.into_iter().collect();
        diags.extend(built.search_index(search::Input::Taken(pages), &writer));
    }
    report.timings.search = t.elapsed();

    let t = Instant::now();
    diags.extend(
        built
            .statics
            .par_iter()
            .filter(|(rel, _)| !writer.contains(rel))
            .filter_map(|(rel, bytes)| writer.put(rel, bytes).err().map(|e| io_error(rel, e)))
            .collect::<Vec<_>>(),
    );
    if plan.is_some() {
        // The old index's files go: the new one replaced what it still needs.
        writer.keep_old(|rel| !search::is_index_file(rel));
    }
    // Warnings are not saved: a build that reports any always runs in full.
    let record = saved
        .filter(|_| diags.is_empty())
        .and_then(|(i, states)| i.record(&built.derived.reads, counts, states));
    let ok = finish(writer, report, record.as_deref());
    report.timings.write = t.elapsed();
    ok
}

/// For a build after body edits: the indexable pages of the last build it
/// did not render, read back from the output folder `out` for the search
/// index (none when search is off). An error when one could not be read
/// (the folder changed while the build ran).
fn kept_pages(
    built: &Built,
    writer: &OutputWriter,
    out: &Path,
) -> Result<search::Kept, Diagnostic> {
    if !built.renderer.search {
        return Ok(search::Kept::new());
    }
    let read = |rel: &str| writer.read_old(rel);
    let synonyms = &built.site.config.search.synonyms;
    search::read_back(&writer.not_produced(), read, synonyms)
        .map_err(|unread| unread_error(out, &unread))
}

/// The error for pages of the last build that could not be read back.
fn unread_error(out: &Path, unread: &[String]) -> Diagnostic {
    Diagnostic::error(
        Code::OutputIo,
        format!(
            "cannot read {} back for the search index ({} file{})",
            unread[0],
            unread.len(),
            if unread.len() == 1 { "" } else { "s" }
        ),
    )
    .in_file(out.join(&unread[0]))
    .hint("the output folder changed during the build; run `fascia build` again")
}

/// The error for an output folder that overlaps the site (`problem`).
fn overlap_error(opts: &BuildOptions, problem: &str) -> Diagnostic {
    let (file, fix) = match opts.output {
        Some(_) => ("--output", "pass a folder of its own, such as `public`"),
        None => (
            "site.toml",
            "set `output_dir` to a folder of its own, such as `public`",
        ),
    };
    Diagnostic::error(Code::OutputInContent, problem)
        .in_file(file)
        .hint(format!(
            "fascia never writes into content/ or over the site; {fix}"
        ))
}

/// Commits what `writer` staged, with the fingerprint `record`, or throws it
/// away when the build found an error; false when it did not commit.
fn finish(writer: OutputWriter, report: &mut BuildReport, record: Option<&str>) -> bool {
    if error_count(&report.diagnostics) > 0 {
        writer.abort();
        return false;
    }
    match writer.commit(record) {
        Ok(stats) => {
            report.written = stats;
            true
        }
        Err(e) => {
            report.partly_written = e.changed;
            let what = report.output.display().to_string();
            report.diagnostics.push(io_error(&what, e.error));
            false
        }
    }
}

fn output_overlaps_site(out: &Path, root: &Path) -> Option<&'static str> {
    // The output folder may not exist yet: resolve its deepest existing ancestor,
    // after folding `..` so that `missing/../content` is seen for what it is.
    fn resolve(p: &Path) -> PathBuf {
        let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut folded = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    folded.pop();
                }
                std::path::Component::CurDir => {}
                c => folded.push(c),
            }
        }
        for ancestor in folded.ancestors() {
            if let Ok(real) = ancestor.canonicalize() {
                return real.join(folded.strip_prefix(ancestor).unwrap_or(Path::new("")));
            }
        }
        folded
    }
    let out = resolve(out);
    let root = resolve(root);
    if out.starts_with(root.join("content")) {
        Some("the output folder is inside content/")
    } else if root.starts_with(&out) {
        Some("the output folder is the site folder itself, or holds it")
    } else {
        None
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn io_error(what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::OutputIo, format!("cannot write {what}: {e}"))
        .hint("check free disk space and permissions of the output folder")
}

/// Static files, content files and bundle assets with their output paths; later sources win.
fn read_statics(
    site: &Site,
    theme: &[(String, StaticSource)],
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<u8>)> {
    let mut sources: Vec<(String, StaticSource)> = theme.to_vec();
    for (abs, key) in &site.files {
        sources.push((key.clone(), StaticSource::Disk(abs.clone())));
    }
    for p in &site.pages {
        for a in &p.assets {
            if let Some(name) = a.file_name() {
                let out = format!(
                    "{}{}",
                    p.path.trim_start_matches('/'),
                    name.to_string_lossy()
                );
                sources.push((out, StaticSource::Disk(a.clone())));
            }
        }
    }
    let mut last: HashMap<String, usize> = HashMap::new();
    for (i, (rel, _)) in sources.iter().enumerate() {
        last.insert(rel.clone(), i);
    }
    let keep: Vec<&(String, StaticSource)> = sources
        .iter()
        .enumerate()
        .filter(|(i, (rel, _))| last[rel] == *i)
        .map(|(_, s)| s)
        .collect();
    let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = keep
        .par_iter()
        .map(|(rel, src)| match src {
            StaticSource::Embedded(b) => Ok((rel.clone(), b.to_vec())),
            StaticSource::Disk(p) => std::fs::read(p).map(|b| (rel.clone(), b)).map_err(|e| {
                Diagnostic::error(
                    Code::StaticRead,
                    format!("cannot read {}: {e}", p.display()),
                )
                .in_file(p)
            }),
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(x) => out.push(x),
            Err(d) => diags.push(d),
        }
    }
    out
}
