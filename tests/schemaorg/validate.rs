//! An offline schema.org checker for the test suite (a module, not a test binary).
//!
//! Include it with `#[path = "schemaorg/validate.rs"] mod validate;`, load the
//! vocabulary beside this file once ([`Vocab::load`]) and call [`validate`] on
//! each JSON-LD document. It reports every `@type` that is not a schema.org
//! type, and every property that schema.org does not define
//! (`schema:domainIncludes`) for the object's type or any of its ancestors
//! (`rdfs:subClassOf`, transitively). It recurses into nested objects and
//! arrays (and a top-level `@graph`). `@context`, `@type` and `@id` are allowed
//! everywhere; an object whose `@type` is a data type (`Date`, `URL`, …) is not
//! looked into. Objects without `@type` are not checked themselves, but their
//! values are. Ranges (`schema:rangeIncludes`) are not checked.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

/// The types and properties of a schema.org vocabulary release.
#[derive(Debug, Default)]
pub struct Vocab {
    /// Every type (`rdfs:Class`) with its direct parents, names without `schema:`.
    parents: HashMap<String, Vec<String>>,
    /// Types that are data types (`schema:DataType` and its subtypes, e.g. `Text`, `URL`).
    data_types: HashSet<String>,
    /// Every property with the types it is defined on (`schema:domainIncludes`).
    domains: HashMap<String, Vec<String>>,
}

fn local(name: &str) -> &str {
    ["schema:", "https://schema.org/", "http://schema.org/"]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name)
}

/// The `@id`s of a node reference or an array of them, keeping only schema.org names.
fn ids(value: Option<&Value>) -> Vec<String> {
    let one = |v: &Value| {
        v.get("@id")
            .and_then(Value::as_str)
            .filter(|id| id.starts_with("schema:"))
            .map(|id| local(id).to_string())
    };
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// The `@type` of a node as a list of strings.
fn types(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

impl Vocab {
    /// Reads a schema.org JSON-LD release such as `schemaorg-current-https.jsonld`.
    pub fn load(path: impl AsRef<Path>) -> Vocab {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let doc: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        Vocab::from_json(&doc)
    }

    /// Builds the vocabulary from a parsed release (`{"@graph": [...]}`).
    pub fn from_json(doc: &Value) -> Vocab {
        let mut vocab = Vocab::default();
        let graph = doc["@graph"]
            .as_array()
            .expect("a schema.org release has @graph");
        for node in graph {
            let Some(id) = node.get("@id").and_then(Value::as_str) else {
                continue;
            };
            if !id.starts_with("schema:") {
                continue;
            }
            let name = local(id).to_string();
            let node_types = types(node.get("@type"));
            if node_types.contains(&"rdfs:Class") {
                if node_types.contains(&"schema:DataType") {
                    vocab.data_types.insert(name.clone());
                }
                vocab.parents.insert(name, ids(node.get("rdfs:subClassOf")));
            } else if node_types.contains(&"rdf:Property") {
                vocab
                    .domains
                    .insert(name, ids(node.get("schema:domainIncludes")));
            }
        }
        vocab
    }

    /// True if `name` is a schema.org type.
    pub fn is_type(&self, name: &str) -> bool {
        self.parents.contains_key(local(name))
    }

    /// True if `name` is a schema.org property.
    pub fn is_property(&self, name: &str) -> bool {
        self.domains.contains_key(local(name))
    }

    /// `name` and all its ancestors.
    pub fn ancestors(&self, name: &str) -> HashSet<String> {
        let mut seen = HashSet::new();
        let mut todo = vec![local(name).to_string()];
        while let Some(t) = todo.pop() {
            if seen.insert(t.clone()) {
                if let Some(ps) = self.parents.get(&t) {
                    todo.extend(ps.iter().cloned());
                }
            }
        }
        seen
    }

    /// True if `name` is `DataType` or one of the data types (`Text`, `URL`, `Date`, …).
    pub fn is_data_type(&self, name: &str) -> bool {
        let name = local(name);
        name == "DataType"
            || self
                .ancestors(name)
                .iter()
                .any(|t| t == "DataType" || self.data_types.contains(t))
    }

    /// True if schema.org defines `property` on `type_name` or one of its ancestors.
    pub fn has_property(&self, type_name: &str, property: &str) -> bool {
        let Some(domains) = self.domains.get(local(property)) else {
            return false;
        };
        let ancestors = self.ancestors(type_name);
        domains.iter().any(|d| ancestors.contains(d))
    }
}

/// Every problem in `doc`, one line each, naming the JSON path
/// (`$.citation[0].isPartOf`). Empty when the document is valid.
pub fn validate(doc: &Value, vocab: &Vocab) -> Vec<String> {
    let mut problems = Vec::new();
    walk(doc, "$", vocab, &mut problems);
    problems
}

fn walk(value: &Value, path: &str, vocab: &Vocab, problems: &mut Vec<String>) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), vocab, problems);
            }
        }
        Value::Object(map) => {
            let node_types = match map.get("@type") {
                None => Vec::new(),
                Some(t @ (Value::String(_) | Value::Array(_))) => {
                    let ts = types(Some(t));
                    if ts.len() != t.as_array().map_or(1, Vec::len) {
                        problems.push(format!("{path}: @type must be a string or strings"));
                    }
                    ts
                }
                Some(_) => {
                    problems.push(format!("{path}: @type must be a string or strings"));
                    Vec::new()
                }
            };
            let mut known = Vec::new();
            for t in &node_types {
                if vocab.is_type(t) {
                    known.push(*t);
                } else {
                    problems.push(format!("{path}: unknown type `{t}`"));
                }
            }
            if known.iter().any(|t| vocab.is_data_type(t)) {
                return;
            }
            for (key, child) in map {
                let child_path = format!("{path}.{key}");
                match key.as_str() {
                    "@context" | "@type" | "@id" => continue,
                    "@graph" => {
                        walk(child, &child_path, vocab, problems);
                        continue;
                    }
                    _ => {}
                }
                if !vocab.is_property(key) {
                    problems.push(format!("{child_path}: unknown property `{key}`"));
                } else if !known.is_empty() && !known.iter().any(|t| vocab.has_property(t, key)) {
                    problems.push(format!(
                        "{child_path}: `{key}` is not a property of `{}`",
                        known.join("`, `")
                    ));
                }
                walk(child, &child_path, vocab, problems);
            }
        }
        _ => {}
    }
}
