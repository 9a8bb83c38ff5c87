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
    let message = reworded(message, source, offset, span.clone());
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

/// toml's message, where it says less than it could: which key is
/// duplicated and where, that a number is out of range, which escapes exist,
/// that a value is missing.
/// `span` is in `source`, whose TOML text starts at `offset`.
fn reworded(message: &str, source: &str, offset: usize, span: Range<usize>) -> String {
    let message = message
        .strip_suffix(", expected nothing")
        .unwrap_or(message);
    if message == "duplicate key" {
        if let Some(m) = duplicate_key(source, offset, span) {
            return m;
        }
    } else if message.starts_with("missing escaped value") {
        return "invalid escape sequence, expected `b`, `e`, `f`, `n`, `r`, `t`, `\\`, `\"`, `x`, `u`, `U`".into();
    } else if message == "invalid value, expected unicode hexadecimal value" {
        return "invalid unicode escape: the value is out of range".into();
    } else if message.starts_with("string values must be quoted")
        && source.get(span.start..).is_some_and(|rest| {
            let line = rest.split('\n').next().unwrap_or("").trim();
            line.is_empty() || line.starts_with('#')
        })
    {
        // `title =` and nothing after it.
        return "missing value, expected a string, number, boolean, date, array or table".into();
    } else if let Some(too) = out_of_range(message) {
        return format!("number too {too} to fit in target type");
    }
    message.to_string()
}

/// `large` or `small` when `message` says an integer does not fit a Rust
/// integer field (toml: "invalid type: integer `…` as i128, expected i64",
/// "integer number overflowed").
fn out_of_range(message: &str) -> Option<&'static str> {
    let sign = |n: &str| if n.starts_with('-') { "small" } else { "large" };
    if message == "integer number overflowed" {
        return Some("large");
    }
    let rest = message
        .strip_prefix("invalid type: integer `")
        .or_else(|| message.strip_prefix("invalid value: integer `"))?;
    let (number, rest) = rest.split_once('`')?;
    let integer_field = rest.rsplit_once("expected ").is_some_and(|(_, t)| {
        matches!(
            t,
            "i8" | "i16" | "i32" | "i64" | "isize" | "u8" | "u16" | "u32" | "u64" | "usize"
        )
    });
    (integer_field && number.parse::<i64>().is_err()).then(|| sign(number))
}

/// "duplicate key `b` in table `extra`" for the key at `span`: toml says only
/// "duplicate key". The table is the `[header]` above the key's line and the
/// dotted path before the key; in an inline table, no table is named.
fn duplicate_key(source: &str, offset: usize, span: Range<usize>) -> Option<String> {
    let text = source.get(offset..)?;
    let span = span.start.checked_sub(offset)?..span.end.checked_sub(offset)?;
    let key = text.get(span.clone())?;
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let before = text[..span.start][line_start..].trim_start();
    let path = if let Some(header) = before.strip_prefix('[') {
        dotted(header.trim_start_matches('['))
    } else if before.contains(['=', '{', '[', ',']) {
        return Some(format!("duplicate key `{key}`"));
    } else {
        let header = text[..line_start]
            .lines()
            .rev()
            .find_map(table_header)
            .unwrap_or_default();
        [header, dotted(before)]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(".")
    };
    Some(if path.is_empty() {
        format!("duplicate key `{key}` in document root")
    } else {
        format!("duplicate key `{key}` in table `{path}`")
    })
}

/// A dotted key prefix such as `a . b.` as `a.b`.
fn dotted(prefix: &str) -> String {
    prefix
        .split('.')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(".")
}

/// The table path of a `[header]` or `[[header]]` line (`None` for any
/// other line, such as an array continuing on its own line).
fn table_header(line: &str) -> Option<String> {
    let inner = line.trim_start().strip_prefix('[')?;
    let (inner, close) = match inner.strip_prefix('[') {
        Some(inner) => (inner, "]]"),
        None => (inner, "]"),
    };
    let (path, rest) = inner.split_once(close)?;
    let rest = rest.trim_start();
    let bare = |c: char| c.is_ascii_alphanumeric() || "_-. \t\"'".contains(c);
    (!path.trim().is_empty()
        && path.chars().all(bare)
        && (rest.is_empty() || rest.starts_with('#')))
    .then(|| dotted(path))
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

    #[test]
    fn duplicate_keys_name_the_key_and_its_table() {
        let say = |text: &str| {
            let e = from_str::<toml::Table>(text).unwrap_err();
            reworded(e.message(), text, 0, e.span().unwrap())
        };
        assert_eq!(say("a = 1\na = 2\n"), "duplicate key `a` in document root");
        assert_eq!(
            say("[extra]\nb = 1\nc.d = 2\nc . d = 3\n"),
            "duplicate key `d` in table `extra.c`"
        );
        assert_eq!(
            say("[extra.z]\nq = [\n  [1],\n]\nq = 1\n"),
            "duplicate key `q` in table `extra.z`"
        );
        assert_eq!(
            say("[ extra ]\n[ extra ]\n"),
            "duplicate key `extra` in document root"
        );
        assert_eq!(
            say("[[faq]]\nq = 1\nq = 2\n"),
            "duplicate key `q` in table `faq`"
        );
        assert_eq!(say("x = { a = 1, a = 2 }\n"), "duplicate key `a`");
    }

    #[test]
    fn out_of_range_integers_say_so() {
        let say = |text: &str| from_str::<Doc>(text).unwrap_err().message().to_string();
        for (text, too) in [
            ("weight = 99999999999999999999", Some("large")),
            ("weight = -99999999999999999999", Some("small")),
            (
                "weight = 999999999999999999999999999999999999999999",
                Some("large"),
            ),
            ("weight = 0xffffffffffffffff", Some("large")),
            ("weight = 'x'", None),
        ] {
            assert_eq!(out_of_range(&say(text)), too, "{text}");
        }
        assert_eq!(
            out_of_range("invalid value: integer `-1`, expected usize"),
            None
        );
    }

    #[test]
    fn a_missing_value_is_called_missing() {
        let say = |text: &str| {
            let e = from_str::<toml::Table>(text).unwrap_err();
            reworded(e.message(), text, 0, e.span().unwrap())
        };
        assert!(say("title =\nx = 1\n").starts_with("missing value"));
        assert!(say("title = # none\n").starts_with("missing value"));
        assert!(say("title = hello\n").starts_with("string values must be quoted"));
    }
}
