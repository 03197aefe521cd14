//! Time end-to-end cleaning on one thread: `clean_time [--text] [--rounds N] FILE...`.
//!
//! Files are read (and gunzipped) before timing starts, so the figure is
//! decode + parse + lines + rules + classify + render, in pages/s and MB/s
//! of decompressed input. `--text` reads the files as plain-text dumps.
use std::time::Instant;

use deboil::{Cleaner, Options};

mod common;

fn main() -> anyhow::Result<()> {
    let common::Timing {
        input,
        rounds,
        pages,
    } = common::timing_args()?;
    let cleaner = Cleaner::builtin()?;
    let options = Options {
        input,
        body_only: true,
        ..Options::default()
    };
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let start = Instant::now();
    let mut out = 0usize;
    for _ in 0..rounds {
        for page in &pages {
            out += cleaner.clean_bytes(page, &options)?.text().len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = (pages.len() * rounds) as f64;
    println!(
        "{} pages x {rounds} ({:.1} MB each round) in {secs:.3} s: {:.0} pages/s, {:.1} MB/s ({out} bytes out)",
        pages.len(),
        bytes as f64 / 1e6,
        n / secs,
        (bytes * rounds) as f64 / 1e6 / secs
    );
    Ok(())
}
