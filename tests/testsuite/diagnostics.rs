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
case!(toml_unterminated_multiline_string, |t| {
    t.edit(
        "content/conditions/back-pain.md",
        "description = \"Lower back pain and what may help.\"",
        "description = \"\"\"Lower back pain\nand what may help.",
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
case!(output_collision, |t| {
    t.edit(
        "content/conditions/back-pain.md",
        "date = 2026-02-01",
        "date = 2026-02-01\naliases = [\"/about/\"]",
    );
});
case!(output_collision_with_a_static_file, |t| {
    t.edit(
        "content/conditions/back-pain.md",
        "date = 2026-02-01",
        "date = 2026-02-01\npath = \"style.css\"",
    );
});
case!(template_cycle, |t| {
    t.write(
        "templates/partials/a.html",
        "<p>{% include \"partials/b.html\" %}</p>",
    );
    t.write(
        "templates/partials/b.html",
        "{% include \"partials/a.html\" %}",
    );
});
case!(template_timeout, |t| {
    let config = std::fs::read_to_string(t.root().join("site.toml")).unwrap();
    t.write(
        "site.toml",
        format!("{config}\n[build]\nrender_timeout_ms = 100\n"),
    );
    t.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{% for a in range(end=3000) %}{% for b in range(end=3000) %}{% endfor %}{% endfor %}{% endblock %}",
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
// pest counts columns in characters; the place is found on a later line.
case!(template_syntax_on_a_later_line, |t| {
    t.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n  <p>é {{ x | }}</p>\n{% endblock %}",
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

/// Runs `fascia build ARGS` on the broken fixture, expecting failure; returns stderr with paths hidden.
fn build_fails(t: &SiteTest, args: &[&str]) -> String {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let out = t.run(&all);
    assert_eq!(
        out.status.code(),
        Some(1),
        "build should fail:\n{}",
        stderr(&out)
    );
    stderr(&out).replace(&t.root().display().to_string(), "[ROOT]")
}

#[test]
fn content_missing() {
    let t = SiteTest::fixture("basic");
    std::fs::remove_dir_all(t.root().join("content")).unwrap();
    insta::assert_snapshot!("content_missing", check(&t));
}

#[test]
fn input_read() {
    let err =
        fascia::content::read_source(std::path::Path::new("/nonexistent"), "gone.md".as_ref())
            .unwrap_err();
    assert_eq!(err.code, fascia::diagnostics::Code::InputRead);
    insta::assert_snapshot!("input_read", err.render(false));
}

#[cfg(unix)]
#[test]
fn input_walk_symlink_loop() {
    let t = SiteTest::fixture("basic");
    std::os::unix::fs::symlink("..", t.root().join("content/conditions/loop")).unwrap();
    insta::assert_snapshot!("input_walk_symlink_loop", check(&t));
}

#[test]
fn output_in_content() {
    let t = SiteTest::fixture("basic");
    insta::assert_snapshot!(
        "output_in_content",
        build_fails(&t, &["--output", "content/out"])
    );
}

#[test]
fn output_not_a_folder() {
    let t = SiteTest::fixture("basic");
    t.write("public", "a file where the output folder should be");
    insta::assert_snapshot!("output_not_a_folder", build_fails(&t, &[]));
}

#[test]
fn output_not_ours() {
    let t = SiteTest::fixture("basic");
    t.write("public/notes.txt", "someone else's file");
    insta::assert_snapshot!("output_not_ours", build_fails(&t, &[]));
}

#[test]
fn output_io_file_in_place_of_a_folder() {
    let t = SiteTest::fixture("basic");
    t.build_ok(&[]);
    // Where the next build needs a folder, someone left a file.
    std::fs::remove_dir_all(t.public().join("conditions")).unwrap();
    t.write("public/conditions", "in the way");
    t.edit(
        "content/conditions/back-pain.md",
        "Lower back",
        "Lower back, edited",
    );
    insta::assert_snapshot!("output_io", build_fails(&t, &[]));
}

#[test]
fn theme_read_not_utf8() {
    let t = SiteTest::fixture("basic");
    t.write(
        "templates/page.html",
        b"{{ page.title }} caf\xe9".as_slice(),
    );
    insta::assert_snapshot!("theme_read", check(&t));
}

#[cfg(unix)]
#[test]
fn static_outside_is_a_warning() {
    let t = SiteTest::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        t.root().join("static/secret.txt"),
    )
    .unwrap();
    let out = t.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !t.public().join("secret.txt").exists(),
        "a file outside the site was published"
    );
    insta::assert_snapshot!(
        "static_outside",
        stderr(&out).replace(&t.root().display().to_string(), "[ROOT]")
    );
}

/// A link to nothing in static/ is skipped with a warning; the build goes on.
#[cfg(unix)]
#[test]
fn static_read_dangling_link() {
    let t = SiteTest::fixture("basic");
    std::os::unix::fs::symlink(
        t.root().join("static/nothing-here.css"),
        t.root().join("static/dangling.css"),
    )
    .unwrap();
    let out = t.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!("static_read", stderr(&out));
}

/// A link in content/ to a place outside the site is skipped with a warning.
#[cfg(unix)]
#[test]
fn content_outside_is_a_warning() {
    let t = SiteTest::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("notes.md"), "+++\ntitle = \"x\"\n+++\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("notes.md"),
        t.root().join("content/notes.md"),
    )
    .unwrap();
    let out = t.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!("content_outside", stderr(&out));
}

/// `build` lets go of the content files before rendering; a collision found
/// on the way still points at the field, as `check` does.
#[test]
fn output_collision_in_build_points_at_the_alias() {
    let t = SiteTest::fixture("basic");
    t.edit(
        "content/conditions/back-pain.md",
        "date = 2026-02-01",
        "date = 2026-02-01\naliases = [\"/about/\"]",
    );
    let err = t.build_err(&[]);
    assert!(
        err.contains("content/conditions/back-pain.md:5:13"),
        "no position:\n{err}"
    );
    assert!(
        err.contains("aliases = [\"/about/\"]"),
        "no excerpt:\n{err}"
    );
    assert!(err.contains("this output path is taken"), "{err}");
}
