//! `site.toml` → [`Config`].

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{unknown_field_hint, value_span, Code, Diagnostic};
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
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_code: true,
            smart_punctuation: true,
            external_links_target_blank: false,
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
}

impl Default for FaqConfig {
    fn default() -> Self {
        FaqConfig {
            enabled: true,
            path: default_faq_path(),
            title: default_faq_title(),
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
fn default_faq_title() -> String {
    "Frequently asked questions".into()
}

impl Config {
    /// Parses `site.toml` text; `file` is only used in diagnostics.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Vec<Diagnostic>> {
        let source: Arc<str> = text.into();
        let mut config: Config =
            toml::from_str(text).map_err(|e| vec![toml_error(&e, file, &source, 0)])?;
        let mut diags = Vec::new();
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
            Ok(config)
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
    }

    /// Loads `site.toml` from a site root.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read(&path).map_err(|e| {
            vec![Diagnostic::error(
                Code::ConfigMissing,
                format!("cannot read {CONFIG_FILE}: {e}"),
            )
            .in_file(CONFIG_FILE)
            .hint("run `fascia init DIR` to start a site, or pass `--root`")]
        })?;
        let text = String::from_utf8(text).map_err(|e| {
            vec![
                Diagnostic::error(Code::InputUtf8, format!("{CONFIG_FILE} is not valid UTF-8")).at(
                    CONFIG_FILE,
                    &Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref()),
                    e.utf8_error().valid_up_to()..e.utf8_error().valid_up_to(),
                ),
            ]
        })?;
        Config::parse(&text, Path::new(CONFIG_FILE))
    }

    /// The weight of one shared term of `taxonomy` in the related score.
    pub fn related_weight(&self, taxonomy: &str) -> u32 {
        self.related.weights.get(taxonomy).copied().unwrap_or(100)
    }

    /// An absolute URL for a site path such as `/conditions/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// Turns a TOML error into a diagnostic at its position in the whole file.
pub fn toml_error(
    e: &toml::de::Error,
    file: &Path,
    source: &Arc<str>,
    offset: usize,
) -> Diagnostic {
    let span = e
        .span()
        .map(|s| s.start + offset..s.end + offset)
        .unwrap_or(offset..offset);
    let message = e.message().trim().to_string();
    if let Some((field, hint)) = unknown_field_hint(&message) {
        return Diagnostic::error(Code::TomlUnknownField, format!("unknown field `{field}`"))
            .at(file, source, span)
            .label("not a known field")
            .hint(hint);
    }
    let hint = if message.contains("string") && message.contains("newline")
        || message.contains("unterminated")
        || message.contains("invalid basic string")
    {
        Some("close the string with a matching `\"` on the same line")
    } else if message.contains("missing field") {
        Some("add the field")
    } else {
        None
    };
    let mut d = Diagnostic::error(Code::TomlSyntax, message).at(file, source, span);
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}
