//! Line regexes that stay on the regex crate's fast engine.
//!
//! The regex crate's lazy DFA cannot evaluate a Unicode word boundary
//! (`\b`, `\B`, `\<`, `\>`) once it has read a non-ASCII byte: on such a
//! haystack the search falls back to the PikeVM or the backtracker, which are
//! ten to fifty times slower. Scraped text is full of curly quotes, dashes and
//! accented letters, so nearly every line is such a haystack, and rule files
//! and the classifier's phrase lists are full of `\b`.
//!
//! This module owns the cure. [`LinePattern`] and [`LinePatternSet`] carry,
//! beside the regex as written, a *relaxed* twin with every Unicode
//! word-boundary assertion removed. Removing an assertion only ever adds
//! matches, so where the twin does not match the exact regex cannot either;
//! the twin runs on the lazy DFA whatever the text, and the exact regex runs
//! only on the few lines the twin matched (in a set, only for the regexes
//! whose twin matched). Matches are exactly those of the regex as written:
//! the twin is a filter, never a judge.
//!
//! A set's twins also drop the upper bound of counted repetitions
//! (`.{0,300}` becomes `.*`), which only adds matches too: those are most
//! of the cost of compiling a set, and a set is compiled before it is known
//! whether any line will match it, while a regex as written is compiled
//! only when its twin first matches, if the set is built to wait
//! (`LinePatternSet::from_hirs_deferred`).
//!
//! A set's twins that must end at the end of a line, open with a long run
//! and close with a phrase (`^[^.!?]{0,100}… all rights reserved\.?$`) are
//! kept apart (`tail::TailGate`): a line is searched for them only when
//! its last bytes end one of their phrases, instead of the set's DFA
//! reading most of every line on their account.
//!
//! A set's twins that may match anywhere in a line, when every other twin
//! starts at the start of one, are kept apart too (`needles::NeedleGate`):
//! each holds literals every match of it holds, and only the lines holding
//! one are searched for it, the lines of a page being searched for them at
//! once ([`LineMatcher::matches_each`]). The set's DFA then stops a few
//! bytes into most lines rather than reading every byte of every line.
//!
//! The regexes are the regex crate's own engines, built from the [`Hir`]
//! that relaxing a pattern parsed anyway rather than from its text, so each
//! pattern is parsed once: a single regex is a [`meta::Regex`] configured as
//! `regex::RegexBuilder` configures it, a set is a `forward::ForwardSet`
//! (what `regex::RegexSet` runs to say which regexes match, without what it
//! builds to find where matches start). Errors are the regex crate's
//! [`regex::Error`].
//!
//! A page's lines are matched against one set in a row: a [`LineMatcher`]
//! ([`LinePatternSet::lines`]) takes the set's scratch space once for all
//! of them, where a lone [`LinePatternSet::matches`] takes it per line, and
//! [`LineMatcher::matches_each`] walks them all in one loop (most lines are
//! a byte or two of walk, less than a call's setting up).

mod forward;
mod needles;
mod tail;

use std::sync::OnceLock;

use regex_automata::meta::{self, Regex};
use regex_automata::MatchKind;
use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};

use forward::ForwardSet;
use needles::NeedleGate;
use tail::TailGate;

/// The lazy DFA's cache, per regex and thread. Unicode classes and
/// case-insensitive words make large automata; with the crate's default
/// (2 MiB) the cache of a rule file's set fills on ordinary pages and is
/// cleared and rebuilt over and over, which cost more than the matching.
/// The cache grows only as states are built.
const DFA_CACHE_BYTES: usize = 32 << 20;

/// A set of pairs of bytes, a bit each: whether a line's first two bytes
/// (`forward`'s pairs a walk died on) or its last two (`tail`'s pairs that
/// end a suffix literal) are among them is one look-up.
#[derive(Debug, Clone)]
struct BytePairs(Box<[u64; 1024]>);

impl BytePairs {
    fn new() -> Self {
        BytePairs(Box::new([0; 1024]))
    }

    /// The bit of `first second`: the first byte's 256 pairs are a row of
    /// four words.
    fn bit(first: u8, second: u8) -> (usize, u32) {
        let pair = usize::from(first) << 8 | usize::from(second);
        (pair / 64, (pair % 64) as u32)
    }

    fn insert(&mut self, first: u8, second: u8) {
        let (word, bit) = Self::bit(first, second);
        self.0[word] |= 1 << bit;
    }

    /// Every pair that starts with `first`.
    fn insert_every_after(&mut self, first: u8) {
        let row = usize::from(first) * 4;
        self.0[row..row + 4].fill(u64::MAX);
    }

    #[inline(always)]
    fn contains(&self, first: u8, second: u8) -> bool {
        let (word, bit) = Self::bit(first, second);
        self.0[word] >> bit & 1 == 1
    }
}

