//! The input fingerprint: a build of an unchanged site renders nothing, any
//! change to an input renders again and equals a clean build, and a damaged,
//! forged or stale fingerprint is ignored without reading outside the site.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;

use crate::common::*;

const FINGERPRINT: &str = "public/.fascia-fingerprint.json";

/// `fascia -v build` from the site folder, asserting success; its stderr.
fn build_v(t: &SiteTest) -> String {
    let out = t.run(&["-v", "build"]);
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
    stderr(&out)
}

fn skipped(report: &str) -> bool {
    report.contains("nothing changed since the last build: nothing was rendered")
}

/// What a clean build of the site gives: a build into a fresh folder.
fn clean_build(t: &SiteTest) -> BTreeMap<String, Vec<u8>> {
    let fresh = tempfile::tempdir().unwrap();
    let out = fresh.path().join("out");
    t.build_ok(&["--output", out.to_str().unwrap()]);
    output_tree(&out)
}

/// Builds again after a change: the build renders, its output equals a
/// clean build, and the build after it renders nothing. Returns the report.
fn renders_again(t: &SiteTest, what: &str) -> String {
    let report = build_v(t);
    assert!(
        !skipped(&report),
        "{what}: the build took the shortcut\n{report}"
    );
    assert!(
        output_tree(&t.public()) == clean_build(t),
        "{what}: the output differs from a clean build"
    );
    assert!(
        skipped(&build_v(t)),
        "{what}: the next build rendered again"
    );
    report
}

#[test]
fn an_unchanged_site_is_not_rendered_and_its_output_is_untouched() {
    let t = SiteTest::fixture("basic");
    let first = build_v(&t);
    assert!(!skipped(&first), "{first}");
    let before = snapshot(&t.public());
    let out = t.run(&["-v", "build"]);
    assert!(out.status.success());
    let report = stderr(&out);
    assert!(skipped(&report), "{report}");
    assert!(
        report.contains("0 files written, 33 unchanged, 0 removed"),
        "{report}"
    );
    assert!(
        stdout(&out).starts_with("Built 4 pages, 2 sections and 6 terms in "),
        "{}",
        stdout(&out)
    );
    assert_eq!(snapshot(&t.public()), before, "the output was touched");
    // Without -v the summary is the same as a full build's.
    let quiet = t.build_ok(&[]);
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
}

/// The outputs a build after a body edit says it rendered (from `-v`), or
/// `None` when it was a full build.
fn rendered_after_edit(report: &str) -> Option<Vec<String>> {
    let (_, rest) = report.split_once("changed: rendered ")?;
    Some(
        rest.lines()
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .map(|l| l.trim().to_string())
            .collect(),
    )
}

/// Builds after an edit of page bodies: the build renders just `expected`,
/// its output equals a clean build, and the build after it renders nothing.
fn renders_only(t: &SiteTest, what: &str, expected: &[&str]) {
    let report = renders_again(t, what);
    let rendered = rendered_after_edit(&report)
        .unwrap_or_else(|| panic!("{what}: a full build ran\n{report}"));
    assert_eq!(rendered, expected, "{what}\n{report}");
    let line = format!(
        "only the body of 1 page changed: rendered {} outputs that show it",
        expected.len()
    );
    assert!(report.contains(&line), "{what}\n{report}");
}

