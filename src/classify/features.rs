//! Per-line features the classifier reads, computed once per page.
//!
//! This module measures lines; it does not decide anything. It owns the
//! word and token counting, the stop-word count for the page's language
//! (see [`stopwords`]), the punctuation and character-class
//! shares, the generic boilerplate phrases, and the normalized text used to
//! find repeats. DOM features come from [`Block`](crate::page::Block) when the
//! line was read from HTML.

use std::sync::LazyLock;

use crate::pattern::{LinePattern, LinePatternSet, PatternMatches};

use super::scan::{scan, scan_tokens, Scan, Tokens};
use super::stopwords::{self, StopWords};
use crate::page::{Line, Page};

/// Features of one line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineFeatures {
    /// Characters, not bytes.
    pub chars: usize,
    /// Whitespace-separated words.
    pub words: usize,
    /// Word tokens (runs of letters and digits).
    pub tokens: usize,
    /// Tokens that are stop words of the page's language.
    pub stop_words: usize,
    /// Ends like a sentence: `.`, `!`, `?`, `…`, `:` or `;`, possibly
    /// followed by closing quotes or brackets.
    pub terminal: bool,
    /// Share of words with letters whose first letter is a capital.
    pub capital_share: f32,
    /// Share of characters that are digits.
    pub digit_share: f32,
    /// Navigation separators: `|`, `·`, `»`, `›`, `•`, `/` between spaces.
    pub separators: usize,
    /// Share of the text inside links (HTML only; 0 for text dumps).
    pub link_density: f32,
    /// Matches one of the generic boilerplate phrases.
    pub boilerplate: bool,
    /// Heads a comment section ("Comments", "3 Responses", "Leave a
    /// Reply"): the article has ended.
    pub opens_comments: bool,
    /// A byline: "By Ann Lee", "Von Jonas Weber", "Par Claire Martin".
    pub byline: bool,
    /// The signature line of a comment: "jane99 says:".
    pub comment_signature: bool,
}

impl LineFeatures {
    /// Share of tokens that are stop words.
    pub fn stop_density(&self) -> f32 {
        if self.tokens == 0 {
            0.0
        } else {
            self.stop_words as f32 / self.tokens as f32
        }
    }
}

/// Features of every line of a page, and the page-wide facts they depend on.
#[derive(Debug, Clone)]
pub struct PageFeatures {
    /// The stop-word list chosen for the page.
    pub stop_words: StopWords,
    /// One entry per line.
    pub lines: Vec<LineFeatures>,
    /// Each line's text reduced to lower-case tokens joined by single
    /// spaces ([`normalize`]): two lines that differ only in punctuation,
    /// quotes or case have the same key. `keys[i]` is line `i`'s.
    pub keys: Keys,
}

impl PageFeatures {
    /// Whether the page is in no language we have stop words for: the
    /// classifier then leans on length and punctuation.
    pub fn neutral(&self) -> bool {
        self.stop_words == StopWords::Neutral
    }
}

/// The keys of a page's lines ([`normalize`]), one after another in one
/// buffer: a page's keys cost one allocation, not one per line. Line `i`'s
/// key is `keys[i]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    /// Every key, none between them.
    text: String,
    /// Where each key ends in `text`; each starts where the one before it
    /// ends.
    ends: Vec<usize>,
}