/// `pattern` parsed with the regex crate's default syntax.
fn parse(pattern: &str) -> Result<Hir, regex::Error> {
    regex_syntax::Parser::new()
        .parse(pattern)
        .map_err(|e| regex::Error::Syntax(e.to_string()))
}

/// The regex crate's configuration, with our limits.
fn config(size_limit: usize) -> meta::Config {
    meta::Config::new()
        .nfa_size_limit(Some(size_limit))
        .hybrid_cache_capacity(DFA_CACHE_BYTES)
        .utf8_empty(true)
}

/// One regex, as `regex::Regex` builds it.
fn build_one(hir: &Hir, size_limit: usize) -> Result<Regex, regex::Error> {
    meta::Builder::new()
        .configure(config(size_limit).match_kind(MatchKind::LeftmostFirst))
        .build_from_hir(hir)
        .map_err(build_error)
}

/// The regex crate's error for a failed build (the patterns parsed, so it
/// is a size limit, or some other limit it reports as a syntax error).
fn build_error(err: meta::BuildError) -> regex::Error {
    match err.size_limit() {
        Some(limit) => regex::Error::CompiledTooBig(limit),
        None => regex::Error::Syntax(err.to_string()),
    }
}

/// One regex, matched line by line.
#[derive(Debug, Clone)]
pub struct LinePattern {
    pattern: String,
    exact: Regex,
    relaxed: Option<Regex>,
}

impl LinePattern {
    /// Compile `pattern` (default flags) with the regex crate's default size
    /// limit.
    pub fn new(pattern: &str) -> Result<Self, regex::Error> {
        Self::with_size_limit(pattern, 10 << 20)
    }

    /// Compile `pattern`; each of the two regexes may take `size_limit`
    /// bytes.
    pub fn with_size_limit(pattern: &str, size_limit: usize) -> Result<Self, regex::Error> {
        let hir = parse(pattern)?;
        let exact = build_one(&hir, size_limit)?;
        let relaxed = relaxed(&hir)
            .map(|twin| build_one(&twin, size_limit))
            .transpose()?;
        Ok(LinePattern {
            pattern: pattern.to_string(),
            exact,
            relaxed,
        })
    }

    /// Whether the regex matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.relaxed.as_ref().is_none_or(|r| r.is_match(text)) && self.exact.is_match(text)
    }

    /// The regex as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }
}

/// A set of regexes, matched line by line.
///
/// One set (`ForwardSet`) holds, per regex, its relaxed twin (or the
/// regex itself when it has no Unicode word boundary or counted
/// repetition); it answers on the lazy DFA whatever the text. Only the regexes it reports whose twin
/// differs are confirmed, each by its own exact [`Regex`], so the slow
/// engines run on a handful of (regex, line) pairs instead of on every line
/// the set is asked about.
#[derive(Debug, Clone)]
pub struct LinePatternSet {
    /// Per regex, its twin or itself; a regex of `tail` stands here as one
    /// that never matches.
    filter: ForwardSet,
    /// The twins better asked from the end of a line, if any.
    tail: Option<TailGate>,
    /// The twins that may match anywhere in a line, asked only about lines
    /// holding one of their literals, if any.
    needles: Option<NeedleGate>,
    /// Per regex, the regex as written when its twin differs from it.
    exact: Vec<Option<Confirmer>>,
}

/// The regex as written, confirming its twin's matches: built with the set,
/// or, in a set built by [`LinePatternSet::from_hirs_deferred`], on the
/// first line its twin matches (most never match on a page, or in a
/// process).
#[derive(Debug, Clone)]
struct Confirmer {
    hir: Hir,
    size_limit: usize,
    regex: OnceLock<Confirm>,
}

/// The engine that confirms a match.
#[derive(Debug, Clone)]
enum Confirm {
    /// A regex with a Unicode word boundary, as the regex crate runs it (on
    /// a non-ASCII line its backtracker, faster than the PikeVM).
    Regex(Regex),
    /// A regex whose twin only dropped counted repetitions' bounds: its
    /// forward lazy DFA answers.
    Forward(ForwardSet),
}

impl Confirm {
    /// The heap memory the engine holds.
    fn memory_usage(&self) -> usize {
        match self {
            Confirm::Regex(regex) => regex.memory_usage(),
            Confirm::Forward(set) => set.memory_usage(),
        }
    }

    fn build(hir: &Hir, size_limit: usize) -> Result<Confirm, regex::Error> {
        if hir.properties().look_set().contains_word_unicode() {
            build_one(hir, size_limit).map(Confirm::Regex)
        } else {
            ForwardSet::new(std::slice::from_ref(hir), size_limit, DFA_CACHE_BYTES)
                .map(Confirm::Forward)
        }
    }
}

impl Confirmer {
    fn is_match(&self, text: &str) -> bool {
        let confirm = self.regex.get_or_init(|| {
            Confirm::build(&self.hir, self.size_limit)
                .unwrap_or_else(|e| panic!("a regex vouched for as building does not build: {e}"))
        });
        match confirm {
            Confirm::Regex(regex) => regex.is_match(text),
            Confirm::Forward(set) => set.is_match(text),
        }
    }
}

