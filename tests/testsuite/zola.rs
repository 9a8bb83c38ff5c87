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
