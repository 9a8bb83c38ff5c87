//! Incremental rebuilds for `serve`: a full run into memory, or, for a
//! body-only edit of one page, re-rendering just the outputs that show that
//! page. Both use the orchestrator's stages, so the served site equals the
//! built one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{prepare_site, BuildOptions, BuildReport, Built};
use crate::derived::BodyReader;
use crate::diagnostics::{error_count, Diagnostic};
use crate::health;
use crate::links;
use crate::lint;
use crate::model::front_matter::PageDate;
use crate::model::front_matter::{self, PageFrontMatter};
use crate::model::Target;
use crate::output::Sink;
use crate::render::Job;
use crate::search;

/// What a successful rebuild produced.
pub enum Update {
    /// A whole new site was rendered into the sink: it replaces every file.
    Full,
    /// Only the edited pages were rendered into the sink; the jobs that show
    /// them (listings, related lists, backlinks) are still to run with
    /// [`Session::follow_up`].
    Partial(Vec<Job>),
}

/// Rebuild state of one `serve` session: the last good build, if any, and
/// the rendered pages its search index is made of.
pub struct Session {
    opts: BuildOptions,
    built: Option<Built>,
    search_pages: search::Pages,
    search_stale: bool,
}

impl Session {
    /// A session building with `opts` (its `base_url` is the local address).
    pub fn new(opts: BuildOptions) -> Self {
        Session {
            opts,
            built: None,
            search_pages: search::Pages::new(),
            search_stale: false,
        }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// Builds everything into `sink`; returns the warnings, or every problem
    /// found. A failed build forgets the last good state, so no later edit is
    /// rendered on top of a site that `fascia build` would refuse.
    pub fn full(&mut self, sink: &dyn Sink) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        self.built = None;
        let mut report = BuildReport::default();
        let Some(built) = prepare_site(&self.opts, &mut report) else {
            return Err(report.diagnostics);
        };
        let mut diags = report.diagnostics;
        let (found, pages) = built.render_all(sink);
        diags.extend(found);
        if error_count(&diags) > 0 {
            return Err(diags);
        }
        self.built = Some(built);
        self.search_pages = pages;
        self.search_stale = true;
        Ok(diags)
    }

    /// The search pass, run after the pages it covers were shown: when pages
    /// changed since the last run, builds the whole index into `sink` and
    /// returns true (the files under [`search::DIR`] in `sink` then replace
    /// the old index; none when search is off). False when nothing changed.
    pub fn search_index(&mut self, sink: &dyn Sink) -> Result<bool, Vec<Diagnostic>> {
        let Some(built) = self.built.as_ref() else {
            return Ok(false);
        };
        if !self.search_stale {
            return Ok(false);
        }
        self.search_stale = false;
        let diags = built.search_index(search::Input::Kept(&self.search_pages), sink);
        if error_count(&diags) > 0 {
            return Err(diags);
        }
        Ok(true)
    }

    /// Keeps the pages an incremental step rendered for the next search pass.
    fn keep_for_search(&mut self, pages: search::Kept) {
        for (rel, bytes) in pages {
            if self.search_pages.get(&rel) != Some(&bytes) {
                self.search_pages.insert(rel, bytes);
                self.search_stale = true;
            }
        }
    }

