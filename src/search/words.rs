//! Words as the index keeps them, counted per page, and the synonyms that
//! add words to a page.

use hashbrown::HashTable;
use memchr::memmem::Finder;
use xxhash_rust::xxh3::xxh3_64;

/// No further cell.
const END: u32 = u32::MAX;

/// The weighted count of one word in one part of a page; `next` is the
/// word's next cell.
struct Cell {
    part: u16,
    count: u32,
    next: u32,
}

/// A distinct word of a page: where it stands in the page's word text, its
/// hash, its count in the part it was last read in, and its cells of the
/// other parts. A page is read part after part, so a word read again is
/// nearly always counted in its entry alone.
struct Entry {
    hash: u64,
    /// The word's [`Cover`], for words of up to 16 bytes.
    cover: Cover,
    at: u32,
    len: u32,
    part: u16,
    count: u32,
    others: u32,
}

impl Entry {
    /// Makes `part` the entry's part, with `weight` more: its count so far
    /// trades places with the entry's, or the entry's goes to a new cell.
    fn switch(&mut self, part: u16, weight: u32, cells: &mut Vec<Cell>) {
        let mut at = self.others;
        while at != END && cells[at as usize].part != part {
            at = cells[at as usize].next;
        }
        if at == END {
            cells.push(Cell {
                part: self.part,
                count: self.count,
                next: self.others,
            });
            self.others = (cells.len() - 1) as u32;
            (self.part, self.count) = (part, weight);
        } else {
            let c = &mut cells[at as usize];
            std::mem::swap(&mut c.part, &mut self.part);
            std::mem::swap(&mut c.count, &mut self.count);
            self.count += weight;
        }
    }

    /// The word's total, and the part where it counts most (the first part
    /// on a tie).
    fn total(&self, cells: &[Cell]) -> (u32, u16) {
        let (mut total, mut best) = (self.count, (self.count, self.part));
        let mut at = self.others;
        while at != END {
            let c = &cells[at as usize];
            total += c.count;
            if c.count > best.0 || (c.count == best.0 && c.part < best.1) {
                best = (c.count, c.part);
            }
            at = c.next;
        }
        (total, best.1)
    }
}

/// Counts the words of one page by part. The distinct words are kept one
/// after another in one string, each hashed once per word read, in one call
/// (a `Hasher` would take a short word in many steps). Its buffers serve
/// page after page.
#[derive(Default)]
pub(super) struct Counter {
    text: String,
    table: HashTable<Entry>,
    cells: Vec<Cell>,
    buf: String,
}

impl Counter {
    /// Counts each word of `text` with `weight` in `part`.
    pub(super) fn add(&mut self, text: &str, weight: u32, part: u16) {
        let Counter {
            text: words,
            table,
            cells,
            buf,
        } = self;
        each_word(text, buf, |w| {
            let (bytes, n) = (w.as_bytes(), w.len() as u32);
            let (hash, cover) = hash_and_cover(bytes);
            // A word of up to 16 bytes is equal when its length and cover
            // are: no bytes to compare, and no branch per byte.
            let found = table.find_mut(hash, |e| {
                e.len == n
                    && e.cover == cover
                    && (n <= 16 || &words.as_bytes()[e.at as usize..][..n as usize] == bytes)
            });
            match found {
                Some(e) if e.part == part => e.count += weight,
                Some(e) => e.switch(part, weight, cells),
                None => {
                    let e = Entry {
                        hash,
                        cover,
                        at: words.len() as u32,
                        len: n,
                        part,
                        count: weight,
                        others: END,
                    };
                    table.insert_unique(hash, e, |e| e.hash);
                    words.push_str(w);
                }
            }
        });
    }

