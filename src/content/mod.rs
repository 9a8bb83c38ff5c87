//! Walks `content/`, reads every file in parallel, parses front matter and
//! builds the page and section tree with each item's URL, then the taxonomies.
//! Loading never renders.

pub mod taxonomies;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, LinkLevel};
use crate::diagnostics::{value_span, Code, Diagnostic};
use crate::model::front_matter::{self, PageDate, PageFrontMatter, SectionFrontMatter, SortBy};
use crate::model::{is_editor_temp, Page, PageId, Section, SectionId, Site, SourceFile, Target};
use crate::outpath;

struct Parsed {
    file: SourceFile,
    kind: ParsedKind,
    body_offset: usize,
    /// Unknown fields left out (`unknown_front_matter = "warn"`).
    warnings: Vec<Diagnostic>,
}

enum ParsedKind {
    Page(Box<PageFrontMatter>),
    Section(Box<SectionFrontMatter>),
}

/// Loads `root/content/`, returning what could be loaded and every problem found,
/// and how long reading the files took (the rest is parsing).
pub fn load(
    root: &Path,
    config: Config,
    drafts: bool,
) -> (Site, Vec<Diagnostic>, std::time::Duration) {
    let started = std::time::Instant::now();
    let mut loader = Loader::new(root, config, drafts);
    let (md_files, other_files) = loader.walk();
    let read: Vec<Result<SourceFile, Diagnostic>> = md_files
        .par_iter()
        .map(|rel| read_source(&loader.content_dir, rel))
        .collect();
    let read_time = started.elapsed();
    let lenient = loader.site.config.unknown_front_matter == Some(LinkLevel::Warn);
    let results: Vec<Result<Parsed, Diagnostic>> = read
        .into_par_iter()
        .map(|r| r.and_then(|f| parse_source(f, lenient)))
        .collect();

    // Sections first, so pages can find their parent.
    let mut pages = Vec::new();
    for (mut r, rel) in results.into_iter().zip(&md_files) {
        if let Ok(p) = r.as_mut() {
            loader.diags.append(&mut p.warnings);
        }
        match r {
            Ok(Parsed {
                file,
                kind: ParsedKind::Section(meta),
                body_offset,
                ..
            }) => loader.add_section(file, *meta, body_offset),
            Ok(Parsed {
                file,
                kind: ParsedKind::Page(meta),
                body_offset,
                ..
            }) => pages.push((file, meta, body_offset)),
            Err(d) => {
                loader.site.broken.push(to_key(rel));
                loader.diags.push(d);
            }
        }
    }
    loader.link_sections();
    let mut assets = loader.place_files(&pages, &other_files);
    // Held to the end of the build: room for exactly these pages, not the
    // up to twice as many that growing by pushes leaves.
    loader.site.pages.reserve_exact(pages.len());
    for (file, meta, body_offset) in pages {
        loader.add_page(file, *meta, body_offset, &mut assets);
    }
    let Loader {
        mut site, diags, ..
    } = loader;
    for (i, s) in site.sections.iter().enumerate() {
        site.by_key
            .insert(s.file.key.clone(), Target::Section(SectionId(i)));
    }
    sort_sections(&mut site);
    (site, diags, read_time)
}

/// The state of one load: the site so far and the lookup tables that build it.
struct Loader {
    content_dir: PathBuf,
    drafts: bool,
    diags: Vec<Diagnostic>,
    site: Site,
    /// Folder relative to `content/` → section index.
    section_by_dir: HashMap<String, usize>,
    /// URL path → the `@/` key that claimed it.
    seen_paths: HashMap<String, String>,
}

impl Loader {
    fn new(root: &Path, config: Config, drafts: bool) -> Self {
        Loader {
            content_dir: root.join("content"),
            drafts,
            diags: Vec::new(),
            section_by_dir: HashMap::new(),
            seen_paths: HashMap::new(),
            site: Site {
                config,
                root: root.to_path_buf(),
                pages: Vec::new(),
                sections: Vec::new(),
                taxonomies: Vec::new(),
                by_key: HashMap::new(),
                files: Vec::new(),
                drafts: Vec::new(),
                broken: Vec::new(),
            },
        }
    }

