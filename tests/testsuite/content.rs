//! The bundled guide site is content with rules: this test walks `content/`
//! so that a content mistake fails CI the way a code mistake does.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::common::{stderr, SiteTest, SECTIONS};

struct Article {
    path: PathBuf,
    front: toml::Table,
    body: String,
}

fn articles() -> Vec<Article> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut out = Vec::new();
    for section in SECTIONS {
        for e in std::fs::read_dir(root.join(section)).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_some_and(|x| x == "md") && !path.ends_with("_index.md") {
                let text = std::fs::read_to_string(&path).unwrap();
                let rest = text.strip_prefix("+++\n").expect("TOML front matter");
                let (front, body) = rest.split_once("\n+++\n").expect("closed front matter");
                out.push(Article {
                    front: toml::from_str(front).unwrap(),
                    body: body.to_string(),
                    path,
                });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(str::to_lowercase)
        .collect()
}

fn name(a: &Article) -> String {
    a.path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .display()
        .to_string()
}

#[test]
fn at_least_twenty_six_articles_across_five_sections() {
    let all = articles();
    assert!(all.len() >= 26, "only {} articles", all.len());
    for s in SECTIONS {
        assert!(
            all.iter().any(|a| a.path.parent().unwrap().ends_with(s)),
            "no article in {s}"
        );
    }
    let conditions = all
        .iter()
        .filter(|a| a.path.parent().unwrap().ends_with("conditions"))
        .count();
    assert!(conditions >= 12, "only {conditions} condition pages");
    // The topics of the seed that once had no page.
    for topic in [
        "conditions/runners-knee.md",
        "conditions/sciatica.md",
        "conditions/migraine.md",
        "conditions/chest-pain.md",
        "guides/foam-rolling-for-sitting-back-pain.md",
    ] {
        assert!(
            all.iter().any(|a| a.path.ends_with(topic)),
            "no article {topic}"
        );
    }
}

/// The callouts of a body: (kind, the text of its `>` lines).
fn callouts(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = body.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(kind) = line
            .strip_prefix("> [!")
            .and_then(|r| r.split_once(']'))
            .map(|(k, _)| k.to_uppercase())
        else {
            continue;
        };
        let mut text = String::new();
        while let Some(l) = lines.next_if(|l| l.starts_with('>')) {
            text.push_str(l.trim_start_matches('>'));
            text.push(' ');
        }
        out.push((kind, text));
    }
    out
}

