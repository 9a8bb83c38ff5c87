//! Pure text analysis for the content lint: prose paragraphs of a Markdown
//! body, sentences, words, syllables, the Flesch–Kincaid grade, overpromising
//! claims, vague link text, headings, images and links.
//!
//! Every range returned is a byte range into the string that was passed in,
//! on char boundaries. All functions are linear in the length of their input
//! (times the number of claim phrases for [`claims`]).
//!
//! # Prose
//!
//! [`prose`] keeps the text of paragraphs and list items. A [`Prose`]'s `text`
//! has exactly the byte length of its `range`: every byte that is not part of
//! a text event (markup, link targets, inline code, inline HTML, image alt
//! text, line breaks, `> ` prefixes, callout markers) is replaced by a space,
//! so an offset in `text` plus `range.start` is the offset in the Markdown.
//! Code blocks, tables, HTML blocks and headings are not prose. A list item
//! of fewer than 4 words is left out (lists of names, drugs, symptoms).
//!
//! # Claims
//!
//! [`claims`] finds whole-word, case-insensitive occurrences of claim phrases
//! ("cures", "guaranteed", "no side effects") that are not negated:
//!
//! * A **clause** ends at `.`, `;`, `:`, `!` or `?`; at a comma followed by
//!   one of *and, or, but, so, yet, nor, while, whereas, although, though,
//!   because*; and before *but, however, although, whereas* even without a
//!   comma. A plain *and* / *or* does not end a clause, so in "cannot prevent
//!   or cure" the negation still covers "cure".
//! * A **negation** is one of *not, no, never, cannot, nor, neither, none,
//!   nothing, without, unlikely*, or any contraction ending in *n't*
//!   (*can't, won't, doesn't, isn't, …*).
//! * A claim is **negated** when a negation appears before its first word in
//!   the same clause. A negation after the claim does not count ("Miracle
//!   cures do not exist" is still reported: rephrase or allow it).
//!
//! Overlapping phrases are reported once, longest first.

use std::ops::Range;

use crate::markdown::scan::{self, Block, Scan};
pub use crate::markdown::scan::{Callout, Heading, Link};
use crate::markdown::{bytes_within, HIGH, ONES};

/// One paragraph or list item of prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prose {
    /// Byte range in the Markdown, from the first to the last character of text.
    pub range: Range<usize>,
    /// The text with markup blanked out; `text.len() == range.len()`.
    pub text: String,
    /// The kind of the innermost callout around it (`NOTE`, `EMERGENCY`, …), upper case.
    pub callout: Option<String>,
    /// Whether it is (in) a list item.
    pub list_item: bool,
}

/// Everything the lint needs from one Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Prose paragraphs and list items.
    pub prose: Vec<Prose>,
    /// Headings, in order.
    pub headings: Vec<Heading>,
    /// Images whose alt text is empty or blank.
    pub images_without_alt: Vec<Range<usize>>,
    /// Links, in order.
    pub links: Vec<Link>,
    /// Callouts, in order.
    pub callouts: Vec<Callout>,
}

/// Parses `markdown` once and collects prose, headings, images, links and callouts.
pub fn analyze(markdown: &str) -> Analysis {
    from_scan(markdown, &scan::scan(markdown))
}

/// The analysis of `markdown` from a [`Scan`] of it (the renderer's, or [`analyze`]'s).
pub fn from_scan(markdown: &str, scan: &Scan) -> Analysis {
    // Shortcode calls (`{{ figure(…) }}`, `{% details(…) %}`, `{% end %}`):
    // markup, not prose; sorted by position.
    let calls = crate::markdown::shortcodes::call_ranges(markdown, scan::options());
    Analysis {
        prose: scan
            .blocks
            .iter()
            .filter_map(|b| finish(b, markdown, &scan.markers, &calls))
            .collect(),
        headings: scan.headings.clone(),
        images_without_alt: scan.images_without_alt.clone(),
        links: scan.links.clone(),
        callouts: scan.callouts.clone(),
    }
}

fn finish(
    b: &Block,
    markdown: &str,
    markers: &[Range<usize>],
    calls: &[Range<usize>],
) -> Option<Prose> {
    let start = b.pieces.iter().map(|r| r.start).min()?;
    let end = b.pieces.iter().map(|r| r.end).max()?;
    let mut bytes = vec![b' '; end - start];
    for r in &b.pieces {
        bytes[r.start - start..r.end - start].copy_from_slice(&markdown.as_bytes()[r.clone()]);
    }
    // Markers before the block end cannot overlap it once they end before
    // its start; the few that remain are blanked.
    let last = markers.partition_point(|m| m.start < end);
    for m in markers[..last].iter().rev().take_while(|m| m.end > start) {
        let (s, e) = (m.start.max(start), m.end.min(end));
        if s < e {
            bytes[s - start..e - start].fill(b' ');
        }
    }
    let first = calls.partition_point(|c| c.end <= start);
    for c in calls[first..].iter().take_while(|c| c.start < end) {
        let (s, e) = (c.start.max(start), c.end.min(end));
        if s < e {
            bytes[s - start..e - start].fill(b' ');
        }
    }
    // Pieces are whole text events (char boundaries) and markers are ASCII,
    // so the result is valid UTF-8; fall back to lossy just in case.
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    if text.len() != end - start || text.trim().is_empty() {
        return None;
    }
    if b.list_item && WordSpans::new(&text).take(4).count() < 4 {
        return None;
    }
    Some(Prose {
        range: start..end,
        text,
        callout: b.callout.clone(),
        list_item: b.list_item,
    })
}

/// Prose paragraphs and list items of `markdown` (see the module doc).
pub fn prose(markdown: &str) -> Vec<Prose> {
    analyze(markdown).prose
}

/// Headings of `markdown` as (level, first line).
pub fn headings(markdown: &str) -> Vec<(u8, Range<usize>)> {
    analyze(markdown)
        .headings
        .into_iter()
        .map(|h| (h.level, h.range))
        .collect()
}

