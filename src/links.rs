//! The links pass: renders every body in parallel with `@/` links resolved,
//! then checks anchors against the target's heading ids and records backlinks.

use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;
use serde_json::json;

use crate::config::health::UrgencyLevel;
use crate::derived::{BodyFinding, BodyReader, BodyRef, Derived, FaqAnswer, ShortcodeTemplates};
use crate::diagnostics::{closest, Code, Diagnostic};
use crate::inputs::Reads;
use crate::markdown::shortcodes::{ProblemKind, ShortcodeProblem, ShortcodeRenderer, Shortcodes};
use crate::markdown::{
    self, LinkKind, LinkRef, MarkdownContext, MarkdownHealth, Rendered, Resolved,
};
use crate::model::front_matter::FaqEntry;
use crate::model::health::{PageHealth, Reference};
use crate::model::{PageId, Site, SourceFile, Target};

/// Where bodies find their images, and who reads them as they are rendered.
struct Env<'a> {
    static_dir: &'a Path,
    /// Where the files read by path are recorded, for the input fingerprint.
    reads: &'a Reads,
    /// Reads each body with its [`markdown::scan::Scan`] (the content lint).
    reader: Option<&'a dyn BodyReader>,
}

impl Env<'_> {
    /// What the reader finds in the body just rendered into `r`, whose scan
    /// is dropped here, on the thread that made it.
    fn read(&self, body: BodyRef<'_>, r: &mut Rendered) -> Vec<BodyFinding> {
        let scan = r.scan.take();
        self.reader
            .map(|reader| reader.read(body, scan.as_deref()))
            .unwrap_or_default()
    }
}

/// Renders the bodies and FAQ answers of every page and section into
/// `derived`; a `reader` reads each body as it is rendered, with what the
/// renderer saw of it (see [`markdown::render_and_scan`]), and its findings
/// go to `derived` too.
pub fn render_bodies(
    site: &Site,
    derived: &mut Derived,
    reader: Option<&dyn BodyReader>,
) -> Vec<Diagnostic> {
    let static_dir = site.root.join("static");
    let env = Env {
        static_dir: &static_dir,
        reads: &derived.reads,
        reader,
    };
    let env = &env;
    let page_results: Vec<_> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            let (mut r, faq, d) = page_body(site, derived, env, PageId(i));
            let found = env.read(page_ref(site, PageId(i)), &mut r);
            (r, faq, d, found)
        })
        .collect();
    let section_results: Vec<_> = site
        .sections
        .par_iter()
        .map(|s| {
            let health = markdown_health(site, None, &[]);
            let caller = one_key("section", section_value(s));
            let (mut r, _, d) = document_body(
                site,
                &s.file,
                s.body_offset,
                (None, env),
                &[],
                &health,
                (&derived.shortcodes, caller),
            );
            let body = BodyRef {
                file: &s.file,
                body_offset: s.body_offset,
                section: &s.dir,
                is_section_index: true,
            };
            // The implicit root's empty body finds nothing, and the lint
            // leaves it out.
            let found = env.read(body, &mut r);
            (r, d, found)
        })
        .collect();

    let mut diags = Vec::new();
    let reading = reader.is_some();
    derived.page_bodies = Vec::with_capacity(page_results.len());
    derived.faq = Vec::with_capacity(page_results.len());
    derived.page_findings = Vec::with_capacity(if reading { page_results.len() } else { 0 });
    for (r, faq, d, found) in page_results {
        derived.page_bodies.push(r);
        derived.faq.push(faq);
        diags.extend(d);
        if reading {
            derived.page_findings.push(found);
        }
    }
    derived.section_bodies = Vec::with_capacity(section_results.len());
    derived.section_findings = Vec::new();
    for (r, d, found) in section_results {
        derived.section_bodies.push(r);
        diags.extend(d);
        if reading {
            derived.section_findings.push(found);
        }
    }
    diags
}

/// Re-renders one page after an edit of its body (the incremental rebuild);
/// a `reader` reads it again as [`render_bodies`] does, when the findings of
/// every page are kept.
pub fn render_page(
    site: &Site,
    derived: &mut Derived,
    i: PageId,
    reader: Option<&dyn BodyReader>,
) -> Vec<Diagnostic> {
    let static_dir = site.root.join("static");
    let reader = reader.filter(|_| derived.page_findings.len() == site.pages.len());
    let env = Env {
        static_dir: &static_dir,
        reads: &derived.reads,
        reader,
    };
    let (mut r, faq, diags) = page_body(site, derived, &env, i);
    let found = env.read(page_ref(site, i), &mut r);
    if reader.is_some() {
        derived.page_findings[i.0] = found;
    }
    derived.page_bodies[i.0] = r;
    derived.faq[i.0] = faq;
    diags
}

