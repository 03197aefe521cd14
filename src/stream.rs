//! Streaming JSON Lines: clean one page per input line, write one line out.
//!
//! Owns the JSONL record format (`url`, and `html` or `text`, in; every other
//! field passed through byte for byte and in order, plus a `deboil` object of
//! cleaned fields, out), in-band error records for malformed lines, the
//! bounded line reader (a line longer than the cap is skipped without being
//! held in memory) and [`run_ordered`], the chunked, parallel, order-keeping
//! engine that the WARC reader ([`crate::warc`]) uses too.
//!
//! Memory is bounded whatever the stream's length: lines are read in chunks
//! of at most [`StreamConfig::chunk_records`] records and
//! [`StreamConfig::chunk_bytes`] bytes; one chunk is cleaned on the thread
//! pool while the previous chunk's output is written and the next chunk is
//! read, so at most three chunks are alive at once.
//!
//! It does not print, pick exit codes or parse arguments (the binary does),
//! and it does not decide how a page is cleaned ([`Cleaner`] does).

use std::io::{self, BufRead, Write};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use thiserror::Error;

use crate::{Cleaned, Cleaner, InputKind, Options};

/// Default cap on one input line (JSONL) or one record's content (WARC).
pub const DEFAULT_MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// The output field that holds the cleaned page.
pub const OUTPUT_FIELD: &str = "deboil";
/// The output field that holds an error in place of the cleaned page.
pub const ERROR_FIELD: &str = "deboil_error";

/// How to run a stream.
#[derive(Debug, Clone)]
pub struct StreamConfig {
    /// Defaults for every record: a record's own `url` overrides
    /// `options.url`; `options.input` other than `Auto` overrides the kind
    /// the record's field names (`html` or `text`).
    pub options: Options,
    /// Worker threads; `None` uses rayon's default (all cores, or
    /// `RAYON_NUM_THREADS`).
    pub jobs: Option<usize>,
    /// Longest line (JSONL) or record content (WARC) accepted, in bytes.
    pub max_record_bytes: usize,
    /// Most records in one chunk.
    pub chunk_records: usize,
    /// Most input bytes in one chunk (a chunk always holds at least one
    /// record).
    pub chunk_bytes: usize,
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            options: Options::default(),
            jobs: None,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            chunk_records: 256,
            chunk_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Why a stream stopped. Errors in single records never stop a stream: they
/// are written in place as error records.
#[derive(Debug, Error)]
pub enum StreamError {
    #[error("cannot read the input: {0}")]
    Read(#[source] io::Error),
    #[error("cannot write the output: {0}")]
    Write(#[source] io::Error),
    #[error("cannot start {jobs} worker threads: {reason}")]
    Pool { jobs: usize, reason: String },
}

impl StreamError {
    /// The underlying I/O error, if any (a closed pipe, say).
    pub fn io_error(&self) -> Option<&io::Error> {
        match self {
            StreamError::Read(e) | StreamError::Write(e) => Some(e),
            StreamError::Pool { .. } => None,
        }
    }
}

/// Totals of a JSONL run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamSummary {
    /// Non-blank input lines, each answered by one output line.
    pub records: u64,
    /// Records cleaned.
    pub cleaned: u64,
    /// Records answered by an error record.
    pub errors: u64,
    /// Blank input lines, skipped without output.
    pub blank_lines: u64,
    pub elapsed: Duration,
}

/// The cleaned fields added to every record, under [`OUTPUT_FIELD`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanedFields {
    /// The cleaned article, exactly as `deboil clean` prints it.
    pub text: String,
    pub title: Option<String>,
    /// The site rule file that applied, if any.
    pub site: Option<String>,
    pub lines_kept: usize,
    pub lines_dropped: usize,
}

impl CleanedFields {
    pub fn new(cleaned: &Cleaned) -> Self {
        let kept = cleaned.decisions.iter().filter(|d| d.is_keep()).count();
        CleanedFields {
            text: cleaned.text(),
            title: cleaned.title.clone(),
            site: cleaned.site.clone(),
            lines_kept: kept,
            lines_dropped: cleaned.decisions.len() - kept,
        }
    }
}

/// A worker pool with `jobs` threads (`None`: rayon's default).
pub fn thread_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool, StreamError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| StreamError::Pool {
            jobs: jobs.unwrap_or(0),
            reason: e.to_string(),
        })
}

