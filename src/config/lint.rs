//! The `[lint]` table of `site.toml` and the `lint.allow` list of front matter.
//!
//! Every rule has a [`Level`]: `off` (not run), `warn` or `error`. A rule is
//! written either as its level alone or as a table holding `level` and the
//! rule's options; a table without `level` keeps the default level (`warn`):
//!
//! ```toml
//! [lint]
//! orphan = "error"
//! readability = { level = "warn", max_grade = 10 }
//! description_length = { min = 70 }
//! claims = { extend = ["detox"] }
//!
//! [lint.required_callout]
//! level = "error"                                # optional, `warn` by default
//! conditions = ["DOCTOR", "URGENT", "EMERGENCY"] # at least one of these
//! ```
//!
//! | key | default | options | finds |
//! |---|---|---|---|
//! | `orphan` | warn | | a page (not a section index) no other page links to |
//! | `duplicate_title` | warn | | two pages with the same title |
//! | `duplicate_description` | warn | | two pages with the same description |
//! | `description_length` | warn | `min = 50`, `max = 160` (characters) | description missing, too short or too long |
//! | `image_alt` | warn | | an image without alt text |
//! | `heading_order` | warn | | a skipped heading level, or an h1 in the body |
//! | `readability` | warn | `max_grade = 9.0`, `min_words = 100` | Flesch–Kincaid grade of the page above the limit |
//! | `long_sentence` | warn | `max_words = 30` | a longer sentence (words in callouts count double) |
//! | `empty_section` | warn | | a section index without pages or subsections |
//! | `faq_duplicate` | warn | | an FAQ question asked twice on the site |
//! | `link_text` | warn | | link text such as "click here", or none |
//! | `review_missing` | warn | | a health page without `[review]` |
//! | `review_overdue` | warn | | a review whose `next` date has passed |
//! | `references_missing` | warn | `min_references = 1` | a health page citing fewer references |
//! | `claims` | warn | `words = [`[`DEFAULT_CLAIM_WORDS`]`]`, `extend = []` | unnegated "cures", "guaranteed", … |
//! | `required_callout` | warn | section = `[kinds]`, none by default | a page of the section without one of the callouts |
//!
//! Keys are snake_case (`duplicate_title`); diagnostic codes are kebab-case
//! (`lint::duplicate-title`); `lint.allow` in front matter accepts either
//! spelling (see [`Rule::from_name`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnostics::{Code, Severity};

/// How a rule reports its findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The rule is not run.
    Off,
    /// Findings are warnings.
    #[default]
    Warn,
    /// Findings are errors (and fail `fascia check`).
    Error,
}

