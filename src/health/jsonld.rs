//! The schema.org `MedicalWebPage` description of a health page.
//!
//! Every type and property used here is checked against the schema.org
//! vocabulary by the test suite (`tests/schemaorg/validate.rs`). Serialise the
//! result for a `<script>` element with [`crate::metadata::jsonld::script_json`].

use serde_json::{json, Map, Value};

use crate::config::health::{Reviewer, ReviewerKind};
use crate::model::health::Reference;

/// What a medical page's JSON-LD is built from. Fields that are `None` or
/// empty are left out of the output.
#[derive(Debug, Clone, Default)]
pub struct MedicalPage<'a> {
    /// The page title (`headline` and `name`).
    pub title: &'a str,
    /// The page description.
    pub description: Option<&'a str>,
    /// The page's absolute URL (`url` and `mainEntityOfPage`).
    pub permalink: &'a str,
    /// BCP 47 language tag, e.g. `en`.
    pub language: &'a str,
    /// Publication date, ISO 8601 / RFC 3339.
    pub date_published: Option<String>,
    /// Last modification date, ISO 8601 / RFC 3339.
    pub date_modified: Option<String>,
    /// Date of the last medical review, `YYYY-MM-DD`.
    pub last_reviewed: Option<String>,
    /// The reviewer and the resolved absolute URL of its profile (its `url`
    /// may be an `@/` link, which the caller resolves).
    pub reviewer: Option<(&'a Reviewer, Option<String>)>,
    /// The references, in the order they should be listed (citation number order).
    pub references: Vec<&'a Reference>,
    /// The condition the page is about, if any.
    pub condition: Option<Condition<'a>>,
    /// Name of the publishing organisation (usually the site title).
    pub publisher: Option<&'a str>,
    /// Absolute URL of the publisher (usually the site's base URL).
    pub publisher_url: Option<&'a str>,
    /// Absolute URL of a representative image.
    pub image: Option<&'a str>,
    /// Who the page is written for, as an `audienceType` such as `Patient`.
    pub audience: Option<&'a str>,
}

/// A medical condition a page is about (`about` → `MedicalCondition`).
#[derive(Debug, Clone, Default)]
pub struct Condition<'a> {
    /// Name of the condition, e.g. `Patellofemoral pain`.
    pub name: &'a str,
    /// Body structures involved, e.g. `Knee` (each an `AnatomicalStructure`).
    pub anatomy: Vec<String>,
}

/// Inserts `value` under `key` unless it is `None`.
fn put<T: Into<Value>>(map: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(v) = value {
        map.insert(key.to_string(), v.into());
    }
}

/// The `MedicalWebPage` JSON-LD document of a page.
pub fn medical_web_page(input: &MedicalPage) -> Value {
    let mut page = Map::new();
    page.insert("@context".into(), json!("https://schema.org"));
    page.insert("@type".into(), json!("MedicalWebPage"));
    page.insert("headline".into(), json!(input.title));
    page.insert("name".into(), json!(input.title));
    put(&mut page, "description", input.description);
    page.insert("url".into(), json!(input.permalink));
    page.insert("mainEntityOfPage".into(), json!(input.permalink));
    if !input.language.is_empty() {
        page.insert("inLanguage".into(), json!(input.language));
    }
    put(&mut page, "image", input.image);
    put(&mut page, "datePublished", input.date_published.clone());
    put(&mut page, "dateModified", input.date_modified.clone());
    put(&mut page, "lastReviewed", input.last_reviewed.clone());
    if let Some((reviewer, url)) = &input.reviewer {
        page.insert(
            "reviewedBy".into(),
            reviewer_value(reviewer, url.as_deref()),
        );
    }
    if let Some(name) = input.publisher {
        let mut org = Map::new();
        org.insert("@type".into(), json!("Organization"));
        org.insert("name".into(), json!(name));
        put(&mut org, "url", input.publisher_url);
        page.insert("publisher".into(), Value::Object(org));
    }
    if let Some(condition) = &input.condition {
        let mut about = json!({ "@type": "MedicalCondition", "name": condition.name });
        if !condition.anatomy.is_empty() {
            about["associatedAnatomy"] = condition
                .anatomy
                .iter()
                .map(|a| json!({ "@type": "AnatomicalStructure", "name": a }))
                .collect();
        }
        page.insert("about".into(), about);
    }
    if let Some(audience) = input.audience {
        page.insert(
            "audience".into(),
            json!({ "@type": "MedicalAudience", "audienceType": audience }),
        );
    }
    if !input.references.is_empty() {
        page.insert(
            "citation".into(),
            input.references.iter().map(|r| citation(r)).collect(),
        );
    }
    Value::Object(page)
}

/// A reviewer as a `Person` (with `jobTitle`) or an `Organization` (with `description`).
pub fn reviewer_value(reviewer: &Reviewer, url: Option<&str>) -> Value {
    let mut r = Map::new();
    match reviewer.kind {
        ReviewerKind::Person => {
            r.insert("@type".into(), json!("Person"));
            r.insert("name".into(), json!(reviewer.name));
            r.insert("jobTitle".into(), json!(reviewer.role));
            put(&mut r, "honorificSuffix", reviewer.credentials.as_deref());
        }
        ReviewerKind::Organization => {
            r.insert("@type".into(), json!("Organization"));
            r.insert("name".into(), json!(reviewer.name));
            let description = match &reviewer.credentials {
                Some(c) => format!("{} ({c})", reviewer.role),
                None => reviewer.role.clone(),
            };
            r.insert("description".into(), json!(description));
        }
    }
    put(&mut r, "url", url);
    Value::Object(r)
}

