//! The one regex set a [`super::RuleSet`] matches every page's lines
//! against, whatever files the page selects.
//!
//! It holds every file's `detect` patterns and the line patterns of the
//! generic files (which run on every page), each file's patterns in one run
//! of indices. A line is matched once against it, and both file selection
//! (which files are detected) and [`super::apply`] (the generic files' match
//! bits) read those results. Site and platform files' own line patterns stay
//! out: they run only on the pages that select them, against their own
//! sets, and they may be broad (a site file may match every line; the
//! WordPress file's `^[^.!?:|]{1,60}$` matches most short lines, and in the
//! shared set it sent three lines in four on to the set's slower "which
//! patterns" search, on every page). What the shared results decide is
//! [`super::RuleSet::select`]'s and [`super::apply`]'s job.

use std::ops::Range;

use regex_syntax::hir::Hir;

use super::{load, Level, RuleFile};
use crate::page::Page;
use crate::pattern::{LinePatternSet, PatternMatches};

/// The shared set of a rule set and where each file's patterns sit in it.
#[derive(Debug, Clone)]
pub(crate) struct SharedSet {
    set: LinePatternSet,
    /// Per file (in rule-set order), the indices of its `detect` patterns.
    detect: Vec<Range<usize>>,
    /// Per file, the index of its first line pattern (its slot 0), or `None`
    /// for a site or platform file, whose line patterns are not in the set.
    line_offset: Vec<Option<usize>>,
}

impl SharedSet {
    /// The shared set of `files`, or `None` when it has no pattern or does
    /// not compile (each file then matches with its own sets, which
    /// compiled when the file was loaded, or, for a built-in file, are
    /// known to compile).
    pub fn build(files: &[RuleFile]) -> Option<SharedSet> {
        // The patterns as their files parsed them.
        let mut patterns: Vec<Hir> = Vec::new();
        let mut detect = Vec::with_capacity(files.len());
        for file in files {
            let start = patterns.len();
            if let Some(set) = &file.compiled.detect {
                patterns.extend_from_slice(set.hirs());
            }
            detect.push(start..patterns.len());
        }
        let mut line_offset = Vec::with_capacity(files.len());
        for file in files {
            if file.level != Level::Generic {
                line_offset.push(None);
            } else {
                line_offset.push(Some(patterns.len()));
                patterns.extend_from_slice(file.compiled.set.hirs());
            }
        }
        if patterns.is_empty() {
            return None;
        }
        // Every pattern compiled with this limit when its file was loaded
        // (or, for a built-in file, in the tests), so the regexes that
        // confirm a match may wait until one is needed.
        let set = LinePatternSet::from_hirs_deferred(patterns, load::SET_SIZE_LIMIT).ok()?;
        Some(SharedSet {
            set,
            detect,
            line_offset,
        })
    }

    /// The set's matches on every line of `page`.
    pub fn match_lines(&self, page: &Page) -> Vec<Option<PatternMatches>> {
        self.set
            .lines()
            .matches_each(page.lines.iter().map(|l| l.text.as_str()))
    }

    /// Per file, whether one of its `detect` patterns matches one of the
    /// lines (`lines` being [`SharedSet::match_lines`] of the page) or the
    /// page's title.
    pub fn detected(&self, page: &Page, lines: &[Option<PatternMatches>]) -> Vec<bool> {
        let title = page.title.as_deref().and_then(|t| self.set.matches(t));
        // What matched anywhere on the page, gathered once: each file's
        // range is then one look-up, not one per line.
        let page_matches = PatternMatches::union(title.iter().chain(lines.iter().flatten()));
        self.detect
            .iter()
            .map(|range| {
                !range.is_empty()
                    && page_matches
                        .as_ref()
                        .is_some_and(|m| m.any_in(range.clone()))
            })
            .collect()
    }

    /// Where the line patterns of file number `file` start in the set, if
    /// they are in it.
    pub fn line_offset(&self, file: usize) -> Option<usize> {
        self.line_offset.get(file).copied().flatten()
    }
}

/// The shared set's matches on the lines of one page, kept from
/// [`super::RuleSet::select`] to [`super::Selection::apply`].
#[derive(Debug, Clone)]
pub(crate) struct PageMatches<'a> {
    /// The rule set's files, to find a selected file's number.
    files: &'a [RuleFile],
    shared: &'a SharedSet,
    /// Per line, the set's matches.
    lines: Vec<Option<PatternMatches>>,
    /// How a page handed to [`PageMatches::on`] is known to be the page
    /// these matches are of.
    of: Of,
}

/// How [`PageMatches`] know the page they are asked about.
#[derive(Debug, Clone)]
enum Of {
    /// The texts of the lines matched, end to end, and where each ends: a
    /// page whose lines differ (a caller may change a page between
    /// selecting and applying) is matched again rather than trusted.
    Copied { text: String, ends: Vec<usize> },
    /// The caller applies the selection to the page it was made for,
    /// unchanged (the cleaner's own path): nothing to copy or compare.
    Same,
    /// The page's lines were read again and differ: matched again.
    Stale,
}

impl<'a> PageMatches<'a> {
    /// The matches `lines` on `page`, with a copy of its texts to check a
    /// page asked about against.
    pub fn new(
        files: &'a [RuleFile],
        shared: &'a SharedSet,
        page: &Page,
        lines: Vec<Option<PatternMatches>>,
    ) -> Self {
        let mut text = String::with_capacity(page.lines.iter().map(|l| l.text.len()).sum());
        let mut ends = Vec::with_capacity(page.lines.len());
        for line in &page.lines {
            text.push_str(&line.text);
            ends.push(text.len());
        }
        PageMatches {
            files,
            shared,
            lines,
            of: Of::Copied { text, ends },
        }
    }

    /// The matches `lines` on a page they will only be asked about
    /// unchanged (or after [`PageMatches::lines_changed`]).
    pub fn of_same(
        files: &'a [RuleFile],
        shared: &'a SharedSet,
        lines: Vec<Option<PatternMatches>>,
    ) -> Self {
        PageMatches {
            files,
            shared,
            lines,
            of: Of::Same,
        }
    }

    /// The page's lines were replaced by lines whose texts differ.
    pub fn lines_changed(&mut self) {
        self.of = Of::Stale;
    }

    /// Whether `page`'s lines are the lines these matches are of.
    fn is_of(&self, page: &Page) -> bool {
        let (text, ends) = match &self.of {
            Of::Copied { text, ends } => (text, ends),
            Of::Same => return true,
            Of::Stale => return false,
        };
        page.lines.len() == ends.len()
            && page
                .lines
                .iter()
                .zip(ends)
                .scan(0, |start, (line, &end)| {
                    let same = line.text == text[*start..end];
                    *start = end;
                    Some(same)
                })
                .all(|same| same)
    }

    /// Where `file`'s line patterns start in the shared set, when `file` is
    /// one of the rule set's files and its patterns are in the set.
    pub fn line_offset(&self, file: &RuleFile) -> Option<usize> {
        let number = self.files.iter().position(|f| std::ptr::eq(f, file))?;
        self.shared.line_offset(number)
    }

    /// The matches on `page`'s lines: the ones kept when `page` is the page
    /// they are of, else found now.
    pub fn on(&self, page: &Page) -> std::borrow::Cow<'_, [Option<PatternMatches>]> {
        if self.is_of(page) {
            std::borrow::Cow::Borrowed(&self.lines)
        } else {
            std::borrow::Cow::Owned(self.shared.match_lines(page))
        }
    }
}
