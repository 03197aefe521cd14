//! The regexes of a set that are better read from the end of a line.
//!
//! A forward lazy DFA reads a line until every regex in its set has failed.
//! Most rule regexes fail within a few bytes (`^READ MORE:`), but one that
//! opens with a long run of a class and ends in a phrase,
//! `^[^.!?]{0,100}\b(?i:all rights reserved)\.?$`, keeps the DFA reading to
//! the first `.`, `!` or `?` of every line: on text dumps, more than half
//! of all bytes. Yet almost no line ends in "reserved", which the regex
//! needs.
//!
//! [`TailGate`] holds such regexes: those that must end at the end of the
//! text ([`Look::End`]), whose start is no finite set of literals (so a
//! forward search could read far) while their end is. Every match of such a
//! regex ends with one of its suffix literals (regex-syntax's extraction
//! guarantees a finite set covers every match, as prefilters rely on), so
//! a line whose last bytes end none of them cannot match, and is passed
//! over after a look-up (most lines after one of their last byte alone,
//! most others after one of their last two bytes).
//! Only the other lines are searched, forward, by the gate's own set; its
//! answers are exactly that set's.

use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::{Hir, Look};

use super::{Apart, BytePairs};

/// The most bytes of a line's end the gate looks at.
const TAIL_BYTES: usize = 4;

/// `hir`'s suffix literals when it is better asked from the end of a line:
/// it must end at the end of the text, its start is not a finite set of
/// literals, and its end is, none of them empty.
fn end_literals(hir: &Hir) -> Option<Seq> {
    if !hir.properties().look_set_suffix().contains(Look::End) {
        return None;
    }
    // A finite set of literals at the start: the forward search fails as
    // soon as none fits.
    let prefix = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    if prefix.is_finite() && prefix.min_literal_len().is_some_and(|len| len > 0) {
        return None;
    }
    let suffix = Extractor::new().kind(ExtractKind::Suffix).extract(hir);
    (suffix.is_finite() && suffix.min_literal_len().is_some_and(|len| len > 0)).then_some(suffix)
}

/// The last `len` bytes of `bytes` (at least `len` long) as a number.
fn tail_of(bytes: &[u8], len: usize) -> u32 {
    bytes[bytes.len() - len..]
        .iter()
        .fold(0, |tail, &b| tail << 8 | u32::from(b))
}

/// Regexes of a set that a line's last bytes rule out first.
#[derive(Debug, Clone)]
pub(super) struct TailGate {
    /// The regexes themselves, searched once the gate lets a line through.
    apart: Apart,
    /// How many of a line's last bytes the gate reads: the shortest suffix
    /// literal's length, at most [`TAIL_BYTES`].
    tail_len: usize,
    /// The last `tail_len` bytes of every suffix literal, sorted.
    tails: Vec<u32>,
    /// Bit `b` for every byte `b` that ends a suffix literal: most lines
    /// end in none, which one look-up tells.
    last: [u64; 4],
    /// When `tail_len` is two or more, every pair of bytes that ends a
    /// suffix literal: of the lines whose last byte ends one (prose ends in
    /// `.`, as `reserved.` does), most end in no such pair, which one more
    /// look-up tells, rather than a search of the tails.
    last_two: Option<BytePairs>,
}

impl TailGate {
    /// Take out of `hirs` (a set's twins) those better asked from the end
    /// of a line, leaving in their place a regex that never matches, and
    /// make them a gate; `None` when there are none. The NFA may take
    /// `size_limit` bytes, each thread's lazy DFA `cache_bytes`.
    pub fn split_off(
        hirs: &mut [Hir],
        size_limit: usize,
        cache_bytes: usize,
    ) -> Result<Option<Self>, regex::Error> {
        let (mut members, mut literals) = (Vec::new(), Vec::new());
        for (i, hir) in hirs.iter().enumerate() {
            if let Some(ends) = end_literals(hir) {
                members.push(i);
                literals.push(ends);
            }
        }
        if members.is_empty() {
            return Ok(None);
        }
        let apart = Apart::take(hirs, members, size_limit, cache_bytes)?;
        let tail_len = literals
            .iter()
            .filter_map(Seq::min_literal_len)
            .min()
            .unwrap_or(0)
            .min(TAIL_BYTES);
        let mut tails: Vec<u32> = literals
            .iter()
            .filter_map(Seq::literals)
            .flatten()
            .map(|lit| tail_of(lit.as_bytes(), tail_len))
            .collect();
        tails.sort_unstable();
        tails.dedup();
        let mut last = [0u64; 4];
        let mut last_two = (tail_len >= 2).then(BytePairs::new);
        for &tail in &tails {
            // The low byte is the last.
            let [end, before, ..] = tail.to_le_bytes();
            last[usize::from(end) >> 6] |= 1 << (end & 63);
            if let Some(last_two) = &mut last_two {
                last_two.insert(before, end);
            }
        }
        Ok(Some(TailGate {
            apart,
            tail_len,
            tails,
            last,
            last_two,
        }))
    }

