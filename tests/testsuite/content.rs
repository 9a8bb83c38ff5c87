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
fn at_least_sixteen_articles_across_five_sections() {
    let all = articles();
    assert!(all.len() >= 16, "only {} articles", all.len());
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
    assert!(conditions >= 6, "only {conditions} condition pages");
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
fn condition_pages_warn_when_to_see_a_doctor() {
    for a in articles()
        .iter()
        .filter(|a| a.path.parent().unwrap().ends_with("conditions"))
    {
        let warning: String = a
            .body
            .split("> [!WARNING]")
            .nth(1)
            .map(|rest| {
                rest.lines()
                    .take_while(|l| l.starts_with('>') || l.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_else(|| panic!("{}: no > [!WARNING] callout", name(a)));
        let lower = warning.to_lowercase();
        assert!(
            lower.contains("doctor"),
            "{}: the warning does not name a doctor",
            name(a)
        );
        for flag in ["numb", "weak", "fever", "night", "weight", "worse"] {
            assert!(
                lower.contains(flag),
                "{}: the warning lacks the red flag {flag:?}",
                name(a)
            );
        }
    }
}

#[test]
fn pain_that_may_come_from_the_heart_points_to_emergency_care() {
    for a in articles() {
        let lower = a.body.to_lowercase();
        if lower.contains("chest pain") {
            assert!(
                lower.contains("emergency"),
                "{}: mentions chest pain without emergency care",
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
    let out = t.run(&["check", "--root", env!("CARGO_MANIFEST_DIR")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("warning"), "{err}");
}
