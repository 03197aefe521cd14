//! The learner on a generated site: `rules learn` must remove at least 95%
//! of the template lines and no article line, from text dumps and from
//! HTML; its file must load with the real loader and pass its examples;
//! batch `--site-templates` must do the same through the cleaner. The
//! learned files are locked in snapshots/.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use common::site_gen::{generate, GenPage, Label, Site, ECHO, LEDGER};
use deboil::learn::{self, LearnOptions, SiteTemplates, SourcePage};
use deboil::rules::Selection;
use deboil::{Cleaner, InputKind, Options, Reason, RuleSet, Verdict};

const PAGES: usize = 60;

/// Template lines removed, template lines, article lines removed, article
/// lines, lines whose label is unknown (HTML reader merged or split them).
#[derive(Debug, Default)]
struct Counts {
    template_removed: usize,
    template: usize,
    article_removed: Vec<String>,
    article: usize,
    unknown: usize,
}

impl Counts {
    fn add(&mut self, page: &GenPage, lines: &[String], removed: &[bool]) {
        let labels: HashMap<&str, Label> =
            page.lines.iter().map(|(t, l)| (t.as_str(), *l)).collect();
        for (text, removed) in lines.iter().zip(removed) {
            match labels.get(text.as_str()) {
                Some(Label::Template) => {
                    self.template += 1;
                    self.template_removed += usize::from(*removed);
                }
                Some(Label::Article) => {
                    self.article += 1;
                    if *removed {
                        self.article_removed.push(text.clone());
                    }
                }
                None => self.unknown += 1,
            }
        }
    }

    fn template_share(&self) -> f64 {
        self.template_removed as f64 / self.template.max(1) as f64
    }
}

fn source_pages(pages: &[GenPage], input: InputKind) -> Vec<SourcePage> {
    pages
        .iter()
        .map(|p| SourcePage {
            name: p.name.clone(),
            page: learn::read_page(p.body.as_bytes(), input).unwrap(),
        })
        .collect()
}

fn learn_and_count(site: Site, html: bool, host: Option<&str>) -> (learn::LearnedFile, Counts) {
    let pages = generate(site, 7, PAGES, html);
    let input = if html {
        InputKind::Html
    } else {
        InputKind::Text
    };
    let sources = source_pages(&pages, input);
    let options = LearnOptions {
        host: host.map(str::to_string),
        name: site.host.to_string(),
        source: "the generated site".into(),
    };
    let learned = learn::learn_rule_file(&sources, &options).expect("learns");
    let mut counts = Counts::default();
    for (page, source) in pages.iter().zip(&sources) {
        let hits = Selection::new(vec![&learned.file]).apply(&source.page);
        let removed: Vec<bool> = hits
            .iter()
            .map(|h| h.as_ref().is_some_and(|h| h.verdict == Verdict::Drop))
            .collect();
        let texts: Vec<String> = source.page.lines.iter().map(|l| l.text.clone()).collect();
        counts.add(page, &texts, &removed);
    }
    (learned, counts)
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn learns_text_dump_template_without_touching_articles() {
    let (learned, counts) = learn_and_count(LEDGER, false, None);
    eprintln!("text dumps: {counts:?}");
    assert_eq!(counts.unknown, 0);
    assert!(
        counts.article_removed.is_empty(),
        "{:?}",
        counts.article_removed
    );
    assert!(counts.template_share() >= 0.95, "{counts:?}");
    assert!(learned.file.hosts.is_empty());
    assert!(!learned.file.detect.is_empty());
    assert!(learned.file.check_examples().is_empty());
    snapshot("learned-text-dumps.toml", &learned.text);
}

#[test]
fn learns_html_template_without_touching_articles() {
    let (learned, counts) = learn_and_count(ECHO, true, Some("moorlandecho.example"));
    eprintln!("html: {counts:?}");
    assert!(counts.unknown <= counts.template / 50, "{counts:?}");
    assert!(
        counts.article_removed.is_empty(),
        "{:?}",
        counts.article_removed
    );
    assert!(counts.template_share() >= 0.95, "{counts:?}");
    assert_eq!(learned.file.hosts, ["moorlandecho.example"]);
    assert!(learned.file.check_examples().is_empty());
    snapshot("learned-html.toml", &learned.text);
}

#[test]
fn learned_file_loads_from_disk_and_selects_its_site() {
    let (learned, _) = learn_and_count(LEDGER, false, None);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("harbourledger.example.toml"), &learned.text).unwrap();
    let mut rules = RuleSet::builtin().unwrap();
    rules.add_dir(dir.path()).unwrap();
    let cleaner = Cleaner::new(rules);
    let page = &generate(LEDGER, 99, 1, false)[0];
    let cleaned = cleaner.clean_str(&page.body, &Options::default());
    assert_eq!(cleaned.site.as_deref(), Some("harbourledger.example"));
    // Unseen page of the same site: its template goes by the learned rules.
    let by_learned = cleaned
        .decisions
        .iter()
        .filter(
            |d| matches!(&d.reason, Reason::Rule(id) if id.starts_with("harbourledger.example/")),
        )
        .count();
    assert!(by_learned >= 25, "{by_learned}");
    // Another site is not recognized by the learned file.
    let other = &generate(ECHO, 3, 1, false)[0];
    let cleaned = cleaner.clean_str(&other.body, &Options::default());
    assert_eq!(cleaned.site, None);
}

