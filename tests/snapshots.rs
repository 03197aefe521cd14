//! Snapshot tests: the cleaned text and the `--explain` listing of every
//! fixture page under tests/fixtures, locked in snapshots/.
//!
//! A changed or new snapshot fails the run (CI=true refuses to write new
//! ones); review each with `cargo insta review`, reading the cleaned text,
//! before committing it.

use deboil::{render, Cleaner, Options};

/// Fixture directories that are not whole pages to clean.
const NOT_PAGES: &[&str] = &["eval"];

#[test]
fn fixtures() {
    let cleaner = Cleaner::builtin().expect("built-in rules load");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("fixtures", "**/*.{txt,html,htm}", |path| {
            let relative = path
                .strip_prefix(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
                .unwrap_or(path);
            if relative
                .components()
                .next()
                .is_some_and(|c| NOT_PAGES.iter().any(|n| c.as_os_str() == *n))
            {
                return;
            }
            let bytes = std::fs::read(path).expect("fixture readable");
            let cleaned = cleaner
                .clean_bytes(&bytes, &Options::default())
                .expect("fixture cleans");
            insta::assert_snapshot!("clean", cleaned.text());
            insta::assert_snapshot!("explain", render::explain(&cleaned));
        });
    });
}
