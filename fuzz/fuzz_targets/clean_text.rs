//! Fuzz target: the text path. Cleaning any text never panics, decides
//! every line, and keeps only lines of the input.
#![no_main]

use std::sync::OnceLock;

use deboil::{render, Cleaner, InputKind, Options};
use libfuzzer_sys::fuzz_target;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::builtin().expect("built-in rules compile"))
}

fuzz_target!(|text: &str| {
    let options = Options {
        input: InputKind::Text,
        body_only: true,
        ..Options::default()
    };
    let cleaned = cleaner().clean_str(text, &options);
    assert_eq!(cleaned.lines.len(), cleaned.decisions.len());
    let lines: Vec<&str> = cleaned.lines.iter().map(|l| l.text.as_str()).collect();
    for line in cleaned.text().lines().filter(|l| !l.is_empty()) {
        assert!(lines.contains(&line), "{line:?} is not an input line");
    }
    let _ = render::explain(&cleaned);
});
