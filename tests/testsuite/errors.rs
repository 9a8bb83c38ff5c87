//! What a failed build does: it exits 1, reports every error of the run at
//! once, never panics on hostile files, and leaves the previous output
//! byte-for-byte as it was. The message of each diagnostic code is kept once,
//! as a snapshot, in `diagnostics`; the cases here add what those do not show.

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

/// A near miss gets a `did you mean` hint (the snapshot of `link_missing_anchor` lists the ids).
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

/// An anchor on the page itself is checked too: a warning by default (see
/// `zola::github_style_fragments_warn_and_the_build_succeeds`), an error with
/// `[link_checker] internal_level = "error"`.
#[test]
fn same_page_anchor_is_checked() {
    let err = fails_cleanly(|t| {
        t.edit(
            "content/conditions/neck-pain.md",
            "(#self-treatment)",
            "(#self-care)",
        );
        let config = std::fs::read_to_string(t.root().join("site.toml")).unwrap();
        t.write(
            "site.toml",
            format!("{config}\n[link_checker]\ninternal_level = \"error\"\n"),
        );
    });
    assert!(
        err.contains("`#self-care` is not a heading id on this page"),
        "{err}"
    );
}

/// Two errors of two kinds in two files, both in one run; the related entry is an
/// `@/` path to no page (the snapshot of `related_missing_page` has no `@/`).
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
