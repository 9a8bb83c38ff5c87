//! Zola sites move in unchanged: front matter as Zola reads it, its
//! `config.toml`, link checking levels, shortcodes and template data.

use crate::common::*;

/// `fascia check` on a site that should fail; stderr.
fn check_err(t: &SiteTest) -> String {
    let out = t.run(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "check should fail:\n{}",
        stderr(&out)
    );
    stderr(&out)
}

#[test]
fn front_matter_after_blank_lines_builds_and_errors_keep_their_place() {
    let t = SiteTest::fixture("basic");
    t.write(
        "content/notes.md",
        "\n\n  \n+++\ntitle = \"Notes\"\n+++\n\nBody.\n",
    );
    t.build_ok(&[]);
    assert!(t.read("notes/index.html").contains("Body."));
    t.write(
        "content/notes.md",
        "\n\n  \n+++\ntitle = \"Notes\"\ntittle = \"x\"\n+++\n",
    );
    let err = check_err(&t);
    assert!(err.contains("content/notes.md:6:1"), "{err}");
    assert!(err.contains("did you mean `title`?"), "{err}");
}

#[test]
fn spaces_and_tabs_after_fences_are_accepted_and_errors_keep_their_place() {
    let t = SiteTest::fixture("basic");
    t.write(
        "content/notes.md",
        "+++   \ntitle = \"Notes\"\n+++ \t \n\nBody.\n",
    );
    t.build_ok(&[]);
    assert!(t.read("notes/index.html").contains("Body."));
    t.write(
        "content/notes.md",
        "+++\t\ntitle = \"Notes\"\ndate = \"soon\"\n+++   \n",
    );
    let err = check_err(&t);
    assert!(err.contains("content/notes.md:3:8"), "{err}");
    // YAML the same way.
    t.write(
        "content/notes.md",
        "\n---  \ntitle: Notes\ntitel: x\n---\t\n",
    );
    let err = check_err(&t);
    assert!(err.contains("content/notes.md:4:1"), "{err}");
}

#[test]
fn crlf_files_build_and_errors_keep_their_place() {
    let t = SiteTest::fixture("basic");
    t.write(
        "content/notes.md",
        "\r\n+++ \r\ntitle = \"Notes\"\r\n+++ \r\n\r\n## A heading\r\n\r\nBody [here](#a-heading).\r\n",
    );
    t.build_ok(&[]);
    let html = t.read("notes/index.html");
    assert!(html.contains("id=\"a-heading\""), "{html}");
    t.write(
        "content/notes.md",
        "+++\r\ntitle = \"Notes\"\r\n\r\nweight = \"heavy\"\r\n+++\r\n",
    );
    let err = check_err(&t);
    assert!(err.contains("content/notes.md:4:10"), "{err}");
    t.write(
        "content/notes.md",
        "---\r\ntitle: Notes\r\ntitel: x\r\n---\r\n",
    );
    let err = check_err(&t);
    assert!(err.contains("content/notes.md:3:1"), "{err}");
}

const GITHUB_STYLE: &str = "+++\ntitle = \"Notes\"\n+++\n\n## ✨ Features\n\nSee [features](#-features) and [more](#features).\n";

#[test]
fn github_style_fragments_warn_and_the_build_succeeds() {
    let t = SiteTest::fixture("basic");
    t.write("content/notes.md", GITHUB_STYLE);
    let out = t.build_ok(&[]);
    let err = stderr(&out);
    assert!(
        err.contains(
            "warning[link::missing-anchor]: `#-features` is not a heading id on this page"
        ),
        "{err}"
    );
    assert!(err.contains("content/notes.md:7:5"), "{err}");
    // fascia (like Zola) spells the emoji out where GitHub drops it.
    assert!(err.contains("did you mean `#sparkles-features`?"), "{err}");
    assert!(t
        .read("notes/index.html")
        .contains("<h2 id=\"sparkles-features\">"));
}