/// Page `i`'s body, as a [`BodyReader`] is told about it.
fn page_ref(site: &Site, i: PageId) -> BodyRef<'_> {
    let p = &site[i];
    BodyRef {
        file: &p.file,
        body_offset: p.body_offset,
        section: &site[p.section].dir,
        is_section_index: false,
    }
}

fn resolver(site: &Site) -> impl Fn(&str) -> Option<Resolved> + Sync + '_ {
    move |key: &str| {
        let t = site.resolve(key)?;
        Some(Resolved {
            target: site.link_index(t),
            permalink: site.permalink(t).to_string(),
        })
    }
}

fn page_body(
    site: &Site,
    derived: &Derived,
    env: &Env,
    i: PageId,
) -> (Rendered, Vec<FaqAnswer>, Vec<Diagnostic>) {
    let p = &site[i];
    let health = markdown_health(site, p.meta.health.as_ref(), &p.meta.references);
    let caller = one_key("page", page_value(site, i));
    document_body(
        site,
        &p.file,
        p.body_offset,
        (Some(&p.dir), env),
        &p.meta.faq,
        &health,
        (&derived.shortcodes, caller),
    )
}

/// `{key: value}`, moving `value` (`json!` would copy it).
fn one_key(key: &str, value: serde_json::Value) -> serde_json::Value {
    serde_json::Value::Object(std::iter::once((key.to_string(), value)).collect())
}

/// What a shortcode sees of its page before rendering: the front matter and
/// URLs, not the content, table of contents or anything computed later.
fn page_value(site: &Site, i: PageId) -> serde_json::Value {
    let p = &site[i];
    let mut v = json!({
        "title": p.title(),
        "description": p.meta.description,
        "path": p.path,
        "permalink": p.permalink,
        "slug": p.slug,
        "date": p.date.as_ref().map(|d| d.ymd()),
        "relative_path": p.file.key,
        "taxonomies": p.meta.taxonomies,
        "lang": site.config.language,
    });
    v["extra"] = crate::model::table_to_json(&p.meta.extra);
    v["assets"] = p.asset_urls().map(serde_json::Value::String).collect();
    v
}

/// What a shortcode sees of its section before rendering.
fn section_value(s: &crate::model::Section) -> serde_json::Value {
    let mut v = json!({
        "title": s.title(),
        "description": s.meta.description,
        "path": s.path,
        "permalink": s.permalink,
        "relative_path": s.file.key,
    });
    v["extra"] = crate::model::table_to_json(&s.meta.extra);
    v
}

/// The urgency callout titles (with the page's numbers, else the site's) and
/// the reference ids a page's Markdown may cite.
pub fn markdown_health(
    site: &Site,
    page: Option<&PageHealth>,
    references: &[Reference],
) -> MarkdownHealth {
    let h = &site.config.health;
    let number = page
        .and_then(|p| p.emergency_number.as_deref())
        .unwrap_or(&h.emergency_number);
    let urgent = page
        .and_then(|p| p.urgent_help.as_deref())
        .unwrap_or(&h.urgent_help);
    let title = |level| h.labels.title(level, number, urgent);
    MarkdownHealth {
        titles: [
            title(UrgencyLevel::Emergency),
            title(UrgencyLevel::Urgent),
            title(UrgencyLevel::Doctor),
        ],
        references: references.iter().map(|r| r.id.clone()).collect(),
    }
}

/// Renders the body of a page or section, and its FAQ answers, with `@/` links resolved.
fn document_body(
    site: &Site,
    file: &SourceFile,
    body_offset: usize,
    (asset_dir, env): (Option<&Path>, &Env),
    faq: &[FaqEntry],
    health: &MarkdownHealth,
    (templates, caller): (&ShortcodeTemplates, serde_json::Value),
) -> (Rendered, Vec<FaqAnswer>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let resolve = resolver(site);
    let shortcodes = templates.0.as_deref().map(|renderer| Shortcodes {
        renderer: renderer as &dyn ShortcodeRenderer,
        caller,
    });
    let cx = MarkdownContext {
        options: &site.config.markdown,
        resolve: &resolve,
        asset_dir,
        static_dir: Some(env.static_dir),
        reads: Some(env.reads),
        raw_html: true,
        health: Some(health),
        shortcodes: shortcodes.as_ref(),
    };
    let body = &file.text[body_offset..];
    let rendered = if env.reader.is_some() {
        markdown::render_and_scan(body, body_offset, &cx)
    } else {
        markdown::render(body, body_offset, &cx)
    };
    for m in &rendered.missing {
        diags.extend(missing_link(site, file, &m.key, m.span.clone()));
    }
    for p in &rendered.shortcode_problems {
        diags.push(shortcode_problem(file, p));
    }
    // Answers also go into JSON-LD as plain text; raw HTML in them is shown, never run.
    let answer_cx = MarkdownContext {
        raw_html: false,
        health: None,
        shortcodes: None,
        ..cx
    };
    let faq = faq
        .iter()
        .map(|entry| render_answer(site, entry, file, &answer_cx, &mut diags))
        .collect();
    (rendered, faq, diags)
}

