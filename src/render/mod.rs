//! Tera: loads the templates, builds each output's context from the linked
//! site and renders every output in parallel.

mod context;
mod functions;
mod listings;

use context::{globals, section_link, shared_values};
pub use context::{page_summary, SummaryChange};
use listings::{faq_groups, pager_count, sitemap_entries};
pub mod theme;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde_json::{json, Map, Value};
use tera::{Context, Tera};

use crate::content::Target;
use crate::diagnostics::Diagnostic;
use crate::metadata;
use crate::outpath::output_file;
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

/// The loaded templates plus the site-wide values, ready to render any job.
pub struct Renderer {
    tera: Tera,
    globals: Map<String, Value>,
    shared: Arc<Shared>,
    origins: HashMap<String, String>,
    /// Some template looks pages up by path, so any page may show any other.
    pub looks_up_pages: bool,
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
        let looks_up_pages = theme
            .templates
            .iter()
            .any(|t| t.text.contains("get_page") || t.text.contains("get_section"));
        Ok(Renderer {
            tera,
            globals,
            shared,
            origins,
            looks_up_pages,
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
                // Aliases were checked and normalised when the content was loaded.
                ("alias.html".into(), from.clone(), None)
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

    fn summaries(&self, pages: &[usize]) -> Value {
        let all = self.shared.summaries();
        Value::Array(pages.iter().map(|&i| all[i].clone()).collect())
    }
}

/// Escapes text for HTML and XML: `&`, `<`, `>`, `"` and `'`.
fn escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    let mut copied = 0;
    // Copy runs of plain text at once; only the five special bytes need work.
    for (i, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&input[copied..]);
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

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_handles_every_special_character() {
        assert_eq!(
            escape("a&b<c>d\"e'f — ü"),
            "a&amp;b&lt;c&gt;d&quot;e&#39;f — ü"
        );
        assert_eq!(escape(""), "");
        assert_eq!(escape("plain"), "plain");
    }
}
