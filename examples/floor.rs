//! The benchmark's floor: the least a static-site generator has to do, so
//! `scripts/bench --floor` can show how far above it fascia is.
//!
//! `floor CONTENT_DIR OUTPUT_DIR` reads every `.md` file under CONTENT_DIR,
//! parses its TOML (`+++`) or YAML (`---`) front matter, renders the Markdown
//! body with pulldown-cmark (the options fascia uses) and writes
//! `OUTPUT_DIR/<path>/index.html` with the title and the body in a fixed
//! string: no templates, no links, no listings, no staging. Files are
//! processed in parallel with rayon, as fascia does.
//!
//! Build it with `cargo build --release --example floor`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pulldown_cmark::{html, Options, Parser};
use rayon::prelude::*;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_SMART_PUNCTUATION
}

/// (front matter, body) of a file with `+++` or `---` fences.
fn split(text: &str) -> Option<(&str, &str, bool)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fence = if text.starts_with("+++") {
        "+++"
    } else if text.starts_with("---") {
        "---"
    } else {
        return None;
    };
    let after = text[3..].find('\n')? + 4;
    let close = text[after..].find(&format!("\n{fence}"))? + after;
    let body = text[close + 4..]
        .find('\n')
        .map_or("", |i| &text[close + 4 + i + 1..]);
    Some((&text[after..close + 1], body, fence == "+++"))
}

fn title(front: &str, toml_format: bool) -> String {
    let value = if toml_format {
        toml::from_str::<toml::Table>(front)
            .ok()
            .and_then(|t| t.get("title").and_then(|v| v.as_str().map(str::to_string)))
    } else {
        serde_yaml_ng::from_str::<serde_yaml_ng::Value>(front)
            .ok()
            .and_then(|v| v.get("title").and_then(|t| t.as_str().map(str::to_string)))
    };
    value.unwrap_or_default()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn page(content: &Path, out: &Path, file: &Path) -> std::io::Result<()> {
    let text = fs::read_to_string(file)?;
    let Some((front, body, toml_format)) = split(&text) else {
        return Ok(());
    };
    let title = title(front, toml_format);
    let mut html_out = String::with_capacity(body.len() * 3 / 2 + 256);
    html_out.push_str("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>");
    html_out.push_str(&escape(&title));
    html_out.push_str("</title></head><body><main>\n<h1>");
    html_out.push_str(&escape(&title));
    html_out.push_str("</h1>\n");
    html::push_html(&mut html_out, Parser::new_ext(body, options()));
    html_out.push_str("</main></body></html>\n");
    let rel = file.strip_prefix(content).unwrap_or(file);
    let stem = rel.with_extension("");
    let dir = if stem
        .file_name()
        .is_some_and(|n| n == "_index" || n == "index")
    {
        out.join(stem.parent().unwrap_or(Path::new("")))
    } else {
        out.join(stem)
    };
    fs::create_dir_all(&dir)?;
    fs::write(dir.join("index.html"), html_out)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: floor CONTENT_DIR OUTPUT_DIR");
        std::process::exit(2);
    }
    let (content, out) = (PathBuf::from(&args[1]), PathBuf::from(&args[2]));
    let start = Instant::now();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let failed = files
        .par_iter()
        .filter(|f| {
            page(&content, &out, f)
                .map_err(|e| eprintln!("{}: {e}", f.display()))
                .is_err()
        })
        .count();
    eprintln!(
        "{} pages in {:.0} ms",
        files.len() - failed,
        start.elapsed().as_secs_f64() * 1000.0
    );
    if failed > 0 {
        std::process::exit(1);
    }
}
