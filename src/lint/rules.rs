//! The rules of the content lint, one function per rule or per group of
//! rules that share their reading: [`page_rules`] compares a page with the
//! site-wide maps and reads its front matter, [`body_rules_for`] reads its
//! Markdown. Both report through [`Emit`], so they run on any thread.

use std::fmt::Write as _;
use std::ops::Range;

use super::text::{self, Analysis, HeadingProblem, TextStats};
use super::{name_files, one_line, others_in, Emit, Rule, SiteMaps};
use crate::diagnostics::value_span;
use crate::model::front_matter::PageDate;

/// The rules that compare one page with the site-wide maps, and its front
/// matter rules (pass 2).
pub(super) fn page_rules<'p, 'a: 'p>(
    out: &mut impl Emit<'p, 'a>,
    i: usize,
    maps: &SiteMaps,
    claim_words: &text::ClaimMatcher,
    today: &PageDate,
) {
    orphan(out, i, maps);
    duplicate_title(out, i, maps);
    description(out, i, maps);
    empty_section(out, i, maps);
    faq_duplicates(out, i, maps);
    review_and_references(out, i, today);
    if out.on(Rule::Claims) {
        front_matter_claims(out, i, claim_words);
    }
}

/// `orphan`: no other page links here.
fn orphan<'p, 'a: 'p>(out: &mut impl Emit<'p, 'a>, i: usize, maps: &SiteMaps) {
    let p = &out.pages()[i];
    if !p.is_section_index && !maps.inbound.contains(p.key) {
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
}

/// `duplicate-title`.
fn duplicate_title<'p, 'a: 'p>(out: &mut impl Emit<'p, 'a>, i: usize, maps: &SiteMaps) {
    let p = &out.pages()[i];
    if let Some(t) = p.title.filter(|t| !t.trim().is_empty()) {
        let group = maps.title_group[i].map_or(&[][..], |g| &maps.groups[g]);
        let message = format!("the title \"{t}\" is also used by");
        let hint = "give each page its own title: browser tabs and search results show it";
        shared_value(
            out,
            i,
            Rule::DuplicateTitle,
            ("title", t),
            group,
            message,
            hint,
        );
    }
}

/// Reports `rule` at the front matter `field` (name and value) of page `i`
/// when other pages of `group` have the same value: `message` names them.
fn shared_value<'p, 'a: 'p>(
    out: &mut impl Emit<'p, 'a>,
    i: usize,
    rule: Rule,
    field: (&str, &str),
    group: &[usize],
    message: String,
    hint: &str,
) {
    if group.len() > 1 {
        let pages = out.pages();
        let others = others_in(pages, group, i);
        let span = pages[i].value(field.0, field.1);
        let message = format!("{message} {others}");
        out.emit(
            i,
            rule,
            span,
            "used more than once",
            message,
            hint.to_string(),
        );
    }
}

/// `duplicate-description` and `description-length`.
fn description<'p, 'a: 'p>(out: &mut impl Emit<'p, 'a>, i: usize, maps: &SiteMaps) {
    let (pages, config) = (out.pages(), out.config());
    let p = &pages[i];
    match p.description.filter(|d| !d.trim().is_empty()) {
        Some(d) => {
            let group = maps.description_group[i].map_or(&[][..], |g| &maps.groups[g]);
            let message = "the same description is also used by".to_string();
            let hint = "write a description for this page: search results show it under the title";
            shared_value(
                out,
                i,
                Rule::DuplicateDescription,
                ("description", d),
                group,
                message,
                hint,
            );
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
}

/// `empty-section`.
fn empty_section<'p, 'a: 'p>(out: &mut impl Emit<'p, 'a>, i: usize, maps: &SiteMaps) {
    let p = &out.pages()[i];
    if p.is_section_index && !maps.filled_sections.contains(p.section) {
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
}

/// `faq-duplicate`: FAQ questions, positioned in order so a repeated
/// question finds its second copy; only pages with a repeated question are
/// searched.
fn faq_duplicates<'p, 'a: 'p>(out: &mut impl Emit<'p, 'a>, i: usize, maps: &SiteMaps) {
    let pages = out.pages();
    let p = &pages[i];
    let groups = &maps.question_groups[i];
    let twice = |g: usize| groups.iter().filter(|&&h| h == g).count() > 1;
    let repeated = groups.iter().any(|&g| twice(g) || maps.groups[g].len() > 1);
    let mut cursor = p.field("faq").map_or(0, |r| r.start);
    for (question, &g) in p.faq_questions.iter().zip(groups).filter(|_| repeated) {
        let mut span = value_span(p.front(), cursor, question);
        if span.is_empty() {
            span = p.field("faq").unwrap_or_else(|| p.fence());
        } else {
            cursor = span.end;
        }
        let asked_by = &maps.groups[g];
        let twice = twice(g);
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
}

/// `review-missing`, `review-overdue` and `references-missing`.
fn review_and_references<'p, 'a: 'p>(out: &mut impl Emit<'p, 'a>, i: usize, today: &PageDate) {
    let config = out.config();
    let p = &out.pages()[i];
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
}

