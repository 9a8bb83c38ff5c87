//! `fascia build` and `fascia check`.

use std::sync::Arc;

use crate::console::Console;
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

/// Builds the site; returns the process exit code.
pub fn build(opts: &BuildOptions, out: Console, timings: bool) -> i32 {
    let (report, _) = pipeline::build(&exit_on_timeout(opts, out));
    out.report(&report, timings, "Built")
}

/// Runs the whole build without writing and, with `external`, then checks
/// every external link over the network; returns the process exit code.
pub fn check(
    opts: &BuildOptions,
    out: Console,
    timings: bool,
    external: Option<&pipeline::ExternalOptions>,
) -> i32 {
    let mut opts = exit_on_timeout(opts, out);
    opts.dry_run = true;
    let (report, built) = pipeline::build(&opts);
    let code = out.report(&report, timings, "Checked");
    // Broken local input first: the network check is slow and its positions
    // would point into files that are about to change anyway.
    let (Some(external), Some(built), 0) = (external, built, code) else {
        return code;
    };
    let (count, diags) = pipeline::check_external(&built, external);
    let s = if count == 1 { "" } else { "s" };
    if !diags.is_empty() {
        out.diagnostics(&diags);
        out.error(format!(
            "{} of {count} external link{s} failed",
            diags.len()
        ));
        return 1;
    }
    out.result(format!("Checked {count} external link{s}"));
    0
}
