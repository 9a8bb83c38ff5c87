//! `fascia build` and `fascia check`.

use std::time::Duration;

use super::Output;
use crate::diagnostics::{error_count, render_all, Severity};
use crate::pipeline::{self, BuildOptions, BuildReport};

/// Builds the site; returns the process exit code.
pub fn build(opts: &BuildOptions, out: Output, timings: bool) -> i32 {
    let report = pipeline::build(opts);
    finish(&report, out, timings, "Built")
}

/// Runs the whole build without writing and, with `external`, then checks
/// every external link over the network; returns the process exit code.
pub fn check(
    opts: &BuildOptions,
    out: Output,
    timings: bool,
    external: Option<&crate::external::ExternalOptions>,
) -> i32 {
    let mut opts = opts.clone();
    opts.dry_run = true;
    let report = pipeline::build(&opts);
    let code = finish(&report, out, timings, "Checked");
    let Some(external) = external else {
        return code;
    };
    // Broken local input first: the network check is slow and its positions
    // would point into files that are about to change anyway.
    if code != 0 {
        return code;
    }
    // `build` does not hand back the site, so load it again; this is cheap next to the network.
    let (Some(site), _) = pipeline::load_site(&opts, &mut pipeline::Timings::default()) else {
        return 1;
    };
    let links = crate::external::collect(&site.content);
    let count = links.len();
    let diags = crate::external::check(links, external);
    if !diags.is_empty() {
        eprint!("{}", render_all(&diags, out.color));
        eprintln!(
            "error: {} of {count} external link{} failed",
            diags.len(),
            if count == 1 { "" } else { "s" }
        );
        return 1;
    }
    if !out.quiet {
        println!(
            "Checked {count} external link{}",
            if count == 1 { "" } else { "s" }
        );
    }
    0
}

fn finish(report: &BuildReport, out: Output, timings: bool, verb: &str) -> i32 {
    let shown: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| !out.quiet || d.severity == Severity::Error)
        .cloned()
        .collect();
    if !shown.is_empty() {
        eprint!("{}", render_all(&shown, out.color));
    }
    let errors = error_count(&report.diagnostics);
    if errors > 0 {
        if verb == "Checked" {
            eprintln!(
                "error: check found {errors} error{}",
                if errors == 1 { "" } else { "s" }
            );
            return 1;
        }
        eprintln!(
            "error: build failed with {errors} error{}; {} was not changed",
            if errors == 1 { "" } else { "s" },
            if report.output.as_os_str().is_empty() {
                "the output".to_string()
            } else {
                report.output.display().to_string()
            }
        );
        return 1;
    }
    if timings || out.verbose {
        let t = &report.timings;
        let row =
            |name: &str, d: Duration| eprintln!("  {name:<9}{:>8.1} ms", d.as_secs_f64() * 1000.0);
        eprintln!("Timings:");
        row("load", t.load);
        row("parse", t.parse);
        row("markdown", t.markdown);
        row("metadata", t.metadata);
        row("render", t.render);
        row("write", t.write);
    }
    if out.verbose && verb == "Built" {
        eprintln!(
            "{} files written, {} unchanged, {} removed in {}",
            report.written.written,
            report.written.unchanged,
            report.written.removed,
            report.output.display()
        );
    }
    if !out.quiet {
        println!(
            "{verb} {} page{}, {} section{} and {} term{} in {} ms",
            report.pages,
            if report.pages == 1 { "" } else { "s" },
            report.sections,
            if report.sections == 1 { "" } else { "s" },
            report.terms,
            if report.terms == 1 { "" } else { "s" },
            report.elapsed.as_millis()
        );
    }
    0
}
