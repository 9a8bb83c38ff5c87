use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::model::front_matter::{split, PageDate};

const DESC: &str = "Why knees hurt, what you can do at home, and when to see a doctor.";

/// The owned parts of a page, so a `LintPage` can borrow them.
struct Fx {
    key: String,
    display: PathBuf,
    source: Arc<str>,
    body_offset: usize,
    section: String,
}

fn fx(key: &str, text: &str) -> Fx {
    let source: Arc<str> = text.into();
    let display = PathBuf::from(format!("content/{key}"));
    let body_offset = split(text, &display, &source).unwrap().body_offset;
    let folder = key.rsplit_once('/').map_or("", |(s, _)| s).to_string();
    Fx {
        key: key.to_string(),
        display,
        source,
        body_offset,
        section: folder,
    }
}

impl Fx {
    fn page(&self) -> LintPage<'_> {
        let mut p = LintPage::new(
            &self.key,
            &self.display,
            &self.source,
            self.body_offset,
            &self.section,
        );
        p.is_section_index = self.key.ends_with("_index.md");
        p
    }
}

/// A page with a title and the standard description, linking to `links`.
fn page_text(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndescription = \"{DESC}\"\n+++\n{body}")
}

fn today() -> PageDate {
    PageDate::parse("2026-11-26").unwrap()
}

/// Only `rule` on, at warn.
fn only(rule: Rule) -> LintConfig {
    let mut c = LintConfig::default();
    for &r in Rule::all() {
        set_level(&mut c, r, if r == rule { Level::Warn } else { Level::Off });
    }
    c
}

fn set_level(c: &mut LintConfig, rule: Rule, level: Level) {
    match rule {
        Rule::Orphan => c.orphan.level = level,
        Rule::DuplicateTitle => c.duplicate_title.level = level,
        Rule::DuplicateDescription => c.duplicate_description.level = level,
        Rule::DescriptionLength => c.description_length.level = level,
        Rule::ImageAlt => c.image_alt.level = level,
        Rule::HeadingOrder => c.heading_order.level = level,
        Rule::Readability => c.readability.level = level,
        Rule::LongSentence => c.long_sentence.level = level,
        Rule::EmptySection => c.empty_section.level = level,
        Rule::FaqDuplicate => c.faq_duplicate.level = level,
        Rule::LinkText => c.link_text.level = level,
        Rule::ReviewMissing => c.review_missing.level = level,
        Rule::ReviewOverdue => c.review_overdue.level = level,
        Rule::ReferencesMissing => c.references_missing.level = level,
        Rule::Claims => c.claims.level = level,
        Rule::RequiredCallout => c.required_callout.level = level,
    }
}

/// (code, file, line, column) of each finding.
fn found(report: &LintReport) -> Vec<(&'static str, String, usize, usize)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let (l, c) = d.line_col().unwrap();
            let f = d.file.as_ref().unwrap().display().to_string();
            (d.code.as_str(), f, l, c)
        })
        .collect()
}

fn spans(report: &LintReport) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .map(|d| d.source.as_ref().unwrap()[d.span.clone().unwrap()].to_string())
        .collect()
}

