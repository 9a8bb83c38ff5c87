//! Reading one rendered page: the parts a theme marked for the index, their
//! headings, text and filters, in one pass over the HTML with no tree.

use super::words::{Counter, Synonyms};
use super::BODY_MARK;

/// Characters of text kept per part of a page, for the excerpt.
const SNIPPET: usize = 150;
/// Weights of a word by where it stands.
pub(super) const TITLE_WEIGHT: u32 = 10;
pub(super) const HEADING_WEIGHT: u32 = 3;

/// What the index keeps of one page.
#[derive(PartialEq)]
pub(super) struct Doc {
    pub(super) path: String,
    pub(super) title: String,
    pub(super) filters: Vec<(String, String)>,
    /// Anchor, heading and snippet of each part; the first is the page top.
    pub(super) parts: Vec<(String, String, String)>,
}

/// What an element is to the reader.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Inside a line of text: its end is no word break.
    Inline,
    /// Has no end tag.
    Void,
    /// Its content is never indexed.
    Skipped,
    Heading(u8),
    Other,
}

/// The kind of an element by its name, in any case.
fn kind(name: &str) -> Kind {
    let b = name.as_bytes();
    let mut low = [0u8; 8];
    if b.len() > low.len() {
        return Kind::Other;
    }
    for (l, c) in low.iter_mut().zip(b) {
        *l = c.to_ascii_lowercase();
    }
    match &low[..b.len()] {
        b"a" | b"abbr" | b"b" | b"cite" | b"code" | b"data" | b"del" | b"dfn" | b"em" | b"i"
        | b"ins" | b"kbd" | b"mark" | b"q" | b"s" | b"small" | b"span" | b"strong" | b"sub"
        | b"sup" | b"time" | b"u" => Kind::Inline,
        b"area" | b"base" | b"br" | b"col" | b"embed" | b"hr" | b"img" | b"input" | b"link"
        | b"meta" | b"param" | b"source" | b"track" | b"wbr" => Kind::Void,
        b"nav" | b"footer" | b"form" | b"script" | b"style" | b"template" | b"svg" | b"button"
        | b"noscript" => Kind::Skipped,
        [b'h', d @ b'1'..=b'6'] => Kind::Heading(d - b'0'),
        _ => Kind::Other,
    }
}

/// Finds the prefix of every search attribute; made once, not per tag.
static MARK_FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("data-search-"));

/// One open element.
struct Open<'h> {
    name: &'h str,
    kind: Kind,
    body: bool,
    skip: bool,
    /// A filter whose value is this element's text.
    filter: Option<String>,
    text_from: usize,
}

/// `conditions/neck/index.html` → `/conditions/neck/`.
fn url_of(rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{rel}"),
    }
}

/// Reads the marked parts of a rendered page: title, headings with their
/// anchors, text, filters; and weighs its words (kept in `scratch`). With
/// `SKIP_IGNORED`, an ignored part is passed over to its end tag where that
/// reads the same (see [`end_of_ignored`]); the tests compare both ways.
fn read_page<const SKIP_IGNORED: bool>(
    rel: &str,
    html: &str,
    synonyms: &Synonyms,
    scratch: &mut Scratch,
) -> Doc {
    let mut r = Reader::new(rel, std::mem::take(scratch));
    let bytes = html.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let lt = memchr::memchr(b'<', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        if lt > at {
            r.text(&html[at..lt]);
        }
        let Some(gt) = memchr::memchr(b'>', &bytes[lt..]).map(|i| lt + i) else {
            break;
        };
        at = gt + 1;
        if let Some(name) = r.tag(&html[lt + 1..gt]).filter(|_| SKIP_IGNORED) {
            at = end_of_ignored(html, at, name).unwrap_or(at);
        }
    }
    r.finish(synonyms, scratch)
}

