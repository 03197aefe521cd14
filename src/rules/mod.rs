//! Rule files: their schema, loading, validation, site selection and
//! matching.
//!
//! A [`RuleSet`] holds every loaded [`RuleFile`] (built-in ones compiled into
//! the binary from `rules/`, and the user's from `--rules DIR` or
//! `DEBOIL_RULES`). For one page, [`RuleSet::select`] picks the files that
//! apply (by host, or by `detect` patterns on the page), and
//! [`Selection::apply`] returns one optional [`RuleHit`] per line. Every line
//! is matched once against the rule set's `shared` set (all `detect`
//! patterns, the generic files' line patterns), and once more against each
//! selected site or platform file's own patterns. This module never decides what the classifier
//! decides: a line no rule matched gets `None`.
//!
//! The schema is documented in `rules/README.md`; `schema` is its serde
//! form, `load` validates a file and compiles its regex sets (at once, or
//! for a built-in file when first needed), `shared` builds the
//! rule set's shared set, `apply` matches pages.

mod apply;
mod load;
mod schema;
mod shared;
mod skeleton;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use thiserror::Error;

use crate::classify::Verdict;
use crate::page::Page;

pub use apply::ExampleFailure;
pub use load::{DEFAULT_MAX_LINES, REGEX_SIZE_LIMIT, SET_SIZE_LIMIT};
pub use skeleton::skeleton;

/// The rule files built into the binary: (file name, text).
const BUILTIN: &[(&str, &str)] = &[
    ("generic.toml", include_str!("../../rules/generic.toml")),
    ("wordpress.toml", include_str!("../../rules/wordpress.toml")),
    (
        "express.co.uk.toml",
        include_str!("../../rules/express.co.uk.toml"),
    ),
    (
        "suaramalaysia.com.toml",
        include_str!("../../rules/suaramalaysia.com.toml"),
    ),
];

/// What a rule does to the lines it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Drop the matching line.
    Drop,
    /// Keep the matching line (overrides the classifier and same-level drops).
    Keep,
    /// Drop the marker line and every line after it (the last marker on the
    /// page counts).
    CutAfter,
    /// Drop the marker line and every line before it (the first marker on the
    /// page counts).
    CutBefore,
    /// Drop from a line matching `match` to the next line matching `end`.
    DropBlock,
}

impl Action {
    /// The name written in rule files.
    pub fn name(self) -> &'static str {
        match self {
            Action::Drop => "drop",
            Action::Keep => "keep",
            Action::CutAfter => "cut-after",
            Action::CutBefore => "cut-before",
            Action::DropBlock => "drop-block",
        }
    }
}

/// How widely a file applies; also its precedence (site beats platform beats
/// generic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Site,
    Platform,
    Generic,
}

impl Level {
    /// The name written in rule files.
    pub fn name(self) -> &'static str {
        match self {
            Level::Site => "site",
            Level::Platform => "platform",
            Level::Generic => "generic",
        }
    }
}

/// Where a rule file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary; the string is the file name in `rules/`.
    Builtin(&'static str),
    /// Loaded from this path.
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Builtin(name) => write!(f, "<built-in>/rules/{name}"),
            Origin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// One rule of a file.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The id, unique in its file.
    pub id: String,
    pub action: Action,
    /// The regex the (marker) line must match.
    pub pattern: Option<String>,
    /// The CSS selector whose elements' blocks the rule fires on.
    pub selector: Option<String>,
    /// `drop-block`: the regex of the block's last line.
    pub end: Option<String>,
    /// One of the next `within` lines must match this.
    pub followed_by: Option<String>,
    /// One of the previous `within` lines must match this.
    pub preceded_by: Option<String>,
    /// How far the neighbour conditions look (lines).
    pub within: usize,
    /// `drop-block`: the most lines after the start the block may reach.
    pub max_lines: usize,
    pub(crate) slots: load::Slots,
}

/// What an example expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Drop,
    Keep,
    /// No rule of the file fires on the line.
    NoRule,
}

impl Expect {
    pub fn name(self) -> &'static str {
        match self {
            Expect::Drop => "drop",
            Expect::Keep => "keep",
            Expect::NoRule => "none",
        }
    }
}

/// An `[[example]]` of a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub line: String,
    pub expect: Expect,
    /// The rule id (without file name) that must decide the line.
    pub rule: Option<String>,
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// Line and column of the example in its file.
    pub location: (usize, usize),
}

