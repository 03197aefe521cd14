//! Turning the text of a rule file into a validated, compiled [`RuleFile`].
//!
//! Everything that can be wrong with a file is found here, before any page is
//! cleaned, and reported as `file:line:column: reason` (serde errors carry
//! toml's span; every value validation looks at is a [`toml::Spanned`]).
//! Matching pages against a compiled file is [`super::apply`]'s job.
//!
//! Compiling a file's regex sets is most of the cost of loading it, and most
//! sets are never matched: a generic file's lines are matched through the
//! rule set's shared set, a site or platform file's only on the pages that
//! select it. So a file's sets are [`LazySet`]s. A file from the user is
//! loaded with [`Check::Compile`]: its sets are compiled at once, so that a
//! regex too large to compile is reported at load, with its location. The
//! built-in files are loaded with [`Check::Parse`]: their regexes are only
//! parsed, and each set is compiled the first time it is matched; that they
//! compile is checked by [`super::builtin_files`], which compiles them, and
//! the tests that load it.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex::RegexBuilder;
use regex_syntax::hir::Hir;
use toml::Spanned;

use crate::pattern::LinePatternSet;

use super::schema::{ActionName, ExampleSchema, ExpectName, FileSchema, LevelName, RuleSchema};
use super::{Action, Example, Expect, Level, Origin, Rule, RuleError, RuleFile};

/// The most bytes one compiled regex may take.
pub const REGEX_SIZE_LIMIT: usize = 10 << 20;
/// The most bytes the compiled set of one file's regexes may take.
pub const SET_SIZE_LIMIT: usize = 64 << 20;
/// How many lines a `drop-block` may span when `max_lines` is not given.
pub const DEFAULT_MAX_LINES: usize = 30;
/// The largest `within` and `max_lines` a rule may ask for.
pub const MAX_WINDOW: i64 = 1000;

/// How much loading a file proves of its regexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// Parse them and compile the file's sets: nothing can fail later.
    Compile,
    /// Only parse them; the sets are compiled on first use, which must not
    /// fail (the built-in files, whose sets the tests compile).
    Parse,
}

/// The compiled patterns of one file.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    /// Every distinct line regex of the file's rules (`match`, `end`,
    /// `followed_by`, `preceded_by`), in slot order, as one set matched
    /// once per line.
    pub set: LazySet,
    /// The `detect` patterns, if any.
    pub detect: Option<LazySet>,
    /// The CSS selectors of the file's rules, in order, parsed once.
    pub selectors: Vec<scraper::Selector>,
}

/// A [`LinePatternSet`] compiled now or on first use.
///
/// Either way its patterns were checked when the file was loaded (see
/// [`Check`]), so getting it cannot fail; it is `Sync`, so threads cleaning
/// pages share it, and the first to need it compiles it.
#[derive(Debug, Clone)]
pub(crate) struct LazySet {
    /// The patterns as parsed when the file was loaded, not parsed again.
    hirs: Vec<Hir>,
    set: OnceLock<LinePatternSet>,
}

impl LazySet {
    /// A set of the patterns parsed as `hirs`, compiled now; a compile
    /// error is the caller's to locate.
    fn compiled(hirs: Vec<Hir>) -> Result<Self, regex::Error> {
        let set = LinePatternSet::from_hirs(hirs.clone(), SET_SIZE_LIMIT)?;
        Ok(LazySet {
            hirs,
            set: OnceLock::from(set),
        })
    }

    /// A set of the patterns parsed as `hirs`, which must compile,
    /// compiled on first use.
    fn deferred(hirs: Vec<Hir>) -> Self {
        LazySet {
            hirs,
            set: OnceLock::new(),
        }
    }

    /// The regexes parsed, in set order.
    pub fn hirs(&self) -> &[Hir] {
        &self.hirs
    }

    /// The set, compiled if it was not yet.
    pub fn get(&self) -> &LinePatternSet {
        self.set.get_or_init(|| {
            // Only a built-in file's sets are deferred, and the tests
            // compile every one of them (see [`Check::Parse`]), so their
            // confirming regexes may wait for first use too.
            LinePatternSet::from_hirs_deferred(self.hirs.clone(), SET_SIZE_LIMIT)
                .unwrap_or_else(|e| panic!("a built-in rule file's regexes do not compile: {e}"))
        })
    }
}

/// Indices of one rule's patterns in its file's [`Compiled::set`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Slots {
    pub pattern: Option<usize>,
    pub selector: Option<usize>,
    pub end: Option<usize>,
    pub followed_by: Option<usize>,
    pub preceded_by: Option<usize>,
}

