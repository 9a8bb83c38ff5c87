//! Front matter: TOML between `+++` lines (Zola's dialect and more) or YAML
//! between `---` lines (Jekyll and Hugo content).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::health::{PageHealth, Reference, Review};
use crate::config::lint::PageLint;
use crate::config::{toml_error, toml_read};
use crate::diagnostics::{offset_of, unknown_field_hint, Code, Diagnostic};

/// Page front matter.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    /// Page title.
    pub title: Option<String>,
    /// Short description: meta description, lede and excerpt.
    pub description: Option<String>,
    /// Publication date.
    pub date: Option<PageDate>,
    /// Last update.
    pub updated: Option<PageDate>,
    /// Sort weight within the section.
    pub weight: Option<i64>,
    /// Left out unless building with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Overrides the last URL segment.
    pub slug: Option<String>,
    /// Overrides the whole URL path.
    pub path: Option<String>,
    /// Old URLs that redirect here.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Template other than `page.html` / the section's `page_template`.
    pub template: Option<String>,
    /// Terms by taxonomy name.
    #[serde(default)]
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Hand-picked "Also interesting" entries, as `@/` paths.
    #[serde(default)]
    pub related: Vec<String>,
    /// Questions and answers.
    #[serde(default)]
    pub faq: Vec<FaqEntry>,
    /// Authors (accepted for Zola compatibility, passed to templates).
    #[serde(default)]
    pub authors: Vec<String>,
    /// Accepted for Zola compatibility; fascia has no search index.
    #[serde(default)]
    pub in_search_index: Option<bool>,
    /// Free-form values passed to templates.
    #[serde(default)]
    pub extra: toml::Table,
    /// `[review]`: who reviewed the page and when.
    pub review: Option<Review>,
    /// `[[references]]`: the sources the body cites as `[@id]`.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// Marks the page as medical content (or not), whatever its section.
    pub medical: Option<bool>,
    /// `[health]`: this page's emergency number and urgent-help text.
    pub health: Option<PageHealth>,
    /// `[lint]`: rules that do not apply to this page (`allow = ["orphan"]`).
    pub lint: Option<PageLint>,
}

/// Section front matter (`_index.md`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFrontMatter {
    /// Section title.
    pub title: Option<String>,
    /// Short description.
    pub description: Option<String>,
    /// How pages are ordered.
    #[serde(default)]
    pub sort_by: SortBy,
    /// Pages per listing page; one page when absent.
    pub paginate_by: Option<usize>,
    /// Path segment of pagers, `page` by default (`/conditions/page/2/`).
    pub paginate_path: Option<String>,
    /// Reverses the page order in the paginator.
    #[serde(default)]
    pub paginate_reversed: bool,
    /// Template other than `section.html`.
    pub template: Option<String>,
    /// Template for the section's pages.
    pub page_template: Option<String>,
    /// Sort weight among sibling sections (navigation order).
    pub weight: Option<i64>,
    /// Left out unless building with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Old URLs that redirect here.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Makes the section itself a redirect to this URL.
    pub redirect_to: Option<String>,
    /// Whether the section page is written at all.
    #[serde(default = "yes")]
    pub render: bool,
    /// Accepted for Zola compatibility.
    #[serde(default)]
    pub transparent: bool,
    /// Accepted for Zola compatibility.
    pub in_search_index: Option<bool>,
    /// Accepted for Zola compatibility.
    pub insert_anchor_links: Option<String>,
    /// Accepted for Zola compatibility.
    pub generate_feeds: Option<bool>,
    /// Free-form values passed to templates.
    #[serde(default)]
    pub extra: toml::Table,
    /// Markdown shown on this section's medical pages instead of `[health] disclaimer`.
    pub disclaimer: Option<String>,
    /// `[lint]`: rules that do not apply to the section page.
    pub lint: Option<PageLint>,
}

fn yes() -> bool {
    true
}

/// One `[[faq]]` entry.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    /// The question, plain text.
    pub question: String,
    /// The answer, Markdown.
    pub answer: String,
}

