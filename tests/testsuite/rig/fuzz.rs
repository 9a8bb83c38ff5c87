//! Fuzz targets over the parsers and passes, as seeded proptest runs on
//! stable (see the note in `rig/mod.rs`). Each target starts from the
//! repository's own files (the `basic` fixture, the bundled articles,
//! `site.toml`), mutates them with [`super::mutate`] and checks: no panic,
//! every diagnostic points inside its file (and inside the part of the file it
//! is about), and the round trips that exist.
//!
//! `FASCIA_RIG_SCALE=N` multiplies every iteration count for a longer local run.

use std::fmt::Debug;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use fascia::config::{Config, MarkdownConfig};
use fascia::diagnostics::Diagnostic;
use fascia::markdown::{self, LinkKind, MarkdownContext, Resolved};
use fascia::metadata::jsonld::script_json;
use fascia::model::front_matter::{self, PageFrontMatter, SectionFrontMatter};
use fascia::outpath;
use fascia::output::{check_rel, read_manifest};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngSeed, TestCaseError, TestRunner};
use serde_json::Value;

use super::strategies::mutations;
use super::{config_seeds, markdown_seeds, mutate, repo, report};

/// Multiplier for every iteration count (`FASCIA_RIG_SCALE`, 1 by default).
pub fn scale() -> u32 {
    std::env::var("FASCIA_RIG_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

/// Runs `test` on `cases` values of `strategy` from a fixed seed; on failure,
/// panics with the shrunk input and the seed to replay it.
pub fn fuzz<S: Strategy>(
    name: &str,
    cases: u32,
    seed: u64,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: Debug,
{
    let started = Instant::now();
    let cases = cases * scale();
    let mut runner = TestRunner::new(RunnerConfig {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..RunnerConfig::default()
    });
    if let Err(e) = runner.run(&strategy, test) {
        panic!("fuzz target {name} (seed {seed}): {e}");
    }
    report(
        &format!("fuzz {name}"),
        &format!("{cases} iterations"),
        started,
    );
}

/// A seed from `seeds`, mutated.
fn mutated(seeds: Arc<Vec<String>>, max: usize) -> impl Strategy<Value = String> {
    let n = seeds.len();
    (0..n, mutations(max)).prop_map(move |(i, m)| {
        String::from_utf8_lossy(&mutate(seeds[i].as_bytes(), &m)).into_owned()
    })
}

/// YAML front matter seeds beside the TOML of the articles.
fn yaml_seeds() -> Vec<String> {
    vec![
        "---\ntitle: About\ndate: 2026-01-05\naliases: [/old/, /older/]\n---\n\nBody.\n".into(),
        "---\ntitle: \"Q\"\ntaxonomies:\n  tags: [a, b]\nfaq:\n  - question: Why?\n    answer: \"[x](@/about.md)\"\n---\n".into(),
        "---\ntitle: S\nsort_by: weight\npaginate_by: 3\npaginate_path: seite\n---\n".into(),
        "---\n---\n".into(),
    ]
}

fn all_front_matter_seeds() -> Arc<Vec<String>> {
    let mut s = markdown_seeds();
    s.extend(yaml_seeds());
    Arc::new(s)
}

/// A diagnostic that points into `src` does so at char boundaries inside it,
/// carries that very text, and renders.
fn check_diag(d: &Diagnostic, src: &str) -> Result<(), TestCaseError> {
    if let Some(span) = &d.span {
        let own = d.source.as_deref().unwrap_or("");
        prop_assert_eq!(own, src, "diagnostic {} carries another text", d.code);
        prop_assert!(
            span.start <= span.end && span.end <= src.len(),
            "span {:?} outside a {}-byte file: {}",
            span,
            src.len(),
            d.message
        );
        prop_assert!(src.is_char_boundary(span.start) && src.is_char_boundary(span.end));
    }
    let shown = d.render(false);
    prop_assert!(shown.contains(d.code.as_str()));
    Ok(())
}

#[test]
fn fuzz_front_matter_split() {
    let file = Path::new("content/f.md");
    fuzz(
        "front-matter split",
        3000,
        0x5917,
        mutated(all_front_matter_seeds(), 8),
        |text| {
            let src: Arc<str> = text.as_str().into();
            match front_matter::split(&text, file, &src) {
                Ok(s) => {
                    prop_assert!(s.front_offset <= s.body_offset && s.body_offset <= text.len());
                    prop_assert!(text.is_char_boundary(s.body_offset));
                    let at = text
                        .get(s.front_offset..)
                        .expect("front offset on a boundary");
                    prop_assert!(at.starts_with(s.front));
                    prop_assert!(s.front_offset + s.front.len() <= s.body_offset);
                }
                Err(d) => check_diag(&d, &text)?,
            }
            Ok(())
        },
    );
}

#[test]
fn fuzz_front_matter_parse() {
    let file = Path::new("content/f.md");
    fuzz(
        "front-matter parse (TOML and YAML)",
        1500,
        0xf2047,
        mutated(all_front_matter_seeds(), 6),
        |text| {
            let src: Arc<str> = text.as_str().into();
            let Ok(s) = front_matter::split(&text, file, &src) else {
                return Ok(());
            };
            let inside = |d: &Diagnostic| -> Result<(), TestCaseError> {
                check_diag(d, &text)?;
                let span = d.span.clone().expect("a parse error points at the text");
                prop_assert!(
                    span.start >= s.front_offset && span.end <= s.front_offset + s.front.len(),
                    "{} at {:?} is outside the front matter {}..{}: {}",
                    d.code,
                    span,
                    s.front_offset,
                    s.front_offset + s.front.len(),
                    d.message
                );
                Ok(())
            };
            if let Err(d) = front_matter::parse::<PageFrontMatter>(&s, file, &src) {
                inside(&d)?;
            }
            if let Err(d) = front_matter::parse::<SectionFrontMatter>(&s, file, &src) {
                inside(&d)?;
            }
            Ok(())
        },
    );
}

/// The `@/` keys the resolver knows: the basic fixture's files.
const KEYS: &[&str] = &[
    "_index.md",
    "about.md",
    "conditions/_index.md",
    "conditions/back-pain.md",
    "conditions/neck-pain.md",
    "conditions/knee-pain/index.md",
];

#[test]
fn fuzz_markdown_render() {
    let seeds = Arc::new(markdown_seeds());
    let file = Path::new("content/f.md");
    let assets = repo().join("tests/fixtures/basic/content/conditions/knee-pain");
    let statics = repo().join("tests/fixtures/basic/static");
    fuzz(
        "markdown render (@/ links, callouts)",
        600,
        0x3a9c,
        (
            mutated(seeds, 8),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
        |(text, raw_html, highlight, smart)| {
            let src: Arc<str> = text.as_str().into();
            let offset = front_matter::split(&text, file, &src).map_or(0, |s| s.body_offset);
            let resolve = |p: &str| {
                KEYS.iter().position(|k| *k == p).map(|i| Resolved {
                    target: i,
                    permalink: format!("https://example.org/{}/", KEYS[i].trim_end_matches(".md")),
                })
            };
            let options = MarkdownConfig {
                highlight_code: highlight,
                smart_punctuation: smart,
                external_links_target_blank: raw_html,
                ..MarkdownConfig::default()
            };
            // Urgency callouts and citations are on, as for every page.
            let health = fascia::markdown::MarkdownHealth {
                titles: ["Call 999".into(), "Today".into(), "Soon".into()],
                references: ["nhs".to_string(), "nice-ng59".to_string()]
                    .into_iter()
                    .collect(),
            };
            let cx = MarkdownContext {
                options: &options,
                resolve: &resolve,
                asset_dir: Some(&assets),
                static_dir: Some(&statics),
                reads: None,
                raw_html,
                health: Some(&health),
                shortcodes: None,
            };
            let r = markdown::render(&text[offset..], offset, &cx);
            // Problems come back as data, each placed inside the body.
            let spans = r.missing.iter().map(|m| m.span.clone());
            for span in spans.chain(r.unknown_citations.iter().map(|(_, s)| s.clone())) {
                prop_assert!(
                    span.start >= offset && span.end <= text.len() && span.start <= span.end,
                    "a span outside the body: {:?}",
                    span
                );
            }
            for l in &r.links {
                prop_assert!(l.span.start >= offset && l.span.end <= text.len());
                if let LinkKind::Internal { target, .. } = l.kind {
                    prop_assert!(target < KEYS.len());
                }
            }
            if !raw_html {
                prop_assert!(
                    !r.html.to_ascii_lowercase().contains("<script"),
                    "raw HTML passed through: {}",
                    r.html
                );
            }
            if let Some(summary) = &r.summary {
                prop_assert!(r.html.starts_with(summary.as_str()));
            }
            // Every generated id is distinct: one per heading, plus the "more" anchor.
            prop_assert_eq!(
                r.ids.len(),
                r.heading_count + usize::from(r.summary.is_some()),
                "duplicate ids in {}",
                r.html
            );
            Ok(())
        },
    );
}

#[test]
fn fuzz_site_toml() {
    let file = Path::new("site.toml");
    fuzz(
        "site.toml (Config::parse)",
        800,
        0xc0f16,
        mutated(Arc::new(config_seeds()), 6),
        |text| {
            match Config::parse(&text, file) {
                Err(diags) => {
                    prop_assert!(!diags.is_empty());
                    for d in &diags {
                        check_diag(d, &text)?;
                    }
                }
                Ok(c) => {
                    prop_assert!(outpath::is_safe_rel(c.output_dir.trim_end_matches('/')));
                    if let Some(t) = &c.theme {
                        prop_assert!(outpath::segment(t).is_ok());
                    }
                    prop_assert!(outpath::url_path(&c.faq.path).is_ok());
                    prop_assert!(
                        c.base_url.starts_with("http://") || c.base_url.starts_with("https://")
                    );
                    // Round trip: what was accepted, written back, reads the same.
                    if let Ok(again) = toml::to_string(&c) {
                        let back = Config::parse(&again, file);
                        prop_assert!(
                            back.is_ok(),
                            "written back, it fails: {:?}\n{}",
                            back.err(),
                            again
                        );
                        let back = back.unwrap();
                        prop_assert_eq!(toml::to_string(&back).ok(), Some(again));
                    }
                }
            }
            Ok(())
        },
    );
}

/// Path pieces users might write, hostile ones included.
pub fn path_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("..".to_string()),
        Just(".".to_string()),
        Just("/".to_string()),
        Just("//".to_string()),
        Just("\\".to_string()),
        Just("\0".to_string()),
        Just(":".to_string()),
        Just("c:".to_string()),
        Just("%2e%2e".to_string()),
        Just("index.html".to_string()),
        Just("feed.xml".to_string()),
        Just(".fascia-manifest.json".to_string()),
        Just(".fascia-staging".to_string()),
        Just(".fascia-fingerprint.json".to_string()),
        Just("~".to_string()),
        Just(" ".to_string()),
        Just("\u{202e}".to_string()),
        Just("é".to_string()),
        Just("ＮＵＬ".to_string()),
        Just("\u{ff0e}\u{ff0e}".to_string()),
        Just("\n".to_string()),
        "[a-z]{1,4}",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..10).prop_map(|v| v.concat())
}

/// True when `rel`, joined to a folder and folded lexically, stays strictly inside it.
pub fn stays_inside(rel: &str) -> bool {
    let mut depth = 0i32;
    for c in Path::new(rel).components() {
        match c {
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            _ => return false,
        }
    }
    depth > 0
}

#[test]
fn fuzz_output_paths() {
    fuzz(
        "output paths (url_path, segment, output_file, is_safe_rel)",
        3000,
        0x0a7,
        (path_text(), path_text()),
        |(raw, seg)| {
            match outpath::url_path(&raw) {
                Ok(p) => {
                    prop_assert!(p.starts_with('/'));
                    prop_assert_eq!(outpath::url_path(&p), Ok(p.clone()), "not idempotent");
                    let f = outpath::output_file(&p);
                    prop_assert!(outpath::is_safe_rel(&f), "{:?} → {:?} is not safe", raw, f);
                    prop_assert!(stays_inside(&f), "{:?} escapes", f);
                    prop_assert!(!f.contains(['\\', '\0', ':']));
                    // A pager under it, as sections write them.
                    if let Ok(s) = outpath::segment(&seg) {
                        let pager = outpath::output_file(&format!(
                            "{}{s}/2/",
                            p.trim_end_matches(|c| c != '/')
                        ));
                        prop_assert!(outpath::is_safe_rel(&pager), "{:?}", pager);
                    }
                }
                Err(_) => {
                    let bad = raw
                        .split('/')
                        .filter(|s| !s.is_empty())
                        .any(|s| outpath::segment(s).is_err());
                    prop_assert!(bad, "{:?} refused, yet every segment is fine", raw);
                }
            }
            if let Ok(s) = outpath::segment(&seg) {
                prop_assert!(!s.contains('/') && outpath::is_safe_rel(s), "{:?}", s);
            }
            if outpath::is_safe_rel(&raw) {
                prop_assert!(stays_inside(&raw), "{:?} is called safe", raw);
                prop_assert!(!raw.contains(['\\', '\0', ':']));
            }
            Ok(())
        },
    );
}

#[test]
fn fuzz_manifest_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".fascia-manifest.json");
    let entries = proptest::collection::btree_map(path_text(), "[0-9a-f]{16}", 0..6);
    fuzz(
        "manifest load",
        1000,
        0x3a41f,
        (entries, mutations(3)),
        |(map, muts)| {
            let json = serde_json::to_string(&map).unwrap();
            let text = mutate(json.as_bytes(), &muts);
            std::fs::write(&path, &text).unwrap();
            match read_manifest(&path) {
                Ok(Some(read)) => {
                    for k in read.keys() {
                        prop_assert!(check_rel(k).is_ok(), "manifest entry {:?} accepted", k);
                        prop_assert!(stays_inside(k));
                    }
                    if text == json.as_bytes() {
                        prop_assert_eq!(read, map);
                    }
                }
                Ok(None) => prop_assert!(false, "an existing manifest read as missing"),
                Err(why) => {
                    if text == json.as_bytes() {
                        prop_assert!(
                            map.keys().any(|k| check_rel(k).is_err()),
                            "a good manifest refused: {}",
                            why
                        );
                    }
                }
            }
            Ok(())
        },
    );
}

