//! Tera: loads the templates, builds each output's context from the linked
//! site and renders every output in parallel.

mod functions;
pub mod theme;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde_json::{json, Map, Value};
use tera::{Context, Tera};

use crate::content::{Page, Target};
use crate::diagnostics::Diagnostic;
use crate::metadata::{self, jsonld, related::excerpt};
use crate::pipeline::Site;
use theme::ThemeFiles;

/// How many entries the Atom feeds carry.
const FEED_LIMIT: usize = 20;

/// One file the renderer produces.
#[derive(Debug, Clone)]
pub enum Job {
    /// A page.
    Page(usize),
    /// Pager `n` (0-based) of a section.
    Section(usize, usize),
    /// The term list of a taxonomy.
    TaxonomyList(usize),
    /// Pager `n` of a term.
    Term(usize, usize, usize),
    /// The Atom feed of a term.
    TermFeed(usize, usize),
    /// The site-wide FAQ page.
    Faq,
    /// `404.html`.
    NotFound,
    /// A redirect from an old path to a permalink.
    Alias(String, String),
    /// `sitemap.xml`.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// `atom.xml`.
    Feed,
}

/// Values every output shares, computed once per build.
pub(crate) struct Shared {
    pub base_url: String,
    pub summaries: RwLock<Vec<Value>>,
    pub section_values: Vec<Value>,
    pub section_pages: Vec<Vec<usize>>,
    pub by_key: HashMap<String, Target>,
    pub static_hashes: HashMap<String, String>,
    pub term_urls: HashMap<(String, String), String>,
    pub markdown: crate::config::MarkdownConfig,
}

