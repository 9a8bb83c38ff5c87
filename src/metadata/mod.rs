//! What is computed from front matter and links: taxonomies, "Also
//! interesting", breadcrumbs and the JSON-LD documents.

pub mod jsonld;
pub mod related;
pub mod taxonomies;

use crate::content::Content;

/// The sections from the root down to `section`, inclusive.
pub fn ancestors(content: &Content, section: usize) -> Vec<usize> {
    let mut chain = vec![section];
    let mut cur = section;
    while let Some(p) = content.sections[cur].parent {
        chain.push(p);
        cur = p;
    }
    chain.reverse();
    chain
}
