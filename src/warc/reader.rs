//! A streaming WARC record reader.
//!
//! Owns the record framing of WARC 1.0/1.1: a `WARC/1.x` version line,
//! `Name: value` header lines (folded continuation lines allowed), a blank
//! line, `Content-Length` bytes of content, and the `\r\n\r\n` after them.
//! Gzip is handled below it: [`open`] wraps a file that starts with the gzip
//! signature in a multi-member decoder, so Common Crawl's one-member-per-
//! record files and whole-file gzip both read, as does plain `.warc`.
//!
//! It holds one record's header at a time and reads content only when asked
//! ([`WarcReader::read_content`], capped) — skipped content is read through
//! and dropped. Offsets in errors are byte offsets in the *uncompressed*
//! stream (for a plain `.warc`, the file offset). It does not look inside the
//! content (see [`super::http`]).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use thiserror::Error;

/// Largest header block accepted.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Why a WARC stream could not be read on.
#[derive(Debug, Error)]
pub enum WarcError {
    /// The stream ends inside a record.
    #[error("record at offset {offset} is truncated: {reason}")]
    Truncated { offset: u64, reason: String },
    /// The bytes are not WARC framing.
    #[error("record at offset {offset} is malformed: {reason}")]
    Malformed { offset: u64, reason: String },
    /// Reading or decompressing failed.
    #[error("cannot read at offset {offset}: {source}")]
    Read {
        offset: u64,
        #[source]
        source: io::Error,
    },
    /// A record's content is larger than the caller's cap; it was skipped,
    /// and the reader can go on with the next record.
    #[error("record at offset {offset} holds {length} bytes, over the limit of {limit}; skipped (raise --max-record-bytes to clean it)")]
    TooLarge {
        offset: u64,
        length: u64,
        limit: u64,
    },
}

impl WarcError {
    /// Whether the reader can go on after this error.
    pub fn is_recoverable(&self) -> bool {
        matches!(self, WarcError::TooLarge { .. })
    }

    /// The offset of the record the error is about.
    pub fn offset(&self) -> u64 {
        match self {
            WarcError::Truncated { offset, .. }
            | WarcError::Malformed { offset, .. }
            | WarcError::Read { offset, .. }
            | WarcError::TooLarge { offset, .. } => *offset,
        }
    }
}

/// The header block of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordHeader {
    /// `WARC/1.0` or `WARC/1.1`.
    pub version: String,
    /// Header fields in file order.
    pub fields: Vec<(String, String)>,
    /// Offset of the version line in the uncompressed stream.
    pub offset: u64,
    pub content_length: u64,
}

impl RecordHeader {
    /// The first field named `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`, lower-cased.
    pub fn record_type(&self) -> String {
        self.get("WARC-Type").unwrap_or("").to_ascii_lowercase()
    }

    /// `WARC-Target-URI` without the angle brackets some writers add.
    pub fn target_uri(&self) -> Option<&str> {
        self.get("WARC-Target-URI")
            .map(|u| u.trim().trim_start_matches('<').trim_end_matches('>'))
    }
}

/// Reads records one at a time from an uncompressed WARC stream.
pub struct WarcReader<R> {
    inner: R,
    /// Bytes consumed from the uncompressed stream.
    offset: u64,
    /// The record whose content is being read, and how much is left of it.
    current: Option<(u64, u64)>,
}

/// Open a `.warc` or `.warc.gz` file (gzip is recognized by its signature,
/// not the name).
pub fn open(path: &Path) -> io::Result<WarcReader<Box<dyn BufRead>>> {
    let mut file = BufReader::with_capacity(256 * 1024, File::open(path)?);
    let gzip = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let inner: Box<dyn BufRead> = if gzip {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            MultiGzDecoder::new(file),
        ))
    } else {
        Box::new(file)
    };
    Ok(WarcReader::new(inner))
}

impl<R: BufRead> WarcReader<R> {
    /// Read records from an uncompressed stream.
    pub fn new(inner: R) -> Self {
        WarcReader {
            inner,
            offset: 0,
            current: None,
        }
    }