/// Where in the text a span starts, as 1-based line and column (in
/// characters).
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

struct Ctx<'a> {
    file: String,
    text: &'a str,
}

impl Ctx<'_> {
    fn error(&self, span: Range<usize>, reason: impl Into<String>) -> RuleError {
        let (line, column) = line_col(self.text, span.start);
        RuleError::Invalid {
            file: self.file.clone(),
            line,
            column,
            reason: reason.into(),
        }
    }

    /// Parse one regex, to report a syntax error at its value. Only the
    /// parser runs here: compiling happens once, in the file's set, from
    /// what is parsed here, and a regex too large to compile is located by
    /// [`Ctx::locate_too_big`].
    fn regex(&self, value: &Spanned<String>, key: &str) -> Result<Hir, RuleError> {
        regex_syntax::Parser::new()
            .parse(value.get_ref())
            .map_err(|e| {
                self.error(
                    value.span(),
                    format!(
                        "invalid regex in `{key}`: {}",
                        syntax_reason(&e.to_string())
                    ),
                )
            })
    }

    /// After a set failed to compile, find the pattern that is too large on
    /// its own and report it at its value; `None` when only the set as a
    /// whole is too large.
    fn locate_too_big(&self, sources: &[&Spanned<String>]) -> Option<RuleError> {
        sources.iter().find_map(|value| {
            RegexBuilder::new(value.get_ref())
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .err()
                .map(|e| self.error(value.span(), format!("invalid regex: {}", regex_reason(&e))))
        })
    }
}

/// The last `error:` line of a syntax error's multi-line text.
fn syntax_reason(text: &str) -> String {
    text.lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error:"))
        .unwrap_or(text)
        .trim()
        .to_string()
}

/// The one-line reason of a regex error.
fn regex_reason(err: &regex::Error) -> String {
    match err {
        regex::Error::CompiledTooBig(limit) => format!(
            "the regex is too large once compiled (over {limit} bytes); \
             simplify it, e.g. avoid large counted repetitions like `\\w{{500}}`"
        ),
        regex::Error::Syntax(text) => syntax_reason(text),
        other => other.to_string(),
    }
}

/// Parse and validate the text of a rule file named `name`, compiling its
/// sets now or leaving them to first use as `check` says.
pub(crate) fn parse(
    name: &str,
    origin: Origin,
    text: &str,
    check: Check,
) -> Result<RuleFile, RuleError> {
    let ctx = Ctx {
        file: origin.to_string(),
        text,
    };
    let schema: FileSchema = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        ctx.error(span, e.message().trim().to_string())
    })?;

    let level = match schema.level.as_ref().map(|l| *l.get_ref()) {
        None | Some(LevelName::Site) => Level::Site,
        Some(LevelName::Platform) => Level::Platform,
        Some(LevelName::Generic) => Level::Generic,
    };
    let level_span = schema.level.as_ref().map_or(0..0, |l| l.span());

    let mut hosts = Vec::new();
    for host in &schema.hosts {
        let normalized = crate::normalize_host(host.get_ref());
        if normalized.is_empty()
            || !normalized
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        {
            return Err(ctx.error(
                host.span(),
                format!(
                    "`{}` is not a host name (write it like `example.com`, without scheme or path)",
                    host.get_ref()
                ),
            ));
        }
        hosts.push(normalized);
    }
    let mut detect = Vec::new();
    let mut detect_hirs = Vec::new();
    for pattern in &schema.detect {
        detect_hirs.push(ctx.regex(pattern, "detect")?);
        detect.push(pattern.get_ref().clone());
    }
    match level {
        Level::Generic if !hosts.is_empty() || !detect.is_empty() => {
            return Err(ctx.error(
                level_span,
                "a generic file applies to every page: remove `hosts` and `detect`, \
                 or make it `level = \"site\"` or `\"platform\"`",
            ))
        }
        Level::Site | Level::Platform if hosts.is_empty() && detect.is_empty() => {
            return Err(ctx.error(
                level_span,
                "this file would never apply: give it `hosts`, `detect` patterns, \
                 or make it `level = \"generic\"`",
            ))
        }
        _ => {}
    }

    let mut lines = LinePatterns::default();
    let mut selectors: Vec<scraper::Selector> = Vec::new();
    let mut rules: Vec<Rule> = Vec::new();
    let mut ids: HashMap<String, ()> = HashMap::new();

    for spanned in &schema.rules {
        let (rule, [pattern, end, followed_by, preceded_by]) = rule_of(&ctx, spanned)?;
        if ids.insert(rule.id.clone(), ()).is_some() {
            let span = spanned.get_ref().id.span();
            return Err(ctx.error(
                span,
                format!(
                    "duplicate rule id `{}`: every rule of a file needs its own id",
                    rule.id
                ),
            ));
        }
        let raw = spanned.get_ref();
        // Slots are numbered in this order.
        let mut slots = Slots {
            pattern: lines.slot(&raw.pattern, pattern),
            end: lines.slot(&raw.end, end),
            followed_by: lines.slot(&raw.followed_by, followed_by),
            preceded_by: lines.slot(&raw.preceded_by, preceded_by),
            selector: None,
        };
        if let Some(s) = &raw.selector {
            let parsed = scraper::Selector::parse(s.get_ref()).map_err(|e| {
                ctx.error(s.span(), format!("invalid CSS selector in `selector`: {e}"))
            })?;
            selectors.push(parsed);
            slots.selector = Some(selectors.len() - 1);
        }
        rules.push(Rule { slots, ..rule });
    }

    let detect_lines = LinePatterns {
        hirs: detect_hirs,
        sources: schema.detect.iter().collect(),
        ..LinePatterns::default()
    };
    let (set, detect_set) = match check {
        Check::Parse => (
            LazySet::deferred(lines.hirs),
            (!detect.is_empty()).then(|| LazySet::deferred(detect_lines.hirs)),
        ),
        Check::Compile => compile(&ctx, lines, detect_lines)?,
    };

    let mut examples = Vec::new();
    for spanned in &schema.examples {
        examples.push(example_of(&ctx, spanned, &rules)?);
    }

    Ok(RuleFile {
        name: name.to_string(),
        origin,
        level,
        hosts,
        detect,
        replaces: None,
        rules,
        examples,
        compiled: Compiled {
            set,
            detect: detect_set,
            selectors,
        },
    })
}

