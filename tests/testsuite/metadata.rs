//! Cross-linking computed from metadata, checked on the built output:
//! "Also interesting", FAQ and its JSON-LD, breadcrumbs and backlinks.

use std::path::Path;

use crate::common::*;
use serde_json::Value;

/// Builds the bundled guide site into a temp folder.
fn bundled() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let t = SiteTest::empty();
    let o = t.run(&[
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, out)
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = html.find(start)? + start.len();
    let j = html[i..].find(end)? + i;
    Some(&html[i..j])
}

fn json_ld(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            serde_json::from_str(&rest[..rest.find("</script>").unwrap()]).expect("valid JSON-LD")
        })
        .collect()
}

fn text(html: &str) -> String {
    fascia::markdown::html_to_text(html)
}

fn articles(out: &Path) -> Vec<(String, std::path::PathBuf)> {
    let mut v = Vec::new();
    for section in SECTIONS {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content")
            .join(section);
        for e in std::fs::read_dir(src).unwrap() {
            let p = e.unwrap().path();
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            if stem != "_index" {
                v.push((
                    format!("{section}/{stem}"),
                    out.join(section).join(&stem).join("index.html"),
                ));
            }
        }
    }
    v.sort();
    v
}

#[test]
fn every_article_has_at_least_three_related_entries_with_hand_picked_first() {
    let (_d, out) = bundled();
    for (key, file) in articles(&out) {
        let html = std::fs::read_to_string(&file).unwrap();
        let block = between(&html, "<section class=\"related\"", "</section>")
            .unwrap_or_else(|| panic!("{key}: no Also interesting"));
        assert!(block.contains("Also interesting"));
        let links: Vec<String> = attr_values(block, "href");
        assert!(links.len() >= 3, "{key}: {} related", links.len());
        for l in &links {
            let rel = l.strip_prefix("https://example.org/").unwrap();
            assert!(
                out.join(rel).join("index.html").is_file(),
                "{key}: {l} is not a page"
            );
            assert!(
                !rel.trim_end_matches('/').ends_with(&key),
                "{key} lists itself"
            );
        }
        let src = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("content")
                .join(format!("{key}.md")),
        )
        .unwrap();
        let front: toml::Table = toml::from_str(src.split("+++").nth(1).unwrap()).unwrap();
        let picked: Vec<String> = front
            .get("related")
            .and_then(|r| r.as_array())
            .map(|a| {
                a.iter()
                    .map(|v| {
                        v.as_str()
                            .unwrap()
                            .trim_start_matches("@/")
                            .trim_end_matches(".md")
                            .to_string()
                            + "/"
                    })
                    .collect()
            })
            .unwrap_or_default();
        for (i, p) in picked.iter().enumerate() {
            assert!(
                links[i].ends_with(p.as_str()),
                "{key}: entry {i} is {} but {p} was hand-picked",
                links[i]
            );
        }
    }
}

