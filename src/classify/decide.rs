//! Where every line the rules left open is kept or dropped, and why.
//!
//! Read top to bottom: the thresholds, the first pass ([`first_pass`]),
//! teasers ([`mark_teasers`]) and repeats ([`mark_repeats`]), the main run
//! ([`main_run`]), on HTML the article's container ([`main_container`],
//! [`main_lines`], [`boilerplate_below`]), the title ([`find_title`]) and
//! the context pass at the end of [`classify`].
//! The features themselves are measured in [`super::features`].

// foldhash: keys are page text, hashed per line and per teaser prefix;
// std's SipHash cost more than the classifier's passes.
use foldhash::{HashMap, HashMapExt};

use super::features::{self, Keys, LineFeatures, PageFeatures};
use super::line_table::LineTable;
use super::{ClassReason, Classified, Decision, Reason, Verdict};
use crate::page::{BoilerHints, Page};
use crate::rules::RuleHit;

// ---- First pass -----------------------------------------------------------

/// Below this many characters a line is too short to judge on its own
/// (jusText's "short" bound): only its neighbours can keep it.
const SHORT_CHARS: usize = 70;

/// A line this long with prose-like stop-word density is content by itself.
const CONTENT_CHARS: usize = 120;

/// Share of tokens that must be stop words for a line to read as prose in
/// a language we have a list for (jusText uses 0.30–0.32 on paragraphs;
/// headlines and menus sit far below).
const PROSE_STOP_DENSITY: f32 = 0.30;

/// Below this stop-word density a long line without a sentence end is not
/// prose at all: tag clouds, lists of names, menus run together.
const MIN_STOP_DENSITY: f32 = 0.12;

/// For pages in a language without a stop-word list: a line ending like a
/// sentence is content from [`CONTENT_CHARS`] on, any line from this length.
const NEUTRAL_CONTENT_CHARS: usize = 250;

/// More than this share of link text makes a line a link, not prose.
const LINK_DENSE: f32 = 0.5;

/// A line with at least this many navigation separators is a menu or a
/// breadcrumb unless it reads as prose.
const MENU_SEPARATORS: usize = 2;

/// Lines in a block of consecutive lines (no blank between) shorter than
/// this and without a sentence end are list items; two or more of them make
/// a menu or a list of headlines.
const LIST_ITEM_CHARS: usize = 110;

// ---- Main run -------------------------------------------------------------

/// Weight of a short line against the run: small, so that a subheading, a
/// date or a byline between paragraphs does not split the article.
const SHORT_PENALTY: i64 = 1;

/// An uncertain line that ends like a sentence counts a fraction of its
/// tokens for the run (one in this many): enough to pull a lead paragraph
/// with few function words into the article, too little to carry a run.
const UNCERTAIN_SHARE: i64 = 3;

/// Weight of a junk line against the run: a fixed part plus half its
/// tokens (capped), so a long menu or a list of related headlines splits
/// the page, while one "READ MORE" line between paragraphs does not.
const JUNK_PENALTY: i64 = 3;
const JUNK_TOKEN_CAP: usize = 20;

/// Comment-section headings split the page. The article is the heaviest
/// stretch of the first part that weighs at least this share of the
/// heaviest stretch of any part: comments come after the article, and only
/// a part far heavier than everything before it (a menu with a "Comments"
/// link, then the article) moves the run past a heading.
const ARTICLE_BEFORE_COMMENTS: f64 = 0.3;

// ---- Main container (HTML) ----------------------------------------------

/// The article's container is the deepest element that holds at least this
/// share of the page's content weight: deep enough to leave menus, sidebars
/// and footers out, wide enough to keep the lead, subheadings, lists and
/// tables that sit between the paragraphs.
const CONTAINER_SHARE: f64 = 0.75;

/// List items count a quarter of their weight for the container: lists
/// of teasers (latest news, related stories) read like prose, and an
/// article's own lists sit between its paragraphs anyway.
const LIST_ITEM_WEIGHT: f64 = 0.25;

// ---- Copies and the title -------------------------------------------------

/// A teaser must share at least this many characters (normalized) with the
/// start of the line it previews; shorter prefixes are chance.
const TEASER_MIN_CHARS: usize = 40;

/// A closing sentence the run takes in has at least this many words: fewer
/// is a button or a sign-off ("Reply.", "Thanks!").
const CLOSING_SENTENCE_MIN_TOKENS: usize = 4;

/// Headlines have at least this many and at most this many tokens.
const HEADLINE_MIN_TOKENS: usize = 2;
const HEADLINE_MAX_TOKENS: usize = 40;

/// A repeated title's copies can differ by a site-name suffix ("Headline -
/// Site"); the shorter copy must hold at least this share of the longer.
const TITLE_PREFIX_SHARE: f32 = 0.5;

/// Without a repeat, the title is the headline nearest before the main run,
/// at most this many lines up (not counting lines rules or boilerplate
/// patterns took), unless one further up has at least
/// [`TITLE_LONGER_FACTOR`] times its tokens (a short line just above the
/// article is more often an ad or a kicker than the headline).
const TITLE_LOOKBACK: usize = 6;
const TITLE_LONGER_FACTOR: usize = 2;

/// What decided a line before the classifier's context pass, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Settled {
    /// Nothing yet: the line's class will.
    Open,
    /// A rule, with this verdict.
    Rule(Verdict),
    /// Kept as the page title.
    Title,
    /// Dropped as a repeat of the title.
    TitleCopy,
}

impl Settled {
    fn is_open(self) -> bool {
        self == Settled::Open
    }

    /// The verdict, when the line is decided.
    fn verdict(self) -> Option<Verdict> {
        match self {
            Settled::Open => None,
            Settled::Rule(verdict) => Some(verdict),
            Settled::Title => Some(Verdict::Keep),
            Settled::TitleCopy => Some(Verdict::Drop),
        }
    }
}

/// The first-pass class of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Long, sentence-like text: anchors the main run.
    Content,
    /// Prose-like but not long enough to anchor anything.
    Uncertain,
    /// Too short to judge alone.
    Short,
    /// Boilerplate, for the given reason.
    Junk(ClassReason),
}