/// Page order within a section.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first.
    Date,
    /// Lowest weight first.
    Weight,
    /// Alphabetical.
    Title,
    /// By file path (stable, but no particular meaning).
    #[default]
    None,
}

/// A date from front matter: a TOML date or datetime, or a string in the same form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageDate {
    /// The calendar date, used for sorting and display.
    pub date: time::Date,
    /// The full timestamp when one was given (RFC 3339).
    pub datetime: Option<time::OffsetDateTime>,
}

impl PageDate {
    /// Parses `2026-10-02`, `2026-10-02T08:00:00Z` or `2026-10-02 08:00:00+02:00`.
    pub fn parse(s: &str) -> Option<PageDate> {
        let s = s.trim();
        let day = s.get(..10)?;
        let date = match digits_ymd(day) {
            Some((y, m, d)) => time::Date::from_calendar_date(y, m.try_into().ok()?, d).ok()?,
            None => calendar_date(day)?,
        };
        if s.len() == 10 {
            return Some(PageDate {
                date,
                datetime: None,
            });
        }
        let normalized = s.replacen(' ', "T", 1);
        let datetime = time::OffsetDateTime::parse(
            &normalized,
            &time::format_description::well_known::Rfc3339,
        )
        .ok()
        .or_else(|| {
            // A local datetime without an offset counts as UTC.
            time::PrimitiveDateTime::parse(
                &normalized,
                time::macros::format_description!(
                    "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
                ),
            )
            .ok()
            .map(|p| p.assume_utc())
        })?;
        Some(PageDate {
            date,
            datetime: Some(datetime),
        })
    }

    /// Today's date (UTC), as reviews and lint compare against it.
    pub fn today() -> PageDate {
        PageDate {
            date: time::OffsetDateTime::now_utc().date(),
            datetime: None,
        }
    }

    /// `YYYY-MM-DD`.
    pub fn ymd(&self) -> String {
        let mut out = String::with_capacity(10);
        self.push_ymd(&mut out);
        out
    }

    /// Appends [`Self::ymd`] to `out`. Written digit by digit: pages show
    /// several dates each, and `format!` costs more than the rest of a date.
    pub fn push_ymd(&self, out: &mut String) {
        let (y, m, d) = (self.date.year(), self.date.month() as u8, self.date.day());
        match u32::try_from(y).ok().filter(|&y| y <= 9999) {
            Some(y) => push_digits(out, y, 4),
            // Outside 0..=9999 (`time` allows ±9999): as `format!` pads it.
            None => out.push_str(&format!("{y:04}")),
        }
        out.push('-');
        push_digits(out, u32::from(m), 2);
        out.push('-');
        push_digits(out, u32::from(d), 2);
    }

    /// RFC 3339 timestamp (midnight UTC for a plain date).
    pub fn rfc3339(&self) -> String {
        let dt = self
            .datetime
            .unwrap_or_else(|| self.date.midnight().assume_utc());
        dt.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| self.ymd())
    }
}

/// `YYYY-MM-DD` parsed by `time`'s format description.
fn calendar_date(day: &str) -> Option<time::Date> {
    time::Date::parse(
        day,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// Year, month and day of `day` when it is `DDDD-DD-DD` in ASCII digits,
/// as nearly every date is: read here, where [`calendar_date`]'s general
/// parser cost most of a date's reading.
fn digits_ymd(day: &str) -> Option<(i32, u8, u8)> {
    let b = day.as_bytes();
    let digit = |i: usize| b[i].is_ascii_digit().then(|| b[i] - b'0');
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let year = (0..4).try_fold(0i32, |y, i| Some(y * 10 + i32::from(digit(i)?)))?;
    Some((year, two(5)?, two(8)?))
}

/// Appends `n` in decimal, zero-padded to `width` digits.
pub fn push_digits(out: &mut String, n: u32, width: usize) {
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(n);
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(digits);
}

impl<'de> Deserialize<'de> for PageDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PageDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 2026-10-02")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<PageDate, E> {
                PageDate::parse(s).ok_or_else(|| {
                    E::custom(format!(
                        "`{s}` is not a date; write it as YYYY-MM-DD, e.g. 2026-10-02"
                    ))
                })
            }
            // TOML datetimes arrive as a one-entry map holding their text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PageDate, A::Error> {
                let (_, text): (de::IgnoredAny, String) = map
                    .next_entry()?
                    .ok_or_else(|| de::Error::custom("empty date"))?;
                self.visit_str(&text)
            }
        }
        d.deserialize_any(V)
    }
}

