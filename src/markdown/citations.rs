//! Citations in the body: `[@id]`, or several at once as `[@a; @b]`.
//!
//! # The rule
//!
//! A citation is `[`, then one or more `@id` separated by `;` (with optional
//! spaces or tabs around the `;`), then `]`. No space is allowed right after
//! `[` or right before `]`. An id is `[A-Za-z0-9][A-Za-z0-9_.:-]*`, except that
//! a trailing `.` or `:` is never part of an id; since nothing but `;` or `]`
//! may follow an id, `[@a.]` is not a citation.
//!
//! Anything else that starts with `[@` is ordinary text and stays as written:
//! `[@ home]`, `[@]`, `[email@x]`, `[@a b]`, `[@a;]`, `[@a, @b]`.
//!
//! Citations are found in prose text only; code is left alone. The pipeline
//! runs [`scan`] on the `Text` events of pulldown-cmark, so code spans
//! (`` `[@a]` ``, an `Event::Code`) never reach it. Two things the caller must
//! do (both checked by a test here):
//! - skip `Text` events between `Start(CodeBlock)` and `End(CodeBlock)`: the
//!   contents of fenced and indented code blocks *are* `Text` events;
//! - merge adjacent text first (`pulldown_cmark::TextMergeStream`): unmerged,
//!   pulldown-cmark splits `[@a; @b]` into the events `[`, `@a; @b` and `]`.
//!
//! A `[@id]` that is the text of a link (`[@id](url)`) is a link, not a citation.
//!
//! Numbers are given in order of first use ([`Numbering`]); each use of a
//! reference gets its own occurrence number, so the references list can link
//! back to every place that cites it (`#cite-ID-N`).

use std::ops::Range;

/// One citation found by [`scan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteMatch {
    /// Byte range of the whole citation, `[` to `]` inclusive, in the scanned text.
    pub range: Range<usize>,
    /// The cited ids in order, each with its byte range (without the `@`) in the scanned text.
    pub ids: Vec<(String, Range<usize>)>,
}

fn is_id_start(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn is_id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-')
}

/// Where the first `[@` of `bytes` is. Cheaper than `str::find`, which sets
/// up a searcher on every call: text is searched event by event, and `[` is
/// rare in it.
pub fn find_open(bytes: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'[', bytes).find(|&i| bytes.get(i + 1) == Some(&b'@'))
}

/// Every citation in `text`, in order. Never panics; all ranges lie on char
/// boundaries inside `text` (every byte the rule accepts is ASCII).
pub fn scan(text: &str) -> Vec<CiteMatch> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(found) = find_open(&bytes[i..]) {
        let start = i + found;
        match parse_at(bytes, start) {
            Some(m) => {
                i = m.range.end;
                out.push(m);
            }
            None => i = start + 1,
        }
    }
    out
}

/// Parses a citation starting at the `[` at `start`.
fn parse_at(bytes: &[u8], start: usize) -> Option<CiteMatch> {
    let mut pos = start + 1;
    let mut ids = Vec::new();
    loop {
        // `@id`
        if bytes.get(pos) != Some(&b'@') {
            return None;
        }
        pos += 1;
        let id_start = pos;
        if !bytes.get(pos).copied().is_some_and(is_id_start) {
            return None;
        }
        while bytes.get(pos).copied().is_some_and(is_id_char) {
            pos += 1;
        }
        let mut id_end = pos;
        while matches!(bytes[id_end - 1], b'.' | b':') {
            id_end -= 1;
        }
        if id_end != pos {
            // Trailing punctuation is not part of the id, and nothing else may follow it.
            return None;
        }
        // The id is ASCII, so the slice is valid UTF-8.
        let id = String::from_utf8_lossy(&bytes[id_start..id_end]).into_owned();
        ids.push((id, id_start..id_end));
        // `]` ends the citation; `;` (with optional blanks around it) continues it.
        match bytes.get(pos) {
            Some(b']') => {
                return Some(CiteMatch {
                    range: start..pos + 1,
                    ids,
                })
            }
            Some(b';' | b' ' | b'\t') => {
                while matches!(bytes.get(pos), Some(b' ' | b'\t')) {
                    pos += 1;
                }
                if bytes.get(pos) != Some(&b';') {
                    return None;
                }
                pos += 1;
                while matches!(bytes.get(pos), Some(b' ' | b'\t')) {
                    pos += 1;
                }
            }
            _ => return None,
        }
    }
}

