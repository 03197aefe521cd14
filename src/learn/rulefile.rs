//! Writing a learned [`Model`] as a rule file a person can read and review:
//! one `drop` rule per template shape (an anchored regex of the shape), a
//! `cut-after` rule for the shared tail, `detect` patterns from the lines
//! every page carries, and examples taken from the pages. The file is loaded
//! back with the real loader, its examples are run, and it is replayed over
//! the pages: a rule that would remove a line the model did not call
//! template is left out.
//!
//! Reading the pages and writing the file to disk is the binary's job.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use thiserror::Error;

use super::model::{self, CutAfter, Evidence, Model, Side, TemplateLine, Zone};
use super::normalize::{LineKey, Shape};
use crate::classify::Verdict;
use crate::page::Page;
use crate::rules::{Origin, RuleError, RuleFile, Selection};

/// A `detect` line must be on at least this share of the pages: a text
/// dump is recognized by one matching line, so a line missing from some
/// pages would leave them unrecognized.
const DETECT_SHARE: f64 = 0.9;

/// ... and at least this long, with two words: "Menu" or "Home" is on every
/// site.
const DETECT_MIN_CHARS: usize = 10;

/// At most this many `detect` patterns (two, so one redesigned masthead or
/// footer does not lose the site).
const DETECT_MAX: usize = 2;

/// A page to learn from.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// How the page is named in reports (its path).
    pub name: String,
    pub page: Page,
}

/// How to learn.
#[derive(Debug, Clone, Default)]
pub struct LearnOptions {
    /// The site's host: becomes `hosts`. Without it the file relies on
    /// `detect`.
    pub host: Option<String>,
    /// The rule file's name (without `.toml`); rule ids read `<name>/<id>`.
    pub name: String,
    /// Where the pages came from, for the file's header comment.
    pub source: String,
}

/// Lines a learned file removes from one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRemoval {
    pub name: String,
    pub lines: usize,
    pub removed: usize,
}

/// A learned rule file.
#[derive(Debug, Clone)]
pub struct LearnedFile {
    /// The TOML text.
    pub text: String,
    /// The file as the loader reads it.
    pub file: RuleFile,
    /// Per page, how many lines the file removes.
    pub pages: Vec<PageRemoval>,
}

/// Why no rule file could be learned.
#[derive(Debug, Error)]
pub enum LearnError {
    #[error("only {found} readable page(s); learning a template needs at least {need} pages of the same site")]
    TooFewPages { found: usize, need: usize },
    #[error(
        "no line recurs on enough of the {pages} pages to be template; are they pages of one site?"
    )]
    NothingLearned { pages: usize },
    #[error("no line is on {share:.0}% of the pages to recognize the site by; pass --site HOST so the file applies by host")]
    NoSignature { share: f64 },
    /// An example taken from the pages fails: a bug in the learner.
    #[error("the learned rule file fails its own example: {0}; please report this")]
    Example(String),
    /// The learned file does not load: a bug in the learner.
    #[error("the learned rule file does not load ({0}); please report this")]
    Invalid(#[from] RuleError),
}

/// A template shape with what the file says about it.
struct Learned<'a> {
    line: &'a TemplateLine,
    shape: &'a Shape,
    /// The first occurrence's text.
    example: &'a str,
    regex: String,
    id: String,
}

