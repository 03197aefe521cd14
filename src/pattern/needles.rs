//! The regexes of a set that may match anywhere in a line, asked only about
//! lines holding one of the literals every match of theirs holds.
//!
//! A set whose regexes all start at the start of a line is walked until
//! every one of them has failed, a few bytes into most lines. One regex
//! that may start anywhere (`(?i)\s(?:says|said|wrote)\s*:?\s*$`, or
//! `(?i)(?:^|\W)(?:cookie|newsletter)(?:\W|$)`) keeps the walk going to the
//! end of every line. Yet every match of such a regex holds one of a few
//! literals ("says", "cookie"), and most lines hold none of them.
//!
//! [`NeedleGate`] holds such regexes. Their literals (*needles*) are found
//! from the regex itself ([`needles`]), compared without regard to ASCII
//! case: every match of the regex, its ASCII letters lower-cased, holds one
//! of them. The lines of a page are searched for them at once, lower-cased
//! and end to end, by the regex crate's literal search (SIMD where the CPU
//! has it; a lone two-byte needle such as `©` by a search for its rarer
//! last byte), which costs a fraction of reading each line in a DFA; only a
//! line holding one is searched, forward, by the gate's own set, whose
//! answers are exactly that set's. A regex none is found for stays in the
//! set it came from, which then reads whole lines as before.
//!
//! Under `(?i)`, `s` and `k` also match `ſ` (U+017F) and `K` (U+212A), so
//! most needles come in several spellings, which more than doubles them
//! and pushes the literal search onto a slower, wider kind. Few pages hold
//! either character: a page found (by one cheap byte search) to hold
//! neither is searched for the needles without them alone, which find
//! exactly what all of them would there.

use regex_automata::util::prefilter::Prefilter;
use regex_automata::{MatchKind, Span};
use regex_syntax::hir::{Class, Hir, HirKind, Look};

use super::Apart;

/// The most strings a set of literals may grow to while they are found
/// (in a product of literals, a class, a union) before it is given up.
const MAX_LITERALS: usize = 64;

/// The most needles a gate holds, all its regexes together.
const MAX_NEEDLES: usize = 256;

/// Literals compared without regard to ASCII case: each is stored with its
/// ASCII letters lower-cased, deduplicated.
type Literals = Vec<Vec<u8>>;

/// What is known of the texts a regex matches, ASCII letters lower-cased.
struct Known {
    /// Every match is one of these strings (`None`: too many, or not a
    /// finite set).
    exact: Option<Literals>,
    /// Every match holds one of these, none empty (`None`: none known).
    inner: Option<Literals>,
}

impl Known {
    fn exact(literals: Literals) -> Known {
        let inner = as_inner(&literals);
        Known {
            exact: Some(literals),
            inner,
        }
    }

    fn unknown() -> Known {
        Known {
            exact: None,
            inner: None,
        }
    }

    fn inner(inner: Option<Literals>) -> Known {
        Known { exact: None, inner }
    }
}

/// `literals` as needles, when none is empty.
fn as_inner(literals: &Literals) -> Option<Literals> {
    (!literals.is_empty() && literals.iter().all(|l| !l.is_empty())).then(|| literals.clone())
}

