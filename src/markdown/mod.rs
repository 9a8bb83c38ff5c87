//! Markdown → HTML with pulldown-cmark: heading ids and the table of contents,
//! `@/` links, GitHub alerts as callouts, highlighted code, images, summary and
//! word count.

pub mod citations;
mod highlight;
pub mod scan;
pub mod shortcodes;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};

use crate::config::health::UrgencyLevel;
use crate::config::MarkdownConfig;
use crate::inputs::Reads;

thread_local! {
    /// The buffer [`Walk::finish`] writes HTML into, kept between pages.
    static HTML_SCRATCH: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// What a link points at, as far as the checker cares.
#[derive(Debug, Clone)]
pub enum LinkKind {
    /// `@/path.md` or `@/path.md#anchor`, resolved to a page or section.
    Internal {
        /// Index into the resolver's targets.
        target: usize,
        /// The fragment, if any.
        anchor: Option<String>,
    },
    /// `#anchor` on the same page.
    SamePage(String),
    /// `http(s)://…`.
    External(String),
}

/// One link found in the Markdown, with its place in the file.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// What it points at.
    pub kind: LinkKind,
    /// Byte range in the whole file.
    pub span: Range<usize>,
}

/// A heading in the table of contents.
#[derive(Debug, Clone)]
pub struct Heading {
    /// 1 to 6.
    pub level: u32,
    /// The `id` attribute.
    pub id: String,
    /// The heading text.
    pub title: String,
    /// Headings one level deeper until the next heading of this level.
    pub children: Vec<Heading>,
}

/// The result of rendering one Markdown document.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML body.
    pub html: String,
    /// The HTML before `<!-- more -->`, if the marker is present.
    pub summary: Option<String>,
    /// Nested table of contents.
    pub toc: Vec<Heading>,
    /// Every heading id on the page (anchors are checked against these).
    pub ids: HashSet<String>,
    /// Number of headings.
    pub heading_count: usize,
    /// Words of prose (code excluded).
    pub word_count: usize,
    /// Links found, for checking and backlinks.
    pub links: Vec<LinkRef>,
    /// `[@id]` citations of known references, numbered in order of first use.
    pub citations: citations::Numbering,
    /// Citations of ids the page does not list, with their place in the file.
    pub unknown_citations: Vec<(String, Range<usize>)>,
    /// `@/` links whose file the resolver did not know; the caller explains them.
    pub missing: Vec<MissingLink>,
    /// Shortcode calls that failed, with their place in the file.
    pub shortcode_problems: Vec<shortcodes::ShortcodeProblem>,
    /// What the lint reads of the body, with offsets into the body, when
    /// rendered by [`render_and_scan`]; the links pass hands it to the body's
    /// reader and drops it.
    pub scan: Option<Box<scan::Scan>>,
}

/// An `@/` link to a file that does not exist (or is a draft, or failed to load).
#[derive(Debug, Clone)]
pub struct MissingLink {
    /// The path after `@/`, without the fragment.
    pub key: String,
    /// Byte range in the whole file.
    pub span: Range<usize>,
}

impl Rendered {
    /// Minutes at 200 words a minute, at least 1.
    pub fn reading_time(&self) -> usize {
        self.word_count.div_ceil(200).max(1)
    }
}

/// A resolved `@/` link target.
pub struct Resolved {
    /// Index the caller uses to find the target again.
    pub target: usize,
    /// Absolute URL of the target.
    pub permalink: String,
}

/// Everything rendering needs besides the text.
pub struct MarkdownContext<'a> {
    /// `[markdown]` options.
    pub options: &'a MarkdownConfig,
    /// Resolves `conditions/neck-pain.md` (without `@/`) to a target.
    pub resolve: &'a (dyn Fn(&str) -> Option<Resolved> + Sync),
    /// Folder where relative image paths are looked up (the page's folder).
    pub asset_dir: Option<&'a Path>,
    /// The site's `static/` folder, for images given as `/path`; its parent is
    /// the site folder, outside which no image is read.
    pub static_dir: Option<&'a Path>,
    /// Where the images read for their size are recorded (for the input fingerprint).
    pub reads: Option<&'a Reads>,
    /// Whether raw HTML passes through (bodies) or is shown as text (FAQ answers).
    pub raw_html: bool,
    /// Urgency callouts and citations; without it `> [!EMERGENCY]` is a plain
    /// quote and `[@id]` plain text.
    pub health: Option<&'a MarkdownHealth>,
    /// Shortcode templates and their caller; without them `{{ x() }}` is text.
    pub shortcodes: Option<&'a shortcodes::Shortcodes<'a>>,
}

impl<'a> MarkdownContext<'a> {
    /// Markdown that belongs to no page (the `markdown` filter, tests): raw
    /// HTML passes, no image is read, and health syntax and shortcodes are text.
    pub fn plain(
        options: &'a MarkdownConfig,
        resolve: &'a (dyn Fn(&str) -> Option<Resolved> + Sync),
    ) -> Self {
        MarkdownContext {
            options,
            resolve,
            asset_dir: None,
            static_dir: None,
            reads: None,
            raw_html: true,
            health: None,
            shortcodes: None,
        }
    }
}

