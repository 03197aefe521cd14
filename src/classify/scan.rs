//! One pass over a line's characters: the counts [`LineFeatures`] is built
//! from, and the line's normalized key with its tokens.
//!
//! This runs on every character of every page, so it is written for speed:
//! ASCII bytes are classified by a table, other characters by std's Unicode
//! properties, looked up once per process for the Basic Multilingual Plane.
//! Its results are defined by those properties alone: [`normalize`] is
//! `char::is_alphanumeric` runs lower-cased with `char::to_lowercase`,
//! words are split by `char::is_whitespace`.
//!
//! [`LineFeatures`]: super::features::LineFeatures
//! [`normalize`]: super::features::normalize

use std::sync::LazyLock;

/// `char::is_whitespace`.
const SPACE: u8 = 1;
/// `char::is_alphabetic`.
const ALPHA: u8 = 1 << 1;
/// `char::is_numeric`.
const NUMERIC: u8 = 1 << 2;
/// `char::is_uppercase`.
const UPPER: u8 = 1 << 3;
/// A navigation separator: `|`, `·`, `»`, `›`, `•`.
const SEPARATOR: u8 = 1 << 4;

/// The flags of a character, from std's Unicode properties.
fn unicode_flags(c: char) -> u8 {
    let mut flags = 0;
    if c.is_whitespace() {
        flags |= SPACE;
    }
    if c.is_alphabetic() {
        flags |= ALPHA;
    }
    if c.is_numeric() {
        flags |= NUMERIC;
    }
    if c.is_uppercase() {
        flags |= UPPER;
    }
    if matches!(c, '|' | '·' | '»' | '›' | '•') {
        flags |= SEPARATOR;
    }
    flags
}

/// Flags of every character below U+10000, ASCII included.
static BMP: LazyLock<Box<[u8]>> = LazyLock::new(|| {
    (0..=0xFFFFu32)
        .map(|u| char::from_u32(u).map_or(0, unicode_flags))
        .collect()
});

/// The flags of `c`.
fn flags_of(c: char) -> u8 {
    BMP.get(c as usize)
        .copied()
        .unwrap_or_else(|| unicode_flags(c))
}

/// What one pass over a line finds.
#[derive(Debug, Default)]
pub(super) struct Scan {
    /// The line's tokens (runs of letters and digits), lower case, joined by
    /// single spaces.
    pub key: String,
    pub chars: usize,
    /// Characters that are digits (`char::is_numeric`).
    pub digits: usize,
    /// Whitespace-separated words.
    pub words: usize,
    /// Words with a letter.
    pub lettered: usize,
    /// Words whose first letter is a capital.
    pub capitalized: usize,
    /// Separator characters anywhere.
    pub separator_chars: usize,
    /// Words that are nothing but a separator.
    pub separator_words: usize,
}

/// Navigation separators counted as words of their own.
fn is_separator_word(word: &[u8]) -> bool {
    // `|`, `/`, `||`, and the UTF-8 of `·`, `»`, `›`, `•`, `∙`, `◦`.
    matches!(
        word,
        b"|" | b"/"
            | b"||"
            | b"\xC2\xB7"
            | b"\xC2\xBB"
            | b"\xE2\x80\xBA"
            | b"\xE2\x80\xA2"
            | b"\xE2\x88\x99"
            | b"\xE2\x97\xA6"
    )
}

/// Flags of the bytes below 0x80; the others are marked [`NOT_ASCII`].
const BYTE_FLAGS: [u8; 256] = byte_flags();

/// A byte that starts or continues a multi-byte character.
const NOT_ASCII: u8 = 1 << 7;

const fn byte_flags() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0usize;
    while b < 256 {
        let byte = b as u8;
        table[b] = if !byte.is_ascii() {
            NOT_ASCII
        } else if matches!(byte, b'\t'..=b'\r' | b' ') {
            SPACE
        } else if byte.is_ascii_uppercase() {
            ALPHA | UPPER
        } else if byte.is_ascii_lowercase() {
            ALPHA
        } else if byte.is_ascii_digit() {
            NUMERIC
        } else if byte == b'|' {
            SEPARATOR
        } else {
            0
        };
        b += 1;
    }
    table
}

/// The state of one scan.
struct Scanner<'t, F> {
    text: &'t str,
    key: String,
    scan: Scan,
    on_token: F,
    /// Where the token being written starts in `key`.
    token: Option<usize>,
    /// Where the current word starts in `text`, if one is open.
    word: Option<usize>,
    /// Whether the open word has had a letter.
    word_lettered: bool,
}