/// One loaded and validated rule file.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// The file name without `.toml`; the first part of every rule id.
    pub name: String,
    pub origin: Origin,
    pub level: Level,
    /// Host names (normalized) the file applies to, subdomains included.
    pub hosts: Vec<String>,
    /// Regexes that recognize the site or platform from the page's lines.
    pub detect: Vec<String>,
    /// The file this one replaced (a user file named like a built-in one,
    /// or like a file of an earlier `--rules` directory).
    pub replaces: Option<Origin>,
    pub rules: Vec<Rule>,
    pub examples: Vec<Example>,
    pub(crate) compiled: load::Compiled,
}

impl RuleFile {
    /// Parse and validate a rule file from its text. `name` is its file name
    /// without `.toml`.
    ///
    /// Its regex sets are compiled here, so that one too large to compile
    /// is reported now.
    pub fn from_str(name: &str, origin: Origin, text: &str) -> Result<RuleFile, RuleError> {
        load::parse(name, origin, text, load::Check::Compile)
    }

    /// Read, parse and validate the rule file at `path`.
    pub fn load(path: &Path) -> Result<RuleFile, RuleError> {
        let text = std::fs::read_to_string(path).map_err(|source| RuleError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let name = file_stem(path).ok_or_else(|| RuleError::Name {
            path: path.to_path_buf(),
        })?;
        RuleFile::from_str(&name, Origin::File(path.to_path_buf()), &text)
    }

    /// Whether `host` (normalized) is one of the file's hosts or a subdomain
    /// of one.
    pub fn matches_host(&self, host: &str) -> bool {
        self.best_host_match(host).is_some()
    }

    /// The length of the longest of the file's hosts that `host` falls
    /// under.
    fn best_host_match(&self, host: &str) -> Option<usize> {
        self.hosts
            .iter()
            .filter(|h| {
                host == h.as_str()
                    || host
                        .strip_suffix(h.as_str())
                        .is_some_and(|rest| rest.ends_with('.'))
            })
            .map(String::len)
            .max()
    }

    /// Whether one of the `detect` patterns matches a line of `page` (or its
    /// title).
    pub fn detects(&self, page: &Page) -> bool {
        let Some(set) = self.compiled.detect.as_ref().map(load::LazySet::get) else {
            return false;
        };
        page.title.as_deref().is_some_and(|t| set.is_match(t))
            || page.lines.iter().any(|l| set.is_match(&l.text))
    }
}

/// The rule file name of a path: its file name without `.toml`.
fn file_stem(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".toml").unwrap_or(name);
    (!stem.is_empty()).then(|| stem.to_string())
}

/// A rule decision for one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleHit {
    /// The full rule id: `<file name>/<rule id>`.
    pub rule_id: String,
    pub verdict: Verdict,
}

/// A rule file that could not be loaded.
#[derive(Debug, Error)]
pub enum RuleError {
    #[error("{}: cannot read rule file: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot read rule directory: {source}", path.display())]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: a rule file needs a UTF-8 file name ending in .toml", path.display())]
    Name { path: PathBuf },
    /// The file is not a valid rule file; `file:line:column: reason`.
    #[error("{file}:{line}:{column}: {reason}")]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        reason: String,
    },
}

/// Every loaded rule file.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    files: Vec<RuleFile>,
    /// Every file's `detect` patterns and the generic files' line patterns
    /// as one set (`None` when it has no pattern or does not compile), built
    /// when the first page is selected and again after `files` changes.
    shared: OnceLock<Option<shared::SharedSet>>,
}

/// The rule files that apply to one page, in precedence order.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub files: Vec<&'a RuleFile>,
    /// The rule set's shared matches on the page's lines, when the selection
    /// came from [`RuleSet::select`] or [`RuleSet::select_unchanged`].
    shared: Option<shared::PageMatches<'a>>,
}