#[test]
fn valid_site_has_no_findings() {
    let index = fx(
        "conditions/_index.md",
        "+++\ntitle = \"Conditions\"\ndescription = \"Common aches and pains, what helps at home, and when to get medical help.\"\n+++\nGuides to [knee pain](@/conditions/knee-pain.md).\n",
    );
    let knee = fx(
        "conditions/knee-pain.md",
        &page_text(
            "Knee pain",
            "Rest your knee and put ice on it.\n\n\
             > [!DOCTOR]\n> See a doctor if the knee is hot and swollen.\n\n\
             ## At home\n\nRaise your leg when you sit. Read about [back pain](@/conditions/back-pain.md) too.\n\n\
             ![A swollen knee](knee.jpg)\n",
        ),
    );
    let back = fx(
        "conditions/back-pain.md",
        "+++\ntitle = \"Back pain\"\ndescription = \"Most back pain gets better on its own. Here is how to ease it and when to worry.\"\n[review]\nby = \"Dr Lee\"\nnext = 2027-01-01\n+++\n\
         Keep moving. Gentle walks help most people.\n\n\
         > [!URGENT]\n> Call 112 if your legs go numb.\n\nSee also [knee pain](@/conditions/knee-pain.md).\n",
    );
    let mut pages = vec![index.page(), knee.page(), back.page()];
    pages[0].title = Some("Conditions");
    pages[0].description =
        Some("Common aches and pains, what helps at home, and when to get medical help.");
    pages[0].links_to = vec!["conditions/knee-pain.md"];
    pages[1].title = Some("Knee pain");
    pages[1].description = Some(DESC);
    pages[1].links_to = vec!["conditions/back-pain.md"];
    pages[1].faq_questions = vec!["Should I rest a painful knee?"];
    pages[2].title = Some("Back pain");
    pages[2].description =
        Some("Most back pain gets better on its own. Here is how to ease it and when to worry.");
    pages[2].links_to = vec!["conditions/knee-pain.md"];
    pages[2].health = true;
    pages[2].has_review = true;
    pages[2].review_next = PageDate::parse("2027-01-01");
    pages[2].references = 2;
    pages[2].faq_questions = vec!["Is bed rest good for back pain?"];
    let mut config = LintConfig::default();
    config
        .required_callout
        .sections
        .insert("conditions".into(), vec!["DOCTOR".into(), "URGENT".into()]);
    let report = run(&pages, &config, today());
    assert!(report.diagnostics.is_empty(), "{:#?}", found(&report));
    assert!(report.allowed.is_empty());
    assert_eq!(summary(&report.diagnostics), "no findings");
}

#[test]
fn orphan() {
    let a = fx("a.md", &page_text("A", "Body.\n"));
    let b = fx("b.md", &page_text("B", "Body.\n"));
    let idx = fx("_index.md", &page_text("Home", "Home.\n"));
    let mut pages = vec![a.page(), b.page(), idx.page()];
    pages[0].title = Some("A");
    pages[1].title = Some("B");
    // b links to a and to itself; nobody links to b. Section indexes are never orphans.
    pages[1].links_to = vec!["a.md", "b.md"];
    let r = run(&pages, &only(Rule::Orphan), today());
    assert_eq!(found(&r), [("lint::orphan", "content/b.md".into(), 2, 10)]);
    assert_eq!(spans(&r), ["B"]);
    let d = &r.diagnostics[0];
    assert_eq!(d.message, "no other page links to `b.md`");
    assert!(d.hint.as_ref().unwrap().contains("(@/b.md)"));
}

#[test]
fn duplicate_title_and_description_name_every_file() {
    let a = fx("a.md", &page_text("Knee Pain", ""));
    let b = fx("b.md", &page_text("knee  pain", ""));
    let c = fx("c.md", &page_text("Other", ""));
    let mut pages = vec![a.page(), b.page(), c.page()];
    pages[0].title = Some("Knee Pain");
    pages[1].title = Some("knee  pain");
    pages[2].title = Some("Other");
    for p in &mut pages {
        p.description = Some(DESC);
    }
    let r = run(&pages, &only(Rule::DuplicateTitle), today());
    assert_eq!(
        found(&r),
        [
            ("lint::duplicate-title", "content/a.md".into(), 2, 10),
            ("lint::duplicate-title", "content/b.md".into(), 2, 10),
        ]
    );
    assert_eq!(
        r.diagnostics[0].message,
        "the title \"Knee Pain\" is also used by content/b.md"
    );
    assert_eq!(
        r.diagnostics[1].message,
        "the title \"knee  pain\" is also used by content/a.md"
    );

    let r = run(&pages, &only(Rule::DuplicateDescription), today());
    assert_eq!(
        found(&r),
        [
            ("lint::duplicate-description", "content/a.md".into(), 3, 16),
            ("lint::duplicate-description", "content/b.md".into(), 3, 16),
            ("lint::duplicate-description", "content/c.md".into(), 3, 16),
        ]
    );
    assert_eq!(
        r.diagnostics[0].message,
        "the same description is also used by content/b.md, content/c.md"
    );
}

