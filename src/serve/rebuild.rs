//! Rebuilds for `serve`: a full build into memory, or, for a body-only edit of
//! one page, re-rendering just the outputs that show that page. Both run the
//! same stages as `fascia build`, so the served site equals the built one.

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::content::{front_matter, Target};
use crate::diagnostics::{error_count, Diagnostic};
use crate::links;
use crate::output::Sink;
use crate::pipeline::{self, BuildOptions, Prepared, Site, Timings};
use crate::render::Job;

/// Output files by path relative to the site root (`conditions/index.html`).
pub type Files = HashMap<String, Arc<[u8]>>;

/// Collects rendered files in memory.
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<Files>,
}

impl MemorySink {
    /// The collected files.
    pub fn into_files(self) -> Files {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        crate::output::check_rel(rel)?;
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string(), Arc::from(bytes));
        Ok(())
    }
    fn contains(&self, rel: &str) -> bool {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(rel)
    }
}

/// The edited page's output and the jobs still to render, or the errors found.
type BodyEdit = Result<(Files, Vec<Job>), Vec<Diagnostic>>;

/// The last good build, kept between rebuilds.
struct Built {
    site: Site,
    prepared: Prepared,
}

/// Rebuild state of one `serve` session.
pub struct Session {
    opts: BuildOptions,
    built: Option<Built>,
}

/// What a successful rebuild produced.
pub enum Update {
    /// A whole new site: replaces every served file.
    Full(Files),
    /// Some files changed; the rest stay as they are.
    Partial(Files),
}

impl Session {
    /// A session building with `opts` (its `base_url` is the local address).
    pub fn new(opts: BuildOptions) -> Self {
        Session { opts, built: None }
    }

    /// Builds everything into memory. Errors leave the last good build in place.
    pub fn full(&mut self) -> Result<(Files, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut timings = Timings::default();
        let (site, mut diags) = pipeline::load_site(&self.opts, &mut timings);
        let site = match site {
            Some(s) if error_count(&diags) == 0 => s,
            _ => return Err(diags),
        };
        let mut prepared = match pipeline::prepare(&site) {
            Ok(p) => p,
            Err(d) => {
                diags.extend(d);
                return Err(diags);
            }
        };
        diags.append(&mut prepared.warnings);
        let sink = MemorySink::default();
        let jobs = prepared.renderer.jobs(&site);
        diags.extend(pipeline::render_jobs(
            &site,
            &prepared.renderer,
            &jobs,
            &sink,
        ));
        diags.extend(pipeline::copy_statics(&prepared.statics, &sink));
        if error_count(&diags) > 0 {
            return Err(diags);
        }
        self.built = Some(Built { site, prepared });
        Ok((sink.into_files(), diags))
    }

    /// Handles a set of changed files: incremental when every one is a body-only
    /// edit of a known page, a full build otherwise. An incremental rebuild
    /// renders the edited pages at once and returns the outputs that show them
    /// (listings, related lists, backlinks) as jobs for [`Session::follow_up`],
    /// so the page being edited can reload first.
    pub fn rebuild(
        &mut self,
        changed: &[std::path::PathBuf],
    ) -> Result<(Update, Vec<Diagnostic>, Vec<Job>), Vec<Diagnostic>> {
        let content_dir = self.opts.root.join("content");
        let keys: Option<Vec<String>> = changed
            .iter()
            .map(|p| {
                let rel = p.strip_prefix(&content_dir).ok()?;
                (rel.extension()? == "md" && p.is_file()).then(|| {
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/")
                })
            })
            .collect();
        if let Some(keys) = keys.filter(|k| !k.is_empty()) {
            let mut files = Files::new();
            let mut pending = Vec::new();
            let mut all_incremental = true;
            for key in &keys {
                match self.body_edit(key) {
                    Some(Ok((f, jobs))) => {
                        files.extend(f);
                        pending.extend(jobs);
                    }
                    Some(Err(d)) => {
                        // The kept state may now be half-updated: start over next time.
                        self.built = None;
                        return Err(d);
                    }
                    None => {
                        all_incremental = false;
                        break;
                    }
                }
            }
            if all_incremental {
                return Ok((Update::Partial(files), Vec::new(), pending));
            }
        }
        self.full().map(|(f, d)| (Update::Full(f), d, Vec::new()))
    }

