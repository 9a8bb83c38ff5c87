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

use serde_json::{json, Value};

use super::check::{is_overdue, next_review};
use crate::config::health::Reviewer;
use crate::markdown::citations::{push_anchor, Numbering};
use crate::markdown::escape_into;
use crate::model::front_matter::{push_digits, PageDate};
use crate::model::health::{Reference, Review, DOI_PREFIX, PUBMED_PREFIX};

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

/// The references in the order the page lists them: cited ones in
/// citation-number order, then the uncited ones (which
/// [`super::check::uncited`] warns about) in file order; a repeated id once.
pub fn ordered<'a>(refs: &'a [Reference], numbering: &Numbering) -> Vec<&'a Reference> {
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
}

/// A reference's `url` when it is a web link: a `javascript:` or other
/// scheme is never linked.
fn web_url(r: &Reference) -> Option<&str> {
    r.url
        .as_deref()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
}

/// `page.references`: the references in [`ordered`] order, numbered from 1.
pub fn references_value(ordered: &[&Reference], numbering: &Numbering) -> Value {
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
                "url": web_url(r),
                "accessed": r.accessed.as_ref().map(PageDate::ymd),
                "cites": numbering.anchors(&r.id),
            })
        })
        .collect()
}

/// What the review line shows: the reviewer, its profile URL (absolute) and
/// the review's dates.
#[derive(Debug, Clone, Copy)]
pub struct ReviewLine<'a> {
    /// The page's `[review]`.
    pub review: &'a Review,
    /// The `[reviewers.KEY]` it names.
    pub reviewer: &'a Reviewer,
    /// The reviewer's `url`, resolved to an absolute URL.
    pub url: Option<&'a str>,
    /// `[health] review_interval_days`, for a review without `next`.
    pub interval_days: u32,
    /// Today, to tell whether the review is overdue.
    pub today: &'a PageDate,
}

/// `page.health`: whether the page is medical content, the disclaimer
/// (Markdown already rendered to HTML) shown on it, and the review line and
/// references list as the guide theme shows them (HTML, or null without a
/// review or references).
pub fn health_value(
    medical: bool,
    disclaimer_html: Option<&str>,
    review: Option<ReviewLine>,
    references: &[&Reference],
    numbering: &Numbering,
) -> Value {
    let html = |s: Option<String>| s.map_or(Value::Null, Value::String);
    let mut v = json!({"medical": medical, "disclaimer": disclaimer_html});
    // Assigned, not written inside `json!`, which would copy the HTML.
    v["review_html"] = html(review.map(review_html));
    v["references_html"] =
        html((!references.is_empty()).then(|| references_html(references, numbering)));
    v
}

/// Appends `text` escaped for HTML.
fn push_text(out: &mut String, text: &str) {
    escape_into(out, text);
}

/// Appends `<time datetime="2026-05-05">5 May 2026</time>`.
fn time_html(out: &mut String, date: &PageDate) {
    let d = date.date;
    out.push_str("<time datetime=\"");
    date.push_ymd(out);
    out.push_str("\">");
    push_digits(out, u32::from(d.day()), 1);
    out.push(' ');
    out.push_str(MONTHS[usize::from(d.month() as u8) - 1]);
    out.push(' ');
    match u32::try_from(d.year()) {
        Ok(y) => push_digits(out, y, 4),
        Err(_) => out.push_str(&format!("{:04}", d.year())),
    }
    out.push_str("</time>");
}

/// English month names, as `time::Month` displays them.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `Some` non-empty text.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

/// "Reviewed by NAME, CREDENTIALS, ROLE · Last reviewed DATE · Next review
/// due DATE".
fn review_html(line: ReviewLine) -> String {
    let ReviewLine {
        review, reviewer, ..
    } = line;
    let mut out = String::with_capacity(512);
    out.push_str("<p class=\"review-line\" data-search-ignore>\n<span>Reviewed by ");
    match line.url.filter(|u| !u.is_empty()) {
        Some(url) => {
            out.push_str("<a href=\"");
            push_text(&mut out, url);
            out.push_str("\">");
            push_text(&mut out, &reviewer.name);
            out.push_str("</a>");
        }
        None => push_text(&mut out, &reviewer.name),
    }
    let role = Some(reviewer.role.as_str()).filter(|r| !r.is_empty());
    for part in [given(&reviewer.credentials), role].into_iter().flatten() {
        out.push_str(", ");
        push_text(&mut out, part);
    }
    out.push_str("</span>\n<span>Last reviewed ");
    time_html(&mut out, &review.last);
    out.push_str("</span>");
    let overdue = is_overdue(review, line.interval_days, line.today);
    out.push_str(if overdue {
        "\n<span class=\"review-overdue\">Next review due "
    } else {
        "\n<span>Next review due "
    });
    time_html(&mut out, &next_review(review, line.interval_days));
    out.push_str(if overdue {
        " (overdue)</span>"
    } else {
        "</span>"
    });
    out.push_str("\n</p>");
    out
}

