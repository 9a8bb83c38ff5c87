//! The health pass: applies the health content model (`[review]`,
//! `[[references]]`, `[@id]` citations, urgency callouts) to the site. It
//! checks reviews and references ([`check`]), hands the theme its data
//! ([`template`]) and describes health pages as schema.org `MedicalWebPage`
//! ([`jsonld`]).

pub mod check;
pub mod jsonld;
pub mod template;

use std::sync::Arc;

use rayon::prelude::*;

use crate::derived::{Derived, PageHealthInfo};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, MarkdownContext, Resolved};
use crate::model::front_matter::PageDate;
use crate::model::{PageId, SectionId, Site};

/// The health pass: checks reviews, references and citations of every page,
/// and fills `Derived::health`. Needs the links pass (citations are found
/// while rendering bodies).
pub fn pass(site: &Site, derived: &mut Derived, today: &PageDate) -> Vec<Diagnostic> {
    let config = &site.config.health;
    let disclaimers = section_disclaimers(site);
    let results: Vec<(PageHealthInfo, Vec<Diagnostic>)> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            let id = PageId(i);
            let page = &site[id];
            let meta = &page.meta;
            let diags = page_diagnostics(site, derived, id, today);
            let medical = meta
                .medical
                .unwrap_or_else(|| in_sections(site, page.section, &config.sections));
            let reviewer_url = meta
                .review
                .as_ref()
                .and_then(|r| site.config.reviewers.get(&r.by))
                .and_then(|r| r.url.as_deref())
                .map(|u| resolve_url(site, u));
            let info = PageHealthInfo {
                medical,
                disclaimer: medical
                    .then(|| disclaimers[page.section.0].clone())
                    .flatten(),
                reviewer_url,
                review_next: meta
                    .review
                    .as_ref()
                    .map(|r| check::next_review(r, config.review_interval_days)),
            };
            (info, diags)
        })
        .collect();
    let mut diags = Vec::new();
    derived.health = Vec::with_capacity(results.len());
    for (info, d) in results {
        derived.health.push(info);
        diags.extend(d);
    }
    diags
}

/// The problems of one page's review, references and citations (also run
/// by the incremental rebuild after a body edit).
pub fn page_diagnostics(
    site: &Site,
    derived: &Derived,
    id: PageId,
    today: &PageDate,
) -> Vec<Diagnostic> {
    let page = &site[id];
    let body = derived.page_body(id);
    let meta = &page.meta;
    let mut diags = check::check_page(
        &page.file.display,
        &page.file.text,
        meta.review.as_ref(),
        &meta.references,
        &site.config.reviewers,
        today.clone(),
    );
    let known = || meta.references.iter().map(|r| r.id.as_str());
    for (cited, range) in &body.unknown_citations {
        diags.push(check::unknown_citation(
            &page.file.display,
            &page.file.text,
            cited,
            range.clone(),
            known(),
        ));
    }
    let cited = body.citations.order().iter().map(String::as_str);
    diags.extend(check::uncited(
        &page.file.display,
        &page.file.text,
        &meta.references,
        cited,
    ));
    diags
}

/// True when `section` is, or lies under, one of the named section folders.
pub fn in_sections(site: &Site, section: SectionId, names: &[String]) -> bool {
    let dir = &site[section].dir;
    names.iter().any(|n| {
        let n = n.trim_matches('/');
        dir == n
            || dir
                .strip_prefix(n)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// An `@/` link resolved to its permalink; anything else as written.
fn resolve_url(site: &Site, url: &str) -> String {
    url.strip_prefix("@/")
        .and_then(|key| site.resolve(key))
        .map_or_else(|| url.to_string(), |t| site.permalink(t).to_string())
}

/// Each section's disclaimer as HTML: its own `disclaimer`, else the nearest
/// ancestor's, else `[health] disclaimer`. Rendered once per distinct text.
fn section_disclaimers(site: &Site) -> Vec<Option<Arc<str>>> {
    let site_wide = site
        .config
        .health
        .disclaimer
        .as_deref()
        .map(|d| render_disclaimer(site, d));
    let mut out: Vec<Option<Arc<str>>> = Vec::with_capacity(site.sections.len());
    for id in site.section_ids() {
        let own = site[id].meta.disclaimer.as_deref();
        let inherited = site
            .ancestors(id)
            .into_iter()
            .rev()
            .find_map(|a| site[a].meta.disclaimer.as_deref());
        out.push(match own.or(inherited) {
            Some(text) => Some(render_disclaimer(site, text)),
            None => site_wide.clone(),
        });
    }
    out
}

fn render_disclaimer(site: &Site, text: &str) -> Arc<str> {
    let resolve = |key: &str| {
        site.resolve(key).map(|t| Resolved {
            target: 0,
            permalink: site.permalink(t).to_string(),
        })
    };
    let cx = MarkdownContext {
        raw_html: false,
        ..MarkdownContext::plain(&site.config.markdown, &resolve)
    };
    markdown::render(text, 0, &cx).html.into()
}