/// Images of `markdown` without alt text.
pub fn images_without_alt(markdown: &str) -> Vec<Range<usize>> {
    analyze(markdown).images_without_alt
}

/// Links of `markdown` as (text, destination, range of the whole link).
pub fn links(markdown: &str) -> Vec<(String, String, Range<usize>)> {
    analyze(markdown)
        .links
        .into_iter()
        .map(|l| (l.text, l.dest, l.range))
        .collect()
}

/// What is wrong with a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingProblem {
    /// An h1 in the body: the page title is the h1.
    SecondH1,
    /// A level was skipped, e.g. h2 → h4.
    Skipped {
        /// The level before (1 for the title).
        from: u8,
        /// This heading's level.
        to: u8,
    },
}

/// Heading-order problems as (index into `levels`, problem). The title
/// counts as the h1 before the first heading.
pub fn heading_order(levels: &[u8]) -> Vec<(usize, HeadingProblem)> {
    let mut prev = 1;
    let mut out = Vec::new();
    for (i, &level) in levels.iter().enumerate() {
        if level == 1 {
            out.push((i, HeadingProblem::SecondH1));
        } else if level > prev + 1 {
            out.push((
                i,
                HeadingProblem::Skipped {
                    from: prev,
                    to: level,
                },
            ));
        }
        prev = level;
    }
    out
}

/// Abbreviations whose full stop does not end a sentence (lower case, without the last dot).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "dr", "mr", "mrs", "ms", "prof", "vs", "approx", "fig", "cf", "st", "jr", "sr",
    "ca", "nr", "resp", "incl", "max", "min", "mg", "ml",
];

/// The length of the longest of [`ABBREVIATIONS`].
const LONGEST_ABBREVIATION: usize = {
    let (mut k, mut max) = (0, 0);
    while k < ABBREVIATIONS.len() {
        if ABBREVIATIONS[k].len() > max {
            max = ABBREVIATIONS[k].len();
        }
        k += 1;
    }
    max
};

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '"' | '\'' | '”' | '’' | ')' | ']' | '»'
    )
}

/// Sentences of `text`, trimmed of surrounding whitespace.
///
/// A sentence ends at `.`, `!` or `?` (with any closing quotes and brackets)
/// followed by whitespace or the end, except after a known abbreviation
/// (`e.g.`, `Dr.`), a single-letter initial, or when the next word starts
/// with a lower-case letter. Text without a final stop is a sentence too.
/// Only sentences with at least one letter or digit are returned.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    while pos < text.len() {
        if start.is_none() {
            // A sentence starts at the first character that is not whitespace
            // (never after a stop, which is not whitespace itself).
            match first_non_space(text, pos) {
                Some(k) => start = Some(k),
                None => break,
            }
        }
        // The stops are ASCII: jump to the next one.
        let Some(off) = memchr::memchr3(b'.', b'!', b'?', &bytes[pos..]) else {
            break;
        };
        let i = pos + off;
        let mut end = i + 1;
        while let Some(n) = text[end..].chars().next().filter(|&n| is_closer(n)) {
            end += n.len_utf8();
        }
        pos = end;
        if !(end == text.len() || starts_with_space(text, end)) {
            continue;
        }
        if bytes[i] == b'.' && !ends_sentence(text, i, end) {
            continue;
        }
        if let Some(s) = start.take() {
            if has_alphanumeric(&text[s..end]) {
                out.push(s..end);
            }
        }
    }
    if let Some(s) = start {
        let end = s + text[s..].trim_end().len();
        if has_alphanumeric(&text[s..end]) {
            out.push(s..end);
        }
    }
    out
}

/// Whether the full stop at `i`, with its closers up to `end`, ends a
/// sentence: not after an initial or a known abbreviation, and not before a
/// lower-case word.
fn ends_sentence(text: &str, i: usize, end: usize) -> bool {
    let before = &text[..i];
    let word = before
        .char_indices()
        .rfind(|(_, c)| c.is_whitespace())
        .map_or(before, |(k, c)| &before[k + c.len_utf8()..]);
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    let mut wc = word.chars();
    let initial = wc.next().is_some_and(char::is_uppercase) && wc.next().is_none();
    let next_lower = text[end..]
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    // The abbreviations are ASCII and no non-ASCII letter lower-cases to one
    // of their letters, so an ASCII comparison is exact.
    let abbreviation = word.len() <= LONGEST_ABBREVIATION
        && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word));
    !(initial || next_lower || abbreviation)
}

/// The first byte at or after `from` that starts a non-whitespace char.
fn first_non_space(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut k = from;
    while k < bytes.len() {
        let (c, l) = char_at(text, k);
        if !c.is_whitespace() {
            return Some(k);
        }
        k += l;
    }
    None
}

/// Whether the char at byte `k` (a char boundary before the end) is whitespace.
fn starts_with_space(text: &str, k: usize) -> bool {
    char_at(text, k).0.is_whitespace()
}

/// `text.chars().any(char::is_alphanumeric)`, without decoding ASCII.
fn has_alphanumeric(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_alphanumeric())
        || !text.is_ascii() && text.chars().any(|c| !c.is_ascii() && c.is_alphanumeric())
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '\u{2011}')
}

/// Byte ranges of the words of `text`: runs of letters and digits, joined by
/// an apostrophe or hyphen between letters (`don't`, `risk-free`) and by `.`
/// or `,` between digits (`2.5`, `10,000`).
pub fn word_spans(text: &str) -> Vec<Range<usize>> {
    WordSpans::new(text).collect()
}

/// The words of a text one by one, as [`word_spans`] finds them, without
/// collecting them.
pub struct WordSpans<'t> {
    text: &'t str,
    pos: usize,
    /// The last word counted was made of ASCII letters only.
    plain: bool,
}

