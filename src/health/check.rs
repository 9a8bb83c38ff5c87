//! Checks of the health front matter: reviews, reviewers and references.
//!
//! Every function returns [`Diagnostic`]s pointing at the offending value in
//! the page file. Front matter is parsed by serde, which keeps no positions,
//! so values are found again in the file text: each field is searched from
//! its key (`by = `, `doi:`), and each key from its table (`[review]`,
//! `[[references]]`, a YAML `- ` item), which works for TOML and YAML alike.
//!
//! Codes:
//! - `health::unknown-reviewer` (error): `[review] by` names no `[reviewers.KEY]`.
//! - `health::review-in-future` (error): `last` is after today.
//! - `health::next-before-last` (error): `next` is before `last`.
//! - `health::bad-doi` (error): a DOI is not `10.NNNN…/suffix`.
//! - `health::bad-pmid` (error): a PMID is not digits only.
//! - `health::duplicate-reference` (error): two references share an id.
//! - `health::uncited-reference` (warning): a reference is never cited, see [`uncited`].
//! - `health::unknown-citation` (error): `[@id]` names no reference, see [`unknown_citation`].

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::config::health::Reviewer;
use crate::diagnostics::{closest, line_col, value_span, Code, Diagnostic};
use crate::model::front_matter::PageDate;
use crate::model::health::{Reference, Review};

/// Checks a page's `[review]` and `[[references]]` against the site's
/// reviewers and today's date. `source` is the whole page file.
pub fn check_page(
    file: &Path,
    source: &Arc<str>,
    review: Option<&Review>,
    refs: &[Reference],
    reviewers: &BTreeMap<String, Reviewer>,
    today: PageDate,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if let Some(review) = review {
        check_review(file, source, review, reviewers, &today, &mut diags);
    }
    check_references(file, source, refs, &mut diags);
    diags
}

fn check_review(
    file: &Path,
    source: &Arc<str>,
    review: &Review,
    reviewers: &BTreeMap<String, Reviewer>,
    today: &PageDate,
    diags: &mut Vec<Diagnostic>,
) {
    // The table is searched for (the whole file) only to point at a problem.
    let table = std::cell::OnceCell::new();
    let field = |key: &str, value: &str| {
        let at = *table.get_or_init(|| table_start(source, "[review]", "review"));
        field_span(source, at, key, value)
    };
    if !reviewers.contains_key(&review.by) {
        let hint = match closest(&review.by, reviewers.keys().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None if reviewers.is_empty() => format!(
                "no reviewers are defined; add `[reviewers.{}]` with `name` and `role` to site.toml",
                review.by
            ),
            None => format!(
                "the reviewers defined in site.toml are {}",
                list(reviewers.keys().map(String::as_str))
            ),
        };
        diags.push(
            Diagnostic::error(
                Code::HealthUnknownReviewer,
                format!("unknown reviewer `{}`", review.by),
            )
            .at(file, source, field("by", &review.by))
            .label("not a `[reviewers.KEY]` of site.toml")
            .hint(hint),
        );
    }
    if review.last.date > today.date {
        diags.push(
            Diagnostic::error(
                Code::HealthReviewInFuture,
                format!(
                    "the last review ({}) is after today ({})",
                    review.last.ymd(),
                    today.ymd()
                ),
            )
            .at(file, source, field("last", &review.last.ymd()))
            .label("in the future")
            .hint("`last` is the date the page was actually reviewed"),
        );
    }
    if let Some(next) = &review.next {
        if next.date < review.last.date {
            diags.push(
                Diagnostic::error(
                    Code::HealthNextBeforeLast,
                    format!(
                        "the next review ({}) is before the last review ({})",
                        next.ymd(),
                        review.last.ymd()
                    ),
                )
                .at(file, source, field("next", &next.ymd()))
                .label("before `last`")
                .hint(
                    "set `next` to a date after `last`, or leave it out to use the review interval",
                ),
            );
        }
    }
}