    /// Sorts the content folder's other files: those in a page bundle's
    /// folder become its assets (returned by folder key), the rest are
    /// copied as they are.
    fn place_files(
        &mut self,
        pages: &[(SourceFile, Box<PageFrontMatter>, usize)],
        other_files: &[PathBuf],
    ) -> HashMap<String, Vec<PathBuf>> {
        let bundle_dirs: HashSet<String> = pages
            .iter()
            .filter(|(f, _, _)| f.key.ends_with("/index.md"))
            .map(|(f, _, _)| parent_dir(&f.key))
            .collect();
        let mut assets: HashMap<String, Vec<PathBuf>> = HashMap::new();
        for f in other_files {
            let key = to_key(f);
            let dir = parent_dir(&key);
            if bundle_dirs.contains(&dir) {
                assets
                    .entry(dir)
                    .or_default()
                    .push(self.content_dir.join(f));
            } else {
                self.site.files.push((self.content_dir.join(f), key));
            }
        }
        assets
    }

    /// Lists the Markdown files and the other files under `content/`, relative to it.
    fn walk(&mut self) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let (mut md_files, mut other_files) = (Vec::new(), Vec::new());
        if !self.content_dir.is_dir() {
            self.diags.push(
                Diagnostic::error(Code::ContentMissing, "there is no content/ folder")
                    .in_file("content")
                    .hint("create content/_index.md for the home page"),
            );
            return (md_files, other_files);
        }
        let site = self
            .site
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.site.root.clone());
        let mut outside = Vec::new();
        for entry in walkdir::WalkDir::new(&self.content_dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && is_editor_temp(&e.file_name().to_string_lossy()) {
                    return false;
                }
                // A link out of the site is never read, published or served.
                let leaves = (e.path_is_symlink() || e.depth() == 0)
                    && e.path().canonicalize().is_ok_and(|r| !r.starts_with(&site));
                if leaves {
                    outside.push(e.path().to_path_buf());
                }
                !leaves
            })
        {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let rel = e
                        .path()
                        .strip_prefix(&self.content_dir)
                        .unwrap_or(e.path())
                        .to_path_buf();
                    if rel.extension().is_some_and(|x| x == "md") {
                        md_files.push(rel);
                    } else {
                        other_files.push(rel);
                    }
                }
                Ok(_) => {}
                Err(e) => self.diags.push(walk_error(&self.site.root, &e)),
            }
        }
        for p in outside {
            self.diags.push(
                Diagnostic::warning(
                    Code::ContentOutside,
                    "this links to a place outside the site; it is skipped",
                )
                .in_file(p.strip_prefix(&self.site.root).unwrap_or(&p))
                .hint("copy the file into the site instead of linking to it"),
            );
        }
        (md_files, other_files)
    }

    fn add_section(&mut self, file: SourceFile, mut meta: SectionFrontMatter, body_offset: usize) {
        if meta.draft && !self.drafts {
            return;
        }
        let mut ok = check_aliases(&file, &mut meta.aliases, &mut self.diags);
        if let Some(pp) = &meta.paginate_path {
            if let Err(e) = outpath::segment(pp) {
                self.diags.push(unsafe_path(&file, "paginate_path", pp, e));
                ok = false;
            }
        }
        if !ok {
            self.site.broken.push(file.key.clone());
            return;
        }
        let dir = parent_dir(&file.key);
        let path = dir_path(&dir);
        self.section_by_dir
            .insert(dir.clone(), self.site.sections.len());
        self.site.sections.push(Section {
            permalink: self.site.config.permalink(&path),
            file,
            meta,
            body_offset,
            dir,
            path,
            parent: None,
            pages: Vec::new(),
            subsections: Vec::new(),
        });
    }

    /// Adds the implicit root when there is no `content/_index.md`, puts the root
    /// first and links every section to its parent.
    fn link_sections(&mut self) {
        if !self.section_by_dir.contains_key("") {
            let text: Arc<str> = "".into();
            self.section_by_dir
                .insert(String::new(), self.site.sections.len());
            self.site.sections.push(Section {
                file: SourceFile {
                    key: "_index.md".into(),
                    display: PathBuf::from("content/_index.md"),
                    abs: self.content_dir.join("_index.md"),
                    text,
                },
                meta: SectionFrontMatter {
                    title: Some(self.site.config.title.clone()),
                    render: true,
                    ..Default::default()
                },
                body_offset: 0,
                dir: String::new(),
                path: "/".into(),
                permalink: self.site.config.permalink("/"),
                parent: None,
                pages: Vec::new(),
                subsections: Vec::new(),
            });
        }
        // Root first keeps indexes stable: move it to 0.
        let sections = &mut self.site.sections;
        sections.swap(0, self.section_by_dir[""]);
        for (i, s) in sections.iter().enumerate() {
            self.section_by_dir.insert(s.dir.clone(), i);
            self.seen_paths.insert(s.path.clone(), s.file.key.clone());
        }
        for i in 1..sections.len() {
            let parent = nearest_section(&parent_dir(&sections[i].dir), &self.section_by_dir);
            sections[i].parent = Some(SectionId(parent));
            sections[parent].subsections.push(SectionId(i));
        }
    }

    fn add_page(
        &mut self,
        file: SourceFile,
        mut meta: PageFrontMatter,
        body_offset: usize,
        assets: &mut HashMap<String, Vec<PathBuf>>,
    ) {
        if meta.draft && !self.drafts {
            self.site.drafts.push(file.key.clone());
            return;
        }
        let is_bundle = file.key.ends_with("/index.md");
        let dir = parent_dir(&file.key);
        let section_dir = if is_bundle {
            parent_dir(&dir)
        } else {
            dir.clone()
        };
        let section = nearest_section(&section_dir, &self.section_by_dir);
        let stem = if is_bundle {
            dir.rsplit('/').next().unwrap_or(&dir)
        } else {
            let name = file.key.rsplit('/').next().unwrap_or(&file.key);
            name.strip_suffix(".md").unwrap_or(name)
        };
        let (date_prefix, stem) = split_date_prefix(stem);
        let slug = slug::slugify(meta.slug.as_deref().unwrap_or(stem));
        let path = match &meta.path {
            Some(p) => checked_url_path(&file, "path", p, &mut self.diags).unwrap_or_default(),
            // An empty slug names the section's own URL (a duplicate, reported below).
            None if slug.is_empty() => dir_path(&section_dir),
            None => format!("{}{slug}/", dir_path(&section_dir)),
        };
        if !check_aliases(&file, &mut meta.aliases, &mut self.diags) || path.is_empty() {
            self.site.broken.push(file.key.clone());
            return;
        }
        if let Some(other) = self.seen_paths.insert(path.clone(), file.key.clone()) {
            let (field, value) = match (&meta.path, &meta.slug) {
                (Some(p), _) => ("path", p.as_str()),
                (None, Some(s)) => ("slug", s.as_str()),
                (None, None) => ("", ""),
            };
            let at = Some(field)
                .filter(|f| !f.is_empty())
                .and_then(|_| file.text.find(&format!("{field} =")))
                .or_else(|| file.text.find(&format!("{field}:")))
                .map_or(0..0, |from| {
                    let span = value_span(&file.text, from, value);
                    if span.is_empty() {
                        from..from + field.len()
                    } else {
                        span
                    }
                });
            self.diags.push(
                Diagnostic::error(
                    Code::ContentDuplicatePath,
                    format!("`{path}` is also the URL of content/{other}"),
                )
                .at(&file.display, &file.text, at)
                .hint("give one of them a different `slug` or `path`"),
            );
            // Links to it are not reported a second time.
            self.site.broken.push(file.key.clone());
            return;
        }
        let idx = PageId(self.site.pages.len());
        self.site.by_key.insert(file.key.clone(), Target::Page(idx));
        self.site.sections[section].pages.push(idx);
        self.site.pages.push(Page {
            permalink: self.site.config.permalink(&path),
            date: meta.date.clone().or(date_prefix),
            assets: if is_bundle {
                assets.remove(&dir).unwrap_or_default()
            } else {
                Vec::new()
            },
            dir: self.content_dir.join(&dir),
            file,
            meta,
            body_offset,
            section: SectionId(section),
            slug,
            path,
        });
    }
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e
        .path()
        .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
        .unwrap_or_else(|| PathBuf::from("content"));
    let (msg, hint) = if e.loop_ancestor().is_some() {
        (
            "symbolic link loop".to_string(),
            "this link points back to one of its own parent folders; remove it",
        )
    } else {
        (format!("cannot read: {e}"), "check the file's permissions")
    };
    Diagnostic::error(Code::InputWalk, msg)
        .in_file(path)
        .hint(hint)
}