impl<'t> WordSpans<'t> {
    /// The words of `text`.
    pub fn new(text: &'t str) -> Self {
        WordSpans {
            text,
            pos: 0,
            plain: false,
        }
    }

    /// The next word and its [`syllables`], counted while the word is read
    /// when it is made of ASCII letters only (most words). Inlined: it runs
    /// once per word, and a call costs as much as a short word.
    #[inline(always)]
    pub fn next_counted(&mut self) -> Option<(Range<usize>, usize)> {
        self.scan::<true>()
    }

    /// Whether the word [`WordSpans::next_counted`] gave last is made of
    /// ASCII letters only.
    pub fn was_plain(&self) -> bool {
        self.plain
    }

    /// The next word; with `COUNT`, also its syllables (0 without).
    #[inline]
    fn scan<const COUNT: bool>(&mut self) -> Option<(Range<usize>, usize)> {
        let (text, bytes) = (self.text, self.text.as_bytes());
        let len = text.len();
        let mut pos = self.pos;
        // Skip to the first letter or digit.
        loop {
            if pos >= len {
                self.pos = pos;
                return None;
            }
            let b = bytes[pos];
            if b < 0x80 {
                if b.is_ascii_alphanumeric() {
                    break;
                }
                pos += 1;
                continue;
            }
            let (c, l) = char_at(text, pos);
            if c.is_alphanumeric() {
                break;
            }
            pos += l;
        }
        let start = pos;
        // Vowel runs, while the word is ASCII letters only (`plain`).
        let (mut runs, mut in_vowels, mut plain) = (0, false, true);
        loop {
            // Runs of ASCII letters and digits without decoding: eight bytes
            // at a time while eight are left, then one by one.
            while pos + 8 <= len {
                let mut chunk = [0u8; 8];
                chunk.copy_from_slice(&bytes[pos..pos + 8]);
                let c = Chunk::of(u64::from_le_bytes(chunk));
                // The word's bytes in this chunk, from its start.
                let n = (!c.alnum & HIGH).trailing_zeros() / 8;
                if COUNT && n > 0 {
                    let keep = HIGH >> (8 * (8 - n));
                    let v = c.vowel & keep;
                    // A vowel starts a run unless the byte before is one.
                    let before = v << 8 | u64::from(in_vowels) << 7;
                    runs += (v & !before).count_ones() as usize;
                    in_vowels = v >> (8 * n - 1) & 1 != 0;
                    plain &= c.digit & keep == 0;
                }
                pos += n as usize;
                if n < 8 {
                    break;
                }
            }
            while pos < len {
                let class = ASCII_CLASS[usize::from(bytes[pos])];
                if class == OTHER {
                    break;
                }
                if COUNT {
                    let v = class == VOWEL;
                    runs += usize::from(v && !in_vowels);
                    in_vowels = v;
                    plain &= class != DIGIT;
                }
                pos += 1;
            }
            // Most words end at a space or a punctuation mark that joins nothing.
            if pos >= len || !matches!(bytes[pos], b'\'' | b'-' | b'.' | b',' | 0x80..) {
                break;
            }
            let (n, nl) = char_at(text, pos);
            if n.is_alphanumeric() {
                plain = false;
                pos += nl;
                continue;
            }
            // The char before `pos` is a letter or digit here: a joiner is
            // always followed by one, or it would not have been taken.
            let joiner = is_joiner(n);
            if !(joiner || matches!(n, '.' | ',') && bytes[pos - 1].is_ascii_digit()) {
                break;
            }
            let after = pos + nl;
            let joins = after < len && {
                let (a, _) = char_at(text, after);
                if joiner {
                    a.is_alphanumeric()
                } else {
                    a.is_ascii_digit()
                }
            };
            if !joins {
                break;
            }
            plain = false;
            pos = after;
        }
        self.pos = pos;
        self.plain = COUNT && plain;
        let count = match COUNT {
            false => 0,
            true if plain => plain_adjust(&bytes[start..pos], runs),
            true => syllables(&text[start..pos]),
        };
        Some((start..pos, count))
    }
}

/// The char at byte `i` (a char boundary before the end) and its length,
/// without decoding ASCII.
#[inline]
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        (char::from(b), 1)
    } else {
        let c = text[i..].chars().next().unwrap_or(' ');
        (c, c.len_utf8())
    }
}

/// The low seven bits of each byte.
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The classes of eight bytes at once, as [`ASCII_CLASS`] gives them one by
/// one: the high bit of each byte of a mask is set when that byte is of the
/// class. Bytes from 0x80 are of none.
struct Chunk {
    /// Letters and digits.
    alnum: u64,
    /// Vowels (`a e i o u y`, either case).
    vowel: u64,
    /// Digits.
    digit: u64,
}

impl Chunk {
    fn of(x: u64) -> Chunk {
        let ascii = !x & HIGH;
        let y = x & LOW7;
        let lower = y | (0x20 * ONES);
        let letter = bytes_within(lower, b'a', b'z');
        let digit = bytes_within(y, b'0', b'9') & ascii;
        // A byte equal to `v` is zero after the xor; `z + 0x7f` sets the high
        // bit of every other byte.
        let is = |v: u8| !((lower ^ (u64::from(v) * ONES)) + LOW7) & HIGH;
        let vowel = is(b'a') | is(b'e') | is(b'i') | is(b'o') | is(b'u') | is(b'y');
        Chunk {
            alnum: (letter | digit) & ascii,
            vowel: vowel & ascii,
            digit,
        }
    }
}

/// Byte classes of ASCII for [`WordSpans`]; every byte from 0x80 is `OTHER`.
const OTHER: u8 = 0;
const CONSONANT: u8 = 1;
const VOWEL: u8 = 2;
const DIGIT: u8 = 3;
static ASCII_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let c = (b as u8).to_ascii_lowercase();
        t[b] = match c {
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y' => VOWEL,
            b'a'..=b'z' => CONSONANT,
            b'0'..=b'9' => DIGIT,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

impl Iterator for WordSpans<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        self.scan::<false>().map(|(r, _)| r)
    }
}

