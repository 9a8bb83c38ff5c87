//! `fascia init DIR`: a new site that builds at once with the embedded theme.

use std::fs;
use std::path::Path;

use crate::config::{zola, CONFIG_FILE};

const SITE: &str = r#"title = "My guide"
description = "Self-massage guides written in plain words."
base_url = "https://example.org"
language = "en"
taxonomies = [{ name = "tags" }, { name = "body_areas" }, { name = "tools" }]

[extra]
disclaimer = "This site gives general information, not medical advice. See a doctor for a diagnosis."
"#;

const HOME: &str = r#"+++
title = "My guide"
description = "Self-massage guides written in plain words."
+++

Welcome. Start with [the first article](@/first-steps.md).
"#;

const PAGE: &str = r#"+++
title = "First steps"
description = "A first article, to show how fascia pages are written."
date = 2026-01-01

[taxonomies]
tags = ["beginners"]

[[faq]]
question = "Where do I write articles?"
answer = "In Markdown files under `content/`, one file a page."
+++

## Writing

Write Markdown here. Link to other pages with `@/` paths, such as [the home page](@/_index.md).

> [!NOTE]
> Run `fascia check` to find broken links before you publish.
"#;

/// Creates `dir` with `site.toml`, a home page and one sample page. Never overwrites a file.
pub fn init(dir: &Path) -> Result<(), String> {
    let files = [
        (dir.join("site.toml"), SITE),
        (dir.join("content/_index.md"), HOME),
        (dir.join("content/first-steps.md"), PAGE),
    ];
    if let Some((existing, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err(format!(
            "{} already exists; fascia init never overwrites files (choose an empty folder)",
            existing.display()
        ));
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// `fascia init --from-zola DIR`: writes `DIR/site.toml` equivalent to the Zola
/// site's `config.toml`. Returns how many keys fascia ignores (listed at the
/// top of the new file). Never overwrites a file.
pub fn init_from_zola(dir: &Path) -> Result<usize, String> {
    let target = dir.join(CONFIG_FILE);
    if target.exists() {
        return Err(format!(
            "{} already exists; fascia init never overwrites files",
            target.display()
        ));
    }
    let source = dir.join(zola::ZOLA_CONFIG_FILE);
    let text = fs::read_to_string(&source)
        .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    let (site, warnings) =
        zola::site_toml(&text, Path::new(zola::ZOLA_CONFIG_FILE)).map_err(|diags| {
            diags
                .iter()
                .map(|d| d.render(false))
                .collect::<Vec<_>>()
                .join("\n")
        })?;
    fs::write(&target, site).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    Ok(warnings.len())
}