/// Reads one Markdown file of `content/` (`rel` is relative to it) as UTF-8.
pub fn read_source(content_dir: &Path, rel: &Path) -> Result<SourceFile, Diagnostic> {
    let abs = content_dir.join(rel);
    let key = to_key(rel);
    let display = Path::new("content").join(rel);
    let bytes = std::fs::read(&abs).map_err(|e| {
        Diagnostic::error(Code::InputRead, format!("cannot read the file: {e}")).in_file(&display)
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy: Arc<str> = String::from_utf8_lossy(e.as_bytes()).as_ref().into();
            return Err(
                Diagnostic::error(Code::InputUtf8, "the file is not valid UTF-8")
                    .at(&display, &lossy, at..at)
                    .label("this byte is not UTF-8")
                    .hint("save the file as UTF-8 in your editor"),
            );
        }
    };
    Ok(SourceFile {
        key,
        display,
        abs,
        text: text.into(),
    })
}

fn parse_source(file: SourceFile, lenient: bool) -> Result<Parsed, Diagnostic> {
    let split = front_matter::split(&file.text, &file.display, &file.text)?;
    let body_offset = split.body_offset;
    fn typed<T: serde::de::DeserializeOwned>(
        split: &front_matter::Split<'_>,
        file: &SourceFile,
        lenient: bool,
    ) -> Result<(T, Vec<Diagnostic>), Diagnostic> {
        if lenient {
            front_matter::parse_lenient(split, &file.display, &file.text)
        } else {
            front_matter::parse(split, &file.display, &file.text).map(|v| (v, Vec::new()))
        }
    }
    let (kind, warnings) = if file.key.rsplit('/').next() == Some("_index.md") {
        let (meta, w) = typed(&split, &file, lenient)?;
        (ParsedKind::Section(Box::new(meta)), w)
    } else {
        let (meta, w) = typed(&split, &file, lenient)?;
        (ParsedKind::Page(Box::new(meta)), w)
    };
    Ok(Parsed {
        file,
        kind,
        body_offset,
        warnings,
    })
}