impl Keys {
    /// How many keys (lines) there are.
    #[inline]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Line `i`'s key, if there is a line `i`.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        Some(&self.text[self.start(i)..end])
    }

    /// The keys in line order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> {
        // Each key starts where the one before ended.
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let key = &self.text[start..end];
            start = end;
            key
        })
    }

    /// Line `i`'s key (there is a line `i`) as bytes: for the passes that
    /// hash and compare every key, which a byte slice serves without the
    /// character boundary checks of slicing a `str`.
    #[inline]
    pub fn bytes(&self, i: usize) -> &[u8] {
        &self.text.as_bytes()[self.start(i)..self.ends[i]]
    }

    /// The keys as bytes ([`Keys::bytes`]), in line order.
    #[inline]
    pub fn iter_bytes(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        (0..self.len()).map(|i| self.bytes(i))
    }

    /// The lines whose key starts with `byte`, in order: a walk over the
    /// buffer that looks at one byte per key.
    pub fn starting_with(&self, byte: u8) -> impl Iterator<Item = usize> + '_ {
        let bytes = self.text.as_bytes();
        let mut start = 0;
        self.ends.iter().enumerate().filter_map(move |(i, &end)| {
            let first = (start < end).then(|| bytes[start]);
            start = end;
            (first == Some(byte)).then_some(i)
        })
    }

    /// Where key `i` (which exists) starts in the buffer.
    #[inline]
    fn start(&self, i: usize) -> usize {
        i.checked_sub(1).map_or(0, |before| self.ends[before])
    }

    /// Close the key written to the end of the buffer since the last one.
    fn end_key(&mut self) {
        self.ends.push(self.text.len());
    }
}

impl std::ops::Index<usize> for Keys {
    type Output = str;

    /// Line `i`'s key; panics when there is no line `i`, as a slice does.
    #[inline]
    fn index(&self, i: usize) -> &str {
        &self.text[self.start(i)..self.ends[i]]
    }
}

impl<S: AsRef<str>> FromIterator<S> for Keys {
    /// Keys as given, one per line (for tests and tools: a page's keys
    /// come from [`page_features`]).
    fn from_iter<I: IntoIterator<Item = S>>(keys: I) -> Self {
        let mut all = Keys::default();
        for key in keys {
            all.text.push_str(key.as_ref());
            all.end_key();
        }
        all
    }
}

/// Pages longer than this many tokens are sampled from their start for the
/// language guess; more adds time, not accuracy.
const LANGUAGE_SAMPLE_TOKENS: usize = 5000;

/// Lines with more words than this are never judged by the boilerplate
/// phrases: a phrase like "subscribe" in a long paragraph is prose. Only
/// disclaimers ("we may earn a commission") are judged up to the longer
/// bound.
const BOILERPLATE_MAX_WORDS: usize = 20;
const DISCLAIMER_MAX_WORDS: usize = 60;

/// Measure every line of `page`.
///
/// One pass over each line's characters (`scan`) gives its counts and
/// writes its key; each token's stop-word languages are looked up once, as
/// it is written, for the language guess and the line's count alike. The
/// counts wait for the guess, which needs the page's first tokens.
pub fn page_features(page: &Page) -> PageFeatures {
    let n = page.lines.len();
    // Prose has a token every six or seven bytes; a key is about as long
    // as its line.
    let bytes: usize = page.lines.iter().map(|line| line.text.len()).sum();
    let mut token_bits: Vec<u16> = Vec::with_capacity(bytes / 4);
    let mut token_ends = Vec::with_capacity(n);
    let mut keys = Keys {
        text: String::with_capacity(bytes + 8),
        ends: Vec::with_capacity(n),
    };
    let mut lines: Vec<LineFeatures> = Vec::with_capacity(n);
    let lookup = stopwords::Lookup::get();
    for line in &page.lines {
        let first_token = token_bits.len();
        let scanned = scan_tokens(
            &line.text,
            &mut keys.text,
            TokenBits {
                lookup,
                bits: &mut token_bits,
            },
        );
        let tokens = token_bits.len() - first_token;
        lines.push(measure(line, &scanned, tokens, 0));
        keys.end_key();
        token_ends.push(token_bits.len());
    }
    // The short lines are matched against the phrase lists together, which
    // lets the set search them for its literals at once.
    let short: Vec<usize> = (0..n)
        .filter(|&i| lines[i].words <= BOILERPLATE_MAX_WORDS)
        .collect();
    let phrases = SHORT_LINE
        .lines()
        .matches_each(short.iter().map(|&i| page.lines[i].text.as_str()));
    for (&i, phrases) in short.iter().zip(&phrases) {
        judge_phrases(&mut lines[i], phrases.as_ref());
    }
    for i in disclaimer_candidates(&keys) {
        let features = &mut lines[i];
        if features.words <= DISCLAIMER_MAX_WORDS && DISCLAIMER.is_match(&page.lines[i].text) {
            features.boilerplate = true;
        }
    }
    let sample = &token_bits[..token_bits.len().min(LANGUAGE_SAMPLE_TOKENS)];
    let stop_words = stopwords::detect_bits(sample);
    if stop_words != StopWords::Neutral {
        let mut start = 0;
        for (features, &end) in lines.iter_mut().zip(&token_ends) {
            features.stop_words = token_bits[start..end]
                .iter()
                .filter(|&&b| stop_words.contains_bits(b))
                .count();
            start = end;
        }
    }
    // A comment signature opens the comments when a time of day dates it,
    // on its own line or the next.
    for i in 0..lines.len() {
        let timestamped = |j: usize| {
            page.lines.get(j).is_some_and(|l| {
                lines[j].words <= SIGNATURE_MAX_WORDS && TIME_OF_DAY.is_match(&l.text)
            })
        };
        if lines[i].comment_signature && (timestamped(i) || timestamped(i + 1)) {
            lines[i].opens_comments = true;
        }
    }
    PageFeatures {
        stop_words,
        lines,
        keys,
    }
}

