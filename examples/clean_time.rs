//! Time end-to-end cleaning on one thread: `clean_time [--text] [--rounds N] FILE...`.
//!
//! Files are read (and gunzipped) before timing starts, so the figure is
//! decode + parse + lines + rules + classify + render, in pages/s and MB/s
//! of decompressed input. `--text` reads the files as plain-text dumps.
use std::io::Read;
use std::time::Instant;

use deboil::{Cleaner, InputKind, Options};

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut input = InputKind::Html;
    let mut rounds = 1usize;
    while let Some(flag) = args.first().filter(|a| a.starts_with("--")).cloned() {
        args.remove(0);
        match flag.as_str() {
            "--text" => input = InputKind::Text,
            "--rounds" => rounds = args.remove(0).parse()?,
            other => anyhow::bail!("unknown flag {other}"),
        }
    }
    let pages: Vec<Vec<u8>> = args
        .iter()
        .map(|p| {
            let raw = std::fs::read(p)?;
            if p.ends_with(".gz") {
                let mut out = Vec::new();
                flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out)?;
                Ok(out)
            } else {
                Ok(raw)
            }
        })
        .collect::<anyhow::Result<_>>()?;
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
