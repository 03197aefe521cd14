//! Learning a site's template from many of its pages.
//!
//! Pages of one site share a template (masthead, menus, ad slots, a
//! "Related articles" tail, a newsletter box, a footer) and differ in their
//! article. This module finds the template from the pages themselves:
//! [`normalize`] turns each line into a shape (digits, dates, counts and
//! spacing normalized), [`model`] decides which shapes are template (share of
//! pages, position, neighbours; the thresholds and their reasons are there),
//! and then either
//! - [`rulefile`] writes a reviewable rule file (`deboil rules learn`), or
//! - [`SiteTemplates`] keeps one compact model per site of a batch and tells
//!   the cleaner which lines are template (`deboil batch --site-templates`),
//!   through the [`LineHints`] hook.
//!
//! It does not read directories or print: the binary and [`crate::batch`] do.

pub mod model;
pub mod normalize;
pub mod rulefile;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::page::{InputKind, Page};
use crate::{Cleaner, Options};
pub use model::Model;
pub use normalize::{LineKey, Shape};
pub use rulefile::{
    learn_rule_file, LearnError, LearnOptions, LearnedFile, PageRemoval, SourcePage,
};

/// Lines to drop as site template, decided outside the rule files. The
/// cleaner asks once per page, after the rule files matched; a line a rule
/// decided keeps the rule's decision.
pub trait LineHints: Sync {
    /// For each line of `page`, whether it is site template. `host` is the
    /// page's host (from the URL), `site` the site rule file selected for it.
    fn template_lines(&self, page: &Page, host: Option<&str>, site: Option<&str>) -> Vec<bool>;
}

/// The keys of a page's lines.
pub fn page_keys(page: &Page) -> Vec<LineKey> {
    page.lines.iter().map(|l| normalize::key(&l.text)).collect()
}

/// How many lines at each end of a text dump may hold its site signature
/// (a masthead or a footer line): enough to pass a skip link and a menu.
const SIGNATURE_EDGE_LINES: usize = 8;

/// What puts pages of a batch in one group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupKey {
    /// The host of the page's own URL (HTML canonical link or `og:url`).
    Host(String),
    /// The site rule file that detected the page.
    Site(String),
    /// For text dumps with neither: the line (shape) near the top or bottom
    /// that the most pages of the batch share.
    Signature(LineKey),
}

impl std::fmt::Display for GroupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GroupKey::Host(h) => write!(f, "host {h}"),
            GroupKey::Site(s) => write!(f, "rule file {s}"),
            GroupKey::Signature(k) => write!(f, "text signature {:016x}", k.0),
        }
    }
}

/// One learned group of a batch, for the run summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSummary {
    pub group: String,
    pub pages: usize,
    pub template_shapes: usize,
    pub has_tail: bool,
}

/// The site templates of a batch: one compact [`Model`] per group of pages
/// from the same site. Learning reads every page once and keeps, until its
/// group is learned, only the pages' line keys (8 bytes a line); after that
/// only the models stay.
#[derive(Debug, Clone, Default)]
pub struct SiteTemplates {
    models: HashMap<GroupKey, Model>,
    /// Signature shapes of text-dump groups, with how many pages share them.
    signatures: HashMap<LineKey, usize>,
}

/// The host that picks a page's site: `--url`, else the page's own URL,
/// else `--site` (as [`Cleaner`] picks it).
fn page_host(page: &Page, options: &Options) -> Option<String> {
    options
        .url
        .as_deref()
        .or(page.url.as_deref())
        .and_then(crate::host_of)
        .or_else(|| options.site.as_deref().map(crate::normalize_host))
}

/// The distinct keys near either end of a page.
fn edge_keys(keys: &[LineKey]) -> Vec<LineKey> {
    let n = keys.len();
    let mut edge: Vec<LineKey> = keys[..n.min(SIGNATURE_EDGE_LINES)]
        .iter()
        .chain(&keys[n.saturating_sub(SIGNATURE_EDGE_LINES)..])
        .copied()
        .collect();
    edge.sort();
    edge.dedup();
    edge
}

/// The signature of a text dump: its first line when that line starts at
/// least [`model::MIN_SITE_PAGES`] pages (a masthead is the most
/// site-specific line there is), else its last line (a copyright footer),
/// else its edge shape that the most pages share. `count` says how many
/// pages offer a shape (`None`: not a signature).
fn signature(keys: &[LineKey], count: impl Fn(LineKey) -> Option<usize>) -> Option<LineKey> {
    let enough = |k: &LineKey| count(*k).is_some_and(|c| c >= model::MIN_SITE_PAGES);
    if let Some(first) = keys.first().filter(|k| enough(k)) {
        return Some(*first);
    }
    if let Some(last) = keys.last().filter(|k| enough(k)) {
        return Some(*last);
    }
    edge_keys(keys)
        .into_iter()
        .filter(enough)
        .filter_map(|k| count(k).map(|c| (c, std::cmp::Reverse(k))))
        .max()
        .map(|(_, std::cmp::Reverse(k))| k)
}

