//! A build after edits of page bodies alone: it loads the site and runs the
//! passes as always (so it finds every problem a full build finds), then
//! renders only the outputs that show an edited page, as `serve` does. The
//! search index is built again from the pages rendered now and the others
//! read back from the output folder; every other file of the last build is
//! kept as it is. The result equals a full build, which
//! `tests/testsuite/fingerprint.rs` checks after each kind of edit.

use std::collections::{BTreeMap, HashSet};

use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use super::fingerprint::{ContentEdit, PageState};
use super::Built;
use crate::derived::Derived;
use crate::model::{Site, Target};
use crate::render::{Job, SummaryChange};

/// What a build after body edits renders.
#[derive(Debug)]
pub struct Partial {
    /// The outputs to render, each once.
    pub jobs: Vec<Job>,
    /// How many page files were edited.
    pub edited: usize,
}

/// What other outputs show of each page, by key, for the next build's
/// [`plan`]. Reads the front matter, so it runs before the sources are released.
pub(super) fn page_states(site: &Site, derived: &Derived) -> BTreeMap<String, PageState> {
    site.page_ids()
        .map(|id| {
            let page = &site[id];
            let front = page.file.text.get(..page.body_offset).unwrap_or_default();
            let mut backlinks = Xxh3::new();
            for &b in derived.backlinks(id) {
                for part in [site[b].title(), &site[b].permalink] {
                    backlinks.update(part.as_bytes());
                    backlinks.update(&[0]);
                }
            }
            let state = PageState {
                front: xxh3_64(front.as_bytes()),
                backlinks: backlinks.digest(),
            };
            (page.file.key.clone(), state)
        })
        .collect()
}

/// The outputs to render after `edit`, when every edited file is a page
/// whose front matter did not change and no template looks pages up;
/// `None` asks for a full build. `states` are this build's [`page_states`].
///
/// Front matter decides a page's place in every listing, its URL, terms,
/// related pages and FAQ, so with it unchanged an edit can change only the
/// page itself, the summaries that listings show of it, and the backlinks
/// of the pages it links to (found by comparing each page's state).
pub(super) fn plan(
    built: &Built,
    edit: &ContentEdit,
    states: &BTreeMap<String, PageState>,
) -> Option<Partial> {
    let (site, derived) = (&built.site, &built.derived);
    if built.renderer.looks_up_pages || edit.states.len() != states.len() {
        return None;
    }
    let mut jobs = Vec::new();
    let mut seen = HashSet::new();
    let mut add = |job: Job| {
        if seen.insert(job.clone()) {
            jobs.push(job);
        }
    };
    let every = SummaryChange {
        listings: true,
        cards: true,
    };
    for key in &edit.edited {
        let Some(&Target::Page(id)) = site.by_key.get(key.as_str()) else {
            return None;
        };
        if edit.states.get(key)?.front != states.get(key)?.front {
            return None;
        }
        add(Job::Page(id));
        for job in built.renderer.jobs_showing(site, derived, id, every) {
            add(job);
        }
    }
    for id in site.page_ids() {
        let key = &site[id].file.key;
        if edit.states.get(key)?.backlinks != states.get(key)?.backlinks {
            add(Job::Page(id));
        }
    }
    Some(Partial {
        jobs,
        edited: edit.edited.len(),
    })
}
