//! Shortcodes in Zola's syntax, found and expanded before the Markdown is
//! parsed: inline `{{ name(arg="value", n=3, flag=true) }}` and block
//! `{% name(args) %}body{% end %}`. Calls inside code spans and fenced or
//! indented code are left alone; `{{/* name() */}}` and `{%/* name() */%}`
//! write the call literally.
//!
//! This module knows the syntax only: a [`ShortcodeRenderer`] (the render
//! layer's Tera templates) turns a call into text. Markdown output is put in
//! place of the call before parsing; HTML output is put in after rendering,
//! through a placeholder, so Markdown never rewrites it. [`Expanded::remap`]
//! turns positions in the expanded text back into positions in the file, so
//! every later error keeps its line and column.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_json::{Map, Value};

/// What a shortcode template produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortcodeKind {
    /// `templates/shortcodes/NAME.html`: HTML, inserted after Markdown.
    Html,
    /// `templates/shortcodes/NAME.md`: Markdown, rendered with the page.
    Markdown,
}

/// One call, with its arguments as template values.
#[derive(Debug, Clone)]
pub struct ShortcodeCall {
    /// The shortcode's name.
    pub name: String,
    /// Arguments by name.
    pub args: Map<String, Value>,
    /// The body of a block shortcode, as written.
    pub body: Option<String>,
    /// 1 for the first call of this name on the page, and so on.
    pub nth: usize,
}

/// Renders shortcode templates; implemented by the render layer.
pub trait ShortcodeRenderer: Sync {
    /// The kind of shortcode `name`, or `None` when there is no such template.
    fn kind(&self, name: &str) -> Option<ShortcodeKind>;
    /// Every known name, for suggestions.
    fn names(&self) -> Vec<String>;
    /// Renders a call for the page or section described by `caller`
    /// (`{"page": {...}}` or `{"section": {...}}`); the error names the template.
    fn render(&self, call: &ShortcodeCall, caller: &Value) -> Result<String, String>;
}

/// The shortcodes available to one document, and who calls them.
pub struct Shortcodes<'a> {
    /// The templates.
    pub renderer: &'a dyn ShortcodeRenderer,
    /// `{"page": …}` or `{"section": …}`, as far as it is known before rendering.
    pub caller: Value,
}

/// A problem with a call, at its place in the expanded text's source.
#[derive(Debug, Clone)]
pub struct ShortcodeProblem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What is wrong.
    pub message: String,
    /// A likely fix.
    pub hint: Option<String>,
    /// Byte range in the original text (relative to the text given to [`expand`]).
    pub span: Range<usize>,
}

/// The kinds of shortcode problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// No template of that name.
    Unknown,
    /// A block without `{% end %}`.
    Unclosed,
    /// Arguments that do not parse.
    BadArgument,
    /// The template failed.
    Template,
}

/// The text with every call expanded, and how to map positions back.
#[derive(Debug, Default)]
pub struct Expanded {
    /// The text to parse as Markdown.
    pub text: String,
    /// HTML outputs, put in place of their placeholders after rendering.
    pub html: Vec<String>,
    /// (start in `text`, start in the original, length in `text`, length in the original).
    edits: Vec<(usize, usize, usize, usize)>,
    /// What went wrong.
    pub problems: Vec<ShortcodeProblem>,
}

/// Private-use characters around a placeholder's number: Markdown leaves them alone.
const MARK: char = '\u{F8FF}';

fn placeholder(i: usize) -> String {
    format!("{MARK}fascia-shortcode-{i}{MARK}")
}

impl Expanded {
    /// The position in the original text of position `p` of the expanded text.
    pub fn remap(&self, p: usize) -> usize {
        let mut delta: isize = 0;
        for &(new, old, new_len, old_len) in &self.edits {
            if p < new {
                break;
            }
            if p < new + new_len {
                return old;
            }
            delta = (old + old_len) as isize - (new + new_len) as isize;
        }
        (p as isize + delta).max(0) as usize
    }

