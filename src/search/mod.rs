//! Site search: a pass over the rendered output. Each HTML page rendered into
//! a [`Sink`] that a theme marked with `data-search-body` is read as it goes
//! by (a [`Summary`] is kept, not the HTML), and a compact static index of
//! them goes out through the same sink, so `build` and `serve` write the same
//! index. The theme's `search.js` reads it in the browser.
//!
//! The index, under [`DIR`]:
//! - `meta.json`: `{version, docs, chunk, shards, filters}`; `filters` maps each
//!   filter to its values and page counts, `shards` lists the word files.
//! - `w/<key>.gz`: the words that start with `key` (their first two letters),
//!   each with its postings `[doc delta, score, section, …]`: the page (ids
//!   ascend, stored as differences), the word's weighted count in it (title
//!   10, headings 3, text 1) and the part of the page (heading) it occurs in most.
//! - `d/<n>.gz`: pages `n*chunk …` (20 a file, so the first results cost little), each `[path, title, section, parts]`, a
//!   part being `[anchor, heading, snippet]` (the first is the page top).
//! - `f/<name>.gz`: for each value of a filter, the pages that have it (deltas).
//!
//! Files ending in `.gz` are gzip; the script unpacks them itself, so any
//! static host serves them as they are. Words are lower case, split at
//! anything not a letter or digit, with a plural `s` taken off; the script
//! does the same to the query and matches word prefixes.
//!
//! Synonyms are added at index time: a page that uses one term of a
//! `[search] synonyms` group is indexed with the words of the others too.

mod files;
mod page;
mod words;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::output::Sink;
pub use page::Summary;
use page::{Doc, Words};

/// The output folder of the index, relative to the site root.
pub const DIR: &str = "search-index";
/// The attribute that marks what a page has to index.
const BODY_MARK: &str = "data-search-body";

/// Whether a site builds a search index: `[search] enabled`, or, when it is
/// not set, whether the theme has a search page.
pub fn enabled(config: &Config, theme_has_search_page: bool) -> bool {
    config.search.enabled.unwrap_or(theme_has_search_page)
}

/// True for an output path of the index.
pub fn is_index_file(rel: &str) -> bool {
    rel.strip_prefix(DIR).is_some_and(|r| r.starts_with('/'))
}

/// The indexable pages of a build, by output path.
pub type Pages = BTreeMap<String, Summary>;

/// Indexable pages as a render step read them, in no particular order.
pub type Kept = Vec<(String, Summary)>;

thread_local! {
    /// Each render thread's buffers for reading pages.
    static SCRATCH: RefCell<page::Scratch> = RefCell::default();
}

/// A sink that passes everything on and reads each indexable page as it goes
/// by: the page is read while it is still in the cache, on the thread that
/// rendered it, and the build holds its summary instead of its HTML.
pub struct Tee<'a> {
    inner: &'a dyn Sink,
    pages: Mutex<Kept>,
    /// The `[search] synonyms`; none when search is off.
    synonyms: Option<words::Synonyms>,
}

impl<'a> Tee<'a> {
    /// Wraps `inner`; keeps nothing when `config` is none (search is off).
    pub fn new(inner: &'a dyn Sink, config: Option<&Config>) -> Self {
        Tee {
            inner,
            pages: Mutex::new(Vec::new()),
            synonyms: config.map(|c| words::Synonyms::new(&c.search.synonyms)),
        }
    }

    /// The pages read, in no particular order.
    pub fn into_pages(self) -> Kept {
        self.pages.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// Finds the mark of an indexable page.
static BODY_FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(BODY_MARK));

impl Sink for Tee<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.inner.put(rel, bytes)?;
        let Some(synonyms) = &self.synonyms else {
            return Ok(());
        };
        if let Some(summary) = summary_of(rel, bytes, synonyms) {
            let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
            pages.push((rel.to_string(), summary));
        }
        Ok(())
    }
    fn contains(&self, rel: &str) -> bool {
        self.inner.contains(rel)
    }
}

/// What the index takes in of output `rel`: `None` unless it is an HTML
/// page marked as indexable.
fn summary_of(rel: &str, bytes: &[u8], synonyms: &words::Synonyms) -> Option<Summary> {
    if !rel.ends_with(".html") || BODY_FINDER.find(bytes).is_none() {
        return None;
    }
    let html = std::str::from_utf8(bytes).ok()?;
    Some(SCRATCH.with_borrow_mut(|scratch| Summary::read(rel, html, synonyms, scratch)))
}

