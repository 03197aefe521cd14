//! Batch cleaning of a directory tree into a mirror tree.
//!
//! Owns the directory walk (hidden entries skipped, symlinks never followed
//! out of the tree), the safety checks on where output goes (never inside
//! the input tree, never over an input, never out of the output tree through
//! a symbolic link), cleaning on a rayon thread pool, atomic writes (a
//! hidden `.deboil-tmp-*` file in the destination directory, then a rename;
//! strays left by a killed run are removed by the next run), resuming (an
//! output newer than its input, written under the same options and rules,
//! is skipped as up to date; see [`STAMP_FILE`]), and the per-file records
//! and totals of a run: every input entry is counted exactly once as
//! cleaned, skipped or failed.
//!
//! It does not print, draw progress or pick exit codes: the caller passes a
//! [`BatchObserver`] that hears about every file and decides what to show.
//! It does not decode or clean pages itself either; that is [`Cleaner`]'s job
//! (including any transparent gunzip of `.gz` input). This module only maps
//! `page.html.gz` to the output name `page.html`.
//!
//! Memory: the walk first collects the *paths* to clean (so name collisions
//! and unsafe outputs are refused before anything is written, and a progress
//! bar knows its length); file contents are then streamed — each worker
//! reads (at most the cleaner's size limit), cleans, writes and drops one
//! file at a time.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;
use serde::{Serialize, Serializer};
use thiserror::Error;
use walkdir::WalkDir;

use crate::learn::LineHints;
use crate::{Cleaner, Options, Reason};

/// What to clean and where the results go.
#[derive(Debug, Clone)]
pub struct BatchConfig {
    /// The directory tree of scraped pages.
    pub in_dir: PathBuf,
    /// The mirror tree of cleaned pages; created if missing. Must not lie
    /// inside `in_dir`.
    pub out_dir: PathBuf,
    /// How to clean each page.
    pub options: Options,
    /// Worker threads; `None` uses rayon's default (all cores, or
    /// `RAYON_NUM_THREADS`).
    pub jobs: Option<usize>,
    /// Clean every input again, even when its output is up to date.
    pub force: bool,
}

/// The file in the output directory that records the options and rules
/// the outputs were written with (a fingerprint), and since when (the
/// file's modification time). An output counts as up to date when the
/// fingerprint is the current one and the output is newer than both the
/// stamp and its input. Changing options or rules rewrites the stamp, so
/// every output written before is redone, also after a killed run.
pub const STAMP_FILE: &str = ".deboil-batch";

/// The prefix of the temporary files of atomic writes. Hidden, so walks
/// skip them; a run removes the ones a killed run left in its output tree.
pub const TEMP_PREFIX: &str = ".deboil-tmp-";

/// Hears about a batch run as it goes. Methods are called from worker
/// threads, in no particular order across files.
pub trait BatchObserver: Sync {
    /// The walk is done: `files` will be cleaned, `bytes` in total.
    fn planned(&self, _files: u64, _bytes: u64) {}
    /// One file is done, cleaned or failed.
    fn finished(&self, _record: &FileRecord) {}
}

/// An observer that ignores everything.
impl BatchObserver for () {}

/// How one input file fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Cleaned,
    /// Not cleaned on purpose: up to date, or not a file to clean.
    Skipped,
    Failed,
}

/// The record of one input file, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRecord {
    /// The input's path relative to the input directory.
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    /// The output's path relative to the output directory.
    #[serde(serialize_with = "lossy_opt_path")]
    pub output: Option<PathBuf>,
    pub status: Status,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Non-blank lines (text dumps) or blocks (HTML) read from the page.
    pub lines_in: u64,
    pub lines_kept: u64,
    pub lines_dropped: u64,
    /// Why the file failed.
    pub error: Option<String>,
    /// Why the file was skipped.
    pub reason: Option<String>,
}

/// An input that failed, for the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Relative to the input directory.
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    pub error: String,
}

/// An entry of the input tree that was deliberately not cleaned (hidden
/// entries are skipped silently and are not listed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Relative to the input directory.
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    pub reason: String,
}

/// The totals of a batch run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Every input entry of the tree (hidden ones aside):
    /// `cleaned + skipped + failed`.
    pub files: u64,
    pub cleaned: u64,
    /// Entries not cleaned on purpose, the up-to-date ones included.
    pub skipped: u64,
    /// Skipped because their output was up to date.
    pub up_to_date: u64,
    pub failed: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub lines_in: u64,
    pub lines_kept: u64,
    pub lines_dropped: u64,
    /// Dropped lines per reason: rule id, or classifier reason with line
    /// numbers generalized (`duplicate-of-line-N`).
    pub drop_reasons: BTreeMap<String, u64>,
    /// Kept lines per `keep` rule that fired.
    pub keep_rules: BTreeMap<String, u64>,
    /// Every failed input, sorted by path.
    pub failures: Vec<Failure>,
    /// Entries skipped for another reason than being up to date (links
    /// out of the tree, special files), sorted by path.
    pub skipped_entries: Vec<Skipped>,
    /// Temporary files of an earlier, interrupted run that were removed.
    pub stale_temp_files_removed: u64,
    /// Wall-clock time of the run.
    #[serde(rename = "seconds", serialize_with = "duration_secs")]
    pub elapsed: Duration,
}

impl Summary {
    /// The `n` most frequent drop reasons, most frequent first (ties by name).
    pub fn top_drop_reasons(&self, n: usize) -> Vec<(&str, u64)> {
        let mut reasons: Vec<(&str, u64)> = self
            .drop_reasons
            .iter()
            .map(|(r, c)| (r.as_str(), *c))
            .collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        reasons.truncate(n);
        reasons
    }

