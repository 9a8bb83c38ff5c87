//! Site search: a pass over the rendered output. The HTML pages rendered into
//! a [`Sink`] are kept (only those a theme marked with `data-search-body`),
//! their marked text is read back, and a compact static index goes out through
//! the same sink, so `build` and `serve` write the same index. The theme's
//! `search.js` reads it in the browser.
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

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::output::Sink;

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
pub type Pages = BTreeMap<String, Arc<str>>;

/// Indexable pages as a render step kept them, in no particular order.
pub type Kept = Vec<(String, Arc<str>)>;

/// A sink that passes everything on and keeps a copy of each indexable page.
pub struct Tee<'a> {
    inner: &'a dyn Sink,
    pages: Mutex<Kept>,
    active: bool,
}

impl<'a> Tee<'a> {
    /// Wraps `inner`; keeps nothing when `active` is false.
    pub fn new(inner: &'a dyn Sink, active: bool) -> Self {
        Tee {
            inner,
            pages: Mutex::new(Vec::new()),
            active,
        }
    }

    /// The pages kept, in no particular order.
    pub fn into_pages(self) -> Kept {
        self.pages.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Tee<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.inner.put(rel, bytes)?;
        if !self.active || !rel.ends_with(".html") {
            return Ok(());
        }
        if let Some(text) = std::str::from_utf8(bytes)
            .ok()
            .filter(|t| t.contains(BODY_MARK))
        {
            self.pages
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((rel.to_string(), Arc::from(text)));
        }
        Ok(())
    }
    fn contains(&self, rel: &str) -> bool {
        self.inner.contains(rel)
    }
}

/// Builds the index of `pages` and returns its files with their output paths
/// (under [`DIR`]). Deterministic: the same pages give the same bytes.
pub fn index(pages: &Pages, config: &Config) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let synonyms = words::Synonyms::new(&config.search.synonyms);
    let list: Vec<(&String, &Arc<str>)> = pages.iter().collect();
    // Each thread reads runs of consecutive pages, and gathers the postings
    // of their words as it goes; with_min_len keeps the runs from getting
    // very short.
    let runs: Vec<files::Run> = list
        .par_iter()
        .enumerate()
        .with_min_len(32)
        .fold(
            || (page::Scratch::default(), files::Run::default()),
            |(mut scratch, mut run), (id, (rel, html))| {
                let doc = page::read_page(rel, html, &synonyms, &mut scratch);
                run.push(id as u32, doc, scratch.words());
                (scratch, run)
            },
        )
        .map(|(_, run)| run)
        .collect();
    files::files(runs).map_err(|e| failed(e.to_string()))
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
    use super::page::{read_page, HEADING_WEIGHT, TITLE_WEIGHT};
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
    fn pages_are_read_from_their_marked_parts() {
        let s = Synonyms::new(&[vec!["runner's knee".into(), "ITBS".into()]]);
        let mut scratch = Default::default();
        let d = read_page("conditions/neck/index.html", PAGE, &s, &mut scratch);
        let word = |w: &str| scratch.words().find(|x| x.1 == w).map(|x| (x.2, x.3));
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
        let d = read_page("a/index.html", &page, &Synonyms::new(&[]), &mut scratch);
        let words: Vec<String> = scratch.words().map(|x| x.1.to_string()).collect();
        for gone in ["reviewed", "editors", "references", "cochrane", "accessed"] {
            assert!(!words.iter().any(|w| w == gone), "{gone} in {words:?}");
        }
        assert!(words.iter().any(|w| w == "trapezius"));
        assert_eq!(d.parts.len(), 2, "no part for the references heading");
    }

    #[test]
    fn index_files_are_deterministic_and_complete() {
        let mut pages = Pages::new();
        pages.insert("a/index.html".into(), Arc::from(PAGE));
        pages.insert(
            "b/index.html".into(),
            Arc::from(PAGE.replace("Neck", "Heel")),
        );
        let config: Config = toml::from_str("").unwrap();
        let one = index(&pages, &config).unwrap();
        assert_eq!(one, index(&pages, &config).unwrap());
        let names: Vec<&str> = one.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"search-index/meta.json"));
        assert!(names.contains(&"search-index/d/0.gz"));
        assert!(names.contains(&"search-index/w/tr.gz"));
        assert!(names.contains(&"search-index/f/body_areas.gz"));
        assert!(names.iter().all(|n| is_index_file(n)));
    }
}
