//! deboil strips boilerplate from scraped web pages and keeps the article.
//!
//! The path of a page: bytes are [`decode`]d to text, read into a [`Page`] of
//! [`Line`]s ([`page`]), matched against the selected rule files
//! ([`rules`]), decided line by line ([`classify`]) and rendered
//! ([`render`]). [`Cleaner`] runs that path; [`batch`] runs it over a
//! directory tree; [`eval`] scores it against gold article bodies.
//!
//! ```
//! use deboil::{Cleaner, Options};
//! let cleaner = Cleaner::builtin().unwrap();
//! let page = "A headline\n\nA long enough paragraph of article text, with words, ends here.\n";
//! let cleaned = cleaner.clean_str(page, &Options::default());
//! assert!(cleaned.text().contains("article text"));
//! ```

pub mod batch;
pub mod classify;
pub mod decode;
pub mod eval;
pub mod learn;
pub mod page;
pub mod pattern;
pub mod render;
pub mod rules;
pub mod stream;
pub mod warc;

use serde::Serialize;
use thiserror::Error;

pub use classify::{ClassReason, Decision, Reason, Verdict};
pub use decode::DecodeError;
pub use page::{InputKind, Line, Page};
pub use rules::{RuleError, RuleSet};

/// How to clean one page.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How to read the input.
    pub input: InputKind,
    /// The page's URL: its host picks the site rule file.
    pub url: Option<String>,
    /// A host name that picks the site rule file, when no URL is known.
    pub site: Option<String>,
    /// Leave the title out of the text.
    pub body_only: bool,
}

/// Why a page could not be cleaned.
#[derive(Debug, Error)]
pub enum CleanError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// A cleaned page: every line with its decision, and what was learned.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleaned {
    /// The page's lines, in order.
    pub lines: Vec<Line>,
    /// One decision per line.
    pub decisions: Vec<Decision>,
    /// The page title, when one was found.
    pub title: Option<String>,
    /// The site rule file that applied, if any.
    pub site: Option<String>,
    /// Names of every rule file that applied.
    pub rules_used: Vec<String>,
    /// Whether the title is left out of [`Cleaned::text`].
    pub body_only: bool,
}

/// A dropped line, for reports.
#[derive(Debug, Clone, Serialize)]
pub struct Dropped<'a> {
    pub line: usize,
    pub text: &'a str,
    pub reason: &'a Reason,
}

impl Cleaned {
    /// The cleaned article as text: the title (unless body-only), a blank
    /// line, then the kept lines with the input's paragraph breaks.
    pub fn text(&self) -> String {
        render::text(self)
    }

    /// The lines that were dropped, with their reasons.
    pub fn dropped(&self) -> impl Iterator<Item = Dropped<'_>> {
        self.lines
            .iter()
            .zip(&self.decisions)
            .filter(|(_, d)| !d.is_keep())
            .map(|(l, d)| Dropped {
                line: l.number,
                text: &l.text,
                reason: &d.reason,
            })
    }
}

/// Cleans pages with one rule set.
#[derive(Debug, Clone)]
pub struct Cleaner {
    rules: RuleSet,
    max_bytes: u64,
    /// The HTML attributes the reader and the rules' selectors read; the
    /// parser is not given the others.
    kept: page::html::KeptAttributes,
}

impl Cleaner {
    /// A cleaner with the given rules and the default size limit
    /// ([`decode::DEFAULT_MAX_BYTES`]).
    pub fn new(rules: RuleSet) -> Self {
        let mut kept = page::html::KeptAttributes::reader();
        for rule in rules.files().iter().flat_map(|f| &f.rules) {
            if let Some(selector) = &rule.selector {
                kept.add_selector(selector);
            }
        }
        Cleaner {
            rules,
            max_bytes: decode::DEFAULT_MAX_BYTES,
            kept,
        }
    }

    /// Refuse input larger than `max_bytes` (after gzip decompression).
    pub fn with_max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// The largest input this cleaner accepts, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// A cleaner with the built-in rule files only.
    pub fn builtin() -> Result<Self, RuleError> {
        Ok(Cleaner::new(RuleSet::builtin()?))
    }

    /// The rules this cleaner uses.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Decode and clean raw bytes.
    pub fn clean_bytes(&self, bytes: &[u8], options: &Options) -> Result<Cleaned, CleanError> {
        self.clean_bytes_hinted(bytes, options, None)
    }

    /// Decode and clean raw bytes; `hints` marks site-template lines (see
    /// [`learn::LineHints`]), which are dropped with reason `site-template`
    /// unless a rule decided them.
    pub fn clean_bytes_hinted(
        &self,
        bytes: &[u8],
        options: &Options,
        hints: Option<&dyn learn::LineHints>,
    ) -> Result<Cleaned, CleanError> {
        let decoded = decode::decode_limited(bytes, None, self.max_bytes)?;
        Ok(self.clean_str_hinted(&decoded.text, options, hints))
    }

