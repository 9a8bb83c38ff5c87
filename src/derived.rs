//! Derived data: what the passes compute from the site model, kept beside it
//! and keyed by the model's ids. A new feature adds a field here and a pass
//! that fills it, never a field on `Page`.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::config::lint::Rule;
use crate::inputs::Reads;

use crate::markdown::scan::Scan;
use crate::markdown::shortcodes::ShortcodeRenderer;
use crate::markdown::Rendered;
use crate::model::front_matter::PageDate;
use crate::model::{PageId, SectionId, SourceFile, Target, TermId};

/// A FAQ entry ready for both the visible FAQ and the JSON-LD.
#[derive(Debug, Clone)]
pub struct FaqAnswer {
    /// The question, plain text.
    pub question: String,
    /// The answer as HTML.
    pub html: String,
    /// The answer as plain text (for JSON-LD).
    pub text: String,
    /// The links of the answer, with spans in the page's file, so the links
    /// pass checks their anchors like those of the body.
    pub links: Vec<crate::markdown::LinkRef>,
}

/// One finding of the content lint's rules that read a Markdown body, made
/// by a [`BodyReader`] during the markdown pass and reported, with the
/// page's levels and `lint.allow`, by the lint pass.
#[derive(Debug, Clone)]
pub struct BodyFinding {
    /// The rule that found it.
    pub rule: Rule,
    /// Where, as a byte range of the file.
    pub span: Range<usize>,
    /// The label under the span.
    pub label: String,
    /// The message.
    pub message: String,
    /// The likely fix.
    pub hint: String,
}

/// The body a [`BodyReader`] reads.
#[derive(Debug, Clone, Copy)]
pub struct BodyRef<'a> {
    /// The file.
    pub file: &'a SourceFile,
    /// Where the Markdown body starts in the file.
    pub body_offset: usize,
    /// The content-relative folder of its section (the section's own for an `_index.md`).
    pub section: &'a str,
    /// An `_index.md`.
    pub is_section_index: bool,
}

/// Reads each body while the markdown pass holds it, on the thread that
/// rendered it, with the renderer's [`Scan`] when there is one (a body
/// with shortcodes has none). So no scan outlives its body: the content
/// lint reads its bodies this way.
pub trait BodyReader: Sync {
    /// The findings of one body.
    fn read(&self, body: BodyRef<'_>, scan: Option<&Scan>) -> Vec<BodyFinding>;
}

/// Everything computed from the model, by id.
#[derive(Debug, Default)]
pub struct Derived {
    /// Rendered page bodies (the `links` pass).
    pub page_bodies: Vec<Rendered>,
    /// Rendered section bodies (the `links` pass).
    pub section_bodies: Vec<Rendered>,
    /// FAQ entries with rendered answers (the `links` pass).
    pub faq: Vec<Vec<FaqAnswer>>,
    /// What a [`BodyReader`] found in each page body (the `links` pass;
    /// empty unless the lint reads bodies). Kept after the lint pass reported
    /// it, so that `serve` can lint again after a body edit.
    pub page_findings: Vec<Vec<BodyFinding>>,
    /// The same for each section body.
    pub section_findings: Vec<Vec<BodyFinding>>,
    /// Pages that link to each page (the `links` pass).
    pub backlinks: Vec<Vec<PageId>>,
    /// Terms of each page (loading builds the taxonomies).
    pub terms: Vec<Vec<TermId>>,
    /// "Also interesting" pages (the `related` pass).
    pub related: Vec<Vec<PageId>>,
    /// Medical status, disclaimer and reviewer link (the `health` pass).
    pub health: Vec<PageHealthInfo>,
    /// Lint findings that pages allow (the `lint` pass), so `check` can list them.
    pub allowed: Vec<Allowed>,
    /// The shortcode templates bodies are rendered with (set before the `links` pass).
    pub shortcodes: ShortcodeTemplates,
    /// Files that content and templates read by path, for the input fingerprint.
    pub reads: Arc<Reads>,
    /// Page HTML moved out of `page_bodies` for a one-shot render
    /// ([`Derived::detach_page_html`]): each page's output takes its own and
    /// frees it once written, so the build does not hold every page's HTML
    /// to the end. Empty for `serve`, which renders pages again.
    pub(crate) detached_html: Vec<Mutex<Option<String>>>,
}

/// The shortcode templates of the site and its theme, when it has any.
#[derive(Clone, Default)]
pub struct ShortcodeTemplates(pub Option<Arc<dyn ShortcodeRenderer + Send + Sync>>);

impl std::fmt::Debug for ShortcodeTemplates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = self.0.as_ref().map(|r| r.names()).unwrap_or_default();
        f.debug_tuple("ShortcodeTemplates").field(&names).finish()
    }
}