fn sort_sections(content: &mut Site) {
    let Site {
        pages, sections, ..
    } = content;
    for s in sections.iter_mut() {
        let by = s.meta.sort_by;
        s.pages.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a.0], &pages[b.0]);
            let primary = match by {
                SortBy::Date => pb.date.cmp(&pa.date),
                SortBy::Weight => pa
                    .meta
                    .weight
                    .unwrap_or(i64::MAX)
                    .cmp(&pb.meta.weight.unwrap_or(i64::MAX)),
                SortBy::Title => pa.title().to_lowercase().cmp(&pb.title().to_lowercase()),
                SortBy::None => std::cmp::Ordering::Equal,
            };
            primary.then_with(|| pa.file.key.cmp(&pb.file.key))
        });
    }
    let keys: Vec<(i64, String)> = sections
        .iter()
        .map(|s| (s.meta.weight.unwrap_or(i64::MAX), s.title().to_lowercase()))
        .collect();
    for s in sections.iter_mut() {
        s.subsections.sort_by(|&a, &b| keys[a.0].cmp(&keys[b.0]));
    }
}

fn to_key(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn parent_dir(key: &str) -> String {
    key.rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default()
}

fn nearest_section(dir: &str, by_dir: &HashMap<String, usize>) -> usize {
    let mut d = dir.to_string();
    loop {
        if let Some(&i) = by_dir.get(&d) {
            return i;
        }
        if d.is_empty() {
            return 0;
        }
        d = parent_dir(&d);
    }
}

/// `conditions/knee` → `/conditions/knee/`.
fn dir_path(dir: &str) -> String {
    let mut p = String::from("/");
    for part in dir.split('/').filter(|s| !s.is_empty()) {
        p.push_str(&slug::slugify(part));
        p.push('/');
    }
    p
}

/// A user-written URL path, normalised, or a diagnostic at the field when it could
/// leave the output folder.
fn checked_url_path(
    file: &SourceFile,
    field: &str,
    raw: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    match outpath::url_path(raw) {
        Ok(p) => Some(p),
        Err(e) => {
            diags.push(unsafe_path(file, field, raw, e));
            None
        }
    }
}

/// Normalises `aliases` in place; false (with diagnostics) if any is unsafe.
fn check_aliases(file: &SourceFile, aliases: &mut [String], diags: &mut Vec<Diagnostic>) -> bool {
    let mut ok = true;
    for a in aliases.iter_mut() {
        match checked_url_path(file, "aliases", a, diags) {
            Some(p) => *a = p,
            None => ok = false,
        }
    }
    ok
}

fn unsafe_path(file: &SourceFile, field: &str, raw: &str, e: outpath::PathError) -> Diagnostic {
    let from = file.text.find(field).unwrap_or(0);
    Diagnostic::error(
        Code::ContentUnsafePath,
        format!(
            "`{field}` value `{}` is not a safe path: {}",
            raw.escape_debug(),
            e.describe()
        ),
    )
    .at(&file.display, &file.text, value_span(&file.text, from, raw))
    .label("this path")
    .hint("write a path inside the site, such as `/old-name/`, without `..` or `\\`")
}

/// `2024-05-01-neck-pain` → (that date, `neck-pain`), as Zola does.
fn split_date_prefix(stem: &str) -> (Option<PageDate>, &str) {
    if stem.len() > 11 {
        if let (Some(d), Some(rest)) = (stem.get(..10), stem.get(11..)) {
            let sep = stem.as_bytes()[10];
            if sep == b'-' || sep == b'_' {
                if let Some(date) = PageDate::parse(d) {
                    return (Some(date), rest);
                }
            }
        }
    }
    (None, stem)
}