pub(super) fn classify(page: &Page, hits: &[Option<RuleHit>]) -> Classified {
    let n = page.lines.len();
    let features = features::page_features(page);
    // Rule decisions stand; the classifier fills in the rest.
    let mut settled: Vec<Settled> = (0..n)
        .map(|i| match hits.get(i) {
            Some(Some(hit)) => Settled::Rule(hit.verdict),
            _ => Settled::Open,
        })
        .collect();

    let FirstPass { mut classes, lists } = first_pass(page, &features);
    mark_teasers(page, &features.keys, &mut classes);
    let run = main_run(&features.lines, &classes, &settled)
        .map(|run| extend_over_closing_sentences(run, &features, &classes, &settled));
    let part = article_part(page, &features.lines, &settled, run.as_ref());
    let container = main_container(page, &features.lines, &classes, &settled, &part);
    let main: Vec<bool> = match container {
        Some(id) => main_lines(page, id, &part),
        None => {
            let mut main = vec![false; n];
            if let Some(run) = &run {
                main[run.clone()].fill(true);
            }
            main
        }
    };
    // Inside an HTML article's container, the class/id names above the
    // container describe the page's layout, not the line: only the names
    // between the container and the line can make it boilerplate. A line
    // that starts like a later one, or repeats one, is the article's own
    // there (table cells, recipe steps): copies go only outside it.
    let in_article = container.is_some();
    if let Some(container) = container {
        let neutral = features.neutral();
        // Each line number's first line, to find what a teaser previews.
        let mut line_at: HashMap<usize, usize> = HashMap::new();
        for (i, line) in page.lines.iter().enumerate() {
            line_at.entry(line.number).or_insert(i);
        }
        for i in (0..n).filter(|&i| main[i]) {
            let teaser_of_outside = match classes[i] {
                Class::Junk(ClassReason::Teaser { of }) => {
                    !line_at.get(&of).is_some_and(|&j| main[j])
                }
                _ => false,
            };
            if !teaser_of_outside {
                let block = page.lines[i].block.as_ref();
                classes[i] = if boilerplate_below(&page.lines[i], container) {
                    Class::Junk(ClassReason::BoilerplateContainer)
                } else if block.is_some_and(|b| b.hints.has(BoilerHints::CAPTION)) {
                    Class::Junk(ClassReason::Caption)
                } else {
                    // The class its own features give it: inside the
                    // container the names above it say nothing. (HTML
                    // lines are never short-line list items, the one
                    // thing the first pass adds to a line's own class.)
                    own_class(&page.lines[i], &features.lines[i], neutral)
                };
            }
        }
    }
    mark_repeats(page, &features.keys, &mut classes, &main, in_article);
    let title = find_title(page, &features, &classes, &settled, run.as_ref());
    if let Some(title) = &title {
        if let Some(line) = title.line {
            settled[line] = Settled::Title;
            for &copy in &title.copies {
                if settled[copy].is_open() {
                    settled[copy] = Settled::TitleCopy;
                }
            }
        }
    }

    // The context pass.
    let in_run = |i: usize| main[i];
    // A line that reads as "not prose" on its own (a caption, a line with
    // few function words) but stands inside the run with prose right
    // before and after it is part of the article, as jusText keeps a short
    // line between good ones.
    let between_content: Vec<usize> = (1..n.saturating_sub(1))
        .filter(|&i| {
            let content = |j: usize| {
                settled[j].is_open() && matches!(classes[j], Class::Content | Class::Uncertain)
            };
            classes[i] == Class::Junk(ClassReason::NotProse)
                && in_run(i)
                && content(i - 1)
                && content(i + 1)
        })
        .collect();
    for i in between_content {
        classes[i] = Class::Uncertain;
    }
    // A list of short lines with article paragraphs right before and after
    // it (ingredients, steps) is the article's; the same shape anywhere else
    // is a menu or a list of headlines. (Outside an article's container
    // the lists are still the first pass's: no pass since makes a line a
    // list item or changes one's class.)
    if !in_article {
        for &(first, last) in &lists {
            let content = |j: usize| settled[j].is_open() && classes[j] == Class::Content;
            let flanked = first > 0 && last + 1 < n && content(first - 1) && content(last + 1);
            if flanked && in_run(first) && in_run(last) {
                for class in &mut classes[first..=last] {
                    if *class == Class::Junk(ClassReason::ShortLineList) {
                        *class = Class::Short;
                    }
                }
            }
        }
    }
    let title_number = title
        .as_ref()
        .and_then(|t| t.line)
        .map_or(0, |line| page.lines[line].number);
    let decisions = settled
        .iter()
        .enumerate()
        .map(|(i, settled)| match settled {
            Settled::Rule(verdict) => Decision {
                verdict: *verdict,
                // A rule's line has a hit.
                reason: Reason::Rule(
                    hits.get(i)
                        .and_then(Option::as_ref)
                        .map_or_else(String::new, |hit| hit.rule_id.clone()),
                ),
            },
            Settled::Title => Decision::keep(Reason::Title),
            Settled::TitleCopy => drop(ClassReason::Duplicate { of: title_number }),
            Settled::Open => match classes[i] {
                Class::Junk(ClassReason::NotProse)
                    if in_article && in_run(i) && is_paragraph(&page.lines[i]) =>
                {
                    keep(ClassReason::NearContent)
                }
                Class::Junk(reason) => drop(reason),
                Class::Content if in_run(i) => keep(ClassReason::Content),
                Class::Uncertain | Class::Short if in_run(i) => keep(ClassReason::NearContent),
                Class::Content | Class::Uncertain => drop(ClassReason::OutsideMainContent),
                Class::Short if is_headline(&features, i) => {
                    drop(ClassReason::HeadlineOutsideContent)
                }
                Class::Short => drop(ClassReason::ShortOutsideContent),
            },
        })
        .collect();
    Classified {
        decisions,
        title: title.map(|t| t.text),
    }
}

fn keep(reason: ClassReason) -> Decision {
    Decision::keep(Reason::Classifier(reason))
}

fn drop(reason: ClassReason) -> Decision {
    Decision::drop(Reason::Classifier(reason))
}

/// What the first pass found.
struct FirstPass {
    /// Each line's class.
    classes: Vec<Class>,
    /// The first and last line of each block marked as a short-line list.
    lists: Vec<(usize, usize)>,
}

/// Sort every line into content, uncertain, short or junk from its own
/// features and the block of lines it sits in.
fn first_pass(page: &Page, features: &PageFeatures) -> FirstPass {
    let neutral = features.neutral();
    let n = page.lines.len();
    let mut classes: Vec<Class> = Vec::with_capacity(n);
    let mut lists = Vec::new();
    // In text dumps, lines not separated by a blank line form a block. A
    // block with two or more short lines that do not end like sentences
    // is a menu or a list of headlines: those lines are junk. The items of
    // the block being read wait here until its end.
    let mut items: Vec<usize> = Vec::new();
    let mut block_start = 0;
    for (i, (line, f)) in page.lines.iter().zip(&features.lines).enumerate() {
        if i > 0 && line.break_before {
            mark_short_line_list(&items, block_start..i, &mut classes, &mut lists);
            items.clear();
            block_start = i;
        }
        let class = own_class(line, f, neutral);
        let list_item = line.block.is_none()
            && f.chars < LIST_ITEM_CHARS
            && !f.terminal
            && !matches!(class, Class::Junk(_));
        if list_item {
            items.push(i);
        }
        classes.push(class);
    }
    mark_short_line_list(&items, block_start..n, &mut classes, &mut lists);
    // A line in a boilerplate box goes, whatever it reads like (the
    // article's container reconsiders the names, see [`classify`]).
    for (line, class) in page.lines.iter().zip(&mut classes) {
        let hinted = line
            .block
            .as_ref()
            .is_some_and(|b| in_boilerplate_container(b.hints));
        if hinted && !matches!(class, Class::Junk(_)) {
            *class = Class::Junk(ClassReason::BoilerplateContainer);
        }
    }
    FirstPass { classes, lists }
}

/// A line's class from its own features.
fn own_class(line: &crate::page::Line, f: &LineFeatures, neutral: bool) -> Class {
    if f.boilerplate {
        return Class::Junk(ClassReason::BoilerplatePattern);
    }
    if f.link_density > LINK_DENSE {
        return Class::Junk(ClassReason::LinkDense);
    }
    let prose = if neutral {
        f.terminal
    } else {
        f.stop_density() >= PROSE_STOP_DENSITY
    };
    if f.separators >= MENU_SEPARATORS && !prose {
        return Class::Junk(ClassReason::NavigationSeparators);
    }
    if line.block.as_ref().is_some_and(|b| b.heading.is_some()) {
        return Class::Short;
    }
    if f.chars < SHORT_CHARS {
        return Class::Short;
    }
    let long_enough = if neutral {
        f.chars >= NEUTRAL_CONTENT_CHARS || f.chars >= CONTENT_CHARS && f.terminal
    } else {
        f.chars >= CONTENT_CHARS || f.terminal
    };
    if prose && long_enough {
        Class::Content
    } else if prose || f.terminal || neutral || f.stop_density() >= MIN_STOP_DENSITY {
        Class::Uncertain
    } else {
        Class::Junk(ClassReason::NotProse)
    }
}

