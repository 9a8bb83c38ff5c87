//! Template functions (`get_url`, `get_page`, `get_section`,
//! `get_taxonomy_url`, and Zola's `get_taxonomy`, `get_taxonomy_term`,
//! `load_data`, `trans`) and filters (`markdown`, `truncate_words`, `date`, `slugify`).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Value};
use tera::{Error, Result, Tera};

use super::{Shared, TaxonomyEntry};
use crate::config::MarkdownConfig;
use crate::inputs::Reads;
use crate::markdown::{self, MarkdownContext, Rendered, Resolved};
use crate::metadata::related::excerpt;
use crate::model::front_matter::PageDate;
use crate::model::Target;

/// Registers every function and filter templates can call.
pub(super) fn register(tera: &mut Tera, shared: &Arc<Shared>) {
    let s = shared.clone();
    tera.register_function("get_url", move |args: &HashMap<String, Value>| {
        get_url(&s, args)
    });
    let s = shared.clone();
    tera.register_function("get_page", move |args: &HashMap<String, Value>| {
        let path = path_arg(args, "get_page")?;
        match lookup(&s, path) {
            Some(Target::Page(i)) => Ok(s.summaries()[i.0].clone()),
            _ => Err(Error::msg(format!(
                "get_page: no page `{path}` under content/"
            ))),
        }
    });
    let s = shared.clone();
    tera.register_function("get_section", move |args: &HashMap<String, Value>| {
        let path = path_arg(args, "get_section")?;
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
    register_taxonomy_functions(tera, shared);
    register_data_functions(tera, shared);
    register_filters(tera, shared);
}

/// `get_taxonomy_url`, `get_taxonomy` and `get_taxonomy_term`.
fn register_taxonomy_functions(tera: &mut Tera, shared: &Arc<Shared>) {
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
    tera.register_function("get_taxonomy", move |args: &HashMap<String, Value>| {
        let kind = str_arg(args, "kind", "get_taxonomy")?;
        let (value, terms) = taxonomy(&s, kind, "get_taxonomy")?;
        let all = s.summaries();
        let items: Vec<Value> = terms
            .iter()
            .map(|(t, pages)| {
                let mut t = t.clone();
                t["pages"] = Value::Array(pages.iter().map(|p| all[p.0].clone()).collect());
                t
            })
            .collect();
        Ok(json!({"kind": value, "items": items, "permalink": value["permalink"], "lang": s.language}))
    });
    let s = shared.clone();
    tera.register_function("get_taxonomy_term", move |args: &HashMap<String, Value>| {
        let kind = str_arg(args, "kind", "get_taxonomy_term")?;
        let term = str_arg(args, "term", "get_taxonomy_term")?;
        let (_, terms) = taxonomy(&s, kind, "get_taxonomy_term")?;
        let wanted = slug::slugify(term.trim());
        let Some((t, pages)) = terms.iter().find(|(t, _)| t["slug"] == wanted.as_str()) else {
            if args.get("required").and_then(Value::as_bool) == Some(false) {
                return Ok(Value::Null);
            }
            return Err(Error::msg(format!(
                "get_taxonomy_term: no term `{term}` in taxonomy `{kind}`"
            )));
        };
        let all = s.summaries();
        let mut t = t.clone();
        t["pages"] = Value::Array(pages.iter().map(|p| all[p.0].clone()).collect());
        Ok(t)
    });
}

/// `load_data`, `get_image_metadata` (both confined to the site) and `trans`.
fn register_data_functions(tera: &mut Tera, shared: &Arc<Shared>) {
    let s = shared.clone();
    tera.register_function("load_data", move |args: &HashMap<String, Value>| {
        load_data(&s.root, &s.reads, args)
    });
    let s = shared.clone();
    tera.register_function(
        "get_image_metadata",
        move |args: &HashMap<String, Value>| get_image_metadata(&s.root, &s.reads, args),
    );
    let s = shared.clone();
    tera.register_function("trans", move |args: &HashMap<String, Value>| {
        let key = str_arg(args, "key", "trans")?;
        if let Some(lang) = args.get("lang").and_then(Value::as_str) {
            if lang != s.language {
                return Err(Error::msg(format!(
                    "trans: fascia builds one language (`{}`), not `{lang}`",
                    s.language
                )));
            }
        }
        match s.translations.get(key) {
            Some(toml::Value::String(t)) => Ok(json!(t)),
            _ => Err(Error::msg(format!(
                "trans: no `{key}` in [translations] of config.toml / site.toml"
            ))),
        }
    });
}

/// What the `markdown` filter of templates and of shortcodes does: `text`
/// rendered with `options`, `@/` links found by `resolve`, and with
/// `inline=true` the `<p>` around a lone paragraph dropped.
pub(super) fn markdown_filter(
    text: &str,
    options: &MarkdownConfig,
    resolve: &(dyn Fn(&str) -> Option<Resolved> + Sync),
    args: &HashMap<String, Value>,
) -> Rendered {
    let cx = MarkdownContext::plain(options, resolve);
    let mut rendered = markdown::render(text, 0, &cx);
    if args.get("inline").and_then(Value::as_bool).unwrap_or(false) {
        if let Some(inner) = rendered
            .html
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>\n"))
        {
            rendered.html = inner.to_string();
        }
    }
    rendered
}

/// The filters: `markdown`, `truncate_words`, `date` and `slugify`.
fn register_filters(tera: &mut Tera, shared: &Arc<Shared>) {
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
            let rendered = markdown_filter(text, &s.markdown, &resolve, args);
            if let Some(m) = rendered.missing.first() {
                return Err(Error::msg(format!(
                    "markdown: link to `@/{}`, which does not exist",
                    m.key
                )));
            }
            Ok(json!(rendered.html))
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

/// `path="blog/_index.md"`, or an entry of `section.subsections` (Zola's themes
/// pass those to `get_section`; fascia's entries carry `relative_path`).
fn path_arg<'a>(args: &'a HashMap<String, Value>, func: &str) -> Result<&'a str> {
    match args.get("path") {
        Some(Value::Object(o)) => o
            .get("relative_path")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                Error::msg(format!(
                    "{func}: `path` must be a path such as \"blog/_index.md\""
                ))
            }),
        _ => str_arg(args, "path", func),
    }
}

