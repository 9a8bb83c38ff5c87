//! The health content model on its own site, `tests/fixtures/health`: a
//! reviewed condition page with references, `[@id]` citations and the three
//! urgency callouts, and a page that is not medical. One broken case per
//! `health::` code (file:line:col asserted, report as an insta snapshot), then
//! what the built page shows: the review line, citations and references,
//! callouts, the disclaimer and the `MedicalWebPage` JSON-LD.

use serde_json::Value;

use crate::common::*;
use crate::schemaorg::validate::validate;
use crate::schemaorg::vocab;

const KNEE: &str = "content/conditions/knee-pain.md";
const KNEE_HTML: &str = "conditions/knee-pain/index.html";

/// One case per code: set up the fixture, then the exit code of `check`,
/// the findings (`code file:line:col`, in report order) and the snapshot.
macro_rules! case {
    ($name:ident, exit $code:literal, [$($at:literal),+ $(,)?], |$t:ident| $setup:block) => {
        #[test]
        fn $name() {
            let $t = SiteTest::fixture("health");
            $setup
            let out = $t.check(&[]);
            let report = $t.report(&out);
            assert_eq!(out.status.code(), Some($code), "{report}");
            assert_eq!(findings(&report), [$($at),+], "{report}");
            insta::assert_snapshot!(stringify!($name), report);
        }
    };
}

case!(
    unknown_reviewer,
    exit 1,
    ["health::unknown-reviewer content/conditions/knee-pain.md:10:7"],
    |t| {
        t.edit(KNEE, "by = \"jane\"", "by = \"jaen\"");
    }
);
case!(
    review_in_future,
    exit 1,
    ["health::review-in-future content/conditions/knee-pain.md:11:8"],
    |t| {
        t.edit(
            KNEE,
            "last = 2026-05-01\nnext = 2099-05-01",
            "last = 2999-05-01\nnext = 2999-06-01",
        );
    }
);
// A `next` before `last` is in the past (or `last` would be in the future),
// so the lint also finds the review overdue.
case!(
    next_before_last,
    exit 1,
    [
        "health::next-before-last content/conditions/knee-pain.md:12:8",
        "lint::review-overdue content/conditions/knee-pain.md:9:1",
    ],
    |t| {
        t.edit(KNEE, "next = 2099-05-01", "next = 2026-04-01");
    }
);
case!(
    duplicate_reference,
    exit 1,
    ["health::duplicate-reference content/conditions/knee-pain.md:31:7"],
    |t| {
        t.edit(
            KNEE,
            "accessed = 2026-01-05\n",
            "accessed = 2026-01-05\n\n[[references]]\nid = \"nice\"\ntitle = \"Knee pain: a second edition\"\n",
        );
    }
);
case!(
    bad_doi,
    exit 1,
    ["health::bad-doi content/conditions/knee-pain.md:20:8"],
    |t| {
        t.edit(KNEE, "\"10.1136/bmj.m1234\"", "\"https://doi.org/10.1136/bmj.m1234\"");
    }
);
case!(
    bad_pmid,
    exit 1,
    ["health::bad-pmid content/conditions/knee-pain.md:21:9"],
    |t| {
        t.edit(KNEE, "\"32000000\"", "\"PMID 32000000\"");
    }
);
case!(
    uncited_reference,
    exit 0,
    ["health::uncited-reference content/conditions/knee-pain.md:24:7"],
    |t| {
        t.edit(KNEE, " [@nice]", "");
    }
);
case!(
    unknown_citation,
    exit 1,
    ["health::unknown-citation content/conditions/knee-pain.md:44:65"],
    |t| {
        t.edit(KNEE, "every day [@smith-2020]", "every day [@smith-2002]");
    }
);

