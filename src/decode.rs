//! Decoding: raw bytes of a scraped page to a Rust `String`.
//!
//! Owns transparent gunzipping, the choice of character encoding and the
//! refusal of binary and oversized input (see [`DEFAULT_MAX_BYTES`]: the
//! limit counts the decompressed size of gzip input, and decompression stops
//! as soon as it is passed). The order of evidence is: gzip magic, byte-order
//! mark, a charset the caller declares (HTTP `Content-Type`), the page's own
//! `<meta charset>` / `http-equiv` / XML declaration, then the `chardetng`
//! detector. A declaration is overruled only when the bytes contradict it
//! (valid UTF-8 declared as a legacy charset, or malformed sequences where the
//! detector's guess decodes cleanly). It does not look at the page's
//! structure beyond the charset prescan.

use std::borrow::Cow;
use std::io::Read;

use encoding_rs::{Encoding, UTF_8};
use thiserror::Error;

/// The default largest input accepted, in bytes (64 MiB), counted after
/// gzip decompression. The biggest real article pages are a few megabytes;
/// anything much larger is a dump, a log or a decompression bomb, and
/// cleaning costs memory proportional to it (an HTML page's DOM takes tens
/// of times its size).
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// How many leading bytes the meta charset prescan looks at.
const PRESCAN_BYTES: usize = 4096;

/// Why bytes could not be turned into text.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DecodeError {
    /// The input holds NUL bytes: it is binary (an image, a PDF, a zip).
    #[error(
        "input looks binary (NUL byte at offset {offset}); deboil cleans text and HTML pages only"
    )]
    Binary { offset: usize },
    /// The input starts like gzip but does not decompress.
    #[error("input starts with the gzip signature but is not valid gzip ({reason}); pass the file uncompressed or re-download it")]
    Gzip { reason: String },
    /// The input is larger than the size limit.
    #[error("input is larger than the limit of {limit} bytes; refusing it (raise the limit with --max-bytes if it is really one page)")]
    TooLarge { limit: u64 },
    /// The gzip input decompresses to more than the size limit.
    #[error("gzip input decompresses to more than {limit} bytes; refusing it (raise the limit with --max-bytes if it is really one page)")]
    GunzippedTooLarge { limit: u64 },
}

/// Decoded text and the encoding it was read as.
///
/// Valid UTF-8 is not copied: the text borrows the input bytes (or owns the
/// decompressed ones); other encodings are decoded into a new string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// WHATWG name of the encoding used (`UTF-8`, `windows-1252`, …).
    pub encoding: &'static str,
    /// How the encoding was chosen.
    pub source: EncodingSource,
    /// The charset the caller or the page declared, when the bytes
    /// contradicted it and another encoding was used instead.
    pub overruled: Option<&'static str>,
    /// The input was gzip-compressed.
    pub gunzipped: bool,
}

/// Where the chosen encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    Bom,
    /// Valid UTF-8 with no BOM and no declaration.
    Utf8,
    /// A charset the caller passed in (HTTP `Content-Type`).
    Declared,
    /// A `<meta charset>`, `http-equiv` or XML declaration in the page.
    Meta,
    /// The detector's guess (no declaration, or a declaration overruled).
    Detected,
}

/// Decode `bytes`, refusing binary input and input over
/// [`DEFAULT_MAX_BYTES`]. Same as [`decode_with`] with no declared charset.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, DecodeError> {
    decode_with(bytes, None)
}

/// Decode `bytes`, with a charset label the caller knows from elsewhere
/// (e.g. `"iso-8859-1"` from an HTTP `Content-Type` header). Unknown labels
/// are ignored. Input over [`DEFAULT_MAX_BYTES`] is refused.
pub fn decode_with<'a>(
    bytes: &'a [u8],
    declared: Option<&str>,
) -> Result<Decoded<'a>, DecodeError> {
    decode_limited(bytes, declared, DEFAULT_MAX_BYTES)
}

/// [`decode_with`] with a size limit: input of more than `max_bytes` bytes,
/// or gzip input that decompresses to more, is refused with
/// [`DecodeError::TooLarge`] / [`DecodeError::GunzippedTooLarge`].
pub fn decode_limited<'a>(
    bytes: &'a [u8],
    declared: Option<&str>,
    max_bytes: u64,
) -> Result<Decoded<'a>, DecodeError> {
    check_size(bytes.len() as u64, max_bytes)?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let raw = gunzip(bytes, max_bytes)?;
        let mut decoded = decode_plain(Cow::Owned(raw), declared)?;
        decoded.gunzipped = true;
        return Ok(decoded);
    }
    decode_plain(Cow::Borrowed(bytes), declared)
}

