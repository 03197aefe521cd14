//! Cleaning WARC files (as Common Crawl publishes them) into JSON Lines.
//!
//! Owns the choice of records to clean — `response` records whose HTTP
//! status is 200 and whose `Content-Type` is HTML, and `resource` records of
//! an HTML media type — the counts of everything skipped, and the output
//! record: `url` (the `WARC-Target-URI`, which also picks the site rule
//! file), `warc_date`, `warc_record_id` and the `deboil` object of
//! [`crate::stream::CleanedFields`]. The charset of the HTTP `Content-Type`
//! is passed to [`crate::decode::decode_with`].
//!
//! Records stream one at a time from [`reader`] into the order-keeping
//! parallel engine of [`crate::stream`]; content over the cap is skipped
//! unread. A record that cannot be cleaned becomes an error record in place
//! (`deboil_error: {file, offset, reason}`); a damaged file (truncated,
//! malformed framing, bad gzip) ends that file with one more error record
//! and is reported in [`WarcSummary::damage`]. It does not print or pick
//! exit codes.

pub mod http;
pub mod reader;

use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::stream::{run_ordered, CleanedFields, Outcome, StreamConfig, StreamError};
use crate::{decode, Cleaner, InputKind, Options};

pub use reader::{open, RecordHeader, WarcError, WarcReader};

/// Totals of one WARC file.
#[derive(Debug, Default)]
pub struct WarcSummary {
    /// Every record read, of any type.
    pub records: u64,
    /// HTML records cleaned.
    pub cleaned: u64,
    /// Records answered by an error record (too large, undecodable, bad
    /// HTTP), not counting the damage below.
    pub errors: u64,
    /// `warcinfo`, `request`, `metadata`, `revisit`, … records.
    pub not_response: u64,
    /// Responses that are not HTML.
    pub not_html: u64,
    /// HTML responses whose status is not 200.
    pub not_ok: u64,
    /// What ended the file early, if anything.
    pub damage: Option<WarcError>,
    pub elapsed: Duration,
}

/// Identifies the record an output line is about.
#[derive(Debug, Clone, Default, Serialize)]
struct RecordId {
    url: Option<String>,
    warc_date: Option<String>,
    warc_record_id: Option<String>,
}

impl RecordId {
    fn of(header: &RecordHeader) -> Self {
        RecordId {
            url: header.target_uri().map(str::to_string),
            warc_date: header.get("WARC-Date").map(str::to_string),
            warc_record_id: header.get("WARC-Record-ID").map(str::to_string),
        }
    }
}

#[derive(Serialize)]
struct CleanedRecord<'a> {
    #[serde(flatten)]
    id: &'a RecordId,
    deboil: &'a CleanedFields,
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    #[serde(flatten)]
    id: &'a RecordId,
    deboil_error: RecordError<'a>,
}

#[derive(Serialize)]
struct RecordError<'a> {
    file: &'a str,
    offset: u64,
    reason: &'a str,
}

/// One unit of work for the pool.
enum Job {
    Clean {
        id: RecordId,
        offset: u64,
        body: Vec<u8>,
        charset: Option<String>,
    },
    Error {
        id: RecordId,
        offset: u64,
        reason: String,
    },
}

/// What to do with one record, decided from its headers.
enum Plan {
    Skip(fn(&mut WarcSummary)),
    Clean {
        body: Vec<u8>,
        charset: Option<String>,
    },
    Error(String),
}

fn plan(header: &RecordHeader, content: Vec<u8>) -> Plan {
    let record_type = header.record_type();
    if record_type == "resource" {
        let content_type = http::ContentType::parse(header.get("Content-Type").unwrap_or(""));
        if !content_type.is_html() {
            return Plan::Skip(|s| s.not_html += 1);
        }
        return Plan::Clean {
            body: content,
            charset: content_type.charset,
        };
    }
    // A response that is not an HTTP message (a Heritrix `dns:` record,
    // say) has no page in it.
    let block_type = header.get("Content-Type").unwrap_or("application/http");
    if !block_type
        .trim()
        .to_ascii_lowercase()
        .starts_with("application/http")
    {
        return Plan::Skip(|s| s.not_html += 1);
    }
    let response = match http::parse_response(&content) {
        Ok(r) => r,
        Err(reason) => return Plan::Error(format!("bad HTTP response: {reason}")),
    };
    let content_type = response.content_type().or_else(|| {
        header
            .get("WARC-Identified-Payload-Type")
            .map(http::ContentType::parse)
    });
    if !content_type
        .as_ref()
        .is_some_and(http::ContentType::is_html)
    {
        return Plan::Skip(|s| s.not_html += 1);
    }
    if response.status != 200 {
        return Plan::Skip(|s| s.not_ok += 1);
    }
    match response.payload() {
        Ok(body) => Plan::Clean {
            body: body.into_owned(),
            charset: content_type.and_then(|c| c.charset),
        },
        Err(reason) => Plan::Error(reason),
    }
}

