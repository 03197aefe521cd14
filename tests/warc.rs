//! `deboil warc`: WARC files written by the generator below (per-record
//! gzip as Common Crawl writes it, whole-file gzip, plain), with warcinfo,
//! request, metadata, HTML in a declared non-UTF-8 charset, chunked
//! transfer encoding, a non-HTML response, a 404, an over-size record and a
//! truncated final record. Cleaned records are compared with `deboil clean`
//! on the same page alone.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::Value;

fn deboil() -> Command {
    let mut cmd = cargo_bin_cmd!("deboil");
    cmd.env_remove("DEBOIL_RULES");
    cmd
}

/// One WARC record: header block, blank line, content, record terminator.
fn record(kind: &str, uri: &str, id: usize, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-0{}T10:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{id:012}>\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        id % 9 + 1,
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

fn response(uri: &str, id: usize, http_message: &[u8]) -> Vec<u8> {
    record(
        "response",
        uri,
        id,
        "application/http; msgtype=response",
        http_message,
    )
}

fn article(topic: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{topic}</title></head><body>\
         <nav><a href=/>Home</a> | <a href=/news>News</a> | <a href=/sport>Sport</a></nav>\
         <article><h1>The {topic} returns to the harbour after a long winter</h1>\
         <p>Crowds gathered on the quay on Saturday to watch the {topic} come in, the first time in five months \
         that it has been seen so close to the town, according to the harbour office.</p>\
         <p>Local traders said the {topic} brought visitors from across the county and that cafés stayed open late.</p>\
         </article><div class=\"share\">Share on Facebook</div><footer>Copyright 2024 Harbour News</footer></body></html>"
    )
}

/// The records of the test file, and the pages among them that deboil
/// should clean, with their URLs.
struct Corpus {
    records: Vec<Vec<u8>>,
    pages: Vec<(String, String)>,
}

