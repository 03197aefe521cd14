//! Time each stage of cleaning on one thread:
//! `stage_time [--text] [--rounds N] FILE...`.
//!
//! Prints the seconds spent reading pages into lines (for HTML: parsing,
//! then reading lines), selecting and applying rule files, measuring line
//! features, and the classifier's passes after the features, so a profile's
//! hot spot can be put in proportion.
use std::time::{Duration, Instant};

use deboil::classify::features::page_features;
use deboil::page::html::HtmlDocument;
use deboil::{Cleaner, InputKind};

mod common;

fn main() -> anyhow::Result<()> {
    let common::Timing {
        input,
        rounds,
        pages,
    } = common::timing_args()?;
    let pages = pages
        .iter()
        .map(|bytes| Ok(deboil::decode::decode(bytes)?.text.into_owned()))
        .collect::<anyhow::Result<Vec<String>>>()?;
    let cleaner = Cleaner::builtin()?;
    let mut parse = Duration::ZERO;
    let mut read = Duration::ZERO;
    let mut rules = Duration::ZERO;
    let mut features = Duration::ZERO;
    let mut classify = Duration::ZERO;
    for _ in 0..rounds {
        for text in &pages {
            let t = Instant::now();
            let page = if input == InputKind::Html {
                let document = HtmlDocument::parse(text);
                parse += t.elapsed();
                let t = Instant::now();
                let page = document.to_page(&[]);
                read += t.elapsed();
                page
            } else {
                let page = deboil::page::text::read(text);
                read += t.elapsed();
                page
            };
            let t = Instant::now();
            let selection = cleaner.rules().select(None, &page);
            let hits = selection.apply(&page);
            rules += t.elapsed();
            let t = Instant::now();
            let measured = page_features(&page);
            features += t.elapsed();
            std::hint::black_box(&measured);
            let t = Instant::now();
            let classified = deboil::classify::classify(&page, &hits);
            classify += t.elapsed();
            std::hint::black_box(classified);
        }
    }
    let total = parse + read + rules + classify;
    let ms = |d: Duration| d.as_secs_f64() * 1e3 / (pages.len() * rounds) as f64;
    println!(
        "per page (ms): parse {:.3}  read lines {:.3}  rules {:.3}  classify {:.3} (of which features {:.3})  total {:.3}",
        ms(parse),
        ms(read),
        ms(rules),
        ms(classify),
        ms(features),
        ms(total)
    );
    Ok(())
}
