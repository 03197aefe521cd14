//! Rule files: every validation error with its location, selection, each
//! action, neighbour conditions, precedence, user files overriding built-in
//! ones, and the built-in files' own examples.

use std::path::PathBuf;

use deboil::classify::Verdict;
use deboil::rules::{builtin_files, Origin, RuleFile, RuleHit, RuleSet, Selection};
use deboil::{InputKind, Page};

fn parse(text: &str) -> Result<RuleFile, deboil::RuleError> {
    RuleFile::from_str(
        "t.example",
        Origin::File(PathBuf::from("dir/t.example.toml")),
        text,
    )
}

fn error(text: &str) -> String {
    match parse(text) {
        Ok(_) => panic!("accepted a bad rule file:\n{text}"),
        Err(e) => e.to_string(),
    }
}

fn assert_error(text: &str, location: &str, reason: &str) {
    let message = error(text);
    assert!(
        message.starts_with(&format!("dir/t.example.toml:{location}: ")),
        "wrong location in {message:?}, wanted {location}"
    );
    assert!(
        message.contains(reason),
        "{message:?} does not say {reason:?}"
    );
}

const HEAD: &str = "hosts = [\"example.com\"]\n";

#[test]
fn toml_syntax_error_is_located() {
    assert_error(&format!("{HEAD}level == \"site\"\n"), "2:8", "extra `=`");
}

#[test]
fn unknown_key_is_located() {
    assert_error(
        &format!("{HEAD}colour = 1\n"),
        "2:1",
        "unknown field `colour`",
    );
    assert_error(
        &format!("{HEAD}[[rule]]\nid = \"a\"\naction = \"drop\"\nmatch = 'x'\nregex = 'y'\n"),
        "6:1",
        "unknown field `regex`",
    );
}

#[test]
fn invalid_regex_points_at_its_value() {
    assert_error(
        &format!("{HEAD}[[rule]]\nid = \"a\"\naction = \"drop\"\nmatch = '(abc'\n"),
        "5:9",
        "invalid regex in `match`: unclosed group",
    );
    assert_error(
        "detect = ['ok', '[z-a]']\n",
        "1:17",
        "invalid regex in `detect`",
    );
    assert_error(
        &format!("{HEAD}[[rule]]\nid = \"a\"\naction = \"drop\"\nmatch = 'x'\nfollowed_by = '*'\n"),
        "6:15",
        "invalid regex in `followed_by`",
    );
}

#[test]
fn oversized_regex_is_an_error_not_a_panic() {
    assert_error(
        &format!(
            "{HEAD}[[rule]]\nid = \"a\"\naction = \"drop\"\nmatch = '\\w{{5000}}\\w{{5000}}'\n"
        ),
        "5:9",
        "too large",
    );
}

#[test]
fn unknown_action_is_located() {
    assert_error(
        &format!("{HEAD}[[rule]]\nid = \"a\"\naction = \"erase\"\nmatch = 'x'\n"),
        "4:10",
        "unknown variant `erase`",
    );
}

#[test]
fn duplicate_id_points_at_the_second() {
    let text = format!(
        "{HEAD}[[rule]]\nid = \"a\"\naction = \"drop\"\nmatch = 'x'\n[[rule]]\nid = \"a\"\naction = \"keep\"\nmatch = 'y'\n"
    );
    assert_error(&text, "7:6", "duplicate rule id `a`");
}

#[test]
fn missing_fields_are_located() {
    assert_error(
        &format!("{HEAD}[[rule]]\nid = \"a\"\nmatch = 'x'\n"),
        "2:1",
        "missing field `action`",
    );
    assert_error(
        &format!("{HEAD}[[rule]]\nid = \"a\"\naction = \"drop\"\n"),
        "2:1",
        "needs `match`",
    );
    assert_error(
        &format!("{HEAD}[[rule]]\nid = \"a\"\naction = \"drop-block\"\nmatch = 'x'\n"),
        "4:10",
        "`drop-block` needs `end`",
    );
    assert_error(
        &format!("{HEAD}[[example]]\nline = \"x\"\n"),
        "2:1",
        "missing field `expect`",
    );
}

