//! A regex set that only says which of its regexes match, built without the
//! half of `regex::RegexSet` that such a set never runs.
//!
//! A `RegexSet` is the regex crate's meta engine over all the patterns, and
//! the meta engine compiles a reverse NFA whenever its lazy DFA is enabled,
//! for the lazy DFA to run backwards to where a match starts. Asked only
//! whether and which patterns match, the meta engine runs the forward lazy
//! DFA, and the PikeVM when that gives up; the reverse NFA is never used,
//! and compiling it cost two fifths of building the rule sets (most of a
//! process's start). [`ForwardSet`] builds and runs just those two engines,
//! configured as the meta engine configures them for a set, so it answers
//! as a `RegexSet` does, at its speed.
//!
//! A set without a prefilter (one whose regexes all start at the start of
//! the text has none) walks its lazy DFA itself ([`Searcher::is_match`],
//! and [`Searcher::which`], which walks on past each match state and
//! collects its regexes): the start state for the start of a text is found
//! once per cache, not per search, and the bytes are read in a loop that
//! only looks up transitions already computed. Most lines are a few bytes
//! into the rule files' anchored regexes, where setting up the library's
//! search cost more than the search; asking which regexes match, it set
//! up a search again for every match. Anything the walk cannot
//! settle (a byte the DFA quits on, a DFA that gives up, a match that may be
//! an empty one inside a character) goes to the library's search, then the
//! PikeVM. A [`Searcher`] holds a thread's scratch space, taken once for
//! many lines; [`Searcher::matching_each`] walks many lines in one loop,
//! with the scratch space and the lazy DFA in hand once for all of them.
//! Most lines die within their first two bytes; the scratch space keeps
//! the pairs of first bytes a walk died on, having passed no match, and a
//! line starting with one is answered without a walk. Whether the DFA dies
//! on two bytes from the start of a text is a fact of the regexes, not of
//! the states the cache happens to hold, so it outlives the cache's
//! clearing.

use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::Arc;

use regex_automata::hybrid::dfa::{self, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::util::prefilter::Prefilter;
use regex_automata::util::start;
use regex_automata::{Anchored, Input, MatchKind, PatternSet};
use regex_syntax::hir::{Hir, Look, Properties};

use super::BytePairs;

/// Makes a thread's scratch space for searching a [`ForwardSet`].
type CacheFn = Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// One thread's scratch space.
struct Cache {
    dfa: Option<dfa::Cache>,
    pikevm: pikevm::Cache,
    /// The lazy DFA's state for the start of a text, once found, and the
    /// DFA cache's clear count then: clearing the cache invalidates it.
    start: Option<(LazyStateID, usize)>,
    /// How many bytes walks have read since they last told the DFA cache,
    /// which counts them to judge whether it should give up.
    unrecorded: usize,
    /// The regexes found by the last [`Searcher::which`].
    found: PatternSet,
    /// The pairs of bytes a walk from the start of a text died on, having
    /// passed no match: no text starting with them matches, which
    /// [`Searcher::matching_each`] then tells without a walk. `None` until
    /// it is first needed.
    dead_pairs: Option<BytePairs>,
}

/// Regexes matched all at once, answering only which match.
#[derive(Clone)]
pub(super) struct ForwardSet(Arc<Engines>);

struct Engines {
    /// The lazy DFA, unless it could not be built (a cache too small).
    dfa: Option<DFA>,
    /// Whether [`Searcher::is_match`] may walk the lazy DFA itself: the set
    /// has no prefilter (which the library's search would run between
    /// states), as a set whose regexes are all anchored at the start has
    /// none.
    walk: bool,
    /// Whether a match may be empty in a UTF-8 NFA, where the library
    /// passes over empty matches inside a character: a match the walk
    /// finds is then left to the library to judge.
    utf8_empty: bool,
    /// The fallback when the lazy DFA gives up (its cache thrashes).
    pikevm: PikeVM,
    pool: Pool<Cache, CacheFn>,
    patterns: usize,
}

/// The regex crate's error for a failed build (the patterns parsed, so it
/// is a size limit, or some other limit it reports as a syntax error).
fn build_error(err: thompson::BuildError) -> regex::Error {
    match err.size_limit() {
        Some(limit) => regex::Error::CompiledTooBig(limit),
        None => regex::Error::Syntax(err.to_string()),
    }
}

impl std::fmt::Debug for ForwardSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ForwardSet")
            .field("patterns", &self.0.patterns)
            .finish_non_exhaustive()
    }
}

