//! Writes a corpus of generated scraped text pages for measuring `deboil
//! batch` throughput:
//!
//! ```sh
//! cargo run --release --example gen_corpus -- DIR N [SEED]
//! ```
//!
//! Pages go to `DIR/<template>/<nnnnnn>.txt`, one subdirectory per site
//! template, so the tree looks like a crawl of several sites. The same seed
//! always writes the same corpus.

mod page;

use std::path::PathBuf;
use std::process::ExitCode;

const TEMPLATES: [&str; 5] = ["tabloid", "wire", "blog", "portal", "magazine"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_corpus DIR N [SEED]";
    let (dir, count, seed) = match args.as_slice() {
        [dir, n] => (dir, n, "1"),
        [dir, n, seed] => (dir, n, seed.as_str()),
        _ => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    let (Ok(count), Ok(seed)) = (count.parse::<usize>(), seed.parse::<u64>()) else {
        eprintln!("{usage}: N and SEED are whole numbers");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    let mut rng = page::Rng::new(seed);
    let mut bytes = 0;
    for i in 0..count {
        let template = TEMPLATES[i % TEMPLATES.len()];
        let path = dir.join(template).join(format!("{i:06}.txt"));
        let text = page::page(&mut rng, i);
        bytes += text.len();
        let written =
            std::fs::create_dir_all(dir.join(template)).and_then(|()| std::fs::write(&path, text));
        if let Err(err) = written {
            eprintln!("gen_corpus: {}: cannot write: {err}", path.display());
            return ExitCode::FAILURE;
        }
    }
    eprintln!(
        "gen_corpus: wrote {count} pages, {:.1} MB, to {}",
        bytes as f64 / 1e6,
        dir.display()
    );
    ExitCode::SUCCESS
}
