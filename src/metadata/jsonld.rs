//! schema.org JSON-LD: Article, BreadcrumbList and FAQPage, escaped so that
//! no content can close the `<script>` element around it.

use serde_json::{json, Value};

use crate::derived::Derived;
use crate::health::jsonld::{medical_web_page, Condition, MedicalPage};
use crate::model::health::Reference;
use crate::model::{PageId, SectionId, Site};

/// Serialises `value` for a `<script type="application/ld+json">` element:
/// `<`, `>`, `&`, U+2028 and U+2029 become `\u` escapes, which JSON parsers read back unchanged.
pub fn script_json(value: &Value) -> String {
    let raw = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let bytes = raw.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    // Copy runs of plain text at once; the line separators are E2 80 A8/A9.
    for (i, &b) in bytes.iter().enumerate() {
        let escaped = match b {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => "\\u2028",
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => "\\u2029",
            _ => continue,
        };
        if out.is_empty() {
            out.reserve(raw.len() + 16);
        }
        out.push_str(&raw[copied..i]);
        out.push_str(escaped);
        copied = i + if b == 0xE2 { 3 } else { 1 };
    }
    if copied == 0 {
        return raw;
    }
    out.push_str(&raw[copied..]);
    out
}

/// The JSON-LD documents of one page: Article, BreadcrumbList, and FAQPage when it has FAQ entries.
pub fn page_documents(
    site: &Site,
    derived: &Derived,
    id: PageId,
    ancestors: &[SectionId],
) -> Vec<String> {
    if derived.health[id.0].medical {
        medical_documents(site, derived, id, ancestors)
    } else {
        ordinary_documents(site, derived, id, ancestors)
    }
}

/// Article, BreadcrumbList and FAQPage.
fn ordinary_documents(
    site: &Site,
    derived: &Derived,
    id: PageId,
    ancestors: &[SectionId],
) -> Vec<String> {
    let mut docs = Vec::with_capacity(3);
    docs.push(article_document(site, id));
    push_trail_documents(&mut docs, site, derived, id, ancestors);
    docs
}

/// The page's `Article` document.
fn article_document(site: &Site, id: PageId) -> String {
    let page = &site[id];
    let config = &site.config;
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.title(),
        "mainEntityOfPage": page.permalink,
        "inLanguage": config.language,
    });
    if let Some(d) = &page.meta.description {
        article["description"] = json!(d);
    }
    if let Some(d) = &page.date {
        article["datePublished"] = json!(d.rfc3339());
    }
    if let Some(d) = page.meta.updated.as_ref().or(page.date.as_ref()) {
        article["dateModified"] = json!(d.rfc3339());
    }
    if let Some(a) = author(site, page) {
        article["author"] = a;
    }
    let publisher = config
        .publisher
        .clone()
        .unwrap_or_else(|| config.title.clone());
    article["publisher"] =
        json!({"@type": "Organization", "name": publisher, "url": config.permalink("/")});
    script_json(&article)
}

/// Appends the BreadcrumbList (when the page has ancestors) and the FAQPage
/// (when it has FAQ entries) that follow a page's main document.
fn push_trail_documents(
    docs: &mut Vec<String>,
    site: &Site,
    derived: &Derived,
    id: PageId,
    ancestors: &[SectionId],
) {
    let page = &site[id];
    let mut items: Vec<Value> = ancestors
        .iter()
        .map(|&s| (site[s].title(), site[s].permalink.as_str()))
        .chain(std::iter::once((page.title(), page.permalink.as_str())))
        .enumerate()
        .map(|(i, (name, url))| {
            json!({"@type": "ListItem", "position": i + 1, "name": name, "item": url})
        })
        .collect();
    if items.len() > 1 {
        docs.push(script_json(&json!({
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": std::mem::take(&mut items),
        })));
    }

    let faq = derived.faq(id);
    if !faq.is_empty() {
        let questions: Vec<Value> = faq
            .iter()
            .map(|f| {
                json!({
                    "@type": "Question",
                    "name": f.question,
                    "acceptedAnswer": {"@type": "Answer", "text": f.text},
                })
            })
            .collect();
        docs.push(script_json(&json!({
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": questions,
        })));
    }
}

/// The page's first author, else the site's, as a schema.org `Person`.
fn author(site: &Site, page: &crate::model::Page) -> Option<Value> {
    let name = page.meta.authors.first().or(site.config.author.as_ref())?;
    Some(json!({"@type": "Person", "name": name}))
}

/// A health page: `MedicalWebPage` in place of `Article`, then the same
/// breadcrumbs and FAQ documents as any page.
fn medical_documents(
    site: &Site,
    derived: &Derived,
    id: PageId,
    ancestors: &[SectionId],
) -> Vec<String> {
    let page = &site[id];
    let config = &site.config;
    let health = &config.health;
    let numbering = &derived.page_body(id).citations;
    // References in citation order, then the uncited ones, as the list shows them.
    let mut references: Vec<&Reference> = numbering
        .order()
        .iter()
        .filter_map(|cited| page.meta.references.iter().find(|r| &r.id == cited))
        .collect();
    for r in &page.meta.references {
        if !references.iter().any(|o| o.id == r.id) {
            references.push(r);
        }
    }
    let review = page.meta.review.as_ref();
    let reviewer = review.and_then(|r| config.reviewers.get(&r.by));
    let is_condition = crate::health::in_sections(site, page.section, &health.condition_sections);
    let anatomy: Vec<String> = derived
        .terms(id)
        .iter()
        .filter(|t| site[t.taxonomy].config.name == health.anatomy_taxonomy)
        .map(|&t| site[t].name.clone())
        .collect();
    let home = config.permalink("/");
    let publisher = config
        .publisher
        .clone()
        .unwrap_or_else(|| config.title.clone());
    let input = MedicalPage {
        title: page.title(),
        description: page.meta.description.as_deref(),
        permalink: &page.permalink,
        language: &config.language,
        date_published: page.date.as_ref().map(|d| d.rfc3339()),
        date_modified: page
            .meta
            .updated
            .as_ref()
            .or(page.date.as_ref())
            .map(|d| d.rfc3339()),
        last_reviewed: review.map(|r| r.last.ymd()),
        reviewer: reviewer.map(|r| (r, derived.health[id.0].reviewer_url.clone())),
        references,
        condition: is_condition.then(|| Condition {
            name: page.title(),
            anatomy,
        }),
        publisher: Some(&publisher),
        publisher_url: Some(&home),
        image: None,
        audience: Some("Patient"),
    };
    let mut doc = medical_web_page(&input);
    if let Some(a) = author(site, page) {
        doc["author"] = a;
    }
    let mut docs = Vec::with_capacity(3);
    docs.push(script_json(&doc));
    push_trail_documents(&mut docs, site, derived, id, ancestors);
    docs
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn escaped_json_round_trips_and_never_closes_script(s in any::<String>(), t in "(</script>|<!--|\u{2028}|&|[a-z<>/])*") {
            let text = format!("{s}{t}");
            let out = script_json(&json!({"text": text}));
            prop_assert!(!out.contains("</"));
            prop_assert!(!out.contains('<'));
            prop_assert!(!out.contains(['\u{2028}', '\u{2029}']), "raw line separator in {}", out);
            let back: Value = serde_json::from_str(&out).unwrap();
            prop_assert_eq!(back["text"].as_str().unwrap(), text.as_str());
        }
    }
}
