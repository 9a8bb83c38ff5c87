//! The findings of the hardening review, one test each (or more): every test
//! here failed before its fix. Messages of new diagnostic codes are snapshots
//! in `diagnostics`; these check the behaviour around them.

use std::time::{Duration, Instant};

use crate::common::*;

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
