//! One function per command; `main.rs` only parses arguments and calls these.

mod build;
mod init;
mod new;

pub use build::{build, check, CheckOptions};
pub use init::{init, init_from_zola};
pub use new::new_page;