/// Run `work` over every item of every chunk on `pool`, and hand the results
/// to `write` in input order. While one chunk is being worked on, the
/// previous chunk's results are written and the next chunk is read, on the
/// calling thread (so neither the reader nor the writer need be `Send`).
/// Stops at the first error of `next_chunk` or `write`, after the chunk in
/// flight is done.
pub fn run_ordered<T, O, E>(
    pool: &rayon::ThreadPool,
    mut next_chunk: impl FnMut() -> Result<Option<Vec<T>>, E>,
    work: impl Fn(T) -> O + Sync,
    mut write: impl FnMut(O) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    O: Send,
{
    let mut written: Vec<O> = Vec::new();
    let mut chunk = next_chunk()?;
    while let Some(current) = chunk {
        let work = &work;
        let (results, next) = std::thread::scope(|scope| {
            let worker = scope
                .spawn(|| pool.install(|| current.into_par_iter().map(work).collect::<Vec<O>>()));
            let next = written
                .drain(..)
                .try_for_each(&mut write)
                .and_then(|()| next_chunk());
            let results = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (results, next)
        });
        written = results;
        chunk = next?;
    }
    written.into_iter().try_for_each(write)
}

/// One line of input, as read by [`read_bounded_line`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputLine {
    /// The line's bytes, without the line ending.
    Line(Vec<u8>),
    /// The line was longer than the cap; its bytes were skipped.
    TooLong { bytes: u64 },
}

/// Read one line of at most `cap` bytes (line ending not counted). A longer
/// line is read through and dropped, so it never sits in memory whole.
/// `None` at the end of input.
pub fn read_bounded_line<R: BufRead>(reader: &mut R, cap: usize) -> io::Result<Option<InputLine>> {
    let mut line = Vec::new();
    let mut total: u64 = 0;
    let mut seen_any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            if !seen_any {
                return Ok(None);
            }
            break;
        }
        seen_any = true;
        let (piece, used, done) = match memchr_newline(available) {
            Some(i) => (&available[..i], i + 1, true),
            None => (available, available.len(), false),
        };
        total += piece.len() as u64;
        if total <= cap as u64 + 1 {
            // One byte over the cap is kept so that a trailing '\r' just
            // past it can still be stripped below.
            line.extend_from_slice(piece);
        } else if !line.is_empty() {
            line = Vec::new();
        }
        reader.consume(used);
        if done {
            break;
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
        total -= 1;
    }
    if total > cap as u64 {
        return Ok(Some(InputLine::TooLong { bytes: total }));
    }
    Ok(Some(InputLine::Line(line)))
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

/// What became of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Cleaned,
    Error,
}