fn wants_content(header: &RecordHeader) -> bool {
    matches!(header.record_type().as_str(), "response" | "resource")
}

/// Clean every HTML record of one WARC stream into JSON Lines on `output`.
/// `name` is the file name used in error records. Errors of single records
/// and damage to the file are reported in place and in the summary; only a
/// failed write stops the run.
pub fn clean_warc<R: BufRead, W: Write>(
    cleaner: &Cleaner,
    mut reader: WarcReader<R>,
    name: &str,
    output: &mut W,
    config: &StreamConfig,
    pool: &rayon::ThreadPool,
) -> Result<WarcSummary, StreamError> {
    let started = Instant::now();
    let mut summary = WarcSummary::default();
    let mut damage: Option<WarcError> = None;
    let mut ended = false;
    let limit = config.max_record_bytes as u64;
    let chunk_records = config.chunk_records.max(1);
    let mut counts = WarcSummary::default();
    let next_chunk = || -> Result<Option<Vec<Job>>, StreamError> {
        let mut chunk = Vec::new();
        let mut bytes = 0usize;
        while !ended && chunk.len() < chunk_records && bytes < config.chunk_bytes {
            let header = match reader.next_header() {
                Ok(Some(h)) => h,
                Ok(None) => {
                    ended = true;
                    break;
                }
                Err(err) => {
                    chunk.push(Job::Error {
                        id: RecordId::default(),
                        offset: err.offset(),
                        reason: err.to_string(),
                    });
                    damage = Some(err);
                    ended = true;
                    break;
                }
            };
            counts.records += 1;
            if !wants_content(&header) {
                counts.not_response += 1;
                continue;
            }
            let id = RecordId::of(&header);
            let offset = header.offset;
            let content = match reader.read_content(limit) {
                Ok(c) => c,
                Err(err) if err.is_recoverable() => {
                    chunk.push(Job::Error {
                        id,
                        offset,
                        reason: err.to_string(),
                    });
                    continue;
                }
                Err(err) => {
                    chunk.push(Job::Error {
                        id,
                        offset,
                        reason: err.to_string(),
                    });
                    damage = Some(err);
                    ended = true;
                    break;
                }
            };
            match plan(&header, content) {
                Plan::Skip(count) => count(&mut counts),
                Plan::Clean { body, charset } => {
                    bytes += body.len();
                    chunk.push(Job::Clean {
                        id,
                        offset,
                        body,
                        charset,
                    });
                }
                Plan::Error(reason) => chunk.push(Job::Error { id, offset, reason }),
            }
        }
        Ok((!chunk.is_empty()).then_some(chunk))
    };
    let work = |job: Job| clean_job(cleaner, name, job, &config.options);
    let write = |(mut line, outcome): (String, Outcome)| {
        match outcome {
            Outcome::Cleaned => summary.cleaned += 1,
            Outcome::Error => summary.errors += 1,
        }
        line.push('\n');
        output
            .write_all(line.as_bytes())
            .map_err(StreamError::Write)
    };
    run_ordered(pool, next_chunk, work, write)?;
    output.flush().map_err(StreamError::Write)?;
    summary.records = counts.records;
    summary.not_response = counts.not_response;
    summary.not_html = counts.not_html;
    summary.not_ok = counts.not_ok;
    if damage.is_some() {
        // The damage itself is written as an error record but not counted
        // with the record errors.
        summary.errors = summary.errors.saturating_sub(1);
    }
    summary.damage = damage;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

fn clean_job(cleaner: &Cleaner, file: &str, job: Job, defaults: &Options) -> (String, Outcome) {
    let (id, offset, reason) = match job {
        Job::Error { id, offset, reason } => (id, offset, reason),
        Job::Clean {
            id,
            offset,
            body,
            charset,
        } => match decode::decode_with(&body, charset.as_deref()) {
            Ok(decoded) => {
                let options = Options {
                    input: InputKind::Html,
                    url: id.url.clone(),
                    site: defaults.site.clone(),
                    body_only: defaults.body_only,
                };
                let cleaned = CleanedFields::new(&cleaner.clean_str(&decoded.text, &options));
                let record = CleanedRecord {
                    id: &id,
                    deboil: &cleaned,
                };
                return (
                    serde_json::to_string(&record).unwrap_or_default(),
                    Outcome::Cleaned,
                );
            }
            Err(err) => (id, offset, err.to_string()),
        },
    };
    let record = ErrorRecord {
        id: &id,
        deboil_error: RecordError {
            file,
            offset,
            reason: &reason,
        },
    };
    (
        serde_json::to_string(&record).unwrap_or_default(),
        Outcome::Error,
    )
}
