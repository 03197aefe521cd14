//! The pre-parse pass: a cheap byte-level pass over HTML source, before
//! html5ever sees it. It has three jobs, each leaving out of the source
//! something nothing downstream reads, so that the parser (most of the cost
//! of cleaning a page) reads less:
//!
//! 1. Nesting deeper than [`MAX_DEPTH`] is flattened. html5ever's tree
//!    builder checks "is there a `<p>` in button scope" and similar scopes
//!    by walking the stack of open elements, so every block start tag costs
//!    time proportional to the current depth; 100,000 nested `<div>`s take
//!    about 90 seconds. Browsers cap the depth of the tree they build at 512
//!    (Blink and WebKit attach deeper elements to the element at depth 512
//!    instead), so nothing a reader can see depends on deeper nesting.
//!    A start tag that would open an element deeper than the cap is removed
//!    together with its end tag; a removed block tag leaves a `<br>` so the
//!    text on either side stays on separate lines. The text inside is kept.
//! 2. `<script>`, `<style>` and `<noscript>` elements are emptied ([`prepare`]):
//!    their content is half the bytes of a typical page and none of its text
//!    (the line reader skips these elements), yet html5ever reads it
//!    character by character. The content ends where the tokenizer ends it
//!    (its end tag followed by whitespace, `/` or `>`, script escapes
//!    followed); a `<script>` holding `<!--` and anything inside SVG or
//!    MathML are left as they are.
//! 3. Attributes nobody reads are dropped ([`prepare`] with a
//!    [`KeptAttributes`]): `src`, `srcset`, `data-*`, `onclick`, SVG paths
//!    are a quarter of a page's markup. The reader's own attributes, those
//!    the tree builder reads, every attribute a CSS-selector rule names, and
//!    all attributes of formatting elements (`<a>`, `<b>`, …, which the tree
//!    builder compares) are kept. Tags are read as the tokenizer reads them
//!    (comments, bogus comments, raw text and script escapes included); after
//!    a `<![CDATA[`, whose reading depends on the tree, nothing more is
//!    rewritten. The `clean_html` fuzz target checks that dropping
//!    attributes changes no line.
//!
//! How: the pass tokenizes tags only as far as it needs (comments,
//! doctypes, quoted attribute values, raw-text elements like `<script>`
//! and `<textarea>` are skipped as the HTML tokenizer skips them) and keeps
//! an estimate of the stack of open elements. Void elements and elements
//! whose end tag is optional and which close their like (`p`, `li`, `td`,
//! …) are not counted, so a page full of unclosed paragraphs is not
//! mistaken for a deep one. It owns nothing else: the parse and the walk
//! are in the parent module.

use std::borrow::Cow;

/// The deepest element nesting passed to the parser, as in browsers.
pub const MAX_DEPTH: usize = 512;

/// Attributes the line reader and the page metadata read, and those the
/// tree builder itself reads: `type` (an `<input type=hidden>` in a table
/// is not moved out of it) and `encoding` (a MathML `annotation-xml` holds
/// HTML when it says so).
const READER_ATTRIBUTES: [&str; 17] = [
    "class",
    "id",
    "role",
    "itemprop",
    "href",
    "hidden",
    "aria-hidden",
    "style",
    "lang",
    "xml:lang",
    "property",
    "name",
    "content",
    "http-equiv",
    "rel",
    "type",
    "encoding",
];

/// The formatting elements: the tree builder compares their attributes
/// (no more than three identical ones stay active, and it reopens them
/// where misnested markup closed them), so theirs are never dropped.
fn is_formatting(name: &str) -> bool {
    [
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
        "u",
    ]
    .iter()
    .any(|f| f.eq_ignore_ascii_case(name))
}

/// The attributes [`prepare`] keeps: the reader's own, and those that CSS
/// selectors name.
#[derive(Debug, Clone)]
pub struct KeptAttributes {
    /// Lower-case names.
    names: foldhash::HashSet<String>,
    /// Keep every attribute (a selector this type cannot read for names).
    all: bool,
}

impl Default for KeptAttributes {
    fn default() -> Self {
        Self::reader()
    }
}