fn check_references(
    file: &Path,
    source: &Arc<str>,
    refs: &[Reference],
    diags: &mut Vec<Diagnostic>,
) {
    // Where each reference is written is only looked up (a search of the
    // whole file) when there is something to report.
    let found = std::cell::OnceCell::new();
    let spans = || -> &Vec<RefSpan> { found.get_or_init(|| reference_spans(source, refs)) };
    for (k, r) in refs.iter().enumerate() {
        // A scan, not a map: a page lists a handful of references.
        if let Some(earlier) = refs[..k].iter().position(|e| e.id == r.id) {
            let spans = spans();
            let (line, _) = line_col(source, spans[earlier].id.start);
            diags.push(
                Diagnostic::error(
                    Code::HealthDuplicateReference,
                    format!("reference `{}` is defined twice", r.id),
                )
                .at(file, source, spans[k].id.clone())
                .label("second definition")
                .hint(format!(
                    "the first is on line {line}; give each reference its own id"
                )),
            );
        }
        if let Some(doi) = &r.doi {
            if !is_doi(doi) {
                let bare = [
                    "https://doi.org/",
                    "http://doi.org/",
                    "https://dx.doi.org/",
                    "doi:",
                ]
                .iter()
                .find_map(|p| {
                    doi.get(..p.len())
                        .filter(|h| h.eq_ignore_ascii_case(p))
                        .map(|_| doi[p.len()..].trim())
                })
                .filter(|rest| is_doi(rest));
                let hint = match bare {
                    Some(rest) => format!("write the DOI alone: `{rest}`"),
                    None => "a DOI looks like `10.1136/bmj.m1234`: `10.`, 4–9 digits, `/`, then the suffix".into(),
                };
                diags.push(
                    Diagnostic::error(Code::HealthBadDoi, format!("`{doi}` is not a DOI"))
                        .at(
                            file,
                            source,
                            field_span(source, spans()[k].block, "doi", doi),
                        )
                        .label("not a DOI")
                        .hint(hint),
                );
            }
        }
        if let Some(pmid) = &r.pmid {
            if pmid.is_empty() || !pmid.bytes().all(|b| b.is_ascii_digit()) {
                let digits: String = pmid.chars().filter(char::is_ascii_digit).collect();
                let hint = if digits.is_empty() {
                    "a PubMed id is digits only, e.g. `31978945`".to_string()
                } else {
                    format!("a PubMed id is digits only: `{digits}`")
                };
                diags.push(
                    Diagnostic::error(Code::HealthBadPmid, format!("`{pmid}` is not a PubMed id"))
                        .at(
                            file,
                            source,
                            field_span(source, spans()[k].block, "pmid", pmid),
                        )
                        .label("not digits only")
                        .hint(hint),
                );
            }
        }
    }
}

/// Warns about each reference that no citation in `cited_ids` names.
pub fn uncited<'a>(
    file: &Path,
    source: &Arc<str>,
    refs: &[Reference],
    cited_ids: impl IntoIterator<Item = &'a str>,
) -> Vec<Diagnostic> {
    // Scans, not sets: a page lists a handful of references.
    let cited: Vec<&str> = cited_ids.into_iter().collect();
    let uncited: Vec<usize> = (0..refs.len())
        .filter(|&k| {
            let id = refs[k].id.as_str();
            !cited.contains(&id) && !refs[..k].iter().any(|r| r.id == id)
        })
        .collect();
    if uncited.is_empty() {
        // Nothing to point at: skip the search of the file.
        return Vec::new();
    }
    let mut spans = reference_spans(source, refs);
    uncited
        .into_iter()
        .map(|k| (&refs[k], std::mem::replace(&mut spans[k].id, 0..0)))
        .map(|(r, span_id)| {
            Diagnostic::warning(
                Code::HealthUncitedReference,
                format!("reference `{}` is never cited", r.id),
            )
            .at(file, source, span_id)
            .label("not cited in the text")
            .hint(format!("cite it as `[@{}]`, or remove it", r.id))
        })
        .collect()
}

