//! The schema.org `MedicalWebPage` description of a health page.
//!
//! Every type and property used here is checked against the schema.org
//! vocabulary by the test suite (`tests/testsuite/schemaorg.rs`). Serialise the
//! result for a `<script>` element with [`crate::metadata::jsonld::script_json`].
//!
//! The documents are typed structs, serialised straight to text: building a
//! `serde_json::Value` tree first cost a fifth of a health page's render.
//! Fields are declared in the sorted order of their JSON names, the order
//! the earlier `Value` maps wrote them in, so the output stays the same.

use serde::Serialize;

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
    /// Name of the page's author (a `Person`).
    pub author: Option<&'a str>,
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

/// A `MedicalWebPage` document, ready to serialise.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicalWebPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    about: Option<About<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audience: Option<Audience<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citation: Vec<Citation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_reviewed: Option<&'a str>,
    main_entity_of_page: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Organization<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reviewed_by: Option<ReviewedBy<'a>>,
    url: &'a str,
}

/// `{"@type": KIND, "name": NAME}`: a Person, Organization or Periodical by name.
#[derive(Debug, Serialize)]
pub struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

impl<'a> Named<'a> {
    /// A schema.org `Person` with only a name.
    pub fn person(name: &'a str) -> Self {
        Named {
            kind: "Person",
            name,
        }
    }
}

/// An `Organization` with a name and, optionally, a URL.
#[derive(Debug, Serialize)]
pub struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