impl LinePatternSet {
    /// Compile `patterns` (default flags); the set of twins, and each regex
    /// that needs confirming, may take `size_limit` bytes.
    pub fn new<S: AsRef<str>>(patterns: &[S], size_limit: usize) -> Result<Self, regex::Error> {
        let hirs = patterns
            .iter()
            .map(|p| parse(p.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_hirs(hirs, size_limit)
    }

    /// [`LinePatternSet::new`] from the patterns already parsed (with the
    /// regex crate's default syntax, as [`regex_syntax::Parser::new`]
    /// parses).
    pub(crate) fn from_hirs(hirs: Vec<Hir>, size_limit: usize) -> Result<Self, regex::Error> {
        let set = Self::from_hirs_deferred(hirs, size_limit)?;
        // The twins and the regexes confirming them share the limit, as the
        // regexes did in one set: a file of ten thousand regexes is refused
        // as too large together however small its twins are.
        let too_big = || regex::Error::CompiledTooBig(size_limit);
        let mut left = size_limit
            .checked_sub(
                set.filter.memory_usage()
                    + set.tail.as_ref().map_or(0, TailGate::memory_usage)
                    + set.needles.as_ref().map_or(0, NeedleGate::memory_usage),
            )
            .ok_or_else(too_big)?;
        for confirmer in set.exact.iter().flatten() {
            let confirm = Confirm::build(&confirmer.hir, left).map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => too_big(),
                other => other,
            })?;
            left = left
                .checked_sub(confirm.memory_usage())
                .ok_or_else(too_big)?;
            // A fresh set: nothing can have built it yet.
            let _ = confirmer.regex.set(confirm);
        }
        Ok(set)
    }

    /// [`LinePatternSet::from_hirs`], except that each regex that confirms
    /// its twin's matches is built the first time it is needed, and panics
    /// there if it does not build. Only for patterns known to build under
    /// `size_limit`: each has been built by [`LinePatternSet::new`] with the
    /// same limit before (or is built so in a test, for the patterns built
    /// into the program). Each may take up to `size_limit` here, more than
    /// the share of it that it took there.
    pub(crate) fn from_hirs_deferred(
        hirs: Vec<Hir>,
        size_limit: usize,
    ) -> Result<Self, regex::Error> {
        let mut filter_hirs: Vec<Hir> = Vec::with_capacity(hirs.len());
        let mut written: Vec<Option<Hir>> = Vec::with_capacity(hirs.len());
        for hir in hirs {
            match twin(&hir, Relax::AlsoCounts) {
                Some(twin) => {
                    filter_hirs.push(twin);
                    written.push(Some(hir));
                }
                None => {
                    filter_hirs.push(hir);
                    written.push(None);
                }
            }
        }
        let tail = TailGate::split_off(&mut filter_hirs, size_limit, DFA_CACHE_BYTES)?;
        let needles = NeedleGate::split_off(&mut filter_hirs, size_limit, DFA_CACHE_BYTES)?;
        let filter = ForwardSet::new(&filter_hirs, size_limit, DFA_CACHE_BYTES)?;
        let exact = written
            .into_iter()
            .map(|hir| {
                hir.map(|hir| Confirmer {
                    hir,
                    size_limit,
                    regex: OnceLock::new(),
                })
            })
            .collect();
        Ok(LinePatternSet {
            filter,
            tail,
            needles,
            exact,
        })
    }

    /// Whether any of the regexes matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        let mut lines = self.lines();
        let needle = lines.holds_needle(text);
        if !lines.any_twin(text, needle) {
            return false;
        }
        if self.exact.iter().all(Option::is_none) {
            return true;
        }
        lines.any_confirmed(text, needle)
    }

    /// Which regexes match `text`, or `None` when none does (the common
    /// case, found without asking which).
    pub fn matches(&self, text: &str) -> Option<PatternMatches> {
        self.lines().matches(text)
    }

    /// A matcher for many lines in a row, which takes the set's scratch
    /// space once for all of them rather than once per line.
    pub fn lines(&self) -> LineMatcher<'_> {
        LineMatcher {
            set: self,
            filter: self.filter.searcher(),
        }
    }

    /// Which regexes match `text`, given the regexes of `filter` whose
    /// twins match it (`filter`'s answer on it) and whether it holds a
    /// needle.
    #[inline(always)]
    fn answer(
        &self,
        text: &str,
        filter: Option<&regex_automata::PatternSet>,
        needle: bool,
    ) -> Option<PatternMatches> {
        let tail = self.tail.as_ref().filter(|t| t.may_match(text));
        let needles = self.needles.as_ref().filter(|_| needle);
        if filter.is_none() && tail.is_none() && needles.is_none() {
            return None;
        }
        let mut found = Found::new(self.len());
        for id in filter.iter().flat_map(|matched| matched.iter()) {
            if self.confirms(id.as_usize(), text) {
                found.insert(id.as_usize());
            }
        }
        // The gates are asked which of theirs match straight away: they
        // let few lines through.
        let mut confirm = |i| {
            if self.confirms(i, text) {
                found.insert(i);
            }
        };
        if let Some(tail) = tail {
            tail.which(text, &mut confirm);
        }
        if let Some(needles) = needles {
            needles.which(text, &mut confirm);
        }
        found.finish()
    }

    /// Whether regex `index`, whose twin matched `text`, matches it as
    /// written.
    fn confirms(&self, index: usize, text: &str) -> bool {
        self.exact[index].as_ref().is_none_or(|r| r.is_match(text))
    }

    /// How many regexes the set holds.
    pub fn len(&self) -> usize {
        self.exact.len()
    }

    /// Whether the set holds no regex.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }
}