fn taxonomy<'a>(s: &'a Shared, kind: &str, func: &str) -> Result<&'a TaxonomyEntry> {
    s.taxonomies.get(kind).ok_or_else(|| {
        let mut names: Vec<&str> = s.taxonomies.keys().map(String::as_str).collect();
        names.sort_unstable();
        Error::msg(format!(
            "{func}: no taxonomy `{kind}` (the site has: {})",
            names.join(", ")
        ))
    })
}

/// Zola's `load_data` for local files: TOML, JSON, CSV, YAML or plain text,
/// by `format` or the extension. Only files inside the site folder are read:
/// a path that leaves it (`..`, an absolute path, a link out) is refused, since
/// shortcodes let content choose the path. Remote URLs are not fetched.
/// The files looked at go to `reads`.
pub(super) fn load_data(
    site_root: &std::path::Path,
    reads: &Reads,
    args: &HashMap<String, Value>,
) -> Result<Value> {
    let path = str_arg(args, "path", "load_data")?;
    let required = args
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if args.contains_key("url") || markdown::is_external(path) {
        return Err(Error::msg(
            "load_data: fascia reads local files only; a build never uses the network",
        ));
    }
    // As in Zola: relative to the site root, else to content/.
    let Some(real) = site_file((site_root, reads), path, &["", "content"], "load_data")? else {
        if !required {
            return Ok(Value::Null);
        }
        return Err(Error::msg(format!(
            "load_data: no file `{path}` in the site"
        )));
    };
    let rel = std::path::Path::new(path);
    let text = std::fs::read_to_string(&real)
        .map_err(|e| Error::msg(format!("load_data: cannot read `{path}`: {e}")))?;
    let format = args
        .get("format")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .or_else(|| {
            rel.extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
        })
        .unwrap_or_default();
    let bad = |e: String| Error::msg(format!("load_data: `{path}` is not valid {format}: {e}"));
    match format.as_str() {
        "toml" => toml::from_str::<toml::Value>(&text)
            .map(|v| crate::model::toml_to_json(&v))
            .map_err(|e| bad(e.to_string())),
        "json" => serde_json::from_str(&text).map_err(|e| bad(e.to_string())),
        "yaml" | "yml" => serde_yaml_ng::from_str(&text).map_err(|e| bad(e.to_string())),
        "csv" => csv(&text).map_err(bad),
        _ => Ok(json!(text)),
    }
}