/// Clean a JSON Lines stream: one output line per non-blank input line, in
/// input order. Records that cannot be cleaned become error records in
/// place; only I/O failures stop the stream.
pub fn clean_jsonl<R: BufRead, W: Write>(
    cleaner: &Cleaner,
    mut input: R,
    mut output: W,
    config: &StreamConfig,
) -> Result<StreamSummary, StreamError> {
    let started = Instant::now();
    let pool = thread_pool(config.jobs)?;
    let mut summary = StreamSummary::default();
    let mut line_number: u64 = 0;
    let mut blank_lines: u64 = 0;
    let chunk_records = config.chunk_records.max(1);
    let next_chunk = || -> Result<Option<Vec<(u64, InputLine)>>, StreamError> {
        let mut chunk = Vec::new();
        let mut bytes = 0usize;
        while chunk.len() < chunk_records && bytes < config.chunk_bytes {
            let Some(line) = read_bounded_line(&mut input, config.max_record_bytes)
                .map_err(StreamError::Read)?
            else {
                break;
            };
            line_number += 1;
            if let InputLine::Line(l) = &line {
                if l.iter().all(u8::is_ascii_whitespace) {
                    blank_lines += 1;
                    continue;
                }
                bytes += l.len();
            }
            chunk.push((line_number, line));
        }
        Ok((!chunk.is_empty()).then_some(chunk))
    };
    let work = |(number, line): (u64, InputLine)| {
        clean_line(
            cleaner,
            number,
            line,
            config.max_record_bytes,
            &config.options,
        )
    };
    let write = |(mut record, outcome): (String, Outcome)| {
        summary.records += 1;
        match outcome {
            Outcome::Cleaned => summary.cleaned += 1,
            Outcome::Error => summary.errors += 1,
        }
        record.push('\n');
        output
            .write_all(record.as_bytes())
            .map_err(StreamError::Write)
    };
    run_ordered(&pool, next_chunk, work, write)?;
    output.flush().map_err(StreamError::Write)?;
    summary.blank_lines = blank_lines;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// A JSON object's fields in their order, each value kept as its raw text.
struct RawFields(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for RawFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = RawFields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFields, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(4));
                while let Some((key, value)) = map.next_entry::<String, Box<RawValue>>()? {
                    fields.push((key, value));
                }
                Ok(RawFields(fields))
            }
        }
        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// Input fields that deboil reads and does not pass through.
fn is_page_field(key: &str) -> bool {
    key == "html" || key == "text"
}

fn is_reserved(key: &str) -> bool {
    key == OUTPUT_FIELD || key == ERROR_FIELD
}

/// Clean one input line into one output line (without the newline).
pub fn clean_line(
    cleaner: &Cleaner,
    number: u64,
    line: InputLine,
    max_bytes: usize,
    defaults: &Options,
) -> (String, Outcome) {
    let bytes = match line {
        InputLine::Line(bytes) => bytes,
        InputLine::TooLong { bytes } => {
            let reason = format!(
                "line is {bytes} bytes, over the limit of {max_bytes}; raise --max-record-bytes or split the page"
            );
            return (error_record(&[], number, &reason), Outcome::Error);
        }
    };
    let fields = match serde_json::from_slice::<RawFields>(&bytes) {
        Ok(RawFields(fields)) => fields,
        Err(err) => {
            let reason = format!("not a JSON object: {err}");
            return (error_record(&[], number, &reason), Outcome::Error);
        }
    };
    match clean_fields(cleaner, &fields, defaults) {
        Ok(cleaned) => (output_record(&fields, &cleaned), Outcome::Cleaned),
        Err(reason) => (error_record(&fields, number, &reason), Outcome::Error),
    }
}

fn clean_fields(
    cleaner: &Cleaner,
    fields: &[(String, Box<RawValue>)],
    defaults: &Options,
) -> Result<CleanedFields, String> {
    if let Some((key, _)) = fields.iter().find(|(k, _)| is_reserved(k)) {
        return Err(format!(
            "field `{key}` is reserved for deboil's output; rename it"
        ));
    }
    let string_field = |name: &str| -> Result<Option<String>, String> {
        match fields.iter().rev().find(|(k, _)| k == name) {
            None => Ok(None),
            Some((_, raw)) => serde_json::from_str::<Option<String>>(raw.get())
                .map_err(|_| format!("field `{name}` must be a string")),
        }
    };
    let url = string_field("url")?;
    let (page, kind) = match (string_field("html")?, string_field("text")?) {
        (Some(html), None) => (html, InputKind::Html),
        (None, Some(text)) => (text, InputKind::Text),
        (Some(_), Some(_)) => {
            return Err("record has both `html` and `text`; give one page field".into())
        }
        (None, None) => return Err("record has no `html` or `text` field to clean".into()),
    };
    let options = Options {
        input: match defaults.input {
            InputKind::Auto => kind,
            forced => forced,
        },
        url: url.or_else(|| defaults.url.clone()),
        site: defaults.site.clone(),
        body_only: defaults.body_only,
    };
    Ok(CleanedFields::new(&cleaner.clean_str(&page, &options)))
}