impl Shared {
    /// Read access to the page summaries.
    pub fn summaries(&self) -> std::sync::RwLockReadGuard<'_, Vec<Value>> {
        self.summaries.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// The loaded templates plus the site-wide values, ready to render any job.
pub struct Renderer {
    tera: Tera,
    globals: Map<String, Value>,
    shared: Arc<Shared>,
    origins: HashMap<String, String>,
}

impl Renderer {
    /// Loads templates and precomputes what every output shares.
    pub fn new(
        site: &Site,
        theme: &ThemeFiles,
        static_hashes: HashMap<String, String>,
    ) -> Result<Renderer, Vec<Diagnostic>> {
        let mut latest: HashMap<&str, &str> = HashMap::new();
        let mut origins = HashMap::new();
        for t in &theme.templates {
            latest.insert(&t.name, &t.text);
            origins.insert(t.name.clone(), t.origin.clone());
        }
        let mut tera = Tera::default();
        // Tera's default also escapes `/`, which makes every URL unreadable for no gain.
        tera.set_escape_fn(escape);
        let mut diags = Vec::new();
        let mut sorted: Vec<(&str, &str)> = latest.into_iter().collect();
        sorted.sort_unstable();
        if let Err(e) = tera.add_raw_templates(sorted) {
            diags.push(template_error(&e, &origins, None));
            return Err(diags);
        }
        for required in ["page.html", "section.html", "index.html", "404.html"] {
            if !tera.get_template_names().any(|n| n == required) {
                diags.push(
                    Diagnostic::error("template::missing", format!("no `{required}` template"))
                        .in_file("templates")
                        .hint(format!(
                            "add templates/{required}, or use a theme that has it"
                        )),
                );
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let shared = Arc::new(shared_values(site, static_hashes));
        functions::register(&mut tera, &shared);
        let globals = globals(site);
        Ok(Renderer {
            tera,
            globals,
            shared,
            origins,
        })
    }

    /// Every output of the site, in a stable order.
    pub fn jobs(&self, site: &Site) -> Vec<Job> {
        let c = &site.content;
        // Site-wide listings first: they are the longest jobs, and started last they
        // would leave one core working alone at the end.
        let mut jobs = Vec::with_capacity(c.pages.len() + 64);
        if site.config.faq.enabled
            && c.pages.iter().any(|p| !p.faq.is_empty())
            && self.has("faq.html")
        {
            jobs.push(Job::Faq);
        }
        jobs.push(Job::Sitemap);
        if site.config.generate_feed {
            jobs.push(Job::Feed);
        }
        for (ti, t) in site.taxonomies.iter().enumerate() {
            jobs.push(Job::TaxonomyList(ti));
            for (term_i, term) in t.terms.iter().enumerate() {
                for n in 0..pager_count(term.pages.len(), t.config.paginate_by) {
                    jobs.push(Job::Term(ti, term_i, n));
                }
                if t.config.feed {
                    jobs.push(Job::TermFeed(ti, term_i));
                }
            }
        }
        for (si, s) in c.sections.iter().enumerate() {
            if !s.meta.render {
                continue;
            }
            for n in 0..pager_count(s.pages.len(), s.meta.paginate_by) {
                jobs.push(Job::Section(si, n));
            }
            for a in &s.meta.aliases {
                jobs.push(Job::Alias(a.clone(), s.permalink.clone()));
            }
        }
        jobs.extend((0..c.pages.len()).map(Job::Page));
        for p in &c.pages {
            for a in &p.meta.aliases {
                jobs.push(Job::Alias(a.clone(), p.permalink.clone()));
            }
        }
        jobs.push(Job::NotFound);
        jobs.push(Job::Robots);
        jobs
    }

    fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    /// Renders one job to its output path (relative to the output folder) and bytes.
    pub fn render(&self, site: &Site, job: &Job) -> Result<(String, Vec<u8>), Diagnostic> {
        let c = &site.content;
        let mut ctx = self.globals.clone();
        let (template, path, source): (String, String, Option<String>) = match job {
            Job::Page(i) => {
                let p = &c.pages[*i];
                ctx.insert("page".into(), self.page_value(site, *i));
                let template = p
                    .meta
                    .template
                    .clone()
                    .or_else(|| c.sections[p.section].meta.page_template.clone())
                    .unwrap_or_else(|| "page.html".into());
                (
                    template,
                    p.path.clone(),
                    Some(p.file.display.display().to_string()),
                )
            }
            Job::Section(si, n) => {
                let s = &c.sections[*si];
                let mut value = self.shared.section_values[*si].clone();
                let ordered = &self.shared.section_pages[*si];
                let paginated = s.meta.paginate_by.is_some();
                value["pages"] = if paginated {
                    Value::Array(Vec::new())
                } else {
                    self.summaries(ordered)
                };
                value["content"] = json!(s.rendered.html);
                value["extra"] =
                    crate::pipeline::toml_to_json(&toml::Value::Table(s.meta.extra.clone()));
                let ancestors: Vec<Value> = metadata::ancestors(c, *si)
                    .into_iter()
                    .filter(|&a| a != *si)
                    .map(|a| section_link(site, a))
                    .collect();
                value["ancestors"] = Value::Array(ancestors);
                let pager_base = s.path.clone();
                let paginate_path = s
                    .meta
                    .paginate_path
                    .clone()
                    .unwrap_or_else(|| "page".into());
                let (paginator, path) = self.paginator(
                    site,
                    ordered,
                    s.meta.paginate_by,
                    *n,
                    &pager_base,
                    &paginate_path,
                );
                ctx.insert("section".into(), value);
                ctx.insert("paginator".into(), paginator);
                let template = s.meta.template.clone().unwrap_or_else(|| {
                    if *si == 0 {
                        "index.html".into()
                    } else {
                        "section.html".into()
                    }
                });
                if let Some(to) = &s.meta.redirect_to {
                    ctx.insert("redirect_to".into(), json!(to));
                    (
                        "alias.html".into(),
                        path,
                        Some(s.file.display.display().to_string()),
                    )
                } else {
                    (template, path, Some(s.file.display.display().to_string()))
                }
            }
            Job::TaxonomyList(ti) => {
                let t = &site.taxonomies[*ti];
                let terms: Vec<Value> = t
                    .terms
                    .iter()
                    .map(|term| {
                        json!({"name": term.name, "slug": term.slug, "permalink": term.permalink,
                               "path": term.path, "count": term.pages.len()})
                    })
                    .collect();
                ctx.insert(
                    "taxonomy".into(),
                    json!({"name": t.config.name, "permalink": t.permalink, "path": t.path}),
                );
                ctx.insert("terms".into(), Value::Array(terms));
                ("taxonomy_list.html".into(), t.path.clone(), None)
            }
            Job::Term(ti, term_i, n) => {
                let t = &site.taxonomies[*ti];
                let term = &t.terms[*term_i];
                let (paginator, path) = self.paginator(
                    site,
                    &term.pages,
                    t.config.paginate_by,
                    *n,
                    &term.path,
                    "page",
                );
                ctx.insert(
                    "taxonomy".into(),
                    json!({"name": t.config.name, "permalink": t.permalink, "path": t.path}),
                );
                ctx.insert(
                    "term".into(),
                    json!({"name": term.name, "slug": term.slug, "permalink": term.permalink, "path": term.path,
                           "count": term.pages.len(), "pages": paginator["pages"].clone()}),
                );
                ctx.insert("paginator".into(), paginator);
                ("taxonomy_term.html".into(), path, None)
            }
            Job::TermFeed(ti, term_i) => {
                let t = &site.taxonomies[*ti];
                let term = &t.terms[*term_i];
                let path = format!("{}atom.xml", term.path);
                self.feed_context(
                    site,
                    &mut ctx,
                    &term.pages,
                    &format!("{} – {}", site.config.title, term.name),
                    &path,
                    &term.permalink,
                );
                ("atom.xml".into(), path, None)
            }
            Job::Faq => {
                ctx.insert("faq_groups".into(), faq_groups(site));
                ctx.insert("faq_title".into(), json!(site.config.faq.title));
                let path = format!("/{}/", site.config.faq.path.trim_matches('/'));
                ("faq.html".into(), path, None)
            }
            Job::NotFound => ("404.html".into(), "/404.html".into(), None),
            Job::Alias(from, to) => {
                ctx.insert("redirect_to".into(), json!(to));
                let from = format!("/{}", from.trim_start_matches('/'));
                let path = if from.ends_with('/')
                    || from.rsplit('/').next().is_some_and(|l| !l.contains('.'))
                {
                    format!("{}/", from.trim_end_matches('/'))
                } else {
                    from
                };
                ("alias.html".into(), path, None)
            }
            Job::Sitemap => {
                ctx.insert("entries".into(), sitemap_entries(site));
                ("sitemap.xml".into(), "/sitemap.xml".into(), None)
            }
            Job::Robots => ("robots.txt".into(), "/robots.txt".into(), None),
            Job::Feed => {
                let mut dated: Vec<usize> = (0..c.pages.len())
                    .filter(|&i| c.pages[i].date.is_some())
                    .collect();
                dated.sort_by(|&a, &b| {
                    c.pages[b]
                        .date
                        .cmp(&c.pages[a].date)
                        .then_with(|| c.pages[a].file.key.cmp(&c.pages[b].file.key))
                });
                dated.truncate(FEED_LIMIT);
                self.feed_context(
                    site,
                    &mut ctx,
                    &dated,
                    &site.config.title,
                    "/atom.xml",
                    &site.config.permalink("/"),
                );
                ("atom.xml".into(), "/atom.xml".into(), None)
            }
        };
        ctx.insert("current_path".into(), json!(path));
        ctx.insert("current_url".into(), json!(site.config.permalink(&path)));
        let context = Context::from_value(Value::Object(ctx))
            .map_err(|e| template_error(&e, &self.origins, source.as_deref()))?;
        let html = self
            .tera
            .render(&template, &context)
            .map_err(|e| template_error(&e, &self.origins, source.as_deref()))?;
        Ok((output_file(&path), html.into_bytes()))
    }

    /// The listing outputs that show page `i`'s summary: its section's pager, its
    /// terms' pagers, and the pages that list it under "Also interesting".
    pub fn jobs_showing(&self, site: &Site, i: usize) -> Vec<Job> {
        let c = &site.content;
        let page = &c.pages[i];
        let mut jobs = Vec::new();
        let si = page.section;
        if c.sections[si].meta.render {
            let order = &self.shared.section_pages[si];
            if let Some(pos) = order.iter().position(|&p| p == i) {
                let n = c.sections[si]
                    .meta
                    .paginate_by
                    .filter(|&b| b > 0)
                    .map_or(0, |b| pos / b);
                jobs.push(Job::Section(si, n));
            }
        }
        for &(ti, term) in &page.terms {
            let t = &site.taxonomies[ti];
            if let Some(pos) = t.terms[term].pages.iter().position(|&p| p == i) {
                let n = t
                    .config
                    .paginate_by
                    .filter(|&b| b > 0)
                    .map_or(0, |b| pos / b);
                jobs.push(Job::Term(ti, term, n));
            }
        }
        jobs.extend(
            c.pages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.related.contains(&i))
                .map(|(j, _)| Job::Page(j)),
        );
        jobs
    }

    fn summaries(&self, pages: &[usize]) -> Value {
        let all = self.shared.summaries();
        Value::Array(pages.iter().map(|&i| all[i].clone()).collect())
    }

    /// Recomputes the summary of page `i` after an edit; true if it changed.
    pub fn refresh_summary(&self, site: &Site, i: usize) -> bool {
        let new = page_summary(site, &site.content.pages[i]);
        let mut all = self
            .shared
            .summaries
            .write()
            .unwrap_or_else(|e| e.into_inner());
        if all[i] == new {
            false
        } else {
            all[i] = new;
            true
        }
    }

    fn paginator(
        &self,
        site: &Site,
        pages: &[usize],
        by: Option<usize>,
        n: usize,
        base: &str,
        segment: &str,
    ) -> (Value, String) {
        let by_n = by.filter(|&b| b > 0).unwrap_or(pages.len().max(1));
        let count = pager_count(pages.len(), by);
        let url = |k: usize| {
            if k == 0 {
                site.config.permalink(base)
            } else {
                site.config
                    .permalink(&format!("{base}{segment}/{}/", k + 1))
            }
        };
        let path = if n == 0 {
            base.to_string()
        } else {
            format!("{base}{segment}/{}/", n + 1)
        };
        let chunk: Vec<usize> = pages.iter().skip(n * by_n).take(by_n).copied().collect();
        let pagers: Vec<Value> = (0..count)
            .map(|k| json!({"index": k + 1, "permalink": url(k)}))
            .collect();
        let value = json!({
            "pages": self.summaries(&chunk),
            "current_index": n + 1,
            "number_pagers": count,
            "paginate_by": by_n,
            "total_pages": pages.len(),
            "first": url(0),
            "last": url(count.saturating_sub(1)),
            "previous": if n > 0 { json!(url(n - 1)) } else { Value::Null },
            "next": if n + 1 < count { json!(url(n + 1)) } else { Value::Null },
            "pagers": pagers,
        });
        (value, path)
    }

    fn feed_context(
        &self,
        site: &Site,
        ctx: &mut Map<String, Value>,
        pages: &[usize],
        title: &str,
        path: &str,
        home: &str,
    ) {
        let c = &site.content;
        let entries: Vec<Value> = pages
            .iter()
            .filter_map(|&i| {
                let p = &c.pages[i];
                let date = p.date.as_ref()?;
                let updated = p.meta.updated.as_ref().unwrap_or(date);
                Some(json!({"title": p.title(), "permalink": p.permalink, "description": p.meta.description,
                            "published": date.rfc3339(), "updated_rfc3339": updated.rfc3339()}))
            })
            .collect();
        let last = pages
            .iter()
            .filter_map(|&i| {
                c.pages[i]
                    .meta
                    .updated
                    .as_ref()
                    .or(c.pages[i].date.as_ref())
            })
            .max()
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        ctx.insert("pages".into(), Value::Array(entries));
        ctx.insert("feed_title".into(), json!(title));
        ctx.insert("feed_url".into(), json!(site.config.permalink(path)));
        ctx.insert("feed_home".into(), json!(home));
        ctx.insert("last_updated".into(), json!(last));
    }

    fn page_value(&self, site: &Site, i: usize) -> Value {
        let c = &site.content;
        let p = &c.pages[i];
        let summaries = self.shared.summaries();
        let mut v = summaries[i].clone();
        let ancestors = metadata::ancestors(c, p.section);
        v["content"] = json!(p.rendered.html);
        // The text before `<!-- more -->`, else the description.
        v["summary"] = match (&p.rendered.summary, &p.meta.description) {
            (Some(html), _) => json!(html),
            (None, Some(d)) if !d.trim().is_empty() => {
                json!(format!("<p>{}</p>", escape(d.trim())))
            }
            _ => Value::Null,
        };
        v["toc"] = toc_value(&p.rendered.toc, &p.permalink);
        v["heading_count"] = json!(p.rendered.heading_count);
        v["ancestors"] = Value::Array(ancestors.iter().map(|&a| section_link(site, a)).collect());
        v["related"] = Value::Array(
            p.related
                .iter()
                .map(|&r| {
                    let s = &summaries[r];
                    let card: Map<String, Value> =
                        ["title", "permalink", "path", "description", "excerpt"]
                            .into_iter()
                            .map(|k| (k.to_string(), s[k].clone()))
                            .collect();
                    Value::Object(card)
                })
                .collect(),
        );
        v["backlinks"] = Value::Array(
            p.backlinks
                .iter()
                .map(|&b| json!({"title": c.pages[b].title(), "permalink": c.pages[b].permalink}))
                .collect(),
        );
        v["faq"] = Value::Array(
            p.faq
                .iter()
                .map(|f| json!({"question": f.question, "answer": f.html}))
                .collect(),
        );
        v["jsonld"] = json!(jsonld::page_documents(p, &ancestors, c, &site.config));
        v["assets"] = json!(p
            .assets
            .iter()
            .filter_map(|a| a
                .file_name()
                .map(|f| format!("{}{}", p.path, f.to_string_lossy())))
            .collect::<Vec<_>>());
        let mut terms = Map::new();
        for &(ti, term) in &p.terms {
            let t = &site.taxonomies[ti];
            let entry = terms
                .entry(t.config.name.clone())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = entry {
                let term = &t.terms[term];
                list.push(
                    json!({"name": term.name, "slug": term.slug, "permalink": term.permalink}),
                );
            }
        }
        v["terms"] = Value::Object(terms);
        v
    }
}

fn toc_value(toc: &[crate::markdown::Heading], permalink: &str) -> Value {
    Value::Array(
        toc.iter()
            .map(|h| {
                json!({"level": h.level, "id": h.id, "title": h.title,
                       "permalink": format!("{permalink}#{}", h.id),
                       "children": toc_value(&h.children, permalink)})
            })
            .collect(),
    )
}

fn section_link(site: &Site, si: usize) -> Value {
    let s = &site.content.sections[si];
    json!({"title": s.title(), "permalink": s.permalink, "path": s.path})
}

/// Number of pagers for `n` items (at least one).
fn pager_count(n: usize, by: Option<usize>) -> usize {
    match by {
        Some(b) if b > 0 => n.div_ceil(b).max(1),
        _ => 1,
    }
}

/// `/a/b/` → `a/b/index.html`; `/sitemap.xml` → `sitemap.xml`.
pub fn output_file(path: &str) -> String {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".into()
    } else if trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// The summary every listing, `get_page` and "Also interesting" use.
pub fn page_summary(site: &Site, p: &Page) -> Value {
    let excerpt_src = p
        .meta
        .description
        .clone()
        .filter(|d| !d.trim().is_empty())
        .or_else(|| {
            p.rendered
                .summary
                .as_deref()
                .map(crate::markdown::html_to_text)
        })
        .unwrap_or_else(|| {
            let text = crate::markdown::html_to_text(
                &p.rendered.html.chars().take(2000).collect::<String>(),
            );
            text
        });
    json!({
        "title": p.title(),
        "description": p.meta.description.clone().unwrap_or_default(),
        "permalink": p.permalink,
        "path": p.path,
        "slug": p.slug,
        "date": p.date.as_ref().map(|d| d.ymd()),
        "updated": p.meta.updated.as_ref().map(|d| d.ymd()),
        "weight": p.meta.weight,
        "draft": p.meta.draft,
        "word_count": p.rendered.word_count,
        "reading_time": p.rendered.reading_time(),
        "excerpt": excerpt(&excerpt_src, 140),
        "taxonomies": p.meta.taxonomies,
        "authors": p.meta.authors,
        "extra": crate::pipeline::toml_to_json(&toml::Value::Table(p.meta.extra.clone())),
        "lang": site.config.language,
    })
}

fn shared_values(site: &Site, static_hashes: HashMap<String, String>) -> Shared {
    use rayon::prelude::*;
    let c = &site.content;
    let summaries: Vec<Value> = c.pages.par_iter().map(|p| page_summary(site, p)).collect();
    let section_values = c
        .sections
        .iter()
        .map(|s| {
            json!({
                "title": s.title(),
                "description": s.meta.description.clone().unwrap_or_default(),
                "permalink": s.permalink,
                "path": s.path,
                "subsections": s.subsections.iter().map(|&sub| {
                    let ss = &c.sections[sub];
                    json!({"title": ss.title(), "permalink": ss.permalink, "path": ss.path,
                           "description": ss.meta.description.clone().unwrap_or_default(),
                           "page_count": ss.pages.len()})
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let section_pages = c
        .sections
        .iter()
        .map(|s| {
            let mut pages = s.pages.clone();
            if s.meta.paginate_reversed {
                pages.reverse();
            }
            pages
        })
        .collect();
    let mut term_urls = HashMap::new();
    for t in &site.taxonomies {
        for term in &t.terms {
            term_urls.insert(
                (t.config.name.clone(), term.slug.clone()),
                term.permalink.clone(),
            );
        }
    }
    Shared {
        base_url: site.config.base_url.clone(),
        summaries: RwLock::new(summaries),
        section_values,
        section_pages,
        by_key: c.by_key.clone(),
        static_hashes,
        term_urls,
        markdown: site.config.markdown.clone(),
    }
}

fn globals(site: &Site) -> Map<String, Value> {
    let cfg = &site.config;
    let c = &site.content;
    let nav: Vec<Value> = c.sections[0]
        .subsections
        .iter()
        .filter(|&&s| c.sections[s].meta.render)
        .map(|&s| section_link(site, s))
        .collect();
    let mut m = Map::new();
    m.insert(
        "config".into(),
        json!({
            "title": cfg.title,
            "description": cfg.description,
            "base_url": cfg.base_url,
            "language": cfg.language,
            "taxonomies": cfg.taxonomies,
            "extra": crate::pipeline::toml_to_json(&toml::Value::Table(cfg.extra.clone())),
            "author": cfg.author,
            "publisher": cfg.publisher,
            "faq_page": cfg.faq.enabled,
            "faq_url": cfg.permalink(&format!("/{}/", cfg.faq.path.trim_matches('/'))),
            "generate_feed": cfg.generate_feed,
        }),
    );
    m.insert("nav".into(), Value::Array(nav));
    m.insert("lang".into(), json!(cfg.language));
    m.insert("feed_url".into(), json!(cfg.permalink("/atom.xml")));
    m
}

fn faq_groups(site: &Site) -> Value {
    let c = &site.content;
    let mut groups = Vec::new();
    for (si, s) in c.sections.iter().enumerate() {
        let entries: Vec<Value> = s
            .pages
            .iter()
            .flat_map(|&pi| {
                let p = &c.pages[pi];
                p.faq.iter().map(move |f| {
                    json!({"question": f.question, "answer": f.html,
                           "page": {"title": p.title(), "permalink": p.permalink}})
                })
            })
            .collect();
        if !entries.is_empty() {
            groups.push(json!({"section": section_link(site, si), "entries": entries}));
        }
    }
    Value::Array(groups)
}

fn sitemap_entries(site: &Site) -> Value {
    let c = &site.content;
    let mut entries: Vec<Value> = Vec::with_capacity(c.pages.len() + c.sections.len());
    for s in c
        .sections
        .iter()
        .filter(|s| s.meta.render && s.meta.redirect_to.is_none())
    {
        entries.push(json!({"permalink": s.permalink, "lastmod": Value::Null}));
    }
    for p in &c.pages {
        let lastmod = p.meta.updated.as_ref().or(p.date.as_ref()).map(|d| d.ymd());
        entries.push(json!({"permalink": p.permalink, "lastmod": lastmod}));
    }
    for t in &site.taxonomies {
        entries.push(json!({"permalink": t.permalink, "lastmod": Value::Null}));
        for term in &t.terms {
            entries.push(json!({"permalink": term.permalink, "lastmod": Value::Null}));
        }
    }
    Value::Array(entries)
}

/// Escapes text for HTML and XML: `&`, `<`, `>`, `"` and `'`.
fn escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn template_error(
    e: &tera::Error,
    origins: &HashMap<String, String>,
    source: Option<&str>,
) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = cur {
        chain.push(s.to_string());
        cur = s.source();
    }
    let message = chain.join(": ");
    let template = origins
        .iter()
        .filter(|(name, _)| message.contains(&format!("'{name}'")))
        .max_by_key(|(name, _)| name.len())
        .map(|(_, origin)| origin.clone());
    let mut d = Diagnostic::error("template::error", message);
    if let Some(t) = template {
        d = d.in_file(t);
    }
    if let Some(src) = source {
        d = d.hint(format!("this happened while rendering {src}"));
    }
    d
}
