//! The health content model: review, reviewers, references, urgency callouts.
//!
//! These are plain data types and pure functions; the pipeline reads them from
//! `site.toml` (`[health]`, `[reviewers.KEY]`) and from page front matter
//! (`[review]`, `[[references]]`, `[health]`), then uses
//! [`citations`] to number `[@id]` citations, [`check`] to report mistakes,
//! [`jsonld`] to describe the page as a schema.org `MedicalWebPage` and
//! [`template`] to hand the theme its data.
//!
//! Every type deserializes from TOML and YAML front matter alike and rejects
//! unknown fields, so a typo is reported instead of silently ignored.

pub mod check;
pub mod citations;
pub mod jsonld;
pub mod template;

use serde::Deserialize;

use crate::content::front_matter::PageDate;

/// The `[health]` table of `site.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HealthConfig {
    /// Sections (by path, e.g. `conditions`) whose pages are medical content:
    /// they need a `[review]` and get the disclaimer. Empty: no section is.
    pub sections: Vec<String>,
    /// Days after the last review by which the next review is due, unless a
    /// page gives `next` itself.
    pub review_interval_days: u32,
    /// The emergency telephone number, used in the emergency callout title.
    pub emergency_number: String,
    /// Where to get urgent (same-day) help, used in the urgent callout title.
    pub urgent_help: String,
    /// A Markdown disclaimer shown on medical pages.
    pub disclaimer: Option<String>,
    /// Titles of the urgency callouts.
    pub labels: Labels,
}

impl Default for HealthConfig {
    fn default() -> Self {
        HealthConfig {
            sections: Vec::new(),
            review_interval_days: 365,
            emergency_number: "112".into(),
            urgent_help: "call your doctor's out-of-hours service".into(),
            disclaimer: None,
            labels: Labels::default(),
        }
    }
}

/// Titles of the urgency callouts (`[health.labels]`). Each may contain the
/// placeholders `{emergency_number}` and `{urgent_help}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Labels {
    /// Title of `> [!EMERGENCY]` callouts.
    pub emergency: String,
    /// Title of `> [!URGENT]` callouts.
    pub urgent: String,
    /// Title of `> [!DOCTOR]` callouts.
    pub doctor: String,
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            emergency: "Emergency: call {emergency_number} now if you have any of these".into(),
            urgent: "Urgent: get medical help today ({urgent_help}) if you have any of these"
                .into(),
            doctor: "See a doctor or physiotherapist soon if you have any of these".into(),
        }
    }
}

impl Labels {
    /// The title for `level` with its placeholders filled in. The result is
    /// plain text: escape it before putting it into HTML.
    pub fn title(&self, level: UrgencyLevel, emergency_number: &str, urgent_help: &str) -> String {
        let template = match level {
            UrgencyLevel::Emergency => &self.emergency,
            UrgencyLevel::Urgent => &self.urgent,
            UrgencyLevel::Doctor => &self.doctor,
        };
        // One pass, so a value that itself contains a placeholder is left as written.
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template.as_str();
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            if let Some(after) = tail.strip_prefix("{emergency_number}") {
                out.push_str(emergency_number);
                rest = after;
            } else if let Some(after) = tail.strip_prefix("{urgent_help}") {
                out.push_str(urgent_help);
                rest = after;
            } else {
                out.push('{');
                rest = &tail[1..];
            }
        }
        out.push_str(rest);
        out
    }
}

/// Whether a reviewer is a person or a team / organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewerKind {
    /// One person (schema.org `Person`, with `role` as `jobTitle`).
    Person,
    /// A team, board or organisation (schema.org `Organization`).
    #[default]
    Organization,
}

/// A reviewer, `[reviewers.KEY]` in `site.toml`; pages name it by `KEY`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reviewer {
    /// Display name, e.g. `Dr. Jane Doe` or `Editorial board`.
    pub name: String,
    /// Role, e.g. `Physiotherapist` or `Medical review team`.
    pub role: String,
    /// Qualifications, e.g. `MSc, PT`.
    pub credentials: Option<String>,
    /// A profile page: an absolute URL or an `@/` link to a page of the site.
    pub url: Option<String>,
    /// Person or organisation (default: organisation).
    #[serde(default)]
    pub kind: ReviewerKind,
}

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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
        self.doi.as_ref().map(|d| format!("https://doi.org/{d}"))
    }

    /// `https://pubmed.ncbi.nlm.nih.gov/PMID/`, when a PMID is given.
    pub fn pmid_url(&self) -> Option<String> {
        self.pmid
            .as_ref()
            .map(|p| format!("https://pubmed.ncbi.nlm.nih.gov/{p}/"))
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

/// How urgent an urgency callout (`> [!EMERGENCY]`, `> [!URGENT]`, `> [!DOCTOR]`) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UrgencyLevel {
    /// Call the emergency number now.
    Emergency,
    /// Get medical help today.
    Urgent,
    /// See a doctor soon.
    Doctor,
}

impl UrgencyLevel {
    /// The level for a callout marker (`EMERGENCY`, `URGENT`, `DOCTOR`, any case).
    pub fn from_marker(marker: &str) -> Option<UrgencyLevel> {
        let m = marker.trim();
        [
            ("emergency", UrgencyLevel::Emergency),
            ("urgent", UrgencyLevel::Urgent),
            ("doctor", UrgencyLevel::Doctor),
        ]
        .into_iter()
        .find(|(name, _)| m.eq_ignore_ascii_case(name))
        .map(|(_, level)| level)
    }

