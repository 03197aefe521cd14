//! Rule files: their schema, loading, validation, site selection and
//! matching.
//!
//! A [`RuleSet`] holds every loaded [`RuleFile`] (built-in ones compiled into
//! the binary from `rules/`, and the user's from `--rules DIR` or
//! `DEBOIL_RULES`). For one page, [`RuleSet::select`] picks the files that
//! apply (by host, or by `detect` patterns on the page), and
//! [`Selection::apply`] matches every line once and returns one optional
//! [`RuleHit`] per line. This module never decides what the classifier
//! decides: a line no rule matched gets `None`.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::classify::Verdict;
use crate::page::Page;

/// What a rule does to the lines it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Drop,
    Keep,
    CutAfter,
    CutBefore,
    DropBlock,
}

/// How widely a file applies; also its precedence (site beats platform beats
/// generic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Site,
    Platform,
    Generic,
}

/// Where a rule file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Builtin(&'static str),
    File(PathBuf),
}

/// One loaded and validated rule file.
#[derive(Debug, Clone)]
pub struct RuleFile {
    pub name: String,
    pub origin: Origin,
    pub level: Level,
    pub hosts: Vec<String>,
}

/// A rule decision for one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleHit {
    /// The full rule id: `<file name>/<rule id>`.
    pub rule_id: String,
    pub verdict: Verdict,
}

/// A rule file that could not be loaded.
#[derive(Debug, Error)]
pub enum RuleError {
    #[error("{}: cannot read rule file: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Every loaded rule file.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    files: Vec<RuleFile>,
}

/// The rule files that apply to one page, in precedence order.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub files: Vec<&'a RuleFile>,
}

impl RuleSet {
    /// No rules at all.
    pub fn empty() -> Self {
        RuleSet::default()
    }

    /// The rule files built into the binary.
    pub fn builtin() -> Result<Self, RuleError> {
        Ok(RuleSet::default())
    }

    /// Load every `*.toml` file in `dir`.
    pub fn add_dir(&mut self, _dir: &Path) -> Result<(), RuleError> {
        Ok(())
    }

    pub fn files(&self) -> &[RuleFile] {
        &self.files
    }

    /// The files that apply to `page`, found by `host` or by detection.
    pub fn select(&self, _host: Option<&str>, _page: &Page) -> Selection<'_> {
        Selection { files: Vec::new() }
    }
}

impl Selection<'_> {
    /// The site file that applies, if any.
    pub fn site(&self) -> Option<&str> {
        self.files
            .iter()
            .find(|f| f.level == Level::Site)
            .map(|f| f.name.as_str())
    }

    /// Names of the selected files.
    pub fn names(&self) -> Vec<String> {
        self.files.iter().map(|f| f.name.clone()).collect()
    }

    /// One optional hit per line of `page`.
    pub fn apply(&self, page: &Page) -> Vec<Option<RuleHit>> {
        vec![None; page.lines.len()]
    }
}
