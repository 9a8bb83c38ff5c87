//! Tera: loads the templates, builds each output's context from the linked
//! site and renders every output in parallel.

mod context;
mod cycles;
mod functions;
mod listings;
mod outputs;
mod usage;

use context::{globals, section_link, shared_values};
pub use context::{page_summary, SummaryChange};
use listings::{pager_count, search_groups, sitemap_entries};
pub mod shortcodes;
pub mod theme;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use serde_json::{json, Map, Value};
use tera::{Context, Tera};

use crate::derived::Derived;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{table_to_json, PageId, SectionId, Site, Target, TaxonomyId, TermId};
use crate::outpath::output_file;
use theme::ThemeFiles;

/// The template and URL path of the search page.
const SEARCH_TEMPLATE: &str = "search.html";
const SEARCH_PATH: &str = "/search/";

/// How many entries the Atom feeds carry.
const FEED_LIMIT: usize = 20;

/// One file the renderer produces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Job {
    /// A page.
    Page(PageId),
    /// Pager `n` (0-based) of a section.
    Section(SectionId, usize),
    /// The term list of a taxonomy.
    TaxonomyList(TaxonomyId),
    /// Pager `n` of a term.
    Term(TermId, usize),
    /// The Atom feed of a term.
    TermFeed(TermId),
    /// Pager `n` of the site-wide FAQ page.
    Faq(usize),
    /// The search page, `/search/`.
    Search,
    /// `404.html`.
    NotFound,
    /// A redirect from an old path (checked and normalised when loading) to a permalink.
    Alias(String, String),
    /// `sitemap.xml`.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// `atom.xml`.
    Feed,
}

/// What one job renders: the template, the output's URL path, the file it
/// comes from (for error messages) and the values it adds to the globals.
struct Prepared {
    template: String,
    path: String,
    source: Option<String>,
    values: Vec<(&'static str, Value)>,
}

impl Prepared {
    fn new(template: impl Into<String>, path: impl Into<String>) -> Self {
        Prepared {
            template: template.into(),
            path: path.into(),
            source: None,
            values: Vec::new(),
        }
    }

    fn with(mut self, key: &'static str, value: Value) -> Self {
        self.values.push((key, value));
        self
    }

