//! Hostile pages through the library, small enough for a debug build: deep
//! nesting is flattened without losing text and a legitimately deep page is
//! untouched; the size limit refuses raw and decompressed input alike. The
//! full-size cases (50 MB line, 100,000 levels, a million elements, batch
//! runs killed or out of disk) run through the release binary in
//! `tests/hostile.sh`.

use std::io::Write;
use std::time::{Duration, Instant};

use deboil::page::html::{prepass, HtmlDocument};
use deboil::{Cleaner, DecodeError, InputKind, Options, RuleSet};

const PARAGRAPH: &str =
    "A paragraph of invented article text that is long enough to keep, with several words, ends here.";

fn html_options() -> Options {
    Options {
        input: InputKind::Html,
        ..Options::default()
    }
}

#[test]
fn twenty_thousand_nested_divs_are_flattened_quickly_and_keep_their_text() {
    let page = format!(
        "<html><body>{}<p>{PARAGRAPH}</p>{}</body></html>",
        "<div class=\"wrap\">".repeat(20_000),
        "</div>".repeat(20_000)
    );
    let started = Instant::now();
    let document = HtmlDocument::parse(&page);
    assert_eq!(document.flattened(), 20_000 - prepass::MAX_DEPTH);
    let cleaned = Cleaner::new(RuleSet::empty()).clean_html(&document, &html_options());
    // Unguarded, html5ever takes minutes on this in a debug build.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert!(cleaned.text().contains(PARAGRAPH), "{}", cleaned.text());
}

#[test]
fn text_at_every_level_of_a_too_deep_page_stays_on_its_own_line() {
    let levels = prepass::MAX_DEPTH + 100;
    let page: String = (0..levels)
        .map(|i| format!("<div>level {i} words"))
        .chain(std::iter::once("</div>".repeat(levels)))
        .collect();
    let lines = HtmlDocument::parse(&page).lines(&[]);
    assert_eq!(lines.len(), levels);
    assert_eq!(
        lines[levels - 1].text,
        format!("level {} words", levels - 1)
    );
}

#[test]
fn a_legitimately_deep_page_is_not_changed() {
    let page = format!(
        "<html><body>{}<article><h1>Deep headline</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH} Again.</p></article>{}</body></html>",
        "<div><section>".repeat(150),
        "</section></div>".repeat(150)
    );
    let document = HtmlDocument::parse(&page);
    assert_eq!(document.flattened(), 0);
    let lines = document.lines(&[]);
    assert_eq!(lines.len(), 3);
    let block = lines[1].block.as_ref().expect("HTML lines have blocks");
    assert_eq!(block.tag, "p");
    assert!(block.depth > 300, "depth {}", block.depth);
}

#[test]
fn inputs_over_the_size_limit_are_refused_raw_or_gunzipped() {
    let cleaner = Cleaner::new(RuleSet::empty()).with_max_bytes(10_000);
    let page = format!("{PARAGRAPH}\n").repeat(200);
    let err = cleaner
        .clean_bytes(page.as_bytes(), &Options::default())
        .unwrap_err();
    assert!(err.to_string().contains("--max-bytes"), "{err}");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(page.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    assert!(gz.len() < 10_000);
    let err = cleaner.clean_bytes(&gz, &Options::default()).unwrap_err();
    assert!(
        matches!(
            err,
            deboil::CleanError::Decode(DecodeError::GunzippedTooLarge { limit: 10_000 })
        ),
        "{err}"
    );
    let fits = Cleaner::new(RuleSet::empty()).with_max_bytes(page.len() as u64);
    assert!(fits.clean_bytes(&gz, &Options::default()).is_ok());
}