    /// The memory the gate's NFA holds.
    pub fn memory_usage(&self) -> usize {
        self.apart.memory_usage()
    }

    /// Whether one of the regexes may match `text`: false only when none
    /// can, its end being none of theirs.
    // Inlined into the loop over a page's lines, as far as the look-up of
    // the last byte, which passes over most lines for less than a call.
    #[inline(always)]
    pub fn may_match(&self, text: &str) -> bool {
        if self.tail_len == 0 {
            return true;
        }
        let bytes = text.as_bytes();
        let Some(&end) = bytes.last() else {
            return false;
        };
        let end = usize::from(end);
        self.last[end >> 6] >> (end & 63) & 1 == 1 && self.ends_a_tail(bytes)
    }

    /// Whether `bytes`, whose last byte ends a suffix literal, end one:
    /// the rest of [`TailGate::may_match`].
    #[inline(never)]
    fn ends_a_tail(&self, bytes: &[u8]) -> bool {
        let ends_two = |bytes: &[u8]| {
            self.last_two.as_ref().is_none_or(|last_two| {
                last_two.contains(bytes[bytes.len() - 2], bytes[bytes.len() - 1])
            })
        };
        bytes.len() >= self.tail_len
            && ends_two(bytes)
            && self
                .tails
                .binary_search(&tail_of(bytes, self.tail_len))
                .is_ok()
    }

    /// Whether one of the regexes matches `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.may_match(text) && self.apart.is_match(text)
    }

    /// Call `each` with the index in the whole set of every regex of the
    /// gate that matches `text` (which the gate lets through: see
    /// [`TailGate::may_match`]), in ascending order.
    pub fn which(&self, text: &str, each: impl FnMut(usize)) {
        self.apart.which(text, each);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(p: &str) -> Hir {
        regex_syntax::Parser::new().parse(p).expect("parses")
    }

    #[test]
    fn which_regexes_read_from_the_end() {
        let twin = super::super::twin(
            &parse(r"^[^.!?]{0,100}\b(?i:all rights reserved)\.?$"),
            super::super::Relax::AlsoCounts,
        )
        .expect("relaxed");
        assert!(end_literals(&twin).is_some());
        assert!(end_literals(&parse(r"\d+\s+comments?$")).is_some());
        // Fails within a few bytes forward anyway.
        assert!(end_literals(&parse(r"^(?i:skip to content|back to top)$")).is_none());
        // May end anywhere, or in anything.
        assert!(end_literals(&parse(r"^[^.!?]*reserved")).is_none());
        assert!(end_literals(&parse(r"^[^.!?:|]{1,60}$")).is_none());
    }

    #[test]
    fn lines_ending_otherwise_are_passed_over_and_the_rest_asked() {
        let mut hirs = [
            parse(r"^a$"),
            parse(r"^[^.!?]*(?i:all rights reserved)\.?$"),
            parse(r"^b"),
            parse(r"\d+\s+comments?$"),
        ];
        let gate = TailGate::split_off(&mut hirs, 10 << 20, 1 << 20)
            .expect("builds")
            .expect("two regexes read from the end");
        // What stays in the set is left as it was; what left never matches.
        assert_eq!(hirs[0], parse(r"^a$"));
        assert_eq!(hirs[2], parse(r"^b"));
        assert!(!regex::Regex::new(&hirs[1].to_string())
            .expect("compiles")
            .is_match("all rights reserved"));
        let found = |text: &str| {
            let mut found = Vec::new();
            if gate.may_match(text) {
                gate.which(text, |i| found.push(i));
            }
            assert_eq!(gate.is_match(text), !found.is_empty(), "{text:?}");
            found
        };
        assert_eq!(
            found("© 2024 The Courier. ALL RIGHTS RESERVED."),
            [] as [usize; 0]
        );
        assert_eq!(found("The Courier, all rights Reserved"), [1]);
        assert_eq!(found("12 comments"), [3]);
        assert_eq!(found("12 Comments"), [] as [usize; 0]);
        assert_eq!(found("reserved"), [] as [usize; 0]);
        assert_eq!(found("ſ"), [] as [usize; 0]);
        assert_eq!(found(""), [] as [usize; 0]);
        // Only the line's end decides whether the set is asked at all.
        assert!(!gate.may_match("all rights reserved, it says"));
        assert!(gate.may_match("nothing reserved"));
        // The last byte of a phrase, not its last bytes.
        assert!(!gate.may_match("disabled") && gate.may_match("documents"));
        // Its last two bytes, not its last four.
        assert!(!gate.may_match("ends.") && !gate.may_match("d.") && gate.may_match("preserved."));
        assert!(!gate.may_match("x.") && !gate.may_match("."));
    }
}