/// Regexes taken out of a set's twins to be searched apart, behind a gate
/// (`tail::TailGate`, `needles::NeedleGate`), as a set of their own.
#[derive(Debug, Clone)]
struct Apart {
    /// Their indices in the whole set.
    members: Vec<usize>,
    set: ForwardSet,
}

impl Apart {
    /// Take regexes `members` (ascending) out of `hirs`, leaving in their
    /// place a regex that never matches. The NFA may take `size_limit`
    /// bytes, each thread's lazy DFA `cache_bytes`.
    fn take(
        hirs: &mut [Hir],
        members: Vec<usize>,
        size_limit: usize,
        cache_bytes: usize,
    ) -> Result<Apart, regex::Error> {
        let own: Vec<Hir> = members
            .iter()
            .map(|&i| {
                // Anchored, as the others may all be: a set whose every
                // regex starts at the start of the text is searched so.
                let never = Hir::concat(vec![Hir::look(Look::Start), Hir::fail()]);
                std::mem::replace(&mut hirs[i], never)
            })
            .collect();
        let set = ForwardSet::new(&own, size_limit, cache_bytes)?;
        Ok(Apart { members, set })
    }

    /// The memory their NFA holds.
    fn memory_usage(&self) -> usize {
        self.set.memory_usage()
    }

    /// Whether one of them matches `text`.
    fn is_match(&self, text: &str) -> bool {
        self.set.is_match(text)
    }

    /// Call `each` with the index in the whole set of every one of them
    /// that matches `text`, in ascending order.
    fn which(&self, text: &str, mut each: impl FnMut(usize)) {
        for id in self.set.searcher().which(text).iter() {
            each(self.members[id.as_usize()]);
        }
    }
}

/// A [`LinePatternSet`] matching line after line with one thread's scratch
/// space in hand (see [`LinePatternSet::lines`]).
pub struct LineMatcher<'s> {
    set: &'s LinePatternSet,
    filter: forward::Searcher<'s>,
}

impl LineMatcher<'_> {
    /// Which regexes match `text`, or `None` when none does: as
    /// [`LinePatternSet::matches`].
    pub fn matches(&mut self, text: &str) -> Option<PatternMatches> {
        let needle = self.holds_needle(text);
        let filter = self.filter.matching(text);
        self.set.answer(text, filter, needle)
    }

    /// Which regexes match each of `texts`, in order: as
    /// [`LineMatcher::matches`] on each, with the texts searched at once
    /// for the literals of the regexes that may match anywhere in a line
    /// (see `needles`).
    // Never inlined: a page's loop of its own, whose callers' code is then
    // the same whatever the loop holds.
    #[inline(never)]
    pub fn matches_each<'t, I>(&mut self, texts: I) -> Vec<Option<PatternMatches>>
    where
        I: IntoIterator<Item = &'t str>,
        I::IntoIter: Clone,
    {
        let texts = texts.into_iter();
        let set = self.set;
        let holds = set
            .needles
            .as_ref()
            .map(|g| g.hold_needles(texts.clone()))
            .unwrap_or_default();
        let mut each = Vec::with_capacity(texts.size_hint().0);
        self.filter.matching_each(texts, |i, text, filter| {
            let needle = holds.get(i).copied().unwrap_or(false);
            each.push(set.answer(text, filter, needle));
        });
        each
    }

    /// Whether `text` holds one of the needles of the set's regexes that
    /// may match anywhere (false when there are none): only then may one
    /// of those match it.
    fn holds_needle(&self, text: &str) -> bool {
        self.set
            .needles
            .as_ref()
            .is_some_and(|g| g.holds_needle(text))
    }

    /// Whether some regex's twin matches `text` (which holds a needle if
    /// `needle`).
    fn any_twin(&mut self, text: &str, needle: bool) -> bool {
        self.filter.is_match(text)
            || self.set.tail.as_ref().is_some_and(|t| t.is_match(text))
            || needle && self.set.needles.as_ref().is_some_and(|n| n.is_match(text))
    }

    /// Whether some regex whose twin matches `text` (which holds a needle
    /// if `needle`) matches it as written.
    fn any_confirmed(&mut self, text: &str, needle: bool) -> bool {
        let set = self.set;
        let mut confirmed = self
            .filter
            .which(text)
            .iter()
            .any(|id| set.confirms(id.as_usize(), text));
        if let Some(tail) = set
            .tail
            .as_ref()
            .filter(|t| !confirmed && t.may_match(text))
        {
            tail.which(text, |i| confirmed = confirmed || set.confirms(i, text));
        }
        if let Some(needles) = set.needles.as_ref().filter(|_| needle && !confirmed) {
            needles.which(text, |i| confirmed = confirmed || set.confirms(i, text));
        }
        confirmed
    }
}

