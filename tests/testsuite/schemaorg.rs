//! Checks the schema.org validator of `tests/schemaorg/validate.rs`, and the
//! health JSON-LD builder against it.

#[path = "../schemaorg/validate.rs"]
pub mod validate;

use std::sync::OnceLock;

use fascia::config::health::{Reviewer, ReviewerKind};
use fascia::health::jsonld::{medical_web_page, Condition, MedicalPage};
use fascia::model::health::Reference;
use serde_json::json;
use validate::{validate, Vocab};

/// The schema.org vocabulary, loaded once for the whole test binary.
pub fn vocab() -> &'static Vocab {
    static VOCAB: OnceLock<Vocab> = OnceLock::new();
    VOCAB.get_or_init(|| {
        Vocab::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/schemaorg/schemaorg-current-https.jsonld"
        ))
    })
}

fn reference(id: &str) -> Reference {
    Reference {
        id: id.into(),
        title: format!("Title {id}"),
        authors: vec!["Smith J".into(), "Lee K".into()],
        year: Some(2020),
        publisher: None,
        journal: None,
        doi: None,
        pmid: None,
        url: None,
        accessed: None,
    }
}

fn full_page(kind: ReviewerKind) -> serde_json::Value {
    let reviewer = Reviewer {
        name: "Jane Doe".into(),
        role: "Physiotherapist".into(),
        credentials: Some("MSc".into()),
        url: Some("@/about/jane.md".into()),
        kind,
    };
    let refs = [
        Reference {
            journal: Some("BMJ".into()),
            doi: Some("10.1136/bmj.m1234".into()),
            pmid: Some("32000000".into()),
            url: Some("https://www.bmj.com/x".into()),
            ..reference("a")
        },
        Reference {
            publisher: Some("NICE".into()),
            url: Some("https://www.nice.org.uk/guidance/ng1".into()),
            ..reference("b")
        },
        Reference {
            doi: Some("10.1000/xyz".into()),
            publisher: Some("Cochrane".into()),
            ..reference("c")
        },
    ];
    let input = MedicalPage {
        title: "Knee pain",
        description: Some("What helps"),
        permalink: "https://example.org/knee/",
        language: "en",
        date_published: Some("2026-01-01T00:00:00Z".into()),
        date_modified: Some("2026-02-01T00:00:00Z".into()),
        last_reviewed: Some("2026-05-01".into()),
        reviewer: Some((&reviewer, Some("https://example.org/about/jane/".into()))),
        references: refs.iter().collect(),
        condition: Some(Condition {
            name: "Patellofemoral pain",
            anatomy: vec!["Knee".into(), "Patella".into()],
        }),
        author: Some("Sam Roe"),
        publisher: Some("Example Guide"),
        publisher_url: Some("https://example.org/"),
        image: Some("https://example.org/knee.png"),
        audience: Some("Patient"),
    };
    serde_json::to_value(medical_web_page(&input)).unwrap()
}

#[test]
fn medical_web_page_is_valid() {
    for kind in [ReviewerKind::Person, ReviewerKind::Organization] {
        let doc = full_page(kind);
        assert_eq!(validate(&doc, vocab()), Vec::<String>::new(), "{doc:#}");
    }
}

#[test]
fn invented_type_fails() {
    let doc = json!({
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "about": { "@type": "MedicalConditionish", "name": "x" }
    });
    assert_eq!(
        validate(&doc, vocab()),
        ["$.about: unknown type `MedicalConditionish`"]
    );
}

#[test]
fn property_on_wrong_type_fails() {
    let doc = json!({
        "@type": "MedicalWebPage",
        "name": "ok",
        "citation": [{ "@type": "Person", "name": "x", "jobTitle": "ok", "isPartOf": "no" }],
        "jobTitle": "no",
        "lastReviewedd": "2026-01-01"
    });
    let problems = validate(&doc, vocab());
    assert_eq!(
        problems,
        [
            "$.citation[0].isPartOf: `isPartOf` is not a property of `Person`",
            "$.jobTitle: `jobTitle` is not a property of `MedicalWebPage`",
            "$.lastReviewedd: unknown property `lastReviewedd`",
        ]
    );
}

#[test]
fn inheritance_data_types_and_graphs() {
    let v = vocab();
    assert!(v.has_property("MedicalWebPage", "lastReviewed"));
    assert!(v.has_property("ScholarlyArticle", "citation"));
    assert!(
        v.has_property("Patient", "jobTitle"),
        "Patient is also a Person"
    );
    assert!(!v.has_property("Organization", "jobTitle"));
    assert!(v.is_data_type("URL") && v.is_data_type("Date") && !v.is_data_type("Person"));
    let doc = json!({
        "@context": "https://schema.org",
        "@graph": [
            { "@type": "WebPage", "dateCreated": { "@type": "Date", "@value": "2026-01-01" } },
            { "@type": ["Person", "Patient"], "@id": "#p", "healthCondition": { "@type": "MedicalCondition", "name": "x" } },
            { "@type": "Thing", "noSuchThing": 1 }
        ]
    });
    assert_eq!(
        validate(&doc, v),
        ["$.@graph[2].noSuchThing: unknown property `noSuchThing`"]
    );
}
