//! Write the generated test site (invented text) to a directory, for trying
//! `deboil rules learn` and `deboil batch --site-templates` by hand:
//! `cargo run --example gen_site -- DIR [--html] [--pages N] [--seed S]`.

#[path = "../tests/common/site_gen.rs"]
mod site_gen;

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let (mut html, mut pages, mut seed) = (false, 60usize, 7u64);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--html" => html = true,
            "--pages" => pages = args.next().ok_or("--pages needs N")?.parse()?,
            "--seed" => seed = args.next().ok_or("--seed needs S")?.parse()?,
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let dir = dir.ok_or("usage: gen_site DIR [--html] [--pages N] [--seed S]")?;
    std::fs::create_dir_all(&dir)?;
    for page in site_gen::generate(site_gen::LEDGER, seed, pages, html) {
        std::fs::write(dir.join(&page.name), &page.body)?;
    }
    println!("wrote {pages} pages to {}", dir.display());
    Ok(())
}