/// Each token's stop-word languages, pushed as the scan writes it.
struct TokenBits<'a> {
    lookup: stopwords::Lookup,
    bits: &'a mut Vec<u16>,
}

// Inlined into the scan: called on every token, a call of its own cost
// about a fifth of what the look-up does.
impl Tokens for TokenBits<'_> {
    #[inline(always)]
    fn token(&mut self, token: &[u8]) {
        self.bits.push(self.lookup.bits(token));
    }

    #[inline(always)]
    fn short_token(&mut self, eight: u64, len: usize) {
        self.bits.push(self.lookup.bits_short(eight, len));
    }
}

/// Measure one line on its own, with the stop words of `stop_words`.
pub fn line_features(line: &Line, stop_words: StopWords) -> LineFeatures {
    let mut tokens = 0;
    let mut stops = 0;
    let mut key = String::new();
    let scanned = scan(&line.text, &mut key, |token| {
        tokens += 1;
        stops += usize::from(stop_words.contains_bits(stopwords::language_bits_of(token)));
    });
    let mut features = measure(line, &scanned, tokens, stops);
    if features.words <= BOILERPLATE_MAX_WORDS {
        judge_phrases(&mut features, SHORT_LINE.matches(&line.text).as_ref());
    }
    if features.words <= DISCLAIMER_MAX_WORDS && is_disclaimer(&line.text, &key) {
        features.boilerplate = true;
    }
    features
}

/// Every feature from the line's scan and token counts: the counts as
/// shares and the sentence end. The phrase lists ([`judge_phrases`]) and
/// disclaimers, which make a line boilerplate too, are the caller's to
/// judge: a page's lines are searched for them at once.
fn measure(line: &Line, scanned: &Scan, tokens: usize, stops: usize) -> LineFeatures {
    let text = line.text.as_str();
    let words = scanned.words;
    let separators = scanned.separator_words
        + scanned
            .separator_chars
            .saturating_sub(scanned.separator_words);
    let block = line.block.as_ref();
    LineFeatures {
        chars: scanned.chars,
        words,
        tokens,
        stop_words: stops,
        terminal: ends_like_sentence(text),
        capital_share: share(scanned.capitalized, scanned.lettered),
        digit_share: share(scanned.digits, scanned.chars),
        separators,
        link_density: block.map_or(0.0, |b| b.link_density),
        boilerplate: false,
        opens_comments: false,
        byline: false,
        comment_signature: false,
    }
}