/// What a health page's Markdown needs: the titles of the urgency callouts
/// (numbers filled in) and the ids its references list.
#[derive(Debug, Clone, Default)]
pub struct MarkdownHealth {
    /// Titles of `[!EMERGENCY]`, `[!URGENT]` and `[!DOCTOR]`, in that order.
    pub titles: [String; 3],
    /// Ids of the page's `[[references]]`.
    pub references: HashSet<String>,
}

const MORE: &str = "<!-- more -->";

/// Renders `text`, which starts at byte `offset` of its file. Problems come
/// back as data (`missing` links, `unknown_citations`) for the caller to
/// explain, so this never needs to know about pages.
pub fn render(text: &str, offset: usize, cx: &MarkdownContext<'_>) -> Rendered {
    render_with(text, offset, cx, false)
}

/// As [`render`], and keeps the [`scan::Scan`] of `text` in
/// [`Rendered::scan`] for the content lint, from the same parse. A body
/// with shortcodes gets none: it is rendered from the expanded text, whose
/// offsets are not the file's.
pub fn render_and_scan(text: &str, offset: usize, cx: &MarkdownContext<'_>) -> Rendered {
    render_with(text, offset, cx, true)
}

fn render_with(text: &str, offset: usize, cx: &MarkdownContext<'_>, scan: bool) -> Rendered {
    let Some(sc) = cx.shortcodes.filter(|_| shortcodes::may_contain(text)) else {
        return render_text(text, offset, cx, scan);
    };
    let ex = shortcodes::expand(text, options(cx), sc);
    let mut r = render_text(&ex.text, offset, cx, false);
    // Positions in the expanded text back to positions in the file.
    let back = |p: usize| offset + ex.remap(p.saturating_sub(offset));
    let span_back = |s: &Range<usize>| {
        let start = back(s.start);
        start..back(s.end).max(start)
    };
    for l in &mut r.links {
        l.span = span_back(&l.span);
    }
    for m in &mut r.missing {
        m.span = span_back(&m.span);
    }
    for (_, s) in &mut r.unknown_citations {
        *s = span_back(s);
    }
    r.html = ex.insert_html(&r.html);
    r.summary = r.summary.map(|s| ex.insert_html(&s));
    r.shortcode_problems = ex
        .problems
        .into_iter()
        .map(|mut p| {
            p.span = offset + p.span.start..offset + p.span.end;
            p
        })
        .collect();
    r
}

/// The lint's options ([`scan::options`]) plus the site's smart punctuation:
/// one list, so the lint always parses as the renderer does.
fn options(cx: &MarkdownContext<'_>) -> Options {
    let mut opts = scan::options();
    if cx.options.smart_punctuation {
        opts |= Options::ENABLE_SMART_PUNCTUATION;
    }
    opts
}

fn render_text(text: &str, offset: usize, cx: &MarkdownContext<'_>, scan: bool) -> Rendered {
    // A scanned body is never one plain line: not even looked at.
    match (!scan).then(|| plain_paragraph(text, cx)).flatten() {
        Some(r) => r,
        None => render_parsed(text, offset, cx, scan),
    }
}

/// [`render_text`] by a parse.
fn render_parsed(text: &str, offset: usize, cx: &MarkdownContext<'_>, scan: bool) -> Rendered {
    let opts = options(cx);
    let parser = Parser::new_ext(text, opts).into_offset_iter();
    let (events, scanned): (Vec<(Event, Range<usize>)>, _) = if scan {
        // The scan reads the events before adjacent texts are merged.
        let mut scanner = scan::Scanner::new(text);
        let raw = parser.inspect(|(event, range)| scanner.event(event, range.clone()));
        let events = TextMergeWithOffset::new(raw).collect();
        (events, Some(scanner.finish()))
    } else {
        (TextMergeWithOffset::new(parser).collect(), None)
    };
    let mut walk = Walk {
        cx,
        r: Rendered::default(),
        quotes: Vec::new(),
        pending_urgency: None,
        events: Vec::with_capacity(text.len() / 16),
        flat: Vec::new(),
        heading: None,
        code: None,
        image: None,
        link_stack: Vec::new(),
        more_at: None,
        next_suffix: HashMap::new(),
    };
    // The `<!-- more -->` anchor keeps its id: a heading "Continue reading" gets another.
    let reserved = text.contains(MORE) && walk.r.ids.insert("continue-reading".into());
    let mut skip = vec![false; events.len()];
    let mut urgency = vec![None; events.len()];
    if cx.health.is_some() {
        mark_urgency_markers(&events, &mut skip, &mut urgency);
    }
    for (i, (ev, range)) in events.into_iter().enumerate() {
        if !skip[i] {
            walk.pending_urgency = urgency[i];
            walk.event(ev, offset + range.start..offset + range.end);
        }
    }
    if reserved && walk.more_at.is_none() {
        // The marker was not one (in code, or inside other HTML): no anchor after all.
        walk.r.ids.remove("continue-reading");
    }
    let mut r = walk.finish(text.len());
    r.scan = scanned.map(Box::new);
    r
}