    /// The next record's header, skipping what is left of the previous
    /// record's content. `None` at a clean end of the stream.
    pub fn next_header(&mut self) -> Result<Option<RecordHeader>, WarcError> {
        if self.current.is_some() {
            self.skip_content()?;
        }
        // Blank lines between records (the record terminator, or extra).
        let version = loop {
            let start = self.offset;
            let Some(line) = self.read_line(start, MAX_HEADER_BYTES)? else {
                return Ok(None);
            };
            let line = trim_eol(&line);
            if line.is_empty() {
                continue;
            }
            if !line.starts_with(b"WARC/") {
                return Err(WarcError::Malformed {
                    offset: start,
                    reason: format!(
                        "expected a `WARC/1.x` version line, found `{}`",
                        preview(line)
                    ),
                });
            }
            break (start, String::from_utf8_lossy(line).trim().to_string());
        };
        let (offset, version) = version;
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut header_bytes = 0usize;
        loop {
            let Some(line) = self.read_line(offset, MAX_HEADER_BYTES)? else {
                return Err(WarcError::Truncated {
                    offset,
                    reason: "the stream ends inside the header block".into(),
                });
            };
            header_bytes += line.len();
            if header_bytes > MAX_HEADER_BYTES {
                return Err(WarcError::Malformed {
                    offset,
                    reason: format!("header block is over {MAX_HEADER_BYTES} bytes"),
                });
            }
            let line = trim_eol(&line);
            if line.is_empty() {
                break;
            }
            let text = String::from_utf8_lossy(line);
            if text.starts_with([' ', '\t']) {
                if let Some((_, value)) = fields.last_mut() {
                    value.push(' ');
                    value.push_str(text.trim());
                    continue;
                }
            }
            let Some((name, value)) = text.split_once(':') else {
                return Err(WarcError::Malformed {
                    offset,
                    reason: format!("header line `{}` has no `:`", preview(line)),
                });
            };
            fields.push((name.trim().to_string(), value.trim().to_string()));
        }
        let length = fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
            .map(|(_, v)| v.as_str());
        let content_length = match length.map(str::parse::<u64>) {
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                return Err(WarcError::Malformed {
                    offset,
                    reason: format!(
                        "Content-Length `{}` is not a byte count",
                        length.unwrap_or_default()
                    ),
                })
            }
            None => {
                return Err(WarcError::Malformed {
                    offset,
                    reason: "no Content-Length header".into(),
                })
            }
        };
        self.current = Some((offset, content_length));
        Ok(Some(RecordHeader {
            version,
            fields,
            offset,
            content_length,
        }))
    }

    /// Read the current record's content, at most `limit` bytes. A larger
    /// record is skipped and reported as [`WarcError::TooLarge`]; the reader
    /// stays usable.
    pub fn read_content(&mut self, limit: u64) -> Result<Vec<u8>, WarcError> {
        let Some((offset, length)) = self.current else {
            return Ok(Vec::new());
        };
        if length > limit {
            self.skip_content()?;
            return Err(WarcError::TooLarge {
                offset,
                length,
                limit,
            });
        }
        let mut content = Vec::with_capacity(length as usize);
        let read = (&mut self.inner)
            .take(length)
            .read_to_end(&mut content)
            .map_err(|e| read_error(offset, e))?;
        self.offset += read as u64;
        self.current = None;
        if (read as u64) < length {
            return Err(truncated(offset, length, read as u64));
        }
        Ok(content)
    }

    /// Skip what is left of the current record's content.
    pub fn skip_content(&mut self) -> Result<(), WarcError> {
        let Some((offset, length)) = self.current.take() else {
            return Ok(());
        };
        let skipped = io::copy(&mut (&mut self.inner).take(length), &mut io::sink())
            .map_err(|e| read_error(offset, e))?;
        self.offset += skipped;
        if skipped < length {
            return Err(truncated(offset, length, skipped));
        }
        Ok(())
    }

    /// One line including its ending, at most `cap` bytes; `None` at the
    /// end of the stream.
    fn read_line(&mut self, offset: u64, cap: usize) -> Result<Option<Vec<u8>>, WarcError> {
        let mut line = Vec::new();
        let read = (&mut self.inner)
            .take(cap as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| read_error(offset, e))?;
        self.offset += read as u64;
        if read == 0 {
            return Ok(None);
        }
        if line.len() > cap {
            return Err(WarcError::Malformed {
                offset,
                reason: format!("a header line is over {cap} bytes"),
            });
        }
        Ok(Some(line))
    }
}

fn read_error(offset: u64, source: io::Error) -> WarcError {
    if source.kind() == io::ErrorKind::UnexpectedEof {
        WarcError::Truncated {
            offset,
            reason: format!("the compressed stream ends early ({source})"),
        }
    } else {
        WarcError::Read { offset, source }
    }
}

fn truncated(offset: u64, length: u64, got: u64) -> WarcError {
    WarcError::Truncated {
        offset,
        reason: format!("Content-Length says {length} bytes but the stream ends after {got}"),
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]);
    text.escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: <https://example.com/>\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    #[test]
    fn reads_skips_and_caps() {
        let mut bytes = record("warcinfo", b"software: test\r\n");
        bytes.extend(record("response", b"0123456789"));
        bytes.extend(record("resource", b"abc"));
        let second = record("warcinfo", b"software: test\r\n").len() as u64;
        let mut reader = WarcReader::new(&bytes[..]);
        let first = reader.next_header().unwrap().unwrap();
        assert_eq!(first.record_type(), "warcinfo");
        assert_eq!(first.offset, 0);
        let response = reader.next_header().unwrap().unwrap();
        assert_eq!(response.offset, second);
        assert_eq!(response.target_uri(), Some("https://example.com/"));
        let err = reader.read_content(5).unwrap_err();
        assert!(err.is_recoverable(), "{err}");
        let resource = reader.next_header().unwrap().unwrap();
        assert_eq!(reader.read_content(5).unwrap(), b"abc");
        assert_eq!(resource.content_length, 3);
        assert!(reader.next_header().unwrap().is_none());
    }

    #[test]
    fn truncation_and_garbage_name_the_offset() {
        let mut bytes = record("response", b"0123456789");
        let start = bytes.len() as u64;
        bytes.extend(record("response", b"0123456789"));
        bytes.truncate(bytes.len() - 8);
        let mut reader = WarcReader::new(&bytes[..]);
        reader.next_header().unwrap().unwrap();
        reader.next_header().unwrap().unwrap();
        match reader.read_content(100) {
            Err(WarcError::Truncated { offset, .. }) => assert_eq!(offset, start),
            other => panic!("{other:?}"),
        }
        let mut reader = WarcReader::new(&b"HTTP/1.1 200 OK\r\n"[..]);
        assert!(matches!(
            reader.next_header(),
            Err(WarcError::Malformed { offset: 0, .. })
        ));
    }
}