    fn add(&mut self, record: &FileRecord) {
        self.files += 1;
        match record.status {
            Status::Cleaned => self.cleaned += 1,
            Status::Skipped => {
                self.skipped += 1;
                match &record.reason {
                    Some(reason) if reason == UP_TO_DATE => self.up_to_date += 1,
                    reason => self.skipped_entries.push(Skipped {
                        path: record.path.clone(),
                        reason: reason.clone().unwrap_or_default(),
                    }),
                }
            }
            Status::Failed => {
                self.failed += 1;
                self.failures.push(Failure {
                    path: record.path.clone(),
                    error: record.error.clone().unwrap_or_default(),
                });
            }
        }
        self.bytes_in += record.bytes_in;
        self.bytes_out += record.bytes_out;
        self.lines_in += record.lines_in;
        self.lines_kept += record.lines_kept;
        self.lines_dropped += record.lines_dropped;
    }

    fn merge(mut self, other: Summary) -> Summary {
        self.files += other.files;
        self.cleaned += other.cleaned;
        self.skipped += other.skipped;
        self.up_to_date += other.up_to_date;
        self.failed += other.failed;
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        self.lines_in += other.lines_in;
        self.lines_kept += other.lines_kept;
        self.lines_dropped += other.lines_dropped;
        merge_counts(&mut self.drop_reasons, other.drop_reasons);
        merge_counts(&mut self.keep_rules, other.keep_rules);
        self.failures.extend(other.failures);
        self.skipped_entries.extend(other.skipped_entries);
        self.stale_temp_files_removed += other.stale_temp_files_removed;
        self
    }
}

fn merge_counts(into: &mut BTreeMap<String, u64>, from: BTreeMap<String, u64>) {
    for (reason, count) in from {
        *into.entry(reason).or_default() += count;
    }
}

/// A batch run that could not start. Nothing has been written when one of
/// these is returned.
#[derive(Debug, Error)]
pub enum BatchError {
    #[error("{}: cannot read the input directory: {error}", path.display())]
    InputDir { path: PathBuf, error: io::Error },
    #[error("{}: not a directory; `deboil batch` cleans a directory tree (use `deboil clean` for one file)", path.display())]
    InputNotDir { path: PathBuf },
    #[error("{}: cannot resolve the {what}: {error}", path.display())]
    Resolve {
        what: &'static str,
        path: PathBuf,
        error: io::Error,
    },
    #[error("{}: the {what} is inside the input directory {}; choose a path outside the input tree", path.display(), input.display())]
    InsideInput {
        what: &'static str,
        path: PathBuf,
        input: PathBuf,
    },
    #[error("{}: the output for {} would be written inside the input directory {} (over an input); choose an output directory that does not contain the input tree", output.display(), source_file.display(), input.display())]
    OutputOverInput {
        output: PathBuf,
        source_file: PathBuf,
        input: PathBuf,
    },
    #[error("{}: cannot create the output directory: {error}", path.display())]
    OutputDir { path: PathBuf, error: io::Error },
    #[error("{}: cannot record the run's options in the output directory: {error}", path.display())]
    Stamp { path: PathBuf, error: io::Error },
    #[error("cannot start {jobs} worker threads: {error}")]
    Threads {
        jobs: usize,
        error: rayon::ThreadPoolBuildError,
    },
}

/// Clean every file under `config.in_dir` into the mirror tree under
/// `config.out_dir`.
///
/// Returns `Ok` when the run happened, even if some inputs failed (see
/// [`Summary::failed`]); returns `Err` only when nothing could be done.
pub fn run(
    cleaner: &Cleaner,
    config: &BatchConfig,
    observer: &dyn BatchObserver,
) -> Result<Summary, BatchError> {
    run_with_hints(cleaner, config, observer, None)
}

/// [`run`], with site-template hints for every page (batch
/// `--site-templates`; see [`crate::learn::SiteTemplates`]).
pub fn run_with_hints(
    cleaner: &Cleaner,
    config: &BatchConfig,
    observer: &dyn BatchObserver,
    hints: Option<&dyn LineHints>,
) -> Result<Summary, BatchError> {
    let started = Instant::now();
    let input = input_root(&config.in_dir)?;
    check_not_inside(&input, &config.out_dir, "output directory")?;
    let out_root = resolve(&config.out_dir).map_err(|error| BatchError::Resolve {
        what: "output directory",
        path: config.out_dir.clone(),
        error,
    })?;

    let plan = plan(&input);
    check_outputs(&input, &out_root, &config.out_dir, &plan.jobs)?;
    fs::create_dir_all(&config.out_dir).map_err(|error| BatchError::OutputDir {
        path: config.out_dir.clone(),
        error,
    })?;
    // Canonical now that it exists: writes are checked against it.
    let out_root = fs::canonicalize(&config.out_dir).unwrap_or(out_root);
    let stale_temp_files_removed = remove_stale_temp_files(&config.out_dir);
    // Site templates are learned from the whole batch, so any input can
    // change every output: such a run never counts an output up to date.
    let redo_all = config.force || hints.is_some();
    let since = stamp(
        &config.out_dir,
        &fingerprint(cleaner, &config.options, hints.is_some()),
        redo_all,
    )?;

    let total_bytes = plan.jobs.iter().map(|j| j.len).sum();
    observer.planned(
        (plan.jobs.len() + plan.failed.len() + plan.skipped.len()) as u64,
        total_bytes,
    );

    let jobs = config.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("deboil-batch-{i}"))
        .build()
        .map_err(|error| BatchError::Threads { jobs, error })?;

    let worker = Worker {
        cleaner,
        options: &config.options,
        out_dir: &config.out_dir,
        hints,
        out_root: &out_root,
        input: &input,
        since: (!redo_all).then_some(since),
    };
    let mut summary = pool.install(|| {
        plan.jobs
            .par_iter()
            .fold(Summary::default, |mut summary, job| {
                worker.process(job, &mut summary, observer);
                summary
            })
            .reduce(Summary::default, Summary::merge)
    });

    let mut walk_summary = Summary::default();
    for record in plan.failed.iter().chain(&plan.skipped) {
        observer.finished(record);
        walk_summary.add(record);
    }
    walk_summary.stale_temp_files_removed = stale_temp_files_removed;
    summary = summary.merge(walk_summary);
    summary.failures.sort_by(|a, b| a.path.cmp(&b.path));
    summary.skipped_entries.sort_by(|a, b| a.path.cmp(&b.path));
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The files a run over `in_dir` would clean, in walk order (for a first
/// pass over the same pages, such as learning site templates).
pub fn input_paths(in_dir: &Path) -> Result<Vec<PathBuf>, BatchError> {
    let input = input_root(in_dir)?;
    Ok(plan(&input).jobs.into_iter().map(|j| j.input).collect())
}

/// Refuse `path` (which need not exist yet) when it lies inside the input
/// directory `in_dir`. `what` names it in the error ("report file").
pub fn check_outside_input(
    in_dir: &Path,
    path: &Path,
    what: &'static str,
) -> Result<(), BatchError> {
    let input = input_root(in_dir)?;
    check_not_inside(&input, path, what)
}

/// The JSON report of a run: `{"files": [record…], "totals": summary}`,
/// records sorted by path.
pub fn report_json(records: &[FileRecord], summary: &Summary) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        files: Vec<&'a FileRecord>,
        totals: &'a Summary,
    }
    let mut files: Vec<&FileRecord> = records.iter().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    // Strings, numbers and maps with string keys always serialize.
    serde_json::to_string_pretty(&Report {
        files,
        totals: summary,
    })
    .unwrap_or_default()
}

