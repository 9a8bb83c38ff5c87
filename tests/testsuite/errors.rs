//! Bad input: every error names file, line and column, shows the line, hints
//! at a fix, exits 1 and leaves the previous output byte-for-byte as it was.

use crate::common::*;

/// Builds the fixture once, breaks it with `edit`, and checks the failed build.
fn fails_cleanly(edit: impl Fn(&SiteTest)) -> String {
    let t = SiteTest::fixture("basic");
    t.build_ok(&[]);
    let before = snapshot(&t.public());
    edit(&t);
    let err = t.build_err(&[]);
    assert_eq!(
        before,
        snapshot(&t.public()),
        "a failed build changed the output"
    );
    assert!(err.contains("was not changed"), "{err}");
    let staging: Vec<_> = std::fs::read_dir(t.root())
        .unwrap()
        .chain(std::fs::read_dir(t.public()).into_iter().flatten())
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(staging.is_empty(), "staging folder left behind");
    err
}

#[test]
fn unterminated_toml_string() {
    let err = fails_cleanly(|t| {
        t.edit(
            "content/conditions/back-pain.md",
            "title = \"Back pain\"",
            "title = \"Back pain",
        );
    });
    assert!(err.contains("content/conditions/back-pain.md:2:"), "{err}");
    assert!(err.contains("title = \"Back pain"), "shows the line: {err}");
    assert!(err.contains("help:"), "{err}");
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let err = fails_cleanly(|t| {
        t.edit("content/conditions/back-pain.md", "title = ", "tittle = ");
    });
    assert!(err.contains("unknown field `tittle`"), "{err}");
    assert!(err.contains("did you mean `title`?"), "{err}");
    assert!(err.contains("content/conditions/back-pain.md:2:1"), "{err}");
}

#[test]
fn link_to_missing_page() {
    let err = fails_cleanly(|t| {
        t.edit(
            "content/conditions/back-pain.md",
            "(@/conditions/neck-pain.md#what-it-feels-like)",
            "(@/conditions/nek-pain.md)",
        );
    });
    assert!(
        err.contains("link to `@/conditions/nek-pain.md`, which does not exist"),
        "{err}"
    );
    assert!(
        err.contains("content/conditions/back-pain.md:13:37"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `@/conditions/neck-pain.md`?"),
        "{err}"
    );
}

#[test]
fn link_to_missing_anchor() {
    let err = fails_cleanly(|t| {
        t.edit(
            "content/conditions/back-pain.md",
            "#what-it-feels-like",
            "#what-it-feels",
        );
    });
    assert!(
        err.contains("`#what-it-feels` is not a heading id"),
        "{err}"
    );
    assert!(err.contains("did you mean `#what-it-feels-like`?"), "{err}");
    assert!(
        err.contains("content/conditions/back-pain.md:13:37"),
        "{err}"
    );
}

#[test]
fn same_page_anchor_is_checked() {
    let err = fails_cleanly(|t| {
        t.edit(
            "content/conditions/neck-pain.md",
            "(#self-treatment)",
            "(#self-care)",
        );
    });
    assert!(
        err.contains("`#self-care` is not a heading id on this page"),
        "{err}"
    );
}

#[test]
fn link_to_draft_explains_itself() {
    let err = fails_cleanly(|t| {
        t.edit(
            "content/about.md",
            "About this site.",
            "See [draft](@/conditions/draft-page.md).",
        );
    });
    assert!(err.contains("which is a draft"), "{err}");
    assert!(err.contains("--drafts"), "{err}");
}

#[test]
fn broken_related_entry_and_unknown_taxonomy() {
    let err = fails_cleanly(|t| {
        t.edit(
            "content/conditions/neck-pain.md",
            "@/conditions/back-pain.md\"]",
            "@/conditions/bak-pain.md\"]",
        );
        t.edit(
            "content/conditions/back-pain.md",
            "body_areas =",
            "body_area =",
        );
    });
    assert!(
        err.contains("related entry `@/conditions/bak-pain.md` is not a page"),
        "{err}"
    );
    assert!(err.contains("content/conditions/neck-pain.md:6:"), "{err}");
    assert!(err.contains("`body_area` is not a taxonomy"), "{err}");
    assert!(err.contains("did you mean `body_areas`?"), "{err}");
    // Both reported in one run.
    assert!(err.contains("2 errors"), "{err}");
}

#[test]
fn all_errors_are_reported_together() {
    let err = fails_cleanly(|t| {
        t.edit("content/conditions/back-pain.md", "title = ", "tittle = ");
        t.edit("content/about.md", "title: About", "title: [About");
        t.edit(
            "content/conditions/neck-pain.md",
            "(@/conditions/knee-pain/index.md)",
            "(@/conditions/knee.md)",
        );
    });
    assert!(err.contains("3 errors"), "{err}");
    assert!(err.contains("content/about.md:"), "{err}");
}

#[test]
fn bad_site_toml_key_suggests() {
    let err = fails_cleanly(|t| {
        t.edit("site.toml", "base_url", "base_ur");
    });
    assert!(err.contains("unknown field `base_ur`"), "{err}");
    assert!(err.contains("did you mean `base_url`?"), "{err}");
    assert!(err.contains("site.toml:3:1"), "{err}");
}

#[test]
fn hostile_files_never_panic() {
    let err = fails_cleanly(|t| {
        t.write("content/empty.md", "");
        t.write(
            "content/binary.md",
            [0x2b, 0x2b, 0x2b, 0x0a, 0xff, 0xfe, 0x0a],
        );
        t.write(
            "content/huge.md",
            format!("+++\ntitle = \"{}\n+++\n", "x".repeat(200_000)),
        );
        t.write("content/unclosed.md", "+++\ntitle = \"a\"\n");
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            t.root().join("content"),
            t.root().join("content/conditions/loop"),
        )
        .unwrap();
    });
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("content/empty.md"), "{err}");
    assert!(err.contains("not valid UTF-8"), "{err}");
    assert!(err.contains("content/huge.md:2:"), "{err}");
    assert!(err.contains("never closed"), "{err}");
    #[cfg(unix)]
    assert!(err.contains("symbolic link loop"), "{err}");
    // The huge line is cut to a readable window.
    assert!(err.len() < 20_000, "{}", err.len());
}

#[test]
fn template_errors_name_the_template() {
    let err = fails_cleanly(|t| {
        t.write(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}{{ page.nope }}{% endblock %}",
        );
    });
    assert!(err.contains("templates/page.html"), "{err}");
    assert!(err.contains("nope"), "{err}");
}

#[test]
fn no_color_is_respected_and_output_is_plain() {
    let t = SiteTest::fixture("basic");
    t.edit("content/conditions/back-pain.md", "title = ", "tittle = ");
    let err = t.build_err(&[]);
    assert!(!err.contains('\u{1b}'), "escape codes despite NO_COLOR");
}

#[test]
fn never_writes_into_content() {
    let t = SiteTest::fixture("basic");
    let before = snapshot(&t.root().join("content"));
    let err = t.build_err(&["--output", "content/site"]);
    assert!(
        err.contains("the output folder is inside content/"),
        "{err}"
    );
    assert_eq!(before, snapshot(&t.root().join("content")));
    assert!(!t.root().join("content/site").exists());
}