#[test]
fn description_length() {
    let missing = fx("a.md", "+++\ntitle = \"A\"\n+++\nBody.\n");
    let short = fx(
        "b.md",
        "+++\ntitle = \"B\"\ndescription = \"Too short.\"\n+++\n",
    );
    let long_text = "x".repeat(161);
    let long = fx(
        "c.md",
        &format!("---\ntitle: C\ndescription: {long_text}\n---\n"),
    );
    let ok = fx("d.md", &page_text("D", ""));
    let mut pages = vec![missing.page(), short.page(), long.page(), ok.page()];
    pages[1].description = Some("Too short.");
    pages[2].description = Some(&long_text);
    pages[3].description = Some(DESC);
    let r = run(&pages, &only(Rule::DescriptionLength), today());
    assert_eq!(
        found(&r),
        [
            ("lint::description-length", "content/a.md".into(), 1, 1),
            ("lint::description-length", "content/b.md".into(), 3, 16),
            ("lint::description-length", "content/c.md".into(), 3, 14),
        ]
    );
    assert_eq!(r.diagnostics[0].message, "the page has no description");
    assert_eq!(
        r.diagnostics[1].message,
        "the description is too short: 10 characters"
    );
    assert_eq!(
        r.diagnostics[2].message,
        "the description is too long: 161 characters"
    );
    assert_eq!(spans(&r)[1], "Too short.");
}

#[test]
fn image_alt_heading_order_and_link_text() {
    let a = fx(
        "a.md",
        &page_text(
            "A",
            "Intro ![](x.png) and ![ok](y.png).\n\n#### Deep\n\n## Fine\n\n# Again\n\nSee [click here](@/b.md) or [the gout guide](@/c.md) or [](@/d.md).\n",
        ),
    );
    let pages = vec![a.page()];
    let r = run(&pages, &only(Rule::ImageAlt), today());
    assert_eq!(
        found(&r),
        [("lint::image-alt", "content/a.md".into(), 5, 7)]
    );
    assert_eq!(spans(&r), ["![](x.png)"]);

    let r = run(&pages, &only(Rule::HeadingOrder), today());
    assert_eq!(
        found(&r),
        [
            ("lint::heading-order", "content/a.md".into(), 7, 1),
            ("lint::heading-order", "content/a.md".into(), 11, 1),
        ]
    );
    assert_eq!(spans(&r), ["#### Deep", "# Again"]);
    assert_eq!(
        r.diagnostics[0].message,
        "the first heading is level 4: the title is level 1, so sections start at level 2"
    );
    assert_eq!(
        r.diagnostics[0].hint.as_deref(),
        Some("use `##` here, or add the missing level above it")
    );
    assert!(r.diagnostics[1].message.contains("level-1 heading"));

    let r = run(&pages, &only(Rule::LinkText), today());
    assert_eq!(
        found(&r),
        [
            ("lint::link-text", "content/a.md".into(), 13, 6),
            ("lint::link-text", "content/a.md".into(), 13, 57),
        ]
    );
    assert_eq!(spans(&r), ["click here", "[](@/d.md)"]);
    assert_eq!(
        r.diagnostics[0].message,
        "the link text \"click here\" does not say where it goes"
    );
    assert_eq!(r.diagnostics[1].message, "this link has no text");
}

