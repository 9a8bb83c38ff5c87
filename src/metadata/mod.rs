//! Passes over the site model that compute metadata: "Also interesting"
//! (`related`) and the JSON-LD documents (`jsonld`).

pub mod jsonld;
pub mod related;
