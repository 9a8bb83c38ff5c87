//! The files of the index, made from the pages read: the JSON of each is
//! written straight from the pages' data, then compressed, file by file in
//! parallel.

use std::collections::BTreeMap;
use std::io::{self, Write};

use hashbrown::HashTable;
use rayon::prelude::*;
use serde_json::json;

use super::page::Doc;
use super::DIR;

/// Pages per file of page data.
const CHUNK: usize = 20;

/// A word and its postings: page id, score, part, page id…; ids ascend.
/// The postings stay in the runs that gathered them, one piece per run,
/// in page order: copying them into one list would hold them twice.
type Posting<'r> = (&'r str, Vec<&'r [u32]>);

/// One file of the index, before it is written.
enum File<'d> {
    /// Words that share a shard key, in order.
    Words(Vec<&'d Posting<'d>>),
    /// A chunk of pages.
    Pages(&'d [&'d Doc]),
    /// The pages of each value of one filter.
    Filter(&'d BTreeMap<&'d str, Vec<u32>>),
}

/// Consecutive pages as one thread read them: their words' postings.
#[derive(Default)]
pub(super) struct Run {
    /// The id of the first page.
    first: u32,
    /// How many pages.
    pages: u32,
    postings: Gather,
}

impl Run {
    /// Adds the words of page `id`, the one after the run's last.
    pub(super) fn push<'w>(
        &mut self,
        id: u32,
        words: impl Iterator<Item = (u64, &'w str, u32, u16)>,
    ) {
        if self.pages == 0 {
            self.first = id;
        }
        assert_eq!(id, self.first + self.pages, "pages out of order");
        for (hash, word, score, part) in words {
            self.postings
                .list(hash, word)
                .extend([id, score, u32::from(part)]);
        }
        self.pages += 1;
    }
}

/// The files of the index of `docs` (a page's id is its place among them)
/// with the postings of their words in `runs`, with their output paths,
/// sorted by path.
pub(super) fn files(docs: &[&Doc], mut runs: Vec<Run>) -> io::Result<Vec<(String, Vec<u8>)>> {
    runs.retain(|r| r.pages > 0);
    runs.sort_unstable_by_key(|r| r.first);
    let postings = join(&runs, docs.len());
    let mut shards: BTreeMap<String, Vec<&Posting>> = BTreeMap::new();
    for p in &postings {
        shards.entry(shard_key(p.0)).or_default().push(p);
    }
    let filters = filters(docs);
    let meta_filters: BTreeMap<&str, BTreeMap<&str, usize>> = filters
        .iter()
        .map(|(name, values)| {
            let counts = values.iter().map(|(v, ids)| (*v, ids.len())).collect();
            (*name, counts)
        })
        .collect();
    let meta = json!({
        "version": 1,
        "docs": docs.len(),
        "chunk": CHUNK,
        "shards": shards.keys().collect::<Vec<_>>(),
        "filters": meta_filters,
    });

    let mut jobs: Vec<(String, File)> = Vec::new();
    for (key, words) in shards {
        jobs.push((format!("{DIR}/w/{key}.gz"), File::Words(words)));
    }
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        jobs.push((format!("{DIR}/d/{n}.gz"), File::Pages(chunk)));
    }
    for (name, values) in &filters {
        let path = format!("{DIR}/f/{}.gz", file_key(name));
        jobs.push((path, File::Filter(values)));
    }
    let mut files = jobs
        .into_par_iter()
        .map(|(path, file)| Ok((path, gzip(&file.json()?)?)))
        .collect::<io::Result<Vec<_>>>()?;
    files.push((format!("{DIR}/meta.json"), meta.to_string().into_bytes()));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// Every word of `runs` (in page order, covering `pages` pages) with its
/// postings, sorted by word.
fn join(runs: &[Run], pages: usize) -> Vec<Posting<'_>> {
    let mut next = 0;
    for run in runs {
        assert_eq!(run.first, next, "runs leave out pages");
        next += run.pages;
    }
    assert_eq!(next as usize, pages, "runs leave out pages");
    // Indices into `merged`, by the words' hashes.
    let mut table: HashTable<u32> = HashTable::new();
    let mut merged: Vec<(u64, &str, Vec<&[u32]>)> = Vec::new();
    for run in runs {
        for (hash, word, ids) in &run.postings.words {
            match table.find(*hash, |&i| merged[i as usize].1 == word) {
                Some(&i) => merged[i as usize].2.push(ids),
                None => {
                    table.insert_unique(*hash, merged.len() as u32, |&i| merged[i as usize].0);
                    merged.push((*hash, word, vec![ids]));
                }
            }
        }
    }
    let mut list: Vec<Posting> = merged.into_iter().map(|(_, w, ids)| (w, ids)).collect();
    list.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    list
}

