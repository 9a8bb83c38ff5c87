//! The template data of health pages, as the guide theme's `health.html` reads it.
//!
//! - `page.review` = [`review_value`]: `{by: {key, name, role, credentials, url},
//!   last, next, overdue}`, dates as `YYYY-MM-DD`; `null` without a review.
//! - `page.references` = [`references_value`]: `[{number, id, title, authors,
//!   year, publisher, journal, doi, doi_url, pmid, pmid_url, url, accessed,
//!   cites}]` in number order, `cites` being the element ids of the citations
//!   (`["cite-ID-1", …]`); empty without references.
//! - `page.health` = [`health_value`]: `{medical, disclaimer, review_html,
//!   references_html}`, the last three as HTML or `null`; the two made here
//!   are the guide theme's review line and references list, written once in
//!   Rust rather than by template macros on every page (a tenth of a health
//!   page's render time).
//!
//! Text values are plain text: the templates escape them.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::check::{is_overdue, next_review};
use crate::config::health::Reviewer;
use crate::markdown::citations::Numbering;
use crate::markdown::escape_text as escape;
use crate::model::front_matter::PageDate;
use crate::model::health::{Reference, Review};

/// `page.review`. `reviewer_url` is the reviewer's `url` made absolute (an
/// `@/` link resolved by the caller), or `None`.
pub fn review_value(
    key: &str,
    review: &Review,
    reviewer: &Reviewer,
    reviewer_url: Option<&str>,
    interval_days: u32,
    today: &PageDate,
) -> Value {
    json!({
        "by": {
            "key": key,
            "name": reviewer.name,
            "role": reviewer.role,
            "credentials": reviewer.credentials,
            "url": reviewer_url,
        },
        "last": review.last.ymd(),
        "next": next_review(review, interval_days).ymd(),
        "overdue": is_overdue(review, interval_days, today),
    })
}

/// `page.references`: the cited references in citation-number order, then the
/// uncited ones (which [`super::check::uncited`] warns about) in file order,
/// numbered on; a repeated id is listed once.
pub fn references_value(refs: &[Reference], numbering: &Numbering) -> Value {
    let mut ordered: Vec<&Reference> = numbering
        .order()
        .iter()
        .filter_map(|id| refs.iter().find(|r| &r.id == id))
        .collect();
    for r in refs {
        if !ordered.iter().any(|o| o.id == r.id) {
            ordered.push(r);
        }
    }
    ordered
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({
                "number": i + 1,
                "id": r.id,
                "title": r.title,
                "authors": r.authors,
                "year": r.year,
                "publisher": r.publisher,
                "journal": r.journal,
                "doi": r.doi,
                "doi_url": r.doi_url(),
                "pmid": r.pmid,
                "pmid_url": r.pmid_url(),
                // Only web links: a `javascript:` or other scheme is never linked.
                "url": r.url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://")),
                "accessed": r.accessed.as_ref().map(PageDate::ymd),
                "cites": numbering.anchors(&r.id),
            })
        })
        .collect()
}

/// `page.health`: whether the page is medical content, the disclaimer
/// (Markdown already rendered to HTML) shown on it, and the review line and
/// references list as the guide theme shows them (HTML, or null without a
/// review or references), made from `review` and `references`.
pub fn health_value(
    medical: bool,
    disclaimer_html: Option<&str>,
    review: &Value,
    references: &Value,
) -> Value {
    let refs = references.as_array().filter(|r| !r.is_empty());
    json!({
        "medical": medical,
        "disclaimer": disclaimer_html,
        "review_html": (!review.is_null()).then(|| review_html(review)),
        "references_html": refs.map(|r| references_html(r)),
    })
}

/// A `YYYY-MM-DD` value as `<time datetime="…">5 May 2026</time>`.
fn time_html(out: &mut String, ymd: &Value) {
    let ymd = ymd.as_str().unwrap_or_default();
    let shown = PageDate::parse(ymd)
        .and_then(|d| {
            let format =
                time::macros::format_description!("[day padding:none] [month repr:long] [year]");
            d.date.format(&format).ok()
        })
        .unwrap_or_else(|| ymd.to_string());
    let _ = write!(
        out,
        "<time datetime=\"{}\">{}</time>",
        escape(ymd),
        escape(&shown)
    );
}

/// The text of a JSON string value, escaped; empty for null.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => escape(s),
        Value::Null => String::new(),
        other => escape(&other.to_string()),
    }
}

/// Set: neither null, false, an empty string nor an empty list (as Tera's `if`).
fn set(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::Object(o) => !o.is_empty(),
    }
}

