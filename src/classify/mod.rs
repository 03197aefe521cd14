//! The decision for every line: rule hits first, then the classifier.
//!
//! This module owns [`Decision`], [`Verdict`] and [`Reason`], and the one
//! function, [`classify`], where a line is kept or dropped. Rule files have
//! already been matched (see [`crate::rules`]); what they decided stands, and
//! the classifier decides the rest from [`features`] in a first pass and a
//! context pass.

pub mod features;

use std::fmt;

use serde::Serialize;

use crate::page::Page;
use crate::rules::RuleHit;

/// Keep or drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Keep,
    Drop,
}

/// Why the classifier decided what it decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassReason {
    /// Long, sentence-like text.
    Content,
    /// Short or uncertain, but between content lines.
    NearContent,
    /// Short or uncertain, outside the main run of content.
    ShortOutsideContent,
    /// Most of its text is link text.
    LinkDense,
    /// The same text as an earlier line.
    Duplicate { of: usize },
}

impl fmt::Display for ClassReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClassReason::Content => f.write_str("content"),
            ClassReason::NearContent => f.write_str("near-content"),
            ClassReason::ShortOutsideContent => f.write_str("short-outside-content"),
            ClassReason::LinkDense => f.write_str("link-dense"),
            ClassReason::Duplicate { of } => write!(f, "duplicate-of-line-{of}"),
        }
    }
}

/// What decided a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A rule fired; the string is its id (`suaramalaysia.com/ad-banner`).
    Rule(String),
    /// Kept as the page title.
    Title,
    /// The classifier decided.
    Classifier(ClassReason),
    /// Recurs across many pages of the same site (batch `--site-templates`).
    SiteTemplate,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Rule(id) => f.write_str(id),
            Reason::Title => f.write_str("title"),
            Reason::Classifier(c) => c.fmt(f),
            Reason::SiteTemplate => f.write_str("site-template"),
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The fate of one line, always with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub verdict: Verdict,
    pub reason: Reason,
}

impl Decision {
    pub fn keep(reason: Reason) -> Self {
        Decision {
            verdict: Verdict::Keep,
            reason,
        }
    }
    pub fn drop(reason: Reason) -> Self {
        Decision {
            verdict: Verdict::Drop,
            reason,
        }
    }
    pub fn is_keep(&self) -> bool {
        self.verdict == Verdict::Keep
    }
}

/// The classifier's output for a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    /// One decision per line of the page, in order.
    pub decisions: Vec<Decision>,
    /// The page title, when one was found.
    pub title: Option<String>,
}

/// Decide every line of `page`. `hits[i]` is the rule decision for line `i`,
/// if a rule fired.
pub fn classify(page: &Page, hits: &[Option<RuleHit>]) -> Classified {
    let decisions = page
        .lines
        .iter()
        .zip(hits)
        .map(|(_, hit)| match hit {
            Some(hit) => Decision {
                verdict: hit.verdict,
                reason: Reason::Rule(hit.rule_id.clone()),
            },
            None => Decision::keep(Reason::Classifier(ClassReason::Content)),
        })
        .collect();
    Classified {
        decisions,
        title: page.title.clone(),
    }
}