impl ForwardSet {
    /// The set of `hirs`; the NFA may take `size_limit` bytes, each
    /// thread's lazy DFA `cache_bytes`.
    pub fn new(hirs: &[Hir], size_limit: usize, cache_bytes: usize) -> Result<Self, regex::Error> {
        // The meta engine's NFA for a set: no captures, not shrunk.
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .utf8(true)
                    .nfa_size_limit(Some(size_limit))
                    .shrink(false)
                    .which_captures(WhichCaptures::None),
            )
            .build_many_from_hir(hirs)
            .map_err(build_error)?;
        // The meta engine looks for a prefilter unless every match must
        // start at the start of the text.
        let anchored = Properties::union(hirs.iter().map(Hir::properties))
            .look_set_prefix()
            .contains(Look::Start);
        let pre = if anchored {
            None
        } else {
            Prefilter::from_hirs_prefix(MatchKind::All, hirs)
        };
        let pikevm = PikeVM::builder()
            .configure(
                PikeVM::config()
                    .match_kind(MatchKind::All)
                    .prefilter(pre.clone()),
            )
            .build_from_nfa(nfa.clone())
            .map_err(build_error)?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .prefilter(pre.clone())
                    .starts_for_each_pattern(true)
                    .unicode_word_boundary(true)
                    .specialize_start_states(pre.is_some())
                    .cache_capacity(cache_bytes)
                    .skip_cache_capacity_check(false)
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa)
            .ok();
        let create: CacheFn = {
            let (dfa, pikevm, patterns) = (dfa.clone(), pikevm.clone(), hirs.len());
            Box::new(move || Cache {
                dfa: dfa.as_ref().map(DFA::create_cache),
                pikevm: pikevm.create_cache(),
                start: None,
                unrecorded: 0,
                found: PatternSet::new(patterns),
                dead_pairs: None,
            })
        };
        let nfa = pikevm.get_nfa();
        Ok(ForwardSet(Arc::new(Engines {
            walk: pre.is_none(),
            utf8_empty: nfa.has_empty() && nfa.is_utf8(),
            dfa,
            pikevm,
            pool: Pool::new(create),
            patterns: hirs.len(),
        })))
    }

    /// The heap memory of the NFA (the lazy DFA's cache grows apart, up to
    /// its capacity).
    pub fn memory_usage(&self) -> usize {
        self.0.pikevm.get_nfa().memory_usage()
    }

    /// Whether any regex matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.searcher().is_match(text)
    }

    /// This thread's scratch space for the set, held until the searcher is
    /// dropped: many lines searched with one searcher take it once.
    pub fn searcher(&self) -> Searcher<'_> {
        let engines = &*self.0;
        Searcher {
            engines,
            walked: engines.dfa.as_ref().filter(|_| engines.walk),
            cache: engines.pool.get(),
        }
    }
}

/// How far [`Searcher::walk`] goes: to the first match (whether any regex
/// matches), or through every match to a dead state or the end (which
/// regexes do). A constant, so that each walk is compiled for its own.
const TO_FIRST_MATCH: bool = false;
const THROUGH: bool = true;

/// A [`ForwardSet`] with one thread's scratch space in hand.
pub(super) struct Searcher<'s> {
    engines: &'s Engines,
    /// The lazy DFA when [`Searcher::walk`] may walk it: looked up once,
    /// not per text.
    walked: Option<&'s DFA>,
    cache: PoolGuard<'s, Cache, CacheFn>,
}

impl Drop for Searcher<'_> {
    /// Tell the DFA cache the bytes walked since it was last told.
    fn drop(&mut self) {
        let Cache {
            dfa, unrecorded, ..
        } = &mut *self.cache;
        if let Some(cache) = dfa.as_mut().filter(|_| *unrecorded > 0) {
            cache.search_start(0);
            cache.search_finish(*unrecorded);
            *unrecorded = 0;
        }
    }
}