#[test]
fn too_few_pages_is_an_error() {
    let pages = generate(LEDGER, 1, 4, false);
    let sources = source_pages(&pages, InputKind::Text);
    let err = learn::learn_rule_file(&sources, &LearnOptions::default()).unwrap_err();
    assert!(err.to_string().contains("at least"), "{err}");
}

#[test]
fn unrelated_pages_learn_nothing_or_no_article() {
    // Pages of two sites, six each: whatever is learned must spare articles.
    let mut pages = generate(LEDGER, 5, 6, false);
    pages.extend(generate(ECHO, 6, 6, false));
    let sources = source_pages(&pages, InputKind::Text);
    if let Ok(learned) = learn::learn_rule_file(
        &sources,
        &LearnOptions {
            host: Some("mixed.example".into()),
            name: "mixed".into(),
            source: "two sites".into(),
        },
    ) {
        for (page, source) in pages.iter().zip(&sources) {
            let hits = Selection::new(vec![&learned.file]).apply(&source.page);
            for ((text, label), hit) in page.lines.iter().zip(&hits) {
                assert!(!(*label == Label::Article && hit.is_some()), "{text}");
            }
        }
    }
}

fn write_site(dir: &std::path::Path, pages: &[GenPage], sub: &str, gzip: bool) -> Vec<PathBuf> {
    use std::io::Write;
    let root = dir.join(sub);
    std::fs::create_dir_all(&root).unwrap();
    pages
        .iter()
        .map(|p| {
            if gzip {
                let path = root.join(format!("{}.gz", p.name));
                let mut enc =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                enc.write_all(p.body.as_bytes()).unwrap();
                std::fs::write(&path, enc.finish().unwrap()).unwrap();
                path
            } else {
                let path = root.join(&p.name);
                std::fs::write(&path, &p.body).unwrap();
                path
            }
        })
        .collect()
}

/// Batch `--site-templates` through the library: two sites of text dumps
/// (grouped by signature) and one of gzipped HTML (grouped by host) in one
/// batch.
#[test]
fn site_templates_drop_template_lines_in_a_mixed_batch() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = generate(LEDGER, 11, PAGES, false);
    let echo = generate(ECHO, 12, 30, false);
    let echo_html = generate(ECHO, 13, 30, true);
    let mut paths = write_site(dir.path(), &ledger, "ledger", false);
    paths.extend(write_site(dir.path(), &echo, "echo", false));
    paths.extend(write_site(dir.path(), &echo_html, "echo-html", true));
    let cleaner = Cleaner::new(RuleSet::empty());
    let options = Options::default();
    let templates = SiteTemplates::learn(&cleaner, &paths, &options);
    let groups = templates.groups();
    assert_eq!(groups.len(), 3, "{groups:?}");

    let mut counts = Counts::default();
    let all: Vec<&GenPage> = ledger.iter().chain(&echo).chain(&echo_html).collect();
    for (page, path) in all.iter().zip(&paths) {
        let bytes = std::fs::read(path).unwrap();
        let cleaned = cleaner
            .clean_bytes_hinted(&bytes, &options, Some(&templates))
            .unwrap();
        let texts: Vec<String> = cleaned.lines.iter().map(|l| l.text.clone()).collect();
        let removed: Vec<bool> = cleaned
            .decisions
            .iter()
            .map(|d| d.reason == Reason::SiteTemplate)
            .collect();
        counts.add(page, &texts, &removed);
    }
    eprintln!("site templates: {counts:?}");
    assert!(
        counts.article_removed.is_empty(),
        "{:?}",
        counts.article_removed
    );
    assert!(counts.template_share() >= 0.95, "{counts:?}");
}
