//! User-facing problems: one `Diagnostic` value per mistake, collected by every
//! stage and rendered together the way rustc and cargo render theirs.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a diagnostic is. Any error fails the build; warnings are printed only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Printed, but the build goes on.
    Warning,
}

macro_rules! codes {
    ($($variant:ident => $text:literal,)*) => {
        /// Every kind of problem fascia reports, with a stable text form such as
        /// `link::missing-page`. Each has a fixture under `tests/` (a test walks them).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = $text] $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable text form, `area::what`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    ConfigBaseUrl => "config::base-url",
    ConfigMissing => "config::missing",
    ConfigTaxonomy => "config::taxonomy",
    ConfigUnsafePath => "config::unsafe-path",
    ConfigZolaUnsupported => "config::zola-unsupported",
    ContentDuplicatePath => "content::duplicate-path",
    ContentMissing => "content::missing",
    ContentOutside => "content::outside",
    ContentUnsafePath => "content::unsafe-path",
    FrontMatterFence => "front-matter::fence",
    FrontMatterMissing => "front-matter::missing",
    FrontMatterUnclosed => "front-matter::unclosed",
    InputRead => "input::read",
    InputUtf8 => "input::utf8",
    InputWalk => "input::walk",
    LinkExternal => "link::external",
    LinkMissingAnchor => "link::missing-anchor",
    LinkMissingPage => "link::missing-page",
    OutputBadManifest => "output::bad-manifest",
    OutputCollision => "output::collision",
    OutputInContent => "output::in-content",
    OutputIo => "output::io",
    OutputNotAFolder => "output::not-a-folder",
    OutputNotOurs => "output::not-ours",
    RelatedMissingPage => "related::missing-page",
    ShortcodeArgument => "shortcode::argument",
    ShortcodeTemplate => "shortcode::template",
    ShortcodeUnclosed => "shortcode::unclosed",
    ShortcodeUnknown => "shortcode::unknown",
    StaticOutside => "static::outside",
    StaticRead => "static::read",
    TaxonomyUnknown => "taxonomy::unknown",
    TemplateCycle => "template::cycle",
    TemplateError => "template::error",
    TemplateMissing => "template::missing",
    TemplateTimeout => "template::timeout",
    ThemeMissing => "theme::missing",
    ThemeRead => "theme::read",
    TomlSyntax => "toml::syntax",
    TomlUnknownField => "toml::unknown-field",
    YamlSyntax => "yaml::syntax",
    YamlUnknownField => "yaml::unknown-field",
    HealthUnknownReviewer => "health::unknown-reviewer",
    HealthReviewInFuture => "health::review-in-future",
    HealthNextBeforeLast => "health::next-before-last",
    HealthDuplicateReference => "health::duplicate-reference",
    HealthBadDoi => "health::bad-doi",
    HealthBadPmid => "health::bad-pmid",
    HealthUncitedReference => "health::uncited-reference",
    HealthUnknownCitation => "health::unknown-citation",
    LintOrphan => "lint::orphan",
    LintDuplicateTitle => "lint::duplicate-title",
    LintDuplicateDescription => "lint::duplicate-description",
    LintDescriptionLength => "lint::description-length",
    LintImageAlt => "lint::image-alt",
    LintHeadingOrder => "lint::heading-order",
    LintReadability => "lint::readability",
    LintLongSentence => "lint::long-sentence",
    LintEmptySection => "lint::empty-section",
    LintFaqDuplicate => "lint::faq-duplicate",
    LintLinkText => "lint::link-text",
    LintReviewMissing => "lint::review-missing",
    LintReviewOverdue => "lint::review-overdue",
    LintReferencesMissing => "lint::references-missing",
    LintClaims => "lint::claims",
    LintRequiredCallout => "lint::required-callout",
    LintUnknownAllow => "lint::unknown-allow",
    LintUnusedAllow => "lint::unused-allow",
}

// Codes sort by their text, so reports list them alphabetically.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in the user's input, with enough context to point at it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code such as `toml::unknown-field`, so tests can name each class.
    pub code: Code,
    /// What is wrong, in one line.
    pub message: String,
    /// Path shown to the user (relative to the site root where possible).
    pub file: Option<PathBuf>,
    /// The whole text of `file`, so the offending line can be shown.
    pub source: Option<Arc<str>>,
    /// Byte range in `source`, counted in the whole file.
    pub span: Option<Range<usize>>,
    /// Short text shown under the caret.
    pub label: Option<String>,
    /// A likely fix, shown as `help:`.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error with a code and message and no location yet.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: None,
            source: None,
            span: None,
            label: None,
            hint: None,
        }
    }

    /// A warning with a code and message and no location yet.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Names the file without pointing into it.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Points at `span` (byte offsets in the whole file) inside `source`.
    pub fn at(mut self, file: impl AsRef<Path>, source: &Arc<str>, span: Range<usize>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        self.file = Some(file.as_ref().to_path_buf());
        self.source = Some(source.clone());
        self.span = Some(start..end);
        self
    }

    /// Adds the text shown under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a `help:` line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// 1-based line and column of the span start, if the diagnostic points into a file.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        match (&self.source, &self.span) {
            (Some(src), Some(span)) => Some(line_col(src, span.start)),
            _ => None,
        }
    }

    /// Renders this diagnostic as rustc would, with or without colour.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let file = self
            .file
            .as_ref()
            .map(|f| f.display().to_string().replace('\\', "/"));
        let excerpt = match (&self.source, &self.span) {
            (Some(src), Some(span)) => Some(Excerpt::new(src, span.clone())),
            _ => None,
        };
        let mut group =
            Group::with_title(level.primary_title(&self.message).id(self.code.as_str()));
        match (&excerpt, &file) {
            (Some(excerpt), Some(origin)) => {
                group = group.element(
                    Snippet::source(&excerpt.text)
                        .line_start(excerpt.line)
                        .path(origin)
                        .annotation(
                            AnnotationKind::Primary
                                .span(excerpt.span.clone())
                                .label(self.label.as_deref()),
                        ),
                );
            }
            (None, Some(origin)) => group = group.element(Level::NOTE.message(origin)),
            _ => {}
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint));
        }
        let mut rendered = renderer.render(&[group]);
        // annotate-snippets counts the column inside the excerpt; a long line is
        // cut to a window, so put the column of the whole line back.
        if let (Some(excerpt), Some(origin)) = (&excerpt, &file) {
            if excerpt.shown_col != excerpt.col {
                let shown = format!("{origin}:{}:{}", excerpt.line, excerpt.shown_col);
                let real = format!("{origin}:{}:{}", excerpt.line, excerpt.col);
                rendered = rendered.replacen(&shown, &real, 1);
            }
        }
        rendered
    }
}

