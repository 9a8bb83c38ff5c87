//! One function per command; `main.rs` only parses arguments and calls these.

mod build;
mod init;
mod new;

pub use build::{build, check};
pub use init::init;
pub use new::new_page;

use std::io::IsTerminal;

/// How much to print and whether to colour it.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// Only errors.
    pub quiet: bool,
    /// Extra detail (per-stage timings, write counts).
    pub verbose: bool,
    /// ANSI colours on stderr.
    pub color: bool,
}

impl Output {
    /// Colour only on a terminal and when `NO_COLOR` is unset.
    pub fn new(quiet: bool, verbose: bool) -> Self {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::io::stderr().is_terminal();
        Output {
            quiet,
            verbose,
            color,
        }
    }
}
