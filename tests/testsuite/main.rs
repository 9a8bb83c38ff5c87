//! fascia's integration tests, as one test binary (`cargo test --test testsuite`):
//! one module per topic, all on the `SiteTest` harness in `common`. Each test
//! runs the real `fascia` binary on a site in a temp folder; see tests/README.md.

mod common;

mod architecture;
mod browser;
mod build;
mod commands;
mod content;
mod corpus;
mod diagnostics;
mod errors;
mod external;
mod fingerprint;
mod hardening;
mod health_fixtures;
mod lint_fixtures;
mod metadata;
mod rig;
mod safety;
mod schemaorg;
mod serve;
mod theme_health;
mod zola;
