//! A small harness: copy or write a site into a temp dir, run the real
//! `fascia` binary on it, and look at the output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::SystemTime;

use assert_cmd::Command;
use tempfile::TempDir;

/// The five sections of the bundled guide site.
pub const SECTIONS: [&str; 5] = [
    "triggering",
    "acupressure",
    "conditions",
    "application",
    "guides",
];

/// A term list that shows the word count of each term's pages: a body
/// edit changes it. On the `basic` fixture its `neck` line reads
/// `neck: 30 16` once neck-pain.md's "Intro text." gains five words.
pub const WORD_COUNT_TERM_LIST: &str =
    "{% for t in terms %}{{ t.name }}:{% for p in t.pages %} {{ p.word_count }}{% endfor %}\n{% endfor %}";

/// A site in a temp dir.
pub struct SiteTest {
    pub dir: TempDir,
}

impl SiteTest {
    /// An empty site folder.
    pub fn empty() -> Self {
        SiteTest {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A copy of `tests/fixtures/NAME`.
    pub fn fixture(name: &str) -> Self {
        let t = Self::empty();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            t.root(),
        );
        t
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The default output folder.
    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes a file relative to the root, creating folders.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Replaces the first `from` in a site file with `to`, as an editor would;
    /// fails when the file has no `from`.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text =
            std::fs::read_to_string(self.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(text.contains(from), "{rel} lacks {from:?}");
        self.write(rel, text.replacen(from, to, 1))
    }

    /// Runs `fascia ARGS` in the root with `NO_COLOR` set.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    /// Runs `fascia ARGS` in the root like [`SiteTest::run`], with `env` set too.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        Command::cargo_bin("fascia")
            .unwrap()
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .args(args)
            .output()
            .unwrap()
    }

    /// `fascia build`, asserting success.
    pub fn build_ok(&self, args: &[&str]) -> Output {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(out.status.success(), "build failed:\n{}", stderr(&out));
        out
    }

    /// `fascia build`, asserting failure with exit code 1; returns stderr.
    pub fn build_err(&self, args: &[&str]) -> String {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert_eq!(
            out.status.code(),
            Some(1),
            "expected failure, got:\n{}",
            stderr(&out)
        );
        stderr(&out)
    }

    /// `fascia check ARGS`, whatever its exit code.
    pub fn check(&self, args: &[&str]) -> Output {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// What a run printed on stderr, with the temp folder shown as `[ROOT]`
    /// and today's date (which reviews are compared with) made stable.
    pub fn report(&self, out: &Output) -> String {
        stable_dates(&stderr(out).replace(&self.root().display().to_string(), "[ROOT]"))
    }

    /// Reads an output file.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Each finding of a human report as `code file:line:col` (or just the code
/// when it points at no file), in the order printed.
pub fn findings(report: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending: Option<String> = None;
    for line in report.lines() {
        let head = line
            .strip_prefix("error[")
            .or_else(|| line.strip_prefix("warning["));
        if let Some(code) = head.and_then(|h| h.split_once("]: ")).map(|(c, _)| c) {
            out.extend(pending.replace(code.to_string()));
        } else if let Some(at) = line.trim_start().strip_prefix("--> ") {
            if let Some(code) = pending.take() {
                out.push(format!("{code} {at}"));
            }
        }
    }
    out.extend(pending);
    out
}

/// Replaces today's date with `[TODAY]` and the day count of "N days
/// overdue" with `[N]`, so reports about reviews stay the same every day.
pub fn stable_dates(text: &str) -> String {
    let text = text.replace(
        &fascia::model::front_matter::PageDate::today().ymd(),
        "[TODAY]",
    );
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find(" days overdue") {
        let before = &rest[..i];
        let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&before[..before.len() - digits]);
        out.push_str(if digits > 0 { "[N]" } else { "" });
        out.push_str(" days overdue");
        rest = &rest[i + " days overdue".len()..];
    }
    out.push_str(rest);
    out
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir` with a hash of its bytes and its mtime, to prove a folder was not touched.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (u64, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            (
                e.path().to_path_buf(),
                (
                    xxhash_rust::xxh3::xxh3_64(&std::fs::read(e.path()).unwrap()),
                    meta.modified().unwrap(),
                ),
            )
        })
        .collect()
}

/// Every file of an output folder with its bytes, fascia's own files left out.
pub fn output_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .filter(|(rel, _)| !rel.starts_with(".fascia"))
        .collect()
}

fn decode_entities(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Values of `attr="…"` in an HTML text.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(decode_entities(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// Checks that every internal `href`/`src` in every HTML file lands on a file and, with a
/// fragment, on an element id there. Returns the broken ones.
pub fn broken_internal_links(public: &Path, base_url: &str) -> Vec<String> {
    let base = base_url.trim_end_matches('/');
    let mut ids_cache: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let mut broken = Vec::new();
    let html_files: Vec<PathBuf> = walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    for file in &html_files {
        let html = std::fs::read_to_string(file).unwrap();
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        let own_ids = attr_values(&html, "id");
        for link in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            let (path, frag) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            let target: PathBuf = if path.is_empty() {
                file.clone()
            } else if let Some(rest) = path.strip_prefix(base) {
                let rest = rest.split('?').next().unwrap().trim_start_matches('/');
                let p = public.join(rest);
                if rest.is_empty() || rest.ends_with('/') {
                    p.join("index.html")
                } else {
                    p
                }
            } else if path.starts_with("http") || path.starts_with("mailto:") {
                continue;
            } else if path.starts_with('/') {
                broken.push(format!(
                    "{}: root-relative link {link} ignores base_url",
                    file.display()
                ));
                continue;
            } else {
                let p = file.parent().unwrap().join(path.split('?').next().unwrap());
                if path.ends_with('/') {
                    p.join("index.html")
                } else {
                    p
                }
            };
            if !target.is_file() {
                broken.push(format!(
                    "{}: {link} -> missing {}",
                    file.display(),
                    target.display()
                ));
                continue;
            }
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                let ids = if target == *file {
                    own_ids.clone()
                } else {
                    ids_cache
                        .entry(target.clone())
                        .or_insert_with(|| {
                            attr_values(&std::fs::read_to_string(&target).unwrap_or_default(), "id")
                        })
                        .clone()
                };
                if !ids.contains(&f) {
                    broken.push(format!("{}: {link} -> no id {f}", file.display()));
                }
            }
        }
    }
    broken
}
