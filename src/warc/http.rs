//! The HTTP message inside a WARC `response` record.
//!
//! Owns parsing the status line and headers, reading `Content-Type` (media
//! type and charset), undoing `Transfer-Encoding: chunked`, and refusing
//! content encodings deboil cannot undo. A gzip `Content-Encoding` is left in
//! place: [`crate::decode`] gunzips by signature. It does not decode text.

use std::borrow::Cow;

/// A parsed HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse<'a> {
    pub status: u16,
    /// Header fields in order.
    pub headers: Vec<(String, String)>,
    /// The body as stored (possibly chunked; see [`HttpResponse::payload`]).
    pub body: &'a [u8],
}

/// A `Content-Type` value split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    /// Lower-cased `type/subtype`.
    pub media_type: String,
    pub charset: Option<String>,
}

impl ContentType {
    pub fn parse(value: &str) -> ContentType {
        let mut parts = value.split(';');
        let media_type = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let charset = parts.find_map(|p| {
            let (name, value) = p.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| value.trim().trim_matches(['"', '\'']).to_string())
                .filter(|v| !v.is_empty())
        });
        ContentType {
            media_type,
            charset,
        }
    }

    /// `text/html` or `application/xhtml+xml`.
    pub fn is_html(&self) -> bool {
        matches!(
            self.media_type.as_str(),
            "text/html" | "application/xhtml+xml"
        )
    }
}

/// Parse an HTTP response message. The error says what is wrong.
pub fn parse_response(bytes: &[u8]) -> Result<HttpResponse<'_>, String> {
    let (head, body) = split_head(bytes).ok_or("the HTTP header block has no end")?;
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let mut words = status_line.split_whitespace();
    let status = match (words.next(), words.next()) {
        (Some(version), Some(code)) if version.starts_with("HTTP/") => code.parse::<u16>().ok(),
        _ => None,
    }
    .ok_or_else(|| {
        format!(
            "`{}` is not an HTTP status line",
            status_line.escape_debug()
        )
    })?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// Split at the first blank line (`\r\n\r\n`, or bare `\n\n`).
fn split_head(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let crlf = find(bytes, b"\r\n\r\n").map(|i| (i, 4));
    let lf = find(bytes, b"\n\n").map(|i| (i, 2));
    let (at, len) = match (crlf, lf) {
        (Some(a), Some(b)) => {
            if a.0 <= b.0 {
                a
            } else {
                b
            }
        }
        (a, b) => a.or(b)?,
    };
    Some((&bytes[..at], &bytes[at + len..]))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

impl<'a> HttpResponse<'a> {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn content_type(&self) -> Option<ContentType> {
        self.header("Content-Type").map(ContentType::parse)
    }

    /// The body with any chunked transfer encoding undone. Refuses content
    /// encodings other than gzip and identity.
    pub fn payload(&self) -> Result<Cow<'a, [u8]>, String> {
        if let Some(encoding) = self.header("Content-Encoding") {
            let encoding = encoding.trim().to_ascii_lowercase();
            if !matches!(encoding.as_str(), "" | "identity" | "gzip" | "x-gzip") {
                return Err(format!(
                    "Content-Encoding `{encoding}` is not supported (only gzip)"
                ));
            }
        }
        let chunked = self
            .header("Transfer-Encoding")
            .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
        if chunked {
            dechunk(self.body).map(Cow::Owned)
        } else {
            Ok(Cow::Borrowed(self.body))
        }
    }
}

/// Undo `Transfer-Encoding: chunked`.
pub fn dechunk(mut bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(bytes.len());
    loop {
        let end = find(bytes, b"\n").ok_or("a chunk size line has no end")?;
        let line = String::from_utf8_lossy(&bytes[..end]);
        let size_text = line.trim().split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("`{}` is not a chunk size", size_text.escape_debug()))?;
        bytes = &bytes[end + 1..];
        if size == 0 {
            return Ok(out);
        }
        let chunk = bytes
            .get(..size)
            .ok_or("the chunked body ends inside a chunk")?;
        out.extend_from_slice(chunk);
        bytes = &bytes[size..];
        bytes = bytes
            .strip_prefix(b"\r\n")
            .or_else(|| bytes.strip_prefix(b"\n"))
            .unwrap_or(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_headers_and_charset() {
        let msg = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; Charset=\"ISO-8859-1\"\r\nX-Long: a\r\n b\r\n\r\n<p>x</p>";
        let response = parse_response(msg).unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.header("x-long"), Some("a b"));
        let ct = response.content_type().unwrap();
        assert!(ct.is_html());
        assert_eq!(ct.charset.as_deref(), Some("ISO-8859-1"));
        assert_eq!(response.body, b"<p>x</p>");
        assert!(parse_response(b"garbage\r\n\r\n").is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n").is_err());
    }

    #[test]
    fn dechunks_and_refuses_brotli() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\n\r\n").unwrap(),
            b"Wikipedia"
        );
        assert!(dechunk(b"9\r\nWiki").is_err());
        let msg = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx";
        assert!(parse_response(msg).unwrap().payload().is_err());
    }
}
