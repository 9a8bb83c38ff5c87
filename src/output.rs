//! Writes the site safely: files are staged beside the output folder and
//! moved in only when the whole build succeeded; unchanged files are left
//! alone (their hash is in the manifest), and only files fascia wrote are
//! ever removed.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::Diagnostic;

/// The manifest fascia keeps in every output folder it owns; it also marks ownership.
pub const MANIFEST: &str = ".fascia-manifest.json";

/// Counts of what a commit did.
#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    /// Files written because they are new or changed.
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
}

/// Where rendered files go: the output folder (through staging) or memory for `serve`.
pub trait Sink: Sync {
    /// Stores one output file at `rel` (relative to the site root URL).
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// True if `rel` was already stored by this build.
    fn contains(&self, rel: &str) -> bool;
}

impl Sink for OutputWriter {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.write(rel, bytes)
    }
    fn contains(&self, rel: &str) -> bool {
        OutputWriter::contains(self, rel)
    }
}

/// Collects the outputs of one build and commits them all at once.
pub struct OutputWriter {
    out: PathBuf,
    staging: Option<PathBuf>,
    old: HashMap<String, String>,
    new: Mutex<BTreeMap<String, String>>,
    pending: Mutex<Vec<String>>,
}

impl OutputWriter {
    /// Prepares to write into `out`. Refuses a non-empty folder fascia did not create unless `force`.
    /// With `dry_run`, nothing is ever written (for `fascia check`).
    pub fn open(out: &Path, force: bool, dry_run: bool) -> Result<OutputWriter, Diagnostic> {
        let manifest_path = out.join(MANIFEST);
        let old = match fs::read_to_string(&manifest_path) {
            Ok(text) => serde_json::from_str(&text).unwrap_or_default(),
            Err(_) => HashMap::new(),
        };
        if !dry_run && !force && out.is_dir() && !manifest_path.exists() {
            let non_empty = fs::read_dir(out)
                .map(|mut d| d.next().is_some())
                .unwrap_or(false);
            if non_empty {
                return Err(Diagnostic::error(
                    "output::not-ours",
                    format!("{} is not empty and was not created by fascia", out.display()),
                )
                .in_file(out)
                .hint("choose an empty folder with `--output`, or pass `--force` to write into it anyway"));
            }
        }
        if out.exists() && !out.is_dir() {
            return Err(Diagnostic::error(
                "output::not-a-folder",
                format!("{} exists and is not a folder", out.display()),
            )
            .in_file(out));
        }
        let staging = if dry_run {
            None
        } else {
            let name = out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "public".into());
            let parent = out
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            Some(parent.join(format!(".{name}.fascia-staging-{}", std::process::id())))
        };
        Ok(OutputWriter {
            out: out.to_path_buf(),
            staging,
            old,
            new: Mutex::new(BTreeMap::new()),
            pending: Mutex::new(Vec::new()),
        })
    }

    /// Records one output file; writes it to staging only if it changed. Safe to call from many threads.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes));
        let unchanged = self.old.get(rel) == Some(&hash) && self.out.join(rel).is_file();
        if let Some(staging) = &self.staging {
            if !unchanged {
                let target = staging.join(rel);
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(&target, bytes)?;
                self.pending
                    .lock()
                    .expect("no panics while locked")
                    .push(rel.to_string());
            }
        }
        self.new
            .lock()
            .expect("no panics while locked")
            .insert(rel.to_string(), hash);
        Ok(())
    }

    /// True if `rel` was already produced by this build.
    pub fn contains(&self, rel: &str) -> bool {
        self.new
            .lock()
            .expect("no panics while locked")
            .contains_key(rel)
    }

    /// Moves staged files into place, removes stale files fascia wrote before, and saves the manifest.
    pub fn commit(self) -> io::Result<WriteStats> {
        let Some(staging) = self.staging.clone() else {
            return Ok(WriteStats::default());
        };
        let new = self.new.into_inner().expect("no panics while locked");
        let pending = self.pending.into_inner().expect("no panics while locked");
        if !self.out.exists() && staging.is_dir() {
            // A first build: move the whole staged tree in with one rename. An existing
            // folder, even an empty one, is kept: it may be a mount point or a link.
            fs::rename(&staging, &self.out)?;
            fs::write(
                self.out.join(MANIFEST),
                serde_json::to_string(&new).map_err(io::Error::other)?,
            )?;
            return Ok(WriteStats {
                written: pending.len(),
                unchanged: 0,
                removed: 0,
            });
        }
        fs::create_dir_all(&self.out)?;
        let mut stats = WriteStats {
            written: pending.len(),
            unchanged: new.len() - pending.len(),
            removed: 0,
        };
        for rel in &pending {
            let target = self.out.join(rel);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            if target.is_dir() {
                return Err(io::Error::other(format!(
                    "{} is a folder; cannot write a file there",
                    target.display()
                )));
            }
            fs::rename(staging.join(rel), &target)?;
        }
        for rel in self.old.keys().filter(|k| !new.contains_key(*k)) {
            let target = self.out.join(rel);
            if target.is_file() && fs::remove_file(&target).is_ok() {
                stats.removed += 1;
                remove_empty_parents(&self.out, &target);
            }
        }
        let manifest = serde_json::to_string(&new).map_err(io::Error::other)?;
        let manifest_path = self.out.join(MANIFEST);
        if fs::read_to_string(&manifest_path).ok().as_deref() != Some(manifest.as_str()) {
            fs::write(manifest_path, manifest)?;
        }
        let _ = fs::remove_dir_all(&staging);
        Ok(stats)
    }

    /// Throws away what was staged; the output folder is untouched.
    pub fn abort(self) {
        if let Some(staging) = &self.staging {
            let _ = fs::remove_dir_all(staging);
        }
    }
}

// Only folders emptied by removing our own stale files go, and never the output folder itself.
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
