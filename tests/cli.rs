//! The `deboil` command line: `clean` and `batch`, their exit codes, files
//! and messages. These tests assert on structure (which lines, which files,
//! which keys, which codes), not on the exact cleaned text of article
//! pages: the classifier decides that, and the snapshot suite pins it.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const SAMPLE: &str = "tests/fixtures/sample/page.txt";

/// An invented page with site noise around a few article paragraphs.
const PAGE: &str = "\
Gull Island Courier
ADVERTISEMENT Fly to Lisbon from Gull Island
Home > News > Local

Night ferry to return after four-year absence, operators confirm

The night ferry between the harbour and Gull Island will run again from next month, the operators confirmed on Thursday, ending a four-year gap that islanders said had cut them off after dark.

The service will run three nights a week at first, with a fourth added in summer if the numbers justify it. Tickets will cost the same as the day crossing.

READ MORE: Harbour car park to close for resurfacing

\"We have asked for this every winter since it stopped,\" said the chair of the island council, who had collected more than two thousand signatures for the return of the service.

Tags: ferry, island, transport
Leave a Reply
Your email address will not be published. Required fields are marked *
";

fn deboil() -> Command {
    let mut cmd = cargo_bin_cmd!("deboil");
    cmd.env_remove("DEBOIL_RULES");
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("deboil prints UTF-8")
}

/// The non-blank lines of `text`, trimmed.
fn content_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Every non-blank line of `output` is a trimmed input line, in input order.
fn assert_lines_from_input(output: &str, input: &str) {
    let input_lines = content_lines(input);
    let mut from = 0;
    for line in content_lines(output) {
        match input_lines[from..].iter().position(|l| *l == line) {
            Some(at) => from += at + 1,
            None => panic!("output line not in the input, or out of order: {line:?}"),
        }
    }
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

// ---- clean ----------------------------------------------------------------

#[test]
fn clean_a_file_prints_lines_of_the_page() {
    let input = fs::read_to_string(SAMPLE).unwrap();
    let out = stdout_of(deboil().args(["clean", SAMPLE]));
    assert!(
        !content_lines(&out).is_empty(),
        "nothing kept of the sample"
    );
    for line in content_lines(&out) {
        assert!(
            content_lines(&input).contains(&line),
            "not an input line: {line:?}"
        );
    }
    // Without the title, the kept lines keep their input order.
    let body = stdout_of(deboil().args(["clean", "--body", SAMPLE]));
    assert_lines_from_input(&body, &input);
}

#[test]
fn clean_reads_stdin_with_no_argument_and_with_dash() {
    let from_file = stdout_of(deboil().args(["clean", SAMPLE]));
    let input = fs::read(SAMPLE).unwrap();
    let no_arg = stdout_of(deboil().arg("clean").write_stdin(input.clone()));
    let dash = stdout_of(deboil().args(["clean", "-"]).write_stdin(input));
    assert_eq!(no_arg, from_file);
    assert_eq!(dash, from_file);
}

/// Parse `--explain` rows: (line number, verdict, reason, text).
fn explain_rows(explain: &str) -> Vec<(usize, String, String, String)> {
    explain
        .lines()
        .map(|row| {
            let (head, text) = row
                .split_once(" | ")
                .unwrap_or_else(|| panic!("explain row without ` | `: {row:?}"));
            let mut fields = head.split_whitespace();
            let number = fields.next().and_then(|n| n.parse().ok());
            let verdict = fields.next().unwrap_or_default().to_string();
            let reason = fields.next().unwrap_or_default().to_string();
            assert!(fields.next().is_none(), "reason with spaces: {row:?}");
            let number = number.unwrap_or_else(|| panic!("no line number: {row:?}"));
            (number, verdict, reason, text.to_string())
        })
        .collect()
}

#[test]
fn explain_lists_every_line_with_a_verdict_and_reason() {
    let explain = stdout_of(deboil().args(["clean", "--explain"]).write_stdin(PAGE));
    let rows = explain_rows(&explain);
    let expected: Vec<(usize, &str)> = PAGE
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.trim()))
        .collect();
    let got: Vec<(usize, &str)> = rows.iter().map(|r| (r.0, r.3.as_str())).collect();
    assert_eq!(got, expected);
    for (_, verdict, reason, _) in &rows {
        assert!(
            verdict == "KEEP" || verdict == "DROP",
            "verdict {verdict:?}"
        );
        assert!(!reason.is_empty());
    }
    // The kept rows are what plain `clean --body` prints (in order).
    let body = stdout_of(deboil().args(["clean", "--body"]).write_stdin(PAGE));
    let kept: Vec<&str> = rows
        .iter()
        .filter(|r| r.1 == "KEEP" && r.2 != "title")
        .map(|r| r.3.as_str())
        .collect();
    assert_eq!(content_lines(&body), kept);
}