    /// Puts the HTML outputs in place of their placeholders: a placeholder alone
    /// in a paragraph replaces the paragraph.
    pub fn insert_html(&self, html: &str) -> String {
        if self.html.is_empty() {
            return html.to_string();
        }
        let mut out = html.to_string();
        for (i, h) in self.html.iter().enumerate() {
            let ph = placeholder(i);
            let para = format!("<p>{ph}</p>\n");
            if out.contains(&para) {
                out = out.replacen(&para, &format!("{h}\n"), 1);
            } else {
                out = out.replacen(&ph, h, 1);
            }
        }
        out
    }
}

/// Whether `text` may hold a shortcode call at all (a cheap test first).
pub fn may_contain(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// Byte ranges of code spans and code blocks in `text`.
fn code_ranges(text: &str, opts: Options) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for (ev, range) in Parser::new_ext(text, opts).into_offset_iter() {
        match ev {
            Event::Start(Tag::CodeBlock(_)) => {
                if depth == 0 {
                    out.push(range);
                }
                depth += 1;
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => depth = depth.saturating_sub(1),
            Event::Code(_) if depth == 0 => out.push(range),
            _ => {}
        }
    }
    out
}

/// Expands the calls in `text`.
pub fn expand(text: &str, opts: Options, sc: &Shortcodes<'_>) -> Expanded {
    let code = code_ranges(text, opts);
    let in_code = |i: usize| code.iter().any(|r| r.contains(&i));
    let mut ex = Expanded::default();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut copied = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i + 1 < bytes.len() {
        // Bytes, not text: `i` steps through multi-byte characters too.
        let open = &bytes[i..i + 2];
        if (open != b"{{" && open != b"{%") || in_code(i) {
            i += 1;
            continue;
        }
        let block = open == b"{%";
        if let Some((end, literal)) = literal_call(text, i, block) {
            push_edit(&mut ex, text, &mut copied, i..end, &literal);
            i = end;
            continue;
        }
        i = match call_at(text, i, block, &in_code) {
            None => i + 1,
            Some(Err((problem, next))) => {
                ex.problems.push(problem);
                next
            }
            Some(Ok(call)) => {
                let end = call.span.end;
                render_call(&mut ex, text, &mut copied, sc, &mut counts, call);
                end
            }
        };
    }
    ex.text.push_str(&text[copied..]);
    ex
}

/// `{{/* name() */}}` at `i`: the call, written literally. Its end and the
/// text that replaces it.
fn literal_call(text: &str, i: usize, block: bool) -> Option<(usize, String)> {
    let (open, close) = if block { ("{%", "%}") } else { ("{{", "}}") };
    if !text[i + 2..].starts_with("/*") {
        return None;
    }
    let end_mark = format!("*/{close}");
    let end = text[i + 2..].find(&end_mark)?;
    let inner = text[i + 4..i + 2 + end].trim();
    Some((
        i + 2 + end + end_mark.len(),
        format!("{open} {inner} {close}"),
    ))
}

const ARGUMENTS_HINT: &str = "arguments are `name=value`, separated by commas; values are strings in quotes, numbers, true/false or [arrays]";

/// A call read from the text, before it is rendered.
struct Call<'t> {
    name: &'t str,
    args: Map<String, Value>,
    body: Option<String>,
    /// The whole call, with the body and `{% end %}` of a block.
    span: Range<usize>,
    /// Where its head ends: problems of the call are reported on the head.
    after: usize,
}