/// Postings by word, with the hashes the pages' words come with.
#[derive(Default)]
struct Gather {
    /// Indices into `words`, by hash.
    table: HashTable<u32>,
    words: Vec<(u64, String, Vec<u32>)>,
}

impl Gather {
    /// The postings of `word`, empty when it is new.
    fn list(&mut self, hash: u64, word: &str) -> &mut Vec<u32> {
        let i = match self.find(hash, word) {
            Some(i) => i,
            None => self.insert(hash, word.to_string(), Vec::new()),
        };
        &mut self.words[i].2
    }

    fn find(&self, hash: u64, word: &str) -> Option<usize> {
        let found = self.table.find(hash, |&i| self.words[i as usize].1 == word);
        found.map(|&i| i as usize)
    }

    fn insert(&mut self, hash: u64, word: String, list: Vec<u32>) -> usize {
        let Gather { table, words } = self;
        table.insert_unique(hash, words.len() as u32, |&i| words[i as usize].0);
        words.push((hash, word, list));
        words.len() - 1
    }
}

/// For each filter, its values and the ids of the pages that have each.
fn filters<'d>(docs: &[&'d Doc]) -> BTreeMap<&'d str, BTreeMap<&'d str, Vec<u32>>> {
    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (id, doc) in docs.iter().enumerate() {
        let id = id as u32;
        for (name, value) in &doc.filters {
            let ids = filters.entry(name).or_default().entry(value).or_default();
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
    }
    filters
}

impl File<'_> {
    /// The file's JSON. Page ids are written as the difference to the one
    /// before, which keeps the numbers small.
    fn json(&self) -> serde_json::Result<Vec<u8>> {
        match self {
            File::Words(words) => {
                let mut out = vec![b'{'];
                let mut deltas = Vec::new();
                for (n, (word, pieces)) in words.iter().enumerate() {
                    if n > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut out, word)?;
                    out.push(b':');
                    deltas.clear();
                    let mut prev = 0;
                    for p in pieces.iter().flat_map(|piece| piece.chunks_exact(3)) {
                        deltas.extend([p[0] - prev, p[1], p[2]]);
                        prev = p[0];
                    }
                    serde_json::to_writer(&mut out, &deltas)?;
                }
                out.push(b'}');
                Ok(out)
            }
            File::Pages(docs) => {
                let rows: Vec<_> = docs
                    .iter()
                    .map(|d| {
                        let section = d.filters.iter().find(|(k, _)| k == "section");
                        let section = section.map_or("", |(_, v)| v.as_str());
                        (&d.path, &d.title, section, &d.parts)
                    })
                    .collect();
                serde_json::to_vec(&rows)
            }
            File::Filter(values) => {
                let deltas: BTreeMap<&str, Vec<u32>> = values
                    .iter()
                    .map(|(v, ids)| {
                        let mut prev = 0;
                        let d = ids.iter().map(|&i| i - std::mem::replace(&mut prev, i));
                        (*v, d.collect())
                    })
                    .collect();
                serde_json::to_vec(&deltas)
            }
        }
    }
}

/// The file of a word: its first two letters when they are plain ASCII, `_` otherwise.
fn shard_key(word: &str) -> String {
    let key: String = word.chars().take(2).collect();
    file_key(&key)
}

fn file_key(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        s.to_string()
    } else if s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !s.is_empty()
    {
        s.to_ascii_lowercase()
    } else {
        "_".to_string()
    }
}

fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut enc = flate2::GzBuilder::new().write(
        Vec::with_capacity(bytes.len() / 3),
        // The fastest level: the index is small either way, and this is the build's time.
        flate2::Compression::fast(),
    );
    enc.write_all(bytes)?;
    enc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_go_to_files_by_their_first_letters() {
        assert_eq!(shard_key("trapezius"), "tr");
        assert_eq!(shard_key("été"), "_");
        assert_eq!(shard_key("3"), "3");
        assert_eq!(file_key("body_areas"), "body_areas");
    }
}