/// Mark the list `items` of `block` as a short-line list, and note the
/// block in `lists`, when there are two or more.
fn mark_short_line_list(
    items: &[usize],
    block: std::ops::Range<usize>,
    classes: &mut [Class],
    lists: &mut Vec<(usize, usize)>,
) {
    if items.len() >= 2 {
        for &i in items {
            classes[i] = Class::Junk(ClassReason::ShortLineList);
        }
        lists.push((block.start, block.end - 1));
    }
}

/// Whether the class/id hints put a block in a boilerplate box (and not in
/// one that also says it is the content).
fn in_boilerplate_container(hints: BoilerHints) -> bool {
    hints.has(BoilerHints::REGIONS_OUTSIDE_ARTICLE) && !hints.has(BoilerHints::CONTENT)
}

/// Truncated teasers: a line whose text is the start of a later line
/// previews it (news dumps hold the summary cut at a word count, then the
/// paragraph).
///
/// Linear in the page's text: every later line a teaser could preview
/// starts with the teaser's core at a word boundary, so the lines are
/// indexed once by those word-boundary prefixes of theirs that some core
/// asks for (cut to [`TEASER_INDEX_BYTES`]), and each core looks up its own
/// list instead of comparing itself with every later line.
fn mark_teasers(page: &Page, keys: &Keys, classes: &mut [Class]) {
    // A teaser's full line comes after it, has a longer key, and starts
    // with the teaser's core, so with the same first eight bytes: lines
    // without such a line after them are no teasers, and most lines have
    // none. Walking up the page, the longest key seen so far per first
    // eight bytes tells. (Only keys longer than a core can matter.)
    let mut longest_below: HashMap<u64, usize> = HashMap::with_capacity(keys.len());
    let mut may_preview = Vec::new();
    for i in (0..keys.len()).rev() {
        let key = keys.bytes(i);
        let Some(&first) = key.first_chunk::<8>() else {
            continue;
        };
        if key.len() <= TEASER_MIN_CHARS {
            continue;
        }
        let longest = longest_below.entry(u64::from_le_bytes(first)).or_insert(0);
        if *longest > key.len() {
            may_preview.push(i);
        }
        *longest = (*longest).max(key.len());
    }
    // (line, core, the prefix of the core its index entry is filed under).
    let queries: Vec<(usize, &str, &str)> = may_preview
        .into_iter()
        .rev()
        .filter(|&i| !matches!(classes[i], Class::Junk(_)))
        .filter_map(|i| {
            // The last token may be cut mid-word.
            let core = keys[i].rsplit_once(' ').map_or("", |(head, _)| head);
            (core.len() >= TEASER_MIN_CHARS).then(|| (i, core, indexed_prefix(core)))
        })
        .collect();
    // The lengths of the queried prefixes, ascending: the only places a
    // line's key must be looked at.
    let mut lengths: Vec<usize> = queries.iter().map(|q| q.2.len()).collect();
    lengths.sort_unstable();
    lengths.dedup();
    if lengths.is_empty() {
        return;
    }
    // For each queried length (in the order of `lengths`), the last bytes
    // of the prefixes of that length (a 256-bit set): a line's prefix is
    // looked up only when its length and last byte fit some query, most
    // are not.
    let mut last_bytes = vec![[0u64; 4]; lengths.len()];
    for q in &queries {
        if let (Some(&last), Ok(length)) =
            (q.2.as_bytes().last(), lengths.binary_search(&q.2.len()))
        {
            last_bytes[length][usize::from(last >> 6)] |= 1 << (last & 63);
        }
    }
    // Whether the prefix of `key` up to `at`, the `length`th queried
    // length, fits a query.
    let fits = |length: usize, at: usize, key: &[u8]| {
        at > 0 && {
            let last = key[at - 1];
            last_bytes[length][usize::from(last >> 6)] & (1 << (last & 63)) != 0
        }
    };
    // Each queried prefix is hashed once, to a number; each query keeps
    // its prefix's.
    let mut prefix_numbers: HashMap<&[u8], usize> = HashMap::with_capacity(queries.len());
    let query_prefixes: Vec<usize> = queries
        .iter()
        .map(|q| {
            let next = prefix_numbers.len();
            *prefix_numbers.entry(q.2.as_bytes()).or_insert(next)
        })
        .collect();
    // (prefix, line) for each queried prefix that a line starts with, and
    // a space after it; lines ascending.
    let mut found: Vec<(usize, usize)> = Vec::with_capacity(queries.len());
    for (j, bytes) in keys.iter_bytes().enumerate() {
        for (length, &at) in lengths
            .iter()
            .enumerate()
            .take_while(|&(_, &at)| at < bytes.len())
        {
            // A prefix followed by a space whose length and last byte
            // fit a query.
            if bytes[at] == b' ' && fits(length, at, bytes) {
                if let Some(&prefix) = prefix_numbers.get(&bytes[..at]) {
                    found.push((prefix, j));
                }
            }
        }
    }
    // The lines holding each prefix, ascending: grouped by prefix, the
    // (stable) sort keeps each group's lines in order; one list for all,
    // rather than one allocation per prefix.
    found.sort_by_key(|&(prefix, _)| prefix);
    let holders: Vec<usize> = found.iter().map(|&(_, j)| j).collect();
    let holders_of = |prefix: usize| {
        let from = found.partition_point(|&(p, _)| p < prefix);
        let to = found.partition_point(|&(p, _)| p <= prefix);
        &holders[from..to]
    };
    let mut next_longer: HashMap<usize, Vec<Option<usize>>> = HashMap::new();
    for ((i, core, prefix), number) in queries.into_iter().zip(query_prefixes) {
        let lines = holders_of(number);
        // A line's key is its core, a space and its last token: it is in
        // its own list. Only a line after it can be the full line.
        let Ok(at) = lines.binary_search(&i) else {
            continue;
        };
        if at + 1 == lines.len() {
            continue;
        }
        let full = if prefix.len() == core.len() {
            // Every line in the list continues the core: the first later
            // one with a longer key is the full line.
            next_longer
                .entry(number)
                .or_insert_with(|| first_longer_after_each(lines, keys))[at]
        } else {
            lines[at + 1..].iter().copied().find(|&j| {
                keys[j].len() > keys[i].len()
                    && keys[j].starts_with(core)
                    && keys[j].as_bytes().get(core.len()) == Some(&b' ')
            })
        };
        if let Some(j) = full {
            classes[i] = Class::Junk(ClassReason::Teaser {
                of: page.lines[j].number,
            });
        }
    }
}

/// Teaser cores longer than this many bytes are indexed by their longest
/// word-boundary prefix within it (and the matches checked in full), so
/// that indexing a page costs at most this much hashing per space of a
/// line, however long the line.
const TEASER_INDEX_BYTES: usize = 300;

/// The prefix of a teaser core that [`mark_teasers`] indexes: the core
/// itself when short enough, else its longest word-boundary prefix within
/// [`TEASER_INDEX_BYTES`], else its first word.
fn indexed_prefix(core: &str) -> &str {
    if core.len() <= TEASER_INDEX_BYTES {
        return core;
    }
    let bytes = core.as_bytes();
    let cut = bytes[..=TEASER_INDEX_BYTES]
        .iter()
        .rposition(|&b| b == b' ')
        .filter(|&at| at > 0)
        .or_else(|| bytes.iter().position(|&b| b == b' '))
        .unwrap_or(core.len());
    &core[..cut]
}

