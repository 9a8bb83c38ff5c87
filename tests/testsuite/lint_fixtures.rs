//! The content lint on its own site, `tests/fixtures/lint`, on which no rule
//! fires. Each case edits one thing so that one rule fires, asserts where
//! (file:line:col) and keeps the report users see as an insta snapshot; then
//! `lint.allow`, the levels, `--deny-warnings` and `--format json`.

use crate::common::*;

const KNEE: &str = "content/conditions/knee-pain.md";
const ABOUT: &str = "content/about.md";

/// `fascia check` on a site whose findings are warnings: exit 0; returns the report.
fn check_warns(t: &SiteTest) -> String {
    let out = t.check(&[]);
    let report = t.report(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "warnings do not fail:\n{report}"
    );
    report
}

/// One case per rule: set up the fixture, then the findings (`code
/// file:line:col`, in report order) and the snapshot of the report.
macro_rules! case {
    ($name:ident, [$($at:literal),+ $(,)?], |$t:ident| $setup:block) => {
        #[test]
        fn $name() {
            let $t = SiteTest::fixture("lint");
            $setup
            let report = check_warns(&$t);
            assert_eq!(findings(&report), [$($at),+], "{report}");
            insta::assert_snapshot!(stringify!($name), report);
        }
    };
}

#[test]
fn the_fixture_is_lint_clean() {
    let t = SiteTest::fixture("lint");
    let out = t.check(&["--deny-warnings"]);
    let report = t.report(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(report, "", "no rule fires on the fixture");
    assert!(
        stdout(&out).starts_with("Checked 2 pages, 2 sections"),
        "{}",
        stdout(&out)
    );
    let json = t.check(&["--format", "json", "--deny-warnings"]);
    assert_eq!(json.status.code(), Some(0));
    assert_eq!(stdout(&json), "");
}

/// The about page, linked from nowhere.
fn orphan_about(t: &SiteTest) {
    t.edit(
        "content/_index.md",
        ", or read [about this guide](@/about.md)",
        "",
    );
    t.edit(
        KNEE,
        "Read [about this guide](@/about.md) to learn who wrote it.",
        "",
    );
}

case!(orphan, ["lint::orphan content/about.md:2:10"], |t| {
    orphan_about(&t);
});
case!(
    duplicate_title,
    [
        "lint::duplicate-title content/about.md:2:10",
        "lint::duplicate-title content/conditions/knee-pain.md:2:10",
    ],
    |t| {
        t.edit(
            ABOUT,
            "title = \"About this guide\"",
            "title = \"Knee pain\"",
        );
    }
);
case!(
    duplicate_description,
    [
        "lint::duplicate-description content/about.md:3:16",
        "lint::duplicate-description content/conditions/knee-pain.md:3:16",
    ],
    |t| {
        t.edit(
            ABOUT,
            "Who writes this guide, who checks it, and how we keep it up to date.",
            "Why the front of the knee hurts, and simple steps that may help.",
        );
    }
);
case!(
    description_length,
    ["lint::description-length content/about.md:3:16"],
    |t| {
        t.edit(
            ABOUT,
            "Who writes this guide, who checks it, and how we keep it up to date.",
            "Who we are.",
        );
    }
);
case!(
    image_alt,
    ["lint::image-alt content/conditions/knee-pain.md:27:1"],
    |t| {
        t.edit(
            KNEE,
            "## What helps",
            "![](https://example.org/knee.png)\n\n## What helps",
        );
    }
);
case!(
    heading_order,
    ["lint::heading-order content/conditions/knee-pain.md:27:1"],
    |t| {
        t.edit(KNEE, "## What helps", "### What helps");
    }
);
case!(
    readability,
    ["lint::readability content/about.md:10:1"],
    |t| {
        t.edit(
        ABOUT,
        "A small team writes this guide.",
        concat!(
            "Musculoskeletal rehabilitation emphasises individualised, progressive strengthening programmes.\n",
            "Physiotherapists evaluate biomechanical alignment, neuromuscular coordination and proprioceptive capability.\n",
            "Comprehensive assessment incorporates functional evaluation, occupational considerations and psychological determinants.\n",
            "Multidisciplinary collaboration facilitates appropriate prioritisation of therapeutic objectives.\n",
            "Evidence-informed practitioners communicate probabilistic expectations regarding anticipated recovery trajectories.\n",
            "Patellofemoral symptomatology demonstrates considerable variability according to anatomical and physiological characteristics.\n",
            "Standardised recommendations consequently necessitate substantial individualisation by experienced clinicians.\n",
            "Interdisciplinary documentation additionally supports longitudinal evaluation of therapeutic effectiveness.\n",
            "Occupational rehabilitation frequently incorporates ergonomic modification alongside graduated functional restoration.\n",
            "Individualised educational interventions encourage self-management and independent decision-making.\n",
            "Contemporary biopsychosocial conceptualisations acknowledge multifactorial contributions to persistent musculoskeletal discomfort.\n",
            "Therapeutic alliance considerably influences adherence, satisfaction and subsequent functional improvement.\n",
            "Periodic reassessment enables responsive modification of rehabilitation parameters and intensity.\n",
            "Comprehensive documentation facilitates communication between physiotherapists, physicians and occupational therapists.",
        ),
    );
    }
);
case!(
    long_sentence,
    ["lint::long-sentence content/about.md:6:1"],
    |t| {
        t.edit(
        ABOUT,
        "A small team writes this guide.",
        "A small team of writers and physiotherapists who have worked with many people in pain for years writes this guide, checks every page, and reads every letter that you send to us.",
    );
    }
);
case!(
    empty_section,
    ["lint::empty-section content/tools/_index.md:2:10"],
    |t| {
        t.write(
            "content/tools/_index.md",
            "+++\ntitle = \"Tools\"\ndescription = \"Balls, rollers and other tools for massage, and how to use them.\"\n+++\n\nSoon.\n",
        );
    }
);
case!(
    faq_duplicate,
    [
        "lint::faq-duplicate content/about.md:6:13",
        "lint::faq-duplicate content/conditions/knee-pain.md:21:13",
    ],
    |t| {
        t.edit(
            ABOUT,
            "+++\n\nA small",
            "\n[[faq]]\nquestion = \"Can I still walk?\"\nanswer = \"Ask the writer of each page.\"\n+++\n\nA small",
        );
    }
);
case!(link_text, ["lint::link-text content/about.md:6:45"], |t| {
    t.edit(ABOUT, "[knee pain]", "[click here]");
});
case!(
    review_missing,
    ["lint::review-missing content/conditions/knee-pain.md:1:1"],
    |t| {
        t.edit(
            KNEE,
            "[review]\nby = \"editorial\"\nlast = 2026-01-15\nnext = 2099-01-15\n\n",
            "",
        );
    }
);
case!(
    review_overdue,
    ["lint::review-overdue content/conditions/knee-pain.md:9:1"],
    |t| {
        t.edit(
            KNEE,
            "last = 2026-01-15\nnext = 2099-01-15",
            "last = 2020-01-15\nnext = 2021-01-15",
        );
    }
);
case!(
    references_missing,
    ["lint::references-missing content/conditions/knee-pain.md:1:1"],
    |t| {
        t.edit(
            KNEE,
            "[[references]]\nid = \"nice-knee\"\ntitle = \"Knee pain: assessment and care\"\npublisher = \"NICE\"\nurl = \"https://www.nice.org.uk/\"\n\n",
            "",
        );
        t.edit(KNEE, " [@nice-knee]", "");
    }
);
case!(claims, ["lint::claims content/about.md:6:46"], |t| {
    t.edit(
        ABOUT,
        "A small team writes this guide.",
        "A small team writes this guide. Our tips are guaranteed to work.",
    );
});
case!(
    required_callout,
    ["lint::required-callout content/conditions/knee-pain.md:25:1"],
    |t| {
        t.edit(KNEE, "> [!DOCTOR]\n", "");
    }
);
case!(
    unknown_allow,
    ["lint::unknown-allow content/about.md:6:11"],
    |t| {
        allow(&t, "\"orphans\"");
    }
);
case!(
    unused_allow,
    ["lint::unused-allow content/about.md:6:11"],
    |t| {
        allow(&t, "\"orphan\"");
    }
);

/// Adds `[lint] allow = [ENTRY]` to the about page's front matter.
fn allow(t: &SiteTest, entry: &str) {
    t.edit(
        ABOUT,
        "\n+++\n",
        &format!("\n\n[lint]\nallow = [{entry}]\n+++\n"),
    );
}

#[test]
fn an_allowed_finding_is_not_reported_but_listed() {
    let t = SiteTest::fixture("lint");
    orphan_about(&t);
    allow(
        &t,
        "{ rule = \"orphan\", reason = \"linked from the footer\" }",
    );
    let report = check_warns(&t);
    assert_eq!(findings(&report), Vec::<String>::new(), "{report}");
    assert_eq!(
        report,
        "allowed: lint::orphan in content/about.md (1 finding): linked from the footer\n"
    );
}

/// Sets the orphan rule's level in site.toml and orphans the about page.
fn orphan_at(level: &str) -> SiteTest {
    let t = SiteTest::fixture("lint");
    t.edit(
        "site.toml",
        "[lint]\n",
        &format!("[lint]\norphan = \"{level}\"\n"),
    );
    orphan_about(&t);
    t
}

#[test]
fn level_off_does_not_report() {
    let t = orphan_at("off");
    assert_eq!(check_warns(&t), "");
}

#[test]
fn level_warn_reports_and_passes() {
    let t = orphan_at("warn");
    let report = check_warns(&t);
    assert_eq!(findings(&report), ["lint::orphan content/about.md:2:10"]);
    assert!(report.starts_with("warning[lint::orphan]"), "{report}");
}

#[test]
fn level_error_reports_and_fails() {
    let t = orphan_at("error");
    let out = t.check(&[]);
    let report = t.report(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(findings(&report), ["lint::orphan content/about.md:2:10"]);
    assert!(report.starts_with("error[lint::orphan]"), "{report}");
    assert!(report.ends_with("error: check found 1 error\n"), "{report}");
}

#[test]
fn deny_warnings_fails_on_a_warning() {
    let t = SiteTest::fixture("lint");
    orphan_about(&t);
    let out = t.check(&["--deny-warnings"]);
    let report = t.report(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(findings(&report), ["lint::orphan content/about.md:2:10"]);
    assert!(report.starts_with("error[lint::orphan]"), "{report}");
}

/// A site with findings in several files, of both severities, and one on a
/// section index (sections are linted after pages).
fn many_findings() -> SiteTest {
    let t = SiteTest::fixture("lint");
    t.edit(
        "site.toml",
        "[lint]\n",
        "[lint]\nheading_order = \"error\"\n",
    );
    t.edit(KNEE, "## What helps", "### What helps");
    t.edit(ABOUT, "[knee pain]", "[click here]");
    t.edit(
        ABOUT,
        "title = \"About this guide\"",
        "title = \"Knee pain\"",
    );
    t.edit(
        "content/_index.md",
        "Short guides to common aches, written in plain words for everyone.",
        "Short.",
    );
    t.edit(KNEE, "> [!DOCTOR]\n", "");
    t
}

#[test]
fn json_lines_match_the_human_report() {
    let t = many_findings();
    let human = t.check(&[]);
    let report = t.report(&human);
    let expected = findings(&report);
    assert!(expected.len() >= 5, "{report}");
    let json = t.check(&["--format", "json"]);
    assert_eq!(json.status.code(), human.status.code());
    assert_eq!(stderr(&json), "", "JSON mode prints nothing else");
    let lines: Vec<serde_json::Value> = stdout(&json)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let from_json: Vec<String> = lines
        .iter()
        .map(|v| {
            format!(
                "{} {}:{}:{}",
                v["code"].as_str().unwrap(),
                v["file"].as_str().unwrap(),
                v["line"],
                v["column"]
            )
        })
        .collect();
    assert_eq!(from_json, expected, "{report}");
    let levels: Vec<&str> = lines.iter().map(|v| v["level"].as_str().unwrap()).collect();
    let human_levels: Vec<&str> = report
        .lines()
        .filter_map(|l| l.split_once('[').map(|(level, _)| level))
        .filter(|l| *l == "error" || *l == "warning")
        .collect();
    assert_eq!(levels, human_levels);
}

#[test]
fn a_non_breaking_space_before_an_abbreviation_is_read_as_space() {
    // Sentence splitting once sliced inside the two-byte space and panicked.
    let t = SiteTest::fixture("lint");
    let knee = std::fs::read_to_string(t.root().join(KNEE)).unwrap();
    t.write(
        KNEE,
        format!("{knee}\nRest the knee,\u{a0}e.g. on a pillow.\n"),
    );
    let out = t.check(&["--deny-warnings"]);
    let report = t.report(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(report, "");
}

#[test]
fn no_lint_checks_only_what_build_checks() {
    let t = orphan_at("error");
    let out = t.check(&["--no-lint", "--deny-warnings"]);
    let report = t.report(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(report, "");
    assert_eq!(
        t.check(&[]).status.code(),
        Some(1),
        "the orphan is an error"
    );
}