    /// Clean text that is already decoded.
    pub fn clean_str(&self, text: &str, options: &Options) -> Cleaned {
        self.clean_str_hinted(text, options, None)
    }

    /// [`Cleaner::clean_str`] with site-template hints.
    pub fn clean_str_hinted(
        &self,
        text: &str,
        options: &Options,
        hints: Option<&dyn learn::LineHints>,
    ) -> Cleaned {
        let kind = match options.input {
            InputKind::Auto => page::sniff(text),
            kind => kind,
        };
        if kind == InputKind::Html {
            let document = page::html::HtmlDocument::parse_keeping(text, &self.kept);
            return self.clean_html_hinted(&document, options, hints);
        }
        self.clean_page_hinted(page::text::read(text), options, hints)
    }

    /// Clean a parsed HTML document. The document is parsed once: its lines
    /// are read, the rule files are selected (by URL or by detection), and
    /// only when the selected files carry CSS-selector rules are the lines
    /// read again with those selectors marked.
    pub fn clean_html(&self, document: &page::html::HtmlDocument, options: &Options) -> Cleaned {
        self.clean_html_hinted(document, options, None)
    }

    fn clean_html_hinted(
        &self,
        document: &page::html::HtmlDocument,
        options: &Options,
        hints: Option<&dyn learn::LineHints>,
    ) -> Cleaned {
        let mut page = document.to_page(&[]);
        let host = self.host(&page, options);
        let mut selection = self.rules.select_unchanged(host.as_deref(), &page);
        let selectors = selection.selectors();
        if !selectors.is_empty() {
            let before = std::mem::replace(&mut page.lines, document.lines(&selectors));
            let same = before.len() == page.lines.len()
                && before
                    .iter()
                    .zip(&page.lines)
                    .all(|(a, b)| a.text == b.text);
            if !same {
                selection.lines_changed();
            }
        }
        self.finish(page, host.as_deref(), &selection, options, hints)
    }

    /// Clean a page that is already read into lines.
    pub fn clean_page(&self, page: Page, options: &Options) -> Cleaned {
        self.clean_page_hinted(page, options, None)
    }

    /// [`Cleaner::clean_page`] with site-template hints.
    pub fn clean_page_hinted(
        &self,
        page: Page,
        options: &Options,
        hints: Option<&dyn learn::LineHints>,
    ) -> Cleaned {
        let host = self.host(&page, options);
        // Applied below to this page, which nothing changes in between.
        let selection = self.rules.select_unchanged(host.as_deref(), &page);
        self.finish(page, host.as_deref(), &selection, options, hints)
    }

    /// The host that picks the site rule file: `--url`, else the page's own
    /// URL, else `--site`.
    fn host(&self, page: &Page, options: &Options) -> Option<String> {
        options
            .url
            .as_deref()
            .or(page.url.as_deref())
            .and_then(host_of)
            .or_else(|| options.site.as_deref().map(normalize_host))
    }

    fn finish(
        &self,
        page: Page,
        host: Option<&str>,
        selection: &rules::Selection<'_>,
        options: &Options,
        hints: Option<&dyn learn::LineHints>,
    ) -> Cleaned {
        let mut hits = selection.apply(&page);
        if let Some(hints) = hints {
            // Template lines go to the classifier as rule drops (so its
            // context pass sees them gone), under an id no rule file can
            // have (rule ids always contain `/`), renamed below.
            let template = hints.template_lines(&page, host, selection.site());
            for (hit, is_template) in hits.iter_mut().zip(template) {
                if is_template && hit.is_none() {
                    *hit = Some(rules::RuleHit {
                        rule_id: SITE_TEMPLATE_HIT.to_string(),
                        verdict: Verdict::Drop,
                    });
                }
            }
        }
        let classified = classify::classify(&page, &hits);
        let mut decisions = classified.decisions;
        if hints.is_some() {
            for decision in &mut decisions {
                if matches!(&decision.reason, Reason::Rule(id) if id == SITE_TEMPLATE_HIT) {
                    decision.reason = Reason::SiteTemplate;
                }
            }
        }
        Cleaned {
            site: selection.site().map(str::to_string),
            rules_used: selection.names(),
            lines: page.lines,
            decisions,
            title: classified.title,
            body_only: options.body_only,
        }
    }
}

/// The rule id under which site-template lines pass through the classifier.
const SITE_TEMPLATE_HIT: &str = "site-template";

/// The host of a URL, lower-cased, without `www.` and port.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next()?;
    if host.is_empty() {
        None
    } else {
        Some(normalize_host(host))
    }
}

/// Lower-case a host name and drop a leading `www.`.
pub fn normalize_host(host: &str) -> String {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    host.strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_from_urls() {
        assert_eq!(
            host_of("https://www.Express.co.uk/news/1").as_deref(),
            Some("express.co.uk")
        );
        assert_eq!(
            host_of("http://user@example.com:8080/x").as_deref(),
            Some("example.com")
        );
        assert_eq!(host_of("example.com").as_deref(), Some("example.com"));
        assert_eq!(host_of("https:///nothing"), None);
    }
}