/// Reads back, in parallel, the indexable pages among outputs `rels` of an
/// earlier build, with `read` (which returns `None` for a file it will not
/// read), with the `[search] synonyms`; for a build that renders only some
/// pages again. `Err` names the HTML files that could not be read back.
pub fn read_back(
    rels: &[String],
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    synonyms: &[Vec<String>],
) -> Result<Kept, Vec<String>> {
    let synonyms = words::Synonyms::new(synonyms);
    let read: Vec<Result<Option<(String, Summary)>, String>> = rels
        .par_iter()
        .filter(|rel| rel.ends_with(".html"))
        .map(|rel| {
            let bytes = read(rel).ok_or_else(|| rel.clone())?;
            Ok(summary_of(rel, &bytes, &synonyms).map(|s| (rel.clone(), s)))
        })
        .collect();
    let (pages, unread): (Vec<_>, Vec<_>) = read.into_iter().partition(Result::is_ok);
    match unread.is_empty() {
        true => Ok(pages.into_iter().filter_map(Result::ok).flatten().collect()),
        false => Err(unread.into_iter().filter_map(Result::err).collect()),
    }
}

/// Builds the index of `pages` and returns its files with their output paths
/// (under [`DIR`]). Deterministic: the same pages give the same bytes.
pub fn index(pages: Input) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let files = match pages {
        Input::Kept(pages) => {
            let docs: Vec<&Doc> = pages.values().map(|s| &s.doc).collect();
            let words: Vec<&Words> = pages.values().map(|s| &s.words).collect();
            files::files(&docs, runs(words.into_par_iter()))
        }
        Input::Taken(pages) => {
            let (docs, words): (Vec<Doc>, Vec<Words>) =
                pages.into_values().map(|s| (s.doc, s.words)).unzip();
            // Each page's words go once their postings are gathered: the
            // index then never holds both.
            let runs = runs(words.into_par_iter());
            let files = files::files(&docs.iter().collect::<Vec<_>>(), runs);
            // Freed in parallel: one thread takes a measurable while for every page.
            docs.into_par_iter().for_each(drop);
            files
        }
    };
    files.map_err(|e| failed(e.to_string()))
}

/// The pages an index is built of: kept for the next build (`serve`), or
/// taken, and let go of as the index takes them in (`build`).
pub enum Input<'a> {
    /// Pages the caller keeps.
    Kept(&'a Pages),
    /// Pages the index may drop.
    Taken(Pages),
}

/// The postings of every page's words, gathered by each thread for runs of
/// consecutive pages (`with_min_len` keeps the runs from getting very
/// short). A page's id is its place in `words`.
fn runs<W: std::borrow::Borrow<Words> + Send>(
    words: impl IndexedParallelIterator<Item = W>,
) -> Vec<files::Run> {
    words
        .enumerate()
        .with_min_len(32)
        .fold(files::Run::default, |mut run, (id, w)| {
            run.push(id as u32, w.borrow().iter());
            run
        })
        .collect()
}

/// Compressing in memory does not fail in practice; if it ever did, it is an
/// output error like any failed write.
fn failed(why: String) -> Diagnostic {
    Diagnostic::error(
        Code::OutputIo,
        format!("cannot build the search index: {why}"),
    )
    .hint("turn search off with `[search] enabled = false` in site.toml to build without it")
}

#[cfg(test)]
mod tests {
    use super::page::{HEADING_WEIGHT, TITLE_WEIGHT};
    use super::words::Synonyms;
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html><html lang="en"><head><title>T</title>
<script type="application/ld+json">{"name":"jsonld words"}</script></head><body>
<nav><a href="/">Navigation words</a></nav>
<article class="article" data-search-body data-search-filter="section:Conditions">
<h1>Neck &amp; shoulder tension</h1><p class="lede">Why the neck tightens.</p>
<nav class="toc"><a href="#m">Table of contents</a></nav>
<h2 id="m">Muscles that hold <em>tender</em> spots</h2>
<p>The upper <strong>trapezius</strong>: over the shoulder.<br>Runner&#39;s knee is elsewhere.</p>
<dl><dd><a href="/b/neck/" data-search-filter="body_areas">Neck</a></dd></dl>
</article><footer>Footer words</footer></body></html>"##;

