//! What the timing examples share: their command line,
//! `[--text] [--rounds N] FILE...`, and reading the pages (a `.gz` file is
//! gunzipped) before timing starts; and the binary's allocator.

use deboil::InputKind;

/// The allocator the `deboil` binary runs with, so that these timings are
/// the binary's.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The parsed command line, with every page read.
pub struct Timing {
    /// How to read the pages: HTML unless `--text`.
    pub input: InputKind,
    /// How many times to clean every page.
    pub rounds: usize,
    /// The pages' bytes, gunzipped.
    pub pages: Vec<Vec<u8>>,
}

/// Read the command line and the pages it names.
pub fn timing_args() -> anyhow::Result<Timing> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut input = InputKind::Html;
    let mut rounds = 1usize;
    while let Some(flag) = args.first().filter(|a| a.starts_with("--")).cloned() {
        args.remove(0);
        match flag.as_str() {
            "--text" => input = InputKind::Text,
            "--rounds" if !args.is_empty() => rounds = args.remove(0).parse()?,
            other => anyhow::bail!("unknown flag {other} (use --text, --rounds N)"),
        }
    }
    let pages = args
        .iter()
        .map(|path| {
            let raw = std::fs::read(path)?;
            Ok(if path.ends_with(".gz") {
                deboil::decode::gunzip(&raw, deboil::decode::DEFAULT_MAX_BYTES)?
            } else {
                raw
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Timing {
        input,
        rounds,
        pages,
    })
}
