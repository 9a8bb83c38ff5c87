//! A Zola `config.toml` read as fascia's [`Config`]: used when a site has
//! `config.toml` and no `site.toml`, and by `fascia init --from-zola`, which
//! writes the result as `site.toml`.
//!
//! Every key with a meaning in fascia is mapped (`default_language` becomes
//! `language`, `generate_feeds` `generate_feed`, `[markdown]`, `[link_checker]`,
//! `[slugify] anchors`, `[extra]`, `[translations]`, taxonomies with
//! `paginate_by` and `feed`). A key fascia cannot honour gets one warning
//! (`config::zola-unsupported`) naming it, and the build goes on. Keys whose
//! value asks for nothing (`compile_sass = false`, `minify_html = false`) are
//! accepted silently.

use std::path::Path;
use std::sync::Arc;

use toml::{Table, Value};

use super::{toml_error, Config};
use crate::diagnostics::{Code, Diagnostic};

/// The name of Zola's configuration file.
pub const ZOLA_CONFIG_FILE: &str = "config.toml";

/// Top-level keys fascia takes over unchanged.
const SAME: &[&str] = &[
    "base_url",
    "title",
    "description",
    "theme",
    "output_dir",
    "author",
    "extra",
    "link_checker",
    "translations",
];

/// Top-level keys whose `false` (or empty) value matches what fascia does, and
/// why a true value cannot be honoured.
const OFF_OK: &[(&str, &str)] = &[
    (
        "compile_sass",
        "fascia does not compile Sass; commit the compiled CSS under static/",
    ),
    ("minify_html", "fascia does not minify HTML"),
    ("hard_link_static", "fascia copies static files"),
    (
        "build_search_index",
        "fascia has no search index yet; the search feature will read `[search]`",
    ),
    ("generate_robots_txt", "fascia always writes robots.txt"),
    ("generate_sitemap", "fascia always writes sitemap.xml"),
    (
        "preserve_dotfiles_in_output",
        "fascia manages its output folder itself",
    ),
];

/// Reads a Zola `config.toml`; the keys fascia cannot honour are in
/// `Config::warnings`.
pub fn parse(text: &str, file: &Path) -> Result<Config, Vec<Diagnostic>> {
    map(text, file).map(|(_, config)| config)
}

/// The `site.toml` equivalent to a Zola `config.toml`, with the keys it
/// cannot honour listed in a comment at its top and returned as warnings.
pub fn site_toml(text: &str, file: &Path) -> Result<(String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (table, config) = map(text, file)?;
    let mut out = String::from("# Written by `fascia init --from-zola` from config.toml.\n");
    for d in &config.warnings {
        let at = d
            .line_col()
            .map_or(String::new(), |(l, c)| format!(" (config.toml:{l}:{c})"));
        out.push_str(&format!("# Ignored{at}: {}\n", d.message));
    }
    out.push('\n');
    let body = toml::to_string(&table).map_err(|e| {
        vec![
            Diagnostic::error(Code::TomlSyntax, format!("cannot write site.toml: {e}"))
                .in_file(file),
        ]
    })?;
    out.push_str(&body);
    Ok((out, config.warnings))
}

fn map(text: &str, file: &Path) -> Result<(Table, Config), Vec<Diagnostic>> {
    let source: Arc<str> = text.into();
    let zola: Table = toml::from_str(text).map_err(|e| vec![toml_error(&e, file, &source, 0)])?;
    let mut m = Mapper {
        text,
        file,
        source: &source,
        out: Table::new(),
        warnings: Vec::new(),
    };
    for (key, value) in &zola {
        m.top(key, value);
    }
    // Zola ignores front matter fields it does not know; so does fascia here.
    m.out
        .insert("unknown_front_matter".into(), Value::String("warn".into()));
    let mut warnings = std::mem::take(&mut m.warnings);
    warnings.sort_by_key(|d| d.span.as_ref().map_or(usize::MAX, |s| s.start));
    let mut config = Config::from_table(m.out.clone(), text, file)?;
    config.warnings = warnings;
    Ok((m.out, config))
}

struct Mapper<'a> {
    text: &'a str,
    file: &'a Path,
    source: &'a Arc<str>,
    out: Table,
    warnings: Vec<Diagnostic>,
}