/// Where the end tag of the ignored element `own` starts, its content
/// beginning at `from`: the reader would do nothing with what lies between,
/// so it may go on from there. Tags are split and matched as the reader
/// does. `None` (read on, tag by tag) when the content holds a search mark
/// (a filter counts even where text is ignored), closes an element opened
/// before it, or never ends.
fn end_of_ignored(html: &str, from: usize, own: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    // Elements opened inside and not closed yet.
    let mut open: Vec<&str> = Vec::new();
    let mut at = from;
    loop {
        let lt = at + memchr::memchr(b'<', &bytes[at..])?;
        let gt = lt + memchr::memchr(b'>', &bytes[lt..])?;
        let tag = &html[lt + 1..gt];
        at = gt + 1;
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim();
            match open.iter().rposition(|o| o.eq_ignore_ascii_case(name)) {
                Some(i) => open.truncate(i),
                None if name.eq_ignore_ascii_case(own) => {
                    return MARK_FINDER.find(&bytes[from..lt]).is_none().then_some(lt);
                }
                None => return None,
            }
            continue;
        }
        let end = tag
            .bytes()
            .position(|c| c.is_ascii_whitespace() || c == b'/')
            .unwrap_or(tag.len());
        if kind(&tag[..end]) != Kind::Void && !tag.ends_with('/') {
            open.push(&tag[..end]);
        }
    }
}

/// Buffers that serve page after page, so that a page's text does not
/// grow new ones. After [`read_page`], the words of the page read.
#[derive(Default)]
pub(super) struct Scratch {
    /// All text read, for filters, headings and synonyms.
    all: String,
    /// The text of the current part, outside its heading.
    part_text: String,
    words: Counter,
}

/// A page as the index takes it in: its [`Doc`] and its weighed words.
/// Read as the page is rendered, so a build holds this and not the HTML.
pub struct Summary {
    pub(super) doc: Doc,
    pub(super) words: Words,
}

/// The weighed words of a page: what the index's postings are made of.
pub(super) struct Words {
    /// The distinct words, one after another (as the page read them).
    text: String,
    words: Vec<Word>,
}

/// Equal when the page would be indexed the same (`serve` compares a page
/// read again with the one it holds).
impl PartialEq for Summary {
    fn eq(&self, other: &Self) -> bool {
        self.doc == other.doc
            && self.words.text == other.words.text
            && self.words.in_text_order() == other.words.in_text_order()
    }
}

/// One distinct word of a [`Summary`], at `at..at + len` in its text.
struct Word {
    hash: u64,
    at: u32,
    len: u32,
    score: u32,
    part: u16,
}

impl Summary {
    /// Reads a rendered page (see [`read_page`]).
    pub(super) fn read(rel: &str, html: &str, synonyms: &Synonyms, scratch: &mut Scratch) -> Self {
        Self::read_marked::<true>(rel, html, synonyms, scratch)
    }

    fn read_marked<const SKIP_IGNORED: bool>(
        rel: &str,
        html: &str,
        synonyms: &Synonyms,
        scratch: &mut Scratch,
    ) -> Self {
        let doc = read_page::<SKIP_IGNORED>(rel, html, synonyms, scratch);
        let (text, n, entries) = scratch.words.entries();
        let mut words = Vec::with_capacity(n);
        words.extend(entries.map(|(hash, at, len, score, part)| Word {
            hash,
            at,
            len,
            score,
            part,
        }));
        Summary {
            doc,
            words: Words {
                text: text.to_string(),
                words,
            },
        }
    }
}

impl Words {
    /// The words' places in the text with their scores and parts, in text
    /// order: `words` is in the order of a hash table, which depends on the
    /// pages its thread read before.
    fn in_text_order(&self) -> Vec<(u32, u32, u16)> {
        let mut w: Vec<_> = self.words.iter().map(|w| (w.at, w.score, w.part)).collect();
        w.sort_unstable();
        w
    }

    /// Each word with its hash, score and the part where it counts most.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u64, &str, u32, u16)> {
        self.words.iter().map(|w| {
            let word = &self.text[w.at as usize..][..w.len as usize];
            (w.hash, word, w.score, w.part)
        })
    }
}

/// The state of [`read_page`] between tags.
struct Reader<'h> {
    doc: Doc,
    s: Scratch,
    stack: Vec<Open<'h>>,
    /// Open elements that mark a body, and that are skipped inside one.
    body: usize,
    skip: usize,
    /// The open heading: level, anchor, where its text starts in `all`.
    heading: Option<(u8, Option<String>, usize)>,
}

impl<'h> Reader<'h> {
    fn new(rel: &str, mut s: Scratch) -> Self {
        s.all.clear();
        s.part_text.clear();
        s.words.clear();
        Reader {
            doc: Doc {
                path: url_of(rel),
                title: String::new(),
                filters: Vec::new(),
                parts: vec![(String::new(), String::new(), String::new())],
            },
            s,
            stack: Vec::new(),
            body: 0,
            skip: 0,
            heading: None,
        }
    }