/// The `*.toml` files of `dir`, sorted by name.
pub fn dir_files(dir: &Path) -> Result<Vec<PathBuf>, RuleError> {
    let dir_error = |source| RuleError::Dir {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(dir_error)? {
        let path = entry.map_err(dir_error)?.path();
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// Every built-in rule file, parsed and compiled one by one (for `rules
/// check`, and the tests that prove [`RuleSet::builtin`] right to compile
/// their sets only when first used).
pub fn builtin_files() -> Vec<Result<RuleFile, RuleError>> {
    builtin_files_checked(load::Check::Compile)
}

fn builtin_files_checked(check: load::Check) -> Vec<Result<RuleFile, RuleError>> {
    BUILTIN
        .iter()
        .map(|(file, text)| {
            let name = file.strip_suffix(".toml").unwrap_or(file);
            load::parse(name, Origin::Builtin(file), text, check)
        })
        .collect()
}

impl RuleSet {
    /// No rules at all.
    pub fn empty() -> Self {
        RuleSet::default()
    }

    /// The rule files built into the binary. Their regexes are parsed,
    /// not compiled: each set is compiled when a page first needs it.
    pub fn builtin() -> Result<Self, RuleError> {
        let files = builtin_files_checked(load::Check::Parse)
            .into_iter()
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RuleSet {
            files,
            shared: OnceLock::new(),
        })
    }

    /// Load every `*.toml` file in `dir`. If any file is bad, nothing is
    /// added and the first error is returned.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), RuleError> {
        let files = dir_files(dir)?
            .iter()
            .map(|p| RuleFile::load(p))
            .collect::<Result<Vec<_>, _>>()?;
        for file in files {
            self.insert(file);
        }
        self.shared = OnceLock::new();
        Ok(())
    }

    /// Add one file; a file with the same name as a loaded one replaces it.
    pub fn add(&mut self, file: RuleFile) {
        self.insert(file);
        self.shared = OnceLock::new();
    }

    /// [`RuleSet::add`] without rebuilding the shared set.
    fn insert(&mut self, mut file: RuleFile) {
        match self.files.iter_mut().find(|f| f.name == file.name) {
            Some(old) => {
                file.replaces = Some(old.origin.clone());
                *old = file;
            }
            None => self.files.push(file),
        }
    }

    pub fn files(&self) -> &[RuleFile] {
        &self.files
    }

    /// The files that apply to `page`: the site file whose hosts cover
    /// `host` (or, when no host is known, the first whose `detect` patterns
    /// match the page), every platform file whose hosts cover `host` or whose
    /// `detect` patterns match, and every generic file, in that order.
    ///
    /// Every line is matched here, once, against the rule set's shared set;
    /// the selection keeps those matches for [`Selection::apply`].
    pub fn select(&self, host: Option<&str>, page: &Page) -> Selection<'_> {
        self.select_for(host, page, Applied::Anywhere)
    }

    /// [`RuleSet::select`] for a selection [`Selection::apply`]d only to
    /// `page` itself, unchanged, or after [`Selection::lines_changed`]: the
    /// shared matches are then kept without a copy of the page's texts to
    /// check the page against.
    pub(crate) fn select_unchanged(&self, host: Option<&str>, page: &Page) -> Selection<'_> {
        self.select_for(host, page, Applied::ToSamePage)
    }

    fn select_for(&self, host: Option<&str>, page: &Page, applied: Applied) -> Selection<'_> {
        let shared = self
            .shared
            .get_or_init(|| shared::SharedSet::build(&self.files));
        let (detected, shared) = match shared {
            Some(set) => {
                let lines = set.match_lines(page);
                let detected = set.detected(page, &lines);
                let matches = match applied {
                    Applied::Anywhere => shared::PageMatches::new(&self.files, set, page, lines),
                    Applied::ToSamePage => shared::PageMatches::of_same(&self.files, set, lines),
                };
                (detected, Some(matches))
            }
            None => (self.files.iter().map(|f| f.detects(page)).collect(), None),
        };
        let of_level = |level| {
            self.files
                .iter()
                .zip(&detected)
                .filter(move |(f, _)| f.level == level)
        };
        let site = match host {
            Some(host) => of_level(Level::Site)
                .filter_map(|(f, _)| f.best_host_match(host).map(|len| (len, f)))
                .max_by_key(|(len, _)| *len)
                .map(|(_, f)| f),
            None => of_level(Level::Site)
                .find(|(_, &detected)| detected)
                .map(|(f, _)| f),
        };
        let mut files: Vec<&RuleFile> = site.into_iter().collect();
        files.extend(
            of_level(Level::Platform)
                .filter(|(f, &detected)| host.is_some_and(|h| f.matches_host(h)) || detected)
                .map(|(f, _)| f),
        );
        files.extend(of_level(Level::Generic).map(|(f, _)| f));
        Selection { files, shared }
    }
}

/// Which pages a selection is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Applied {
    /// Any page, perhaps changed after selecting.
    Anywhere,
    /// Only the page it was made for, unchanged (or marked changed).
    ToSamePage,
}

impl<'a> Selection<'a> {
    /// The page the selection was made for (by
    /// [`RuleSet::select_unchanged`]) had its lines replaced by lines whose
    /// texts differ: they are matched again when applied.
    pub(crate) fn lines_changed(&mut self) {
        if let Some(shared) = &mut self.shared {
            shared.lines_changed();
        }
    }

    /// A selection of `files`, in precedence order, each matched with its
    /// own sets (as when checking one file on its own).
    pub fn new(files: Vec<&'a RuleFile>) -> Self {
        Selection {
            files,
            shared: None,
        }
    }