/// Refuse a size over `max_bytes`.
pub fn check_size(size: u64, max_bytes: u64) -> Result<(), DecodeError> {
    if size > max_bytes {
        return Err(DecodeError::TooLarge { limit: max_bytes });
    }
    Ok(())
}

/// Read at most `max_bytes + 1` bytes from `reader`: enough for
/// [`decode_limited`] to see that an input is too large, without holding
/// more of it than the limit.
pub fn read_limited(reader: impl Read, max_bytes: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Decompress, reading at most one byte past `max_bytes` so a
/// decompression bomb costs no more memory than the limit.
pub fn gunzip(bytes: &[u8], max_bytes: u64) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    let decoder = flate2::read::MultiGzDecoder::new(bytes);
    decoder
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Gzip {
            reason: e.to_string(),
        })?;
    if out.len() as u64 > max_bytes {
        return Err(DecodeError::GunzippedTooLarge { limit: max_bytes });
    }
    Ok(out)
}

/// The text of `bytes` when they are UTF-8, taking them over (no copy), or
/// the bytes back.
fn utf8_text(bytes: Cow<'_, [u8]>) -> Result<Cow<'_, str>, Cow<'_, [u8]>> {
    match bytes {
        // simdutf8 validates many bytes at a time (several times std's
        // speed on prose); it only answers yes or no, which is all this
        // needs.
        Cow::Borrowed(b) => simdutf8::basic::from_utf8(b)
            .map(Cow::Borrowed)
            .map_err(|_| Cow::Borrowed(b)),
        Cow::Owned(v) => match simdutf8::basic::from_utf8(&v) {
            // SAFETY: simdutf8 has just validated `v` as UTF-8, and `v` is
            // not changed in between.
            Ok(_) => Ok(Cow::Owned(unsafe { String::from_utf8_unchecked(v) })),
            Err(_) => Err(Cow::Owned(v)),
        },
    }
}

fn decode_plain<'a>(
    input: Cow<'a, [u8]>,
    declared: Option<&str>,
) -> Result<Decoded<'a>, DecodeError> {
    let bytes: &[u8] = &input;
    // A BOM comes first: UTF-16 text is full of NUL bytes.
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if let Some(offset) = text.find('\0') {
            return Err(DecodeError::Binary { offset });
        }
        return Ok(decoded(text.into_owned(), enc, EncodingSource::Bom, None));
    }
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(DecodeError::Binary { offset });
    }
    let declaration = declared
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .map(|enc| (enc, EncodingSource::Declared))
        .or_else(|| prescan_charset(bytes).map(|enc| (enc, EncodingSource::Meta)));
    let utf8 = utf8_text(input);
    let bytes: &[u8] = match &utf8 {
        Ok(text) => text.as_bytes(),
        Err(bytes) => bytes,
    };

    let Some((declared_enc, source)) = declaration else {
        if let Ok(text) = utf8 {
            return Ok(decoded(text, UTF_8, EncodingSource::Utf8, None));
        }
        let guess = detect(bytes);
        let (text, _) = guess.decode_without_bom_handling(bytes);
        return Ok(decoded(
            text.into_owned(),
            guess,
            EncodingSource::Detected,
            None,
        ));
    };
    // A page cannot really be UTF-16 without a BOM (we refuse NUL bytes), and
    // WHATWG reads such declarations as UTF-8 too.
    let declared_enc = declared_enc.output_encoding();

    if let Ok(text) = utf8 {
        // Valid UTF-8 with non-ASCII bytes is practically never a legacy
        // encoding: trust the bytes over the label.
        let overruled = (declared_enc != UTF_8 && !text.is_ascii()).then(|| declared_enc.name());
        let source = if overruled.is_some() {
            EncodingSource::Detected
        } else {
            source
        };
        return Ok(decoded(text, UTF_8, source, overruled));
    }

    let (text, had_errors) = declared_enc.decode_without_bom_handling(bytes);
    let declared_dirty = had_errors || count_c1_controls(&text) > 0;
    if declared_dirty || declared_enc == UTF_8 {
        let guess = detect(bytes);
        if guess != declared_enc {
            let (guessed, guess_errors) = guess.decode_without_bom_handling(bytes);
            if !guess_errors && count_c1_controls(&guessed) == 0 {
                let keep_utf8 = declared_enc == UTF_8 && mostly_utf8(bytes);
                if !keep_utf8 {
                    return Ok(decoded(
                        guessed.into_owned(),
                        guess,
                        EncodingSource::Detected,
                        Some(declared_enc.name()),
                    ));
                }
            }
        }
    }
    Ok(decoded(text.into_owned(), declared_enc, source, None))
}