impl Derived {
    /// The rendered body of a page or section.
    pub fn body(&self, t: Target) -> &Rendered {
        match t {
            Target::Page(p) => &self.page_bodies[p.0],
            Target::Section(s) => &self.section_bodies[s.0],
        }
    }

    /// Moves every page's HTML out of its body, for outputs that render each
    /// page once: [`Derived::take_page_html`] then hands it over. Page bodies
    /// keep everything else (table of contents, links, word count).
    pub fn detach_page_html(&mut self) {
        self.detached_html = self
            .page_bodies
            .iter_mut()
            .map(|b| Mutex::new(Some(std::mem::take(&mut b.html))))
            .collect();
    }

    /// A page's HTML, once, when it was detached; `None` otherwise (read
    /// `page_body(p).html` then).
    pub fn take_page_html(&self, p: PageId) -> Option<String> {
        let slot = self.detached_html.get(p.0)?;
        slot.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// The rendered body of a page.
    pub fn page_body(&self, p: PageId) -> &Rendered {
        &self.page_bodies[p.0]
    }

    /// The rendered body of a section.
    pub fn section_body(&self, s: SectionId) -> &Rendered {
        &self.section_bodies[s.0]
    }

    /// The FAQ of a page.
    pub fn faq(&self, p: PageId) -> &[FaqAnswer] {
        &self.faq[p.0]
    }

    /// The pages linking to a page.
    pub fn backlinks(&self, p: PageId) -> &[PageId] {
        &self.backlinks[p.0]
    }

    /// The terms of a page.
    pub fn terms(&self, p: PageId) -> &[TermId] {
        &self.terms[p.0]
    }

    /// The related pages of a page.
    pub fn related(&self, p: PageId) -> &[PageId] {
        &self.related[p.0]
    }
}

/// What the health pass found out about one page.
#[derive(Debug, Clone, Default)]
pub struct PageHealthInfo {
    /// Medical content: in a `[health] sections` section, or `medical = true`.
    pub medical: bool,
    /// The disclaimer as HTML (the section's, else the site's), for medical pages.
    pub disclaimer: Option<Arc<str>>,
    /// The reviewer's page, resolved from an `@/` link or as written.
    pub reviewer_url: Option<String>,
    /// When the next review is due (`next`, else `last` plus the interval).
    pub review_next: Option<PageDate>,
}

/// A rule a page's `lint.allow` let through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowed {
    /// The rule.
    pub rule: Rule,
    /// The page's key.
    pub key: String,
    /// The page's display path.
    pub file: PathBuf,
    /// The reason given, if any.
    pub reason: Option<String>,
    /// How many findings were let through.
    pub count: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detached_html_is_handed_over_once() {
        let mut d = Derived {
            page_bodies: ["<p>a</p>", "<p>b</p>"]
                .into_iter()
                .map(|h| Rendered {
                    html: h.to_string(),
                    word_count: 1,
                    ..Rendered::default()
                })
                .collect(),
            ..Derived::default()
        };
        assert_eq!(d.take_page_html(PageId(0)), None, "nothing is detached yet");
        d.detach_page_html();
        assert!(d.page_body(PageId(1)).html.is_empty());
        assert_eq!(d.page_body(PageId(1)).word_count, 1, "the rest stays");
        assert_eq!(d.take_page_html(PageId(1)).as_deref(), Some("<p>b</p>"));
        assert_eq!(d.take_page_html(PageId(1)), None, "only once");
        assert_eq!(d.take_page_html(PageId(0)).as_deref(), Some("<p>a</p>"));
    }
}