/// For each line of `lines` (ascending), the first line after it in
/// `lines` whose key is longer than its own.
fn first_longer_after_each(lines: &[usize], keys: &Keys) -> Vec<Option<usize>> {
    let mut next = vec![None; lines.len()];
    // Lines still waiting to be passed, keys strictly shorter toward the top.
    let mut longer: Vec<usize> = Vec::new();
    for (at, &j) in lines.iter().enumerate().rev() {
        while longer
            .last()
            .is_some_and(|&k| keys[k].len() <= keys[j].len())
        {
            longer.pop();
        }
        next[at] = longer.last().copied();
        longer.push(j);
    }
    next
}

/// Repeated lines keep one copy: the first inside the main run (a summary
/// above the article may quote its first paragraph), else the first. With
/// `keep_all_in_main` (an HTML article's container), every copy inside the
/// main lines stays.
fn mark_repeats(
    page: &Page,
    keys: &Keys,
    classes: &mut [Class],
    main: &[bool],
    keep_all_in_main: bool,
) {
    // Each key's first line, and every later line with its first line's
    // index: groups of copies without a list per line.
    //
    // A line is looked up by the length and ends of its key first: most
    // lines are the first with theirs, and so copy nothing. A line that
    // shares them with an earlier one mostly has that line's key, and the
    // earlier line, the first with those ends, is the first with the key.
    // Only the lines whose keys differ from it in the middle are looked up
    // by their whole key (as long as the first line's key, so each costs
    // one comparison and one hash of its own key).
    let mut by_ends = LineTable::for_lines(keys.len());
    let mut by_key: Option<LineTable> = None;
    let mut later: Vec<(usize, usize)> = Vec::new();
    for (i, key) in keys.iter_bytes().enumerate() {
        if key.is_empty() || matches!(classes[i], Class::Junk(ClassReason::Teaser { .. })) {
            continue;
        }
        let ends = by_ends.hash_ends(key);
        let Some(first_with_ends) = by_ends.get_or_insert(ends, i, |_| true) else {
            continue;
        };
        if keys.bytes(first_with_ends) == key {
            later.push((first_with_ends, i));
            continue;
        }
        let by_key = by_key.get_or_insert_with(|| LineTable::for_lines(keys.len()));
        let hash = by_key.hash(key);
        if let Some(head) = by_key.get_or_insert(hash, i, |j| keys.bytes(j) == key) {
            later.push((head, i));
        }
    }
    // By first line, each group's later lines in ascending order, as they
    // were found (a stable sort, which finds the first lines mostly in
    // order already: a menu repeated at the foot repeats in its order).
    later.sort_by_key(|&(head, _)| head);
    for run in later.chunk_by(|a, b| a.0 == b.0) {
        let head = run[0].0;
        let group = || std::iter::once(head).chain(run.iter().map(|&(_, i)| i));
        let kept = group().find(|&i| main[i]).unwrap_or(head);
        let of = page.lines[kept].number;
        let stays = |i: usize| i == kept || keep_all_in_main && main[i];
        for i in group().filter(|&i| !stays(i)) {
            // Junk keeps its own, more telling reason.
            if !matches!(classes[i], Class::Junk(_)) {
                classes[i] = Class::Junk(ClassReason::Duplicate { of });
            }
        }
    }
}

/// The main run of content: the stretch of lines with the greatest total
/// weight, where content counts its tokens and short and junk lines count
/// against it. `None` when the page has no content at all.
fn main_run(
    lines: &[LineFeatures],
    classes: &[Class],
    settled: &[Settled],
) -> Option<std::ops::RangeInclusive<usize>> {
    heaviest_run(lines, classes, settled, false)
        // A page too small to hold a content line (a note, a snippet): its
        // sentences are the content.
        .or_else(|| heaviest_run(lines, classes, settled, true))
}

/// The heaviest stretch ends on its last line of positive weight, so a
/// short closing sentence ("Talks resume next week.") falls just outside
/// it. The run takes in the sentences that follow it directly, up to the
/// first line that is not one: boilerplate, a headline, a comment heading.
/// One line a rule dropped (a link set into the text, READ MORE: …) may
/// stand between them; two in a row end the article.
fn extend_over_closing_sentences(
    run: std::ops::RangeInclusive<usize>,
    features: &PageFeatures,
    classes: &[Class],
    settled: &[Settled],
) -> std::ops::RangeInclusive<usize> {
    let neutral = features.neutral();
    let sentence = |i: usize| {
        let f = &features.lines[i];
        let prose = neutral || f.stop_density() >= PROSE_STOP_DENSITY;
        settled[i].is_open()
            && f.tokens >= CLOSING_SENTENCE_MIN_TOKENS
            && prose
            && match classes[i] {
                Class::Short => f.terminal,
                // Long enough to read as prose without a sentence end
                // (a paragraph signed off "-Reuters").
                Class::Uncertain => true,
                _ => false,
            }
    };
    let n = features.lines.len();
    let (start, mut end) = run.into_inner();
    loop {
        let next = end + 1;
        if next < n && sentence(next) {
            end = next;
        } else if next + 1 < n && !settled[next].is_open() && sentence(next + 1) {
            end = next + 1;
        } else {
            break;
        }
    }
    start..=end
}

/// [`main_run`] with the given weights; `small_page` lets every
/// sentence-like short line count its tokens.
fn heaviest_run(
    lines: &[LineFeatures],
    classes: &[Class],
    settled: &[Settled],
    small_page: bool,
) -> Option<std::ops::RangeInclusive<usize>> {
    let weight = |i: usize| -> i64 {
        let tokens = lines[i].tokens as i64;
        let junk = JUNK_PENALTY + lines[i].tokens.min(JUNK_TOKEN_CAP) as i64 / 2;
        match settled[i].verdict() {
            Some(Verdict::Keep) => return tokens,
            Some(Verdict::Drop) => return -junk,
            None => {}
        }
        match classes[i] {
            Class::Content => tokens,
            Class::Uncertain if lines[i].terminal => tokens / UNCERTAIN_SHARE,
            Class::Uncertain => 0,
            Class::Short if small_page && lines[i].terminal => tokens,
            Class::Short => -SHORT_PENALTY,
            Class::Junk(_) => -junk,
        }
    };
    // Comment-section headings split the page; the run lies within one part.
    let mut runs = Vec::new();
    let mut part_start = 0;
    for i in 0..=lines.len() {
        if i == lines.len() || lines[i].opens_comments && settled[i].is_open() {
            runs.extend(heaviest_stretch(part_start..i, weight));
            part_start = i + 1;
        }
    }
    let heaviest = runs.iter().map(|r| r.0).max()?;
    let (_, start, end) = runs
        .into_iter()
        .find(|r| r.0 as f64 >= ARTICLE_BEFORE_COMMENTS * heaviest as f64)?;
    Some(start..=end)
}

/// The stretch of `lines` with the greatest positive total weight (Kadane's
/// maximum subarray), trimmed to start and end on positive lines.
fn heaviest_stretch(
    lines: std::ops::Range<usize>,
    weight: impl Fn(usize) -> i64,
) -> Option<(i64, usize, usize)> {
    let mut best: Option<(i64, usize, usize)> = None;
    let mut sum = 0i64;
    let mut start = lines.start;
    for i in lines {
        if sum <= 0 {
            sum = 0;
            start = i;
        }
        sum += weight(i);
        if sum > 0 && best.is_none_or(|(b, _, _)| sum > b) {
            best = Some((sum, start, i));
        }
    }
    let (total, mut start, end) = best?;
    while start < end && weight(start) <= 0 {
        start += 1;
    }
    Some((total, start, end))
}