#[test]
fn long_sentences_count_double_in_callouts() {
    // Capitalised: a full stop before a lower-case word does not end a sentence.
    let thirty_one = format!("Word {}", vec!["word"; 30].join(" "));
    let sixteen = format!("Word {}", vec!["word"; 15].join(" "));
    let fifteen = format!("Word {}", vec!["word"; 14].join(" "));
    let a = fx(
        "a.md",
        &page_text(
            "A",
            &format!(
                "Short one. {thirty_one}.\n\n> [!DOCTOR]\n> {sixteen}. {fifteen}.\n\n- {thirty_one}\n"
            ),
        ),
    );
    let pages = vec![a.page()];
    let r = run(&pages, &only(Rule::LongSentence), today());
    assert_eq!(
        found(&r),
        [
            ("lint::long-sentence", "content/a.md".into(), 5, 12),
            ("lint::long-sentence", "content/a.md".into(), 8, 3),
            ("lint::long-sentence", "content/a.md".into(), 10, 3),
        ]
    );
    assert_eq!(spans(&r)[0], format!("{thirty_one}."));
    assert_eq!(spans(&r)[1], format!("{sixteen}."));
    assert_eq!(
        r.diagnostics[0].message,
        "this sentence has 31 words (limit 30)"
    );
    assert_eq!(
        r.diagnostics[1].message,
        "this sentence in a DOCTOR callout has 16 words, which count double there (32; limit 30)"
    );
}

#[test]
fn readability_reports_grade_and_hardest_sentences() {
    let hard = "Osteoarthritis is a degenerative musculoskeletal condition characterised by progressive deterioration of articular cartilage.";
    let harder = "Intra-articular corticosteroid administration occasionally provides temporary symptomatic amelioration.";
    let easy = "Rest your knee.";
    let body = format!("{easy}\n\n{hard}\n\n{easy} {harder}\n\nNon-steroidal anti-inflammatory medication is considered.\n");
    let a = fx("a.md", &page_text("A", &body));
    let b = fx("b.md", &page_text("B", "Rest. Walk. Sleep.\n"));
    let pages = vec![a.page(), b.page()];
    let mut config = only(Rule::Readability);
    config.readability.min_words = 10;
    let r = run(&pages, &config, today());
    assert_eq!(
        found(&r),
        [("lint::readability", "content/a.md".into(), 9, 17)]
    );
    assert_eq!(spans(&r), [harder]);
    let d = &r.diagnostics[0];
    assert!(
        d.message.starts_with("the page reads at grade "),
        "{}",
        d.message
    );
    assert!(d.message.ends_with("(Flesch–Kincaid), above 9"));
    let hint = d.hint.as_deref().unwrap();
    let lines: Vec<&str> = hint.lines().collect();
    assert_eq!(lines.len(), 4, "{hint}");
    assert!(lines[1].starts_with("  line 9 (grade "), "{hint}");
    assert!(lines[2].starts_with("  line 11 (grade "), "{hint}");
    assert!(lines[3].starts_with("  line 7 (grade "), "{hint}");
    // Below min_words nothing is graded.
    config.readability.min_words = 1000;
    assert!(run(&pages, &config, today()).diagnostics.is_empty());
}

#[test]
fn empty_sections() {
    let root = fx("_index.md", &page_text("Home", ""));
    let cond = fx("conditions/_index.md", &page_text("Conditions", ""));
    let knee = fx("conditions/knee/_index.md", &page_text("Knee", ""));
    let tips = fx("tips/_index.md", &page_text("Tips", ""));
    let tip = fx("tips/walk.md", &page_text("Walk", ""));
    let mut pages = vec![
        root.page(),
        cond.page(),
        knee.page(),
        tips.page(),
        tip.page(),
    ];
    for (p, t) in pages
        .iter_mut()
        .zip(["Home", "Conditions", "Knee", "Tips", "Walk"])
    {
        p.title = Some(t);
    }
    let r = run(&pages, &only(Rule::EmptySection), today());
    // The root and `conditions` hold sections; `conditions/knee` holds nothing.
    assert_eq!(
        found(&r),
        [(
            "lint::empty-section",
            "content/conditions/knee/_index.md".into(),
            2,
            10
        )]
    );
    assert_eq!(
        r.diagnostics[0].message,
        "the section `conditions/knee` has no pages"
    );
}