impl KeptAttributes {
    /// The attributes the line reader and the page metadata read.
    pub fn reader() -> Self {
        KeptAttributes {
            names: READER_ATTRIBUTES.iter().map(|n| n.to_string()).collect(),
            all: false,
        }
    }

    /// Every attribute.
    pub fn all() -> Self {
        KeptAttributes {
            names: foldhash::HashSet::default(),
            all: true,
        }
    }

    /// Also keep the attributes that the CSS selector `selector` names in
    /// attribute selectors (`[data-type=ad]`, `[*|title]`). A selector with
    /// an escape keeps every attribute: its names cannot be read here.
    pub fn add_selector(&mut self, selector: &str) {
        if selector.contains('\\') {
            self.all = true;
            return;
        }
        let bytes = selector.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                quote @ (b'"' | b'\'') => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != quote {
                        i += 1;
                    }
                    i += 1;
                }
                b'[' => {
                    i += 1;
                    let mut name = attribute_token(bytes, &mut i);
                    // `[ns|name]`, `[*|name]`, `[|name]`: the name follows
                    // the namespace bar (`|=` is an operator).
                    if bytes.get(i) == Some(&b'*') {
                        i += 1;
                    }
                    if bytes.get(i) == Some(&b'|') && bytes.get(i + 1) != Some(&b'=') {
                        i += 1;
                        name = attribute_token(bytes, &mut i);
                    }
                    self.keep(&String::from_utf8_lossy(name));
                }
                _ => i += 1,
            }
        }
    }

    /// Also keep the attribute `name`.
    pub fn keep(&mut self, name: &str) {
        if !name.is_empty() {
            self.names.insert(name.to_ascii_lowercase());
        }
    }

    /// Whether the attribute `name` (as written, any case) is kept.
    pub fn contains(&self, name: &str) -> bool {
        if self.all {
            return true;
        }
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.names.contains(&name.to_ascii_lowercase())
        } else {
            self.names.contains(name)
        }
    }
}

/// The attribute name starting at `*i` in a selector (after whitespace),
/// up to an operator, a bar, `]` or whitespace; `*i` is left after it.
fn attribute_token<'a>(bytes: &'a [u8], i: &mut usize) -> &'a [u8] {
    while bytes.get(*i).is_some_and(u8::is_ascii_whitespace) {
        *i += 1;
    }
    let start = *i;
    while bytes.get(*i).is_some_and(|&b| {
        !b.is_ascii_whitespace()
            && !matches!(b, b']' | b'=' | b'~' | b'|' | b'^' | b'$' | b'*' | b'!')
    }) {
        *i += 1;
    }
    &bytes[start..*i]
}

/// `source` with element nesting deeper than `max_depth` flattened, and how
/// many start tags were removed. Borrowed when nothing was removed.
pub fn flatten(source: &str, max_depth: usize) -> (Cow<'_, str>, usize) {
    pass(source, max_depth, false, None)
}

/// The source html5ever is given: [`flatten`]ed at [`MAX_DEPTH`], with
/// `<script>`, `<style>` and `<noscript>` elements emptied and (when `kept`
/// is given) every attribute not in `kept` dropped. Also returns how many
/// start tags flattening removed.
pub fn prepare<'s>(source: &'s str, kept: Option<&KeptAttributes>) -> (Cow<'s, str>, usize) {
    pass(source, MAX_DEPTH, true, kept.filter(|k| !k.all))
}

fn pass<'s>(
    source: &'s str,
    max_depth: usize,
    empty_unread: bool,
    kept: Option<&KeptAttributes>,
) -> (Cow<'s, str>, usize) {
    let mut guard = Guard {
        empty_unread,
        kept,
        in_step: true,
        drops: Vec::new(),
        source,
        bytes: source.as_bytes(),
        out: None,
        copied: 0,
        stack: Vec::new(),
        names: Names::default(),
        lower: String::new(),
        foreign: 0,
        removed: 0,
    };
    guard.run(max_depth);
    let removed = guard.removed;
    match guard.out {
        None => (Cow::Borrowed(source), 0),
        Some(mut out) => {
            out.push_str(&source[guard.copied..]);
            (Cow::Owned(out), removed)
        }
    }
}

