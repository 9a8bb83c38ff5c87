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

const GITHUB_STYLE: &str = "+++\ntitle = \"Notes\"\n+++\n\n## ✨ Features\n\nSee [features](#-features) and [more](#features).\n";

#[test]
fn github_style_fragments_warn_and_the_build_succeeds() {
    let t = SiteTest::fixture("basic");
    t.write("content/notes.md", GITHUB_STYLE);
    let out = t.build_ok(&[]);
    let err = stderr(&out);
    assert!(
        err.contains(
            "warning[link::missing-anchor]: `#-features` is not a heading id on this page"
        ),
        "{err}"
    );
    assert!(err.contains("content/notes.md:7:5"), "{err}");
    // fascia (like Zola) spells the emoji out where GitHub drops it.
    assert!(err.contains("did you mean `#sparkles-features`?"), "{err}");
    assert!(t
        .read("notes/index.html")
        .contains("<h2 id=\"sparkles-features\">"));
}

#[test]
fn internal_level_sets_how_missing_anchors_are_reported() {
    let t = SiteTest::fixture("basic");
    t.write("content/notes.md", GITHUB_STYLE);
    let config = std::fs::read_to_string(t.root().join("site.toml")).unwrap();
    t.write(
        "site.toml",
        format!("{config}\n[link_checker]\ninternal_level = \"error\"\n"),
    );
    let err = t.build_err(&[]);
    assert!(
        err.contains("error[link::missing-anchor]: `#-features`"),
        "{err}"
    );

    // "warn" also covers `@/page.md#anchor`, an error by default.
    t.write(
        "site.toml",
        format!("{config}\n[link_checker]\ninternal_level = \"warn\"\n"),
    );
    t.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n\n[a](@/about.md#nowhere)\n",
    );
    let err = stderr(&t.build_ok(&[]));
    assert!(
        err.contains("warning[link::missing-anchor]: `#nowhere`"),
        "{err}"
    );
    // A missing page stays an error whatever the level.
    t.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n\n[a](@/nowhere.md)\n",
    );
    let err = t.build_err(&[]);
    assert!(err.contains("error[link::missing-page]"), "{err}");
}

#[test]
fn slugify_anchors_follows_zola() {
    let t = SiteTest::fixture("zola");
    t.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n\n## Hello World (2)?\n\n[x](#Hello_World_2)\n",
    );
    t.edit("config.toml", "anchors = \"on\"", "anchors = \"safe\"");
    let err = stderr(&t.build_ok(&[]));
    assert!(!err.contains("#Hello_World_2"), "{err}");
    assert!(t.read("notes/index.html").contains("id=\"Hello_World_2\""));
    t.edit("config.toml", "anchors = \"safe\"", "anchors = \"off\"");
    t.build_ok(&[]);
    assert!(t
        .read("notes/index.html")
        .contains("id=\"Hello World (2)?\""));
    t.edit("config.toml", "anchors = \"off\"", "anchors = \"on\"");
    t.build_ok(&[]);
    assert!(t.read("notes/index.html").contains("id=\"hello-world-2\""));
}

#[test]
fn a_config_toml_only_site_builds_with_one_warning_per_ignored_key() {
    let t = SiteTest::fixture("zola");
    assert!(!t.root().join("site.toml").exists());
    let err = stderr(&t.build_ok(&[]));
    // compile_sass, build_search_index and highlight_theme: one warning each.
    for key in [
        "compile_sass",
        "build_search_index",
        "markdown.highlight_theme",
    ] {
        let needle = format!("warning[config::zola-unsupported]: `{key}` in config.toml");
        assert_eq!(err.matches(&needle).count(), 1, "{key}:\n{err}");
    }
    assert!(err.contains("config.toml:7:1"), "{err}");
    assert_eq!(err.matches("config::zola-unsupported]").count(), 3, "{err}");
    // Zola ignores front matter fields it does not know: a warning here.
    assert!(
        err.contains("warning[toml::unknown-field]: unknown field `insert_anchor_links`"),
        "{err}"
    );
    assert!(err.contains("content/blog/second.md:4:1"), "{err}");
    // The GitHub-style fragment only warns (internal_level = "warn").
    assert!(
        err.contains("warning[link::missing-anchor]: `#-features`"),
        "{err}"
    );
    // Mapped keys: language, title, external link rel, taxonomy feeds, extra.
    let first = t.read("blog/first/index.html");
    assert!(first.contains("<html lang=\"en\""), "{first}");
    assert!(first.contains("Zola fixture"), "{first}");
    assert!(t.root().join("public/tags/intro/atom.xml").exists());
    assert!(t
        .read("atom.xml")
        .contains("https://zola.example.org/blog/first/"));
}

