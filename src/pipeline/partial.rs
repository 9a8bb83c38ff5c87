//! A build after edits of page bodies alone: it loads the site and runs the
//! passes as always (so it finds every problem a full build finds), then
//! renders only the outputs that show an edited page, as `serve` does. The
//! search index is built again from the pages rendered now and the others
//! read back from the output folder; every other file of the last build is
//! kept as it is. The result equals a full build, which
//! `tests/testsuite/fingerprint.rs` checks after each kind of edit.

use std::collections::{BTreeMap, HashSet};

use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use super::fingerprint::{ContentEdit, Inputs, PageState};
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
///
/// Only for a site whose files were all [`loaded_as_hashed`].
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

/// Whether every file loaded is the one hashed before loading: a file saved
/// in between is not in the [`ContentEdit`], and what it changes elsewhere
/// would not be rendered. Reads the sources, so it runs before a build lets
/// go of them.
pub(super) fn loaded_as_hashed(site: &Site, inputs: &Inputs) -> bool {
    let files = site.pages.iter().map(|p| &p.file);
    files
        .chain(site.sections.iter().map(|s| &s.file))
        .all(|f| inputs.loaded_as_hashed(&f.key, &f.text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::front_matter::PageDate;
    use crate::pipeline::fingerprint::Last;
    use crate::pipeline::{build, output_folder, prepare_site, BuildOptions, BuildReport};
    use std::path::Path;

    fn edit(root: &Path, rel: &str, from: &str, to: &str) {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} lacks {from}");
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    /// The plan for the site as it is now, against `inputs` hashed earlier.
    fn plan_now(opts: &BuildOptions, edit: &ContentEdit, inputs: &Inputs) -> Option<Partial> {
        let built = prepare_site(opts, &mut BuildReport::default()).unwrap();
        let states = page_states(&built.site, &built.derived);
        if !loaded_as_hashed(&built.site, inputs) {
            return None;
        }
        plan(&built, edit, &states)
    }

    #[test]
    fn a_file_saved_between_hashing_and_loading_gives_a_full_build() {
        let dir = tempfile::tempdir().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        for e in walkdir::WalkDir::new(&fixture) {
            let e = e.unwrap();
            let to = dir.path().join(e.path().strip_prefix(&fixture).unwrap());
            match e.file_type().is_dir() {
                true => std::fs::create_dir_all(&to).unwrap(),
                false => drop(std::fs::copy(e.path(), &to).unwrap()),
            }
        }
        let root = dir.path();
        let opts = BuildOptions::new(root);
        assert!(build(&opts).0.ok());
        edit(
            root,
            "content/conditions/neck-pain.md",
            "Intro text.",
            "Intro.",
        );
        let config = Config::load(root).unwrap();
        let out = output_folder(&opts, &config);
        let inputs = Inputs::of(&opts, &config, out, &PageDate::today()).unwrap();
        let Last::Edited(changed) = inputs.against_last() else {
            panic!("a body edit is not seen as one");
        };
        assert_eq!(changed.edited, ["conditions/neck-pain.md"]);
        assert!(plan_now(&opts, &changed, &inputs).is_some());
        // Another page's front matter saved after the inputs were hashed.
        edit(
            root,
            "content/conditions/back-pain.md",
            "title = \"Back pain\"",
            "title = \"Back\"",
        );
        assert!(plan_now(&opts, &changed, &inputs).is_none());
    }
}