/// `claims` in the title and description.
fn front_matter_claims<'p, 'a: 'p>(
    out: &mut impl Emit<'p, 'a>,
    i: usize,
    claim_words: &text::ClaimMatcher,
) {
    let p = &out.pages()[i];
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
pub(super) fn body_rules_for<'p, 'a: 'p>(
    out: &mut impl Emit<'p, 'a>,
    i: usize,
    claim_words: &text::ClaimMatcher,
) {
    let p = &out.pages()[i];
    let base = p.body_start();
    let a = match p.scan {
        Some(scan) if base == p.body_offset => text::from_scan(p.body(), scan),
        _ => text::analyze(p.body()),
    };
    image_alt(out, i, &a, base);
    heading_order(out, i, &a, base);
    link_text(out, i, &a, base);
    let (stats, hardest) = sentences(out, i, &a, base, claim_words);
    if out.on(Rule::Claims) {
        heading_claims(out, i, &a, base, claim_words);
    }
    readability(out, i, stats, &hardest);
    if !p.is_section_index {
        required_callout(out, i, &a);
    }
}

/// `r` of the body, as a range of the page's source (the body starts at `base`).
fn at(base: usize, r: &Range<usize>) -> Range<usize> {
    base + r.start..base + r.end
}

/// `image-alt`.
fn image_alt<'p, 'a: 'p>(out: &mut impl Emit<'p, 'a>, i: usize, a: &Analysis, base: usize) {
    for img in &a.images_without_alt {
        out.emit(
            i,
            Rule::ImageAlt,
            at(base, img),
            "no alt text",
            "this image has no alt text".to_string(),
            "describe what it shows in the brackets, e.g. `![X-ray of a swollen knee](…)`; screen readers read it out".to_string(),
        );
    }
}

/// `heading-order`.
fn heading_order<'p, 'a: 'p>(out: &mut impl Emit<'p, 'a>, i: usize, a: &Analysis, base: usize) {
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
            at(base, &a.headings[k].range),
            label,
            message,
            hint,
        );
    }
}

/// `link-text`.
fn link_text<'p, 'a: 'p>(out: &mut impl Emit<'p, 'a>, i: usize, a: &Analysis, base: usize) {
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
                at(base, &link.text_range),
                "vague link text",
                message,
                "use words that name the target, e.g. `[how to treat knee pain](…)`: screen readers list links by their text".to_string(),
            );
        }
    }
}