#[test]
fn faq_json_ld_matches_the_visible_faq_one_to_one() {
    let (_d, out) = bundled();
    let mut pages_with_faq = 0;
    for (key, file) in articles(&out) {
        let html = std::fs::read_to_string(&file).unwrap();
        let Some(faq_ld) = json_ld(&html).into_iter().find(|v| v["@type"] == "FAQPage") else {
            assert!(
                !html.contains("class=\"faq\""),
                "{key}: visible FAQ without JSON-LD"
            );
            continue;
        };
        pages_with_faq += 1;
        let visible: Vec<(String, String)> = html
            .split("<details>")
            .skip(1)
            .map(|d| {
                let q = text(between(d, "<summary>", "</summary>").unwrap());
                let a = text(between(d, "<div class=\"answer\">", "</div>").unwrap());
                (q, a)
            })
            .collect();
        let ld: Vec<(String, String)> = faq_ld["mainEntity"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                (
                    q["name"].as_str().unwrap().to_string(),
                    q["acceptedAnswer"]["text"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(visible, ld, "{key}");
        assert!(ld.len() >= 3, "{key}");
    }
    assert!(pages_with_faq >= 16);
}

#[test]
fn article_json_ld_breadcrumbs_and_head_tags() {
    let (_d, out) = bundled();
    let html = std::fs::read_to_string(out.join("conditions/knee-pain/index.html")).unwrap();
    let docs = json_ld(&html);
    // A health page: MedicalWebPage in place of Article, with the same core fields.
    let article = docs
        .iter()
        .find(|v| v["@type"] == "MedicalWebPage")
        .expect("MedicalWebPage");
    assert_eq!(article["headline"], "Knee pain");
    assert!(article["datePublished"]
        .as_str()
        .unwrap()
        .starts_with("2026-"));
    assert!(
        article["dateModified"].is_string()
            && article["publisher"]["name"].is_string()
            && article["author"]["name"].is_string()
    );
    let crumbs = docs
        .iter()
        .find(|v| v["@type"] == "BreadcrumbList")
        .expect("BreadcrumbList");
    let names: Vec<&str> = crumbs["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.last(), Some(&"Knee pain"));
    assert!(names.contains(&"Conditions"));
    assert!(html.contains("aria-label=\"Breadcrumb\""));
    for tag in [
        "rel=\"canonical\" href=\"https://example.org/conditions/knee-pain/\"",
        "name=\"description\"",
        "property=\"og:title\"",
        "name=\"twitter:card\"",
    ] {
        assert!(html.contains(tag), "missing {tag}");
    }
}

#[test]
fn backlinks_list_the_pages_that_link_here() {
    let (_d, out) = bundled();
    let html = std::fs::read_to_string(out.join("guides/safety-when-not-to-self-treat/index.html"))
        .unwrap();
    let block = between(&html, "<section class=\"backlinks\"", "</section>").expect("Mentioned in");
    assert!(block.contains("Mentioned in"));
    assert!(attr_values(block, "href").len() >= 3);
}

#[test]
fn site_wide_faq_page_groups_questions_by_section_and_links_back() {
    let (_d, out) = bundled();
    let html = std::fs::read_to_string(out.join("faq/index.html")).unwrap();
    for section in ["Triggering", "Acupressure", "Conditions", "Guides"] {
        assert!(
            html.contains(&format!(">{section}</h2>")),
            "no group {section}"
        );
    }
    assert!(html.contains("https://example.org/conditions/knee-pain/"));
    assert!(html.matches("<details").count() >= 60);
}

/// `[faq] paginate_by` splits the FAQ page, built from the site folder as
/// README says: every question shows once, in the unpaginated order, and
/// each pager links to its neighbours under `paginate_path`.
#[test]
fn faq_pages_paginate_with_the_faq_settings() {
    let t = SiteTest::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "themes"] {
        copy_dir(&repo.join(dir), &t.root().join(dir));
    }
    let config = std::fs::read_to_string(repo.join("site.toml")).unwrap();
    t.write("site.toml", &config);
    t.build_ok(&[]);
    let summaries = |html: &str| -> Vec<String> {
        html.split("<summary>")
            .skip(1)
            .map(|s| s[..s.find("</summary>").unwrap()].to_string())
            .collect()
    };
    let all = summaries(&t.read("faq/index.html"));
    assert!(all.len() > 25, "{} questions", all.len());

    t.write(
        "site.toml",
        format!("{config}\n[faq]\npaginate_by = 25\npaginate_path = \"seite\"\n"),
    );
    t.build_ok(&[]);
    let pagers = all.len().div_ceil(25);
    let mut shown = Vec::new();
    for n in 1..=pagers {
        let rel = if n == 1 {
            "faq/index.html".to_string()
        } else {
            format!("faq/seite/{n}/index.html")
        };
        let html = t.read(&rel);
        let here = summaries(&html);
        assert_eq!(
            here.len(),
            if n < pagers {
                25
            } else {
                all.len() - 25 * (pagers - 1)
            }
        );
        shown.extend(here);
        let nav = between(&html, "<nav class=\"pagination\"", "</nav>").expect(&rel);
        if n > 1 {
            assert!(nav.contains("rel=\"prev\""), "{rel}");
            assert!(
                html.contains(&format!(", page {n} of {pagers}</span></h1>")),
                "{rel}"
            );
        }
        if n < pagers {
            let next = format!("https://example.org/faq/seite/{}/\" rel=\"next\"", n + 1);
            assert!(nav.contains(&next), "{rel}: {nav}");
        }
    }
    assert_eq!(shown, all);
    assert!(!t
        .public()
        .join(format!("faq/seite/{}", pagers + 1))
        .exists());
}

#[test]
fn a_hostile_faq_answer_stays_inside_its_json_string() {
    let t = SiteTest::fixture("basic");
    t.write(
        "content/hostile.md",
        "+++\ntitle = \"Hostile\"\n[[faq]]\nquestion = \"Is <b>this</b> safe?\"\nanswer = \"</script><script>alert(1)</script> & \\u2028 done\"\n+++\n\nBody.\n",
    );
    t.build_ok(&[]);
    let html = t.read("hostile/index.html");
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script type=\"application/ld+json\">")
            .count(),
        "an extra script element appeared"
    );
    assert!(!html.contains("<script>alert(1)"));
    let faq = json_ld(&html)
        .into_iter()
        .find(|v| v["@type"] == "FAQPage")
        .unwrap();
    let answer = faq["mainEntity"][0]["acceptedAnswer"]["text"]
        .as_str()
        .unwrap();
    assert!(
        answer.contains("</script><script>alert(1)</script>"),
        "{answer}"
    );
    assert_eq!(faq["mainEntity"][0]["name"], "Is <b>this</b> safe?");
}

#[test]
fn related_is_deterministic_and_never_self_or_draft() {
    let t = SiteTest::fixture("basic");
    t.build_ok(&["--drafts", "--output", "a"]);
    t.build_ok(&["--drafts", "--output", "b"]);
    let a = snapshot(&t.root().join("a"));
    let b = snapshot(&t.root().join("b"));
    let strip =
        |m: std::collections::BTreeMap<std::path::PathBuf, (u64, std::time::SystemTime)>,
         base: &Path| {
            m.into_iter()
                .map(|(k, v)| (k.strip_prefix(base).unwrap().to_path_buf(), v.0))
                .collect::<Vec<_>>()
        };
    assert_eq!(strip(a, &t.root().join("a")), strip(b, &t.root().join("b")));
    let html = std::fs::read_to_string(t.root().join("a/conditions/neck-pain/index.html")).unwrap();
    let related = between(&html, "<ul>", "</ul>").unwrap();
    assert!(!related.contains("neck-pain/\""), "lists itself");
    assert!(!related.contains("draft-page"), "lists a draft");
}

#[test]
fn every_health_page_of_the_bundled_site_has_valid_medical_web_page_json_ld() {
    let (_d, out) = bundled();
    let mut checked = 0;
    for (key, file) in articles(&out) {
        let html = std::fs::read_to_string(&file).unwrap();
        let docs = json_ld(&html);
        let page = docs
            .iter()
            .find(|v| v["@type"] == "MedicalWebPage")
            .unwrap_or_else(|| panic!("{key}: no MedicalWebPage"));
        assert!(page["lastReviewed"].is_string(), "{key}");
        assert!(page["reviewedBy"]["name"].is_string(), "{key}");
        assert!(
            page["citation"].as_array().is_some_and(|c| c.len() >= 2),
            "{key}"
        );
        for doc in &docs {
            let problems = crate::schemaorg::validate::validate(doc, crate::schemaorg::vocab());
            assert!(problems.is_empty(), "{key}: {problems:?}");
        }
        // The page shows what the JSON-LD says.
        assert!(html.contains("class=\"review-line\""), "{key}");
        assert!(
            html.contains("<h2 id=\"references-title\">References</h2>"),
            "{key}"
        );
        checked += 1;
    }
    assert!(checked >= 26, "only {checked} health pages");
    // Condition pages describe their condition and its anatomy.
    let knee = std::fs::read_to_string(out.join("conditions/knee-pain/index.html")).unwrap();
    let docs = json_ld(&knee);
    let page = docs
        .iter()
        .find(|v| v["@type"] == "MedicalWebPage")
        .unwrap();
    assert_eq!(page["about"]["@type"], "MedicalCondition");
    assert!(page["about"]["associatedAnatomy"].is_array(), "{page}");
}