#[test]
fn json_output_has_the_documented_keys() {
    let json = stdout_of(deboil().args(["clean", "--format", "json", SAMPLE]));
    let value: Value = serde_json::from_str(&json).expect("--format json prints JSON");
    for key in ["title", "text", "site", "rules_used", "dropped"] {
        assert!(value.get(key).is_some(), "missing key {key}: {json}");
    }
    assert!(value["title"].is_null() || value["title"].is_string());
    assert!(value["site"].is_null() || value["site"].is_string());
    assert!(value["rules_used"].is_array());
    let text = stdout_of(deboil().args(["clean", SAMPLE]));
    assert_eq!(
        value["text"],
        text.as_str(),
        "json text differs from text output"
    );

    let input = fs::read_to_string(SAMPLE).unwrap();
    let lines: Vec<&str> = input.lines().collect();
    for dropped in value["dropped"].as_array().unwrap() {
        let number = dropped["line"].as_u64().expect("dropped.line") as usize;
        assert_eq!(dropped["text"], lines[number - 1].trim(), "{dropped}");
        assert!(dropped["reason"].as_str().is_some_and(|r| !r.is_empty()));
    }
}

#[test]
fn body_leaves_out_only_the_title() {
    let json = stdout_of(
        deboil()
            .args(["clean", "--format", "json"])
            .write_stdin(PAGE),
    );
    let value: Value = serde_json::from_str(&json).unwrap();
    let full = stdout_of(deboil().arg("clean").write_stdin(PAGE));
    let body = stdout_of(deboil().args(["clean", "--body"]).write_stdin(PAGE));
    match value["title"].as_str() {
        Some(title) if body.is_empty() => assert_eq!(full, format!("{title}\n")),
        Some(title) => assert_eq!(full, format!("{title}\n\n{body}")),
        None => assert_eq!(full, body),
    }
    let body_json = stdout_of(
        deboil()
            .args(["clean", "--body", "--format", "json"])
            .write_stdin(PAGE),
    );
    let body_value: Value = serde_json::from_str(&body_json).unwrap();
    assert_eq!(body_value["text"], body.as_str());
}

#[test]
fn empty_input_gives_empty_output() {
    deboil()
        .arg("clean")
        .write_stdin("")
        .assert()
        .success()
        .stdout("");
    deboil()
        .arg("clean")
        .write_stdin("\n  \n\t\n")
        .assert()
        .success()
        .stdout("");
}

#[test]
fn binary_input_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.jpg");
    write(&path, b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01");
    deboil()
        .arg("clean")
        .arg(&path)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("photo.jpg").and(predicate::str::contains("binary")));
    deboil()
        .arg("clean")
        .write_stdin(&b"text\0more"[..])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("<stdin>").and(predicate::str::contains("binary")));
}

