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
    word.len() <= 3
        && std::str::from_utf8(word)
            .is_ok_and(|w| matches!(w, "|" | "·" | "»" | "›" | "•" | "/" | "∙" | "◦" | "||"))
}

/// Scan `text`, calling `on_token` with each token of the key as it is
/// written.
pub(super) fn scan(text: &str, mut on_token: impl FnMut(&[u8])) -> Scan {
    let bytes = text.as_bytes();
    let bmp: &[u8] = &BMP;
    let mut key: Vec<u8> = Vec::with_capacity(text.len());
    let mut scan = Scan::default();
    // Where the token being written starts in `key`.
    let mut token: Option<usize> = None;
    // The current word: whether there is one, where it starts, and whether
    // a letter was seen in it.
    let mut in_word = false;
    let mut word_start = 0;
    let mut word_lettered = false;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        let (flags, c, len) = if b.is_ascii() {
            (bmp[usize::from(b)], char::from(b), 1)
        } else {
            let c = text[at..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            (flags_of(c), c, c.len_utf8())
        };
        scan.chars += 1;
        if flags & SPACE != 0 {
            if in_word {
                in_word = false;
                scan.separator_words += usize::from(is_separator_word(&bytes[word_start..at]));
            }
        } else {
            scan.digits += usize::from(flags & NUMERIC != 0);
            scan.separator_chars += usize::from(flags & SEPARATOR != 0);
            if !in_word {
                in_word = true;
                word_start = at;
                word_lettered = false;
                scan.words += 1;
            }
            if !word_lettered && flags & ALPHA != 0 {
                word_lettered = true;
                scan.lettered += 1;
                scan.capitalized += usize::from(flags & UPPER != 0);
            }
        }
        if flags & (ALPHA | NUMERIC) != 0 {
            if token.is_none() {
                if !key.is_empty() {
                    key.push(b' ');
                }
                token = Some(key.len());
            }
            if len == 1 {
                key.push(b.to_ascii_lowercase());
            } else {
                let mut buf = [0u8; 4];
                for lower in c.to_lowercase() {
                    key.extend_from_slice(lower.encode_utf8(&mut buf).as_bytes());
                }
            }
        } else if let Some(start) = token.take() {
            on_token(&key[start..]);
        }
        at += len;
    }
    if in_word {
        scan.separator_words += usize::from(is_separator_word(&bytes[word_start..]));
    }
    if let Some(start) = token {
        on_token(&key[start..]);
    }
    // Only whole characters were written, so the key is UTF-8.
    scan.key = String::from_utf8(key)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
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
    fn separators() {
        let s = scan("Home | News » Sport ›Local || x/y", |_| {});
        assert_eq!(s.separator_words, 3);
        assert_eq!(s.separator_chars, 5);
    }
}
