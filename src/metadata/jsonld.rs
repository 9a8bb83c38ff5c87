//! schema.org JSON-LD: Article, BreadcrumbList and FAQPage, escaped so that
//! no content can close the `<script>` element around it.

use serde_json::{json, Value};

use crate::derived::Derived;
use crate::model::{PageId, SectionId, Site};

/// Serialises `value` for a `<script type="application/ld+json">` element:
/// `<`, `>`, `&`, U+2028 and U+2029 become `\u` escapes, which JSON parsers read back unchanged.
pub fn script_json(value: &Value) -> String {
    let raw = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(raw.len() + 16);
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The JSON-LD documents of one page: Article, BreadcrumbList, and FAQPage when it has FAQ entries.
pub fn page_documents(
    site: &Site,
    derived: &Derived,
    id: PageId,
    ancestors: &[SectionId],
) -> Vec<String> {
    let page = &site[id];
    let config = &site.config;
    let mut docs = Vec::with_capacity(3);
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
    let author = page
        .meta
        .authors
        .first()
        .cloned()
        .or_else(|| config.author.clone());
    if let Some(a) = author {
        article["author"] = json!({"@type": "Person", "name": a});
    }
    let publisher = config
        .publisher
        .clone()
        .unwrap_or_else(|| config.title.clone());
    article["publisher"] =
        json!({"@type": "Organization", "name": publisher, "url": config.permalink("/")});
    docs.push(script_json(&article));

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
