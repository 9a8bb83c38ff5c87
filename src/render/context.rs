//! The values templates see: page summaries computed once per build, the
//! full page value, and the site-wide globals.

use std::collections::HashMap;
use std::sync::RwLock;

use serde_json::{json, Map, Value};

use super::{escape, Renderer, Shared};
use crate::derived::Derived;
use crate::health::template;
use crate::metadata::{jsonld, related::excerpt};
use crate::model::front_matter::{PageDate, SortBy};
use crate::model::{table_to_json, Page, PageId, SectionId, Site};

/// The summary fields an "Also interesting" entry shows.
const CARD_FIELDS: [&str; 5] = ["title", "permalink", "path", "description", "excerpt"];

/// What changed in a page's summary after an edit.
#[derive(Debug, Clone, Copy)]
pub struct SummaryChange {
    /// Listings (sections, terms, feeds) show it differently.
    pub listings: bool,
    /// Pages that list it under "Also interesting" show it differently.
    pub cards: bool,
}

impl Shared {
    /// Read access to the page summaries.
    pub fn summaries(&self) -> std::sync::RwLockReadGuard<'_, Vec<Value>> {
        self.summaries.read().unwrap_or_else(|e| e.into_inner())
    }
}

impl Renderer {
    /// Computes the summary of every page, which listings, "Also interesting"
    /// and `get_page` show. Nothing renders before this; a build calls it
    /// once it has let go of the sources, so both are never held at once.
    pub fn summarise(&self, site: &Site, derived: &Derived) {
        use rayon::prelude::*;
        let all: Vec<Value> = (0..site.pages.len())
            .into_par_iter()
            .map(|i| page_summary(site, derived, PageId(i)))
            .collect();
        *self
            .shared
            .summaries
            .write()
            .unwrap_or_else(|e| e.into_inner()) = all;
    }

    /// Recomputes the summary of page `i` after an edit; true if it changed.
    pub fn refresh_summary(&self, site: &Site, derived: &Derived, id: PageId) -> SummaryChange {
        let i = id.0;
        let new = page_summary(site, derived, id);
        let mut all = self
            .shared
            .summaries
            .write()
            .unwrap_or_else(|e| e.into_inner());
        let change = SummaryChange {
            listings: all[i] != new,
            cards: CARD_FIELDS.iter().any(|k| all[i][k] != new[k]),
        };
        all[i] = new;
        change
    }

    pub(super) fn page_value(&self, site: &Site, derived: &Derived, id: PageId) -> Value {
        let p = &site[id];
        let body = derived.page_body(id);
        let summaries = self.shared.summaries();
        let mut v = summaries[id.0].clone();
        let ancestors = site.ancestors(p.section);
        v["content"] = match derived.take_page_html(id) {
            Some(html) => Value::String(html),
            None => json!(body.html),
        };
        // The text before `<!-- more -->`, else the description.
        v["summary"] = match (&body.summary, &p.meta.description) {
            (Some(html), _) => json!(html),
            (None, Some(d)) if !d.trim().is_empty() => {
                Value::String(format!("<p>{}</p>", escape(d.trim())))
            }
            _ => Value::Null,
        };
        v["toc"] = toc_value(&body.toc, &p.permalink);
        let (lower, higher) = self.shared.neighbours[id.0];
        let card = |n: Option<PageId>| {
            n.map_or(Value::Null, |n| {
                let s = &summaries[n.0];
                let fields = ["title", "description", "permalink", "path", "slug", "date"];
                Value::Object(
                    fields
                        .iter()
                        .map(|k| (k.to_string(), s[*k].clone()))
                        .collect(),
                )
            })
        };
        v["lower"] = card(lower);
        v["higher"] = card(higher);
        v["relative_path"] = json!(p.file.key);
        v["heading_count"] = json!(body.heading_count);
        v["ancestors"] = Value::Array(ancestors.iter().map(|&a| section_link(site, a)).collect());
        v["related"] = Value::Array(
            derived
                .related(id)
                .iter()
                .map(|&r| {
                    let s = &summaries[r.0];
                    let card: Map<String, Value> = CARD_FIELDS
                        .into_iter()
                        .map(|k| (k.to_string(), s[k].clone()))
                        .collect();
                    Value::Object(card)
                })
                .collect(),
        );
        v["backlinks"] = Value::Array(
            derived
                .backlinks(id)
                .iter()
                .map(|&b| json!({"title": site[b].title(), "permalink": site[b].permalink}))
                .collect(),
        );
        v["faq"] = Value::Array(
            derived
                .faq(id)
                .iter()
                .map(|f| json!({"question": f.question, "answer": f.html}))
                .collect(),
        );
        v["jsonld"] = Value::Array(
            jsonld::page_documents(site, derived, id, &ancestors)
                .into_iter()
                .map(Value::String)
                .collect(),
        );
        self.health_values(site, derived, id, &mut v);
        v["assets"] = p.asset_urls().map(Value::String).collect();
        let mut terms = Map::new();
        for &tid in derived.terms(id) {
            let t = &site[tid.taxonomy];
            let entry = terms
                .entry(t.config.name.clone())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = entry {
                let term = &site[tid];
                list.push(
                    json!({"name": term.name, "slug": term.slug, "permalink": term.permalink}),
                );
            }
        }
        v["terms"] = Value::Object(terms);
        v
    }
}