    /// Renders the outputs an incremental rebuild left for later.
    pub fn follow_up(&mut self, jobs: &[Job]) -> Result<Files, Vec<Diagnostic>> {
        let Some(built) = self.built.as_ref() else {
            return Ok(Files::new());
        };
        let sink = MemorySink::default();
        let diags = pipeline::render_jobs(&built.site, &built.prepared.renderer, jobs, &sink);
        if error_count(&diags) > 0 {
            self.built = None;
            return Err(diags);
        }
        Ok(sink.into_files())
    }

    /// Re-renders one page whose front matter is unchanged and returns the
    /// other outputs that show it, still to render. `None` asks for a full build.
    fn body_edit(&mut self, key: &str) -> Option<BodyEdit> {
        let built = self.built.as_mut()?;
        // A template that looks pages up can show this page anywhere: rebuild it all.
        if built.prepared.renderer.looks_up_pages {
            return None;
        }
        let site = &mut built.site;
        let Some(Target::Page(i)) = site.content.by_key.get(key).copied() else {
            return None;
        };
        let page = &site.content.pages[i];
        let bytes = std::fs::read(&page.file.abs).ok()?;
        let text: Arc<str> = String::from_utf8(bytes).ok()?.into();
        let display = page.file.display.clone();
        let split = match front_matter::split(&text, &display, &text) {
            Ok(s) => s,
            Err(d) => return Some(Err(vec![d])),
        };
        let meta: front_matter::PageFrontMatter = match front_matter::parse(&split, &display, &text)
        {
            Ok(m) => m,
            Err(d) => return Some(Err(vec![d])),
        };
        if page.meta != meta {
            return None;
        }
        let old_targets: BTreeSet<usize> = outgoing(site, i);
        {
            let page = &mut site.content.pages[i];
            page.file.text = text.clone();
            page.body_offset = split.body_offset;
            page.meta = meta;
        }
        let mut diags = links::render_page(&mut site.content, &site.config, &site.root, i);
        diags.extend(links::recheck_anchors_into(&site.content, i));
        if error_count(&diags) > 0 {
            return Some(Err(diags));
        }
        let new_targets = outgoing(site, i);
        let mut jobs = Vec::new();
        for &t in old_targets.symmetric_difference(&new_targets) {
            let backlinks = &mut site.content.pages[t].backlinks;
            if new_targets.contains(&t) {
                if let Err(pos) = backlinks.binary_search(&i) {
                    backlinks.insert(pos, i);
                }
            } else {
                backlinks.retain(|&b| b != i);
            }
            jobs.push(Job::Page(t));
        }
        let renderer = &built.prepared.renderer;
        let change = renderer.refresh_summary(site, i);
        jobs.extend(renderer.jobs_showing(site, i, change));
        let sink = MemorySink::default();
        let diags = pipeline::render_jobs(site, renderer, &[Job::Page(i)], &sink);
        if error_count(&diags) > 0 {
            return Some(Err(diags));
        }
        Some(Ok((sink.into_files(), jobs)))
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.opts.root
    }
}

/// Pages that page `i` links to (other than itself).
fn outgoing(site: &Site, i: usize) -> BTreeSet<usize> {
    let n = site.content.pages.len();
    site.content.pages[i]
        .rendered
        .links
        .iter()
        .filter_map(|l| match &l.kind {
            crate::markdown::LinkKind::Internal { target, .. } => match links::decode(*target, n) {
                Target::Page(p) if p != i => Some(p),
                _ => None,
            },
            _ => None,
        })
        .collect()
}
