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

/// M4: every way two outputs can claim one file is an error that names both
/// sources, and `check` fails.
#[test]
fn colliding_output_paths_are_errors_naming_both_sources() {
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "content/about.md",
            "title: About",
            "title: About\naliases: [\"/\"]",
            &["index.html", "content/_index.md", "content/about.md"],
        ),
        (
            "content/conditions/back-pain.md",
            "date = 2026-02-01",
            "date = 2026-02-01\naliases = [\"/about/\"]",
            &[
                "about/index.html",
                "content/about.md",
                "content/conditions/back-pain.md",
            ],
        ),
        (
            "content/conditions/back-pain.md",
            "date = 2026-02-01",
            "date = 2026-02-01\nslug = \"\"",
            &["/conditions/", "content/conditions/_index.md"],
        ),
        (
            "content/conditions/back-pain.md",
            "date = 2026-02-01",
            "date = 2026-02-01\npath = \"style.css\"",
            &[
                "style.css",
                "static file",
                "content/conditions/back-pain.md",
            ],
        ),
        (
            "content/conditions/back-pain.md",
            "date = 2026-02-01",
            "date = 2026-02-01\npath = \"sitemap.xml\"",
            &[
                "sitemap.xml",
                "built-in sitemap.xml",
                "content/conditions/back-pain.md",
            ],
        ),
    ];
    for (file, from, to, names) in cases {
        let t = SiteTest::fixture("basic");
        t.edit(file, from, to);
        let err = check_fails(&t);
        for n in *names {
            assert!(err.contains(n), "{to}: no {n} in\n{err}");
        }
        assert!(
            err.contains("output::collision") || err.contains("content::duplicate-path"),
            "{err}"
        );
        // One error, not a cascade of links to the page left out.
        assert!(err.contains("found 1 error"), "{to}:\n{err}");
    }
    // A section beside the taxonomy of the same name.
    let t = SiteTest::fixture("basic");
    t.write("content/tags/_index.md", "+++\ntitle = \"Tags\"\n+++\n");
    let err = check_fails(&t);
    assert!(err.contains("tags/index.html"), "{err}");
    assert!(err.contains("content/tags/_index.md"), "{err}");
    assert!(err.contains("`tags` taxonomy"), "{err}");
    // The error is at the field: line and column of the value.
    let t = SiteTest::fixture("basic");
    t.edit(
        "content/conditions/back-pain.md",
        "date = 2026-02-01",
        "date = 2026-02-01\npath = \"style.css\"",
    );
    assert!(check_fails(&t).contains("content/conditions/back-pain.md:5:9"));
}

/// M5: a link in content/ to a place outside the site is skipped with a
/// warning: never read, published or served.
#[cfg(unix)]
#[test]
fn content_links_out_of_the_site_are_skipped_with_a_warning() {
    let t = SiteTest::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    std::fs::write(
        outside.path().join("page.md"),
        "+++\ntitle = \"Outside\"\n+++\nsecret page\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        t.root().join("content/secret.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), t.root().join("content/elsewhere")).unwrap();
    std::os::unix::fs::symlink("/etc", t.root().join("content/etc")).unwrap();
    let out = t.build_ok(&[]);
    let err = stderr(&out);
    assert!(err.contains("warning[content::outside]"), "{err}");
    assert!(err.contains("content/secret.txt"), "{err}");
    assert!(err.contains("content/elsewhere"), "{err}");
    assert!(!t.public().join("secret.txt").exists());
    assert!(!t.public().join("elsewhere").exists());
    assert!(!t.public().join("etc").exists());
    let all = walkdir::WalkDir::new(t.public())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .any(|e| {
            std::fs::read_to_string(e.path())
                .unwrap_or_default()
                .contains("secret")
        });
    assert!(!all, "something outside the site was published");
}

