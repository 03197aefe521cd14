//! Fuzz target: the HTML path, pre-parse pass included. Cleaning any markup
//! never panics and renders valid JSON, and dropping the attributes nobody
//! reads changes no line.
#![no_main]

use std::sync::OnceLock;

use deboil::page::html::{HtmlDocument, KeptAttributes};
use deboil::{render, Cleaner, InputKind, Options};
use libfuzzer_sys::fuzz_target;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::builtin().expect("built-in rules compile"))
}

fuzz_target!(|html: &str| {
    // A small cap, so that short inputs reach the flattening code too.
    let (flat, _) = deboil::page::html::prepass::flatten(html, 4);
    let _ = deboil::page::html::read(&flat);
    let full = HtmlDocument::parse(html).lines(&[]);
    let lean = HtmlDocument::parse_keeping(html, &KeptAttributes::reader()).lines(&[]);
    assert_eq!(full, lean);
    let options = Options {
        input: InputKind::Html,
        ..Options::default()
    };
    let cleaned = cleaner().clean_str(html, &options);
    assert_eq!(cleaned.lines.len(), cleaned.decisions.len());
    let json = render::json(&cleaned);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
});
