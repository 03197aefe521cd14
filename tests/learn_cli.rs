//! `deboil rules learn` and `deboil batch --site-templates` from the command
//! line, on a generated site.

mod common;

use assert_cmd::Command;
use common::site_gen::{generate, LEDGER};

fn deboil() -> Command {
    let mut cmd = Command::cargo_bin("deboil").unwrap();
    cmd.env_remove("DEBOIL_RULES");
    cmd
}

fn write_site(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    for page in generate(LEDGER, 21, 50, false) {
        std::fs::write(dir.join(&page.name), &page.body).unwrap();
    }
}

#[test]
fn learn_prints_writes_refuses_to_overwrite_and_the_file_checks() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write_site(&site);
    let out = deboil()
        .args(["rules", "learn"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("action = \"cut-after\""), "{text}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("page-000.txt"), "{stderr}");
    assert!(stderr.contains("in all: 50 pages"), "{stderr}");

    let rules = tmp.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    let learn = |cmd: &mut Command| {
        cmd.args([
            "rules",
            "learn",
            "--site",
            "www.harbourledger.example",
            "--write",
            "--rules",
        ])
        .arg(&rules)
        .arg(&site)
        .output()
        .unwrap()
    };
    let first = learn(&mut deboil());
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let path = rules.join("harbourledger.example.toml");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("hosts = [\"harbourledger.example\"]"));
    let again = learn(&mut deboil());
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);

    let check = deboil()
        .args(["rules", "check"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("0 problems"));
}

#[test]
fn learn_refuses_too_few_pages() {
    let tmp = tempfile::tempdir().unwrap();
    for page in generate(LEDGER, 2, 3, false) {
        std::fs::write(tmp.path().join(&page.name), &page.body).unwrap();
    }
    let out = deboil()
        .args(["rules", "learn"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least"));
}

#[test]
fn batch_site_templates_counts_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write_site(&site);
    let report = tmp.path().join("report.json");
    let out = deboil()
        .arg("batch")
        .arg(&site)
        .arg(tmp.path().join("out"))
        .arg("--site-templates")
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("site templates learned for 1 group"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let count = report["totals"]["drop_reasons"]["site-template"]
        .as_u64()
        .unwrap_or(0);
    assert!(count > 50 * 20, "{count}");
    // Without the flag there is no such reason.
    let report2 = tmp.path().join("report2.json");
    deboil()
        .arg("batch")
        .arg(&site)
        .arg(tmp.path().join("out2"))
        .arg("--report")
        .arg(&report2)
        .assert()
        .success();
    let report2 = std::fs::read_to_string(&report2).unwrap();
    assert!(!report2.contains("site-template"));
}

#[test]
fn site_templates_redo_outputs_a_plain_batch_left_up_to_date() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write_site(&site);
    let out = tmp.path().join("out");
    deboil()
        .arg("batch")
        .arg(&site)
        .arg(&out)
        .assert()
        .success();
    let report = tmp.path().join("report.json");
    deboil()
        .arg("batch")
        .arg(&site)
        .arg(&out)
        .arg("--site-templates")
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let count = report["totals"]["drop_reasons"]["site-template"]
        .as_u64()
        .unwrap_or(0);
    assert!(
        count > 50 * 20,
        "outputs of the plain run were kept as up to date: {count}"
    );
}