impl SiteTemplates {
    /// Learn the templates of the pages at `paths` (read and decoded like
    /// the cleaning pass reads them; unreadable pages are left to that pass
    /// to report). Pages are grouped by host, else by detected site rule
    /// file, else (text dumps) by signature; groups of fewer than
    /// [`model::MIN_SITE_PAGES`] pages learn nothing.
    pub fn learn(cleaner: &Cleaner, paths: &[PathBuf], options: &Options) -> SiteTemplates {
        enum Seen {
            Grouped(GroupKey),
            Unresolved,
        }
        let read: Vec<(Seen, Vec<LineKey>)> = paths
            .par_iter()
            .filter_map(|path| {
                // Only the page's lines outlive this block.
                let page = {
                    let bytes = std::fs::read(path).ok()?;
                    let decoded = crate::decode::decode(&bytes).ok()?;
                    Page::read(&decoded.text, options.input)
                };
                let keys = page_keys(&page);
                let host = page_host(&page, options);
                let seen = match &host {
                    Some(h) => Seen::Grouped(GroupKey::Host(h.clone())),
                    None => match cleaner.rules().select(None, &page).site() {
                        Some(site) => Seen::Grouped(GroupKey::Site(site.to_string())),
                        None => Seen::Unresolved,
                    },
                };
                Some((seen, keys))
            })
            .collect();

        // Text dumps without host or site file: count the edge shapes each
        // page offers, then group every page under its signature.
        let mut edge_counts: HashMap<LineKey, usize> = HashMap::new();
        for (seen, keys) in &read {
            if matches!(seen, Seen::Unresolved) {
                for key in edge_keys(keys) {
                    *edge_counts.entry(key).or_default() += 1;
                }
            }
        }
        let mut groups: HashMap<GroupKey, Vec<Vec<LineKey>>> = HashMap::new();
        let mut signatures: HashMap<LineKey, usize> = HashMap::new();
        for (seen, keys) in read {
            let group = match seen {
                Seen::Grouped(group) => group,
                Seen::Unresolved => match signature(&keys, |k| edge_counts.get(&k).copied()) {
                    Some(key) => {
                        signatures.insert(key, edge_counts[&key]);
                        GroupKey::Signature(key)
                    }
                    None => continue,
                },
            };
            groups.entry(group).or_default().push(keys);
        }
        let models = groups
            .into_par_iter()
            .map(|(group, pages)| {
                let model = Model::learn(&pages);
                (group, model)
            })
            .filter(|(_, model)| !model.is_empty())
            .collect();
        SiteTemplates { models, signatures }
    }

    /// The learned groups, largest first.
    pub fn groups(&self) -> Vec<GroupSummary> {
        let mut out: Vec<(GroupSummary, &GroupKey)> = self
            .models
            .iter()
            .map(|(group, model)| {
                (
                    GroupSummary {
                        group: group.to_string(),
                        pages: model.pages,
                        template_shapes: model.lines.len(),
                        has_tail: model.cut_after.is_some(),
                    },
                    group,
                )
            })
            .collect();
        out.sort_by(|a, b| b.0.pages.cmp(&a.0.pages).then(a.1.cmp(b.1)));
        out.into_iter().map(|(s, _)| s).collect()
    }

    /// The group a page belongs to, as [`SiteTemplates::learn`] grouped it.
    fn group_of(
        &self,
        keys: &[LineKey],
        host: Option<&str>,
        site: Option<&str>,
    ) -> Option<GroupKey> {
        if let Some(host) = host {
            return Some(GroupKey::Host(host.to_string()));
        }
        if let Some(site) = site {
            return Some(GroupKey::Site(site.to_string()));
        }
        signature(keys, |k| self.signatures.get(&k).copied()).map(GroupKey::Signature)
    }
}

impl LineHints for SiteTemplates {
    fn template_lines(&self, page: &Page, host: Option<&str>, site: Option<&str>) -> Vec<bool> {
        let keys = page_keys(page);
        self.group_of(&keys, host, site)
            .and_then(|g| self.models.get(&g))
            .map_or_else(|| vec![false; keys.len()], |m| m.drops(&keys))
    }
}

/// Read one page's bytes for learning: decoded (gzip, charset) and read as
/// `input` (sniffed when `Auto`).
pub fn read_page(bytes: &[u8], input: InputKind) -> Result<Page, crate::DecodeError> {
    let decoded = crate::decode::decode(bytes)?;
    Ok(Page::read(&decoded.text, input))
}