/// The file `path` names, looked up under each of `dirs` of the site root, or
/// `None`. A path that leaves the site (`..`, absolute, or a link out) is an
/// error: content chooses these paths through shortcodes. Every place looked
/// at goes to `reads` first.
fn site_file(
    (site_root, reads): (&std::path::Path, &Reads),
    path: &str,
    dirs: &[&str],
    func: &str,
) -> Result<Option<std::path::PathBuf>> {
    let refuse = || {
        Error::msg(format!(
            "{func}: `{path}` is outside the site folder; only files inside it can be read"
        ))
    };
    let rel = std::path::Path::new(path.trim_start_matches("@/"));
    if rel.is_absolute()
        || rel.components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
    {
        return Err(refuse());
    }
    let root = site_root
        .canonicalize()
        .unwrap_or_else(|_| site_root.to_path_buf());
    let Some(file) = dirs.iter().map(|d| root.join(d).join(rel)).find(|c| {
        reads.note(c);
        c.is_file()
    }) else {
        return Ok(None);
    };
    let real = file
        .canonicalize()
        .map_err(|e| Error::msg(format!("{func}: `{path}`: {e}")))?;
    if !real.starts_with(&root) {
        return Err(refuse());
    }
    Ok(Some(real))
}

/// Zola's `get_image_metadata(path, allow_missing)`: `{width, height, format,
/// mime}` of an image under `static/`, `content/` or the site root (only
/// inside the site folder, as for `load_data`; the files looked at go to `reads`).
pub(super) fn get_image_metadata(
    site_root: &std::path::Path,
    reads: &Reads,
    args: &HashMap<String, Value>,
) -> Result<Value> {
    let path = str_arg(args, "path", "get_image_metadata")?;
    let allow_missing = args
        .get("allow_missing")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if markdown::is_external(path) {
        return Err(Error::msg(
            "get_image_metadata: fascia reads local files only; a build never uses the network",
        ));
    }
    let dirs = ["static", "content", ""];
    let Some(file) = site_file((site_root, reads), path, &dirs, "get_image_metadata")? else {
        if allow_missing {
            return Ok(Value::Null);
        }
        return Err(Error::msg(format!(
            "get_image_metadata: no image `{path}` under static/ or content/"
        )));
    };
    let size = imagesize::size(&file)
        .map_err(|e| Error::msg(format!("get_image_metadata: `{path}`: {e}")))?;
    let format = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mime = match format.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "avif" => "image/avif",
        _ => "application/octet-stream",
    };
    Ok(json!({"width": size.width, "height": size.height, "format": format, "mime": mime}))
}

/// CSV as Zola gives it: `{headers: [...], records: [[...], ...]}`.
fn csv(text: &str) -> std::result::Result<Value, String> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    let mut it = rows.into_iter();
    let headers = it.next().unwrap_or_default();
    Ok(json!({"headers": headers, "records": it.collect::<Vec<_>>()}))
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

#[cfg(test)]
mod tests {
    #[test]
    fn csv_reads_quotes_and_line_ends() {
        let v = super::csv("a,b\r\n1,\"x, \"\"y\"\"\"\n2,\n").unwrap();
        assert_eq!(
            v,
            serde_json::json!({"headers": ["a", "b"], "records": [["1", "x, \"y\""], ["2", ""]]})
        );
        assert!(super::csv("a\n\"open").is_err());
    }
}
