//! `deboil clean --jsonl`: the record format (pass-through, the `deboil`
//! object, error records), order, blank lines, the line cap, defaults from
//! the command line and exit codes. Each cleaned record is compared with
//! what `deboil clean` prints for the same page alone.

use std::fs;

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use serde_json::Value;

fn deboil() -> Command {
    let mut cmd = cargo_bin_cmd!("deboil");
    cmd.env_remove("DEBOIL_RULES");
    cmd
}

/// Run `clean --jsonl` on `input` with `args`; the exit code, the output
/// lines parsed, and stderr.
fn jsonl(input: &str, args: &[&str]) -> (i32, Vec<Value>, String) {
    let out = deboil()
        .args(["clean", "--jsonl"])
        .args(args)
        .write_stdin(input)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad output line {l}: {e}")))
        .collect();
    (
        out.status.code().unwrap_or(-1),
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What `deboil clean` prints for one page.
fn clean_alone(page: &str, args: &[&str]) -> String {
    let out = deboil()
        .arg("clean")
        .args(args)
        .write_stdin(page)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn html_page(n: usize) -> String {
    format!(
        "<html><head><title>Story {n}</title></head><body>\
         <nav><a href=/>Home</a> <a href=/news>News</a></nav>\
         <h1>Harbour story number {n} makes the front page</h1>\
         <p>The harbour master said on Tuesday that story number {n} had been written to test the stream, \
         and that every paragraph of it should come back in the same order it went in.</p>\
         <p>A second paragraph of story {n} adds detail about the tides, the ferries and the weather on the quay.</p>\
         <div class=share>Share this article</div></body></html>"
    )
}

#[test]
fn unknown_fields_pass_through_byte_for_byte_in_order() {
    let page = html_page(1);
    let record = format!(
        r#"{{"zeta":1.50,"html":{},"nested":{{"b":2,"a":[1,"\u00e9",null]}},"url":"https://example.com/one","big":123456789012345678901234567890,"alpha":"x"}}"#,
        serde_json::to_string(&page).unwrap()
    );
    let output = deboil()
        .args(["clean", "--jsonl"])
        .write_stdin(record + "\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = output.stdout;
    let line = String::from_utf8(stdout).unwrap();
    assert!(
        line.starts_with(
            r#"{"zeta":1.50,"nested":{"b":2,"a":[1,"\u00e9",null]},"url":"https://example.com/one","big":123456789012345678901234567890,"alpha":"x","deboil":{"#
        ),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1);
    let out: Value = serde_json::from_str(&line).unwrap();
    let fields = &out["deboil"];
    let expected = clean_alone(&page, &["--url", "https://example.com/one"]);
    assert_eq!(fields["text"], expected.as_str());
    assert!(expected.contains("story number 1 had been written"));
    assert!(fields["lines_kept"].as_u64().unwrap() >= 2);
    assert!(fields["lines_dropped"].as_u64().unwrap() >= 1);
    assert!(fields.get("title").is_some() && fields.get("site").is_some());
    assert!(out.get("html").is_none(), "the raw page is not echoed");
}

#[test]
fn many_records_come_back_in_order_on_two_threads() {
    let count = 1200;
    let mut input = String::new();
    for i in 0..count {
        let record = serde_json::json!({"id": i, "html": html_page(i)});
        input += &record.to_string();
        input.push('\n');
    }
    let (code, out, stderr) = jsonl(&input, &["--jobs", "2"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(out.len(), count);
    for (i, record) in out.iter().enumerate() {
        assert_eq!(record["id"], i, "record {i} out of place");
        let text = record["deboil"]["text"].as_str().unwrap();
        assert!(
            text.contains(&format!("story number {i} had been written")),
            "record {i}: {text}"
        );
    }
    assert!(stderr.contains(&format!("{count} records")), "{stderr}");
}

#[test]
fn malformed_and_blank_lines() {
    let good = serde_json::json!({"id": "a", "html": html_page(2)}).to_string();
    let input = format!(
        "{good}\n\n   \n{{\"id\": \"b\", \"html\": \n[1,2]\n{{\"id\":\"c\",\"html\":7}}\n{{\"id\":\"d\",\"html\":\"<p>x</p>\",\"text\":\"y\"}}\n{{\"id\":\"e\"}}\n{{\"id\":\"f\",\"deboil\":1,\"text\":\"t\"}}\n{good}"
    );
    let (code, out, stderr) = jsonl(&input, &[]);
    assert_eq!(code, 0, "record errors are in-band: {stderr}");
    let errors: Vec<(u64, String)> = out
        .iter()
        .filter_map(|r| r.get("deboil_error"))
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let lines: Vec<u64> = errors.iter().map(|(l, _)| *l).collect();
    // Blank lines 2 and 3 give no output but count in line numbers.
    assert_eq!(lines, vec![4, 5, 6, 7, 8, 9]);
    assert!(errors[0].1.contains("not a JSON object"), "{errors:?}");
    assert!(errors[1].1.contains("not a JSON object"), "{errors:?}");
    assert!(
        errors[2].1.contains("`html` must be a string"),
        "{errors:?}"
    );
    assert!(errors[3].1.contains("both"), "{errors:?}");
    assert!(errors[4].1.contains("no `html` or `text`"), "{errors:?}");
    assert!(errors[5].1.contains("reserved"), "{errors:?}");
    // Records that parsed keep their own fields beside the error.
    assert_eq!(out[3]["id"], "c");
    assert_eq!(out[4]["id"], "d");
    assert_eq!(out.len(), 8);
    assert_eq!(out[0]["id"], "a");
    assert_eq!(out[7]["id"], "a");
    assert_eq!(out[7]["deboil"], out[0]["deboil"]);
    assert!(stderr.contains("2 blank lines"), "{stderr}");
}

#[test]
fn a_line_over_the_cap_is_an_error_and_the_stream_goes_on() {
    let big = serde_json::json!({"id": "big", "html": "x".repeat(5000)}).to_string();
    let small = serde_json::json!({"id": "small", "html": html_page(3)}).to_string();
    let input = format!("{small}\n{big}\n{small}\n");
    let cap = (small.len() + 10).to_string();
    let (code, out, _) = jsonl(&input, &["--max-record-bytes", &cap]);
    assert_eq!(code, 0);
    assert_eq!(out.len(), 3);
    let error = &out[1]["deboil_error"];
    assert_eq!(error["line"], 2);
    assert!(
        error["reason"].as_str().unwrap().contains("over the limit"),
        "{error}"
    );
    assert!(out[2]["deboil"]["text"].is_string());
}

#[test]
fn text_records_and_command_line_defaults() {
    let page = fs::read_to_string("tests/fixtures/express.co.uk/ferry-strike.txt").unwrap();
    let url = "https://www.express.co.uk/news/uk/1";
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"text": page}),
        serde_json::json!({"text": page, "url": "https://example.org/a"}),
    );
    let (code, out, _) = jsonl(&input, &["--url", url, "--body"]);
    assert_eq!(code, 0);
    // The default URL picks the site file; a record's own URL overrides it.
    assert_eq!(out[0]["deboil"]["site"], "express.co.uk");
    assert_eq!(out[1]["deboil"]["site"], Value::Null);
    let alone = clean_alone(&page, &["--url", url, "--body", "--input", "text"]);
    assert_eq!(out[0]["deboil"]["text"], alone.as_str());
    let alone = clean_alone(
        &page,
        &[
            "--url",
            "https://example.org/a",
            "--body",
            "--input",
            "text",
        ],
    );
    assert_eq!(out[1]["deboil"]["text"], alone.as_str());
}

#[test]
fn exit_codes() {
    // A missing input file is fatal.
    deboil()
        .args(["clean", "--jsonl", "/nonexistent/in.jsonl"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("/nonexistent/in.jsonl"));
    // --jsonl and --explain do not go together.
    deboil()
        .args(["clean", "--jsonl", "--explain"])
        .write_stdin("")
        .assert()
        .code(2);
    // --jobs 0 is refused.
    deboil()
        .args(["clean", "--jsonl", "--jobs", "0"])
        .write_stdin("")
        .assert()
        .code(2);
    // An empty stream is a successful run with no output.
    deboil()
        .args(["clean", "--jsonl"])
        .write_stdin("")
        .assert()
        .code(0)
        .stdout("");
    // A file argument reads the same as stdin.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.jsonl");
    let record = serde_json::json!({"id": 1, "html": html_page(4)}).to_string() + "\n";
    fs::write(&path, &record).unwrap();
    let from_file = deboil()
        .args(["clean", "--jsonl"])
        .arg(&path)
        .output()
        .unwrap();
    let (_, from_stdin, _) = jsonl(&record, &[]);
    assert!(from_file.status.success());
    let from_file: Value = serde_json::from_slice(&from_file.stdout).unwrap();
    assert_eq!(from_file, from_stdin[0]);
}