/// The call that opens at `i`: `None` when it is no call, else the call or
/// its problem with where to go on reading.
fn call_at<'t>(
    text: &'t str,
    i: usize,
    block: bool,
    in_code: &dyn Fn(usize) -> bool,
) -> Option<Result<Call<'t>, (ShortcodeProblem, usize)>> {
    let close = if block { "%}" } else { "}}" };
    let problem = |kind, message, hint: &str, span: Range<usize>| ShortcodeProblem {
        kind,
        message,
        hint: Some(hint.into()),
        span,
    };
    let (name, args_src, after) = match parse_head(text, i + 2, close)? {
        Ok(h) => h,
        Err((message, at)) => {
            let p = problem(
                ProblemKind::BadArgument,
                message,
                ARGUMENTS_HINT,
                i..at.max(i + 2),
            );
            return Some(Err((p, i + 2)));
        }
    };
    let (body, end) = if block {
        let Some((body_end, end)) = find_end(text, after, in_code) else {
            let message = format!("the block shortcode `{name}` is never closed");
            let p = problem(
                ProblemKind::Unclosed,
                message,
                "add `{% end %}` after its body",
                i..after,
            );
            return Some(Err((p, after)));
        };
        (Some(text[after..body_end].to_string()), end)
    } else {
        (None, after)
    };
    Some(match parse_args(args_src) {
        Ok(args) => Ok(Call {
            name,
            args,
            body,
            span: i..end,
            after,
        }),
        Err(message) => {
            let message = format!("shortcode `{name}`: {message}");
            Err((
                problem(ProblemKind::BadArgument, message, ARGUMENTS_HINT, i..after),
                end,
            ))
        }
    })
}

/// Renders `call` with its template and puts the output in its place;
/// `counts` numbers the calls of each shortcode (`nth`).
fn render_call(
    ex: &mut Expanded,
    text: &str,
    copied: &mut usize,
    sc: &Shortcodes<'_>,
    counts: &mut HashMap<String, usize>,
    call: Call<'_>,
) {
    let head = call.span.start..call.after;
    let Some(kind) = sc.renderer.kind(call.name) else {
        let names = sc.renderer.names();
        let hint = match crate::diagnostics::closest(call.name, names.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None if names.is_empty() => "add templates/shortcodes/NAME.html (or .md)".to_string(),
            None => format!("the shortcodes here are {}", names.join(", ")),
        };
        ex.problems.push(ShortcodeProblem {
            kind: ProblemKind::Unknown,
            message: format!("no shortcode `{}`", call.name),
            hint: Some(hint),
            span: head,
        });
        return;
    };
    let n = counts.entry(call.name.to_string()).or_insert(0);
    *n += 1;
    let rendered = ShortcodeCall {
        name: call.name.to_string(),
        args: call.args,
        body: call.body,
        nth: *n,
    };
    match sc.renderer.render(&rendered, &sc.caller) {
        Ok(out) => {
            let replacement = match kind {
                ShortcodeKind::Markdown => out,
                ShortcodeKind::Html => {
                    ex.html.push(out);
                    placeholder(ex.html.len() - 1)
                }
            };
            push_edit(ex, text, copied, call.span, &replacement);
        }
        Err(message) => ex.problems.push(ShortcodeProblem {
            kind: ProblemKind::Template,
            message,
            hint: None,
            span: head,
        }),
    }
}

