//! The input fingerprint: one hash of everything a build reads, saved beside
//! the manifest by a build that found no problem, so that the next build of
//! an unchanged site renders nothing.
//!
//! What it covers: fascia's version and its binary (size and modification
//! time, so a rebuilt fascia never trusts an older fingerprint), the options
//! that change the output (`--base-url`, `--drafts`; the output folder does
//! not change a byte, and each one keeps its own fingerprint),
//! today's date (reviews fall due), `site.toml` (or Zola's `config.toml`),
//! every file under `content/`, `templates/`, `static/` and the theme's
//! `templates/` and `static/`, and the files content and templates read by
//! path (`load_data`, `get_image_metadata`, image sizes), recorded with
//! [`Reads`] while the build ran.
//!
//! It also keeps the hash of each file under `content/` and what other
//! outputs show of each page, so that a build after edits of page bodies
//! alone renders only the outputs that show those pages (`partial.rs`).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use super::BuildOptions;
use crate::config::zola::ZOLA_CONFIG_FILE;
use crate::config::{Config, CONFIG_FILE};
use crate::inputs::{folder_entries, hash_entries, hash_folder, FileState, Reads};
use crate::model::front_matter::PageDate;
use crate::output;
use crate::render::theme::DEFAULT_THEME;

/// The version of the saved form; another one is never trusted.
const FORMAT: u32 = 3;

/// The folders of the site a build reads whole, relative to its root: what
/// `content::load` and `render::theme::collect` walk.
pub fn folders(config: &Config) -> Vec<PathBuf> {
    let theme = Path::new("themes").join(config.theme.as_deref().unwrap_or(DEFAULT_THEME));
    vec![
        "content".into(),
        "templates".into(),
        "static".into(),
        theme.join("templates"),
        theme.join("static"),
    ]
}

/// What a build saves as its fingerprint: this, as one line of JSON, then
/// a [`ContentRecord`] on the next. A build of an unchanged site reads only
/// the first line; the second grows with the site.
#[derive(Serialize, Deserialize)]
struct Record {
    format: u32,
    /// The hash of the inputs, in hex.
    inputs: String,
    /// Files read by path, relative to the site root, with their state.
    reads: Vec<(String, String)>,
    /// The counts the summary line shows.
    pages: usize,
    sections: usize,
    terms: usize,
}

/// The second line of the fingerprint: what tells an edit of page bodies
/// from any other change.
#[derive(Serialize, Deserialize)]
struct ContentRecord {
    /// The hash of every input but `content/`, in hex.
    rest: String,
    /// Every file under `content/` (by its path there, with `/`) and the
    /// hash of its bytes; none when a name is not UTF-8.
    content: Option<BTreeMap<String, String>>,
    /// What other outputs show of each page, by key (see [`PageState`]).
    page_states: BTreeMap<String, PageState>,
}

/// What a build records of one page, to tell what an edit of it changes.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct PageState {
    /// The hash of its front matter's text: an edit that keeps it touches only the body.
    pub front: u64,
    /// The hash of the backlinks its output shows.
    pub backlinks: u64,
}

/// What changed since the last build, when only page files under
/// `content/` did: no file came or went, and nothing else changed.
pub(super) struct ContentEdit {
    /// The keys of the edited files (their paths under `content/`).
    pub edited: Vec<String>,
    /// What the last build recorded of each page.
    pub states: BTreeMap<String, PageState>,
}

/// How a build's inputs compare with the last build's.
pub(super) enum Last {
    /// No usable record, or more than page files changed.
    Unknown,
    /// Nothing changed.
    Unchanged(Unchanged),
    /// Only files under `content/` that were there before changed.
    Edited(ContentEdit),
}

/// The files edited since the build that saved `record`, when the only
/// change is to files under `content/` that were there before. Whether each
/// edit kept its front matter is for the caller to tell from
/// [`ContentEdit::states`].
fn content_edit(
    record: ContentRecord,
    rest: &str,
    content: Option<&BTreeMap<String, String>>,
) -> Option<ContentEdit> {
    let (old, new) = (record.content.as_ref()?, content?);
    if record.rest != rest || old.len() != new.len() {
        return None;
    }
    let mut edited = Vec::new();
    for ((old_rel, old_hash), (rel, hash)) in old.iter().zip(new) {
        // A file that became a folder (or the other way) has a hash of another length.
        if old_rel != rel || old_hash.len() != hash.len() {
            return None;
        }
        if old_hash != hash {
            edited.push(rel.clone());
        }
    }
    // Nothing under content/ changed, yet the inputs did: take no chances.
    if edited.is_empty() {
        return None;
    }
    Some(ContentEdit {
        edited,
        states: record.page_states,
    })
}

/// What the last build of an unchanged site produced, for its summary.
pub(super) struct Unchanged {
    /// Pages, sections and terms built.
    pub counts: (usize, usize, usize),
    /// Files in the output folder's manifest.
    pub files: usize,
}

/// The inputs of one build, hashed before anything is loaded (so an edit
/// made during the build shows as a change next time).
pub(super) struct Inputs {
    site: PathBuf,
    /// The output folder the fingerprint is kept in.
    pub out: PathBuf,
    hash: String,
    /// The hash of everything but `content/`.
    rest: String,
    /// The files under `content/` with their hashes (see [`Record::content`]).
    content: Option<BTreeMap<String, String>>,
}

