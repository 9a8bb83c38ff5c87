//! The health fields of page front matter: `[review]`, `[[references]]` and
//! the per-page `[health]` overrides.

use serde::Deserialize;

use super::front_matter::PageDate;

/// What a DOI link starts with; the DOI follows.
pub const DOI_PREFIX: &str = "https://doi.org/";
/// What a PubMed link starts with; the PMID and a `/` follow.
pub const PUBMED_PREFIX: &str = "https://pubmed.ncbi.nlm.nih.gov/";

/// A page's `[review]` table: who reviewed it, when, and when to review again.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Key of a `[reviewers.KEY]` entry.
    pub by: String,
    /// Date of the last review.
    pub last: PageDate,
    /// Date the next review is due; defaults to `last` plus the review interval.
    pub next: Option<PageDate>,
}

/// One `[[references]]` entry of a page, cited in the body as `[@id]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The name used in citations, e.g. `nice-2020` for `[@nice-2020]`.
    pub id: String,
    /// Title of the work.
    pub title: String,
    /// Authors, each as written (e.g. `Smith J`).
    #[serde(default)]
    pub authors: Vec<String>,
    /// Year of publication.
    pub year: Option<i32>,
    /// Publisher or issuing body (guidelines, books, web pages).
    pub publisher: Option<String>,
    /// Journal name (articles).
    pub journal: Option<String>,
    /// Digital Object Identifier, e.g. `10.1136/bmj.m1234` (without `https://doi.org/`).
    pub doi: Option<String>,
    /// PubMed identifier, digits only; may be written as a number or a string.
    #[serde(default, deserialize_with = "string_or_integer")]
    pub pmid: Option<String>,
    /// A link to the work.
    pub url: Option<String>,
    /// When `url` was last visited.
    pub accessed: Option<PageDate>,
}

impl Reference {
    /// `https://doi.org/DOI`, when a DOI is given.
    pub fn doi_url(&self) -> Option<String> {
        self.doi.as_ref().map(|d| format!("{DOI_PREFIX}{d}"))
    }

    /// `https://pubmed.ncbi.nlm.nih.gov/PMID/`, when a PMID is given.
    pub fn pmid_url(&self) -> Option<String> {
        self.pmid.as_ref().map(|p| format!("{PUBMED_PREFIX}{p}/"))
    }
}

/// Accepts `pmid = 123` as well as `pmid = "123"` (YAML reads bare digits as a number).
fn string_or_integer<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Int(u64),
    }
    Ok(Option::<Raw>::deserialize(d)?.map(|r| match r {
        Raw::Text(s) => s,
        Raw::Int(n) => n.to_string(),
    }))
}

/// A page's optional `[health]` table: per-page overrides of the site settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PageHealth {
    /// Emergency number for this page (e.g. a country-specific guide).
    pub emergency_number: Option<String>,
    /// Urgent-help text for this page.
    pub urgent_help: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::health::{HealthConfig, Labels, Reviewer};

    #[test]
    fn unknown_fields_are_rejected() {
        let e = toml::from_str::<HealthConfig>("review_interval = 3").unwrap_err();
        assert!(
            e.to_string().contains("unknown field `review_interval`"),
            "{e}"
        );
        assert!(toml::from_str::<Labels>("critical = 'x'").is_err());
        assert!(
            serde_yaml_ng::from_str::<Review>("by: a\nlast: 2026-01-01\nnxt: 2026-02-01").is_err()
        );
        assert!(toml::from_str::<Reference>("id='a'\ntitle='t'\ndio='10.1/x'").is_err());
        assert!(toml::from_str::<Reviewer>("name='a'\nrole='r'\nemail='x'").is_err());
        assert!(serde_yaml_ng::from_str::<PageHealth>("emergency: '911'").is_err());
    }

    fn date(s: &str) -> PageDate {
        PageDate::parse(s).unwrap()
    }

    #[test]
    fn review_toml_and_yaml() {
        let t: Review =
            toml::from_str("by = \"editorial\"\nlast = 2026-03-01\nnext = \"2027-01-01\"").unwrap();
        let y: Review =
            serde_yaml_ng::from_str("by: editorial\nlast: 2026-03-01\nnext: '2027-01-01'").unwrap();
        assert_eq!(t, y);
        assert_eq!(t.last, date("2026-03-01"));
        assert_eq!(t.next, Some(date("2027-01-01")));
        let t: Review = toml::from_str("by = \"x\"\nlast = 2026-03-01T10:00:00Z").unwrap();
        assert_eq!(t.last.ymd(), "2026-03-01");
        assert!(t.next.is_none());
        assert!(toml::from_str::<Review>("by = 'x'\nlast = 'soon'").is_err());
        assert!(toml::from_str::<Review>("last = 2026-03-01").is_err());
    }

    #[test]
    fn references_toml_and_yaml() {
        #[derive(Deserialize)]
        struct Fm {
            references: Vec<Reference>,
        }
        let t: Fm = toml::from_str(
            r#"
[[references]]
id = "smith-2020"
title = "Exercise for knee pain"
authors = ["Smith J", "Lee K"]
year = 2020
journal = "BMJ"
doi = "10.1136/bmj.m1234"
pmid = "32000000"
accessed = 2026-01-05

[[references]]
id = "nice"
title = "Guideline"
publisher = "NICE"
url = "https://www.nice.org.uk/"
"#,
        )
        .unwrap();
        let y: Fm = serde_yaml_ng::from_str(
            r#"
references:
  - id: smith-2020
    title: Exercise for knee pain
    authors: [Smith J, Lee K]
    year: 2020
    journal: BMJ
    doi: 10.1136/bmj.m1234
    pmid: "32000000"
    accessed: 2026-01-05
  - id: nice
    title: Guideline
    publisher: NICE
    url: https://www.nice.org.uk/
"#,
        )
        .unwrap();
        assert_eq!(t.references, y.references);
        let r = &t.references[0];
        assert_eq!(r.year, Some(2020));
        assert_eq!(r.accessed, Some(date("2026-01-05")));
        assert_eq!(r.doi_url().unwrap(), "https://doi.org/10.1136/bmj.m1234");
        assert_eq!(
            r.pmid_url().unwrap(),
            "https://pubmed.ncbi.nlm.nih.gov/32000000/"
        );
        assert!(t.references[1].authors.is_empty());
        let bare: Reference = serde_yaml_ng::from_str("id: a\ntitle: t\npmid: 123").unwrap();
        assert_eq!(bare.pmid.as_deref(), Some("123"));
        let bare: Reference = toml::from_str("id = 'a'\ntitle = 't'\npmid = 123").unwrap();
        assert_eq!(bare.pmid.as_deref(), Some("123"));
    }

    #[test]
    fn page_health_toml_and_yaml() {
        let t: PageHealth = toml::from_str("emergency_number = \"911\"").unwrap();
        let y: PageHealth = serde_yaml_ng::from_str("emergency_number: '911'").unwrap();
        assert_eq!(t, y);
        assert_eq!(t.emergency_number.as_deref(), Some("911"));
        assert_eq!(t.urgent_help, None);
    }
}