/// Write a field name and value pair list as the inside of an object.
fn push_fields(out: &mut String, fields: &[(String, Box<RawValue>)]) {
    for (key, value) in fields {
        if is_page_field(key) || is_reserved(key) {
            continue;
        }
        push_key(out, key);
        out.push_str(value.get());
        out.push(',');
    }
}

fn push_key(out: &mut String, key: &str) {
    // Serializing a string cannot fail.
    out.push_str(&serde_json::to_string(key).unwrap_or_default());
    out.push(':');
}

fn output_record(fields: &[(String, Box<RawValue>)], cleaned: &CleanedFields) -> String {
    let mut out = String::from("{");
    push_fields(&mut out, fields);
    push_key(&mut out, OUTPUT_FIELD);
    out.push_str(&serde_json::to_string(cleaned).unwrap_or_default());
    out.push('}');
    out
}

#[derive(Serialize)]
struct LineError<'a> {
    line: u64,
    reason: &'a str,
}

fn error_record(fields: &[(String, Box<RawValue>)], line: u64, reason: &str) -> String {
    let mut out = String::from("{");
    push_fields(&mut out, fields);
    push_key(&mut out, ERROR_FIELD);
    out.push_str(&serde_json::to_string(&LineError { line, reason }).unwrap_or_default());
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], cap: usize) -> Vec<InputLine> {
        let mut reader = io::BufReader::with_capacity(4, input);
        let mut out = Vec::new();
        while let Some(line) = read_bounded_line(&mut reader, cap).unwrap() {
            out.push(line);
        }
        out
    }

    #[test]
    fn bounded_lines_split_strip_and_cap() {
        let got = lines(b"ab\r\ncdefgh\n\nxyz", 4);
        assert_eq!(
            got,
            vec![
                InputLine::Line(b"ab".to_vec()),
                InputLine::TooLong { bytes: 6 },
                InputLine::Line(vec![]),
                InputLine::Line(b"xyz".to_vec()),
            ]
        );
        // Exactly at the cap, with a CR after it, is still a line.
        assert_eq!(
            lines(b"abcd\r\n", 4),
            vec![InputLine::Line(b"abcd".to_vec())]
        );
        assert_eq!(lines(b"", 4), vec![]);
    }

    #[test]
    fn ordered_engine_keeps_order_across_chunks() {
        let pool = thread_pool(Some(2)).unwrap();
        let mut next = 0..50u32;
        let mut seen = Vec::new();
        run_ordered::<u32, u32, ()>(
            &pool,
            || {
                let chunk: Vec<u32> = next.by_ref().take(7).collect();
                Ok((!chunk.is_empty()).then_some(chunk))
            },
            |x| {
                std::thread::sleep(Duration::from_micros(u64::from(50 - x) * 20));
                x * 2
            },
            |x| {
                seen.push(x);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..50).map(|x| x * 2).collect::<Vec<_>>());
    }

    #[test]
    fn record_fields_pass_through_in_order() {
        let cleaner = Cleaner::builtin().unwrap();
        let line = br#"{"z":1,"html":"<p>Some article text that is long enough to stay in the page.</p>","a":{"y":2.50,"b":[1]},"url":"https://example.com/a"}"#;
        let (out, outcome) = clean_line(
            &cleaner,
            1,
            InputLine::Line(line.to_vec()),
            1000,
            &Options::default(),
        );
        assert_eq!(outcome, Outcome::Cleaned);
        assert!(
            out.starts_with(
                r#"{"z":1,"a":{"y":2.50,"b":[1]},"url":"https://example.com/a","deboil":{"#
            ),
            "{out}"
        );
    }
}
