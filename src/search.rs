//! Site search: a pass over the rendered output. The HTML pages rendered into
//! a [`Sink`] are kept (only those a theme marked with `data-pagefind-body`),
//! handed to Pagefind's indexer as they are, and the index files go back out
//! through the same sink, so `build` and `serve` write the same index.
//!
//! Synonyms are added at index time: a page that uses one term of a
//! `[search] synonyms` group is indexed with a line naming the others, so a
//! search for any term of the group finds it. The line exists only in what
//! the indexer reads, never in the published page.

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::output::Sink;

/// The output folder of the index, relative to the site root.
pub const DIR: &str = "pagefind";
/// The attribute that marks what a page has to index.
const BODY_MARK: &[u8] = b"data-pagefind-body";

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
pub type Pages = BTreeMap<String, Arc<[u8]>>;

/// Indexable pages as a render step kept them, in no particular order.
pub type Kept = Vec<(String, Arc<[u8]>)>;

/// A sink that passes everything on and keeps a copy of each indexable page.
pub struct Tee<'a> {
    inner: &'a dyn Sink,
    pages: Mutex<Vec<(String, Arc<[u8]>)>>,
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
        if self.active && rel.ends_with(".html") && contains(bytes, BODY_MARK) {
            self.pages
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((rel.to_string(), Arc::from(bytes)));
        }
        Ok(())
    }
    fn contains(&self, rel: &str) -> bool {
        self.inner.contains(rel)
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// `conditions/neck/index.html` → `/conditions/neck/`.
fn url_of(rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{rel}"),
    }
}

/// Builds the index of `pages` and returns its files with their output paths
/// (under [`DIR`]). Deterministic: the same pages give the same bytes.
pub fn index(pages: &Pages, config: &Config) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let synonyms = Synonyms::new(&config.search.synonyms);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| failed(e.to_string()))?;
    let language = config.language.clone();
    let files = runtime
        .block_on(async move {
            let options = PagefindServiceConfig::builder()
                .force_language(language)
                .build();
            let mut index = PagefindIndex::new(Some(options))?;
            for (rel, bytes) in pages {
                let html = String::from_utf8_lossy(bytes);
                let html = synonyms.apply(&html);
                index
                    .add_html_file(None, Some(url_of(rel)), html.into_owned())
                    .await?;
            }
            index.get_files().await
        })
        .map_err(|e| failed(e.to_string()))?;
    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .collect();
    let wasm = wasm_in_use(&files);
    let mut out: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter(|(name, _)| keep(name, &wasm))
        .map(|(name, bytes)| (format!("{DIR}/{name}"), bytes))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The files the search page needs: the search API, the index and the
/// WebAssembly of the indexed language; not Pagefind's own UI nor its playground.
fn keep(name: &str, wasm: &[String]) -> bool {
    let first = name.split('/').next().unwrap_or("");
    matches!(first, "index" | "fragment" | "filter")
        || name == "pagefind.js"
        || name == "pagefind-worker.js"
        || name == "pagefind-entry.json"
        || name.ends_with(".pf_meta")
        || wasm.iter().any(|w| w == name)
}

/// The WebAssembly files that `pagefind-entry.json` names.
fn wasm_in_use(files: &[(String, Vec<u8>)]) -> Vec<String> {
    let Some((_, entry)) = files.iter().find(|(n, _)| n == "pagefind-entry.json") else {
        return Vec::new();
    };
    let entry: serde_json::Value = serde_json::from_slice(entry).unwrap_or_default();
    entry["languages"]
        .as_object()
        .into_iter()
        .flat_map(|l| l.values())
        .filter_map(|l| l["wasm"].as_str())
        .map(|w| format!("wasm.{w}.pagefind"))
        .collect()
}

fn failed(why: String) -> Diagnostic {
    Diagnostic::error(
        Code::SearchIndex,
        format!("cannot build the search index: {why}"),
    )
    .hint("turn search off with `[search] enabled = false` in site.toml to build without it")
}

/// `[search] synonyms`, normalised for matching.
struct Synonyms {
    /// Each term as written and as matched.
    groups: Vec<Vec<(String, String)>>,
}

