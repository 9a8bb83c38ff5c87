//! Content lint: `fascia check` as the guide editor's second pair of eyes.
//!
//! The lint reads a set of [`LintPage`]s — one per page and section index,
//! filled in by the site model — and reports [`Diagnostic`]s with codes
//! `lint::RULE` (see [`Rule`]), each pointing at the place where the fix is
//! made. Which rules run, and how loud they are, comes from `[lint]` in
//! `site.toml` ([`LintConfig`]); a page can opt out of a rule with
//! `lint.allow` in its front matter ([`Allow`]), and [`LintReport::allowed`]
//! lists what was let through so `check` can say so.
//!
//! [`run`] is one pass over the pages that fills hash maps (inbound links,
//! titles, descriptions, FAQ questions, sections), then one pass that checks
//! each page against them: linear in the total size of the input. The rules
//! that read a Markdown body can run earlier, as [`BodyLint`], while the
//! markdown pass holds the body; the lint pass then replays their findings.

mod rules;
mod site;
pub mod text;

pub use site::pass;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{floor_char_boundary, value_span, Code, Diagnostic, Severity};
use crate::model::front_matter::PageDate;

pub use crate::config::lint::{Allow, Level, LintConfig, PageLint, Rule};
pub use crate::derived::Allowed;
use crate::derived::{BodyFinding, BodyReader, BodyRef};
pub use crate::diagnostics::{summary, to_json_line};
use crate::markdown::scan::Scan;
use rules::{body_rules_for, page_rules};
use text::normalize;

/// Code of the warning for a `lint.allow` entry naming no rule.
pub const UNKNOWN_ALLOW: Code = Code::LintUnknownAllow;
/// Code of the warning for a `lint.allow` entry that let nothing through.
pub const UNUSED_ALLOW: Code = Code::LintUnusedAllow;

/// What the lint needs to know about one page or section index.
///
/// Contract for the site model:
/// * `key` is the content-relative path with `/` separators
///   (`conditions/knee-pain.md`, `conditions/_index.md`); `links_to` uses the
///   same form, so a link is counted when `links_to` of one page equals `key`
///   of another.
/// * `source` is the whole file; `body_offset` is where the Markdown body
///   starts in it (as from `front_matter::split`). Front matter positions are
///   found by searching `source[..body_offset]` for the field.
/// * `section` is the content-relative folder of the file (`conditions`,
///   `conditions/knee`, `""` for the root). For a section index it is the
///   section's own folder.
/// * `links_to` holds the editorial links: `@/` links in the body and FAQ
///   answers and `related` picks — not the automatic section listings,
///   pagination or taxonomy pages (otherwise nothing is ever an orphan).
///   Duplicates and self-links are fine.
/// * `callout_levels` holds callout kinds found outside the body (e.g. FAQ
///   answers); the body's callouts are found by the lint itself.
/// * A section index is empty (`lint::empty-section`) when no page has its
///   `section` and no other section index has it as parent folder, so the
///   lint needs no separate count.
/// * `title` and `description` are the values as written in the front matter
///   (they are searched for there to point at them).
/// * Pass the pages that are built (drafts left out unless building them).
#[derive(Debug, Clone)]
pub struct LintPage<'a> {
    /// Content-relative path, e.g. `conditions/knee-pain.md`.
    pub key: &'a str,
    /// Path shown to the user, e.g. `content/conditions/knee-pain.md`.
    pub display: &'a Path,
    /// The whole file.
    pub source: &'a Arc<str>,
    /// Byte offset of the Markdown body in `source`.
    pub body_offset: usize,
    /// Content-relative folder (`""` for the root).
    pub section: &'a str,
    /// `_index.md` of a section.
    pub is_section_index: bool,
    /// The front matter title.
    pub title: Option<&'a str>,
    /// The front matter description.
    pub description: Option<&'a str>,
    /// FAQ questions, in front matter order.
    pub faq_questions: Vec<&'a str>,
    /// Keys of the pages this page links to (see the contract above).
    pub links_to: Vec<&'a str>,
    /// A health page: the review and reference rules apply.
    pub health: bool,
    /// The page has a `[review]` table.
    pub has_review: bool,
    /// When the next review is due.
    pub review_next: Option<PageDate>,
    /// Number of references cited.
    pub references: usize,
    /// Callout kinds outside the body (e.g. `DOCTOR` in an FAQ answer).
    pub callout_levels: Vec<&'a str>,
    /// Front matter `lint.allow`.
    pub allow: &'a [Allow],
    /// The renderer's scan of the body, when it kept one; else the body is parsed here.
    pub scan: Option<&'a Scan>,
    /// The findings of the body rules, when a [`BodyLint`] read the body
    /// during the markdown pass; else the body rules run here.
    pub body_findings: Option<&'a [BodyFinding]>,
}