#[test]
fn the_fixture_is_clean() {
    let t = SiteTest::fixture("health");
    let out = t.check(&["--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", t.report(&out));
    assert_eq!(t.report(&out), "");
}

/// The fixture, built.
fn built() -> SiteTest {
    let t = SiteTest::fixture("health");
    t.build_ok(&[]);
    t
}

#[test]
fn review_line() {
    let html = built().read(KNEE_HTML);
    let expected = concat!(
        "<p class=\"review-line\" data-search-ignore>\n",
        "<span>Reviewed by <a href=\"https://example.org/about/\">Jane Doe</a>, MSc, Physiotherapist</span>\n",
        "<span>Last reviewed <time datetime=\"2026-05-01\">1 May 2026</time></span>\n",
        "<span>Next review due <time datetime=\"2099-05-01\">1 May 2099</time></span>\n",
        "</p>",
    );
    assert!(html.contains(expected), "{html}");
}

#[test]
fn citations_link_to_the_references_and_back() {
    let t = built();
    let html = t.read(KNEE_HTML);
    // Numbered by first use: `nice` is [1], `smith-2020` is [2] (cited twice).
    for marker in [
        "<sup class=\"cite\"><a href=\"#ref-nice\" id=\"cite-nice-1\" aria-label=\"Reference 1\">[1]</a></sup>",
        "<sup class=\"cite\"><a href=\"#ref-smith-2020\" id=\"cite-smith-2020-1\" aria-label=\"Reference 2\">[2]</a></sup>",
        "<sup class=\"cite\"><a href=\"#ref-smith-2020\" id=\"cite-smith-2020-2\" aria-label=\"Reference 2\">[2]</a></sup>",
    ] {
        assert!(html.contains(marker), "{marker}\n{html}");
    }
    // The list is in number order, and each entry links back to its citations.
    let nice = html.find("<li id=\"ref-nice\">").expect("ref-nice");
    let smith = html
        .find("<li id=\"ref-smith-2020\">")
        .expect("ref-smith-2020");
    assert!(
        html.find("<h2 id=\"references-title\">References</h2>")
            .unwrap()
            < nice
    );
    assert!(nice < smith);
    for back in ["#cite-nice-1", "#cite-smith-2020-1", "#cite-smith-2020-2"] {
        assert!(
            html[nice..].contains(&format!("class=\"ref-back\" href=\"{back}\"")),
            "{back}"
        );
    }
    assert!(html[smith..].contains("DOI: <a href=\"https://doi.org/10.1136/bmj.m1234\">"));
    assert!(
        html[smith..].contains("PubMed: <a href=\"https://pubmed.ncbi.nlm.nih.gov/32000000/\">")
    );
    // Every one of those fragments lands on an id.
    assert_eq!(
        broken_internal_links(&t.public(), "https://example.org"),
        Vec::<String>::new()
    );
}

/// The urgency callouts of a page: (level, title) in document order.
fn callouts(html: &str) -> Vec<(String, String)> {
    html.split("<div class=\"callout callout-")
        .skip(1)
        .map(|rest| {
            let level = rest.split('"').next().unwrap().to_string();
            let title = rest
                .split("<p class=\"callout-title\">")
                .nth(1)
                .and_then(|t| t.split("</p>").next())
                .unwrap()
                .to_string();
            (level, title)
        })
        .collect()
}

#[test]
fn urgency_callouts_in_order_with_their_titles() {
    let html = built().read(KNEE_HTML);
    assert_eq!(
        callouts(&html),
        [
            (
                "emergency".into(),
                "Emergency: call 999 now if you have any of these".into()
            ),
            (
                "urgent".into(),
                "Urgent: get medical help today (call NHS 111) if you have any of these".into()
            ),
            (
                "doctor".into(),
                "See a doctor or physiotherapist soon if you have any of these".into()
            ),
        ]
    );
    assert!(!html.contains("[!"), "no marker is left as text");
}

/// The guide theme prints `page.health`'s HTML and never reads `page.review`
/// or `page.references`, so fascia leaves them empty for it; a theme that
/// reads them gets them in full.
#[test]
fn a_theme_of_your_own_reads_review_and_references() {
    let t = SiteTest::fixture("health");
    t.write(
        "templates/page.html",
        concat!(
            "{% if page.review %}<p id=\"review\">{{ page.review.by.name }}, {{ page.review.last }}, {{ page.review.next }}</p>{% endif %}\n",
            "{% for r in page.references %}<p class=\"ref\">{{ r.number }} {{ r.id }} {{ r.doi_url }}</p>\n{% endfor %}",
        ),
    );
    t.build_ok(&[]);
    let html = t.read(KNEE_HTML);
    assert!(
        html.contains("<p id=\"review\">Jane Doe, 2026-05-01, 2099-05-01</p>"),
        "{html}"
    );
    let refs: Vec<&str> = html
        .lines()
        .filter(|l| l.starts_with("<p class=\"ref\">"))
        .collect();
    assert_eq!(refs.len(), 2, "{html}");
    assert!(
        refs.iter()
            .any(|r| r.contains("smith-2020 https://doi.org/10.1136/bmj.m1234")),
        "{html}"
    );
}

#[test]
fn a_page_overrides_the_emergency_number() {
    let t = SiteTest::fixture("health");
    t.edit(
        KNEE,
        "[review]",
        "[health]\nemergency_number = \"112\"\nurgent_help = \"call your GP\"\n\n[review]",
    );
    t.build_ok(&[]);
    let titles: Vec<String> = callouts(&t.read(KNEE_HTML))
        .into_iter()
        .map(|c| c.1)
        .collect();
    assert_eq!(
        titles[0],
        "Emergency: call 112 now if you have any of these"
    );
    assert_eq!(
        titles[1],
        "Urgent: get medical help today (call your GP) if you have any of these"
    );
}

#[test]
fn the_disclaimer_is_on_medical_pages_only() {
    let t = built();
    let disclaimer = concat!(
        "<section class=\"disclaimer\" aria-labelledby=\"g-disclaimer-title\">\n",
        "<h2 id=\"g-disclaimer-title\">Medical disclaimer</h2>\n",
        "<p>General information, not <em>medical advice</em>.</p>",
    );
    assert!(t.read(KNEE_HTML).contains(disclaimer));
    for plain in ["about/index.html", "index.html", "conditions/index.html"] {
        let html = t.read(plain);
        assert!(!html.contains("class=\"disclaimer\""), "{plain}");
        assert!(!html.contains("review-line"), "{plain}");
    }
}

/// Every `<script type="application/ld+json">` document of a page, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            let text = rest.split("</script>").next().unwrap();
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
        })
        .collect()
}

