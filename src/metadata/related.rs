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
    let section_of: Vec<u32> = content.pages.iter().map(|p| p.section as u32).collect();
    let words = n.div_ceil(64);
    // Each term's pages twice: in rank order (the term lists are sorted that way) and as a bitset.
    let lists: Vec<Vec<Vec<u32>>> = taxonomies
        .iter()
        .map(|t| {
            t.terms
                .iter()
                .map(|term| term.pages.iter().map(|&p| p as u32).collect())
                .collect()
        })
        .collect();
    let bits: Vec<Vec<Vec<u64>>> = lists
        .iter()
        .map(|terms| {
            terms
                .iter()
                .map(|pages| {
                    let mut b = vec![0u64; words];
                    for &p in pages {
                        b[p as usize / 64] |= 1 << (p % 64);
                    }
                    b
                })
                .collect()
        })
        .collect();
    let has = |b: &[u64], p: usize| b[p / 64] & (1 << (p % 64)) != 0;

    let results: Vec<(Vec<usize>, Vec<Diagnostic>)> = content
        .pages
        .par_iter()
        .enumerate()
        .map_init(
            || (vec![0u64; words], vec![0u64; words]),
            |(twos, ones), (pi, page)| {
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
                    let want = limit - picked.len();
                    let section = page.section as u32;
                    let terms: Vec<(usize, usize)> = page
                        .terms
                        .iter()
                        .copied()
                        .filter(|&(ti, term)| lists[ti][term].len() as f64 <= cutoff)
                        .collect();
                    let usable = |o: usize| o != pi && eligible[o] && !picked.contains(&o);
                    let score_of = |o: usize| {
                        let shared: u32 = terms.iter().filter(|&&(ti, t)| has(&bits[ti][t], o)).map(|&(ti, _)| weights[ti]).sum();
                        shared + if section_of[o] == section { bonus } else { 0 }
                    };
                    // Pages sharing two or more terms, found word by word in the bitsets.
                    twos.fill(0);
                    if terms.len() > 1 {
                        ones.fill(0);
                        for &(ti, t) in &terms {
                            for ((two, one), x) in twos.iter_mut().zip(ones.iter_mut()).zip(&bits[ti][t]) {
                                *two |= *one & x;
                                *one |= x;
                            }
                        }
                    }
                    let mut candidates: Vec<(u32, u32, usize)> = Vec::new();
                    for (wi, &word) in twos.iter().enumerate() {
                        let mut w = word;
                        while w != 0 {
                            let o = wi * 64 + w.trailing_zeros() as usize;
                            w &= w - 1;
                            if usable(o) {
                                candidates.push((u32::MAX - score_of(o), rank[o], o));
                            }
                        }
                    }
                    // Pages sharing one term: within a term, only the first few by rank can win,
                    // both among the same section (which earns the bonus) and overall.
                    for &(ti, t) in &terms {
                        let (mut same, mut any) = (0, 0);
                        for &o in &lists[ti][t] {
                            let o = o as usize;
                            if has(twos, o) || !usable(o) {
                                continue;
                            }
                            let in_section = section_of[o] == section;
                            if any < want || (in_section && same < want) {
                                candidates.push((u32::MAX - score_of(o), rank[o], o));
                            }
                            any += 1;
                            same += usize::from(in_section);
                            if any >= want && same >= want {
                                break;
                            }
                        }
                    }
                    // Each page is a candidate once: either in two or more lists, or in exactly one.
                    if candidates.len() > want {
                        candidates.select_nth_unstable(want);
                        candidates.truncate(want);
                    }
                    candidates.sort_unstable();
                    picked.extend(candidates.into_iter().map(|(_, _, o)| o));
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