#[test]
fn a_body_edit_renders_only_the_outputs_that_show_the_page() {
    let t = SiteTest::fixture("basic");
    // Term lists that show each page's word count: a body edit changes them.
    t.write("templates/taxonomy_list.html", WORD_COUNT_TERM_LIST);
    build_v(&t);
    let neck = "content/conditions/neck-pain.md";
    // The page, its listings (section pager, terms, term lists, feed), and
    // the pages that show it under "Also interesting".
    let shows_neck = [
        "atom.xml",
        "body-areas/index.html",
        "body-areas/neck/index.html",
        "conditions/back-pain/index.html",
        "conditions/knee-pain/index.html",
        "conditions/neck-pain/index.html",
        "conditions/page/2/index.html",
        "tags/desk-work/index.html",
        "tags/index.html",
        "tags/neck/index.html",
    ];
    t.edit(neck, "Intro text.", "Intro text, with a few more words.");
    renders_only(&t, "a body edit", &shows_neck);
    assert!(t.read("tags/index.html").contains("neck: 30 16"));

    // A new link: the page it points to lists a new backlink.
    t.edit(neck, "Intro text,", "Intro text ([about](@/about.md)),");
    let mut with_about = vec!["about/index.html"];
    with_about.extend(shows_neck);
    renders_only(&t, "a new link", &with_about);
    assert!(t.read("about/index.html").contains("Neck pain"));
    t.edit(neck, "([about](@/about.md))", "");
    renders_only(&t, "a link taken out", &with_about);

    // An edit of the front matter, or of a section, is a full build.
    t.edit(neck, "Does it hurt?", "Does it ache?");
    let full = |what: &str| {
        let report = renders_again(&t, what);
        assert!(rendered_after_edit(&report).is_none(), "{what}\n{report}");
    };
    full("a front matter edit");
    let section = std::fs::read_to_string(t.root().join("content/conditions/_index.md")).unwrap();
    t.write(
        "content/conditions/_index.md",
        format!("{section}\nMore.\n"),
    );
    full("a section body edit");
    // A body edit together with a template edit.
    t.edit(neck, "more words", "more words again");
    t.edit("templates/page.html", "<h1>", "<h1 class=\"t\">");
    full("a body and a template edit");
    // A template that looks pages up may show any page anywhere.
    t.write(
        "templates/404.html",
        "{% set n = get_page(path=\"conditions/neck-pain.md\") %}{{ n.word_count }}",
    );
    t.build_ok(&[]);
    t.edit(neck, "more words again", "more words");
    full("a body edit with get_page in a template");
}

#[test]
fn a_body_edit_of_the_bundled_guide_keeps_its_search_index_whole() {
    let t = SiteTest::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("site.toml"), t.root().join("site.toml")).unwrap();
    for folder in ["content", "static", "themes"] {
        copy_dir(&repo.join(folder), &t.root().join(folder));
    }
    build_v(&t);
    let jaw = "content/conditions/jaw-pain.md";
    let text = std::fs::read_to_string(t.root().join(jaw)).unwrap();
    let body = text.rfind("\n+++\n").unwrap() + 5;
    let edited = format!(
        "{}Press gently on the masseter, the chewing muscle.\n\n{}",
        &text[..body],
        &text[body..]
    );
    t.write(jaw, edited);
    let report = build_v(&t);
    let rendered = rendered_after_edit(&report).expect(&report);
    assert!(rendered.contains(&"conditions/jaw-pain/index.html".to_string()));
    assert!(rendered.iter().all(|r| !r.starts_with("search-index/")));
    assert!(
        output_tree(&t.public()) == clean_build(&t),
        "the output (and its search index) differs from a clean build"
    );
}

/// A 3×2 (or other) PNG header: enough for image sizes.
fn png(width: u8, height: u8) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[0, 0, 0, width, 0, 0, 0, height, 8, 6, 0, 0, 0]);
    png
}

