//! `fascia build` and `fascia check` on small fixture sites: output layout,
//! URLs, errors, and the safety rules for the output folder.

use crate::common::*;

#[test]
fn builds_pretty_urls_sections_taxonomies_and_extras() {
    let t = SiteTest::fixture("basic");
    let out = t.build_ok(&[]);
    let line = stdout(&out);
    assert!(
        line.starts_with("Built 4 pages, 2 sections and 6 terms in "),
        "{line}"
    );
    for f in [
        "index.html",
        "conditions/index.html",
        "conditions/page/2/index.html",
        "conditions/neck-pain/index.html",
        "conditions/knee-pain/index.html",
        "conditions/knee-pain/roller.svg",
        "about/index.html",
        "tags/index.html",
        "tags/neck/index.html",
        "tags/neck/atom.xml",
        "body-areas/lower-back/index.html",
        "neck/index.html",
        "old-conditions/index.html",
        "faq/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "style.css",
    ] {
        assert!(t.public().join(f).is_file(), "missing {f}");
    }
    // Drafts stay out.
    assert!(!t.public().join("conditions/draft-page").exists());
    // "Neck" and "neck " are one term.
    assert!(!t.public().join("tags/neck-1").exists());
    let neck_tag = t.read("tags/neck/index.html");
    assert!(neck_tag.contains("Neck pain") && neck_tag.contains("Back pain"));
    // Aliases redirect.
    assert!(t
        .read("neck/index.html")
        .contains("https://example.org/conditions/neck-pain/"));
    assert!(t
        .read("robots.txt")
        .contains("Sitemap: https://example.org/sitemap.xml"));
    assert!(t.read("sitemap.xml").contains(
        "<loc>https://example.org/conditions/neck-pain/</loc><lastmod>2026-03-01</lastmod>"
    ));
    assert!(t
        .read("atom.xml")
        .contains("<id>https://example.org/conditions/neck-pain/</id>"));
}

#[test]
fn markdown_features_render() {
    let t = SiteTest::fixture("basic");
    t.build_ok(&[]);
    let html = t.read("conditions/neck-pain/index.html");
    assert!(html.contains("<h2 id=\"what-it-feels-like\">What it feels like</h2>"));
    assert!(html.contains("class=\"callout callout-warning\" role=\"note\""));
    assert!(
        html.contains("hl-keyword") || html.contains("hl-storage"),
        "code is highlighted"
    );
    assert!(html.contains("<table>"));
    assert!(
        html.contains("href=\"https://example.org/conditions/knee-pain/\""),
        "@/ links resolve"
    );
    assert!(
        html.contains("href=\"https://example.org/conditions/back-pain/#when-to-see-a-doctor\"")
    );
    let knee = t.read("conditions/knee-pain/index.html");
    assert!(knee.contains("alt=\"A foam roller under the thigh\" loading=\"lazy\""));
    let about = t.read("about/index.html");
    assert!(
        about.contains("About this site."),
        "YAML front matter works"
    );
}

/// README: `page.assets` lists a bundle's other files as URL paths, for
/// page templates and for shortcodes alike.
#[test]
fn templates_and_shortcodes_see_a_bundles_assets() {
    let t = SiteTest::fixture("basic");
    t.edit(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>",
        "<h1>{{ page.title }}</h1><p id=\"t\">{{ page.assets | join(sep=\",\") }}</p>",
    );
    t.write(
        "templates/shortcodes/assets.html",
        "<p id=\"s\">{{ page.assets | join(sep=\",\") }}</p>",
    );
    t.write("content/conditions/knee-pain/hold.png", b"not read");
    t.edit(
        "content/conditions/knee-pain/index.md",
        "![A foam roller under the thigh](roller.svg)",
        "![A foam roller under the thigh](roller.svg)\n\n{{ assets() }}",
    );
    t.build_ok(&[]);
    let knee = t.read("conditions/knee-pain/index.html");
    let listed = "/conditions/knee-pain/hold.png,/conditions/knee-pain/roller.svg";
    assert!(
        knee.contains(&format!("<p id=\"t\">{listed}</p>")),
        "{knee}"
    );
    assert!(
        knee.contains(&format!("<p id=\"s\">{listed}</p>")),
        "{knee}"
    );
}

#[test]
fn drafts_flag_includes_drafts() {
    let t = SiteTest::fixture("basic");
    t.build_ok(&["--drafts"]);
    assert!(t
        .public()
        .join("conditions/draft-page/index.html")
        .is_file());
}

#[test]
fn base_url_with_sub_path_is_honoured_everywhere() {
    let t = SiteTest::fixture("basic");
    t.build_ok(&["--base-url", "https://example.org/guides/"]);
    let broken = broken_internal_links(&t.public(), "https://example.org/guides");
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(t
        .read("conditions/neck-pain/index.html")
        .contains("https://example.org/guides/conditions/back-pain/"));
    assert!(t
        .read("sitemap.xml")
        .contains("<loc>https://example.org/guides/conditions/neck-pain/</loc>"));
}

