//! Reading TOML (`site.toml`, front matter): turning toml's errors into
//! diagnostics.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{unknown_field_hint, Code, Diagnostic};

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
    let message = e.message().trim().to_string();
    // An unterminated multi-line string runs to the end of the text, where the
    // error lands: point at its opening quotes instead.
    for (kind, quotes) in [
        ("multiline basic string", "\"\"\""),
        ("multiline literal string", "'''"),
    ] {
        let before = source.get(offset..span.start).unwrap_or("");
        if message.contains(kind) && before.matches(quotes).count() % 2 == 1 {
            if let Some(open) = before.rfind(quotes) {
                let at = offset + open;
                return Diagnostic::error(Code::TomlSyntax, format!("unterminated {kind}"))
                    .at(file, source, at..at + 3)
                    .label("this string is never closed")
                    .hint(format!("close it with {quotes}"));
            }
        }
    }
    if let Some((field, hint)) = unknown_field_hint(&message) {
        return Diagnostic::error(Code::TomlUnknownField, format!("unknown field `{field}`"))
            .at(file, source, span)
            .label("not a known field")
            .hint(hint);
    }
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
