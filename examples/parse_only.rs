//! Time html5ever parsing alone on the given gzipped pages (a baseline for
//! `read_html --time`).
use std::time::Instant;

/// The `deboil` binary's allocator, so the baseline is parsed as the
/// binary parses.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let texts: Vec<String> = std::env::args()
        .skip(1)
        .map(|p| {
            Ok(deboil::decode::decode(&std::fs::read(p)?)?
                .text
                .into_owned())
        })
        .collect::<anyhow::Result<_>>()?;
    let start = Instant::now();
    let mut nodes = 0;
    for t in &texts {
        nodes += scraper::Html::parse_document(t).tree.nodes().count();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} pages, {nodes} nodes, parse only {secs:.3} s: {:.0} pages/s",
        texts.len(),
        texts.len() as f64 / secs
    );
    Ok(())
}
