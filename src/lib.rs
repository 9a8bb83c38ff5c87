//! fascia: a static-site generator for health guides.
//!
//! The build is a pipeline of plain stages (see `ARCHITECTURE.md`):
//! [`config`] → [`content`] → [`markdown`] via [`links`] → [`metadata`] →
//! [`render`] → [`output`], driven by [`pipeline`]. The `fascia` binary is a
//! thin CLI over [`cmd`].

// Diagnostics are returned by value on the (rare) error path; boxing them buys nothing.
#![allow(clippy::result_large_err)]

pub mod cmd;
pub mod config;
pub mod console;
pub mod content;
pub mod derived;
pub mod diagnostics;
pub mod external;
pub mod health;
pub mod inputs;
pub mod links;
pub mod lint;
pub mod markdown;
pub mod metadata;
pub mod model;
pub mod outpath;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod serve;

pub use pipeline::{build, BuildOptions, BuildReport};