/// `long-sentence` and `claims` in the prose, and the counts behind the
/// page's grade with its three hardest sentences, hardest first.
fn sentences<'p, 'a: 'p>(
    out: &mut impl Emit<'p, 'a>,
    i: usize,
    a: &Analysis,
    base: usize,
    claim_words: &text::ClaimMatcher,
) -> (TextStats, Vec<(f64, Range<usize>)>) {
    let mut stats = TextStats::default();
    // The three hardest sentences, hardest first (the earlier one on a tie).
    let mut hardest: Vec<(f64, Range<usize>)> = Vec::with_capacity(4);
    // Reused for every paragraph.
    let (mut spans, mut counts, mut looks) = (Vec::new(), Vec::new(), Vec::new());
    let claims = out.on(Rule::Claims);
    for prose in &a.prose {
        // One pass over the words serves the sentences and the claims. Words
        // never contain whitespace and sentences begin and end next to
        // whitespace (or the ends), so each word lies inside one sentence and
        // is the word found when splitting that sentence alone.
        spans.clear();
        counts.clear();
        looks.clear();
        let bytes = prose.text.as_bytes();
        let mut words = text::WordSpans::new(&prose.text);
        while let Some((span, syllables)) = words.next_counted() {
            // Most words cannot matter to the claims: leave them out there.
            if claims && (!words.was_plain() || claim_words.may_matter(&bytes[span.clone()])) {
                looks.push(spans.len());
            }
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
            let span = at(
                base,
                &(prose.range.start + s.start..prose.range.start + s.end),
            );
            if let Some(g) = st.grade() {
                // Sentences come in order, so a tie goes after the ones kept.
                let place = hardest.iter().position(|(h, _)| h.total_cmp(&g).is_lt());
                if let Some(k) = place.or((hardest.len() < 3).then_some(hardest.len())) {
                    hardest.insert(k, (g, span.clone()));
                    hardest.truncate(3);
                }
            }
            long_sentence(out, i, span, st.words, prose.callout.as_deref());
        }
        if claims {
            for c in claim_words.find_at(&prose.text, &spans, looks.iter().copied()) {
                let span = at(
                    base,
                    &(prose.range.start + c.start..prose.range.start + c.end),
                );
                claim(out, i, span);
            }
        }
    }
    (stats, hardest)
}

/// `long-sentence`: a sentence of `words` words at `span`, which count
/// double inside a callout of kind `callout`.
fn long_sentence<'p, 'a: 'p>(
    out: &mut impl Emit<'p, 'a>,
    i: usize,
    span: Range<usize>,
    words: usize,
    callout: Option<&str>,
) {
    let max_words = out.config().long_sentence.max_words;
    let counted = if callout.is_some() { words * 2 } else { words };
    if counted <= max_words {
        return;
    }
    let (message, hint) = match callout {
        Some(kind) => (
            format!(
                "this sentence in a {kind} callout has {words} words, which count double there ({counted}; limit {max_words})"
            ),
            "keep callouts to short, direct sentences: readers act on them".to_string(),
        ),
        None => (
            format!("this sentence has {words} words (limit {max_words})"),
            "split it in two: long sentences are hard to follow".to_string(),
        ),
    };
    out.emit(
        i,
        Rule::LongSentence,
        span,
        format!("{words} words"),
        message,
        hint,
    );
}

/// `claims` in the headings.
fn heading_claims<'p, 'a: 'p>(
    out: &mut impl Emit<'p, 'a>,
    i: usize,
    a: &Analysis,
    base: usize,
    claim_words: &text::ClaimMatcher,
) {
    let p = &out.pages()[i];
    for h in &a.headings {
        let text = &p.body()[h.range.clone()];
        for c in claim_words.find(text) {
            claim(
                out,
                i,
                at(base, &(h.range.start + c.start..h.range.start + c.end)),
            );
        }
    }
}

/// `readability`: the page's Flesch–Kincaid grade from `stats`, shown at
/// the `hardest` sentences.
fn readability<'p, 'a: 'p>(
    out: &mut impl Emit<'p, 'a>,
    i: usize,
    stats: TextStats,
    hardest: &[(f64, Range<usize>)],
) {
    let config = out.config();
    let p = &out.pages()[i];
    let rc = &config.readability;
    if let Some(grade) = stats.grade().filter(|_| stats.words >= rc.min_words) {
        if grade > rc.max_grade {
            let mut hint = String::from("simplify the hardest sentences:");
            for (g, span) in hardest {
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
}

/// `required-callout`: a page of a section that requires a callout level
/// has one.
fn required_callout<'p, 'a: 'p>(out: &mut impl Emit<'p, 'a>, i: usize, a: &Analysis) {
    let config = out.config();
    let p = &out.pages()[i];
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