#[test]
fn missing_file_is_an_error_naming_it() {
    deboil()
        .args(["clean", "no/such/page.txt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("no/such/page.txt"));
}

#[test]
fn windows_1252_input_is_decoded() {
    // “Café” with curly quotes and an e-acute, as windows-1252 bytes.
    let mut bytes = Vec::new();
    for _ in 0..3 {
        bytes.extend_from_slice(
            b"The \x93Caf\xe9 du Port\x94 on the quay will stay open through the winter, its owner said, after a campaign by regulars.\n\n",
        );
    }
    let explain = stdout_of(
        deboil()
            .args(["clean", "--explain"])
            .write_stdin(bytes.clone()),
    );
    assert!(explain.contains("“Café du Port”"), "{explain}");
    assert!(
        !explain.contains('\u{fffd}'),
        "replacement characters: {explain}"
    );
    let text = stdout_of(deboil().arg("clean").write_stdin(bytes));
    assert!(!text.contains('\u{fffd}'));
}

// ---- batch ----------------------------------------------------------------

/// An input tree: three pages (one nested twice), a hidden directory.
fn input_tree(root: &Path) -> PathBuf {
    let input = root.join("scraped");
    write(&input.join("one.txt"), PAGE);
    write(&input.join("site/two.txt"), fs::read(SAMPLE).unwrap());
    write(
        &input.join("site/deep/three.txt"),
        PAGE.replace("night", "late"),
    );
    write(&input.join(".git/HEAD"), "ref: refs/heads/main\n");
    input
}

fn read_report(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).expect("the report is JSON")
}

#[test]
fn batch_mirrors_the_tree_with_summary_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_tree(tmp.path());
    let out = tmp.path().join("cleaned");
    let report = tmp.path().join("report.json");
    deboil()
        .arg("batch")
        .arg(&input)
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("\u{1b}").not())
        .stderr(
            predicate::str::contains("3 files")
                .and(predicate::str::contains("3 cleaned"))
                .and(predicate::str::contains("0 failed"))
                .and(predicate::str::contains("bytes:"))
                .and(predicate::str::contains("dropped")),
        );

    let rels = ["one.txt", "site/two.txt", "site/deep/three.txt"];
    for rel in rels {
        let cleaned = fs::read_to_string(out.join(rel)).unwrap();
        // Each output is exactly what `clean` prints for that file.
        let single = stdout_of(deboil().arg("clean").arg(input.join(rel)));
        assert_eq!(cleaned, single, "{rel}");
    }
    assert!(!out.join(".git").exists(), "hidden directories are skipped");

    let value = read_report(&report);
    let files = value["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["one.txt", "site/deep/three.txt", "site/two.txt"]);
    let mut bytes_in = 0;
    let mut bytes_out = 0;
    for file in files {
        let rel = file["path"].as_str().unwrap();
        assert_eq!(file["status"], "cleaned");
        assert!(file["error"].is_null());
        assert_eq!(file["output"], rel);
        let size_in = fs::metadata(input.join(rel)).unwrap().len();
        let size_out = fs::metadata(out.join(rel)).unwrap().len();
        assert_eq!(file["bytes_in"], size_in);
        assert_eq!(file["bytes_out"], size_out);
        let (lines_in, kept, dropped) = (
            file["lines_in"].as_u64().unwrap(),
            file["lines_kept"].as_u64().unwrap(),
            file["lines_dropped"].as_u64().unwrap(),
        );
        assert_eq!(lines_in, kept + dropped);
        let input_text = fs::read_to_string(input.join(rel)).unwrap();
        assert_eq!(lines_in, content_lines(&input_text).len() as u64);
        bytes_in += size_in;
        bytes_out += size_out;
    }
    let totals = &value["totals"];
    assert_eq!(totals["files"], 3);
    assert_eq!(totals["cleaned"], 3);
    assert_eq!(totals["failed"], 0);
    assert_eq!(totals["bytes_in"], bytes_in);
    assert_eq!(totals["bytes_out"], bytes_out);
}

#[test]
fn batch_with_one_job_writes_the_same_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_tree(tmp.path());
    let (out1, out_all) = (tmp.path().join("one-job"), tmp.path().join("all-jobs"));
    deboil()
        .arg("batch")
        .arg(&input)
        .arg(&out1)
        .args(["--jobs", "1"])
        .assert()
        .success();
    deboil()
        .arg("batch")
        .arg(&input)
        .arg(&out_all)
        .assert()
        .success();
    for rel in ["one.txt", "site/two.txt", "site/deep/three.txt"] {
        assert_eq!(
            fs::read(out1.join(rel)).unwrap(),
            fs::read(out_all.join(rel)).unwrap(),
            "{rel}"
        );
    }
    deboil()
        .arg("batch")
        .arg(&input)
        .arg(&out1)
        .args(["--jobs", "0"])
        .assert()
        .code(2);
}

#[test]
fn batch_reports_a_bad_file_and_cleans_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_tree(tmp.path());
    write(
        &input.join("site/logo.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    );
    let out = tmp.path().join("cleaned");
    let report = tmp.path().join("report.json");
    deboil()
        .arg("batch")
        .arg(&input)
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("1 failed")
                .and(predicate::str::contains("logo.png"))
                .and(predicate::str::contains("binary")),
        );
    for rel in ["one.txt", "site/two.txt", "site/deep/three.txt"] {
        assert!(out.join(rel).is_file(), "{rel} was not cleaned");
    }
    assert!(!out.join("site/logo.png").exists());
    let value = read_report(&report);
    let bad = value["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "site/logo.png")
        .expect("the failed file is in the report");
    assert_eq!(bad["status"], "failed");
    assert!(bad["error"].as_str().unwrap().contains("binary"));
    assert_eq!(value["totals"]["failed"], 1);
    assert_eq!(value["totals"]["cleaned"], 3);
}

#[test]
fn batch_refuses_an_output_inside_the_input() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_tree(tmp.path());
    for out in [
        input.join("cleaned"),
        input.clone(),
        input.join("site/../x"),
    ] {
        deboil()
            .arg("batch")
            .arg(&input)
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("inside the input directory"));
    }
    assert!(!input.join("cleaned").exists());
    assert!(!input.join("x").exists());
    deboil()
        .arg("batch")
        .arg(&input)
        .arg(tmp.path().join("out"))
        .arg("--report")
        .arg(input.join("report.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("report file"));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn batch_refuses_a_missing_input_directory() {
    let tmp = tempfile::tempdir().unwrap();
    deboil()
        .arg("batch")
        .arg(tmp.path().join("nowhere"))
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere"));
    assert!(!tmp.path().join("out").exists());
}