#[test]
fn a_change_to_any_input_renders_again_and_equals_a_clean_build() {
    let t = SiteTest::fixture("basic");
    // Files read by path: a data file through a shortcode, an image outside
    // content/ and static/ through `..`.
    t.write(
        "templates/shortcodes/dose.html",
        "{% set d = load_data(path=\"data/dose.toml\") %}<b>{{ d.amount }}</b>",
    );
    t.write("data/dose.toml", "amount = \"90 seconds\"\n");
    t.write("media/hold.png", png(3, 2));
    t.edit(
        "content/conditions/knee-pain/index.md",
        "+++\n\n",
        "+++\n\nHold {{ dose() }}. ![Hold](../../../media/hold.png)\n\n",
    );
    build_v(&t);
    assert!(t
        .read("conditions/knee-pain/index.html")
        .contains("<b>90 seconds</b>"));
    assert!(skipped(&build_v(&t)));

    t.edit("content/conditions/neck-pain.md", "Stiffness.", "Stiff.");
    renders_again(&t, "a page body");
    t.write(
        "content/conditions/hip.md",
        "+++\ntitle = \"Hip\"\n+++\nHip.\n",
    );
    renders_again(&t, "a new page");
    t.edit("templates/page.html", "<h1>", "<h1 class=\"t\">");
    renders_again(&t, "a template");
    t.edit("site.toml", "Fixture guide", "Fixture guide, changed");
    renders_again(&t, "site.toml");
    t.write("static/style.css", "body { color: red }\n");
    renders_again(&t, "a static file");
    t.write("data/dose.toml", "amount = \"two minutes\"\n");
    renders_again(&t, "a file load_data reads");
    assert!(t
        .read("conditions/knee-pain/index.html")
        .contains("<b>two minutes</b>"));
    t.write("media/hold.png", png(7, 5));
    renders_again(&t, "an image read for its size");
    assert!(t
        .read("conditions/knee-pain/index.html")
        .contains("width=\"7\" height=\"5\""));
    std::fs::remove_file(t.root().join("content/conditions/hip.md")).unwrap();
    renders_again(&t, "a deleted page");
}

#[test]
fn the_theme_is_an_input_too() {
    let t = SiteTest::fixture("basic");
    std::fs::rename(t.root().join("templates"), t.root().join("mine")).unwrap();
    t.write("site.toml", {
        let config = std::fs::read_to_string(t.root().join("site.toml")).unwrap();
        format!("theme = \"plain\"\n{config}")
    });
    std::fs::create_dir_all(t.root().join("themes/plain")).unwrap();
    std::fs::rename(
        t.root().join("mine"),
        t.root().join("themes/plain/templates"),
    )
    .unwrap();
    t.write("themes/plain/static/theme.css", "p {}\n");
    build_v(&t);
    assert!(skipped(&build_v(&t)));
    t.edit(
        "themes/plain/templates/page.html",
        "<h1>",
        "<h1 class=\"t\">",
    );
    renders_again(&t, "a theme template");
    t.write("themes/plain/static/theme.css", "p { margin: 0 }\n");
    renders_again(&t, "a theme static file");
}

#[test]
fn options_that_change_the_output_are_inputs() {
    let t = SiteTest::fixture("basic");
    build_v(&t);
    for args in [
        &["--base-url", "https://other.example"][..],
        &["--drafts"][..],
        &[][..],
    ] {
        let mut all = vec!["-v", "build"];
        all.extend_from_slice(args);
        let first = stderr(&t.run(&all));
        assert!(!skipped(&first), "{args:?}: {first}");
        let second = stderr(&t.run(&all));
        assert!(skipped(&second), "{args:?}: {second}");
    }
    // Another output folder has no fingerprint yet.
    assert!(!skipped(&stderr(&t.run(&[
        "-v",
        "build",
        "-o",
        "elsewhere"
    ]))));
}

#[test]
fn force_check_and_a_damaged_output_never_take_the_shortcut() {
    let t = SiteTest::fixture("basic");
    build_v(&t);
    let forced = stderr(&t.run(&["-v", "build", "--force"]));
    assert!(!skipped(&forced), "{forced}");
    let checked = stderr(&t.check(&["-v"]));
    assert!(!skipped(&checked), "{checked}");
    assert!(skipped(&build_v(&t)));

    // A deleted output file, or one replaced by a folder, is restored by a full build.
    let page = t.public().join("about/index.html");
    let expected = std::fs::read(&page).unwrap();
    std::fs::remove_file(&page).unwrap();
    assert!(!skipped(&build_v(&t)));
    assert_eq!(std::fs::read(&page).unwrap(), expected);
    std::fs::remove_dir_all(t.public()).unwrap();
    assert!(!skipped(&build_v(&t)));
    assert!(output_tree(&t.public()) == clean_build(&t));
    // A manifest that is not the one the fingerprint was saved with.
    let manifest = t.public().join(".fascia-manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replacen("\"about/index.html\"", "\"about/index.html\" ", 1),
    )
    .unwrap();
    assert!(!skipped(&build_v(&t)));
}

