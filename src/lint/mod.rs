//! Content lint.
pub mod config;
pub mod text;
