//! Templates that would recurse without end, found before anything renders:
//! Tera follows `{% include %}`, `{% extends %}` and macro calls on the stack,
//! so endless recursion would overflow it and abort the process (and `serve`
//! with it).
//!
//! Templates joined by `include`, `extends` and `import` are read from the
//! loaded templates' text; a cycle among them is an error naming the
//! templates. Macros may recurse (the guide theme's table of contents does), so
//! they are bounded instead: every macro on a cycle of calls (`self::name(…)`,
//! `alias::name(…)` through `{% import "x" as alias %}`) gets a hidden depth
//! argument that each call along the cycle raises, and a guard that stops the
//! render with an error naming the macro past [`MAX_MACRO_DEPTH`] levels, well
//! before the stack could overflow.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic};

/// How deep a recursive macro may go: far deeper than a table of contents or
/// a navigation tree needs, and far from the render threads' stack limit.
pub const MAX_MACRO_DEPTH: usize = 100;

/// The hidden argument that counts the depth of recursive macros.
const DEPTH_ARG: &str = "__fascia_depth";

/// A template by name, with where it came from and its text.
pub struct Source<'a> {
    pub name: &'a str,
    pub origin: &'a str,
    pub text: &'a str,
}

/// One `{% … %}` tag: its words after the keyword, and its byte range.
struct Tag<'a> {
    keyword: &'a str,
    rest: &'a str,
    span: Range<usize>,
}

/// The `{% … %}` tags of a template, comments and raw blocks left out.
fn tags(text: &str) -> Vec<Tag<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut raw = false;
    while let Some(open) = text[i..].find("{%").map(|o| o + i) {
        if let Some(comment) = text[i..open].find("{#").map(|c| c + i) {
            i = text[comment..]
                .find("#}")
                .map_or(text.len(), |e| comment + e + 2);
            continue;
        }
        let Some(close) = text[open..].find("%}").map(|c| open + c) else {
            break;
        };
        let inner = text[open + 2..close].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let (keyword, rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        i = close + 2;
        match keyword {
            "raw" => raw = true,
            "endraw" => raw = false,
            _ if raw => {}
            _ => out.push(Tag {
                keyword,
                rest: rest.trim(),
                span: open..close + 2,
            }),
        }
    }
    out
}