#[test]
fn init_from_zola_writes_an_equivalent_site_toml() {
    let t = SiteTest::fixture("zola");
    let out = t.run(&["init", "--from-zola", "."]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = std::fs::read_to_string(t.root().join("site.toml")).unwrap();
    assert!(site.contains("language = \"en\""), "{site}");
    assert!(
        site.contains("# Ignored (config.toml:7:1): `compile_sass`"),
        "{site}"
    );
    assert!(site.contains("internal_level = \"warn\""), "{site}");
    // With site.toml in place, config.toml is no longer read: no warnings about it.
    let err = stderr(&t.build_ok(&[]));
    assert!(!err.contains("zola-unsupported"), "{err}");
    assert!(t.read("blog/first/index.html").contains("Zola fixture"));
    // Never overwrites.
    let again = t.run(&["init", "--from-zola", "."]);
    assert_eq!(again.status.code(), Some(1));
}

/// The basic fixture with shortcodes of the site's own beside the theme's.
fn shortcode_site() -> SiteTest {
    let t = SiteTest::fixture("basic");
    t.write(
        "templates/shortcodes/note.md",
        "**{{ text }}** (note {{ nth }} on {{ page.title }})",
    );
    t.write(
        "templates/shortcodes/args.html",
        "<span class=\"args\">{{ s }}|{{ n + 1 }}|{{ f }}|{{ yes }}|{{ list | join(sep=\",\") }}</span>",
    );
    t
}

#[test]
fn shortcodes_render_with_their_arguments_body_nth_and_page() {
    let t = shortcode_site();
    t.write(
        "content/conditions/knee-pain/index.md",
        r#"+++
title = "Knee pain"
date = 2026-01-01
+++

{{ figure(src="roller.svg", alt="A foam roller under the thigh", caption="Roll *slowly*.") }}

{{ note(text="First") }} and {{ note(text='Second') }}.

{{ args(s="a \"q\"", n=3, f=1.5, yes=true, list=["x", 2]) }}

{% details(summary="How long?") %}
Hold for **20 seconds**. See [neck](@/conditions/neck-pain.md).
{% end %}

{{ video(youtube="abc123", title="Rolling the thigh") }}

Literally: {{/* note(text="x") */}} and {%/* details() */%}, and `{{ note(text="code") }}`:

```
{{ nope() }}
```
"#,
    );
    let out = t.build_ok(&[]);
    assert!(!stderr(&out).contains("shortcode"), "{}", stderr(&out));
    let html = t.read("conditions/knee-pain/index.html");
    assert!(
        html.contains("<img src=\"https://example.org/conditions/knee-pain/roller.svg\" alt=\"A foam roller under the thigh\""),
        "{html}"
    );
    assert!(
        html.contains("<figcaption>Roll <em>slowly</em>.</figcaption>"),
        "{html}"
    );
    assert!(html.contains("<strong>First</strong> (note 1 on Knee pain) and <strong>Second</strong> (note 2 on Knee pain)."), "{html}");
    assert!(
        html.contains("<span class=\"args\">a &quot;q&quot;|4|1.5|true|x,2</span>"),
        "{html}"
    );
    assert!(html.contains("<summary>How long?</summary>"), "{html}");
    assert!(html.contains("Hold for <strong>20 seconds</strong>. See <a href=\"https://example.org/conditions/neck-pain/\">neck</a>"), "{html}");
    // The video loads nothing from a third party until the reader follows the link.
    assert!(
        html.contains("href=\"https://www.youtube-nocookie.com/embed/abc123?autoplay=1\""),
        "{html}"
    );
    assert!(
        !html.contains("<iframe") && !html.contains("<script src"),
        "{html}"
    );
    // Written literally (then smart punctuation curls the quotes, as in any text).
    assert!(
        html.contains("Literally: {{ note(text=“x”) }} and {% details() %}"),
        "{html}"
    );
    assert!(
        html.contains("<code>{{ note(text=\"code\") }}</code>"),
        "{html}"
    );
    assert!(html.contains("{{ nope() }}"), "{html}");
}

#[test]
fn a_site_shortcode_overrides_the_theme_and_md_ones_are_markdown() {
    let t = shortcode_site();
    t.write(
        "templates/shortcodes/details.html",
        "<div class=\"mine\">{{ summary }}</div>",
    );
    t.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n\n{% details(summary=\"S\") %}body{% end %}\n\n## Heading\n\n[x](#heading)\n",
    );
    let out = t.build_ok(&[]);
    assert!(!stderr(&out).contains("missing-anchor"), "{}", stderr(&out));
    assert!(t
        .read("notes/index.html")
        .contains("<div class=\"mine\">S</div>"));
}

#[test]
fn shortcode_errors_point_at_the_call() {
    let t = shortcode_site();
    t.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n\nText {{ figur(src=\"a.png\") }}.\n\n{{ note(text=bare) }}\n\nThe [link](#nowhere).\n\n{{ figure(src=\"a.png\") }}\n\n{% details(summary=\"S\") %}\nno end\n",
    );
    let err = check_err(&t);
    assert!(
        err.contains("error[shortcode::unknown]: no shortcode `figur`"),
        "{err}"
    );
    assert!(err.contains("content/notes.md:5:6"), "{err}");
    assert!(err.contains("did you mean `figure`?"), "{err}");
    assert!(
        err.contains("error[shortcode::argument]: shortcode `note`: `bare` is not a value"),
        "{err}"
    );
    assert!(err.contains("content/notes.md:7:1"), "{err}");
    // Positions after a call still point at the file (the anchor warning).
    assert!(err.contains("content/notes.md:9:5"), "{err}");
    assert!(err.contains("error[shortcode::template]: shortcode `figure` failed in (built in) themes/guide/templates/shortcodes/figure.html, called from content/notes.md"), "{err}");
    assert!(err.contains("`alt` is required"), "{err}");
    assert!(err.contains("content/notes.md:11:1"), "{err}");
    assert!(
        err.contains("error[shortcode::unclosed]: the block shortcode `details` is never closed"),
        "{err}"
    );
    assert!(err.contains("content/notes.md:13:1"), "{err}");
}

const ZOLA_TEMPLATE: &str = r#"lower={{ page.lower.title }};higher={{ page.higher.title }};words={{ page.word_count }};rt={{ page.reading_time }};
path={{ current_path }};extra={{ config.extra.disclaimer }};lang={{ config.default_language }};
{% set tags = get_taxonomy(kind="tags") %}tags={% for t in tags.items %}{{ t.name }}:{{ t.pages | length }},{% endfor %};
{% set term = get_taxonomy_term(kind="tags", term="neck") %}term={{ term.name }}:{{ term.pages.0.title }};
{% set root = get_section(path="_index.md") %}subs={% for s in root.subsections %}{% set sub = get_section(path=s) %}{{ sub.title }},{% endfor %};
{% set d = load_data(path="data/x.toml") %}toml={{ d.a }};
{% set j = load_data(path="data/x.json") %}json={{ j.b }};
{% set c = load_data(path="data/x.csv") %}csv={{ c.headers.1 }}={{ c.records.0.1 }};
{% set y = load_data(path="data/x.yaml") %}yaml={{ y.c }};
trans={{ trans(key="hello") }};
{% set m = get_image_metadata(path="pic.png") %}img={{ m.width }}x{{ m.height }}:{{ m.mime }};
"#;

fn template_site() -> SiteTest {
    let t = SiteTest::fixture("basic");
    t.write("templates/zola.html", ZOLA_TEMPLATE);
    t.edit(
        "content/conditions/knee-pain/index.md",
        "date = 2026-01-01",
        "date = 2026-01-01\ntemplate = \"zola.html\"",
    );
    t.write("data/x.toml", "a = \"from toml\"\n");
    t.write("data/x.json", "{\"b\": \"from json\"}");
    t.write("data/x.csv", "name,value\r\nx,\"from, csv\"\r\n");
    t.write("data/x.yaml", "c: from yaml\n");
    // The start of a 3×2 PNG: signature and IHDR.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0]);
    t.write("static/pic.png", png);
    let config = std::fs::read_to_string(t.root().join("site.toml")).unwrap();
    t.write(
        "site.toml",
        format!("{config}\n[translations]\nhello = \"Hi\"\n"),
    );
    t
}

#[test]
fn zola_template_variables_and_functions() {
    let t = template_site();
    t.build_ok(&[]);
    let html = t.read("conditions/knee-pain/index.html");
    // Sorted by title: Back pain, Knee pain, Neck pain.
    assert!(
        html.contains("lower=Back pain;higher=Neck pain;words="),
        "{html}"
    );
    assert!(html.contains(";rt=1;"), "{html}");
    assert!(
        html.contains("path=/conditions/knee-pain/;extra=Not medical advice.;lang=en;"),
        "{html}"
    );
    assert!(
        html.contains("tags=desk work:1,knee:1,neck:2,posture:1,;"),
        "{html}"
    );
    assert!(html.contains("term=neck:Neck pain;"), "{html}");
    assert!(html.contains("subs=Conditions,;"), "{html}");
    assert!(html.contains("toml=from toml;"), "{html}");
    assert!(html.contains("json=from json;"), "{html}");
    assert!(html.contains("csv=value=from, csv;"), "{html}");
    assert!(html.contains("yaml=from yaml;"), "{html}");
    assert!(html.contains("trans=Hi;"), "{html}");
    assert!(html.contains("img=3x2:image/png;"), "{html}");
}

#[test]
fn load_data_refuses_paths_that_leave_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.toml"), "a = \"secret\"\n").unwrap();
    for path in [
        "../secret.toml".to_string(),
        outside.path().join("secret.toml").display().to_string(),
        "data/link.toml".to_string(),
    ] {
        let t = template_site();
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            outside.path().join("secret.toml"),
            t.root().join("data/link.toml"),
        )
        .unwrap();
        // From a shortcode, where content chooses the path.
        t.write(
            "templates/shortcodes/data.html",
            "{% set d = load_data(path=file) %}{{ d.a }}",
        );
        t.write(
            "content/notes.md",
            format!(
                "+++\ntitle = \"Notes\"\n+++\n\n{{{{ data(file=\"{}\") }}}}\n",
                path.replace('\\', "/")
            ),
        );
        let err = t.build_err(&[]);
        assert!(err.contains("outside the site folder"), "{path}: {err}");
        assert!(err.contains("content/notes.md:5:1"), "{path}: {err}");
        assert!(!err.contains("secret\""), "{err}");
    }
    // get_image_metadata the same way.
    let t = template_site();
    t.write(
        "templates/shortcodes/img.html",
        "{% set m = get_image_metadata(path=file) %}{{ m.width }}",
    );
    t.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n\n{{ img(file=\"../../etc/x.png\") }}\n",
    );
    let err = t.build_err(&[]);
    assert!(
        err.contains("get_image_metadata: `../../etc/x.png` is outside the site folder"),
        "{err}"
    );
}

#[test]
fn zola_taxonomy_templates_and_section_paths() {
    let t = SiteTest::fixture("zola");
    t.write(
        "templates/tags/list.html",
        "{% for term in terms %}{{ term.name }}={{ term.pages | length }};{% endfor %}",
    );
    t.write(
        "templates/tags/single.html",
        "term={{ term.name }}:{% for p in term.pages %}{{ p.title }},{% endfor %}",
    );
    t.write(
        "templates/page.html",
        "{% set parent = get_section(path=page.ancestors | reverse | first) %}parent={{ parent.title }};\
         {% if page.lower %}lower={{ page.lower.title }};{% endif %}{% if page.higher %}higher={{ page.higher.title }};{% endif %}",
    );
    t.build_ok(&[]);
    assert_eq!(t.read("tags/index.html"), "intro=2;more=1;");
    assert_eq!(
        t.read("tags/intro/index.html"),
        "term=intro:Second post,First post,"
    );
    // Sorted by date, newest first: the older post is `lower`.
    assert_eq!(
        t.read("blog/second/index.html"),
        "parent=Blog;lower=First post;"
    );
    assert_eq!(
        t.read("blog/first/index.html"),
        "parent=Blog;higher=Second post;"
    );
}
