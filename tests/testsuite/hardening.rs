//! The findings of the hardening review, one test each (or more): every test
//! here failed before its fix. Messages of new diagnostic codes are snapshots
//! in `diagnostics`; these check the behaviour around them.

use std::time::{Duration, Instant};

use crate::common::*;

/// `fascia check`, expecting failure; returns stderr.
fn check_fails(t: &SiteTest) -> String {
    let out = t.run(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "check passed:\n{}",
        stderr(&out)
    );
    stderr(&out)
}

/// L1: the column of a problem far into a long line counts the whole line,
/// not the window of it that is shown.
#[test]
fn the_column_of_a_problem_on_a_long_line_is_its_column_in_the_line() {
    let t = SiteTest::fixture("basic");
    let padding = "word ".repeat(40); // 200 bytes
    t.edit(
        "content/about.md",
        "About this site.",
        &format!("About this site.\n\n{padding}[x](@/nope.md)"),
    );
    let err = check_fails(&t);
    // Line 9 of about.md; the link starts after 200 bytes of words.
    assert!(err.contains("content/about.md:9:201"), "{err}");
}

/// L2: unique heading ids take linear time (16,000 equal headings took 11 s).
#[test]
fn many_equal_headings_get_ids_in_linear_time() {
    let t = SiteTest::fixture("basic");
    t.write(
        "content/conditions/many.md",
        format!(
            "+++\ntitle = \"Many\"\n+++\n{}",
            "## Same\n\n".repeat(16_000)
        ),
    );
    let started = Instant::now();
    t.build_ok(&[]);
    let took = started.elapsed();
    let html = t.read("conditions/many/index.html");
    assert!(html.contains("id=\"same-15999\""));
    assert!(!html.contains("id=\"same-16000\""));
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

/// L3: an anchor inside a FAQ answer is checked like one in the body.
#[test]
fn anchors_in_faq_answers_are_checked() {
    let t = SiteTest::fixture("basic");
    t.edit(
        "content/conditions/neck-pain.md",
        "back-pain.md#when-to-see-a-doctor).\"",
        "back-pain.md#when-to-call).\"",
    );
    let err = check_fails(&t);
    assert!(err.contains("link::missing-anchor"), "{err}");
    assert!(err.contains("`#when-to-call` is not a heading id"), "{err}");
    assert!(err.contains("content/conditions/neck-pain.md:"), "{err}");
    assert!(
        err.contains("did you mean `#when-to-see-a-doctor`"),
        "{err}"
    );
}
