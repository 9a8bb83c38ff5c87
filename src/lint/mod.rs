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
//! each page against them: linear in the total size of the input.

mod site;
pub mod text;

pub use site::pass;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{value_span, Code, Diagnostic, Severity};
use crate::model::front_matter::PageDate;

pub use crate::config::lint::{Allow, Level, LintConfig, PageLint, Rule};
pub use crate::derived::Allowed;
pub use crate::diagnostics::{summary, to_json_line};
use crate::markdown::scan::Scan;
use text::{HeadingProblem, TextStats};

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
        }
    }

    fn body_start(&self) -> usize {
        floor(self.source, self.body_offset.min(self.source.len()))
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

fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
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
struct Emission {
    rule: Rule,
    span: Range<usize>,
    label: String,
    message: String,
    hint: String,
}

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

/// The display paths of the first 10 of `others` (which holds `total`
/// pages), then "and N more". Reads at most 10 items.
/// The files of the pages in `group` other than page `i` (see [`name_files`]).
fn others_in(pages: &[LintPage], group: &[usize], i: usize) -> String {
    name_files(
        pages,
        group.iter().copied().filter(|&j| j != i),
        group.len() - 1,
    )
}

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

/// `s` lower-cased, its words joined by single spaces. Lower-casing word by
/// word equals lower-casing the joined text: a final sigma is decided within
/// its word.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if w.is_ascii() {
            let from = out.len();
            out.push_str(w);
            out[from..].make_ascii_lowercase();
        } else {
            out.push_str(&w.to_lowercase());
        }
    }
    out
}

/// A FAQ question compared case-insensitively, without spacing differences or the `?`.
fn question_key(q: &str) -> String {
    normalize(q.trim().trim_end_matches(['?', ' ']))
}