/// One element the estimate holds open.
struct Open {
    /// Index of its name in [`Names`].
    name: usize,
    /// Removed from the output (it lay deeper than the cap).
    removed: bool,
    foreign: bool,
}

/// The lower-cased tag names seen so far, each stored once, with how many
/// elements of each name are open; tags refer to them by index, so reading
/// a tag allocates nothing once its name is known.
#[derive(Default)]
struct Names {
    index: foldhash::HashMap<String, usize>,
    names: Vec<String>,
    open: Vec<usize>,
}

impl Names {
    fn id(&mut self, name: &str) -> usize {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        let id = self.names.len();
        self.index.insert(name.to_string(), id);
        self.names.push(name.to_string());
        self.open.push(0);
        id
    }
}

struct Guard<'a> {
    /// Empty the elements whose content is never read.
    empty_unread: bool,
    /// Drop the attributes not in this set.
    kept: Option<&'a KeptAttributes>,
    /// Whether this pass still reads the source as the tokenizer does; once
    /// it cannot tell, nothing more is emptied or dropped.
    in_step: bool,
    /// The attributes of the last start tag read to drop.
    drops: Vec<std::ops::Range<usize>>,
    source: &'a str,
    bytes: &'a [u8],
    /// The rewritten source, started at the first removal.
    out: Option<String>,
    /// How far `source` has been copied into `out`.
    copied: usize,
    stack: Vec<Open>,
    names: Names,
    /// Scratch space for lower-casing a tag name.
    lower: String,
    /// How many `svg`/`math` elements are open (self-closing tags count
    /// only inside them).
    foreign: usize,
    removed: usize,
}

/// A tag read from the source.
struct Tag {
    /// Byte range of the name as written.
    name: std::ops::Range<usize>,
    end_tag: bool,
    self_closing: bool,
    /// Byte range of the whole tag, `<` to `>`.
    start: usize,
    end: usize,
}