/// "Reviewed by NAME, CREDENTIALS, ROLE · Last reviewed DATE · Next review due
/// DATE", from a [`review_value`].
fn review_html(r: &Value) -> String {
    let by = &r["by"];
    let mut out = String::from("<p class=\"review-line\" data-search-ignore>\n<span>Reviewed by ");
    if set(&by["url"]) {
        let _ = write!(
            out,
            "<a href=\"{}\">{}</a>",
            text(&by["url"]),
            text(&by["name"])
        );
    } else {
        out.push_str(&text(&by["name"]));
    }
    for key in ["credentials", "role"] {
        if set(&by[key]) {
            let _ = write!(out, ", {}", text(&by[key]));
        }
    }
    out.push_str("</span>\n<span>Last reviewed ");
    time_html(&mut out, &r["last"]);
    out.push_str("</span>");
    if set(&r["next"]) {
        let overdue = set(&r["overdue"]);
        out.push_str(if overdue {
            "\n<span class=\"review-overdue\">Next review due "
        } else {
            "\n<span>Next review due "
        });
        time_html(&mut out, &r["next"]);
        out.push_str(if overdue {
            " (overdue)</span>"
        } else {
            "</span>"
        });
    }
    out.push_str("\n</p>");
    out
}

/// The "References" section, from [`references_value`].
fn references_html(refs: &[Value]) -> String {
    let mut out = String::from(
        "<section class=\"references\" data-search-ignore aria-labelledby=\"references-title\">\n<h2 id=\"references-title\">References</h2>\n<ol>",
    );
    for r in refs {
        let _ = write!(out, "\n<li id=\"ref-{}\">", text(&r["id"]));
        if set(&r["authors"]) {
            let names: Vec<String> = r["authors"]
                .as_array()
                .into_iter()
                .flatten()
                .map(text)
                .collect();
            out.push_str(&names.join(", "));
            if set(&r["year"]) {
                let _ = write!(out, " ({})", text(&r["year"]));
            }
            out.push_str(". ");
        } else if set(&r["year"]) {
            let _ = write!(out, "({}). ", text(&r["year"]));
        }
        out.push_str("<cite>");
        if set(&r["url"]) {
            let _ = write!(
                out,
                "<a href=\"{}\">{}</a>",
                text(&r["url"]),
                text(&r["title"])
            );
        } else {
            out.push_str(&text(&r["title"]));
        }
        out.push_str("</cite>.");
        source_details(&mut out, r);
        back_links(&mut out, r);
        out.push_str("\n</li>");
    }
    out.push_str("\n</ol>\n</section>");
    out
}

/// Journal, publisher, DOI, PubMed id and access date of a reference.
fn source_details(out: &mut String, r: &Value) {
    if set(&r["journal"]) {
        let _ = write!(out, " <i>{}</i>.", text(&r["journal"]));
    }
    if set(&r["publisher"]) {
        let _ = write!(out, " {}.", text(&r["publisher"]));
    }
    if set(&r["doi"]) {
        let _ = write!(
            out,
            " DOI: <a href=\"{}\">{}</a>.",
            text(&r["doi_url"]),
            text(&r["doi"])
        );
    }
    if set(&r["pmid"]) {
        let _ = write!(
            out,
            " PubMed: <a href=\"{}\">{}</a>.",
            text(&r["pmid_url"]),
            text(&r["pmid"])
        );
    }
    if set(&r["accessed"]) {
        out.push_str(" Accessed ");
        time_html(out, &r["accessed"]);
        out.push('.');
    }
}

