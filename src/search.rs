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

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::output::Sink;

/// The output folder of the index, relative to the site root.
pub const DIR: &str = "search-index";
/// The attribute that marks what a page has to index.
const BODY_MARK: &str = "data-search-body";
/// Pages per file of page data.
const CHUNK: usize = 20;
/// Characters of text kept per part of a page, for the excerpt.
const SNIPPET: usize = 150;
/// Weights of a word by where it stands.
const TITLE_WEIGHT: u32 = 10;
const HEADING_WEIGHT: u32 = 3;

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
        if self.active
            && rel.ends_with(".html")
            && std::str::from_utf8(bytes).is_ok_and(|t| t.contains(BODY_MARK))
        {
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

/// `conditions/neck/index.html` → `/conditions/neck/`.
fn url_of(rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{rel}"),
    }
}

/// A map keyed by word, with a fast hash.
type Words<V> = HashMap<String, V, xxhash_rust::xxh3::Xxh3DefaultBuilder>;

/// What the index keeps of one page.
struct Doc {
    path: String,
    title: String,
    filters: Vec<(String, String)>,
    /// Anchor, heading and snippet of each part; the first is the page top.
    parts: Vec<(String, String, String)>,
    /// Word → (score, part where it counts most).
    words: Words<(u32, u16)>,
}

/// Builds the index of `pages` and returns its files with their output paths
/// (under [`DIR`]). Deterministic: the same pages give the same bytes.
pub fn index(pages: &Pages, config: &Config) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let synonyms = Synonyms::new(&config.search.synonyms);
    let list: Vec<(&String, &Arc<[u8]>)> = pages.iter().collect();
    let docs: Vec<Doc> = list
        .par_iter()
        .map(|(rel, bytes)| read_page(rel, &String::from_utf8_lossy(bytes), &synonyms))
        .collect();

    let mut postings: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut last: HashMap<&str, u32> = HashMap::new();
    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (id, doc) in docs.iter().enumerate() {
        let id = id as u32;
        let mut words: Vec<(&String, &(u32, u16))> = doc.words.iter().collect();
        words.sort_unstable();
        for (word, &(score, part)) in words {
            let prev = last.insert(word, id).map_or(0, |p| p);
            let list = postings.entry(word).or_default();
            let delta = if list.is_empty() { id } else { id - prev };
            list.extend([delta, score, part as u32]);
        }
        for (name, value) in &doc.filters {
            let ids = filters.entry(name).or_default().entry(value).or_default();
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
    }

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut shards: BTreeMap<String, Vec<(&str, Vec<u32>)>> = BTreeMap::new();
    for (word, list) in postings {
        shards
            .entry(shard_key(word))
            .or_default()
            .push((word, list));
    }
    let shard_names: Vec<&String> = shards.keys().collect();
    let meta_filters: BTreeMap<&str, BTreeMap<&str, usize>> = filters
        .iter()
        .map(|(name, values)| {
            (
                *name,
                values.iter().map(|(v, ids)| (*v, ids.len())).collect(),
            )
        })
        .collect();
    let meta = json!({
        "version": 1,
        "docs": docs.len(),
        "chunk": CHUNK,
        "shards": shard_names,
        "filters": meta_filters,
    });
    files.push((format!("{DIR}/meta.json"), meta.to_string().into_bytes()));

    let mut jobs: Vec<(String, Value)> = Vec::new();
    for (key, words) in &shards {
        let map: serde_json::Map<String, Value> = words
            .iter()
            .map(|(w, list)| (w.to_string(), json!(list)))
            .collect();
        jobs.push((format!("{DIR}/w/{key}.gz"), Value::Object(map)));
    }
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        let rows: Vec<Value> = chunk
            .iter()
            .map(|d| {
                let section = d
                    .filters
                    .iter()
                    .find(|(k, _)| k == "section")
                    .map_or("", |(_, v)| v.as_str());
                let parts: Vec<Value> = d.parts.iter().map(|(a, h, s)| json!([a, h, s])).collect();
                json!([d.path, d.title, section, parts])
            })
            .collect();
        jobs.push((format!("{DIR}/d/{n}.gz"), Value::Array(rows)));
    }
    for (name, values) in &filters {
        let map: serde_json::Map<String, Value> = values
            .iter()
            .map(|(v, ids)| {
                let mut prev = 0;
                let deltas: Vec<u32> = ids
                    .iter()
                    .map(|&i| {
                        let d = i - prev;
                        prev = i;
                        d
                    })
                    .collect();
                (v.to_string(), json!(deltas))
            })
            .collect();
        jobs.push((format!("{DIR}/f/{}.gz", file_key(name)), Value::Object(map)));
    }
    let packed: Vec<Result<(String, Vec<u8>), io::Error>> = jobs
        .into_par_iter()
        .map(|(path, value)| gzip(value.to_string().as_bytes()).map(|b| (path, b)))
        .collect();
    for p in packed {
        files.push(p.map_err(|e| failed(e.to_string()))?);
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut enc = flate2::GzBuilder::new().write(
        Vec::with_capacity(bytes.len() / 3),
        // The fastest level: the index is small either way, and this is the build's time.
        flate2::Compression::fast(),
    );
    enc.write_all(bytes)?;
    enc.finish()
}

