//! The memory sink `serve` renders into: the orchestrator's outputs held as
//! files in memory, never written to disk.

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};

use crate::output::Sink;

/// Output files by path relative to the site root (`conditions/index.html`).
pub type Files = HashMap<String, Arc<[u8]>>;

/// Collects rendered files in memory.
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<Files>,
}

impl MemorySink {
    /// The collected files.
    pub fn into_files(self) -> Files {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        crate::output::check_rel(rel)?;
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string(), Arc::from(bytes));
        Ok(())
    }
    fn contains(&self, rel: &str) -> bool {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(rel)
    }
}
