//! "Also interesting": hand-picked entries first, then pages that share the
//! most weighted taxonomy terms, found through the term → pages index.

use rayon::prelude::*;

use crate::derived::Derived;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Page, PageId, Site, Target, TermId};

/// The related pass: fills `Derived::related` for every page.
pub fn compute(site: &Site, derived: &mut Derived) -> Vec<Diagnostic> {
    let n = site.pages.len();
    let limit = site.config.related.limit;
    if limit == 0 {
        derived.related = vec![Vec::new(); n];
        return Vec::new();
    }
    let index = Index::new(site);
    let results: Vec<(Vec<PageId>, Vec<Diagnostic>)> = site
        .pages
        .par_iter()
        .enumerate()
        .map_init(
            || (vec![0u64; index.words], vec![0u64; index.words]),
            |scratch, (pi, page)| {
                let mut diags = Vec::new();
                let mut picked = hand_picked(site, page, pi, limit, &mut diags);
                if picked.len() < limit {
                    index.by_terms(
                        page,
                        pi,
                        derived.terms(PageId(pi)),
                        limit,
                        scratch,
                        &mut picked,
                    );
                }
                if picked.len() < limit {
                    index.fill_from_section(site, page, pi, limit, &mut picked);
                }
                (picked.into_iter().map(PageId).collect(), diags)
            },
        )
        .collect();
    let mut diags = Vec::new();
    derived.related = Vec::with_capacity(n);
    for (related, d) in results {
        derived.related.push(related);
        diags.extend(d);
    }
    diags
}

/// The `related = [...]` entries of a page, as page indexes.
fn hand_picked(
    site: &Site,
    page: &Page,
    pi: usize,
    limit: usize,
    diags: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut picked: Vec<usize> = Vec::with_capacity(limit);
    for entry in &page.meta.related {
        let key = entry.strip_prefix("@/").unwrap_or(entry);
        match site.resolve(key) {
            Some(Target::Page(t)) => {
                if t.0 != pi && !picked.contains(&t.0) && picked.len() < limit {
                    picked.push(t.0);
                }
            }
            _ if site.broken.iter().any(|b| b == key) => {}
            _ => {
                let at = page.file.text.find(entry.as_str()).unwrap_or(0);
                let hint = if entry.starts_with("@/") {
                    "name an existing page, e.g. \"@/conditions/neck-pain.md\""
                } else {
                    "write related entries as `@/` paths, e.g. \"@/conditions/neck-pain.md\""
                };
                diags.push(
                    Diagnostic::error(
                        Code::RelatedMissingPage,
                        format!("related entry `{entry}` is not a page of this site"),
                    )
                    .at(&page.file.display, &page.file.text, at..at + entry.len())
                    .label("no such page")
                    .hint(hint),
                );
            }
        }
    }
    picked
}

/// Flat copies of what the scoring loop reads, built once per build, so it
/// never touches the large page structs.
struct Index {
    cutoff: f64,
    weights: Vec<u32>,
    bonus: u32,
    /// Position of each page in the tie-break order (newer, then title, then path).
    rank: Vec<u32>,
    eligible: Vec<bool>,
    section_of: Vec<u32>,
    words: usize,
    /// Each term's pages in rank order (the term lists are sorted that way)…
    lists: Vec<Vec<Vec<u32>>>,
    /// …and as a bitset.
    bits: Vec<Vec<Vec<u64>>>,
}

fn has(b: &[u64], p: usize) -> bool {
    b[p / 64] & (1 << (p % 64)) != 0
}