/// The features the phrase lists give a line of at most
/// [`BOILERPLATE_MAX_WORDS`] words, from its matches in [`SHORT_LINE`].
fn judge_phrases(features: &mut LineFeatures, phrases: Option<&PatternMatches>) {
    let short = |range: std::ops::Range<usize>| phrases.is_some_and(|m| m.any_in(range));
    let words = features.words;
    features.boilerplate = short(SHORT_BOILERPLATE);
    features.opens_comments = short(SHORT_COMMENTS_HEADER..SHORT_COMMENTS_HEADER + 1);
    features.byline = words <= BYLINE_MAX_WORDS && short(SHORT_BYLINE..SHORT_BYLINE + 1);
    features.comment_signature =
        words <= SIGNATURE_MAX_WORDS && short(SHORT_SIGNATURE..SHORT_SIGNATURE + 1);
}

fn share(part: usize, whole: usize) -> f32 {
    if whole == 0 {
        0.0
    } else {
        part as f32 / whole as f32
    }
}

/// Whether `text` ends like a sentence (closing quotes and brackets aside).
/// A trailing ellipsis marks a cut-off teaser or breadcrumb, not an end.
pub fn ends_like_sentence(text: &str) -> bool {
    // Most lines end in an ASCII letter, digit or sentence mark, which
    // decides at once; only a space, a closing mark or a character beyond
    // ASCII at the end asks for the trimming below.
    match text.as_bytes() {
        // Nothing to trim: a full stop, unless it is the end of "..".
        [.., before, b'.'] => return *before != b'.',
        [.., b'!' | b'?' | b':' | b';'] => return true,
        [.., last] if last.is_ascii_alphanumeric() => return false,
        _ => {}
    }
    ends_like_sentence_trimmed(text)
}

/// [`ends_like_sentence`] by its definition: the text's end trimmed of
/// spaces, closing quotes and brackets, then looked at.
fn ends_like_sentence_trimmed(text: &str) -> bool {
    let trimmed = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*')
    });
    !trimmed.ends_with("..")
        && !trimmed.ends_with('…')
        && trimmed.ends_with(['.', '!', '?', ':', ';', '。', '！', '？'])
}

/// Lower-case word tokens of `text` joined by single spaces.
pub fn normalize(text: &str) -> String {
    let mut key = String::new();
    scan(text, &mut key, |_| {});
    key
}

/// Phrases that open a boilerplate line: calls to share, subscribe, sign in
/// or read something else, comment widgets, legal footers, photo credits.
/// Matched case-insensitively at the start of short lines.
const BOILERPLATE_START: &str = r"(?xi)^[\s\p{P}\p{S}]*(?:
            advertisement | sponsored\ (?:content|by|links?) | promoted\ (?:content|stories)
          | read\ (?:more|next|also|the\ full) | also\ read | see\ also | more\ from
          | related\ (?:articles?|stories|posts|content|news|topics|coverage)
          | you\ (?:may|might)\ (?:also|like) | most\ (?:read|popular|viewed|shared)
          | popular\ (?:now|posts|stories) | latest\ (?:news|posts|stories|articles)
          | share\ (?:this|on|via|the\ story|article) | follow\ (?:us|me)(?:\W|$) | like\ us\ on
          | sign\ (?:in|up)(?:\W|$) | log\ ?in(?:\W|$) | log\ out | subscribe\ (?:to|now|for)
          | leave\ a\ (?:reply|comment) | \d+\ comments? | no\ comments | view\ comments
          | posted\ (?:in|by|on)(?:\W|$) | filed\ under | tags?\s*: | categor(?:y|ies)\s*:
          | (?:previous|next)\ (?:post|article|story) | back\ to\ top | skip\ to
          | click\ here | tap\ here | copyright | \(c\)\ | © | all\ rights\ reserved
          | terms\ (?:of|and)\ (?:use|service|conditions) | privacy\ (?:policy|notice)
          | we\ use\ cookies | accept\ (?:all\ )?cookies
          | image\ (?:source|caption|credit) | photo(?:graph)?\s*: | getty\ images | file\ photo
        )";

