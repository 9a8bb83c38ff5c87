//! Writes the site safely: files are staged inside the output folder and
//! moved into place only when the whole build succeeded; unchanged files are
//! left alone (their hash is in the manifest), and only files fascia wrote are
//! ever removed.
//!
//! Crash safety: before the first file is moved in, the manifest is rewritten
//! with every file about to change marked as unknown. A build killed half-way
//! therefore leaves a manifest that claims no hash it cannot vouch for, and
//! the next build rewrites those files. A staging folder left by a dead build
//! is removed by the next one.
//!
//! The input fingerprint of a clean build is saved last, beside the manifest
//! and bound to it by hash; every commit removes it before anything moves,
//! so a fingerprint never vouches for a folder that a build left half-written.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::{Code, Diagnostic};
use crate::outpath::is_safe_rel;

/// The manifest fascia keeps in every output folder it owns; it also marks ownership.
pub const MANIFEST: &str = ".fascia-manifest.json";
/// The staging folder inside the output folder.
pub const STAGING: &str = ".fascia-staging";
/// The input fingerprint of the build that wrote the folder (see [`last_fingerprint`]).
pub const FINGERPRINT: &str = ".fascia-fingerprint.json";
/// The hash recorded for a file whose content is not known (mid-commit).
const UNKNOWN: &str = "";

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

/// Refuses a path that is not strictly inside the output folder, or that names
/// fascia's own bookkeeping files.
pub fn check_rel(rel: &str) -> io::Result<()> {
    let first = rel.split('/').next().unwrap_or("");
    if !is_safe_rel(rel) || [MANIFEST, STAGING, FINGERPRINT].contains(&first) {
        return Err(io::Error::other(format!(
            "refusing to write `{}`: it is not a path inside the output folder",
            rel.escape_debug()
        )));
    }
    Ok(())
}

/// Collects the outputs of one build and commits them all at once.
pub struct OutputWriter {
    out: PathBuf,
    staging: Option<PathBuf>,
    created_out: bool,
    /// The output folder held nothing (but a stale staging folder) and no
    /// manifest when the build began: a first build.
    fresh: bool,
    old: BTreeMap<String, String>,
    new: Mutex<BTreeMap<String, String>>,
    pending: Mutex<Vec<String>>,
    /// Problems that do not stop the build (an unreadable manifest).
    pub warnings: Vec<Diagnostic>,
}

/// Reads a manifest; `Err` with a reason when it exists but cannot be trusted.
/// `Ok(Some(map))` only when every entry names a path strictly inside the
/// output folder. Public for the fuzz target in `tests/testsuite/rig/fuzz.rs`.
pub fn read_manifest(path: &Path) -> Result<Option<BTreeMap<String, String>>, String> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    parse_manifest(&text).map(Some)
}

/// A manifest's entries, when every one names a path strictly inside the output folder.
fn parse_manifest(text: &str) -> Result<BTreeMap<String, String>, String> {
    let map: BTreeMap<String, String> =
        serde_json::from_str(text).map_err(|e| format!("it is not a manifest: {e}"))?;
    if let Some(bad) = map.keys().find(|k| check_rel(k).is_err()) {
        return Err(format!(
            "it lists `{}`, which is not a path inside the output folder",
            bad.escape_debug()
        ));
    }
    Ok(map)
}

/// What the last build saved with [`OutputWriter::commit`] as its
/// fingerprint, and how many files its manifest lists, when the output
/// folder is still as that build left it: no staging folder, the manifest
/// that build wrote (by hash), and every file it lists in place as a plain
/// file, reached through real folders. `None` otherwise.
///
/// Checking every file costs one `lstat` each (and one per folder), and
/// catches what a full build would repair: a file deleted or replaced by a
/// folder or a link. Like a full build, it does not read the files back.
pub fn last_fingerprint(out: &Path) -> Option<(String, usize)> {
    if fs::symlink_metadata(out.join(STAGING)).is_ok() {
        return None;
    }
    let stored = read_plain(&out.join(FINGERPRINT))?;
    let (manifest_hash, record) = stored.split_once('\n')?;
    let text = read_plain(&out.join(MANIFEST))?;
    if format!("{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes())) != manifest_hash {
        return None;
    }
    let map = parse_manifest(&text).ok()?;
    if map.values().any(|h| h == UNKNOWN) || !all_in_place(out, &map) {
        return None;
    }
    Some((record.to_string(), map.len()))
}

