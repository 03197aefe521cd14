//! Matching the selected rule files against the lines of one page, and
//! resolving which rule decides each line.
//!
//! The match bits come from [`LinePatternSet`]s: a selection made by
//! [`super::RuleSet::select`] carries the rule set's shared set's matches on
//! every line (all generic files' patterns, each file at its offset in the
//! set); only a selected site or platform file's own set, or a file outside
//! the rule set (a file checked on its own), is matched here, once per line.
//! The rules then read those match bits (their own line's, and the
//! neighbours' for `followed_by`/`preceded_by`); a rule without a selector
//! is only tried on the lines its own pattern matched, gathered per pattern
//! once for the file. Region actions (`cut-after`, `cut-before`,
//! `drop-block`) turn into drop candidates for every line they
//! cover. Per line the candidate with the best key wins: the lowest level
//! (site, then platform, then generic), then `keep` before `drop`, then the
//! first in file and rule order. Running a file's own examples lives here
//! too, since it is the same code on a tiny page.
//!
//! [`LinePatternSet`]: crate::pattern::LinePatternSet

use super::{Action, Example, Expect, Level, Rule, RuleFile, RuleHit, Selection};
use crate::classify::Verdict;
use crate::page::{Line, Page};
use crate::pattern::PatternMatches;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    level: Level,
    /// 0 for keep, 1 for drop.
    verdict_rank: u8,
    /// Offer order: file order, then rule order.
    seq: usize,
}

struct Candidate<'a> {
    key: Key,
    file: &'a str,
    rule: &'a str,
    verdict: Verdict,
}

/// The match bits of one file over a page.
struct FileMatches<'m, 'p> {
    /// Per line, the matches of a set holding the file's patterns; `None`
    /// when none of the set's patterns matched (most lines).
    lines: &'m [Option<PatternMatches>],
    /// Where the file's slot 0 is in that set.
    offset: usize,
    /// Per slot of the file, the lines its pattern matched, in order: a
    /// rule without a selector fires only on its own pattern's lines, which
    /// are gathered here once, not looked for among every matched line
    /// once per rule.
    by_slot: Vec<Vec<usize>>,
    page: &'p Page,
    /// Offset of this file's selectors in the selection's selector list.
    selector_offset: usize,
}

impl FileMatches<'_, '_> {
    fn is(&self, slot: Option<usize>, line: usize) -> bool {
        slot.is_some_and(|s| self.matched(s, line))
    }

    fn matched(&self, slot: usize, line: usize) -> bool {
        self.lines[line]
            .as_ref()
            .is_some_and(|m| m.matched(self.offset + slot))
    }

    fn selector_hit(&self, slot: Option<usize>, line: usize) -> bool {
        let Some(s) = slot else { return false };
        let wanted = (self.selector_offset + s) as u64;
        self.page.lines[line]
            .block
            .as_ref()
            .is_some_and(|b| b.selector_hits.iter().any(|&h| u64::from(h) == wanted))
    }

    /// The lines `rule` fires on, in order (found as they are asked for:
    /// most rules fire on none, and a region rule needs only one).
    fn firing<'r>(&'r self, rule: &'r Rule) -> impl Iterator<Item = usize> + 'r {
        // A rule with a selector may fire on any line; one without, only
        // on its own pattern's.
        let (every, own) = if rule.slots.selector.is_some() {
            (0..self.lines.len(), &[][..])
        } else {
            let own = rule
                .slots
                .pattern
                .map_or(&[][..], |slot| &self.by_slot[slot][..]);
            (0..0, own)
        };
        every
            .chain(own.iter().copied())
            .filter(move |&i| self.fires(rule, i))
    }

    /// Whether `rule`'s own line conditions (match or selector, neighbours)
    /// hold on `line`.
    fn fires(&self, rule: &Rule, line: usize) -> bool {
        let n = self.lines.len();
        let matched =
            self.is(rule.slots.pattern, line) || self.selector_hit(rule.slots.selector, line);
        if !matched {
            return false;
        }
        if let Some(slot) = rule.slots.followed_by {
            let last = (line + rule.within).min(n.saturating_sub(1));
            if !(line + 1..=last).any(|j| self.matched(slot, j)) {
                return false;
            }
        }
        if let Some(slot) = rule.slots.preceded_by {
            let first = line.saturating_sub(rule.within);
            if !(first..line).any(|j| self.matched(slot, j)) {
                return false;
            }
        }
        true
    }
}

/// Per slot of a file whose `slots` patterns sit from `offset` on in the
/// set matched as `lines`, the lines the slot's pattern matched, in order.
fn by_slot(lines: &[Option<PatternMatches>], offset: usize, slots: usize) -> Vec<Vec<usize>> {
    let mut by_slot = vec![Vec::new(); slots];
    for (line, matches) in lines.iter().enumerate() {
        let Some(matches) = matches else { continue };
        for index in matches.iter() {
            if let Some(lines) = index.checked_sub(offset).and_then(|s| by_slot.get_mut(s)) {
                lines.push(line);
            }
        }
    }
    by_slot
}

