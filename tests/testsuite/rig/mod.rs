//! The standing hardening rig: fuzz targets over the parsers and passes, a
//! corpus of generated bad inputs, output-path properties, incremental =
//! full, and path traversal against the dev server. Every part is seeded and
//! bounded so it runs in CI: `cargo test --test testsuite rig:: -- --nocapture`
//! prints the figures. See tests/README.md.
//!
//! Coverage-guided fuzzing (cargo-fuzz/libFuzzer, cargo-afl) needs a nightly
//! toolchain or extra tools that CI does not install; the targets here are
//! proptest strategies on stable, seeded from the repository's own files and
//! mutated, so a failure shrinks to a small input and replays from its seed.

mod bad_inputs;
mod fuzz;
mod incremental;
mod out_paths;
mod traversal;

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Markdown files under `dir`, sorted, as (path relative to `dir`, bytes).
pub fn markdown_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The seed corpus of Markdown files: the `basic` fixture and the bundled articles.
pub fn markdown_seeds() -> Vec<String> {
    markdown_files(&repo().join("tests/fixtures/basic/content"))
        .into_iter()
        .chain(markdown_files(&repo().join("content")))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .collect()
}

/// The seed corpus of `site.toml` files.
pub fn config_seeds() -> Vec<String> {
    ["site.toml", "tests/fixtures/basic/site.toml"]
        .iter()
        .map(|p| std::fs::read_to_string(repo().join(p)).unwrap())
        .collect()
}

/// Pieces the mutators splice in: fences, quotes, brackets, links, callouts,
/// paths that try to leave the site, and characters that break escaping.
pub const TOKENS: &[&str] = &[
    "+++",
    "+++\n",
    "\n+++\n",
    "---\n",
    "\"",
    "'''",
    "\"\"\"",
    "[",
    "]",
    "[[faq]]\n",
    "{",
    "}",
    "=",
    "\n",
    "\r\n",
    "\0",
    "\u{feff}",
    "\u{2028}",
    "</script>",
    "<!-- more -->",
    "@/",
    "[x](@/conditions/neck-pain.md#what-it-feels-like)",
    "[y](@/nowhere.md)",
    "[z](#nowhere)",
    "![](missing.png)",
    "> [!WARNING]\n> ",
    "> [!NOTE]\n",
    "```\n",
    "```rust\n",
    "# ",
    "## {#id}",
    "path = \"../../etc\"\n",
    "aliases = [\"/../x\", \"a\\\\b\"]\n",
    "slug = \"..\"\n",
    "paginate_path = \"..\"\n",
    "output_dir = \"../out\"\n",
    "date = 2026-13-45\n",
    "title = \n",
    "é",
    "## Continue reading\n",
    "💥",
    "\u{301}",
    "\t",
    "\\",
    "%2e%2e/",
    ":",
];

/// One edit of a seed.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// XOR one byte with a mask.
    Flip(usize, u8),
    /// Insert one of [`TOKENS`].
    Insert(usize, usize),
    /// Delete a short run of bytes.
    Delete(usize, usize),
    /// Cut the text here.
    Truncate(usize),
    /// Repeat a short run of bytes many times (huge lines).
    Repeat(usize, usize, usize),
    /// Put a byte that is never valid UTF-8.
    BadUtf8(usize),
}

/// Applies `muts` to `seed`, positions taken modulo the current length.
pub fn mutate(seed: &[u8], muts: &[Mutation]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for m in muts {
        let len = b.len();
        let at = |p: usize| if len == 0 { 0 } else { p % (len + 1) };
        match *m {
            Mutation::Flip(p, mask) if len > 0 => b[p % len] ^= mask.max(1),
            Mutation::Flip(..) => {}
            Mutation::Insert(p, t) => {
                let at = at(p);
                b.splice(at..at, TOKENS[t % TOKENS.len()].bytes());
            }
            Mutation::Delete(p, n) => {
                let at = at(p);
                let end = (at + n % 64).min(b.len());
                b.drain(at..end);
            }
            Mutation::Truncate(p) => b.truncate(at(p)),
            Mutation::Repeat(p, n, times) => {
                let at = at(p);
                let end = (at + 1 + n % 8).min(b.len());
                let run = b[at..end].to_vec();
                // Capped: longer runs of repeated headings hit a known quadratic
                // case (see bad_inputs::identical_headings_render_in_linear_time);
                // huge lines come from the 1 MB line of the bad-input corpus.
                let times = times % 1_000;
                let mut rep = Vec::with_capacity(run.len() * times);
                for _ in 0..times {
                    rep.extend_from_slice(&run);
                }
                b.splice(end..end, rep);
            }
            Mutation::BadUtf8(p) => {
                let at = at(p);
                b.insert(at, 0xff);
            }
        }
    }
    b
}

/// Proptest strategies shared by the rig.
pub mod strategies {
    use super::Mutation;
    use proptest::prelude::*;

    /// One mutation; huge repeats and invalid UTF-8 are rarer than the rest.
    pub fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            4 => (any::<usize>(), any::<u8>()).prop_map(|(p, m)| Mutation::Flip(p, m)),
            6 => (any::<usize>(), any::<usize>()).prop_map(|(p, t)| Mutation::Insert(p, t)),
            3 => (any::<usize>(), any::<usize>()).prop_map(|(p, n)| Mutation::Delete(p, n)),
            1 => any::<usize>().prop_map(Mutation::Truncate),
            1 => (any::<usize>(), any::<usize>(), any::<usize>())
                .prop_map(|(p, n, t)| Mutation::Repeat(p, n, t)),
            1 => any::<usize>().prop_map(Mutation::BadUtf8),
        ]
    }

    /// Up to `max` mutations.
    pub fn mutations(max: usize) -> impl Strategy<Value = Vec<Mutation>> {
        proptest::collection::vec(mutation(), 0..=max)
    }
}

/// A small deterministic generator (SplitMix64) for the parts of the rig that
/// are not proptest strategies.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// A random mutation, as the strategy above would make it.
    pub fn mutation(&mut self) -> Mutation {
        let p = self.next() as usize;
        match self.below(16) {
            0..=3 => Mutation::Flip(p, self.next() as u8),
            4..=9 => Mutation::Insert(p, self.next() as usize),
            10..=12 => Mutation::Delete(p, self.next() as usize),
            13 => Mutation::Truncate(p),
            14 => Mutation::Repeat(p, self.next() as usize, self.next() as usize),
            _ => Mutation::BadUtf8(p),
        }
    }
}

/// Every regular file under `dir`, relative, with its bytes; symbolic links are
/// listed by their target (never followed).
pub fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let bytes = if e.file_type().is_symlink() {
                std::fs::read_link(e.path())
                    .unwrap()
                    .to_string_lossy()
                    .as_bytes()
                    .to_vec()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (rel, bytes)
        })
        .collect()
}

/// Wall time of one part of the rig, printed with its figures.
pub fn report(part: &str, figures: &str, started: std::time::Instant) {
    eprintln!(
        "rig: {part}: {figures} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