#[test]
fn misplaced_keys_are_refused() {
    assert_error(
        &format!("{HEAD}[[rule]]\nid = \"a\"\naction = \"drop\"\nmatch = 'x'\nend = 'y'\n"),
        "6:7",
        "`end` only belongs to `drop-block`",
    );
    assert_error(
        &format!("{HEAD}[[rule]]\nid = \"a\"\naction = \"drop\"\nmatch = 'x'\nwithin = 2\n"),
        "6:10",
        "`within` needs `followed_by` or `preceded_by`",
    );
    assert_error(
        &format!("{HEAD}[[rule]]\nid = \"a\"\naction = \"drop\"\nmatch = 'x'\nfollowed_by = 'y'\nwithin = 0\n"),
        "7:10",
        "between 1 and",
    );
    assert_error(
        &format!("{HEAD}[[rule]]\nid = \"bad id\"\naction = \"drop\"\nmatch = 'x'\n"),
        "3:6",
        "may only use",
    );
    assert_error(
        &format!("{HEAD}[[rule]]\nid = \"a\"\naction = \"drop\"\nselector = 'div[['\n"),
        "5:12",
        "invalid CSS selector",
    );
    assert_error(
        "level = \"generic\"\nhosts = [\"a.com\"]\n",
        "1:9",
        "applies to every page",
    );
    assert_error("level = \"platform\"\n", "1:9", "would never apply");
    assert_error("hosts = [\"https://a.com/x\"]\n", "1:10", "not a host name");
    assert_error(
        &format!("{HEAD}[[example]]\nline = \"x\"\nexpect = \"drop\"\nrule = \"nope\"\n"),
        "5:8",
        "does not have",
    );
}

fn page(lines: &[&str]) -> Page {
    Page::read(&lines.join("\n"), InputKind::Text)
}

/// Decisions of `files` (in selection order) on `lines`, as
/// `Some((verdict, rule id))`.
fn decide(files: &[&RuleFile], lines: &[&str]) -> Vec<Option<(Verdict, String)>> {
    let selection = Selection::new(files.to_vec());
    selection
        .apply(&page(lines))
        .into_iter()
        .map(|h: Option<RuleHit>| h.map(|h| (h.verdict, h.rule_id)))
        .collect()
}

fn verdicts(files: &[&RuleFile], lines: &[&str]) -> String {
    decide(files, lines)
        .iter()
        .map(|d| match d {
            None => '.',
            Some((Verdict::Keep, _)) => 'K',
            Some((Verdict::Drop, _)) => 'D',
        })
        .collect()
}

