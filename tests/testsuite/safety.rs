//! Output safety: no content file, `site.toml` or manifest can make fascia
//! write or delete outside its output folder, and a build killed half-way is
//! repaired by the next one.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// A folder beside the site holding a file that must survive every build.
fn victim() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("victim.txt");
    std::fs::write(&file, "precious").unwrap();
    (dir, file)
}

fn assert_intact(file: &Path) {
    assert_eq!(
        std::fs::read_to_string(file).ok().as_deref(),
        Some("precious"),
        "{} was changed or deleted",
        file.display()
    );
}

fn rel_to(from: &Path, to: &Path) -> String {
    // Enough `..` to reach `/`, then the absolute path: works from any depth.
    let ups = from.components().count() + 2;
    format!(
        "{}{}",
        "../".repeat(ups),
        to.to_str().unwrap().trim_start_matches('/')
    )
}

#[test]
fn dot_dot_in_any_output_path_is_an_error_at_the_field() {
    let (_keep, victim) = victim();
    let t = SiteTest::fixture("basic");
    let escape = rel_to(&t.public(), &victim);
    let cases = [
        (
            "content/x.md",
            format!("+++\ntitle = \"x\"\naliases = [\"{escape}\"]\n+++\n"),
            "content/x.md:3:",
        ),
        (
            "content/x.md",
            format!("+++\ntitle = \"x\"\npath = \"{escape}\"\n+++\n"),
            "content/x.md:3:",
        ),
        (
            "content/x.md",
            "+++\ntitle = \"x\"\naliases = [\"a\\\\..\\\\..\\\\b\"]\n+++\n".to_string(),
            "content/x.md:3:",
        ),
        (
            "content/extra/_index.md",
            format!("+++\ntitle = \"x\"\naliases = [\"{escape}\"]\n+++\n"),
            "content/extra/_index.md:3:",
        ),
        (
            "content/extra/_index.md",
            "+++\ntitle = \"x\"\npaginate_by = 1\npaginate_path = \"../../..\"\n+++\n".to_string(),
            "content/extra/_index.md:4:",
        ),
    ];
    for (file, text, at) in cases {
        let t = SiteTest::fixture("basic");
        t.write(file, &text);
        for cmd in ["check", "build"] {
            let out = t.run(&[cmd]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{cmd} passed {text}:\n{err}");
            assert!(
                err.contains(at),
                "{cmd}: no position {at} for {text}:\n{err}"
            );
            assert!(err.contains("content::unsafe-path"), "{err}");
        }
        assert!(
            !t.public().exists(),
            "a refused build created the output folder"
        );
    }
    assert_intact(&victim);
}

#[test]
fn site_toml_paths_cannot_leave_the_site() {
    let (_keep, victim) = victim();
    let parent = victim.parent().unwrap().to_str().unwrap().to_string();
    for (line, at) in [
        (format!("output_dir = \"{parent}\""), "site.toml:"),
        ("output_dir = \"../out\"".to_string(), "site.toml:"),
        ("output_dir = \"content\"".to_string(), "site.toml:"),
        ("theme = \"../../x\"".to_string(), "site.toml:"),
        ("[faq]\npath = \"../../faq\"".to_string(), "site.toml:"),
        (
            "[faq]\npaginate_path = \"../x\"".to_string(),
            "site.toml:15:18",
        ),
    ] {
        let t = SiteTest::fixture("basic");
        let config = std::fs::read_to_string(t.root().join("site.toml")).unwrap();
        // Top-level keys go before the first table.
        let text = if line.starts_with('[') {
            format!("{config}\n{line}\n")
        } else {
            format!("{line}\n{config}")
        };
        t.write("site.toml", text);
        let out = t.run(&["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{line}:\n{err}");
        assert!(
            err.contains(at) && err.contains("config::unsafe-path"),
            "{line}:\n{err}"
        );
    }
    assert_intact(&victim);
    assert_eq!(
        std::fs::read_dir(victim.parent().unwrap()).unwrap().count(),
        1
    );
}

#[test]
fn a_forged_manifest_is_ignored_and_deletes_nothing() {
    let (_keep, victim) = victim();
    let t = SiteTest::fixture("basic");
    std::fs::create_dir_all(t.public()).unwrap();
    std::fs::write(t.root().join("v1.txt"), "precious").unwrap();
    let manifest = serde_json::json!({
        "../v1.txt": "0",
        victim.to_str().unwrap(): "0",
    });
    t.write("public/.fascia-manifest.json", manifest.to_string());
    // Without --force the folder is not fascia's: refused, with the reason.
    let err = t.build_err(&[]);
    assert!(err.contains("is ignored: it lists `../v1.txt`"), "{err}");
    assert!(err.contains("not created by fascia"), "{err}");
    // With --force it builds, and still deletes nothing outside.
    let out = t.build_ok(&["--force"]);
    assert!(stderr(&out).contains("output::bad-manifest"));
    assert_intact(&victim);
    assert_intact(&t.root().join("v1.txt"));
    // The manifest it wrote is a proper one: the next build needs no --force.
    t.build_ok(&[]);
}

#[cfg(unix)]
#[test]
fn removal_never_follows_a_symbolic_link() {
    let (keep, victim) = victim();
    let t = SiteTest::fixture("basic");
    t.build_ok(&[]);
    // A link planted inside the output folder, and a manifest naming a file behind it.
    std::os::unix::fs::symlink(keep.path(), t.public().join("planted")).unwrap();
    let manifest_path = t.public().join(".fascia-manifest.json");
    let mut manifest: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    manifest.insert("planted/victim.txt".into(), "0".into());
    std::fs::write(
        &manifest_path,
        serde_json::Value::Object(manifest).to_string(),
    )
    .unwrap();
    t.build_ok(&[]);
    assert_intact(&victim);
}

/// A link planted inside the output folder where a page goes is never
/// written through: the build fails before anything moves.
#[cfg(unix)]
#[test]
fn writing_never_follows_a_symbolic_link() {
    let (keep, victim) = victim();
    let t = SiteTest::fixture("basic");
    t.build_ok(&[]);
    std::fs::remove_dir_all(t.public().join("about")).unwrap();
    std::os::unix::fs::symlink(keep.path(), t.public().join("about")).unwrap();
    let err = t.build_err(&[]);
    assert!(err.contains("does not write through links"), "{err}");
    assert!(err.contains("was not changed"), "{err}");
    assert_intact(&victim);
    assert_eq!(std::fs::read_dir(keep.path()).unwrap().count(), 1);
}

#[test]
fn output_folder_may_not_be_or_hold_the_site() {
    let t = SiteTest::fixture("basic");
    let err = t.build_err(&["--output", "."]);
    assert!(err.contains("holds it"), "{err}");
    let err = t.build_err(&["--output", "nonexist/../content/x"]);
    assert!(err.contains("inside content/"), "{err}");
}

/// A site with `n` pages whose bodies say `version`.
fn many_pages(t: &SiteTest, n: usize, version: &str) {
    for i in 0..n {
        t.write(
            &format!("content/conditions/p{i:03}.md"),
            format!("+++\ntitle = \"Page {i}\"\n+++\n{version} of page {i}.\n"),
        );
    }
}

fn build_with_fault(root: &Path, fault_after: Option<usize>) -> std::process::ExitStatus {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fascia"));
    cmd.current_dir(root).arg("build").env("NO_COLOR", "1");
    if let Some(n) = fault_after {
        cmd.env("FASCIA_FAULT_AFTER", n.to_string());
    }
    cmd.output().unwrap().status
}

#[test]
fn a_build_killed_during_the_commit_is_repaired_by_the_next_one() {
    let clean = SiteTest::fixture("basic");
    many_pages(&clean, 40, "old");
    clean.build_ok(&[]);
    let expected = output_tree(&clean.public());
    // The change below rewrites at least the 40 pages: kill points spread over those moves.
    let points: Vec<usize> = (0..8).map(|k| k * 40 / 8).chain([1, 39]).collect();
    for n in points {
        let t = SiteTest::fixture("basic");
        many_pages(&t, 40, "old");
        t.build_ok(&[]);
        // A change that touches every page, killed after `n` files were moved in.
        many_pages(&t, 40, "new");
        t.write(
            "content/conditions/gone.md",
            "+++\ntitle = \"Gone\"\n+++\nSoon gone.\n",
        );
        let status = build_with_fault(t.root(), Some(n));
        assert!(!status.success(), "the fault hook did not fire at {n}");
        // Revert the change; the next build must restore exactly the clean output.
        many_pages(&t, 40, "old");
        std::fs::remove_file(t.root().join("content/conditions/gone.md")).unwrap();
        assert!(build_with_fault(t.root(), None).success());
        let got = output_tree(&t.public());
        let differ: Vec<&String> = got
            .keys()
            .chain(expected.keys())
            .filter(|k| got.get(*k) != expected.get(*k))
            .collect();
        assert!(
            differ.is_empty(),
            "after a crash at {n}, these differ: {differ:?}"
        );
        assert!(
            !t.public().join(".fascia-staging").exists(),
            "the dead build's staging folder was not removed"
        );
    }
}