impl<'a> Organization<'a> {
    /// The publishing organisation of a page.
    pub fn new(name: &'a str, url: Option<&'a str>) -> Self {
        Organization {
            kind: "Organization",
            name,
            url,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct About<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    associated_anatomy: Vec<Named<'a>>,
    name: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Audience<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    audience_type: &'a str,
}

/// A reviewer: a `Person` (with `jobTitle`) or an `Organization` (with `description`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewedBy<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    honorific_suffix: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_title: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// One reference: a `ScholarlyArticle` (journal, DOI or PMID given) or a `CreativeWork`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Citation<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    identifier: Vec<Identifier<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_part_of: Option<Named<'a>>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Identifier<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "propertyID")]
    property_id: &'static str,
    value: &'a str,
}

/// The `MedicalWebPage` document of a page.
pub fn medical_web_page<'a>(input: &'a MedicalPage<'a>) -> MedicalWebPage<'a> {
    MedicalWebPage {
        context: "https://schema.org",
        kind: "MedicalWebPage",
        about: input.condition.as_ref().map(|c| About {
            kind: "MedicalCondition",
            associated_anatomy: c
                .anatomy
                .iter()
                .map(|a| Named {
                    kind: "AnatomicalStructure",
                    name: a,
                })
                .collect(),
            name: c.name,
        }),
        audience: input.audience.map(|audience_type| Audience {
            kind: "MedicalAudience",
            audience_type,
        }),
        author: input.author.map(Named::person),
        citation: input.references.iter().map(|r| citation(r)).collect(),
        date_modified: input.date_modified.as_deref(),
        date_published: input.date_published.as_deref(),
        description: input.description,
        headline: input.title,
        image: input.image,
        in_language: input.language,
        last_reviewed: input.last_reviewed.as_deref(),
        main_entity_of_page: input.permalink,
        name: input.title,
        publisher: input
            .publisher
            .map(|name| Organization::new(name, input.publisher_url)),
        reviewed_by: input
            .reviewer
            .as_ref()
            .map(|(reviewer, url)| reviewed_by(reviewer, url.as_deref())),
        url: input.permalink,
    }
}

/// A reviewer as a `Person` (with `jobTitle`) or an `Organization` (with `description`).
pub fn reviewed_by<'a>(reviewer: &'a Reviewer, url: Option<&'a str>) -> ReviewedBy<'a> {
    let name = &reviewer.name;
    match reviewer.kind {
        ReviewerKind::Person => ReviewedBy {
            kind: "Person",
            description: None,
            honorific_suffix: reviewer.credentials.as_deref(),
            job_title: Some(&reviewer.role),
            name,
            url,
        },
        ReviewerKind::Organization => ReviewedBy {
            kind: "Organization",
            description: Some(match &reviewer.credentials {
                Some(c) => format!("{} ({c})", reviewer.role),
                None => reviewer.role.clone(),
            }),
            honorific_suffix: None,
            job_title: None,
            name,
            url,
        },
    }
}

/// One reference as a `ScholarlyArticle` (journal, DOI or PMID given) or a `CreativeWork`.
pub fn citation(reference: &Reference) -> Citation<'_> {
    let scholarly =
        reference.journal.is_some() || reference.doi.is_some() || reference.pmid.is_some();
    let mut identifier = Vec::new();
    let mut same_as = Vec::new();
    if let (Some(doi), Some(url)) = (&reference.doi, reference.doi_url()) {
        identifier.push(Identifier {
            kind: "PropertyValue",
            property_id: "DOI",
            value: doi,
        });
        same_as.push(url);
    }
    if let (Some(pmid), Some(url)) = (&reference.pmid, reference.pmid_url()) {
        identifier.push(Identifier {
            kind: "PropertyValue",
            property_id: "PMID",
            value: pmid,
        });
        same_as.push(url);
    }
    Citation {
        kind: if scholarly {
            "ScholarlyArticle"
        } else {
            "CreativeWork"
        },
        author: reference.authors.iter().map(|a| Named::person(a)).collect(),
        date_published: reference.year.map(|y| y.to_string()),
        identifier,
        is_part_of: reference.journal.as_deref().map(|name| Named {
            kind: "Periodical",
            name,
        }),
        name: &reference.title,
        publisher: reference.publisher.as_deref().map(|name| Named {
            kind: "Organization",
            name,
        }),
        same_as,
        url: reference.url.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
                publisher: Some("BMJ Publishing".into()),
                url: Some("https://bmj.com/a".into()),
                ..reference("a")
            },
            Reference {
                publisher: Some("NICE".into()),
                url: Some("https://nice.org.uk/g".into()),
                ..reference("b")
            },
        ];
        let input = MedicalPage {
            title: "Knee pain",
            description: Some("What helps"),
            permalink: "https://x.org/knee/",
            language: "en",
            date_published: Some("2026-01-01".into()),
            date_modified: Some("2026-02-01".into()),
            last_reviewed: Some("2026-05-01".into()),
            reviewer: Some((&jane, Some("https://x.org/about/jane/".into()))),
            references: refs.iter().collect(),
            condition: Some(Condition {
                name: "Patellofemoral pain",
                anatomy: vec!["Knee".into()],
            }),
            author: Some("Sam Roe"),
            publisher: Some("X Guide"),
            publisher_url: Some("https://x.org/"),
            image: Some("https://x.org/knee.png"),
            audience: Some("Patient"),
        };
        let doc = medical_web_page(&input);
        // Every field of the page and of its first citation is set, so this
        // checks that the struct fields are in the sorted order a `Value` map
        // writes (the order of the output before the structs).
        let text = serde_json::to_string(&doc).unwrap();
        let v = serde_json::to_value(&doc).unwrap();
        assert_eq!(text, serde_json::to_string(&v).unwrap());
        assert_eq!(v["@type"], "MedicalWebPage");
        assert_eq!(v["headline"], "Knee pain");
        assert_eq!(v["lastReviewed"], "2026-05-01");
        assert_eq!(v["dateModified"], "2026-02-01");
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
        let v = serde_json::to_value(medical_web_page(&MedicalPage {
            title: "T",
            permalink: "https://x.org/t/",
            reviewer: Some((&board, None)),
            ..MedicalPage::default()
        }))
        .unwrap();
        assert_eq!(
            v["reviewedBy"],
            json!({"@type": "Organization", "name": "Editorial board", "description": "Medical review team"})
        );
        assert!(v.get("citation").is_none());
        assert!(v.get("inLanguage").is_none());
        assert!(v.get("about").is_none());
    }
}