/// Learn a rule file from the pages of one site.
pub fn learn_rule_file(
    pages: &[SourcePage],
    options: &LearnOptions,
) -> Result<LearnedFile, LearnError> {
    if pages.len() < model::MIN_SITE_PAGES {
        return Err(LearnError::TooFewPages {
            found: pages.len(),
            need: model::MIN_SITE_PAGES,
        });
    }
    let shapes: Vec<Vec<Shape>> = pages
        .iter()
        .map(|p| p.page.lines.iter().map(|l| Shape::of(&l.text)).collect())
        .collect();
    let keys: Vec<Vec<LineKey>> = shapes
        .iter()
        .map(|s| s.iter().map(Shape::key).collect())
        .collect();
    let model = Model::learn(&keys);
    if model.is_empty() {
        return Err(LearnError::NothingLearned { pages: pages.len() });
    }
    // The first occurrence of every shape: its text and shape.
    let mut first: HashMap<LineKey, (&str, &Shape)> = HashMap::new();
    for (page, (page_shapes, page_keys)) in pages.iter().zip(shapes.iter().zip(&keys)) {
        for ((line, shape), key) in page.page.lines.iter().zip(page_shapes).zip(page_keys) {
            first.entry(*key).or_insert((line.text.as_str(), shape));
        }
    }
    let mut excluded: HashSet<LineKey> = HashSet::new();
    let mut without_cut = false;
    loop {
        let text = render(
            pages,
            &keys,
            &model,
            &first,
            &excluded,
            without_cut,
            options,
        )?;
        let file = load(&text, options)?;
        // Replay: every line the file removes must be template in the model.
        let mut bad_rules: HashSet<String> = HashSet::new();
        let mut removals = Vec::with_capacity(pages.len());
        for (page, page_keys) in pages.iter().zip(&keys) {
            let hits = Selection::new(vec![&file]).apply(&page.page);
            let allowed = model.drops(page_keys);
            let mut removed = 0;
            for (hit, ok) in hits.iter().zip(&allowed) {
                let Some(hit) = hit else { continue };
                if hit.verdict != Verdict::Drop {
                    continue;
                }
                removed += 1;
                if !ok {
                    bad_rules.insert(hit.rule_id.clone());
                }
            }
            removals.push(PageRemoval {
                name: page.name.clone(),
                lines: page.page.lines.len(),
                removed,
            });
        }
        if bad_rules.is_empty() {
            let failures = file.check_examples();
            if let Some(failure) = failures.first() {
                return Err(LearnError::Example(failure.to_string()));
            }
            return Ok(LearnedFile {
                text,
                file,
                pages: removals,
            });
        }
        // Leave out the shapes whose rules overreached, and try again.
        let before = (excluded.len(), without_cut);
        for rule in &file.rules {
            let full = format!("{}/{}", file.name, rule.id);
            if !bad_rules.contains(&full) {
                continue;
            }
            if rule.action == crate::rules::Action::CutAfter {
                without_cut = true;
            }
            if let Some(key) = model.lines.keys().find(|k| {
                first
                    .get(k)
                    .is_some_and(|(_, s)| Some(s.regex()) == rule.pattern)
            }) {
                excluded.insert(*key);
            }
        }
        if (excluded.len(), without_cut) == before {
            // Nothing left to exclude (cannot happen: every rule comes from
            // a shape or the tail).
            return Err(LearnError::NothingLearned { pages: pages.len() });
        }
    }
}

