//! Runs the browser suites in tests/browser/ (headless Chromium through
//! puppeteer-core): the theme's accessibility, layout and validity checks on
//! the bundled site, and live reload of `fascia serve`. `scripts/test`
//! installs what they need; see tests/README.md.

use std::path::Path;
use std::process::Command;

/// True when Chromium and the npm packages are present; in CI their absence is a failure.
fn browser_ready() -> bool {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ready = root
        .join("tests/browser/node_modules/puppeteer-core")
        .is_dir()
        && Path::new(&std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()))
            .exists();
    if !ready {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and the npm packages (scripts/test does)"
        );
        eprintln!(
            "browser tests skipped: run scripts/test to install chromium and the npm packages"
        );
    }
    ready
}

fn node(args: &[&str]) {
    let out = Command::new("node")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("node runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    let last = text
        .lines()
        .rev()
        .find(|l| l.contains(" passed, "))
        .unwrap_or("");
    assert!(last.ends_with(" 0 failed"), "{text}");
    eprintln!("{last}");
}

#[test]
fn live_reload_in_chromium() {
    if !browser_ready() {
        return;
    }
    node(&[
        "tests/browser/serve.mjs",
        env!("CARGO_BIN_EXE_fascia"),
        "tests/fixtures/basic",
    ]);
}

#[test]
fn bundled_site_is_accessible_valid_and_responsive_in_chromium() {
    if !browser_ready() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let build = Command::new(env!("CARGO_BIN_EXE_fascia"))
        .args([
            "build",
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "--output",
            public.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    node(&[
        "tests/browser/run.mjs",
        public.to_str().unwrap(),
        "--screenshots",
        shots.to_str().unwrap(),
    ]);
}

#[test]
fn search_finds_guides_under_a_sub_path_in_chromium() {
    if !browser_ready() {
        return;
    }
    node(&[
        "tests/browser/search.mjs",
        env!("CARGO_BIN_EXE_fascia"),
        env!("CARGO_MANIFEST_DIR"),
    ]);
}