/// The error for a citation `[@id]` that names no reference of the page.
/// `range` is the id's byte range in `source` (the whole file).
pub fn unknown_citation<'a>(
    file: &Path,
    source: &Arc<str>,
    id: &str,
    range: Range<usize>,
    known_ids: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let known: Vec<&str> = known_ids.into_iter().collect();
    let hint = match closest(id, known.iter().copied()) {
        Some(best) => format!("did you mean `[@{best}]`?"),
        None if known.is_empty() => {
            format!("this page has no references; add a `[[references]]` entry with id `{id}`")
        }
        None => format!("the references of this page are {}", list(known)),
    };
    Diagnostic::error(
        Code::HealthUnknownCitation,
        format!("no reference `{id}` on this page"),
    )
    .at(file, source, range)
    .label("not the id of a `[[references]]` entry")
    .hint(hint)
}

/// When the next review is due: `next` if given, else `last` plus `interval_days`.
pub fn next_review(review: &Review, interval_days: u32) -> PageDate {
    if let Some(next) = &review.next {
        return next.clone();
    }
    let date = review
        .last
        .date
        .checked_add(time::Duration::days(i64::from(interval_days)))
        .unwrap_or(time::Date::MAX);
    PageDate {
        date,
        datetime: None,
    }
}

/// True when the next review (see [`next_review`]) is before `today`.
pub fn is_overdue(review: &Review, interval_days: u32, today: &PageDate) -> bool {
    next_review(review, interval_days).date < today.date
}

/// True for `10.` + 4–9 digits + `/` + a non-empty suffix without whitespace
/// (`^10\.\d{4,9}/\S+$`).
pub fn is_doi(doi: &str) -> bool {
    let Some(rest) = doi.strip_prefix("10.") else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let Some(suffix) = rest[digits..].strip_prefix('/') else {
        return false;
    };
    (4..=9).contains(&digits) && !suffix.is_empty() && !suffix.chars().any(char::is_whitespace)
}

fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a table starts: its TOML header (`[review]`) or its key (`review:`,
/// `review = {`), whichever comes first; the file start if neither is found.
fn table_start(source: &str, header: &str, key: &str) -> usize {
    match (source.find(header), find_key(source, 0, key)) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(0),
    }
}

/// Where one reference sits in the file.
struct RefSpan {
    /// Start of its table (`[[references]]`, a YAML `- ` item, or an inline `{`).
    block: usize,
    /// Its id value.
    id: Range<usize>,
}

/// Finds each reference's id in the file, in order, and the start of its table.
fn reference_spans(source: &str, refs: &[Reference]) -> Vec<RefSpan> {
    let mut cursor = table_start(source, "[[references]]", "references");
    let mut out = Vec::with_capacity(refs.len());
    for r in refs {
        let id = find_key_with_value(source, cursor, "id", &r.id)
            .unwrap_or_else(|| value_span(source, cursor, &r.id));
        out.push(RefSpan {
            block: block_start(source, cursor, id.start),
            id: id.clone(),
        });
        cursor = id.end.max(cursor);
    }
    out
}

/// The start of the table holding the value at `key_at`: the last `[[`, YAML
/// `-` item or `{` between `from` and `key_at`.
fn block_start(source: &str, from: usize, key_at: usize) -> usize {
    let Some(region) = source.get(from..key_at) else {
        return from;
    };
    let mut best = 0;
    let mut line_start = 0;
    for line in region.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("[[") || trimmed.starts_with('-') {
            best = line_start + (line.len() - trimmed.len());
        }
        line_start += line.len();
    }
    if let Some(brace) = region.rfind('{') {
        best = best.max(brace);
    }
    from + best
}

/// The span of `value` of `key` in the table starting at `block`.
fn field_span(source: &str, block: usize, key: &str, value: &str) -> Range<usize> {
    find_key_with_value(source, block, key, value)
        .unwrap_or_else(|| value_span(source, block, value))
}