/// The words of `text` (see [`word_spans`]).
pub fn words(text: &str) -> Vec<&str> {
    word_spans(text).into_iter().map(|r| &text[r]).collect()
}

/// Estimated syllables of an English word.
///
/// The heuristic, on the lower-cased letters of the word:
/// 1. a word without letters (a number) counts 1, a word of up to 3 letters counts 1;
/// 2. a final `ed` is dropped unless it follows `t` or `d` (`jumped` 1, `needed` 2);
///    a final `es` is dropped unless it follows `s`, `x`, `z`, `c`, `g`, `ch` or `sh`
///    (`likes` 1, `boxes` 2); a final silent `e` is dropped unless the word ends in
///    consonant + `le` (`make` 1, `table` 2);
/// 3. a leading `y` is a consonant;
/// 4. every run of vowels (`a e i o u y`) is one syllable; at least 1.
///
/// It is right for most common words and off by one for some (`create` 1).
pub fn syllables(word: &str) -> usize {
    let b = word.as_bytes();
    if let Some(n) = syllables_plain(b) {
        return n;
    }
    if word.is_ascii() {
        // The lower-cased letters on the stack.
        let mut buf = [0u8; 64];
        let mut n = 0;
        for c in b.iter().filter(|c| c.is_ascii_alphabetic()) {
            if n == buf.len() {
                return syllables_generic(word);
            }
            buf[n] = c.to_ascii_lowercase();
            n += 1;
        }
        if n <= 3 {
            return 1;
        }
        return syllables_of(n, |k| char::from(buf[k]));
    }
    syllables_generic(word)
}

fn syllables_generic(word: &str) -> usize {
    let w: Vec<char> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if w.len() <= 3 {
        return 1;
    }
    syllables_of(w.len(), |k| w[k])
}

/// [`syllables`] of a word of ASCII letters only, in one pass; `None` for any
/// other word.
#[inline]
fn syllables_plain(b: &[u8]) -> Option<usize> {
    let mut runs = 0;
    let mut in_vowels = false;
    for &c in b {
        let class = ASCII_CLASS[usize::from(c)];
        if !matches!(class, VOWEL | CONSONANT) {
            return None;
        }
        let v = class == VOWEL;
        runs += usize::from(v && !in_vowels);
        in_vowels = v;
    }
    Some(plain_adjust(b, runs))
}

/// [`syllables`] of a word of ASCII letters only, given its number of vowel
/// runs: takes off the runs that steps 2 and 3 would not have counted (a
/// dropped final `e` that was a run of its own, after a consonant, and a
/// leading `y` before a consonant).
#[inline]
fn plain_adjust(b: &[u8], runs: usize) -> usize {
    let n = b.len();
    if n <= 3 {
        return 1;
    }
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    let at = |k: usize| b[k] | 0x20;
    // The `e` that step 2 drops, if any: of `ed`, `es` or a final silent `e`.
    let dropped_e = if at(n - 2) == b'e' && at(n - 1) == b'd' {
        (!matches!(at(n - 3), b't' | b'd')).then_some(n - 2)
    } else if at(n - 2) == b'e' && at(n - 1) == b's' {
        let sibilant = matches!(at(n - 3), b's' | b'x' | b'z' | b'c' | b'g')
            || (at(n - 3) == b'h' && matches!(at(n - 4), b'c' | b's'));
        (!sibilant).then_some(n - 2)
    } else if at(n - 1) == b'e' {
        let consonant_le = at(n - 2) == b'l' && !vowel(at(n - 3));
        (!consonant_le).then_some(n - 1)
    } else {
        None
    };
    let mut count = runs;
    if dropped_e.is_some_and(|k| !vowel(at(k - 1))) {
        count -= 1;
    }
    if at(0) == b'y' && !vowel(at(1)) {
        count -= 1;
    }
    count.max(1)
}

/// Step 2 to 4 of [`syllables`] on the `n` (more than 3) lower-cased letters of a word.
#[inline]
fn syllables_of(n: usize, at: impl Fn(usize) -> char) -> usize {
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut end = n;
    if at(n - 2) == 'e' && at(n - 1) == 'd' {
        if !matches!(at(n - 3), 't' | 'd') {
            end = n - 2;
        }
    } else if at(n - 2) == 'e' && at(n - 1) == 's' {
        let sibilant = matches!(at(n - 3), 's' | 'x' | 'z' | 'c' | 'g')
            || (at(n - 3) == 'h' && matches!(at(n - 4), 'c' | 's'));
        if !sibilant {
            end = n - 2;
        }
    } else if at(n - 1) == 'e' {
        let consonant_le = at(n - 2) == 'l' && !vowel(at(n - 3));
        if !consonant_le {
            end = n - 1;
        }
    }
    let start = usize::from(at(0) == 'y');
    let mut count = 0;
    let mut in_vowels = false;
    for k in start..end.max(start) {
        let v = vowel(at(k));
        if v && !in_vowels {
            count += 1;
        }
        in_vowels = v;
    }
    count.max(1)
}

/// Counts behind a Flesch–Kincaid grade; add them up over several texts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextStats {
    /// Sentences.
    pub sentences: usize,
    /// Words.
    pub words: usize,
    /// Syllables.
    pub syllables: usize,
}

impl TextStats {
    /// The counts of `text`.
    pub fn of(text: &str) -> TextStats {
        TextStats {
            sentences: sentences(text).len(),
            ..TextStats::of_sentence(text)
        }
    }

    /// The counts of `text` taken as one sentence, in one pass over its
    /// words and without allocating.
    pub fn of_sentence(text: &str) -> TextStats {
        let mut st = TextStats {
            sentences: 1,
            words: 0,
            syllables: 0,
        };
        for r in WordSpans::new(text) {
            st.words += 1;
            st.syllables += syllables(&text[r]);
        }
        st
    }

