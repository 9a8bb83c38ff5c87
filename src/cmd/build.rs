//! `fascia build` and `fascia check`.

use crate::console::Console;
use crate::pipeline::{self, BuildOptions};

/// Builds the site; returns the process exit code.
pub fn build(opts: &BuildOptions, out: Console, timings: bool) -> i32 {
    let (report, _) = pipeline::build(opts);
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
    let mut opts = opts.clone();
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