/// The text of a regular file, never read through a link.
fn read_plain(path: &Path) -> Option<String> {
    fs::symlink_metadata(path).ok().filter(|m| m.is_file())?;
    fs::read_to_string(path).ok()
}

/// True when every file of `map` is a plain file in `out`, with only real
/// folders on its way (each folder checked once).
fn all_in_place(out: &Path, map: &BTreeMap<String, String>) -> bool {
    let mut folders: HashSet<&str> = HashSet::new();
    map.keys().all(|rel| {
        let folders_ok = rel.match_indices('/').all(|(i, _)| {
            let dir = &rel[..i];
            folders.contains(dir)
                || (fs::symlink_metadata(out.join(dir)).is_ok_and(|m| m.is_dir())
                    && folders.insert(dir))
        });
        folders_ok && fs::symlink_metadata(out.join(rel)).is_ok_and(|m| m.is_file())
    })
}

impl OutputWriter {
    /// Prepares to write into `out`. Refuses a non-empty folder fascia did not create unless `force`.
    /// With `dry_run`, nothing is ever written (for `fascia check`).
    pub fn open(out: &Path, force: bool, dry_run: bool) -> Result<OutputWriter, Diagnostic> {
        if out.exists() && !out.is_dir() {
            return Err(Diagnostic::error(
                Code::OutputNotAFolder,
                format!("{} exists and is not a folder", out.display()),
            )
            .in_file(out));
        }
        let manifest_path = out.join(MANIFEST);
        let mut warnings = Vec::new();
        let old = match read_manifest(&manifest_path) {
            Ok(m) => m,
            Err(why) => {
                warnings.push(
                    Diagnostic::warning(
                        Code::OutputBadManifest,
                        format!("{} is ignored: {why}", manifest_path.display()),
                    )
                    .in_file(&manifest_path)
                    .hint("fascia treats the folder as one it did not create; pass `--force` to write into it anyway"),
                );
                None
            }
        };
        let owned = old.is_some();
        // Whether the folder holds anything but a stale staging folder
        // (`None` when it cannot be listed).
        let listed = if out.is_dir() {
            fs::read_dir(out)
                .ok()
                .map(|d| d.flatten().any(|e| e.file_name() != STAGING))
        } else {
            Some(false)
        };
        let fresh = !owned && listed == Some(false);
        if !dry_run && !force && !owned && listed == Some(true) {
            let mut d = Diagnostic::error(
                Code::OutputNotOurs,
                format!(
                    "{} is not empty and was not created by fascia",
                    out.display()
                ),
            )
            .in_file(out)
            .hint(
                "choose an empty folder with `--output`, or pass `--force` to write into it anyway",
            );
            if let Some(w) = warnings.first() {
                d.message.push_str(&format!(" ({})", w.message));
            }
            return Err(d);
        }
        let mut writer = OutputWriter {
            out: out.to_path_buf(),
            staging: None,
            created_out: false,
            fresh,
            old: old.unwrap_or_default(),
            new: Mutex::new(BTreeMap::new()),
            pending: Mutex::new(Vec::new()),
            warnings,
        };
        if !dry_run {
            writer.created_out = !out.exists();
            let staging = out.join(STAGING);
            let setup = fs::create_dir_all(out)
                .and_then(|_| remove_stale_staging(&staging))
                .and_then(|_| fs::create_dir(&staging));
            if let Err(e) = setup {
                return Err(Diagnostic::error(
                    Code::OutputIo,
                    format!("cannot prepare {}: {e}", staging.display()),
                )
                .in_file(out)
                .hint("check the permissions of the output folder"));
            }
            lock_open().push((staging.clone(), writer.created_out));
            writer.staging = Some(staging);
        }
        Ok(writer)
    }