/// Where the front matter and body sit in a file.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// TOML (`+++`) or YAML (`---`).
    pub format: Format,
    /// The front matter text.
    pub front: &'a str,
    /// Byte offset of `front` in the file.
    pub front_offset: usize,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Front matter dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `+++`
    Toml,
    /// `---`
    Yaml,
}

/// Spaces and tabs Zola allows after a fence (`+++   `), and the `\r` of a
/// CRLF line end.
fn is_fence_padding(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\r'
}

/// Finds the front matter block at the start of a file, as Zola reads it:
/// whitespace and blank lines (and a BOM) may come before the opening fence,
/// spaces or tabs may follow either fence, and lines may end in `\r\n`. All
/// offsets are into the whole file, so later errors keep their line and column.
pub fn split<'a>(text: &'a str, file: &Path, source: &Arc<str>) -> Result<Split<'a>, Diagnostic> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let start = bom + (text[bom..].len() - text[bom..].trim_start().len());
    let rest = &text[start..];
    let (format, fence) = if rest.starts_with("+++") {
        (Format::Toml, "+++")
    } else if rest.starts_with("---") {
        (Format::Yaml, "---")
    } else {
        let first_line_end = rest.find('\n').map_or(rest.len(), |i| i);
        let first_line_end = rest[..first_line_end].trim_end_matches('\r').len();
        return Err(Diagnostic::error(
            Code::FrontMatterMissing,
            "the file does not start with front matter",
        )
        .at(file, source, start..start + first_line_end)
        .label("expected `+++` here")
        .hint(
            "start the file with a `+++` line, then `title = \"...\"`, then another `+++` line",
        ));
    };
    let after_open = start + fence.len();
    let line_end = text[after_open..]
        .find('\n')
        .map_or(text.len(), |i| after_open + i + 1);
    if !text[after_open..line_end]
        .trim_end_matches('\n')
        .chars()
        .all(is_fence_padding)
    {
        return Err(Diagnostic::error(
            Code::FrontMatterFence,
            format!("the opening `{fence}` must be alone on its line"),
        )
        .at(file, source, start..line_end)
        .hint(format!("put a line break after `{fence}`")));
    }
    let front_offset = line_end;
    if let Some((pos, end)) = closing_fence(text, front_offset, fence) {
        return Ok(Split {
            format,
            front: &text[front_offset..pos],
            front_offset,
            body_offset: (end + 1).min(text.len()),
        });
    }
    Err(Diagnostic::error(
        Code::FrontMatterUnclosed,
        "the front matter opened here is never closed",
    )
    .at(file, source, start..start + fence.len())
    .label("opened here")
    .hint(format!(
        "add a line with just `{fence}` after the last field"
    )))
}