/// The first `key` at or after `from` written as a key: at the start of a
/// line or after `{`, `,`, `-` or a blank, and followed by `=` or `:`.
fn find_key(source: &str, from: usize, key: &str) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut at = from;
    while let Some(i) = source.get(at..)?.find(key) {
        let start = at + i;
        let before_ok = start == 0
            || matches!(
                bytes[start - 1],
                b'\n' | b'\r' | b' ' | b'\t' | b'{' | b',' | b'-'
            );
        let mut after = start + key.len();
        while matches!(bytes.get(after), Some(b' ' | b'\t')) {
            after += 1;
        }
        if before_ok && matches!(bytes.get(after), Some(b'=' | b':')) {
            return Some(start);
        }
        at = start + key.len();
    }
    None
}

/// The span of `value` on the line of the key at `key_at`, if it is there.
fn value_on_line(source: &str, key_at: usize, value: &str) -> Option<Range<usize>> {
    let line_end = source[key_at..]
        .find('\n')
        .map_or(source.len(), |i| key_at + i);
    let span = value_span(&source[..line_end], key_at, value);
    (span.start < span.end).then_some(span)
}

/// The span of the value `value` of the first `key` at or after `from` that has it.
fn find_key_with_value(source: &str, from: usize, key: &str, value: &str) -> Option<Range<usize>> {
    let mut at = from;
    while let Some(k) = find_key(source, at, key) {
        if let Some(span) = value_on_line(source, k, value) {
            return Some(span);
        }
        at = k + key.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Fm {
        review: Option<Review>,
        #[serde(default)]
        references: Vec<Reference>,
    }

    fn reviewers() -> BTreeMap<String, Reviewer> {
        toml::from_str(
            "[editorial]\nname = 'Editorial board'\nrole = 'Review team'\n[jane]\nname = 'Jane'\nrole = 'Physio'\nkind = 'person'\n",
        )
        .unwrap()
    }

    fn today() -> PageDate {
        PageDate::parse("2026-06-01").unwrap()
    }

    /// Parses TOML (`+++`) or YAML (`---`) front matter and runs `check_page`.
    fn run(file: &str) -> (Arc<str>, Fm, Vec<Diagnostic>) {
        let source: Arc<str> = file.into();
        let (fence, rest) = file.split_at(3);
        let end = rest.find(fence).unwrap();
        let front = &rest[..end];
        let fm: Fm = if fence == "+++" {
            toml::from_str(front).unwrap()
        } else {
            serde_yaml_ng::from_str(front).unwrap()
        };
        let diags = check_page(
            Path::new("content/knee.md"),
            &source,
            fm.review.as_ref(),
            &fm.references,
            &reviewers(),
            today(),
        );
        (source, fm, diags)
    }

    fn codes(diags: &[Diagnostic]) -> Vec<(&'static str, (usize, usize))> {
        diags
            .iter()
            .map(|d| (d.code.as_str(), d.line_col().unwrap()))
            .collect()
    }

    fn spanned<'a>(source: &'a str, d: &Diagnostic) -> &'a str {
        &source[d.span.clone().unwrap()]
    }

    #[test]
    fn clean_page_has_no_diagnostics() {
        let (_, _, d) = run(
            "+++\ntitle = 'Knee'\n[review]\nby = 'jane'\nlast = 2026-05-01\nnext = 2027-05-01\n[[references]]\nid = 'a'\ntitle = 'A'\ndoi = '10.1136/bmj.m1234'\npmid = '123'\n+++\nBody [@a].\n",
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn unknown_reviewer_toml() {
        let (src, _, d) =
            run("+++\ntitle = 'by the way'\n[review]\nlast = 2026-05-01\nby = \"editoral\"\n+++\n");
        assert_eq!(codes(&d), [("health::unknown-reviewer", (5, 7))]);
        assert_eq!(spanned(&src, &d[0]), "editoral");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `editorial`?"));
        assert!(d[0].is_error());
    }

    #[test]
    fn unknown_reviewer_yaml_lists_keys() {
        let (src, _, d) =
            run("---\ntitle: Knee\nreview:\n  by: zzz\n  last: 2026-05-01\n---\nby: zzz\n");
        assert_eq!(codes(&d), [("health::unknown-reviewer", (4, 7))]);
        assert_eq!(spanned(&src, &d[0]), "zzz");
        assert_eq!(
            d[0].hint.as_deref(),
            Some("the reviewers defined in site.toml are `editorial`, `jane`")
        );
        let source: Arc<str> = "x".into();
        let review = Review {
            by: "zzz".into(),
            last: today(),
            next: None,
        };
        let d = check_page(
            Path::new("a.md"),
            &source,
            Some(&review),
            &[],
            &BTreeMap::new(),
            today(),
        );
        assert!(d[0].hint.as_deref().unwrap().contains("[reviewers.zzz]"));
    }

    #[test]
    fn review_in_future() {
        let (src, _, d) = run("+++\n[review]\nby = 'jane'\nlast = 2026-06-02\n+++\n");
        assert_eq!(codes(&d), [("health::review-in-future", (4, 8))]);
        assert_eq!(spanned(&src, &d[0]), "2026-06-02");
        let (_, _, d) = run("+++\n[review]\nby = 'jane'\nlast = 2026-06-01\n+++\n");
        assert!(d.is_empty(), "today itself is fine");
    }

    #[test]
    fn yaml_body_mentioning_the_toml_header() {
        let (src, _, d) = run(
            "---\nreview:\n  by: nobody\n  last: 2026-05-01\n---\nSee [review] and by: nobody.\n",
        );
        assert_eq!(codes(&d), [("health::unknown-reviewer", (3, 7))]);
        assert_eq!(spanned(&src, &d[0]), "nobody");
    }

    #[test]
    fn next_before_last() {
        let (src, _, d) =
            run("---\nreview:\n  by: editorial\n  next: 2026-01-31\n  last: '2026-02-01'\n---\n");
        assert_eq!(codes(&d), [("health::next-before-last", (4, 9))]);
        assert_eq!(spanned(&src, &d[0]), "2026-01-31");
    }

    #[test]
    fn bad_doi_and_pmid_toml() {
        let (src, _, d) = run(concat!(
            "+++\n",
            "[[references]]\n",
            "id = 'a'\n",
            "title = 'A'\n",
            "doi = '10.1/x'\n",
            "pmid = '123'\n",
            "[[references]]\n",
            "doi = 'https://doi.org/10.1136/bmj.m1'\n",
            "id = 'b'\n",
            "title = 'B'\n",
            "pmid = 'PMID: 456'\n",
            "+++\n",
        ));
        assert_eq!(
            codes(&d),
            [
                ("health::bad-doi", (5, 8)),
                ("health::bad-doi", (8, 8)),
                ("health::bad-pmid", (11, 9)),
            ]
        );
        assert_eq!(spanned(&src, &d[0]), "10.1/x");
        assert_eq!(spanned(&src, &d[1]), "https://doi.org/10.1136/bmj.m1");
        assert_eq!(
            d[1].hint.as_deref(),
            Some("write the DOI alone: `10.1136/bmj.m1`")
        );
        assert_eq!(spanned(&src, &d[2]), "PMID: 456");
        assert_eq!(
            d[2].hint.as_deref(),
            Some("a PubMed id is digits only: `456`")
        );
    }

    #[test]
    fn bad_doi_yaml_items() {
        let (src, _, d) = run(concat!(
            "---\n",
            "references:\n",
            "  - id: a\n",
            "    title: Knee - pain\n",
            "    doi: 10.1000/ok\n",
            "  - title: B\n",
            "    doi: 10.10/bad\n",
            "    id: b\n",
            "---\n",
        ));
        assert_eq!(codes(&d), [("health::bad-doi", (7, 10))]);
        assert_eq!(spanned(&src, &d[0]), "10.10/bad");
    }

    #[test]
    fn duplicate_reference() {
        let (src, _, d) = run(concat!(
            "+++\n",
            "[[references]]\n",
            "id = 'a'\n",
            "title = 'id = a'\n",
            "[[references]]\n",
            "id = \"a\"\n",
            "title = 'B'\n",
            "+++\n",
        ));
        assert_eq!(codes(&d), [("health::duplicate-reference", (6, 7))]);
        assert_eq!(spanned(&src, &d[0]), "a");
        assert_eq!(
            d[0].hint.as_deref(),
            Some("the first is on line 3; give each reference its own id")
        );
    }

    #[test]
    fn uncited_reference_is_a_warning() {
        let (src, fm, _) = run(concat!(
            "---\n",
            "references:\n",
            "  - {id: a, title: A}\n",
            "  - {id: b, title: B}\n",
            "  - {title: C, id: c}\n",
            "---\n",
        ));
        let d = uncited(Path::new("content/knee.md"), &src, &fm.references, ["b"]);
        assert_eq!(
            codes(&d),
            [
                ("health::uncited-reference", (3, 10)),
                ("health::uncited-reference", (5, 20)),
            ]
        );
        assert!(d.iter().all(|d| d.severity == Severity::Warning));
        assert_eq!(spanned(&src, &d[1]), "c");
        assert_eq!(
            d[0].hint.as_deref(),
            Some("cite it as `[@a]`, or remove it")
        );
    }

    #[test]
    fn unknown_citation_suggests_closest() {
        let src: Arc<str> = "+++\n+++\nRest helps [@smith-2002].\n".into();
        let at = src.find("smith").unwrap();
        let d = unknown_citation(
            Path::new("k.md"),
            &src,
            "smith-2002",
            at..at + 10,
            ["smith-2020", "nice"],
        );
        assert_eq!(d.code, "health::unknown-citation");
        assert_eq!(d.line_col(), Some((3, 14)));
        assert_eq!(d.hint.as_deref(), Some("did you mean `[@smith-2020]`?"));
        let d = unknown_citation(Path::new("k.md"), &src, "zz", at..at + 2, ["nice", "who"]);
        assert_eq!(
            d.hint.as_deref(),
            Some("the references of this page are `nice`, `who`")
        );
        let d = unknown_citation(Path::new("k.md"), &src, "zz", at..at + 2, []);
        assert!(d.hint.unwrap().contains("no references"));
    }

    #[test]
    fn next_review_dates() {
        let mut r = Review {
            by: "x".into(),
            last: PageDate::parse("2024-02-29").unwrap(),
            next: None,
        };
        assert_eq!(next_review(&r, 365).ymd(), "2025-02-28");
        assert_eq!(next_review(&r, 0).ymd(), "2024-02-29");
        assert!(is_overdue(&r, 365, &today()));
        assert!(!is_overdue(&r, 1000, &today()));
        r.next = PageDate::parse("2026-07-01");
        assert_eq!(next_review(&r, 1).ymd(), "2026-07-01");
        assert!(!is_overdue(&r, 1, &today()));
        r.last = PageDate::parse("9999-12-01").unwrap();
        r.next = None;
        assert_eq!(next_review(&r, u32::MAX).date, time::Date::MAX);
    }

    #[test]
    fn doi_shapes() {
        for ok in ["10.1136/bmj.m1234", "10.123456789/x", "10.1000/a/b(c)"] {
            assert!(is_doi(ok), "{ok}");
        }
        for bad in [
            "",
            "10.123/x",
            "10.1234567890/x",
            "10.1234/",
            "10.1234/a b",
            "11.1234/x",
            "doi:10.1234/x",
            "10.1234",
            "10.12a4/x",
        ] {
            assert!(!is_doi(bad), "{bad}");
        }
    }
}
