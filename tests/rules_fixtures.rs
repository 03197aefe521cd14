//! The built-in rules on the fixture pages in tests/fixtures/<site>/: every
//! noise line of the site's pattern is dropped by a rule, and no article
//! paragraph is. (The classifier's share, such as repeated titles and related
//! headlines, is not tested here.)

use std::path::Path;

use deboil::classify::Verdict;
use deboil::rules::RuleSet;
use deboil::{InputKind, Page};
use regex::Regex;

/// Fixture directory, host to select it by (None: by detection only), and
/// the patterns of lines the rules must drop.
const SITES: &[(&str, Option<&str>, &[&str])] = &[
    (
        "express.co.uk",
        Some("www.express.co.uk"),
        &[r"^READ MORE:", r"^COMMENTS$", r"^WORDPRESS: \d+$"],
    ),
    (
        "suaramalaysia.com",
        Some("suaramalaysia.com"),
        &[
            r"^Suara Malaysia$",
            r"ADVERTISEMENT",
            r"^Fly .* from ",
            r"^\w+day, \w+ \d{1,2}, \d{4}$",
            r"^More$",
            r"^Home\p{Lu}",
            r"^-$",
            r"^ALSO READ:",
            r"^Related articles$",
            r"^Subscribe to Newsletter$",
            r"^To be updated",
            r"^Latest posts$",
        ],
    ),
    (
        "wordpress",
        None,
        &[
            r"^Posts Tagged ",
            r"^Archive for the ",
            r"^Tags:",
            r"^Posted in ",
            r"^\d+ Responses to ",
            r"^Leave a Reply$",
            r"^Your email address",
            r"^(Name|Email) \*$",
        ],
    ),
    (
        "reuters-syndication",
        None,
        &[
            r"Copyright Thomson Reuters",
            r"^(Condividi|Compartir|Share this article)$",
            r"^Facebook Twitter",
        ],
    ),
];

fn check(site: &str, host: Option<&str>, noise: &[Regex], rules: &RuleSet) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(site);
    let mut pages = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let page = Page::read(&text, InputKind::Text);
        let hits = rules.select(host, &page).apply(&page);
        let lines: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
        for (i, (line, hit)) in lines.iter().zip(&hits).enumerate() {
            let dropped = hit.as_ref().is_some_and(|h| h.verdict == Verdict::Drop);
            let where_ = format!("{}:{} ({host:?})", path.display(), page.lines[i].number);
            if noise.iter().any(|re| re.is_match(line)) {
                assert!(dropped, "{where_}: noise line kept: {line}");
            }
            // A line printed twice in a row at the end (the author box) and
            // the line before a tag footer (the category) are noise too.
            let next = lines.get(i + 1).copied();
            if next == Some(line) && i > lines.len() / 2
                || next.is_some_and(|n| n.starts_with("Tags:"))
            {
                assert!(dropped, "{where_}: noise line kept: {line}");
            }
            let paragraph = line.chars().count() >= 80 && line.ends_with(['.', '”', '"']);
            if paragraph && !line.contains("Copyright") {
                assert!(
                    !dropped,
                    "{where_}: article paragraph dropped by {hit:?}: {line}"
                );
            }
        }
        pages += 1;
    }
    assert!(pages >= 3, "{site}: only {pages} fixtures");
}

#[test]
fn builtin_rules_clean_the_fixtures() {
    let rules = RuleSet::builtin().unwrap();
    for (site, host, patterns) in SITES {
        let noise: Vec<Regex> = patterns.iter().map(|p| Regex::new(p).unwrap()).collect();
        check(site, None, &noise, &rules);
        if let Some(host) = host {
            check(site, Some(&deboil::normalize_host(host)), &noise, &rules);
        }
    }
}