    /// Adds another text's counts.
    pub fn add(&mut self, other: TextStats) {
        self.sentences += other.sentences;
        self.words += other.words;
        self.syllables += other.syllables;
    }

    /// `0.39 × words/sentence + 11.8 × syllables/word − 15.59`; `None` without words.
    pub fn grade(&self) -> Option<f64> {
        if self.words == 0 {
            return None;
        }
        let w = self.words as f64;
        let s = self.sentences.max(1) as f64;
        Some(0.39 * w / s + 11.8 * self.syllables as f64 / w - 15.59)
    }
}

/// The Flesch–Kincaid grade level of `text` (US school grade); `None` without words.
pub fn flesch_kincaid_grade(text: &str) -> Option<f64> {
    TextStats::of(text).grade()
}

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "cannot", "nor", "neither", "none", "nothing", "without", "unlikely",
];
const COMMA_CONJUNCTIONS: &[&str] = &[
    "and", "or", "but", "so", "yet", "nor", "while", "whereas", "although", "though", "because",
];
const BARE_CONJUNCTIONS: &[&str] = &["but", "however", "although", "whereas"];

fn normalize_word(w: &str) -> String {
    w.to_lowercase().replace('’', "'")
}

/// `w` lower-cased with `’` as `'` (as [`normalize_word`]), into `buf`:
/// without allocating for ASCII words.
fn normalize_into<'b>(w: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    if w.is_ascii() {
        buf.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        buf.push_str(&normalize_word(w));
    }
    buf
}

/// Whether the text's word `raw` normalizes to `norm` (a normalized word).
/// An ASCII word normalizes to its ASCII lower case, and `norm` has no
/// upper-case ASCII, so comparing ignoring ASCII case is exact.
fn norm_eq(norm: &str, raw: &str, buf: &mut String) -> bool {
    if raw.is_ascii() {
        norm.eq_ignore_ascii_case(raw)
    } else {
        norm == normalize_into(raw, buf)
    }
}

fn is_negation(w: &str) -> bool {
    NEGATIONS.contains(&w) || w.ends_with("n't")
}

/// Claim phrases prepared once for [`ClaimMatcher::find`]: normalized words,
/// grouped by the first byte of their first word.
#[derive(Debug, Clone)]
pub struct ClaimMatcher {
    phrases: Vec<Vec<String>>,
    /// Per first byte of the first word, the indices of the phrases.
    by_first: Vec<Vec<usize>>,
    /// A filter over ASCII words: entry `length` has bit `first letter` set
    /// (low half) when some claim's first word, negation or conjunction has
    /// that length and first letter, and bit `last letter` (high half) when
    /// one has that length and last letter. An ASCII word missing either bit
    /// is none of them, so most words cost one lookup.
    special: [u64; 32],
}

/// The filter entry of an ASCII word: (length capped at 31, bits of its
/// lower-cased first and last bytes, each folded into 32 bits).
fn special_key(w: &[u8]) -> (usize, u64) {
    let bit = |b: u8| 1u64 << (b.to_ascii_lowercase() & 31);
    (w.len().min(31), bit(w[0]) | bit(w[w.len() - 1]) << 32)
}

impl ClaimMatcher {
    /// Prepares `phrases` (empty ones are ignored).
    pub fn new(phrases: &[String]) -> Self {
        let phrases: Vec<Vec<String>> = phrases
            .iter()
            .map(|p| words(p).into_iter().map(normalize_word).collect::<Vec<_>>())
            .filter(|p| !p.is_empty())
            .collect();
        let mut by_first = vec![Vec::new(); 256];
        let mut special = [0u64; 32];
        let firsts = phrases.iter().map(|p| p[0].as_str());
        let lists = NEGATIONS
            .iter()
            .chain(COMMA_CONJUNCTIONS)
            .chain(BARE_CONJUNCTIONS);
        for w in firsts.chain(lists.copied()) {
            let (len, bit) = special_key(w.as_bytes());
            special[len] |= bit;
        }
        for (k, p) in phrases.iter().enumerate() {
            by_first[usize::from(p[0].as_bytes()[0])].push(k);
        }
        ClaimMatcher {
            phrases,
            by_first,
            special,
        }
    }

