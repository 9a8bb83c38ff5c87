//! Fenced code with syntect, as CSS classes (`hl-…`) so the theme owns the colours.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::esc;

// Loading the syntax set takes tens of milliseconds, so only pages with code pay for it, once.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Renders one code block; an unknown language falls back to plain code.
pub fn code_block(lang: &str, code: &str, highlight: bool) -> String {
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", esc(lang))
    };
    let open = format!("<pre class=\"code\" tabindex=\"0\"{lang_attr}><code>");
    if highlight && !lang.is_empty() {
        let set = syntaxes();
        if let Some(syntax) = set.find_syntax_by_token(lang) {
            let mut gen = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                set,
                ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            let ok = LinesWithEndings::from(code)
                .all(|line| gen.parse_html_for_line_which_includes_newline(line).is_ok());
            if ok {
                return format!("{open}{}</code></pre>\n", gen.finalize());
            }
        }
    }
    format!("{open}{}</code></pre>\n", esc(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes() {
        let html = code_block("python", "def f():\n    return 1\n", true);
        assert!(html.contains("hl-keyword"), "{html}");
    }

    #[test]
    fn unknown_language_is_plain() {
        let html = code_block("klingon", "a < b\n", true);
        assert!(html.contains("a &lt; b"));
        assert!(!html.contains("hl-"));
    }
}
