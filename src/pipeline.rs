//! The build as a sequence of stages: load → Markdown → links → metadata →
//! render → write. `check` is the same sequence without the write.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Content};
use crate::diagnostics::{error_count, Diagnostic};
use crate::links;
use crate::metadata::{related, taxonomies, taxonomies::Taxonomy};
use crate::output::{OutputWriter, Sink, WriteStats};
use crate::render::theme::{self, StaticSource};
use crate::render::{Job, Renderer};

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
        }
    }
}

/// The loaded and linked site. Rendering only reads it.
pub struct Site {
    /// `site.toml`.
    pub config: Config,
    /// Site root.
    pub root: PathBuf,
    /// Pages and sections.
    pub content: Content,
    /// Taxonomies with their terms.
    pub taxonomies: Vec<Taxonomy>,
}

/// Time spent per stage.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    /// Reading the config, walking `content/` and reading the files.
    pub load: Duration,
    /// Parsing front matter and building the page tree.
    pub parse: Duration,
    /// Rendering Markdown.
    pub markdown: Duration,
    /// Anchors, backlinks, taxonomies, related.
    pub metadata: Duration,
    /// Rendering templates (includes staging writes).
    pub render: Duration,
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
    /// Per-stage times.
    pub timings: Timings,
    /// Wall time.
    pub elapsed: Duration,
}

impl BuildReport {
    /// True when no error was found.
    pub fn ok(&self) -> bool {
        error_count(&self.diagnostics) == 0
    }
}

/// Loads, checks and links the site without rendering templates.
pub fn load_site(opts: &BuildOptions, timings: &mut Timings) -> (Option<Site>, Vec<Diagnostic>) {
    let t = Instant::now();
    let mut config = match Config::load(&opts.root) {
        Ok(c) => c,
        Err(d) => return (None, d),
    };
    if let Some(b) = &opts.base_url {
        config.base_url = b.trim_end_matches('/').to_string();
    }
    let (mut content, mut diags, read) = content::load(&opts.root, &config, opts.drafts);
    let loaded = t.elapsed();
    timings.load = read.min(loaded);
    timings.parse = loaded - timings.load;

    let t = Instant::now();
    diags.extend(links::render_bodies(&mut content, &config, &opts.root));
    timings.markdown = t.elapsed();

    let t = Instant::now();
    diags.extend(links::check_anchors_and_backlinks(&mut content));
    let (taxonomies, d) = taxonomies::build(&mut content, &config);
    diags.extend(d);
    diags.extend(related::compute(&mut content, &taxonomies, &config));
    timings.metadata = t.elapsed();
    (
        Some(Site {
            config,
            root: opts.root.clone(),
            content,
            taxonomies,
        }),
        diags,
    )
}

/// Templates, static files and the renderer, ready to produce outputs.
pub struct Prepared {
    /// The loaded templates and shared values.
    pub renderer: Renderer,
    /// Static files with their output paths.
    pub statics: Vec<(String, Vec<u8>)>,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// Loads the theme and static files and sets up the renderer.
pub fn prepare(site: &Site) -> Result<Prepared, Vec<Diagnostic>> {
    let theme_files =
        theme::collect(&site.root, site.config.theme.as_deref()).map_err(|d| vec![d])?;
    let mut diags = Vec::new();
    let statics = read_statics(site, &theme_files.statics, &mut diags);
    if error_count(&diags) > 0 {
        return Err(diags);
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
    let renderer = Renderer::new(site, &theme_files, hashes)?;
    Ok(Prepared {
        renderer,
        statics,
        warnings: diags,
    })
}

/// Renders `jobs` in parallel into `sink`, returning the problems found.
pub fn render_jobs(
    site: &Site,
    renderer: &Renderer,
    jobs: &[Job],
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    jobs.par_iter()
        .filter_map(|job| {
            let (rel, bytes) = match renderer.render(site, job) {
                Ok(x) => x,
                Err(d) => return Some(d),
            };
            sink.put(&rel, &bytes).err().map(|e| io_error(&rel, e))
        })
        .collect()
}

/// Stores the static files that no rendered output has claimed.
pub fn copy_statics(statics: &[(String, Vec<u8>)], sink: &dyn Sink) -> Vec<Diagnostic> {
    statics
        .par_iter()
        .filter(|(rel, _)| !sink.contains(rel))
        .filter_map(|(rel, bytes)| sink.put(rel, bytes).err().map(|e| io_error(rel, e)))
        .collect()
}

/// Runs the whole build. On any error nothing in the output folder changes.
pub fn build(opts: &BuildOptions) -> BuildReport {
    let start = Instant::now();
    let mut report = BuildReport::default();
    let (site, mut diags) = load_site(opts, &mut report.timings);
    let finish = |mut report: BuildReport, diags: Vec<Diagnostic>| {
        report.diagnostics = diags;
        report.elapsed = start.elapsed();
        report
    };
    let Some(site) = site else {
        return finish(report, diags);
    };
    report.output = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join(&site.config.output_dir));
    report.pages = site.content.pages.len();
    report.sections = site.content.sections.len();
    report.terms = site.taxonomies.iter().map(|t| t.terms.len()).sum();
    if error_count(&diags) > 0 {
        return finish(report, diags);
    }

    let t = Instant::now();
    let mut prepared = match prepare(&site) {
        Ok(p) => p,
        Err(d) => {
            diags.extend(d);
            return finish(report, diags);
        }
    };
    diags.append(&mut prepared.warnings);
    if let Some(problem) = output_overlaps_site(&report.output, &opts.root) {
        let (file, fix) = match opts.output {
            Some(_) => ("--output", "pass a folder of its own, such as `public`"),
            None => (
                "site.toml",
                "set `output_dir` to a folder of its own, such as `public`",
            ),
        };
        diags.push(
            Diagnostic::error("output::in-content", problem)
                .in_file(file)
                .hint(format!(
                    "fascia never writes into content/ or over the site; {fix}"
                )),
        );
        return finish(report, diags);
    }
    let mut writer = match OutputWriter::open(&report.output, opts.force, opts.dry_run) {
        Ok(w) => w,
        Err(d) => {
            diags.push(d);
            return finish(report, diags);
        }
    };
    diags.append(&mut writer.warnings);
    let jobs = prepared.renderer.jobs(&site);
    diags.extend(render_jobs(&site, &prepared.renderer, &jobs, &writer));
    report.timings.render = t.elapsed();

    let t = Instant::now();
    diags.extend(copy_statics(&prepared.statics, &writer));
    if error_count(&diags) > 0 {
        writer.abort();
    } else {
        match writer.commit() {
            Ok(stats) => report.written = stats,
            Err(e) => diags.push(io_error(&report.output.display().to_string(), e)),
        }
    }
    report.timings.write = t.elapsed();
    finish(report, diags)
}

/// Why `out` may not be the output folder: inside `content/`, or the site itself
/// (or a folder holding it), where a manifest could name the site's own files.
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

fn io_error(what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("output::io", format!("cannot write {what}: {e}"))
        .hint("check free disk space and permissions of the output folder")
}

/// Static files, content files and bundle assets with their output paths; later sources win.
fn read_statics(
    site: &Site,
    theme: &[(String, StaticSource)],
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<u8>)> {
    let mut sources: Vec<(String, StaticSource)> = theme.to_vec();
    for (abs, key) in &site.content.files {
        sources.push((key.clone(), StaticSource::Disk(abs.clone())));
    }
    for p in &site.content.pages {
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
                Diagnostic::error("static::read", format!("cannot read {}: {e}", p.display()))
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

/// TOML values as JSON for templates; datetimes become their text.
pub fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}