    /// Unnegated claim phrases in `text`; see [`claims`].
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        if self.phrases.is_empty() {
            return Vec::new();
        }
        self.find_in(text, &word_spans(text))
    }

    /// As [`ClaimMatcher::find`], given the [`word_spans`] of `text`.
    ///
    /// Most words are none of the claims, negations or conjunctions, and most
    /// text holds no negation, so the clause stops after a negation are looked
    /// for only when a later word could be a claim: a word is negated when the
    /// latest negation before it has no clause end after it, and each gap is
    /// searched at most once.
    pub fn find_in(&self, text: &str, spans: &[Range<usize>]) -> Vec<Range<usize>> {
        self.find_at(text, spans, 0..spans.len())
    }

    /// Whether an ASCII word may matter to [`ClaimMatcher::find_in`] (a
    /// claim's first word, a negation or a conjunction). Every other word of
    /// ASCII letters only can be left out of the `looks` of
    /// [`ClaimMatcher::find_at`].
    pub fn may_matter(&self, plain_word: &[u8]) -> bool {
        let (len, bits) = special_key(plain_word);
        self.special[len] & bits == bits
    }

    /// As [`ClaimMatcher::find_in`], reading only the words at `looks`
    /// (indices into `spans`, in order): it must hold every word that is not
    /// made of ASCII letters only, and those that [`ClaimMatcher::may_matter`].
    pub fn find_at(
        &self,
        text: &str,
        spans: &[Range<usize>],
        looks: impl IntoIterator<Item = usize>,
    ) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        if self.phrases.is_empty() {
            return out;
        }
        let bytes = text.as_bytes();
        let gap = |j: usize| {
            let from = if j == 0 { 0 } else { spans[j - 1].end };
            &bytes[from..spans[j].start]
        };
        let all_ascii = text.is_ascii();
        let mut buf = String::new();
        // The latest negation's clause may still be open; the gaps up to
        // word `checked` have no clause stop.
        let mut negated = false;
        let mut checked = 0;
        let mut covered_until = 0;
        for i in looks {
            let rb = &bytes[spans[i].clone()];
            // An ASCII word is compared case-insensitively as it is; any
            // other is normalized into `buf` first.
            let ascii = all_ascii || rb.is_ascii();
            let special = !ascii || self.may_matter(rb);
            if !special {
                // Not a negation, conjunction or claim: only a contraction
                // can change anything.
                if ends_in_nt(rb) {
                    (negated, checked) = (true, i);
                }
                continue;
            }
            let raw = &text[spans[i].clone()];
            if negated {
                negated = !(checked + 1..=i).any(|j| {
                    gap(j)
                        .iter()
                        .any(|b| matches!(b, b'.' | b';' | b':' | b'!' | b'?'))
                });
                checked = i;
            }
            let w = if ascii {
                raw
            } else {
                normalize_into(raw, &mut buf)
            };
            let is = |list: &[&str]| {
                if ascii {
                    list.iter().any(|x| x.eq_ignore_ascii_case(w))
                } else {
                    list.contains(&w)
                }
            };
            if gap(i).contains(&b',') && is(COMMA_CONJUNCTIONS) || is(BARE_CONJUNCTIONS) {
                negated = false;
            }
            if i >= covered_until && !negated {
                if let Some(len) = self.longest_at(text, spans, i, w, ascii) {
                    out.push(spans[i].start..spans[i + len - 1].end);
                    covered_until = i + len;
                }
            }
            let negation = if ascii {
                is(NEGATIONS) || ends_in_nt(w.as_bytes())
            } else {
                is_negation(w)
            };
            if negation {
                (negated, checked) = (true, i);
            }
        }
        out
    }

    /// The word count of the longest phrase starting at word `i` (`w`, its
    /// normalized or ASCII form).
    fn longest_at(
        &self,
        text: &str,
        spans: &[Range<usize>],
        i: usize,
        w: &str,
        ascii: bool,
    ) -> Option<usize> {
        let mut other = String::new();
        let first = w.as_bytes()[0].to_ascii_lowercase();
        let mut best: Option<usize> = None;
        for &k in &self.by_first[usize::from(first)] {
            let p = &self.phrases[k];
            if i + p.len() > spans.len()
                || best.is_some_and(|b| b >= p.len())
                || !(if ascii {
                    p[0].eq_ignore_ascii_case(w)
                } else {
                    p[0] == w
                })
            {
                continue;
            }
            let rest_match = (1..p.len()).all(|j| {
                let r = &spans[i + j];
                norm_eq(&p[j], &text[r.clone()], &mut other)
                    && text[spans[i + j - 1].end..r.start].trim().is_empty()
            });
            if rest_match {
                best = Some(p.len());
            }
        }
        best
    }
}

/// Whether an ASCII word ends in `n't` (any case).
fn ends_in_nt(w: &[u8]) -> bool {
    matches!(w, [.., n, b'\'', t] if n | 0x20 == b'n' && t | 0x20 == b't')
}

/// Unnegated claim phrases of `phrases` in `text` (see the module doc for
/// clauses and negation), as byte ranges from the first to the last word.
/// To search many texts for the same phrases, prepare a [`ClaimMatcher`] once.
pub fn claims(text: &str, phrases: &[String]) -> Vec<Range<usize>> {
    ClaimMatcher::new(phrases).find(text)
}

const VAGUE: &[&str] = &[
    "here",
    "click here",
    "click",
    "this page",
    "this link",
    "this",
    "link",
    "more",
    "read more",
    "learn more",
    "go here",
];

/// `s` lower-cased, its words joined by single spaces. Lower-casing word by
/// word equals lower-casing the joined text: a final sigma is decided within
/// its word.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        // The ASCII chars `split_whitespace` splits at (with the vertical tab).
        let mut space = false;
        for &b in s.as_bytes() {
            if matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
                space = !out.is_empty();
            } else {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        return out;
    }
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

/// Whether link text says nothing about its target ("click here", "read more", "this").
/// Compared case-insensitively after trimming punctuation and spaces.
pub fn vague_link_text(text: &str) -> bool {
    let t = normalize(text.trim_matches(|c: char| !c.is_alphanumeric()));
    VAGUE.contains(&t.as_str())
}

#[cfg(test)]
#[path = "text_reference.rs"]
mod reference;

#[cfg(test)]
mod fast_equals_reference {
    use super::*;
    use proptest::prelude::*;