fn corpus() -> Corpus {
    let mut records = Vec::new();
    let mut pages = Vec::new();
    records.push(record(
        "warcinfo",
        "",
        1,
        "application/warc-fields",
        b"software: deboil-test\r\nformat: WARC File Format 1.0\r\n",
    ));
    records.push(record(
        "request",
        "https://news.example.com/tall-ship",
        2,
        "application/http; msgtype=request",
        b"GET /tall-ship HTTP/1.1\r\nHost: news.example.com\r\n\r\n",
    ));
    let tall_ship = article("tall ship");
    records.push(response(
        "https://news.example.com/tall-ship",
        3,
        &http(
            "200 OK",
            "Content-Type: text/html; charset=utf-8\r\n",
            tall_ship.as_bytes(),
        ),
    ));
    pages.push(("https://news.example.com/tall-ship".into(), tall_ship));
    // Latin text in windows-1252, declared only in the HTTP header.
    let latin = article("crème brûlée barge").replace("cafés", "cafés “with €5 coffee”");
    let (latin_bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&latin);
    assert!(!unmappable);
    records.push(response(
        "https://www.express.co.uk/news/barge",
        4,
        &http(
            "200 OK",
            "Content-Type: text/html; charset=windows-1252\r\nServer: test\r\n",
            &latin_bytes,
        ),
    ));
    pages.push(("https://www.express.co.uk/news/barge".into(), latin));
    records.push(response(
        "https://news.example.com/logo.png",
        5,
        &http(
            "200 OK",
            "Content-Type: image/png\r\n",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        ),
    ));
    records.push(response(
        "https://news.example.com/missing",
        6,
        &http(
            "404 Not Found",
            "Content-Type: text/html\r\n",
            b"<html><body><p>Not found</p></body></html>",
        ),
    ));
    let lighthouse = article("lighthouse keeper");
    let mut chunked = Vec::new();
    for piece in lighthouse.as_bytes().chunks(100) {
        chunked.extend(format!("{:x}\r\n", piece.len()).into_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    records.push(response(
        "https://news.example.com/lighthouse",
        7,
        &http(
            "200 OK",
            "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
            &chunked,
        ),
    ));
    pages.push(("https://news.example.com/lighthouse".into(), lighthouse));
    records.push(record(
        "response",
        "dns:news.example.com",
        9,
        "text/dns",
        b"20240501100000\nnews.example.com. 300 IN A 192.0.2.1\n",
    ));
    records.push(record(
        "metadata",
        "https://news.example.com/lighthouse",
        8,
        "application/warc-fields",
        b"fetchTimeMs: 120\r\n",
    ));
    Corpus { records, pages }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Per-record gzip members, concatenated.
fn per_record_gzip(records: &[Vec<u8>]) -> Vec<u8> {
    records.iter().flat_map(|r| gzip(r)).collect()
}

fn run(args: &[&str], files: &[&Path]) -> (i32, Vec<Value>, String) {
    let out = deboil()
        .arg("warc")
        .args(args)
        .args(files)
        .output()
        .unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.code().unwrap_or(-1),
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn clean_alone(page: &str, url: &str) -> String {
    let out = deboil()
        .args(["clean", "--input", "html", "--url", url])
        .write_stdin(page)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// `deboil clean` of every page of the corpus, computed once.
fn expected_texts(corpus: &Corpus) -> &'static [String] {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        corpus
            .pages
            .iter()
            .map(|(url, page)| clean_alone(page, url))
            .collect()
    })
}

fn check_cleaned(out: &[Value], corpus: &Corpus) {
    assert_eq!(out.len(), corpus.pages.len(), "{out:?}");
    let expected = expected_texts(corpus);
    for ((record, (url, _)), text) in out.iter().zip(&corpus.pages).zip(expected) {
        assert_eq!(record["url"], url.as_str());
        assert!(record["warc_date"]
            .as_str()
            .unwrap()
            .starts_with("2024-05-"));
        assert!(record["warc_record_id"]
            .as_str()
            .unwrap()
            .starts_with("<urn:uuid:"));
        assert_eq!(record["deboil"]["text"], text.as_str(), "{url}");
    }
    let latin = out[1]["deboil"]["text"].as_str().unwrap();
    assert!(
        latin.contains("crème brûlée") && latin.contains("“with €5 coffee”"),
        "the declared charset decodes the page: {latin}"
    );
    assert_eq!(out[1]["deboil"]["site"], "express.co.uk");
}

#[test]
fn per_record_gzip_whole_gzip_and_plain_read_alike() {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let all: Vec<u8> = corpus.records.concat();
    let files = [
        ("cc.warc.gz", per_record_gzip(&corpus.records)),
        ("whole.warc.gz", gzip(&all)),
        ("plain.warc", all.clone()),
    ];
    for (name, bytes) in &files {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        let (code, out, stderr) = run(&["--jobs", "2"], &[&path]);
        assert_eq!(code, 0, "{name}: {stderr}");
        check_cleaned(&out, &corpus);
        assert!(
            stderr.contains("9 records")
                && stderr.contains("3 cleaned")
                && stderr.contains("3 not responses")
                && stderr.contains("2 not HTML")
                && stderr.contains("1 not status 200"),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn a_truncated_final_record_names_file_and_offset_and_keeps_the_rest() {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let mut records = corpus.records.clone();
    let last_offset: usize = records.iter().map(Vec::len).sum();
    records.push(response(
        "https://news.example.com/cut",
        19,
        &http(
            "200 OK",
            "Content-Type: text/html\r\n",
            article("cut").as_bytes(),
        ),
    ));
    for gz in [false, true] {
        let mut bytes = if gz {
            per_record_gzip(&records)
        } else {
            records.concat()
        };
        bytes.truncate(bytes.len() - 200);
        let path = dir.path().join(if gz { "cut.warc.gz" } else { "cut.warc" });
        fs::write(&path, &bytes).unwrap();
        let (code, out, stderr) = run(&[], &[&path]);
        assert_eq!(code, 1, "a damaged file exits 1: {stderr}");
        let (cleaned, damage) = out.split_at(out.len() - 1);
        check_cleaned(cleaned, &corpus);
        let error = &damage[0]["deboil_error"];
        assert_eq!(error["file"], path.display().to_string().as_str());
        assert_eq!(error["offset"], last_offset, "{error}");
        assert!(
            error["reason"].as_str().unwrap().contains("truncated"),
            "{error}"
        );
        assert!(
            stderr.contains(&path.display().to_string())
                && stderr.contains(&format!("offset {last_offset}"))
                && stderr.contains("truncated"),
            "{stderr}"
        );
    }
}

#[test]
fn an_oversize_record_is_an_error_and_the_file_goes_on() {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let mut records = corpus.records.clone();
    let big_page = article("whale").repeat(40);
    records.insert(
        3,
        response(
            "https://news.example.com/big",
            10,
            &http("200 OK", "Content-Type: text/html\r\n", big_page.as_bytes()),
        ),
    );
    let path = dir.path().join("big.warc.gz");
    fs::write(&path, per_record_gzip(&records)).unwrap();
    let (code, out, stderr) = run(&["--max-record-bytes", "20000"], &[&path]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(out.len(), 4);
    assert_eq!(out[1]["url"], "https://news.example.com/big");
    assert!(out[1]["deboil_error"]["reason"]
        .as_str()
        .unwrap()
        .contains("over the limit of 20000"));
    let cleaned: Vec<Value> = out
        .iter()
        .filter(|r| r.get("deboil").is_some())
        .cloned()
        .collect();
    check_cleaned(&cleaned, &corpus);
}

#[test]
fn several_files_and_a_missing_one() {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.warc.gz");
    let b = dir.path().join("b.warc");
    fs::write(&a, per_record_gzip(&corpus.records)).unwrap();
    fs::write(&b, corpus.records.concat()).unwrap();
    let missing = dir.path().join("missing.warc.gz");
    let (code, out, stderr) = run(&[], &[&a, &missing, &b]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(out.len(), 2 * corpus.pages.len());
    check_cleaned(&out[..3], &corpus);
    check_cleaned(&out[3..], &corpus);
    assert!(stderr.contains("missing.warc.gz: cannot read"), "{stderr}");
    // Not a WARC file at all: malformed, exit 1.
    let junk = dir.path().join("junk.warc");
    fs::write(&junk, "hello\n").unwrap();
    let (code, out, stderr) = run(&[], &[&junk]);
    assert_eq!(code, 1);
    assert_eq!(out.len(), 1);
    assert!(stderr.contains("malformed"), "{stderr}");
    // No file: usage error.
    deboil().arg("warc").assert().code(2);
}