/// Compile a file's line set and `detect` set, reporting a regex too large
/// to compile at its value.
fn compile(
    ctx: &Ctx<'_>,
    lines: LinePatterns<'_>,
    detect: LinePatterns<'_>,
) -> Result<(LazySet, Option<LazySet>), RuleError> {
    let set = LazySet::compiled(lines.hirs).map_err(|e| {
        ctx.locate_too_big(&lines.sources).unwrap_or_else(|| {
            ctx.error(
                0..0,
                format!(
                    "the file's regexes together are too large to compile ({}); \
                         split the file or simplify its patterns",
                    regex_reason(&e)
                ),
            )
        })
    })?;
    let detect_set = if detect.hirs.is_empty() {
        None
    } else {
        Some(LazySet::compiled(detect.hirs).map_err(|e| {
            ctx.locate_too_big(&detect.sources).unwrap_or_else(|| {
                ctx.error(
                    0..0,
                    format!("the `detect` patterns are too large: {}", regex_reason(&e)),
                )
            })
        })?)
    };
    Ok((set, detect_set))
}

/// The distinct regexes of a set, each parsed, with the first value it came
/// from (to locate a compile error).
#[derive(Default)]
struct LinePatterns<'s> {
    hirs: Vec<Hir>,
    sources: Vec<&'s Spanned<String>>,
    slot_of: HashMap<String, usize>,
}

impl<'s> LinePatterns<'s> {
    /// The index of `value`'s regex (parsed as `hir`), a new one if no
    /// earlier value had its text; `None` without a value.
    fn slot(&mut self, value: &'s Option<Spanned<String>>, hir: Option<Hir>) -> Option<usize> {
        let (value, hir) = (value.as_ref()?, hir?);
        if let Some(&index) = self.slot_of.get(value.get_ref()) {
            return Some(index);
        }
        self.hirs.push(hir);
        self.sources.push(value);
        self.slot_of
            .insert(value.get_ref().clone(), self.hirs.len() - 1);
        Some(self.hirs.len() - 1)
    }
}

