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

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::BuildOptions;
use crate::config::zola::ZOLA_CONFIG_FILE;
use crate::config::{Config, CONFIG_FILE};
use crate::inputs::{hash_folder, FileState, Reads};
use crate::model::front_matter::PageDate;
use crate::output;
use crate::render::theme::DEFAULT_THEME;

/// The version of the saved form; another one is never trusted.
const FORMAT: u32 = 1;

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

/// What a build saves as its fingerprint, as JSON.
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
        for folder in folders(config) {
            hash_folder(&site, &site, &folder, &mut h)?;
        }
        Some(Inputs {
            site,
            out,
            hash: format!("{:032x}", h.digest128()),
        })
    }

    /// The last build's summary, when it saved these inputs' fingerprint, the
    /// output folder is as it left it, and every file it read by path is as
    /// it was. A fingerprint that cannot be read or parsed, or is not this
    /// build's, is ignored.
    pub fn unchanged(&self) -> Option<Unchanged> {
        let (text, files) = output::last_fingerprint(&self.out)?;
        let record: Record = serde_json::from_str(&text).ok()?;
        if record.format != FORMAT || record.inputs != self.hash {
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
        same.then_some(Unchanged {
            counts: (record.pages, record.sections, record.terms),
            files,
        })
    }

    /// The fingerprint a build of these inputs saves: `reads` are the files it
    /// read by path, `counts` its pages, sections and terms. `None` when it
    /// read a file outside the site, which no fingerprint can vouch for.
    pub fn record(&self, reads: &Reads, counts: (usize, usize, usize)) -> Option<String> {
        let reads = reads
            .recorded()
            .into_iter()
            .map(|(rel, state)| {
                let rel = rel.to_str()?.to_string();
                (state != FileState::Outside).then(|| (rel, state.encode()))
            })
            .collect::<Option<Vec<_>>>()?;
        let (pages, sections, terms) = counts;
        serde_json::to_string(&Record {
            format: FORMAT,
            inputs: self.hash.clone(),
            reads,
            pages,
            sections,
            terms,
        })
        .ok()
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