impl Guard<'_> {
    fn run(&mut self, max_depth: usize) {
        let mut i = 0;
        while let Some(at) = find(self.source, i, "<") {
            let rest = &self.bytes[at..];
            if rest.starts_with(b"<!--") {
                i = comment_end(self.bytes, at + 4);
                continue;
            }
            if rest.starts_with(b"<![CDATA[") {
                // CDATA in SVG or MathML, a bogus comment elsewhere: which
                // one depends on the tree, which this pass only estimates.
                // Rewriting stops here; reading goes on for the depth.
                self.in_step = false;
            }
            if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
                i = find(self.source, at + 2, ">").map_or(self.bytes.len(), |p| p + 1);
                continue;
            }
            if rest.starts_with(b"</") && !rest.get(2).is_some_and(u8::is_ascii_alphabetic) {
                // `</>` is dropped, `</` before anything else but a letter
                // opens a bogus comment up to the next `>`; at the end of the
                // input it is text.
                i = match rest.get(2) {
                    None => self.bytes.len(),
                    Some(b'>') => at + 3,
                    Some(_) => find(self.source, at + 2, ">").map_or(self.bytes.len(), |p| p + 1),
                };
                continue;
            }
            let Some(tag) = self.read_tag(at) else {
                let name_at = at + 1 + usize::from(rest.get(1) == Some(&b'/'));
                if self.bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
                    // A tag the end of the input cuts off: the tokenizer
                    // drops it with everything after its `<`.
                    break;
                }
                i = at + 1;
                continue;
            };
            i = tag.end;
            let name = self.name_id(&tag);
            if tag.end_tag {
                self.end_tag(&tag, name);
                continue;
            }
            if let Some(after) = self.start_tag(&tag, name, max_depth) {
                i = after;
            }
        }
    }

    /// The index of `tag`'s lower-cased name.
    fn name_id(&mut self, tag: &Tag) -> usize {
        let written = &self.source[tag.name.clone()];
        if written.bytes().any(|b| b.is_ascii_uppercase()) {
            self.lower.clear();
            self.lower.push_str(written);
            self.lower.make_ascii_lowercase();
            self.names.id(&self.lower)
        } else {
            self.names.id(written)
        }
    }

    /// Handle a start tag; returns where scanning resumes when the element's
    /// content is raw text to skip.
    fn start_tag(&mut self, tag: &Tag, id: usize, max_depth: usize) -> Option<usize> {
        let name = self.names.names[id].as_str();
        let plaintext = name == "plaintext";
        let raw_text = raw_text_name(name);
        let foreign_root = matches!(name, "svg" | "math");
        let block = super::is_block(name);
        let nests = !(plaintext
            || raw_text.is_some()
            || is_void(name)
            || closes_its_like(name)
            || tag.self_closing && (self.foreign > 0 || foreign_root));
        let removed = nests && self.stack.len() >= max_depth;
        if removed {
            self.removed += 1;
            self.replace(tag, if block { "<br>" } else { "" });
        } else {
            self.drop_attributes();
        }
        if plaintext {
            // Everything after is text.
            return Some(self.bytes.len());
        }
        if let Some(name) = raw_text {
            let end = raw_text_end(self.bytes, tag.end, name).unwrap_or(self.bytes.len());
            // Inside SVG or MathML a `<script>` or `<style>` holds markup,
            // which may break out into the page: never emptied there.
            if self.empty_unread
                && self.in_step
                && self.foreign == 0
                && end > tag.end
                && matches!(name, "script" | "style" | "noscript")
                && !self.holds_comment_open(tag.end, end)
            {
                self.splice(tag.end..end, "");
            }
            return Some(end);
        }
        if !nests {
            return None;
        }
        if foreign_root {
            self.foreign += 1;
        }
        self.names.open[id] += 1;
        self.stack.push(Open {
            name: id,
            removed,
            foreign: foreign_root,
        });
        None
    }

    /// Drop the attributes [`Guard::read_tag`] listed for `tag`.
    fn drop_attributes(&mut self) {
        if !self.in_step {
            return;
        }
        let drops = std::mem::take(&mut self.drops);
        for range in &drops {
            // A space, so that what stood on either side stays apart.
            self.splice(range.clone(), " ");
        }
        self.drops = drops;
    }

    /// An end tag closes the innermost open element of its name and every
    /// element opened after it; a stray end tag changes nothing.
    fn end_tag(&mut self, tag: &Tag, id: usize) {
        if self.names.open[id] == 0 {
            return;
        }
        while let Some(top) = self.stack.pop() {
            let n = &mut self.names.open[top.name];
            *n = n.saturating_sub(1);
            if top.foreign {
                self.foreign = self.foreign.saturating_sub(1);
            }
            if top.name == id {
                if top.removed {
                    let block = super::is_block(&self.names.names[id]);
                    self.replace(tag, if block { "<br>" } else { "" });
                }
                return;
            }
        }
    }

    /// Whether the raw text from `start` to `end` holds `<!--`: in a script,
    /// the start of the tokenizer's escape states.
    fn holds_comment_open(&self, start: usize, end: usize) -> bool {
        find(&self.source[..end], start, "<!--").is_some()
    }

    /// Put `with` in place of `range` in the output.
    fn splice(&mut self, range: std::ops::Range<usize>, with: &str) {
        let out = self
            .out
            .get_or_insert_with(|| String::with_capacity(self.source.len()));
        out.push_str(&self.source[self.copied..range.start]);
        out.push_str(with);
        self.copied = range.end;
    }

    /// Put `with` in place of `tag` in the output.
    fn replace(&mut self, tag: &Tag, with: &str) {
        let out = self.out.get_or_insert_with(String::new);
        out.push_str(&self.source[self.copied..tag.start]);
        out.push_str(with);
        self.copied = tag.end;
    }

    /// Read the tag that starts at `at` (a `<`), or `None` when the `<` does
    /// not start a tag. With attributes to keep, the unkept attributes of a
    /// start tag are listed in `drops`.
    fn read_tag(&mut self, at: usize) -> Option<Tag> {
        let bytes = self.bytes;
        let mut i = at + 1;
        let end_tag = bytes.get(i) == Some(&b'/');
        if end_tag {
            i += 1;
        }
        if !bytes.get(i)?.is_ascii_alphabetic() {
            return None;
        }
        let name_start = i;
        while i < bytes.len() && !is_tag_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
            i += 1;
        }
        let name = name_start..i;
        self.drops.clear();
        // Only start tags lose attributes, and formatting elements never do.
        let dropping = !end_tag && !is_formatting(&self.source[name.clone()]);
        let (end, self_closing) = match self.kept.filter(|_| dropping) {
            Some(kept) => {
                let (source, drops) = (self.source, &mut self.drops);
                attribute_spans(bytes, i, |span| {
                    if !kept.contains(&source[span.name.clone()]) {
                        drops.push(span.name.start..span.end);
                    }
                })?
            }
            None => attribute_spans(bytes, i, |_| {})?,
        };
        Some(Tag {
            name,
            end_tag,
            self_closing,
            start: at,
            end,
        })
    }
}

