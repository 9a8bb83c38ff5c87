//! The template data of health pages, as the guide theme's `health.html` reads it.
//!
//! - `page.review` = [`review_value`]: `{by: {key, name, role, credentials, url},
//!   last, next, overdue}`, dates as `YYYY-MM-DD`; `null` without a review.
//! - `page.references` = [`references_value`]: `[{number, id, title, authors,
//!   year, publisher, journal, doi, doi_url, pmid, pmid_url, url, accessed,
//!   cites}]` in number order, `cites` being the element ids of the citations
//!   (`["cite-ID-1", …]`); empty without references.
//! - `page.health` = [`health_value`]: `{medical, disclaimer}`, the disclaimer
//!   as HTML or `null`.
//!
//! Text values are plain text: the templates escape them.

use serde_json::{json, Value};

use super::check::{is_overdue, next_review};
use crate::config::health::Reviewer;
use crate::markdown::citations::Numbering;
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
                "url": r.url,
                "accessed": r.accessed.as_ref().map(PageDate::ymd),
                "cites": numbering.anchors(&r.id),
            })
        })
        .collect()
}

/// `page.health`: whether the page is medical content, and the disclaimer
/// (Markdown already rendered to HTML) shown on it.
pub fn health_value(medical: bool, disclaimer_html: Option<&str>) -> Value {
    json!({ "medical": medical, "disclaimer": disclaimer_html })
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
            health_value(true, Some("<p>x</p>")),
            json!({"medical": true, "disclaimer": "<p>x</p>"})
        );
    }
}