impl Index {
    fn new(site: &Site) -> Index {
        let n = site.pages.len();
        let config = &site.config;
        // Ties are broken by newer date, then title, then path: rank every page once
        // so that comparing two candidates is an integer comparison.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            let (pa, pb) = (&site.pages[a], &site.pages[b]);
            pb.date
                .cmp(&pa.date)
                .then_with(|| pa.title().cmp(pb.title()))
                .then_with(|| a.cmp(&b))
        });
        let mut rank = vec![0u32; n];
        for (r, &p) in order.iter().enumerate() {
            rank[p] = r as u32;
        }
        let words = n.div_ceil(64);
        let lists: Vec<Vec<Vec<u32>>> = site
            .taxonomies
            .iter()
            .map(|t| {
                t.terms
                    .iter()
                    .map(|term| term.pages.iter().map(|p| p.0 as u32).collect())
                    .collect()
            })
            .collect();
        let bits = lists
            .iter()
            .map(|terms: &Vec<Vec<u32>>| {
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
        Index {
            cutoff: (config.related.common_term_cutoff * n as f64).max(1.0),
            weights: site
                .taxonomies
                .iter()
                .map(|t| config.related_weight(&t.config.name))
                .collect(),
            bonus: config.related.section_bonus,
            rank,
            eligible: site.pages.iter().map(|p| !p.meta.draft).collect(),
            section_of: site.pages.iter().map(|p| p.section.0 as u32).collect(),
            words,
            lists,
            bits,
        }
    }

    /// Adds the best-scoring pages by shared terms (plus the section bonus).
    fn by_terms(
        &self,
        page: &Page,
        pi: usize,
        page_terms: &[TermId],
        limit: usize,
        (twos, ones): &mut (Vec<u64>, Vec<u64>),
        picked: &mut Vec<usize>,
    ) {
        let want = limit - picked.len();
        let section = page.section.0 as u32;
        let terms: Vec<(usize, usize)> = page_terms
            .iter()
            .map(|t| (t.taxonomy.0, t.term))
            .filter(|&(ti, term)| self.lists[ti][term].len() as f64 <= self.cutoff)
            .collect();
        let usable = |o: usize| o != pi && self.eligible[o] && !picked.contains(&o);
        let score_of = |o: usize| {
            let shared: u32 = terms
                .iter()
                .filter(|&&(ti, t)| has(&self.bits[ti][t], o))
                .map(|&(ti, _)| self.weights[ti])
                .sum();
            shared
                + if self.section_of[o] == section {
                    self.bonus
                } else {
                    0
                }
        };
        // Pages sharing two or more terms, found word by word in the bitsets.
        twos.fill(0);
        if terms.len() > 1 {
            ones.fill(0);
            for &(ti, t) in &terms {
                for ((two, one), x) in twos.iter_mut().zip(ones.iter_mut()).zip(&self.bits[ti][t]) {
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
                    candidates.push((u32::MAX - score_of(o), self.rank[o], o));
                }
            }
        }
        // Pages sharing one term: within a term, only the first few by rank can win,
        // both among the same section (which earns the bonus) and overall.
        for &(ti, t) in &terms {
            let (mut same, mut any) = (0, 0);
            for &o in &self.lists[ti][t] {
                let o = o as usize;
                if has(twos, o) || !usable(o) {
                    continue;
                }
                let in_section = self.section_of[o] == section;
                if any < want || (in_section && same < want) {
                    candidates.push((u32::MAX - score_of(o), self.rank[o], o));
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

    /// Too few shared terms: fills with the nearest pages of the same section.
    fn fill_from_section(
        &self,
        site: &Site,
        page: &Page,
        pi: usize,
        limit: usize,
        picked: &mut Vec<usize>,
    ) {
        let siblings = &site[page.section].pages;
        let pos = siblings.iter().position(|p| p.0 == pi).unwrap_or(0);
        let mut step = 1;
        while picked.len() < limit && (step <= pos || pos + step < siblings.len()) {
            for cand in [pos.checked_add(step), pos.checked_sub(step)]
                .into_iter()
                .flatten()
            {
                if let Some(&o) = siblings.get(cand) {
                    let o = o.0;
                    if o != pi && self.eligible[o] && !picked.contains(&o) && picked.len() < limit {
                        picked.push(o);
                    }
                }
            }
            step += 1;
        }
    }
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