impl<'a> LintPage<'a> {
    /// A page with no title, description, FAQ, links, review or references,
    /// not a health page and not a section index.
    pub fn new(
        key: &'a str,
        display: &'a Path,
        source: &'a Arc<str>,
        body_offset: usize,
        section: &'a str,
    ) -> Self {
        LintPage {
            key,
            display,
            source,
            body_offset,
            section,
            is_section_index: false,
            title: None,
            description: None,
            faq_questions: Vec::new(),
            links_to: Vec::new(),
            health: false,
            has_review: false,
            review_next: None,
            references: 0,
            callout_levels: Vec::new(),
            allow: &[],
            scan: None,
            body_findings: None,
        }
    }

    fn body_start(&self) -> usize {
        floor_char_boundary(self.source, self.body_offset)
    }

    fn body(&self) -> &'a str {
        &self.source[self.body_start()..]
    }

    fn front(&self) -> &'a str {
        &self.source[..self.body_start()]
    }

    /// The first line of the file (the opening `+++`), for page-level findings.
    fn fence(&self) -> Range<usize> {
        let start = if self.source.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        let end = self.source[start..]
            .find(['\r', '\n'])
            .map_or(self.source.len(), |i| start + i);
        start..end
    }

    /// Offset of the line in the front matter where `field` is set
    /// (`field =`, `field:`, `[field]` or `[[field]]`), at its first character.
    fn field(&self, field: &str) -> Option<Range<usize>> {
        let front = self.front();
        let mut pos = 0;
        for line in front.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let at = pos + indent;
            pos += line.len();
            let rest = trimmed.trim_end();
            let table = rest
                .strip_prefix("[[")
                .and_then(|r| r.strip_suffix("]]"))
                .or_else(|| rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')));
            if table == Some(field) {
                return Some(at..at + rest.len());
            }
            if let Some(after) = trimmed.strip_prefix(field) {
                if after.trim_start().starts_with(['=', ':']) {
                    return Some(at..at + field.len());
                }
            }
        }
        None
    }

    /// The span of a front matter value, searched from its field; the field
    /// name when the value cannot be found; the fence when neither can.
    fn value(&self, field: &str, value: &str) -> Range<usize> {
        let Some(at) = self.field(field) else {
            return self.fence();
        };
        let span = value_span(self.front(), at.start, value);
        if span.is_empty() {
            at
        } else {
            span
        }
    }

    /// The first non-blank line of the body, or the fence for an empty body.
    fn body_first_line(&self) -> Range<usize> {
        let start = self.body_start();
        let mut pos = start;
        for line in self.body().split_inclusive('\n') {
            let t = line.trim();
            if !t.is_empty() {
                let s = pos + (line.len() - line.trim_start().len());
                return s..s + t.len();
            }
            pos += line.len();
        }
        self.fence()
    }
}

/// The result of [`run`].
#[derive(Debug, Clone, Default)]
pub struct LintReport {
    /// Findings, in page order and then by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings not reported because the page allows the rule, one entry per
    /// page and rule.
    pub allowed: Vec<Allowed>,
}

fn diag(severity: Severity, code: Code, message: String) -> Diagnostic {
    let mut d = Diagnostic::error(code, message);
    d.severity = severity;
    d
}

/// A known rule in a page's `lint.allow`.
struct AllowEntry {
    rule: Rule,
    reason: Option<String>,
    /// Index in `LintPage::allow`.
    index: usize,
    /// Findings let through.
    count: usize,
}

/// Collects findings, applying levels and allow lists.
struct Out<'p, 'a> {
    pages: &'p [LintPage<'a>],
    config: &'p LintConfig,
    diags: Vec<(usize, Diagnostic)>,
    /// Per page, its known `lint.allow` entries.
    allows: Vec<Vec<AllowEntry>>,
}