#[test]
fn medical_web_page_json_ld_is_valid_schema_org() {
    let t = built();
    let html = t.read(KNEE_HTML);
    let docs = json_ld(&html);
    for doc in &docs {
        assert_eq!(validate(doc, vocab()), Vec::<String>::new(), "{doc:#}");
    }
    let page = &docs[0];
    assert_eq!(page["@type"], "MedicalWebPage");
    assert_eq!(page["lastReviewed"], "2026-05-01");
    assert_eq!(
        page["reviewedBy"],
        serde_json::json!({
            "@type": "Person",
            "name": "Jane Doe",
            "jobTitle": "Physiotherapist",
            "honorificSuffix": "MSc",
            "url": "https://example.org/about/"
        })
    );
    // Citations in number order; the article carries its DOI and PMID.
    let citations = page["citation"].as_array().unwrap();
    assert_eq!(citations.len(), 2);
    assert_eq!(citations[0]["@type"], "CreativeWork");
    assert_eq!(citations[0]["url"], "https://www.nice.org.uk/");
    assert_eq!(citations[1]["@type"], "ScholarlyArticle");
    let ids: Vec<(&str, &str)> = citations[1]["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["propertyID"].as_str().unwrap(),
                i["value"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(ids, [("DOI", "10.1136/bmj.m1234"), ("PMID", "32000000")]);
    // A page of a condition section is about the condition, with the body areas as anatomy.
    assert_eq!(page["about"]["@type"], "MedicalCondition");
    assert_eq!(page["about"]["name"], "Knee pain");
    assert_eq!(
        page["about"]["associatedAnatomy"],
        serde_json::json!([{ "@type": "AnatomicalStructure", "name": "Knee" }])
    );
    assert_eq!(
        page["audience"],
        serde_json::json!({ "@type": "MedicalAudience", "audienceType": "Patient" })
    );
    // The page that is not medical keeps its Article.
    let about = json_ld(&t.read("about/index.html"));
    assert_eq!(about[0]["@type"], "Article");
}