impl Searcher<'_> {
    /// Whether any regex matches somewhere in `text`.
    pub fn is_match(&mut self, text: &str) -> bool {
        if let Some(found) = self.walk::<TO_FIRST_MATCH>(text.as_bytes()) {
            return found;
        }
        let engines = self.engines;
        let Cache { dfa, pikevm, .. } = &mut *self.cache;
        let input = Input::new(text).earliest(true);
        let fast = engines
            .dfa
            .as_ref()
            .zip(dfa.as_mut())
            .map(|(dfa, dfa_cache)| dfa.try_search_fwd(dfa_cache, &input));
        match fast {
            Some(Ok(found)) => found.is_some(),
            // No lazy DFA, or it gave up: the meta engine's fallback.
            _ => engines.pikevm.is_match(pikevm, input),
        }
    }

    /// Whether some regex matches `haystack`, found by walking the lazy DFA
    /// from the start of the text, a byte at a time, to a match (or, to
    /// find every regex that matches, past each match), a dead state or the
    /// end of the text: what the library's forward search does, without
    /// building its input and start state per search. With `THROUGH`, the
    /// regexes of every match state met are put in the cache's `found`,
    /// emptied first. `None` when the walk cannot say: no lazy DFA or one
    /// with a prefilter, the DFA gave up (its cache thrashes) or met a byte
    /// it quits on, or a match that may be an empty one inside a character.
    #[inline(always)]
    fn walk<const WALK: bool>(&mut self, haystack: &[u8]) -> Option<bool> {
        let dfa = self.walked?;
        let mut dead_at = usize::MAX;
        walk::<WALK>(self.engines, dfa, &mut self.cache, haystack, &mut dead_at)
    }

    /// The regexes that match somewhere in `text` (until the next search
    /// with this searcher).
    pub fn which(&mut self, text: &str) -> &PatternSet {
        if self.walk::<THROUGH>(text.as_bytes()).is_some() {
            return &self.cache.found;
        }
        which_searched(self.engines, &mut self.cache, text)
    }

    /// The regexes that match somewhere in `text`, or `None` when none
    /// does: [`Searcher::is_match`], then [`Searcher::which`], in one walk
    /// where the set is walked.
    pub fn matching(&mut self, text: &str) -> Option<&PatternSet> {
        let answer = self.walk::<THROUGH>(text.as_bytes());
        matching(self.engines, &mut self.cache, text, answer)
    }

    /// [`Searcher::matching`] on each of `texts` in turn, `each` called
    /// with the text's index, the text and its answer. The scratch space
    /// and the lazy DFA are taken in hand once for all of them: most texts
    /// are a byte or two of walk, less than the setting up of a search,
    /// and those whose first two bytes a walk died on before are not
    /// walked at all (see `Cache::dead_pairs`).
    #[inline(always)]
    pub fn matching_each<'t>(
        &mut self,
        texts: impl Iterator<Item = &'t str>,
        mut each: impl FnMut(usize, &'t str, Option<&PatternSet>),
    ) {
        let engines = self.engines;
        let cache = &mut *self.cache;
        // The DFA and the pairs it died on, in hand for the loop (put back
        // after it) when the set is walked.
        let mut walking = self
            .walked
            .map(|dfa| (dfa, cache.dead_pairs.take().unwrap_or_else(BytePairs::new)));
        for (i, text) in texts.enumerate() {
            let bytes = text.as_bytes();
            let answer = walking.as_mut().and_then(|(dfa, dead_pairs)| {
                if matches!(bytes, [first, second, ..] if dead_pairs.contains(*first, *second)) {
                    return Some(false);
                }
                let mut dead_at = usize::MAX;
                let answer = walk::<THROUGH>(engines, dfa, cache, bytes, &mut dead_at);
                if answer == Some(false) && dead_at <= 1 {
                    mark_dead(dead_pairs, &bytes[..=dead_at]);
                }
                answer
            });
            // One call of `each`, which is then inlined here.
            each(i, text, matching(engines, cache, text, answer));
        }
        if let Some((_, dead_pairs)) = walking {
            cache.dead_pairs = Some(dead_pairs);
        }
    }
}