/// Where a page's findings go while pages are analysed in parallel
/// ([`PageOut`]); they are replayed into [`Out`] in page order.
trait Emit<'p, 'a: 'p> {
    fn pages(&self) -> &'p [LintPage<'a>];
    fn config(&self) -> &'p LintConfig;
    fn on(&self, rule: Rule) -> bool {
        self.config().level(rule) != Level::Off
    }
    fn emit(
        &mut self,
        i: usize,
        rule: Rule,
        span: Range<usize>,
        label: impl Into<String>,
        message: String,
        hint: String,
    );
}

/// One finding recorded by [`PageOut`], replayed into [`Out`] in page order.
type Emission = BodyFinding;

/// The findings of one page's body, computed on a worker thread.
struct PageOut<'p, 'a> {
    pages: &'p [LintPage<'a>],
    config: &'p LintConfig,
    emitted: Vec<Emission>,
}

impl<'p, 'a: 'p> Emit<'p, 'a> for PageOut<'p, 'a> {
    fn pages(&self) -> &'p [LintPage<'a>] {
        self.pages
    }
    fn config(&self) -> &'p LintConfig {
        self.config
    }
    fn emit(
        &mut self,
        _i: usize,
        rule: Rule,
        span: Range<usize>,
        label: impl Into<String>,
        message: String,
        hint: String,
    ) {
        if self.on(rule) {
            self.emitted.push(Emission {
                rule,
                span,
                label: label.into(),
                message,
                hint,
            });
        }
    }
}

impl Out<'_, '_> {
    /// Reports a finding of `rule` on page `i` at `span`.
    fn emit(
        &mut self,
        i: usize,
        rule: Rule,
        span: Range<usize>,
        label: impl Into<String>,
        message: String,
        hint: String,
    ) {
        let Some(severity) = self.config.level(rule).severity() else {
            return;
        };
        if let Some(a) = self.allows[i].iter_mut().find(|a| a.rule == rule) {
            a.count += 1;
            return;
        }
        let p = &self.pages[i];
        let d = diag(severity, rule.code(), message)
            .at(p.display, p.source, span)
            .label(label)
            .hint(hint);
        self.diags.push((i, d));
    }
}

/// The files of the pages in `group` other than page `i` (see [`name_files`]).
fn others_in(pages: &[LintPage], group: &[usize], i: usize) -> String {
    name_files(
        pages,
        group.iter().copied().filter(|&j| j != i),
        group.len() - 1,
    )
}

/// The display paths of the first 10 of `others` (which holds `total`
/// pages), then "and N more". Reads at most 10 items.
fn name_files(pages: &[LintPage], others: impl Iterator<Item = usize>, total: usize) -> String {
    let mut names: Vec<String> = others
        .take(10)
        .map(|j| pages[j].display.display().to_string().replace('\\', "/"))
        .collect();
    if total > names.len() {
        names.push(format!("and {} more", total - names.len()));
    }
    names.join(", ")
}

/// A FAQ question compared case-insensitively, without spacing differences or the `?`.
fn question_key(q: &str) -> String {
    normalize(q.trim().trim_end_matches(['?', ' ']))
}

/// `s` on one line (words joined by single spaces), cut to `max` chars with `…`.
fn one_line(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(max.saturating_add(1).min(s.len()));
    let cut = |out: String| format!("{}…", out.trim_end());
    let (mut n, mut space) = (0, false);
    for c in s.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        // One space before each word but the first.
        if space {
            if n == max {
                return cut(out);
            }
            out.push(' ');
            n += 1;
            space = false;
        }
        if n == max {
            return cut(out);
        }
        out.push(c);
        n += 1;
    }
    out
}

/// Runs every enabled rule over `pages`. `today` is the date reviews are
/// compared with.
pub fn run(pages: &[LintPage], config: &LintConfig, today: PageDate) -> LintReport {
    let mut out = Out {
        pages,
        config,
        diags: Vec::new(),
        allows: Vec::with_capacity(pages.len()),
    };
    record_allows(&mut out);
    let maps = SiteMaps::of(pages);
    let claim_words = text::ClaimMatcher::new(&config.claims.all_words());
    let found = page_findings(&out, &maps, &claim_words, &today);
    // Replayed in page order: the allow counts and the report do not depend
    // on which thread found what.
    for (i, emissions) in found.into_iter().enumerate() {
        for e in emissions {
            out.emit(i, e.rule, e.span, e.label, e.message, e.hint);
        }
    }
    let allowed = allowed_and_unused(&mut out);
    let mut diags = out.diags;
    diags.sort_by(|(a, da), (b, db)| {
        (a, da.span.as_ref().map(|s| s.start), da.code).cmp(&(
            b,
            db.span.as_ref().map(|s| s.start),
            db.code,
        ))
    });
    LintReport {
        diagnostics: diags.into_iter().map(|(_, d)| d).collect(),
        allowed,
    }
}