/// Write `contents` to `path` atomically: into a temporary file in the same
/// directory, then renamed over `path`. Readers never see a half-written
/// file, and a failed write leaves any old file in place. The data is not
/// fsynced: a batch can be rerun, and a sync per file would cost more than
/// the cleaning.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Like any newly created file: 0666 less the umask.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The output name for an input's relative path: a trailing `.gz` is
/// dropped, since the output is plain text.
pub fn output_name(rel: &Path) -> PathBuf {
    match rel.file_name().and_then(|n| n.to_str()) {
        Some(name) if name.len() > 3 && name.ends_with(".gz") => {
            rel.with_file_name(&name[..name.len() - 3])
        }
        _ => rel.to_path_buf(),
    }
}

/// One file to clean.
#[derive(Debug)]
struct Job {
    /// Relative to the input directory.
    rel: PathBuf,
    /// Where to read it.
    input: PathBuf,
    /// Relative to the output directory.
    output: PathBuf,
    len: u64,
}

#[derive(Debug, Default)]
struct Plan {
    jobs: Vec<Job>,
    /// Entries that failed during the walk (unreadable directories, dangling
    /// links, output name collisions).
    failed: Vec<FileRecord>,
    /// Entries not to clean (links out of the tree, special files).
    skipped: Vec<FileRecord>,
}

/// The canonical input directory, checked to be a readable directory.
fn input_root(in_dir: &Path) -> Result<PathBuf, BatchError> {
    let input = fs::canonicalize(in_dir).map_err(|error| BatchError::InputDir {
        path: in_dir.to_path_buf(),
        error,
    })?;
    if !input.is_dir() {
        return Err(BatchError::InputNotDir {
            path: in_dir.to_path_buf(),
        });
    }
    fs::read_dir(&input).map_err(|error| BatchError::InputDir {
        path: in_dir.to_path_buf(),
        error,
    })?;
    Ok(input)
}

fn check_not_inside(input: &Path, path: &Path, what: &'static str) -> Result<(), BatchError> {
    let resolved = resolve(path).map_err(|error| BatchError::Resolve {
        what,
        path: path.to_path_buf(),
        error,
    })?;
    if resolved.starts_with(input) {
        return Err(BatchError::InsideInput {
            what,
            path: path.to_path_buf(),
            input: input.to_path_buf(),
        });
    }
    Ok(())
}