/// Where the calls of `text` are written, in order: each inline call, and the
/// opening and `{% end %}` tags of each block (its body is the page's text).
/// The content lint leaves these out of prose.
pub fn call_ranges(text: &str, opts: Options) -> Vec<Range<usize>> {
    if !may_contain(text) {
        return Vec::new();
    }
    let code = code_ranges(text, opts);
    let in_code = |i: usize| code.iter().any(|r| r.contains(&i));
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(j) = text[i..].find('{') {
        let at = i + j;
        let open = text.get(at..at + 2).unwrap_or("");
        if (open != "{{" && open != "{%") || in_code(at) {
            i = at + 1;
            continue;
        }
        let close = if open == "{%" { "%}" } else { "}}" };
        match parse_head(text, at + 2, close) {
            Some(Ok((_, _, after))) => {
                out.push(at..after);
                if open == "{%" {
                    if let Some((body_end, end)) = find_end(text, after, &in_code) {
                        out.push(body_end..end);
                    }
                }
                i = after;
            }
            _ => i = at + 2,
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

fn push_edit(ex: &mut Expanded, text: &str, copied: &mut usize, span: Range<usize>, with: &str) {
    ex.text.push_str(&text[*copied..span.start]);
    ex.edits
        .push((ex.text.len(), span.start, with.len(), span.len()));
    ex.text.push_str(with);
    *copied = span.end;
}

type Head<'t> = Result<(&'t str, &'t str, usize), (String, usize)>;

/// After `{{` or `{%` at `from`: ` name(args) }}`. `None` when this is not a
/// shortcode call at all (no name followed by `(`); an error when it starts
/// like one but does not close.
fn parse_head<'t>(text: &'t str, from: usize, close: &str) -> Option<Head<'t>> {
    let rest = &text[from..];
    let ws = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let name_start = from + ws;
    let name_len = text[name_start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len() - name_start);
    let name = &text[name_start..name_start + name_len];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) || name == "end" {
        return None;
    }
    let paren = name_start + name_len;
    if !text[paren..].starts_with('(') {
        return None;
    }
    // The closing `)`, outside strings and arrays.
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut close_paren = None;
    for (j, c) in text[paren + 1..].char_indices() {
        let at = paren + 1 + j;
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            ')' => {
                close_paren = Some(at);
                break;
            }
            '\n' if text[at + 1..].starts_with('\n') => break,
            _ => {}
        }
    }
    let Some(cp) = close_paren else {
        return Some(Err((
            format!("the arguments of shortcode `{name}` are not closed with `)`"),
            paren + 1,
        )));
    };
    let after_paren = &text[cp + 1..];
    let ws = after_paren.len() - after_paren.trim_start_matches([' ', '\t']).len();
    if !after_paren[ws..].starts_with(close) {
        return Some(Err((
            format!("shortcode `{name}(…)` must be followed by `{close}`"),
            cp + 1,
        )));
    }
    Some(Ok((name, &text[paren + 1..cp], cp + 1 + ws + close.len())))
}

/// The `{% end %}` closing a block whose body starts at `from`: (body end, end of the tag).
fn find_end(text: &str, from: usize, in_code: &dyn Fn(usize) -> bool) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(j) = text[i..].find("{%") {
        let at = i + j;
        let rest = &text[at + 2..];
        let trimmed = rest.trim_start_matches([' ', '\t']);
        if let Some(after_end) = trimmed.strip_prefix("end") {
            let after = after_end.trim_start_matches([' ', '\t']);
            if after.starts_with("%}") && !in_code(at) {
                let end = text.len() - after.len() + 2;
                return Some((at, end));
            }
        }
        i = at + 2;
    }
    None
}

/// `a="x", n=3, flag=true, list=[1, "b"]`.
fn parse_args(src: &str) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    let mut p = ArgParser { s: src, i: 0 };
    loop {
        p.ws();
        if p.done() {
            break;
        }
        let name = p
            .ident()
            .ok_or_else(|| format!("expected an argument name at `{}`", p.rest_preview()))?;
        p.ws();
        if !p.eat('=') {
            return Err(format!("expected `=` after argument `{name}`"));
        }
        p.ws();
        let v = p.value()?;
        out.insert(name.to_string(), v);
        p.ws();
        if p.done() {
            break;
        }
        if !p.eat(',') {
            return Err(format!("expected `,` at `{}`", p.rest_preview()));
        }
    }
    Ok(out)
}

struct ArgParser<'s> {
    s: &'s str,
    i: usize,
}