/// The regexes of a [`LinePatternSet`] that matched a text (never none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternMatches(Found);

/// The indices of the regexes that matched: a set of at most 128 regexes
/// (every set the program builds in) needs no allocation. While a text is
/// searched a list holds them in the order found; [`Found::finish`] sorts
/// it, and a [`PatternMatches`] holds only finished ones.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found {
    /// Bit `i` for regex `i`.
    Few(u128),
    /// The indices: in the order found, then, finished, ascending.
    Many(Vec<usize>),
}

impl Found {
    /// None yet, in a set of `len` regexes.
    fn new(len: usize) -> Found {
        if len <= 128 {
            Found::Few(0)
        } else {
            Found::Many(Vec::new())
        }
    }

    fn insert(&mut self, index: usize) {
        match self {
            Found::Few(bits) => *bits |= 1 << index,
            Found::Many(list) => list.push(index),
        }
    }

    /// The matches, unless there are none.
    fn finish(mut self) -> Option<PatternMatches> {
        match &mut self {
            Found::Few(bits) if *bits == 0 => return None,
            Found::Few(_) => {}
            Found::Many(list) => {
                list.sort_unstable();
                list.dedup();
                if list.is_empty() {
                    return None;
                }
            }
        }
        Some(PatternMatches(self))
    }
}

impl PatternMatches {
    /// Whether regex `index` matched.
    pub fn matched(&self, index: usize) -> bool {
        match &self.0 {
            Found::Few(bits) => index < 128 && bits >> index & 1 == 1,
            Found::Many(list) => list.binary_search(&index).is_ok(),
        }
    }

    /// Whether some regex with an index in `range` matched.
    pub fn any_in(&self, range: std::ops::Range<usize>) -> bool {
        match &self.0 {
            Found::Few(bits) => {
                let below = |end: usize| {
                    if end >= 128 {
                        u128::MAX
                    } else {
                        (1 << end) - 1
                    }
                };
                range.start < range.end && bits & below(range.end) & !below(range.start) != 0
            }
            Found::Many(list) => {
                let first = list.partition_point(|&i| i < range.start);
                list.get(first).is_some_and(|&i| i < range.end)
            }
        }
    }

    /// The regexes that matched one or more of `all` (matches of one set),
    /// or `None` when there are none: asked about many ranges, one union
    /// is read once rather than every text's matches once per range.
    pub fn union<'a>(all: impl IntoIterator<Item = &'a PatternMatches>) -> Option<PatternMatches> {
        let mut bits = 0u128;
        let mut list: Option<Vec<usize>> = None;
        for matches in all {
            match &matches.0 {
                Found::Few(more) => bits |= more,
                Found::Many(more) => list.get_or_insert_with(Vec::new).extend_from_slice(more),
            }
        }
        let found = match list {
            None => Found::Few(bits),
            Some(mut list) => {
                list.extend(PatternMatches(Found::Few(bits)).iter());
                Found::Many(list)
            }
        };
        found.finish()
    }

    /// The indices of the regexes that matched, in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        let (mut bits, list) = match &self.0 {
            Found::Few(bits) => (*bits, &[][..]),
            Found::Many(list) => (0, &list[..]),
        };
        let lowest = move || {
            (bits != 0).then(|| {
                let index = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                index
            })
        };
        std::iter::from_fn(lowest).chain(list.iter().copied())
    }
}

/// `hir` with its Unicode word-boundary assertions removed (and its groups
/// made non-capturing), or `None` when it has none to remove (the regex then
/// runs alone).
fn relaxed(hir: &Hir) -> Option<Hir> {
    twin(hir, Relax::WordBoundaries)
}

/// What a twin leaves out of the regex as written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Relax {
    /// Unicode word boundaries.
    WordBoundaries,
    /// Unicode word boundaries, and the upper bound of counted repetitions.
    ///
    /// The NFA of `x{0,300}` holds three hundred copies of `x`'s, and a
    /// class like `.`, `\w` or `\p{L}` is dozens to thousands of states
    /// (its UTF-8 byte sequences): compiling the counted repetitions of the
    /// rule files was most of compiling their sets. The twin repeats `x`
    /// without bound, one copy; in a set, whose filter is built whether or
    /// not it ever matches, that leaves the cost to the regex as written,
    /// built only when its twin first matches (see [`Confirmer`]).
    AlsoCounts,
}