/// One attribute of a start tag, as the tokenizer reads it.
struct AttributeSpan {
    /// The name as written.
    name: std::ops::Range<usize>,
    /// Where the attribute (its value, if any) ends.
    end: usize,
}

/// Read the attributes of a tag whose name ends at `from`, as the HTML
/// tokenizer's attribute states do, calling `each` for every one; returns
/// where the tag ends (after its `>`) and whether it is self-closing (`/>`),
/// or `None` when the input ends first (the tokenizer then drops the tag).
fn attribute_spans(
    bytes: &[u8],
    from: usize,
    mut each: impl FnMut(AttributeSpan),
) -> Option<(usize, bool)> {
    let mut i = from;
    loop {
        // Before attribute name.
        while is_tag_space(*bytes.get(i)?) {
            i += 1;
        }
        match bytes[i] {
            b'>' => return Some((i + 1, false)),
            b'/' if bytes.get(i + 1) == Some(&b'>') => return Some((i + 2, true)),
            // A solidus not followed by `>` is ignored.
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        // Attribute name: its first character is taken whatever it is
        // (even `=`).
        let name_start = i;
        i += 1;
        while !matches!(*bytes.get(i)?, b'/' | b'>' | b'=') && !is_tag_space(bytes[i]) {
            i += 1;
        }
        let name = name_start..i;
        // After attribute name.
        let mut after = i;
        while is_tag_space(*bytes.get(after)?) {
            after += 1;
        }
        if bytes[after] != b'=' {
            each(AttributeSpan {
                end: name.end,
                name,
            });
            i = after;
            continue;
        }
        // Before attribute value.
        i = after + 1;
        while is_tag_space(*bytes.get(i)?) {
            i += 1;
        }
        match bytes[i] {
            quote @ (b'"' | b'\'') => {
                i += 1 + bytes.get(i + 1..)?.iter().position(|&b| b == quote)? + 1;
            }
            // A missing value: the `>` ends the tag.
            b'>' => {}
            _ => {
                while !is_tag_space(*bytes.get(i)?) && bytes[i] != b'>' {
                    i += 1;
                }
            }
        }
        each(AttributeSpan { name, end: i });
    }
}

fn is_tag_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Elements whose content the tokenizer reads as text up to their end tag:
/// the name, when `name` is one.
fn raw_text_name(name: &str) -> Option<&'static str> {
    [
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
    ]
    .into_iter()
    .find(|raw| *raw == name)
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "image"
    )
}

/// Elements with an optional end tag that a start tag of their kind closes
/// (and the document-level elements, which never nest).
fn closes_its_like(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
            | "html"
            | "head"
            | "body"
    )
}

/// Where `needle` (a short string starting with an ASCII byte) first occurs
/// in `haystack` at or after byte `from`: a vectorized search for its first
/// byte, then a check of the rest. An ASCII byte is always a character
/// boundary, so any position found is one.
fn find(haystack: &str, from: usize, needle: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let (&first, _) = needle.as_bytes().split_first()?;
    debug_assert!(first.is_ascii(), "needles start with an ASCII byte");
    let mut from = from;
    loop {
        let at = from + memchr::memchr(first, bytes.get(from..)?)?;
        if bytes[at..].starts_with(needle.as_bytes()) {
            return Some(at);
        }
        from = at + 1;
    }
}

