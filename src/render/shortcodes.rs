//! Shortcode templates: `templates/shortcodes/NAME.html` (HTML) and
//! `NAME.md` (Markdown), from the theme and the site (the site's win), in a
//! Tera of their own. The links pass calls them through
//! [`ShortcodeRenderer`] before any page is rendered, so a shortcode sees its
//! page's front matter and URLs but none of the template functions that need
//! the rendered site (`get_page`, `get_section`…); `load_data` and the
//! `markdown` filter are there.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Map, Value};
use tera::{Context, Tera};

use super::theme::TemplateSource;
use crate::config::Config;
use crate::inputs::Reads;
use crate::markdown::shortcodes::{ShortcodeCall, ShortcodeKind, ShortcodeRenderer};
use crate::markdown::Resolved;
use crate::model::{table_to_json, Site};

const PREFIX: &str = "shortcodes/";

/// The site's shortcode templates.
pub struct ShortcodeTemplates {
    tera: Tera,
    kinds: HashMap<String, (ShortcodeKind, String, String)>,
    config: Value,
}

impl ShortcodeTemplates {
    /// The shortcodes among `templates` (later ones override earlier ones), or
    /// `None` when there are none. A template that does not parse is an error
    /// naming it.
    pub fn new(
        site: &Site,
        templates: &[TemplateSource],
        reads: &Arc<Reads>,
    ) -> Result<Option<ShortcodeTemplates>, String> {
        let mut latest: HashMap<&str, &TemplateSource> = HashMap::new();
        for t in templates {
            if t.name.starts_with(PREFIX) {
                latest.insert(&t.name, t);
            }
        }
        if latest.is_empty() {
            return Ok(None);
        }
        let mut kinds = HashMap::new();
        let mut tera = Tera::default();
        tera.set_escape_fn(super::escape);
        let mut sorted: Vec<&TemplateSource> = latest.into_values().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        for t in &sorted {
            let rest = &t.name[PREFIX.len()..];
            let (name, kind) = if let Some(n) = rest.strip_suffix(".html") {
                (n, ShortcodeKind::Html)
            } else if let Some(n) = rest.strip_suffix(".md") {
                (n, ShortcodeKind::Markdown)
            } else {
                continue;
            };
            // `NAME.html` wins over `NAME.md`, as in Zola.
            if kind == ShortcodeKind::Markdown && kinds.contains_key(name) {
                continue;
            }
            kinds.insert(name.to_string(), (kind, t.name.clone(), t.origin.clone()));
        }
        tera.add_raw_templates(sorted.iter().map(|t| (t.name.as_str(), t.text.as_str())))
            .map_err(|e| error_chain(&e))?;
        register_markdown(&mut tera, site);
        let (root, r) = (site.root.clone(), reads.clone());
        tera.register_function("load_data", move |args: &HashMap<String, Value>| {
            super::functions::load_data(&root, &r, args)
        });
        let (root, r) = (site.root.clone(), reads.clone());
        tera.register_function(
            "get_image_metadata",
            move |args: &HashMap<String, Value>| {
                super::functions::get_image_metadata(&root, &r, args)
            },
        );
        Ok(Some(ShortcodeTemplates {
            tera,
            kinds,
            config: config_value(&site.config),
        }))
    }
}

/// The `markdown` filter of shortcodes: Markdown to HTML with the site's
/// options, `@/` links resolved, and `inline=true` dropping the paragraph.
fn register_markdown(tera: &mut Tera, site: &Site) {
    let permalinks: HashMap<String, String> = site
        .by_key
        .iter()
        .map(|(k, &t)| (k.clone(), site.permalink(t).to_string()))
        .collect();
    let options = site.config.markdown.clone();
    tera.register_filter(
        "markdown",
        move |value: &Value, args: &HashMap<String, Value>| {
            let text = value.as_str().unwrap_or_default();
            let resolve = |key: &str| {
                permalinks.get(key).map(|p| Resolved {
                    target: 0,
                    permalink: p.clone(),
                })
            };
            let html = super::functions::markdown_filter(text, &options, &resolve, args).html;
            Ok(json!(html))
        },
    );
}

/// The part of `config` a shortcode sees.
fn config_value(c: &Config) -> Value {
    json!({
        "title": c.title,
        "description": c.description,
        "base_url": c.base_url,
        "language": c.language,
        "default_language": c.language,
        "extra": table_to_json(&c.extra),
    })
}

fn error_chain(e: &tera::Error) -> String {
    let mut chain = vec![e.to_string()];
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = cur {
        chain.push(s.to_string());
        cur = s.source();
    }
    chain.join(": ")
}

impl ShortcodeRenderer for ShortcodeTemplates {
    fn kind(&self, name: &str) -> Option<ShortcodeKind> {
        self.kinds.get(name).map(|k| k.0)
    }

    fn names(&self) -> Vec<String> {
        let mut n: Vec<String> = self.kinds.keys().cloned().collect();
        n.sort();
        n
    }

    fn render(&self, call: &ShortcodeCall, caller: &Value) -> Result<String, String> {
        let Some((_, template, origin)) = self.kinds.get(&call.name) else {
            return Err(format!("no shortcode `{}`", call.name));
        };
        let mut ctx: Map<String, Value> = call.args.clone();
        if let Value::Object(c) = caller {
            for (k, v) in c {
                ctx.insert(k.clone(), v.clone());
            }
        }
        ctx.insert("nth".into(), json!(call.nth));
        ctx.insert("config".into(), self.config.clone());
        if let Some(body) = &call.body {
            ctx.insert("body".into(), json!(body));
        }
        let context = Context::from_value(Value::Object(ctx)).map_err(|e| error_chain(&e))?;
        let out = self.tera.render(template, &context).map_err(|e| {
            let caller_file = caller
                .get("page")
                .or_else(|| caller.get("section"))
                .and_then(|v| v.get("relative_path"))
                .and_then(Value::as_str)
                .map(|k| format!(", called from content/{k}"))
                .unwrap_or_default();
            format!(
                "shortcode `{}` failed in {origin}{caller_file}: {}",
                call.name,
                error_chain(&e)
            )
        })?;
        Ok(out.trim_end_matches('\n').to_string())
    }
}