/// The rule `spanned` validated, and its regexes parsed: `match`, `end`,
/// `followed_by` and `preceded_by`, each when it has one.
fn rule_of(
    ctx: &Ctx<'_>,
    spanned: &Spanned<RuleSchema>,
) -> Result<(Rule, [Option<Hir>; 4]), RuleError> {
    let raw = spanned.get_ref();
    let id = raw.id.get_ref();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        return Err(ctx.error(
            raw.id.span(),
            format!("rule id `{id}` may only use letters, digits, `-`, `_` and `.`"),
        ));
    }
    let action = match raw.action.get_ref() {
        ActionName::Drop => Action::Drop,
        ActionName::Keep => Action::Keep,
        ActionName::CutAfter => Action::CutAfter,
        ActionName::CutBefore => Action::CutBefore,
        ActionName::DropBlock => Action::DropBlock,
    };
    let action_span = raw.action.span();
    if raw.pattern.is_none() && raw.selector.is_none() {
        return Err(ctx.error(
            spanned.span(),
            format!("rule `{id}` needs `match` (a regex) or `selector` (a CSS selector)"),
        ));
    }
    if action != Action::Drop && action != Action::Keep && raw.pattern.is_none() {
        return Err(ctx.error(
            action_span,
            format!(
                "rule `{id}`: `{}` needs `match`, the regex of its marker line",
                action.name()
            ),
        ));
    }
    let mut hirs: [Option<Hir>; 4] = Default::default();
    for ((key, value), hir) in [
        ("match", &raw.pattern),
        ("end", &raw.end),
        ("followed_by", &raw.followed_by),
        ("preceded_by", &raw.preceded_by),
    ]
    .into_iter()
    .zip(&mut hirs)
    {
        if let Some(value) = value {
            *hir = Some(ctx.regex(value, key)?);
        }
    }
    match (action, &raw.end) {
        (Action::DropBlock, None) => {
            return Err(ctx.error(
                action_span,
                format!(
                    "rule `{id}`: `drop-block` needs `end`, the regex of the block's last line"
                ),
            ))
        }
        (Action::DropBlock, Some(_)) => {}
        (_, Some(end)) => {
            return Err(ctx.error(
                end.span(),
                format!("rule `{id}`: `end` only belongs to `drop-block` rules"),
            ))
        }
        (_, None) => {}
    }
    if action != Action::DropBlock {
        if let Some(max) = &raw.max_lines {
            return Err(ctx.error(
                max.span(),
                format!("rule `{id}`: `max_lines` only belongs to `drop-block` rules"),
            ));
        }
    }
    let window = |value: &Option<Spanned<i64>>, key: &str, default: usize| match value {
        None => Ok(default),
        Some(v) if (1..=MAX_WINDOW).contains(v.get_ref()) => Ok(*v.get_ref() as usize),
        Some(v) => Err(ctx.error(
            v.span(),
            format!("rule `{id}`: `{key}` must be between 1 and {MAX_WINDOW}"),
        )),
    };
    let within = window(&raw.within, "within", 1)?;
    if raw.within.is_some() && raw.followed_by.is_none() && raw.preceded_by.is_none() {
        let span = raw.within.as_ref().map_or(0..0, |w| w.span());
        return Err(ctx.error(
            span,
            format!("rule `{id}`: `within` needs `followed_by` or `preceded_by`"),
        ));
    }
    let max_lines = window(&raw.max_lines, "max_lines", DEFAULT_MAX_LINES)?;
    Ok((
        Rule {
            id: id.clone(),
            action,
            pattern: raw.pattern.as_ref().map(|p| p.get_ref().clone()),
            selector: raw.selector.as_ref().map(|p| p.get_ref().clone()),
            end: raw.end.as_ref().map(|p| p.get_ref().clone()),
            followed_by: raw.followed_by.as_ref().map(|p| p.get_ref().clone()),
            preceded_by: raw.preceded_by.as_ref().map(|p| p.get_ref().clone()),
            within,
            max_lines,
            slots: Slots::default(),
        },
        hirs,
    ))
}

fn example_of(
    ctx: &Ctx<'_>,
    spanned: &Spanned<ExampleSchema>,
    rules: &[Rule],
) -> Result<Example, RuleError> {
    let raw = spanned.get_ref();
    if let Some(rule) = &raw.rule {
        if !rules.iter().any(|r| &r.id == rule.get_ref()) {
            return Err(ctx.error(
                rule.span(),
                format!(
                    "example names rule `{}`, which this file does not have",
                    rule.get_ref()
                ),
            ));
        }
        if raw.expect == ExpectName::None {
            return Err(ctx.error(
                rule.span(),
                "an example that expects `none` cannot name the rule that decides it",
            ));
        }
    }
    let (line, column) = line_col(ctx.text, spanned.span().start);
    Ok(Example {
        line: raw.line.trim().to_string(),
        expect: match raw.expect {
            ExpectName::Drop => Expect::Drop,
            ExpectName::Keep => Expect::Keep,
            ExpectName::None => Expect::NoRule,
        },
        rule: raw.rule.as_ref().map(|r| r.get_ref().clone()),
        before: raw.before.iter().map(|l| l.trim().to_string()).collect(),
        after: raw.after.iter().map(|l| l.trim().to_string()).collect(),
        location: (line, column),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // `=` after "bé " (é is two bytes).
        assert_eq!(line_col(text, 10), (2, 4));
        assert_eq!(line_col(text, 999), (3, 1));
    }
}
