//! The guide theme's health pieces (`themes/guide/templates/health.html` and
//! their use in `page.html`), rendered with Tera directly from the data
//! contract the engine provides: `page.review`, `page.references`, `page.health`.

use std::collections::HashMap;

use fascia::config::health::{Reviewer, ReviewerKind};
use fascia::health::template;
use fascia::markdown::citations::Numbering;
use fascia::model::front_matter::PageDate;
use fascia::model::health::{Reference, Review};
use serde_json::{json, Value};
use tera::{Context, Tera};

/// The guide templates with stand-ins for the engine's `date` filter, `get_url`
/// function and escaping.
fn tera() -> Tera {
    let mut tera = Tera::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/guide/templates/*.html"
    ))
    .unwrap();
    tera.register_filter("date", |v: &Value, args: &HashMap<String, Value>| {
        let d = PageDate::parse(v.as_str().unwrap()).unwrap();
        let f = args["format"].as_str().unwrap();
        let f = time::format_description::parse_borrowed::<2>(f).unwrap();
        Ok(json!(d.date.format(&f).unwrap()))
    });
    tera.register_function("get_url", |args: &HashMap<String, Value>| {
        Ok(json!(format!(
            "https://example.org/{}",
            args["path"].as_str().unwrap()
        )))
    });
    tera.set_escape_fn(|s| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
    });
    tera
}

fn render(page: Value) -> String {
    let mut cx = Context::new();
    cx.insert("page", &page);
    cx.insert(
        "config",
        &json!({"title": "Guide", "description": "d", "extra": {"disclaimer": "Site-wide."}, "taxonomies": []}),
    );
    cx.insert("lang", "en");
    cx.insert("current_url", "https://example.org/knee/");
    cx.insert("current_path", "/knee/");
    cx.insert("feed_url", "https://example.org/atom.xml");
    tera().render("page.html", &cx).unwrap()
}

fn base_page() -> Value {
    json!({
        "title": "Knee pain",
        "description": "What helps",
        "permalink": "https://example.org/knee/",
        "reading_time": 3,
        "heading_count": 0,
        "content": "<p>Rest<sup class=\"cite\">…</sup></p>",
        "ancestors": [{"title": "Conditions", "path": "/conditions/", "permalink": "https://example.org/conditions/"}],
    })
}

/// A medical page whose health data comes from `fascia::health::template`,
/// the functions the engine uses, so the theme and the contract stay in step.
fn medical_page() -> Value {
    medical_page_with(
        Some("https://example.org/about/jane/"),
        Some("MSc"),
        "2026-06-01",
    )
}

/// [`medical_page`] with another reviewer URL and credentials, on another day.
fn medical_page_with(url: Option<&str>, credentials: Option<&str>, today: &str) -> Value {
    let reviewer = Reviewer {
        name: "Jane <Doe>".into(),
        role: "Physiotherapist".into(),
        credentials: credentials.map(String::from),
        url: Some("@/about/jane.md".into()),
        kind: ReviewerKind::Person,
    };
    let review = Review {
        by: "jane".into(),
        last: date("2026-05-01"),
        next: Some(date("2027-05-01")),
    };
    let refs = [
        Reference {
            id: "nice".into(),
            title: "Guideline".into(),
            publisher: Some("NICE".into()),
            url: Some("https://www.nice.org.uk/g".into()),
            accessed: Some(date("2026-01-05")),
            ..Reference::default()
        },
        Reference {
            id: "smith-2020".into(),
            title: "Exercise & knees".into(),
            authors: vec!["Smith J".into(), "Lee K".into()],
            year: Some(2020),
            journal: Some("BMJ".into()),
            doi: Some("10.1136/bmj.m1".into()),
            pmid: Some("123".into()),
            ..Reference::default()
        },
    ];
    let mut numbering = Numbering::new();
    for id in ["smith-2020", "nice", "smith-2020"] {
        numbering.cite(id);
    }
    let mut page = base_page();
    let today = date(today);
    page["review"] = template::review_value("jane", &review, &reviewer, url, 365, &today);
    let ordered = template::ordered(&refs, &numbering);
    page["references"] = template::references_value(&ordered, &numbering);
    let line = template::ReviewLine {
        review: &review,
        reviewer: &reviewer,
        url,
        interval_days: 365,
        today: &today,
    };
    page["health"] = template::health_value(
        true,
        Some("<p>Not <em>advice</em>.</p>"),
        Some(line),
        &ordered,
        &numbering,
    );
    page
}

fn date(s: &str) -> PageDate {
    PageDate::parse(s).unwrap()
}

#[test]
fn review_line() {
    let html = render(medical_page());
    let expected = concat!(
        "<p class=\"review-line\" data-search-ignore>\n",
        "<span>Reviewed by <a href=\"https://example.org/about/jane/\">Jane &lt;Doe&gt;</a>, MSc, Physiotherapist</span>\n",
        "<span>Last reviewed <time datetime=\"2026-05-01\">1 May 2026</time></span>\n",
        "<span>Next review due <time datetime=\"2027-05-01\">1 May 2027</time></span>\n",
        "</p>\n</header>",
    );
    assert!(html.contains(expected), "{html}");

    let html = render(medical_page_with(None, None, "2027-06-01"));
    assert!(
        html.contains("<span>Reviewed by Jane &lt;Doe&gt;, Physiotherapist</span>"),
        "{html}"
    );
    assert!(html.contains("<span class=\"review-overdue\">Next review due <time datetime=\"2027-05-01\">1 May 2027</time> (overdue)</span>"), "{html}");
}

#[test]
fn references_list() {
    let html = render(medical_page());
    let expected = concat!(
        "</div>\n",
        "<section class=\"references\" data-search-ignore aria-labelledby=\"references-title\">\n",
        "<h2 id=\"references-title\">References</h2>\n",
        "<ol>\n",
        "<li id=\"ref-smith-2020\">Smith J, Lee K (2020). <cite>Exercise &amp; knees</cite>. <i>BMJ</i>.",
        " DOI: <a href=\"https://doi.org/10.1136/bmj.m1\">10.1136/bmj.m1</a>.",
        " PubMed: <a href=\"https://pubmed.ncbi.nlm.nih.gov/123/\">123</a>.",
        " <a class=\"ref-back\" href=\"#cite-smith-2020-1\" aria-label=\"Back to citation 1 of reference 1 in the text\">↩<sup aria-hidden=\"true\">1</sup></a>",
        " <a class=\"ref-back\" href=\"#cite-smith-2020-2\" aria-label=\"Back to citation 2 of reference 1 in the text\">↩<sup aria-hidden=\"true\">2</sup></a>\n",
        "</li>\n",
        "<li id=\"ref-nice\"><cite><a href=\"https://www.nice.org.uk/g\">Guideline</a></cite>. NICE.",
        " Accessed <time datetime=\"2026-01-05\">5 January 2026</time>.",
        " <a class=\"ref-back\" href=\"#cite-nice-1\" aria-label=\"Back to reference 2 in the text\">↩</a>\n",
        "</li>\n",
        "</ol>\n",
        "</section>\n",
    );
    assert!(html.contains(expected), "{html}");
    // References come straight after the body, before the FAQ and the terms.
    assert!(html.find("class=\"references\"").unwrap() < html.find("</article>").unwrap());
}

#[test]
fn page_disclaimer_replaces_the_site_one() {
    let html = render(medical_page());
    assert!(html.contains("<h2 id=\"g-disclaimer-title\">Medical disclaimer</h2>\n<p>Not <em>advice</em>.</p>\n</section>"), "{html}");
    assert!(!html.contains("Site-wide."));
    let mut page = medical_page();
    page["health"]["disclaimer"] = Value::Null;
    assert!(render(page).contains("<p>Site-wide.</p>"));
}

#[test]
fn pages_without_health_data_are_unchanged() {
    let mut page = base_page();
    let plain = render(page.clone());
    assert!(!plain.contains("review-line") && !plain.contains("references"));
    assert!(plain.contains("</p>\n</header>"));
    assert!(plain.contains("<p>Site-wide.</p>"));
    page["review"] = Value::Null;
    page["references"] = json!([]);
    page["health"] = json!({"medical": false, "disclaimer": null});
    assert_eq!(render(page), plain);
}