impl Level {
    /// The severity of findings at this level; `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Warn => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// A rule's settings that can be written as a bare level.
pub trait RuleSetting: Default + DeserializeOwned {
    /// Replaces the level, keeping the default options.
    fn with_level(level: Level) -> Self;
}

/// Deserializes a rule written as `"warn"` or as `{ level = "warn", … }`.
fn level_or_table<'de, D: Deserializer<'de>, T: RuleSetting>(d: D) -> Result<T, D::Error> {
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: RuleSetting> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("\"off\", \"warn\", \"error\" or a table with `level` and options")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
            let level = Level::deserialize(s.into_deserializer())?;
            Ok(T::with_level(level))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

/// A rule without options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, remote = "Self")]
pub struct Simple {
    /// Its level.
    pub level: Level,
}

/// `description_length`: the meta description must be present and of a useful length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, remote = "Self")]
pub struct DescriptionLength {
    /// Its level.
    pub level: Level,
    /// Fewest characters (default 50).
    pub min: usize,
    /// Most characters (default 160, about what search results show).
    pub max: usize,
}

impl Default for DescriptionLength {
    fn default() -> Self {
        DescriptionLength {
            level: Level::Warn,
            min: 50,
            max: 160,
        }
    }
}

/// `readability`: the Flesch–Kincaid grade of a page's prose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, remote = "Self")]
pub struct Readability {
    /// Its level.
    pub level: Level,
    /// Highest acceptable grade (default 9.0: readable by most adults).
    pub max_grade: f64,
    /// Pages with fewer words of prose are not graded (default 100): the
    /// formula means little on a few sentences.
    pub min_words: usize,
}

impl Default for Readability {
    fn default() -> Self {
        Readability {
            level: Level::Warn,
            max_grade: 9.0,
            min_words: 100,
        }
    }
}

/// `long_sentence`: sentences with too many words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, remote = "Self")]
pub struct LongSentence {
    /// Its level.
    pub level: Level,
    /// Most words in a sentence (default 30); words inside callouts count double.
    pub max_words: usize,
}

impl Default for LongSentence {
    fn default() -> Self {
        LongSentence {
            level: Level::Warn,
            max_words: 30,
        }
    }
}

/// `references_missing`: health pages must cite sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, remote = "Self")]
pub struct ReferencesMissing {
    /// Its level.
    pub level: Level,
    /// Fewest references on a health page (default 1).
    pub min_references: usize,
}

impl Default for ReferencesMissing {
    fn default() -> Self {
        ReferencesMissing {
            level: Level::Warn,
            min_references: 1,
        }
    }
}

/// The words and phrases the `claims` rule looks for unless `words` is given.
pub const DEFAULT_CLAIM_WORDS: &[&str] = &[
    "cure",
    "cures",
    "cured",
    "curing",
    "guarantee",
    "guaranteed",
    "guarantees",
    "permanently",
    "permanent cure",
    "eliminate",
    "eliminates",
    "miracle",
    "miraculous",
    "no side effects",
    "risk-free",
    "completely safe",
    "instant relief",
    "detox",
];

/// `claims`: overpromising words in prose (see [`crate::lint::text::claims`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, remote = "Self")]
pub struct Claims {
    /// Its level.
    pub level: Level,
    /// The words and phrases to look for; replaces [`DEFAULT_CLAIM_WORDS`].
    pub words: Vec<String>,
    /// More words and phrases, added to `words`.
    pub extend: Vec<String>,
}

impl Default for Claims {
    fn default() -> Self {
        Claims {
            level: Level::Warn,
            words: DEFAULT_CLAIM_WORDS.iter().map(|s| s.to_string()).collect(),
            extend: Vec::new(),
        }
    }
}

impl Claims {
    /// `words` followed by `extend`.
    pub fn all_words(&self) -> Vec<String> {
        self.words.iter().chain(&self.extend).cloned().collect()
    }
}

/// Implements `Deserialize` (bare level or table) for a struct whose derived
/// table form is `remote = "Self"`.
macro_rules! remote_rule_setting {
    ($t:ident) => {
        impl RuleSetting for $t {
            #[allow(clippy::needless_update)]
            fn with_level(level: Level) -> Self {
                $t {
                    level,
                    ..$t::default()
                }
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Table($t);
                impl Default for Table {
                    fn default() -> Self {
                        Table($t::default())
                    }
                }
                impl<'de> Deserialize<'de> for Table {
                    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        $t::deserialize(d).map(Table)
                    }
                }
                impl RuleSetting for Table {
                    fn with_level(level: Level) -> Self {
                        Table(<$t as RuleSetting>::with_level(level))
                    }
                }
                level_or_table::<D, Table>(d).map(|t| t.0)
            }
        }
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $t::serialize(self, s)
            }
        }
    };
}

remote_rule_setting!(Simple);
remote_rule_setting!(DescriptionLength);
remote_rule_setting!(Readability);
remote_rule_setting!(LongSentence);
remote_rule_setting!(ReferencesMissing);
remote_rule_setting!(Claims);

/// `required_callout`: pages of a section must carry one of the listed callouts.
///
/// Written as a table of section → callout kinds, plus an optional `level`:
/// `[lint.required_callout] conditions = ["DOCTOR", "URGENT"]`. A page of the
/// section (or of a section below it) must contain at least one callout of
/// one of the kinds (compared case-insensitively).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RequiredCallout {
    /// Its level (`warn` unless given).
    pub level: Level,
    /// Section (content-relative folder, e.g. `conditions`) → accepted kinds.
    #[serde(flatten)]
    pub sections: BTreeMap<String, Vec<String>>,
}