/// Numbers references in order of first citation and counts each one's uses.
///
/// Ids are looked up by a scan of `order`: a page cites a handful of
/// references, and a scan costs less than hashing each id.
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    order: Vec<String>,
    uses: Vec<usize>,
}

impl Numbering {
    /// An empty numbering.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one citation of `id`: returns its number (1-based, in order of
    /// first use) and which use of it this is (1-based).
    pub fn cite(&mut self, id: &str) -> (usize, usize) {
        let index = match self.number(id) {
            Some(n) => n - 1,
            None => {
                self.order.push(id.to_string());
                self.uses.push(0);
                self.order.len() - 1
            }
        };
        self.uses[index] += 1;
        (index + 1, self.uses[index])
    }

    /// The number of `id`, if it has been cited.
    pub fn number(&self, id: &str) -> Option<usize> {
        self.order.iter().position(|o| o == id).map(|i| i + 1)
    }

    /// How many times `id` has been cited.
    pub fn uses(&self, id: &str) -> usize {
        self.number(id).map_or(0, |n| self.uses[n - 1])
    }

    /// The cited ids in number order (the first is number 1).
    pub fn order(&self) -> &[String] {
        &self.order
    }

    /// The element ids of every place `id` is cited: `cite-ID-1`, `cite-ID-2`, …
    pub fn anchors(&self, id: &str) -> Vec<String> {
        (1..=self.uses(id))
            .map(|n| format!("cite-{id}-{n}"))
            .collect()
    }
}

/// Appends the element id of use `n` of the citation of `id` (one of
/// [`Numbering::anchors`]), escaped for an HTML attribute.
pub fn push_anchor(out: &mut String, id: &str, n: usize) {
    out.push_str("cite-");
    super::escape_into(out, id);
    out.push('-');
    out.push_str(itoa::Buffer::new().format(n));
}

