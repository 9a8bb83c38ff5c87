//! Reading TOML (`site.toml`, front matter) with serde, and turning toml's
//! errors into diagnostics.
//!
//! toml's deserializer visits the keys of each table in sorted order, so of
//! several problems in one text it reports the first by key, not by place.
//! [`from_str`] reports the first in the text, as a reader fixing them top
//! down expects: on an error it leaves out the entry at fault, tries again,
//! and keeps the error that comes first. A text without a problem is read
//! once, as `toml::from_str` reads it.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, Deserializer, Error};

use crate::diagnostics::{unknown_field_hint, Code, Diagnostic};

/// Parses `text` into `T` as `toml::from_str` does; of several problems, the
/// error is the one that comes first in the text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    toml::from_str(text).map_err(|e| first_in_text::<T>(text, e))
}

/// How many entries [`first_in_text`] leaves out at most.
const MAX_LEFT_OUT: usize = 64;

/// Of the problems of `text` found by leaving out the entry at fault of each
/// error in turn, starting from `err`, the one that comes first. A syntax
/// error is returned as it is: the parser stops at the first.
fn first_in_text<T: DeserializeOwned>(text: &str, err: Error) -> Error {
    let Ok(mut doc) = DeTable::parse(text) else {
        return err;
    };
    let root = doc.span();
    // The tables an entry was left out of: a field they now miss is not a problem of the text.
    let mut emptied: Vec<Range<usize>> = Vec::new();
    let mut first = err.clone();
    let mut last = err;
    for _ in 0..MAX_LEFT_OUT {
        // An empty span is a field missing from the whole text, reported
        // only when everything else was read.
        let Some(at) = last.span().filter(|s| !s.is_empty()) else {
            break;
        };
        let Some(table) = remove_at(doc.get_mut(), root.clone(), at.start) else {
            break;
        };
        emptied.push(table);
        last = match T::deserialize(Deserializer::from(doc.clone())) {
            Ok(_) => break,
            Err(e) => e,
        };
        let left_out = last.message().starts_with("missing field")
            && last.span().is_some_and(|s| emptied.contains(&s));
        let earlier = match (last.span(), first.span()) {
            (Some(new), Some(old)) => new.start < old.start,
            _ => false,
        };
        if earlier && !left_out {
            first = last.clone();
        }
    }
    first
}

/// Leaves out the innermost entry of `table` at byte `at`: its key, its value
/// or its `[header]`. An entry in an array of tables takes the whole array
/// with it: its elements before it were read without a problem. Returns the
/// span of the table the entry was in (`own` for `table`), or `None` when no
/// entry is at `at`.
fn remove_at(table: &mut DeTable<'_>, own: Range<usize>, at: usize) -> Option<Range<usize>> {
    let mut hit = None;
    for (key, value) in table.iter_mut() {
        let span = value.span();
        let mut here = key.span().contains(&at) || span.contains(&at);
        let inner = match value.get_mut() {
            DeValue::Table(t) => remove_at(t, span, at),
            DeValue::Array(items) => items.iter_mut().find_map(|item| {
                let span = item.span();
                here |= span.contains(&at);
                match item.get_mut() {
                    DeValue::Table(t) => remove_at(t, span, at),
                    _ => None,
                }
            }),
            _ => None,
        };
        if inner.is_some() {
            return inner;
        }
        if here {
            hit = Some(key.get_ref().clone());
            break;
        }
    }
    let key = hit?;
    table.remove(&*key);
    Some(own)
}

/// Turns a TOML error into a diagnostic at its position in the whole file.
pub fn toml_error(
    e: &toml::de::Error,
    file: &Path,
    source: &Arc<str>,
    offset: usize,
) -> Diagnostic {
    let span = e
        .span()
        .map(|s| s.start + offset..s.end + offset)
        .unwrap_or(offset..offset);
    let message = e.message().trim();
    // An unterminated multi-line string runs to the end of the text, where the
    // error lands: point at its opening quotes instead.
    for (kind, quotes) in [
        ("multi-line basic string", "\"\"\""),
        ("multi-line literal string", "'''"),
    ] {
        let before = source.get(offset..span.start).unwrap_or("");
        if message.contains(kind) && before.matches(quotes).count() % 2 == 1 {
            if let Some(open) = before.rfind(quotes) {
                let at = offset + open;
                let kind = kind.replace("multi-line", "multiline");
                return Diagnostic::error(Code::TomlSyntax, format!("unterminated {kind}"))
                    .at(file, source, at..at + 3)
                    .label("this string is never closed")
                    .hint(format!("close it with {quotes}"));
            }
        }
    }
    if let Some((field, hint)) = unknown_field_hint(message) {
        return Diagnostic::error(Code::TomlUnknownField, format!("unknown field `{field}`"))
            .at(file, source, span)
            .label("not a known field")
            .hint(hint);
    }
    let message = message.to_string();
    let hint = if message.contains("string") && message.contains("newline")
        || message.contains("unterminated")
        || message.contains("invalid basic string")
    {
        Some("close the string with a matching `\"` on the same line")
    } else if message.contains("missing field") {
        Some("add the field")
    } else {
        None
    };
    let mut d = Diagnostic::error(Code::TomlSyntax, message).at(file, source, span);
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: Option<String>,
        weight: Option<i64>,
        draft: Option<bool>,
        review: Option<Review>,
        #[serde(default)]
        faq: Vec<Review>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Review {
        by: String,
        last: Option<i64>,
    }

    fn line_of(text: &str, e: &Error) -> usize {
        text[..e.span().unwrap().start].matches('\n').count() + 1
    }

    #[test]
    fn the_first_problem_in_the_text_is_reported() {
        for (text, line) in [
            // Unknown fields, type errors: toml visits `draft` before `weight`.
            ("weight = 'x'\ndraft = 'yes'\n", 1),
            ("zzz = 1\naaa = 2\n", 1),
            ("zzz = 2\ntitle = 1\n", 1),
            // Inside a table, and a table missing a field before a later problem.
            ("[review]\nzz = 1\nby = 'x'\naa = 2\n", 2),
            ("zzz = 1\n[review]\nlast = 1\n", 1),
            (
                "title = 'a'\n[review]\nlast = 1\n[[faq]]\nby = 'x'\nzz = 1\n",
                2,
            ),
            // In the second element of an array of tables.
            ("[[faq]]\nby = 'x'\n[[faq]]\nby = 1\n[review]\nzz = 1\n", 4),
        ] {
            let e = from_str::<Doc>(text).unwrap_err();
            assert_eq!(line_of(text, &e), line, "{text:?}: {}", e.message());
        }
    }

    #[test]
    fn a_field_missing_because_its_entry_was_left_out_is_not_reported() {
        // `by` is wrong, and once left out it is missing: the type error stays.
        let text = "[review]\nby = 1\nzz = 2\n";
        let e = from_str::<Doc>(text).unwrap_err();
        assert_eq!(e.message(), "invalid type: integer `1`, expected a string");
        assert_eq!(line_of(text, &e), 2);
    }
}