/// `text` rendered as the parse would render it, when it is one line of
/// words that Markdown reads no syntax in: ASCII letters and digits, spaces
/// inside, `,` `.` `?` `;` `:`, and a letter first (digits and a dot would
/// start a list), and no `...` for smart punctuation to make an ellipsis.
/// Most FAQ answers are such text; parsing them took 1.4 % of a build.
fn plain_paragraph(text: &str, cx: &MarkdownContext<'_>) -> Option<Rendered> {
    let bytes = text.as_bytes();
    // The byte test stops at the first newline or mark; `..` is looked for
    // only in text that passed it.
    let plain = bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.last() != Some(&b' ')
        && bytes.iter().all(|&b| {
            b.is_ascii_alphanumeric() || matches!(b, b' ' | b',' | b'.' | b'?' | b';' | b':')
        })
        && !(cx.options.smart_punctuation && text.contains(".."));
    if !plain {
        return None;
    }
    let mut html = String::with_capacity(text.len() + 8);
    html.push_str("<p>");
    html.push_str(text);
    html.push_str("</p>\n");
    Some(Rendered {
        html,
        word_count: count_words(text),
        ..Rendered::default()
    })
}

/// For each quote that starts with an urgency marker on a line of its own
/// (`> [!DOCTOR]`), records its level and marks the marker's events to skip:
/// the whole first paragraph when the marker stands alone in it, else the
/// marker text and the line break after it.
fn mark_urgency_markers(
    events: &[(Event, Range<usize>)],
    skip: &mut [bool],
    urgency: &mut [Option<UrgencyLevel>],
) {
    for i in 0..events.len().saturating_sub(2) {
        let (Event::Start(Tag::BlockQuote(None)), Event::Start(Tag::Paragraph)) =
            (&events[i].0, &events[i + 1].0)
        else {
            continue;
        };
        let Event::Text(t) = &events[i + 2].0 else {
            continue;
        };
        let Some((level, rest)) = urgency_marker(t) else {
            continue;
        };
        if !rest.trim().is_empty() {
            continue;
        }
        urgency[i] = Some(level);
        match events.get(i + 3).map(|e| &e.0) {
            Some(Event::End(TagEnd::Paragraph)) => skip[i + 1..=i + 3].fill(true),
            Some(Event::SoftBreak | Event::HardBreak) => skip[i + 2..=i + 3].fill(true),
            _ => skip[i + 2] = true,
        }
    }
}

/// `[!EMERGENCY]`, `[!URGENT]` or `[!DOCTOR]` (any case) at the start of `t`,
/// with the text after it.
fn urgency_marker(t: &str) -> Option<(UrgencyLevel, &str)> {
    let rest = t.strip_prefix("[!")?;
    let (word, after) = rest.split_once(']')?;
    Some((UrgencyLevel::from_marker(word)?, after))
}

/// The state of one pass over a document's events: what is open (a heading, a
/// code block, an image, links) and what has been produced so far.
struct Walk<'a, 'c> {
    cx: &'a MarkdownContext<'c>,
    r: Rendered,
    /// For each open block quote: its urgency level, when it is an urgency callout.
    quotes: Vec<Option<UrgencyLevel>>,
    /// The urgency level of the quote about to start, found by [`mark_urgency_markers`].
    pending_urgency: Option<UrgencyLevel>,
    events: Vec<Event<'a>>,
    /// (level, id, text) of every heading, in order, for the table of contents.
    flat: Vec<(u32, String, String)>,
    heading: Option<OpenHeading>,
    /// (language, text) of an open code block.
    code: Option<(String, String)>,
    image: Option<OpenImage>,
    /// For each open link: true when it was written as raw HTML (target="_blank").
    link_stack: Vec<bool>,
    more_at: Option<usize>,
    /// For each heading id base, the next suffix to try, so that many equal
    /// headings take linear time.
    next_suffix: HashMap<String, usize>,
}