    #[test]
    fn read_back_keeps_marked_pages_and_names_the_files_it_could_not_read() {
        let files = [
            "a/index.html",
            "b/index.html",
            "sitemap.xml",
            "gone/index.html",
        ];
        let rels: Vec<String> = files.iter().map(|f| f.to_string()).collect();
        let read = |rel: &str| match rel {
            "a/index.html" => Some(PAGE.as_bytes().to_vec()),
            "b/index.html" => Some(b"<p>not marked</p>".to_vec()),
            _ => None,
        };
        let unread = read_back(&rels, read, &[]).err().unwrap();
        assert_eq!(unread, ["gone/index.html"]);
        let Ok(kept) = read_back(&rels[..3], read, &[]) else {
            panic!("a file could not be read");
        };
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].0, "a/index.html");
    }

    #[test]
    fn pages_are_read_from_their_marked_parts() {
        let s = Synonyms::new(&[vec!["runner's knee".into(), "ITBS".into()]]);
        let mut scratch = Default::default();
        let read = Summary::read("conditions/neck/index.html", PAGE, &s, &mut scratch);
        let word = |w: &str| read.words.iter().find(|x| x.1 == w).map(|x| (x.2, x.3));
        let d = &read.doc;
        assert_eq!(d.path, "/conditions/neck/");
        assert_eq!(d.title, "Neck & shoulder tension");
        assert_eq!(
            d.filters,
            [
                ("section".to_string(), "Conditions".to_string()),
                ("body_areas".to_string(), "Neck".to_string())
            ]
        );
        assert_eq!(d.parts.len(), 2);
        assert_eq!(d.parts[0].2, "Why the neck tightens.");
        assert_eq!(d.parts[1].0, "m");
        assert_eq!(d.parts[1].1, "Muscles that hold tender spots");
        assert!(d.parts[1]
            .2
            .starts_with("The upper trapezius: over the shoulder. Runner's knee"));
        for gone in ["navigation", "footer", "jsonld", "table"] {
            assert_eq!(word(gone), None, "{gone}");
        }
        assert_eq!(word("trapezius"), Some((1, 1)));
        assert_eq!(word("tension").unwrap().0, TITLE_WEIGHT);
        assert_eq!(word("tender"), Some((HEADING_WEIGHT, 1)));
        assert!(word("neck").unwrap().0 >= TITLE_WEIGHT + 2);
        assert!(word("itb").is_some(), "synonym added");
    }

    #[test]
    fn a_page_read_again_is_equal_whatever_was_read_before() {
        let s = Synonyms::new(&[]);
        let (mut fresh, mut used) = (Default::default(), Default::default());
        // A long page first grows the second scratch's tables, which changes
        // the order its words come out in.
        let long: String = (0..3000).map(|i| format!("<p>w{i}</p>")).collect();
        let long = format!("<article data-search-body>{long}</article>");
        Summary::read("x/index.html", &long, &s, &mut used);
        let a = Summary::read("a/index.html", PAGE, &s, &mut fresh);
        let b = Summary::read("a/index.html", PAGE, &s, &mut used);
        let order = |x: &Summary| x.words.iter().map(|w| w.1.to_string()).collect::<Vec<_>>();
        assert_ne!(order(&a), order(&b), "the test needs two word orders");
        assert!(a == b, "the same page, read after different pages");
        let c = Summary::read(
            "a/index.html",
            &PAGE.replace("upper", "lower"),
            &s,
            &mut fresh,
        );
        assert!(a != c, "a changed word");
    }

    #[test]
    fn the_review_line_and_references_are_left_out() {
        // The markup health pages get (health::template), inside the body.
        let page = PAGE.replace(
            "<p class=\"lede\">",
            "<p class=\"review-line\" data-search-ignore>\n<span>Reviewed by Editors</span>\n</p>\
             <section class=\"references\" data-search-ignore aria-labelledby=\"references-title\">\
             <h2 id=\"references-title\">References</h2><ol><li id=\"ref-c\"><cite>Cochrane \
             review</cite>. Accessed <time>1 May 2026</time>.</li></ol></section><p class=\"lede\">",
        );
        let mut scratch = Default::default();
        let read = Summary::read("a/index.html", &page, &Synonyms::new(&[]), &mut scratch);
        let words: Vec<String> = read.words.iter().map(|x| x.1.to_string()).collect();
        let d = &read.doc;
        for gone in ["reviewed", "editors", "references", "cochrane", "accessed"] {
            assert!(!words.iter().any(|w| w == gone), "{gone} in {words:?}");
        }
        assert!(words.iter().any(|w| w == "trapezius"));
        assert_eq!(d.parts.len(), 2, "no part for the references heading");
    }

    #[test]
    fn index_files_are_deterministic_and_complete() {
        let config: Config = toml::from_str("").unwrap();
        struct Discard;
        impl Sink for Discard {
            fn put(&self, _: &str, _: &[u8]) -> io::Result<()> {
                Ok(())
            }
            fn contains(&self, _: &str) -> bool {
                false
            }
        }
        let tee_into = |sink: &Discard| {
            let tee = Tee::new(sink, Some(&config));
            tee.put("b/index.html", PAGE.replace("Neck", "Heel").as_bytes())
                .unwrap();
            tee.put("a/index.html", PAGE.as_bytes()).unwrap();
            tee.put("c/index.html", b"<p>not marked</p>").unwrap();
            tee.into_pages().into_iter().collect::<Pages>()
        };
        let sink = Discard;
        let pages = tee_into(&sink);
        assert_eq!(pages.len(), 2, "the page with no mark is not kept");
        let one = index(Input::Kept(&pages)).unwrap();
        // Pages a build lets go of make the same index as pages kept.
        assert_eq!(one, index(Input::Taken(tee_into(&sink))).unwrap());
        let names: Vec<&str> = one.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"search-index/meta.json"));
        assert!(names.contains(&"search-index/d/0.gz"));
        assert!(names.contains(&"search-index/w/tr.gz"));
        assert!(names.contains(&"search-index/f/body_areas.gz"));
        assert!(names.iter().all(|n| is_index_file(n)));
    }
}