/// The error for a shortcode call that failed, at the call.
fn shortcode_problem(file: &SourceFile, p: &ShortcodeProblem) -> Diagnostic {
    let (code, label) = match p.kind {
        ProblemKind::Unknown => (Code::ShortcodeUnknown, "no template of this name"),
        ProblemKind::Unclosed => (Code::ShortcodeUnclosed, "opened here"),
        ProblemKind::BadArgument => (Code::ShortcodeArgument, "in this call"),
        ProblemKind::Template => (Code::ShortcodeTemplate, "called here"),
    };
    let mut d = Diagnostic::error(code, p.message.clone())
        .at(&file.display, &file.text, p.span.clone())
        .label(label);
    if let Some(h) = &p.hint {
        d = d.hint(h.clone());
    }
    d
}

/// The error for an `@/` link the resolver did not know, made helpful: a draft
/// says so, a likely typo gets a suggestion, and a link to a file that already
/// failed to load is not reported a second time.
fn missing_link(
    site: &Site,
    file: &SourceFile,
    key: &str,
    span: Range<usize>,
) -> Option<Diagnostic> {
    let key = key.trim_start_matches('/');
    let key = key.strip_prefix("content/").unwrap_or(key);
    if site.broken.iter().any(|b| b == key) {
        return None;
    }
    let draft = site.drafts.iter().any(|d| d == key);
    let mut d = Diagnostic::error(
        Code::LinkMissingPage,
        format!(
            "link to `@/{key}`, which {}",
            if draft {
                "is a draft"
            } else {
                "does not exist"
            }
        ),
    )
    .at(&file.display, &file.text, span)
    .label(if draft {
        "a draft, left out of this build"
    } else {
        "no such file under content/"
    });
    d = if draft {
        d.hint("build with `--drafts`, or publish the page (`draft = false`)")
    } else if !key.ends_with(".md") {
        d.hint(format!("`@/` links name the Markdown file: `@/{key}.md`"))
    } else if let Some(best) = closest(key, site.by_key.keys().map(String::as_str)) {
        d.hint(format!("did you mean `@/{best}`?"))
    } else {
        d
    };
    Some(d)
}

/// Renders one FAQ answer; its problems point at the answer in the front matter.
fn render_answer(
    site: &Site,
    entry: &FaqEntry,
    file: &SourceFile,
    cx: &MarkdownContext<'_>,
    diags: &mut Vec<Diagnostic>,
) -> FaqAnswer {
    let r = markdown::render(&entry.answer, 0, cx);
    // The answer may be escaped in TOML, so offsets inside it do not map to the
    // file: point at the answer's first words as written, or at its question.
    // Searched for only when a link needs it: most answers have none.
    let text = &file.text;
    let answer_span = || {
        let head: String = entry.answer.chars().take(24).collect();
        let at = text
            .find(head.as_str())
            .or_else(|| text.find(entry.question.as_str()))
            .unwrap_or(0);
        at..at + head.len().min(text.len() - at)
    };
    for m in &r.missing {
        let needle = format!("@/{}", m.key);
        let span = text
            .find(needle.as_str())
            .map_or_else(answer_span, |i| i..i + needle.len());
        diags.extend(missing_link(site, file, &m.key, span));
    }
    let links = r
        .links
        .iter()
        .map(|l| {
            let written = entry.answer.get(l.span.clone()).unwrap_or("");
            let span = text
                .find(written)
                .filter(|_| !written.is_empty())
                .map_or_else(answer_span, |i| i..i + written.len());
            LinkRef {
                kind: l.kind.clone(),
                span,
            }
        })
        .collect();
    let mut html = r.html;
    if let Some(stripped) = html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>\n"))
    {
        if !stripped.contains("<p>") {
            html = stripped.to_string();
        }
    }
    FaqAnswer {
        question: entry.question.trim().to_string(),
        text: markdown::html_to_text(&html),
        html,
        links,
    }
}

/// Checks every `#anchor` and fills `backlinks`; returns the problems found.
pub fn check_anchors_and_backlinks(site: &Site, derived: &mut Derived) -> Vec<Diagnostic> {
    let sources: Vec<Target> = site
        .page_ids()
        .map(Target::Page)
        .chain(site.section_ids().map(Target::Section))
        .collect();
    let results: Vec<(Vec<PageId>, Vec<Diagnostic>)> = sources
        .par_iter()
        .map(|&src| check_source(site, derived, src))
        .collect();
    let mut diags = Vec::new();
    derived.backlinks = vec![Vec::new(); site.pages.len()];
    for (src, (targets, d)) in sources.iter().zip(results) {
        diags.extend(d);
        if let Target::Page(s) = src {
            for t in targets {
                if t != *s {
                    derived.backlinks[t.0].push(*s);
                }
            }
        }
    }
    diags
}