/// The file of a word: its first two letters when they are plain ASCII, `_` otherwise.
fn shard_key(word: &str) -> String {
    let key: String = word.chars().take(2).collect();
    file_key(&key)
}

fn file_key(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        s.to_string()
    } else if s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !s.is_empty()
    {
        s.to_ascii_lowercase()
    } else {
        "_".to_string()
    }
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

/// Elements whose content is never indexed.
const SKIPPED: [&str; 9] = [
    "nav", "footer", "form", "script", "style", "template", "svg", "button", "noscript",
];
/// Elements inside a line of text: their end is no word break.
const INLINE: [&str; 22] = [
    "a", "abbr", "b", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q",
    "s", "small", "span", "strong", "sub", "sup", "time", "u",
];
/// Elements that have no end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// One open element inside an indexed part.
struct Open<'h> {
    name: &'h str,
    body: bool,
    skip: bool,
    /// A filter whose value is this element's text.
    filter: Option<String>,
    text_from: usize,
}

/// Reads the marked parts of a rendered page: title, headings with their
/// anchors, text, filters; and weighs its words.
fn read_page(rel: &str, html: &str, synonyms: &Synonyms) -> Doc {
    let mut doc = Doc {
        path: url_of(rel),
        title: String::new(),
        filters: Vec::new(),
        parts: vec![(String::new(), String::new(), String::new())],
        words: Words::default(),
    };
    let mut stack: Vec<Open<'_>> = Vec::new();
    let mut body = 0usize;
    let mut skip = 0usize;
    // All text read, for filters and synonyms; the text of the current part.
    let mut all = String::new();
    let mut part_text = String::new();
    let mut heading: Option<(u8, Option<String>, usize)> = None;
    let mut rest = html;
    let mut texts: Vec<(String, u32, u16)> = Vec::new();
    while !rest.is_empty() {
        let lt = rest.find('<').unwrap_or(rest.len());
        if body > 0 && skip == 0 && lt > 0 {
            let from = all.len();
            decode_into(&mut all, &rest[..lt]);
            if heading.is_none() {
                part_text.push_str(&all[from..]);
            }
        }
        rest = &rest[lt..];
        if rest.is_empty() {
            break;
        }
        let gt = match rest.find('>') {
            Some(g) => g,
            None => break,
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim();
            let Some(pos) = stack
                .iter()
                .rposition(|o| o.name.eq_ignore_ascii_case(name))
            else {
                continue;
            };
            while stack.len() > pos {
                let o = stack.pop().expect("non-empty");
                if o.body {
                    body -= 1;
                }
                if o.skip {
                    skip -= 1;
                }
                if let Some(f) = o.filter {
                    let value = normalise_space(&all[o.text_from.min(all.len())..]);
                    if !value.is_empty() {
                        doc.filters.push((f, value));
                    }
                }
                if let Some((level, id, from)) =
                    heading.take_if(|h| is_heading(o.name) == Some(h.0))
                {
                    let title = normalise_space(&all[from.min(all.len())..]);
                    if level == 1 && doc.title.is_empty() {
                        doc.title = title.clone();
                        texts.push((title, TITLE_WEIGHT, 0));
                        all.push(' ');
                    } else if let Some(id) = id {
                        close_part(&mut doc, &mut part_text, &mut texts);
                        doc.parts.push((id, title.clone(), String::new()));
                        let p = (doc.parts.len() - 1) as u16;
                        texts.push((title, HEADING_WEIGHT, p));
                        all.push(' ');
                    } else {
                        part_text.push(' ');
                        part_text.push_str(&title);
                        part_text.push(' ');
                    }
                }
            }
            if body > 0 && skip == 0 && !INLINE.iter().any(|i| i.eq_ignore_ascii_case(name)) {
                all.push(' ');
                if heading.is_none() {
                    part_text.push(' ');
                }
            }
            continue;
        }
        let (name, attrs) = match tag.find(|c: char| c.is_ascii_whitespace() || c == '/') {
            Some(i) => (&tag[..i], &tag[i..]),
            None => (tag, ""),
        };
        if VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) || tag.ends_with('/') {
            if body > 0 && skip == 0 {
                all.push(' ');
                part_text.push(' ');
            }
            continue;
        }
        // Most tags carry no mark: look for one only when there can be one.
        let marked = attrs
            .split(' ')
            .any(|a| a.trim_start().starts_with("data-search-"));
        let marks_body = marked && has_attr(attrs, BODY_MARK);
        let ignored = (marked && has_attr(attrs, "data-search-ignore"))
            || SKIPPED.iter().any(|k| k.eq_ignore_ascii_case(name));
        let mut filter = None;
        if let Some(f) = marked.then(|| attr(attrs, "data-search-filter")).flatten() {
            match f.split_once(':') {
                Some((k, v)) => {
                    let v = normalise_space(&decode(v));
                    if !v.is_empty() {
                        doc.filters.push((k.trim().to_string(), v));
                    }
                }
                None => filter = Some(f.trim().to_string()),
            }
        }
        let open = Open {
            body: marks_body,
            skip: ignored && (body > 0 || marks_body),
            filter,
            text_from: all.len(),
            name,
        };
        if open.body {
            body += 1;
        }
        if open.skip {
            skip += 1;
        }
        if body > 0 && skip == 0 {
            if let Some(level) = is_heading(open.name) {
                if heading.is_none() {
                    all.push(' ');
                    heading = Some((level, attr(attrs, "id").map(|s| decode(&s)), all.len()));
                }
            }
        }
        stack.push(open);
    }
    close_part(&mut doc, &mut part_text, &mut texts);
    if doc.title.is_empty() {
        doc.title = doc.path.clone();
    }
    for extra in synonyms.extra(&all) {
        texts.push((extra, 1, 0));
    }
    // Per word, its weight in each part; a word is allocated once per page.
    let mut counts: Words<Vec<(u16, u32)>> = Words::default();
    let mut buf = String::new();
    for (text, weight, part) in &texts {
        each_word(text, &mut buf, |w| match counts.get_mut(w) {
            Some(parts) => match parts.iter_mut().find(|(p, _)| p == part) {
                Some((_, n)) => *n += weight,
                None => parts.push((*part, *weight)),
            },
            None => {
                counts.insert(w.to_string(), vec![(*part, *weight)]);
            }
        });
    }
    // Each word points at the part where it counts most (the first on a tie).
    doc.words = counts
        .into_iter()
        .map(|(word, parts)| {
            let total = parts.iter().map(|(_, n)| n).sum();
            let best = parts
                .iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map_or(0, |(p, _)| *p);
            (word, (total, best))
        })
        .collect();
    doc
}