/// The closing fence: the first line from `from` (a line start) that holds
/// only `fence`, spaces, tabs and a `\r` around it allowed. Returns where
/// the line starts and ends (at its `\n` or the end of `text`). Found by
/// the fence's occurrences, not line by line: front matter can be long.
fn closing_fence(text: &str, from: usize, fence: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let padding = |b: &[u8]| b.iter().all(|&c| is_fence_padding(char::from(c)));
    for at in memchr::memmem::find_iter(&bytes[from..], fence.as_bytes()) {
        let at = from + at;
        let start = memchr::memrchr(b'\n', &bytes[from..at]).map_or(from, |i| from + i + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        if padding(&bytes[start..at]) && padding(&bytes[at + fence.len()..end]) {
            return Some((start, end));
        }
    }
    None
}

/// Parses the front matter into `T`, with errors located in the whole file;
/// of several problems, the first in the text.
pub fn parse<T: DeserializeOwned>(
    split: &Split<'_>,
    file: &Path,
    source: &Arc<str>,
) -> Result<T, Diagnostic> {
    parse_in::<T>(split, file, source, true)
}

/// [`parse`]; with `first` false, a TOML error may be any of the text's
/// problems (toml reports the first by key), which costs nothing extra.
fn parse_in<T: DeserializeOwned>(
    split: &Split<'_>,
    file: &Path,
    source: &Arc<str>,
    first: bool,
) -> Result<T, Diagnostic> {
    match split.format {
        Format::Toml => if first {
            toml_read::from_str(split.front)
        } else {
            toml::from_str(split.front)
        }
        .map_err(|e| toml_error(&e, file, source, split.front_offset)),
        Format::Yaml => {
            let front = if split.front.trim().is_empty() {
                "{}"
            } else {
                split.front
            };
            serde_yaml_ng::from_str(front).map_err(|e| yaml_error(&e, split, file, source))
        }
    }
}

/// Like [`parse`], but unknown top-level fields are warnings, as Zola ignores
/// them: each is reported where it is written and left out, and the rest is
/// parsed with every position unchanged. Used when `front_matter_unknown =
/// "warn"` (the default for a Zola `config.toml`).
pub fn parse_lenient<T: DeserializeOwned>(
    split: &Split<'_>,
    file: &Path,
    source: &Arc<str>,
) -> Result<(T, Vec<Diagnostic>), Diagnostic> {
    let mut front = split.front.to_string();
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let value = loop {
        let attempt = Split {
            front: &front,
            ..split.clone()
        };
        // Every unknown field is left out, in whatever order they come; an
        // error that stays must be the first in the text.
        let err = match parse_in::<T>(&attempt, file, source, false) {
            Ok(v) => break v,
            Err(e) if split.format == Format::Toml && left_out_at(&e, split, &front).is_none() => {
                match parse::<T>(&attempt, file, source) {
                    Ok(v) => break v,
                    Err(e) => e,
                }
            }
            Err(e) => e,
        };
        let Some(at) = left_out_at(&err, split, &front).filter(|_| warnings.len() < 64) else {
            return Err(err);
        };
        let end = entry_end(&front, at);
        let blank: String = front[at..end]
            .chars()
            .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
            .collect();
        front.replace_range(at..end, &blank);
        let mut w = err;
        w.severity = crate::diagnostics::Severity::Warning;
        w.label = Some("left out".into());
        w.hint = Some(
            "Zola ignores unknown fields, and so does fascia for this site; put custom values under [extra] (or set front_matter_unknown = \"error\")"
                .into(),
        );
        warnings.push(w);
    };
    warnings.sort_by_key(|w| w.span.as_ref().map(|s| s.start));
    Ok((value, warnings))
}

/// Where in `front` the unknown field of `err` starts, if [`parse_lenient`]
/// can leave it out: a field at the top level, at the start of its line.
fn left_out_at(err: &Diagnostic, split: &Split<'_>, front: &str) -> Option<usize> {
    if !matches!(err.code, Code::TomlUnknownField | Code::YamlUnknownField) {
        return None;
    }
    let at = err.span.as_ref()?.start.saturating_sub(split.front_offset);
    (at <= front.len() && (at == 0 || front[..at].ends_with('\n'))).then_some(at)
}

/// The end of the entry starting at `at`: the next line that starts a new
/// top-level entry (not indented, not closing a bracket, not a YAML list item).
fn entry_end(front: &str, at: usize) -> usize {
    let mut pos = front[at..].find('\n').map_or(front.len(), |i| at + i + 1);
    while pos < front.len() {
        let line_end = front[pos..].find('\n').map_or(front.len(), |i| pos + i + 1);
        let line = &front[pos..line_end];
        let starts_entry = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && !"]}-#".contains(c));
        if starts_entry {
            return pos;
        }
        pos = line_end;
    }
    front.len()
}