fn file(name: &str, level: &str, rules: &str) -> RuleFile {
    let head = match level {
        "generic" => "level = \"generic\"\n".to_string(),
        other => format!("level = \"{other}\"\nhosts = [\"{name}\"]\n"),
    };
    RuleFile::from_str(
        name,
        Origin::File(PathBuf::from(format!("{name}.toml"))),
        &(head + rules),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn each_action() {
    let f = file(
        "a.com",
        "site",
        r#"
[[rule]]
id = "drop-ad"
action = "drop"
match = '^AD$'
[[rule]]
id = "keep-date"
action = "keep"
match = '^\d{4}-\d{2}-\d{2}$'
[[rule]]
id = "tail"
action = "cut-after"
match = '^END$'
[[rule]]
id = "head"
action = "cut-before"
match = '^START$'
[[rule]]
id = "box"
action = "drop-block"
match = '^BOX$'
end = '^/BOX$'
max_lines = 3
"#,
    );
    let lines = [
        "nav",
        "START",
        "AD",
        "2024-01-02",
        "text",
        "BOX",
        "in box",
        "/BOX",
        "text",
        "END",
        "x",
        "END",
        "y",
    ];
    // cut-before: first START; cut-after: last END.
    assert_eq!(verdicts(&[&f], &lines), "DDDK.DDD...DD");
    let d = decide(&[&f], &lines);
    assert_eq!(d[0].as_ref().unwrap().1, "a.com/head");
    assert_eq!(d[6].as_ref().unwrap().1, "a.com/box");
    assert_eq!(d[12].as_ref().unwrap().1, "a.com/tail");
    // A block whose end is out of reach drops only its first line.
    assert_eq!(
        verdicts(&[&f], &["BOX", "a", "b", "c", "d", "/BOX"]),
        "D....."
    );
}

#[test]
fn neighbour_conditions() {
    let f = file(
        "a.com",
        "site",
        r#"
[[rule]]
id = "category"
action = "drop"
match = '^[^.]{1,40}$'
followed_by = '^Tags:'
[[rule]]
id = "after-byline"
action = "drop"
match = '.'
preceded_by = '^By '
[[rule]]
id = "near-related"
action = "drop"
match = '^[A-Z][a-z]+$'
followed_by = '^Related$'
within = 2
"#,
    );
    assert_eq!(
        verdicts(&[&f], &["Some text.", "History", "Tags: a"]),
        ".D."
    );
    assert_eq!(
        verdicts(&[&f], &["History", "Some text.", "Tags: a"]),
        "..."
    );
    assert_eq!(verdicts(&[&f], &["By Ann", "bio line", "more"]), ".D.");
    assert_eq!(verdicts(&[&f], &["Wan", "Wan", "Related"]), "DD.");
    assert_eq!(verdicts(&[&f], &["Wan", "x", "y", "Related"]), "....");
    // A condition on a neighbour that does not exist does not hold.
    assert_eq!(verdicts(&[&f], &["History"]), ".");
}

#[test]
fn precedence_site_platform_generic_and_keep_over_drop() {
    let generic = file(
        "generic",
        "generic",
        "[[rule]]\nid = \"g\"\naction = \"drop\"\nmatch = '^X'\n",
    );
    let platform = file(
        "cms",
        "platform",
        "[[rule]]\nid = \"p\"\naction = \"keep\"\nmatch = '^XY'\n",
    );
    let site = file(
        "a.com",
        "site",
        "[[rule]]\nid = \"s\"\naction = \"drop\"\nmatch = '^XYZ'\n[[rule]]\nid = \"s-keep\"\naction = \"keep\"\nmatch = '^XYZ!'\n",
    );
    let all = [&site, &platform, &generic];
    let d = decide(&all, &["X", "XY", "XYZ", "XYZ!"]);
    assert_eq!(d[0], Some((Verdict::Drop, "generic/g".into())));
    assert_eq!(d[1], Some((Verdict::Keep, "cms/p".into())));
    assert_eq!(d[2], Some((Verdict::Drop, "a.com/s".into())));
    // Same level: keep beats drop, whatever the rule order.
    assert_eq!(d[3], Some((Verdict::Keep, "a.com/s-keep".into())));
    // A site keep beats a generic cut.
    let cut = file(
        "generic",
        "generic",
        "[[rule]]\nid = \"cut\"\naction = \"cut-after\"\nmatch = '^END$'\n",
    );
    let keep = file(
        "a.com",
        "site",
        "[[rule]]\nid = \"k\"\naction = \"keep\"\nmatch = '^keep me$'\n",
    );
    assert_eq!(
        verdicts(&[&keep, &cut], &["a", "END", "keep me", "b"]),
        ".DKD"
    );
}

#[test]
fn selection_by_host_subdomain_and_detect() {
    let rules = RuleSet::builtin().unwrap();
    let plain = page(&["Some text of an article, long enough to be one."]);
    let names = |host: Option<&str>, p: &Page| rules.select(host, p).names();
    assert_eq!(
        names(Some("express.co.uk"), &plain),
        ["express.co.uk", "generic"]
    );
    assert_eq!(
        names(Some("news.express.co.uk"), &plain),
        ["express.co.uk", "generic"]
    );
    assert_eq!(names(Some("notexpress.co.uk"), &plain), ["generic"]);
    assert_eq!(names(None, &plain), ["generic"]);
    let dump = page(&["Suara Malaysia", "Some text."]);
    assert_eq!(rules.select(None, &dump).site(), Some("suaramalaysia.com"));
    // A known host wins over detection.
    assert_eq!(rules.select(Some("example.org"), &dump).site(), None);
    let wp = page(&["Some text.", "Leave a Reply"]);
    assert_eq!(names(Some("example.org"), &wp), ["wordpress", "generic"]);
    assert_eq!(
        names(Some("suaramalaysia.com"), &wp),
        ["suaramalaysia.com", "wordpress", "generic"]
    );
}

#[test]
fn user_file_replaces_builtin_and_bad_dirs_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("express.co.uk.toml"),
        "hosts = [\"express.co.uk\"]\n[[rule]]\nid = \"mine\"\naction = \"drop\"\nmatch = '^MINE$'\n",
    )
    .unwrap();
    let mut rules = RuleSet::builtin().unwrap();
    let before = rules.files().len();
    rules.add_dir(dir.path()).unwrap();
    assert_eq!(rules.files().len(), before);
    let express = rules
        .files()
        .iter()
        .find(|f| f.name == "express.co.uk")
        .unwrap();
    assert_eq!(
        express.replaces,
        Some(Origin::Builtin("express.co.uk.toml"))
    );
    assert_eq!(express.rules.len(), 1);
    let p = page(&["MINE", "COMMENTS"]);
    let hits = rules.select(Some("express.co.uk"), &p).apply(&p);
    assert_eq!(hits[0].as_ref().unwrap().rule_id, "express.co.uk/mine");
    assert!(hits[1].is_none(), "the built-in express rules are gone");

    // A directory with one bad file adds nothing, not even the good files.
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(bad.path().join("a.toml"), "hosts = [\"a.com\"]\n").unwrap();
    std::fs::write(bad.path().join("b.toml"), "hosts = [\"b.com\"\n").unwrap();
    let count = rules.files().len();
    let err = rules.add_dir(bad.path()).unwrap_err().to_string();
    assert!(err.contains("b.toml:"), "{err}");
    assert_eq!(rules.files().len(), count);
}

