//! Content lint.
pub mod config;
