//! `site.toml` → [`Config`].

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

pub mod health;
pub mod lint;
pub mod toml_read;
pub mod zola;

pub use toml_read::toml_error;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{value_span, Code, Diagnostic};
use crate::outpath;

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// The whole site configuration.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title.
    #[serde(default)]
    pub title: String,
    /// Site description, used on the home page and in the feed.
    #[serde(default)]
    pub description: String,
    /// Absolute URL the site is deployed at, without a trailing slash once loaded.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Language code for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// Theme folder under `themes/`; the embedded `guide` theme when absent.
    #[serde(default)]
    pub theme: Option<String>,
    /// Where the site is written, relative to the root.
    #[serde(default = "default_output_dir")]
    pub output_dir: String,
    /// Taxonomies such as tags.
    #[serde(default)]
    pub taxonomies: Vec<TaxonomyConfig>,
    /// Markdown rendering options.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// "Also interesting" options.
    #[serde(default)]
    pub related: RelatedConfig,
    /// Site-wide FAQ page options.
    #[serde(default)]
    pub faq: FaqConfig,
    /// Site search options.
    #[serde(default)]
    pub search: SearchConfig,
    /// Whether to write the site Atom feed.
    #[serde(default = "yes")]
    pub generate_feed: bool,
    /// Author named in Article JSON-LD.
    #[serde(default)]
    pub author: Option<String>,
    /// Publisher named in Article JSON-LD (defaults to the title).
    #[serde(default)]
    pub publisher: Option<String>,
    /// Free-form values passed to templates unchanged.
    #[serde(default)]
    pub extra: toml::Table,
    /// Zola's `[translations]` of the default language, for `trans(key=…)`.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    pub translations: toml::Table,
    /// `[health]`: medical pages, review interval, urgency callouts.
    #[serde(default, skip_serializing)]
    pub health: health::HealthConfig,
    /// `[reviewers.KEY]`: who reviews pages, named by key in `[review] by`.
    #[serde(default, skip_serializing)]
    pub reviewers: BTreeMap<String, health::Reviewer>,
    /// `[lint]`: the content lint's rules and levels.
    #[serde(default, skip_serializing)]
    pub lint: lint::LintConfig,
    /// `[build]`: limits of a build.
    #[serde(default)]
    pub build: BuildConfig,
    /// `[link_checker]`: how missing anchors are reported (Zola's table).
    #[serde(default)]
    pub link_checker: LinkCheckerConfig,
    /// Unknown top-level front matter fields: `"error"` (the default), or
    /// `"warn"` to leave them out as Zola does (the default for a Zola `config.toml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_front_matter: Option<LinkLevel>,
    /// `[slugify]`: how heading ids are made (Zola's table; only `anchors`).
    #[serde(default)]
    pub slugify: SlugifyConfig,
    /// Warnings found while reading the configuration (a Zola `config.toml`'s
    /// keys fascia cannot honour); the build reports them and goes on.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// `[build]`: limits of a build.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BuildConfig {
    /// How long one output may take to render before the build stops with
    /// an error naming its template and page, like Hugo's `timeout`.
    #[serde(default = "default_render_timeout_ms")]
    pub render_timeout_ms: u64,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            render_timeout_ms: default_render_timeout_ms(),
        }
    }
}

fn default_render_timeout_ms() -> u64 {
    30_000
}

/// `[link_checker]`, as in Zola.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkCheckerConfig {
    /// How a link to a missing heading id is reported. Unset: `@/page.md#id`
    /// is an error (as in Zola) and a same-page `#id` a warning; set, it
    /// applies to both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_level: Option<LinkLevel>,
    /// Accepted for Zola compatibility; `check --external` has its own rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_level: Option<LinkLevel>,
    /// Accepted for Zola compatibility.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skip_prefixes: Vec<String>,
    /// Accepted for Zola compatibility.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skip_anchor_prefixes: Vec<String>,
}