/// Refuse the run if any output would land inside the input tree: this
/// happens when the input directory lies inside the output directory, or
/// when a directory under the output tree links into the input tree.
fn check_outputs(
    input: &Path,
    out_root: &Path,
    out_dir: &Path,
    jobs: &[Job],
) -> Result<(), BatchError> {
    let mut last_parent: Option<(PathBuf, bool)> = None;
    for job in jobs {
        let parent_rel = job.output.parent().unwrap_or(Path::new(""));
        let inside = match &last_parent {
            Some((p, inside)) if p == parent_rel => *inside,
            _ => {
                let parent =
                    resolve(&out_root.join(parent_rel)).map_err(|error| BatchError::Resolve {
                        what: "output path",
                        path: out_dir.join(parent_rel),
                        error,
                    })?;
                let inside = parent.starts_with(input);
                last_parent = Some((parent_rel.to_path_buf(), inside));
                inside
            }
        };
        if inside {
            return Err(BatchError::OutputOverInput {
                output: out_dir.join(&job.output),
                source_file: job.input.clone(),
                input: input.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// `path` made absolute with symlinks resolved, for a path that need not
/// exist: the longest existing prefix is canonicalized and the rest is
/// applied lexically.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let components: Vec<Component> = absolute.components().collect();
    for split in (1..=components.len()).rev() {
        let prefix: PathBuf = components[..split].iter().collect();
        if let Ok(mut resolved) = fs::canonicalize(&prefix) {
            for component in &components[split..] {
                match component {
                    Component::ParentDir => {
                        resolved.pop();
                    }
                    Component::Normal(name) => resolved.push(name),
                    _ => {}
                }
            }
            return Ok(resolved);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        "no part of the path exists",
    ))
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.')
}

/// Walk the input tree: what to clean, what failed already, what to skip.
fn plan(input: &Path) -> Plan {
    let mut plan = Plan::default();
    let mut outputs: HashMap<PathBuf, PathBuf> = HashMap::new();
    let walk = WalkDir::new(input)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e));
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(input);
                let rel = path.strip_prefix(input).unwrap_or(path).to_path_buf();
                let error = match err.io_error() {
                    Some(io) => format!("cannot read: {io}"),
                    None => err.to_string(),
                };
                plan.failed.push(failed_record(rel, None, 0, error));
                continue;
            }
        };
        let path = entry.path();
        let rel = match path.strip_prefix(input) {
            Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
            _ => continue,
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        if file_type.is_symlink() {
            match fs::canonicalize(path) {
                Err(err) => {
                    plan.failed.push(failed_record(
                        rel,
                        None,
                        0,
                        format!("cannot read: broken symbolic link ({err})"),
                    ));
                    continue;
                }
                Ok(target) if !target.starts_with(input) => {
                    plan.skipped.push(skipped_record(
                        rel,
                        "symbolic link to outside the input tree; not followed",
                    ));
                    continue;
                }
                Ok(target) if target.is_dir() => {
                    plan.skipped.push(skipped_record(
                        rel,
                        "symbolic link to a directory; not followed",
                    ));
                    continue;
                }
                Ok(target) if !target.is_file() => {
                    plan.skipped.push(skipped_record(rel, "not a regular file"));
                    continue;
                }
                Ok(_) => {}
            }
        } else if !file_type.is_file() {
            plan.skipped.push(skipped_record(rel, "not a regular file"));
            continue;
        }
        let len = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let output = output_name(&rel);
        if let Some(first) = outputs.get(&output) {
            let error = format!(
                "its output name {} is already the output of {}; rename one of them",
                output.display(),
                first.display()
            );
            plan.failed.push(failed_record(rel, None, len, error));
            continue;
        }
        outputs.insert(output.clone(), rel.clone());
        plan.jobs.push(Job {
            rel,
            input: path.to_path_buf(),
            output,
            len,
        });
    }
    plan
}

fn failed_record(
    path: PathBuf,
    output: Option<PathBuf>,
    bytes_in: u64,
    error: String,
) -> FileRecord {
    FileRecord {
        path,
        output,
        status: Status::Failed,
        bytes_in,
        bytes_out: 0,
        lines_in: 0,
        lines_kept: 0,
        lines_dropped: 0,
        error: Some(error),
        reason: None,
    }
}

/// The reason of an input skipped because its output is up to date.
pub const UP_TO_DATE: &str = "up to date";

fn skipped_record(path: PathBuf, reason: impl Into<String>) -> FileRecord {
    FileRecord {
        path,
        output: None,
        status: Status::Skipped,
        bytes_in: 0,
        bytes_out: 0,
        lines_in: 0,
        lines_kept: 0,
        lines_dropped: 0,
        error: None,
        reason: Some(reason.into()),
    }
}