/// [`Searcher::matching`] from a walk's `answer` on `text`: the regexes it
/// found, or the library's search's when it could not say; `None` when
/// none matches.
#[inline(always)]
fn matching<'c>(
    engines: &Engines,
    cache: &'c mut Cache,
    text: &str,
    answer: Option<bool>,
) -> Option<&'c PatternSet> {
    let found = match answer {
        Some(true) => &cache.found,
        Some(false) => return None,
        None => which_searched(engines, cache, text),
    };
    (!found.is_empty()).then_some(found)
}

/// [`Searcher::which`] by the library's search, with the scratch space
/// `cache` of `engines` in hand.
fn which_searched<'c>(engines: &Engines, cache: &'c mut Cache, text: &str) -> &'c PatternSet {
    let Cache {
        dfa, pikevm, found, ..
    } = cache;
    found.clear();
    let input = Input::new(text);
    let fast = engines
        .dfa
        .as_ref()
        .zip(dfa.as_mut())
        .map(|(dfa, dfa_cache)| dfa.try_which_overlapping_matches(dfa_cache, &input, found));
    if !matches!(fast, Some(Ok(()))) {
        engines
            .pikevm
            .which_overlapping_matches(pikevm, &input, found);
    }
    found
}

/// Mark in `dead_pairs` (see `Cache::dead_pairs`) the pairs of bytes that
/// start with `start`, one byte or two, after which a walk died.
fn mark_dead(dead_pairs: &mut BytePairs, start: &[u8]) {
    match *start {
        [first] => dead_pairs.insert_every_after(first),
        [first, second] => dead_pairs.insert(first, second),
        _ => {}
    }
}