#[test]
fn faq_duplicates() {
    let a = fx(
        "a.md",
        "+++\ntitle = \"A\"\n[[faq]]\nquestion = \"Is it serious?\"\nanswer = \"No.\"\n[[faq]]\nquestion = \"Is it serious\"\nanswer = \"Still no.\"\n+++\n",
    );
    let b = fx(
        "b.md",
        "---\ntitle: B\nfaq:\n  - question: \"Can I run?\"\n    answer: Yes.\n  - question: is it  serious?\n    answer: No.\n---\n",
    );
    let mut pages = vec![a.page(), b.page()];
    pages[0].faq_questions = vec!["Is it serious?", "Is it serious"];
    pages[1].faq_questions = vec!["Can I run?", "is it  serious?"];
    let r = run(&pages, &only(Rule::FaqDuplicate), today());
    assert_eq!(
        found(&r),
        [
            ("lint::faq-duplicate", "content/a.md".into(), 4, 13),
            ("lint::faq-duplicate", "content/a.md".into(), 7, 13),
            ("lint::faq-duplicate", "content/b.md".into(), 6, 15),
        ]
    );
    assert_eq!(
        r.diagnostics[0].message,
        "the FAQ question \"Is it serious?\" is asked twice on this page and also asked in content/b.md"
    );
    assert_eq!(
        r.diagnostics[2].message,
        "the FAQ question \"is it  serious?\" is also asked in content/a.md"
    );
}

#[test]
fn review_and_references() {
    let a = fx("a.md", "+++\ntitle = \"A\"\n+++\nBody.\n");
    let b = fx(
        "b.md",
        "+++\ntitle = \"B\"\nreferences = [\"NICE NG226\"]\n\n[review]\nby = \"Dr Lee\"\nnext = 2026-11-14\n+++\nBody.\n",
    );
    let c = fx("c.md", "+++\ntitle = \"C\"\n+++\nNot a health page.\n");
    let mut pages = vec![a.page(), b.page(), c.page()];
    pages[0].health = true;
    pages[1].health = true;
    pages[1].has_review = true;
    pages[1].review_next = PageDate::parse("2026-11-14");
    pages[1].references = 1;
    let mut config = LintConfig::default();
    for &r in Rule::all() {
        if !matches!(
            r,
            Rule::ReviewMissing | Rule::ReviewOverdue | Rule::ReferencesMissing
        ) {
            set_level(&mut config, r, Level::Off);
        }
    }
    config.references_missing.min_references = 2;
    let r = run(&pages, &config, today());
    assert_eq!(
        found(&r),
        [
            ("lint::references-missing", "content/a.md".into(), 1, 1),
            ("lint::review-missing", "content/a.md".into(), 1, 1),
            ("lint::references-missing", "content/b.md".into(), 3, 1),
            ("lint::review-overdue", "content/b.md".into(), 5, 1),
        ]
    );
    assert_eq!(spans(&r)[3], "[review]");
    assert_eq!(
        r.diagnostics[3].message,
        "the medical review is 12 days overdue (due 2026-11-14)"
    );
    assert_eq!(
        r.diagnostics[2].message,
        "this health page cites 1 reference (at least 2 expected)"
    );
    // Due today is not overdue.
    pages[1].review_next = Some(today());
    let r = run(&pages, &only(Rule::ReviewOverdue), today());
    assert!(r.diagnostics.is_empty());
}

