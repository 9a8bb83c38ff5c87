//! The site model: what the author wrote, loaded and linked into a tree, and
//! nothing computed from it later. Every later stage reads it; derived data
//! (rendered bodies, backlinks, related pages…) lives in `crate::derived`,
//! keyed by the typed ids defined here.
//!
//! Imports nothing above `config` and `diagnostics`.

pub mod front_matter;
pub mod health;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{Config, TaxonomyConfig};
use front_matter::{PageDate, PageFrontMatter, SectionFrontMatter};

/// A page, by its position in [`Site::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageId(pub usize);

/// A section, by its position in [`Site::sections`]; 0 is the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SectionId(pub usize);

/// A taxonomy, by its position in [`Site::taxonomies`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaxonomyId(pub usize);

/// A term: its taxonomy and its position among that taxonomy's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TermId {
    /// The taxonomy.
    pub taxonomy: TaxonomyId,
    /// Position in [`Taxonomy::terms`].
    pub term: usize,
}

impl SectionId {
    /// The root section (the home page).
    pub const ROOT: SectionId = SectionId(0);
}

/// One Markdown file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to `content/`, with `/` separators: the `@/` key.
    pub key: String,
    /// Path shown in diagnostics (`content/…`).
    pub display: PathBuf,
    /// Absolute path on disk.
    pub abs: PathBuf,
    /// The whole file.
    pub text: Arc<str>,
}

/// A page: any `.md` file other than `_index.md`.
#[derive(Debug, Clone)]
pub struct Page {
    /// Where it came from.
    pub file: SourceFile,
    /// Parsed front matter.
    pub meta: PageFrontMatter,
    /// Byte offset of the body in `file.text`.
    pub body_offset: usize,
    /// The parent section.
    pub section: SectionId,
    /// Last URL segment.
    pub slug: String,
    /// URL path, `/conditions/neck-pain/`.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Publication date (front matter, else a date prefix of the file name).
    pub date: Option<PageDate>,
    /// Files of a page bundle, copied next to the page.
    pub assets: Vec<PathBuf>,
    /// Folder holding the page's own files (for image sizes).
    pub dir: PathBuf,
}

impl Page {
    /// The title, or the slug when the front matter has none.
    pub fn title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or(&self.slug)
    }

    /// The URL paths of its bundle's files, as templates and shortcodes see
    /// them (`page.assets`): `/conditions/knee-pain/roller.svg`.
    pub fn asset_urls(&self) -> impl Iterator<Item = String> + '_ {
        self.assets
            .iter()
            .filter_map(|a| a.file_name())
            .map(|f| format!("{}{}", self.path, f.to_string_lossy()))
    }
}

/// A section: an `_index.md` file, or the implicit root.
#[derive(Debug, Clone)]
pub struct Section {
    /// Where it came from.
    pub file: SourceFile,
    /// Parsed front matter.
    pub meta: SectionFrontMatter,
    /// Byte offset of the body.
    pub body_offset: usize,
    /// Folder relative to `content/` (`""` for the root).
    pub dir: String,
    /// URL path, `/conditions/`.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Parent section, `None` for the root.
    pub parent: Option<SectionId>,
    /// Pages, sorted by `sort_by`.
    pub pages: Vec<PageId>,
    /// Child sections, sorted by weight then title.
    pub subsections: Vec<SectionId>,
}

impl Section {
    /// The title, or the folder name.
    pub fn title(&self) -> &str {
        self.meta
            .title
            .as_deref()
            .unwrap_or(if self.dir.is_empty() {
                "Home"
            } else {
                &self.dir
            })
    }
}

/// A page or section, as an `@/` link can name either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A page.
    Page(PageId),
    /// A section.
    Section(SectionId),
}

/// One taxonomy with its terms.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Its `site.toml` entry.
    pub config: TaxonomyConfig,
    /// URL segment, `body-areas`.
    pub slug: String,
    /// URL path, `/body-areas/`.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Terms sorted by name.
    pub terms: Vec<Term>,
}

/// One term with the pages that carry it.
#[derive(Debug, Clone)]
pub struct Term {
    /// Display name: the first spelling met, trimmed.
    pub name: String,
    /// URL segment.
    pub slug: String,
    /// URL path, `/tags/neck/`.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Pages, newest first, then by title.
    pub pages: Vec<PageId>,
}

/// The loaded site: configuration, pages, sections and taxonomies. Input only.
#[derive(Debug)]
pub struct Site {
    /// `site.toml`.
    pub config: Config,
    /// Site root.
    pub root: PathBuf,
    /// Pages in file-path order.
    pub pages: Vec<Page>,
    /// Sections; [`SectionId::ROOT`] is the home page.
    pub sections: Vec<Section>,
    /// Taxonomies with their terms.
    pub taxonomies: Vec<Taxonomy>,
    /// `@/` key (`conditions/neck-pain.md`) to target.
    pub by_key: HashMap<String, Target>,
    /// Static files found under `content/` outside page bundles: (absolute, output path).
    pub files: Vec<(PathBuf, String)>,
    /// Keys of draft pages left out of this build, so links to them explain themselves.
    pub drafts: Vec<String>,
    /// Keys of files that failed to load; links to them are not reported a second time.
    pub broken: Vec<String>,
}

