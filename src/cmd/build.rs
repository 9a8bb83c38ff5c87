//! `fascia build` and `fascia check`.

use std::sync::Arc;

use crate::console::Console;
use crate::diagnostics::Severity;
use crate::pipeline::{self, BuildOptions, TimeoutHook};

/// A render past its time limit cannot be stopped, so the command stops: it
/// removes its staging folder, reports the error and exits 1 at once.
fn exit_on_timeout(opts: &BuildOptions, out: Console) -> BuildOptions {
    let mut opts = opts.clone();
    opts.on_timeout = Some(TimeoutHook(Arc::new(move |d| {
        pipeline::abandon_open_staging();
        out.diagnostics(std::slice::from_ref(d));
        out.error("stopped: a render ran past its time limit; the output was not changed");
        std::process::exit(1);
    })));
    opts
}

/// The built site, left for the operating system to take back when the
/// process exits: freeing the model, derived data and renderer piece by
/// piece took 0.8 % of a 10,000-page build, on one thread after the rest.
/// Only for the commands, which end the process after they return.
fn leave_to_exit<T>(built: T) -> &'static T {
    Box::leak(Box::new(built))
}

/// Builds the site; returns the process exit code. For the command line
/// only: the process must end soon after (see [`leave_to_exit`]).
pub fn build(opts: &BuildOptions, out: Console, timings: bool) -> i32 {
    let (report, built) = pipeline::build(&exit_on_timeout(opts, out));
    leave_to_exit(built);
    out.report(&report, timings, "Built")
}

/// What `fascia check` does beyond the build.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Print the time of each stage.
    pub timings: bool,
    /// Check external links over the network, with these settings.
    pub external: Option<pipeline::ExternalOptions>,
    /// Print findings as JSON lines instead of the human report.
    pub json: bool,
    /// Warnings fail the check too.
    pub deny_warnings: bool,
    /// Run the content lint (`--no-lint` turns it off).
    pub lint: bool,
}

/// Runs the whole build (with the content lint, unless turned off) without writing and, with
/// `external`, then checks every external link over the network; returns
/// the process exit code. For the command line only, as [`build`].
pub fn check(opts: &BuildOptions, out: Console, check: &CheckOptions) -> i32 {
    let mut opts = exit_on_timeout(opts, out);
    opts.dry_run = true;
    opts.lint = check.lint;
    let (mut report, built) = pipeline::build(&opts);
    let built = leave_to_exit(built);
    if check.deny_warnings {
        for d in &mut report.diagnostics {
            d.severity = Severity::Error;
        }
    }
    let code = if check.json {
        out.json(&report)
    } else {
        out.report(&report, check.timings, "Checked")
    };
    // Broken local input first: the network check is slow and its positions
    // would point into files that are about to change anyway.
    let (Some(external), Some(built), 0) = (&check.external, built, code) else {
        return code;
    };
    let (count, diags) = pipeline::check_external(built, external);
    let s = if count == 1 { "" } else { "s" };
    if !diags.is_empty() {
        if check.json {
            out.json_lines(&diags);
        } else {
            out.diagnostics(&diags);
            out.error(format!(
                "{} of {count} external link{s} failed",
                diags.len()
            ));
        }
        return 1;
    }
    out.result(format!("Checked {count} external link{s}"));
    0
}