#[test]
fn every_builtin_file_loads_and_its_examples_pass() {
    let files = builtin_files();
    assert!(files.len() >= 4);
    for file in files {
        let file = file.unwrap_or_else(|e| panic!("{e}"));
        assert!(!file.examples.is_empty(), "{} has no examples", file.name);
        let failures = file.check_examples();
        assert!(failures.is_empty(), "{}: {failures:#?}", file.name);
        // Every rule is exercised by at least one example that names it or
        // that its action covers.
        for rule in &file.rules {
            assert!(
                file.examples
                    .iter()
                    .any(|e| e.rule.as_deref() == Some(rule.id.as_str())),
                "{}/{} has no example naming it",
                file.name,
                rule.id
            );
        }
    }
}

#[test]
fn failing_examples_are_reported() {
    let f = parse(&format!(
        "{HEAD}[[rule]]\nid = \"a\"\naction = \"drop\"\nmatch = '^ad$'\n[[example]]\nline = \"ad\"\nexpect = \"keep\"\n[[example]]\nline = \"text\"\nexpect = \"none\"\n"
    ))
    .unwrap();
    let failures = f.check_examples();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].example.location, (6, 1));
    assert_eq!(
        failures[0].to_string(),
        "example \"ad\": expected keep, got drop by `t.example/a`"
    );
}
