//! The rule file schema as it is written in TOML, with the byte spans of the
//! values that validation may have to point at.
//!
//! This module only describes the shape of a file (and rejects unknown keys
//! and unknown values through serde). Checking what serde cannot check
//! (regexes, duplicate ids, keys that only make sense for one action) is
//! [`super::load`]'s job.

use serde::Deserialize;
use toml::Spanned;

/// A whole rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileSchema {
    /// What the file is for, in a sentence (shown nowhere but the file).
    #[serde(default)]
    #[allow(dead_code)]
    pub description: Option<String>,
    /// `site` (the default), `platform` or `generic`.
    #[serde(default)]
    pub level: Option<Spanned<LevelName>>,
    /// Host names the file applies to (subdomains included).
    #[serde(default)]
    pub hosts: Vec<Spanned<String>>,
    /// Regexes that recognize the site or platform from the page's lines.
    #[serde(default)]
    pub detect: Vec<Spanned<String>>,
    /// The rules, as `[[rule]]` tables.
    #[serde(default, rename = "rule")]
    pub rules: Vec<Spanned<RuleSchema>>,
    /// The examples, as `[[example]]` tables.
    #[serde(default, rename = "example")]
    pub examples: Vec<Spanned<ExampleSchema>>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum LevelName {
    Site,
    Platform,
    Generic,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ActionName {
    Drop,
    Keep,
    CutAfter,
    CutBefore,
    DropBlock,
}

/// One `[[rule]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub(crate) struct RuleSchema {
    pub id: Spanned<String>,
    pub action: Spanned<ActionName>,
    /// The regex a line must match (searched anywhere in the line; anchor
    /// with `^…$`).
    #[serde(default, rename = "match")]
    pub pattern: Option<Spanned<String>>,
    /// A CSS selector: the rule fires on every block inside a matching
    /// element (HTML input only).
    #[serde(default)]
    pub selector: Option<Spanned<String>>,
    /// `drop-block` only: the regex of the block's last line.
    #[serde(default)]
    pub end: Option<Spanned<String>>,
    /// `drop-block` only: the most lines the block may span after its first
    /// line (default 30).
    #[serde(default)]
    pub max_lines: Option<Spanned<i64>>,
    /// One of the next `within` lines must match this regex.
    #[serde(default)]
    pub followed_by: Option<Spanned<String>>,
    /// One of the previous `within` lines must match this regex.
    #[serde(default)]
    pub preceded_by: Option<Spanned<String>>,
    /// How many lines `followed_by` and `preceded_by` look at (default 1).
    #[serde(default)]
    pub within: Option<Spanned<i64>>,
    /// Why the rule exists (free text).
    #[serde(default)]
    #[allow(dead_code)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ExpectName {
    Drop,
    Keep,
    None,
}

/// One `[[example]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExampleSchema {
    /// The line under test.
    pub line: String,
    /// What the file's rules must decide for it.
    pub expect: ExpectName,
    /// The id of the rule that must decide it (optional).
    #[serde(default)]
    pub rule: Option<Spanned<String>>,
    /// Lines that stand before it on the page, in order.
    #[serde(default)]
    pub before: Vec<String>,
    /// Lines that stand after it on the page, in order.
    #[serde(default)]
    pub after: Vec<String>,
}