/// One reference as a `ScholarlyArticle` (journal, DOI or PMID given) or a `CreativeWork`.
pub fn citation(reference: &Reference) -> Value {
    let scholarly =
        reference.journal.is_some() || reference.doi.is_some() || reference.pmid.is_some();
    let mut c = Map::new();
    c.insert(
        "@type".into(),
        json!(if scholarly {
            "ScholarlyArticle"
        } else {
            "CreativeWork"
        }),
    );
    c.insert("name".into(), json!(reference.title));
    if !reference.authors.is_empty() {
        c.insert(
            "author".into(),
            reference
                .authors
                .iter()
                .map(|a| json!({ "@type": "Person", "name": a }))
                .collect(),
        );
    }
    put(
        &mut c,
        "datePublished",
        reference.year.map(|y| y.to_string()),
    );
    if let Some(journal) = &reference.journal {
        c.insert(
            "isPartOf".into(),
            json!({ "@type": "Periodical", "name": journal }),
        );
    }
    if let Some(publisher) = &reference.publisher {
        c.insert(
            "publisher".into(),
            json!({ "@type": "Organization", "name": publisher }),
        );
    }
    put(&mut c, "url", reference.url.as_deref());
    let mut identifiers = Vec::new();
    let mut same_as = Vec::new();
    if let (Some(doi), Some(url)) = (&reference.doi, reference.doi_url()) {
        identifiers.push(json!({ "@type": "PropertyValue", "propertyID": "DOI", "value": doi }));
        same_as.push(json!(url));
    }
    if let (Some(pmid), Some(url)) = (&reference.pmid, reference.pmid_url()) {
        identifiers.push(json!({ "@type": "PropertyValue", "propertyID": "PMID", "value": pmid }));
        same_as.push(json!(url));
    }
    if !identifiers.is_empty() {
        c.insert("identifier".into(), Value::Array(identifiers));
        c.insert("sameAs".into(), Value::Array(same_as));
    }
    Value::Object(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(id: &str) -> Reference {
        Reference {
            id: id.into(),
            title: format!("Title {id}"),
            authors: vec![],
            year: None,
            publisher: None,
            journal: None,
            doi: None,
            pmid: None,
            url: None,
            accessed: None,
        }
    }

    #[test]
    fn full_page() {
        let jane = Reviewer {
            name: "Jane Doe".into(),
            role: "Physiotherapist".into(),
            credentials: Some("MSc".into()),
            url: Some("@/about/jane.md".into()),
            kind: ReviewerKind::Person,
        };
        let refs = [
            Reference {
                authors: vec!["Smith J".into()],
                year: Some(2020),
                journal: Some("BMJ".into()),
                doi: Some("10.1136/bmj.m1".into()),
                pmid: Some("123".into()),
                ..reference("a")
            },
            Reference {
                publisher: Some("NICE".into()),
                url: Some("https://nice.org.uk/g".into()),
                ..reference("b")
            },
        ];
        let v = medical_web_page(&MedicalPage {
            title: "Knee pain",
            description: Some("What helps"),
            permalink: "https://x.org/knee/",
            language: "en",
            date_published: Some("2026-01-01".into()),
            last_reviewed: Some("2026-05-01".into()),
            reviewer: Some((&jane, Some("https://x.org/about/jane/".into()))),
            references: refs.iter().collect(),
            condition: Some(Condition {
                name: "Patellofemoral pain",
                anatomy: vec!["Knee".into()],
            }),
            publisher: Some("X Guide"),
            audience: Some("Patient"),
            ..MedicalPage::default()
        });
        assert_eq!(v["@type"], "MedicalWebPage");
        assert_eq!(v["headline"], "Knee pain");
        assert_eq!(v["lastReviewed"], "2026-05-01");
        assert!(v.get("dateModified").is_none());
        assert_eq!(
            v["reviewedBy"],
            json!({"@type": "Person", "name": "Jane Doe", "jobTitle": "Physiotherapist",
                   "honorificSuffix": "MSc", "url": "https://x.org/about/jane/"})
        );
        assert_eq!(v["about"]["associatedAnatomy"][0]["name"], "Knee");
        let a = &v["citation"][0];
        assert_eq!(a["@type"], "ScholarlyArticle");
        assert_eq!(a["datePublished"], "2020");
        assert_eq!(a["isPartOf"]["@type"], "Periodical");
        assert_eq!(a["identifier"][1]["propertyID"], "PMID");
        assert_eq!(
            a["sameAs"],
            json!([
                "https://doi.org/10.1136/bmj.m1",
                "https://pubmed.ncbi.nlm.nih.gov/123/"
            ])
        );
        let b = &v["citation"][1];
        assert_eq!(b["@type"], "CreativeWork");
        assert_eq!(b["publisher"]["name"], "NICE");
        assert!(b.get("identifier").is_none());
    }

    #[test]
    fn organisation_reviewer_and_minimal_page() {
        let board = Reviewer {
            name: "Editorial board".into(),
            role: "Medical review team".into(),
            credentials: None,
            url: None,
            kind: ReviewerKind::default(),
        };
        let v = medical_web_page(&MedicalPage {
            title: "T",
            permalink: "https://x.org/t/",
            reviewer: Some((&board, None)),
            ..MedicalPage::default()
        });
        assert_eq!(
            v["reviewedBy"],
            json!({"@type": "Organization", "name": "Editorial board", "description": "Medical review team"})
        );
        assert!(v.get("citation").is_none());
        assert!(v.get("inLanguage").is_none());
        assert!(v.get("about").is_none());
    }
}
