//! Where every job writes, computed before anything renders, so that two
//! outputs claiming one file (a page and an alias, a section and a taxonomy,
//! a page and a static file or a built-in output) are an error naming both.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use super::{Job, Renderer};
use crate::diagnostics::{value_span, Code, Diagnostic};
use crate::model::{Site, SourceFile};
use crate::outpath::output_file;

/// Who asked for an output: a sentence, and the field's place when there is one.
struct Claim {
    who: String,
    at: Option<(PathBuf, Arc<str>, Range<usize>)>,
}

impl Claim {
    fn built_in(what: &str) -> Self {
        Claim {
            who: format!("the built-in {what}"),
            at: None,
        }
    }

    /// A content file; `field` and `value` point at what chose the path, if written.
    fn file(file: &SourceFile, field: Option<(&str, &str)>) -> Self {
        let span = field.and_then(|(field, value)| {
            let from = find_key(&file.text, field)?;
            let span = value_span(&file.text, from, value);
            // An empty value is found as the quotes around it.
            Some(if span.is_empty() {
                from..from + field.len()
            } else {
                span
            })
        });
        Claim {
            who: file.display.display().to_string().replace('\\', "/"),
            at: Some((
                file.display.clone(),
                file.text.clone(),
                span.unwrap_or(0..0),
            )),
        }
    }
}

