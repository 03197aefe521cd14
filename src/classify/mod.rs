//! The decision for every line: rule hits first, then the classifier.
//!
//! This module owns [`Decision`], [`Verdict`] and [`Reason`], and the one
//! function, [`classify`], where a line is kept or dropped. Rule files have
//! already been matched (see [`crate::rules`]); what they decided stands, and
//! the classifier decides the rest from [`features`] in a first pass and a
//! context pass.

mod decide;
pub mod features;
mod line_table;
mod scan;
pub mod stopwords;

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

/// Why the classifier decided what it decided. Each reads as a kebab-case
/// phrase in `--explain` and JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassReason {
    /// Long, sentence-like text inside the main run of content.
    Content,
    /// Short or uncertain, but between content lines.
    NearContent,
    /// Short or uncertain, outside the main run of content.
    ShortOutsideContent,
    /// Shaped like a headline (a related story, a teaser), outside the main
    /// run of content.
    HeadlineOutsideContent,
    /// Prose, but away from the main run of content (comments, other
    /// stories' summaries).
    OutsideMainContent,
    /// Most of its text is link text.
    LinkDense,
    /// Opens with or consists of a generic boilerplate phrase ("Share
    /// this", "READ MORE:", "© 2024 …").
    BoilerplatePattern,
    /// Sits in an element whose class or id names a comment, sidebar,
    /// footer, share, related, ad, newsletter, navigation, tag or breadcrumb
    /// box.
    BoilerplateContainer,
    /// A figure or table caption (`<figcaption>`, `.wp-caption-text`):
    /// describes an image, not part of the article's text.
    Caption,
    /// Items joined by navigation separators (`|`, `·`, `»`).
    NavigationSeparators,
    /// One of several short, unpunctuated lines in a row: a menu or a list
    /// of headlines.
    ShortLineList,
    /// Long but without the function words and sentence ends of prose.
    NotProse,
    /// The same text (up to punctuation, quotes and case) as line `of`.
    Duplicate { of: usize },
    /// A truncated copy of the start of line `of`.
    Teaser { of: usize },
}

impl fmt::Display for ClassReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            ClassReason::Content => "content",
            ClassReason::NearContent => "near-content",
            ClassReason::ShortOutsideContent => "short-outside-content",
            ClassReason::HeadlineOutsideContent => "headline-outside-content",
            ClassReason::OutsideMainContent => "outside-main-content",
            ClassReason::LinkDense => "link-dense",
            ClassReason::BoilerplatePattern => "boilerplate-pattern",
            ClassReason::BoilerplateContainer => "boilerplate-container",
            ClassReason::Caption => "caption",
            ClassReason::NavigationSeparators => "navigation-separators",
            ClassReason::ShortLineList => "short-line-list",
            ClassReason::NotProse => "not-prose",
            ClassReason::Duplicate { of } => return write!(f, "duplicate-of-line-{of}"),
            ClassReason::Teaser { of } => return write!(f, "teaser-of-line-{of}"),
        };
        f.write_str(name)
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
/// if a rule fired; a rule's verdict always stands.
///
/// The steps, in order (the thresholds and their reasons are in `decide.rs`):
/// 1. features of every line ([`features::page_features`]), with the
///    page's language picked from [`stopwords`];
/// 2. a first pass that sorts each undecided line into content, uncertain,
///    short or junk (with the junk's reason);
/// 3. truncated teasers, which go in favour of the full line;
/// 4. the main run of content: the stretch of lines where content
///    outweighs junk most, ending at a comment section;
/// 5. on HTML, the article's container: the deepest element holding 3/4 of
///    the content weight; its lines (up to a comment heading) replace the
///    run, judged by the class/id names below the container only, with
///    captions dropped and repeats, teasers and not-prose paragraphs kept;
/// 6. repeats, which keep the copy inside the run (or the container);
/// 7. the title: a headline at the top, usually repeated before the run;
/// 8. the context pass: content, uncertain and short lines inside the run
///    stay, everything outside it goes.
pub fn classify(page: &Page, hits: &[Option<RuleHit>]) -> Classified {
    decide::classify(page, hits)
}