/// How much line `i` says the article is here: its tokens when it is
/// content (or kept by a rule), a share of them when it is an uncertain
/// sentence, nothing otherwise; less the share inside links.
fn content_weight(
    page: &Page,
    lines: &[LineFeatures],
    part: &std::ops::Range<usize>,
    classes: &[Class],
    settled: &[Settled],
    i: usize,
) -> f64 {
    let tokens = lines[i].tokens as f64;
    // A comment box inside an `<article>` carries both hints; its prose is
    // not the article's.
    let in_comments = page.lines[i]
        .block
        .as_ref()
        .is_some_and(|b| b.hints.has(BoilerHints::COMMENT));
    if in_comments || !part.contains(&i) {
        return 0.0;
    }
    let weight = match settled[i].verdict() {
        Some(Verdict::Keep) => tokens,
        Some(Verdict::Drop) => 0.0,
        None => match classes[i] {
            Class::Content => tokens,
            Class::Uncertain if lines[i].terminal => tokens / UNCERTAIN_SHARE as f64,
            _ => 0.0,
        },
    };
    let listed = page.lines[i].block.as_ref().is_some_and(|b| b.in_list);
    let share = if listed { LIST_ITEM_WEIGHT } else { 1.0 };
    share * weight * (1.0 - f64::from(lines[i].link_density))
}

/// The article's container on an HTML page: the deepest block element
/// holding at least [`CONTAINER_SHARE`] of the page's content weight, not
/// counting a line's own block (a paragraph is not a container) nor
/// anything outside the article's part of the page ([`article_part`]).
/// `None` for text dumps and pages without content.
fn main_container(
    page: &Page,
    lines: &[LineFeatures],
    classes: &[Class],
    settled: &[Settled],
    part: &std::ops::Range<usize>,
) -> Option<u32> {
    let mut weight_under: HashMap<u32, f64> = HashMap::new();
    let mut total = 0.0;
    for (i, line) in page.lines.iter().enumerate() {
        let Some(block) = &line.block else {
            return None;
        };
        let w = content_weight(page, lines, part, classes, settled, i);
        if w <= 0.0 {
            continue;
        }
        total += w;
        let enclosing = block.ancestors.len().saturating_sub(1);
        for &id in &block.ancestors[..enclosing] {
            *weight_under.entry(id).or_default() += w;
        }
    }
    if total <= 0.0 {
        return None;
    }
    // Ancestor chains nest, so the elements holding enough weight lie on
    // one chain; the deepest of them is the one with the highest id.
    weight_under
        .into_iter()
        .filter(|&(_, w)| w >= CONTAINER_SHARE * total)
        .map(|(id, _)| id)
        .max()
}

/// Whether the class/id names of the elements between `container` and the
/// line name a boilerplate box, the innermost name deciding (a share bar
/// inside `.entry-content` is boilerplate, `.entry-content` inside a box
/// called `main-sidebar-wrap` is not).
fn boilerplate_below(line: &crate::page::Line, container: u32) -> bool {
    let Some(block) = &line.block else {
        return false;
    };
    let Some(at) = block.ancestors.iter().position(|&id| id == container) else {
        return false;
    };
    let mut hints = 0;
    for &own in block.ancestor_hints.iter().skip(at + 1) {
        let names_content = own & BoilerHints::CONTENT != 0;
        let names_boilerplate = own & BoilerHints::REGIONS_OUTSIDE_ARTICLE != 0;
        hints = match (names_content, names_boilerplate) {
            (true, false) => (hints & !BoilerHints::REGIONS_OUTSIDE_ARTICLE) | own,
            (false, true) => (hints & !BoilerHints::CONTENT) | own,
            _ => hints | own,
        };
    }
    in_boilerplate_container(BoilerHints(hints))
}

/// The part of the page the article lies in: comment-section headings
/// split a page, and the article is the part that holds the main run, from
/// after the last heading before the run to the first heading after it.
/// The same rule the text path's run follows. On HTML the run can land in
/// the comments themselves (many long comments inside `<article>` outweigh
/// a short story); the comment boxes' own class names say so, and then a
/// heading before the run bounds nothing.
fn article_part(
    page: &Page,
    lines: &[LineFeatures],
    settled: &[Settled],
    run: Option<&std::ops::RangeInclusive<usize>>,
) -> std::ops::Range<usize> {
    let Some(run) = run else {
        return 0..lines.len();
    };
    let heading = |i: &usize| lines[*i].opens_comments && settled[*i].is_open();
    let in_comment_box = |i: usize| {
        page.lines[i]
            .block
            .as_ref()
            .is_some_and(|b| b.hints.has(BoilerHints::COMMENT))
    };
    let run_is_comments = run.clone().any(in_comment_box);
    let start = if run_is_comments {
        0
    } else {
        (0..*run.start()).rev().find(heading).map_or(0, |i| i + 1)
    };
    let end = (*run.end()..lines.len())
        .find(heading)
        .unwrap_or(lines.len());
    start..end
}

/// Which lines belong to the article when `container` holds it: the lines
/// inside it, within the article's part of the page.
fn main_lines(page: &Page, container: u32, part: &std::ops::Range<usize>) -> Vec<bool> {
    (0..page.lines.len())
        .map(|i| {
            part.contains(&i)
                && page.lines[i]
                    .block
                    .as_ref()
                    .is_some_and(|b| b.ancestors.contains(&container))
        })
        .collect()
}

/// Whether a line read from HTML is a paragraph of its own (`<p>`, not in
/// a list): inside the article's container such a line is the author's
/// even when it is all link (a source, a shop link) or reads like a list
/// of things (ingredients, names).
fn is_paragraph(line: &crate::page::Line) -> bool {
    line.block
        .as_ref()
        .is_some_and(|b| b.tag == "p" && !b.in_list)
}

/// Whether line `i` has the shape of a headline: a few words, no sentence
/// end.
fn is_headline(features: &PageFeatures, i: usize) -> bool {
    let f = &features.lines[i];
    (HEADLINE_MIN_TOKENS..=HEADLINE_MAX_TOKENS).contains(&f.tokens)
        && !f.terminal
        && f.digit_share < 0.3
}

/// The page title found, its line (if it is one of the page's lines), and
/// the other lines that repeat it.
struct Title {
    text: String,
    line: Option<usize>,
    copies: Vec<usize>,
}

/// Whether two normalized keys are the same headline: equal, or one is the
/// other plus a suffix (a site name) and holds most of it.
fn same_headline(a: &str, b: &str) -> bool {
    // Most pairs differ at once: one key is to start the other, so their
    // first bytes agree (and neither is empty, which the check below
    // rejects too).
    if a.as_bytes().first() != b.as_bytes().first() {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return false;
    }
    short == long
        || long.starts_with(short)
            && long.as_bytes().get(short.len()) == Some(&b' ')
            && short.len() as f32 >= TITLE_PREFIX_SHARE * long.len() as f32
}

