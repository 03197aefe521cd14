//! The HTML reader: parses a document with html5ever (through `scraper`) and
//! turns every block element into one [`Line`] with its DOM features.

use super::{InputKind, Page};

/// Read an HTML document.
pub fn read(html: &str) -> Page {
    // Placeholder until the HTML reader lands: treat the markup as text.
    let mut page = super::text::read(html);
    page.kind = Some(InputKind::Html);
    page
}
