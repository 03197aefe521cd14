//! Decoding: raw bytes of a scraped page to a Rust `String`.
//!
//! Owns the choice of character encoding (byte-order mark, then a declared
//! charset, then a detector guess) and the refusal of binary input. It does
//! not look at the page's structure.

use encoding_rs::Encoding;
use thiserror::Error;

/// Why bytes could not be turned into text.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DecodeError {
    /// The input holds NUL bytes: it is binary (an image, a PDF, a zip).
    #[error(
        "input looks binary (NUL byte at offset {offset}); deboil cleans text and HTML pages only"
    )]
    Binary { offset: usize },
}

/// Decoded text and the encoding it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// WHATWG name of the encoding used (`UTF-8`, `windows-1252`, …).
    pub encoding: &'static str,
    /// How the encoding was chosen.
    pub source: EncodingSource,
}

/// Where the chosen encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    Bom,
    /// Valid UTF-8 with no BOM.
    Utf8,
    /// A charset the caller passed in (HTTP `Content-Type`).
    Declared,
    /// A `<meta charset>` or `http-equiv` declaration in the page.
    Meta,
    /// The detector's guess.
    Detected,
}

/// Decode `bytes`, refusing binary input.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    // A BOM comes first: UTF-16 text is full of NUL bytes.
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if let Some(offset) = text.find('\0') {
            return Err(DecodeError::Binary { offset });
        }
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: enc.name(),
            source: EncodingSource::Bom,
        });
    }
    if let Some(offset) = memchr_nul(bytes) {
        return Err(DecodeError::Binary { offset });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            encoding: encoding_rs::UTF_8.name(),
            source: EncodingSource::Utf8,
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        source: EncodingSource::Detected,
    })
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}
