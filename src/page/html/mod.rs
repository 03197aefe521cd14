//! The HTML reader: parses a document with html5ever (through `scraper`) and
//! turns every block of text into one [`Line`] with its DOM features
//! ([`Block`]).
//!
//! Owns the DOM walk (one iterative pass, so any nesting depth is safe), what
//! counts as a block, whitespace normalization, the removal of scripts,
//! styles, form controls and hidden elements, and page metadata (title, URL,
//! language, in [`meta`]). Nesting deeper than browsers build is flattened
//! before parsing ([`prepass`]). Class/id vocabulary lives in [`hints`]. It does not
//! judge lines; CSS-selector rules are compiled by the rules module and only
//! *applied* here ([`HtmlDocument::lines`]).

pub mod hints;
pub mod meta;
pub mod prepass;

use std::collections::HashMap;

use ego_tree::NodeId;
use scraper::node::Element;
use scraper::{Html, Node, Selector};

use super::{Block, BoilerHints, InputKind, Line, Page};
use meta::Meta;
pub use prepass::KeptAttributes;

/// A parsed HTML document. Parse once, read the metadata (to pick rule
/// files by URL), then produce lines with the selected CSS-selector rules.
#[derive(Debug, Clone)]
pub struct HtmlDocument {
    html: Html,
    meta: Meta,
    flattened: usize,
}

impl HtmlDocument {
    /// Parse `source` (html5ever never fails; broken markup is repaired).
    /// Elements nested deeper than [`prepass::MAX_DEPTH`] are flattened first,
    /// and scripts and styles emptied ([`prepass::prepare`]).
    pub fn parse(source: &str) -> Self {
        Self::parse_keeping(source, &KeptAttributes::all())
    }

    /// [`HtmlDocument::parse`], leaving out of the tree every attribute not in
    /// `kept` (less for the parser to read). CSS selectors given to
    /// [`HtmlDocument::lines`] see only the kept attributes: build `kept` with
    /// [`KeptAttributes::add_selector`] from every selector you will use.
    pub fn parse_keeping(source: &str, kept: &KeptAttributes) -> Self {
        let (source, flattened) = prepass::prepare(source, Some(kept));
        let html = Html::parse_document(&source);
        let meta = meta::extract(&html);
        HtmlDocument {
            html,
            meta,
            flattened,
        }
    }

    /// How many start tags nested deeper than [`prepass::MAX_DEPTH`] were
    /// removed before parsing (their text is kept).
    pub fn flattened(&self) -> usize {
        self.flattened
    }

    /// The page's own URL: `<link rel=canonical>`, else `og:url`
    /// (absolute URLs only).
    pub fn url(&self) -> Option<&str> {
        self.meta.url.as_deref()
    }

    /// The page title: `og:title`, else the first article `<h1>`, else
    /// `<title>`, with a confirmed site-name suffix cut.
    pub fn title(&self) -> Option<&str> {
        self.meta.title.as_deref()
    }

    /// The `<html lang>` value (or `Content-Language` meta), as written.
    pub fn lang(&self) -> Option<&str> {
        self.meta.lang.as_deref()
    }

    /// The parsed tree, for callers that need more than lines.
    pub fn html(&self) -> &Html {
        &self.html
    }

    /// The document's lines. `Block::selector_hits` of a line lists the
    /// indices of `selectors` whose matched element contains the line's text.
    pub fn lines(&self, selectors: &[&Selector]) -> Vec<Line> {
        let mut matched: HashMap<NodeId, Vec<u32>> = HashMap::new();
        for (i, selector) in selectors.iter().enumerate() {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            for el in self.html.select(selector) {
                matched.entry(el.id()).or_default().push(index);
            }
        }
        walk(&self.html, &matched)
    }

    /// The whole page, with the given selectors applied.
    pub fn to_page(&self, selectors: &[&Selector]) -> Page {
        Page {
            lines: self.lines(selectors),
            title: self.meta.title.clone(),
            url: self.meta.url.clone(),
            lang: self.meta.lang.clone(),
            kind: Some(InputKind::Html),
        }
    }
}

/// Read an HTML document with no selector rules.
pub fn read(html: &str) -> Page {
    HtmlDocument::parse_keeping(html, &KeptAttributes::reader()).to_page(&[])
}

/// Elements whose content never reaches the output.
pub(crate) fn skipped_tag(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "frame"
            | "frameset"
            | "object"
            | "embed"
            | "applet"
            | "canvas"
            | "audio"
            | "video"
            | "picture"
            | "map"
            | "input"
            | "button"
            | "select"
            | "option"
            | "optgroup"
            | "datalist"
            | "textarea"
            | "output"
            | "meter"
            | "progress"
            | "dialog"
            | "title"
    )
}