impl Mapper<'_> {
    fn top(&mut self, key: &str, value: &Value) {
        if SAME.contains(&key) {
            self.out.insert(key.into(), value.clone());
            return;
        }
        if let Some((_, why)) = OFF_OK.iter().find(|(k, _)| *k == key) {
            if is_truthy(value) {
                self.warn(None, key, why);
            }
            return;
        }
        match key {
            "default_language" => {
                self.out.insert("language".into(), value.clone());
            }
            "generate_feeds" | "generate_feed" => {
                self.out.insert("generate_feed".into(), value.clone());
            }
            "feed_filenames" | "feed_filename" => {
                let names: Vec<&str> = match value {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                if names.iter().any(|n| *n != "atom.xml") {
                    self.warn(None, key, "fascia writes one Atom feed, atom.xml");
                }
            }
            "taxonomies" => self.taxonomies(value),
            "markdown" => self.markdown(value),
            "slugify" => self.slugify(value),
            "search" => {
                // The mapping point for the search feature: until it lands,
                // `[search]` only matters when `build_search_index` is on, and
                // that key carries the warning.
            }
            "languages" if value.as_table().is_some_and(Table::is_empty) => {}
            "ignored_content"
            | "ignored_static"
            | "languages"
            | "feed_limit"
            | "mode"
            | "exclude_paginated_pages_in_sitemap" => {
                self.warn(None, key, "fascia has no such setting");
            }
            _ => self.warn(None, key, "not a Zola setting fascia knows"),
        }
    }

    fn taxonomies(&mut self, value: &Value) {
        let mut list = Vec::new();
        for t in value.as_array().map(Vec::as_slice).unwrap_or_default() {
            let Some(t) = t.as_table() else { continue };
            let mut out = Table::new();
            for (k, v) in t {
                match k.as_str() {
                    "name" | "paginate_by" | "feed" => {
                        out.insert(k.clone(), v.clone());
                    }
                    "rss" => {
                        out.insert("feed".into(), v.clone());
                    }
                    "render" if v.as_bool() == Some(true) => {}
                    "paginate_path" if v.as_str() == Some("page") => {}
                    _ => self.warn(
                        Some("taxonomies"),
                        k,
                        "fascia's taxonomies take `name`, `paginate_by` and `feed`",
                    ),
                }
            }
            list.push(Value::Table(out));
        }
        self.out.insert("taxonomies".into(), Value::Array(list));
    }

    fn markdown(&mut self, value: &Value) {
        let mut out = Table::new();
        for (k, v) in value.as_table().into_iter().flatten() {
            match k.as_str() {
                "highlight_code"
                | "smart_punctuation"
                | "external_links_target_blank"
                | "external_links_no_follow"
                | "external_links_no_referrer"
                | "external_links_class" => {
                    out.insert(k.clone(), v.clone());
                }
                "render_emoji"
                | "bottom_footnotes"
                | "extra_syntaxes_and_themes"
                | "highlight_themes_css"
                | "insert_anchor_links"
                    if !is_truthy(v) => {}
                "lazy_async_image" => {} // fascia's images are always lazy and async
                "highlight_theme" => {
                    if v.as_str() != Some("css") {
                        self.warn(
                            Some("markdown"),
                            k,
                            "fascia highlights code with CSS classes; the theme's stylesheet colours them",
                        );
                    }
                }
                "highlighting" => self.warn(
                    Some("markdown"),
                    k,
                    "fascia highlights code with CSS classes; the theme's stylesheet colours them",
                ),
                _ => self.warn(Some("markdown"), k, "fascia has no such Markdown option"),
            }
        }
        self.out.insert("markdown".into(), Value::Table(out));
    }

    fn slugify(&mut self, value: &Value) {
        let mut out = Table::new();
        for (k, v) in value.as_table().into_iter().flatten() {
            match k.as_str() {
                "anchors" => {
                    out.insert(k.clone(), v.clone());
                }
                "paths" | "taxonomies" if v.as_str() == Some("on") => {}
                "paths_keep_dates" if !is_truthy(v) => {}
                _ => self.warn(
                    Some("slugify"),
                    k,
                    "fascia slugifies paths and terms its own way; only `anchors` is honoured",
                ),
            }
        }
        self.out.insert("slugify".into(), Value::Table(out));
    }

    /// One warning for a key fascia cannot honour, at the key in the file.
    fn warn(&mut self, table: Option<&str>, key: &str, why: &str) {
        let name = match table {
            Some(t) => format!("{t}.{key}"),
            None => key.to_string(),
        };
        let d = Diagnostic::warning(
            Code::ConfigZolaUnsupported,
            format!("`{name}` in config.toml is not supported by fascia; it is ignored"),
        )
        .hint(why.to_string());
        let d = match key_span(self.text, table, key) {
            Some(span) => d.at(self.file, self.source, span).label("ignored"),
            None => d.in_file(self.file),
        };
        self.warnings.push(d);
    }
}

