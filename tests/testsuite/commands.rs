//! `fascia init`, `fascia new`, `--help` and `--version`.

use crate::common::*;

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let t = SiteTest::empty();
    let out = t.run(&["init", "mysite"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = t.root().join("mysite");
    let out = t.run(&["build", "--root", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.join("public/first-steps/index.html").is_file());
    // Never overwrites.
    let again = t.run(&["init", "mysite"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"));
}

#[test]
fn new_starts_a_draft_and_never_overwrites() {
    let t = SiteTest::fixture("basic");
    let out = t.run(&["new", "content/conditions/hip-pain.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(t.root().join("content/conditions/hip-pain.md")).unwrap();
    assert!(text.contains("title = \"Hip pain\""));
    assert!(text.contains("draft = true"));
    assert!(text.contains("date = 20"));
    // It builds (as a draft, left out) and builds with --drafts.
    t.build_ok(&[]);
    assert!(!t.public().join("conditions/hip-pain").exists());
    t.build_ok(&["--drafts"]);
    assert!(t.public().join("conditions/hip-pain/index.html").is_file());
    let again = t.run(&["new", "content/conditions/hip-pain.md"]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(t.root().join("content/conditions/hip-pain.md")).unwrap(),
        text
    );
}

#[test]
fn new_in_a_health_section_starts_a_review_and_shows_a_reference_example() {
    let t = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(t.root().join("site.toml")).unwrap();
    t.write(
        "site.toml",
        format!("{config}\n[health]\nsections = [\"conditions\"]\n\n[reviewers.team]\nname = \"Team\"\nrole = \"Editors\"\n"),
    );
    let out = t.run(&["new", "content/conditions/shin-pain.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(t.root().join("content/conditions/shin-pain.md")).unwrap();
    assert!(
        text.contains("[review]\nby = \"team\"\nlast = 20"),
        "{text}"
    );
    assert!(text.contains("# [[references]]"), "{text}");
    // Outside a health section, no review is started.
    assert!(t.run(&["new", "content/notes.md"]).status.success());
    let notes = std::fs::read_to_string(t.root().join("content/notes.md")).unwrap();
    assert!(!notes.contains("[review]"), "{notes}");
    // The new page builds as it is.
    t.build_ok(&["--drafts"]);
}

#[test]
fn help_and_version() {
    let t = SiteTest::empty();
    let out = t.run(&["--help"]);
    assert!(stdout(&out).contains("build"));
    let out = t.run(&["--version"]);
    assert!(stdout(&out).starts_with("fascia "));
}
