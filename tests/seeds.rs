//! The five seed pages the project was created from must come out clean:
//! every noise line dropped, every article line kept, the title kept once.
//!
//! The seeds live outside the project (`../shared/seeds`, or the directory
//! in `DEBOIL_SEEDS`) and are read, never copied: the expectations below are
//! line numbers, not text.

use std::collections::BTreeSet;
use std::path::PathBuf;

use deboil::{Cleaner, Options, Reason};

struct Seed {
    file: &'static str,
    /// The line kept as the page title.
    title: usize,
    /// Every line that must be dropped; all other non-blank lines are kept.
    dropped: &'static [usize],
}

const SEEDS: &[Seed] = &[
    // Express: repeated title, truncated teaser, three related headlines,
    // READ MORE, COMMENTS, WORDPRESS: 0.
    Seed {
        file: "000_caa636b224ddbb42.txt",
        title: 1,
        dropped: &[3, 5, 7, 8, 9, 30, 54, 56],
    },
    // Reuters rewrite: copyright footer and the share button.
    Seed {
        file: "001_56e0f799a66a4b59.txt",
        title: 1,
        dropped: &[14, 16],
    },
    // WordPress tag archive: "Posts Tagged", category line, Tags, Posted in.
    Seed {
        file: "002_24d2c3b1abab719a.txt",
        title: 3,
        dropped: &[1, 23, 25, 26, 48, 50, 51],
    },
    // Suara Malaysia: masthead, ads, date, More, breadcrumb, "-", ALSO READ,
    // author name and bio, Related articles, newsletter box, Latest posts.
    Seed {
        file: "003_cb8acf54e9df1fa2.txt",
        title: 8,
        dropped: &[1, 2, 3, 4, 5, 6, 10, 12, 28, 38, 39, 40, 42, 44, 46, 48, 50],
    },
    // Vladivostok: duplicate title, the comment form.
    Seed {
        file: "004_b6560b30116204b1.txt",
        title: 1,
        dropped: &[3, 19, 21],
    },
];

fn seeds_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("DEBOIL_SEEDS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"),
    };
    dir.is_dir().then_some(dir)
}

#[test]
fn seeds_come_out_clean() {
    let Some(dir) = seeds_dir() else {
        // CI always has ../shared beside the clone; a user's clone may not.
        assert!(
            std::env::var_os("CI").is_none(),
            "seed pages not found: set DEBOIL_SEEDS or put shared/ beside the clone"
        );
        eprintln!("seed pages not found; skipping");
        return;
    };
    let cleaner = Cleaner::builtin().expect("built-in rules load");
    let mut failures = Vec::new();
    for seed in SEEDS {
        let path = dir.join(seed.file);
        let bytes = std::fs::read(&path).expect("seed readable");
        let cleaned = cleaner
            .clean_bytes(&bytes, &Options::default())
            .expect("seed cleans");
        let expected: BTreeSet<usize> = seed.dropped.iter().copied().collect();
        let actual: BTreeSet<usize> = cleaned.dropped().map(|d| d.line).collect();
        for line in expected.difference(&actual) {
            failures.push(format!("{}:{line}: noise kept", seed.file));
        }
        for line in actual.difference(&expected) {
            let reason = cleaned
                .dropped()
                .find(|d| d.line == *line)
                .map(|d| d.reason.to_string())
                .unwrap_or_default();
            failures.push(format!("{}:{line}: article dropped ({reason})", seed.file));
        }
        let titles: Vec<usize> = cleaned
            .lines
            .iter()
            .zip(&cleaned.decisions)
            .filter(|(_, d)| d.reason == Reason::Title)
            .map(|(l, _)| l.number)
            .collect();
        if titles != [seed.title] {
            failures.push(format!(
                "{}: title lines {titles:?}, expected [{}]",
                seed.file, seed.title
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "seed failures:\n{}",
        failures.join("\n")
    );
}