/// The saved fingerprint: the manifest's hash, and the record's first line
/// as JSON (the line an unchanged build reads; the second, which tells body
/// edits apart, is left out when a test saves the record back).
fn saved(t: &SiteTest) -> (String, serde_json::Value) {
    let text = std::fs::read_to_string(t.root().join(FINGERPRINT)).unwrap();
    let mut lines = text.lines();
    let manifest = lines.next().unwrap();
    (
        manifest.to_string(),
        serde_json::from_str(lines.next().unwrap()).unwrap(),
    )
}

fn save(t: &SiteTest, manifest: &str, record: &serde_json::Value) {
    t.write(FINGERPRINT, format!("{manifest}\n{record}"));
}

/// The state fascia records for a file it read: the hash of its bytes.
fn state_of(file: &Path) -> String {
    format!(
        "{:032x}",
        xxhash_rust::xxh3::xxh3_128(&std::fs::read(file).unwrap())
    )
}

#[test]
fn a_corrupted_or_forged_fingerprint_is_ignored() {
    let t = SiteTest::fixture("basic");
    build_v(&t);
    let expected = clean_build(&t);
    let (manifest, record) = saved(&t);
    let garbage: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("garbage", b"\xff\xfe not a fingerprint".to_vec()),
        ("no record", format!("{manifest}\n").into_bytes()),
        ("truncated", {
            let full = format!("{manifest}\n{record}");
            full.as_bytes()[..full.len() / 2].to_vec()
        }),
        (
            "another manifest",
            format!("{}\n{record}", "0".repeat(32)).into_bytes(),
        ),
        ("other inputs", {
            let mut r = record.clone();
            r["inputs"] = serde_json::json!("0123456789abcdef0123456789abcdef");
            format!("{manifest}\n{r}").into_bytes()
        }),
        ("another format", {
            let mut r = record.clone();
            r["format"] = serde_json::json!(r["format"].as_u64().unwrap() + 1);
            format!("{manifest}\n{r}").into_bytes()
        }),
    ];
    for (what, bytes) in garbage {
        t.write(FINGERPRINT, bytes);
        let report = build_v(&t);
        assert!(!skipped(&report), "{what}: {report}");
        assert!(output_tree(&t.public()) == expected, "{what}");
        assert!(skipped(&build_v(&t)), "{what}: no valid fingerprint saved");
    }
    // The record itself, saved back unchanged, is trusted (so the cases above failed for their reason).
    let (manifest, record) = saved(&t);
    save(&t, &manifest, &record);
    assert!(skipped(&build_v(&t)));
    // A fingerprint that is a link, even to a valid one, is not read.
    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("fingerprint");
    std::fs::copy(t.root().join(FINGERPRINT), &copy).unwrap();
    std::fs::remove_file(t.root().join(FINGERPRINT)).unwrap();
    std::os::unix::fs::symlink(&copy, t.root().join(FINGERPRINT)).unwrap();
    assert!(!skipped(&build_v(&t)));
    assert!(
        copy.exists(),
        "fascia removed a file outside its output folder"
    );
}

