//! Line shapes: a line with its varying parts (numbers, month and weekday
//! names, am/pm, time units and plurals after a count) replaced by
//! placeholders and its whitespace collapsed, so that "Published 3 hours
//! ago" and "Published 1 hour ago" are the same template line.
//!
//! A [`Shape`] hashes to a [`LineKey`] (what the learner counts) and turns
//! into an anchored regex (what a learned rule file matches). Whether a line
//! reads like prose is decided here too, because the learner treats
//! sentences with more suspicion than labels. English month and weekday
//! names only; other languages still match when their dates are numeric.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// A prose line has at least this many words and ends like a sentence.
/// Four words is the shortest common complete sentence with a subject, verb
/// and object ("The council said so."); menu entries and labels are shorter.
const PROSE_MIN_WORDS: usize = 4;

/// A line of at least this many words is prose even without a sentence end
/// (text dumps often lose a paragraph's final punctuation).
const PROSE_LONG_WORDS: usize = 12;

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thurs",
    "fri",
    "sat",
    "sun",
];

const UNITS: &[&str] = &[
    "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "hr", "hrs", "hour",
    "hours", "day", "days", "week", "weeks", "month", "months", "year", "years",
];

/// Lower-case words that follow numbers without being what is counted
/// ("from €49 with Gull Air"). Capitalized words after a number ("2025
/// Harbour Ledger") are never counted either.
const NOT_COUNTED: &[&str] = &[
    "and", "are", "for", "from", "into", "off", "per", "than", "that", "the", "this", "was",
    "were", "with",
];

const MONTH_REGEX: &str = "(?i:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)";
const WEEKDAY_REGEX: &str =
    "(?i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Tues|Thurs|Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const UNIT_REGEX: &str =
    "(?i:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)";
const NUMBER_REGEX: &str = r"\d+(?:[.,:]\d+)*";

/// One piece of a line's shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Token {
    /// Literal text (a word or one punctuation character).
    Text(String),
    /// A run of whitespace.
    Space,
    /// Digits, with inner `.`, `,` or `:` (`1,204`, `10:45`, `3.5`).
    Number,
    /// `st`, `nd`, `rd`, `th` right after a number.
    Ordinal,
    /// An English month name or its abbreviation.
    Month,
    /// An English weekday name or its abbreviation.
    Weekday,
    /// `am` or `pm` after a number.
    AmPm,
    /// A time unit after a number (`3 hours`).
    Unit,
    /// A word after a number, singular or plural (`1 comment`, `5 comments`):
    /// the singular stem.
    Counted(String),
}

/// The shape of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub tokens: Vec<Token>,
    /// Reads like a sentence (see [`is_prose`]).
    pub prose: bool,
}

/// The hash of a line's shape, with the prose flag in the lowest bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineKey(pub u64);

impl LineKey {
    /// Whether the line reads like prose.
    pub fn is_prose(self) -> bool {
        self.0 & 1 == 1
    }
}

impl Shape {
    /// The shape of `line`.
    pub fn of(line: &str) -> Shape {
        Shape {
            tokens: tokens(line),
            prose: is_prose(line),
        }
    }

    /// The key the learner counts. Stable across runs and platforms of the
    /// same build (std's `DefaultHasher::new` uses fixed keys).
    pub fn key(&self) -> LineKey {
        let mut hasher = DefaultHasher::new();
        self.tokens.hash(&mut hasher);
        LineKey((hasher.finish() & !1) | u64::from(self.prose))
    }

    /// An anchored regex matching every line of this shape: literal text
    /// escaped, `\s+` for whitespace, `\d+` for numbers, alternations for
    /// names and units.
    pub fn regex(&self) -> String {
        let mut out = String::from("^");
        for token in &self.tokens {
            match token {
                Token::Text(text) => out.push_str(&regex::escape(text)),
                Token::Space => out.push_str(r"\s+"),
                Token::Number => out.push_str(NUMBER_REGEX),
                Token::Ordinal => out.push_str("(?:st|nd|rd|th)"),
                Token::Month => out.push_str(MONTH_REGEX),
                Token::Weekday => out.push_str(WEEKDAY_REGEX),
                Token::AmPm => out.push_str("(?i:am|pm)"),
                Token::Unit => out.push_str(UNIT_REGEX),
                Token::Counted(stem) => {
                    out.push_str(&regex::escape(stem));
                    out.push_str("s?");
                }
            }
        }
        out.push('$');
        out
    }

    /// Whether the shape has any placeholder (so its rule matches more than
    /// one literal line).
    pub fn varies(&self) -> bool {
        self.tokens
            .iter()
            .any(|t| !matches!(t, Token::Text(_) | Token::Space))
    }
}

/// The key of `line` (shortcut for `Shape::of(line).key()`).
pub fn key(line: &str) -> LineKey {
    Shape::of(line).key()
}

/// Whether `line` reads like prose: at least `PROSE_MIN_WORDS` words and a
/// sentence end (`.`, `!`, `?`, `…`, possibly inside closing quotes or
/// brackets), or at least `PROSE_LONG_WORDS` words.
pub fn is_prose(line: &str) -> bool {
    let words = line
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    if words >= PROSE_LONG_WORDS {
        return true;
    }
    let end = line
        .trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
    words >= PROSE_MIN_WORDS && end.ends_with(['.', '!', '?', '…'])
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Digit,
    Letter,
    Other,
}