#[test]
fn every_internal_link_and_fragment_lands() {
    let t = SiteTest::fixture("basic");
    t.build_ok(&[]);
    let broken = broken_internal_links(&t.public(), "https://example.org");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn unchanged_rebuild_rewrites_nothing() {
    let t = SiteTest::fixture("basic");
    t.build_ok(&[]);
    let before = snapshot(&t.public());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = t.build_ok(&["-v"]);
    assert!(stderr(&out).contains("0 files written"), "{}", stderr(&out));
    assert_eq!(before, snapshot(&t.public()));
}

#[test]
fn one_edit_rewrites_only_what_changed_and_removes_stale_files() {
    let t = SiteTest::fixture("basic");
    t.build_ok(&[]);
    let old = snapshot(&t.public());
    t.edit("content/about.md", "About this site.", "About this guide.");
    std::fs::remove_file(t.root().join("content/conditions/knee-pain/roller.svg")).unwrap();
    t.build_ok(&[]);
    let new = snapshot(&t.public());
    let about_path = t.public().join("about/index.html");
    assert_ne!(old[&about_path], new[&about_path]);
    let neck = t.public().join("conditions/neck-pain/index.html");
    assert_eq!(old[&neck].1, new[&neck].1, "untouched page keeps its mtime");
    assert!(!t.public().join("conditions/knee-pain/roller.svg").exists());
}

#[test]
fn check_writes_nothing() {
    let t = SiteTest::fixture("basic");
    let out = t.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Checked 4 pages"));
    assert!(!t.public().exists());
}

#[test]
fn refuses_a_non_empty_folder_it_did_not_create() {
    let t = SiteTest::fixture("basic");
    t.write("public/precious.txt", "keep me");
    let before = snapshot(&t.public());
    let err = t.build_err(&[]);
    assert!(err.contains("not created by fascia"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(before, snapshot(&t.public()));
    // --force writes, and still never deletes the user's file.
    t.build_ok(&["--force"]);
    assert_eq!(t.read("precious.txt"), "keep me");
    assert!(t.public().join("index.html").is_file());
}

#[test]
fn quiet_prints_nothing_on_success() {
    let t = SiteTest::fixture("basic");
    let out = t.run(&["-q", "build"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn timings_lists_each_stage() {
    let t = SiteTest::fixture("basic");
    let out = t.build_ok(&["--timings"]);
    let err = stderr(&out);
    for stage in ["load", "parse", "markdown", "metadata", "render", "write"] {
        assert!(err.contains(stage), "{err}");
    }
}

#[test]
fn builds_with_the_embedded_theme_when_the_site_has_no_templates() {
    let t = SiteTest::fixture("basic");
    std::fs::remove_dir_all(t.root().join("templates")).unwrap();
    t.build_ok(&[]);
    let html = t.read("conditions/neck-pain/index.html");
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("Neck pain"));
}

#[test]
fn markdown_options_from_site_toml() {
    let t = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(t.root().join("site.toml")).unwrap();
    t.write(
        "site.toml",
        format!("{config}\n[markdown]\nhighlight_code = false\nsmart_punctuation = false\nexternal_links_target_blank = true\n"),
    );
    t.write("content/links.md", "+++\ntitle = \"Links\"\n+++\n\n\"Quoted\" -- see [a study](https://example.com/study).\n\n```python\nx = 1\n```\n");
    t.build_ok(&[]);
    let html = t.read("links/index.html");
    assert!(
        html.contains(
            "<a href=\"https://example.com/study\" target=\"_blank\" rel=\"noopener\">a study</a>"
        ),
        "{html}"
    );
    assert!(
        html.contains("&quot;Quoted&quot; --") || html.contains("\"Quoted\" --"),
        "no smart punctuation: {html}"
    );
    assert!(!html.contains("hl-"), "no highlighting: {html}");
}

#[test]
fn template_functions_and_filters() {
    let t = SiteTest::fixture("basic");
    t.write(
        "templates/404.html",
        r#"{% extends "base.html" %}{% block content %}
url={{ get_url(path="@/conditions/neck-pain.md#self-treatment") }}
static={{ get_url(path="style.css", cachebust=true) }}
{% set p = get_page(path="conditions/back-pain.md") %}page={{ p.title }}
{% set s = get_section(path="conditions/_index.md") %}section={{ s.pages | length }}
term={{ get_taxonomy_url(kind="tags", name="Neck ") }}
md={{ "**bold** [neck](@/conditions/neck-pain.md)" | markdown(inline=true) | safe }}
cut={{ "one two three four five six seven" | truncate_words(length=14) }}
date={{ "2026-03-01" | date(format="[day] [month repr:long] [year]") }}
{% endblock %}"#,
    );
    t.build_ok(&[]);
    let html = t.read("404.html");
    for want in [
        "url=https://example.org/conditions/neck-pain/#self-treatment",
        "static=https://example.org/style.css?h=",
        "page=Back pain",
        "section=3",
        "term=https://example.org/tags/neck/",
        "md=<strong>bold</strong> <a href=\"https://example.org/conditions/neck-pain/\">neck</a>",
        "cut=one two three…",
        "date=01 March 2026",
    ] {
        assert!(html.contains(want), "missing {want:?} in {html}");
    }
}

#[cfg(unix)]
#[test]
fn an_empty_output_folder_behind_a_link_is_kept_and_filled() {
    let t = SiteTest::fixture("basic");
    let target = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(target.path(), t.root().join("public")).unwrap();
    t.build_ok(&[]);
    assert!(std::fs::symlink_metadata(t.root().join("public"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(target
        .path()
        .join("conditions/neck-pain/index.html")
        .is_file());
}