/// Records each page's known `lint.allow` entries and reports unknown names.
fn record_allows(out: &mut Out) {
    let pages = out.pages;
    for (i, p) in pages.iter().enumerate() {
        let mut list = Vec::new();
        for (k, a) in p.allow.iter().enumerate() {
            match Rule::from_name(&a.rule) {
                Some(rule) => list.push(AllowEntry {
                    rule,
                    reason: a.reason.clone(),
                    index: k,
                    count: 0,
                }),
                None => {
                    let names: Vec<&str> = Rule::all().iter().map(|r| r.name()).collect();
                    let hint = match crate::diagnostics::closest(&a.rule, names.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("lint rules are {}", names.join(", ")),
                    };
                    let from = p.field("allow").map_or(0, |r| r.start);
                    let span = value_span(p.front(), from, &a.rule);
                    let d = diag(
                        Severity::Warning,
                        UNKNOWN_ALLOW,
                        format!("`{}` is not a lint rule", a.rule),
                    )
                    .at(p.display, p.source, span)
                    .hint(hint);
                    out.diags.push((i, d));
                }
            }
        }
        out.allows.push(list);
    }
}

/// The site-wide maps the page rules look things up in (pass 1).
struct SiteMaps<'a> {
    /// Keys some other page links to.
    inbound: HashSet<&'a str>,
    /// Pages with the same normalised title, description or FAQ question:
    /// each group lists its pages once, in page order.
    groups: Vec<Vec<usize>>,
    /// Per page, the group of its title (none when blank).
    title_group: Vec<Option<usize>>,
    /// Per page, the group of its description (none when blank).
    description_group: Vec<Option<usize>>,
    /// Per page, the group of each FAQ question, in front matter order.
    question_groups: Vec<Vec<usize>>,
    /// Sections that hold a page or a subsection.
    filled_sections: HashSet<&'a str>,
}

/// A page's normalised title, description and FAQ questions.
type Keys = (Option<String>, Option<String>, Vec<String>);

/// The group of `key` in `ids` (one kind of key: titles, descriptions or
/// questions), made when new; adds `page` to it once.
fn add_to_group(
    ids: &mut HashMap<String, usize>,
    groups: &mut Vec<Vec<usize>>,
    key: String,
    page: usize,
) -> usize {
    let next = groups.len();
    let g = *ids.entry(key).or_insert(next);
    if g == next {
        groups.push(Vec::new());
    }
    if groups[g].last() != Some(&page) {
        groups[g].push(page);
    }
    g
}