    /// The CSS class suffix: the callout is `callout callout-{class}`.
    pub fn class(self) -> &'static str {
        match self {
            UrgencyLevel::Emergency => "emergency",
            UrgencyLevel::Urgent => "urgent",
            UrgencyLevel::Doctor => "doctor",
        }
    }
}

/// The opening markup of an urgency callout, as the guide theme styles it:
/// `<div class="callout callout-LEVEL" role="note"><p class="callout-title">TITLE</p>` and a
/// newline. `title` is plain text (e.g. from [`Labels::title`]) and is escaped
/// here. Close the callout with `</div>` and a newline, as the other callouts are.
pub fn callout_open(level: UrgencyLevel, title: &str) -> String {
    format!(
        "<div class=\"callout callout-{}\" role=\"note\"><p class=\"callout-title\">{}</p>\n",
        level.class(),
        citations::escape_attr(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn callout_markup() {
        assert_eq!(
            callout_open(UrgencyLevel::Urgent, "Call <111> & \"ask\""),
            "<div class=\"callout callout-urgent\" role=\"note\"><p class=\"callout-title\">Call &lt;111&gt; &amp; &quot;ask&quot;</p>\n"
        );
    }

    fn date(s: &str) -> PageDate {
        PageDate::parse(s).unwrap()
    }

    #[test]
    fn health_config_defaults() {
        let c: HealthConfig = toml::from_str("").unwrap();
        assert_eq!(c, HealthConfig::default());
        assert_eq!(c.review_interval_days, 365);
        assert_eq!(c.emergency_number, "112");
        let y: HealthConfig = serde_yaml_ng::from_str("{}").unwrap();
        assert_eq!(y, c);
    }

    #[test]
    fn health_config_toml_and_yaml() {
        let t: HealthConfig = toml::from_str(
            r#"
sections = ["conditions"]
review_interval_days = 180
emergency_number = "999"
disclaimer = "Not *advice*."
[labels]
doctor = "See your GP"
"#,
        )
        .unwrap();
        let y: HealthConfig = serde_yaml_ng::from_str(
            "sections: [conditions]\nreview_interval_days: 180\nemergency_number: \"999\"\ndisclaimer: Not *advice*.\nlabels:\n  doctor: See your GP\n",
        )
        .unwrap();
        assert_eq!(t, y);
        assert_eq!(t.sections, ["conditions"]);
        assert_eq!(t.labels.doctor, "See your GP");
        assert_eq!(t.labels.emergency, Labels::default().emergency);
        assert_eq!(t.urgent_help, HealthConfig::default().urgent_help);
    }

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

    #[test]
    fn labels_fill_placeholders() {
        let l = Labels::default();
        assert_eq!(
            l.title(UrgencyLevel::Emergency, "999", "x"),
            "Emergency: call 999 now if you have any of these"
        );
        assert_eq!(
            l.title(UrgencyLevel::Urgent, "999", "call 111"),
            "Urgent: get medical help today (call 111) if you have any of these"
        );
        assert_eq!(l.title(UrgencyLevel::Doctor, "1", "2"), l.doctor);
        let odd = Labels {
            emergency: "{a} {emergency_number}{emergency_number} {".into(),
            ..Labels::default()
        };
        assert_eq!(
            odd.title(UrgencyLevel::Emergency, "{urgent_help}", "u"),
            "{a} {urgent_help}{urgent_help} {"
        );
    }

    #[test]
    fn reviewers_toml_and_yaml() {
        let t: BTreeMap<String, Reviewer> = toml::from_str(
            r#"
[editorial]
name = "Editorial board"
role = "Medical review team"
[jane]
name = "Jane Doe"
role = "Physiotherapist"
credentials = "MSc"
url = "@/about/jane.md"
kind = "person"
"#,
        )
        .unwrap();
        let y: BTreeMap<String, Reviewer> = serde_yaml_ng::from_str(
            "editorial:\n  name: Editorial board\n  role: Medical review team\njane:\n  name: Jane Doe\n  role: Physiotherapist\n  credentials: MSc\n  url: '@/about/jane.md'\n  kind: person\n",
        )
        .unwrap();
        assert_eq!(t, y);
        assert_eq!(t["editorial"].kind, ReviewerKind::Organization);
        assert_eq!(t["jane"].kind, ReviewerKind::Person);
        assert!(toml::from_str::<Reviewer>("name='a'\nrole='r'\nkind='robot'").is_err());
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

    #[test]
    fn urgency_levels() {
        assert_eq!(
            UrgencyLevel::from_marker("EMERGENCY"),
            Some(UrgencyLevel::Emergency)
        );
        assert_eq!(
            UrgencyLevel::from_marker("urgent"),
            Some(UrgencyLevel::Urgent)
        );
        assert_eq!(
            UrgencyLevel::from_marker("Doctor"),
            Some(UrgencyLevel::Doctor)
        );
        assert_eq!(UrgencyLevel::from_marker("NOTE"), None);
        assert_eq!(UrgencyLevel::from_marker(""), None);
        assert_eq!(UrgencyLevel::Emergency.class(), "emergency");
        assert_eq!(UrgencyLevel::Urgent.class(), "urgent");
        assert_eq!(UrgencyLevel::Doctor.class(), "doctor");
        let t: BTreeMap<String, UrgencyLevel> = toml::from_str("a = 'urgent'").unwrap();
        let y: BTreeMap<String, UrgencyLevel> = serde_yaml_ng::from_str("a: urgent").unwrap();
        assert_eq!(t, y);
    }
}