    /// Handles a set of changed files: incremental when every one is a body-only
    /// edit of a known page, a full build otherwise.
    pub fn rebuild(
        &mut self,
        changed: &[PathBuf],
        sink: &dyn Sink,
    ) -> Result<(Update, Vec<Diagnostic>), Vec<Diagnostic>> {
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
            let mut pending = Vec::new();
            let mut warnings = Vec::new();
            let mut all_incremental = true;
            for key in &keys {
                match self.body_edit(key, sink) {
                    Some(Ok((jobs, found))) => {
                        pending.extend(jobs);
                        warnings.extend(found);
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
                warnings.extend(self.lint_again());
                if error_count(&warnings) > 0 {
                    self.built = None;
                    return Err(warnings);
                }
                return Ok((Update::Partial(pending), warnings));
            }
        }
        self.full(sink).map(|d| (Update::Full, d))
    }

    /// Renders the outputs an incremental rebuild left for later.
    pub fn follow_up(&mut self, jobs: &[Job], sink: &dyn Sink) -> Result<(), Vec<Diagnostic>> {
        let Some(built) = self.built.as_ref() else {
            return Ok(());
        };
        let (diags, pages) = built.render_for_search(jobs, sink);
        if error_count(&diags) > 0 {
            self.built = None;
            return Err(diags);
        }
        self.keep_for_search(pages);
        Ok(())
    }

    /// The content lint over the kept site, after body edits, as a full
    /// build runs it (none when the session does not lint).
    fn lint_again(&mut self) -> Vec<Diagnostic> {
        let Some(built) = self.built.as_mut().filter(|_| self.opts.lint) else {
            return Vec::new();
        };
        let report = lint::pass(&built.site, &built.derived, &PageDate::today());
        built.derived.allowed = report.allowed;
        report.diagnostics
    }

    /// Re-renders one page whose front matter is unchanged and returns the
    /// other outputs that show it, still to render, with the page's warnings.
    /// `None` asks for a full build.
    fn body_edit(
        &mut self,
        key: &str,
        sink: &dyn Sink,
    ) -> Option<Result<BodyEdit, Vec<Diagnostic>>> {
        let lints = self.opts.lint;
        let built = self.built.as_mut()?;
        // A template that looks pages up can show this page anywhere: rebuild it all.
        if built.renderer.looks_up_pages {
            return None;
        }
        let Some(Target::Page(id)) = built.site.by_key.get(key).copied() else {
            return None;
        };
        let (text, body_offset, meta) =
            match reparse(&built.site[id].file.abs, &built.site[id].file.display) {
                Some(Ok(x)) => x,
                Some(Err(d)) => return Some(Err(d)),
                None => return None,
            };
        if built.site[id].meta != meta {
            return None;
        }
        let old_targets = links::outgoing(&built.site, &built.derived, id);
        {
            let page = &mut built.site.pages[id.0];
            page.file.text = text;
            page.body_offset = body_offset;
        }
        let Built {
            site,
            derived,
            renderer,
            ..
        } = built;
        // The lint's body rules read the page again, as in a full build.
        let body_lint = lint::BodyLint::when_on(lints, &site.config.lint);
        let reader = body_lint.as_ref().map(|b| b as &dyn BodyReader);
        let mut diags = links::render_page(site, derived, id, reader);
        diags.extend(links::recheck_anchors_into(site, derived, id));
        diags.extend(health::page_diagnostics(
            site,
            derived,
            id,
            &PageDate::today(),
        ));
        if error_count(&diags) > 0 {
            return Some(Err(diags));
        }
        let new_targets = links::outgoing(site, derived, id);
        let mut jobs = Vec::new();
        for &t in old_targets.symmetric_difference(&new_targets) {
            let backlinks = &mut derived.backlinks[t.0];
            if new_targets.contains(&t) {
                if let Err(pos) = backlinks.binary_search(&id) {
                    backlinks.insert(pos, id);
                }
            } else {
                backlinks.retain(|&b| b != id);
            }
            jobs.push(Job::Page(t));
        }
        let change = renderer.refresh_summary(site, derived, id);
        jobs.extend(renderer.jobs_showing(site, derived, id, change));
        let (rendered, pages) = built.render_for_search(&[Job::Page(id)], sink);
        if error_count(&rendered) > 0 {
            return Some(Err(rendered));
        }
        diags.extend(rendered);
        self.keep_for_search(pages);
        Some(Ok((jobs, diags)))
    }
}

/// What a body edit leaves to do (the outputs that show the page) and the
/// page's warnings.
type BodyEdit = (Vec<Job>, Vec<Diagnostic>);

/// Reads a page again: its text, body offset and front matter. `None` when it
/// cannot be read as UTF-8 (a full build then reports it properly).
type Reparsed = (Arc<str>, usize, PageFrontMatter);

fn reparse(abs: &Path, display: &Path) -> Option<Result<Reparsed, Vec<Diagnostic>>> {
    let bytes = std::fs::read(abs).ok()?;
    let text: Arc<str> = String::from_utf8(bytes).ok()?.into();
    let split = match front_matter::split(&text, display, &text) {
        Ok(s) => s,
        Err(d) => return Some(Err(vec![d])),
    };
    let body_offset = split.body_offset;
    match front_matter::parse::<PageFrontMatter>(&split, display, &text) {
        Ok(meta) => Some(Ok((text.clone(), body_offset, meta))),
        Err(d) => Some(Err(vec![d])),
    }
}