    /// Records one output file; writes it to staging only if it changed. Safe to call from many threads.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        check_rel(rel)?;
        let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes));
        let unchanged = self.old.get(rel) == Some(&hash) && is_plain_file(&self.out, rel);
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

    /// The files this build has produced so far.
    pub fn produced(&self) -> Vec<String> {
        let new = self.new.lock().expect("no panics while locked");
        new.keys().cloned().collect()
    }

    /// The files of the last build that this build has not produced (yet).
    pub fn not_produced(&self) -> Vec<String> {
        let new = self.new.lock().expect("no panics while locked");
        self.old
            .keys()
            .filter(|k| !new.contains_key(k.as_str()))
            .cloned()
            .collect()
    }

    /// Reads back a file the last build wrote, never through a symbolic
    /// link; `None` when it is not in the manifest or not a plain file.
    pub fn read_old(&self, rel: &str) -> Option<Vec<u8>> {
        if !self.old.contains_key(rel) || check_rel(rel).is_err() || !is_plain_file(&self.out, rel)
        {
            return None;
        }
        fs::read(self.out.join(rel)).ok()
    }

    /// Keeps, as they are, the files of the last build that this build did
    /// not produce and `keep` accepts: the commit neither rewrites nor
    /// removes them. For a build that renders only what an edit changed.
    pub fn keep_old(&self, keep: impl Fn(&str) -> bool) {
        let mut new = self.new.lock().expect("no panics while locked");
        for (rel, hash) in &self.old {
            if !new.contains_key(rel) && keep(rel) {
                new.insert(rel.clone(), hash.clone());
            }
        }
    }

    /// Moves staged files into place, removes stale files fascia wrote before, and saves the manifest,
    /// then `fingerprint` (for [`last_fingerprint`]) when given.
    ///
    /// Every target is checked before the first file moves (a file where a
    /// folder is needed, a folder where a file goes, a symbolic link on the
    /// way), so those conflicts leave the output folder as it was. An error of
    /// the file system during the move itself says so in [`CommitError::changed`].
    pub fn commit(self, fingerprint: Option<&str>) -> Result<WriteStats, CommitError> {
        let Some(staging) = self.staging.clone() else {
            return Ok(WriteStats::default());
        };
        lock_open().retain(|(s, _)| *s != staging);
        let new = self.new.into_inner().expect("no panics while locked");
        let mut pending = self.pending.into_inner().expect("no panics while locked");
        pending.sort();
        // The journal: every file about to change is unknown until the final manifest.
        let mut journal = self.old.clone();
        for rel in &pending {
            journal.insert(rel.clone(), UNKNOWN.into());
        }
        // The fingerprint goes first: from here on the folder may change.
        let ready = pending
            .iter()
            .try_for_each(|rel| check_target(&self.out, rel))
            .and_then(|()| remove_fingerprint(&self.out))
            .and_then(|()| save_manifest(&self.out, &journal));
        if let Err(error) = ready {
            let _ = fs::remove_dir_all(&staging);
            if self.created_out {
                let _ = fs::remove_dir(&self.out);
            }
            return Err(CommitError {
                error,
                changed: false,
            });
        }
        let stats = Self::move_in(&self.out, &self.old, &staging, &new, &pending, self.fresh)
            .and_then(|stats| {
                let manifest = save_manifest(&self.out, &new)?;
                if let Some(record) = fingerprint {
                    save_fingerprint(&self.out, &manifest, record);
                }
                Ok(stats)
            })
            .map_err(|error| CommitError {
                error,
                changed: true,
            })?;
        let _ = fs::remove_dir_all(&staging);
        Ok(stats)
    }

    fn move_in(
        out: &Path,
        old: &BTreeMap<String, String>,
        staging: &Path,
        new: &BTreeMap<String, String>,
        pending: &[String],
        fresh: bool,
    ) -> io::Result<WriteStats> {
        let mut stats = WriteStats {
            written: pending.len(),
            unchanged: new.len() - pending.len(),
            removed: 0,
        };
        // A first build moves each top-level entry of staging with one
        // rename, where nothing is in the way (checked just before; a name
        // that appeared meanwhile is moved file by file as below). Staging
        // is inside the output folder, so nothing leaves it; the journal
        // already marks every file unknown, so a crash between two renames
        // is repaired by the next build like any other.
        let mut moved_whole: HashSet<&str> = HashSet::new();
        if fresh {
            let mut tops: Vec<&str> = pending
                .iter()
                .map(|rel| rel.split('/').next().unwrap_or(rel))
                .collect();
            let mut seen = HashSet::new();
            tops.retain(|top| seen.insert(*top));
            for (n, top) in tops.into_iter().enumerate() {
                fault_point(n);
                let target = out.join(top);
                if fs::symlink_metadata(&target).is_err() {
                    fs::rename(staging.join(top), &target)?;
                    moved_whole.insert(top);
                }
            }
        }
        let mut safe_dirs = HashSet::new();
        for (n, rel) in pending
            .iter()
            .filter(|rel| !moved_whole.contains(rel.split('/').next().unwrap_or(rel)))
            .enumerate()
        {
            fault_point(n);
            let target = out.join(rel);
            ensure_real_dirs(out, rel, &mut safe_dirs)?;
            if fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
                return Err(io::Error::other(format!(
                    "{} is a folder; cannot write a file there",
                    target.display()
                )));
            }
            fs::rename(staging.join(rel), &target)?;
        }
        for rel in old.keys().filter(|k| !new.contains_key(k.as_str())) {
            if is_plain_file(out, rel) && fs::remove_file(out.join(rel)).is_ok() {
                stats.removed += 1;
                remove_empty_parents(out, rel);
            }
        }
        Ok(stats)
    }

    /// Throws away what was staged; the output folder is as it was.
    pub fn abort(self) {
        if let Some(staging) = &self.staging {
            lock_open().retain(|(s, _)| s != staging);
            let _ = fs::remove_dir_all(staging);
            if self.created_out {
                let _ = fs::remove_dir(&self.out);
            }
        }
    }
}

