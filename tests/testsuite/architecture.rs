//! The shape ARCHITECTURE.md promises, checked: every module imports only the
//! layers below it, and every diagnostic code has a fixture under tests/.

use std::collections::BTreeMap;
use std::path::Path;

/// What each top-level module of `src/` may import (besides itself). The
/// order is the layering of ARCHITECTURE.md, bottom first.
const ALLOWED: &[(&str, &[&str])] = &[
    ("diagnostics", &[]),
    ("outpath", &[]),
    ("inputs", &[]),
    ("config", &["diagnostics", "outpath"]),
    ("model", &["config", "diagnostics"]),
    ("markdown", &["config", "diagnostics", "inputs"]),
    ("output", &["diagnostics", "outpath"]),
    ("search", &["config", "diagnostics", "output"]),
    ("content", &["model", "config", "diagnostics", "outpath"]),
    ("derived", &["model", "markdown", "config", "inputs"]),
    (
        "links",
        &[
            "model",
            "derived",
            "markdown",
            "config",
            "diagnostics",
            "inputs",
        ],
    ),
    (
        "health",
        &["model", "derived", "markdown", "config", "diagnostics"],
    ),
    (
        "lint",
        &["model", "derived", "markdown", "config", "diagnostics"],
    ),
    (
        "metadata",
        &[
            "model",
            "derived",
            "markdown",
            "health",
            "config",
            "diagnostics",
        ],
    ),
    (
        "render",
        &[
            "model",
            "derived",
            "markdown",
            "metadata",
            "health",
            "config",
            "diagnostics",
            "outpath",
            "search",
            "inputs",
        ],
    ),
    ("external", &["model", "derived", "markdown", "diagnostics"]),
    (
        "pipeline",
        &[
            "model",
            "derived",
            "content",
            "links",
            "health",
            "lint",
            "metadata",
            "render",
            "external",
            "output",
            "markdown",
            "config",
            "diagnostics",
            "outpath",
            "search",
            "inputs",
        ],
    ),
    ("console", &["pipeline", "diagnostics"]),
    ("cmd", &["pipeline", "console", "config", "diagnostics"]),
    (
        "serve",
        &[
            "pipeline",
            "console",
            "output",
            "outpath",
            "model",
            "config",
            "diagnostics",
            "search",
        ],
    ),
];

/// The top-level module of each file under `src/`, with every `crate::x`
/// it names outside comments.
fn imports() -> BTreeMap<String, Vec<(String, String)>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for e in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let module = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for part in code.split("crate::").skip(1) {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name != module && !name.is_empty() {
                    out.entry(module.clone())
                        .or_default()
                        .push((name, format!("src/{rel}:{}", n + 1)));
                }
            }
        }
    }
    out
}

/// The layering violations in `imports`, as readable lines.
fn violations(imports: &BTreeMap<String, Vec<(String, String)>>) -> Vec<String> {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut bad = Vec::new();
    for (module, uses) in imports {
        let Some(ok) = allowed.get(module.as_str()) else {
            bad.push(format!("module `{module}` has no place in the layering; add it to ALLOWED and ARCHITECTURE.md"));
            continue;
        };
        for (name, at) in uses {
            if !ok.contains(&name.as_str()) {
                bad.push(format!(
                    "{at}: `{module}` imports `{name}`, which is not below it"
                ));
            }
        }
    }
    bad
}

#[test]
fn every_module_imports_only_layers_below_it() {
    let bad = violations(&imports());
    assert!(bad.is_empty(), "layering violations:\n{}", bad.join("\n"));
}

#[test]
fn the_layering_check_catches_an_upward_import() {
    // The same check on the real imports plus one that goes up a layer.
    let mut found = imports();
    found
        .entry("render".into())
        .or_default()
        .push(("pipeline".into(), "src/render/mod.rs:1".into()));
    let bad = violations(&found);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].contains("`render` imports `pipeline`"), "{bad:?}");
}

#[test]
fn architecture_md_names_every_module_and_only_real_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    for (module, _) in ALLOWED {
        assert!(
            doc.contains(&format!("`{module}")),
            "ARCHITECTURE.md has no line for `{module}`"
        );
    }
    // Every `src/…` path the map names exists.
    for part in doc.split("`src/").skip(1) {
        let path: String = part.chars().take_while(|&c| c != '`').collect();
        assert!(
            root.join("src").join(&path).exists(),
            "ARCHITECTURE.md names src/{path}, which does not exist"
        );
    }
}

#[test]
fn every_diagnostic_code_has_a_fixture() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut corpus = String::new();
    for e in walkdir::WalkDir::new(&tests)
        .into_iter()
        .filter_map(Result::ok)
    {
        let p = e.path();
        let is_fixture = p.extension().is_some_and(|x| x == "snap" || x == "rs");
        if is_fixture && !p.ends_with("architecture.rs") {
            corpus.push_str(&std::fs::read_to_string(p).unwrap_or_default());
        }
    }
    let missing: Vec<&str> = fascia::diagnostics::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !corpus.contains(&format!("[{c}]")) && !corpus.contains(&format!("\"{c}\"")))
        .collect();
    assert!(
        missing.is_empty(),
        "these codes have no fixture under tests/ (a snapshot showing `error[code]`, or a test naming \"code\"): {missing:?}"
    );
}