/// `hidden`, `aria-hidden="true"`, or an inline `display:none` /
/// `visibility:hidden` style.
pub(crate) fn hidden_by_attrs(el: &Element) -> bool {
    el.attrs().any(|(name, value)| hidden_attr(name, value))
}

fn hidden_attr(name: &str, value: &str) -> bool {
    match name {
        "hidden" => true,
        "aria-hidden" => value.trim().eq_ignore_ascii_case("true"),
        "style" => hidden_style(value),
        _ => false,
    }
}

fn hidden_style(style: &str) -> bool {
    style.split(';').any(|decl| {
        let Some((prop, value)) = decl.split_once(':') else {
            return false;
        };
        let prop = prop.trim();
        let value = value.trim().trim_end_matches("!important").trim_end();
        (prop.eq_ignore_ascii_case("display") && value.eq_ignore_ascii_case("none"))
            || (prop.eq_ignore_ascii_case("visibility") && value.eq_ignore_ascii_case("hidden"))
    })
}

/// Collapse whitespace runs to one space and trim.
pub(crate) fn normalize_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// How an element takes part in line building.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Block,
    Inline,
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// One open element during the walk.
#[derive(Debug, Clone, Copy)]
struct Frame<'a> {
    role: Role,
    /// Tag of the innermost block at or above this element.
    block_tag: &'a str,
    /// Hints of this element and all its ancestors.
    hints: u32,
    /// Hints of this element alone.
    own_hints: u32,
    heading: Option<u8>,
    in_list: bool,
    in_table: bool,
    in_link: bool,
    in_pre: bool,
    /// Depth of the innermost block at or above this element.
    block_depth: u16,
    depth: u16,
    /// Length of the selector-hit stack with this element's hits pushed.
    hits_len: usize,
}

impl Frame<'_> {
    fn document() -> Self {
        Frame {
            role: Role::Block,
            block_tag: "html",
            hints: 0,
            own_hints: 0,
            heading: None,
            in_list: false,
            in_table: false,
            in_link: false,
            in_pre: false,
            block_depth: 0,
            depth: 0,
            hits_len: 0,
        }
    }
}

/// The line being built and the lines done.
#[derive(Default)]
struct LineBuilder {
    lines: Vec<Line>,
    text: String,
    chars: usize,
    link_chars: usize,
    /// Hints present at every text chunk of the line.
    hints: u32,
    /// Selector hits present at every text chunk of the line.
    hits: Vec<u32>,
    started: bool,
    pending_space: bool,
    pending_break: bool,
    /// A `<br>` came and no text since.
    after_br: bool,
    /// The selector hits of all open elements, innermost last.
    open_hits: Vec<u32>,
    /// The ids of the open block elements, outermost first.
    open_blocks: Vec<u32>,
    /// The hints of each open block element alone, in the same order.
    open_block_hints: Vec<u32>,
    /// Block elements opened so far: the next block's id.
    blocks_seen: u32,
}

impl LineBuilder {
    /// Note a text chunk with visible content under `frame`.
    fn chunk(&mut self, frame: &Frame<'_>) {
        if !self.started {
            self.started = true;
            self.hints = frame.hints;
            self.hits.clear();
            self.hits.extend_from_slice(&self.open_hits);
        } else {
            self.hints &= frame.hints;
            if !self.hits.is_empty() {
                let open = &self.open_hits;
                self.hits.retain(|h| open.contains(h));
            }
        }
        self.after_br = false;
    }

    fn push_word(&mut self, word: &str, frame: &Frame<'_>) {
        if self.pending_space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.pending_space = false;
        let n = if word.is_ascii() {
            self.text.push_str(word);
            word.len()
        } else {
            let before = self.text.len();
            // Soft hyphens and zero-width characters join nothing visible.
            self.text.extend(
                word.chars()
                    .filter(|c| !matches!(c, '\u{ad}' | '\u{200b}' | '\u{feff}')),
            );
            self.text[before..].chars().count()
        };
        self.chars += n;
        if frame.in_link {
            self.link_chars += n;
        }
    }