fn yaml_error(
    e: &serde_yaml_ng::Error,
    split: &Split<'_>,
    file: &Path,
    source: &Arc<str>,
) -> Diagnostic {
    let at = e
        .location()
        .map(|l| {
            split.front_offset + offset_of(split.front, l.line(), l.column().saturating_sub(1))
        })
        .unwrap_or(split.front_offset);
    // serde_yaml appends " at line N column M"; the location is shown anyway.
    let full = e.to_string();
    let message = full.split(" at line ").next().unwrap_or(&full).to_string();
    if let Some((field, hint)) = unknown_field_hint(&message) {
        let at = split
            .front
            .find(&format!("{field}:"))
            .map_or(at, |i| split.front_offset + i);
        return Diagnostic::error(Code::YamlUnknownField, format!("unknown field `{field}`"))
            .at(file, source, at..at + field.len())
            .label("not a known field")
            .hint(hint);
    }
    Diagnostic::error(Code::YamlSyntax, message).at(file, source, at..at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse() {
        assert_eq!(PageDate::parse("2026-10-02").unwrap().ymd(), "2026-10-02");
        let d = PageDate::parse("2026-10-02T08:00:00+02:00").unwrap();
        assert_eq!(d.rfc3339(), "2026-10-02T08:00:00+02:00");
        assert!(PageDate::parse("2026-13-02").is_none());
        assert!(PageDate::parse("soon").is_none());
    }

    proptest::proptest! {
        /// A date reads as `time`'s parser reads it, valid or not, whether
        /// it is all digits (read by hand) or not.
        #[test]
        fn dates_read_as_time_reads_them(
            day in "[0-9]{4}-[0-1][0-9]-[0-3][0-9]|[0-9+-]{10}|[0-9]{4}-[0-9]{2}-[0-9]{2}"
        ) {
            proptest::prop_assert_eq!(PageDate::parse(&day).map(|p| p.date), calendar_date(&day));
        }
    }

    proptest::proptest! {
        /// `ymd` writes every date `time` can hold as `format!` would.
        #[test]
        fn ymd_is_zero_padded_like_format(day in -1_930_999i32..=5_373_484) {
            let date = time::Date::from_julian_day(day).unwrap();
            let (y, m, d) = (date.year(), date.month() as u8, date.day());
            let page = PageDate { date, datetime: None };
            proptest::prop_assert_eq!(page.ymd(), format!("{y:04}-{m:02}-{d:02}"));
        }
    }

    /// The closing fence as a line-by-line reading finds it.
    fn closing_fence_by_lines(text: &str, from: usize, fence: &str) -> Option<(usize, usize)> {
        let mut pos = from;
        while pos < text.len() {
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            if text[pos..end].trim_matches(is_fence_padding) == fence {
                return Some((pos, end));
            }
            pos = end + 1;
        }
        None
    }

    proptest::proptest! {
        #[test]
        fn closing_fence_is_the_first_line_of_only_the_fence(
            lines in proptest::collection::vec("[+ \t\r=a-]{0,6}", 0..8),
        ) {
            let text = lines.join("\n");
            for fence in ["+++", "---"] {
                proptest::prop_assert_eq!(
                    closing_fence(&text, 0, fence),
                    closing_fence_by_lines(&text, 0, fence),
                    "{:?}", text
                );
            }
        }
    }

    #[test]
    fn split_finds_body() {
        let text = "+++\ntitle = \"a\"\n+++\nbody";
        let src: Arc<str> = text.into();
        let s = split(text, Path::new("a.md"), &src).unwrap();
        assert_eq!(s.front, "title = \"a\"\n");
        assert_eq!(&text[s.body_offset..], "body");
    }

    #[test]
    fn split_reads_fences_as_zola_does() {
        // Blank lines before, padding after the fences, CRLF line ends.
        for text in [
            "\n\n  \n+++\ntitle = \"a\"\n+++\nbody",
            "+++  \ntitle = \"a\"\n+++\t \nbody",
            "+++\r\ntitle = \"a\"\r\n+++\r\nbody",
            "\u{feff}\r\n+++ \r\ntitle = \"a\"\r\n +++  \r\nbody",
        ] {
            let src: Arc<str> = text.into();
            let s = split(text, Path::new("a.md"), &src).unwrap();
            assert_eq!(s.front.trim_end(), "title = \"a\"", "{text:?}");
            assert_eq!(&text[s.body_offset..], "body", "{text:?}");
        }
        let yaml = "\r\n---  \r\ntitle: a\r\n---\t\r\nbody";
        let src: Arc<str> = yaml.into();
        let s = split(yaml, Path::new("a.md"), &src).unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(&yaml[s.body_offset..], "body");
        // Text after the opening fence is still refused.
        let bad = "+++ title = \"a\"\n+++\n";
        let src: Arc<str> = bad.into();
        assert!(split(bad, Path::new("a.md"), &src).is_err());
    }

    #[test]
    fn errors_keep_their_place_after_zola_padding() {
        let text = "\r\n\r\n+++   \r\ntitle = \"a\"\r\ntittle = \"b\"\r\n+++   \r\n";
        let src: Arc<str> = text.into();
        let s = split(text, Path::new("a.md"), &src).unwrap();
        let e = parse::<PageFrontMatter>(&s, Path::new("a.md"), &src).unwrap_err();
        assert_eq!(e.line_col(), Some((5, 1)));
        let yaml = "\n---\t\ntitle: a\ntitel: b\n---\n";
        let src: Arc<str> = yaml.into();
        let s = split(yaml, Path::new("a.md"), &src).unwrap();
        let e = parse::<PageFrontMatter>(&s, Path::new("a.md"), &src).unwrap_err();
        assert_eq!(e.line_col(), Some((4, 1)));
    }

    #[test]
    fn lenient_parsing_leaves_unknown_fields_out_and_keeps_positions() {
        let text =
            "+++\ntitle = \"a\"\nsort_by = \"weight\"\nlist = [\n  1,\n]\nweight = \"x\"\n+++\n";
        let src: Arc<str> = text.into();
        let s = split(text, Path::new("a.md"), &src).unwrap();
        let e = parse_lenient::<PageFrontMatter>(&s, Path::new("a.md"), &src).unwrap_err();
        // The two unknown fields were left out; the real error keeps its place.
        assert_eq!(e.line_col(), Some((7, 10)));
        let ok = "+++\ntitle = \"a\"\nsort_by = \"weight\"\ninsert_anchor_links = \"right\"\n[extra]\nx = 1\n+++\n";
        let src: Arc<str> = ok.into();
        let s = split(ok, Path::new("a.md"), &src).unwrap();
        let (fm, w) = parse_lenient::<PageFrontMatter>(&s, Path::new("a.md"), &src).unwrap();
        assert_eq!(fm.title.as_deref(), Some("a"));
        assert_eq!(fm.extra["x"].as_integer(), Some(1));
        let at: Vec<_> = w.iter().map(|d| d.line_col()).collect();
        assert_eq!(at, [Some((3, 1)), Some((4, 1))]);
        assert!(w.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn toml_error_points_into_whole_file() {
        let text = "+++\ntitle = \"a\"\ntittle = \"b\"\n+++\n";
        let src: Arc<str> = text.into();
        let s = split(text, Path::new("a.md"), &src).unwrap();
        let e = parse::<PageFrontMatter>(&s, Path::new("a.md"), &src).unwrap_err();
        assert_eq!(e.line_col(), Some((3, 1)));
        assert_eq!(e.hint.as_deref(), Some("did you mean `title`?"));
    }
}
