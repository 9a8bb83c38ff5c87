//! `fascia new content/conditions/neck-pain.md`: starts a draft page.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use crate::config::Config;

/// Writes a draft page with a title from the file name and today's date;
/// in a health section (`[health] sections` of the site at `root`) it also
/// starts a `[review]` and shows a `[[references]]` example. Never overwrites.
pub fn new_page(root: &Path, path: &Path) -> Result<(), String> {
    if path.extension().is_none_or(|e| e != "md") {
        return Err(format!("{} must end in .md", path.display()));
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = if stem == "index" {
        path.parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(stem)
    } else {
        stem
    };
    let title = title_from_stem(&stem);
    let today = time::OffsetDateTime::now_local()
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .date();
    let health = health_fields(root, path, &today.to_string());
    let text = format!(
        "+++\ntitle = {}\ndescription = \"\"\ndate = {today}\ndraft = true\n\n[taxonomies]\ntags = []\n{health}+++\n\nStart writing here.\n",
        toml_string(&title)
    );
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!(
                    "{} already exists; fascia new never overwrites a file",
                    path.display()
                )
            } else {
                format!("cannot create {}: {e}", path.display())
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `[review]` and a commented `[[references]]` example for a page in a
/// health section; nothing elsewhere (or without a readable site.toml).
fn health_fields(root: &Path, path: &Path, today: &str) -> String {
    let Ok(config) = Config::load(root) else {
        return String::new();
    };
    let content = root.join("content");
    let section = path
        .strip_prefix(&content)
        .ok()
        .and_then(|rel| rel.parent())
        .map(|d| d.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let is_health = config.health.sections.iter().any(|s| {
        let s = s.trim_matches('/');
        section == s || section.starts_with(&format!("{s}/"))
    });
    if !is_health {
        return String::new();
    }
    let by = config
        .reviewers
        .keys()
        .next()
        .map_or("editorial", String::as_str);
    format!(
        "\n[review]\nby = {}\nlast = {today}\n\n# Cite each source in the body as [@id].\n# [[references]]\n# id = \"nhs-example\"\n# title = \"Title of the page or paper\"\n# publisher = \"NHS\"            # or journal = \"…\", with doi = \"10.…\" or pmid = \"…\"\n# url = \"https://www.nhs.uk/…\"\n# accessed = {today}\n",
        toml_string(by)
    )
}

fn title_from_stem(stem: &str) -> String {
    let words: Vec<&str> = stem
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = words.join(" ");
    if let Some(first) = out.get(..1) {
        out = first.to_uppercase() + &out[1..];
    }
    out
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    #[test]
    fn title_from_file_name() {
        assert_eq!(super::title_from_stem("neck-pain"), "Neck pain");
    }
}