/// One "↩" link back to each citation of a reference, numbered when there are several.
fn back_links(out: &mut String, r: &Value) {
    let cites = r["cites"].as_array().map_or(&[][..], Vec::as_slice);
    let many = cites.len() > 1;
    for (k, c) in cites.iter().enumerate() {
        let _ = write!(
            out,
            " <a class=\"ref-back\" href=\"#{}\" aria-label=\"Back to ",
            text(c)
        );
        if many {
            let _ = write!(out, "citation {} of ", k + 1);
        }
        let _ = write!(out, "reference {} in the text\">↩", text(&r["number"]));
        if many {
            let _ = write!(out, "<sup aria-hidden=\"true\">{}</sup>", k + 1);
        }
        out.push_str("</a>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::health::ReviewerKind;

    fn date(s: &str) -> PageDate {
        PageDate::parse(s).unwrap()
    }

    #[test]
    fn review() {
        let reviewer = Reviewer {
            name: "Jane".into(),
            role: "Physio".into(),
            credentials: None,
            url: Some("@/about/jane.md".into()),
            kind: ReviewerKind::Person,
        };
        let review = Review {
            by: "jane".into(),
            last: date("2025-05-01T10:00:00Z"),
            next: None,
        };
        let v = review_value(
            "jane",
            &review,
            &reviewer,
            Some("https://x.org/about/jane/"),
            30,
            &date("2026-01-01"),
        );
        assert_eq!(
            v,
            json!({"by": {"key": "jane", "name": "Jane", "role": "Physio", "credentials": null,
                          "url": "https://x.org/about/jane/"},
                   "last": "2025-05-01", "next": "2025-05-31", "overdue": true})
        );
    }

    #[test]
    fn references_in_citation_order_then_uncited() {
        let r = |id: &str| Reference {
            id: id.into(),
            title: id.to_uppercase(),
            authors: vec![],
            year: None,
            publisher: None,
            journal: None,
            doi: None,
            pmid: None,
            url: None,
            accessed: None,
        };
        let refs = [
            Reference {
                doi: Some("10.1000/x".into()),
                accessed: Some(date("2026-01-02")),
                ..r("a")
            },
            r("b"),
            r("c"),
        ];
        let mut n = Numbering::new();
        n.cite("c");
        n.cite("a");
        n.cite("c");
        n.cite("zz");
        let v = references_value(&refs, &n);
        let ids: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["c", "a", "b"]);
        assert_eq!(v[0]["number"], 1);
        assert_eq!(v[0]["cites"], json!(["cite-c-1", "cite-c-2"]));
        assert_eq!(v[1]["doi_url"], "https://doi.org/10.1000/x");
        assert_eq!(v[1]["accessed"], "2026-01-02");
        assert_eq!(v[2]["number"], 3);
        assert_eq!(v[2]["cites"], json!([]));
    }

    #[test]
    fn health() {
        assert_eq!(
            health_value(true, Some("<p>x</p>"), &Value::Null, &json!([])),
            json!({"medical": true, "disclaimer": "<p>x</p>", "review_html": null,
                   "references_html": null})
        );
    }

    /// The markup the guide theme's template macros made (checked against
    /// them on a site with every field before they were replaced), marked
    /// to stay out of the search index.
    #[test]
    fn review_line_and_references_markup() {
        let review = json!({"by": {"key": "e", "name": "Team", "role": "Editors",
                                   "credentials": "MSc <Physio> & Co", "url": "https://x.org/about/"},
                            "last": "2024-01-02", "next": "2025-01-01", "overdue": true});
        assert_eq!(
            review_html(&review),
            "<p class=\"review-line\" data-search-ignore>\n<span>Reviewed by <a href=\"https://x.org/about/\">Team</a>, \
             MSc &lt;Physio&gt; &amp; Co, Editors</span>\n<span>Last reviewed <time datetime=\"2024-01-02\">\
             2 January 2024</time></span>\n<span class=\"review-overdue\">Next review due \
             <time datetime=\"2025-01-01\">1 January 2025</time> (overdue)</span>\n</p>"
        );
        let refs = json!([
            {"number": 1, "id": "a", "title": "A \"q\" & b", "authors": ["Smith J", "O'Neil K"],
             "year": 2019, "publisher": null, "journal": "J <Pain>", "doi": "10.1000/x",
             "doi_url": "https://doi.org/10.1000/x", "pmid": "12345",
             "pmid_url": "https://pubmed.ncbi.nlm.nih.gov/12345/", "url": null, "accessed": null,
             "cites": ["cite-a-1", "cite-a-2"]},
            {"number": 2, "id": "b", "title": "Year only", "authors": [], "year": 2020,
             "publisher": "Pub & Co", "journal": null, "doi": null, "doi_url": null, "pmid": null,
             "pmid_url": null, "url": "https://b.org/", "accessed": "2026-11-26", "cites": ["cite-b-1"]},
        ]);
        assert_eq!(
            references_html(refs.as_array().unwrap()),
            "<section class=\"references\" data-search-ignore aria-labelledby=\"references-title\">\n\
             <h2 id=\"references-title\">References</h2>\n<ol>\n\
             <li id=\"ref-a\">Smith J, O&#39;Neil K (2019). <cite>A &quot;q&quot; &amp; b</cite>. \
             <i>J &lt;Pain&gt;</i>. DOI: <a href=\"https://doi.org/10.1000/x\">10.1000/x</a>. \
             PubMed: <a href=\"https://pubmed.ncbi.nlm.nih.gov/12345/\">12345</a>. \
             <a class=\"ref-back\" href=\"#cite-a-1\" aria-label=\"Back to citation 1 of reference 1 in the text\">\
             ↩<sup aria-hidden=\"true\">1</sup></a> <a class=\"ref-back\" href=\"#cite-a-2\" \
             aria-label=\"Back to citation 2 of reference 1 in the text\">↩<sup aria-hidden=\"true\">2</sup></a>\n</li>\n\
             <li id=\"ref-b\">(2020). <cite><a href=\"https://b.org/\">Year only</a></cite>. Pub &amp; Co. \
             Accessed <time datetime=\"2026-11-26\">26 November 2026</time>. <a class=\"ref-back\" \
             href=\"#cite-b-1\" aria-label=\"Back to reference 2 in the text\">↩</a>\n</li>\n</ol>\n</section>"
        );
    }
}