impl Renderer {
    /// `page.review`, `page.references` and `page.health` for the theme.
    fn health_values(&self, site: &Site, derived: &Derived, id: PageId, v: &mut Value) {
        let p = &site[id];
        let info = &derived.health[id.0];
        let cfg = &site.config.health;
        let review = p
            .meta
            .review
            .as_ref()
            .and_then(|r| Some((r, site.config.reviewers.get(&r.by)?)));
        // Left empty when no template reads them (see `usage.rs`).
        v["review"] = match review {
            Some((r, reviewer)) if self.reads_review => template::review_value(
                &r.by,
                r,
                reviewer,
                info.reviewer_url.as_deref(),
                cfg.review_interval_days,
                &self.shared.today,
            ),
            _ => Value::Null,
        };
        let numbering = &derived.page_body(id).citations;
        let references = template::ordered(&p.meta.references, numbering);
        v["references"] = if self.reads_references {
            template::references_value(&references, numbering)
        } else {
            Value::Array(Vec::new())
        };
        let line = review.map(|(review, reviewer)| template::ReviewLine {
            review,
            reviewer,
            url: info.reviewer_url.as_deref(),
            interval_days: cfg.review_interval_days,
            today: &self.shared.today,
        });
        v["health"] = template::health_value(
            info.medical,
            info.disclaimer.as_deref(),
            line,
            &references,
            numbering,
        );
    }
}

/// A page's `lower` and `higher` neighbours.
pub(super) type Neighbours = (Option<PageId>, Option<PageId>);

/// Zola's `lower` and `higher` of every page: its neighbours in its section's
/// order, found in one walk over the sections (a page's own lookup is then
/// constant, however long its section). Sorted by date (newest first),
/// `higher` is the newer page (before it) and `lower` the older one (after
/// it); sorted by weight, title or nothing (ascending), `lower` comes before
/// it and `higher` after it. A page no section lists has neither.
fn neighbours(site: &Site) -> Vec<Neighbours> {
    let mut all = vec![(None, None); site.pages.len()];
    for (si, section) in site.sections.iter().enumerate() {
        let pages = &section.pages;
        for (i, &id) in pages.iter().enumerate() {
            // Its own section's order, should another section list it too.
            if site[id].section.0 != si {
                continue;
            }
            let before = i.checked_sub(1).map(|j| pages[j]);
            let after = pages.get(i + 1).copied();
            all[id.0] = match section.meta.sort_by {
                SortBy::Date => (after, before),
                _ => (before, after),
            };
        }
    }
    all
}

pub(super) fn toc_value(toc: &[crate::markdown::Heading], permalink: &str) -> Value {
    Value::Array(
        toc.iter()
            .map(|h| {
                let mut v = json!({"level": h.level, "id": h.id, "title": h.title});
                v["permalink"] = Value::String(format!("{permalink}#{}", h.id));
                v["children"] = toc_value(&h.children, permalink);
                v
            })
            .collect(),
    )
}

pub(super) fn section_link(site: &Site, si: SectionId) -> Value {
    let s = &site[si];
    json!({"title": s.title(), "permalink": s.permalink, "path": s.path,
           "relative_path": s.file.key})
}

/// The summary every listing, `get_page` and "Also interesting" use.
pub fn page_summary(site: &Site, derived: &Derived, id: PageId) -> Value {
    let p: &Page = &site[id];
    let body = derived.page_body(id);
    let excerpt_src = p
        .meta
        .description
        .clone()
        .filter(|d| !d.trim().is_empty())
        .or_else(|| body.summary.as_deref().map(crate::markdown::html_to_text))
        .unwrap_or_else(|| {
            let text =
                crate::markdown::html_to_text(&body.html.chars().take(2000).collect::<String>());
            text
        });
    // Owned values are assigned after `json!`, which would copy them.
    let mut v = json!({
        "title": p.title(),
        "description": p.meta.description.as_deref().unwrap_or_default(),
        "permalink": p.permalink,
        "path": p.path,
        "slug": p.slug,
        "date": p.date.as_ref().map(|d| d.ymd()),
        "updated": p.meta.updated.as_ref().map(|d| d.ymd()),
        "weight": p.meta.weight,
        "draft": p.meta.draft,
        "word_count": body.word_count,
        "reading_time": body.reading_time(),
        "taxonomies": p.meta.taxonomies,
        "authors": p.meta.authors,
        "lang": site.config.language,
    });
    v["excerpt"] = Value::String(excerpt(&excerpt_src, 140));
    v["extra"] = table_to_json(&p.meta.extra);
    v
}