#[test]
fn claims_point_at_the_word() {
    let a = fx(
        "a.md",
        &page_text(
            "A",
            "Massage cannot cure arthritis.\n\nThis cream cures back pain, guaranteed!\n\n`cures` in code and\n\n```\ncures\n```\n",
        ),
    );
    let pages = vec![a.page()];
    let mut config = only(Rule::Claims);
    let r = run(&pages, &config, today());
    assert_eq!(
        found(&r),
        [
            ("lint::claims", "content/a.md".into(), 7, 12),
            ("lint::claims", "content/a.md".into(), 7, 29),
        ]
    );
    assert_eq!(spans(&r), ["cures", "guaranteed"]);
    assert_eq!(
        r.diagnostics[0].message,
        "\"cures\" promises more than the evidence can"
    );
    // Titles, descriptions and headings are checked too.
    let b = fx(
        "b.md",
        "+++\ntitle = \"A miracle\"\ndescription = 'Guaranteed'\n+++\n## Cures for gout\n\nText.\n",
    );
    let mut pages_b = vec![b.page()];
    pages_b[0].title = Some("A miracle");
    pages_b[0].description = Some("Guaranteed");
    let r = run(&pages_b, &config, today());
    assert_eq!(
        found(&r),
        [
            ("lint::claims", "content/b.md".into(), 2, 12),
            ("lint::claims", "content/b.md".into(), 3, 16),
            ("lint::claims", "content/b.md".into(), 5, 4),
        ]
    );
    assert_eq!(spans(&r), ["miracle", "Guaranteed", "Cures"]);
    // `words` replaces the list, `extend` adds to it.
    config.claims.words = vec!["cream".into()];
    config.claims.extend = vec!["back pain".into()];
    let r = run(&pages, &config, today());
    assert_eq!(spans(&r), ["cream", "back pain"]);
}

#[test]
fn required_callout() {
    let with = fx(
        "conditions/a.md",
        &page_text("A", "Text.\n\n> [!emergency]\n> Call 112.\n"),
    );
    let without = fx("conditions/knee/b.md", &page_text("B", "\nFirst line.\n"));
    let via_faq = fx("conditions/c.md", &page_text("C", "Text.\n"));
    let other = fx("tips/d.md", &page_text("D", "Text.\n"));
    let index = fx("conditions/_index.md", &page_text("Conditions", "Text.\n"));
    let mut pages = vec![
        with.page(),
        without.page(),
        via_faq.page(),
        other.page(),
        index.page(),
    ];
    pages[2].callout_levels = vec!["doctor"];
    let mut config = only(Rule::RequiredCallout);
    config.required_callout.sections.insert(
        "conditions".into(),
        vec!["DOCTOR".into(), "URGENT".into(), "EMERGENCY".into()],
    );
    let r = run(&pages, &config, today());
    assert_eq!(
        found(&r),
        [(
            "lint::required-callout",
            "content/conditions/knee/b.md".into(),
            6,
            1
        )]
    );
    assert_eq!(spans(&r), ["First line."]);
    assert_eq!(
        r.diagnostics[0].message,
        "pages in `conditions` need a DOCTOR, URGENT or EMERGENCY callout"
    );
}

#[test]
fn allow_lists() {
    let a = fx(
        "a.md",
        "+++\ntitle = \"A\"\ndescription = \"short\"\n[lint]\nallow = [\"orphan\", { rule = \"claims\", reason = \"quotes an advert\" }, \"orphn\", \"image_alt\"]\n+++\nIt cures all. It cures some.\n",
    );
    let allow = vec![
        Allow::new("orphan"),
        Allow {
            rule: "claims".into(),
            reason: Some("quotes an advert".into()),
        },
        Allow::new("orphn"),
        Allow::new("image_alt"),
    ];
    let mut pages = vec![a.page()];
    pages[0].title = Some("A");
    pages[0].description = Some("short");
    pages[0].allow = &allow;
    let r = run(&pages, &LintConfig::default(), today());
    assert_eq!(
        found(&r),
        [
            ("lint::description-length", "content/a.md".into(), 3, 16),
            ("lint::unknown-allow", "content/a.md".into(), 5, 71),
            ("lint::unused-allow", "content/a.md".into(), 5, 80),
        ]
    );
    assert_eq!(spans(&r)[1], "orphn");
    assert_eq!(
        r.diagnostics[1].hint.as_deref(),
        Some("did you mean `orphan`?")
    );
    assert_eq!(spans(&r)[2], "image_alt");
    assert_eq!(
        r.allowed,
        [
            Allowed {
                rule: Rule::Orphan,
                key: "a.md".into(),
                file: "content/a.md".into(),
                reason: None,
                count: 1
            },
            Allowed {
                rule: Rule::Claims,
                key: "a.md".into(),
                file: "content/a.md".into(),
                reason: Some("quotes an advert".into()),
                count: 2
            },
        ]
    );
    // An allow for a rule that is off is neither used nor unused.
    let mut config = LintConfig::default();
    config.image_alt.level = Level::Off;
    let r = run(&pages, &config, today());
    assert!(!r.diagnostics.iter().any(|d| d.code == UNUSED_ALLOW));
}