impl<'a> SiteMaps<'a> {
    fn of(pages: &[LintPage<'a>]) -> SiteMaps<'a> {
        use rayon::prelude::*;
        // Normalising is most of the work, and each page's is its own.
        let keys: Vec<Keys> = pages
            .par_iter()
            .map(|p| {
                let blank = |v: &&str| !v.trim().is_empty();
                (
                    p.title.filter(blank).map(normalize),
                    p.description.filter(blank).map(normalize),
                    p.faq_questions.iter().map(|q| question_key(q)).collect(),
                )
            })
            .collect();
        let mut groups = Vec::new();
        let mut inbound: HashSet<&str> = HashSet::new();
        let mut filled_sections: HashSet<&str> = HashSet::new();
        let (mut title_group, mut description_group, mut question_groups) = (
            Vec::with_capacity(pages.len()),
            Vec::with_capacity(pages.len()),
            Vec::with_capacity(pages.len()),
        );
        let (mut titles, mut descriptions, mut questions) =
            (HashMap::new(), HashMap::new(), HashMap::new());
        for (i, (p, (title, description, asked))) in pages.iter().zip(keys).enumerate() {
            for &target in &p.links_to {
                if target != p.key {
                    inbound.insert(target);
                }
            }
            let mut group =
                |ids: &mut HashMap<String, usize>, key| add_to_group(ids, &mut groups, key, i);
            title_group.push(title.map(|t| group(&mut titles, t)));
            description_group.push(description.map(|d| group(&mut descriptions, d)));
            question_groups.push(
                asked
                    .into_iter()
                    .map(|q| group(&mut questions, q))
                    .collect(),
            );
            if p.is_section_index {
                if !p.section.is_empty() {
                    let parent = p.section.rsplit_once('/').map_or("", |(parent, _)| parent);
                    filled_sections.insert(parent);
                }
            } else {
                filled_sections.insert(p.section);
            }
        }
        SiteMaps {
            inbound,
            groups,
            title_group,
            description_group,
            question_groups,
            filled_sections,
        }
    }
}

/// Whether any rule that reads the Markdown bodies is on (required callouts
/// only when some section requires one).
pub fn reads_bodies(config: &LintConfig) -> bool {
    let body_rules = [
        Rule::ImageAlt,
        Rule::HeadingOrder,
        Rule::Readability,
        Rule::LongSentence,
        Rule::LinkText,
        Rule::Claims,
        Rule::RequiredCallout,
    ];
    body_rules
        .iter()
        .filter(|&&r| r != Rule::RequiredCallout || !config.required_callout.sections.is_empty())
        .any(|&r| config.level(r) != Level::Off)
}

/// The findings of every page, computed in parallel: its rules against the
/// site-wide maps first, then the rules that read its Markdown (only when one
/// of them applies).
fn page_findings(
    out: &Out,
    maps: &SiteMaps,
    claim_words: &text::ClaimMatcher,
    today: &PageDate,
) -> Vec<Vec<Emission>> {
    use rayon::prelude::*;
    let (pages, config) = (out.pages, out.config);
    let need_body = reads_bodies(config);
    (0..pages.len())
        .into_par_iter()
        .map(|i| {
            let mut po = PageOut {
                pages,
                config,
                emitted: Vec::new(),
            };
            page_rules(&mut po, i, maps, claim_words, today);
            if need_body {
                match pages[i].body_findings {
                    Some(found) => po.emitted.extend_from_slice(found),
                    None => body_rules_for(&mut po, i, claim_words),
                }
            }
            po.emitted
        })
        .collect()
}

/// The body rules as a [`BodyReader`]: the markdown pass runs them on each
/// body while its scan is at hand, so the scans are not all held until the
/// lint pass.
pub struct BodyLint<'c> {
    config: &'c LintConfig,
    claim_words: text::ClaimMatcher,
}

impl<'c> BodyLint<'c> {
    /// The body rules of `config`.
    pub fn new(config: &'c LintConfig) -> Self {
        BodyLint {
            config,
            claim_words: text::ClaimMatcher::new(&config.claims.all_words()),
        }
    }

    /// The body rules for a build that lints (`lints`), when any of them is
    /// on: what both a full build and `serve`'s body edit read bodies with.
    pub fn when_on(lints: bool, config: &'c LintConfig) -> Option<Self> {
        (lints && reads_bodies(config)).then(|| BodyLint::new(config))
    }
}

impl BodyReader for BodyLint<'_> {
    fn read(&self, body: BodyRef<'_>, scan: Option<&Scan>) -> Vec<BodyFinding> {
        let f = body.file;
        let mut page = LintPage::new(&f.key, &f.display, &f.text, body.body_offset, body.section);
        page.is_section_index = body.is_section_index;
        page.scan = scan;
        let mut po = PageOut {
            pages: std::slice::from_ref(&page),
            config: self.config,
            emitted: Vec::new(),
        };
        body_rules_for(&mut po, 0, &self.claim_words);
        po.emitted
    }
}

/// Allowed findings to list, and allow entries that let nothing through
/// (for rules that are on) reported as `lint::unused-allow`.
fn allowed_and_unused(out: &mut Out) -> Vec<Allowed> {
    let (pages, config) = (out.pages, out.config);
    let mut allowed = Vec::new();
    for (i, list) in out.allows.iter().enumerate() {
        let p = &pages[i];
        for a in list {
            if a.count > 0 {
                allowed.push(Allowed {
                    rule: a.rule,
                    key: p.key.to_string(),
                    file: p.display.to_path_buf(),
                    reason: a.reason.clone(),
                    count: a.count,
                });
            } else if config.level(a.rule) != Level::Off {
                let name = &p.allow[a.index].rule;
                let span = value_span(p.front(), p.field("allow").map_or(0, |r| r.start), name);
                let d = diag(
                    Severity::Warning,
                    UNUSED_ALLOW,
                    format!("`{name}` is allowed here but the page has no such finding"),
                )
                .at(p.display, p.source, span)
                .hint("remove it from `lint.allow`");
                out.diags.push((i, d));
            }
        }
    }

    allowed
}

#[cfg(test)]
mod tests;