#[test]
fn a_fingerprint_never_makes_fascia_read_outside_the_site() {
    let t = SiteTest::fixture("basic");
    build_v(&t);
    let (manifest, record) = saved(&t);
    // A file beside the site, and a link to it inside the site. A forged
    // fingerprint lists them with the state they would have if read: fascia
    // must refuse to read them, so the fingerprint never matches.
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "secret").unwrap();
    std::os::unix::fs::symlink(&secret, t.root().join("link-out")).unwrap();
    let state = state_of(&secret);
    let up = "../".repeat(t.root().components().count());
    let paths = [
        format!("{up}{}", secret.to_str().unwrap().trim_start_matches('/')),
        secret.to_str().unwrap().to_string(),
        "link-out".to_string(),
    ];
    for path in paths {
        let mut r = record.clone();
        r["reads"] = serde_json::json!([[path, state]]);
        save(&t, &manifest, &r);
        let report = build_v(&t);
        assert!(!skipped(&report), "{path}: {report}");
    }
    // Links in content/ that leave the site, and a FIFO (which would block a
    // reader), are never read: the build warns about the link, saves no
    // fingerprint, and the next build runs in full.
    std::os::unix::fs::symlink(&secret, t.root().join("content/secret.md")).unwrap();
    let fifo = t.root().join("content/pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let report = build_v(&t);
    assert!(report.contains("content::outside"), "{report}");
    assert!(!t.root().join(FINGERPRINT).exists());
    assert!(!skipped(&build_v(&t)));
    // An image outside the site, reached through `..`, is never read: the
    // page shows it without a size, and the fingerprint holds.
    std::fs::remove_file(t.root().join("content/secret.md")).unwrap();
    std::fs::write(outside.path().join("pic.png"), png(3, 2)).unwrap();
    let image = format!(
        "![Pic]({up}{})",
        outside
            .path()
            .join("pic.png")
            .to_str()
            .unwrap()
            .trim_start_matches('/')
    );
    t.edit("content/about.md", "About this site.", &image);
    build_v(&t);
    let html = t.read("about/index.html");
    assert!(html.contains("alt=\"Pic\""), "{html}");
    assert!(
        !html.contains("width=\"3\""),
        "read outside the site: {html}"
    );
    assert!(skipped(&build_v(&t)));
}

#[test]
fn a_build_with_warnings_runs_in_full_and_reports_them_again() {
    let t = SiteTest::fixture("basic");
    // A same-page anchor that is missing only warns.
    let warns = "See [below](#nowhere).";
    t.edit("content/about.md", "About this site.", warns);
    let first = build_v(&t);
    assert!(first.contains("warning[link::missing-anchor]"), "{first}");
    let second = build_v(&t);
    assert!(!skipped(&second), "{second}");
    assert_eq!(findings(&second), findings(&first));
}

#[test]
fn a_build_killed_during_the_commit_leaves_no_fingerprint() {
    let t = SiteTest::fixture("basic");
    build_v(&t);
    assert!(t.root().join(FINGERPRINT).exists());
    t.edit("content/about.md", "About this site.", "New words.");
    // Killed before the first file moved in, after the commit began.
    let killed = t.run_env(&["build"], &[("FASCIA_FAULT_AFTER", "0")]);
    assert!(!killed.status.success());
    assert!(!t.root().join(FINGERPRINT).exists());
    // Back to the inputs of the first build: it must not be trusted now.
    t.edit("content/about.md", "New words.", "About this site.");
    assert!(!skipped(&build_v(&t)));
    assert!(output_tree(&t.public()) == clean_build(&t));
}

#[test]
fn a_rebuilt_fascia_does_not_trust_the_last_fingerprint() {
    let t = SiteTest::fixture("basic");
    let bin = tempfile::tempdir().unwrap();
    let exe = bin.path().join("fascia");
    // `cp` and `touch` in child processes: a file this (threaded) test
    // process held open for writing could be inherited by a concurrent
    // spawn and make running it fail with "text file busy".
    let shell = |cmd: &str, args: &[&OsStr]| {
        let ok = std::process::Command::new(cmd).args(args).status().unwrap();
        assert!(ok.success(), "{cmd}");
    };
    shell(
        "cp",
        &[env!("CARGO_BIN_EXE_fascia").as_ref(), exe.as_os_str()],
    );
    let run = || -> Output {
        std::process::Command::new(&exe)
            .current_dir(t.root())
            .args(["-v", "build"])
            .output()
            .unwrap()
    };
    run();
    assert!(skipped(&stderr(&run())));
    // The same version, rebuilt: another modification time.
    shell(
        "touch",
        &["-d".as_ref(), "@86400".as_ref(), exe.as_os_str()],
    );
    assert!(!skipped(&stderr(&run())));
    assert!(skipped(&stderr(&run())));
}