impl Inputs {
    /// Hashes the inputs of a build of `opts` into `out` on `today`; `None`
    /// when they cannot all be vouched for (a link out of the site, an
    /// unreadable file…), and the build then runs in full.
    pub fn of(
        opts: &BuildOptions,
        config: &Config,
        out: PathBuf,
        today: &PageDate,
    ) -> Option<Inputs> {
        let site = opts.root.canonicalize().ok()?;
        let mut h = Xxh3::new();
        let line = format!(
            "fascia {} {}\ntoday {}\nbase_url {:?}\ndrafts {}\n",
            env!("CARGO_PKG_VERSION"),
            binary_identity()?,
            today.ymd(),
            opts.base_url,
            opts.drafts,
        );
        h.update(line.as_bytes());
        for name in [CONFIG_FILE, ZOLA_CONFIG_FILE] {
            let state = FileState::of(&site, &site.join(name));
            if state == FileState::Outside {
                return None;
            }
            h.update(format!("\n{name} {}\n", state.encode()).as_bytes());
        }
        let content_folder = Path::new("content");
        for folder in folders(config).iter().filter(|f| *f != content_folder) {
            hash_folder(&site, &site, folder, &mut h)?;
        }
        let rest = format!("{:032x}", h.digest128());
        let entries = folder_entries(&site, &site, content_folder)?;
        hash_entries(content_folder, &entries, &mut h);
        let content = entries
            .unwrap_or_default()
            .into_iter()
            .map(|(rel, kind, hash)| {
                let rel = rel.to_str()?.replace(std::path::MAIN_SEPARATOR, "/");
                let hash = hash.map_or_else(
                    || (kind as char).to_string(),
                    |h| FileState::File(h).encode(),
                );
                Some((rel, hash))
            });
        Some(Inputs {
            site,
            out,
            hash: format!("{:032x}", h.digest128()),
            rest,
            content: content.collect(),
        })
    }

    /// The last build's record, when it is this version's, the output folder
    /// is as that build left it, and every file it read by path is as it
    /// was; with the count of files in its manifest and the record's second
    /// line, unparsed. A fingerprint that cannot be read or parsed is ignored.
    fn last(&self) -> Option<(Record, usize, String)> {
        let (text, files) = output::last_fingerprint(&self.out)?;
        let (head, content) = text.split_once('\n').unwrap_or((&text, ""));
        let record: Record = serde_json::from_str(head).ok()?;
        if record.format != FORMAT {
            return None;
        }
        let same = record.reads.iter().all(|(rel, state)| {
            let rel = Path::new(rel);
            // Paths are kept relative to the site; anything else was not written by fascia.
            let relative = rel.components().all(|c| {
                matches!(
                    c,
                    Component::Normal(_) | Component::CurDir | Component::ParentDir
                )
            });
            relative
                && state != "outside"
                && FileState::of(&self.site, &self.site.join(rel)).encode() == *state
        });
        same.then(|| (record, files, content.to_string()))
    }

    /// True when `text`, loaded from the file `key` under `content/`, is what
    /// was hashed before loading; for a key with no file, when it is empty
    /// (an implicit root section).
    pub fn loaded_as_hashed(&self, key: &str, text: &str) -> bool {
        let hashed = self.content.as_ref().and_then(|c| c.get(key));
        hashed.map_or(text.is_empty(), |h| {
            *h == FileState::File(xxh3_128(text.as_bytes())).encode()
        })
    }

    /// How these inputs compare with the last build's (see [`Inputs::last`]).
    pub fn against_last(&self) -> Last {
        let Some((record, files, content)) = self.last() else {
            return Last::Unknown;
        };
        if record.inputs == self.hash {
            return Last::Unchanged(Unchanged {
                counts: (record.pages, record.sections, record.terms),
                files,
            });
        }
        serde_json::from_str(&content)
            .ok()
            .and_then(|record| content_edit(record, &self.rest, self.content.as_ref()))
            .map_or(Last::Unknown, Last::Edited)
    }

    /// The fingerprint a build of these inputs saves: `reads` are the files it
    /// read by path, `counts` its pages, sections and terms. `None` when it
    /// read a file outside the site, which no fingerprint can vouch for.
    pub fn record(
        &self,
        reads: &Reads,
        counts: (usize, usize, usize),
        page_states: BTreeMap<String, PageState>,
    ) -> Option<String> {
        let reads = reads
            .recorded()
            .into_iter()
            .map(|(rel, state)| {
                let rel = rel.to_str()?.to_string();
                (state != FileState::Outside).then(|| (rel, state.encode()))
            })
            .collect::<Option<Vec<_>>>()?;
        let (pages, sections, terms) = counts;
        let head = serde_json::to_string(&Record {
            format: FORMAT,
            inputs: self.hash.clone(),
            reads,
            pages,
            sections,
            terms,
        })
        .ok()?;
        let content = serde_json::to_string(&ContentRecord {
            rest: self.rest.clone(),
            content: self.content.clone(),
            page_states,
        })
        .ok()?;
        Some(format!("{head}\n{content}"))
    }
}

/// The running binary's size and modification time: they change whenever
/// fascia is rebuilt or reinstalled, even at the same version. On Linux
/// `/proc/self/exe` names the file running even if it was replaced since.
fn binary_identity() -> Option<String> {
    let meta = std::fs::metadata("/proc/self/exe")
        .or_else(|_| std::env::current_exe().and_then(std::fs::metadata))
        .ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!("{} {}", meta.len(), modified.as_nanos()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn todays_date_is_an_input() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"T\"\n").unwrap();
        let opts = BuildOptions::new(dir.path());
        let config = Config::load(dir.path()).unwrap();
        let on = |date: &str| {
            let today = PageDate::parse(date).unwrap();
            Inputs::of(&opts, &config, dir.path().join("public"), &today)
                .unwrap()
                .hash
        };
        assert_eq!(on("2026-01-01"), on("2026-01-01"));
        assert_ne!(on("2026-01-01"), on("2026-01-02"));
    }
}