impl<'a> Selection<'a> {
    /// The CSS selectors of the selected files' rules, in order; a line read
    /// from HTML lists in `selector_hits` the indices of those whose element
    /// contains it.
    pub fn selectors(&self) -> Vec<&'a scraper::Selector> {
        self.files
            .iter()
            .flat_map(|f| f.compiled.selectors.iter())
            .collect()
    }

    /// One optional hit per line of `page`.
    pub fn apply(&self, page: &Page) -> Vec<Option<RuleHit>> {
        let n = page.lines.len();
        let mut best: Vec<Option<Candidate<'a>>> = (0..n).map(|_| None).collect();
        let mut seq = 0usize;
        let mut selector_offset = 0usize;
        // The shared matches, looked up when a file first needs them.
        let shared_lines = std::cell::OnceCell::new();
        for file in &self.files {
            let own: Vec<Option<PatternMatches>>;
            let in_shared = self
                .shared
                .as_ref()
                .and_then(|s| Some((s, s.line_offset(file)?)));
            let (lines, offset) = match in_shared {
                Some((s, offset)) => (&shared_lines.get_or_init(|| s.on(page))[..], offset),
                None => {
                    own = file
                        .compiled
                        .set
                        .get()
                        .lines()
                        .matches_each(page.lines.iter().map(|l| l.text.as_str()));
                    (&own[..], 0)
                }
            };
            let matches = FileMatches {
                lines,
                offset,
                by_slot: by_slot(lines, offset, file.compiled.set.hirs().len()),
                page,
                selector_offset,
            };
            selector_offset += file.compiled.selectors.len();
            for rule in &file.rules {
                seq += 1;
                let mut offer = |line: usize, verdict: Verdict| {
                    let key = Key {
                        level: file.level,
                        verdict_rank: u8::from(verdict == Verdict::Drop),
                        seq,
                    };
                    if best[line].as_ref().is_none_or(|b| key < b.key) {
                        best[line] = Some(Candidate {
                            key,
                            file: &file.name,
                            rule: &rule.id,
                            verdict,
                        });
                    }
                };
                match rule.action {
                    Action::Drop | Action::Keep => {
                        let verdict = if rule.action == Action::Keep {
                            Verdict::Keep
                        } else {
                            Verdict::Drop
                        };
                        for line in matches.firing(rule) {
                            offer(line, verdict);
                        }
                    }
                    Action::CutAfter => {
                        if let Some(marker) = matches.firing(rule).last() {
                            for line in marker..n {
                                offer(line, Verdict::Drop);
                            }
                        }
                    }
                    Action::CutBefore => {
                        if let Some(marker) = matches.firing(rule).next() {
                            for line in 0..=marker {
                                offer(line, Verdict::Drop);
                            }
                        }
                    }
                    Action::DropBlock => {
                        // The first line not yet covered by a block.
                        let mut next = 0;
                        for line in matches.firing(rule) {
                            if line < next {
                                continue;
                            }
                            let last = (line + rule.max_lines).min(n - 1);
                            let end = (line + 1..=last).find(|&j| matches.is(rule.slots.end, j));
                            let stop = end.unwrap_or(line);
                            for covered in line..=stop {
                                offer(covered, Verdict::Drop);
                            }
                            next = stop + 1;
                        }
                    }
                }
            }
        }
        // Most lines have no hit: all are written as none at once, which
        // costs less than mapping each candidate in place, and only the
        // hits are built.
        let mut hits: Vec<Option<RuleHit>> = vec![None; n];
        for (hit, c) in hits.iter_mut().zip(&best) {
            if let Some(c) = c {
                *hit = Some(RuleHit {
                    // Joined by hand: `format!` costs several times more.
                    rule_id: [c.file, "/", c.rule].concat(),
                    verdict: c.verdict,
                });
            }
        }
        hits
    }
}

/// Why an example of a rule file failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The example, as written in the file.
    pub example: Example,
    /// What the file's rules decided: the verdict and the full rule id, or
    /// `None` when no rule fired.
    pub got: Option<RuleHit>,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let want = match (&self.example.expect, &self.example.rule) {
            (Expect::NoRule, _) => "no rule".to_string(),
            (e, Some(rule)) => format!("{} by rule `{rule}`", e.name()),
            (e, None) => e.name().to_string(),
        };
        let got = match &self.got {
            None => "no rule fired".to_string(),
            Some(hit) => format!(
                "{} by `{}`",
                if hit.verdict == Verdict::Keep {
                    "keep"
                } else {
                    "drop"
                },
                hit.rule_id
            ),
        };
        write!(
            f,
            "example {:?}: expected {want}, got {got}",
            self.example.line
        )
    }
}

impl RuleFile {
    /// Run every example of this file against this file's rules alone;
    /// returns the examples that failed.
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        self.examples
            .iter()
            .filter_map(|example| {
                let got = self.decide_example(example);
                let ok = match (&example.expect, &got) {
                    (Expect::NoRule, None) => true,
                    (Expect::Keep, Some(hit)) => hit.verdict == Verdict::Keep,
                    (Expect::Drop, Some(hit)) => hit.verdict == Verdict::Drop,
                    _ => false,
                } && match (&example.rule, &got) {
                    (Some(rule), Some(hit)) => hit.rule_id == format!("{}/{rule}", self.name),
                    _ => true,
                };
                (!ok).then(|| ExampleFailure {
                    example: example.clone(),
                    got,
                })
            })
            .collect()
    }

    fn decide_example(&self, example: &Example) -> Option<RuleHit> {
        let texts = example
            .before
            .iter()
            .chain(std::iter::once(&example.line))
            .chain(&example.after);
        let lines = texts
            .enumerate()
            .map(|(i, text)| Line {
                number: i + 1,
                text: text.clone(),
                break_before: i > 0,
                block: None,
            })
            .collect();
        let page = Page {
            lines,
            ..Page::default()
        };
        let selection = Selection::new(vec![self]);
        selection.apply(&page).swap_remove(example.before.len())
    }
}
