//! One pass over a line's characters: the counts [`LineFeatures`] is built
//! from, and the line's normalized key with its tokens, appended to a
//! buffer the caller owns (a page's keys share one).
//!
//! This runs on every character of every page, so it is written for speed:
//! ASCII bytes are classified by a table, runs of ASCII letters and digits
//! eight bytes at a time ([`lanes`]), other characters by std's Unicode
//! properties, looked up once per process for the Basic Multilingual Plane.
//! Runs parted by single spaces, the bulk of prose, are taken one after
//! another without going back to the byte table; a token that is one
//! short ASCII run is handed over (to [`Tokens`]) as the lane it was read
//! in, so that a stop-word look-up need not read it again.
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
/// `char::to_lowercase` is the character itself.
const OWN_LOWER_CASE: u8 = 1 << 5;

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
    let mut lower = c.to_lowercase();
    if lower.next() == Some(c) && lower.next().is_none() {
        flags |= OWN_LOWER_CASE;
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

/// What one pass over a line counts. The line's key (its tokens, runs of
/// letters and digits, lower case, joined by single spaces) goes to the
/// buffer passed to [`scan`].
#[derive(Debug, Default)]
pub(super) struct Scan {
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

/// Eight bytes at a time: the lanes of a `u64` holding eight bytes of
/// text, the first byte lowest, are classified together. A mask has the
/// high bit of each lane it marks set and every other bit clear.
mod lanes {
    const ONES: u64 = 0x0101_0101_0101_0101;
    pub const HIGH: u64 = 0x8080_8080_8080_8080;

    /// The eight bytes from `at` (at most the text's length), zeros
    /// standing in for those past the end.
    pub fn load(bytes: &[u8], at: usize) -> u64 {
        let rest = &bytes[at..];
        if let Some(eight) = rest.first_chunk() {
            return u64::from_le_bytes(*eight);
        }
        match bytes.last_chunk() {
            // The text's last eight bytes, shifted down past those before `at`.
            Some(last) => u64::from_le_bytes(*last)
                .checked_shr(8 * (8 - rest.len()) as u32)
                .unwrap_or(0),
            None => rest
                .iter()
                .rev()
                .fold(0, |eight, &byte| eight << 8 | u64::from(byte)),
        }
    }

    /// The lanes of `eight` holding at least `low`, in their high bits;
    /// the other bits are left over. Only lanes before the first
    /// non-ASCII one are sure: a sum can carry out of a byte from 0x80 on
    /// into the next lane.
    fn at_least(eight: u64, low: u8) -> u64 {
        eight.wrapping_add(u64::from(0x80 - low) * ONES)
    }

    /// What eight bytes are, as masks: sure for the lanes up to the
    /// first that is not ASCII (which is one of `others`), not after it.
    /// A run of letters and digits ends there anyway.
    pub struct Classes {
        /// All but ASCII letters and digits: what ends a run of them.
        pub others: u64,
        /// ASCII letters.
        pub letters: u64,
        /// ASCII digits.
        pub digits: u64,
    }

    pub fn classify(eight: u64) -> Classes {
        let ascii = !eight & HIGH;
        let digits = at_least(eight, b'0') & !at_least(eight, b'9' + 1) & ascii;
        // Setting 0x20 turns capitals into small letters, and nothing else
        // into a letter.
        let folded = eight | (0x20 * ONES);
        let letters = at_least(folded, b'a') & !at_least(folded, b'z' + 1) & ascii;
        Classes {
            others: !(letters | digits) & HIGH,
            letters,
            digits,
        }
    }

    /// Whether the letter in the lane `lane` marks is a capital: its 0x20
    /// bit is clear.
    pub fn is_capital(eight: u64, lane: u64) -> bool {
        eight & lane >> 2 == 0
    }

    /// `eight` with its letters (a mask) made small: setting the 0x20 bit
    /// turns a capital into its small letter and leaves a small one be.
    pub fn lower(eight: u64, letters: u64) -> u64 {
        eight | letters >> 2
    }

    /// The lanes before the first marked by `mask`: every lane if none is.
    pub fn before_first(mask: u64) -> u64 {
        (mask & mask.wrapping_neg()).wrapping_sub(1) & HIGH
    }

    /// Every bit of the lanes `mask` marks.
    pub fn bytes_of(mask: u64) -> u64 {
        (mask >> 7) * 0xFF
    }

    /// How many lanes come before the first marked by `mask` (8 if none).
    pub fn count_before_first(mask: u64) -> usize {
        (mask.trailing_zeros() / 8) as usize
    }

    /// How many lanes `mask` marks.
    pub fn count(mask: u64) -> usize {
        mask.count_ones() as usize
    }

    /// Whether the lanes of `eight` that `mask` marks hold ASCII bytes.
    pub fn ascii_in(eight: u64, mask: u64) -> bool {
        eight & mask == 0
    }
}

/// What a scan hands each token of the key to, as it is written.
pub(super) trait Tokens {
    /// A token: letters and digits, lower case.
    fn token(&mut self, token: &[u8]);

    /// A token of `len` ASCII letters and digits, fewer than eight, given
    /// as `eight`, its bytes in little-endian order with zeros above them:
    /// the run scan has them in a register already.
    #[inline(always)]
    fn short_token(&mut self, eight: u64, len: usize) {
        self.token(&eight.to_le_bytes()[..len.min(8)]);
    }
}

impl<F: FnMut(&[u8])> Tokens for F {
    #[inline(always)]
    fn token(&mut self, token: &[u8]) {
        self(token);
    }
}

/// The state of one scan.
struct Scanner<'t, 'k, F> {
    text: &'t str,
    on_token: F,
    /// The buffer the key is appended to, and where this line's key starts
    /// in it.
    key: &'k mut String,
    key_start: usize,
    /// The counts so far.
    scan: Scan,
    /// Bytes after the first of multi-byte characters: the text has as
    /// many characters as bytes less these.
    continuation_bytes: usize,
    /// Where the token being written starts in the key.
    token: Option<usize>,
    /// The word being read.
    word: Word,
}

/// What a scan knows of the word it is reading.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    /// Between words.
    Outside,
    /// Symbols alone so far, from `start` in the text: it may be a
    /// separator word.
    Symbols { start: usize },
    /// A word with a letter or digit, and whether it has had a letter.
    Alphanumeric { lettered: bool },
}

impl<'t, 'k, F: Tokens> Scanner<'t, 'k, F> {
    fn new(text: &'t str, key: &'k mut String, on_token: F) -> Self {
        // A key is about as long as its text (lower case can be longer
        // outside ASCII: this is room, not a bound); `ascii_runs` writes
        // eight bytes at a time, and makes sure of its own room.
        key.reserve(text.len() + 8);
        Scanner {
            text,
            on_token,
            key_start: key.len(),
            key,
            scan: Scan::default(),
            continuation_bytes: 0,
            token: None,
            word: Word::Outside,
        }
    }

    // Called on every token: left to itself, the compiler may call it
    // rather than inline it, which costs about 7% of a scan.
    #[inline(always)]
    fn end_token(&mut self) {
        if let Some(start) = self.token.take() {
            self.on_token.token(&self.key.as_bytes()[start..]);
        }
    }

    fn start_token(&mut self) {
        if self.token.is_none() {
            if self.key.len() > self.key_start {
                self.key.push(' ');
            }
            self.token = Some(self.key.len());
        }
    }

    #[inline]
    fn end_word(&mut self, at: usize) {
        if let Word::Symbols { start } = self.word {
            let word = &self.text.as_bytes()[start..at];
            self.scan.separator_words += usize::from(is_separator_word(word));
        }
        self.word = Word::Outside;
    }

    /// A symbol (not whitespace, not a letter or digit) at `at`.
    fn symbol(&mut self, at: usize) {
        if self.word == Word::Outside {
            self.word = Word::Symbols { start: at };
            self.scan.words += 1;
        }
    }

    /// A letter or digit.
    fn alphanumeric(&mut self) {
        match self.word {
            Word::Alphanumeric { .. } => {}
            Word::Symbols { .. } => self.word = Word::Alphanumeric { lettered: false },
            Word::Outside => {
                self.word = Word::Alphanumeric { lettered: false };
                self.scan.words += 1;
            }
        }
    }

    /// Whether the open word has had a letter.
    fn lettered(&self) -> bool {
        self.word == Word::Alphanumeric { lettered: true }
    }

    /// A letter in the open word, a capital or not: only the first counts.
    fn letter(&mut self, capital: bool) {
        if !self.lettered() {
            self.word = Word::Alphanumeric { lettered: true };
            self.scan.lettered += 1;
            self.scan.capitalized += usize::from(capital);
        }
    }

    /// The run of ASCII letters and digits from `start`, taken eight bytes
    /// at a time: counted, and written to the key lower-cased; and the
    /// space after it if there is one, and so on while a single space
    /// parts runs. Returns where they end.
    fn ascii_runs(&mut self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        self.alphanumeric();
        // Whether the token starts with the run: if the run is short and
        // ends it, the token is in the one lane read.
        let mut fresh = self.token.is_none();
        self.start_token();
        // From here on the key grows by a byte for each byte of the text:
        // a letter or digit lower-cased, a space between runs as itself.
        // So the key's byte for the text's byte at `at` is at
        // `origin + (at - start)`, and the rest of the text and eight
        // bytes more (each lane is written whole, then only its run kept)
        // fit in this room. It is nearly always there already (`new`
        // reserved it).
        self.key.reserve(bytes.len() - start + 8);
        let origin = self.key.len();
        let key_at = |at: usize| origin + (at - start);
        let mut run_start = start;
        loop {
            let mut end = run_start;
            let (last_lower, last_run) = loop {
                // Panics unless `end <= bytes.len()`, which the writes
                // below rely on.
                let eight = lanes::load(bytes, end);
                let classes = lanes::classify(eight);
                let run = lanes::before_first(classes.others);
                let letters = classes.letters & run;
                if letters != 0 && !self.lettered() {
                    let first = letters & letters.wrapping_neg();
                    self.letter(lanes::is_capital(eight, first));
                }
                let digits = classes.digits & run;
                if digits != 0 {
                    self.scan.digits += lanes::count(digits);
                }
                let lower = lanes::lower(eight, classes.letters);
                // The lanes that stay in the key, those before the first
                // that `run` does not mark, must be ASCII: checking them
                // here, eight at a time, spares validating the whole key.
                assert!(lanes::ascii_in(lower, run), "letters and digits are ASCII");
                let taken = lanes::count_before_first(!run & lanes::HIGH);
                // SAFETY: `end <= bytes.len()` (`load` checked it), so the
                // eight bytes at `key_at(end)` end within the room
                // reserved above. Only spare capacity is written.
                unsafe {
                    let key = self.key.as_mut_vec();
                    key.as_mut_ptr()
                        .add(key_at(end))
                        .cast::<[u8; 8]>()
                        .write_unaligned(lower.to_le_bytes());
                }
                end += taken;
                if taken < 8 {
                    break (lower, run);
                }
            };
            // SAFETY: the key's bytes up to `key_at(end)` are those it had
            // and, from `origin` on, the runs' lanes' first `taken` bytes
            // and spaces written above, all ASCII (each lane was checked):
            // the key stays UTF-8.
            unsafe { self.key.as_mut_vec().set_len(key_at(end)) };
            let next = bytes.get(end);
            // The token goes on only into a letter or digit of more than a
            // byte.
            if next.is_some_and(|byte| !byte.is_ascii()) {
                return end;
            }
            if fresh && end - run_start < 8 {
                // The token is the first lane's run, the lanes `run` marks.
                self.token = None;
                let eight = last_lower & lanes::bytes_of(last_run);
                self.on_token.short_token(eight, end - run_start);
            } else {
                self.end_token();
            }
            // A space, the commonest end of a run, is taken here too.
            if next != Some(&b' ') {
                return end;
            }
            self.end_word(end);
            let after = end + 1;
            let flags = bytes.get(after).map_or(0, |&b| BYTE_FLAGS[usize::from(b)]);
            if flags & (ALPHA | NUMERIC) == 0 {
                return after;
            }
            // A letter or digit after one space: a new word, whose token
            // follows this one after a space, as in the text.
            self.alphanumeric();
            // SAFETY: `end < bytes.len()`, so `key_at(end)` is within the
            // room reserved above; the space is ASCII.
            unsafe {
                let key = self.key.as_mut_vec();
                key.as_mut_ptr().add(key_at(end)).write(b' ');
                key.set_len(key_at(after));
            }
            self.token = Some(key_at(after));
            fresh = true;
            run_start = after;
        }
    }

    /// The character at `at`, which is not ASCII. Returns where it ends.
    fn other_char(&mut self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        // A character of two bytes, most of those outside ASCII, is
        // decoded here from its bytes: the text is UTF-8 and `at` starts
        // a character, so a first byte below 0xE0 is followed by one more.
        let c = match (bytes[at], bytes.get(at + 1)) {
            (lead @ 0xC0..=0xDF, Some(&next)) => {
                let code = u32::from(lead & 0x1F) << 6 | u32::from(next & 0x3F);
                char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            _ => self.text[at..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER),
        };
        let flags = flags_of(c);
        self.continuation_bytes += c.len_utf8() - 1;
        if flags & SPACE != 0 {
            self.end_token();
            self.end_word(at);
        } else {
            self.scan.digits += usize::from(flags & NUMERIC != 0);
            self.scan.separator_chars += usize::from(flags & SEPARATOR != 0);
            if flags & (ALPHA | NUMERIC) == 0 {
                self.symbol(at);
                self.end_token();
            } else {
                self.alphanumeric();
                if flags & ALPHA != 0 {
                    self.letter(flags & UPPER != 0);
                }
                self.start_token();
                if flags & OWN_LOWER_CASE != 0 {
                    self.key.push(c);
                } else {
                    self.key.extend(c.to_lowercase());
                }
            }
        }
        at + c.len_utf8()
    }

    fn finish(mut self) -> Scan {
        let len = self.text.len();
        self.end_word(len);
        self.end_token();
        let mut scan = self.scan;
        scan.chars = len - self.continuation_bytes;
        scan
    }
}

/// Scan `text`, appending its key to `key` and calling `on_token` with
/// each token of the key as it is written.
pub(super) fn scan(text: &str, key: &mut String, on_token: impl FnMut(&[u8])) -> Scan {
    scan_tokens(text, key, on_token)
}

/// [`scan`], handing the tokens to `tokens`.
pub(super) fn scan_tokens(text: &str, key: &mut String, tokens: impl Tokens) -> Scan {
    let bytes = text.as_bytes();
    let mut s = Scanner::new(text, key, tokens);
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let flags = BYTE_FLAGS[usize::from(byte)];
        at = if flags & (ALPHA | NUMERIC) != 0 {
            s.ascii_runs(at)
        } else if flags & SPACE != 0 {
            s.end_token();
            s.end_word(at);
            at + 1
        } else if flags & NOT_ASCII == 0 {
            // ASCII punctuation and symbols: part of a word, not of a token.
            s.scan.separator_chars += usize::from(flags & SEPARATOR != 0);
            s.symbol(at);
            s.end_token();
            at + 1
        } else {
            s.other_char(at)
        };
    }
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_masks() {
        assert_eq!(lanes::bytes_of(0), 0);
        assert_eq!(lanes::bytes_of(0x80), 0xFF);
        assert_eq!(lanes::bytes_of(0x8000_0080), 0xFF00_00FF);
        assert_eq!(lanes::bytes_of(lanes::HIGH), u64::MAX);
        assert_eq!(lanes::count_before_first(0), 8);
        assert_eq!(lanes::count_before_first(0x80), 0);
        assert_eq!(lanes::count_before_first(0x8080_0000), 2);
    }

    use proptest::prelude::*;

    /// The definition, character by character.
    fn reference(text: &str) -> (String, [usize; 7]) {
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
        let separators = ["|", "/", "||", "·", "»", "›", "•", "∙", "◦"];
        (
            key,
            [
                text.chars().count(),
                text.chars().filter(|c| c.is_numeric()).count(),
                words.len(),
                lettered.len(),
                lettered.iter().filter(|c| c.is_uppercase()).count(),
                text.chars()
                    .filter(|c| matches!(c, '|' | '·' | '»' | '›' | '•'))
                    .count(),
                words.iter().filter(|w| separators.contains(w)).count(),
            ],
        )
    }

    /// Every token, a short one checked against its bytes.
    struct Collect(Vec<String>);

    impl Tokens for &mut Collect {
        fn token(&mut self, token: &[u8]) {
            self.0.push(String::from_utf8_lossy(token).into_owned());
        }

        fn short_token(&mut self, eight: u64, len: usize) {
            let token = &eight.to_le_bytes()[..len];
            assert!(len < 8 && token.iter().all(u8::is_ascii_alphanumeric));
            assert_eq!(eight >> (8 * len), 0, "{token:?}");
            self.token(token);
        }
    }

    fn agrees(text: &str) -> Result<(), TestCaseError> {
        let (key, counts) = reference(text);
        // Keys are appended to a buffer that may hold others: on its own
        // and after another key, a line's key and counts are the same.
        for before in ["", "earlier key"] {
            let mut buffer = before.to_string();
            let mut tokens = Collect(Vec::new());
            let got = scan_tokens(text, &mut buffer, &mut tokens);
            let tokens = tokens.0;
            prop_assert_eq!(&buffer[..before.len()], before);
            prop_assert_eq!(&buffer[before.len()..], &key);
            prop_assert_eq!(tokens.join(" "), key.clone());
            let got_counts = [
                got.chars,
                got.digits,
                got.words,
                got.lettered,
                got.capitalized,
                got.separator_chars,
                got.separator_words,
            ];
            prop_assert_eq!(got_counts, counts);
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn agrees_with_the_definition(text in "[a-zA-Z0-9 \t.,|·»›•∙◦/İıßǅΣσЖж½²٣\u{3000}\u{a0}日本-]{0,60}") {
            agrees(&text)?;
        }

        /// Characters of two bytes, decoded by hand: all of them, among
        /// ASCII letters and spaces.
        #[test]
        fn agrees_on_two_byte_characters(text in "[\u{80}-\u{7FF}a-zA-Z0-9 ]{0,40}") {
            agrees(&text)?;
        }

        /// Runs of letters and digits longer than the eight bytes taken at
        /// once, ended by any ASCII byte or by other characters.
        #[test]
        fn agrees_on_long_runs_and_every_ascii_byte(
            text in "([a-zA-Z0-9]{0,20}[\\x00-\\x7F]?[éİΣ日\u{a0}]?){0,8}"
        ) {
            agrees(&text)?;
        }
    }

    /// The lanes agree with the byte table, for every byte in every lane,
    /// whatever its neighbours (ASCII before it: the lanes are sure only
    /// up to the first that is not).
    #[test]
    fn lanes_agree_with_the_byte_table() {
        for byte in 0..=255u8 {
            let flags = BYTE_FLAGS[usize::from(byte)];
            for lane in 0..8 {
                for fill in [0x00u8, 0x7F, 0x80, 0xFF, b'0', b'z', b'Z'] {
                    for before in [b'a', b'Q', b'5', b' ', 0x7F, fill] {
                        if !before.is_ascii() {
                            continue;
                        }
                        let mut eight = [fill; 8];
                        eight[..lane].fill(before);
                        eight[lane] = byte;
                        let eight = u64::from_le_bytes(eight);
                        let classes = lanes::classify(eight);
                        let mark = 0x80 << (8 * lane);
                        let marked = |mask: u64| mask & mark != 0;
                        let expect = |f: u8| flags & f != 0 && flags & NOT_ASCII == 0;
                        assert_eq!(
                            marked(classes.others),
                            !expect(ALPHA | NUMERIC),
                            "{byte:#x}"
                        );
                        assert_eq!(marked(classes.letters), expect(ALPHA), "{byte:#x}");
                        assert_eq!(marked(classes.digits), expect(NUMERIC), "{byte:#x}");
                        if expect(ALPHA) {
                            assert_eq!(lanes::is_capital(eight, mark), expect(UPPER));
                        }
                        let lower = lanes::lower(eight, classes.letters);
                        assert_eq!(lower.to_le_bytes()[lane], byte.to_ascii_lowercase());
                        let alphanumeric = !classes.others & mark;
                        assert!(lanes::ascii_in(lower, alphanumeric), "{byte:#x}");
                    }
                }
            }
        }
    }

    #[test]
    fn loads_pad_with_zeros() {
        let text = b"0123456789";
        for len in 0..=text.len() {
            for at in 0..=len {
                let mut expected = [0; 8];
                let end = len.min(at + 8);
                expected[..end - at].copy_from_slice(&text[at..end]);
                assert_eq!(lanes::load(&text[..len], at), u64::from_le_bytes(expected));
            }
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

    /// A run ended by a space takes the space along: at the end of the
    /// text, before more spaces, separators and other characters; and the
    /// runs after single spaces, short and long.
    #[test]
    fn runs_ended_by_a_space() {
        for text in [
            "a ",
            "ab  cd",
            "abcdefgh ij",
            "Ab |  / x",
            "x \u{a0}y",
            "x é",
            "9 ",
            " a b ",
            "one two Three 4 five6 seven",
            "abcdefghij Klmnopqrstu v wxyz0123 ",
            "a b|c d é f",
            "ab cd\tef gh  ij",
        ] {
            agrees(text).unwrap();
        }
    }

    #[test]
    fn separators() {
        let s = scan(
            "Home | News » Sport ›Local || x/y",
            &mut String::new(),
            |_| {},
        );
        assert_eq!(s.separator_words, 3);
        assert_eq!(s.separator_chars, 5);
    }
}
