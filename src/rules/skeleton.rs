//! The commented skeleton that `deboil rules new HOST` writes: a valid site
//! file for HOST whose comments teach the schema, with one commented-out
//! rule (and its example) for every action.
//!
//! Writing the file (and refusing to overwrite one) is the binary's job.

/// The skeleton rule file for `host` (already normalized).
///
/// Lines starting with `## ` are prose; lines starting with `# ` are TOML
/// that the user can switch on by deleting the `# `.
pub fn skeleton(host: &str) -> String {
    TEMPLATE.replace("{HOST}", host)
}

const TEMPLATE: &str = r#"## Rules for {HOST}, read by deboil (`deboil rules check` validates this file).
##
## Lines starting with `## ` explain; lines starting with `# ` are rules and
## examples you can switch on by deleting the `# `. Every regex is Rust regex
## syntax (https://docs.rs/regex), searched anywhere in a line: anchor it with
## `^...$` to match whole lines, and prefer 'single quotes' so backslashes stay
## as written. `(?i)` at the start makes a regex case-insensitive.

## `site` (this file), `platform` (a CMS, found by `detect`) or `generic`
## (every page). Site rules beat platform rules, which beat generic rules,
## which beat the classifier; `keep` beats `drop` at the same level.
level = "site"

## The hosts this file applies to, subdomains included (m.{HOST} too).
hosts = ["{HOST}"]

## Regexes that recognize the site from the page's own lines, for text dumps
## cleaned without --url or --site. One matching line is enough, so pick a
## line only this site prints (its masthead, its copyright footer).
# detect = ['^Copyright \d{4} Example Media Ltd']

## ---- rules: each needs an `id` (unique in this file; shown as
## ---- `{HOST}/<id>` in --explain) and an `action`.

## drop: drop every line that matches.
# [[rule]]
# id = "ad-label"
# action = "drop"
# match = '^(ADVERTISEMENT|Sponsored content)$'

## keep: keep every line that matches, whatever the classifier thinks.
# [[rule]]
# id = "dateline"
# action = "keep"
# match = '^(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}$'

## cut-after: drop the marker line and everything after it (the last marker
## on the page counts).
# [[rule]]
# id = "comments-tail"
# action = "cut-after"
# match = '^Comments \(\d+\)$'

## cut-before: drop the marker line and everything before it (the first
## marker on the page counts).
# [[rule]]
# id = "breadcrumb"
# action = "cut-before"
# match = '^Home › '

## drop-block: drop from a line matching `match` to the next line matching
## `end` (both included), if `end` comes within `max_lines` lines (default 30);
## otherwise only the first line is dropped.
# [[rule]]
# id = "newsletter-box"
# action = "drop-block"
# match = '^Get our daily newsletter$'
# end = '^Subscribe$'
# max_lines = 5

## Neighbour conditions, on any action: `followed_by` / `preceded_by` are
## regexes one of the next / previous `within` lines (default 1) must match.
## Here: a short line without sentence punctuation right before "Tags:".
# [[rule]]
# id = "category-before-tags"
# action = "drop"
# match = '^[^.!?]{1,60}$'
# followed_by = '^Tags:'

## `selector` (instead of or besides `match`): a CSS selector; on HTML input
## the rule fires on every block inside a matching element.
# [[rule]]
# id = "author-box"
# action = "drop"
# selector = "div.author-box"

## ---- examples: a line and the decision this file's rules must give it
## ---- (`drop`, `keep`, or `none` when no rule may fire). `rule` names the
## ---- rule that must decide; `before` / `after` are the lines around it.
# [[example]]
# line = "ADVERTISEMENT"
# expect = "drop"
# rule = "ad-label"
#
# [[example]]
# line = "March 3, 2024"
# expect = "keep"
#
# [[example]]
# line = "Comments (12)"
# expect = "drop"
# rule = "comments-tail"
#
# [[example]]
# line = "Home › News › Politics"
# expect = "drop"
# rule = "breadcrumb"
#
# [[example]]
# line = "Sent every morning at seven."
# before = ["Get our daily newsletter"]
# after = ["Subscribe"]
# expect = "drop"
# rule = "newsletter-box"
#
# [[example]]
# line = "Local politics"
# after = ["Tags: council, budget"]
# expect = "drop"
# rule = "category-before-tags"
#
# [[example]]
# line = "The council met on Monday and approved the budget."
# expect = "none"
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Action, Origin, RuleFile};

    fn uncommented(text: &str) -> String {
        text.lines()
            .map(|l| {
                if l == "#" {
                    ""
                } else if let Some(rest) = l.strip_prefix("# ") {
                    rest
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn skeleton_is_valid_as_written() {
        let file = RuleFile::from_str(
            "news.example.org",
            Origin::File("x.toml".into()),
            &skeleton("news.example.org"),
        )
        .unwrap();
        assert_eq!(file.hosts, ["news.example.org"]);
        assert!(file.rules.is_empty());
        assert!(file.check_examples().is_empty());
    }

    #[test]
    fn skeleton_teaches_every_action_and_its_examples_pass() {
        let text = uncommented(&skeleton("example.org"));
        let file = RuleFile::from_str("example.org", Origin::File("x.toml".into()), &text).unwrap();
        for action in [
            Action::Drop,
            Action::Keep,
            Action::CutAfter,
            Action::CutBefore,
            Action::DropBlock,
        ] {
            assert!(
                file.rules.iter().any(|r| r.action == action),
                "{action:?} missing"
            );
        }
        assert!(file.rules.iter().any(|r| r.followed_by.is_some()));
        assert!(file.examples.len() >= 7);
        let failures = file.check_examples();
        assert!(failures.is_empty(), "{failures:?}");
    }
}