/// A fingerprint of everything that shapes an output: the deboil version,
/// the cleaning options, the size limit and every rule file.
fn fingerprint(cleaner: &Cleaner, options: &Options, site_templates: bool) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    site_templates.hash(&mut hasher);
    format!("{options:?}").hash(&mut hasher);
    cleaner.max_bytes().hash(&mut hasher);
    for file in cleaner.rules().files() {
        format!(
            "{:?}{:?}{:?}{:?}{:?}",
            file.name, file.level, file.hosts, file.detect, file.rules
        )
        .hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// Read the stamp of `out_dir`; rewrite it when its fingerprint is not
/// `fingerprint` (or `force`). Returns the stamp's time: outputs older than
/// it were written with other options or rules.
fn stamp(out_dir: &Path, fingerprint: &str, force: bool) -> Result<SystemTime, BatchError> {
    let path = out_dir.join(STAMP_FILE);
    let contents = format!("deboil batch fingerprint {fingerprint}\n");
    let current = fs::read_to_string(&path).is_ok_and(|old| old == contents);
    if force || !current {
        write_atomic(&path, contents.as_bytes()).map_err(|error| BatchError::Stamp {
            path: path.clone(),
            error,
        })?;
        // File times come from a coarse clock (a few milliseconds): let it
        // tick, so that every output of this run is strictly newer.
        std::thread::sleep(Duration::from_millis(20));
    }
    // The file system's own clock, as the outputs' times will be.
    fs::metadata(&path)
        .and_then(|m| m.modified())
        .map_err(|error| BatchError::Stamp { path, error })
}

/// Remove the temporary files an interrupted run left in the output tree.
/// Returns how many were removed.
fn remove_stale_temp_files(out_dir: &Path) -> u64 {
    let mut removed = 0;
    let walk = WalkDir::new(out_dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.file_type().is_file() || !is_hidden(e));
    for entry in walk.filter_map(Result::ok) {
        let temp = entry.file_type().is_file()
            && entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX);
        if temp && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether `output` is strictly newer than its input and than `since`
/// (times equal to a coarse clock's tick could be either order).
fn up_to_date(input: &Path, output: &Path, since: SystemTime) -> bool {
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    match (
        modified(input),
        fs::symlink_metadata(output),
        modified(output),
    ) {
        (Some(input_time), Ok(meta), Some(output_time)) => {
            meta.is_file() && output_time > input_time && output_time > since
        }
        _ => false,
    }
}

struct Worker<'a> {
    cleaner: &'a Cleaner,
    options: &'a Options,
    out_dir: &'a Path,
    hints: Option<&'a dyn LineHints>,
    /// The canonical output directory: nothing is written outside it.
    out_root: &'a Path,
    /// The canonical input directory: nothing is written inside it.
    input: &'a Path,
    /// The stamp's time, unless every input is to be cleaned again.
    since: Option<SystemTime>,
}

impl Worker<'_> {
    /// Read, clean and write one file; its record goes to the observer and
    /// its counts into `summary`.
    fn process(&self, job: &Job, summary: &mut Summary, observer: &dyn BatchObserver) {
        let record = self.clean_one(job, summary);
        observer.finished(&record);
        summary.add(&record);
    }

    fn clean_one(&self, job: &Job, summary: &mut Summary) -> FileRecord {
        let destination = self.out_dir.join(&job.output);
        if let Some(since) = self.since {
            if up_to_date(&job.input, &destination, since) {
                let mut record = skipped_record(job.rel.clone(), UP_TO_DATE);
                record.output = Some(job.output.clone());
                return record;
            }
        }
        let max_bytes = self.cleaner.max_bytes();
        let read = fs::File::open(&job.input).and_then(|file| {
            // The length as of now: the file may have changed since the walk.
            let len = file.metadata()?.len();
            if len > max_bytes {
                return Ok(None);
            }
            crate::decode::read_limited(file, max_bytes).map(Some)
        });
        let bytes = match read {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                let err = crate::DecodeError::TooLarge { limit: max_bytes };
                return failed_record(job.rel.clone(), None, job.len, err.to_string());
            }
            Err(err) => {
                return failed_record(
                    job.rel.clone(),
                    None,
                    job.len,
                    format!("cannot read: {err}"),
                )
            }
        };
        let bytes_in = bytes.len() as u64;
        let cleaned = match self
            .cleaner
            .clean_bytes_hinted(&bytes, self.options, self.hints)
        {
            Ok(cleaned) => cleaned,
            Err(err) => return failed_record(job.rel.clone(), None, bytes_in, err.to_string()),
        };
        drop(bytes);
        let text = cleaned.text();
        let mut kept = 0;
        let mut drop_reasons = BTreeMap::new();
        let mut keep_rules = BTreeMap::new();
        for decision in &cleaned.decisions {
            if decision.is_keep() {
                kept += 1;
                if let Reason::Rule(id) = &decision.reason {
                    count(&mut keep_rules, id);
                }
            } else {
                count(&mut drop_reasons, &reason_key(&decision.reason));
            }
        }
        let lines_in = cleaned.lines.len() as u64;
        let written = self.write(&destination, text.as_bytes());
        let mut record = FileRecord {
            path: job.rel.clone(),
            output: Some(job.output.clone()),
            status: Status::Cleaned,
            bytes_in,
            bytes_out: text.len() as u64,
            lines_in,
            lines_kept: kept,
            lines_dropped: lines_in - kept,
            error: None,
            reason: None,
        };
        match written {
            Ok(()) => {
                merge_counts(&mut summary.drop_reasons, drop_reasons);
                merge_counts(&mut summary.keep_rules, keep_rules);
            }
            Err(err) => {
                record.status = Status::Failed;
                record.bytes_out = 0;
                record.error = Some(format!("cannot write {}: {err}", destination.display()));
            }
        }
        record
    }

    /// Create the destination's directory, check that it is still inside
    /// the output tree and outside the input tree (a symbolic link made
    /// since the walk could lead anywhere), and write atomically.
    fn write(&self, destination: &Path, contents: &[u8]) -> io::Result<()> {
        let parent = match destination.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // Checked before creating directories (so none is made through a
        // link) and again after (a link made meanwhile).
        self.check_inside_output(&resolve(parent)?)?;
        fs::create_dir_all(parent)?;
        self.check_inside_output(&fs::canonicalize(parent)?)?;
        write_atomic(destination, contents)
    }

    fn check_inside_output(&self, resolved: &Path) -> io::Result<()> {
        if resolved.starts_with(self.out_root) && !resolved.starts_with(self.input) {
            return Ok(());
        }
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "its directory resolves to {}, outside the output directory or inside the input; \
                 remove the symbolic link that leads there",
                resolved.display()
            ),
        ))
    }
}

/// The key a reason is counted under: a rule's id, or the classifier's
/// reason with a trailing line number generalized (`duplicate-of-line-12`
/// counts as `duplicate-of-line-N`), so the same cause on different pages
/// adds up.
fn reason_key(reason: &Reason) -> String {
    let key = reason.to_string();
    if matches!(reason, Reason::Rule(_)) {
        return key;
    }
    let stem = key.trim_end_matches(|c: char| c.is_ascii_digit());
    if stem.len() < key.len() && stem.ends_with('-') {
        format!("{stem}N")
    } else {
        key
    }
}

fn count(counts: &mut BTreeMap<String, u64>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_string(), 1);
        }
    }
}

fn lossy_path<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}

fn lossy_opt_path<S: Serializer>(path: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    match path {
        Some(p) => s.serialize_str(&p.to_string_lossy()),
        None => s.serialize_none(),
    }
}

