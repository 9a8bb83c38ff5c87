//! Listing outputs: paginators, feeds, the sitemap, the site-wide FAQ, and
//! which listings show a given page (for `serve`'s incremental rebuilds).

use serde_json::{json, Value};

use super::context::{section_link, SummaryChange};
use super::{Job, Renderer};
use crate::derived::Derived;
use crate::model::{PageId, SectionId, Site};

impl Renderer {
    /// The listing outputs that show page `i`'s summary: its section's pager, its
    /// terms' pagers, their taxonomies' term lists (which list each term's
    /// pages), the feed, and the pages that list it under "Also interesting".
    pub fn jobs_showing(
        &self,
        site: &Site,
        derived: &Derived,
        i: PageId,
        change: SummaryChange,
    ) -> Vec<Job> {
        let page = &site[i];
        let mut jobs = Vec::new();
        if change.cards {
            jobs.extend(
                site.page_ids()
                    .filter(|&j| derived.related(j).contains(&i))
                    .map(Job::Page),
            );
        }
        if !change.listings {
            return jobs;
        }
        if site.config.generate_feed {
            jobs.push(Job::Feed);
        }
        let si = page.section;
        if site[si].meta.render {
            let order = &self.shared.section_pages[si.0];
            if let Some(pos) = order.iter().position(|&p| p == i) {
                let n = site[si]
                    .meta
                    .paginate_by
                    .filter(|&b| b > 0)
                    .map_or(0, |b| pos / b);
                jobs.push(Job::Section(si, n));
            }
        }
        for &tid in derived.terms(i) {
            let t = &site[tid.taxonomy];
            if let Some(pos) = site[tid].pages.iter().position(|&p| p == i) {
                let n = t
                    .config
                    .paginate_by
                    .filter(|&b| b > 0)
                    .map_or(0, |b| pos / b);
                jobs.push(Job::Term(tid, n));
            }
            if !jobs.contains(&Job::TaxonomyList(tid.taxonomy)) {
                jobs.push(Job::TaxonomyList(tid.taxonomy));
            }
        }
        jobs
    }

    pub(super) fn paginator(
        &self,
        site: &Site,
        pages: &[PageId],
        by: Option<usize>,
        n: usize,
        base: &str,
        segment: &str,
    ) -> (Value, String) {
        let by_n = by.filter(|&b| b > 0).unwrap_or(pages.len().max(1));
        let count = pager_count(pages.len(), by);
        let url = |k: usize| {
            if k == 0 {
                site.config.permalink(base)
            } else {
                site.config
                    .permalink(&format!("{base}{segment}/{}/", k + 1))
            }
        };
        let path = if n == 0 {
            base.to_string()
        } else {
            format!("{base}{segment}/{}/", n + 1)
        };
        let chunk: Vec<PageId> = pages.iter().skip(n * by_n).take(by_n).copied().collect();
        // A window, so pager values grow with the pager count, not its square.
        let pagers: Vec<Value> = pager_window(n, count)
            .map(|k| json!({"index": k + 1, "permalink": url(k)}))
            .collect();
        let mut value = json!({
            "current_index": n + 1,
            "number_pagers": count,
            "paginate_by": by_n,
            "total_pages": pages.len(),
            "first": url(0),
            "last": url(count.saturating_sub(1)),
            "previous": if n > 0 { json!(url(n - 1)) } else { Value::Null },
            "next": if n + 1 < count { json!(url(n + 1)) } else { Value::Null },
            "pagers": pagers,
        });
        // Assigned, not written inside `json!`, which would copy the summaries.
        value["pages"] = self.summaries(&chunk);
        (value, path)
    }

    /// The values a feed template sees.
    pub(super) fn feed_values(
        &self,
        site: &Site,
        pages: &[PageId],
        title: &str,
        path: &str,
        home: &str,
    ) -> Vec<(&'static str, Value)> {
        let entries: Vec<Value> = pages
            .iter()
            .filter_map(|&i| {
                let p = &site[i];
                let date = p.date.as_ref()?;
                let updated = p.meta.updated.as_ref().unwrap_or(date);
                Some(json!({"title": p.title(), "permalink": p.permalink, "description": p.meta.description,
                            "published": date.rfc3339(), "updated_rfc3339": updated.rfc3339()}))
            })
            .collect();
        let last = pages
            .iter()
            .filter_map(|&i| site[i].meta.updated.as_ref().or(site[i].date.as_ref()))
            .max()
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        vec![
            ("pages", Value::Array(entries)),
            ("feed_title", json!(title)),
            ("feed_url", json!(site.config.permalink(path))),
            ("feed_home", json!(home)),
            ("last_updated", json!(last)),
        ]
    }
}

/// Number of pagers for `n` items (at least one).
pub(super) fn pager_count(n: usize, by: Option<usize>) -> usize {
    match by {
        Some(b) if b > 0 => n.div_ceil(b).max(1),
        _ => 1,
    }
}

/// The first, the last, and two pagers either side of the current one (0-based).
pub(super) fn pager_window(current: usize, count: usize) -> impl Iterator<Item = usize> {
    (0..count).filter(move |&k| k == 0 || k + 1 == count || k.abs_diff(current) <= 2)
}

/// The URL path of FAQ pager `n` (0-based): `/faq/`, `/faq/page/2/`, …
pub(super) fn faq_pager_path(config: &crate::config::Config, n: usize) -> String {
    let base = config.faq.path.trim_matches('/');
    if n == 0 {
        format!("/{base}/")
    } else {
        format!("/{base}/{}/{}/", config.faq.paginate_path, n + 1)
    }
}