impl<'s> ArgParser<'s> {
    fn rest(&self) -> &'s str {
        &self.s[self.i..]
    }
    fn rest_preview(&self) -> String {
        self.rest().chars().take(20).collect()
    }
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    fn ws(&mut self) {
        let r = self.rest();
        self.i += r.len() - r.trim_start().len();
    }
    fn eat(&mut self, c: char) -> bool {
        if self.rest().starts_with(c) {
            self.i += c.len_utf8();
            true
        } else {
            false
        }
    }
    fn ident(&mut self) -> Option<&'s str> {
        let r = self.rest();
        let n = r
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(r.len());
        if n == 0 || r.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        self.i += n;
        Some(&r[..n])
    }
    fn value(&mut self) -> Result<Value, String> {
        let r = self.rest();
        let Some(c) = r.chars().next() else {
            return Err("a value is missing".into());
        };
        match c {
            '"' | '\'' | '`' => self.string(c),
            '[' => {
                self.i += 1;
                let mut list = Vec::new();
                loop {
                    self.ws();
                    if self.eat(']') {
                        break;
                    }
                    list.push(self.value()?);
                    self.ws();
                    if self.eat(']') {
                        break;
                    }
                    if !self.eat(',') {
                        return Err(format!("expected `,` or `]` at `{}`", self.rest_preview()));
                    }
                }
                Ok(Value::Array(list))
            }
            _ => {
                let n = r
                    .find(|c: char| c == ',' || c == ']' || c.is_whitespace())
                    .unwrap_or(r.len());
                let word = &r[..n];
                self.i += n;
                match word {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    _ => {
                        if let Ok(i) = word.parse::<i64>() {
                            Ok(Value::from(i))
                        } else if let Ok(f) = word.parse::<f64>() {
                            Ok(Value::from(f))
                        } else {
                            Err(format!(
                                "`{word}` is not a value; write strings in quotes: \"{word}\""
                            ))
                        }
                    }
                }
            }
        }
    }
    fn string(&mut self, q: char) -> Result<Value, String> {
        self.i += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((j, c)) = chars.next() {
            if c == q {
                self.i += j + 1;
                return Ok(Value::String(out));
            }
            if c == '\\' && q != '`' {
                match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, other)) => out.push(other),
                    None => break,
                }
            } else {
                out.push(c);
            }
        }
        Err("a string is not closed".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Fake;
    impl ShortcodeRenderer for Fake {
        fn kind(&self, name: &str) -> Option<ShortcodeKind> {
            match name {
                "note" => Some(ShortcodeKind::Markdown),
                "box" | "details" => Some(ShortcodeKind::Html),
                _ => None,
            }
        }
        fn names(&self) -> Vec<String> {
            vec!["box".into(), "details".into(), "note".into()]
        }
        fn render(&self, call: &ShortcodeCall, _: &Value) -> Result<String, String> {
            if call.args.contains_key("fail") {
                return Err("boom".into());
            }
            Ok(match call.name.as_str() {
                "note" => format!("**{}**", call.args["text"].as_str().unwrap_or("")),
                _ => format!(
                    "<div n=\"{}\" a='{}'>{}</div>",
                    call.nth,
                    Value::Object(call.args.clone()),
                    call.body.as_deref().unwrap_or("")
                ),
            })
        }
    }

    fn run(text: &str) -> Expanded {
        let sc = Shortcodes {
            renderer: &Fake,
            caller: json!({}),
        };
        expand(text, Options::empty(), &sc)
    }

    #[test]
    fn arguments_of_every_type() {
        let a =
            parse_args(r#"s="a \"b\"", t='x', n=3, f=-1.5, yes=true, list=[1, "two", [false]]"#)
                .unwrap();
        assert_eq!(
            Value::Object(a),
            json!({"s": "a \"b\"", "t": "x", "n": 3, "f": -1.5, "yes": true, "list": [1, "two", [false]]})
        );
        assert!(parse_args("x=bare").is_err());
        assert!(parse_args("x=\"open").is_err());
        assert!(parse_args("=1").is_err());
        assert!(parse_args("").unwrap().is_empty());
    }

    #[test]
    fn calls_expand_and_code_is_left_alone() {
        let e =
            run("A {{ note(text=\"hi\") }} B `{{ note(text=\"x\") }}`\n\n```\n{{ box() }}\n```\n");
        assert!(
            e.text.starts_with("A **hi** B `{{ note(text=\"x\") }}`"),
            "{}",
            e.text
        );
        assert!(e.text.contains("```\n{{ box() }}\n```"), "{}", e.text);
        assert!(e.problems.is_empty());
        // Not calls: Tera-like text without a name and `(`.
        let e = run("{{ not a call }} {% raw %}");
        assert_eq!(e.text, "{{ not a call }} {% raw %}");
    }

    #[test]
    fn blocks_get_their_body_and_nth_counts() {
        let e = run("{% details(summary=\"S\") %}\nBody *md*\n{% end %}\n\n{{ box() }}\n");
        assert_eq!(e.html.len(), 2);
        assert!(e.html[0].contains("n=\"1\""), "{:?}", e.html);
        assert!(e.html[0].contains("Body *md*"));
        assert!(e.html[1].contains("n=\"1\""));
        let html = e.insert_html(&format!(
            "<p>{}</p>\n<p>{}</p>\n",
            placeholder(0),
            placeholder(1)
        ));
        assert!(html.starts_with("<div"), "{html}");
        let e = run("{{ box() }} {{ box() }}");
        assert!(e.html[1].contains("n=\"2\""));
    }

    #[test]
    fn text_around_calls_may_be_any_unicode() {
        let e = run("é✨ {{ box(t=\"ü\") }} ñ {% ✨ {{ ✨ }} {{ note(text=\"x\") }}");
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        assert_eq!(e.html.len(), 1);
        assert!(e.text.starts_with("é✨ "), "{}", e.text);
        assert!(e.text.ends_with("{% ✨ {{ ✨ }} **x**"), "{}", e.text);
        let _ = call_ranges("é{{ ✨ {%ü", Options::empty());
    }

    #[test]
    fn literal_calls() {
        let e = run("{{/* box(a=1) */}} and {%/* details() */%}");
        assert_eq!(e.text, "{{ box(a=1) }} and {% details() %}");
    }

    #[test]
    fn problems_point_at_the_call_and_positions_map_back() {
        let text = "ab\n{{ boxx() }}\n{% details() %}\nno end\n{{ box(x=bad) }} {{ box(fail=1) }}";
        let e = run(text);
        let kinds: Vec<ProblemKind> = e.problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                ProblemKind::Unknown,
                ProblemKind::Unclosed,
                ProblemKind::BadArgument,
                ProblemKind::Template
            ]
        );
        assert_eq!(e.problems[0].span.start, 3);
        assert_eq!(e.problems[0].hint.as_deref(), Some("did you mean `box`?"));
        let e = run("{{ note(text=\"a longer text\") }} [x](#y)");
        let at = e.text.find("[x]").unwrap();
        assert_eq!(
            e.remap(at),
            text_find("{{ note(text=\"a longer text\") }} [x](#y)", "[x]")
        );
        assert_eq!(e.remap(2), 0);
    }

    #[test]
    fn call_ranges_cover_the_markup_only() {
        let t = "A {{ box(a=\"x y\") }} b.\n\n{% details(summary=\"s\") %}\nBody.\n{% end %}\n`{{ box() }}`";
        let r = call_ranges(t, Options::empty());
        let parts: Vec<&str> = r.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(
            parts,
            [
                "{{ box(a=\"x y\") }}",
                "{% details(summary=\"s\") %}",
                "{% end %}"
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn expand_never_panics_and_maps_back_in_bounds(
            s in "[{}%()=,\"'`\\[\\] a-c/*_1\n✨é-]{0,60}"
        ) {
            let e = run(&s);
            for p in 0..=e.text.len() {
                proptest::prop_assert!(e.remap(p) <= s.len());
            }
            for p in &e.problems {
                proptest::prop_assert!(p.span.start <= p.span.end && p.span.end <= s.len());
            }
            for r in call_ranges(&s, Options::empty()) {
                proptest::prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
            }
        }
    }

    fn text_find(t: &str, n: &str) -> usize {
        t.find(n).unwrap()
    }
}
