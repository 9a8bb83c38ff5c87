//! Taxonomies and their terms. "Neck" and "neck " are one term.

use std::collections::HashMap;

use crate::config::{Config, TaxonomyConfig};
use crate::content::Content;
use crate::diagnostics::{closest, Diagnostic};

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
    pub pages: Vec<usize>,
}

/// Builds every taxonomy and fills `Page::terms`.
pub fn build(content: &mut Content, config: &Config) -> (Vec<Taxonomy>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut taxonomies: Vec<Taxonomy> = config
        .taxonomies
        .iter()
        .map(|t| {
            let slug = slug::slugify(&t.name);
            let path = format!("/{slug}/");
            Taxonomy {
                config: t.clone(),
                permalink: config.permalink(&path),
                slug,
                path,
                terms: Vec::new(),
            }
        })
        .collect();
    let by_name: HashMap<&str, usize> = config
        .taxonomies
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let mut term_index: Vec<HashMap<String, usize>> = vec![HashMap::new(); taxonomies.len()];
    for (pi, page) in content.pages.iter_mut().enumerate() {
        page.terms.clear();
        for (name, values) in &page.meta.taxonomies {
            let Some(&ti) = by_name.get(name.as_str()) else {
                let at = page
                    .file
                    .text
                    .find(&format!("{name} "))
                    .or_else(|| page.file.text.find(name.as_str()))
                    .unwrap_or(0);
                let mut d = Diagnostic::error(
                    "taxonomy::unknown",
                    format!("`{name}` is not a taxonomy of this site"),
                )
                .at(&page.file.display, &page.file.text, at..at + name.len());
                d = match closest(name, config.taxonomies.iter().map(|t| t.name.as_str())) {
                    Some(best) => d.hint(format!("did you mean `{best}`?")),
                    None => d.hint(format!(
                        "declare it in site.toml: taxonomies = [{{ name = \"{name}\" }}]"
                    )),
                };
                diags.push(d);
                continue;
            };
            for value in values {
                let name = value.trim();
                let slug = slug::slugify(name);
                if slug.is_empty() {
                    continue;
                }
                let tax = &mut taxonomies[ti];
                let idx = *term_index[ti].entry(slug.clone()).or_insert_with(|| {
                    let path = format!("{}{slug}/", tax.path);
                    tax.terms.push(Term {
                        name: name.to_string(),
                        permalink: config.permalink(&path),
                        slug,
                        path,
                        pages: Vec::new(),
                    });
                    tax.terms.len() - 1
                });
                if tax.terms[idx].pages.last() != Some(&pi) {
                    tax.terms[idx].pages.push(pi);
                    page.terms.push((ti, idx));
                }
            }
        }
    }
    // Sort terms by name and remap the page references.
    for (ti, tax) in taxonomies.iter_mut().enumerate() {
        let mut order: Vec<usize> = (0..tax.terms.len()).collect();
        order.sort_by(|&a, &b| {
            tax.terms[a]
                .name
                .to_lowercase()
                .cmp(&tax.terms[b].name.to_lowercase())
                .then_with(|| tax.terms[a].slug.cmp(&tax.terms[b].slug))
        });
        let mut new_pos = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_pos[old] = new;
        }
        let mut terms: Vec<Option<Term>> = std::mem::take(&mut tax.terms)
            .into_iter()
            .map(Some)
            .collect();
        tax.terms = order
            .iter()
            .map(|&o| terms[o].take().expect("each term once"))
            .collect();
        for page in content.pages.iter_mut() {
            for t in page.terms.iter_mut().filter(|t| t.0 == ti) {
                t.1 = new_pos[t.1];
            }
        }
        for term in &mut tax.terms {
            term.pages.sort_by(|&a, &b| {
                let (pa, pb) = (&content.pages[a], &content.pages[b]);
                pb.date
                    .cmp(&pa.date)
                    .then_with(|| pa.title().cmp(pb.title()))
            });
        }
    }
    (taxonomies, diags)
}