/// Staging folders of writers not yet committed or aborted, and whether
/// their output folder was created by this build.
static OPEN: Mutex<Vec<(PathBuf, bool)>> = Mutex::new(Vec::new());

fn lock_open() -> std::sync::MutexGuard<'static, Vec<(PathBuf, bool)>> {
    OPEN.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes the staging folder of every writer still open (and an output folder
/// this build created), for a process about to exit in the middle of a build:
/// the output folder is then as it was.
pub fn abandon_open_staging() {
    for (staging, created_out) in lock_open().drain(..) {
        let _ = fs::remove_dir_all(&staging);
        if let (true, Some(out)) = (created_out, staging.parent()) {
            let _ = fs::remove_dir(out);
        }
    }
}

/// Why a commit failed, and whether the output folder had begun to change.
#[derive(Debug)]
pub struct CommitError {
    /// What went wrong.
    pub error: io::Error,
    /// True when files had begun to move: the journal in the manifest lets the
    /// next build repair them.
    pub changed: bool,
}

/// Checks, without changing anything, that `rel` can be moved into `out`:
/// every folder on its way is a real folder or missing, and the file itself
/// is not a folder.
fn check_target(out: &Path, rel: &str) -> io::Result<()> {
    let mut p = out.to_path_buf();
    let segments: Vec<&str> = rel.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        p.push(seg);
        let last = i + 1 == segments.len();
        match fs::symlink_metadata(&p) {
            Err(_) => return Ok(()),
            Ok(m) if m.file_type().is_symlink() && !last => {
                return Err(io::Error::other(format!(
                    "{} is a symbolic link; fascia does not write through links",
                    p.display()
                )))
            }
            Ok(m) if last && m.is_dir() => {
                return Err(io::Error::other(format!(
                    "{} is a folder; cannot write a file there",
                    p.display()
                )))
            }
            Ok(m) if !last && !m.is_dir() => {
                return Err(io::Error::other(format!(
                    "{} is a file; cannot create a folder there",
                    p.display()
                )))
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// Writes the manifest atomically (temporary file, then rename), unless it
/// is already so; returns its text.
fn save_manifest(out: &Path, map: &BTreeMap<String, String>) -> io::Result<String> {
    let text = serde_json::to_string(map).map_err(io::Error::other)?;
    let path = out.join(MANIFEST);
    if fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        return Ok(text);
    }
    let tmp = out.join(STAGING).join(MANIFEST);
    fs::write(&tmp, &text)?;
    fs::rename(tmp, path)?;
    Ok(text)
}

/// Saves `record` bound to the manifest's text, atomically. The fingerprint
/// only saves work, so a failure just leaves none.
fn save_fingerprint(out: &Path, manifest: &str, record: &str) {
    let text = format!(
        "{:032x}\n{record}",
        xxhash_rust::xxh3::xxh3_128(manifest.as_bytes())
    );
    let tmp = out.join(STAGING).join(FINGERPRINT);
    if fs::write(&tmp, text)
        .and_then(|()| fs::rename(&tmp, out.join(FINGERPRINT)))
        .is_err()
    {
        let _ = remove_fingerprint(out);
    }
}

/// Removes the fingerprint of the last build (a file or a link, never a
/// folder): from now on the folder may change, and nothing may vouch for it.
fn remove_fingerprint(out: &Path) -> io::Result<()> {
    match fs::symlink_metadata(out.join(FINGERPRINT)) {
        Ok(m) if !m.is_dir() => fs::remove_file(out.join(FINGERPRINT)),
        _ => Ok(()),
    }
}

/// Removes a staging folder left by a build that died; never follows a link.
fn remove_stale_staging(staging: &Path) -> io::Result<()> {
    match fs::symlink_metadata(staging) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(staging),
        Ok(_) => fs::remove_file(staging),
        Err(_) => Ok(()),
    }
}

/// True when `out/rel` is a regular file reached without passing a symbolic link.
fn is_plain_file(out: &Path, rel: &str) -> bool {
    let mut p = out.to_path_buf();
    for seg in rel.split('/') {
        p.push(seg);
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => return false,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    fs::symlink_metadata(&p).is_ok_and(|m| m.is_file())
}

/// Creates the folders of `rel` inside `out`, refusing any that is a symbolic link.
fn ensure_real_dirs(out: &Path, rel: &str, checked: &mut HashSet<String>) -> io::Result<()> {
    let Some((dirs, _)) = rel.rsplit_once('/') else {
        return Ok(());
    };
    if checked.contains(dirs) {
        return Ok(());
    }
    let mut p = out.to_path_buf();
    let mut so_far = String::new();
    for seg in dirs.split('/') {
        p.push(seg);
        if !so_far.is_empty() {
            so_far.push('/');
        }
        so_far.push_str(seg);
        if checked.contains(&so_far) {
            continue;
        }
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(io::Error::other(format!(
                    "{} is a symbolic link; fascia does not write through links",
                    p.display()
                )))
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(io::Error::other(format!(
                    "{} is a file; cannot create a folder there",
                    p.display()
                )))
            }
            Err(_) => fs::create_dir(&p)?,
        }
        checked.insert(so_far.clone());
    }
    Ok(())
}

// Only folders emptied by removing our own stale files go, and never the output folder itself.
fn remove_empty_parents(out: &Path, rel: &str) {
    let mut dirs: Vec<&str> = rel.split('/').collect();
    dirs.pop();
    while !dirs.is_empty() {
        if fs::remove_dir(out.join(dirs.join("/"))).is_err() {
            break;
        }
        dirs.pop();
    }
}

/// Test hook: `FASCIA_FAULT_AFTER=N` kills the process after N files were moved
/// in, as a crash or `kill -9` would, so tests can check that the next build repairs it.
fn fault_point(moved: usize) {
    static AFTER: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    let after = AFTER.get_or_init(|| {
        std::env::var("FASCIA_FAULT_AFTER")
            .ok()
            .and_then(|v| v.parse().ok())
    });
    if *after == Some(moved) {
        std::process::abort();
    }
}