    /// The site file that applies, if any.
    pub fn site(&self) -> Option<&str> {
        self.files
            .iter()
            .find(|f| f.level == Level::Site)
            .map(|f| f.name.as_str())
    }

    /// Names of the selected files.
    pub fn names(&self) -> Vec<String> {
        self.files.iter().map(|f| f.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InputKind;

    /// The selection and hits made without the shared set: each file's own
    /// `detect` set, each selected file's own line set.
    fn reference(
        rules: &RuleSet,
        host: Option<&str>,
        page: &Page,
    ) -> (Vec<String>, Vec<Option<RuleHit>>) {
        let unshared = RuleSet {
            files: rules.files.clone(),
            shared: OnceLock::from(None),
        };
        let selection = unshared.select(host, page);
        let names = selection.names();
        let files: Vec<&RuleFile> = names
            .iter()
            .filter_map(|n| rules.files.iter().find(|f| &f.name == n))
            .collect();
        (names, Selection::new(files).apply(page))
    }

    /// The built-in files' sets are compiled on first use, where an error
    /// would be a panic: they must compile, and so must the shared set (else
    /// every page falls back on each file's own sets).
    #[test]
    fn builtin_sets_compile_when_first_used() {
        let rules = RuleSet::builtin().expect("built-in rules load");
        // Compiled as a user's file is: every regex, confirming ones too.
        let compiles = |hirs: &[regex_syntax::hir::Hir]| {
            crate::pattern::LinePatternSet::from_hirs(hirs.to_vec(), SET_SIZE_LIMIT)
        };
        for file in rules.files() {
            compiles(file.compiled.set.hirs()).expect("line patterns compile");
            if let Some(detect) = &file.compiled.detect {
                compiles(detect.hirs()).expect("detect patterns compile");
            }
            assert_eq!(
                file.compiled.set.get().len(),
                file.compiled.set.hirs().len()
            );
            if let Some(detect) = &file.compiled.detect {
                assert_eq!(detect.get().len(), file.detect.len());
            }
        }
        assert!(shared::SharedSet::build(rules.files()).is_some());
    }

    #[test]
    fn shared_matching_decides_like_each_file_alone() {
        let mut rules = RuleSet::builtin().expect("built-in rules load");
        let user = [
            (
                "catch-all",
                "detect = ['^Catch All Site$']\n[[rule]]\nid = \"all\"\naction = \"drop\"\nmatch = '.'\n",
            ),
            (
                "extra",
                "level = \"generic\"\n[[rule]]\nid = \"w\"\naction = \"keep\"\nmatch = '\\bwörd\\b'\n\
                 [[rule]]\nid = \"cut\"\naction = \"cut-after\"\nmatch = '^The end$'\n\
                 [[rule]]\nid = \"blk\"\naction = \"drop-block\"\nmatch = '^Start$'\nend = '^Stop$'\n",
            ),
        ];
        for (name, text) in user {
            rules.add(RuleFile::from_str(name, Origin::Builtin("test"), text).expect("loads"));
        }
        let texts = [
            "Proudly powered by WordPress\nA wörd here\nTags: news\nShare\nStart\nx\nStop\nThe end\ntail",
            "Catch All Site\nREAD MORE: elsewhere\n© 2024 Someone\nplain line\nein wörd’s",
            "Article text with ærø and wörds\nAdvertisement\nAll rights reserved.\n\nLeave a Reply",
            "",
        ];
        for text in texts {
            for title in [None, Some("Suara Malaysia"), Some("Catch All Site")] {
                let mut page = Page::read(text, InputKind::Text);
                page.title = title.map(str::to_string);
                for host in [None, Some("express.co.uk"), Some("example.org")] {
                    let selection = rules.select(host, &page);
                    let (names, hits) = reference(&rules, host, &page);
                    assert_eq!(selection.names(), names, "{text:?} {title:?} {host:?}");
                    assert_eq!(selection.apply(&page), hits, "{text:?} {title:?} {host:?}");
                    // A page whose lines changed after selection is matched again.
                    let mut changed = page.clone();
                    changed.lines.reverse();
                    let files: Vec<&RuleFile> = selection.files.clone();
                    assert_eq!(
                        selection.apply(&changed),
                        Selection::new(files.clone()).apply(&changed)
                    );
                    // Kept without a copy: trusted on the page itself, and
                    // matched again once told its lines changed.
                    let mut unchanged = rules.select_unchanged(host, &page);
                    assert_eq!(unchanged.names(), names);
                    assert_eq!(unchanged.apply(&page), hits);
                    unchanged.lines_changed();
                    assert_eq!(
                        unchanged.apply(&changed),
                        Selection::new(files).apply(&changed)
                    );
                }
            }
        }
    }
}