/// `hir` without what `relax` leaves out (and with its groups made
/// non-capturing), or `None` when there is nothing to leave out (the regex
/// then runs alone).
fn twin(hir: &Hir, relax: Relax) -> Option<Hir> {
    let mut changed = false;
    let twin = relaxed_hir(hir.clone(), relax, &mut changed);
    changed.then_some(twin)
}

fn relaxed_hir(hir: Hir, relax: Relax, changed: &mut bool) -> Hir {
    let mut recurse = |hir| relaxed_hir(hir, relax, changed);
    match hir.into_kind() {
        HirKind::Look(look) if is_unicode_word_look(look) => {
            *changed = true;
            Hir::empty()
        }
        HirKind::Look(look) => Hir::look(look),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Repetition(rep) => {
            let sub = Box::new(recurse(*rep.sub));
            if relax == Relax::AlsoCounts && rep.max.is_some_and(|max| max > 1) {
                // `x{m,n}` matches where `x*` (or `x+`, when m > 0) does.
                *changed = true;
                Hir::repetition(Repetition {
                    min: rep.min.min(1),
                    max: None,
                    greedy: rep.greedy,
                    sub,
                })
            } else {
                Hir::repetition(Repetition { sub, ..rep })
            }
        }
        HirKind::Capture(Capture { sub, .. }) => recurse(*sub),
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(recurse).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(recurse).collect()),
    }
}