fn class(c: char) -> Class {
    if c.is_whitespace() {
        Class::Space
    } else if c.is_ascii_digit() {
        Class::Digit
    } else if c.is_alphabetic() {
        Class::Letter
    } else {
        Class::Other
    }
}

/// Split `line` into raw runs, then give names, units and counts their
/// placeholders.
fn tokens(line: &str) -> Vec<Token> {
    let chars: Vec<char> = line.trim().chars().collect();
    let mut raw: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        match class(chars[i]) {
            Class::Space => {
                while i < chars.len() && class(chars[i]) == Class::Space {
                    i += 1;
                }
                raw.push(Token::Space);
            }
            Class::Digit => {
                loop {
                    while i < chars.len() && class(chars[i]) == Class::Digit {
                        i += 1;
                    }
                    let joined = i + 1 < chars.len()
                        && matches!(chars[i], '.' | ',' | ':')
                        && class(chars[i + 1]) == Class::Digit;
                    if !joined {
                        break;
                    }
                    i += 1;
                }
                raw.push(Token::Number);
            }
            Class::Letter => {
                while i < chars.len() && class(chars[i]) == Class::Letter {
                    i += 1;
                }
                raw.push(Token::Text(chars[start..i].iter().collect()));
            }
            Class::Other => {
                i += 1;
                raw.push(Token::Text(chars[start].to_string()));
            }
        }
    }
    let mut out: Vec<Token> = Vec::with_capacity(raw.len());
    for (idx, token) in raw.iter().enumerate() {
        let Token::Text(word) = token else {
            out.push(token.clone());
            continue;
        };
        if !word.chars().all(char::is_alphabetic) {
            out.push(token.clone());
            continue;
        }
        let lower = word.to_lowercase();
        let glued_to_number = idx >= 1 && raw[idx - 1] == Token::Number;
        let after_number = glued_to_number
            || idx >= 2 && raw[idx - 1] == Token::Space && raw[idx - 2] == Token::Number;
        if glued_to_number && matches!(lower.as_str(), "st" | "nd" | "rd" | "th") {
            out.push(Token::Ordinal);
        } else if MONTHS.contains(&lower.as_str())
            && (word.len() > 3 || after_number || lower != "may")
        {
            out.push(Token::Month);
        } else if WEEKDAYS.contains(&lower.as_str())
            && word.chars().next().is_some_and(char::is_uppercase)
        {
            out.push(Token::Weekday);
        } else if after_number && matches!(lower.as_str(), "am" | "pm") {
            out.push(Token::AmPm);
        } else if after_number && UNITS.contains(&lower.as_str()) {
            out.push(Token::Unit);
        } else if after_number
            && word.chars().count() > 2
            && word.chars().all(char::is_lowercase)
            && !NOT_COUNTED.contains(&word.as_str())
        {
            let stem = if word.ends_with('s') && word.chars().count() > 3 {
                &word[..word.len() - 1]
            } else {
                word.as_str()
            };
            out.push(Token::Counted(stem.to_string()));
        } else {
            out.push(token.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        key(a) == key(b)
    }

    #[test]
    fn digits_dates_counts_and_spacing_normalize() {
        assert!(same("Published 3 hours ago", "Published  1 hour ago"));
        assert!(same("Tuesday, 4 March 2025", "Friday, 21 November 2024"));
        assert!(same("1 comment", "12 comments"));
        assert!(!same("© 2024 Harbour Ltd", "© 2024 Harbours Ltd"));
        assert!(!Shape::of("from €49 with Gull Air")
            .regex()
            .contains("withs?"));
        assert!(same("Updated 10:45 am", "Updated 3:05 PM"));
        assert!(same("The 1st of May", "The 23rd of May"));
        assert!(!same("Sign up", "Sign in"));
        assert!(!same("News", "news"));
    }

    #[test]
    fn regexes_match_every_line_of_the_shape() {
        let lines = [
            ("Published 3 hours ago", "Published 1 day ago"),
            ("Tuesday, 4 March 2025", "Friday, 21 Nov 2024"),
            ("1,204 comments", "1 comment"),
            (
                "Fly to Lisbon from €49 (return)",
                "Fly to Lisbon from €129 (return)",
            ),
            ("It's 10:45 am [live]", "It's 9:05 PM [live]"),
        ];
        for (a, b) in lines {
            let re = regex::Regex::new(&Shape::of(a).regex()).unwrap();
            assert!(re.is_match(a), "{a}");
            assert!(re.is_match(b), "{b} by {re}");
            assert!(!re.is_match(&format!("x {a}")));
        }
    }

    #[test]
    fn prose_is_sentences_not_labels() {
        assert!(is_prose(
            "The company did not respond to a request for comment."
        ));
        assert!(is_prose("“We know,” she said.”"));
        assert!(!is_prose("Related articles"));
        assert!(!is_prose("Sign up now!"));
        assert!(!is_prose("Home › News › Local"));
        assert!(is_prose(
            "a very long line of words without any final punctuation at all in it here"
        ));
        assert!(key("The council met on Monday and agreed.").is_prose());
        assert!(!key("Newsletter").is_prose());
    }
}