#[test]
fn levels() {
    let a = fx("a.md", &page_text("A", "Body.\n"));
    let pages = vec![a.page()];
    let mut config = only(Rule::Orphan);
    let r = run(&pages, &config, today());
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].severity, Severity::Warning);
    config.orphan.level = Level::Error;
    let r = run(&pages, &config, today());
    assert_eq!(r.diagnostics[0].severity, Severity::Error);
    config.orphan.level = Level::Off;
    assert!(run(&pages, &config, today()).diagnostics.is_empty());
    // Every rule off: nothing at all, even on a page full of problems.
    let bad = fx(
        "b.md",
        "+++\ntitle = \"B\"\n+++\n# H1\n\n![](x.png) It cures. [here](x)\n",
    );
    let mut config = LintConfig::default();
    for &r in Rule::all() {
        set_level(&mut config, r, Level::Off);
    }
    let mut p = bad.page();
    p.health = true;
    assert!(run(&[p], &config, today()).diagnostics.is_empty());
}

#[test]
fn summary_and_json() {
    let a = fx("a.md", "+++\ntitle = \"A \\\"x\\\"\"\n+++\nIt cures.\n");
    let pages = vec![a.page()];
    let mut config = LintConfig::default();
    config.claims.level = Level::Error;
    let r = run(&pages, &config, today());
    assert_eq!(
        summary(&r.diagnostics),
        "lint::claims              1 (1 error)\nlint::description-length  1\nlint::orphan              1\n3 findings: 1 error, 2 warnings"
    );
    let claim = r
        .diagnostics
        .iter()
        .find(|d| d.code == "lint::claims")
        .unwrap();
    let line = to_json_line(claim);
    assert!(!line.contains('\n'));
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["code"], "lint::claims");
    assert_eq!(v["level"], "error");
    assert_eq!(v["file"], "content/a.md");
    assert_eq!(v["line"], 4);
    assert_eq!(v["column"], 4);
    assert_eq!(v["end_line"], 4);
    assert_eq!(v["end_column"], 9);
    assert_eq!(
        v["message"],
        "\"cures\" promises more than the evidence can"
    );
    assert!(v["hint"].is_string());
    assert_eq!(v["label"], "claim");
    let bare = to_json_line(&Diagnostic::warning(Code::LintOrphan, "m"));
    let v: serde_json::Value = serde_json::from_str(&bare).unwrap();
    assert!(v["file"].is_null() && v["line"].is_null() && v["hint"].is_null());
}

#[test]
fn odd_inputs_do_not_panic() {
    // body_offset past the end or inside a character, empty files, BOM.
    let s: Arc<str> = "\u{feff}+++\ntitle = \"é\"\n+++\n".into();
    let d = PathBuf::from("content/x.md");
    let mut p = LintPage::new("x.md", &d, &s, 5, "");
    p.title = Some("é");
    p.faq_questions = vec!["?", ""];
    let r = run(&[p.clone()], &LintConfig::default(), today());
    assert!(!r.diagnostics.is_empty());
    p.body_offset = 10_000;
    run(&[p], &LintConfig::default(), today());
    let e: Arc<str> = "".into();
    run(
        &[LintPage::new("e.md", &d, &e, 0, "")],
        &LintConfig::default(),
        today(),
    );
}