/// The FAQ page's order: every page a section lists that has questions,
/// sections in site order, with its section and how many questions come
/// before its own; and the number of questions in all. Computed once per
/// build, so that each FAQ pager finds its questions without counting the
/// pages before it again.
pub(super) fn faq_order(site: &Site, derived: &Derived) -> (Vec<FaqPlace>, usize) {
    let mut order = Vec::new();
    let mut seen = 0;
    for si in site.section_ids() {
        for &pi in &site[si].pages {
            let n = derived.faq(pi).len();
            if n > 0 {
                order.push(FaqPlace {
                    section: si,
                    page: pi,
                    before: seen,
                });
                seen += n;
            }
        }
    }
    (order, seen)
}

/// A page in [`faq_order`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct FaqPlace {
    section: SectionId,
    page: PageId,
    before: usize,
}

impl Renderer {
    /// FAQ pager `n`: the questions on it, grouped by section in site order,
    /// its `paginator` value, and its path. Questions are numbered across
    /// the site in section order, then page order, then the order in front
    /// matter, and each pager shows `[faq] paginate_by` of them.
    pub(super) fn faq_pager(
        &self,
        site: &Site,
        derived: &Derived,
        n: usize,
    ) -> (Value, Value, String) {
        let (order, total) = (&self.shared.faq_order, self.shared.faq_questions);
        let by = site.config.faq.paginate_by.filter(|&b| b > 0);
        let count = pager_count(total, by);
        let per = by.unwrap_or(total.max(1));
        let (first, end) = (n * per, (n * per + per).min(total));
        // The first page with a question on this pager, then on to `end`.
        let from = order.partition_point(|p| p.before + derived.faq(p.page).len() <= first);
        let mut groups: Vec<(SectionId, Vec<Value>)> = Vec::new();
        for place in order[from..].iter().take_while(|p| p.before < end) {
            let (faq, p) = (derived.faq(place.page), &site[place.page]);
            let shown = first.saturating_sub(place.before)..(end - place.before).min(faq.len());
            let entries = faq[shown].iter().map(|f| {
                json!({"question": f.question, "answer": f.html,
                       "page": {"title": p.title(), "permalink": p.permalink}})
            });
            match groups.last_mut() {
                Some((si, list)) if *si == place.section => list.extend(entries),
                _ => groups.push((place.section, entries.collect())),
            }
        }
        let groups = groups
            .into_iter()
            .map(|(si, entries)| {
                let mut group = json!({"section": section_link(site, si)});
                group["entries"] = Value::Array(entries);
                group
            })
            .collect();
        (
            groups,
            faq_paginator(site, n, count, per, total),
            faq_pager_path(&site.config, n),
        )
    }
}

/// The `paginator` value of FAQ pager `n` of `count`.
fn faq_paginator(site: &Site, n: usize, count: usize, per: usize, total: usize) -> Value {
    let url = |k: usize| site.config.permalink(&faq_pager_path(&site.config, k));
    let pagers: Vec<Value> = pager_window(n, count)
        .map(|k| json!({"index": k + 1, "permalink": url(k)}))
        .collect();
    json!({
        "current_index": n + 1,
        "number_pagers": count,
        "paginate_by": per,
        "total_questions": total,
        "first": url(0),
        "last": url(count.saturating_sub(1)),
        "previous": if n > 0 { json!(url(n - 1)) } else { Value::Null },
        "next": if n + 1 < count { json!(url(n + 1)) } else { Value::Null },
        "pagers": pagers,
    })
}

/// Every page that has a section to list it, A to Z by title, grouped by
/// section in site order: the search page's list without JavaScript.
pub(super) fn search_groups(site: &Site) -> Value {
    let mut groups = Vec::new();
    for si in site.section_ids() {
        let mut pages: Vec<(String, &str, &str)> = site[si]
            .pages
            .iter()
            .map(|&pi| {
                let p = &site[pi];
                (p.title().to_lowercase(), p.title(), p.permalink.as_str())
            })
            .collect();
        if pages.is_empty() {
            continue;
        }
        pages.sort();
        let pages: Vec<Value> = pages
            .into_iter()
            .map(|(_, title, permalink)| json!({"title": title, "permalink": permalink}))
            .collect();
        let mut group = json!({"section": section_link(site, si)});
        group["pages"] = Value::Array(pages);
        groups.push(group);
    }
    Value::Array(groups)
}

pub(super) fn sitemap_entries(site: &Site) -> Value {
    let c = site;
    let mut entries: Vec<Value> = Vec::with_capacity(c.pages.len() + c.sections.len());
    for s in c
        .sections
        .iter()
        .filter(|s| s.meta.render && s.meta.redirect_to.is_none())
    {
        entries.push(json!({"permalink": s.permalink, "lastmod": Value::Null}));
    }
    for p in &c.pages {
        let lastmod = p.meta.updated.as_ref().or(p.date.as_ref()).map(|d| d.ymd());
        entries.push(json!({"permalink": p.permalink, "lastmod": lastmod}));
    }
    for t in &site.taxonomies {
        entries.push(json!({"permalink": t.permalink, "lastmod": Value::Null}));
        for term in &t.terms {
            entries.push(json!({"permalink": term.permalink, "lastmod": Value::Null}));
        }
    }
    Value::Array(entries)
}