    fn text(&mut self, s: &str, frame: &Frame<'_>) {
        if frame.in_pre {
            return self.pre_text(s, frame);
        }
        // Words are split on `char::is_whitespace`; ASCII takes a byte path.
        let bytes = s.as_bytes();
        let mut any = false;
        let mut word_start: Option<usize> = None;
        let mut at = 0;
        while at <= bytes.len() {
            let (space, len) = match bytes.get(at) {
                None => (true, 1),
                Some(&b) if b.is_ascii() => (matches!(b, b' ' | b'\t'..=b'\r'), 1),
                Some(_) => {
                    let c = s[at..].chars().next().unwrap_or(' ');
                    (c.is_whitespace(), c.len_utf8())
                }
            };
            if space {
                if let Some(start) = word_start.take() {
                    if !any {
                        any = true;
                        self.chunk(frame);
                    }
                    self.push_word(&s[start..at], frame);
                }
                if at < bytes.len() {
                    self.pending_space = true;
                }
            } else if word_start.is_none() {
                word_start = Some(at);
            }
            at += len;
        }
    }

    /// Text inside `<pre>`: every source line is a line; blank source lines
    /// are paragraph breaks; inner spacing is kept.
    fn pre_text(&mut self, s: &str, frame: &Frame<'_>) {
        for (i, segment) in s.split('\n').enumerate() {
            if i > 0 {
                if self.chars == 0 {
                    self.text.clear();
                    self.pending_break = true;
                } else {
                    self.flush(frame);
                }
            }
            let segment = segment.trim_end_matches('\r');
            if segment.trim().is_empty() {
                if !self.text.is_empty() {
                    self.text.push_str(segment);
                }
                continue;
            }
            self.chunk(frame);
            let start = if self.text.is_empty() {
                segment.trim_start()
            } else {
                segment
            };
            let before = self.text.len();
            self.text.push_str(start);
            let n = self.text[before..]
                .chars()
                .filter(|c| !c.is_whitespace())
                .count();
            self.chars += n;
            if frame.in_link {
                self.link_chars += n;
            }
        }
    }

    /// A `<br>`: ends the current line; two in a row make a paragraph break.
    fn line_break(&mut self, frame: &Frame<'_>) {
        if self.chars > 0 {
            self.flush(frame);
        } else if self.after_br {
            self.pending_break = true;
        }
        self.after_br = true;
    }

    /// A block starts or ends: end the line and start a new paragraph.
    fn block_boundary(&mut self, frame: &Frame<'_>) {
        self.flush(frame);
        self.pending_break = true;
        self.after_br = false;
    }

    /// Emit the line being built (if it has any text) as a line of the block
    /// that `frame` sits in.
    fn flush(&mut self, frame: &Frame<'_>) {
        if self.chars > 0 {
            let text = self.text.trim_end();
            let mut hits = std::mem::take(&mut self.hits);
            hits.sort_unstable();
            hits.dedup();
            let line = Line {
                number: self.lines.len() + 1,
                text: text.to_string(),
                break_before: self.pending_break && !self.lines.is_empty(),
                block: Some(Box::new(Block {
                    tag: frame.block_tag.to_string(),
                    heading: frame.heading,
                    link_density: self.link_chars as f32 / self.chars as f32,
                    hints: BoilerHints(self.hints),
                    in_list: frame.in_list,
                    in_table: frame.in_table,
                    depth: frame.block_depth,
                    selector_hits: hits,
                    ancestors: self.open_blocks.clone(),
                    ancestor_hints: self.open_block_hints.clone(),
                })),
            };
            self.lines.push(line);
            self.pending_break = false;
        }
        self.text.clear();
        self.chars = 0;
        self.link_chars = 0;
        self.hints = 0;
        self.started = false;
        self.pending_space = false;
    }
}

/// The hints of each distinct `class`/`id` value of a document, worked out
/// once: pages repeat a few dozen values over thousands of elements.
#[derive(Default)]
struct NameHints<'a> {
    known: foldhash::HashMap<&'a str, u32>,
}

impl<'a> NameHints<'a> {
    fn of(&mut self, value: &'a str) -> u32 {
        *self
            .known
            .entry(value)
            .or_insert_with(|| hints::attr_hints(value))
    }
}

