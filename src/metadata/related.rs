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
            || vec![vec![0u64; index.words]; LEVELS],
            |levels, (pi, page)| {
                let mut diags = Vec::new();
                let mut picked = hand_picked(site, page, pi, limit, &mut diags);
                if picked.len() < limit {
                    let (section, terms) = (page.section.0 as u32, derived.terms(PageId(pi)));
                    index.by_terms(pi, section, terms, limit, levels, &mut picked);
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

/// Each term's pages as a bitset of `words` words.
fn bitsets(lists: &[Vec<Vec<u32>>], words: usize) -> Vec<Vec<Vec<u64>>> {
    lists
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
        .collect()
}

/// Shared terms counted exactly up to this many; pages sharing more form one group.
const LEVELS: usize = 4;

/// Keeps `key` among the `want` smallest keys of `top` (sorted, distinct).
fn offer(top: &mut Vec<(u32, u32, usize)>, want: usize, key: (u32, u32, usize)) {
    if top.len() == want && key >= top[want - 1] {
        return;
    }
    let at = top.partition_point(|k| *k < key);
    top.insert(at, key);
    top.truncate(want);
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
        let words = n.div_ceil(64);
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
            bits: bitsets(&lists, words),
            lists,
        }
    }

    /// Adds the best-scoring pages by shared terms (plus the section bonus):
    /// the `limit - picked.len()` smallest (score descending, rank), in order.
    ///
    /// Pages are taken in groups by how many terms they share, most first; a
    /// group is skipped, with all after it, once the picks so far all score
    /// more than any page of the group could. On a large site the pages that
    /// share all of a page's terms usually settle it, and the thousands that
    /// share two are never scored.
    fn by_terms(
        &self,
        pi: usize,
        section: u32,
        page_terms: &[TermId],
        limit: usize,
        levels: &mut [Vec<u64>],
        picked: &mut Vec<usize>,
    ) {
        let want = limit - picked.len();
        let terms: Vec<(usize, usize)> = page_terms
            .iter()
            .map(|t| (t.taxonomy.0, t.term))
            .filter(|&(ti, term)| self.lists[ti][term].len() as f64 <= self.cutoff)
            .collect();
        let usable = |o: usize| o != pi && self.eligible[o] && !picked.contains(&o);
        let key = |o: usize| {
            let shared: u32 = terms
                .iter()
                .filter(|&&(ti, t)| has(&self.bits[ti][t], o))
                .map(|&(ti, _)| self.weights[ti])
                .sum();
            let bonus = if self.section_of[o] == section {
                self.bonus
            } else {
                0
            };
            (u32::MAX - (shared + bonus), self.rank[o], o)
        };
        // The most a page sharing `m` of the terms can score.
        let mut heaviest: Vec<u32> = terms.iter().map(|&(ti, _)| self.weights[ti]).collect();
        heaviest.sort_unstable_by(|a, b| b.cmp(a));
        let most = |m: usize| heaviest[..m].iter().sum::<u32>() + self.bonus;
        let mut top: Vec<(u32, u32, usize)> = Vec::with_capacity(want + 1);
        // Full, and every pick scores more than `max`: nothing scoring at most
        // `max` can get in (a tie would, by rank).
        let settled = |top: &Vec<(u32, u32, usize)>, max: u32| {
            top.len() == want && u32::MAX - top[want - 1].0 > max
        };

        let used = self.count_shared(&terms, levels);
        // Pages sharing two or more terms, the most first.
        for j in (1..used).rev() {
            let max = most(if j + 1 == used { terms.len() } else { j + 1 });
            if settled(&top, max) {
                break;
            }
            for (wi, &word) in levels[j].iter().enumerate() {
                let mut w = if j + 1 < used {
                    word & !levels[j + 1][wi]
                } else {
                    word
                };
                while w != 0 {
                    let o = wi * 64 + w.trailing_zeros() as usize;
                    w &= w - 1;
                    if usable(o) {
                        offer(&mut top, want, key(o));
                    }
                }
            }
        }
        // Pages sharing one term: within a term, only the first few by rank can win,
        // both among the same section (which earns the bonus) and overall.
        if !terms.is_empty() && !settled(&top, most(1)) {
            for &(ti, t) in &terms {
                let (mut same, mut any) = (0, 0);
                for &o in &self.lists[ti][t] {
                    let o = o as usize;
                    if (used > 1 && has(&levels[1], o)) || !usable(o) {
                        continue;
                    }
                    let in_section = self.section_of[o] == section;
                    if any < want || (in_section && same < want) {
                        offer(&mut top, want, key(o));
                    }
                    any += 1;
                    same += usize::from(in_section);
                    if any >= want && same >= want {
                        break;
                    }
                }
            }
        }
        picked.extend(top.into_iter().map(|(_, _, o)| o));
    }

    /// Fills `levels[j]` with the pages sharing more than `j` of `terms`, for
    /// as many levels as there are terms (at most `levels.len()`); returns
    /// that number.
    fn count_shared(&self, terms: &[(usize, usize)], levels: &mut [Vec<u64>]) -> usize {
        let used = terms.len().min(levels.len());
        for l in &mut levels[..used] {
            l.fill(0);
        }
        for &(ti, t) in terms {
            let x = &self.bits[ti][t];
            // Highest level first, so each term counts once per page.
            for j in (1..used).rev() {
                let (lower, upper) = levels.split_at_mut(j);
                for ((u, l), x) in upper[0].iter_mut().zip(&lower[j - 1]).zip(x) {
                    *u |= *l & x;
                }
            }
            for (l, x) in levels[0].iter_mut().zip(x) {
                *l |= x;
            }
        }
        used
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
    use proptest::prelude::RngExt;
    use proptest::test_runner::{RngAlgorithm, TestRng};

    use super::{bitsets, excerpt, Index, LEVELS};
    use crate::model::{TaxonomyId, TermId};

    /// proptest's seeded generator, so every run draws the same sites.
    struct Draw(TestRng);
    impl Draw {
        fn below(&mut self, n: u64) -> u64 {
            self.0.random_range(0..n)
        }
    }

    /// Every page scored, sorted, cut: what `by_terms` must pick.
    fn brute_force(
        ix: &Index,
        pi: usize,
        section: u32,
        terms: &[(usize, usize)],
        want: usize,
    ) -> Vec<usize> {
        let terms: Vec<_> = terms
            .iter()
            .filter(|&&(ti, t)| ix.lists[ti][t].len() as f64 <= ix.cutoff)
            .collect();
        let mut all: Vec<(u32, u32, usize)> = (0..ix.rank.len())
            .filter(|&o| o != pi && ix.eligible[o])
            .filter_map(|o| {
                let shared: Vec<_> = terms
                    .iter()
                    .filter(|&&&(ti, t)| ix.lists[ti][t].contains(&(o as u32)))
                    .collect();
                let score: u32 = shared.iter().map(|&&&(ti, _)| ix.weights[ti]).sum::<u32>()
                    + if ix.section_of[o] == section {
                        ix.bonus
                    } else {
                        0
                    };
                (!shared.is_empty()).then_some((u32::MAX - score, ix.rank[o], o))
            })
            .collect();
        all.sort_unstable();
        all.into_iter().take(want).map(|k| k.2).collect()
    }

    #[test]
    fn picks_by_shared_terms_equal_scoring_every_page() {
        let mut r = Draw(TestRng::deterministic_rng(RngAlgorithm::ChaCha));
        for round in 0..60 {
            let n = 40 + r.below(200) as usize;
            let taxonomies = 1 + r.below(3) as usize;
            let terms_per = 1 + r.below(8) as usize;
            let sections = 1 + r.below(4) as u32;
            // Ranks are a shuffle of the pages.
            let mut by_rank: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                by_rank.swap(i, r.below(i as u64 + 1) as usize);
            }
            let mut rank = vec![0u32; n];
            for (k, &p) in by_rank.iter().enumerate() {
                rank[p] = k as u32;
            }
            // Each page: up to seven terms (more than LEVELS), some drafts.
            let mut page_terms = vec![Vec::new(); n];
            let mut lists = vec![vec![Vec::new(); terms_per]; taxonomies];
            for (p, terms) in page_terms.iter_mut().enumerate() {
                for _ in 0..r.below(LEVELS as u64 + 4) {
                    let (ti, t) = (
                        r.below(taxonomies as u64) as usize,
                        r.below(terms_per as u64) as usize,
                    );
                    if !terms.contains(&(ti, t)) {
                        terms.push((ti, t));
                        lists[ti][t].push(p as u32);
                    }
                }
            }
            for terms in lists.iter_mut().flatten() {
                terms.sort_by_key(|&p| rank[p as usize]);
            }
            let words = n.div_ceil(64);
            let ix = Index {
                cutoff: n as f64 * if round % 3 == 0 { 0.3 } else { 1.0 },
                weights: (0..taxonomies).map(|_| 1 + r.below(150) as u32).collect(),
                bonus: r.below(200) as u32,
                rank,
                eligible: (0..n).map(|_| r.below(10) > 0).collect(),
                section_of: (0..n).map(|_| r.below(sections as u64) as u32).collect(),
                words,
                bits: bitsets(&lists, words),
                lists,
            };
            let mut levels = vec![vec![0u64; ix.words]; LEVELS];
            for (pi, terms) in page_terms.iter().enumerate() {
                let want = 1 + r.below(6) as usize;
                let section = ix.section_of[pi];
                let mut picked = Vec::new();
                let ids: Vec<TermId> = terms
                    .iter()
                    .map(|&(ti, term)| TermId {
                        taxonomy: TaxonomyId(ti),
                        term,
                    })
                    .collect();
                ix.by_terms(pi, section, &ids, want, &mut levels, &mut picked);
                let expected = brute_force(&ix, pi, section, terms, want);
                assert_eq!(picked, expected, "round {round}, page {pi}");
            }
        }
    }

    #[test]
    fn excerpt_cuts_at_word() {
        assert_eq!(excerpt("short text", 140), "short text");
        let long = "word ".repeat(60);
        let e = excerpt(&long, 140);
        assert!(e.ends_with("word…"));
        assert!(e.chars().count() <= 141);
    }
}