fn load(text: &str, options: &LearnOptions) -> Result<RuleFile, RuleError> {
    let origin = Origin::File(PathBuf::from(format!("{}.toml", options.name)));
    let file = RuleFile::from_str(&options.name, origin, text)?;
    Ok(file)
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A regex as a TOML literal string: `'` and control characters become
/// regex escapes.
fn literal_regex(regex: &str) -> String {
    let mut out = String::from("'");
    for c in regex.chars() {
        match c {
            '\'' => out.push_str(r"\x27"),
            c if c.is_control() && c != '\t' => {
                let _ = write!(out, r"\x{{{:X}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A rule id from a line: its first ASCII words, lower case, joined by `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
    {
        if out.len() + word.len() > 32 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() {
        out.push_str("line");
    }
    out
}

/// A line's text for a note, shortened.
fn cite(text: &str) -> String {
    let short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        format!("\u{201c}{short}…\u{201d}")
    } else {
        format!("\u{201c}{short}\u{201d}")
    }
}

fn describe(
    learned: &Learned<'_>,
    pages: usize,
    first: &HashMap<LineKey, (&str, &Shape)>,
) -> String {
    let line = learned.line;
    let seen = format!("seen on {} of {pages} pages", line.pages);
    let name = |k: Option<LineKey>, side: Side| match k {
        Some(k) => first
            .get(&k)
            .map_or("a template line".into(), |(t, _)| cite(t)),
        None if side == Side::Before => "the top of the page".into(),
        None => "the end of the page".into(),
    };
    let place = match line.zone {
        Zone::Head => format!("usually line {} from the top", line.from_top + 1),
        Zone::Tail => format!("usually line {} from the bottom", line.from_bottom + 1),
    };
    let varies = if learned.shape.varies() {
        " (numbers, dates and counts vary)"
    } else {
        ""
    };
    match line.evidence {
        Evidence::Fixed => format!("Template line{varies}, {seen}, {place}"),
        Evidence::Slot { side, neighbour } => {
            let rel = if side == Side::Before {
                "after"
            } else {
                "before"
            };
            format!(
                "Rotating line{varies}, {seen}, mostly right {rel} {}",
                name(neighbour, side)
            )
        }
        Evidence::Enclosed { before, after } => format!(
            "Template sentence between {} and {}, {seen}",
            name(before, Side::Before),
            name(after, Side::After)
        ),
        Evidence::SignOff { side, neighbour } => {
            let rel = if side == Side::Before {
                "after"
            } else {
                "before"
            };
            format!(
                "Template sentence, {seen}, {place}, right {rel} {}",
                name(neighbour, side)
            )
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn render(
    pages: &[SourcePage],
    keys: &[Vec<LineKey>],
    model: &Model,
    first: &HashMap<LineKey, (&str, &Shape)>,
    excluded: &HashSet<LineKey>,
    without_cut: bool,
    options: &LearnOptions,
) -> Result<String, LearnError> {
    let n = model.pages;
    // Rules in page order: the head top-down, then the tail top-down.
    let mut lines: Vec<&TemplateLine> = model
        .lines
        .values()
        .filter(|l| !excluded.contains(&l.key) && first.contains_key(&l.key))
        .collect();
    lines.sort_by_key(|l| match l.zone {
        Zone::Head => (0, l.from_top, l.key),
        Zone::Tail => (1, usize::MAX - l.from_bottom, l.key),
    });
    let mut ids: HashSet<String> = HashSet::new();
    let mut regexes: HashSet<String> = HashSet::new();
    let mut learned: Vec<Learned<'_>> = Vec::new();
    for line in lines {
        let (example, shape) = first[&line.key];
        let regex = shape.regex();
        if !regexes.insert(regex.clone()) {
            continue;
        }
        let zone = match line.zone {
            Zone::Head => "head",
            Zone::Tail => "tail",
        };
        let base = format!("{zone}-{}", slug(example));
        let mut id = base.clone();
        let mut i = 2;
        while !ids.insert(id.clone()) {
            id = format!("{base}-{i}");
            i += 1;
        }
        learned.push(Learned {
            line,
            shape,
            example,
            regex,
            id,
        });
    }

    let detect: Vec<&Learned<'_>> = {
        let mut c: Vec<&Learned<'_>> = learned
            .iter()
            .filter(|l| {
                l.line.pages as f64 / n as f64 >= DETECT_SHARE
                    && l.example.chars().count() >= DETECT_MIN_CHARS
                    && l.example.split_whitespace().count() >= 2
            })
            .collect();
        // Most pages first, then the lines at the very top or bottom (a
        // masthead, a copyright line: the most site-specific ones; "Share
        // this article" is on many sites).
        c.sort_by_key(|l| {
            (
                std::cmp::Reverse(l.line.pages),
                l.line.from_top.min(l.line.from_bottom),
                l.shape.varies(),
                std::cmp::Reverse(l.example.chars().count()),
                l.line.key,
            )
        });
        c.truncate(DETECT_MAX);
        c
    };
    if options.host.is_none() && detect.is_empty() {
        return Err(LearnError::NoSignature {
            share: DETECT_SHARE * 100.0,
        });
    }

    let cut = model.cut_after.as_ref().filter(|_| !without_cut);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Learned by `deboil rules learn` from {n} pages of {}.",
        options.source
    );
    let _ = writeln!(
        out,
        "# Each rule removes one line of the site's template (or its tail); its note"
    );
    let _ = writeln!(
        out,
        "# says what and on how many pages it was seen. Review, then `deboil rules check`."
    );
    let _ = writeln!(
        out,
        "description = {}",
        quoted(&format!(
            "Template of {}, learned from {n} pages",
            options.host.as_deref().unwrap_or(&options.name)
        ))
    );
    let _ = writeln!(out, "level = \"site\"");
    match &options.host {
        Some(host) => {
            let _ = writeln!(out, "hosts = [{}]", quoted(host));
        }
        None => {
            let _ = writeln!(
                out,
                "# No hosts (learned without --site): the file applies to pages that `detect` recognizes."
            );
        }
    }
    if !detect.is_empty() {
        let _ = writeln!(out, "# Lines on nearly every page of the site:");
        let patterns: Vec<String> = detect.iter().map(|l| literal_regex(&l.regex)).collect();
        let _ = writeln!(out, "detect = [{}]", patterns.join(", "));
    }

    let mut zone = None;
    for l in &learned {
        if zone != Some(l.line.zone) {
            zone = Some(l.line.zone);
            let heading = match l.line.zone {
                Zone::Head => "Head: template lines nearer the top of the page",
                Zone::Tail => "Tail: template lines nearer the bottom of the page",
            };
            let _ = writeln!(out, "\n## {heading}");
        }
        let _ = writeln!(out, "\n[[rule]]");
        let _ = writeln!(out, "id = {}", quoted(&l.id));
        let _ = writeln!(out, "note = {}", quoted(&describe(l, n, first)));
        let _ = writeln!(out, "action = \"drop\"");
        let _ = writeln!(out, "match = {}", literal_regex(&l.regex));
    }

    let cut_rule = cut.and_then(|c| first.get(&c.key).map(|(t, s)| (c, *t, s.regex())));
    let mut cut_id = None;
    if let Some((CutAfter { pages, lines, .. }, text, regex)) = &cut_rule {
        let id = format!("tail-from-{}", slug(text));
        let _ = writeln!(out, "\n## The shared tail: every page ends the same way");
        let _ = writeln!(out, "\n[[rule]]");
        let _ = writeln!(out, "id = {}", quoted(&id));
        let note = format!(
            "Everything from {} to the end of the page; seen on {pages} of {n} pages, {lines} lines in all, no article sentence among them",
            cite(text)
        );
        let _ = writeln!(out, "note = {}", quoted(&note));
        let _ = writeln!(out, "action = \"cut-after\"");
        let _ = writeln!(out, "match = {}", literal_regex(regex));
        cut_id = Some(id);
    }

    // Examples: each rule's first line, the tail, and one article line.
    let _ = writeln!(out, "\n## Examples from the pages");
    for l in &learned {
        let _ = writeln!(out, "\n[[example]]");
        let _ = writeln!(out, "line = {}", quoted(l.example));
        let _ = writeln!(out, "expect = \"drop\"");
        let _ = writeln!(out, "rule = {}", quoted(&l.id));
    }
    let template_regexes: Vec<regex::Regex> = learned
        .iter()
        .filter_map(|l| regex::Regex::new(&l.regex).ok())
        .collect();
    let is_dropped = |text: &str| template_regexes.iter().any(|r| r.is_match(text));
    if let (Some((cut, marker, _)), Some(id)) = (&cut_rule, &cut_id) {
        // A line after the marker that no drop rule removes: the cut does.
        let tail_line = pages.iter().zip(keys).find_map(|(page, page_keys)| {
            let last = page_keys.iter().rposition(|k| *k == cut.key)?;
            page.page.lines[last + 1..]
                .iter()
                .map(|l| l.text.as_str())
                .find(|t| !is_dropped(t))
        });
        if let Some(line) = tail_line {
            let _ = writeln!(out, "\n[[example]]");
            let _ = writeln!(out, "line = {}", quoted(line));
            let _ = writeln!(out, "before = [{}]", quoted(marker));
            let _ = writeln!(out, "expect = \"drop\"");
            let _ = writeln!(out, "rule = {}", quoted(id));
        }
    }
    // The longest sentence of the first page that no rule touches.
    let article_line = pages.first().and_then(|page| {
        let cut_at = cut.and_then(|c| {
            page.page
                .lines
                .iter()
                .rposition(|l| super::normalize::key(&l.text) == c.key)
        });
        page.page
            .lines
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                cut_at.is_none_or(|c| *i < c)
                    && super::normalize::is_prose(&l.text)
                    && !is_dropped(&l.text)
            })
            .map(|(_, l)| l.text.as_str())
            .max_by_key(|t| t.chars().count())
    });
    if let Some(line) = article_line {
        let _ = writeln!(out, "\n[[example]]");
        let _ = writeln!(out, "line = {}", quoted(line));
        let _ = writeln!(out, "expect = \"none\"");
    }
    Ok(out)
}
