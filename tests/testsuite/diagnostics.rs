//! One broken site per diagnostic code, with the message users see kept as an
//! insta snapshot: file, line and column, the offending line, and the hint.

use crate::common::*;

/// Runs `fascia check` on the broken fixture and returns what it printed, with the temp path hidden.
fn check(t: &SiteTest) -> String {
    let out = t.run(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "check should fail:\n{}",
        stderr(&out)
    );
    stderr(&out).replace(&t.root().display().to_string(), "[ROOT]")
}

macro_rules! case {
    ($name:ident, |$t:ident| $setup:block) => {
        #[test]
        fn $name() {
            let $t = SiteTest::fixture("basic");
            $setup
            insta::assert_snapshot!(stringify!($name), check(&$t));
        }
    };
}

case!(toml_unknown_field, |t| {
    t.edit("content/conditions/back-pain.md", "title = ", "tittle = ");
});
case!(toml_unterminated_string, |t| {
    t.edit(
        "content/conditions/back-pain.md",
        "title = \"Back pain\"",
        "title = \"Back pain",
    );
});
case!(toml_bad_date, |t| {
    t.edit(
        "content/conditions/back-pain.md",
        "date = 2026-02-01",
        "date = \"next spring\"",
    );
});
case!(yaml_unknown_field, |t| {
    t.edit("content/about.md", "title: About", "titel: About");
});
case!(yaml_syntax, |t| {
    t.edit("content/about.md", "title: About", "title: [About");
});
case!(front_matter_missing, |t| {
    t.write("content/notes.md", "# Notes\n\nNo front matter here.\n");
});
case!(front_matter_fence, |t| {
    t.write("content/notes.md", "+++ title = \"Notes\"\n+++\n");
});
case!(front_matter_unclosed, |t| {
    t.write("content/notes.md", "+++\ntitle = \"Notes\"\n\nBody.\n");
});
case!(input_not_utf8, |t| {
    t.write(
        "content/notes.md",
        b"+++\ntitle = \"Caf\xe9\"\n+++\n".as_slice(),
    );
});
case!(config_unknown_key, |t| {
    t.edit("site.toml", "description", "desciption");
});
case!(config_base_url, |t| {
    t.edit("site.toml", "https://example.org", "example.org");
});
case!(config_taxonomy_twice, |t| {
    t.edit(
        "site.toml",
        "{ name = \"body_areas\" }",
        "{ name = \"tags\" }",
    );
});
case!(content_duplicate_path, |t| {
    t.write(
        "content/conditions/neck.md",
        "+++\ntitle = \"Neck\"\npath = \"conditions/neck-pain\"\n+++\n",
    );
});
case!(link_missing_page, |t| {
    t.edit(
        "content/conditions/back-pain.md",
        "(@/conditions/neck-pain.md#what-it-feels-like)",
        "(@/conditions/neck.md)",
    );
});
case!(link_missing_anchor, |t| {
    t.edit(
        "content/conditions/back-pain.md",
        "#what-it-feels-like",
        "#how-it-feels",
    );
});
case!(link_to_draft, |t| {
    t.edit(
        "content/about.md",
        "About this site.",
        "See [the draft](@/conditions/draft-page.md).",
    );
});
case!(link_in_faq_answer, |t| {
    t.edit(
        "content/conditions/neck-pain.md",
        "(@/conditions/back-pain.md#when-to-see-a-doctor)",
        "(@/conditions/bak-pain.md)",
    );
});
case!(related_missing_page, |t| {
    t.edit(
        "content/conditions/neck-pain.md",
        "related = [\"@/conditions/back-pain.md\"]",
        "related = [\"conditions/back-pain\"]",
    );
});
case!(taxonomy_unknown, |t| {
    t.edit(
        "content/conditions/back-pain.md",
        "body_areas =",
        "body_area =",
    );
});
case!(template_error, |t| {
    t.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{{ missing_variable }}{% endblock %}",
    );
});
case!(template_syntax, |t| {
    t.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{% if %}{% endblock %}",
    );
});
case!(theme_missing, |t| {
    t.edit(
        "site.toml",
        "title = \"Fixture guide\"",
        "title = \"Fixture guide\"\ntheme = \"calm\"",
    );
});
case!(theme_without_templates, |t| {
    t.edit(
        "site.toml",
        "title = \"Fixture guide\"",
        "title = \"Fixture guide\"\ntheme = \"bare\"",
    );
    std::fs::remove_dir_all(t.root().join("templates")).unwrap();
    std::fs::create_dir_all(t.root().join("themes/bare/templates")).unwrap();
});

#[test]
fn missing_site_toml() {
    let t = SiteTest::empty();
    insta::assert_snapshot!("missing_site_toml", check(&t));
}

#[test]
fn image_without_alt_text_is_a_warning() {
    let t = SiteTest::fixture("basic");
    t.edit(
        "content/conditions/knee-pain/index.md",
        "![A foam roller under the thigh](roller.svg)",
        "![](roller.svg)",
    );
    let out = t.run(&["check"]);
    assert!(out.status.success(), "a warning does not fail the build");
    insta::assert_snapshot!("image_without_alt_text", stderr(&out));
}
