//! Cleaning throughput on generated text pages (see `examples/gen_corpus`):
//! one page through `Cleaner::clean_bytes`, and the same page rendered as
//! text and as an explanation.

#[path = "../examples/gen_corpus/page.rs"]
mod page;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use deboil::{render, Cleaner, Options};

fn clean(c: &mut Criterion) {
    let cleaner = match Cleaner::builtin() {
        Ok(cleaner) => cleaner,
        Err(err) => panic!("the built-in rule files are broken: {err}"),
    };
    let mut rng = page::Rng::new(7);
    // One page of each site template, cleaned one by one; then the portal
    // page (the noisiest template) alone, through `--explain` rendering.
    let pages: Vec<String> = (0..5).map(|i| page::page(&mut rng, i)).collect();
    let options = Options::default();

    let mut group = c.benchmark_group("clean");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let total: usize = pages.iter().map(String::len).sum();
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("five_text_pages", |b| {
        b.iter(|| {
            for page in &pages {
                let cleaned = cleaner.clean_bytes(page.as_bytes(), &options);
                std::hint::black_box(cleaned.map(|c| c.text().len()).unwrap_or(0));
            }
        })
    });
    let portal = &pages[3];
    group.throughput(Throughput::Bytes(portal.len() as u64));
    group.bench_function("portal_page_explain", |b| {
        b.iter(|| {
            let cleaned = cleaner.clean_str(portal, &options);
            std::hint::black_box(render::explain(&cleaned).len())
        })
    });
    group.finish();
}

criterion_group!(benches, clean);
criterion_main!(benches);