    fn source(mut self, file: &std::path::Path) -> Self {
        self.source = Some(file.display().to_string());
        self
    }
}

/// A first capacity for a job's output: the HTML of the page or section it
/// shows plus what the guide theme adds around it.
fn size_hint(context: &Context) -> usize {
    const CHROME: usize = 16 * 1024;
    let content = |key: &str| {
        context
            .get(key)
            .and_then(|v| v.get("content"))
            .and_then(Value::as_str)
            .map_or(0, str::len)
    };
    CHROME + content("page") + content("section")
}

/// Values every output shares, computed once per build.
pub(crate) struct Shared {
    pub base_url: String,
    pub summaries: RwLock<Vec<Value>>,
    pub section_values: Vec<Value>,
    pub section_pages: Vec<Vec<PageId>>,
    /// Per page, its `lower` and `higher` neighbours (see `context::neighbours`).
    pub neighbours: Vec<context::Neighbours>,
    pub by_key: HashMap<String, Target>,
    pub static_hashes: HashMap<String, String>,
    pub term_urls: HashMap<(String, String), String>,
    pub markdown: crate::config::MarkdownConfig,
    /// The date of this build, for "review overdue".
    pub today: crate::model::front_matter::PageDate,
    /// The site root: `load_data` reads only below it.
    pub root: std::path::PathBuf,
    /// Where `load_data` and `get_image_metadata` record what they read.
    pub reads: Arc<crate::inputs::Reads>,
    /// `[translations]` of the default language, for `trans`.
    pub translations: toml::Table,
    /// The default language.
    pub language: String,
    /// Taxonomies by name: the taxonomy value, and each term's value and pages.
    pub taxonomies: HashMap<String, TaxonomyEntry>,
    /// The pages with questions in the FAQ page's order ([`listings::faq_order`]).
    pub faq_order: Vec<listings::FaqPlace>,
    /// How many questions the FAQ page lists.
    pub faq_questions: usize,
}

/// Whether the FAQ page is written: it is enabled, some page has questions and
/// the theme has `faq.html`. Templates see it as `config.faq_page`, so they
/// link to the page only when it exists.
fn has_faq_page(site: &Site, derived: &Derived, has_template: bool) -> bool {
    site.config.faq.enabled && derived.faq.iter().any(|f| !f.is_empty()) && has_template
}

/// A taxonomy for `get_taxonomy`: its value, and each term's value and pages.
pub(crate) type TaxonomyEntry = (Value, Vec<(Value, Vec<PageId>)>);

/// The loaded templates plus the site-wide values, ready to render any job.
pub struct Renderer {
    tera: Tera,
    globals: Map<String, Value>,
    shared: Arc<Shared>,
    /// Each template's origin (shown in diagnostics) and text, by name.
    origins: HashMap<String, (String, Arc<str>)>,
    /// Some template looks pages up by path, so any page may show any other.
    pub looks_up_pages: bool,
    /// The site builds a search index (see [`crate::search::enabled`]).
    pub search: bool,
    /// Term list templates that never read a term's `pages` (see `usage.rs`).
    lists_without_pages: HashSet<String>,
    /// Some template may read a page's `review` or `references` (see
    /// `usage.rs`); when none does, they are left empty.
    reads_review: bool,
    reads_references: bool,
}

impl Renderer {
    /// Loads templates and precomputes what every output shares.
    pub fn new(
        site: &Site,
        derived: &Derived,
        theme: &ThemeFiles,
        static_hashes: HashMap<String, String>,
    ) -> Result<Renderer, Vec<Diagnostic>> {
        let mut latest: HashMap<&str, &str> = HashMap::new();
        let mut origins = HashMap::new();
        for t in &theme.templates {
            latest.insert(&t.name, &t.text);
            origins.insert(
                t.name.clone(),
                (t.origin.clone(), Arc::from(t.text.as_str())),
            );
        }
        let mut tera = Tera::default();
        // Tera's default also escapes `/`, which makes every URL unreadable for no gain.
        tera.set_escape_fn(escape);
        let mut diags = Vec::new();
        let mut sorted: Vec<(&str, &str)> = latest.into_iter().collect();
        sorted.sort_unstable();
        let sources: Vec<cycles::Source<'_>> = sorted
            .iter()
            .map(|&(name, text)| cycles::Source {
                name,
                origin: origins.get(name).map_or(name, |(o, _)| o.as_str()),
                text,
            })
            .collect();
        let checked = cycles::check(&sources);
        if !checked.errors.is_empty() {
            return Err(checked.errors);
        }
        let lists_without_pages = origins
            .keys()
            .filter(|n| n.ends_with("list.html"))
            .filter(|n| !usage::may_read_term_pages(n, &checked.edges, &origins))
            .cloned()
            .collect();
        let sorted: Vec<(&str, &str)> = sorted
            .into_iter()
            .map(|(name, text)| {
                (
                    name,
                    checked.rewritten.get(name).map_or(text, String::as_str),
                )
            })
            .collect();
        if let Err(e) = tera.add_raw_templates(sorted) {
            diags.push(template_error(&e, &origins, None));
            return Err(diags);
        }
        for required in ["page.html", "section.html", "index.html", "404.html"] {
            if !tera.get_template_names().any(|n| n == required) {
                diags.push(
                    Diagnostic::error(Code::TemplateMissing, format!("no `{required}` template"))
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
        let shared = Arc::new(shared_values(site, derived, static_hashes));
        functions::register(&mut tera, &shared);
        let has_faq_template = tera.get_template_names().any(|n| n == "faq.html");
        let search = crate::search::enabled(&site.config, tera_has(&tera, SEARCH_TEMPLATE));
        let mut globals = globals(site, has_faq_page(site, derived, has_faq_template));
        if let Some(Value::Object(config)) = globals.get_mut("config") {
            config.insert("search".into(), json!(search));
            config.insert(
                "search_url".into(),
                json!(site.config.permalink(SEARCH_PATH)),
            );
        }
        let looks_up_pages = theme.templates.iter().any(|t| {
            ["get_page", "get_section", "get_taxonomy"]
                .iter()
                .any(|f| t.text.contains(f))
        });
        let texts = || theme.templates.iter().map(|t| t.text.as_str());
        Ok(Renderer {
            tera,
            globals,
            shared,
            origins,
            looks_up_pages,
            search,
            lists_without_pages,
            reads_review: usage::any_may_read_page_field(texts(), "review"),
            reads_references: usage::any_may_read_page_field(texts(), "references"),
        })
    }

    /// Every output of the site, in a stable order.
    pub fn jobs(&self, site: &Site, derived: &Derived) -> Vec<Job> {
        // Site-wide listings first: they are the longest jobs, and started last they
        // would leave one core working alone at the end. The FAQ pages and
        // taxonomy lists come after the pages, though: they hold every question
        // and answer of the site, or the summary of every page once per term,
        // and by then a build has let go of the pages' HTML.
        let mut jobs = Vec::with_capacity(site.pages.len() + 64);
        if self.search && self.has(SEARCH_TEMPLATE) {
            jobs.push(Job::Search);
        }
        jobs.push(Job::Sitemap);
        if site.config.generate_feed {
            jobs.push(Job::Feed);
        }
        for (ti, t) in site.taxonomies.iter().enumerate() {
            let taxonomy = TaxonomyId(ti);
            for (term, entry) in t.terms.iter().enumerate() {
                let id = TermId { taxonomy, term };
                for n in 0..pager_count(entry.pages.len(), t.config.paginate_by) {
                    jobs.push(Job::Term(id, n));
                }
                if t.config.feed {
                    jobs.push(Job::TermFeed(id));
                }
            }
        }
        for si in site.section_ids() {
            let s = &site[si];
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
        jobs.extend(site.page_ids().map(Job::Page));
        for p in &site.pages {
            for a in &p.meta.aliases {
                jobs.push(Job::Alias(a.clone(), p.permalink.clone()));
            }
        }
        if has_faq_page(site, derived, self.has("faq.html")) {
            let pagers = pager_count(self.shared.faq_questions, site.config.faq.paginate_by);
            jobs.extend((0..pagers).map(Job::Faq));
        }
        jobs.extend((0..site.taxonomies.len()).map(|t| Job::TaxonomyList(TaxonomyId(t))));
        jobs.push(Job::NotFound);
        jobs.push(Job::Robots);
        jobs
    }

    /// Where template `name` comes from (`templates/page.html`), for diagnostics.
    pub fn origin(&self, name: &str) -> Option<String> {
        self.origins.get(name).map(|(o, _)| o.clone())
    }

    fn has(&self, name: &str) -> bool {
        tera_has(&self.tera, name)
    }

    /// Renders one job to its output path (relative to the output folder) and bytes.
    pub fn render(
        &self,
        site: &Site,
        derived: &Derived,
        job: &Job,
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        let prepared = match job {
            Job::Page(id) => self.page(site, derived, *id),
            Job::Section(id, n) => self.section(site, derived, *id, *n),
            Job::TaxonomyList(id) => self.taxonomy_list(site, *id),
            Job::Term(id, n) => self.term(site, *id, *n),
            Job::TermFeed(id) => self.term_feed(site, *id),
            Job::Faq(n) => self.faq(site, derived, *n),
            Job::Search => Prepared::new(SEARCH_TEMPLATE, SEARCH_PATH)
                .with("search_groups", search_groups(site)),
            Job::NotFound => Prepared::new("404.html", "/404.html"),
            Job::Alias(from, to) => {
                Prepared::new("alias.html", from.clone()).with("redirect_to", json!(to))
            }
            Job::Sitemap => {
                Prepared::new("sitemap.xml", "/sitemap.xml").with("entries", sitemap_entries(site))
            }
            Job::Robots => Prepared::new("robots.txt", "/robots.txt"),
            Job::Feed => self.site_feed(site),
        };
        self.finish(site, prepared)
    }

    /// Renders the template of a prepared job with the globals and its values.
    fn finish(&self, site: &Site, job: Prepared) -> Result<(String, Vec<u8>), Diagnostic> {
        let mut ctx = self.globals.clone();
        for (k, v) in job.values {
            ctx.insert(k.into(), v);
        }
        ctx.insert("current_path".into(), json!(job.path));
        ctx.insert(
            "current_url".into(),
            json!(site.config.permalink(&job.path)),
        );
        let source = job.source.as_deref();
        let context = Context::from_value(Value::Object(ctx))
            .map_err(|e| template_error(&e, &self.origins, source))?;
        // Sized for the page so the buffer is not grown and copied again and
        // again; Tera writes only `str`s, so the bytes are UTF-8.
        let mut html = Vec::with_capacity(size_hint(&context));
        self.tera
            .render_to(&job.template, &context, &mut html)
            .map_err(|e| template_error(&e, &self.origins, source))?;
        Ok((output_file(&job.path), html))
    }

    fn page(&self, site: &Site, derived: &Derived, id: PageId) -> Prepared {
        let p = &site[id];
        let template = p
            .meta
            .template
            .clone()
            .or_else(|| site[p.section].meta.page_template.clone())
            .unwrap_or_else(|| "page.html".into());
        Prepared::new(template, p.path.clone())
            .source(&p.file.display)
            .with("page", self.page_value(site, derived, id))
    }

    fn section(&self, site: &Site, derived: &Derived, id: SectionId, n: usize) -> Prepared {
        let s = &site[id];
        let mut value = self.shared.section_values[id.0].clone();
        let ordered = &self.shared.section_pages[id.0];
        value["pages"] = if s.meta.paginate_by.is_some() {
            Value::Array(Vec::new())
        } else {
            self.summaries(ordered)
        };
        value["content"] = json!(derived.section_body(id).html);
        value["extra"] = table_to_json(&s.meta.extra);
        let ancestors: Vec<Value> = site
            .ancestors(id)
            .into_iter()
            .filter(|&a| a != id)
            .map(|a| section_link(site, a))
            .collect();
        value["ancestors"] = Value::Array(ancestors);
        let segment = s.meta.paginate_path.as_deref().unwrap_or("page");
        let (paginator, path) =
            self.paginator(site, ordered, s.meta.paginate_by, n, &s.path, segment);
        let job = match &s.meta.redirect_to {
            Some(to) => Prepared::new("alias.html", path).with("redirect_to", json!(to)),
            None => {
                let template = s.meta.template.clone().unwrap_or_else(|| {
                    if id == SectionId::ROOT {
                        "index.html".into()
                    } else {
                        "section.html".into()
                    }
                });
                Prepared::new(template, path)
            }
        };
        job.source(&s.file.display)
            .with("section", value)
            .with("paginator", paginator)
    }

    fn taxonomy_value(site: &Site, id: TaxonomyId) -> Value {
        let t = &site[id];
        json!({"name": t.config.name, "permalink": t.permalink, "path": t.path})
    }

    /// The first of `names` the templates have (Zola's per-taxonomy
    /// `tags/list.html` and `taxonomy_single.html` before fascia's names).
    fn pick(&self, names: &[String]) -> String {
        names
            .iter()
            .find(|n| self.has(n))
            .unwrap_or(&names[names.len() - 1])
            .clone()
    }

    fn taxonomy_list(&self, site: &Site, id: TaxonomyId) -> Prepared {
        let t = &site[id];
        let template = self.pick(&[
            format!("{}/list.html", t.config.name),
            "taxonomy_list.html".into(),
        ]);
        // Every page's summary once per term: left out when the template never reads it.
        let with_pages = !self.lists_without_pages.contains(&template);
        let all = self.shared.summaries();
        let terms: Vec<Value> = t
            .terms
            .iter()
            .map(|term| {
                let pages: Vec<Value> = match with_pages {
                    true => term.pages.iter().map(|&p| all[p.0].clone()).collect(),
                    false => Vec::new(),
                };
                term_value(term, Value::Array(pages))
            })
            .collect();
        drop(all);
        Prepared::new(template, t.path.clone())
            .with("taxonomy", Self::taxonomy_value(site, id))
            .with("terms", Value::Array(terms))
    }

    fn term(&self, site: &Site, id: TermId, n: usize) -> Prepared {
        let t = &site[id.taxonomy];
        let term = &site[id];
        let (paginator, path) = self.paginator(
            site,
            &term.pages,
            t.config.paginate_by,
            n,
            &term.path,
            "page",
        );
        let term_value = term_value(term, paginator["pages"].clone());
        let template = self.pick(&[
            format!("{}/single.html", t.config.name),
            "taxonomy_single.html".into(),
            "taxonomy_term.html".into(),
        ]);
        Prepared::new(template, path)
            .with("taxonomy", Self::taxonomy_value(site, id.taxonomy))
            .with("term", term_value)
            .with("paginator", paginator)
    }

    fn term_feed(&self, site: &Site, id: TermId) -> Prepared {
        let term = &site[id];
        let path = format!("{}atom.xml", term.path);
        let title = format!("{} – {}", site.config.title, term.name);
        let mut job = Prepared::new("atom.xml", path.clone());
        job.values = self.feed_values(site, &term.pages, &title, &path, &term.permalink);
        job
    }

    fn site_feed(&self, site: &Site) -> Prepared {
        let mut dated: Vec<PageId> = site
            .page_ids()
            .filter(|&i| site[i].date.is_some())
            .collect();
        dated.sort_by(|&a, &b| {
            site[b]
                .date
                .cmp(&site[a].date)
                .then_with(|| site[a].file.key.cmp(&site[b].file.key))
        });
        dated.truncate(FEED_LIMIT);
        let home = site.config.permalink("/");
        let mut job = Prepared::new("atom.xml", "/atom.xml");
        job.values = self.feed_values(site, &dated, &site.config.title, "/atom.xml", &home);
        job
    }

    fn faq(&self, site: &Site, derived: &Derived, n: usize) -> Prepared {
        let (groups, paginator, path) = self.faq_pager(site, derived, n);
        Prepared::new("faq.html", path)
            .with("faq_groups", groups)
            .with("faq_title", json!(site.config.faq.title))
            .with("paginator", paginator)
    }

    fn summaries(&self, pages: &[PageId]) -> Value {
        let all = self.shared.summaries();
        Value::Array(pages.iter().map(|&i| all[i.0].clone()).collect())
    }
}

/// A term as term lists and term pages give it, with `pages` (moved in:
/// `json!` would copy them).
fn term_value(term: &crate::model::Term, pages: Value) -> Value {
    let mut v = json!({"name": term.name, "slug": term.slug, "permalink": term.permalink,
                       "path": term.path, "count": term.pages.len(),
                       "page_count": term.pages.len()});
    v["pages"] = pages;
    v
}

fn tera_has(tera: &Tera, name: &str) -> bool {
    tera.get_template_names().any(|n| n == name)
}

use crate::markdown::escape_text as escape;

fn template_error(
    e: &tera::Error,
    origins: &HashMap<String, (String, Arc<str>)>,
    source: Option<&str>,
) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = cur {
        chain.push(s.to_string());
        cur = s.source();
    }
    let message = chain.join(": ");
    // pest's report of a syntax error holds its own excerpt; keep its place
    // and its complaint, and show the excerpt the way every error is shown.
    let (place, message) = match pest_place(&message) {
        Some((line, col, head, what)) => (Some((line, col)), format!("{head}: {what}")),
        None => (None, message),
    };
    let template = origins
        .iter()
        .filter(|(name, _)| message.contains(&format!("'{name}'")))
        .max_by_key(|(name, _)| name.len())
        .map(|(_, origin)| origin);
    let mut d = Diagnostic::error(Code::TemplateError, message.clone());
    if let Some((origin, text)) = template {
        d = d.in_file(origin);
        // Tera gives no line for run-time errors: point at the first use of the
        // name it complains about (`Variable `x` not found`), when the template has it.
        let named = message.split('`').nth(1).filter(|n| !n.is_empty());
        let at = match place {
            Some((line, col)) => {
                let i = crate::diagnostics::offset_of(text, line, col.saturating_sub(1));
                Some(i..i)
            }
            None => named.and_then(|n| {
                let i = text.find(n)?;
                Some(i..i + n.len())
            }),
        };
        if let Some(at) = at {
            d = d.at(origin, text, at).label("here");
        }
    }
    if let Some(src) = source {
        d = d.hint(format!("{RENDERING}{src}"));
    }
    d
}

/// The 1-based line and column, the text before the report and the complaint
/// of a pest syntax error in `message`: ` --> LINE:COL`, an excerpt, then
/// `= COMPLAINT` on the last line.
fn pest_place(message: &str) -> Option<(usize, usize, &str, &str)> {
    let arrow = message.find(" --> ")?;
    let rest = &message[arrow + 5..];
    let digits = rest
        .find(|c: char| !c.is_ascii_digit() && c != ':')
        .unwrap_or(rest.len());
    let (line, col) = rest[..digits].split_once(':')?;
    let what = message.lines().last()?.trim_start().strip_prefix("= ")?;
    let head = message[..arrow].trim_end().trim_end_matches(':');
    Some((line.parse().ok()?, col.parse().ok()?, head, what.trim()))
}

/// How the hint of a template error names the page it happened on.
const RENDERING: &str = "this happened while rendering ";

/// One template error per distinct message and template, with the number of
/// outputs it happened in: a mistake in a layout is reported once, not once
/// per page.
pub fn merge_template_errors(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    let mut groups: HashMap<(String, Option<std::path::PathBuf>), (usize, Vec<String>)> =
        HashMap::new();
    for d in diags {
        if d.code != Code::TemplateError {
            out.push(d);
            continue;
        }
        let key = (d.message.clone(), d.file.clone());
        let page = d
            .hint
            .as_deref()
            .and_then(|h| h.strip_prefix(RENDERING))
            .map(str::to_string);
        match groups.get_mut(&key) {
            Some((_, pages)) => pages.extend(page),
            None => {
                groups.insert(key, (out.len(), page.into_iter().collect()));
                out.push(d);
            }
        }
    }
    for (_, (i, mut pages)) in groups {
        pages.sort();
        pages.dedup();
        if pages.len() > 1 {
            let d = &mut out[i];
            d.message = format!("{} (in {} pages)", d.message, pages.len());
            let shown: Vec<&str> = pages.iter().take(3).map(String::as_str).collect();
            let more = if pages.len() > 3 { ", …" } else { "" };
            d.hint = Some(format!(
                "this happened while rendering {}{more}",
                shown.join(", ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape, pest_place};
    use proptest::prelude::*;

    #[test]
    fn a_pest_report_gives_its_place_and_complaint() {
        let message = "Failed to parse '404.html':  --> 3:15\n  |\n3 |   <p>é {{ x | }}</p>\n  |               ^---\n  |\n  = expected an identifier";
        assert_eq!(
            pest_place(message),
            Some((
                3,
                15,
                "Failed to parse '404.html'",
                "expected an identifier"
            ))
        );
        assert_eq!(pest_place("Variable `x` not found in context"), None);
        assert_eq!(pest_place("a --> 3:15 but no complaint"), None);
        assert_eq!(pest_place("a -->  :\n = b"), None);
    }

    proptest! {
        /// Any text is read without a panic; a report in pest's shape is read back.
        #[test]
        fn pest_place_reads_what_pest_writes(
            any_text in ".*",
            head in "[A-Za-z' .]{0,20}[A-Za-z']",
            line in 1usize..100_000,
            col in 1usize..1_000,
            what in "[a-z][a-z ()-]{0,30}[a-z)]",
        ) {
            let _ = pest_place(&any_text);
            let message = format!("{head}:  --> {line}:{col}\n  |\n{line} | x\n  |  ^---\n  |\n  = {what}");
            let (l, c, h, w) = pest_place(&message).expect("pest's shape");
            prop_assert_eq!((l, c, w), (line, col, what.as_str()));
            prop_assert_eq!(h, head.as_str());
        }
    }

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