impl<F: FnMut(&[u8])> Scanner<'_, F> {
    fn end_token(&mut self) {
        if let Some(start) = self.token.take() {
            (self.on_token)(&self.key.as_bytes()[start..]);
        }
    }

    fn start_token(&mut self) {
        if self.token.is_none() {
            if !self.key.is_empty() {
                self.key.push(' ');
            }
            self.token = Some(self.key.len());
        }
    }

    fn end_word(&mut self, at: usize) {
        if let Some(start) = self.word.take() {
            let word = &self.text.as_bytes()[start..at];
            self.scan.separator_words += usize::from(is_separator_word(word));
        }
    }

    /// A character that is not whitespace, at `at`, with `flags`.
    fn in_word(&mut self, at: usize, flags: u8) {
        if self.word.is_none() {
            self.word = Some(at);
            self.word_lettered = false;
            self.scan.words += 1;
        }
        if !self.word_lettered && flags & ALPHA != 0 {
            self.word_lettered = true;
            self.scan.lettered += 1;
            self.scan.capitalized += usize::from(flags & UPPER != 0);
        }
    }
}

/// Scan `text`, calling `on_token` with each token of the key as it is
/// written.
pub(super) fn scan(text: &str, on_token: impl FnMut(&[u8])) -> Scan {
    let bytes = text.as_bytes();
    let mut s = Scanner {
        text,
        key: String::with_capacity(text.len()),
        scan: Scan::default(),
        on_token,
        token: None,
        word: None,
        word_lettered: false,
    };
    let mut at = 0;
    while at < bytes.len() {
        let flags = BYTE_FLAGS[usize::from(bytes[at])];
        if flags & (ALPHA | NUMERIC) != 0 {
            // A run of ASCII letters and digits: counted byte by byte,
            // copied to the key at once.
            let start = at;
            s.in_word(at, flags);
            let mut digits = 0;
            while at < bytes.len() {
                let f = BYTE_FLAGS[usize::from(bytes[at])];
                if f & (ALPHA | NUMERIC) == 0 {
                    break;
                }
                if f & NUMERIC != 0 {
                    digits += 1;
                } else if !s.word_lettered {
                    s.in_word(at, f);
                }
                at += 1;
            }
            s.scan.chars += at - start;
            s.scan.digits += digits;
            s.start_token();
            let from = s.key.len();
            s.key.push_str(&text[start..at]);
            s.key[from..].make_ascii_lowercase();
        } else if flags & SPACE != 0 {
            s.scan.chars += 1;
            s.end_word(at);
            s.end_token();
            at += 1;
        } else if flags & NOT_ASCII == 0 {
            // ASCII punctuation and symbols: part of a word, not of a token.
            s.scan.chars += 1;
            s.scan.separator_chars += usize::from(flags & SEPARATOR != 0);
            s.in_word(at, flags);
            s.end_token();
            at += 1;
        } else {
            let c = text[at..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            let flags = flags_of(c);
            s.scan.chars += 1;
            if flags & SPACE != 0 {
                s.end_word(at);
                s.end_token();
            } else {
                s.scan.digits += usize::from(flags & NUMERIC != 0);
                s.scan.separator_chars += usize::from(flags & SEPARATOR != 0);
                s.in_word(at, flags);
                if flags & (ALPHA | NUMERIC) != 0 {
                    s.start_token();
                    s.key.extend(c.to_lowercase());
                } else {
                    s.end_token();
                }
            }
            at += c.len_utf8();
        }
    }
    s.end_word(bytes.len());
    s.end_token();
    let mut scan = s.scan;
    scan.key = s.key;
    scan
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition, character by character.
    fn reference(text: &str) -> (String, usize, usize, usize, usize, usize) {
        let mut key = String::new();
        let mut pending = false;
        for c in text.chars() {
            if c.is_alphanumeric() {
                if pending && !key.is_empty() {
                    key.push(' ');
                }
                pending = false;
                key.extend(c.to_lowercase());
            } else {
                pending = true;
            }
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let lettered: Vec<char> = words
            .iter()
            .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
            .collect();
        (
            key,
            text.chars().count(),
            text.chars().filter(|c| c.is_numeric()).count(),
            words.len(),
            lettered.len(),
            lettered.iter().filter(|c| c.is_uppercase()).count(),
        )
    }

    proptest! {
        #[test]
        fn agrees_with_the_definition(text in "[a-zA-Z0-9 \t.,|·»›•∙◦/İıßǅΣσЖж½²٣\u{3000}\u{a0}日本-]{0,60}") {
            let mut tokens = Vec::new();
            let got = scan(&text, |t| tokens.push(String::from_utf8_lossy(t).into_owned()));
            let (key, chars, digits, words, lettered, capitalized) = reference(&text);
            prop_assert_eq!(&got.key, &key);
            prop_assert_eq!(tokens.join(" "), key);
            prop_assert_eq!(
                (got.chars, got.digits, got.words, got.lettered, got.capitalized),
                (chars, digits, words, lettered, capitalized)
            );
        }
    }

    #[test]
    fn separator_words_are_the_listed_characters() {
        for word in ["|", "/", "||", "·", "»", "›", "•", "∙", "◦"] {
            assert!(is_separator_word(word.as_bytes()), "{word}");
        }
        for word in ["", "|||", "-", "»»", "a"] {
            assert!(!is_separator_word(word.as_bytes()), "{word}");
        }
    }

    #[test]
    fn separators() {
        let s = scan("Home | News » Sport ›Local || x/y", |_| {});
        assert_eq!(s.separator_words, 3);
        assert_eq!(s.separator_chars, 5);
    }
}