impl<'de> Deserialize<'de> for RequiredCallout {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RequiredCallout;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of section = [\"CALLOUT\", …] and an optional `level`")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RequiredCallout, E> {
                Ok(RequiredCallout {
                    level: Level::deserialize(s.into_deserializer())?,
                    sections: BTreeMap::new(),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RequiredCallout, A::Error> {
                let mut out = RequiredCallout::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "level" {
                        out.level = map.next_value()?;
                    } else {
                        let kinds: Vec<String> = map.next_value()?;
                        out.sections.insert(key, kinds);
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}

/// The `[lint]` table of `site.toml`. Every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LintConfig {
    /// A page (not a section index) that no other page links to.
    pub orphan: Simple,
    /// Two pages with the same title.
    pub duplicate_title: Simple,
    /// Two pages with the same description.
    pub duplicate_description: Simple,
    /// Description missing, too short or too long.
    pub description_length: DescriptionLength,
    /// An image without alt text.
    pub image_alt: Simple,
    /// A heading that skips a level, or an h1 in the body.
    pub heading_order: Simple,
    /// Flesch–Kincaid grade above the limit.
    pub readability: Readability,
    /// A sentence with too many words.
    pub long_sentence: LongSentence,
    /// A section index with no pages and no subsections.
    pub empty_section: Simple,
    /// The same FAQ question twice on the site.
    pub faq_duplicate: Simple,
    /// Link text such as "click here".
    pub link_text: Simple,
    /// A health page without a `[review]`.
    pub review_missing: Simple,
    /// A `[review]` whose next date has passed.
    pub review_overdue: Simple,
    /// A health page citing too few references.
    pub references_missing: ReferencesMissing,
    /// Overpromising words such as "cures" or "guaranteed".
    pub claims: Claims,
    /// Pages of a section without a required callout.
    pub required_callout: RequiredCallout,
}

impl LintConfig {
    /// The level of `rule`.
    pub fn level(&self, rule: Rule) -> Level {
        match rule {
            Rule::Orphan => self.orphan.level,
            Rule::DuplicateTitle => self.duplicate_title.level,
            Rule::DuplicateDescription => self.duplicate_description.level,
            Rule::DescriptionLength => self.description_length.level,
            Rule::ImageAlt => self.image_alt.level,
            Rule::HeadingOrder => self.heading_order.level,
            Rule::Readability => self.readability.level,
            Rule::LongSentence => self.long_sentence.level,
            Rule::EmptySection => self.empty_section.level,
            Rule::FaqDuplicate => self.faq_duplicate.level,
            Rule::LinkText => self.link_text.level,
            Rule::ReviewMissing => self.review_missing.level,
            Rule::ReviewOverdue => self.review_overdue.level,
            Rule::ReferencesMissing => self.references_missing.level,
            Rule::Claims => self.claims.level,
            Rule::RequiredCallout => self.required_callout.level,
        }
    }
}

/// Every lint rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// `lint::orphan`
    Orphan,
    /// `lint::duplicate-title`
    DuplicateTitle,
    /// `lint::duplicate-description`
    DuplicateDescription,
    /// `lint::description-length`
    DescriptionLength,
    /// `lint::image-alt`
    ImageAlt,
    /// `lint::heading-order`
    HeadingOrder,
    /// `lint::readability`
    Readability,
    /// `lint::long-sentence`
    LongSentence,
    /// `lint::empty-section`
    EmptySection,
    /// `lint::faq-duplicate`
    FaqDuplicate,
    /// `lint::link-text`
    LinkText,
    /// `lint::review-missing`
    ReviewMissing,
    /// `lint::review-overdue`
    ReviewOverdue,
    /// `lint::references-missing`
    ReferencesMissing,
    /// `lint::claims`
    Claims,
    /// `lint::required-callout`
    RequiredCallout,
}

impl Rule {
    /// Every rule, in documentation order.
    pub fn all() -> &'static [Rule] {
        use Rule::*;
        &[
            Orphan,
            DuplicateTitle,
            DuplicateDescription,
            DescriptionLength,
            ImageAlt,
            HeadingOrder,
            Readability,
            LongSentence,
            EmptySection,
            FaqDuplicate,
            LinkText,
            ReviewMissing,
            ReviewOverdue,
            ReferencesMissing,
            Claims,
            RequiredCallout,
        ]
    }

    /// The diagnostic code, e.g. `lint::duplicate-title`.
    pub fn code(self) -> Code {
        match self {
            Rule::Orphan => Code::LintOrphan,
            Rule::DuplicateTitle => Code::LintDuplicateTitle,
            Rule::DuplicateDescription => Code::LintDuplicateDescription,
            Rule::DescriptionLength => Code::LintDescriptionLength,
            Rule::ImageAlt => Code::LintImageAlt,
            Rule::HeadingOrder => Code::LintHeadingOrder,
            Rule::Readability => Code::LintReadability,
            Rule::LongSentence => Code::LintLongSentence,
            Rule::EmptySection => Code::LintEmptySection,
            Rule::FaqDuplicate => Code::LintFaqDuplicate,
            Rule::LinkText => Code::LintLinkText,
            Rule::ReviewMissing => Code::LintReviewMissing,
            Rule::ReviewOverdue => Code::LintReviewOverdue,
            Rule::ReferencesMissing => Code::LintReferencesMissing,
            Rule::Claims => Code::LintClaims,
            Rule::RequiredCallout => Code::LintRequiredCallout,
        }
    }

    /// The kebab-case name, e.g. `duplicate-title` (the code without `lint::`).
    pub fn name(self) -> &'static str {
        &self.code().as_str()["lint::".len()..]
    }