    /// True inside a marked body and outside anything skipped.
    fn indexing(&self) -> bool {
        self.body > 0 && self.skip == 0
    }

    /// Text between two tags, as written.
    fn text(&mut self, raw: &str) {
        if !self.indexing() {
            return;
        }
        let from = self.s.all.len();
        decode_into(&mut self.s.all, raw);
        if self.heading.is_none() {
            self.s.part_text.push_str(&self.s.all[from..]);
        }
    }

    /// What stands between `<` and `>`. Returns the element's name when it
    /// starts a part the index ignores, so that the caller may skip to its end.
    fn tag(&mut self, tag: &'h str) -> Option<&'h str> {
        if tag.starts_with('!') || tag.starts_with('?') {
            return None;
        }
        if let Some(name) = tag.strip_prefix('/') {
            self.close(name.trim());
            return None;
        }
        let (name, attrs) = match tag
            .bytes()
            .position(|c| c.is_ascii_whitespace() || c == b'/')
        {
            Some(i) => (&tag[..i], &tag[i..]),
            None => (tag, ""),
        };
        let kind = kind(name);
        if kind == Kind::Void || tag.ends_with('/') {
            if self.indexing() {
                self.s.all.push(' ');
                self.s.part_text.push(' ');
            }
            return None;
        }
        // Inside a heading, an end tag in the ignored part may end the
        // heading: read such parts tag by tag.
        let may_skip = self.skip == 0 && self.heading.is_none();
        self.open(name, attrs, kind);
        (may_skip && self.skip > 0).then_some(name)
    }

    fn open(&mut self, name: &'h str, attrs: &str, kind: Kind) {
        // Most tags carry no mark: look for one only when there can be one.
        let marked = MARK_FINDER.find(attrs.as_bytes()).is_some()
            && attrs
                .split(' ')
                .any(|a| a.trim_start().starts_with("data-search-"));
        let marks_body = marked && has_attr(attrs, BODY_MARK);
        let ignored = (marked && has_attr(attrs, "data-search-ignore")) || kind == Kind::Skipped;
        let open = Open {
            name,
            kind,
            body: marks_body,
            skip: ignored && (self.body > 0 || marks_body),
            filter: if marked { self.filter(attrs) } else { None },
            text_from: self.s.all.len(),
        };
        if open.body {
            self.body += 1;
        }
        if open.skip {
            self.skip += 1;
        }
        if let Kind::Heading(level) = kind {
            if self.indexing() && self.heading.is_none() {
                self.s.all.push(' ');
                self.heading = Some((
                    level,
                    attr(attrs, "id").map(|s| decode(&s)),
                    self.s.all.len(),
                ));
            }
        }
        self.stack.push(open);
    }

    /// Keeps a `NAME:VALUE` filter; returns a `NAME` filter, whose value is
    /// the element's text.
    fn filter(&mut self, attrs: &str) -> Option<String> {
        let f = attr(attrs, "data-search-filter")?;
        match f.split_once(':') {
            Some((k, v)) => {
                let v = normalise_space(&decode(v));
                if !v.is_empty() {
                    self.doc.filters.push((k.trim().to_string(), v));
                }
                None
            }
            None => Some(f.trim().to_string()),
        }
    }

    /// An end tag: closes the nearest open element of that name and all
    /// opened after it; one with no open element is ignored.
    fn close(&mut self, name: &str) {
        let Some(pos) = self
            .stack
            .iter()
            .rposition(|o| o.name.eq_ignore_ascii_case(name))
        else {
            return;
        };
        while self.stack.len() > pos {
            let o = self.stack.pop().expect("non-empty");
            self.closed(o);
        }
        if self.indexing() && kind(name) != Kind::Inline {
            self.s.all.push(' ');
            if self.heading.is_none() {
                self.s.part_text.push(' ');
            }
        }
    }

    fn closed(&mut self, o: Open<'h>) {
        if o.body {
            self.body -= 1;
        }
        if o.skip {
            self.skip -= 1;
        }
        if let Some(f) = o.filter {
            let value = normalise_space(&self.s.all[o.text_from.min(self.s.all.len())..]);
            if !value.is_empty() {
                self.doc.filters.push((f, value));
            }
        }
        if let Kind::Heading(level) = o.kind {
            if let Some((_, id, from)) = self.heading.take_if(|h| h.0 == level) {
                self.heading_ended(level, id, from);
            }
        }
    }

    /// The first `h1` is the title; a heading with an anchor starts a part;
    /// any other is text of the current part.
    fn heading_ended(&mut self, level: u8, id: Option<String>, from: usize) {
        let title = normalise_space(&self.s.all[from.min(self.s.all.len())..]);
        if level == 1 && self.doc.title.is_empty() {
            self.s.words.add(&title, TITLE_WEIGHT, 0);
            self.doc.title = title;
            self.s.all.push(' ');
        } else if let Some(id) = id {
            self.close_part();
            let part = self.doc.parts.len() as u16;
            self.s.words.add(&title, HEADING_WEIGHT, part);
            self.doc.parts.push((id, title, String::new()));
            self.s.all.push(' ');
        } else {
            self.s.part_text.push(' ');
            self.s.part_text.push_str(&title);
            self.s.part_text.push(' ');
        }
    }

    /// Ends the current part: keeps its snippet and counts its words.
    fn close_part(&mut self) {
        let i = self.doc.parts.len() - 1;
        if self.doc.parts[i].2.is_empty() {
            self.doc.parts[i].2 = snippet(&self.s.part_text);
        }
        self.s.words.add(&self.s.part_text, 1, i as u16);
        self.s.part_text.clear();
    }

    /// The page read; the buffers, and the page's words, go back to `scratch`.
    fn finish(mut self, synonyms: &Synonyms, scratch: &mut Scratch) -> Doc {
        self.close_part();
        if self.doc.title.is_empty() {
            self.doc.title = self.doc.path.clone();
        }
        for extra in synonyms.extra(&self.s.all) {
            self.s.words.add(&extra, 1, 0);
        }
        *scratch = self.s;
        self.doc
    }
}

/// The excerpt of a part's text: its start, white space as single spaces,
/// cut at a word near [`SNIPPET`] characters. Reads no further than it keeps.
fn snippet(text: &str) -> String {
    let mut t = String::with_capacity(SNIPPET + 8);
    let mut chars = 0;
    // The current word: where it starts, and its characters.
    let mut word: Option<(usize, usize)> = None;
    let end = std::iter::once((text.len(), ' '));
    for (i, c) in text.char_indices().chain(end) {
        if !c.is_whitespace() {
            match &mut word {
                Some((_, n)) => *n += 1,
                None if chars > SNIPPET => break,
                None => word = Some((i, 1)),
            }
        } else if let Some((from, n)) = word.take() {
            if !t.is_empty() {
                t.push(' ');
                chars += 1;
            }
            t.push_str(&text[from..i]);
            chars += n;
        }
    }
    if chars <= SNIPPET {
        return t;
    }
    let end = match t.is_ascii() {
        true => SNIPPET,
        false => t.char_indices().nth(SNIPPET).map_or(t.len(), |(i, _)| i),
    };
    let cut = &t[..end];
    let cut = match cut.rfind(' ') {
        Some(i) if i > SNIPPET / 2 => &cut[..i],
        _ => cut,
    };
    format!("{cut} …")
}

/// Where `name` (not empty) next occurs in `attrs` from byte `from`. A tag's
/// attributes are short: jumping between the first byte's occurrences costs
/// less than the searcher `str::find` sets up on every call.
fn find_from(attrs: &str, from: usize, name: &str) -> Option<usize> {
    let (hay, needle) = (attrs.as_bytes(), name.as_bytes());
    memchr::memchr_iter(needle[0], &hay[from..])
        .map(|i| from + i)
        .find(|&at| hay[at..].starts_with(needle))
}

/// True when `attrs` has the attribute `name` (with or without a value).
fn has_attr(attrs: &str, name: &str) -> bool {
    let mut from = 0;
    while let Some(at) = find_from(attrs, from, name) {
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
    while let Some(at) = find_from(attrs, from, name) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn find_from_agrees_with_str_find(
            attrs in "[ a-d=\"é-]{0,30}",
            name in "[a-d-]{1,3}",
            from in 0usize..30,
        ) {
            // Down to a character boundary, rather than rejecting the case.
            let from = crate::diagnostics::floor_char_boundary(&attrs, from);
            let expected = attrs[from..].find(name.as_str()).map(|i| from + i);
            prop_assert_eq!(find_from(&attrs, from, &name), expected);
        }
    }

    /// HTML as themes write it, and some as they should not: elements that
    /// may be ignored, carry filters or anchors, in either letter case;
    /// stray `<` and end tags, comments, void elements, and a heading with
    /// an ignored part that holds another heading.
    fn html_tree() -> impl Strategy<Value = String> {
        let text = prop_oneof![
            "[a-z ]{0,12}",
            Just("fish &amp; chips".to_string()),
            Just("<br>".to_string()),
            Just("a<b".to_string()),
            Just("</div>".to_string()),
            Just("<!-- <p> -->".to_string()),
            Just("<img src=\"x\"><hr/>".to_string()),
        ];
        let heading = (
            prop_oneof![Just("h2"), Just("h3")],
            "[a-z ]{1,10}",
            any::<bool>(),
        )
            .prop_map(|(h, t, id)| {
                let (id, inner) = if id {
                    (" id=\"x\"", "<span data-search-ignore>a<h2>b</h2></span>")
                } else {
                    ("", "")
                };
                format!("<{h}{id}>{t}{inner} tail</{h}>")
            });
        let leaf = prop_oneof![4 => text, 1 => heading];
        leaf.prop_recursive(4, 40, 5, |inner| {
            let name = prop_oneof![
                Just("div"),
                Just("p"),
                Just("P"),
                Just("span"),
                Just("section"),
                Just("a"),
                Just("ul"),
                Just("li"),
                Just("script"),
                Just("pre"),
            ];
            let attrs = prop_oneof![
                Just(""),
                Just(" data-search-ignore"),
                Just(" class=\"p\" data-search-ignore"),
                Just(" id=\"p\""),
                Just(" data-search-filter=\"tags\""),
                Just(" data-search-filter=\"k:v\""),
            ];
            (name, attrs, proptest::collection::vec(inner, 0..4))
                .prop_map(|(n, a, kids)| format!("<{n}{a}>{}</{n}>", kids.concat()))
        })
    }

    proptest! {
        /// Skipping an ignored element to its end tag reads the page as
        /// reading it tag by tag does.
        #[test]
        fn skipping_ignored_parts_reads_the_same(body in proptest::collection::vec(html_tree(), 0..5)) {
            let html = format!(
                "<html><head><title>t</title></head><body><article data-search-body><h1>T</h1>{}</article><footer>f</footer></body></html>",
                body.concat()
            );
            let synonyms = Synonyms::new(&[]);
            let (skipping, reading) = (
                Summary::read_marked::<true>("a.html", &html, &synonyms, &mut Scratch::default()),
                Summary::read_marked::<false>("a.html", &html, &synonyms, &mut Scratch::default()),
            );
            prop_assert!(skipping == reading, "{}", html);
        }
    }

    #[test]
    fn an_ignored_element_is_skipped_to_its_own_end() {
        let html = "<p data-search-ignore>x <p>y</p> z</p>tail";
        let end = end_of_ignored(html, "<p data-search-ignore>".len(), "p");
        assert_eq!(end.map(|e| &html[e..]), Some("</p>tail"));
        // Letter case does not matter, as to the reader.
        assert_eq!(end_of_ignored("<P>b</p></P>!", 0, "p"), Some(8));
        // A filter inside, an end tag of an element opened before, or no
        // end: read tag by tag.
        let filter = "<i data-search-filter=\"a\">b</i></p>";
        assert_eq!(end_of_ignored(filter, 0, "p"), None);
        assert_eq!(end_of_ignored("<i>b</div></p>", 0, "p"), None);
        assert_eq!(end_of_ignored("no end", 0, "p"), None);
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
    fn paths_and_snippets() {
        assert_eq!(url_of("index.html"), "/");
        assert_eq!(url_of("a/b.html"), "/a/b.html");
        assert_eq!(snippet("  short\n text "), "short text");
        assert_eq!(snippet("a\u{a0}b\u{2003} c"), "a b c");
        for long in ["word ".repeat(60), "wörd ".repeat(60)] {
            let s = snippet(&long);
            assert!(s.ends_with(" …") && s.chars().count() <= SNIPPET + 2, "{s}");
            assert!(long.starts_with(s.trim_end_matches(" …")), "{s}");
        }
    }
}