impl std::ops::Index<PageId> for Site {
    type Output = Page;
    fn index(&self, id: PageId) -> &Page {
        &self.pages[id.0]
    }
}

impl std::ops::Index<SectionId> for Site {
    type Output = Section;
    fn index(&self, id: SectionId) -> &Section {
        &self.sections[id.0]
    }
}

impl std::ops::Index<TaxonomyId> for Site {
    type Output = Taxonomy;
    fn index(&self, id: TaxonomyId) -> &Taxonomy {
        &self.taxonomies[id.0]
    }
}

impl std::ops::Index<TermId> for Site {
    type Output = Term;
    fn index(&self, id: TermId) -> &Term {
        &self.taxonomies[id.taxonomy.0].terms[id.term]
    }
}

impl Site {
    /// Lets go of the text of every content file, once nothing reads it any
    /// more: `build` renders and writes from the parsed model. Problems
    /// found after this point can name a file but not point into it.
    pub fn release_sources(&mut self) {
        let empty: Arc<str> = Arc::from("");
        for p in &mut self.pages {
            p.file.text = empty.clone();
        }
        for s in &mut self.sections {
            s.file.text = empty.clone();
        }
    }

    /// Every page id, in file-path order.
    pub fn page_ids(&self) -> impl ExactSizeIterator<Item = PageId> {
        (0..self.pages.len()).map(PageId)
    }

    /// Every section id, root first.
    pub fn section_ids(&self) -> impl ExactSizeIterator<Item = SectionId> {
        (0..self.sections.len()).map(SectionId)
    }

    /// The absolute URL of a target.
    pub fn permalink(&self, t: Target) -> &str {
        match t {
            Target::Page(i) => &self[i].permalink,
            Target::Section(i) => &self[i].permalink,
        }
    }

    /// The title of a target.
    pub fn title(&self, t: Target) -> &str {
        match t {
            Target::Page(i) => self[i].title(),
            Target::Section(i) => self[i].title(),
        }
    }

    /// The file of a target.
    pub fn file(&self, t: Target) -> &SourceFile {
        match t {
            Target::Page(i) => &self[i].file,
            Target::Section(i) => &self[i].file,
        }
    }

    /// Resolves an `@/` path (without the `@/`), tolerating a leading `/` or `content/`.
    pub fn resolve(&self, key: &str) -> Option<Target> {
        let key = key.trim_start_matches('/');
        let key = key.strip_prefix("content/").unwrap_or(key);
        self.by_key.get(key).copied()
    }

    /// One index space for pages and sections, as `@/` links carry it
    /// through Markdown (pages first, then sections).
    pub fn link_index(&self, t: Target) -> usize {
        match t {
            Target::Page(i) => i.0,
            Target::Section(i) => self.pages.len() + i.0,
        }
    }

    /// The page or section of a [`Site::link_index`].
    pub fn link_target(&self, i: usize) -> Target {
        match i.checked_sub(self.pages.len()) {
            None => Target::Page(PageId(i)),
            Some(s) => Target::Section(SectionId(s)),
        }
    }

    /// The sections from the root down to `section`, inclusive.
    pub fn ancestors(&self, section: SectionId) -> Vec<SectionId> {
        let mut chain = vec![section];
        let mut cur = section;
        while let Some(p) = self[cur].parent {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        chain
    }
}

/// Files that editors leave behind while saving; never content.
pub fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
}

/// True for names a folder walk leaves out: editor temp files and, unless
/// `dotfiles`, every name starting with `.`. With `dotfiles` (static files),
/// `.nojekyll` or `.well-known/` are kept, while `.git`, `.DS_Store` and
/// editor files such as `.page.md.swp` or `.#page.md` are still left out.
pub fn is_skipped_name(name: &str, dotfiles: bool) -> bool {
    match name.strip_prefix('.') {
        Some(rest) if dotfiles && !rest.is_empty() => {
            name == ".git" || name == ".DS_Store" || rest.starts_with('#') || is_editor_temp(rest)
        }
        _ => is_editor_temp(name),
    }
}

/// TOML values as JSON for templates; datetimes become their text.
pub fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => table_to_json(t),
    }
}

/// A TOML table (`extra`) as a JSON object for templates, as [`toml_to_json`].
pub fn table_to_json(t: &toml::Table) -> serde_json::Value {
    serde_json::Value::Object(
        t.iter()
            .map(|(k, v)| (k.clone(), toml_to_json(v)))
            .collect(),
    )
}