/// Where the raw text (or RCDATA, or script data) of element `name` that
/// starts at `from` ends: the `<` of its end tag, `</name` in any case
/// followed by whitespace, `/` or `>`. Script data follows the tokenizer's
/// escape states: after `<!--`, a `<script` start makes the next
/// `</script>` part of the text, until `-->`.
fn raw_text_end(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let end_tag = |at: usize| {
        bytes.get(at + 1) == Some(&b'/')
            && bytes
                .get(at + 2..at + 2 + name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && bytes
                .get(at + 2 + name.len())
                .is_some_and(|&b| is_tag_space(b) || b == b'/' || b == b'>')
    };
    let start_tag = |at: usize| {
        bytes
            .get(at + 1..at + 1 + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && bytes
                .get(at + 1 + name.len())
                .is_some_and(|&b| is_tag_space(b) || b == b'/' || b == b'>')
    };
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let script = name == "script";
    let mut state = State::Data;
    let mut at = from;
    // The next `-->` at or after `at`, found once and kept until passed (an
    // escaped script may hold many `<` before it).
    let mut next_close: Option<Option<usize>> = None;
    loop {
        // The next `<`, or in an escaped script the next `-->` if sooner.
        let lt = memchr::memchr(b'<', &bytes[at..]).map(|p| at + p);
        if script && state != State::Data {
            if next_close.is_some_and(|c| c.is_some_and(|c| c < at)) {
                next_close = None;
            }
            let close = *next_close
                .get_or_insert_with(|| memchr::memmem::find(&bytes[at..], b"-->").map(|p| at + p));
            if close.is_some_and(|c| lt.is_none_or(|l| c < l)) {
                state = State::Data;
                at = close.map_or(bytes.len(), |c| c + 3);
                continue;
            }
        }
        let lt = lt?;
        match state {
            State::Data if end_tag(lt) => return Some(lt),
            State::Data if script && bytes[lt..].starts_with(b"<!--") => {
                state = State::Escaped;
                // `<!-->` and `<!--->` leave the escape at once.
                let mut p = lt + 4;
                while bytes.get(p) == Some(&b'-') {
                    p += 1;
                }
                if bytes.get(p) == Some(&b'>') {
                    state = State::Data;
                    p += 1;
                }
                at = p;
                continue;
            }
            State::Escaped if end_tag(lt) => return Some(lt),
            State::Escaped if start_tag(lt) => state = State::DoubleEscaped,
            State::DoubleEscaped if end_tag(lt) => state = State::Escaped,
            _ => {}
        }
        at = lt + 1;
    }
}

/// Where a comment whose `<!--` ends just before `from` ends (after it),
/// as the tokenizer reads it: `<!-->` and `<!--->` end at once, otherwise
/// at the first `-->` or `--!>`.
fn comment_end(bytes: &[u8], from: usize) -> usize {
    match &bytes[from.min(bytes.len())..] {
        [b'>', ..] => return from + 1,
        [b'-', b'>', ..] => return from + 2,
        _ => {}
    }
    // The first `--` followed by `>` or `!>`.
    let mut at = from;
    while let Some(p) = memchr::memmem::find(&bytes[at..], b"--").map(|p| at + p) {
        match bytes.get(p + 2) {
            Some(b'>') => return p + 3,
            Some(b'!') if bytes.get(p + 3) == Some(&b'>') => return p + 4,
            _ => at = p + 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept_after(source: &str, kept: &KeptAttributes) -> String {
        prepare(source, Some(kept)).0.into_owned()
    }

    #[test]
    fn drops_unread_attributes_and_keeps_the_rest() {
        let kept = KeptAttributes::reader();
        assert_eq!(
            kept_after("<p data-x=\"1\" class=lead src=a.png>Hi</p>", &kept),
            "<p   class=lead  >Hi</p>"
        );
        // A tag the tokenizer would end elsewhere than `>` inside a value
        // stays as written; the value's `>` does not end it.
        assert_eq!(
            kept_after("<span title='x > y' href=/z>Go</span>", &kept),
            "<span   href=/z>Go</span>"
        );
        // Valueless attributes, `/` between attributes, self-closing tags.
        assert_eq!(
            kept_after("<svg/width=3 hidden/><br data-y/>", &kept),
            "<svg/  hidden/><br  />"
        );
        // `=` opening a name makes the next `=` start a quoted value, whose
        // `>` is text: the tokenizer reads one tag with the attributes `=x`
        // and `data-q`, and so does this pass.
        let odd = "<div =x=\"a>b\" data-q=1>t</div>";
        let parsed = scraper::Html::parse_fragment(odd);
        let div = parsed
            .root_element()
            .first_child()
            .and_then(|n| n.value().as_element().cloned());
        assert_eq!(div.as_ref().and_then(|d| d.attr("=x")), Some("a>b"));
        assert_eq!(kept_after(odd, &kept), "<div    >t</div>");
        // An unterminated quote: the tag never ends, nothing is rewritten.
        let cut = "<div data-x=\"never closed>text";
        assert_eq!(kept_after(cut, &kept), cut);
        // Selectors keep what they name.
        let mut kept = KeptAttributes::reader();
        kept.add_selector("div[data-x]");
        assert_eq!(
            kept_after("<div DATA-X=1 data-y=2>t</div>", &kept),
            "<div DATA-X=1  >t</div>"
        );
    }

    #[test]
    fn raw_text_ends_where_the_tokenizer_ends_it() {
        let end = |s: &str, name: &str| raw_text_end(s.as_bytes(), 0, name);
        assert_eq!(end("a</titlex>b</TITLE >", "title"), Some(11));
        assert_eq!(end("x</script", "script"), None);
        // In a script, `<!--` then `<script` makes the next `</script>` text.
        let escaped = "<!--<script>a</script>b--></script>";
        assert_eq!(end(escaped, "script"), Some(26));
        assert_eq!(end("<!--a</script>", "script"), Some(5));
        assert_eq!(end("<!-->a</script>", "script"), Some(6));
        // Only scripts have escape states.
        assert_eq!(end("<!--<style>a</style>", "style"), Some(12));
    }

    #[test]
    fn comments_end_where_the_tokenizer_ends_them() {
        let end = |s: &str| comment_end(s.as_bytes(), 4);
        assert_eq!(end("<!-->x"), 5);
        assert_eq!(end("<!--->x"), 6);
        assert_eq!(end("<!-- a --!> b --> c"), 11);
        assert_eq!(end("<!-- a -- > b --> c"), 17);
        assert_eq!(end("<!-- never"), 10);
    }

    /// Found by fuzzing: `</` before `<` opens a bogus comment up to the
    /// next `>`, so the `<v` inside it is no tag, and the real `<div>` after
    /// it must keep its attributes.
    #[test]
    fn bogus_comments_hide_what_looks_like_tags() {
        let kept = KeptAttributes::reader();
        let source = "<li>x</<v id=\"foot><.div>\n<div id=\"footer\">&copy; 2022</div>";
        assert_eq!(kept_after(source, &kept), source);
        let cdata = "<svg><![CDATA[ a > <b data-x=\"]]>\" ]]></svg><p data-y=1>t</p>";
        assert_eq!(
            kept_after(cdata, &kept),
            cdata,
            "nothing is rewritten after CDATA"
        );
    }

    /// Found by fuzzing: a tag cut off by the end of the input swallows
    /// the rest, tags lookalikes included; nothing in it is rewritten.
    #[test]
    fn a_cut_off_tag_ends_the_pass() {
        let kept = KeptAttributes::reader();
        let source = "<p>a</p><html lang=\"x\" b=\"y\nz<hx d w>Text\n<p data-x>more";
        assert_eq!(kept_after(source, &kept), source);
    }

    /// Found by fuzzing: the tree builder keeps at most three identical
    /// formatting elements open, attributes included, so theirs stay.
    #[test]
    fn formatting_elements_keep_their_attributes() {
        let kept = KeptAttributes::reader();
        let source = "<div><i><i><i/d><i></div><<div>x";
        assert_eq!(kept_after(source, &kept), source);
        assert_eq!(
            kept_after("<a data-x=1 href=/y>", &kept),
            "<a data-x=1 href=/y>"
        );
        assert_eq!(
            kept_after("<input type=hidden data-x=1>", &kept),
            "<input type=hidden  >"
        );
    }

    #[test]
    fn reads_attribute_names_from_selectors() {
        let mut kept = KeptAttributes::reader();
        for selector in [
            "div[data-type=ad]",
            "a[ Title ]",
            "[*|alt]",
            "[xlink|href2~=\"x\"]",
            "img[src^='[data-fake]']",
            "section:not([aria-label|=en])",
        ] {
            kept.add_selector(selector);
        }
        for name in [
            "data-type",
            "title",
            "alt",
            "href2",
            "src",
            "aria-label",
            "class",
        ] {
            assert!(kept.contains(name), "{name}");
        }
        assert!(!kept.contains("data-fake"), "a name inside a quoted value");
        assert!(!kept.contains("onclick"));
        kept.add_selector("div[data\\-x]");
        assert!(kept.contains("onclick"), "an escape keeps everything");
    }

    fn nested(tag: &str, depth: usize, inner: &str) -> String {
        format!(
            "{}{inner}{}",
            format!("<{tag} class=x>").repeat(depth),
            format!("</{tag}>").repeat(depth)
        )
    }

    #[test]
    fn shallow_pages_are_borrowed_unchanged() {
        let page = format!(
            "<html><body>{}<p>one<p>two<ul><li>a<li>b</ul><script>if (a<b) {{}}</script></body></html>",
            nested("div", 40, "text")
        );
        let (out, removed) = flatten(&page, MAX_DEPTH);
        assert!(matches!(out, Cow::Borrowed(_)));
        assert_eq!(removed, 0);
    }

    #[test]
    fn deep_nesting_is_cut_at_the_cap_and_text_kept() {
        let page = nested("div", 100, "deep text");
        let (out, removed) = flatten(&page, 10);
        assert_eq!(removed, 90);
        assert_eq!(out.matches("<div").count(), 10);
        assert_eq!(out.matches("</div>").count(), 10);
        assert_eq!(out.matches("<br>").count(), 180);
        assert!(out.contains("deep text"));
        let spans = nested("span", 100, "deep text");
        let (out, _) = flatten(&spans, 10);
        assert_eq!(out.matches("<span").count(), 10);
        assert!(!out.contains("<br>"));
    }

    #[test]
    fn unclosed_paragraphs_and_items_do_not_count_as_depth() {
        let page = "<p>para".repeat(5000) + &"<ul><li>item".repeat(5);
        let (out, removed) = flatten(&page, 10);
        assert_eq!(removed, 0);
        assert!(matches!(out, Cow::Borrowed(_)));
    }

    #[test]
    fn tags_in_comments_scripts_and_attributes_are_not_tags() {
        let page = format!(
            "<!-- {} --><script>{}</script><div title='{}'>x</div><textarea>{}</textarea>",
            "<div>".repeat(50),
            "'<div>'".repeat(50),
            "<div>".repeat(50),
            "<div>".repeat(50)
        );
        let (_, removed) = flatten(&page, 10);
        assert_eq!(removed, 0);
    }

    #[test]
    fn end_tags_close_implicitly_opened_elements() {
        // Unclosed <b> and <span> inside each div are closed by </div>.
        let page = "<div><b><span>x</div>".repeat(100);
        let (_, removed) = flatten(&page, 10);
        assert_eq!(removed, 0);
        // Stray end tags close nothing.
        let page = format!("{}{}", "</section>".repeat(50), nested("div", 8, "x"));
        assert_eq!(flatten(&page, 10).1, 0);
    }

    #[test]
    fn self_closing_counts_only_in_svg() {
        let svg = format!("<svg>{}</svg>", "<path d='M0'/>".repeat(100));
        assert_eq!(flatten(&svg, 10).1, 0);
        // In HTML, `<div/>` opens a div.
        assert_eq!(flatten(&"<div/>".repeat(20), 10).1, 10);
    }

    #[test]
    fn multibyte_text_and_cut_tags_are_safe() {
        let page = format!("{}é東<div", nested("div", 20, "Straße 東京"));
        let (out, removed) = flatten(&page, 5);
        assert_eq!(removed, 15);
        assert!(out.ends_with("é東<div"));
        assert!(out.contains("Straße 東京"));
        assert_eq!(flatten("<", 5).1, 0);
        assert_eq!(flatten("</", 5).1, 0);
        assert_eq!(flatten("<a b='", 5).1, 0);
    }
}