/// True for `true`, a non-empty string, array or table, and a non-zero number.
fn is_truthy(v: &Value) -> bool {
    match v {
        Value::Boolean(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Table(t) => !t.is_empty(),
        Value::Integer(i) => *i != 0,
        _ => true,
    }
}

/// Where `key` is written (after `[table]` when given): a line starting with
/// the key, or `[key]` / `[[key]]` for a table, or the key inside an inline table.
fn key_span(text: &str, table: Option<&str>, key: &str) -> Option<std::ops::Range<usize>> {
    let from = match table {
        Some(t) => {
            let header = format!("[{t}]");
            text.find(&header)
                .or_else(|| text.find(&format!("[{t}.")))
                .or_else(|| text.find(&format!("{t} =")))
                .or_else(|| text.find(&format!("{t}=")))
                .unwrap_or(0)
        }
        None => 0,
    };
    let mut pos = from;
    for line in text[from..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let at = pos + indent;
        let is_key = trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with('=');
        let is_header = trimmed.starts_with(&format!("[{key}]"))
            || table.is_some_and(|t| trimmed.starts_with(&format!("[{t}.{key}]")))
            || trimmed.starts_with(&format!("[[{key}]]"))
            || table.is_none() && trimmed.starts_with(&format!("[{key}."));
        if is_key {
            return Some(at..at + key.len());
        }
        if is_header {
            let start = at + trimmed.find(key).unwrap_or(0);
            return Some(start..start + key.len());
        }
        // Inline tables: `{ name = "tags", render = false }`.
        if table.is_some() {
            if let Some(i) = trimmed.find(&format!(" {key} =")) {
                let start = at + i + 1;
                return Some(start..start + key.len());
            }
        }
        pos += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZOLA: &str = r#"base_url = "https://example.org/"
title = "Blog"
default_language = "fr"
compile_sass = true
minify_html = false
generate_feeds = true
feed_filenames = ["atom.xml", "rss.xml"]
taxonomies = [{ name = "tags", feed = true, paginate_by = 5 }, { name = "series", render = false }]

[markdown]
highlight_code = true
highlight_theme = "base16-ocean-dark"
external_links_no_follow = true
render_emoji = false

[slugify]
anchors = "safe"

[languages.de]
title = "Blog"

[extra]
author = "Ada"
"#;

    #[test]
    fn keys_map_and_the_rest_warn_once_each_at_their_place() {
        let c = parse(ZOLA, Path::new("config.toml")).unwrap();
        assert_eq!(c.base_url, "https://example.org");
        assert_eq!(c.language, "fr");
        assert!(c.generate_feed);
        assert_eq!(c.taxonomies.len(), 2);
        assert_eq!(c.taxonomies[0].paginate_by, Some(5));
        assert!(c.taxonomies[0].feed);
        assert!(c.markdown.external_links_no_follow);
        assert_eq!(c.markdown.anchors, super::super::SlugifyStrategy::Safe);
        assert_eq!(c.extra["author"].as_str(), Some("Ada"));
        let warned: Vec<(String, Option<(usize, usize)>)> = c
            .warnings
            .iter()
            .map(|d| (d.message.clone(), d.line_col()))
            .collect();
        let names: Vec<&str> = warned
            .iter()
            .map(|(m, _)| m.split('`').nth(1).unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "compile_sass",
                "feed_filenames",
                "taxonomies.render",
                "markdown.highlight_theme",
                "languages",
            ],
            "{warned:?}"
        );
        assert_eq!(warned[0].1, Some((4, 1)));
        assert_eq!(warned[2].1, Some((8, 83)));
        assert_eq!(warned[3].1, Some((12, 1)));
        assert_eq!(warned[4].1, Some((19, 2)));
    }

    #[test]
    fn site_toml_round_trips() {
        let (text, warnings) = site_toml(ZOLA, Path::new("config.toml")).unwrap();
        assert_eq!(warnings.len(), 5);
        assert!(
            text.contains("# Ignored (config.toml:4:1): `compile_sass`"),
            "{text}"
        );
        let c = Config::parse(&text, Path::new("site.toml")).unwrap();
        assert_eq!(c.language, "fr");
        assert_eq!(c.markdown.anchors, super::super::SlugifyStrategy::Safe);
        assert_eq!(c.taxonomies[1].name, "series");
    }
}
