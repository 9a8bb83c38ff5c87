//! The lint pass: describes every page and section of the site model to the
//! rules in [`super::run`]. It never renders templates.

use crate::derived::Derived;
use crate::markdown::{LinkKind, LinkRef};
use crate::model::front_matter::PageDate;
use crate::model::{PageId, Site};

use super::{run, LintPage, LintReport};

/// Runs every lint rule over the site.
pub fn pass(site: &Site, derived: &Derived, today: &PageDate) -> LintReport {
    use rayon::prelude::*;
    // Each page is described on its own: in parallel, in page order.
    let mut pages: Vec<LintPage> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            let id = PageId(i);
            let p = &site[id];
            let mut lp = LintPage::new(
                &p.file.key,
                &p.file.display,
                &p.file.text,
                p.body_offset,
                &site[p.section].dir,
            );
            lp.title = p.meta.title.as_deref();
            lp.description = p.meta.description.as_deref();
            lp.faq_questions = p.meta.faq.iter().map(|f| f.question.as_str()).collect();
            lp.links_to = links_of(site, derived, id);
            lp.health = derived.health[id.0].medical;
            lp.has_review = p.meta.review.is_some();
            lp.review_next = derived.health[id.0].review_next.clone();
            lp.references = derived.page_body(id).citations.order().len();
            lp.allow = p.meta.lint.as_ref().map_or(&[], |l| &l.allow);
            lp.body_findings = derived.page_findings.get(id.0).map(Vec::as_slice);
            lp
        })
        .collect();
    pages.reserve(site.sections.len());
    for id in site.section_ids() {
        let s = &site[id];
        if s.file.text.is_empty() {
            continue; // the implicit root has no file to lint
        }
        let mut lp = LintPage::new(
            &s.file.key,
            &s.file.display,
            &s.file.text,
            s.body_offset,
            &s.dir,
        );
        lp.is_section_index = true;
        lp.title = s.meta.title.as_deref();
        lp.description = s.meta.description.as_deref();
        lp.links_to = internal_keys(site, &derived.section_body(id).links).collect();
        lp.allow = s.meta.lint.as_ref().map_or(&[], |l| &l.allow);
        lp.body_findings = derived.section_findings.get(id.0).map(Vec::as_slice);
        pages.push(lp);
    }
    run(&pages, &site.config.lint, today.clone())
}

/// The keys a page links to by hand: `@/` links in its body and FAQ answers,
/// and its `related` picks.
fn links_of<'a>(site: &'a Site, derived: &'a Derived, id: PageId) -> Vec<&'a str> {
    let p = &site[id];
    let answers = derived.faq(id).iter().flat_map(|a| &a.links);
    let mut out: Vec<&str> =
        internal_keys(site, derived.page_body(id).links.iter().chain(answers)).collect();
    for entry in &p.meta.related {
        let key = entry.strip_prefix("@/").unwrap_or(entry);
        if let Some(t) = site.resolve(key) {
            out.push(&site.file(t).key);
        }
    }
    out
}

/// The `@/` keys of the pages and sections that `links` point at.
fn internal_keys<'a>(
    site: &'a Site,
    links: impl IntoIterator<Item = &'a LinkRef>,
) -> impl Iterator<Item = &'a str> {
    links.into_iter().filter_map(move |l| match l.kind {
        LinkKind::Internal { target, .. } => Some(site.file(site.link_target(target)).key.as_str()),
        _ => None,
    })
}
