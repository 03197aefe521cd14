//! Measures the built-in generic and platform rules against the benchmark's
//! gold article bodies: a rule that drops a line of some gold body is wrong.
//! Ignored by default (it needs /work/shared/bench); run with
//! `cargo test --test rules_bench -- --ignored --nocapture`.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use deboil::classify::Verdict;
use deboil::rules::{Level, RuleSet, Selection};
use deboil::{host_of, InputKind, Page};

const BENCH: &str = "/work/shared/bench/scrapinghub";

fn not_site(mut sel: Selection<'_>) -> Selection<'_> {
    sel.files.retain(|f| f.level != Level::Site);
    sel
}

#[test]
#[ignore = "needs the benchmark in /work/shared/bench"]
fn generic_and_platform_rules_keep_gold_lines() {
    let gold_path = Path::new(BENCH).join("ground-truth.json");
    let Ok(gold_text) = std::fs::read_to_string(&gold_path) else {
        panic!("{} is missing", gold_path.display());
    };
    let gold: serde_json::Value = serde_json::from_str(&gold_text).unwrap();
    let rules = RuleSet::builtin().unwrap();
    // rule id -> (lines dropped in text dumps, of which gold lines, lines
    // dropped when the gold body itself is the page)
    let mut table: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut gold_examples: Vec<String> = Vec::new();
    for (id, entry) in gold.as_object().unwrap() {
        let body = entry["articleBody"].as_str().unwrap_or("");
        let gold_lines: HashSet<&str> = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let host = entry["url"].as_str().and_then(host_of);
        // The gold body as a page: every drop is a gold line lost.
        let gold_page = Page::read(body, InputKind::Text);
        let selection = not_site(rules.select(host.as_deref(), &gold_page));
        for (line, hit) in gold_page.lines.iter().zip(selection.apply(&gold_page)) {
            if let Some(hit) = hit.filter(|h| h.verdict == Verdict::Drop) {
                table.entry(hit.rule_id.clone()).or_default().2 += 1;
                gold_examples.push(format!("{id:.8} {}: {}", hit.rule_id, line.text));
            }
        }
        // The text dump: how much each rule removes, and how much of it is gold.
        let dump = Path::new(BENCH).join("text").join(format!("{id}.txt"));
        let Ok(text) = std::fs::read_to_string(&dump) else {
            continue;
        };
        let page = Page::read(&text, InputKind::Text);
        let selection = not_site(rules.select(host.as_deref(), &page));
        for (line, hit) in page.lines.iter().zip(selection.apply(&page)) {
            if let Some(hit) = hit.filter(|h| h.verdict == Verdict::Drop) {
                let row = table.entry(hit.rule_id.clone()).or_default();
                row.0 += 1;
                if gold_lines.contains(line.text.as_str()) {
                    row.1 += 1;
                    gold_examples.push(format!("{id:.8} {} (dump): {}", hit.rule_id, line.text));
                }
            }
        }
    }
    println!(
        "{:<40} {:>8} {:>10} {:>10}",
        "rule", "dropped", "gold(dump)", "gold(body)"
    );
    for (rule, (dropped, gold_in_dump, gold_in_body)) in &table {
        println!("{rule:<40} {dropped:>8} {gold_in_dump:>10} {gold_in_body:>10}");
    }
    for example in &gold_examples {
        println!("  gold line dropped: {example}");
    }
    // Two gold bodies end with their publisher's copyright footer ("© 2019
    // Associated Press. All Rights Reserved. …"); dropping those is the
    // copyright rule doing its job, so allow them and nothing else.
    let lost: HashSet<&str> = gold_examples
        .iter()
        .map(|e| e.split_once(": ").map_or(e.as_str(), |(_, text)| text))
        .collect();
    assert!(
        lost.len() <= 2,
        "{} distinct gold lines dropped by generic/platform rules",
        lost.len()
    );
}
