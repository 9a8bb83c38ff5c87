//! Which values a template may read, so that the costly ones it never reads
//! are left out of its context.
//!
//! - A term list gives each term's `pages`, a summary of every page of the
//!   term: at 100,000 pages those copies alone take about a gigabyte, and
//!   most themes show only each term's count.
//! - A page gives `review` and `references` as objects for themes that lay
//!   them out themselves. A theme that prints `page.health`'s HTML, as the
//!   guide theme does, never reads them, and building them was a fifth of
//!   what a health page's fields add to a build.
//!
//! The test is on the text of templates, and it errs towards "may read":
//! any mention of the field's name, and anything that can reach a field by
//! a name computed at render time or print a whole value (`json_encode`,
//! the `get` filter, `attribute=`, `[name]` subscripts (`x[0][name]`
//! too), `for key, value in`, `__tera_context`). A value left out is replaced by an empty one of
//! its kind, so the object keeps the same keys.

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
        if may_read(text, "pages", Reach::AnyPath) {
            return true;
        }
        todo.extend(edges.get(t).into_iter().flatten().map(String::as_str));
    }
    false
}

/// True when any of `texts` (all templates of the site) may read a field
/// named `field` of a page's value.
pub fn any_may_read_page_field<'t>(mut texts: impl Iterator<Item = &'t str>, field: &str) -> bool {
    texts.any(|text| may_read(text, field, Reach::BareName))
}

/// Where a field named at render time can be read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Any value: a term, with its `pages`, is an item of lists that sit
    /// in fields (`taxonomy.terms`), so `a.b[name]` may reach one.
    AnyPath,
    /// Only a bare name: a page's whole value is only ever the `page`
    /// variable or a name bound to it (`set`, a macro argument, a loop),
    /// never a field of another value, so `page.terms[name]` cannot reach
    /// the page's own fields.
    BareName,
}

/// The words that make a text count as reading any field.
const ANY_FIELD: [&str; 3] = ["__tera_context", "json_encode", "attribute"];

/// True when `text` may read a field named `field` of the values `reach`
/// describes (see the module comment).
fn may_read(text: &str, field: &str, reach: Reach) -> bool {
    // `x[0][name]`: a field named at render time, after another subscript.
    let chained = text.match_indices("][").any(|(i, _)| {
        text[i + 2..]
            .trim_start()
            .starts_with(|c: char| c.is_alphabetic() || c == '_')
    });
    if chained {
        return true;
    }
    let words = words(text);
    // True when the word ending at `end` is the last of a dotted path.
    let in_path = |word: &str, end: usize| {
        reach == Reach::BareName && text[..end - word.len()].ends_with('.')
    };
    for (i, &(word, end)) in words.iter().enumerate() {
        let rest = text[end..].trim_start();
        let dynamic = match word {
            // The `get` filter: `| get(key=…)`.
            "get" => rest.starts_with('('),
            // `for key, value in x`: every field of an object.
            "for" => {
                let pair = words
                    .get(i + 1)
                    .is_some_and(|&(_, e)| text[e..].trim_start().starts_with(','));
                // `for k, v in a.b`: the loop's object is a field.
                let of_field = match words.get(i + 4) {
                    Some(&(_, e)) if reach == Reach::BareName => {
                        text[e..].trim_start().starts_with('.')
                    }
                    _ => false,
                };
                pair && !of_field
            }
            _ => word == field || ANY_FIELD.contains(&word),
        };
        // `x[name]`: a field named at render time.
        let subscript = rest.strip_prefix('[').is_some_and(|r| {
            r.trim_start()
                .starts_with(|c: char| c.is_alphabetic() || c == '_')
        }) && !in_path(word, end);
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
            assert!(!may_read(safe, "pages", Reach::AnyPath), "{safe}");
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
            "{{ terms[0][field] }}",
            "{% for k, v in t %}{{ v }}{% endfor %}",
            "{% for k , v in t %}{{ v }}{% endfor %}",
        ] {
            assert!(may_read(reads, "pages", Reach::AnyPath), "{reads}");
        }
    }

    #[test]
    fn a_page_field_is_read_by_its_name_or_through_a_bare_name() {
        let read = |text: &str| may_read(text, "review", Reach::BareName);
        for safe in [
            "{% if page.health.review_html | safe %}{{ page.health.review_html | safe }}{% endif %}",
            "{% for t in config.taxonomies %}{{ page.terms[t.name] | length }}{% endfor %}",
            "{% for name, list in page.terms %}{{ name }}{% endfor %}",
            "{{ page.title }} {{ page.extra[\"reviewed\"] }}",
        ] {
            assert!(!read(safe), "{safe}");
        }
        for reads in [
            "{% if page.review %}{{ page.review.by.name }}{% endif %}",
            "{{ page[\"review\"].last }}",
            "{{ page[field] }}",
            "{% set p = page %}{{ p[field] }}",
            "{% set ps = [page] %}{{ ps[0][field] }}",
            "{% for k, v in page %}{{ v }}{% endfor %}",
            "{% macro line(review) %}{% endmacro %}",
            "{{ page | json_encode() }}",
            "{{ page | get(key=k) }}",
            "{{ __tera_context }}",
        ] {
            assert!(read(reads), "{reads}");
        }
        // Term lists keep the wider rule: a term sits in fields' lists.
        assert!(may_read("{{ taxonomy.terms[k] }}", "pages", Reach::AnyPath));
        let texts = [
            "{{ page.title }}",
            "{% for r in page.references %}{% endfor %}",
        ];
        assert!(any_may_read_page_field(texts.into_iter(), "references"));
        assert!(!any_may_read_page_field(texts.into_iter(), "review"));
    }

    /// The guide theme prints `page.health`'s HTML: it must not make every
    /// build pay for `review` and `references`.
    #[test]
    fn the_guide_theme_reads_neither_review_nor_references() {
        fn html<'d>(dir: &'d include_dir::Dir<'d>, out: &mut Vec<&'d str>) {
            out.extend(dir.files().filter_map(|f| f.contents_utf8()));
            dir.dirs().for_each(|d| html(d, out));
        }
        let mut texts = Vec::new();
        let templates = crate::render::theme::EMBEDDED_GUIDE.get_dir("templates");
        html(templates.expect("the guide's templates"), &mut texts);
        assert!(texts.len() > 5, "{}", texts.len());
        for field in ["review", "references"] {
            assert!(
                !any_may_read_page_field(texts.iter().copied(), field),
                "{field}"
            );
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