fn is_unicode_word_look(look: Look) -> bool {
    matches!(
        look,
        Look::WordUnicode
            | Look::WordUnicodeNegate
            | Look::WordStartUnicode
            | Look::WordEndUnicode
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::{Regex, RegexSet};

    /// The twin of `pattern`, written out.
    fn relaxed_str(pattern: &str) -> Option<String> {
        relaxed(&parse(pattern).expect("parses")).map(|twin| twin.to_string())
    }

    const PATTERNS: [&str; 15] = [
        r"(?i)\bcookies?\b",
        r"^$",
        r"(?-u:\b)more(?-u:\b)",
        r"\Bé\B|\bär\b",
        r"^(?i)read\s+more\b",
        r"(?P<n>\d+)\s+comments?\b$",
        r"\<Tag\>|\bfoo(bar)?",
        r"^[\s\p{P}]*(?:share|tweet)[\s\p{P}]*$",
        r"\b\w{3}\b",
        r"[’—]",
        r"^.{0,6}(?:more|bar)$",
        r"(?:[\w’]{2,4}\s){1,2}foo",
        // Unanchored, with literals every match holds: a set whose other
        // regexes all start at the start of a line asks these only about
        // the lines holding one (`needles`).
        r"(?i)\s(?:says|said)\s*:?\s*$",
        r"(?i)(?:^|\W)(?:cookie|sign\ up)(?:\W|$)|©",
        r"(?i)all (?:rights|cookies)",
    ];

    #[test]
    fn only_unicode_word_boundaries_are_relaxed() {
        assert_eq!(relaxed_str(r"^[\s\p{P}]*(?:share|tweet)$"), None);
        assert_eq!(relaxed_str(r"(?-u:\b)foo"), None);
        let twin = relaxed_str(r"(?i)\bcookie\b").expect("relaxed");
        assert!(Regex::new(&twin).expect("compiles").is_match("écookies"));
    }

    #[test]
    fn set_twins_also_drop_counted_bounds() {
        let set_twin =
            |p: &str| twin(&parse(p).expect("parses"), Relax::AlsoCounts).map(|t| t.to_string());
        let loose = set_twin(r"^.{0,300}x\d{2,}$").expect("relaxed");
        assert!(Regex::new(&loose)
            .expect("compiles")
            .is_match(&("y".repeat(400) + "x12")));
        let loose = set_twin(r"^a{3,5}$").expect("relaxed");
        assert!(Regex::new(&loose).expect("compiles").is_match("a"));
        // Nothing to gain: no counted bound, no Unicode word boundary.
        assert_eq!(set_twin(r"^a{2,}b?c*(x)$"), None);
    }

    /// Small twins do not let many large regexes past the limit.
    #[test]
    fn twins_and_confirmers_share_the_limit() {
        let patterns: Vec<String> = (0..1000).map(|i| format!("^{i} [a-z]{{1,50}}$")).collect();
        let hirs = patterns.iter().map(|p| parse(p).expect("parses")).collect();
        // The twins alone fit.
        LinePatternSet::from_hirs_deferred(hirs, 1 << 20).expect("compiles");
        assert_eq!(
            LinePatternSet::new(&patterns, 1 << 20)
                .map(|_| ())
                .unwrap_err(),
            regex::Error::CompiledTooBig(1 << 20)
        );
        let set = LinePatternSet::new(&patterns, 64 << 20).expect("compiles");
        assert!(set.is_match("7 abc") && !set.is_match("7 abc1"));
    }

    /// Sets past 128 regexes list their matches rather than set bits; both
    /// answer as the regex set does, at the edges too.
    #[test]
    fn large_sets_answer_like_small_ones() {
        for len in [1, 127, 128, 129, 200] {
            // Regex i matches the lines that hold a number i divides.
            let patterns: Vec<String> = (0..len)
                .map(|i| format!("(?:^|,){}(?:,|$)|^x{{{i}}}$", i + 1))
                .collect();
            let exact = RegexSet::new(&patterns).expect("compiles");
            let set = LinePatternSet::new(&patterns, 64 << 20).expect("compiles");
            for text in ["1", "128,129", "130,7", "200", "x", &"x".repeat(128), "0"] {
                let want: Vec<usize> = exact.matches(text).iter().collect();
                let got = set.matches(text);
                let got_list: Vec<usize> = got.as_ref().map_or(vec![], |m| m.iter().collect());
                assert_eq!(got_list, want, "{len} {text:?}");
                for i in [0, 1, 6, 126, 127, 128, 129, 199, 250] {
                    let matched = got.as_ref().is_some_and(|m| m.matched(i));
                    assert_eq!(matched, want.contains(&i), "{len} {text:?} {i}");
                    for end in [i, i + 1, i + 2, 128, 129, 300] {
                        let any = got.as_ref().is_some_and(|m| m.any_in(i..end));
                        let wanted = want.iter().any(|j| (i..end).contains(j));
                        assert_eq!(any, wanted, "{len} {text:?} {i}..{end}");
                    }
                }
            }
        }
    }

    /// The union of several texts' matches holds each regex that matched
    /// one of them, in sets of either kind.
    #[test]
    fn a_union_holds_what_each_matched() {
        for len in [3, 128, 129, 200] {
            let patterns: Vec<String> = (0..len)
                .map(|i| format!("(?:^|,){}(?:,|$)", i + 1))
                .collect();
            let set = LinePatternSet::new(&patterns, 64 << 20).expect("compiles");
            let texts = ["1", "", "3,129", "2,200,7", "0"];
            let each: Vec<PatternMatches> = texts.iter().filter_map(|t| set.matches(t)).collect();
            for picked in 0..=each.len() {
                let union = PatternMatches::union(&each[..picked]);
                let mut want: Vec<usize> = each[..picked].iter().flat_map(|m| m.iter()).collect();
                want.sort_unstable();
                want.dedup();
                let got: Vec<usize> = union.as_ref().map_or(vec![], |m| m.iter().collect());
                assert_eq!(got, want, "{len} {picked}");
                for start in [0, 1, 2, 3, 6, 127, 128, 199] {
                    let range = start..start + 2;
                    assert_eq!(
                        union.as_ref().is_some_and(|m| m.any_in(range.clone())),
                        each[..picked].iter().any(|m| m.any_in(range.clone())),
                        "{len} {picked} {range:?}"
                    );
                }
            }
        }
    }

    /// Regexes that may match anywhere in a line wait for their literals
    /// when that leaves the rest of the set starting at the start of a line,
    /// and the set has no prefilter.
    #[test]
    fn regexes_matching_anywhere_wait_for_their_literals() {
        let gated = |patterns: &[&str]| {
            let set = LinePatternSet::new(patterns, 10 << 20).expect("compiles");
            set.needles.is_some()
        };
        assert!(gated(&[PATTERNS[7], PATTERNS[12], PATTERNS[13]]));
        assert!(gated(&[r"^\s*x", PATTERNS[0], PATTERNS[9]]));
        // A regex with no literals, or a set with a prefilter, is left whole.
        assert!(!gated(&[PATTERNS[7], PATTERNS[12], PATTERNS[8]]));
        assert!(!gated(&["^foo", PATTERNS[14], "bar"]));
    }

    #[test]
    fn errors_are_the_regex_crates() {
        let syntax = |p: &str| LinePatternSet::new(&[p], 10 << 20).map(|_| ()).unwrap_err();
        for p in [r"(unclosed", r"\bx(", "[z-a]"] {
            assert_eq!(syntax(p), Regex::new(p).unwrap_err(), "{p}");
        }
        let big = r"\w{5000}\b";
        assert_eq!(
            LinePatternSet::new(&[big], 10 << 20)
                .map(|_| ())
                .unwrap_err(),
            Regex::new(big).unwrap_err()
        );
        assert_eq!(
            LinePattern::new(big).map(|_| ()).unwrap_err(),
            Regex::new(big).unwrap_err()
        );
    }

    #[test]
    fn matches_are_those_of_the_regex_as_written() {
        let text = "Wir akzeptieren Cookies — und ärgern uns; the cookieś stay";
        for p in PATTERNS {
            let exact = Regex::new(p).expect("compiles");
            assert_eq!(
                LinePattern::new(p).expect("compiles").is_match(text),
                exact.is_match(text),
                "{p}"
            );
        }
        let set = LinePatternSet::new(&PATTERNS, 10 << 20).expect("compiles");
        let exact = RegexSet::new(PATTERNS).expect("compiles");
        let got: Vec<usize> = set.matches(text).map_or(vec![], |m| m.iter().collect());
        assert_eq!(got, exact.matches(text).iter().collect::<Vec<_>>());
    }

    /// Lines made of pieces the patterns care about, glued without spaces
    /// as often as with them.
    fn line() -> impl Strategy<Value = String> {
        let pieces = vec![
            "cookie",
            "Cookies",
            "s",
            "ś",
            "é",
            "är",
            "read",
            "READ",
            " ",
            " more",
            "more",
            "’",
            "—",
            ".",
            "3",
            "12",
            " comments",
            "comment",
            "Tag",
            "foo",
            "bar",
            "share",
            "tweet",
            "ж",
            "Жук",
            "\t",
            "x",
            " says",
            "said:",
            "©",
            "ALL",
            "all",
            " rights",
            "ſ",
            "\u{212A}",
            "Sign up",
            "\n",
        ];
        prop::collection::vec(prop::sample::select(pieces), 0..12).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn agrees_with_the_exact_regex(text in line()) {
            for p in PATTERNS {
                let exact = Regex::new(p).expect("compiles");
                prop_assert_eq!(
                    LinePattern::new(p).expect("compiles").is_match(&text),
                    exact.is_match(&text)
                );
            }
            let set = LinePatternSet::new(&PATTERNS, 10 << 20).expect("compiles");
            let exact = RegexSet::new(PATTERNS).expect("compiles");
            let want = exact.matches(&text);
            let got = set.matches(&text);
            prop_assert_eq!(got.is_some(), want.matched_any());
            let got_list: Vec<usize> = got.as_ref().map_or(vec![], |m| m.iter().collect());
            prop_assert_eq!(got_list, want.iter().collect::<Vec<_>>());
            for i in 0..PATTERNS.len() {
                prop_assert_eq!(got.as_ref().is_some_and(|m| m.matched(i)), want.matched(i));
                for end in i..=PATTERNS.len() {
                    prop_assert_eq!(
                        got.as_ref().is_some_and(|m| m.any_in(i..end)),
                        (i..end).any(|j| want.matched(j))
                    );
                }
            }
            prop_assert_eq!(set.is_match(&text), exact.is_match(&text));
        }

        /// One matcher over many lines answers for each as the regex set
        /// does, also for sets whose regexes all start at the start of a
        /// line (searched without a prefilter).
        #[test]
        fn one_matcher_for_many_lines_agrees_with_the_regex_set(
            picks in prop::sample::subsequence(PATTERNS.to_vec(), 1..=PATTERNS.len()),
            anchored in any::<bool>(),
            texts in prop::collection::vec(line(), 0..8),
        ) {
            let picks: Vec<String> = picks
                .iter()
                .map(|p| if anchored { format!("^(?:{p})") } else { p.to_string() })
                .collect();
            let exact = RegexSet::new(&picks).expect("compiles");
            let set = LinePatternSet::new(&picks, 10 << 20).expect("compiles");
            let mut lines = set.lines();
            for text in &texts {
                let got: Vec<usize> = lines.matches(text).map_or(vec![], |m| m.iter().collect());
                prop_assert_eq!(got, exact.matches(text).iter().collect::<Vec<_>>());
            }
            // Twice: the second time, lines whose first bytes the first
            // walks died on are answered without a walk.
            for _ in 0..2 {
                let each = lines.matches_each(texts.iter().map(String::as_str));
                prop_assert_eq!(each.len(), texts.len());
                for (text, got) in texts.iter().zip(each) {
                    let got: Vec<usize> = got.map_or(vec![], |m| m.iter().collect());
                    prop_assert_eq!(got, exact.matches(text).iter().collect::<Vec<_>>());
                }
            }
        }

        /// Any subset of the patterns, in any order, as a set of its own.
        #[test]
        fn any_subset_agrees_with_the_regex_set(
            picks in prop::sample::subsequence(PATTERNS.to_vec(), 0..=PATTERNS.len())
                .prop_shuffle(),
            text in line(),
        ) {
            let exact = RegexSet::new(&picks).expect("compiles");
            let built = LinePatternSet::new(&picks, 10 << 20).expect("compiles");
            let hirs = picks.iter().map(|p| parse(p).expect("parses")).collect();
            let deferred = LinePatternSet::from_hirs_deferred(hirs, 10 << 20).expect("compiles");
            for set in [built, deferred] {
                let got: Vec<usize> = set.matches(&text).map_or(vec![], |m| m.iter().collect());
                prop_assert_eq!(got, exact.matches(&text).iter().collect::<Vec<_>>());
                prop_assert_eq!(set.is_match(&text), exact.is_match(&text));
            }
        }
    }
}
