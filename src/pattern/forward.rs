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

use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::Arc;

use regex_automata::hybrid::dfa::{self, DFA};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::util::prefilter::Prefilter;
use regex_automata::{Input, MatchKind, PatternSet};
use regex_syntax::hir::{Hir, Look, Properties};

/// Makes a thread's scratch space for searching a [`ForwardSet`].
type CacheFn = Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// One thread's scratch space.
struct Cache {
    dfa: Option<dfa::Cache>,
    pikevm: pikevm::Cache,
}

/// Regexes matched all at once, answering only which match.
#[derive(Clone)]
pub(super) struct ForwardSet(Arc<Engines>);

struct Engines {
    /// The lazy DFA, unless it could not be built (a cache too small).
    dfa: Option<DFA>,
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
            let (dfa, pikevm) = (dfa.clone(), pikevm.clone());
            Box::new(move || Cache {
                dfa: dfa.as_ref().map(DFA::create_cache),
                pikevm: pikevm.create_cache(),
            })
        };
        Ok(ForwardSet(Arc::new(Engines {
            dfa,
            pikevm,
            pool: Pool::new(create),
            patterns: hirs.len(),
        })))
    }

    /// How many regexes the set holds.
    pub fn pattern_len(&self) -> usize {
        self.0.patterns
    }

    /// The heap memory of the NFA (the lazy DFA's cache grows apart, up to
    /// its capacity).
    pub fn memory_usage(&self) -> usize {
        self.0.pikevm.get_nfa().memory_usage()
    }

    /// Whether any regex matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        let input = Input::new(text).earliest(true);
        self.with_cache(|dfa, pikevm, cache| {
            match dfa.map(|(dfa, dfa_cache)| dfa.try_search_fwd(dfa_cache, &input)) {
                Some(Ok(found)) => found.is_some(),
                // No lazy DFA, or it gave up: the meta engine's fallback.
                _ => pikevm.is_match(cache, input),
            }
        })
    }

    /// Add to `found` every regex that matches somewhere in `text`.
    pub fn which(&self, text: &str, found: &mut PatternSet) {
        let input = Input::new(text);
        self.with_cache(|dfa, pikevm, cache| {
            let fast = dfa.map(|(dfa, dfa_cache)| {
                dfa.try_which_overlapping_matches(dfa_cache, &input, found)
            });
            if !matches!(fast, Some(Ok(()))) {
                pikevm.which_overlapping_matches(cache, &input, found);
            }
        })
    }

    /// Run `search` with this thread's caches: the lazy DFA and its cache
    /// (if there is a lazy DFA), the PikeVM and its cache.
    fn with_cache<T>(
        &self,
        search: impl FnOnce(Option<(&DFA, &mut dfa::Cache)>, &PikeVM, &mut pikevm::Cache) -> T,
    ) -> T {
        let engines = &*self.0;
        let mut guard = engines.pool.get();
        let Cache { dfa, pikevm } = &mut *guard;
        let dfa = engines.dfa.as_ref().zip(dfa.as_mut());
        search(dfa, &engines.pikevm, pikevm)
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
                let mut found = PatternSet::new(set.pattern_len());
                set.which(text, &mut found);
                let got: Vec<usize> = found.iter().map(|p| p.as_usize()).collect();
                let want: Vec<usize> = reference.matches(text).iter().collect();
                assert_eq!(got, want, "{text:?}");
                assert_eq!(set.is_match(text), reference.is_match(text), "{text:?}");
            }
        }
    }
}