/// Find the title. With a declared title (HTML), it is the first line with
/// the same headline. In a text dump it is the first headline that is
/// repeated later (dumps often hold the `<title>` and the `<h1>`), else the
/// nearest (or a much longer) headline shortly before the main run, else
/// the first line.
fn find_title(
    page: &Page,
    features: &PageFeatures,
    classes: &[Class],
    settled: &[Settled],
    run: Option<&std::ops::RangeInclusive<usize>>,
) -> Option<Title> {
    let keys = &features.keys;
    let open = |i: usize| settled[i].is_open();
    // A copy's key starts with the same byte (an empty key has no
    // copies): only those lines are compared.
    let copies_of = |line: usize, key: &str| -> Vec<usize> {
        let Some(&first) = key.as_bytes().first() else {
            return Vec::new();
        };
        keys.starting_with(first)
            .filter(|&j| j != line && open(j) && same_headline(key, &keys[j]))
            .collect()
    };
    if let Some(declared) = &page.title {
        let key = features::normalize(declared);
        let line = (0..keys.len()).find(|&i| open(i) && same_headline(&key, &keys[i]));
        let copies = line.map_or_else(Vec::new, |l| copies_of(l, &key));
        return Some(Title {
            text: declared.trim().to_string(),
            line,
            copies,
        });
    }
    let run_start = run.map_or(keys.len(), |r| *r.start());
    let candidate = |i: usize| {
        open(i)
            && is_headline(features, i)
            && matches!(
                classes[i],
                Class::Short
                    | Class::Uncertain
                    | Class::Junk(
                        ClassReason::Duplicate { .. }
                            | ClassReason::ShortLineList
                            // A long headline has a prose line's length but
                            // few stop words and no sentence end.
                            | ClassReason::NotProse
                    )
            )
    };
    let first_open = (0..keys.len()).find(|&i| open(i));
    // The first candidate with a copy just before the run, or the first
    // open line when it has a copy anywhere. Only the few lines near the
    // run are compared with each candidate, and the whole page with at
    // most two lines, so this stays linear however many candidates there
    // are.
    // The open lines near the run with their keys, for every candidate.
    let near_run: Vec<(usize, &str)> = (run_start.saturating_sub(TITLE_LOOKBACK)..=run_start)
        .filter(|&j| j < keys.len() && open(j))
        .map(|j| (j, &keys[j]))
        .collect();
    let repeated = (0..run_start).filter(|&i| candidate(i)).find_map(|i| {
        let key = &keys[i];
        let has_copy_near_run = near_run
            .iter()
            .any(|&(j, near)| j != i && same_headline(key, near));
        if has_copy_near_run || Some(i) == first_open {
            let copies = copies_of(i, key);
            (!copies.is_empty()).then_some((i, copies))
        } else {
            None
        }
    });
    let (line, copies) = match repeated {
        Some(found) => found,
        None => {
            // Lines a rule or a boilerplate pattern already took (a byline,
            // share buttons) stand between a headline and its article
            // without moving it further away.
            let counted =
                |i: usize| open(i) && classes[i] != Class::Junk(ClassReason::BoilerplatePattern);
            // A headline often closes a block of menu items; as the last
            // line of its block it is still a title candidate. A dump with
            // no paragraph breaks at all has no blocks to tell by.
            let has_breaks = page.lines.iter().any(|l| l.break_before);
            let ends_block = |i: usize| {
                !has_breaks || page.lines.get(i + 1).is_none_or(|next| next.break_before)
            };
            let before_run = (0..run_start)
                .rev()
                .filter(|&i| counted(i))
                .take(TITLE_LOOKBACK)
                .filter(|&i| {
                    // "Published 4 May | Updated 5 May": separators make
                    // a metadata line, not a headline; nor is a byline.
                    candidate(i)
                        && features.lines[i].separators == 0
                        && !features.lines[i].byline
                        && match classes[i] {
                            Class::Junk(ClassReason::ShortLineList) => ends_block(i),
                            Class::Junk(_) => false,
                            _ => true,
                        }
                })
                .reduce(|nearest, farther| {
                    let tokens = |i: usize| features.lines[i].tokens;
                    if tokens(farther) >= TITLE_LONGER_FACTOR * tokens(nearest) {
                        farther
                    } else {
                        nearest
                    }
                });
            let line = before_run.or(first_open.filter(|&i| candidate(i)))?;
            (line, copies_of(line, &keys[line]))
        }
    };
    // The shortest copy that the others extend is the headline without a
    // site-name suffix.
    let text = std::iter::once(line)
        .chain(copies.iter().copied())
        .min_by_key(|&i| keys[i].len())
        .map_or_else(String::new, |i| page.lines[i].text.clone());
    Some(Title {
        text,
        line: Some(line),
        copies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::text;

    /// Classify a text dump with no rules and render each line as
    /// `KEEP reason | text` or `DROP reason | text`.
    fn run(dump: &str) -> (Vec<String>, Option<String>) {
        let page = text::read(dump);
        let hits = vec![None; page.lines.len()];
        let classified = classify(&page, &hits);
        let rows = page
            .lines
            .iter()
            .zip(&classified.decisions)
            .map(|(l, d)| {
                let v = if d.is_keep() { "KEEP" } else { "DROP" };
                format!("{v} {} | {}", d.reason, l.text)
            })
            .collect();
        (rows, classified.title)
    }

    fn decision_of<'a>(rows: &'a [String], text: &str) -> &'a str {
        rows.iter()
            .find(|r| r.ends_with(&format!("| {text}")))
            .map(|r| r.split(" | ").next().unwrap_or(""))
            .unwrap_or("missing")
    }

    const P1: &str = "The harbour board met on Monday evening to discuss the future of the old \
                      ferry terminal, which has stood empty for more than ten years.";
    const P2: &str = "Members agreed that the building should be saved, but they could not agree \
                      on who would pay for the repairs to its roof and its glass hall.";
    const P3: &str = "A decision is expected in the spring, when the board will have the results \
                      of a survey of the building and an estimate of the costs.";

    #[test]
    fn a_short_closing_sentence_stays_with_the_article() {
        // One line a rule dropped (READ MORE: …) may stand in between.
        let dump = format!(
            "Harbour board defers decision\n\n{P1}\n\n{P2}\n\n{P3}\n\n\
             READ MORE: Ferry fares rise\n\nThe board meets again in May.\n\n\
             Home | About | Contact\n"
        );
        let page = text::read(&dump);
        let hits: Vec<Option<RuleHit>> = page
            .lines
            .iter()
            .map(|l| {
                l.text.starts_with("READ MORE").then(|| RuleHit {
                    rule_id: "generic/read-more".to_string(),
                    verdict: Verdict::Drop,
                })
            })
            .collect();
        let classified = classify(&page, &hits);
        let closing = page
            .lines
            .iter()
            .position(|l| l.text == "The board meets again in May.")
            .unwrap_or(usize::MAX);
        assert_eq!(
            classified.decisions.get(closing),
            Some(&keep(ClassReason::NearContent))
        );
        let dump = format!(
            "Harbour board defers decision\n\n{P1}\n\n{P2}\n\n{P3}\n\n\
             The board meets again in May.\n\nHome | About | Contact\n"
        );
        let (rows, _) = run(&dump);
        assert_eq!(
            decision_of(&rows, "The board meets again in May."),
            "KEEP near-content"
        );
        assert!(decision_of(&rows, "Home | About | Contact").starts_with("DROP"));
    }

    #[test]
    fn a_list_between_article_paragraphs_stays_a_list_elsewhere_goes() {
        let dump = format!(
            "Harbour board defers decision\n\n{P1}\n\n\
             What the survey covers\nThe roof\nThe glass hall\nThe quay wall\n\n\
             {P2}\n\n{P3}\n\nMore news\nTram depot to become market\nNew bus lanes\n"
        );
        let (rows, _) = run(&dump);
        for item in [
            "What the survey covers",
            "The roof",
            "The glass hall",
            "The quay wall",
        ] {
            assert!(
                decision_of(&rows, item).starts_with("KEEP"),
                "{item}: {rows:?}"
            );
        }
        for item in ["Tram depot to become market", "New bus lanes"] {
            assert!(
                decision_of(&rows, item).starts_with("DROP"),
                "{item}: {rows:?}"
            );
        }
    }

    #[test]
    fn the_headline_under_a_menu_is_the_title_past_bylines_and_share_buttons() {
        let dump = format!(
            "Harbour Notes\nHome\nArchive\nAbout\nFerry terminal saved from demolition\n\n\
             Posted on March 3, 2024 by Ann Lee\nShare on Facebook\nShare on X\nEmail\n\n\
             Published 3 March | Updated 4 March\n\n{P1}\n\n{P2}\n\n{P3}\n"
        );
        let (_, title) = run(&dump);
        assert_eq!(
            title.as_deref(),
            Some("Ferry terminal saved from demolition")
        );
    }

    #[test]
    fn a_dump_without_paragraph_breaks_still_has_a_title() {
        let dump = format!(
            "News\nSport\nWeather\nFerry terminal saved from demolition after long campaign\n\
             By Ann Lee, Transport Correspondent\nPublished 3 March | Updated 4 March\n\
             {P1}\n{P2}\n{P3}\n"
        );
        let (_, title) = run(&dump);
        assert_eq!(
            title.as_deref(),
            Some("Ferry terminal saved from demolition after long campaign")
        );
    }

    #[test]
    fn title_kept_once_and_repeats_dropped() {
        let dump = format!(
            "Ferry terminal saved from demolition\n\n\"Ferry Terminal saved from demolition!\"\n\n\
             {P1}\n\n{P2}\n\n{P3}\n"
        );
        let (rows, title) = run(&dump);
        assert_eq!(
            title.as_deref(),
            Some("Ferry terminal saved from demolition")
        );
        assert_eq!(
            decision_of(&rows, "Ferry terminal saved from demolition"),
            "KEEP title"
        );
        assert_eq!(
            decision_of(&rows, "\"Ferry Terminal saved from demolition!\""),
            "DROP duplicate-of-line-1"
        );
        assert_eq!(decision_of(&rows, P1), "KEEP content");
    }

    #[test]
    fn repeats_are_told_apart_by_their_middles() {
        // Three keys of one length with the same first and last eight
        // bytes; only the last line repeats one of them (the second).
        let dump = format!(
            "Harbour news\n\nharbour a board met\n\nharbour b board met\n\n\
             {P1}\n\n{P2}\n\nharbour c board met\n\nHarbour B board met!\n"
        );
        let (rows, _) = run(&dump);
        assert_eq!(
            decision_of(&rows, "Harbour B board met!"),
            "DROP duplicate-of-line-5"
        );
        for line in ["harbour a board met", "harbour c board met"] {
            assert!(!decision_of(&rows, line).contains("duplicate"), "{rows:?}");
        }
    }

    #[test]
    fn truncated_teaser_dropped_in_favour_of_the_full_line() {
        let teaser = &P1[..100];
        let dump = format!("Harbour news\n\n{teaser}\n\n{P1}\n\n{P2}\n");
        let (rows, _) = run(&dump);
        assert_eq!(decision_of(&rows, teaser), "DROP teaser-of-line-5");
        assert_eq!(decision_of(&rows, P1), "KEEP content");
    }

    #[test]
    fn related_headlines_and_menus_go_subheadings_stay() {
        let dump = format!(
            "Ferry terminal saved\n\nHome\nNews\nSport\n\n\
             Storm closes coastal road for a second day\n\
             Fishing fleet returns early after record season\n\
             Council defends new parking charges at the beach\n\n\
             {P1}\n\nWhat happens next for the terminal\n{P2}\n\n{P3}\n\n\
             Related stories\n\nLighthouse keeper retires after forty years\n"
        );
        let (rows, _) = run(&dump);
        assert_eq!(decision_of(&rows, "News"), "DROP short-line-list");
        assert_eq!(
            decision_of(&rows, "Storm closes coastal road for a second day"),
            "DROP short-line-list"
        );
        assert_eq!(
            decision_of(&rows, "What happens next for the terminal"),
            "KEEP near-content"
        );
        assert_eq!(decision_of(&rows, P3), "KEEP content");
        assert_eq!(
            decision_of(&rows, "Lighthouse keeper retires after forty years"),
            "DROP headline-outside-content"
        );
    }

    #[test]
    fn post_headlines_and_dates_between_posts_stay() {
        let dump = format!(
            "Archive for harbour news\n\nFerry terminal saved\n\nMarch 3rd, 2021\n\n{P1}\n\n{P2}\n\n\
             Survey ordered for the glass hall\n\nFebruary 20th, 2021\n\n{P3}\n\n\
             Leave a Reply\n\nYour name will be shown next to your comment, so choose it with some care.\n"
        );
        let (rows, title) = run(&dump);
        assert_eq!(title.as_deref(), Some("Ferry terminal saved"));
        assert_eq!(
            decision_of(&rows, "Survey ordered for the glass hall"),
            "KEEP near-content"
        );
        assert_eq!(
            decision_of(&rows, "February 20th, 2021"),
            "KEEP near-content"
        );
        assert_eq!(
            decision_of(&rows, "Leave a Reply"),
            "DROP boilerplate-pattern"
        );
    }

    #[test]
    fn prose_far_from_the_article_goes() {
        let menu: String = (1..=30).map(|i| format!("Section {i}\n")).collect();
        let comment = "I have lived by the harbour all my life and I think that the board should \
                       have made this decision years ago, before the roof fell in.";
        let dump = format!("Ferry terminal saved\n\n{P1}\n\n{P2}\n\n{P3}\n\n{menu}\n{comment}\n");
        let (rows, _) = run(&dump);
        assert_eq!(decision_of(&rows, P2), "KEEP content");
        assert_eq!(decision_of(&rows, "Section 3"), "DROP short-line-list");
        assert_eq!(decision_of(&rows, comment), "DROP outside-main-content");
    }

    #[test]
    fn comments_end_the_article() {
        let comment = "Honestly I think that the board has wasted years on this and the money \
                       would have been better spent on the harbour wall instead.";
        let dump = format!(
            "{P1}\n\n{P2}\n\n4 Responses to \u{201c}Ferry terminal saved\u{201d}\n\n\
             harbourwatcher says:\nMarch 3, 2021 at 6:12 pm\n\n{comment}\n\n{P3}\n"
        );
        let (rows, _) = run(&dump);
        assert_eq!(decision_of(&rows, P2), "KEEP content");
        assert_eq!(decision_of(&rows, comment), "DROP outside-main-content");
        assert_eq!(decision_of(&rows, P3), "DROP outside-main-content");
    }

    #[test]
    fn pages_in_other_languages_use_length_and_punctuation() {
        let para = "Kisiwa kidogo kina wakazi mia mbili ambao wanaishi kwa kuvua samaki na \
                    kulima mboga katika mashamba madogo karibu na pwani ya kusini.";
        let second = "Wavuvi hutoka alfajiri kila siku isipokuwa wakati wa dhoruba kubwa ambazo \
                      hutokea mara chache katika miezi ya mvua.";
        let dump = format!("Nyumbani\nHabari\nMichezo\n\n{para}\n\n{second}\n");
        let (rows, _) = run(&dump);
        assert_eq!(decision_of(&rows, "Habari"), "DROP short-line-list");
        assert_eq!(decision_of(&rows, para), "KEEP content");
    }

    #[test]
    fn a_page_without_long_lines_keeps_its_sentences() {
        let (rows, _) = run("Ferry update\n\nThe terminal stays shut until May.\n\nShare\n");
        assert_eq!(
            decision_of(&rows, "The terminal stays shut until May."),
            "KEEP near-content"
        );
        assert_eq!(decision_of(&rows, "Share"), "DROP boilerplate-pattern");
    }

    #[test]
    fn rule_hits_stand() {
        let dump = format!("{P1}\n\n{P2}\n");
        let page = text::read(&dump);
        let hits = vec![
            Some(RuleHit {
                rule_id: "example.org/lead".into(),
                verdict: Verdict::Drop,
            }),
            None,
        ];
        let classified = classify(&page, &hits);
        assert_eq!(
            classified.decisions[0].reason,
            Reason::Rule("example.org/lead".into())
        );
        assert!(!classified.decisions[0].is_keep());
        assert!(classified.decisions[1].is_keep());
    }

    /// Classify an HTML document with no rules: `(text, kept, reason)` per
    /// line.
    fn run_html(html: &str) -> Vec<(String, bool, String)> {
        let page = crate::page::html::read(html);
        let hits = vec![None; page.lines.len()];
        let classified = classify(&page, &hits);
        page.lines
            .iter()
            .zip(&classified.decisions)
            .map(|(l, d)| (l.text.clone(), d.is_keep(), d.reason.to_string()))
            .collect()
    }

    fn html_decision<'a>(rows: &'a [(String, bool, String)], text: &str) -> (bool, &'a str) {
        rows.iter()
            .find(|r| r.0 == text)
            .map(|r| (r.1, r.2.as_str()))
            .unwrap_or((false, "missing"))
    }

    #[test]
    fn html_article_container_keeps_its_short_lines_and_drops_the_rest() {
        let html = format!(
            "<html><body><div class=\"menu\"><p>Ferry news</p><p>Harbour diary</p></div>\
             <div id=\"story\"><h1>Ferry terminal saved</h1><p>{P1}</p>\
             <h2>Opening times</h2><p>Monday to Friday: 9 to 5</p><p>Saturday: 10 to 2</p>\
             <p>Monday to Friday: 9 to 5</p>\
             <figure><figcaption>The glass hall seen from the quay in the early morning light.</figcaption></figure>\
             <p>{P2}</p><div class=\"share-bar\"><p>Send this story to a friend today</p></div>\
             <p>{P3}</p></div>\
             <div class=\"other\"><p>Lighthouse keeper retires after forty years</p></div>\
             </body></html>"
        );
        let rows = run_html(&html);
        assert_eq!(html_decision(&rows, P2), (true, "content"));
        assert_eq!(
            html_decision(&rows, "Opening times"),
            (true, "near-content")
        );
        assert_eq!(
            html_decision(&rows, "Saturday: 10 to 2"),
            (true, "near-content")
        );
        // A repeat inside the article is the article's own.
        let repeats = rows.iter().filter(|r| r.0 == "Monday to Friday: 9 to 5");
        assert!(
            repeats.clone().count() == 2 && repeats.clone().all(|r| r.1),
            "{rows:?}"
        );
        assert_eq!(
            html_decision(
                &rows,
                "The glass hall seen from the quay in the early morning light."
            ),
            (false, "caption")
        );
        assert_eq!(
            html_decision(&rows, "Send this story to a friend today"),
            (false, "boilerplate-container")
        );
        assert!(!html_decision(&rows, "Harbour diary").0);
        assert!(!html_decision(&rows, "Lighthouse keeper retires after forty years").0);
    }

    #[test]
    fn html_a_comments_link_above_the_article_ends_nothing() {
        let html = format!(
            "<html><body><p><a href='#c'>Comments</a></p><p>{P1}</p><p>{P2}</p>\
             <p>Short line inside.</p><p>{P3}</p><h3>3 Comments</h3>\
             <p>I disagree with all of this, the board is wasting everyone's time again.</p>\
             </body></html>"
        );
        let rows = run_html(&html);
        for text in [P1, P2, "Short line inside.", P3] {
            assert!(html_decision(&rows, text).0, "{text}: {rows:?}");
        }
        assert!(
            !html_decision(
                &rows,
                "I disagree with all of this, the board is wasting everyone's time again."
            )
            .0
        );
    }

    #[test]
    fn html_comments_do_not_pull_the_container_away_from_the_article() {
        let comment = "I have lived by the harbour all my life and I think that the board \
                       should have made this decision years ago, before the roof fell in.";
        let comments: String = (0..6)
            .map(|_| format!("<li class=\"comment\"><p>{comment} {P3}</p></li>"))
            .collect();
        let html = format!(
            "<html><body><article><div><p>{P1}</p><p>{P2}</p></div>\
             <h2>6 Responses to Ferry terminal saved</h2><ol>{comments}</ol></article>\
             </body></html>"
        );
        let rows = run_html(&html);
        assert_eq!(html_decision(&rows, P1), (true, "content"));
        assert_eq!(html_decision(&rows, P2), (true, "content"));
        assert!(rows
            .iter()
            .filter(|r| r.0.starts_with("I have lived"))
            .all(|r| !r.1));
    }

    #[test]
    fn many_distinct_lines_finish_and_a_teaser_far_from_its_line_is_found() {
        // 20,000 distinct lines: compared pair by pair (as teasers and title
        // copies once were) this takes minutes; indexed, a fraction of a
        // second even unoptimized.
        let teaser = &P1[..100];
        let mut dump = format!("Council minutes for the year\n\n{teaser}\n\n");
        for i in 0..20_000 {
            dump.push_str(&format!(
                "Item {i} of the council minutes was read aloud and agreed by all.\n\n"
            ));
        }
        dump.push_str(&format!("{P1}\n\n{P2}\n"));
        let (rows, _) = run(&dump);
        assert_eq!(rows.len(), 20_004);
        // The title, a blank, the teaser, a blank, then two lines per item.
        let full_line = 5 + 2 * 20_000;
        assert_eq!(
            decision_of(&rows, teaser),
            format!("DROP teaser-of-line-{full_line}")
        );
        // A line that only shares the items' opening is no teaser.
        assert!(!decision_of(
            &rows,
            "Item 7 of the council minutes was read aloud and agreed by all."
        )
        .contains("teaser"));
    }

    #[test]
    fn teasers_are_cut_at_a_word_and_previews_must_be_longer() {
        let core = "the harbour board met on monday evening to discuss";
        let keys: Keys = [
            format!("{core} the"),
            format!("{core} th"),
            format!("{core}x more words here"),
            format!("{core} a"),
            format!("{core} the future"),
        ]
        .into_iter()
        .collect();
        let longer = first_longer_after_each(&[0, 1, 3, 4], &keys);
        assert_eq!(longer, vec![Some(4), Some(4), Some(4), None]);
        let long_core = format!("{} tail", "word ".repeat(100));
        let prefix = indexed_prefix(long_core.trim());
        assert!(prefix.len() <= TEASER_INDEX_BYTES && long_core.starts_with(prefix));
        assert_eq!(long_core.as_bytes()[prefix.len()], b' ');
        let one_word = "x".repeat(400);
        assert_eq!(indexed_prefix(&one_word), one_word);
    }

    #[test]
    fn empty_page() {
        let classified = classify(&Page::default(), &[]);
        assert!(classified.decisions.is_empty());
        assert_eq!(classified.title, None);
    }
}