impl Synonyms {
    fn new(groups: &[Vec<String>]) -> Self {
        Synonyms {
            groups: groups
                .iter()
                .map(|g| {
                    g.iter()
                        .map(|t| (t.trim().to_string(), normalise(t)))
                        .filter(|(_, n)| !n.is_empty())
                        .collect::<Vec<_>>()
                })
                .filter(|g| g.len() > 1)
                .collect(),
        }
    }

    /// The page with a line naming the synonyms of the terms it uses, put
    /// first into its indexed body; unchanged when it uses none.
    fn apply<'h>(&self, html: &'h str) -> std::borrow::Cow<'h, str> {
        if self.groups.is_empty() {
            return html.into();
        }
        let Some(mark) = html.find("data-pagefind-body") else {
            return html.into();
        };
        let Some(open_end) = html[mark..].find('>').map(|i| mark + i + 1) else {
            return html.into();
        };
        let text = normalise(&visible_text(&html[open_end..]));
        let mut extra: Vec<&str> = Vec::new();
        for g in &self.groups {
            if g.iter().any(|(_, n)| has_phrase(&text, n)) {
                for (t, n) in g {
                    if !has_phrase(&text, n) && !extra.contains(&t.as_str()) {
                        extra.push(t);
                    }
                }
            }
        }
        if extra.is_empty() {
            return html.into();
        }
        let line = format!("<p>Also called: {}.</p>", escape_text(&extra.join(", ")));
        let mut out = String::with_capacity(html.len() + line.len());
        out.push_str(&html[..open_end]);
        out.push_str(&line);
        out.push_str(&html[open_end..]);
        out.into()
    }
}

/// Lower case, typographic apostrophes as `'`, runs of white space as one space.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        let c = match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' => '\'',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.extend(c.to_lowercase());
            space = false;
        }
    }
    out.trim_end().to_string()
}

/// The text of an HTML fragment: tags dropped (each counts as a space), the
/// entities the renderer writes decoded.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        out.push(' ');
        rest = match rest[lt..].find('>') {
            Some(gt) => &rest[lt + gt + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// True when `phrase` occurs in `text` as whole words.
fn has_phrase(text: &str, phrase: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    let mut from = 0;
    while let Some(i) = text[from..].find(phrase) {
        let start = from + i;
        let end = start + phrase.len();
        if !word(text[..start].chars().next_back()) && !word(text[end..].chars().next()) {
            return true;
        }
        from = start + phrase.chars().next().map_or(1, char::len_utf8);
    }
    false
}

fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_are_added_to_pages_that_use_a_term() {
        let s = Synonyms::new(&[vec![
            "Runner's knee".into(),
            "iliotibial band".into(),
            "ITBS".into(),
        ]]);
        let page = "<html><body><nav>ITBS</nav><article data-pagefind-body class=a>\
                    <p>Pain of the <em>iliotibial</em>  band.</p></article></body></html>";
        let out = s.apply(page);
        assert!(
            out.contains("data-pagefind-body class=a><p>Also called: Runner's knee, ITBS.</p>"),
            "{out}"
        );
        let other = "<html><body><article data-pagefind-body><p>Bands of muscle, runners.</p></article></body></html>";
        assert_eq!(s.apply(other), other);
        let typographic = "<article data-pagefind-body><p>Runner\u{2019}s knee</p></article>";
        assert!(s.apply(typographic).contains("iliotibial band, ITBS"));
    }

    #[test]
    fn phrases_match_whole_words_only() {
        assert!(has_phrase("a heel b", "heel"));
        assert!(!has_phrase("heels", "heel"));
        assert!(has_phrase("heels, heel.", "heel"));
        assert!(!has_phrase("", "heel"));
    }

    #[test]
    fn index_paths() {
        assert_eq!(url_of("index.html"), "/");
        assert_eq!(url_of("conditions/neck/index.html"), "/conditions/neck/");
        assert!(is_index_file("pagefind/pagefind.js"));
        assert!(!is_index_file("pagefinder/x"));
        let entry = br#"{"languages":{"en":{"hash":"en_1","wasm":"en"}}}"#.to_vec();
        let wasm = wasm_in_use(&[("pagefind-entry.json".into(), entry)]);
        assert!(keep("fragment/en_1.pf_fragment", &wasm));
        assert!(keep("wasm.en.pagefind", &wasm));
        assert!(!keep("wasm.unknown.pagefind", &wasm));
        assert!(!keep("pagefind-ui.js", &wasm));
        assert!(!keep("playground/index.html", &wasm));
    }
}
