//! Cleaning throughput on HTML: the project's own HTML fixtures, and the
//! ScrapingHub benchmark pages when `../shared/bench/scrapinghub/html` (or
//! the directory in `DEBOIL_BENCH_HTML`) is there. Pages are gunzipped and
//! read before timing starts, so the figures are decode + parse + classify.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use deboil::{Cleaner, InputKind, Options};

fn read_pages(dir: &Path, suffixes: &[&str]) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.to_string_lossy();
            suffixes.iter().any(|s| name.ends_with(s))
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| {
            let raw = std::fs::read(p).ok()?;
            if p.to_string_lossy().ends_with(".gz") {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(&raw[..])
                    .read_to_end(&mut out)
                    .ok()?;
                Some(out)
            } else {
                Some(raw)
            }
        })
        .collect()
}

fn bench_pages(c: &mut Criterion, name: &str, pages: &[Vec<u8>]) {
    if pages.is_empty() {
        return;
    }
    let cleaner = match Cleaner::builtin() {
        Ok(cleaner) => cleaner,
        Err(err) => panic!("the built-in rule files are broken: {err}"),
    };
    let options = Options {
        input: InputKind::Html,
        body_only: true,
        ..Options::default()
    };
    let mut group = c.benchmark_group("html");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    let total: usize = pages.iter().map(Vec::len).sum();
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function(name, |b| {
        b.iter(|| {
            for page in pages {
                let cleaned = cleaner.clean_bytes(page, &options);
                std::hint::black_box(cleaned.map(|c| c.text().len()).unwrap_or(0));
            }
        })
    });
    group.finish();
}

fn html(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = read_pages(&root.join("tests/fixtures/html"), &[".html"]);
    bench_pages(c, "fixture_pages", &fixtures);
    let bench_dir = std::env::var_os("DEBOIL_BENCH_HTML")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/bench/scrapinghub/html"));
    let bench = read_pages(&bench_dir, &[".html.gz", ".html"]);
    bench_pages(c, &format!("scrapinghub_{}_pages", bench.len()), &bench);
}

criterion_group!(benches, html);
criterion_main!(benches);