/// The better of two sets of needles: the one whose shortest needle is
/// longer (up to four bytes, past which a needle is rare enough), then the
/// one with fewer needles.
fn better(a: Option<Literals>, b: Option<Literals>) -> Option<Literals> {
    let score = |l: &Literals| {
        let shortest = l.iter().map(Vec::len).min().unwrap_or(0).min(4);
        (shortest, usize::MAX - l.len())
    };
    match (a, b) {
        (Some(a), Some(b)) => Some(if score(&b) > score(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// The strings `a` then `b`, one of each, unless there are too many.
fn product(a: &Literals, b: &Literals) -> Option<Literals> {
    if a.len() * b.len() > MAX_LITERALS {
        return None;
    }
    let mut out: Literals = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            out.push([&x[..], &y[..]].concat());
        }
    }
    Some(tidy(out))
}

/// The strings of a run of factors taken one after another, unless there
/// are too many.
fn run_product(run: &[Literals]) -> Option<Literals> {
    run.iter()
        .try_fold(vec![Vec::new()], |all, factor| product(&all, factor))
}

/// [`run_product`] as needles.
fn run_needles(run: &[Literals]) -> Option<Literals> {
    run_product(run).as_ref().and_then(as_inner)
}

/// `literals` sorted and deduplicated.
fn tidy(mut literals: Literals) -> Literals {
    literals.sort_unstable();
    literals.dedup();
    literals
}

/// `a` and `b` together, unless there are too many.
fn union(mut a: Literals, b: Literals) -> Option<Literals> {
    a.extend(b);
    let a = tidy(a);
    (a.len() <= MAX_LITERALS).then_some(a)
}

/// The characters of a class as literals, unless there are too many.
fn class_literals(class: &Class) -> Option<Literals> {
    let mut out = Literals::new();
    match class {
        Class::Unicode(class) => {
            for range in class.ranges() {
                for c in range.start()..=range.end() {
                    if out.len() > MAX_LITERALS {
                        return None;
                    }
                    let mut buf = [0; 4];
                    out.push(
                        c.to_ascii_lowercase()
                            .encode_utf8(&mut buf)
                            .as_bytes()
                            .to_vec(),
                    );
                }
            }
        }
        Class::Bytes(class) => {
            for range in class.ranges() {
                for b in range.start()..=range.end() {
                    if out.len() > MAX_LITERALS {
                        return None;
                    }
                    out.push(vec![b.to_ascii_lowercase()]);
                }
            }
        }
    }
    let out = tidy(out);
    (out.len() <= MAX_LITERALS).then_some(out)
}

/// What is known of `hir`'s matches.
fn known(hir: &Hir) -> Known {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Known::exact(vec![Vec::new()]),
        HirKind::Literal(literal) => Known::exact(vec![literal.0.to_ascii_lowercase()]),
        HirKind::Class(class) => class_literals(class).map_or_else(Known::unknown, Known::exact),
        HirKind::Capture(capture) => known(&capture.sub),
        HirKind::Repetition(rep) => {
            let sub = known(&rep.sub);
            match (rep.min, rep.max) {
                (_, Some(0)) => Known::exact(vec![Vec::new()]),
                (0, Some(1)) => {
                    let exact = sub.exact.and_then(|e| union(e, vec![Vec::new()]));
                    exact.map_or_else(Known::unknown, Known::exact)
                }
                (0, _) => Known::unknown(),
                (1, Some(1)) => sub,
                // At least one copy: what one copy holds.
                _ => Known::inner(better(sub.inner, sub.exact.as_ref().and_then(as_inner))),
            }
        }
        HirKind::Concat(subs) => {
            // The best needles of one factor, or of a run of factors each a
            // finite set of strings, taken one after another: a run grown
            // too large loses its first factors.
            let mut best = None;
            let mut run: Vec<Literals> = Vec::new();
            let mut whole = Some(vec![Vec::new()]);
            for sub in subs {
                let sub = known(sub);
                best = better(best, sub.inner);
                whole = whole
                    .zip(sub.exact.as_ref())
                    .and_then(|(w, e)| product(&w, e));
                let Some(exact) = sub.exact else {
                    best = better(best, run_needles(&run));
                    run.clear();
                    continue;
                };
                run.push(exact);
                if run_product(&run).is_none() {
                    // The run before this factor is as long as it gets.
                    best = better(best, run_needles(&run[..run.len() - 1]));
                    while run_product(&run).is_none() {
                        run.remove(0);
                    }
                }
            }
            best = better(best, run_needles(&run));
            match whole {
                Some(whole) => Known {
                    inner: better(best, as_inner(&whole)),
                    exact: Some(whole),
                },
                None => Known::inner(best),
            }
        }
        HirKind::Alternation(subs) => {
            let mut exact = Some(Literals::new());
            let mut inner = Some(Literals::new());
            for sub in subs {
                let sub = known(sub);
                let needles = better(sub.inner, sub.exact.as_ref().and_then(as_inner));
                inner = inner.zip(needles).and_then(|(i, n)| union(i, n));
                exact = exact.zip(sub.exact).and_then(|(x, e)| union(x, e));
            }
            Known { exact, inner }
        }
    }
}

/// Literals every match of `hir` holds, its ASCII letters lower-cased and
/// theirs too, each at least two bytes long; `None` when none are known.
pub(super) fn needles(hir: &Hir) -> Option<Literals> {
    let known = known(hir);
    let needles = better(known.inner, known.exact.as_ref().and_then(as_inner))?;
    // A needle holding another is held wherever the other is.
    let minimal: Literals = needles
        .iter()
        .filter(|n| {
            !needles
                .iter()
                .any(|m| m.len() < n.len() && n.windows(m.len()).any(|w| w == &m[..]))
        })
        .cloned()
        .collect();
    minimal.iter().all(|n| n.len() >= 2).then_some(minimal)
}

/// Regexes of a set asked only about the lines holding one of their
/// needles.
#[derive(Debug, Clone)]
pub(super) struct NeedleGate {
    /// The regexes themselves, searched on the lines holding a needle.
    apart: Apart,
    /// Find the needles in text whose ASCII letters are lower-cased: one
    /// for those shorter than [`LONG_NEEDLE`] bytes, one for the rest.
    finders: Vec<Finder>,
    /// [`NeedleGate::finders`] without the needles holding `ſ` or `K`, for
    /// text holding neither; `None` when no needle holds them.
    plain: Option<Vec<Finder>>,
}

/// Finds one of a group of needles.
#[derive(Debug, Clone)]
enum Finder {
    /// A lone two-byte needle ending in a byte past ASCII (`©`): that byte
    /// is rare in most text, and a search for one byte reads four times
    /// the bytes a step that the library's search for the pair does.
    Pair([u8; 2]),
    /// Any other group, by the regex crate's literal search.
    Literals(Prefilter),
}

impl Finder {
    fn new(needles: &Literals) -> Option<Finder> {
        match needles.as_slice() {
            [needle] if needle.len() == 2 && !needle[1].is_ascii() => {
                Some(Finder::Pair([needle[0], needle[1]]))
            }
            _ => Prefilter::new(MatchKind::LeftmostFirst, needles).map(Finder::Literals),
        }
    }

    /// Where the first needle found in `haystack` from `at` on starts.
    fn find(&self, haystack: &[u8], at: usize) -> Option<usize> {
        match self {
            Finder::Pair([first, second]) => {
                // The second byte from `at + 1` on, `j` bytes on, makes a
                // pair from `at + j` when the byte before it is the first.
                memchr::memchr_iter(*second, haystack.get(at + 1..)?)
                    .map(|j| at + j)
                    .find(|&start| haystack[start] == *first)
            }
            Finder::Literals(pre) => pre
                .find(haystack, Span::from(at..haystack.len()))
                .map(|found| found.start),
        }
    }

    fn memory_usage(&self) -> usize {
        match self {
            Finder::Pair(_) => 0,
            Finder::Literals(pre) => pre.memory_usage(),
        }
    }
}

/// The two characters `(?i)` adds to ASCII letters, UTF-8 encoded.
const LONG_S: &[u8] = "\u{17F}".as_bytes();
const KELVIN: &[u8] = "\u{212A}".as_bytes();

/// Whether `needle` holds `ſ` or `K`.
fn holds_fold(needle: &[u8]) -> bool {
    [LONG_S, KELVIN]
        .iter()
        .any(|c| needle.windows(c.len()).any(|w| w == *c))
}

/// Whether `text` holds `ſ` or `K`: a search for a lead byte of the one
/// (`0xC5`, shared by other Latin letters) or the middle byte of the other
/// (`0x84`), each candidate then checked whole.
fn text_holds_fold(text: &[u8]) -> bool {
    memchr::memchr2_iter(LONG_S[0], KELVIN[1], text).any(|i| {
        let at = |from: usize, c: &[u8]| text.get(from..).is_some_and(|t| t.starts_with(c));
        if text[i] == LONG_S[0] {
            at(i, LONG_S)
        } else {
            i.checked_sub(1).is_some_and(|i| at(i, KELVIN))
        }
    })
}

/// `texts` lower-cased end to end, each followed by a line break (so that
/// no needle is found across two of them unless it holds one), and where
/// each ends, its line break included.
fn joined<'t>(texts: impl Iterator<Item = &'t str> + Clone) -> (Vec<u8>, Vec<usize>) {
    // Room for all of them up front: growing the buffer as it fills
    // copied the page's text over and over.
    let mut all = Vec::with_capacity(texts.clone().map(|t| t.len() + 1).sum());
    let mut ends = Vec::with_capacity(texts.size_hint().0);
    for text in texts {
        all.extend_from_slice(text.as_bytes());
        all.push(b'\n');
        ends.push(all.len());
    }
    all.make_ascii_lowercase();
    (all, ends)
}