    /// The distinct words one after another, how many there are, and each
    /// with its hash, its place in that text, its total and its best part.
    pub(super) fn entries(
        &self,
    ) -> (
        &str,
        usize,
        impl Iterator<Item = (u64, u32, u32, u32, u16)> + '_,
    ) {
        let entries = self.table.iter().map(|e| {
            let (total, part) = e.total(&self.cells);
            (e.hash, e.at, e.len, total, part)
        });
        (&self.text, self.table.len(), entries)
    }

    /// Forgets the words counted; the buffers stay.
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.table.clear();
        self.cells.clear();
    }
}

/// Two reads of a word of 1 to 16 bytes that, with its length, hold every
/// byte of it: two overlapping 8-byte reads, or 4-byte ones, or single
/// bytes. Two words of the same length are equal when their covers are.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Cover(u64, u64);

impl Cover {
    /// The cover of `w`; `None` when it is empty or longer than 16 bytes.
    #[inline]
    fn of(w: &[u8]) -> Option<Cover> {
        let n = w.len();
        if n == 0 || n > 16 {
            return None;
        }
        Some(if n >= 8 {
            Cover(read8(w, 0), read8(w, n - 8))
        } else if n >= 4 {
            Cover(u64::from(read4(w, 0)), u64::from(read4(w, n - 4)))
        } else {
            let (x, y, z) = (u64::from(w[0]), u64::from(w[n / 2]), u64::from(w[n - 1]));
            Cover(x | y << 8 | z << 16, 0)
        })
    }

    /// The hash of the word of length `n` this covers: a few multiplications
    /// (xxh3, which longer words get, takes several times as long on short
    /// ones). Only tables inside the index pass see it.
    #[inline]
    fn hash(self, n: u32) -> u64 {
        const K0: u64 = 0x9e37_79b9_7f4a_7c15;
        const K1: u64 = 0xc2b2_ae3d_27d4_eb4f;
        let m = u128::from(self.0 ^ K0) * u128::from(self.1 ^ K1 ^ u64::from(n));
        (m as u64) ^ ((m >> 64) as u64)
    }
}

/// A word's hash, and its [`Cover`] (the default one for a word longer than
/// 16 bytes, which is compared byte by byte instead).
fn hash_and_cover(w: &[u8]) -> (u64, Cover) {
    match Cover::of(w) {
        Some(c) => (c.hash(w.len() as u32), c),
        None => (xxh3_64(w), Cover::default()),
    }
}

fn read8(w: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(w[at..at + 8].try_into().expect("8 bytes"))
}

fn read4(w: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(w[at..at + 4].try_into().expect("4 bytes"))
}

/// Calls `f` with each word of a text as the index keeps it: lower case,
/// split at anything that is not a letter or digit, plural `s` removed; one
/// letter alone is no word, one digit is. search.js does the same.
pub(super) fn each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Bytes, and characters only where the text is not ASCII.
        let (start, mut ascii, mut upper) = (at, true, false);
        while at < bytes.len() {
            // Most bytes of a word are lower case: a plain loop over those
            // keeps the dispatch below (an indirect jump) to once a word.
            while at < bytes.len() && matches!(BYTES[bytes[at] as usize], Byte::Lower) {
                at += 1;
            }
            let Some(&byte) = bytes.get(at) else {
                break;
            };
            match BYTES[byte as usize] {
                // The loop above took every `Lower` byte: only `Other` ends here.
                Byte::Other | Byte::Lower => break,
                Byte::Upper => {
                    upper = true;
                    at += 1;
                }
                Byte::NotAscii => {
                    let c = text[at..].chars().next().expect("a character starts here");
                    if !c.is_alphanumeric() {
                        break;
                    }
                    ascii = false;
                    at += c.len_utf8();
                }
            }
        }
        if at > start && ascii {
            ascii_word(&text[start..at], upper, buf, &mut f);
        } else if at > start {
            buf.clear();
            buf.extend(text[start..at].chars().flat_map(char::to_lowercase));
            stem(buf);
            let mut chars = buf.chars();
            let first = chars.next();
            if chars.next().is_some() || first.is_some_and(|c| c.is_ascii_digit()) {
                f(buf);
            }
        } else if bytes[at].is_ascii() {
            at += 1;
        } else {
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
}