/// The byte offset of `key` written as a front matter key (`key =` or `key:`).
fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(key) {
        let at = from + i;
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let after = text[at + key.len()..].trim_start_matches([' ', '\t']);
        if text[line_start..at].trim().is_empty()
            && (after.starts_with('=') || after.starts_with(':'))
        {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}

impl Renderer {
    /// Who writes `job`'s output, and its URL path.
    fn claim(&self, site: &Site, job: &Job) -> (String, Claim) {
        match job {
            Job::Page(id) => {
                let p = &site[*id];
                let field = match (&p.meta.path, &p.meta.slug) {
                    (Some(path), _) => Some(("path", path.as_str())),
                    (None, Some(slug)) => Some(("slug", slug.as_str())),
                    _ => None,
                };
                (p.path.clone(), Claim::file(&p.file, field))
            }
            Job::Section(id, n) => {
                let s = &site[*id];
                let segment = s.meta.paginate_path.as_deref().unwrap_or("page");
                let path = if *n == 0 {
                    s.path.clone()
                } else {
                    format!("{}{segment}/{}/", s.path, n + 1)
                };
                (path, Claim::file(&s.file, None))
            }
            Job::TaxonomyList(id) => {
                let t = &site[*id];
                (
                    t.path.clone(),
                    Claim {
                        who: format!("the `{}` taxonomy of site.toml", t.config.name),
                        at: None,
                    },
                )
            }
            Job::Term(id, n) => {
                let t = &site[id.taxonomy];
                let term = &site[*id];
                let path = if *n == 0 {
                    term.path.clone()
                } else {
                    format!("{}page/{}/", term.path, n + 1)
                };
                (
                    path,
                    Claim {
                        who: format!(
                            "the term `{}` of the `{}` taxonomy",
                            term.name, t.config.name
                        ),
                        at: None,
                    },
                )
            }
            Job::TermFeed(id) => (
                format!("{}atom.xml", site[*id].path),
                Claim {
                    who: format!("the feed of the term `{}`", site[*id].name),
                    at: None,
                },
            ),
            Job::Faq(n) => (
                super::listings::faq_pager_path(&site.config, *n),
                Claim {
                    who: "the FAQ page (`[faq] path` in site.toml)".into(),
                    at: None,
                },
            ),
            Job::NotFound => ("/404.html".into(), Claim::built_in("404 page")),
            Job::Search => (super::SEARCH_PATH.into(), Claim::built_in("search page")),
            Job::Alias(from, to) => (from.clone(), alias_claim(site, from, to)),
            Job::Sitemap => ("/sitemap.xml".into(), Claim::built_in("sitemap.xml")),
            Job::Robots => ("/robots.txt".into(), Claim::built_in("robots.txt")),
            Job::Feed => ("/atom.xml".into(), Claim::built_in("atom.xml")),
        }
    }

    /// The template a job renders and who asked for the output (a content
    /// file, a taxonomy, a built-in output), for errors about the render.
    pub fn describe(&self, site: &Site, job: &Job) -> (String, String) {
        let template = match job {
            Job::Page(id) => {
                let p = &site[*id];
                p.meta
                    .template
                    .clone()
                    .or_else(|| site[p.section].meta.page_template.clone())
                    .unwrap_or_else(|| "page.html".into())
            }
            Job::Section(id, _) => {
                let s = &site[*id];
                match (&s.meta.redirect_to, &s.meta.template) {
                    (Some(_), _) => "alias.html".into(),
                    (None, Some(t)) => t.clone(),
                    (None, None) if *id == crate::model::SectionId::ROOT => "index.html".into(),
                    (None, None) => "section.html".into(),
                }
            }
            Job::TaxonomyList(_) => "taxonomy_list.html".into(),
            Job::Term(..) => "taxonomy_term.html".into(),
            Job::TermFeed(_) | Job::Feed => "atom.xml".into(),
            Job::Faq(_) => "faq.html".into(),
            Job::Search => super::SEARCH_TEMPLATE.into(),
            Job::NotFound => "404.html".into(),
            Job::Alias(..) => "alias.html".into(),
            Job::Sitemap => "sitemap.xml".into(),
            Job::Robots => "robots.txt".into(),
        };
        let (path, claim) = self.claim(site, job);
        let who = match job {
            Job::Page(_) | Job::Section(..) => claim.who,
            _ => path,
        };
        (template, who)
    }

    /// Every output file that two jobs, or a job and a static file, would both
    /// write: one error each, at the later claim's field when it has one.
    pub fn collisions(&self, site: &Site, jobs: &[Job], statics: &[&str]) -> Vec<Diagnostic> {
        let mut seen: HashMap<String, Claim> = HashMap::with_capacity(jobs.len() + statics.len());
        let mut diags = Vec::new();
        let claims = jobs.iter().map(|j| {
            let (path, claim) = self.claim(site, j);
            (output_file(&path), claim)
        });
        let statics = statics.iter().map(|rel| {
            (
                rel.to_string(),
                Claim {
                    who: format!("the static file {rel}"),
                    at: None,
                },
            )
        });
        for (file, claim) in claims.chain(statics) {
            let Some(first) = seen.get(&file) else {
                seen.insert(file, claim);
                continue;
            };
            // Point at whichever of the two has a field to change.
            let (here, other) = if claim.at.is_some() || first.at.is_none() {
                (&claim, first)
            } else {
                (first, &claim)
            };
            let mut d = Diagnostic::error(
                Code::OutputCollision,
                format!(
                    "`{file}` would be written twice: by {} and by {}",
                    other.who, here.who
                ),
            );
            d = match &here.at {
                Some((display, text, span)) => d
                    .at(display, text, span.clone())
                    .label("this output path is taken"),
                None => d.in_file("site.toml"),
            };
            diags.push(d.hint("give one of them another `path`, `slug` or alias"));
        }
        diags
    }
}

/// Who asked for the alias `from` of the page or section at `to`, pointing at
/// the alias as written.
fn alias_claim(site: &Site, from: &str, to: &str) -> Claim {
    let file = site
        .pages
        .iter()
        .filter(|p| p.permalink == to)
        .find(|p| p.meta.aliases.iter().any(|a| a == from))
        .map(|p| &p.file)
        .or_else(|| {
            site.sections
                .iter()
                .filter(|s| s.permalink == to)
                .find(|s| s.meta.aliases.iter().any(|a| a == from))
                .map(|s| &s.file)
        });
    let claim = match file {
        Some(f) => {
            let mut c = Claim::file(f, None);
            // Point at the alias as written (it was normalised when loading).
            if let (Some(at), Some(from_at)) = (&mut c.at, find_key(&f.text, "aliases")) {
                let bare = from.trim_matches('/');
                let span = value_span(&f.text, from_at, from);
                at.2 = if span.is_empty() {
                    value_span(&f.text, from_at, bare)
                } else {
                    span
                };
            }
            c.who = format!("an alias in {}", c.who);
            c
        }
        None => Claim {
            who: format!("an alias of {to}"),
            at: None,
        },
    };
    claim
}