/// The superscript marker for one citation: `entries` are `(number, id,
/// occurrence)` for each id cited there, e.g. from [`Numbering::cite`].
///
/// One entry: `<sup class="cite"><a href="#ref-ID" id="cite-ID-1" aria-label="Reference 1">[1]</a></sup>`.
/// Several: `<sup class="cite">[<a …>1</a>, <a …>3</a>]</sup>`, each number
/// its own link. Empty `entries` give an empty string.
pub fn marker_html(entries: &[(usize, &str, usize)]) -> String {
    // Pushed piece by piece: every citation of every page comes through here,
    // and `write!` costs several times the text it writes.
    let mut digits = itoa::Buffer::new();
    let mut link = |out: &mut String, &(number, id, occurrence): &(usize, &str, usize), bracket| {
        out.push_str("<a href=\"#ref-");
        super::escape_into(out, id);
        out.push_str("\" id=\"");
        push_anchor(out, id, occurrence);
        out.push_str("\" aria-label=\"Reference ");
        let number = digits.format(number);
        out.push_str(number);
        out.push_str("\">");
        if bracket {
            out.push('[');
        }
        out.push_str(number);
        if bracket {
            out.push(']');
        }
        out.push_str("</a>");
    };
    let mut out = String::with_capacity(96 * entries.len() + 32);
    out.push_str("<sup class=\"cite\">");
    match entries {
        [] => return String::new(),
        [one] => link(&mut out, one, true),
        many => {
            out.push('[');
            for (i, e) in many.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                link(&mut out, e, false);
            }
            out.push(']');
        }
    }
    out.push_str("</sup>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ids(text: &str) -> Vec<Vec<String>> {
        scan(text)
            .into_iter()
            .map(|m| m.ids.into_iter().map(|(id, _)| id).collect())
            .collect()
    }

    #[test]
    fn single_and_multiple() {
        let text = "Rest helps [@smith-2020]. Both [@a; @b.c:d_e;@f ; @g].";
        let m = scan(text);
        assert_eq!(m.len(), 2);
        assert_eq!(&text[m[0].range.clone()], "[@smith-2020]");
        assert_eq!(m[0].ids, vec![("smith-2020".to_string(), 13..23)]);
        assert_eq!(&text[m[1].range.clone()], "[@a; @b.c:d_e;@f ; @g]");
        assert_eq!(ids(text)[1], ["a", "b.c:d_e", "f", "g"]);
        for (id, r) in &m[1].ids {
            assert_eq!(&text[r.clone()], id);
        }
    }

    #[test]
    fn not_citations() {
        for t in [
            "[@ home]",
            "[@]",
            "[email@x]",
            "[@a b]",
            "[@a;]",
            "[@a, @b]",
            "[@a.]",
            "[@a:]",
            "[@-a]",
            "[@_a]",
            "[ @a]",
            "[@a ]",
            "[@a",
            "@a]",
            "[@a;; @b]",
            "[@a; b]",
            "[@é]",
            "",
            "[@@a]",
        ] {
            assert!(scan(t).is_empty(), "{t:?} → {:?}", scan(t));
        }
    }

    #[test]
    fn neighbours_and_recovery() {
        assert_eq!(ids("[[@a]]"), [["a"]]);
        assert_eq!(ids("[@x y] [@b]"), [["b"]]);
        assert_eq!(ids("[@a][@b]"), [["a"], ["b"]]);
        assert_eq!(ids("é[@a]ü"), [["a"]]);
        assert_eq!(ids("[@a.b]"), [["a.b"]]);
        assert_eq!(ids("[@2020]"), [["2020"]]);
        assert_eq!(ids("[@[@a]"), [["a"]]);
    }

    #[test]
    fn numbering_in_order_of_first_use() {
        let mut n = Numbering::new();
        assert_eq!(n.cite("b"), (1, 1));
        assert_eq!(n.cite("a"), (2, 1));
        assert_eq!(n.cite("b"), (1, 2));
        assert_eq!(n.cite("c"), (3, 1));
        assert_eq!(n.order(), ["b", "a", "c"]);
        assert_eq!(n.number("a"), Some(2));
        assert_eq!(n.number("z"), None);
        assert_eq!(n.uses("b"), 2);
        assert_eq!(n.uses("z"), 0);
        assert_eq!(n.anchors("b"), ["cite-b-1", "cite-b-2"]);
    }

    #[test]
    fn markers() {
        assert_eq!(
            marker_html(&[(1, "smith", 1)]),
            r##"<sup class="cite"><a href="#ref-smith" id="cite-smith-1" aria-label="Reference 1">[1]</a></sup>"##
        );
        assert_eq!(
            marker_html(&[(1, "a", 2), (3, "b", 1)]),
            r##"<sup class="cite">[<a href="#ref-a" id="cite-a-2" aria-label="Reference 1">1</a>, <a href="#ref-b" id="cite-b-1" aria-label="Reference 3">3</a>]</sup>"##
        );
        assert_eq!(marker_html(&[]), "");
        let evil = marker_html(&[(1, "a\"><script>&'", 1)]);
        assert!(
            evil.contains("#ref-a&quot;&gt;&lt;script&gt;&amp;&#39;\""),
            "{evil}"
        );
        assert!(!evil.contains("<script"));
    }

    #[test]
    fn works_on_merged_markdown_text() {
        use pulldown_cmark::{Event, Parser, TextMergeStream};
        let md = "See [@a; @b] and `[@c]`, *also [@d]*.\n\n```\n[@e]\n```\n";
        let raw: Vec<String> = Parser::new(md)
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        let merged: Vec<String> = TextMergeStream::new(Parser::new(md))
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        let found =
            |texts: &[String]| -> Vec<Vec<String>> { texts.iter().flat_map(|t| ids(t)).collect() };
        // Code blocks are Text events too: the caller skips text inside them.
        assert_eq!(
            found(&merged[..merged.len() - 1]),
            [vec!["a", "b"], vec!["d"]]
        );
        // Unmerged, pulldown-cmark splits `[@a; @b]` into `[`, `@a; @b`, `]`.
        assert!(found(&raw[..raw.len() - 1]).is_empty());
    }

    proptest! {
        #[test]
        fn scan_never_panics(s in any::<String>()) {
            check_ranges(&s);
        }

        #[test]
        fn scan_citation_like(s in "[\\[\\]@a-c;:. é_-]{0,40}") {
            check_ranges(&s);
        }

        #[test]
        fn find_open_agrees_with_str_find(s in "[\\[@a é]{0,40}") {
            prop_assert_eq!(find_open(s.as_bytes()), s.find("[@"));
        }
    }

    fn check_ranges(s: &str) {
        let mut last_end = 0;
        for m in scan(s) {
            assert!(m.range.start >= last_end && m.range.end <= s.len());
            assert!(s.is_char_boundary(m.range.start) && s.is_char_boundary(m.range.end));
            assert!(s[m.range.clone()].starts_with("[@") && s[m.range.clone()].ends_with(']'));
            assert!(!m.ids.is_empty());
            for (id, r) in &m.ids {
                assert!(r.start > m.range.start && r.end < m.range.end);
                assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
                assert_eq!(&s[r.clone()], id);
                assert!(!id.ends_with('.') && !id.ends_with(':'));
            }
            last_end = m.range.end;
        }
    }
}