/// Per text of `all` (texts ending at `ends`), whether `finders` find a
/// needle in it.
fn found_in(finders: &[Finder], all: &[u8], ends: &[usize]) -> Vec<bool> {
    let mut holds = vec![false; ends.len()];
    for finder in finders {
        let mut at = 0;
        // The first needle from `at` on names the text it starts in (or a
        // needle across two texts does: a text passed on to the regexes
        // needlessly); the search goes on from the next text.
        while let Some(found) = finder.find(all, at) {
            let text = ends.partition_point(|&end| end <= found);
            let Some(&end) = ends.get(text) else { break };
            holds[text] = true;
            at = end;
        }
    }
    holds
}

/// One finder per group of `groups` that is not empty; `None` when one of
/// them cannot be built.
fn finders_of(groups: &[Literals]) -> Option<Vec<Finder>> {
    groups
        .iter()
        .filter(|needles| !needles.is_empty())
        .map(Finder::new)
        .collect()
}

/// A needle this long or longer is searched for apart from shorter ones:
/// the literal search matches a few of each needle's first bytes before it
/// compares the whole needle, as many as the shortest has, and two bytes
/// match in too many places.
const LONG_NEEDLE: usize = 3;

impl NeedleGate {
    /// Take out of `hirs` (a set's twins) those that may start anywhere in
    /// a line and have needles, leaving in their place a regex that never
    /// matches, and make them a gate; `None` when there are none, when the
    /// set has a prefilter (which skips to where a match may start) or when
    /// some other regex would still start anywhere (the set's walk then
    /// reads whole lines anyway). The NFA may take `size_limit` bytes, each
    /// thread's lazy DFA `cache_bytes`.
    pub fn split_off(
        hirs: &mut [Hir],
        size_limit: usize,
        cache_bytes: usize,
    ) -> Result<Option<Self>, regex::Error> {
        if Prefilter::from_hirs_prefix(MatchKind::All, hirs).is_some() {
            return Ok(None);
        }
        let mut found = Vec::new();
        for (i, hir) in hirs.iter().enumerate() {
            if hir.properties().look_set_prefix().contains(Look::Start) {
                continue;
            }
            match needles(hir) {
                Some(needles) => found.push((i, needles)),
                None => return Ok(None),
            }
        }
        let needles = tidy(found.iter().flat_map(|(_, n)| n.iter().cloned()).collect());
        if found.is_empty() || needles.len() > MAX_NEEDLES {
            return Ok(None);
        }
        let (long, short): (Literals, Literals) =
            needles.into_iter().partition(|n| n.len() >= LONG_NEEDLE);
        let groups = [short, long];
        let Some(finders) = finders_of(&groups) else {
            return Ok(None);
        };
        let plain = groups
            .iter()
            .any(|g| g.iter().any(|n| holds_fold(n)))
            .then(|| {
                let plain = groups.map(|g| g.into_iter().filter(|n| !holds_fold(n)).collect());
                finders_of(&plain)
            })
            .flatten();
        let members = found.iter().map(|&(i, _)| i).collect();
        let apart = Apart::take(hirs, members, size_limit, cache_bytes)?;
        Ok(Some(NeedleGate {
            apart,
            finders,
            plain,
        }))
    }

