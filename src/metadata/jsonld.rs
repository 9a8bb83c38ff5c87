//! schema.org JSON-LD: Article, BreadcrumbList and FAQPage, escaped so that
//! no content can close the `<script>` element around it.
//!
//! Documents are typed structs serialised straight to text (see
//! [`crate::health::jsonld`] for why); fields are declared in the sorted
//! order of their JSON names, as the output has always had them.

use serde::Serialize;

use crate::derived::Derived;
use crate::health::jsonld::{medical_web_page, Condition, MedicalPage, Named, Organization};
use crate::markdown::positions_of;
use crate::model::{PageId, SectionId, Site};

/// Serialises `value` for a `<script type="application/ld+json">` element:
/// `<`, `>`, `&`, U+2028 and U+2029 become `\u` escapes, which JSON parsers read back unchanged.
pub fn script_json<T: Serialize + ?Sized>(value: &T) -> String {
    let raw = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let bytes = raw.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    // Only these bytes can need an escape; the line separators are E2 80 A8/A9.
    for i in positions_of(bytes, [b'<', b'>', b'&'], [0xE2, 0xE2]) {
        let escaped = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'<', ..) => "\\u003c",
            (b'>', ..) => "\\u003e",
            (b'&', ..) => "\\u0026",
            (_, Some(0x80), Some(0xA8)) => "\\u2028",
            (_, Some(0x80), Some(0xA9)) => "\\u2029",
            _ => continue,
        };
        if out.is_empty() {
            out.reserve(raw.len() + 16);
        }
        out.push_str(&raw[copied..i]);
        out.push_str(escaped);
        copied = i + if bytes[i] == 0xE2 { 3 } else { 1 };
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
    let mut docs = Vec::with_capacity(3);
    if derived.health[id.0].medical {
        docs.push(medical_document(site, derived, id));
    } else {
        docs.push(article_document(site, id));
    }
    push_trail_documents(&mut docs, site, derived, id, ancestors);
    docs
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Article<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    in_language: &'a str,
    main_entity_of_page: &'a str,
    publisher: Organization<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BreadcrumbList<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    item_list_element: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    item: &'a str,
    name: &'a str,
    position: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FaqPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    main_entity: Vec<Question<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Question<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    accepted_answer: Answer<'a>,
    name: &'a str,
}

#[derive(Serialize)]
struct Answer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: &'a str,
}

/// The page's `Article` document.
fn article_document(site: &Site, id: PageId) -> String {
    let page = &site[id];
    let config = &site.config;
    let home = config.permalink("/");
    script_json(&Article {
        context: "https://schema.org",
        kind: "Article",
        author: author(site, page).map(Named::person),
        date_modified: date_modified(page),
        date_published: page.date.as_ref().map(|d| d.rfc3339()),
        description: page.meta.description.as_deref(),
        headline: page.title(),
        in_language: &config.language,
        main_entity_of_page: &page.permalink,
        publisher: Organization::new(publisher(site), Some(&home)),
    })
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
    if !ancestors.is_empty() {
        let item_list_element = ancestors
            .iter()
            .map(|&s| (site[s].title(), site[s].permalink.as_str()))
            .chain(std::iter::once((page.title(), page.permalink.as_str())))
            .enumerate()
            .map(|(i, (name, item))| ListItem {
                kind: "ListItem",
                item,
                name,
                position: i + 1,
            })
            .collect();
        docs.push(script_json(&BreadcrumbList {
            context: "https://schema.org",
            kind: "BreadcrumbList",
            item_list_element,
        }));
    }
    let faq = derived.faq(id);
    if !faq.is_empty() {
        docs.push(script_json(&FaqPage {
            context: "https://schema.org",
            kind: "FAQPage",
            main_entity: faq
                .iter()
                .map(|f| Question {
                    kind: "Question",
                    accepted_answer: Answer {
                        kind: "Answer",
                        text: &f.text,
                    },
                    name: &f.question,
                })
                .collect(),
        }));
    }
}

/// The page's first author, else the site's.
fn author<'a>(site: &'a Site, page: &'a crate::model::Page) -> Option<&'a str> {
    page.meta
        .authors
        .first()
        .or(site.config.author.as_ref())
        .map(String::as_str)
}

/// `updated`, else `date`, as RFC 3339.
fn date_modified(page: &crate::model::Page) -> Option<String> {
    page.meta
        .updated
        .as_ref()
        .or(page.date.as_ref())
        .map(|d| d.rfc3339())
}

/// The publishing organisation's name: `publisher`, else the site title.
fn publisher(site: &Site) -> &str {
    let config = &site.config;
    config.publisher.as_deref().unwrap_or(&config.title)
}

/// A health page's `MedicalWebPage`, in place of the `Article`.
fn medical_document(site: &Site, derived: &Derived, id: PageId) -> String {
    let page = &site[id];
    let config = &site.config;
    let health = &config.health;
    let numbering = &derived.page_body(id).citations;
    let references = crate::health::template::ordered(&page.meta.references, numbering);
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
    let input = MedicalPage {
        title: page.title(),
        description: page.meta.description.as_deref(),
        permalink: &page.permalink,
        language: &config.language,
        date_published: page.date.as_ref().map(|d| d.rfc3339()),
        date_modified: date_modified(page),
        last_reviewed: review.map(|r| r.last.ymd()),
        reviewer: reviewer.map(|r| (r, derived.health[id.0].reviewer_url.clone())),
        references,
        condition: is_condition.then(|| Condition {
            name: page.title(),
            anatomy,
        }),
        author: author(site, page),
        publisher: Some(publisher(site)),
        publisher_url: Some(&home),
        image: None,
        audience: Some("Patient"),
    };
    script_json(&medical_web_page(&input))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

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