/// [`Searcher::walk`] of `dfa`, the lazy DFA of `engines`, with the scratch
/// space `cache` already in hand: a walk over many texts takes it once.
/// When the walk ends in a dead state, `dead_at` is set to where: the byte
/// that led there.
#[inline(always)]
fn walk<const WALK: bool>(
    engines: &Engines,
    dfa: &DFA,
    cache: &mut Cache,
    haystack: &[u8],
    dead_at: &mut usize,
) -> Option<bool> {
    let Cache {
        dfa: cache,
        start,
        unrecorded,
        found,
        ..
    } = cache;
    if WALK == THROUGH && !found.is_empty() {
        // What the last search found (most find nothing, and an empty
        // set has nothing to clear, where clearing writes a flag per
        // regex).
        found.clear();
    }
    // The regexes whose match a match state stands for.
    let record = |found: &mut PatternSet, cache: &dfa::Cache, sid| {
        for index in 0..dfa.match_len(cache, sid) {
            found.insert(dfa.match_pattern(cache, sid, index));
        }
    };
    let cache = cache.as_mut()?;
    let mut sid = match *start {
        Some((sid, clears)) if clears == cache.clear_count() => sid,
        _ => {
            let config = start::Config::new().anchored(Anchored::No);
            let sid = dfa.start_state(cache, &config).ok()?;
            *start = Some((sid, cache.clear_count()));
            sid
        }
    };
    if sid.is_tagged() {
        // A start state is never a match (matches are delayed a byte).
        return sid.is_dead().then_some(false);
    }
    // Where the bytes walked but not yet recorded in the cache start.
    let mut from = 0;
    let mut at = 0;
    let end = loop {
        // The bulk of the bytes: transitions already computed, to states
        // that are neither matches nor dead. Nothing here changes the
        // cache, which lets the compiler keep the table at hand. A walk
        // through matches leaves a match state (tagged) by the step
        // below.
        let mut next = sid;
        if !sid.is_tagged() {
            while let Some(&byte) = haystack.get(at) {
                next = dfa.next_state_untagged(cache, sid, byte);
                if next.is_tagged() {
                    break;
                }
                sid = next;
                at += 1;
            }
        }
        if at == haystack.len() {
            break None;
        }
        if next.is_unknown() || sid.is_tagged() {
            // Computing a state may clear the cache, and whether the
            // DFA gives up then depends on the bytes searched so far.
            let walked = *unrecorded + (at - from);
            (*unrecorded, from) = (0, at);
            cache.search_start(0);
            cache.search_update(walked);
            let computed = dfa.next_state(cache, sid, haystack[at]);
            cache.search_finish(walked);
            next = computed.ok()?;
        }
        if WALK == THROUGH && next.is_match() {
            // Matches are delayed a byte: this one ends before `at`,
            // and a later one may follow from here.
            record(found, cache, next);
        } else if next.is_tagged() {
            break Some(next);
        }
        sid = next;
        at += 1;
    };
    *unrecorded += at - from;
    if end.is_some_and(|sid| sid.is_dead()) {
        *dead_at = at;
    }
    let sid = match end {
        Some(sid) => sid,
        None => dfa.next_eoi_state(cache, sid).ok()?,
    };
    if end.is_some_and(|sid| sid.is_quit()) {
        // A quit byte (no start state is tagged: there is no prefilter).
        return None;
    }
    if WALK == THROUGH && end.is_none() && sid.is_match() {
        record(found, cache, sid);
    }
    if sid.is_match() || WALK == THROUGH && !found.is_empty() {
        (!engines.utf8_empty).then_some(true)
    } else {
        // A dead state, or the end of the text without a match.
        Some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With no room for a lazy DFA the PikeVM answers alone, and answers
    /// as the regex crate does.
    #[test]
    fn the_pikevm_alone_answers_like_the_regex_set() {
        let patterns = [r"(?i)cookies?", r"^\w+$", r"\d{2,}", r"(?-u:\b)ab", r"^$"];
        let hirs: Vec<Hir> = patterns
            .iter()
            .map(|p| regex_syntax::Parser::new().parse(p).expect("parses"))
            .collect();
        let both = ForwardSet::new(&hirs, 10 << 20, 32 << 20).expect("builds");
        let pikevm = ForwardSet::new(&hirs, 10 << 20, 0).expect("builds");
        assert!(both.0.dfa.is_some() && pikevm.0.dfa.is_none());
        let reference = regex::RegexSet::new(patterns).expect("compiles");
        for text in ["", "Cookies!", "école", "ab12", "xab", "été 2024", "  "] {
            for set in [&both, &pikevm] {
                let got: Vec<usize> = set
                    .searcher()
                    .which(text)
                    .iter()
                    .map(|p| p.as_usize())
                    .collect();
                let want: Vec<usize> = reference.matches(text).iter().collect();
                assert_eq!(got, want, "{text:?}");
                assert_eq!(set.is_match(text), reference.is_match(text), "{text:?}");
            }
        }
        for set in [&both, &pikevm] {
            let texts = ["", "Cookies!", "école", "ab12", "xab", "été 2024", "  "];
            let mut answered = 0;
            set.searcher()
                .matching_each(texts.iter().copied(), |i, text, found| {
                    assert_eq!(text, texts[i]);
                    let want: Vec<usize> = reference.matches(text).iter().collect();
                    let got = found.map(|found| found.iter().map(|p| p.as_usize()).collect());
                    assert_eq!(got, (!want.is_empty()).then_some(want), "{text:?}");
                    answered += 1;
                });
            assert_eq!(answered, texts.len());
        }
    }

    /// A line whose first bytes a walk died on is answered without one,
    /// and answered right; bytes that may yet match are never marked.
    #[test]
    fn first_bytes_a_walk_died_on_are_remembered() {
        let patterns = [r"^ab", r"^x", r"^.é"];
        let set = ForwardSet::new(&hirs(&patterns), 10 << 20, 32 << 20).expect("builds");
        let reference = regex::RegexSet::new(patterns).expect("compiles");
        let texts = [
            "qz", "ab", "ac", "q", "x", "aé", "a", "ad", "qé", "\nz", "\n",
        ];
        let mut searcher = set.searcher();
        for round in 0..2 {
            searcher.matching_each(texts.iter().copied(), |_, text, found| {
                let want: Vec<usize> = reference.matches(text).iter().collect();
                let got = found.map(|found| found.iter().map(|p| p.as_usize()).collect());
                assert_eq!(got, (!want.is_empty()).then_some(want), "{round} {text:?}");
            });
        }
        let dead_pairs = searcher.cache.dead_pairs.as_ref().expect("walked");
        let dead = |&[first, second]: &[u8; 2]| dead_pairs.contains(first, second);
        // A line break dies at once: every pair it starts; "qz", "ac" and
        // "ad" on their second byte; "ab", "x…", "aé" and "qé" match.
        assert!(dead(b"\n\0") && dead(b"\nx") && dead(b"qz") && dead(b"ac") && dead(b"ad"));
        assert!(!dead(b"ab") && !dead(b"xy") && !dead(&[b'a', 0xc3]) && !dead(&[b'q', 0xc3]));
        assert!(!dead(b"q\0") && !dead(b"ae"), "never walked");
    }

    fn hirs(patterns: &[&str]) -> Vec<Hir> {
        patterns
            .iter()
            .map(|p| regex_syntax::Parser::new().parse(p).expect("parses"))
            .collect()
    }

    /// The walk answers as the regex crate does on sets it walks (no
    /// prefilter), one searcher for many texts, whatever the DFA's cache
    /// does: with a cache barely large enough it is cleared over and over,
    /// and gives up.
    #[test]
    fn the_walk_answers_like_the_regex_set() {
        let sets: [&[&str]; 5] = [
            &[r"^(?i)read more", r"^\w+$", r"^[^.!?]*reserved\.?$", r"^$"],
            &[r"(?i)\bcookies?\b", r"[’—]", r"\d{2,}$", r"^\s*$"],
            &[r"(?i)é\p{L}+", r"^Жук", r"x*", r"^\p{Lu}\w{0,8}\s"],
            &[r"^a$", r"^(?:[Bb]y|[Vv]on)\s+\p{Lu}", r"(?-u:\b)ab"],
            // Matches that end one after another along a line.
            &[r"^\w", r"^\w+ ", r"^[^.]*\.", r"^.*\d$", r"^é"],
        ];
        let texts = [
            "",
            " ",
            "Read more",
            "read MORE: x",
            "école",
            "été 2024",
            "cookies—",
            "© 2024 all rights reserved.",
            "reserved!",
            "Жук жук",
            "By Ana",
            "von Émile",
            "xxé",
            "ab cd 12",
            "Cookie’s",
            "\t",
            "a",
            "A b c d e f g h i j k",
        ];
        for patterns in sets {
            let reference = regex::RegexSet::new(patterns).expect("compiles");
            let parsed = hirs(patterns);
            let mut built = vec![ForwardSet::new(&parsed, 10 << 20, 32 << 20).expect("builds")];
            // Caches from the smallest that builds up: the first few are
            // cleared on nearly every new state.
            built.extend(
                (0..64)
                    .filter_map(|kib| ForwardSet::new(&parsed, 10 << 20, kib << 10).ok())
                    .filter(|set| set.0.dfa.is_some())
                    .take(3),
            );
            for set in &built {
                let mut searcher = set.searcher();
                for _ in 0..3 {
                    for text in texts {
                        assert_eq!(
                            searcher.is_match(text),
                            reference.is_match(text),
                            "{patterns:?} {text:?}"
                        );
                        let want: Vec<usize> = reference.matches(text).iter().collect();
                        let ids = |found: &PatternSet| -> Vec<usize> {
                            found.iter().map(|p| p.as_usize()).collect()
                        };
                        assert_eq!(ids(searcher.which(text)), want, "{patterns:?} {text:?}");
                        let matching = searcher.matching(text).map(ids);
                        assert_eq!(
                            matching,
                            (!want.is_empty()).then_some(want),
                            "{patterns:?} {text:?}"
                        );
                    }
                    // All the texts in one go, twice over (the second time
                    // on the states the first built, or after the cache
                    // was cleared under it).
                    let all = texts.iter().chain(&texts).copied();
                    let mut answered = 0;
                    searcher.matching_each(all, |i, text, found| {
                        assert_eq!(text, texts[i % texts.len()]);
                        let want: Vec<usize> = reference.matches(text).iter().collect();
                        let got = found.map(|found| found.iter().map(|p| p.as_usize()).collect());
                        assert_eq!(got, (!want.is_empty()).then_some(want), "{text:?}");
                        answered += 1;
                    });
                    assert_eq!(answered, 2 * texts.len());
                }
            }
        }
    }
}