    /// Texts made of the pieces the scanners treat specially.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just(" "),
            Just("  "),
            Just("\n"),
            Just("\t"),
            Just("\u{b}"),
            Just("\u{a0}"),
            Just("\u{2003}"),
            Just("."),
            Just(","),
            Just(";"),
            Just(":"),
            Just("!"),
            Just("?"),
            Just("'"),
            Just("’"),
            Just("-"),
            Just("\u{2011}"),
            Just("\""),
            Just("”"),
            Just(")"),
            Just("»"),
            Just("("),
            Just("e.g."),
            Just("Dr."),
            Just("J."),
            Just("2.5"),
            Just("10,000"),
            Just("3"),
            Just("cure"),
            Just("Cures"),
            Just("CURED"),
            Just("guaranteed"),
            Just("no"),
            Just("No"),
            Just("side"),
            Just("effects"),
            Just("not"),
            Just("cannot"),
            Just("can't"),
            Just("won’t"),
            Just("and"),
            Just("But"),
            Just("however"),
            Just("or"),
            Just("the"),
            Just("muscle"),
            Just("jumped"),
            Just("needed"),
            Just("boxes"),
            Just("table"),
            Just("make"),
            Just("yoga"),
            Just("rhythm"),
            Just("Ärger"),
            Just("éclair"),
            Just("naïve"),
            Just("straße"),
            Just("Ωmega"),
            Just("٣"),
            Just("x"),
            Just("risk-free"),
            Just("agreed"),
            Just("likes"),
            Just("catches"),
            Just("washes"),
            Just("ybbe"),
            Just("Yes"),
            Just("style"),
            Just("bottle"),
            Just("apple"),
            Just("eyed"),
            Just("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ];
        prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn sentences_words_syllables_and_claims(t in text()) {
            prop_assert_eq!(sentences(&t), reference::sentences(&t));
            let spans = word_spans(&t);
            prop_assert_eq!(&spans, &reference::WordSpans::new(&t).collect::<Vec<_>>());
            for r in &spans {
                prop_assert_eq!(syllables(&t[r.clone()]), reference::syllables(&t[r.clone()]));
            }
            // Counted while scanning: the same words, each with its syllables.
            let mut counted = WordSpans::new(&t);
            let mut k = 0;
            while let Some((r, n)) = counted.next_counted() {
                prop_assert_eq!(&r, &spans[k]);
                prop_assert_eq!(n, reference::syllables(&t[r.clone()]));
                k += 1;
            }
            prop_assert_eq!(k, spans.len());
            let phrases: Vec<String> = ["cure", "cures", "no side effects", "guaranteed", "éclair"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let m = ClaimMatcher::new(&phrases);
            prop_assert_eq!(m.find_in(&t, &spans), reference::find_in(&m, &t, &spans));
            // Only the words that may matter, as the body rules pass them.
            let mut words = WordSpans::new(&t);
            let mut looks = Vec::new();
            while let Some((r, _)) = words.next_counted() {
                let k = spans.iter().position(|s| *s == r).unwrap();
                if !words.was_plain() || m.may_matter(&t.as_bytes()[r]) {
                    looks.push(k);
                }
            }
            prop_assert_eq!(m.find_at(&t, &spans, looks), m.find_in(&t, &spans));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn found<'a>(text: &'a str, phrases: &[&str]) -> Vec<&'a str> {
        claims(text, &s(phrases))
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn claims_respect_negation() {
        let p = crate::config::lint::DEFAULT_CLAIM_WORDS;
        assert!(found("Massage cannot cure arthritis.", p).is_empty());
        assert_eq!(found("This cures back pain.", p), ["cures"]);
        let t = "This cures back pain.";
        assert_eq!(claims(t, &s(p)), vec![5..10]);
        // A plain "and" does not end the clause.
        assert!(found("It will not help and it cures nothing.", p).is_empty());
        // A comma and a conjunction do.
        assert_eq!(
            found("It will not help, and it cures everything.", p),
            ["cures"]
        );
        assert!(found("Exercise can't cure it; rest won't either.", p).is_empty());
        assert!(found("Exercise can’t cure it.", p).is_empty());
        assert_eq!(found("It isn't cheap. But it cures.", p), ["cures"]);
        assert_eq!(found("It is not cheap but it cures.", p), ["cures"]);
        assert!(found("Surgery cannot prevent or cure it.", p).is_empty());
        assert!(found("No treatment is guaranteed to work.", p).is_empty());
        assert_eq!(found("This has no side effects.", p), ["no side effects"]);
        assert_eq!(found("A MIRACLE treatment", p), ["MIRACLE"]);
        // Whole words only.
        assert!(found("Curettage and secure footing.", p).is_empty());
        // Negation after the claim does not count.
        assert_eq!(
            found("Miracle cures do not exist.", p),
            ["Miracle", "cures"]
        );
        // Longest phrase once.
        assert_eq!(found("a permanent cure", p), ["permanent cure"]);
        assert_eq!(found("risk-free!", p), ["risk-free"]);
        assert!(found("", p).is_empty());
        assert!(found("cure", &[]).is_empty());
    }

    #[test]
    fn sentence_split() {
        let t = "Dr. Smith said so. See e.g. the NHS page! Is it 2.5 mg? Yes";
        let got: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            got,
            [
                "Dr. Smith said so.",
                "See e.g. the NHS page!",
                "Is it 2.5 mg?",
                "Yes"
            ]
        );
        let t = "  He said \"stop.\" Then J. R. left.  ";
        let got: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(got, ["He said \"stop.\"", "Then J. R. left."]);
        assert!(sentences("  ... ").is_empty());
    }

    #[test]
    fn word_split() {
        assert_eq!(
            words("Don't take 2.5 mg — it's risk-free, they say; 10,000 people-"),
            [
                "Don't",
                "take",
                "2.5",
                "mg",
                "it's",
                "risk-free",
                "they",
                "say",
                "10,000",
                "people"
            ]
        );
        assert_eq!(words("é-à ß"), ["é-à", "ß"]);
    }

    #[test]
    fn syllable_heuristic() {
        for (w, n) in [
            ("the", 1),
            ("cat", 1),
            ("table", 2),
            ("water", 2),
            ("beautiful", 3),
            ("arthritis", 3),
            ("inflammation", 4),
            ("people", 2),
            ("make", 1),
            ("likes", 1),
            ("boxes", 2),
            ("needed", 2),
            ("jumped", 1),
            ("yesterday", 3),
            ("2026", 1),
        ] {
            assert_eq!(syllables(w), n, "{w}");
        }
    }

    #[test]
    fn fk_grade() {
        // 6 words, 6 syllables, 1 sentence: 0.39*6 + 11.8 - 15.59 = -1.45.
        let g = flesch_kincaid_grade("The cat sat on the mat.").unwrap();
        assert!((g - -1.45).abs() < 0.01, "{g}");
        let hard = "Osteoarthritis is a degenerative musculoskeletal condition characterised \
                    by progressive deterioration of articular cartilage and subchondral bone.";
        let g = flesch_kincaid_grade(hard).unwrap();
        assert!(g > 16.0, "{g}");
        let easy = "Rest your knee. Put ice on it. See a doctor if it gets worse.";
        let g = flesch_kincaid_grade(easy).unwrap();
        assert!(g < 3.0, "{g}");
        assert_eq!(flesch_kincaid_grade(""), None);
    }

    #[test]
    fn vague_links() {
        for t in [
            "here",
            "Click here.",
            " this page ",
            "READ MORE",
            "more…",
            "link",
            "this",
        ] {
            assert!(vague_link_text(t), "{t}");
        }
        for t in ["knee pain", "the NHS page on gout", "here is why"] {
            assert!(!vague_link_text(t), "{t}");
        }
    }

    #[test]
    fn prose_excludes_code_tables_html_and_short_items() {
        let md = "Intro **bold** and [a link](https://x.org/é) with `code` here.\n\
                  \n```\ncode block cures\n```\n\n| a | b |\n|---|---|\n| cure | x |\n\n\
                  <div>html cures</div>\n\n- ibuprofen\n- paracetamol\n- a long enough item here\n\n\
                  ![alt cures](x.png) after\n";
        let p = prose(md);
        let texts: Vec<String> = p
            .iter()
            .map(|p| p.text.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            texts,
            [
                "Intro bold and a link with here.",
                "a long enough item here",
                "after"
            ]
        );
        for p in &p {
            assert_eq!(p.text.len(), p.range.len());
            // Offsets map straight back into the Markdown.
            for w in word_spans(&p.text) {
                assert_eq!(
                    &p.text[w.clone()],
                    &md[w.start + p.range.start..w.end + p.range.start]
                );
            }
        }
        assert!(p[1].list_item && !p[0].list_item);
    }

    #[test]
    fn callouts_are_detected() {
        let md = "> [!EMERGENCY]\n> Call 112 now if you cannot breathe.\n\n\
                  > [!NOTE]\n> Notes are fine.\n\n> plain quote text\n";
        let a = analyze(md);
        let kinds: Vec<&str> = a.callouts.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["EMERGENCY", "NOTE"]);
        assert_eq!(&md[a.callouts[0].range.clone()], "> [!EMERGENCY]");
        assert_eq!(a.prose.len(), 3);
        assert_eq!(a.prose[0].callout.as_deref(), Some("EMERGENCY"));
        assert_eq!(
            a.prose[0].text.trim(),
            "Call 112 now if you cannot breathe."
        );
        assert_eq!(a.prose[1].callout.as_deref(), Some("NOTE"));
        assert_eq!(a.prose[2].callout, None);
    }