/// `s` on one line (words joined by single spaces), cut to `max` chars with `…`.
fn one_line(s: &str, max: usize) -> String {
    let mut out = String::new();
    let joined = s
        .split_whitespace()
        .enumerate()
        .flat_map(|(k, w)| (k > 0).then_some(' ').into_iter().chain(w.chars()));
    for (n, c) in joined.enumerate() {
        if n == max {
            return format!("{}…", out.trim_end());
        }
        out.push(c);
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
    /// Normalised title → the pages with it.
    titles: HashMap<String, Vec<usize>>,
    /// Normalised description → the pages with it.
    descriptions: HashMap<String, Vec<usize>>,
    /// Normalised question → the pages asking it, each once, in page order.
    questions: HashMap<String, Vec<usize>>,
    /// Sections that hold a page or a subsection.
    filled_sections: HashSet<&'a str>,
}

impl<'a> SiteMaps<'a> {
    fn of(pages: &[LintPage<'a>]) -> SiteMaps<'a> {
        let mut inbound: HashSet<&str> = HashSet::new();
        let mut titles: HashMap<String, Vec<usize>> = HashMap::new();
        let mut descriptions: HashMap<String, Vec<usize>> = HashMap::new();
        let mut questions: HashMap<String, Vec<usize>> = HashMap::new();
        let mut filled_sections: HashSet<&str> = HashSet::new();
        for (i, p) in pages.iter().enumerate() {
            for &target in &p.links_to {
                if target != p.key {
                    inbound.insert(target);
                }
            }
            if let Some(t) = p.title.filter(|t| !t.trim().is_empty()) {
                titles.entry(normalize(t)).or_default().push(i);
            }
            if let Some(d) = p.description.filter(|d| !d.trim().is_empty()) {
                descriptions.entry(normalize(d)).or_default().push(i);
            }
            for question in &p.faq_questions {
                let asked_by = questions.entry(question_key(question)).or_default();
                if asked_by.last() != Some(&i) {
                    asked_by.push(i);
                }
            }
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
            titles,
            descriptions,
            questions,
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
                body_rules_for(&mut po, i, claim_words);
            }
            po.emitted
        })
        .collect()
}

/// The rules that compare one page with the site-wide maps, and its front
/// matter rules (pass 2).
fn page_rules<'p, 'a: 'p>(
    out: &mut impl Emit<'p, 'a>,
    i: usize,
    maps: &SiteMaps,
    claim_words: &text::ClaimMatcher,
    today: &PageDate,
) {
    let (pages, config) = (out.pages(), out.config());
    let SiteMaps {
        inbound,
        titles,
        descriptions,
        questions,
        filled_sections,
    } = maps;
    let p = &pages[i];
    if !p.is_section_index && !inbound.contains(p.key) {
        let span = match p.title {
            Some(t) => p.value("title", t),
            None => p.fence(),
        };
        out.emit(
            i,
            Rule::Orphan,
            span,
            "no page links here",
            format!("no other page links to `{}`", p.key),
            format!(
                "link to it from a related page with `[…](@/{})`, or add it to another page's `related` list",
                p.key
            ),
        );
    }

    if let Some(t) = p.title.filter(|t| !t.trim().is_empty()) {
        let group = &titles[&normalize(t)];
        if group.len() > 1 {
            out.emit(
                i,
                Rule::DuplicateTitle,
                p.value("title", t),
                "used more than once",
                format!(
                    "the title \"{t}\" is also used by {}",
                    others_in(pages, group, i)
                ),
                "give each page its own title: browser tabs and search results show it".to_string(),
            );
        }
    }

    match p.description.filter(|d| !d.trim().is_empty()) {
        Some(d) => {
            let group = &descriptions[&normalize(d)];
            if group.len() > 1 {
                out.emit(
                    i,
                    Rule::DuplicateDescription,
                    p.value("description", d),
                    "used more than once",
                    format!(
                        "the same description is also used by {}",
                        others_in(pages, group, i)
                    ),
                    "write a description for this page: search results show it under the title"
                        .to_string(),
                );
            }
            let n = d.trim().chars().count();
            let (min, max) = (config.description_length.min, config.description_length.max);
            if n < min || n > max {
                let what = if n < min { "short" } else { "long" };
                out.emit(
                    i,
                    Rule::DescriptionLength,
                    p.value("description", d),
                    format!("{n} characters"),
                    format!("the description is too {what}: {n} characters"),
                    format!(
                        "aim for {min} to {max} characters: a sentence that says what the reader will learn"
                    ),
                );
            }
        }
        None => {
            let (min, max) = (config.description_length.min, config.description_length.max);
            let span = p.field("description").unwrap_or_else(|| p.fence());
            out.emit(
                i,
                Rule::DescriptionLength,
                span,
                "no description",
                "the page has no description".to_string(),
                format!(
                    "add `description = \"…\"` ({min} to {max} characters) to the front matter: search results show it under the title"
                ),
            );
        }
    }

    if p.is_section_index && !filled_sections.contains(p.section) {
        let span = match p.title {
            Some(t) => p.value("title", t),
            None => p.fence(),
        };
        let folder = if p.section.is_empty() {
            String::new()
        } else {
            format!("{}/", p.section)
        };
        out.emit(
            i,
            Rule::EmptySection,
            span,
            "no pages in this section",
            format!("the section `{}` has no pages", p.section),
            format!(
                "add pages to content/{folder}, or mark the section `draft = true` until it has some"
            ),
        );
    }

    // FAQ questions, positioned in order so a repeated question finds its
    // second copy; only pages with a repeated question are searched.
    let mut on_page: HashMap<String, usize> = HashMap::new();
    for question in &p.faq_questions {
        *on_page.entry(question_key(question)).or_default() += 1;
    }
    let repeated = on_page
        .iter()
        .any(|(key, &n)| n > 1 || questions[key].len() > 1);
    let mut cursor = p.field("faq").map_or(0, |r| r.start);
    for question in p.faq_questions.iter().filter(|_| repeated) {
        let mut span = value_span(p.front(), cursor, question);
        if span.is_empty() {
            span = p.field("faq").unwrap_or_else(|| p.fence());
        } else {
            cursor = span.end;
        }
        let key = question_key(question);
        let asked_by = &questions[&key];
        let twice = on_page[&key] > 1;
        let elsewhere = asked_by.len() - 1;
        if twice || elsewhere > 0 {
            let mut message = format!("the FAQ question \"{}\" is", question.trim());
            if twice {
                message.push_str(" asked twice on this page");
                if elsewhere > 0 {
                    message.push_str(" and");
                }
            }
            if elsewhere > 0 {
                let names = name_files(
                    pages,
                    asked_by.iter().copied().filter(|&j| j != i),
                    elsewhere,
                );
                let _ = write!(message, " also asked in {names}");
            }
            out.emit(
                i,
                Rule::FaqDuplicate,
                span,
                "asked more than once",
                message,
                "keep the question on the page that answers it best and link there; search engines show one answer per question"
                    .to_string(),
            );
        }
    }

    if p.health && !p.has_review {
        out.emit(
            i,
            Rule::ReviewMissing,
            p.fence(),
            "no `[review]`",
            "this health page has no medical review".to_string(),
            "add a `[review]` table saying who reviewed the page, when, and when the next review is due"
                .to_string(),
        );
    }
    if let Some(next) = &p.review_next {
        let days = (today.date - next.date).whole_days();
        if days > 0 {
            let span = p
                .field("review")
                .or_else(|| p.field("next"))
                .unwrap_or_else(|| p.fence());
            let unit = if days == 1 { "day" } else { "days" };
            out.emit(
                i,
                Rule::ReviewOverdue,
                span,
                format!("due {}", next.ymd()),
                format!(
                    "the medical review is {days} {unit} overdue (due {})",
                    next.ymd()
                ),
                "have the page reviewed, then move `next` in `[review]` forward".to_string(),
            );
        }
    }
    let min_refs = config.references_missing.min_references;
    if p.health && p.references < min_refs {
        let span = p.field("references").unwrap_or_else(|| p.fence());
        out.emit(
            i,
            Rule::ReferencesMissing,
            span,
            "too few references",
            format!(
                "this health page cites {} reference{} (at least {min_refs} expected)",
                p.references,
                if p.references == 1 { "" } else { "s" }
            ),
            "add the sources the advice is based on (guidelines, reviews) as references"
                .to_string(),
        );
    }

    if out.on(Rule::Claims) {
        for (field, value) in [("title", p.title), ("description", p.description)] {
            let Some(value) = value else { continue };
            let found = claim_words.find(value);
            if found.is_empty() {
                continue;
            }
            let span = p.value(field, value);
            let verbatim = p.source.get(span.clone()) == Some(value);
            for c in found {
                let at = if verbatim {
                    span.start + c.start..span.start + c.end
                } else {
                    span.clone()
                };
                claim(out, i, at);
            }
        }
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

/// Reports the claim at `span` of page `i`.
fn claim<'p, 'a: 'p>(out: &mut impl Emit<'p, 'a>, i: usize, span: Range<usize>) {
    let p = &out.pages()[i];
    let word = one_line(&p.source[span.clone()], 40);
    out.emit(
        i,
        Rule::Claims,
        span,
        "claim",
        format!("\"{word}\" promises more than the evidence can"),
        "say what the evidence shows (\"can ease\", \"may help\"); if you quote a source, allow `claims` with a reason".to_string(),
    );
}

/// The rules that read the Markdown body of page `i`.
fn body_rules_for<'p, 'a: 'p>(
    out: &mut impl Emit<'p, 'a>,
    i: usize,
    claim_words: &text::ClaimMatcher,
) {
    let pages = out.pages();
    let p = &pages[i];
    let config = out.config();
    let base = p.body_start();
    let a = match p.scan {
        Some(scan) if base == p.body_offset => text::from_scan(p.body(), scan),
        _ => text::analyze(p.body()),
    };
    let at = |r: &Range<usize>| base + r.start..base + r.end;

    for img in &a.images_without_alt {
        out.emit(
            i,
            Rule::ImageAlt,
            at(img),
            "no alt text",
            "this image has no alt text".to_string(),
            "describe what it shows in the brackets, e.g. `![X-ray of a swollen knee](…)`; screen readers read it out".to_string(),
        );
    }

    let levels: Vec<u8> = a.headings.iter().map(|h| h.level).collect();
    for (k, problem) in text::heading_order(&levels) {
        let (label, message, hint) = match problem {
            HeadingProblem::SecondH1 => (
                "second h1".to_string(),
                "a level-1 heading in the body: the page title is already the h1".to_string(),
                "use `##` for the sections of the page".to_string(),
            ),
            HeadingProblem::Skipped { from, to } => (
                format!("h{from} → h{to}"),
                if k == 0 {
                    format!("the first heading is level {to}: the title is level 1, so sections start at level 2")
                } else {
                    format!("the heading jumps from level {from} to level {to}")
                },
                format!(
                    "use `{}` here, or add the missing level above it",
                    "#".repeat(usize::from(from) + 1)
                ),
            ),
        };
        out.emit(
            i,
            Rule::HeadingOrder,
            at(&a.headings[k].range),
            label,
            message,
            hint,
        );
    }

    for link in &a.links {
        if text::vague_link_text(&link.text) || link.text.trim().is_empty() {
            let shown = one_line(&link.text, 40);
            let message = if shown.is_empty() {
                "this link has no text".to_string()
            } else {
                format!("the link text \"{shown}\" does not say where it goes")
            };
            out.emit(
                i,
                Rule::LinkText,
                at(&link.text_range),
                "vague link text",
                message,
                "use words that name the target, e.g. `[how to treat knee pain](…)`: screen readers list links by their text".to_string(),
            );
        }
    }

    // Sentences: long ones, and the counts behind the grade.
    let max_words = config.long_sentence.max_words;
    let mut stats = TextStats::default();
    // The three hardest sentences, hardest first (the earlier one on a tie).
    let mut hardest: Vec<(f64, Range<usize>)> = Vec::with_capacity(4);
    // Reused for every paragraph.
    let (mut spans, mut counts) = (Vec::new(), Vec::new());
    for prose in &a.prose {
        // One pass over the words serves the sentences and the claims. Words
        // never contain whitespace and sentences begin and end next to
        // whitespace (or the ends), so each word lies inside one sentence and
        // is the word found when splitting that sentence alone.
        spans.clear();
        counts.clear();
        let mut words = text::WordSpans::new(&prose.text);
        while let Some((span, syllables)) = words.next_counted() {
            spans.push(span);
            counts.push(syllables);
        }
        let mut next_word = 0;
        for s in text::sentences(&prose.text) {
            while next_word < spans.len() && spans[next_word].start < s.start {
                next_word += 1;
            }
            let mut st = TextStats {
                sentences: 1,
                words: 0,
                syllables: 0,
            };
            while next_word < spans.len() && spans[next_word].end <= s.end {
                st.words += 1;
                st.syllables += counts[next_word];
                next_word += 1;
            }
            debug_assert_eq!(st, TextStats::of_sentence(&prose.text[s.clone()]));
            stats.add(st);
            let span = at(&(prose.range.start + s.start..prose.range.start + s.end));
            if let Some(g) = st.grade() {
                // Sentences come in order, so a tie goes after the ones kept.
                let at = hardest.iter().position(|(h, _)| h.total_cmp(&g).is_lt());
                if let Some(k) = at.or((hardest.len() < 3).then_some(hardest.len())) {
                    hardest.insert(k, (g, span.clone()));
                    hardest.truncate(3);
                }
            }
            let counted = if prose.callout.is_some() {
                st.words * 2
            } else {
                st.words
            };
            if counted > max_words {
                let (message, hint) = match &prose.callout {
                    Some(kind) => (
                        format!(
                            "this sentence in a {kind} callout has {} words, which count double there ({counted}; limit {max_words})",
                            st.words
                        ),
                        "keep callouts to short, direct sentences: readers act on them".to_string(),
                    ),
                    None => (
                        format!("this sentence has {} words (limit {max_words})", st.words),
                        "split it in two: long sentences are hard to follow".to_string(),
                    ),
                };
                out.emit(
                    i,
                    Rule::LongSentence,
                    span,
                    format!("{} words", st.words),
                    message,
                    hint,
                );
            }
        }
        if out.on(Rule::Claims) {
            for c in claim_words.find_in(&prose.text, &spans) {
                let span = at(&(prose.range.start + c.start..prose.range.start + c.end));
                claim(out, i, span);
            }
        }
    }
    if out.on(Rule::Claims) {
        for h in &a.headings {
            let text = &p.body()[h.range.clone()];
            for c in claim_words.find(text) {
                claim(
                    out,
                    i,
                    at(&(h.range.start + c.start..h.range.start + c.end)),
                );
            }
        }
    }

    let rc = &config.readability;
    if let Some(grade) = stats.grade().filter(|_| stats.words >= rc.min_words) {
        if grade > rc.max_grade {
            let mut hint = String::from("simplify the hardest sentences:");
            for (g, span) in &hardest {
                let (line, _) = crate::diagnostics::line_col(p.source, span.start);
                let _ = write!(
                    hint,
                    "\n  line {line} (grade {g:.1}): \"{}\"",
                    one_line(&p.source[span.clone()], 60)
                );
            }
            let (span, label) = hardest.first().map_or_else(
                || (p.fence(), String::new()),
                |(g, span)| (span.clone(), format!("hardest sentence: grade {g:.1}")),
            );
            out.emit(
                i,
                Rule::Readability,
                span,
                label,
                format!(
                    "the page reads at grade {grade:.1} (Flesch–Kincaid), above {}",
                    rc.max_grade
                ),
                hint,
            );
        }
    }

    if !p.is_section_index {
        let required = config
            .required_callout
            .sections
            .iter()
            .filter(|(section, _)| {
                p.section == section.as_str()
                    || p.section
                        .strip_prefix(section.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
            .max_by_key(|(section, _)| section.len());
        if let Some((section, kinds)) = required {
            let has = a
                .callouts
                .iter()
                .map(|c| c.kind.as_str())
                .chain(p.callout_levels.iter().copied())
                .any(|k| kinds.iter().any(|want| want.eq_ignore_ascii_case(k)));
            if !has && !kinds.is_empty() {
                let list = match kinds.as_slice() {
                    [one] => one.clone(),
                    [init @ .., last] => format!("{} or {last}", init.join(", ")),
                    [] => String::new(),
                };
                out.emit(
                    i,
                    Rule::RequiredCallout,
                    p.body_first_line(),
                    format!("no {list} callout"),
                    format!("pages in `{section}` need a {list} callout"),
                    format!(
                        "add one where it matters, e.g.\n> [!{}]\n> See a doctor if …",
                        kinds[0]
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests;