/// After page `i` changed, checks its own anchors and those of every page or
/// section that links into it (the incremental rebuild).
pub fn recheck_anchors_into(site: &Site, derived: &Derived, i: PageId) -> Vec<Diagnostic> {
    let mut sources: Vec<Target> = vec![Target::Page(i)];
    sources.extend(derived.backlinks(i).iter().map(|&b| Target::Page(b)));
    let this = Target::Page(i);
    sources.extend(
        site.page_ids()
            .filter(|&p| {
                derived.faq(p).iter().flat_map(|a| &a.links).any(|l| {
                    matches!(l.kind, LinkKind::Internal { target, .. } if site.link_target(target) == this)
                })
            })
            .map(Target::Page),
    );
    let mut seen = std::collections::HashSet::new();
    sources.retain(|s| seen.insert(*s));
    sources.extend(site.section_ids().map(Target::Section));
    sources
        .into_iter()
        .flat_map(|s| check_source(site, derived, s).1)
        .collect()
}

/// Pages that page `i` links to (other than itself).
pub fn outgoing(site: &Site, derived: &Derived, i: PageId) -> std::collections::BTreeSet<PageId> {
    derived
        .page_body(i)
        .links
        .iter()
        .filter_map(|l| match &l.kind {
            LinkKind::Internal { target, .. } => match site.link_target(*target) {
                Target::Page(p) if p != i => Some(p),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Checks the anchors of one page or section; returns the pages it links to.
fn check_source(site: &Site, derived: &Derived, src: Target) -> (Vec<PageId>, Vec<Diagnostic>) {
    let file = site.file(src);
    let own = derived.body(src);
    let mut diags = Vec::new();
    let mut targets = Vec::new();
    // A page's FAQ answers link like its body does.
    let faq_links = match src {
        Target::Page(p) => derived.faq(p).iter().flat_map(|a| &a.links).collect(),
        Target::Section(_) => Vec::new(),
    };
    let body_links = own.links.len();
    for (k, link) in own.links.iter().chain(faq_links).enumerate() {
        let (target_ids, anchor, target) = match &link.kind {
            LinkKind::Internal { target, anchor } => {
                let t = site.link_target(*target);
                // Backlinks come from bodies only.
                if let (Target::Page(p), Target::Page(_), true) = (t, src, k < body_links) {
                    targets.push(p);
                }
                match anchor {
                    Some(a) => (&derived.body(t).ids, a, Some(t)),
                    None => continue,
                }
            }
            LinkKind::SamePage(a) => (&own.ids, a, None),
            LinkKind::External(_) => continue,
        };
        if anchor.is_empty() || target_ids.contains(anchor.as_str()) {
            continue;
        }
        let whose = match target {
            Some(t) => format!("content/{}", site.file(t).key),
            None => "this page".to_string(),
        };
        let message = format!("`#{anchor}` is not a heading id on {whose}");
        // `[link_checker] internal_level`; unset, a same-page `#id` only warns
        // (GitHub-style fragments such as `#-features` are common in READMEs).
        let mut d = if site.config.link_checker.anchor_is_error(target.is_none()) {
            Diagnostic::error(Code::LinkMissingAnchor, message)
        } else {
            Diagnostic::warning(Code::LinkMissingAnchor, message)
        }
        .at(&file.display, &file.text, link.span.clone())
        .label("no heading has this id");
        if let Some(best) = closest(anchor, target_ids.iter().map(|s| s.as_str()))
            .or_else(|| same_words(anchor, target_ids))
        {
            d = d.hint(format!("did you mean `#{best}`?"));
        } else if !target_ids.is_empty() {
            let mut ids: Vec<&str> = target_ids.iter().map(|s| s.as_str()).collect();
            ids.sort_unstable();
            ids.truncate(8);
            d = d.hint(format!("ids there include: {}", ids.join(", ")));
        }
        diags.push(d);
    }
    targets.sort_unstable();
    targets.dedup();
    (targets, diags)
}

/// The shortest id that holds the words of `anchor`: GitHub drops emoji from
/// ids (`#-features` for "✨ Features") where fascia spells them
/// (`sparkles-features`), too far apart for [`closest`].
fn same_words<'a>(anchor: &str, ids: &'a std::collections::HashSet<String>) -> Option<&'a str> {
    let core = anchor.trim_matches('-').to_lowercase();
    if core.len() < 3 {
        return None;
    }
    ids.iter()
        .filter(|id| id.to_lowercase().contains(&core))
        .min_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)))
        .map(String::as_str)
}
