//! `[health]` and `[reviewers.KEY]` of `site.toml`: which pages are medical,
//! the review interval, the numbers the urgency callouts show, and who reviews.

use serde::Deserialize;

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
    /// Sections whose pages describe a condition: their JSON-LD names a
    /// `MedicalCondition` after the page (`about`).
    pub condition_sections: Vec<String>,
    /// The taxonomy whose terms are the body parts a condition page is about
    /// (`associatedAnatomy`).
    pub anatomy_taxonomy: String,
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
            condition_sections: Vec::new(),
            anatomy_taxonomy: "body_areas".into(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

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
