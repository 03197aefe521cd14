//! Measure the learner on the generated site: template lines removed and
//! article lines lost, by a learned rule file (`rules learn`) and by batch
//! `--site-templates`, for text dumps and HTML:
//! `cargo run --example learn_measure [-- --pages N --seed S]`.

#[path = "../tests/common/site_gen.rs"]
mod site_gen;

use std::collections::HashMap;

use deboil::learn::{self, LearnOptions, SiteTemplates, SourcePage};
use deboil::rules::Selection;
use deboil::{Cleaner, InputKind, Options, Reason, RuleSet, Verdict};
use site_gen::{generate, GenPage, Label, LEDGER};

#[derive(Default)]
struct Tally {
    template: usize,
    template_removed: usize,
    article: usize,
    article_lost: usize,
}

impl Tally {
    fn add(&mut self, page: &GenPage, texts: &[&str], removed: &[bool]) {
        let labels: HashMap<&str, Label> =
            page.lines.iter().map(|(t, l)| (t.as_str(), *l)).collect();
        for (text, removed) in texts.iter().zip(removed) {
            match labels.get(text) {
                Some(Label::Template) => {
                    self.template += 1;
                    self.template_removed += usize::from(*removed);
                }
                Some(Label::Article) => {
                    self.article += 1;
                    self.article_lost += usize::from(*removed);
                }
                None => {}
            }
        }
    }

    fn line(&self, what: &str) -> String {
        format!(
            "{what:<34} template removed {:>5}/{:<5} ({:>5.1}%)  article lost {}/{}",
            self.template_removed,
            self.template,
            100.0 * self.template_removed as f64 / self.template.max(1) as f64,
            self.article_lost,
            self.article
        )
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str, default: u64| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (pages_n, seed) = (value("--pages", 60) as usize, value("--seed", 7));
    for html in [false, true] {
        let kind = if html { "HTML" } else { "text dumps" };
        let input = if html {
            InputKind::Html
        } else {
            InputKind::Text
        };
        let pages = generate(LEDGER, seed, pages_n, html);
        let sources: Vec<SourcePage> = pages
            .iter()
            .map(|p| {
                Ok(SourcePage {
                    name: p.name.clone(),
                    page: learn::read_page(p.body.as_bytes(), input)?,
                })
            })
            .collect::<Result<_, deboil::DecodeError>>()?;
        let options = LearnOptions {
            host: None,
            name: LEDGER.host.into(),
            source: "the generated site".into(),
        };
        let learned = learn::learn_rule_file(&sources, &options)?;
        let mut tally = Tally::default();
        for (page, source) in pages.iter().zip(&sources) {
            let hits = Selection::new(vec![&learned.file]).apply(&source.page);
            let removed: Vec<bool> = hits
                .iter()
                .map(|h| h.as_ref().is_some_and(|h| h.verdict == Verdict::Drop))
                .collect();
            let texts: Vec<&str> = source.page.lines.iter().map(|l| l.text.as_str()).collect();
            tally.add(page, &texts, &removed);
        }
        println!(
            "{}",
            tally.line(&format!(
                "{kind}: rules learn ({} rules)",
                learned.file.rules.len()
            ))
        );

        let dir = tempfile::tempdir()?;
        let mut paths = Vec::new();
        for page in &pages {
            let path = dir.path().join(&page.name);
            std::fs::write(&path, &page.body)?;
            paths.push(path);
        }
        // No rule files, so every removal below is the templates' own.
        let cleaner = Cleaner::new(RuleSet::empty());
        let options = Options::default();
        let templates = SiteTemplates::learn(&cleaner, &paths, &options);
        let mut tally = Tally::default();
        for (page, path) in pages.iter().zip(&paths) {
            let cleaned =
                cleaner.clean_bytes_hinted(&std::fs::read(path)?, &options, Some(&templates))?;
            let texts: Vec<&str> = cleaned.lines.iter().map(|l| l.text.as_str()).collect();
            let removed: Vec<bool> = cleaned
                .decisions
                .iter()
                .map(|d| d.reason == Reason::SiteTemplate)
                .collect();
            tally.add(page, &texts, &removed);
        }
        println!("{}", tally.line(&format!("{kind}: --site-templates")));
    }
    Ok(())
}
