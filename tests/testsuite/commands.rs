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
fn help_and_version() {
    let t = SiteTest::empty();
    let out = t.run(&["--help"]);
    assert!(stdout(&out).contains("build"));
    let out = t.run(&["--version"]);
    assert!(stdout(&out).starts_with("fascia "));
}
