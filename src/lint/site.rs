//! The lint pass: describes every page and section of the site model to the
//! rules in [`super::run`]. It never renders templates.

use crate::derived::Derived;
use crate::markdown::LinkKind;
use crate::model::front_matter::PageDate;
use crate::model::{PageId, Site, Target};

use super::{run, LintPage, LintReport};

/// Runs every lint rule over the site.
pub fn pass(site: &Site, derived: &Derived, today: &PageDate) -> LintReport {
    let key_of = |t: Target| site.file(t).key.as_str();
    let mut pages: Vec<LintPage> = Vec::with_capacity(site.pages.len() + site.sections.len());
    for id in site.page_ids() {
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
        lp.links_to = links_of(site, derived, id, &key_of);
        lp.health = derived.health[id.0].medical;
        lp.has_review = p.meta.review.is_some();
        lp.review_next = derived.health[id.0].review_next.clone();
        lp.references = derived.page_body(id).citations.order().len();
        lp.allow = p.meta.lint.as_ref().map_or(&[], |l| &l.allow);
        pages.push(lp);
    }
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
        lp.links_to = derived
            .section_body(id)
            .links
            .iter()
            .filter_map(|l| match l.kind {
                LinkKind::Internal { target, .. } => Some(key_of(site.link_target(target))),
                _ => None,
            })
            .collect();
        lp.allow = s.meta.lint.as_ref().map_or(&[], |l| &l.allow);
        pages.push(lp);
    }
    run(&pages, &site.config.lint, today.clone())
}

/// The keys a page links to by hand: `@/` links in its body and FAQ answers,
/// and its `related` picks.
fn links_of<'a>(
    site: &'a Site,
    derived: &Derived,
    id: PageId,
    key_of: &impl Fn(Target) -> &'a str,
) -> Vec<&'a str> {
    let p = &site[id];
    let mut out: Vec<&str> = derived
        .page_body(id)
        .links
        .iter()
        .filter_map(|l| match l.kind {
            LinkKind::Internal { target, .. } => Some(key_of(site.link_target(target))),
            _ => None,
        })
        .collect();
    let answers = p.meta.faq.iter().map(|f| f.answer.as_str());
    let named = p
        .meta
        .related
        .iter()
        .map(String::as_str)
        .chain(answers.flat_map(at_links));
    for entry in named {
        let key = entry.strip_prefix("@/").unwrap_or(entry);
        let key = key.split('#').next().unwrap_or(key);
        if let Some(t) = site.resolve(key) {
            out.push(key_of(t));
        }
    }
    out
}

/// The `@/…` link targets written in a piece of Markdown (FAQ answers).
fn at_links(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("](@/").map(move |(i, _)| {
        let rest = &text[i + 2..];
        let end = rest.find([')', ' ', '"']).unwrap_or(rest.len());
        &rest[..end]
    })
}
