//! Read HTML pages (plain or gzipped) and show their lines, or time reading.
//!
//! `cargo run --release --example read_html -- --time FILE...` prints pages/s
//! of decode + parse + lines; without `--time` it prints every line of each
//! page with its block features.

use std::time::Instant;

use deboil::decode::decode;
use deboil::page::html::HtmlDocument;

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let time = args.first().is_some_and(|a| a == "--time");
    if time {
        args.remove(0);
    }
    let inputs: Vec<(String, Vec<u8>)> = args
        .iter()
        .map(|p| Ok((p.clone(), std::fs::read(p)?)))
        .collect::<anyhow::Result<_>>()?;
    if time {
        let (mut decoding, mut parsing, mut walking) = (0.0, 0.0, 0.0);
        let mut lines = 0;
        for (_, bytes) in &inputs {
            let t0 = Instant::now();
            let text = decode(bytes)?.text;
            let t1 = Instant::now();
            let doc = HtmlDocument::parse(&text);
            let t2 = Instant::now();
            lines += doc.lines(&[]).len();
            let t3 = Instant::now();
            decoding += (t1 - t0).as_secs_f64();
            parsing += (t2 - t1).as_secs_f64();
            walking += (t3 - t2).as_secs_f64();
        }
        let secs = decoding + parsing + walking;
        println!(
            "{} pages, {lines} lines in {secs:.3} s: {:.0} pages/s (decode {decoding:.3} s, parse+meta {parsing:.3} s, lines {walking:.3} s)",
            inputs.len(),
            inputs.len() as f64 / secs
        );
        return Ok(());
    }
    for (path, bytes) in &inputs {
        let text = decode(bytes)?.text;
        let doc = HtmlDocument::parse(&text);
        println!(
            "== {path}\ntitle: {:?}\nurl: {:?}\nlang: {:?}",
            doc.title(),
            doc.url(),
            doc.lang()
        );
        for line in doc.lines(&[]) {
            let b = line.block.unwrap_or_default();
            println!(
                "{}{:>4} {:<6} d{:<3} ld{:.2} h{:05x}{}{} | {}",
                if line.break_before { "\n" } else { "" },
                line.number,
                b.tag,
                b.depth,
                b.link_density,
                b.hints.0,
                if b.in_list { " L" } else { "" },
                if b.in_table { " T" } else { "" },
                line.text
            );
        }
    }
    Ok(())
}
