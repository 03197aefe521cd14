//! The `deboil rules list|check|new` commands: output and exit codes.

use assert_cmd::Command;
use predicates::prelude::*;

fn deboil() -> Command {
    let mut cmd = Command::cargo_bin("deboil").unwrap();
    cmd.env_remove("DEBOIL_RULES");
    cmd
}

#[test]
fn list_shows_builtin_files_and_user_overrides() {
    deboil()
        .args(["rules", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("generic  [generic]  built-in"))
        .stdout(predicate::str::contains("hosts:  suaramalaysia.com"))
        .stdout(predicate::str::contains("detect: ^Suara Malaysia$"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wordpress.toml"),
        "detect = ['^Leave a Reply$']\n",
    )
    .unwrap();
    deboil()
        .args(["rules", "list", "--rules"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("wordpress  [site]"))
        .stdout(predicate::str::contains("replaces: the built-in file"));
}

#[test]
fn check_passes_on_builtin_files() {
    deboil()
        .args(["rules", "check"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(" 0 problems"));
}

#[test]
fn check_reports_bad_files_and_failing_examples_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "hosts = [\"a.com\"]\n[[rule]]\nid = \"x\"\naction = \"drop\"\nmatch = '(unclosed'\n",
    )
    .unwrap();
    let failing = dir.path().join("failing.toml");
    std::fs::write(
        &failing,
        "hosts = [\"b.com\"]\n[[rule]]\nid = \"x\"\naction = \"drop\"\nmatch = '^x$'\n[[example]]\nline = \"y\"\nexpect = \"drop\"\n",
    )
    .unwrap();
    deboil()
        .args(["rules", "check"])
        .arg(&bad)
        .arg(&failing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.toml:5:9: invalid regex in `match`",
        ))
        .stderr(predicate::str::contains(
            "failing.toml:6:1: example \"y\": expected drop, got no rule fired",
        ));
    // Without files, the --rules directories are checked too.
    deboil()
        .args(["rules", "check", "--rules"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:5:9"));
    // And a bad directory stops cleaning.
    deboil()
        .args(["clean", "--rules"])
        .arg(dir.path())
        .write_stdin("text\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:5:9"));
}

#[test]
fn new_writes_a_skeleton_that_checks_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    deboil()
        .args(["rules", "new", "https://www.News.Example.org/", "--rules"])
        .arg(dir.path())
        .assert()
        .failure()
        .code(2);
    deboil()
        .args(["rules", "new", "www.News.Example.org", "--rules"])
        .arg(dir.path())
        .assert()
        .success();
    let path = dir.path().join("news.example.org.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    for action in ["drop", "keep", "cut-after", "cut-before", "drop-block"] {
        assert!(
            text.contains(&format!("# action = \"{action}\"")),
            "{action} not taught"
        );
    }
    deboil()
        .args(["rules", "check"])
        .arg(&path)
        .assert()
        .code(0);
    deboil()
        .args(["rules", "new", "news.example.org", "--rules"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    // The current directory when no --rules is given.
    deboil()
        .current_dir(dir.path())
        .args(["rules", "new", "other.example"])
        .assert()
        .success();
    assert!(dir.path().join("other.example.toml").is_file());
}