/// Ends the current part: keeps its snippet and queues its text for words.
fn close_part(doc: &mut Doc, text: &mut String, texts: &mut Vec<(String, u32, u16)>) {
    let t = normalise_space(text);
    let i = doc.parts.len() - 1;
    if doc.parts[i].2.is_empty() {
        doc.parts[i].2 = snippet(&t);
    }
    if !t.is_empty() {
        texts.push((t, 1, i as u16));
    }
    text.clear();
}

fn snippet(t: &str) -> String {
    if t.chars().count() <= SNIPPET {
        return t.to_string();
    }
    let cut: String = t.chars().take(SNIPPET).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > SNIPPET / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{cut} …")
}

fn is_heading(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h' | b'H', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

/// True when `attrs` has the attribute `name` (with or without a value).
fn has_attr(attrs: &str, name: &str) -> bool {
    let mut from = 0;
    while let Some(i) = attrs[from..].find(name) {
        let at = from + i;
        let before = attrs[..at].chars().next_back();
        let after = attrs[at + name.len()..].chars().next();
        if before.is_some_and(|c| c.is_ascii_whitespace())
            && after.is_none_or(|c| c.is_ascii_whitespace() || c == '=' || c == '/')
        {
            return true;
        }
        from = at + name.len();
    }
    false
}

/// The value of attribute `name` (quoted or not), as written.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = attrs[from..].find(name) {
        let at = from + i;
        let before = attrs[..at].chars().next_back();
        let rest = attrs[at + name.len()..].trim_start();
        from = at + name.len();
        if !before.is_some_and(|c| c.is_ascii_whitespace()) {
            continue;
        }
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        return Some(match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or("").to_string(),
            _ => rest
                .split(|c: char| c.is_ascii_whitespace())
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

/// Decodes the character references the renderer writes, and numeric ones.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    decode_into(&mut out, s);
    out
}

/// [`decode`] onto the end of `out`.
fn decode_into(out: &mut String, s: &str) {
    if !s.contains('&') {
        out.push_str(s);
        return;
    }
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // Bytes: a character may straddle the 12th.
        let end = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// Runs of white space as one space, trimmed.
fn normalise_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Calls `f` with each word of a text as the index keeps it: lower case,
/// split at anything that is not a letter or digit, plural `s` removed; one
/// letter alone is no word, one digit is. search.js does the same.
fn each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        if raw.is_empty() {
            continue;
        }
        buf.clear();
        if raw.is_ascii() {
            buf.push_str(raw);
            buf.make_ascii_lowercase();
        } else {
            buf.extend(raw.chars().flat_map(char::to_lowercase));
        }
        stem(buf);
        let mut chars = buf.chars();
        let first = chars.next();
        if chars.next().is_some() || first.is_some_and(|c| c.is_ascii_digit()) {
            f(buf);
        }
    }
}