fn decoded<'a>(
    text: impl Into<Cow<'a, str>>,
    enc: &'static Encoding,
    source: EncodingSource,
    overruled: Option<&'static str>,
) -> Decoded<'a> {
    Decoded {
        text: text.into(),
        encoding: enc.name(),
        source,
        overruled,
        gunzipped: false,
    }
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// C1 control characters (U+0080–U+009F) in decoded text are a sign of a
/// wrong single-byte encoding: real pages do not contain them.
fn count_c1_controls(text: &str) -> usize {
    text.chars()
        .filter(|c| ('\u{80}'..='\u{9f}').contains(c))
        .count()
}

/// Whether bytes that are not valid UTF-8 are still mostly UTF-8: many
/// well-formed multi-byte sequences and only a few malformed ones (a page
/// that was cut or spliced), so UTF-8 with replacement characters beats
/// reading the whole page in a legacy encoding.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid_multibyte = 0usize;
    let mut malformed = 0usize;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multibyte += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                valid_multibyte += std::str::from_utf8(good)
                    .map(|s| s.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or(0);
                malformed += 1;
                let skip = e.error_len().unwrap_or(bad.len()).max(1);
                rest = &bad[skip.min(bad.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    valid_multibyte >= 10 * malformed
}

/// The charset a page declares in its first bytes: `<meta charset=…>`,
/// `<meta http-equiv="Content-Type" content="…; charset=…">`, or an XML
/// declaration's `encoding`. Comments are skipped.
pub fn prescan_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    if let Some(rest) = head.strip_prefix(b"<?xml") {
        let end = find(rest, b"?>").unwrap_or(rest.len());
        let decl = &rest[..end];
        if let Some(pos) = find_ci(decl, b"encoding") {
            if let Some(label) = attr_value_after(&decl[pos + 8..]) {
                if let Some(enc) = Encoding::for_label(label) {
                    return Some(enc);
                }
            }
        }
    }
    let mut i = 0;
    while i < head.len() {
        let Some(at) = memchr::memchr(b'<', &head[i..]) else {
            break;
        };
        i += at;
        let rest = &head[i..];
        if rest.starts_with(b"<!--") {
            i += find(&rest[4..], b"-->").map_or(rest.len(), |p| p + 7);
            continue;
        }
        if rest.len() > 5
            && rest[1..5].eq_ignore_ascii_case(b"meta")
            && (rest[5].is_ascii_whitespace() || rest[5] == b'/')
        {
            let (enc, consumed) = meta_charset(&rest[5..]);
            if enc.is_some() {
                return enc;
            }
            i += 5 + consumed;
            continue;
        }
        i += 1;
    }
    None
}

/// Parse the attributes of one `<meta` tag; returns the charset it declares
/// and how many bytes the tag used.
fn meta_charset(tag: &[u8]) -> (Option<&'static Encoding>, usize) {
    let mut charset: Option<&[u8]> = None;
    let mut content: Option<&[u8]> = None;
    let mut http_equiv_content_type = false;
    let mut i = 0;
    while i < tag.len() {
        let c = tag[i];
        if c == b'>' {
            i += 1;
            break;
        }
        if c.is_ascii_whitespace() || c == b'/' {
            i += 1;
            continue;
        }
        let name_start = i;
        while i < tag.len()
            && !matches!(tag[i], b'=' | b'>' | b'/')
            && !tag[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let name = &tag[name_start..i];
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value: &[u8] = b"";
        if i < tag.len() && tag[i] == b'=' {
            i += 1;
            while i < tag.len() && tag[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < tag.len() && (tag[i] == b'"' || tag[i] == b'\'') {
                let quote = tag[i];
                let start = i + 1;
                let end = tag[start..]
                    .iter()
                    .position(|&b| b == quote)
                    .map_or(tag.len(), |p| start + p);
                value = &tag[start..end];
                i = (end + 1).min(tag.len());
            } else {
                let start = i;
                while i < tag.len() && tag[i] != b'>' && !tag[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = &tag[start..i];
            }
        }
        if name.eq_ignore_ascii_case(b"charset") {
            charset.get_or_insert(value);
        } else if name.eq_ignore_ascii_case(b"content") {
            content.get_or_insert(value);
        } else if name.eq_ignore_ascii_case(b"http-equiv") {
            http_equiv_content_type |= value.trim_ascii().eq_ignore_ascii_case(b"content-type");
        }
    }
    let enc = charset
        .and_then(|label| Encoding::for_label(label.trim_ascii()))
        .or_else(|| {
            if !http_equiv_content_type {
                return None;
            }
            let content = content?;
            let pos = find_ci(content, b"charset")?;
            let label = attr_value_after(&content[pos + 7..])?;
            Encoding::for_label(label)
        });
    (enc, i)
}

/// After an attribute-ish name: skip spaces, `=`, spaces, then read a quoted
/// or bare value.
fn attr_value_after(s: &[u8]) -> Option<&[u8]> {
    let s = s.trim_ascii_start();
    let s = s.strip_prefix(b"=")?.trim_ascii_start();
    let (quote, s) = match s.first() {
        Some(&q @ (b'"' | b'\'')) => (Some(q), &s[1..]),
        _ => (None, s),
    };
    let end = s
        .iter()
        .position(|&b| match quote {
            Some(q) => b == q,
            None => b == b';' || b == b'"' || b == b'\'' || b.is_ascii_whitespace(),
        })
        .unwrap_or(s.len());
    let value = s[..end].trim_ascii();
    (!value.is_empty()).then_some(value)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

fn find_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_taken_over_not_copied() {
        let page = "<p>Grüße aus Köln</p>".as_bytes();
        let decoded = decode(page).expect("decodes");
        assert!(matches!(decoded.text, Cow::Borrowed(t) if t.as_ptr() == page.as_ptr()));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, page).expect("compresses");
        let compressed = gz.finish().expect("compresses");
        let decoded = decode(&compressed).expect("decodes");
        assert!(decoded.gunzipped);
        assert_eq!(decoded.text, "<p>Grüße aus Köln</p>");
        // Legacy encodings are decoded into a new string.
        let latin1 = b"<meta charset=iso-8859-1><p>Gr\xfc\xdfe</p>";
        let decoded = decode(latin1).expect("decodes");
        assert!(matches!(decoded.text, Cow::Owned(_)));
        assert!(decoded.text.ends_with("Grüße</p>"));
    }

    proptest::proptest! {
        #[test]
        fn utf8_text_agrees_with_std(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![0x20u8..0x7f, 0x80u8..=0xff], 0..80)
        ) {
            let std_text = std::str::from_utf8(&bytes).ok();
            for input in [Cow::Borrowed(&bytes[..]), Cow::Owned(bytes.clone())] {
                match utf8_text(input) {
                    Ok(text) => proptest::prop_assert_eq!(Some(&*text), std_text),
                    Err(back) => {
                        proptest::prop_assert!(std_text.is_none());
                        proptest::prop_assert_eq!(&*back, &bytes[..]);
                    }
                }
            }
        }
    }

    #[test]
    fn prescan_finds_meta_forms() {
        let name = |s: &str| prescan_charset(s.as_bytes()).map(|e| e.name());
        assert_eq!(name("<meta charset=\"koi8-r\">"), Some("KOI8-R"));
        assert_eq!(name("<META CHARSET=latin1 />"), Some("windows-1252"));
        assert_eq!(
            name("<meta http-equiv='Content-Type' content='text/html; charset=Shift_JIS'>"),
            Some("Shift_JIS")
        );
        assert_eq!(
            name("<meta content=\"text/html;charset=gb2312\" http-equiv=\"content-type\">"),
            Some("GBK")
        );
        assert_eq!(
            name("<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><html>"),
            Some("ISO-8859-2")
        );
        assert_eq!(
            name("<!-- <meta charset=koi8-r> --><meta charset=euc-kr>"),
            Some("EUC-KR")
        );
        assert_eq!(
            name("<meta name=description content='charset=koi8-r'>"),
            None
        );
        assert_eq!(name("<metadata charset=koi8-r>"), None);
        assert_eq!(name("<p>no declaration</p>"), None);
    }

    #[test]
    fn size_limit_counts_raw_and_gunzipped_bytes() {
        use std::io::Write;
        let page = "word ".repeat(2000);
        assert_eq!(
            decode_limited(page.as_bytes(), None, 100),
            Err(DecodeError::TooLarge { limit: 100 })
        );
        assert!(decode_limited(page.as_bytes(), None, 10_000).is_ok());
        let read = read_limited(page.as_bytes(), 100).unwrap();
        assert_eq!(read.len(), 101);
        assert!(decode_limited(&read, None, 100).is_err());
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(page.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        assert!(gz.len() < 1000);
        assert_eq!(
            decode_limited(&gz, None, 1000),
            Err(DecodeError::GunzippedTooLarge { limit: 1000 })
        );
        let decoded = decode_limited(&gz, None, 10_000).unwrap();
        assert!(decoded.gunzipped);
        assert_eq!(decoded.text, page);
    }

    #[test]
    fn mostly_utf8_tolerates_a_stray_byte() {
        let mut bytes = "é".repeat(40).into_bytes();
        bytes.push(0xff);
        assert!(mostly_utf8(&bytes));
        assert!(!mostly_utf8(b"caf\xe9 cr\xe8me br\xfbl\xe9e"));
    }
}
