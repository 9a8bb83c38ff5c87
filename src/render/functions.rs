//! Template functions (`get_url`, `get_page`, `get_section`,
//! `get_taxonomy_url`) and filters (`markdown`, `truncate_words`, `date`, `slugify`).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Value};
use tera::{Error, Result, Tera};

use super::Shared;
use crate::markdown::{self, MarkdownContext, Resolved};
use crate::metadata::related::excerpt;
use crate::model::front_matter::PageDate;
use crate::model::Target;

pub(super) fn register(tera: &mut Tera, shared: &Arc<Shared>) {
    let s = shared.clone();
    tera.register_function("get_url", move |args: &HashMap<String, Value>| {
        get_url(&s, args)
    });
    let s = shared.clone();
    tera.register_function("get_page", move |args: &HashMap<String, Value>| {
        let path = str_arg(args, "path", "get_page")?;
        match lookup(&s, path) {
            Some(Target::Page(i)) => Ok(s.summaries()[i.0].clone()),
            _ => Err(Error::msg(format!(
                "get_page: no page `{path}` under content/"
            ))),
        }
    });
    let s = shared.clone();
    tera.register_function("get_section", move |args: &HashMap<String, Value>| {
        let path = str_arg(args, "path", "get_section")?;
        match lookup(&s, path) {
            Some(Target::Section(i)) => {
                let mut v = s.section_values[i.0].clone();
                let metadata_only = args
                    .get("metadata_only")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if !metadata_only {
                    let all = s.summaries();
                    v["pages"] = Value::Array(
                        s.section_pages[i.0]
                            .iter()
                            .map(|&p| all[p.0].clone())
                            .collect(),
                    );
                }
                Ok(v)
            }
            _ => Err(Error::msg(format!(
                "get_section: no section `{path}` under content/"
            ))),
        }
    });
    let s = shared.clone();
    tera.register_function("get_taxonomy_url", move |args: &HashMap<String, Value>| {
        let kind = str_arg(args, "kind", "get_taxonomy_url")?;
        let name = str_arg(args, "name", "get_taxonomy_url")?;
        s.term_urls
            .get(&(kind.to_string(), slug::slugify(name.trim())))
            .map(|u| json!(u))
            .ok_or_else(|| {
                Error::msg(format!(
                    "get_taxonomy_url: no term `{name}` in taxonomy `{kind}`"
                ))
            })
    });
    let s = shared.clone();
    tera.register_filter(
        "markdown",
        move |value: &Value, args: &HashMap<String, Value>| {
            let text = value
                .as_str()
                .ok_or_else(|| Error::msg("markdown: the value must be a string"))?;
            let resolve = |key: &str| {
                let t = lookup(&s, key)?;
                let permalink = match t {
                    Target::Page(i) => s.summaries()[i.0]["permalink"].as_str()?.to_string(),
                    Target::Section(i) => s.section_values[i.0]["permalink"].as_str()?.to_string(),
                };
                Some(Resolved {
                    target: 0,
                    permalink,
                })
            };
            let cx = MarkdownContext {
                options: &s.markdown,
                resolve: &resolve,
                asset_dir: None,
                static_dir: None,
                raw_html: true,
                health: None,
                shortcodes: None,
            };
            let rendered = markdown::render(text, 0, &cx);
            if let Some(m) = rendered.missing.first() {
                return Err(Error::msg(format!(
                    "markdown: link to `@/{}`, which does not exist",
                    m.key
                )));
            }
            let mut html = rendered.html;
            if args.get("inline").and_then(Value::as_bool).unwrap_or(false) {
                if let Some(inner) = html
                    .strip_prefix("<p>")
                    .and_then(|h| h.strip_suffix("</p>\n"))
                {
                    html = inner.to_string();
                }
            }
            Ok(json!(html))
        },
    );
    tera.register_filter(
        "truncate_words",
        |value: &Value, args: &HashMap<String, Value>| {
            let text = value.as_str().unwrap_or_default();
            let length = args.get("length").and_then(Value::as_u64).unwrap_or(140) as usize;
            Ok(json!(excerpt(text, length)))
        },
    );
    tera.register_filter("date", |value: &Value, args: &HashMap<String, Value>| {
        let text = value
            .as_str()
            .ok_or_else(|| Error::msg("date: the value must be a date string"))?;
        let date = PageDate::parse(text)
            .ok_or_else(|| Error::msg(format!("date: `{text}` is not a date")))?;
        let format = args
            .get("format")
            .and_then(Value::as_str)
            .unwrap_or("[year]-[month]-[day]");
        let description = time::format_description::parse_borrowed::<2>(format)
            .map_err(|e| Error::msg(format!("date: bad format `{format}`: {e}")))?;
        let out = match date.datetime {
            Some(dt) => dt.format(&description),
            None => date.date.format(&description),
        }
        .map_err(|e| Error::msg(format!("date: cannot format `{text}` as `{format}`: {e}")))?;
        Ok(json!(out))
    });
    tera.register_filter("slugify", |value: &Value, _: &HashMap<String, Value>| {
        Ok(json!(slug::slugify(value.as_str().unwrap_or_default())))
    });
}

fn lookup(s: &Shared, path: &str) -> Option<Target> {
    let key = path
        .strip_prefix("@/")
        .unwrap_or(path)
        .trim_start_matches('/');
    let key = key.strip_prefix("content/").unwrap_or(key);
    s.by_key.get(key).copied()
}

fn str_arg<'a>(args: &'a HashMap<String, Value>, name: &str, func: &str) -> Result<&'a str> {
    args.get(name).and_then(Value::as_str).ok_or_else(|| {
        Error::msg(format!(
            "{func}: the `{name}` argument is required and must be a string"
        ))
    })
}

fn get_url(s: &Shared, args: &HashMap<String, Value>) -> Result<Value> {
    let path = str_arg(args, "path", "get_url")?;
    if let Some(rest) = path.strip_prefix("@/") {
        let (key, anchor) = match rest.split_once('#') {
            Some((k, a)) => (k, Some(a)),
            None => (rest, None),
        };
        let t = lookup(s, key)
            .ok_or_else(|| Error::msg(format!("get_url: no page or section `{path}`")))?;
        let mut url = match t {
            Target::Page(i) => s.summaries()[i.0]["permalink"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            Target::Section(i) => s.section_values[i.0]["permalink"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        };
        if let Some(a) = anchor {
            url.push('#');
            url.push_str(a);
        }
        return Ok(json!(url));
    }
    if markdown::is_external(path) {
        return Ok(json!(path));
    }
    let clean = path.trim_start_matches('/');
    let mut url = format!("{}/{}", s.base_url, clean);
    if args
        .get("cachebust")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        if let Some(h) = s.static_hashes.get(clean) {
            url.push_str("?h=");
            url.push_str(h);
        }
    }
    Ok(json!(url))
}