#[cfg(test)]
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_word(text, &mut String::new(), |w| out.push(w.to_string()));
    out
}

/// `pains` → `pain`, `injuries` → `injury`; `stress`, `status`, `basis` stay.
fn stem(w: &mut String) {
    let long = |n: usize| w.chars().nth(n).is_some();
    if w.ends_with("ies") && long(4) {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && long(3)
    {
        w.pop();
    }
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

    /// The terms of every group that `text` uses one term of, and does not
    /// itself contain: what a page is indexed with besides its own words.
    fn extra(&self, text: &str) -> Vec<String> {
        if self.groups.is_empty() {
            return Vec::new();
        }
        let text = normalise(text);
        let mut extra: Vec<String> = Vec::new();
        for g in &self.groups {
            if g.iter().any(|(_, n)| has_phrase(&text, n)) {
                for (t, n) in g {
                    if !has_phrase(&text, n) && !extra.contains(t) {
                        extra.push(t.clone());
                    }
                }
            }
        }
        extra
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

#[cfg(test)]
mod tests {
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
        let d = read_page("conditions/neck/index.html", PAGE, &s);
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
            assert!(!d.words.contains_key(gone), "{gone}");
        }
        assert_eq!(d.words["trapezius"], (1, 1));
        assert_eq!(d.words["tension"].0, TITLE_WEIGHT);
        assert_eq!(d.words["tender"], (HEADING_WEIGHT, 1));
        assert!(d.words["neck"].0 >= TITLE_WEIGHT + 2);
        assert!(d.words.contains_key("itb"), "synonym added");
    }

    #[test]
    fn references_are_decoded_and_stray_ampersands_kept() {
        assert_eq!(
            decode("a &amp; b &#39;c&#x41; &bogus;"),
            "a & b 'cA &bogus;"
        );
        // A character that straddles the end of the reference window.
        assert_eq!(decode("&bogus;/>niñas"), "&bogus;/>niñas");
    }

    #[test]
    fn words_and_stems() {
        let w = words("Heels, stress-injuries & x 3 status");
        assert_eq!(w, ["heel", "stress", "injury", "3", "status"]);
    }

    #[test]
    fn synonyms_name_the_other_terms_of_a_used_group() {
        let s = Synonyms::new(&[vec![
            "Runner's knee".into(),
            "iliotibial band".into(),
            "ITBS".into(),
        ]]);
        assert_eq!(
            s.extra("Pain of the iliotibial  band."),
            ["Runner's knee", "ITBS"]
        );
        assert!(s.extra("Bands of muscle, runners.").is_empty());
        assert_eq!(s.extra("Runner\u{2019}s knee"), ["iliotibial band", "ITBS"]);
    }

    #[test]
    fn phrases_match_whole_words_only() {
        assert!(has_phrase("a heel b", "heel"));
        assert!(!has_phrase("heels", "heel"));
        assert!(has_phrase("heels, heel.", "heel"));
        assert!(!has_phrase("", "heel"));
    }

    #[test]
    fn index_files_are_deterministic_and_complete() {
        let mut pages = Pages::new();
        pages.insert("a/index.html".into(), Arc::from(PAGE.as_bytes()));
        pages.insert(
            "b/index.html".into(),
            Arc::from(PAGE.replace("Neck", "Heel").as_bytes()),
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
        assert_eq!(url_of("index.html"), "/");
        assert_eq!(shard_key("été"), "_");
        assert_eq!(shard_key("3"), "3");
    }
}
