//! Fuzz target: rule-file parsing. Any text either loads or gives an error
//! with a line and column inside the file; a file that loads runs its
//! examples and cleans a page without panicking.
#![no_main]

use deboil::rules::{Origin, RuleFile};
use deboil::{Cleaner, Options, RuleError, RuleSet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match RuleFile::from_str("example.com", Origin::File("example.com.toml".into()), text) {
        Ok(file) => {
            let _ = file.check_examples();
            let mut rules = RuleSet::empty();
            rules.add(file);
            let cleaner = Cleaner::new(rules);
            let options = Options {
                site: Some("example.com".into()),
                ..Options::default()
            };
            let _ = cleaner.clean_str("Title\n\nA line of text.\nfine\n", &options);
        }
        Err(RuleError::Invalid { line, column, .. }) => {
            let lines = text.split('\n').count().max(1);
            assert!(line >= 1 && line <= lines, "line {line} of {lines}");
            assert!(column >= 1);
        }
        Err(_) => {}
    }
});
