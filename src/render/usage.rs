//! Which values a template may read, so that the costly ones it never reads
//! are left out of its context. A term list gives each term's `pages`, a
//! summary of every page of the term: at 100,000 pages those copies alone
//! take about a gigabyte, and most themes show only each term's count.
//!
//! The test is on the text of the template and of every template it
//! includes, extends or imports, and it errs towards "may read": any
//! mention of `pages`, and anything that can reach a field by a name
//! computed at render time or print a whole value (`json_encode`, the `get`
//! filter, `attribute=`, `[name]` subscripts, `for key, value in`,
//! `__tera_context`). A value left out is replaced by an empty list, so the
//! term keeps the same keys.

use std::collections::{HashMap, HashSet};

/// True when `name`, or a template it reaches through `edges`, may read a
/// term's `pages`; also true when one of them has no text in `texts`.
pub fn may_read_term_pages(
    name: &str,
    edges: &HashMap<String, Vec<String>>,
    texts: &HashMap<String, (String, std::sync::Arc<str>)>,
) -> bool {
    let mut seen = HashSet::new();
    let mut todo = vec![name];
    while let Some(t) = todo.pop() {
        if !seen.insert(t) {
            continue;
        }
        let Some((_, text)) = texts.get(t) else {
            return true;
        };
        if may_read_pages(text) {
            return true;
        }
        todo.extend(edges.get(t).into_iter().flatten().map(String::as_str));
    }
    false
}

/// The words that make a text count as reading `pages`.
const WORDS: [&str; 4] = ["pages", "__tera_context", "json_encode", "attribute"];

/// True when `text` may read a `pages` field (see the module comment).
fn may_read_pages(text: &str) -> bool {
    let words = words(text);
    for (i, &(word, end)) in words.iter().enumerate() {
        let rest = text[end..].trim_start();
        let dynamic = match word {
            // The `get` filter: `| get(key=…)`.
            "get" => rest.starts_with('('),
            // `for key, value in x`: every field of an object.
            "for" => words
                .get(i + 1)
                .is_some_and(|&(_, e)| text[e..].trim_start().starts_with(',')),
            _ => WORDS.contains(&word),
        };
        // `x[name]`: a field named at render time.
        let subscript = rest.strip_prefix('[').is_some_and(|r| {
            r.trim_start()
                .starts_with(|c: char| c.is_alphabetic() || c == '_')
        });
        if dynamic || subscript {
            return true;
        }
    }
    false
}

/// The identifier-like words of `text`, each with the byte offset after it.
fn words(text: &str) -> Vec<(&str, usize)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (start, is_word(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((&text[s..i], i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_what_cannot_read_pages() {
        for safe in [
            "{% for t in terms %}{{ t.name }} {{ t.count }}{% endfor %}",
            "{{ macros::label(name=taxonomy.name) }} {{ paginator.pagers }}",
            "{{ t[\"name\"] }} {{ list[0] }} {{ get_url(path='/') }} {{ t | length }}",
            "<p>Page count: {{ t.page_count }}</p>",
        ] {
            assert!(!may_read_pages(safe), "{safe}");
        }
        for reads in [
            "{{ t.pages | length }}",
            "{{ t['pages'] }}",
            "{% macro cards(pages) %}{% endmacro %}",
            "{{ t | json_encode() }}",
            "{{ __tera_context }}",
            "{{ t | get(key=k) }}",
            "{{ terms | map(attribute=field) }}",
            "{{ t[field] }}",
            "{{ t[ field ] }}",
            "{% for k, v in t %}{{ v }}{% endfor %}",
            "{% for k , v in t %}{{ v }}{% endfor %}",
        ] {
            assert!(may_read_pages(reads), "{reads}");
        }
    }

    #[test]
    fn follows_includes_extends_and_imports() {
        let text = |t: &str| (String::new(), std::sync::Arc::from(t));
        let texts: HashMap<String, _> = [
            ("list.html", text("{% extends \"base.html\" %}")),
            ("base.html", text("{% include \"nav.html\" %}")),
            ("nav.html", text("{{ t.pages }}")),
            ("other.html", text("{{ t.name }}")),
        ]
        .into_iter()
        .map(|(n, t)| (n.to_string(), t))
        .collect();
        let edges: HashMap<String, Vec<String>> = [
            ("list.html", vec!["base.html".to_string()]),
            ("base.html", vec!["nav.html".to_string()]),
        ]
        .into_iter()
        .map(|(n, e)| (n.to_string(), e))
        .collect();
        assert!(may_read_term_pages("list.html", &edges, &texts));
        assert!(!may_read_term_pages("other.html", &edges, &texts));
        assert!(may_read_term_pages("missing.html", &edges, &texts));
    }
}