impl LinkCheckerConfig {
    /// Whether a missing anchor is an error: `same_page` for `#id`, else `@/page.md#id`.
    pub fn anchor_is_error(&self, same_page: bool) -> bool {
        match self.internal_level {
            Some(level) => level == LinkLevel::Error,
            None => !same_page,
        }
    }
}

/// `"error"` or `"warn"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkLevel {
    /// Stops the build.
    Error,
    /// Reported; the build goes on.
    Warn,
}

/// `[slugify]`, as in Zola; fascia honours `anchors`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SlugifyConfig {
    /// How heading ids are made from heading text.
    #[serde(default)]
    pub anchors: SlugifyStrategy,
}

/// Zola's slugify strategies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SlugifyStrategy {
    /// Lowercase ASCII words joined by `-` ("✨ Features" → `features`).
    #[default]
    On,
    /// Keeps the text and its case; whitespace becomes `_` and characters
    /// unsafe in a URL fragment or file name are removed.
    Safe,
    /// The text as written, trimmed.
    Off,
}

impl SlugifyStrategy {
    /// The id for heading text `text`.
    pub fn apply(self, text: &str) -> String {
        match self {
            SlugifyStrategy::On => slug::slugify(text),
            SlugifyStrategy::Safe => {
                let mut out = String::with_capacity(text.len());
                for c in text.trim().chars() {
                    if c.is_whitespace() {
                        out.push('_');
                    } else if !"<>:/|?*#\\()[]{}^`%\"'".contains(c) && !c.is_control() {
                        out.push(c);
                    }
                }
                out
            }
            SlugifyStrategy::Off => text.trim().to_string(),
        }
    }
}

/// One taxonomy, e.g. `{ name = "tags", paginate_by = 20, feed = true }`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// The key used in front matter and the URL.
    pub name: String,
    /// Pages per term page; all on one page when absent.
    #[serde(default)]
    pub paginate_by: Option<usize>,
    /// Whether each term gets an Atom feed.
    #[serde(default)]
    pub feed: bool,
}

/// `[markdown]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Highlight fenced code with CSS classes.
    #[serde(default = "yes")]
    pub highlight_code: bool,
    /// Curly quotes, dashes and ellipses.
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
    /// External links open in a new tab with `rel="noopener"`.
    #[serde(default)]
    pub external_links_target_blank: bool,
    /// External links get `rel="nofollow"`.
    #[serde(default)]
    pub external_links_no_follow: bool,
    /// External links get `rel="noreferrer"`.
    #[serde(default)]
    pub external_links_no_referrer: bool,
    /// A class for external links (Zola's `external_links_class`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_links_class: Option<String>,
    /// How heading ids are made: `[slugify] anchors`, copied here when loading.
    #[serde(skip)]
    pub anchors: SlugifyStrategy,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_code: true,
            smart_punctuation: true,
            external_links_target_blank: false,
            external_links_no_follow: false,
            external_links_no_referrer: false,
            external_links_class: None,
            anchors: SlugifyStrategy::On,
        }
    }
}

/// `[related]`: how "Also interesting" is computed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RelatedConfig {
    /// Entries per page.
    #[serde(default = "default_related_limit")]
    pub limit: usize,
    /// Terms carried by more than this share of all pages are ignored.
    #[serde(default = "default_cutoff")]
    pub common_term_cutoff: f64,
    /// Score added when a candidate is in the same section.
    #[serde(default = "default_section_bonus")]
    pub section_bonus: u32,
    /// Score per shared term, by taxonomy; unlisted taxonomies weigh 100.
    #[serde(default)]
    pub weights: BTreeMap<String, u32>,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            limit: default_related_limit(),
            common_term_cutoff: default_cutoff(),
            section_bonus: default_section_bonus(),
            weights: BTreeMap::new(),
        }
    }
}