    #[test]
    fn headings_and_order() {
        let md = "## A\n\ntext\n\n#### B {#b}\n\n# C\n\nSetext\n------\n";
        let h = headings(md);
        let levels: Vec<u8> = h.iter().map(|h| h.0).collect();
        assert_eq!(levels, [2, 4, 1, 2]);
        assert_eq!(&md[h[1].1.clone()], "#### B {#b}");
        assert_eq!(&md[h[3].1.clone()], "Setext");
        assert_eq!(
            heading_order(&levels),
            [
                (1, HeadingProblem::Skipped { from: 2, to: 4 }),
                (2, HeadingProblem::SecondH1)
            ]
        );
        assert_eq!(
            heading_order(&[3]),
            [(0, HeadingProblem::Skipped { from: 1, to: 3 })]
        );
        assert!(heading_order(&[2, 3, 3, 2, 3]).is_empty());
    }

    #[test]
    fn images_and_links() {
        let md =
            "![](a.png) ![ ](b.png) ![ok](c.png)\n\n[here](@/x.md) and [*the* `gout` page](y)\n";
        let imgs = images_without_alt(md);
        assert_eq!(imgs.len(), 2);
        assert_eq!(&md[imgs[0].clone()], "![](a.png)");
        let a = analyze(md);
        assert_eq!(a.links.len(), 2);
        assert_eq!(a.links[0].text, "here");
        assert_eq!(a.links[0].dest, "@/x.md");
        assert_eq!(&md[a.links[0].text_range.clone()], "here");
        assert_eq!(a.links[1].text, "the gout page");
        assert_eq!(&md[a.links[1].text_range.clone()], "*the* `gout` page");
        assert_eq!(links(md)[0].2.clone(), a.links[0].range.clone());
    }

    mod prop {
        use super::super::*;
        use proptest::prelude::*;

        fn check(text: &str, ranges: &[Range<usize>]) {
            for r in ranges {
                assert!(r.start <= r.end && r.end <= text.len(), "{r:?}");
                assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            }
        }

        proptest! {
            #[test]
            fn never_panic(s in "(\\PC|[\\n>#*_`\\[\\]()!.,;:?'’ -]|cure|not|\\[!NOTE\\]|- ){0,80}") {
                let a = analyze(&s);
                for p in &a.prose {
                    check(&s, std::slice::from_ref(&p.range));
                    assert_eq!(p.text.len(), p.range.len());
                    check(&p.text, &sentences(&p.text));
                    check(&p.text, &claims(&p.text, &["cure".into(), "no side effects".into()]));
                }
                check(&s, &a.images_without_alt);
                check(&s, &a.headings.iter().map(|h| h.range.clone()).collect::<Vec<_>>());
                check(&s, &a.links.iter().map(|l| l.text_range.clone()).collect::<Vec<_>>());
                check(&s, &sentences(&s));
                check(&s, &word_spans(&s));
                check(&s, &claims(&s, &["cure".into(), "no side effects".into()]));
                let _ = flesch_kincaid_grade(&s);
                let _ = vague_link_text(&s);
            }
        }
    }
}