/// Open `el` under `parent`: `None` when the element and everything below it
/// is left out of the output.
fn open_frame<'a>(
    el: &'a Element,
    parent: &Frame<'a>,
    names: &mut NameHints<'a>,
) -> Option<Frame<'a>> {
    let name = el.name();
    if skipped_tag(name) {
        return None;
    }
    let mut own_hints = 0;
    let mut has_href = false;
    let inside_content = parent.hints & BoilerHints::CONTENT != 0;
    let page_level = matches!(name, "html" | "body");
    for (attr, value) in el.attrs() {
        if hidden_attr(attr, value) {
            return None;
        }
        match attr {
            "class" | "id" if !page_level => own_hints |= names.of(value),
            "role" if !page_level => own_hints |= hints::role_hints(value, inside_content),
            "itemprop" => own_hints |= hints::itemprop_hints(value),
            "href" => has_href = true,
            _ => {}
        }
    }
    own_hints |= hints::tag_hints(name, inside_content);
    let block = is_block(name);
    let depth = parent.depth.saturating_add(1);
    Some(Frame {
        role: if block { Role::Block } else { Role::Inline },
        block_tag: if block { name } else { parent.block_tag },
        hints: parent.hints | own_hints,
        own_hints,
        heading: heading_level(name).or(parent.heading),
        in_list: parent.in_list || matches!(name, "ul" | "ol" | "dl" | "li" | "menu" | "dir"),
        in_table: parent.in_table || name == "table",
        in_link: parent.in_link || (name == "a" && has_href),
        in_pre: parent.in_pre || matches!(name, "pre" | "listing" | "plaintext" | "xmp"),
        block_depth: if block { depth } else { parent.block_depth },
        depth,
        hits_len: parent.hits_len,
    })
}

/// One iterative pre-order walk over the tree, building lines.
fn walk(html: &Html, matched: &HashMap<NodeId, Vec<u32>>) -> Vec<Line> {
    let root = html.tree.root();
    let mut frames: Vec<Frame<'_>> = vec![Frame::document()];
    let mut out = LineBuilder::default();
    let mut names = NameHints::default();
    let Some(mut node) = root.first_child() else {
        return out.lines;
    };
    loop {
        let mut entered = false;
        // Invariant: `frames` holds one frame per open element plus the
        // document frame, so `last()` always exists.
        let top = *frames.last().unwrap_or(&Frame::document());
        match node.value() {
            Node::Text(t) => out.text(t, &top),
            Node::Element(el) if el.name() == "br" => out.line_break(&top),
            Node::Element(el) => {
                if let Some(mut frame) = open_frame(el, &top, &mut names) {
                    if frame.role == Role::Block {
                        out.block_boundary(&top);
                        out.open_blocks.push(out.blocks_seen);
                        out.open_block_hints.push(frame.own_hints);
                        out.blocks_seen = out.blocks_seen.saturating_add(1);
                    }
                    if let Some(hits) = matched.get(&node.id()) {
                        out.open_hits.extend_from_slice(hits);
                        frame.hits_len = out.open_hits.len();
                    }
                    if node.has_children() {
                        frames.push(frame);
                        entered = true;
                    } else {
                        close_frame(&mut out, &frame, &top);
                    }
                }
            }
            _ => {}
        }
        if entered {
            if let Some(child) = node.first_child() {
                node = child;
                continue;
            }
        }
        // Move to the next sibling, closing finished parents on the way up.
        loop {
            if let Some(sibling) = node.next_sibling() {
                node = sibling;
                break;
            }
            match node.parent() {
                Some(parent) if parent.id() != root.id() => {
                    node = parent;
                    let Some(frame) = frames.pop() else {
                        break;
                    };
                    let outer = *frames.last().unwrap_or(&Frame::document());
                    close_frame(&mut out, &frame, &outer);
                }
                _ => {
                    let last = *frames.last().unwrap_or(&Frame::document());
                    out.flush(&last);
                    return out.lines;
                }
            }
        }
    }
}

fn close_frame(out: &mut LineBuilder, frame: &Frame<'_>, outer: &Frame<'_>) {
    if frame.role == Role::Block {
        out.block_boundary(frame);
        out.open_blocks.pop();
        out.open_block_hints.pop();
    }
    out.open_hits.truncate(outer.hits_len);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_carry_their_block_ancestors_and_their_names() {
        let page = read(
            "<html><body><div class=\"sidebar\"><p>Side</p></div>\
             <article><p>One <em>two</em></p><ul><li>Three</li></ul></article></body></html>",
        );
        let chain = |text: &str| {
            let line = page.lines.iter().find(|l| l.text == text);
            line.and_then(|l| l.block.clone()).unwrap_or_default()
        };
        let (side, one, three) = (chain("Side"), chain("One two"), chain("Three"));
        // html, body, div, p
        assert_eq!(side.ancestors.len(), 4);
        assert_eq!(side.ancestors.len(), side.ancestor_hints.len());
        assert_eq!(side.ancestor_hints[2], BoilerHints::SIDEBAR);
        // The article is shared by the paragraph and the list item, not by
        // the sidebar's paragraph.
        let article = one.ancestors[2];
        assert!(three.ancestors.contains(&article));
        assert!(!side.ancestors.contains(&article));
        assert_eq!(one.ancestor_hints[2], BoilerHints::CONTENT);
        assert_eq!(three.ancestors.len(), 5);
    }
}
