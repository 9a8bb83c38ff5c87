//! All terminal output: diagnostics, build summaries, timings and the
//! status lines of `serve`, honouring `-q`, `-v` and colour. The rest of the
//! library returns values and never prints.

use std::io::IsTerminal;
use std::time::Duration;

use crate::diagnostics::{
    error_count, render_all, report_order, summary, to_json_line, Diagnostic, Severity,
};
use crate::pipeline::BuildReport;

/// How much to print and whether to colour it.
#[derive(Debug, Clone, Copy)]
pub struct Console {
    /// Only errors.
    pub quiet: bool,
    /// Extra detail (per-stage timings, write counts).
    pub verbose: bool,
    /// ANSI colours on stderr.
    pub color: bool,
}

impl Console {
    /// Colour only on a terminal and when `NO_COLOR` is unset.
    pub fn new(quiet: bool, verbose: bool) -> Self {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::io::stderr().is_terminal();
        Console {
            quiet,
            verbose,
            color,
        }
    }

    /// Prints diagnostics (only errors when quiet).
    pub fn diagnostics(&self, diags: &[Diagnostic]) {
        let text = if self.quiet {
            let errors: Vec<Diagnostic> = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .cloned()
                .collect();
            render_all(&errors, self.color)
        } else {
            render_all(diags, self.color)
        };
        eprint!("{text}");
    }

    /// A result line on stdout, unless quiet.
    pub fn result(&self, line: impl AsRef<str>) {
        if !self.quiet {
            println!("{}", line.as_ref());
        }
    }

    /// A progress line on stderr, unless quiet.
    pub fn status(&self, line: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", line.as_ref());
        }
    }

    /// A detail line on stderr, only with `-v`.
    pub fn detail(&self, line: impl AsRef<str>) {
        if self.verbose {
            eprintln!("{}", line.as_ref());
        }
    }

    /// A warning on stderr, unless quiet.
    pub fn warning(&self, line: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("warning: {}", line.as_ref());
        }
    }

    /// An error on stderr, always.
    pub fn error(&self, line: impl AsRef<str>) {
        eprintln!("error: {}", line.as_ref());
    }

    /// Prints diagnostics as JSON, one object per line on stdout, in the
    /// order the human report lists them.
    pub fn json_lines(&self, diags: &[Diagnostic]) {
        for d in report_order(diags) {
            println!("{}", to_json_line(d));
        }
    }

    /// `check --format json`: every finding as a JSON line; returns the exit code.
    pub fn json(&self, report: &BuildReport) -> i32 {
        self.json_lines(&report.diagnostics);
        i32::from(error_count(&report.diagnostics) > 0)
    }

    /// Prints what a build or check found and returns the process exit code.
    pub fn report(&self, report: &BuildReport, timings: bool, verb: &str) -> i32 {
        self.diagnostics(&report.diagnostics);
        if !report.diagnostics.is_empty() && !self.quiet {
            eprintln!("{}", summary(&report.diagnostics).trim_end());
        }
        for a in &report.allowed {
            self.status(format!(
                "allowed: lint::{} in {} ({} finding{}){}",
                a.rule.name(),
                a.file.display(),
                a.count,
                if a.count == 1 { "" } else { "s" },
                a.reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ));
        }
        let errors = error_count(&report.diagnostics);
        if errors > 0 {
            let s = if errors == 1 { "" } else { "s" };
            if verb == "Checked" {
                self.error(format!("check found {errors} error{s}"));
            } else {
                let out = if report.output.as_os_str().is_empty() {
                    "the output".to_string()
                } else {
                    report.output.display().to_string()
                };
                if report.partly_written {
                    self.error(format!(
                        "build failed with {errors} error{s} while moving files into {out}; \
                         some were replaced, and the next build repairs the rest"
                    ));
                } else {
                    self.error(format!(
                        "build failed with {errors} error{s}; {out} was not changed"
                    ));
                }
            }
            return 1;
        }
        if timings || self.verbose {
            self.timings(report);
        }
        if report.nothing_changed {
            self.detail("nothing changed since the last build: nothing was rendered");
        }
        if let Some((edited, rendered)) = &report.partial {
            let s = if *edited == 1 { "" } else { "s" };
            self.detail(format!(
                "only the body of {edited} page{s} changed: rendered {} output{} that show {}",
                rendered.len(),
                if rendered.len() == 1 { "" } else { "s" },
                if *edited == 1 { "it" } else { "them" },
            ));
            // The list, for a small edit: what a user checks after one.
            if rendered.len() <= 20 {
                for rel in rendered {
                    self.detail(format!("  {rel}"));
                }
            }
        }
        if verb == "Built" {
            let w = &report.written;
            self.detail(format!(
                "{} files written, {} unchanged, {} removed in {}",
                w.written,
                w.unchanged,
                w.removed,
                report.output.display()
            ));
        }
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        self.result(format!(
            "{verb} {} page{}, {} section{} and {} term{} in {} ms",
            report.pages,
            plural(report.pages),
            report.sections,
            plural(report.sections),
            report.terms,
            plural(report.terms),
            report.elapsed.as_millis()
        ));
        0
    }

    fn timings(&self, report: &BuildReport) {
        let t = &report.timings;
        let row =
            |name: &str, d: Duration| eprintln!("  {name:<9}{:>8.1} ms", d.as_secs_f64() * 1000.0);
        eprintln!("Timings:");
        row("inputs", t.inputs);
        row("load", t.load);
        row("parse", t.parse);
        row("markdown", t.markdown);
        row("metadata", t.metadata);
        // Parts of metadata, indented under it.
        let part = |name: &str, d: Duration| {
            eprintln!("    {name:<7}{:>8.1} ms", d.as_secs_f64() * 1000.0)
        };
        part("health", t.health);
        if !t.lint.is_zero() {
            part("lint", t.lint);
        }
        row("render", t.render);
        row("search", t.search);
        row("write", t.write);
    }
}