/// The lines around a span, cut to a readable width so a huge line stays printable.
struct Excerpt {
    text: String,
    line: usize,
    span: Range<usize>,
    /// 1-based column of the span in the whole line.
    col: usize,
    /// 1-based column of the span in `text`, as annotate-snippets reports it.
    shown_col: usize,
}

const MAX_SHOWN: usize = 160;

impl Excerpt {
    fn new(src: &str, span: Range<usize>) -> Self {
        let line_start = src[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[span.start..]
            .find('\n')
            .map_or(src.len(), |i| span.start + i);
        let (line, col) = line_col(src, span.start);
        let mut text = &src[line_start..line_end];
        let mut rel_start = span.start - line_start;
        let mut rel_end = span.end.min(line_end).max(span.start) - line_start;
        // Show a window around the span when the line is very long.
        if text.len() > MAX_SHOWN {
            let from = floor_char_boundary(text, rel_start.saturating_sub(MAX_SHOWN / 2));
            let to = floor_char_boundary(text, (from + MAX_SHOWN).min(text.len()));
            text = &text[from..to];
            rel_start -= from;
            rel_end = (rel_end - from).min(text.len());
        }
        let text = text.trim_end_matches('\r').to_string();
        rel_end = rel_end.min(text.len());
        rel_start = rel_start.min(rel_end);
        // A zero-width span still gets a visible caret.
        if rel_start == rel_end && rel_end < text.len() {
            rel_end = ceil_char_boundary(&text, rel_end + 1);
        }
        let shown_col = text[..rel_start].chars().count() + 1;
        Excerpt {
            text,
            line,
            span: rel_start..rel_end,
            col,
            shown_col,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(src, offset.min(src.len()));
    let before = &src[..offset];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
    let col = src[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Byte offset of a 1-based line and 0-based column in characters.
pub fn offset_of(src: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match src[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return src.len(),
        }
    }
    let line_text = &src[start..];
    let within = line_text
        .char_indices()
        .nth(col)
        .map_or(line_text.len(), |(i, _)| i);
    let line_len = line_text.find('\n').unwrap_or(line_text.len());
    start + within.min(line_len)
}

/// The last character boundary of `s` at or before `i` (or its end).
pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Splits serde's "unknown field `x`, expected one of `a`, `b`" into the field and a hint.
pub fn unknown_field_hint(message: &str) -> Option<(String, String)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let hint = match closest(field, expected.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if expected.is_empty() => "remove this field".to_string(),
        None => format!(
            "valid fields here are {}",
            expected
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some((field.to_string(), hint))
}

/// The order every report lists diagnostics in, human or JSON: errors first,
/// then by file and position (a stable sort, so ties keep their order).
pub fn report_order(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by(|a, b| {
        (a.severity, &a.file, a.span.as_ref().map(|s| s.start)).cmp(&(
            b.severity,
            &b.file,
            b.span.as_ref().map(|s| s.start),
        ))
    });
    sorted
}

/// Renders every diagnostic in [`report_order`], each followed by a blank line.
pub fn render_all(diags: &[Diagnostic], color: bool) -> String {
    use rayon::prelude::*;
    // Thousands of lint findings take a while to lay out: in parallel, then
    // joined in report order.
    let shown: Vec<String> = report_order(diags)
        .into_par_iter()
        .map(|d| d.render(color))
        .collect();
    let mut out = String::with_capacity(shown.iter().map(|s| s.len() + 2).sum());
    for d in shown {
        let _ = writeln!(out, "{d}\n");
    }
    out
}

/// Counts errors in a list of diagnostics.
pub fn error_count(diags: &[Diagnostic]) -> usize {
    diags.iter().filter(|d| d.is_error()).count()
}

/// The span of `value` as written in `text` (quoted if it can be found quoted),
/// searching from `from`; the empty span at `from` when it cannot be found.
pub fn value_span(text: &str, from: usize, value: &str) -> Range<usize> {
    let hay = text.get(from..).unwrap_or("");
    for q in ['"', '\''] {
        if let Some(i) = hay.find(&format!("{q}{value}{q}")) {
            let start = from + i + 1;
            return start..start + value.len();
        }
    }
    match hay.find(value).filter(|_| !value.is_empty()) {
        Some(i) => from + i..from + i + value.len(),
        None => from..from,
    }
}

/// Counts per code, then how many errors and warnings, e.g.
///
/// ```text
/// lint::claims          2
/// lint::orphan          3 (1 error)
/// 5 findings: 1 error, 4 warnings
/// ```
pub fn summary(diags: &[Diagnostic]) -> String {
    let mut per: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for d in diags {
        let e = per.entry(d.code.as_str()).or_default();
        e.0 += 1;
        if d.is_error() {
            e.1 += 1;
        }
    }
    let width = per.keys().map(|k| k.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (code, (n, errors)) in &per {
        let _ = write!(out, "{code:<width$}  {n}");
        if *errors > 0 {
            let s = if *errors == 1 { "" } else { "s" };
            let _ = write!(out, " ({errors} error{s})");
        }
        out.push('\n');
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    if diags.is_empty() {
        out.push_str("no findings");
    } else {
        let _ = write!(
            out,
            "{}: {}, {}",
            plural(diags.len(), "finding"),
            plural(errors, "error"),
            plural(warnings, "warning")
        );
    }
    out
}

/// One finding as one line of JSON, for `fascia check --format json`.
///
/// Schema (every key always present):
///
/// | key | type | meaning |
/// |---|---|---|
/// | `code` | string | e.g. `lint::claims` |
/// | `level` | `"error"` \| `"warning"` | severity |
/// | `file` | string \| null | display path, `/`-separated |
/// | `line`, `column` | number \| null | 1-based start (column in characters) |
/// | `end_line`, `end_column` | number \| null | 1-based end, exclusive |
/// | `message` | string | what is wrong |
/// | `label` | string \| null | text shown under the caret |
/// | `hint` | string \| null | a likely fix (may contain line breaks) |
pub fn to_json_line(d: &Diagnostic) -> String {
    let (line, column) = d.line_col().unzip();
    let (end_line, end_column) = match (&d.source, &d.span) {
        (Some(src), Some(span)) => {
            let (l, c) = crate::diagnostics::line_col(src, span.end);
            (Some(l), Some(c))
        }
        _ => (None, None),
    };
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    serde_json::json!({
        "code": d.code.as_str(),
        "level": level,
        "file": d.file.as_ref().map(|f| f.display().to_string().replace('\\', "/")),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "message": d.message,
        "label": d.label,
        "hint": d.hint,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        let src = "ab\ncdé f\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 8), (2, 5));
        assert_eq!(offset_of(src, 2, 4), 8);
    }

    #[test]
    fn unknown_field_suggests_closest() {
        let (f, h) =
            unknown_field_hint("unknown field `tittle`, expected one of `title`, `date`").unwrap();
        assert_eq!(f, "tittle");
        assert_eq!(h, "did you mean `title`?");
    }

    #[test]
    fn huge_line_is_windowed() {
        let src: Arc<str> = format!("{}X{}", "a".repeat(10_000), "b".repeat(10_000)).into();
        let d = Diagnostic::error(Code::InputRead, "m").at("f.md", &src, 10_000..10_001);
        let out = d.render(false);
        assert!(out.contains('X'));
        assert!(out.len() < 1000);
        assert!(out.contains("f.md:1:10001"), "{out}");
    }
}
