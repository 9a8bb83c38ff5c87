//! Taxonomies and their terms. "Neck" and "neck " are one term.

use std::collections::HashMap;

use crate::config::Config;
use crate::diagnostics::{closest, Code, Diagnostic};
use crate::model::{PageId, Site, Taxonomy, TaxonomyId, Term, TermId};

/// The terms of each page, by page id.
pub type PageTerms = Vec<Vec<TermId>>;

/// Builds every taxonomy from the pages' front matter, and the terms of each page.
pub fn build(content: &Site, config: &Config) -> (Vec<Taxonomy>, PageTerms, Vec<Diagnostic>) {
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
    let mut page_terms: PageTerms = vec![Vec::new(); content.pages.len()];
    for (pi, page) in content.pages.iter().enumerate() {
        let pi = PageId(pi);
        for (name, values) in &page.meta.taxonomies {
            let Some(&ti) = by_name.get(name.as_str()) else {
                diags.push(unknown_taxonomy(page, name, config));
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
                    page_terms[pi.0].push(TermId {
                        taxonomy: TaxonomyId(ti),
                        term: idx,
                    });
                }
            }
        }
    }
    sort_terms(&mut taxonomies, &mut page_terms, content);
    (taxonomies, page_terms, diags)
}

/// The error for a taxonomy a page names but `site.toml` does not declare.
fn unknown_taxonomy(page: &crate::model::Page, name: &str, config: &Config) -> Diagnostic {
    let at = page
        .file
        .text
        .find(&format!("{name} "))
        .or_else(|| page.file.text.find(name))
        .unwrap_or(0);
    let d = Diagnostic::error(
        Code::TaxonomyUnknown,
        format!("`{name}` is not a taxonomy of this site"),
    )
    .at(&page.file.display, &page.file.text, at..at + name.len());
    match closest(name, config.taxonomies.iter().map(|t| t.name.as_str())) {
        Some(best) => d.hint(format!("did you mean `{best}`?")),
        None => d.hint(format!(
            "declare it in site.toml: taxonomies = [{{ name = \"{name}\" }}]"
        )),
    }
}

/// Sorts each taxonomy's terms by name (remapping the pages' term ids) and
/// each term's pages newest first, then by title.
fn sort_terms(taxonomies: &mut [Taxonomy], page_terms: &mut PageTerms, content: &Site) {
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
        for terms in page_terms.iter_mut() {
            for t in terms.iter_mut().filter(|t| t.taxonomy.0 == ti) {
                t.term = new_pos[t.term];
            }
        }
        for term in &mut tax.terms {
            term.pages.sort_by(|&a, &b| {
                let (pa, pb) = (&content[a], &content[b]);
                pb.date
                    .cmp(&pa.date)
                    .then_with(|| pa.title().cmp(pb.title()))
            });
        }
    }
}