/// Lines that are nothing but one of these words (any case, any
/// punctuation around them): buttons and widget labels.
const BOILERPLATE_WHOLE: &str = r"(?xi)^[\s\p{P}\p{S}]*(?:
            advertisement | advertising | sponsored | ad | ads | share | shares | tweet | facebook
          | twitter | whatsapp | linkedin | pinterest | reddit | email | e-mail | print
          | comments? | loading | related | trending | recommended | newsletter | subscribe
          | register | login | menu | search | home | more | next | previous | close | skip
          | reply | follow | like | top | back | print\ this | google\+?
        )[\s\p{P}\p{S}\d]*$";

/// Disclaimers that mark a line as boilerplate even when it is long.
static DISCLAIMER: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(
        r"(?xi)
            \baffiliate\ (?:links?|commissions?|partnerships?|programs?)\b
          | \bmay\ (?:earn|receive|get)\ (?:a\ )?(?:small\ )?commission
        ",
    )
    .unwrap_or_else(|e| panic!("built-in disclaimer pattern: {e}"))
});

/// A line that is nothing but the heading of a comment section.
/// A byline names one to three people and a role; longer is a sentence
/// that happens to start with "By".
const BYLINE_MAX_WORDS: usize = 12;

/// "By" and its counterparts in the stop-word languages, then a capitalised
/// name.
const BYLINE: &str =
    r"^(?:[Bb]y|[Vv]on|[Pp]ar|[Pp]or|[Dd]i|[Dd]oor|[Aa]v|[Aa]f|[Оо]т|[Aa]utor:?)\s+\p{Lu}";

const COMMENTS_HEADER: &str = r"(?xi)^[\s\p{P}\p{S}]*(?:\d+\s+)?(?:
            comments? | responses? | replies | reader\ comments | discussion
          | leave\ a\ (?:reply|comment) | add\ (?:a|your)\ comment | post\ a\ comment
          | join\ the\ (?:discussion|conversation) | comments\ are\ closed
          | (?:show|view|load|read)\ (?:all\ )?\d*\s*comments
          | (?:comments?|responses?|replies|thoughts)\ (?:to|on)(?:\W.*)?
          | what\ do\ you\ think
        )[\s\p{P}\p{S}\d]*$";

/// The signature line of a comment: "jane99 says:", "Sam on May 2, 2019
/// at 4:05 pm said:".
const COMMENT_SIGNATURE: &str = r"(?i)\s(?:says|said|wrote|writes|commented)\s*:?\s*$";

/// A time of day, as comment timestamps carry.
static TIME_OF_DAY: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(r"(?i)\b\d{1,2}:\d{2}(?:\s*[ap]\.?m\b)?")
        .unwrap_or_else(|e| panic!("built-in time pattern: {e}"))
});

/// Signatures are short; timestamps too.
const SIGNATURE_MAX_WORDS: usize = 14;

/// Phrases that mark a short line as boilerplate wherever they occur.
const BOILERPLATE_ANYWHERE: &str = r"(?xi)
            ©  | all\ rights\ reserved
          | (?:^|\W)(?:
                cookie | javascript | sign\ up | subscribe | newsletter | email\ address
              | unsubscribe | terms\ of\ (?:use|service) | privacy\ policy
            )(?:\W|$)
          | (?:^|\W)(?:use|accept|allow)\w*\ (?:of\ )?cookies
        ";

/// Whether `text` (normalized to `key`) carries an affiliate or commission
/// disclaimer. Every disclaimer's key holds "affiliat" or "commi" (the
/// regex's case-insensitive letters have no folds outside ASCII but `k` and
/// `s`, which these leave out); most paragraphs hold neither and skip the
/// regex.
fn is_disclaimer(text: &str, key: &str) -> bool {
    let key = key.as_bytes();
    DISCLAIMER_WORDS.iter().any(|w| w.find(key).is_some()) && DISCLAIMER.is_match(text)
}

/// What every disclaimer's key holds (see [`is_disclaimer`]).
static DISCLAIMER_WORDS: LazyLock<[memchr::memmem::Finder<'static>; 2]> = LazyLock::new(|| {
    [
        memchr::memmem::Finder::new("affiliat"),
        memchr::memmem::Finder::new("commi"),
    ]
});