/// `[faq]`: the site-wide FAQ page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaqConfig {
    /// Whether `/faq/` is generated.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// URL path of the page.
    #[serde(default = "default_faq_path")]
    pub path: String,
    /// Title of the page.
    #[serde(default = "default_faq_title")]
    pub title: String,
    /// Questions per page; unset or 0 puts every question on one page.
    #[serde(default)]
    pub paginate_by: Option<usize>,
    /// The folder of pages 2, 3, … (`/faq/page/2/`).
    #[serde(default = "default_paginate_path")]
    pub paginate_path: String,
}

impl Default for FaqConfig {
    fn default() -> Self {
        FaqConfig {
            enabled: true,
            path: default_faq_path(),
            title: default_faq_title(),
            paginate_by: None,
            paginate_path: default_paginate_path(),
        }
    }
}

/// `[search]`: the static search index and the search page.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// On or off; when absent, search is on if the theme has a `search.html`
    /// template (the bundled `guide` theme has).
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Groups of equal terms: a page that uses one term of a group is also
    /// found by the others, e.g. `[["runner's knee", "iliotibial band", "ITBS"]]`.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

fn yes() -> bool {
    true
}
fn default_base_url() -> String {
    "http://localhost".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_output_dir() -> String {
    "public".into()
}
fn default_related_limit() -> usize {
    4
}
fn default_cutoff() -> f64 {
    0.5
}
fn default_section_bonus() -> u32 {
    30
}
fn default_faq_path() -> String {
    "faq".into()
}
fn default_paginate_path() -> String {
    "page".into()
}
fn default_faq_title() -> String {
    "Frequently asked questions".into()
}

impl Config {
    /// Parses `site.toml` text; `file` is only used in diagnostics.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Vec<Diagnostic>> {
        let source: Arc<str> = text.into();
        let config: Config =
            toml_read::from_str(text).map_err(|e| vec![toml_error(&e, file, &source, 0)])?;
        config.finish(text, file, &source)
    }

    /// A configuration from a table mapped from another format (Zola's
    /// `config.toml`); `text` is that file, for locating problems.
    pub fn from_table(
        table: toml::Table,
        text: &str,
        file: &Path,
    ) -> Result<Config, Vec<Diagnostic>> {
        let source: Arc<str> = text.into();
        let config = Config::deserialize(toml::Value::Table(table)).map_err(|e| {
            vec![Diagnostic::error(Code::TomlSyntax, e.message().trim().to_string()).in_file(file)]
        })?;
        config.finish(text, file, &source)
    }

    /// Checks and normalises a parsed configuration.
    fn finish(
        mut self,
        text: &str,
        file: &Path,
        source: &Arc<str>,
    ) -> Result<Config, Vec<Diagnostic>> {
        let config = &mut self;
        let source = source.clone();
        let mut diags = Vec::new();
        config.markdown.anchors = config.slugify.anchors;
        config.base_url = config.base_url.trim_end_matches('/').to_string();
        if !(config.base_url.starts_with("http://") || config.base_url.starts_with("https://")) {
            let at = text.find(&config.base_url).unwrap_or(0);
            diags.push(
                Diagnostic::error(Code::ConfigBaseUrl, "`base_url` must be an absolute URL")
                    .at(file, &source, at..at + config.base_url.len())
                    .hint("write it with its scheme, e.g. `https://example.org/guides/`"),
            );
        }
        let mut seen = std::collections::HashSet::new();
        for t in &config.taxonomies {
            if !seen.insert(t.name.as_str()) {
                let at = text.rfind(&format!("\"{}\"", t.name)).unwrap_or(0);
                diags.push(
                    Diagnostic::error(
                        Code::ConfigTaxonomy,
                        format!("taxonomy `{}` is declared twice", t.name),
                    )
                    .at(file, &source, at..at + t.name.len() + 2)
                    .hint("remove one of the two entries"),
                );
            }
        }
        config.check_paths(text, file, &source, &mut diags);
        if diags.is_empty() {
            Ok(self)
        } else {
            Err(diags)
        }
    }

    /// Refuses paths in `site.toml` that could reach outside the site or its output
    /// folder; normalises `[faq] path`.
    fn check_paths(
        &mut self,
        text: &str,
        file: &Path,
        source: &Arc<str>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut refuse = |field: &str, value: &str, why: &str, hint: &str| {
            let from = text.find(field).unwrap_or(0);
            diags.push(
                Diagnostic::error(
                    Code::ConfigUnsafePath,
                    format!(
                        "`{field}` value `{}` is not allowed: {why}",
                        value.escape_debug()
                    ),
                )
                .at(file, source, value_span(text, from, value))
                .hint(hint.to_string()),
            );
        };
        let out = self.output_dir.trim_end_matches('/');
        let first = out.split('/').next().unwrap_or("");
        if !outpath::is_safe_rel(out) {
            refuse(
                "output_dir",
                &self.output_dir,
                "it must be a folder inside the site",
                "write a relative folder such as `public`; to build elsewhere, pass `--output` on the command line",
            );
        } else if ["content", "templates", "static", "themes", CONFIG_FILE].contains(&first) {
            refuse(
                "output_dir",
                &self.output_dir,
                "fascia's own input folders are never written",
                "choose a folder of its own, such as `public`",
            );
        }
        if let Some(theme) = &self.theme {
            if let Err(e) = outpath::segment(theme) {
                refuse(
                    "theme",
                    theme,
                    e.describe(),
                    "name a folder directly under `themes/`",
                );
            }
        }
        match outpath::url_path(&self.faq.path) {
            Ok(p) if p != "/" && p.ends_with('/') => {
                self.faq.path = p.trim_matches('/').to_string()
            }
            Ok(_) => refuse(
                "path",
                &self.faq.path,
                "the FAQ page needs a folder of its own",
                "write a path such as `faq` or `help/questions`",
            ),
            Err(e) => refuse(
                "path",
                &self.faq.path,
                e.describe(),
                "write a path such as `faq`",
            ),
        }
        if let Err(e) = outpath::segment(&self.faq.paginate_path) {
            refuse(
                "paginate_path",
                &self.faq.paginate_path,
                e.describe(),
                "write one folder name, such as `page`",
            );
        }
    }

    /// Loads `site.toml` from a site root.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        if !root.join(CONFIG_FILE).exists() && root.join(zola::ZOLA_CONFIG_FILE).is_file() {
            let file = zola::ZOLA_CONFIG_FILE;
            let text = read_text(&root.join(file), file)?;
            return zola::parse(&text, Path::new(file));
        }
        let text = read_text(&root.join(CONFIG_FILE), CONFIG_FILE)?;
        Config::parse(&text, Path::new(CONFIG_FILE))
    }
}

/// Reads a configuration file as UTF-8 text.
fn read_text(path: &Path, name: &str) -> Result<String, Vec<Diagnostic>> {
    let text = std::fs::read(path).map_err(|e| {
        vec![
            Diagnostic::error(Code::ConfigMissing, format!("cannot read {name}: {e}"))
                .in_file(name)
                .hint("run `fascia init DIR` to start a site, or pass `--root`"),
        ]
    })?;
    String::from_utf8(text).map_err(|e| {
        vec![
            Diagnostic::error(Code::InputUtf8, format!("{name} is not valid UTF-8")).at(
                name,
                &Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref()),
                e.utf8_error().valid_up_to()..e.utf8_error().valid_up_to(),
            ),
        ]
    })
}

impl Config {
    /// The weight of one shared term of `taxonomy` in the related score.
    pub fn related_weight(&self, taxonomy: &str) -> u32 {
        self.related.weights.get(taxonomy).copied().unwrap_or(100)
    }

    /// An absolute URL for a site path such as `/conditions/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