#[test]
fn large_site_is_linear_enough() {
    // 5000 pages with the same title: one diagnostic each, each naming at most 10 files.
    let fxs: Vec<Fx> = (0..5000)
        .map(|i| fx(&format!("p{i}.md"), &page_text("Same", "Body text here.\n")))
        .collect();
    let mut pages: Vec<LintPage> = fxs.iter().map(Fx::page).collect();
    for p in &mut pages {
        p.title = Some("Same");
    }
    let r = run(&pages, &only(Rule::DuplicateTitle), today());
    assert_eq!(r.diagnostics.len(), 5000);
    assert!(r.diagnostics[0].message.ends_with("and 4989 more"));
}

#[test]
fn renders_like_rustc() {
    let a = fx(
        "conditions/a.md",
        &page_text("A", "Text.\n\n#### Deep\n\nThis cures it. [here](@/b.md)\n"),
    );
    let mut pages = vec![a.page()];
    pages[0].description = Some(DESC);
    let mut config = LintConfig::default();
    config
        .required_callout
        .sections
        .insert("conditions".into(), vec!["DOCTOR".into()]);
    let r = run(&pages, &config, today());
    let out = crate::diagnostics::render_all(&r.diagnostics, false);
    println!("{out}\n{}", summary(&r.diagnostics));
    assert!(out.contains("warning[lint::claims]: \"cures\" promises more than the evidence can"));
    assert!(out.contains("--> content/conditions/a.md:9:6"), "{out}");
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn normalize_keeps_its_definition_on_ascii(s in "[ -~\t\n\u{b}\u{c}\r]{0,40}") {
            let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assert_eq!(normalize(&s), joined.to_lowercase());
        }
    }

    proptest! {
        #[test]
        fn normalize_and_one_line_keep_their_definitions(s in "(\\PC|[ \t\n]|Σ|ΑΣ|İ){0,40}", max in 0usize..30) {
            let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assert_eq!(normalize(&s), joined.to_lowercase());
            let expected = if joined.chars().count() <= max {
                joined.clone()
            } else {
                format!("{}…", joined.chars().take(max).collect::<String>().trim_end())
            };
            prop_assert_eq!(one_line(&s, max), expected);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn run_never_panics_and_spans_stay_in_bounds(
            text in "(\\PC|[\\n>#*_`\\[\\]()!.,;:?'= -]|cure|\\+\\+\\+|title|\\[!DOCTOR\\]|\\[review\\]){0,120}",
            offset in 0usize..200,
            title in "\\PC{0,8}",
        ) {
            let source: Arc<str> = text.as_str().into();
            let display = PathBuf::from("content/x.md");
            let allow = vec![Allow::new("nope"), Allow::new("orphan")];
            let mut p = LintPage::new("s/x.md", &display, &source, offset, "s");
            p.title = Some(&title);
            p.description = Some(&title);
            p.faq_questions = vec![&title, &title];
            p.health = true;
            p.review_next = PageDate::parse("2020-01-01");
            p.allow = &allow;
            let mut q = p.clone();
            q.key = "s/_index.md";
            q.is_section_index = true;
            let mut config = LintConfig::default();
            config.readability.min_words = 1;
            config.long_sentence.max_words = 3;
            config.required_callout.sections.insert("s".into(), vec!["DOCTOR".into()]);
            let r = run(&[p, q], &config, today());
            for d in &r.diagnostics {
                let span = d.span.clone().unwrap();
                prop_assert!(span.start <= span.end && span.end <= source.len());
                prop_assert!(source.is_char_boundary(span.start) && source.is_char_boundary(span.end));
                let _ = d.render(false);
                let _ = to_json_line(d);
            }
            let _ = summary(&r.diagnostics);
        }
    }
}