/// The "References" section, in [`ordered`] order.
fn references_html(refs: &[&Reference], numbering: &Numbering) -> String {
    let mut out = String::with_capacity(160 + 640 * refs.len());
    out.push_str(
        "<section class=\"references\" data-search-ignore aria-labelledby=\"references-title\">\n<h2 id=\"references-title\">References</h2>\n<ol>",
    );
    for (i, r) in refs.iter().enumerate() {
        out.push_str("\n<li id=\"ref-");
        push_text(&mut out, &r.id);
        out.push_str("\">");
        let year = r.year.filter(|&y| y != 0);
        if !r.authors.is_empty() {
            for (k, a) in r.authors.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                push_text(&mut out, a);
            }
            if let Some(y) = year {
                out.push_str(" (");
                out.push_str(itoa::Buffer::new().format(y));
                out.push(')');
            }
            out.push_str(". ");
        } else if let Some(y) = year {
            out.push('(');
            out.push_str(itoa::Buffer::new().format(y));
            out.push_str("). ");
        }
        out.push_str("<cite>");
        match web_url(r).filter(|u| !u.is_empty()) {
            Some(url) => {
                out.push_str("<a href=\"");
                push_text(&mut out, url);
                out.push_str("\">");
                push_text(&mut out, &r.title);
                out.push_str("</a>");
            }
            None => push_text(&mut out, &r.title),
        }
        out.push_str("</cite>.");
        source_details(&mut out, r);
        back_links(&mut out, r, i + 1, numbering);
        out.push_str("\n</li>");
    }
    out.push_str("\n</ol>\n</section>");
    out
}

/// Journal, publisher, DOI, PubMed id and access date of a reference.
fn source_details(out: &mut String, r: &Reference) {
    if let Some(journal) = given(&r.journal) {
        out.push_str(" <i>");
        push_text(out, journal);
        out.push_str("</i>.");
    }
    if let Some(publisher) = given(&r.publisher) {
        out.push(' ');
        push_text(out, publisher);
        out.push('.');
    }
    let links = [
        (" DOI: ", r.doi.as_deref(), DOI_PREFIX, ""),
        (" PubMed: ", r.pmid.as_deref(), PUBMED_PREFIX, "/"),
    ];
    for (label, id, prefix, suffix) in links {
        // The same URLs as `Reference::doi_url` and `pmid_url`, written in place.
        if let Some(id) = id.filter(|id| !id.is_empty()) {
            out.push_str(label);
            out.push_str("<a href=\"");
            out.push_str(prefix);
            push_text(out, id);
            out.push_str(suffix);
            out.push_str("\">");
            push_text(out, id);
            out.push_str("</a>.");
        }
    }
    if let Some(accessed) = &r.accessed {
        out.push_str(" Accessed ");
        time_html(out, accessed);
        out.push('.');
    }
}

/// One "↩" link back to each citation of a reference, numbered when there are several.
fn back_links(out: &mut String, r: &Reference, number: usize, numbering: &Numbering) {
    let uses = numbering.uses(&r.id);
    let many = uses > 1;
    let mut digits = itoa::Buffer::new();
    for k in 1..=uses {
        out.push_str(" <a class=\"ref-back\" href=\"#");
        push_anchor(out, &r.id, k);
        out.push_str("\" aria-label=\"Back to ");
        if many {
            out.push_str("citation ");
            out.push_str(digits.format(k));
            out.push_str(" of ");
        }
        out.push_str("reference ");
        out.push_str(digits.format(number));
        out.push_str(" in the text\">↩");
        if many {
            out.push_str("<sup aria-hidden=\"true\">");
            out.push_str(digits.format(k));
            out.push_str("</sup>");
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
            ..Reference::default()
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
        let v = references_value(&ordered(&refs, &n), &n);
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
            health_value(true, Some("<p>x</p>"), None, &[], &Numbering::new()),
            json!({"medical": true, "disclaimer": "<p>x</p>", "review_html": null,
                   "references_html": null})
        );
    }

    /// The markup the guide theme's template macros made (checked against
    /// them on a site with every field before they were replaced), marked
    /// to stay out of the search index.
    #[test]
    fn review_line_and_references_markup() {
        let reviewer = Reviewer {
            name: "Team".into(),
            role: "Editors".into(),
            credentials: Some("MSc <Physio> & Co".into()),
            url: None,
            kind: ReviewerKind::Organization,
        };
        let review = Review {
            by: "e".into(),
            last: date("2024-01-02"),
            next: Some(date("2025-01-01")),
        };
        let line = ReviewLine {
            review: &review,
            reviewer: &reviewer,
            url: Some("https://x.org/about/"),
            interval_days: 365,
            today: &date("2026-01-01"),
        };
        assert_eq!(
            review_html(line),
            "<p class=\"review-line\" data-search-ignore>\n<span>Reviewed by <a href=\"https://x.org/about/\">Team</a>, \
             MSc &lt;Physio&gt; &amp; Co, Editors</span>\n<span>Last reviewed <time datetime=\"2024-01-02\">\
             2 January 2024</time></span>\n<span class=\"review-overdue\">Next review due \
             <time datetime=\"2025-01-01\">1 January 2025</time> (overdue)</span>\n</p>"
        );
        let refs = [
            Reference {
                id: "a".into(),
                title: "A \"q\" & b".into(),
                authors: vec!["Smith J".into(), "O'Neil K".into()],
                year: Some(2019),
                journal: Some("J <Pain>".into()),
                doi: Some("10.1000/x".into()),
                pmid: Some("12345".into()),
                ..Reference::default()
            },
            Reference {
                id: "b".into(),
                title: "Year only".into(),
                year: Some(2020),
                publisher: Some("Pub & Co".into()),
                url: Some("https://b.org/".into()),
                accessed: Some(date("2026-11-26")),
                ..Reference::default()
            },
        ];
        let mut numbering = Numbering::new();
        for id in ["a", "b", "a"] {
            numbering.cite(id);
        }
        assert_eq!(
            references_html(&ordered(&refs, &numbering), &numbering),
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