/// What a byte of text is to [`each_word`].
#[derive(Clone, Copy)]
enum Byte {
    /// ASCII, no letter or digit.
    Other,
    /// A lower-case letter or a digit.
    Lower,
    /// A capital letter.
    Upper,
    /// Part of a character beyond ASCII.
    NotAscii,
}

/// [`Byte`] by value: one look-up per byte instead of several comparisons.
static BYTES: [Byte; 256] = {
    let mut t = [Byte::Other; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'a'..=b'z' | b'0'..=b'9' => Byte::Lower,
            b'A'..=b'Z' => Byte::Upper,
            0x80.. => Byte::NotAscii,
            _ => Byte::Other,
        };
        b += 1;
    }
    t
};

/// [`each_word`] for a word of ASCII letters and digits (`upper`: with a
/// capital). It is stemmed on the text as written, and passed on as a slice
/// of it when it has no capital: lower-casing every word into a buffer and
/// reading its end back for the stem stalled on every word.
fn ascii_word(raw: &str, upper: bool, buf: &mut String, f: &mut impl FnMut(&str)) {
    let b = raw.as_bytes();
    let n = b.len();
    // Lower case, for letters and digits.
    let low = |i: usize| b[i] | 0x20;
    let (keep, y) = if n > 4 && low(n - 1) == b's' && low(n - 2) == b'e' && low(n - 3) == b'i' {
        (n - 3, true)
    } else if n > 3 && low(n - 1) == b's' && !matches!(low(n - 2), b's' | b'u' | b'i') {
        (n - 1, false)
    } else {
        (n, false)
    };
    let word = &raw[..keep];
    let word = if y || upper {
        buf.clear();
        buf.push_str(word);
        buf.make_ascii_lowercase();
        if y {
            buf.push('y');
        }
        buf.as_str()
    } else {
        word
    };
    if word.len() > 1 || b[0].is_ascii_digit() {
        f(word);
    }
}

/// `pains` → `pain`, `injuries` → `injury`; `stress`, `status`, `basis` stay.
fn stem(w: &mut String) {
    let long = |n: usize| w.chars().nth(n).is_some();
    if w.ends_with("ies") && long(4) {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && long(3)
    {
        w.pop();
    }
}

/// One term of a synonym group.
struct Term {
    /// As written in site.toml.
    written: String,
    /// As matched: [`normalise`]d.
    finder: Finder<'static>,
}

/// `[search] synonyms`, normalised for matching.
pub(super) struct Synonyms {
    groups: Vec<Vec<Term>>,
}

impl Synonyms {
    pub(super) fn new(groups: &[Vec<String>]) -> Self {
        Synonyms {
            groups: groups
                .iter()
                .map(|g| {
                    g.iter()
                        .map(|t| Term {
                            written: t.trim().to_string(),
                            finder: Finder::new(&normalise(t)).into_owned(),
                        })
                        .filter(|t| !t.finder.needle().is_empty())
                        .collect::<Vec<_>>()
                })
                .filter(|g| g.len() > 1)
                .collect(),
        }
    }

    /// The terms of every group that `text` uses one term of, and does not
    /// itself contain: what a page is indexed with besides its own words.
    pub(super) fn extra(&self, text: &str) -> Vec<String> {
        if self.groups.is_empty() {
            return Vec::new();
        }
        let text = normalise(text);
        let mut extra: Vec<String> = Vec::new();
        for g in &self.groups {
            if g.iter().any(|t| has_phrase(&text, &t.finder)) {
                for t in g {
                    if !has_phrase(&text, &t.finder) && !extra.contains(&t.written) {
                        extra.push(t.written.clone());
                    }
                }
            }
        }
        extra
    }
}

/// Lower case, typographic apostrophes as `'`, runs of white space as one space.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        let c = match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' => '\'',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.extend(c.to_lowercase());
            space = false;
        }
    }
    out.trim_end().to_string()
}