#[test]
fn internal_level_sets_how_missing_anchors_are_reported() {
    let t = SiteTest::fixture("basic");
    t.write("content/notes.md", GITHUB_STYLE);
    let config = std::fs::read_to_string(t.root().join("site.toml")).unwrap();
    t.write(
        "site.toml",
        format!("{config}\n[link_checker]\ninternal_level = \"error\"\n"),
    );
    let err = t.build_err(&[]);
    assert!(
        err.contains("error[link::missing-anchor]: `#-features`"),
        "{err}"
    );

    // "warn" also covers `@/page.md#anchor`, an error by default.
    t.write(
        "site.toml",
        format!("{config}\n[link_checker]\ninternal_level = \"warn\"\n"),
    );
    t.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n\n[a](@/about.md#nowhere)\n",
    );
    let err = stderr(&t.build_ok(&[]));
    assert!(
        err.contains("warning[link::missing-anchor]: `#nowhere`"),
        "{err}"
    );
    // A missing page stays an error whatever the level.
    t.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n\n[a](@/nowhere.md)\n",
    );
    let err = t.build_err(&[]);
    assert!(err.contains("error[link::missing-page]"), "{err}");
}

#[test]
fn slugify_anchors_follows_zola() {
    let t = SiteTest::fixture("zola");
    t.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n\n## Hello World (2)?\n\n[x](#Hello_World_2)\n",
    );
    t.edit("config.toml", "anchors = \"on\"", "anchors = \"safe\"");
    let err = stderr(&t.build_ok(&[]));
    assert!(!err.contains("#Hello_World_2"), "{err}");
    assert!(t.read("notes/index.html").contains("id=\"Hello_World_2\""));
    t.edit("config.toml", "anchors = \"safe\"", "anchors = \"off\"");
    t.build_ok(&[]);
    assert!(t
        .read("notes/index.html")
        .contains("id=\"Hello World (2)?\""));
    t.edit("config.toml", "anchors = \"off\"", "anchors = \"on\"");
    t.build_ok(&[]);
    assert!(t.read("notes/index.html").contains("id=\"hello-world-2\""));
}

#[test]
fn a_config_toml_only_site_builds_with_one_warning_per_ignored_key() {
    let t = SiteTest::fixture("zola");
    assert!(!t.root().join("site.toml").exists());
    let err = stderr(&t.build_ok(&[]));
    // compile_sass, build_search_index and highlight_theme: one warning each.
    for key in [
        "compile_sass",
        "build_search_index",
        "markdown.highlight_theme",
    ] {
        let needle = format!("warning[config::zola-unsupported]: `{key}` in config.toml");
        assert_eq!(err.matches(&needle).count(), 1, "{key}:\n{err}");
    }
    assert!(err.contains("config.toml:7:1"), "{err}");
    assert_eq!(err.matches("config::zola-unsupported]").count(), 3, "{err}");
    // The GitHub-style fragment only warns (internal_level = "warn").
    assert!(
        err.contains("warning[link::missing-anchor]: `#-features`"),
        "{err}"
    );
    // Mapped keys: language, title, external link rel, taxonomy feeds, extra.
    let first = t.read("blog/first/index.html");
    assert!(first.contains("<html lang=\"en\""), "{first}");
    assert!(first.contains("Zola fixture"), "{first}");
    assert!(t.root().join("public/tags/intro/atom.xml").exists());
    assert!(t
        .read("atom.xml")
        .contains("https://zola.example.org/blog/first/"));
}

#[test]
fn init_from_zola_writes_an_equivalent_site_toml() {
    let t = SiteTest::fixture("zola");
    let out = t.run(&["init", "--from-zola", "."]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = std::fs::read_to_string(t.root().join("site.toml")).unwrap();
    assert!(site.contains("language = \"en\""), "{site}");
    assert!(
        site.contains("# Ignored (config.toml:7:1): `compile_sass`"),
        "{site}"
    );
    assert!(site.contains("internal_level = \"warn\""), "{site}");
    // With site.toml in place, config.toml is no longer read: no warnings about it.
    let err = stderr(&t.build_ok(&[]));
    assert!(!err.contains("zola-unsupported"), "{err}");
    assert!(t.read("blog/first/index.html").contains("Zola fixture"));
    // Never overwrites.
    let again = t.run(&["init", "--from-zola", "."]);
    assert_eq!(again.status.code(), Some(1));
}
