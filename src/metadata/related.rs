//! "Also interesting": hand-picked entries first, then pages that share the
//! most weighted taxonomy terms, found through the term → pages index.

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Content, Target};
use crate::diagnostics::Diagnostic;
use crate::metadata::taxonomies::Taxonomy;

/// Fills `Page::related` for every page.
pub fn compute(content: &mut Content, taxonomies: &[Taxonomy], config: &Config) -> Vec<Diagnostic> {
    let n = content.pages.len();
    let limit = config.related.limit;
    if limit == 0 {
        for page in &mut content.pages {
            page.related.clear();
        }
        return Vec::new();
    }
    let cutoff = (config.related.common_term_cutoff * n as f64).max(1.0);
    let weights: Vec<u32> = taxonomies
        .iter()
        .map(|t| config.related_weight(&t.config.name))
        .collect();
    let bonus = config.related.section_bonus;
    // Ties are broken by newer date, then title, then path: rank every page once
    // so that comparing two candidates is an integer comparison.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&content.pages[a], &content.pages[b]);
        pb.date
            .cmp(&pa.date)
            .then_with(|| pa.title().cmp(pb.title()))
            .then_with(|| a.cmp(&b))
    });
    let mut rank = vec![0u32; n];
    for (r, &p) in order.iter().enumerate() {
        rank[p] = r as u32;
    }
    // Flat copies of what the inner loop reads, so it does not touch the large page structs.
    let eligible: Vec<bool> = content.pages.iter().map(|p| !p.meta.draft).collect();
    let section_of: Vec<usize> = content.pages.iter().map(|p| p.section).collect();

    let results: Vec<(Vec<usize>, Vec<Diagnostic>)> = content
        .pages
        .par_iter()
        .enumerate()
        .map_init(
            || (vec![0u32; n], Vec::<usize>::new()),
            |(scores, touched), (pi, page)| {
                let mut diags = Vec::new();
                let mut picked: Vec<usize> = Vec::with_capacity(limit);
                for entry in &page.meta.related {
                    let key = entry.strip_prefix("@/").unwrap_or(entry);
                    match content.resolve(key) {
                        Some(Target::Page(t)) => {
                            if t != pi && !picked.contains(&t) && picked.len() < limit {
                                picked.push(t);
                            }
                        }
                        _ if content.broken.iter().any(|b| b == key) => {}
                        _ => {
                            let at = page.file.text.find(entry.as_str()).unwrap_or(0);
                            let hint = if entry.starts_with("@/") {
                                "name an existing page, e.g. \"@/conditions/neck-pain.md\""
                            } else {
                                "write related entries as `@/` paths, e.g. \"@/conditions/neck-pain.md\""
                            };
                            diags.push(
                                Diagnostic::error(
                                    "related::missing-page",
                                    format!("related entry `{entry}` is not a page of this site"),
                                )
                                .at(&page.file.display, &page.file.text, at..at + entry.len())
                                .label("no such page")
                                .hint(hint),
                            );
                        }
                    }
                }
                if picked.len() < limit {
                    for &(ti, term) in &page.terms {
                        let pages = &taxonomies[ti].terms[term].pages;
                        if pages.len() as f64 > cutoff {
                            continue;
                        }
                        for &other in pages {
                            if scores[other] == 0 {
                                touched.push(other);
                            }
                            scores[other] += weights[ti];
                        }
                    }
                    // Keep only the best `want` candidates: (score, rank) decides, higher score first.
                    let want = limit - picked.len();
                    let mut best: Vec<(u32, u32, usize)> = Vec::with_capacity(want + 1);
                    for &o in touched.iter() {
                        if o == pi || !eligible[o] || picked.contains(&o) {
                            continue;
                        }
                        let score = scores[o] + if section_of[o] == page.section { bonus } else { 0 };
                        let key = (u32::MAX - score, rank[o], o);
                        if best.len() == want && best.last().is_some_and(|last| key >= *last) {
                            continue;
                        }
                        let at = best.partition_point(|b| *b < key);
                        best.insert(at, key);
                        best.truncate(want);
                    }
                    for &o in touched.iter() {
                        scores[o] = 0;
                    }
                    touched.clear();
                    picked.extend(best.into_iter().map(|(_, _, o)| o));
                }
                // Too few shared terms: fill with the nearest pages of the same section.
                if picked.len() < limit {
                    let siblings = &content.sections[page.section].pages;
                    let pos = siblings.iter().position(|&p| p == pi).unwrap_or(0);
                    let mut step = 1;
                    while picked.len() < limit && (step <= pos || pos + step < siblings.len()) {
                        for cand in [pos.checked_add(step), pos.checked_sub(step)].into_iter().flatten() {
                            if let Some(&o) = siblings.get(cand) {
                                if o != pi && eligible[o] && !picked.contains(&o) && picked.len() < limit {
                                    picked.push(o);
                                }
                            }
                        }
                        step += 1;
                    }
                }
                (picked, diags)
            },
        )
        .collect();
    let mut diags = Vec::new();
    for (page, (related, d)) in content.pages.iter_mut().zip(results) {
        page.related = related;
        diags.extend(d);
    }
    diags
}

/// Cuts text at a word boundary to about `max` characters, adding "…".
pub fn excerpt(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    let mut out = cut[..at]
        .trim_end_matches([',', ';', ':', '.', '-', '–'])
        .to_string();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpt_cuts_at_word() {
        assert_eq!(excerpt("short text", 140), "short text");
        let long = "word ".repeat(60);
        let e = excerpt(&long, 140);
        assert!(e.ends_with("word…"));
        assert!(e.chars().count() <= 141);
    }
}