fn json_value() -> impl Strategy<Value = Value> {
    let text = prop_oneof![
        any::<String>(),
        "(</script>|<!--|-->|</|\u{2028}|\u{2029}|&|<|>|[a-z ]|\\\\|\"|')*",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop_oneof![Just(0.5), Just(-1.25), Just(1e10)].prop_map(Value::from),
        text.clone().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("(</script>|<|&|\u{2028}|[a-z@])*", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn fuzz_jsonld_escaper() {
    fuzz("JSON-LD script_json", 1500, 0x150d, json_value(), |value| {
        let out = script_json(&value);
        prop_assert!(!out.contains("</"), "{}", out);
        prop_assert!(!out.contains(['<', '>', '\u{2028}', '\u{2029}']), "{}", out);
        let back: Value =
            serde_json::from_str(&out).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, value);
        Ok(())
    });
}

/// The "more" anchor and heading ids share one namespace: a heading called
/// "Continue reading" must not give the page two elements with one id.
#[test]
fn more_anchor_id_is_unique() {
    let text = "Intro.\n\n<!-- more -->\n\n## Continue reading\n\nRest.\n";
    let options = MarkdownConfig::default();
    let cx = MarkdownContext::plain(&options, &|_| None);
    let r = markdown::render(text, 0, &cx);
    assert_eq!(
        r.html.matches("id=\"continue-reading\"").count(),
        1,
        "{}",
        r.html
    );
}
