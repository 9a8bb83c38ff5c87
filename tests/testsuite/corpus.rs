//! The shared 1,000-page benchmark corpus builds completely: every page is
//! written, every internal link and fragment lands, at the root and under a
//! sub-path, and two builds give identical bytes.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

fn corpus_script() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/corpus.py");
    if p.is_file() {
        return Some(p);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have ../shared/bench/corpus.py beside the repository"
    );
    eprintln!("corpus.py not found beside the repository; skipped");
    None
}

#[test]
fn thousand_page_corpus_builds_with_every_link_landing() {
    let Some(script) = corpus_script() else {
        return;
    };
    let t = SiteTest::empty();
    let site = t.root().join("corpus");
    let made = Command::new("python3")
        .arg(&script)
        .args([
            "--flavor",
            "fascia",
            "--pages",
            "1000",
            "--out",
            site.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(made.success());

    for (base, out) in [
        ("https://example.org", "root"),
        ("https://example.org/guides/", "sub"),
        ("https://example.org", "again"),
    ] {
        let o = t.run(&[
            "build",
            "--root",
            site.to_str().unwrap(),
            "--output",
            t.root().join(out).to_str().unwrap(),
            "--base-url",
            base,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).starts_with("Built 1000 pages"), "{}", stdout(&o));
    }
    let root = t.root().join("root");
    for section in SECTIONS {
        let pages = std::fs::read_dir(root.join(section))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("guide-")
            })
            .count();
        assert_eq!(pages, 200, "{section}");
    }
    let broken = broken_internal_links(&root, "https://example.org");
    assert!(
        broken.is_empty(),
        "{} broken, e.g. {:#?}",
        broken.len(),
        &broken[..broken.len().min(5)]
    );
    let broken = broken_internal_links(&t.root().join("sub"), "https://example.org/guides");
    assert!(
        broken.is_empty(),
        "{} broken under a sub-path, e.g. {:#?}",
        broken.len(),
        &broken[..broken.len().min(5)]
    );

    // Deterministic: the same input gives the same bytes.
    let hashes = |dir: &Path| {
        snapshot(dir)
            .into_iter()
            .map(|(k, v)| (k.strip_prefix(dir).unwrap().to_path_buf(), v.0))
            .collect::<Vec<_>>()
    };
    assert_eq!(hashes(&root), hashes(&t.root().join("again")));

    // Every page has a non-empty "Also interesting" list.
    for e in walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = e
            .path()
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if name.starts_with("guide-") && e.file_name() == "index.html" {
            let html = std::fs::read_to_string(e.path()).unwrap();
            assert!(html.contains("Also interesting"), "{}", e.path().display());
        }
    }
}