    /// The `[lint]` key, e.g. `duplicate_title`.
    pub fn key(self) -> String {
        self.name().replace('-', "_")
    }

    /// Parses `duplicate-title`, `duplicate_title` or `lint::duplicate-title`
    /// (ASCII case-insensitively).
    pub fn from_name(name: &str) -> Option<Rule> {
        let name = name.trim();
        let name = name
            .strip_prefix("lint::")
            .unwrap_or(name)
            .replace('_', "-")
            .to_ascii_lowercase();
        Rule::all().iter().copied().find(|r| r.name() == name)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One entry of front matter `lint.allow`: `"orphan"` or
/// `{ rule = "orphan", reason = "reached from the home page only" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allow {
    /// The rule name, as written (checked by [`crate::lint::run`]).
    pub rule: String,
    /// Why the rule does not apply to this page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Allow {
    /// An entry without a reason.
    pub fn new(rule: impl Into<String>) -> Self {
        Allow {
            rule: rule.into(),
            reason: None,
        }
    }
}

impl<'de> Deserialize<'de> for Allow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            rule: String,
            #[serde(default)]
            reason: Option<String>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Allow;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a rule name or { rule = \"…\", reason = \"…\" }")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Allow, E> {
                Ok(Allow::new(s))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Allow, A::Error> {
                let full = Full::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Allow {
                    rule: full.rule,
                    reason: full.reason,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// The `lint` table of page front matter: `[lint] allow = ["orphan"]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PageLint {
    /// Rules that do not apply to this page.
    pub allow: Vec<Allow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<LintConfig, toml::de::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Site {
            #[serde(default)]
            lint: LintConfig,
        }
        toml::from_str::<Site>(s).map(|s| s.lint)
    }

    #[test]
    fn defaults() {
        let c = parse("").unwrap();
        assert_eq!(c, LintConfig::default());
        for &r in Rule::all() {
            assert_eq!(c.level(r), Level::Warn, "{r}");
        }
        assert_eq!(c.description_length.min, 50);
        assert_eq!(c.description_length.max, 160);
        assert_eq!(c.readability.max_grade, 9.0);
        assert_eq!(c.long_sentence.max_words, 30);
        assert_eq!(c.references_missing.min_references, 1);
        assert!(c.claims.words.iter().any(|w| w == "cures"));
        assert!(c.required_callout.sections.is_empty());
    }

    #[test]
    fn string_or_table() {
        let c = parse(
            r#"
[lint]
orphan = "error"
duplicate_title = "off"
image_alt = { level = "error" }
readability = { level = "warn", max_grade = 10 }
description_length = { min = 70 }
long_sentence = "off"
claims = { extend = ["detoxify"] }

[lint.required_callout]
level = "error"
conditions = ["DOCTOR", "URGENT", "EMERGENCY"]
"#,
        )
        .unwrap();
        assert_eq!(c.orphan.level, Level::Error);
        assert_eq!(c.duplicate_title.level, Level::Off);
        assert_eq!(c.image_alt.level, Level::Error);
        assert_eq!(c.readability.max_grade, 10.0);
        assert_eq!(c.readability.min_words, 100);
        assert_eq!(c.description_length.level, Level::Warn);
        assert_eq!(c.description_length.min, 70);
        assert_eq!(c.description_length.max, 160);
        assert_eq!(c.long_sentence.level, Level::Off);
        assert_eq!(c.long_sentence.max_words, 30);
        let all = c.claims.all_words();
        assert!(all.contains(&"cures".to_string()) && all.contains(&"detoxify".to_string()));
        assert_eq!(c.required_callout.level, Level::Error);
        assert_eq!(
            c.required_callout.sections["conditions"],
            ["DOCTOR", "URGENT", "EMERGENCY"]
        );
    }

    #[test]
    fn unknown_keys_and_levels_are_refused() {
        let e = parse("[lint]\norphn = \"warn\"\n").unwrap_err();
        assert!(e.message().contains("orphn"), "{e}");
        let e = parse("[lint]\nreadability = { max_grad = 3 }\n").unwrap_err();
        assert!(e.message().contains("max_grad"), "{e}");
        let e = parse("[lint]\norphan = { level = \"warn\", max = 3 }\n").unwrap_err();
        assert!(e.message().contains("max"), "{e}");
        let e = parse("[lint]\norphan = \"loud\"\n").unwrap_err();
        assert!(e.message().contains("loud"), "{e}");
        assert!(parse("[lint.required_callout]\nconditions = \"DOCTOR\"\n").is_err());
    }

    #[test]
    fn config_round_trips() {
        let c = LintConfig::default();
        let text = toml::to_string(&c).unwrap();
        let back: LintConfig = toml::from_str(&text).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn rule_names() {
        assert_eq!(Rule::all().len(), 16);
        assert_eq!(Rule::DuplicateTitle.code(), "lint::duplicate-title");
        assert_eq!(Rule::DuplicateTitle.name(), "duplicate-title");
        assert_eq!(Rule::DuplicateTitle.key(), "duplicate_title");
        for &r in Rule::all() {
            assert_eq!(Rule::from_name(r.name()), Some(r));
            assert_eq!(Rule::from_name(&r.key()), Some(r));
            assert_eq!(Rule::from_name(r.code().as_str()), Some(r));
        }
        assert_eq!(Rule::from_name("nope"), None);
        assert_eq!(Rule::from_name(" Image_Alt "), Some(Rule::ImageAlt));
        // Every rule has a `[lint]` key.
        let table = toml::Value::try_from(LintConfig::default()).unwrap();
        for &r in Rule::all() {
            assert!(table.get(r.key()).is_some(), "{r}");
        }
    }

    #[test]
    fn allow_entries() {
        let p: PageLint = toml::from_str(
            r#"allow = ["orphan", { rule = "claims", reason = "quotes a study title" }]"#,
        )
        .unwrap();
        assert_eq!(p.allow[0], Allow::new("orphan"));
        assert_eq!(p.allow[1].rule, "claims");
        assert_eq!(p.allow[1].reason.as_deref(), Some("quotes a study title"));
        assert!(toml::from_str::<PageLint>(r#"allow = [{ rule = "x", why = "y" }]"#).is_err());
        let y: PageLint =
            serde_yaml_ng::from_str("allow:\n  - orphan\n  - rule: claims\n    reason: r\n")
                .unwrap();
        assert_eq!(y.allow.len(), 2);
    }
}