fn duration_secs<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;

    const PAGE: &str = "A headline for the test page\n\nA long enough paragraph of invented article text, with several words, ends here.\n";

    fn cleaner() -> Cleaner {
        Cleaner::new(RuleSet::empty())
    }

    fn config(in_dir: &Path, out_dir: &Path) -> BatchConfig {
        BatchConfig {
            in_dir: in_dir.to_path_buf(),
            out_dir: out_dir.to_path_buf(),
            options: Options::default(),
            jobs: Some(2),
            force: false,
        }
    }

    fn write(path: &Path, bytes: &[u8]) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    #[test]
    fn output_names_drop_a_trailing_gz_only() {
        assert_eq!(output_name(Path::new("a/b.html.gz")), Path::new("a/b.html"));
        assert_eq!(output_name(Path::new("b.txt")), Path::new("b.txt"));
        assert_eq!(output_name(Path::new("gz")), Path::new("gz"));
        assert_eq!(output_name(Path::new("x.gz.txt")), Path::new("x.gz.txt"));
        assert_eq!(output_name(Path::new("dir.gz/x")), Path::new("dir.gz/x"));
    }

    #[test]
    fn resolve_handles_missing_tails_and_parent_components() {
        let tmp = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(tmp.path()).unwrap();
        assert_eq!(
            resolve(&tmp.path().join("no/such/dir")).unwrap(),
            root.join("no/such/dir")
        );
        assert_eq!(
            resolve(&tmp.path().join("no/../other")).unwrap(),
            root.join("other")
        );
        assert_eq!(resolve(tmp.path()).unwrap(), root);
    }

    #[test]
    fn mirrors_the_tree_and_reports_every_file() {
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        write(&input.join("a.txt"), PAGE.as_bytes());
        write(&input.join("deep/er/b.txt"), PAGE.as_bytes());
        write(&input.join("empty.txt"), b"");
        write(&input.join(".git/config"), b"[core]\n");
        write(&input.join("deep/.hidden.txt"), PAGE.as_bytes());

        struct Collect(
            std::sync::Mutex<Vec<FileRecord>>,
            std::sync::atomic::AtomicU64,
        );
        impl BatchObserver for Collect {
            fn planned(&self, files: u64, _bytes: u64) {
                self.1.store(files, std::sync::atomic::Ordering::SeqCst);
            }
            fn finished(&self, record: &FileRecord) {
                self.0.lock().unwrap().push(record.clone());
            }
        }
        let observer = Collect(Default::default(), Default::default());
        let summary = run(&cleaner(), &config(&input, &out), &observer).unwrap();

        assert_eq!(observer.1.load(std::sync::atomic::Ordering::SeqCst), 3);
        assert_eq!((summary.files, summary.cleaned, summary.failed), (3, 3, 0));
        assert!(out.join("a.txt").is_file());
        assert!(out.join("deep/er/b.txt").is_file());
        assert_eq!(fs::read(out.join("empty.txt")).unwrap(), b"");
        assert!(!out.join(".git").exists());
        assert!(!out.join("deep/.hidden.txt").exists());
        let records = observer.0.into_inner().unwrap();
        assert_eq!(records.len(), 3);
        let bytes_out: u64 = records.iter().map(|r| r.bytes_out).sum();
        assert_eq!(bytes_out, summary.bytes_out);
        assert_eq!(summary.bytes_in, 2 * PAGE.len() as u64);
        let a = fs::read_to_string(out.join("a.txt")).unwrap();
        assert_eq!(
            records
                .iter()
                .find(|r| r.path == Path::new("a.txt"))
                .unwrap()
                .bytes_out,
            a.len() as u64
        );
        assert_eq!(summary.lines_in, summary.lines_kept + summary.lines_dropped);
        assert_eq!(summary.lines_in, 4);
        let dropped: u64 = summary.drop_reasons.values().sum();
        assert_eq!(dropped, summary.lines_dropped);
        // No temporary files are left behind.
        let leftovers: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_binary_file_fails_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        write(&input.join("good.txt"), PAGE.as_bytes());
        write(&input.join("img.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        let summary = run(&cleaner(), &config(&input, &out), &()).unwrap();
        assert_eq!((summary.cleaned, summary.failed), (1, 1));
        assert_eq!(summary.failures[0].path, Path::new("img.png"));
        assert!(
            summary.failures[0].error.contains("binary"),
            "{:?}",
            summary.failures
        );
        assert!(out.join("good.txt").is_file());
        assert!(!out.join("img.png").exists());
    }

    #[test]
    fn outputs_colliding_after_dropping_gz_fail_the_second() {
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        write(&input.join("p.txt"), PAGE.as_bytes());
        write(&input.join("p.txt.gz"), PAGE.as_bytes());
        let summary = run(&cleaner(), &config(&input, &out), &()).unwrap();
        assert_eq!((summary.cleaned, summary.failed), (1, 1));
        assert_eq!(summary.failures[0].path, Path::new("p.txt.gz"));
        assert!(summary.failures[0].error.contains("p.txt"));
    }

    #[test]
    fn gz_inputs_lose_the_suffix_in_the_mirror() {
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        // Plain text named .gz: cleaned as text today, gunzipped once the
        // decoder learns gzip; either way the output name drops `.gz`.
        write(&input.join("s/page.txt.gz"), PAGE.as_bytes());
        let summary = run(&cleaner(), &config(&input, &out), &()).unwrap();
        assert_eq!(summary.cleaned, 1);
        assert!(out.join("s/page.txt").is_file());
        assert!(!out.join("s/page.txt.gz").exists());
    }

    #[test]
    fn output_inside_input_is_refused_before_writing() {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("in");
        write(&input.join("a.txt"), PAGE.as_bytes());
        for out in [input.join("cleaned"), input.clone(), input.join("x/../y")] {
            let err = run(&cleaner(), &config(&input, &out), &()).unwrap_err();
            assert!(matches!(err, BatchError::InsideInput { .. }), "{err}");
        }
        assert_eq!(fs::read_dir(&input).unwrap().count(), 1);
    }

    #[test]
    fn output_over_an_input_is_refused_when_input_is_inside_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let input = out.join("raw");
        // raw/raw/a.txt would be written to site/raw/a.txt: inside the input.
        write(&input.join("raw/a.txt"), PAGE.as_bytes());
        let err = run(&cleaner(), &config(&input, &out), &()).unwrap_err();
        assert!(matches!(err, BatchError::OutputOverInput { .. }), "{err}");
        assert_eq!(fs::read_to_string(input.join("raw/a.txt")).unwrap(), PAGE);
        // Without such a path, the input tree inside the output is fine.
        fs::remove_dir_all(input.join("raw")).unwrap();
        write(&input.join("b.txt"), PAGE.as_bytes());
        let summary = run(&cleaner(), &config(&input, &out), &()).unwrap();
        assert_eq!(summary.cleaned, 1);
        assert!(out.join("b.txt").is_file());
    }

    #[test]
    fn missing_or_non_directory_input_is_fatal() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let err = run(&cleaner(), &config(&tmp.path().join("nope"), &out), &()).unwrap_err();
        assert!(matches!(err, BatchError::InputDir { .. }));
        write(&tmp.path().join("file.txt"), PAGE.as_bytes());
        let err = run(&cleaner(), &config(&tmp.path().join("file.txt"), &out), &()).unwrap_err();
        assert!(matches!(err, BatchError::InputNotDir { .. }));
        assert!(!out.exists());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_not_followed_out_of_the_tree() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        write(&tmp.path().join("outside/secret.txt"), PAGE.as_bytes());
        write(&input.join("a.txt"), PAGE.as_bytes());
        symlink(
            tmp.path().join("outside/secret.txt"),
            input.join("leak.txt"),
        )
        .unwrap();
        symlink(tmp.path().join("outside"), input.join("leakdir")).unwrap();
        symlink(input.join("a.txt"), input.join("alias.txt")).unwrap();
        symlink(input.join("gone.txt"), input.join("dangling.txt")).unwrap();
        let summary = run(&cleaner(), &config(&input, &out), &()).unwrap();
        assert!(out.join("a.txt").is_file());
        assert!(
            out.join("alias.txt").is_file(),
            "a link inside the tree is cleaned"
        );
        assert!(!out.join("leak.txt").exists());
        assert!(!out.join("leakdir").exists());
        let skipped: Vec<_> = summary
            .skipped_entries
            .iter()
            .map(|s| s.path.clone())
            .collect();
        assert_eq!(
            skipped,
            [PathBuf::from("leak.txt"), PathBuf::from("leakdir")]
        );
        assert_eq!(summary.failures.len(), 1);
        assert_eq!(summary.failures[0].path, Path::new("dangling.txt"));
    }

    fn totals_add_up(summary: &Summary) {
        assert_eq!(
            summary.files,
            summary.cleaned + summary.skipped + summary.failed,
            "{summary:?}"
        );
        assert!(summary.up_to_date <= summary.skipped);
        assert_eq!(
            summary.skipped - summary.up_to_date,
            summary.skipped_entries.len() as u64
        );
        assert_eq!(summary.failed, summary.failures.len() as u64);
    }

    #[test]
    fn a_second_run_skips_up_to_date_outputs_and_redoes_changed_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        write(&input.join("a.txt"), PAGE.as_bytes());
        write(&input.join("b/c.txt"), PAGE.as_bytes());
        let first = run(&cleaner(), &config(&input, &out), &()).unwrap();
        assert_eq!((first.cleaned, first.skipped), (2, 0));
        let second = run(&cleaner(), &config(&input, &out), &()).unwrap();
        assert_eq!((second.cleaned, second.up_to_date), (0, 2));
        totals_add_up(&second);

        // A changed input, a lost output: both are redone.
        std::thread::sleep(Duration::from_millis(20));
        write(
            &input.join("a.txt"),
            format!("{PAGE}More text.\n").as_bytes(),
        );
        fs::remove_file(out.join("b/c.txt")).unwrap();
        let third = run(&cleaner(), &config(&input, &out), &()).unwrap();
        assert_eq!((third.cleaned, third.up_to_date), (2, 0));

        // --force redoes everything.
        let mut forced = config(&input, &out);
        forced.force = true;
        let fourth = run(&cleaner(), &forced, &()).unwrap();
        assert_eq!((fourth.cleaned, fourth.up_to_date), (2, 0));

        // Other options: the stamp changes and every output is redone.
        let mut body = config(&input, &out);
        body.options.body_only = true;
        let fifth = run(&cleaner(), &body, &()).unwrap();
        assert_eq!((fifth.cleaned, fifth.up_to_date), (2, 0));
        assert_eq!(run(&cleaner(), &body, &()).unwrap().up_to_date, 2);
        // Back to the first options: redone again, not taken as up to date.
        assert_eq!(
            run(&cleaner(), &config(&input, &out), &()).unwrap().cleaned,
            2
        );
    }

    #[test]
    fn other_rules_make_outputs_stale() {
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        write(&input.join("a.txt"), PAGE.as_bytes());
        run(&cleaner(), &config(&input, &out), &()).unwrap();
        let builtin = Cleaner::builtin().unwrap();
        let again = run(&builtin, &config(&input, &out), &()).unwrap();
        assert_eq!((again.cleaned, again.up_to_date), (1, 0));
        let smaller = Cleaner::new(RuleSet::empty()).with_max_bytes(1 << 20);
        assert_eq!(
            run(&smaller, &config(&input, &out), &()).unwrap().cleaned,
            1
        );
    }

    #[test]
    fn stale_temp_files_are_removed_and_never_cleaned() {
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        write(&input.join("d/a.txt"), PAGE.as_bytes());
        // What a killed run leaves: temp files next to outputs.
        write(&out.join("d/.deboil-tmp-x1Y2z3"), b"half a pa");
        write(&out.join(".deboil-tmp-abc"), b"");
        write(&out.join("d/.keep-me"), b"not ours");
        let summary = run(&cleaner(), &config(&input, &out), &()).unwrap();
        assert_eq!(summary.stale_temp_files_removed, 2);
        assert!(!out.join("d/.deboil-tmp-x1Y2z3").exists());
        assert!(out.join("d/.keep-me").exists());
        // Temp files in the input tree are hidden: never cleaned.
        write(&input.join(".deboil-tmp-q"), PAGE.as_bytes());
        let summary = run(&cleaner(), &config(&input, &out), &()).unwrap();
        assert_eq!(summary.files, 1);
    }

    #[test]
    fn an_oversized_input_fails_alone_without_being_read() {
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        write(&input.join("big.txt"), "x ".repeat(5000).as_bytes());
        write(&input.join("small.txt"), PAGE.as_bytes());
        let limited = Cleaner::new(RuleSet::empty()).with_max_bytes(1000);
        let summary = run(&limited, &config(&input, &out), &()).unwrap();
        assert_eq!((summary.cleaned, summary.failed), (1, 1));
        assert!(summary.failures[0]
            .error
            .contains("larger than the limit of 1000 bytes"));
        assert!(!out.join("big.txt").exists());
        totals_add_up(&summary);
    }

    #[test]
    fn a_file_that_vanishes_after_the_walk_fails_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        for name in ["a.txt", "b.txt", "c.txt"] {
            write(&input.join(name), PAGE.as_bytes());
        }
        // Called after the walk, before any file is read.
        struct Vanish(PathBuf);
        impl BatchObserver for Vanish {
            fn planned(&self, files: u64, _bytes: u64) {
                assert_eq!(files, 3);
                fs::remove_file(&self.0).unwrap();
            }
        }
        let summary = run(
            &cleaner(),
            &config(&input, &out),
            &Vanish(input.join("b.txt")),
        )
        .unwrap();
        assert_eq!((summary.cleaned, summary.failed), (2, 1));
        assert_eq!(summary.failures[0].path, Path::new("b.txt"));
        assert!(summary.failures[0].error.starts_with("cannot read"));
        assert!(!out.join("b.txt").exists());
        totals_add_up(&summary);
    }

    #[cfg(unix)]
    #[test]
    fn output_links_out_of_the_output_tree_are_not_written_through() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        write(&input.join("sub/deeper/a.txt"), PAGE.as_bytes());
        write(&input.join("b.txt"), PAGE.as_bytes());
        fs::create_dir_all(&out).unwrap();
        symlink(&elsewhere, out.join("sub")).unwrap();
        let summary = run(&cleaner(), &config(&input, &out), &()).unwrap();
        assert_eq!((summary.cleaned, summary.failed), (1, 1));
        assert_eq!(summary.failures[0].path, Path::new("sub/deeper/a.txt"));
        assert!(summary.failures[0]
            .error
            .contains("outside the output directory"));
        assert_eq!(
            fs::read_dir(&elsewhere).unwrap().count(),
            0,
            "not even a directory is made there"
        );
        totals_add_up(&summary);
    }

    #[cfg(unix)]
    #[test]
    fn loops_unreadable_and_special_entries_are_each_accounted_for() {
        use std::os::unix::fs::{symlink, PermissionsExt};
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        write(&input.join("good.txt"), PAGE.as_bytes());
        symlink(input.join("loop2"), input.join("loop1")).unwrap();
        symlink(input.join("loop1"), input.join("loop2")).unwrap();
        symlink(&input, input.join("self")).unwrap();
        write(&input.join("locked.txt"), PAGE.as_bytes());
        fs::set_permissions(input.join("locked.txt"), fs::Permissions::from_mode(0o000)).unwrap();
        // root reads anything: the lock only bites for other users.
        let locked = fs::read(input.join("locked.txt")).is_err();
        let summary = run(&cleaner(), &config(&input, &out), &()).unwrap();
        fs::set_permissions(input.join("locked.txt"), fs::Permissions::from_mode(0o644)).unwrap();
        totals_add_up(&summary);
        assert_eq!(summary.files, 5);
        let failed: Vec<_> = summary.failures.iter().map(|f| f.path.clone()).collect();
        let mut expected = vec![PathBuf::from("loop1"), PathBuf::from("loop2")];
        if locked {
            expected.insert(0, PathBuf::from("locked.txt"));
        }
        assert_eq!(failed, expected, "{:?}", summary.failures);
        assert_eq!(
            summary.skipped_entries.len(),
            1,
            "the link to the tree itself"
        );
        assert!(out.join("good.txt").is_file());
    }

    #[test]
    fn reason_keys_generalize_classifier_line_numbers_only() {
        use crate::ClassReason;
        let dup = Reason::Classifier(ClassReason::Duplicate { of: 12 });
        assert_eq!(reason_key(&dup), "duplicate-of-line-N");
        let short = Reason::Classifier(ClassReason::ShortOutsideContent);
        assert_eq!(reason_key(&short), "short-outside-content");
        let rule = Reason::Rule("example.com/ad-2".into());
        assert_eq!(reason_key(&rule), "example.com/ad-2");
    }

    #[test]
    fn top_reasons_sort_by_count_then_name() {
        let mut summary = Summary::default();
        for (reason, n) in [("b", 2), ("a", 2), ("c", 5), ("d", 1)] {
            summary.drop_reasons.insert(reason.into(), n);
        }
        assert_eq!(summary.top_drop_reasons(3), [("c", 5), ("a", 2), ("b", 2)]);
    }

    #[test]
    fn report_lists_records_sorted_with_totals() {
        let record = |p: &str| failed_record(PathBuf::from(p), None, 3, "boom".into());
        let mut summary = Summary::default();
        summary.add(&record("z"));
        let json = report_json(&[record("z"), record("a")], &summary);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["files"][0]["path"], "a");
        assert_eq!(value["files"][1]["status"], "failed");
        assert_eq!(value["files"][1]["error"], "boom");
        assert_eq!(value["totals"]["failed"], 1);
        assert!(value["totals"]["seconds"].is_number());
    }
}