/// The lines whose keys hold one of [`DISCLAIMER_WORDS`], ascending, each
/// once: the page's keys are searched as one buffer, which costs a fraction
/// of searching each line's key on its own, and most pages hold neither.
/// (A word found across two keys names a line that is no disclaimer; the
/// regex says so.)
fn disclaimer_candidates(keys: &Keys) -> Vec<usize> {
    let text = keys.text.as_bytes();
    let mut lines: Vec<usize> = DISCLAIMER_WORDS
        .iter()
        .flat_map(|w| w.find_iter(text))
        // The key holding the word's first byte: the first to end after it.
        .map(|at| keys.ends.partition_point(|&end| end <= at))
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

/// The phrase lists judged on short lines, as one set: one pass over a
/// line answers them all. Indices are the `SHORT_*` constants.
///
/// Word edges in these lists are spelled `(?:^|\W)` and `(?:\W|$)`, not
/// `\b`: the set only asks whether a line matches, where the two spellings
/// agree, and without a Unicode `\b` the set answers on the lazy DFA alone,
/// with no second regex to confirm its matches on lines with non-ASCII
/// text (see [`crate::pattern`]).
const SHORT_LINE_PATTERNS: [&str; 6] = [
    BOILERPLATE_START,
    BOILERPLATE_WHOLE,
    BOILERPLATE_ANYWHERE,
    COMMENTS_HEADER,
    BYLINE,
    COMMENT_SIGNATURE,
];

static SHORT_LINE: LazyLock<LinePatternSet> = LazyLock::new(|| {
    LinePatternSet::new(&SHORT_LINE_PATTERNS, 10 << 20)
        .unwrap_or_else(|e| panic!("built-in phrase patterns: {e}"))
});

/// The boilerplate phrases: [`BOILERPLATE_START`], [`BOILERPLATE_WHOLE`]
/// and [`BOILERPLATE_ANYWHERE`].
const SHORT_BOILERPLATE: std::ops::Range<usize> = 0..3;
const SHORT_COMMENTS_HEADER: usize = 3;
const SHORT_BYLINE: usize = 4;
const SHORT_SIGNATURE: usize = 5;

/// Whether `text` reads like a boilerplate line.
pub fn is_boilerplate_phrase(text: &str) -> bool {
    SHORT_LINE
        .matches(text)
        .is_some_and(|m| m.any_in(SHORT_BOILERPLATE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::stopwords::Language;

    fn line(text: &str) -> Line {
        Line {
            number: 1,
            text: text.to_string(),
            break_before: false,
            block: None,
        }
    }

    fn features(text: &str) -> LineFeatures {
        line_features(&line(text), StopWords::Language(Language::English))
    }

    #[test]
    fn normalizes_punctuation_quotes_and_case() {
        assert_eq!(
            normalize("In Town, the “Big” Fair!"),
            "in town the big fair"
        );
        assert_eq!(normalize("In town the 'big' fair"), "in town the big fair");
        assert_eq!(normalize("  --  "), "");
    }

    #[test]
    fn keys_share_one_buffer() {
        let keys: Keys = ["ab", "", "b", "ax"].into_iter().collect();
        assert_eq!(keys.len(), 4);
        assert_eq!(&keys[0], "ab");
        assert_eq!(&keys[1], "");
        assert_eq!(keys.get(3), Some("ax"));
        assert_eq!(keys.get(4), None);
        assert_eq!(keys.iter().collect::<Vec<_>>(), ["ab", "", "b", "ax"]);
        let bytes: Vec<&[u8]> = keys.iter_bytes().collect();
        assert_eq!(bytes, [&b"ab"[..], b"", b"b", b"ax"]);
        assert_eq!(keys.starting_with(b'a').collect::<Vec<_>>(), [0, 3]);
        assert_eq!(keys.starting_with(b'z').count(), 0);
        let page = crate::page::text::read("Big Fair!\n-- | --\n“Big” fair\n");
        let keys = page_features(&page).keys;
        assert_eq!(
            keys.iter().collect::<Vec<_>>(),
            ["big fair", "", "big fair"]
        );
    }

    /// The page's one search for disclaimer words finds what each line's
    /// own search finds, and a word split across two keys is no disclaimer.
    #[test]
    fn disclaimers_found_on_a_page_as_on_a_line() {
        let long = "word ".repeat(DISCLAIMER_MAX_WORDS);
        let dump = format!(
            "Harbour guide\n\nWe may earn a small commission from links on this page.\n\
             Comm\nis the shop's name. Our Affiliate Links help.\n\
             {long} affiliate links\nThe ferry may earn more this year.\n"
        );
        let page = crate::page::text::read(&dump);
        let on_page = page_features(&page);
        let boilerplate: Vec<bool> = on_page.lines.iter().map(|f| f.boilerplate).collect();
        assert_eq!(boilerplate, [false, true, false, true, false, false]);
        for (line, features) in page.lines.iter().zip(&on_page.lines) {
            let alone = line_features(line, on_page.stop_words);
            assert_eq!(alone.boilerplate, features.boilerplate, "{}", line.text);
        }
    }

    #[test]
    fn measures_prose() {
        let f =
            features("The lighthouse keeper said that the lamp had never failed in forty years.");
        assert_eq!(f.words, 13);
        assert!(f.terminal);
        assert!(f.stop_density() > 0.3, "{f:?}");
        assert!(!f.boilerplate);
    }

    #[test]
    fn measures_navigation() {
        let f = features("Home | Local News | Weather | Sport » Football");
        assert_eq!(f.separators, 4);
        assert!(!f.terminal);
        assert!(f.capital_share > 0.8);
        assert_eq!(f.stop_words, 0);
    }

    #[test]
    fn terminal_punctuation_behind_quotes() {
        assert!(ends_like_sentence("He said: “We will be back.”"));
        assert!(ends_like_sentence("Here is the list:"));
        assert!(!ends_like_sentence("Harbour reopens after storm"));
        assert!(!ends_like_sentence(
            "Home › News › Harbour reopens after the..."
        ));
    }

    /// The shortcuts for common line ends agree with trimming the end.
    #[test]
    fn sentence_ends_agree_with_the_trimmed_definition() {
        let ends = [
            "", ".", "..", "...", "!", "?", ":", ";", "a", "9", " ", "\"", "”", ")", "é", "…",
            "。", "*", "'", "\u{a0}", "x.", "é.", ").", " .",
        ];
        for head in ["", "Word", "Word."] {
            for a in ends {
                for b in ends {
                    let text = format!("{head}{a}{b}");
                    assert_eq!(
                        ends_like_sentence(&text),
                        ends_like_sentence_trimmed(&text),
                        "{text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn short_line_phrases_spell_word_edges_for_the_dfa() {
        for pattern in SHORT_LINE_PATTERNS {
            assert!(
                !pattern.contains("\\b"),
                "use (?:^|\\W) / (?:\\W|$): {pattern}"
            );
        }
    }

    #[test]
    fn boilerplate_phrases() {
        for text in [
            "READ MORE: Ferry operator cancels winter timetable",
            "Share this:",
            "Copyright © 2021 The Valley Courier",
            "Leave a Reply",
            "Sign up for our daily newsletter",
            "3 Comments",
            "Tags: harbour, ferries, weather",
            "Twitter",
            "Comments (12)",
            "Follow us",
            "Log in – or register",
            "Posted on “Tuesday”",
            "We value your privacy policy.",
            "Cookie-Einstellungen",
            "By continuing you accept the use of cookies",
        ] {
            assert!(is_boilerplate_phrase(text), "{text}");
        }
        for text in [
            "The harbour master shared the figures with the council.",
            "Readers wrote in to complain about the ferry timetable.",
            "Comment pieces are the opinion of their authors.",
            "Share prices fell after the ferry company reported losses.",
            "Register offices will open late on Mondays.",
            "Followers of the club gathered at the harbour.",
            "The cookiecutter houses line the front.",
            "Loginov scored twice.",
            "Sign-ups closed early.",
        ] {
            assert!(!is_boilerplate_phrase(text), "{text}");
        }
    }
}
