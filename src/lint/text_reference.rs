//! The lint's text functions as first written: plain and slow, kept as the
//! specification that the fast versions in the parent module are tested against.

use std::ops::Range;

use super::{
    is_closer, is_joiner, is_negation, norm_eq, normalize_into, ClaimMatcher, ABBREVIATIONS,
    BARE_CONJUNCTIONS, COMMA_CONJUNCTIONS, NEGATIONS,
};

pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    while pos < text.len() {
        if start.is_none() {
            // A sentence starts at the first character that is not whitespace
            // (never after a stop, which is not whitespace itself).
            match text[pos..].char_indices().find(|(_, c)| !c.is_whitespace()) {
                Some((k, _)) => start = Some(pos + k),
                None => break,
            }
        }
        // The stops are ASCII: jump to the next one.
        let Some(off) = bytes[pos..]
            .iter()
            .position(|b| matches!(b, b'.' | b'!' | b'?'))
        else {
            break;
        };
        let i = pos + off;
        let c = char::from(bytes[i]);
        let mut end = i + 1;
        while let Some(n) = text[end..].chars().next().filter(|&n| is_closer(n)) {
            end += n.len_utf8();
        }
        pos = end;
        let rest = &text[end..];
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            continue;
        }
        if c == '.' {
            let before = &text[..i];
            let word = before
                .char_indices()
                .rfind(|(_, c)| c.is_whitespace())
                .map_or(before, |(k, c)| &before[k + c.len_utf8()..]);
            let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
            let mut wc = word.chars();
            let initial = wc.next().is_some_and(char::is_uppercase) && wc.next().is_none();
            let next_lower = rest
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            // The abbreviations are ASCII and no non-ASCII letter lower-cases
            // to one of their letters, so an ASCII comparison is exact.
            if initial || next_lower || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word)) {
                continue;
            }
        }
        if let Some(s) = start.take() {
            if text[s..end].chars().any(char::is_alphanumeric) {
                out.push(s..end);
            }
        }
    }
    if let Some(s) = start {
        let end = s + text[s..].trim_end().len();
        if text[s..end].chars().any(char::is_alphanumeric) {
            out.push(s..end);
        }
    }
    out
}

pub struct WordSpans<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> WordSpans<'t> {
    pub fn new(text: &'t str) -> Self {
        WordSpans { text, pos: 0 }
    }
}

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

impl Iterator for WordSpans<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let text = self.text;
        let len = text.len();
        loop {
            if self.pos >= len {
                return None;
            }
            let (c, l) = char_at(text, self.pos);
            if !c.is_alphanumeric() {
                self.pos += l;
                continue;
            }
            let start = self.pos;
            let mut end = start + l;
            let mut last = c;
            self.pos = end;
            while self.pos < len {
                let (n, nl) = char_at(text, self.pos);
                if n.is_alphanumeric() {
                    end = self.pos + nl;
                    last = n;
                    self.pos = end;
                } else if is_joiner(n) && last.is_alphanumeric()
                    || matches!(n, '.' | ',') && last.is_ascii_digit()
                {
                    let after = self.pos + nl;
                    let joins = after < len && {
                        let (a, _) = char_at(text, after);
                        if is_joiner(n) {
                            a.is_alphanumeric()
                        } else {
                            a.is_ascii_digit()
                        }
                    };
                    if !joins {
                        break;
                    }
                    self.pos = after;
                    end = after;
                    last = n;
                } else {
                    break;
                }
            }
            return Some(start..end);
        }
    }
}

pub fn syllables(word: &str) -> usize {
    if word.is_ascii() {
        // The common case: the lower-cased letters on the stack.
        let mut buf = [0u8; 64];
        let mut n = 0;
        for b in word.bytes().filter(u8::is_ascii_alphabetic) {
            if n == buf.len() {
                return syllables_generic(word);
            }
            buf[n] = b.to_ascii_lowercase();
            n += 1;
        }
        if n <= 3 {
            return 1;
        }
        return syllables_of(&buf[..n]);
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
    syllables_of(&w)
}

fn syllables_of<C: Copy + Into<char>>(w: &[C]) -> usize {
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let at = |k: usize| -> char { w[k].into() };
    let n = w.len();
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

pub fn find_in(m: &ClaimMatcher, text: &str, spans: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if m.phrases.is_empty() {
        return out;
    }
    let mut buf = String::new();
    let mut other = String::new();
    let mut negated = false;
    let mut covered_until = 0;
    for i in 0..spans.len() {
        let gap = if i == 0 {
            &text[..spans[0].start]
        } else {
            &text[spans[i - 1].end..spans[i].start]
        };
        let raw = &text[spans[i].clone()];
        // An ASCII word is compared case-insensitively as it is; any
        // other is normalized into `buf` first.
        let ascii = raw.is_ascii();
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
        let gap = gap.as_bytes();
        if gap
            .iter()
            .any(|b| matches!(b, b'.' | b';' | b':' | b'!' | b'?'))
            || gap.contains(&b',') && is(COMMA_CONJUNCTIONS)
            || is(BARE_CONJUNCTIONS)
        {
            negated = false;
        }
        if i >= covered_until && !negated {
            let first = w.as_bytes()[0].to_ascii_lowercase();
            let mut best: Option<usize> = None;
            for &k in &m.by_first[usize::from(first)] {
                let p = &m.phrases[k];
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
            if let Some(len) = best {
                out.push(spans[i].start..spans[i + len - 1].end);
                covered_until = i + len;
            }
        }
        let negation = if ascii {
            is(NEGATIONS)
                || w.len() >= 3 && w.as_bytes()[w.len() - 3..].eq_ignore_ascii_case(b"n't")
        } else {
            is_negation(w)
        };
        if negation {
            negated = true;
        }
    }
    out
}
