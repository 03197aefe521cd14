//! The README's rule-file example is a real rule file: it loads, and its
//! examples pass.

use deboil::rules::{Origin, RuleFile};

#[test]
fn readme_rule_file_example_loads_and_its_examples_pass() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("```toml\n")
        .expect("the README has a TOML example")
        + "```toml\n".len();
    let len = readme[start..].find("```").expect("the example is closed");
    let example = &readme[start..start + len];
    let file = RuleFile::from_str("example.com", Origin::File("README.md".into()), example)
        .unwrap_or_else(|e| panic!("README rule file example: {e}"));
    assert_eq!(file.hosts, ["example.com"]);
    let failures = file.check_examples();
    assert!(failures.is_empty(), "README example fails: {failures:?}");
}