impl<'a> Walk<'a, '_> {
    fn event(&mut self, ev: Event<'a>, span: Range<usize>) {
        if self.code.is_some() {
            return self.in_code(ev);
        }
        if self.image.is_some() {
            return self.in_image(ev);
        }
        match ev {
            Event::Start(Tag::Heading { id, classes, .. }) => {
                self.heading = Some(OpenHeading {
                    id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    at: self.events.len(),
                    text: String::new(),
                });
                self.events.push(Event::Html(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(level)) => self.end_heading(level),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                self.image = Some(OpenImage {
                    src: dest_url.to_string(),
                    title: title.to_string(),
                    alt: String::new(),
                });
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.start_link(link_type, dest_url, title, id, span),
            Event::End(TagEnd::Link) => {
                if self.link_stack.pop() == Some(true) {
                    self.events.push(Event::Html(CowStr::Borrowed("</a>")));
                } else {
                    self.events.push(Event::End(TagEnd::Link));
                }
            }
            other => self.block_or_text(other, span),
        }
    }

    /// Callouts, tables, text, `<!-- more -->` and everything passed through.
    fn block_or_text(&mut self, ev: Event<'a>, span: Range<usize>) {
        match ev {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = callout(kind);
                self.events.push(Event::Html(
                    format!(
                        "<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Start(Tag::BlockQuote(None)) => self.start_quote(),
            Event::End(TagEnd::BlockQuote(None)) => {
                if self.quotes.pop().flatten().is_some() {
                    self.events.push(Event::Html(CowStr::Borrowed("</div>\n")));
                } else {
                    self.events.push(Event::End(TagEnd::BlockQuote(None)));
                }
            }
            Event::Start(Tag::Table(align)) => {
                self.events.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\" tabindex=\"0\">",
                )));
                self.events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                self.events.push(Event::End(TagEnd::Table));
                self.events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Text(t) => self.text(t, span.start),
            Event::Code(t) => {
                self.words(&t);
                self.events.push(Event::Code(t));
            }
            Event::Html(h) | Event::InlineHtml(h) if h.trim() == MORE => {
                if self.more_at.is_none() {
                    self.more_at = Some(self.events.len());
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if !self.cx.raw_html => {
                self.events.push(Event::Text(h))
            }
            other => self.events.push(other),
        }
    }

    /// A block quote: an urgency callout when [`mark_urgency_markers`] found its marker.
    fn start_quote(&mut self) {
        let level = self.pending_urgency.take();
        self.quotes.push(level);
        match level {
            Some(level) => {
                let title = self
                    .cx
                    .health
                    .map_or("", |h| h.titles[level as usize].as_str());
                let html = urgency_callout_open(level, title);
                self.events.push(Event::Html(html.into()));
            }
            None => self.events.push(Event::Start(Tag::BlockQuote(None))),
        }
    }

    /// Prose text: counts its words and turns `[@id]` citations into markers.
    fn text(&mut self, t: CowStr<'a>, at: usize) {
        let Some(health) = self
            .cx
            .health
            .filter(|_| citations::find_open(t.as_bytes()).is_some())
        else {
            self.words(&t);
            self.events.push(Event::Text(t));
            return;
        };
        let mut last = 0;
        for m in citations::scan(&t) {
            let unknown: Vec<&(String, Range<usize>)> = m
                .ids
                .iter()
                .filter(|(id, _)| !health.references.contains(id))
                .collect();
            if !unknown.is_empty() {
                for (id, r) in unknown {
                    let start = at + r.start;
                    self.r
                        .unknown_citations
                        .push((id.clone(), start..start + r.len()));
                }
                continue;
            }
            let before = &t[last..m.range.start];
            self.words(before);
            self.events.push(Event::Text(before.to_string().into()));
            let entries: Vec<(usize, &str, usize)> = m
                .ids
                .iter()
                .map(|(id, _)| {
                    let (n, occ) = self.r.citations.cite(id);
                    (n, id.as_str(), occ)
                })
                .collect();
            let marker = citations::marker_html(&entries);
            self.events.push(Event::InlineHtml(marker.into()));
            last = m.range.end;
        }
        let rest = &t[last..];
        self.words(rest);
        self.events.push(Event::Text(rest.to_string().into()));
    }

    fn words(&mut self, t: &str) {
        self.r.word_count += count_words(t);
        if let Some(h) = self.heading.as_mut() {
            h.text.push_str(t);
        }
    }

    fn in_code(&mut self, ev: Event<'a>) {
        let Some((_, buf)) = self.code.as_mut() else {
            return;
        };
        match ev {
            Event::Text(t) => buf.push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                let (lang, body) = self.code.take().unwrap_or_default();
                let html = highlight::code_block(&lang, &body, self.cx.options.highlight_code);
                self.events.push(Event::Html(html.into()));
            }
            _ => {}
        }
    }

    fn in_image(&mut self, ev: Event<'a>) {
        match ev {
            Event::Text(t) | Event::Code(t) => {
                if let Some(img) = self.image.as_mut() {
                    img.alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some(img) = self.image.take() {
                    let html = img.finish(self.cx);
                    self.events.push(Event::Html(html.into()));
                }
            }
            _ => {}
        }
    }

    fn end_heading(&mut self, level: pulldown_cmark::HeadingLevel) {
        let Some(h) = self.heading.take() else {
            return;
        };
        let id = unique_id(
            h.id.unwrap_or_else(|| self.cx.options.anchors.apply(&h.text)),
            &self.r.ids,
            &mut self.next_suffix,
        );
        self.r.ids.insert(id.clone());
        let class = if h.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", esc(&h.classes.join(" ")))
        };
        self.events[h.at] = Event::Html(format!("<{level} id=\"{}\"{class}>", esc(&id)).into());
        self.events
            .push(Event::Html(format!("</{level}>\n").into()));
        self.flat
            .push((level as u32, id, h.text.trim().to_string()));
    }

    fn start_link(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        span: Range<usize>,
    ) {
        let (url, external) = link_target(&dest_url, span, self.cx, &mut self.r);
        let o = self.cx.options;
        let wants_attrs = o.external_links_target_blank
            || o.external_links_no_follow
            || o.external_links_no_referrer
            || o.external_links_class.is_some();
        if external && wants_attrs {
            let mut html = format!("<a href=\"{}\"", href(&url));
            if !title.is_empty() {
                html.push_str(&format!(" title=\"{}\"", esc(&title)));
            }
            if let Some(class) = &o.external_links_class {
                html.push_str(&format!(" class=\"{}\"", esc(class)));
            }
            let mut rel = Vec::new();
            if o.external_links_target_blank {
                html.push_str(" target=\"_blank\"");
                rel.push("noopener");
            }
            if o.external_links_no_follow {
                rel.push("nofollow");
            }
            if o.external_links_no_referrer {
                rel.push("noreferrer");
            }
            if rel.is_empty() {
                html.push('>');
            } else {
                html.push_str(&format!(" rel=\"{}\">", rel.join(" ")));
            }
            self.events.push(Event::Html(html.into()));
            self.link_stack.push(true);
        } else {
            self.events.push(Event::Start(Tag::Link {
                link_type,
                dest_url: url.into(),
                title,
                id,
            }));
            self.link_stack.push(false);
        }
    }

    fn finish(mut self, len: usize) -> Rendered {
        // Written into this thread's buffer and copied out at its exact size:
        // a build holds every page's HTML until its templates run, and a
        // buffer sized by guess holds a quarter more than the HTML (measured
        // on the benchmark corpus). A nested call finds it taken and makes
        // one of its own.
        let mut html = HTML_SCRATCH.take();
        html.clear();
        html.reserve(len * 3 / 2);
        if let Some(at) = self.more_at {
            pulldown_cmark::html::push_html(&mut html, self.events[..at].iter().cloned());
            self.r.summary = Some(html.clone());
            html.push_str("<span id=\"continue-reading\"></span>\n");
            self.r.ids.insert("continue-reading".into());
            pulldown_cmark::html::push_html(&mut html, self.events.drain(at..));
        } else {
            pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        }
        self.r.html = html.as_str().to_owned();
        HTML_SCRATCH.set(html);
        self.r.heading_count = self.flat.len();
        self.r.toc = nest(self.flat);
        self.r
    }
}

struct OpenHeading {
    id: Option<String>,
    classes: Vec<String>,
    at: usize,
    text: String,
}

struct OpenImage {
    src: String,
    title: String,
    alt: String,
}

impl OpenImage {
    /// The `<img>` element; a missing alt text is the content lint's `image-alt`.
    fn finish(self, cx: &MarkdownContext<'_>) -> String {
        let mut html = format!(
            "<img src=\"{}\" alt=\"{}\"",
            href(&self.src),
            esc(self.alt.trim())
        );
        if !self.title.is_empty() {
            html.push_str(&format!(" title=\"{}\"", esc(&self.title)));
        }
        if let Some((w, h)) = image_size(&self.src, cx) {
            html.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
        }
        html.push_str(" loading=\"lazy\" decoding=\"async\">");
        html
    }
}

fn image_size(src: &str, cx: &MarkdownContext<'_>) -> Option<(usize, usize)> {
    if is_external(src) || src.starts_with("data:") {
        return None;
    }
    let clean = src.split(['?', '#']).next()?;
    let path: PathBuf = match clean.strip_prefix('/') {
        Some(rest) => cx.static_dir?.join(rest),
        None => cx.asset_dir?.join(clean),
    };
    // Content is untrusted: only a file whose real path lies inside the site
    // folder (the parent of `static/`) is read, whatever `..` or links say.
    let site = cx.static_dir?.parent()?.canonicalize().ok()?;
    let real = path.canonicalize().ok()?;
    if !real.starts_with(&site) {
        return None;
    }
    if let Some(reads) = cx.reads {
        reads.note(&path);
    }
    imagesize::size(real).ok().map(|s| (s.width, s.height))
}

fn link_target(
    dest: &str,
    span: Range<usize>,
    cx: &MarkdownContext<'_>,
    r: &mut Rendered,
) -> (String, bool) {
    if let Some(rest) = dest.strip_prefix("@/") {
        let (path, anchor) = match rest.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (rest, None),
        };
        return match (cx.resolve)(path) {
            Some(res) => {
                let url = match &anchor {
                    Some(a) => format!("{}#{a}", res.permalink),
                    None => res.permalink,
                };
                r.links.push(LinkRef {
                    kind: LinkKind::Internal {
                        target: res.target,
                        anchor,
                    },
                    span,
                });
                (url, false)
            }
            None => {
                r.missing.push(MissingLink {
                    key: path.to_string(),
                    span,
                });
                (dest.to_string(), false)
            }
        };
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        r.links.push(LinkRef {
            kind: LinkKind::SamePage(anchor.to_string()),
            span,
        });
        return (dest.to_string(), false);
    }
    let external = is_external(dest);
    if external {
        r.links.push(LinkRef {
            kind: LinkKind::External(dest.to_string()),
            span,
        });
    }
    (dest.to_string(), external)
}

/// The opening markup of an urgency callout, as the guide theme styles it:
/// `<div class="callout callout-LEVEL" role="note"><p class="callout-title">TITLE</p>` and a
/// newline. `title` is plain text and is escaped here. The callout is closed
/// with `</div>` and a newline, as the other callouts are.
pub fn urgency_callout_open(level: UrgencyLevel, title: &str) -> String {
    format!(
        "<div class=\"callout callout-{}\" role=\"note\"><p class=\"callout-title\">{}</p>\n",
        level.class(),
        escape_text(title)
    )
}

/// True for `http://`, `https://` and protocol-relative URLs.
pub fn is_external(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//")
}

fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// `base`, or `base-N` with the smallest N not yet used. `next` remembers
/// where the search for each base stopped, so N equal headings cost O(N).
fn unique_id(base: String, used: &HashSet<String>, next: &mut HashMap<String, usize>) -> String {
    let base = if base.is_empty() {
        "section".to_string()
    } else {
        base
    };
    if !used.contains(&base) {
        return base;
    }
    let n = next.entry(base.clone()).or_insert(1);
    loop {
        let candidate = format!("{base}-{n}");
        *n += 1;
        if !used.contains(&candidate) {
            return candidate;
        }
    }
}

fn nest(flat: Vec<(u32, String, String)>) -> Vec<Heading> {
    fn take(
        items: &mut std::iter::Peekable<std::vec::IntoIter<(u32, String, String)>>,
        min: u32,
    ) -> Vec<Heading> {
        let mut out: Vec<Heading> = Vec::new();
        while let Some((level, _, _)) = items.peek() {
            if *level < min {
                break;
            }
            let (level, id, title) = items.next().expect("peeked");
            let children = take(items, level + 1);
            out.push(Heading {
                level,
                id,
                title,
                children,
            });
        }
        out
    }
    let mut it = flat.into_iter().peekable();
    let mut out = Vec::new();
    while it.peek().is_some() {
        let min = it.peek().map(|h| h.0).unwrap_or(1);
        out.extend(take(&mut it, min.min(6)));
    }
    out
}

/// Escapes text for HTML and XML: `&`, `<`, `>`, `"` and `'` (what templates
/// escape with, so engine-made markup matches theirs).
pub fn escape_text(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    escape_into(&mut out, input);
    out
}

/// Appends `input` to `out`, escaped as [`escape_text`] does.
pub fn escape_into(out: &mut String, input: &str) {
    let bytes = input.as_bytes();
    // Most text templates print is short (titles, URLs, names) and has none
    // of the five: a plain scan of it costs less than setting up memchr.
    if bytes.len() < 64
        && !bytes
            .iter()
            .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        out.push_str(input);
        return;
    }
    let mut copied = 0;
    // Copy runs of plain text at once; only the five special bytes need work.
    for i in positions_of(bytes, [b'&', b'<', b'>'], [b'"', b'\'']) {
        let entity = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        out.push_str(&input[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&input[copied..]);
}

/// The number of words of `text`, as `text.split_whitespace().count()`
/// counts them. ASCII text, nearly all of it, is counted eight bytes at a
/// time without decoding characters: a tenth of the instructions.
pub fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut chunks = text.as_bytes().chunks_exact(8);
    let (mut count, mut after_space) = (0, true);
    for chunk in &mut chunks {
        let space = ascii_spaces(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        // A word starts at a byte that is not a space after one that is:
        // each byte's high bit moved to the next byte, the last one's to the next chunk.
        let before = space << 8 | u64::from(after_space) << 7;
        count += (!space & before & HIGH).count_ones() as usize;
        after_space = space >> 63 != 0;
    }
    for &b in chunks.remainder() {
        let space = matches!(b, b' ' | b'\t'..=b'\r');
        count += usize::from(after_space && !space);
        after_space = space;
    }
    count
}

/// The high bit of each byte of a `u64`.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;
/// One in each byte of a `u64`.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `y` from `a` to `b`, when every byte of `y`
/// is below 0x80. Eight bytes are classed at once by [`count_words`] and by
/// the content lint's word scan.
pub(crate) fn bytes_within(y: u64, a: u8, b: u8) -> u64 {
    // For seven-bit bytes nothing carries between bytes: `y + (0x80 - a)`
    // has its high bit set when `y >= a`, `y + (0x7f - b)` when `y > b`.
    (y + u64::from(0x80 - a) * ONES) & !(y + u64::from(0x7f - b) * ONES) & HIGH
}

/// The high bit of each byte of `x` that `char::is_whitespace` accepts: tab
/// to carriage return, and space. Every byte of `x` is ASCII.
fn ascii_spaces(x: u64) -> u64 {
    bytes_within(x, b'\t', b'\r') | bytes_within(x, b' ', b' ')
}

/// The positions of the bytes `three` and `two` in `haystack`, in order,
/// found with memchr: text to escape has few of them, and memchr skips the
/// rest many bytes at a time.
pub fn positions_of(
    haystack: &[u8],
    three: [u8; 3],
    two: [u8; 2],
) -> impl Iterator<Item = usize> + '_ {
    let [a, b, c] = three;
    let mut threes = memchr::memchr3_iter(a, b, c, haystack).peekable();
    let mut twos = memchr::memchr2_iter(two[0], two[1], haystack).peekable();
    std::iter::from_fn(move || match (threes.peek(), twos.peek()) {
        (Some(x), Some(y)) if x < y => threes.next(),
        (Some(_), None) => threes.next(),
        _ => twos.next(),
    })
}

/// HTML-escapes text for an attribute or element.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

fn href(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_href(&mut out, s);
    out
}

/// Strips tags and decodes the few entities pulldown-cmark emits, for
/// plain-text uses; runs of whitespace become one space, with none at the
/// ends. Each FAQ answer passes through here.
pub fn html_to_text(html: &str) -> String {
    // Tags go first: a tag may split an entity (`&l<i>t;`), and a decoded
    // `<` starts no tag. A `<` never closed hides the rest.
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        text.push_str(&rest[..lt]);
        rest = match memchr::memchr(b'>', &rest.as_bytes()[lt..]) {
            Some(gt) => &rest[lt + gt + 1..],
            None => "",
        };
    }
    text.push_str(rest);
    if is_clean_text(&text) {
        return text;
    }
    // No entity holds whitespace or decodes to it, so each word is decoded
    // on its own.
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        decode_entities_into(&mut out, word);
    }
    out
}