#[test]
fn health_pages_are_reviewed_and_cite_at_least_two_references() {
    let mut problems = Vec::new();
    for a in articles() {
        let n = name(&a);
        let review = a.front.get("review").and_then(|r| r.as_table());
        if review.and_then(|r| r.get("by")).and_then(|b| b.as_str()) != Some("editorial") {
            problems.push(format!("{n}: no [review] by the editorial team"));
        }
        let refs = a
            .front
            .get("references")
            .and_then(|r| r.as_array())
            .map_or(0, |r| r.len());
        if refs < 2 {
            problems.push(format!("{n}: {refs} references, at least 2 needed"));
        }
        for r in a
            .front
            .get("references")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
        {
            let id = r.get("id").and_then(|i| i.as_str()).unwrap_or("");
            if !a.body.contains(&format!("@{id}")) {
                problems.push(format!("{n}: reference {id} is never cited in the body"));
            }
            let has_source = ["url", "doi", "pmid"].iter().any(|k| r.get(*k).is_some());
            if !has_source {
                problems.push(format!("{n}: reference {id} has no url, doi or pmid"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn callouts_are_short_and_urgency_levels_are_in_order() {
    let mut problems = Vec::new();
    for a in articles() {
        let n = name(&a);
        let found = callouts(&a.body);
        for (kind, text) in &found {
            for sentence in text.split(['.', '!', '?']) {
                let w = words(sentence).len();
                if w >= 30 {
                    problems.push(format!("{n}: a sentence of {w} words in a {kind} callout"));
                }
            }
        }
        let levels: Vec<usize> = found
            .iter()
            .filter_map(|(k, _)| {
                ["EMERGENCY", "URGENT", "DOCTOR"]
                    .iter()
                    .position(|l| l == k)
            })
            .collect();
        if levels.windows(2).any(|w| w[0] > w[1]) {
            problems.push(format!("{n}: urgency callouts out of order: {levels:?}"));
        }
        if a.path.parent().unwrap().ends_with("conditions") && levels.is_empty() {
            problems.push(format!("{n}: a condition page without an urgency callout"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_article_meets_the_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut problems = Vec::new();
    for a in articles() {
        let n = name(&a);
        let desc = a
            .front
            .get("description")
            .and_then(|d| d.as_str())
            .unwrap_or("");
        if desc.is_empty() || desc.chars().count() > 160 {
            problems.push(format!(
                "{n}: description must be 1 to 160 characters ({})",
                desc.chars().count()
            ));
        }
        for field in ["title", "date"] {
            if !a.front.contains_key(field) {
                problems.push(format!("{n}: no {field}"));
            }
        }
        let tax = a.front.get("taxonomies").and_then(|t| t.as_table());
        for t in ["tags", "body_areas", "tools"] {
            let ok = tax
                .and_then(|x| x.get(t))
                .and_then(|v| v.as_array())
                .is_some_and(|v| !v.is_empty());
            if !ok {
                problems.push(format!("{n}: taxonomy {t} missing or empty"));
            }
        }
        let count = words(&a.body).len();
        if count < 500 {
            problems.push(format!("{n}: {count} words, at least 500 needed"));
        }
        let faq = a
            .front
            .get("faq")
            .and_then(|f| f.as_array())
            .map_or(0, |f| f.len());
        if faq < 3 {
            problems.push(format!("{n}: {faq} FAQ entries, at least 3 needed"));
        }
        let targets: HashSet<&str> = a
            .body
            .split("](@/")
            .skip(1)
            .filter_map(|s| s.split([')', '#']).next())
            .collect();
        if targets.len() < 2 {
            problems.push(format!(
                "{n}: {} internal links, at least 2 needed",
                targets.len()
            ));
        }
        for t in &targets {
            if !root.join(t).is_file() {
                problems.push(format!("{n}: link to missing @/{t}"));
            }
        }
        if !a.body.contains("\n## ") {
            problems.push(format!("{n}: no headings to skim"));
        }
        if a.body.lines().any(|l| l.starts_with("# ")) {
            problems.push(format!("{n}: uses an h1; the title is the only h1"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn condition_pages_sort_red_flags_by_urgency() {
    for a in articles()
        .iter()
        .filter(|a| a.path.parent().unwrap().ends_with("conditions"))
    {
        let found = callouts(&a.body);
        assert!(
            found.iter().any(|(k, _)| k == "DOCTOR" || k == "URGENT"),
            "{}: no DOCTOR or URGENT callout",
            name(a)
        );
        // Chest pain, wherever a page names it in a callout, points to
        // emergency care first: an EMERGENCY callout comes before it.
        for (i, (kind, text)) in found.iter().enumerate() {
            if text.to_lowercase().contains("chest pain") {
                assert!(
                    found[..=i].iter().any(|(k, _)| k == "EMERGENCY"),
                    "{}: chest pain in a {kind} callout with no EMERGENCY callout first",
                    name(a)
                );
            }
        }
    }
}

#[test]
fn pain_that_may_come_from_the_heart_points_to_emergency_care() {
    for a in articles() {
        let lower = a.body.to_lowercase();
        if lower.contains("chest pain") {
            assert!(
                a.body.contains("> [!EMERGENCY]"),
                "{}: mentions chest pain without an EMERGENCY callout",
                name(&a)
            );
        }
    }
}

#[test]
fn no_sentence_of_ten_words_is_shared_with_the_seed() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/trigger-point-massage.txt");
    let Ok(seed) = std::fs::read_to_string(&seed) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the seed article must be beside the repository in CI"
        );
        eprintln!("seed article not found; skipped");
        return;
    };
    let seed_words = words(&seed);
    let windows: HashSet<&[String]> = seed_words.windows(10).collect();
    let mut shared = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for e in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_some_and(|x| x == "md") {
            let w = words(&std::fs::read_to_string(e.path()).unwrap());
            for win in w.windows(10) {
                if windows.contains(win) {
                    shared.push(format!("{}: {}", e.path().display(), win.join(" ")));
                }
            }
        }
    }
    assert!(
        shared.is_empty(),
        "shared with the seed:\n{}",
        shared.join("\n")
    );
}

#[test]
fn bundled_site_checks_clean() {
    let t = SiteTest::empty();
    // The content lint at its defaults, plus required callouts for conditions
    // (site.toml), with warnings as errors.
    let out = t.run(&[
        "check",
        "--deny-warnings",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("warning"), "{err}");
}