pub(super) fn shared_values(
    site: &Site,
    derived: &Derived,
    static_hashes: HashMap<String, String>,
) -> Shared {
    let c = site;
    let section_values = c
        .sections
        .iter()
        .map(|s| {
            json!({
                "title": s.title(),
                "description": s.meta.description.clone().unwrap_or_default(),
                "permalink": s.permalink,
                "path": s.path,
                "relative_path": s.file.key,
                "subsections": s.subsections.iter().map(|&sub| {
                    let ss = &c[sub];
                    json!({"title": ss.title(), "permalink": ss.permalink, "path": ss.path,
                           "relative_path": ss.file.key,
                           "description": ss.meta.description.clone().unwrap_or_default(),
                           "page_count": ss.pages.len()})
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let section_pages = c
        .sections
        .iter()
        .map(|s| {
            let mut pages = s.pages.clone();
            if s.meta.paginate_reversed {
                pages.reverse();
            }
            pages
        })
        .collect();
    let mut term_urls = HashMap::new();
    for t in &site.taxonomies {
        for term in &t.terms {
            term_urls.insert(
                (t.config.name.clone(), term.slug.clone()),
                term.permalink.clone(),
            );
        }
    }
    let mut taxonomies = HashMap::new();
    for t in &site.taxonomies {
        let terms = t
            .terms
            .iter()
            .map(|term| {
                (
                    json!({"name": term.name, "slug": term.slug, "permalink": term.permalink,
                           "path": term.path, "count": term.pages.len()}),
                    term.pages.clone(),
                )
            })
            .collect();
        let value = json!({"name": t.config.name, "slug": t.slug, "permalink": t.permalink,
                           "path": t.path, "paginate_by": t.config.paginate_by, "feed": t.config.feed});
        taxonomies.insert(t.config.name.clone(), (value, terms));
    }
    let (faq_order, faq_questions) = super::listings::faq_order(site, derived);
    Shared {
        neighbours: neighbours(site),
        faq_order,
        faq_questions,
        root: site.root.clone(),
        reads: derived.reads.clone(),
        translations: site.config.translations.clone(),
        language: site.config.language.clone(),
        taxonomies,
        base_url: site.config.base_url.clone(),
        // Filled by `Renderer::summarise`.
        summaries: RwLock::new(Vec::new()),
        section_values,
        section_pages,
        by_key: c.by_key.clone(),
        static_hashes,
        term_urls,
        markdown: site.config.markdown.clone(),
        today: PageDate::today(),
    }
}

/// What every template sees; `faq_page` says whether the FAQ page is written.
pub(super) fn globals(site: &Site, faq_page: bool) -> Map<String, Value> {
    let cfg = &site.config;
    let nav: Vec<Value> = site[SectionId::ROOT]
        .subsections
        .iter()
        .filter(|&&s| site[s].meta.render)
        .map(|&s| section_link(site, s))
        .collect();
    let mut m = Map::new();
    m.insert(
        "config".into(),
        json!({
            "title": cfg.title,
            "description": cfg.description,
            "base_url": cfg.base_url,
            "language": cfg.language,
            "taxonomies": cfg.taxonomies,
            "extra": table_to_json(&cfg.extra),
            "author": cfg.author,
            "publisher": cfg.publisher,
            "faq_page": faq_page,
            "faq_url": cfg.permalink(&format!("/{}/", cfg.faq.path.trim_matches('/'))),
            "generate_feed": cfg.generate_feed,
            "default_language": cfg.language,
            "generate_feeds": cfg.generate_feed,
            "feed_filenames": ["atom.xml"],
            "feed_filename": "atom.xml",
            "languages": {},
            "markdown": cfg.markdown,
            "build_search_index": false,
            "mode": "build",
        }),
    );
    m.insert("nav".into(), Value::Array(nav));
    m.insert("lang".into(), json!(cfg.language));
    m.insert("feed_url".into(), json!(cfg.permalink("/atom.xml")));
    m
}
