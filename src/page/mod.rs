//! The page: one input document turned into a sequence of [`Line`]s.
//!
//! This module owns the `Line` type that every later stage reads, and the
//! choice between the text-dump reader ([`text`]) and the HTML reader
//! ([`html`]). It does not decide anything about a line: rules and the
//! classifier do that.

pub mod html;
pub mod text;

use serde::Serialize;

/// How an input should be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Sniff the content: HTML if it looks like markup, a text dump otherwise.
    #[default]
    Auto,
    /// A plain-text dump: one line of the input is one [`Line`].
    Text,
    /// An HTML document: one block element is one [`Line`].
    Html,
}

/// DOM features of a line read from HTML. Text dumps have none.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Block {
    /// The block's tag name, lower case (`p`, `li`, `h2`, `td`, `div`, …).
    pub tag: String,
    /// Heading level 1–6 when the block is a heading.
    pub heading: Option<u8>,
    /// Share of the block's characters that sit inside `<a>` elements (0–1).
    pub link_density: f32,
    /// Boilerplate hints found in the class and id attributes of the block
    /// and its ancestors (see [`BoilerHints`]).
    pub hints: BoilerHints,
    /// Inside a `<ul>`, `<ol>` or `<dl>`.
    pub in_list: bool,
    /// Inside a `<table>`.
    pub in_table: bool,
    /// Element depth in the DOM.
    pub depth: u16,
    /// Indices (into the selected rules' selector list) of the CSS-selector
    /// rules whose element contains this block.
    pub selector_hits: Vec<u32>,
    /// The block elements that enclose the line, outermost (`<html>`) first
    /// and the line's own block last, each as its ordinal among the page's
    /// block elements in document order. Two lines share an ancestor when
    /// their chains share that id; the classifier scores these containers
    /// to find the article's subtree.
    #[serde(skip)]
    pub ancestors: Vec<u32>,
    /// The hints of each element of `ancestors` by itself (its own class,
    /// id, role and tag), in the same order; `hints` is their union plus
    /// the hints of inline elements.
    #[serde(skip)]
    pub ancestor_hints: Vec<u32>,
}

/// Boilerplate hints from class and id tokens, one bit per family.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BoilerHints(pub u32);

impl BoilerHints {
    pub const COMMENT: u32 = 1 << 0;
    pub const SIDEBAR: u32 = 1 << 1;
    pub const FOOTER: u32 = 1 << 2;
    pub const SHARE: u32 = 1 << 3;
    pub const RELATED: u32 = 1 << 4;
    pub const AD: u32 = 1 << 5;
    pub const NEWSLETTER: u32 = 1 << 6;
    pub const NAV: u32 = 1 << 7;
    pub const HEADER: u32 = 1 << 8;
    pub const BYLINE: u32 = 1 << 9;
    pub const TAGS: u32 = 1 << 10;
    pub const BREADCRUMB: u32 = 1 << 11;
    pub const CONTENT: u32 = 1 << 12;
    pub const CAPTION: u32 = 1 << 13;

    /// The families that name a region outside the article: comment,
    /// sidebar, footer, share, related, ad, newsletter, navigation,
    /// breadcrumb and tag boxes (not headers, bylines or captions, which
    /// articles have too).
    pub const REGIONS_OUTSIDE_ARTICLE: u32 = Self::COMMENT
        | Self::SIDEBAR
        | Self::FOOTER
        | Self::SHARE
        | Self::RELATED
        | Self::AD
        | Self::NEWSLETTER
        | Self::NAV
        | Self::BREADCRUMB
        | Self::TAGS;

    pub fn has(self, bit: u32) -> bool {
        self.0 & bit != 0
    }
}

/// One line of a page: a line of a text dump, or one block of an HTML page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// 1-based position: the input line number for text dumps, the block's
    /// ordinal for HTML.
    pub number: usize,
    /// The line's text, whitespace-trimmed (text dumps keep inner spacing).
    pub text: String,
    /// A paragraph break (blank line, or a block boundary) comes before it.
    pub break_before: bool,
    /// DOM features, for lines read from HTML. Boxed: a `Line` is then 48
    /// bytes rather than 152, and text dumps, which have none, do not pay
    /// for them in every line they read, keep and pass on.
    pub block: Option<Box<Block>>,
}

/// A page read into lines, plus what the reader learned about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The non-blank lines of the page, in document order.
    pub lines: Vec<Line>,
    /// The page's title when the input declares one (HTML `og:title`,
    /// `<h1>`, `<title>`). Text dumps leave it to the classifier.
    pub title: Option<String>,
    /// The page's own URL when the input declares one (canonical link,
    /// `og:url`).
    pub url: Option<String>,
    /// The page's language as declared (`<html lang>`), e.g. `en-GB`.
    pub lang: Option<String>,
    /// Which reader produced the lines.
    pub kind: Option<InputKind>,
}

impl Page {
    /// Read `text` as `kind`; `Auto` sniffs the content.
    pub fn read(text: &str, kind: InputKind) -> Page {
        let kind = match kind {
            InputKind::Auto => sniff(text),
            other => other,
        };
        match kind {
            InputKind::Html => html::read(text),
            _ => text::read(text),
        }
    }
}

/// Guess whether `text` is HTML from its first kilobytes: a doctype, an
/// `<html>`/`<head>`/`<body>` tag, or a high density of block tags.
pub fn sniff(text: &str) -> InputKind {
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text[..end].trim_start_matches('\u{feff}').trim_start();
    let lower = head.to_ascii_lowercase();
    if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || lower.starts_with("<?xml") && lower.contains("<html")
    {
        return InputKind::Html;
    }
    let markers = [
        "<html", "<head", "<body", "<div", "<p>", "<p ", "<meta ", "<script", "<title",
    ];
    let hits = markers.iter().filter(|m| lower.contains(*m)).count();
    if hits >= 2 {
        InputKind::Html
    } else {
        InputKind::Text
    }
}
