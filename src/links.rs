//! Renders every body in parallel with `@/` links resolved, then checks
//! anchors against the target's heading ids and records backlinks.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Content, FaqAnswer, Target};
use crate::diagnostics::{closest, Diagnostic};
use crate::markdown::{self, LinkKind, MarkdownContext, Rendered, Resolved};

/// Index space shared by pages and sections in `Resolved::target`.
fn encode(t: Target, pages: usize) -> usize {
    match t {
        Target::Page(i) => i,
        Target::Section(i) => pages + i,
    }
}

/// Turns `Resolved::target` back into a page or section.
pub fn decode(i: usize, pages: usize) -> Target {
    if i < pages {
        Target::Page(i)
    } else {
        Target::Section(i - pages)
    }
}

/// Renders the bodies and FAQ answers of every page and section.
pub fn render_bodies(content: &mut Content, config: &Config, root: &Path) -> Vec<Diagnostic> {
    let n = content.pages.len();
    let static_dir = root.join("static");
    let lookup = |key: &str| -> Option<Resolved> {
        let t = content.resolve(key)?;
        Some(Resolved {
            target: encode(t, n),
            permalink: content.permalink(t).to_string(),
        })
    };
    let resolve: &(dyn Fn(&str) -> Option<Resolved> + Sync) = &lookup;
    let drafts = &content.drafts;
    let explain_drafts = |mut diags: Vec<Diagnostic>| {
        for d in diags.iter_mut().filter(|d| d.code == "link::missing-page") {
            if drafts.iter().any(|k| d.message.contains(&format!("@/{k}`"))) {
                d.message = d.message.replace("which does not exist", "which is a draft");
                d.hint = Some("build with `--drafts`, or publish the page (`draft = false`)".into());
            }
        }
        diags
    };

    let page_results: Vec<(Rendered, Vec<FaqAnswer>, Vec<Diagnostic>)> = content
        .pages
        .par_iter()
        .map(|p| {
            let mut diags = Vec::new();
            let cx = MarkdownContext {
                options: &config.markdown,
                resolve,
                file: &p.file.display,
                source: &p.file.text,
                asset_dir: Some(&p.dir),
                static_dir: Some(&static_dir),
            };
            let rendered = markdown::render(&p.file.text[p.body_offset..], p.body_offset, &cx, &mut diags);
            let faq = p
                .meta
                .faq
                .iter()
                .map(|entry| render_answer(&entry.question, &entry.answer, &p.file.text, &cx, &mut diags))
                .collect();
            (rendered, faq, explain_drafts(diags))
        })
        .collect();
    let section_results: Vec<(Rendered, Vec<Diagnostic>)> = content
        .sections
        .par_iter()
        .map(|s| {
            let mut diags = Vec::new();
            let cx = MarkdownContext {
                options: &config.markdown,
                resolve,
                file: &s.file.display,
                source: &s.file.text,
                asset_dir: None,
                static_dir: Some(&static_dir),
            };
            let r = markdown::render(&s.file.text[s.body_offset..], s.body_offset, &cx, &mut diags);
            (r, explain_drafts(diags))
        })
        .collect();

    let mut diags = Vec::new();
    for (page, (r, faq, d)) in content.pages.iter_mut().zip(page_results) {
        page.rendered = r;
        page.faq = faq;
        diags.extend(d);
    }
    for (section, (r, d)) in content.sections.iter_mut().zip(section_results) {
        section.rendered = r;
        diags.extend(d);
    }
    diags
}

/// Renders one FAQ answer; its link errors point at the answer in the front matter.
fn render_answer(
    question: &str,
    answer: &str,
    text: &Arc<str>,
    cx: &MarkdownContext<'_>,
    diags: &mut Vec<Diagnostic>,
) -> FaqAnswer {
    let mut local = Vec::new();
    let r = markdown::render(answer, 0, cx, &mut local);
    // The answer's text may be escaped in TOML, so locate each problem by its link target.
    for mut d in local {
        let needle = d
            .message
            .split('`')
            .nth(1)
            .unwrap_or(question)
            .to_string();
        let at = text.find(&needle).unwrap_or(0);
        d.span = Some(at..at + needle.len().min(text.len() - at));
        diags.push(d);
    }
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
        question: question.trim().to_string(),
        text: markdown::html_to_text(&html),
        html,
    }
}

/// Checks every `#anchor` and fills `backlinks`; returns the problems found.
pub fn check_anchors_and_backlinks(content: &mut Content) -> Vec<Diagnostic> {
    let n = content.pages.len();
    let sources: Vec<Target> = (0..n)
        .map(Target::Page)
        .chain((0..content.sections.len()).map(Target::Section))
        .collect();
    let results: Vec<(Vec<usize>, Vec<Diagnostic>)> = sources
        .par_iter()
        .map(|&src| {
            let file = content.file(src);
            let own = content.rendered(src);
            let mut diags = Vec::new();
            let mut targets = Vec::new();
            for link in &own.links {
                let (target_ids, anchor, target) = match &link.kind {
                    LinkKind::Internal { target, anchor } => {
                        let t = decode(*target, n);
                        if let (Target::Page(p), Target::Page(_)) = (t, src) {
                            targets.push(p);
                        }
                        match anchor {
                            Some(a) => (&content.rendered(t).ids, a, Some(t)),
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
                    Some(t) => format!("content/{}", content.file(t).key),
                    None => "this page".to_string(),
                };
                let mut d = Diagnostic::error(
                    "link::missing-anchor",
                    format!("`#{anchor}` is not a heading id on {whose}"),
                )
                .at(&file.display, &file.text, link.span.clone())
                .label("no heading has this id");
                if let Some(best) = closest(anchor, target_ids.iter().map(|s| s.as_str())) {
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
        })
        .collect();
    let mut diags = Vec::new();
    for page in &mut content.pages {
        page.backlinks.clear();
    }
    for (src, (targets, d)) in sources.iter().zip(results) {
        diags.extend(d);
        if let Target::Page(s) = src {
            for t in targets {
                if t != *s {
                    content.pages[t].backlinks.push(*s);
                }
            }
        }
    }
    diags
}
