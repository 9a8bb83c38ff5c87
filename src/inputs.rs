//! What a build reads, for the input fingerprint that lets an unchanged site
//! skip its build: [`hash_folder`] hashes a folder of the site, and
//! [`Reads`] records the files read by a path that content or templates
//! chose (`load_data`, `get_image_metadata`, image sizes), which may lie
//! anywhere in the site. Nothing here reads a file outside the site or
//! follows a link out of it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

/// What a path held when a build looked at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// Nothing (or a link to nothing).
    Missing,
    /// Something that is not a readable file, such as a folder.
    Other,
    /// A file whose real path is outside the site: never read, so never vouched for.
    Outside,
    /// A file inside the site, by the hash of its bytes.
    File(u128),
}

impl FileState {
    /// The state of `path`; `site` is the canonical site folder. A file is read
    /// only when its real path lies inside `site`.
    pub fn of(site: &Path, path: &Path) -> FileState {
        let Ok(real) = path.canonicalize() else {
            return FileState::Missing;
        };
        if !real.starts_with(site) {
            return FileState::Outside;
        }
        if !real.is_file() {
            return FileState::Other;
        }
        fs::read(&real).map_or(FileState::Other, |b| FileState::File(xxh3_128(&b)))
    }

    /// A short text form, for the stored fingerprint.
    pub fn encode(self) -> String {
        match self {
            FileState::Missing => "missing".into(),
            FileState::Other => "other".into(),
            FileState::Outside => "outside".into(),
            FileState::File(h) => format!("{h:032x}"),
        }
    }
}

/// Files read during a build by a path that content or templates chose, each
/// with its state from just before the first read, so that a later build
/// can tell whether it changed. Paths inside the folders the fingerprint
/// hashes whole (`covered`, written without `..`) are left out.
#[derive(Debug, Default)]
pub struct Reads {
    /// The site folder as given, and canonical; empty for a record that keeps nothing.
    root: PathBuf,
    site: PathBuf,
    covered: Vec<PathBuf>,
    seen: Mutex<BTreeMap<PathBuf, FileState>>,
}

impl Reads {
    /// A record for the site at `root`, whose folders `covered` (relative to
    /// it) the fingerprint hashes whole.
    pub fn new(root: &Path, covered: &[PathBuf]) -> Reads {
        Reads {
            root: root.to_path_buf(),
            site: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            covered: covered.to_vec(),
            seen: Mutex::default(),
        }
    }

    /// Records `path` (under the site root, as given or canonical), to be
    /// called before it is looked at or read: a change after this call then
    /// shows in the next build's fingerprint.
    pub fn note(&self, path: &Path) {
        if self.site.as_os_str().is_empty() {
            return;
        }
        let rel = path
            .strip_prefix(&self.root)
            .or_else(|_| path.strip_prefix(&self.site))
            .unwrap_or(path);
        let plain = rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if plain && self.covered.iter().any(|c| rel.starts_with(c)) {
            return;
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if !seen.contains_key(rel) {
            let state = if rel.is_absolute() {
                FileState::Outside
            } else {
                FileState::of(&self.site, &self.site.join(rel))
            };
            seen.insert(rel.to_path_buf(), state);
        }
    }

    /// Every path recorded, relative to the site root, with its state.
    pub fn recorded(&self) -> Vec<(PathBuf, FileState)> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.iter().map(|(p, s)| (p.clone(), *s)).collect()
    }
}

/// Adds every entry under `root/folder` to `hasher`: names, kinds and the
/// hash of every file's bytes, in a fixed order; a missing folder counts as
/// such. Links are followed while they stay inside `site` (the canonical
/// site folder). `None` when the folder cannot be walked or read, or holds a
/// link out of the site or to nothing: a build reports those, and such a
/// site gets no fingerprint.
pub fn hash_folder(root: &Path, site: &Path, folder: &Path, hasher: &mut Xxh3) -> Option<()> {
    hash_entries(folder, &folder_entries(root, site, folder)?, hasher);
    Some(())
}

/// One entry of a folder: its path below the folder, its kind (`b'f'` file,
/// `b'd'` folder, `b'o'` anything else) and, for a file, the hash of its bytes.
pub type Entry = (PathBuf, u8, Option<u128>);

/// The entries under `root/folder` in name order, as [`hash_folder`] sees
/// them; `Some(None)` for a missing folder. `None` as for [`hash_folder`].
pub fn folder_entries(root: &Path, site: &Path, folder: &Path) -> Option<Option<Vec<Entry>>> {
    let dir = root.join(folder);
    if fs::symlink_metadata(&dir).is_err() {
        return Some(None);
    }
    let mut entries: Vec<(PathBuf, u8)> = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let e = entry.ok()?;
        if (e.path_is_symlink() || e.depth() == 0)
            && !e.path().canonicalize().is_ok_and(|r| r.starts_with(site))
        {
            return None;
        }
        let t = e.file_type();
        let kind = if t.is_file() {
            b'f'
        } else if t.is_dir() {
            b'd'
        } else {
            b'o'
        };
        let rel = e.path().strip_prefix(&dir).unwrap_or(e.path());
        entries.push((rel.to_path_buf(), kind));
    }
    let hashes: Vec<Option<u128>> = entries
        .par_iter()
        .map(|(rel, kind)| match kind {
            b'f' => fs::read(dir.join(rel)).ok().map(|b| Some(xxh3_128(&b))),
            _ => Some(None),
        })
        .collect::<Option<_>>()?;
    let entries = entries.into_iter().zip(hashes);
    Some(Some(entries.map(|((rel, k), h)| (rel, k, h)).collect()))
}

/// Adds the entries of `folder` (`None`: it is missing) to `hasher`.
pub fn hash_entries(folder: &Path, entries: &Option<Vec<Entry>>, hasher: &mut Xxh3) {
    hasher.update(folder.as_os_str().as_encoded_bytes());
    let Some(entries) = entries else {
        hasher.update(b"\0missing\0");
        return;
    };
    for (rel, kind, hash) in entries {
        hasher.update(&[0, *kind]);
        hasher.update(rel.as_os_str().as_encoded_bytes());
        hasher.update(&[0]);
        if let Some(h) = hash {
            hasher.update(&h.to_le_bytes());
        }
    }
}