/// True when the phrase of `finder` occurs in `text` as whole words.
fn has_phrase(text: &str, finder: &Finder<'_>) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    let len = finder.needle().len();
    let mut from = 0;
    while let Some(i) = finder.find(&text.as_bytes()[from..]) {
        let start = from + i;
        let end = start + len;
        if !word(text[..start].chars().next_back()) && !word(text[end..].chars().next()) {
            return true;
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        each_word(text, &mut String::new(), |w| out.push(w.to_string()));
        out
    }

    fn listed(c: &Counter) -> Vec<(String, u32, u16)> {
        let (text, _, entries) = c.entries();
        entries
            .map(|(_, at, len, s, p)| (text[at as usize..][..len as usize].to_string(), s, p))
            .collect()
    }

    #[test]
    fn words_and_stems() {
        let w = words("Heels, stress-injuries & x 3 status");
        assert_eq!(w, ["heel", "stress", "injury", "3", "status"]);
        let w = words("Épaules, ÉTÉ—x é 7 niñas");
        assert_eq!(w, ["épaule", "été", "7", "niña"]);
        let w = words("TIES Injuries BUS Pains ties s 42s");
        assert_eq!(w, ["tie", "injury", "bus", "pain", "tie", "42s"]);
    }

    #[test]
    fn word_hashes_see_every_byte() {
        // A change of any one byte, at every length, changes the hash.
        for n in 1..=20usize {
            let word: Vec<u8> = (0..n as u8).map(|i| b'a' + i).collect();
            for i in 0..n {
                let mut other = word.clone();
                other[i] = b'z';
                assert_ne!(
                    hash_and_cover(&word).0,
                    hash_and_cover(&other).0,
                    "length {n}, byte {i}"
                );
                // The cover reads every byte, so words it finds equal are.
                if n <= 16 {
                    assert!(
                        Cover::of(&word) != Cover::of(&other),
                        "length {n}, byte {i}"
                    );
                }
            }
            assert_ne!(
                hash_and_cover(&word).0,
                hash_and_cover(&word[..n - 1]).0,
                "length {n}"
            );
        }
    }

    #[test]
    fn words_are_counted_by_part() {
        let mut c = Counter::default();
        c.add("heel pain", 10, 0);
        c.add("heel heel", 1, 2);
        c.add("pain", 3, 1);
        c.add("pain", 1, 0);
        let mut w = listed(&c);
        w.sort();
        // heel: 10 in part 0, 2 in part 2; pain: 11 in part 0, 3 in part 1.
        assert_eq!(w, [("heel".into(), 12, 0), ("pain".into(), 14, 0)]);
        let mut c = Counter::default();
        c.add("tie", 1, 3);
        c.add("tie", 1, 1);
        let w = listed(&c);
        assert_eq!(w, [("tie".into(), 2, 1)], "the first part wins a tie");
    }

    #[test]
    fn synonyms_name_the_other_terms_of_a_used_group() {
        let s = Synonyms::new(&[vec![
            "Runner's knee".into(),
            "iliotibial band".into(),
            "ITBS".into(),
        ]]);
        assert_eq!(
            s.extra("Pain of the iliotibial  band."),
            ["Runner's knee", "ITBS"]
        );
        assert!(s.extra("Bands of muscle, runners.").is_empty());
        assert_eq!(s.extra("Runner\u{2019}s knee"), ["iliotibial band", "ITBS"]);
    }

    #[test]
    fn phrases_match_whole_words_only() {
        let heel = Finder::new("heel");
        assert!(has_phrase("a heel b", &heel));
        assert!(!has_phrase("heels", &heel));
        assert!(has_phrase("heels, heel.", &heel));
        assert!(!has_phrase("", &heel));
    }
}