    /// The memory the gate's NFA and finder hold.
    pub fn memory_usage(&self) -> usize {
        self.apart.memory_usage()
            + self
                .finders
                .iter()
                .chain(self.plain.iter().flatten())
                .map(Finder::memory_usage)
                .sum::<usize>()
    }

    /// Whether `text` holds one of the needles: only then may one of the
    /// regexes match it.
    pub fn holds_needle(&self, text: &str) -> bool {
        let lower = text.to_ascii_lowercase();
        self.finders
            .iter()
            .any(|f| f.find(lower.as_bytes(), 0).is_some())
    }

    /// Per text of `texts`, whether it holds one of the needles: the texts
    /// are searched as one, which costs a fraction of searching each on
    /// its own.
    pub fn hold_needles<'t>(&self, texts: impl Iterator<Item = &'t str> + Clone) -> Vec<bool> {
        let (all, ends) = joined(texts);
        let finders = match &self.plain {
            Some(plain) if !text_holds_fold(&all) => plain,
            _ => &self.finders,
        };
        found_in(finders, &all, &ends)
    }

    /// [`NeedleGate::hold_needles`] by all the needles, whatever the texts
    /// hold: what it must answer.
    #[cfg(test)]
    fn hold_needles_by_all<'t>(&self, texts: impl Iterator<Item = &'t str> + Clone) -> Vec<bool> {
        let (all, ends) = joined(texts);
        found_in(&self.finders, &all, &ends)
    }

    /// Whether one of the regexes matches `text` (which holds a needle).
    pub fn is_match(&self, text: &str) -> bool {
        self.apart.is_match(text)
    }

    /// Call `each` with the index in the whole set of every regex of the
    /// gate that matches `text` (which holds a needle), in ascending order.
    pub fn which(&self, text: &str, each: impl FnMut(usize)) {
        self.apart.which(text, each);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(p: &str) -> Hir {
        regex_syntax::Parser::new().parse(p).expect("parses")
    }

    fn needles_of(p: &str) -> Option<Vec<String>> {
        needles(&parse(p)).map(|n| {
            n.iter()
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .collect()
        })
    }

    #[test]
    fn needles_of_common_shapes() {
        // Case folds outside ASCII are needles of their own.
        assert_eq!(
            needles_of(r"(?i)\s(?:said|wrote)\s*:?\s*$").expect("found"),
            ["said", "wrote", "ſaid"]
        );
        // A finite run of factors makes longer needles than any one of
        // them; one grown too large loses its first factors (`\s`).
        assert_eq!(
            needles_of(r"(?i)\s(?:says|said)\s*$").expect("found"),
            ["said", "says", "sayſ", "ſaid", "ſays", "ſayſ"]
        );
        assert_eq!(
            needles_of(r"\w(?:of|on)\ (?:it|us)\w?").expect("found"),
            ["of it", "of us", "on it", "on us"]
        );
        assert_eq!(
            needles_of(r"x?(?:ab|CD)ef").expect("found"),
            ["abef", "cdef"]
        );
        // A needle holding another is dropped.
        assert_eq!(
            needles_of(r"(?i)subscribe|unsubscribe|©").expect("found"),
            ["subscribe", "subſcribe", "©", "ſubscribe", "ſubſcribe"]
        );
        assert_eq!(needles_of(r"[’—]x*").expect("found"), ["—", "’"]);
        assert_eq!(needles_of(r"(?:ab){2,}").expect("found"), ["ab"]);
        // No needle, or one too short to be worth it.
        for p in [r"\w+", r"foo|\w", r"a(?:b|c)?", r"x*", r"[a-z]{3}", ""] {
            assert_eq!(needles_of(p), None, "{p}");
        }
    }

    /// Searched as one, texts are found to hold needles as each is alone,
    /// needles across two texts aside (they only pass a text on needlessly).
    #[test]
    fn texts_searched_together_hold_what_each_holds() {
        let mut hirs = [
            parse(r"(?i)\s(?:says|said)\s*$"),
            parse(r"©|ab\ncd"),
            parse(r"^\w*q"),
        ];
        let gate = NeedleGate::split_off(&mut hirs, 10 << 20, 1 << 20)
            .expect("builds")
            .expect("both gated");
        let texts = [
            "Jo SAYS", "", "ab", "cd", "a©", "no", "jo ſays", "said", "sa", "id",
        ];
        let together = gate.hold_needles(texts.iter().copied());
        let alone: Vec<bool> = texts.iter().map(|t| gate.holds_needle(t)).collect();
        assert_eq!(
            alone,
            [true, false, false, false, true, false, true, true, false, false]
        );
        assert_eq!(hirs[2], parse(r"^\w*q"), "anchored: left in the set");
        // "ab" then "cd" hold "ab\ncd" together: the first is passed on.
        let mut want = alone.clone();
        want[2] = true;
        assert_eq!(together, want);
    }

    /// Texts made of pieces the patterns below care about.
    fn text() -> impl Strategy<Value = String> {
        let pieces = vec![
            "a", "b", "B", " ", "ab", "Ab", "said", "SAYS", "ſ", "\u{212A}", "k", "ie", "cook",
            "©", "’", "\n", "of", "x", "1", ":", "Ł", "™", "\u{2104}", "é",
        ];
        prop::collection::vec(prop::sample::select(pieces), 0..14).prop_map(|v| v.concat())
    }

    const PATTERNS: [&str; 10] = [
        r"(?i)\s(?:says|said)\s*:?\s*$",
        r"(?i)(?:^|\W)cookie(?:\W|$)|©",
        r"(?i)ab(?:\s|’)*b",
        r"x?(?:ab|B)[a-z]{0,2}(?:of)?(?i:cook)",
        r"(?:ab){2,}|said\d",
        r"(?i:a|b)(?:b|\x{212A}|ſ)",
        r"[^x]ab?’",
        r"(?:said|ab)\n?1",
        r"\d\d?:(?i)ab",
        r"(?i)cook|says",
    ];

    proptest! {
        /// Wherever a regex matches, a needle of its is found, in the text
        /// alone and among others.
        #[test]
        fn every_match_holds_a_needle(texts in prop::collection::vec(text(), 1..6)) {
            for p in PATTERNS {
                let regex = regex::Regex::new(p).expect("compiles");
                let needles = needles(&parse(p)).expect("found");
                for text in &texts {
                    let lower = text.to_ascii_lowercase();
                    let held = needles
                        .iter()
                        .any(|n| lower.as_bytes().windows(n.len()).any(|w| w == &n[..]));
                    prop_assert!(held || !regex.is_match(text), "{} {:?}", p, text);
                }
                // Beside a regex that starts at the start of a line and has
                // no prefix literals, as a gate.
                let mut hirs = [parse(p), parse(r"^\w*q")];
                let gate = NeedleGate::split_off(&mut hirs, 10 << 20, 1 << 20)
                    .expect("builds")
                    .expect("gated");
                let together = gate.hold_needles(texts.iter().map(String::as_str));
                // Texts without `ſ` and `K` are searched for fewer needles,
                // with the same answers.
                let by_all = gate.hold_needles_by_all(texts.iter().map(String::as_str));
                prop_assert_eq!(&together, &by_all, "{}", p);
                for (text, held) in texts.iter().zip(together) {
                    if regex.is_match(text) {
                        prop_assert!(gate.holds_needle(text), "{} {:?}", p, text);
                        prop_assert!(held, "{} {:?}", p, text);
                    }
                    prop_assert!(held || !gate.holds_needle(text), "{} {:?}", p, text);
                }
            }
        }
    }
}