/// Whether `text` is already as [`html_to_text`] leaves it: ASCII without
/// `&`, words apart by single spaces, none at the ends. Most is.
fn is_clean_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut after_space = true;
    for &b in bytes {
        let space = b == b' ';
        if (space && after_space) || b == b'&' || !b.is_ascii() || matches!(b, b'\t'..=b'\r') {
            return false;
        }
        after_space = space;
    }
    !after_space || bytes.is_empty()
}

/// The entities [`html_to_text`] decodes. No two can overlap and none
/// decodes to part of another, so one pass from the left decodes them as
/// replacing each in turn would.
const ENTITIES: [(&str, char); 5] = [
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&quot;", '"'),
    ("&#39;", '\''),
    ("&amp;", '&'),
];

/// Appends `text` with the [`ENTITIES`] decoded.
fn decode_entities_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        match ENTITIES.iter().find(|(e, _)| tail.starts_with(e)) {
            Some((entity, c)) => {
                out.push(*c);
                rest = &tail[entity.len()..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The escape that jumps between special bytes equals replacing
        /// them one character at a time, on any text.
        #[test]
        fn escape_text_replaces_exactly_the_five_special_bytes(
            t in "([a-z &<>\"'é’\u{2028}]){0,80}|\\PC{0,40}"
        ) {
            let plain: String = t
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect();
            prop_assert_eq!(escape_text(&t), plain);
        }

        /// Tags out, entities decoded and whitespace collapsed in one pass
        /// each equals doing them one after another, on any text.
        #[test]
        fn html_to_text_equals_step_by_step(
            t in "(&lt;|&gt;|&quot;|&#39;|&amp;|&amp;lt;|&l|t;|&|<|>|<i>|</b>|[a-c]|[ \t\n]|\u{a0}|\u{2003}|é){0,40}|\\PC{0,40}"
        ) {
            prop_assert_eq!(html_to_text(&t), html_to_text_reference(&t));
        }

        /// A plain paragraph renders without a parse exactly as with one.
        #[test]
        fn plain_paragraphs_render_as_parsed(
            t in "([a-zA-Z0-9]{1,6}|[ ,.?;:]|www\\.x\\.com|e\\.g\\.|1\\.|2\\)|A:|  ){0,16}",
            smart in any::<bool>(),
            health in any::<bool>()
        ) {
            let options = MarkdownConfig { smart_punctuation: smart, ..MarkdownConfig::default() };
            let refs = MarkdownHealth::default();
            let cx = MarkdownContext {
                health: health.then_some(&refs),
                ..MarkdownContext::plain(&options, &|_: &str| None)
            };
            let fast = format!("{:?}", render(&t, 3, &cx));
            let parsed = format!("{:?}", render_parsed(&t, 3, &cx, false));
            prop_assert_eq!(fast, parsed);
        }

        /// Words are counted as `split_whitespace` counts them, on every
        /// ASCII byte and on any text.
        #[test]
        fn count_words_equals_split_whitespace(
            t in "[\\x00-\\x7f]{0,60}|[ \x08-\x0e\x1f!a-c]{0,80}|[a b\t\n\u{a0}\u{2003}é]{0,40}|\\PC{0,40}"
        ) {
            prop_assert_eq!(count_words(&t), t.split_whitespace().count());
        }
    }

    /// [`html_to_text`] as it was written first: every step a pass of its own.
    fn html_to_text_reference(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        let out = out
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn with(text: &str, health: Option<&MarkdownHealth>) -> Rendered {
        with_options(text, health, &MarkdownConfig::default(), false)
    }

    /// Renders `text` (at offset 7 of its file when `scan`, else 0) with `a.md` resolvable.
    fn with_options(
        text: &str,
        health: Option<&MarkdownHealth>,
        options: &MarkdownConfig,
        scan: bool,
    ) -> Rendered {
        let resolve = |p: &str| {
            (p == "a.md").then(|| Resolved {
                target: 0,
                permalink: "https://x.org/a/".into(),
            })
        };
        let cx = MarkdownContext {
            health,
            ..MarkdownContext::plain(options, &resolve)
        };
        if scan {
            render_and_scan(text, 7, &cx)
        } else {
            render(text, 0, &cx)
        }
    }

    fn md(text: &str) -> Rendered {
        with(text, None)
    }

    mod scan_rides_on_render {
        use super::super::*;
        use proptest::prelude::*;

        fn rendered_scan(text: &str, smart_punctuation: bool) -> Option<scan::Scan> {
            let options = MarkdownConfig {
                smart_punctuation,
                ..MarkdownConfig::default()
            };
            let health = MarkdownHealth::default();
            super::with_options(text, Some(&health), &options, true)
                .scan
                .map(|s| *s)
        }

        proptest! {
            /// The renderer's scan is the lint's own, whatever the offset of
            /// the body in its file; with smart punctuation only the link
            /// texts may differ (they are read as rendered).
            #[test]
            fn equals_a_scan_of_its_own(
                t in "([a-z ]|\\n|\\n\\n|> |\\[!NOTE\\] |\\[!DOCTOR\\]|- |## |`|```\\n|\\*|_|\\[x\\]\\(y\\)|!\\[\\]\\(i\\)|\\[|\\]|'|\\.\\.\\.|--|\\||<b>|\\\\){0,60}"
            ) {
                let own = scan::scan(&t);
                prop_assert_eq!(rendered_scan(&t, false), Some(own.clone()));
                // Smart punctuation also splits text events: the pieces
                // cover the same bytes.
                let coalesce = |mut s: scan::Scan| {
                    for b in &mut s.blocks {
                        let mut merged: Vec<Range<usize>> = Vec::new();
                        for r in b.pieces.drain(..) {
                            match merged.last_mut() {
                                Some(last) if last.end == r.start => last.end = r.end,
                                _ => merged.push(r),
                            }
                        }
                        b.pieces = merged;
                    }
                    s
                };
                let mut smart = coalesce(rendered_scan(&t, true).unwrap());
                prop_assert_eq!(smart.links.len(), own.links.len());
                for (a, b) in smart.links.iter_mut().zip(&own.links) {
                    a.text = b.text.clone();
                }
                prop_assert_eq!(smart, coalesce(own));
            }
        }
    }

    fn health() -> MarkdownHealth {
        MarkdownHealth {
            titles: [
                "Call 999 now".into(),
                "Get help today".into(),
                "See a GP".into(),
            ],
            references: ["nhs".to_string(), "nice".to_string()]
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn headings_get_unique_ids_and_nest() {
        let r = md("## Hello\n### Sub\n## Hello\n");
        assert!(r.html.contains("<h2 id=\"hello\">Hello</h2>"));
        assert!(r.html.contains("<h2 id=\"hello-1\">"));
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].children[0].id, "sub");
    }

    #[test]
    fn external_links_get_zola_target_rel_and_class() {
        let resolve = |_: &str| None;
        let options = MarkdownConfig {
            external_links_target_blank: true,
            external_links_no_follow: true,
            external_links_no_referrer: true,
            external_links_class: Some("external".into()),
            ..MarkdownConfig::default()
        };
        let cx = MarkdownContext::plain(&options, &resolve);
        let r = render("[a](https://x.org) [b](#c)", 0, &cx);
        assert!(
            r.html.contains("<a href=\"https://x.org\" class=\"external\" target=\"_blank\" rel=\"noopener nofollow noreferrer\">a</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href=\"#c\">b</a>"), "{}", r.html);
    }

    #[test]
    fn internal_links_resolve_or_fail() {
        let r = md("[a](@/a.md#x) [b](@/b.md)");
        assert!(r.html.contains("href=\"https://x.org/a/#x\""));
        assert_eq!(r.missing.len(), 1);
        assert_eq!(r.missing[0].key, "b.md");
    }

    #[test]
    fn callout_markup() {
        assert_eq!(
            urgency_callout_open(UrgencyLevel::Urgent, "Call <111> & \"ask\""),
            "<div class=\"callout callout-urgent\" role=\"note\"><p class=\"callout-title\">Call &lt;111&gt; &amp; &quot;ask&quot;</p>\n"
        );
    }

    #[test]
    fn alerts_become_callouts() {
        let r = md("> [!WARNING]\n> See a doctor.\n");
        assert!(r.html.contains("callout-warning"), "{}", r.html);
        assert!(r.html.contains("See a doctor."));
    }

    #[test]
    fn urgency_callouts_say_their_level_with_the_configured_numbers() {
        let h = health();
        let r = with(
            "> [!EMERGENCY]\n> - Chest pain.\n\n> [!urgent]\n> A swollen calf.\n\n> [!DOCTOR]\n\nText.",
            Some(&h),
        );
        assert!(r.html.contains("<div class=\"callout callout-emergency\" role=\"note\"><p class=\"callout-title\">Call 999 now</p>\n<ul>"), "{}", r.html);
        assert!(r.html.contains("callout-urgent\" role=\"note\"><p class=\"callout-title\">Get help today</p>\n<p>A swollen calf.</p>"), "{}", r.html);
        assert!(!r.html.contains("[!"), "{}", r.html);
        // Order is kept: emergency, then urgent, then doctor.
        let e = r.html.find("callout-emergency").unwrap();
        let u = r.html.find("callout-urgent").unwrap();
        let d = r.html.find("callout-doctor").unwrap();
        assert!(e < u && u < d);
        // Without health settings, the marker is an ordinary quote.
        assert!(md("> [!EMERGENCY]\n> Text.").html.contains("<blockquote>"));
    }

    #[test]
    fn citations_are_numbered_by_first_use_and_code_is_left_alone() {
        let h = health();
        let r = with(
            "A [@nice]. B [@nhs; @nice].\n\n`[@nhs]` and\n\n```\n[@nhs]\n```\n\nmail [@ home] and [@who].",
            Some(&h),
        );
        assert_eq!(r.citations.order(), ["nice", "nhs"]);
        assert!(r.html.contains("id=\"cite-nice-1\""), "{}", r.html);
        assert!(r.html.contains("id=\"cite-nice-2\""), "{}", r.html);
        assert!(r.html.contains("<code>[@nhs]</code>"), "{}", r.html);
        assert!(
            r.html.contains("[@nhs]\n</code>") || r.html.contains("[@nhs]"),
            "{}",
            r.html
        );
        assert!(r.html.contains("[@ home]"), "{}", r.html);
        // An id the page does not list stays as text and is reported.
        assert_eq!(r.unknown_citations.len(), 1);
        assert_eq!(r.unknown_citations[0].0, "who");
        assert_eq!(r.citations.uses("nhs"), 1);
    }

    #[test]
    fn summary_stops_at_more() {
        let r = md("Intro.\n\n<!-- more -->\n\nRest.");
        assert_eq!(r.summary.as_deref(), Some("<p>Intro.</p>\n"));
    }
}