/// The quoted strings in `s`, such as the names in `["a.html", "b.html"] ignore missing`.
fn quoted(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find(['"', '\'', '`']) {
        let q = rest[start..].chars().next().unwrap_or('"');
        let after = &rest[start + 1..];
        let Some(end) = after.find(q) else { break };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

/// What [`check`] found: include cycles as errors, and the new text of each
/// template whose recursive macros got a depth guard.
pub struct Checked {
    pub errors: Vec<Diagnostic>,
    pub rewritten: HashMap<String, String>,
    /// Each template with the templates it includes, extends or imports.
    pub edges: HashMap<String, Vec<String>>,
}

/// Finds include cycles and bounds recursive macros.
pub fn check(templates: &[Source<'_>]) -> Checked {
    let by_name: HashMap<&str, &Source<'_>> = templates.iter().map(|t| (t.name, t)).collect();
    let (edges, calls) = graph(templates, &by_name);
    let diags = cycle_errors(&edges, &by_name);
    let rewritten = depth_guards(templates, &by_name, &calls);
    let edges = edges
        .iter()
        .map(|(from, to)| {
            (
                from.to_string(),
                to.iter().map(|(t, _)| t.to_string()).collect(),
            )
        })
        .collect();
    Checked {
        errors: diags,
        rewritten,
        edges,
    }
}

/// A macro: (template, macro name).
type Node<'a> = (&'a str, &'a str);
/// Template → the templates it includes, extends or imports, with the tag's span.
type Edges<'a> = BTreeMap<&'a str, Vec<(&'a str, Range<usize>)>>;
/// Macro → the macros it calls, with the call's span.
type Calls<'a> = BTreeMap<Node<'a>, Vec<(Node<'a>, Range<usize>)>>;

/// Reads the include/extends/import graph and the macro call graph.
fn graph<'a>(
    templates: &[Source<'a>],
    by_name: &HashMap<&'a str, &Source<'a>>,
) -> (Edges<'a>, Calls<'a>) {
    let mut edges: Edges<'a> = BTreeMap::new();
    let mut calls: Calls<'a> = BTreeMap::new();
    for t in templates {
        let mut aliases: HashMap<&str, &str> = HashMap::new();
        aliases.insert("self", t.name);
        let tags = tags(t.text);
        for tag in &tags {
            if matches!(tag.keyword, "include" | "extends" | "import") {
                for target in quoted(tag.rest) {
                    if by_name.contains_key(target) {
                        edges
                            .entry(t.name)
                            .or_default()
                            .push((target, tag.span.clone()));
                    }
                }
                if tag.keyword == "import" {
                    if let (Some(file), Some((_, alias))) =
                        (quoted(tag.rest).first(), tag.rest.rsplit_once(" as "))
                    {
                        aliases.insert(alias.trim(), file);
                    }
                }
            }
        }
        // Macro bodies and the calls in them.
        let mut open: Option<(&str, usize)> = None;
        for tag in &tags {
            match tag.keyword {
                "macro" => {
                    let name = tag.rest.split('(').next().unwrap_or("").trim();
                    open = Some((name, tag.span.end));
                    calls.entry((t.name, name)).or_default();
                }
                "endmacro" => {
                    if let Some((name, from)) = open.take() {
                        let body = &t.text[from..tag.span.start];
                        for (ns, callee, at) in macro_calls(body) {
                            if let Some(file) = aliases.get(ns) {
                                calls
                                    .entry((t.name, name))
                                    .or_default()
                                    .push(((file, callee), from + at.start..from + at.end));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    (edges, calls)
}

/// One error per include cycle, at the tag that closes it.
fn cycle_errors(edges: &Edges<'_>, by_name: &HashMap<&str, &Source<'_>>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for cycle in cycles(edges) {
        let (first, span) = &cycle[0];
        let t = by_name[first];
        let path: Vec<&str> = cycle.iter().map(|(n, _)| *n).chain([*first]).collect();
        let what = if cycle.len() == 1 {
            format!("`{first}` includes itself")
        } else {
            format!("templates include each other: {}", path.join(" → "))
        };
        diags.push(
            Diagnostic::error(Code::TemplateCycle, what)
                .at(t.origin, &Arc::from(t.text), span.clone())
                .label("this leads back here")
                .hint("rendering would never end; remove the tag that closes the loop"),
        );
    }
    diags
}

/// Macros on a call cycle, and the calls between them, get a hidden depth
/// argument and a guard that stops them past [`MAX_MACRO_DEPTH`]; returns
/// the rewritten templates.
fn depth_guards(
    templates: &[Source<'_>],
    by_name: &HashMap<&str, &Source<'_>>,
    calls: &Calls<'_>,
) -> HashMap<String, String> {
    let recursive: HashSet<Node<'_>> = cycles(calls)
        .into_iter()
        .flatten()
        .map(|(n, _)| n)
        .collect();
    let mut edits: BTreeMap<&str, Vec<(usize, String)>> = BTreeMap::new();
    for ((file, name), targets) in calls {
        if !recursive.contains(&(*file, *name)) {
            continue;
        }
        let t = by_name[file];
        for (callee, span) in targets {
            if !recursive.contains(callee) {
                continue;
            }
            if let Some((close, empty)) = closing_paren(t.text, span.end) {
                let sep = if empty { "" } else { ", " };
                edits
                    .entry(file)
                    .or_default()
                    .push((close, format!("{sep}{DEPTH_ARG}={DEPTH_ARG} + 1")));
            }
        }
    }
    for t in templates {
        for tag in tags(t.text) {
            if tag.keyword != "macro" {
                continue;
            }
            let name = tag.rest.split('(').next().unwrap_or("").trim();
            if !recursive.contains(&(t.name, name)) {
                continue;
            }
            let Some(open) = t.text[tag.span.clone()]
                .find('(')
                .map(|i| tag.span.start + i)
            else {
                continue;
            };
            let Some((close, empty)) = closing_paren(t.text, open) else {
                continue;
            };
            let sep = if empty { "" } else { ", " };
            let trim = if t.text[..tag.span.end].ends_with("-%}") {
                "-"
            } else {
                ""
            };
            let message = format!(
                "macro `{name}` in `{}` went {MAX_MACRO_DEPTH} levels deep: it calls itself without end",
                t.name.replace(['"', '\\'], "")
            );
            let file_edits = edits.entry(t.name).or_default();
            file_edits.push((close, format!("{sep}{DEPTH_ARG}=0")));
            file_edits.push((
                tag.span.end,
                format!(
                    "{{% if {DEPTH_ARG} > {MAX_MACRO_DEPTH} %}}{{{{ throw(message=\"{message}\") }}}}{{% endif {trim}%}}"
                ),
            ));
        }
    }
    edits
        .into_iter()
        .map(|(file, mut at)| {
            let mut text = by_name[file].text.to_string();
            at.sort_by_key(|e| std::cmp::Reverse(e.0));
            for (i, insert) in at {
                text.insert_str(i, &insert);
            }
            (file.to_string(), text)
        })
        .collect()
}

/// The offset of the `)` closing the first `(` at or after `from`, and whether
/// nothing but blanks is between them; quoted strings are skipped.
fn closing_paren(text: &str, from: usize) -> Option<(usize, bool)> {
    let open = from + text[from..].find('(')?;
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (i, c) in text[open..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    let at = open + i;
                    return Some((at, text[open + 1..at].trim().is_empty()));
                }
            }
            _ => {}
        }
    }
    None
}

/// `ns::name(` calls in a macro body: (ns, name, span of `ns::name`).
fn macro_calls(body: &str) -> Vec<(&str, &str, Range<usize>)> {
    let mut out = Vec::new();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = body[from..].find("::").map(|i| i + from) {
        let start = body[..i]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| word(c))
            .last()
            .map_or(i, |(j, _)| j);
        let after = &body[i + 2..];
        let len = after.find(|c: char| !word(c)).unwrap_or(after.len());
        let name = &after[..len];
        if start < i && len > 0 && after[len..].trim_start().starts_with('(') {
            out.push((&body[start..i], name, start..i + 2 + len));
        }
        from = i + 2;
    }
    out
}

/// Each cycle of a graph once, as the nodes along it with the span of the edge
/// leaving each; found by depth-first search from every node in order.
fn cycles<N: Copy + Ord>(
    graph: &BTreeMap<N, Vec<(N, Range<usize>)>>,
) -> Vec<Vec<(N, Range<usize>)>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<N: Copy + Ord>(
        n: N,
        graph: &BTreeMap<N, Vec<(N, Range<usize>)>>,
        marks: &mut BTreeMap<N, Mark>,
        stack: &mut Vec<(N, Range<usize>)>,
        found: &mut Vec<Vec<(N, Range<usize>)>>,
        reported: &mut BTreeSet<N>,
    ) {
        marks.insert(n, Mark::Open);
        for (next, span) in graph.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
            stack.push((n, span.clone()));
            match marks.get(next) {
                Some(Mark::Open) => {
                    let at = stack.iter().position(|(m, _)| m == next).unwrap_or(0);
                    let cycle = stack[at..].to_vec();
                    // One error per cycle, whichever of its nodes the search met first.
                    if cycle.iter().all(|(m, _)| !reported.contains(m)) {
                        reported.extend(cycle.iter().map(|(m, _)| *m));
                        found.push(cycle);
                    }
                }
                Some(Mark::Done) => {}
                None => visit(*next, graph, marks, stack, found, reported),
            }
            stack.pop();
        }
        marks.insert(n, Mark::Done);
    }
    let mut marks = BTreeMap::new();
    let mut found = Vec::new();
    let mut reported = BTreeSet::new();
    for &n in graph.keys() {
        if !marks.contains_key(&n) {
            visit(
                n,
                graph,
                &mut marks,
                &mut Vec::new(),
                &mut found,
                &mut reported,
            );
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(templates: &[(&str, &str)]) -> Checked {
        let sources: Vec<Source<'_>> = templates
            .iter()
            .map(|(name, text)| Source {
                name,
                origin: name,
                text,
            })
            .collect();
        check(&sources)
    }

    fn errors(templates: &[(&str, &str)]) -> Vec<String> {
        run(templates)
            .errors
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn finds_include_cycles() {
        assert_eq!(
            errors(&[("a.html", "x{% include \"a.html\" %}")]),
            ["`a.html` includes itself"]
        );
        let m = errors(&[
            ("a.html", "{%- include 'b.html' -%}"),
            ("b.html", "{% extends \"c.html\" %}"),
            ("c.html", "{% include [\"a.html\"] ignore missing %}"),
        ]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("a.html → b.html → c.html → a.html"), "{m:?}");
        assert!(errors(&[
            ("a.html", "{% include \"b.html\" %}{% include \"b.html\" %}"),
            ("b.html", "{# {% include \"a.html\" %} #}"),
        ])
        .is_empty());
    }

    #[test]
    fn bounds_recursive_macros() {
        let c = run(&[(
            "m.html",
            "{% macro tree(n) -%}{% if n > 0 %}{{ self::tree(n=n - 1) }}{% endif %}{% endmacro %}",
        )]);
        assert!(c.errors.is_empty());
        assert_eq!(
            c.rewritten["m.html"],
            "{% macro tree(n, __fascia_depth=0) -%}{% if __fascia_depth > 100 %}{{ throw(message=\"macro `tree` in `m.html` went 100 levels deep: it calls itself without end\") }}{% endif -%}{% if n > 0 %}{{ self::tree(n=n - 1, __fascia_depth=__fascia_depth + 1) }}{% endif %}{% endmacro %}"
        );
        let c = run(&[
            (
                "a.html",
                "{% import \"b.html\" as b %}{% macro x() %}{{ b::y() }}{% endmacro %}{% macro z() %}{{ b::y() }}{% endmacro %}",
            ),
            (
                "b.html",
                "{% macro y() %}{{ self::w(s=\")\") }}{% endmacro %}{% macro w(s) %}{% import \"a.html\" as a %}{{ a::x() }}{% endmacro %}",
            ),
        ]);
        assert!(c.rewritten["a.html"].contains("{% macro x(__fascia_depth=0) %}"));
        assert!(c.rewritten["a.html"].contains("b::y(__fascia_depth=__fascia_depth + 1)"));
        assert!(
            c.rewritten["a.html"].contains("{% macro z() %}{{ b::y() }}"),
            "z is not on the cycle"
        );
        assert!(
            c.rewritten["b.html"].contains("self::w(s=\")\", __fascia_depth=__fascia_depth + 1)")
        );
        // Calling another macro changes nothing.
        assert!(run(&[(
            "m.html",
            "{% macro a() %}{{ self::b() }}{% endmacro %}{% macro b() %}b{% endmacro %}"
        )])
        .rewritten
        .is_empty());
    }
}