/// M5: a dangling link or a link to /etc in static/ is skipped with a warning;
/// the build goes on.
#[cfg(unix)]
#[test]
fn static_links_to_nothing_or_out_of_the_site_do_not_fail_the_build() {
    let t = SiteTest::fixture("basic");
    std::os::unix::fs::symlink(
        t.root().join("static/nothing.css"),
        t.root().join("static/dangling.css"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/etc", t.root().join("static/etc")).unwrap();
    std::os::unix::fs::symlink("/etc", t.root().join("templates/etc")).unwrap();
    std::os::unix::fs::symlink(
        t.root().join("templates/nothing.html"),
        t.root().join("templates/dangling.html"),
    )
    .unwrap();
    let out = t.build_ok(&[]);
    let err = stderr(&out);
    assert!(err.contains("warning[static::read]"), "{err}");
    assert!(err.contains("warning[static::outside]"), "{err}");
    assert!(t.public().join("style.css").exists());
    assert!(!t.public().join("etc").exists());
    assert!(!t.public().join("dangling.css").exists());
}

/// L5: dotfiles in static/ are published; editor files and `.git` are not.
#[test]
fn dotfiles_in_static_are_copied_but_not_editor_files() {
    let t = SiteTest::fixture("basic");
    t.write("static/.nojekyll", "");
    t.write(
        "static/.well-known/security.txt",
        "Contact: mailto:a@example.org\n",
    );
    t.write("static/.style.css.swp", "swap");
    t.write("static/.#style.css", "lock");
    t.write("static/style.css~", "backup");
    t.write("static/.git/config", "[core]");
    t.write("static/.DS_Store", "finder");
    // Outside static/, names starting with a dot are ignored: never loaded or published.
    t.write("templates/.page.html.swp", "{% if %}");
    t.write("templates/.broken.html", "{% if %}");
    t.write("content/.notes.md", "+++\ntitle = \"Notes\"\n+++\nhidden\n");
    t.write(
        "content/.drafts/idea.md",
        "+++\ntitle = \"Idea\"\n+++\nhidden\n",
    );
    t.build_ok(&[]);
    assert!(!t.public().join(".notes").exists() && !t.public().join("notes").exists());
    assert!(!t.public().join(".drafts").exists() && !t.public().join("drafts").exists());
    assert!(t.public().join(".nojekyll").exists());
    assert_eq!(
        t.read(".well-known/security.txt"),
        "Contact: mailto:a@example.org\n"
    );
    for skipped in [
        ".style.css.swp",
        ".#style.css",
        "style.css~",
        ".git",
        ".DS_Store",
    ] {
        assert!(!t.public().join(skipped).exists(), "{skipped} was copied");
    }
}

/// M3: a template that includes itself is an error before rendering, not a
/// stack overflow (it aborted with exit code 134).
#[test]
fn a_template_that_includes_itself_is_an_error() {
    let t = SiteTest::fixture("basic");
    t.write("templates/loop.html", "x{% include \"loop.html\" %}");
    t.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{% include \"loop.html\" %}{% endblock %}",
    );
    let err = check_fails(&t);
    assert!(err.contains("template::cycle"), "{err}");
    assert!(err.contains("templates/loop.html"), "{err}");
}

/// M3: a macro that calls itself without end stops with an error naming it
/// (it overflowed the stack); a bounded recursion, like a nested list, renders.
#[test]
fn a_macro_that_recurses_without_end_is_an_error() {
    let t = SiteTest::fixture("basic");
    t.write(
        "templates/macros.html",
        "{% macro down(n) %}{{ n }}{{ self::down(n=n + 1) }}{% endmacro %}\n{% macro count(n) %}{% if n > 0 %}{{ n }},{{ self::count(n=n - 1) }}{% endif %}{% endmacro %}",
    );
    t.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% import \"macros.html\" as m %}{% block content %}{{ m::count(n=90) }}{% endblock %}",
    );
    t.build_ok(&[]);
    assert!(t.read("404.html").contains("90,89,"));
    assert!(t.read("404.html").contains(",2,1,"));
    t.edit("templates/404.html", "m::count(n=90)", "m::down(n=1)");
    let err = check_fails(&t);
    assert!(err.contains("template::error"), "{err}");
    assert!(
        err.contains("macro `down` in `macros.html` went 100 levels deep"),
        "{err}"
    );
}

/// A template mistake is reported once, with the place in the template and the
/// number of pages it broke, not once per page without a line.
#[test]
fn a_template_error_is_reported_once_with_its_line_and_page_count() {
    let t = SiteTest::fixture("basic");
    let page = std::fs::read_to_string(t.root().join("templates/page.html")).unwrap();
    t.write(
        "templates/page.html",
        page.replacen(
            "{{ page.title }}",
            "{{ page.title }}\n{{ no_such_value }}",
            1,
        ),
    );
    let err = check_fails(&t);
    assert_eq!(err.matches("error[template::error]").count(), 1, "{err}");
    assert!(err.contains("(in 4 pages)"), "{err}");
    assert!(err.contains("templates/page.html:"), "{err}");
    assert!(err.contains("content/about.md"), "{err}");
}

/// A file where the commit needs a folder is found before anything moves, so
/// "was not changed" is true: no output file changed, no staging is left.
#[test]
fn a_conflict_in_the_output_folder_is_found_before_anything_moves() {
    let t = SiteTest::fixture("basic");
    t.build_ok(&[]);
    std::fs::remove_dir_all(t.public().join("conditions")).unwrap();
    t.write("public/conditions", "in the way");
    let before = snapshot(&t.public());
    // atom.xml changes too, and sorts before conditions/: it used to be replaced.
    t.edit(
        "content/conditions/back-pain.md",
        "title = \"Back pain\"",
        "title = \"Back pain, edited\"",
    );
    let err = t.build_err(&[]);
    assert!(err.contains("output::io"), "{err}");
    assert!(err.contains("was not changed"), "{err}");
    assert_eq!(before, snapshot(&t.public()), "the output folder changed");
    assert!(!t.public().join(".fascia-staging").exists());
}

/// A slow loop in a template of the fixture: 900 million iterations, far
/// past the tests' time limits on any machine (9 million once took less
/// than 200 ms).
const SLOW_404: &str = "{% extends \"base.html\" %}{% block content %}{% for a in range(end=30000) %}{% for b in range(end=30000) %}{% endfor %}{% endfor %}{% endblock %}";

/// M3: a render that runs past `[build] render_timeout_ms` stops the build at
/// once with an error naming the template and the output; the output folder
/// stays as it was.
#[test]
fn a_render_past_its_time_limit_stops_the_build() {
    let t = SiteTest::fixture("basic");
    t.build_ok(&[]);
    let before = snapshot(&t.public());
    let config = std::fs::read_to_string(t.root().join("site.toml")).unwrap();
    t.write(
        "site.toml",
        format!("{config}\n[build]\nrender_timeout_ms = 200\n"),
    );
    t.write("templates/404.html", SLOW_404);
    let started = Instant::now();
    let err = t.build_err(&[]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(err.contains("error[template::timeout]"), "{err}");
    assert!(err.contains("`404.html`"), "{err}");
    assert!(err.contains("templates/404.html"), "{err}");
    assert_eq!(before, snapshot(&t.public()), "the output folder changed");
    assert!(!t.public().join(".fascia-staging").exists());
    // With a limit it fits in, the same template builds.
    t.write(
        "site.toml",
        format!("{config}\n[build]\nrender_timeout_ms = 600000\n"),
    );
    t.write("templates/404.html", SLOW_404.replace("30000", "30"));
    t.build_ok(&[]);
}

/// In content/, a link to nothing is an error, as a missing page would be.
#[cfg(unix)]
#[test]
fn a_content_link_to_nothing_is_an_error() {
    let t = SiteTest::fixture("basic");
    std::os::unix::fs::symlink(
        t.root().join("content/nowhere.md"),
        t.root().join("content/dangling.md"),
    )
    .unwrap();
    let err = check_fails(&t);
    assert!(err.contains("error[input::walk]"), "{err}");
    assert!(err.contains("content/dangling.md"), "{err}");
}
