//! The `deboil` binary: parses arguments, calls the library, prints, and maps
//! errors to exit codes (0 success, 1 some inputs failed, 2 usage or fatal
//! error).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use deboil::batch::{self, BatchConfig, BatchObserver, FileRecord, Summary};
use deboil::learn::{self, LearnOptions, LineHints, SiteTemplates, SourcePage};
use deboil::rules::{Origin, RuleFile};
use deboil::stream::{StreamConfig, StreamError, StreamSummary};
use deboil::warc::WarcSummary;
use deboil::{eval, render, Cleaner, InputKind, Options, RuleError, RuleSet};
use indicatif::{HumanBytes, ProgressBar, ProgressStyle};

/// mimalloc rather than the system allocator: a page is cleaned with a few
/// hundred short-lived allocations (lines, keys, decisions), and glibc's
/// malloc and free cost about 7% of cleaning a text dump. The library
/// leaves the choice to the program that links it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "deboil",
    version,
    about = "Strip boilerplate from scraped web pages and keep the article"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Clean one page (a file, or standard input) and print the article.
    Clean(CleanArgs),
    /// Clean every file under IN_DIR into the same relative paths under OUT_DIR.
    Batch(BatchArgs),
    /// List, check, create or learn rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Score cleaning against gold article bodies.
    Eval(EvalArgs),
    /// Clean every HTML response of WARC files (.warc or .warc.gz) into JSON Lines.
    Warc(WarcArgs),
}

#[derive(Args, Clone)]
struct RulesArgs {
    /// A directory of rule files (*.toml) to load besides the built-in ones;
    /// repeatable. DEBOIL_RULES adds one more.
    #[arg(long = "rules", value_name = "DIR")]
    dirs: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum InputArg {
    Auto,
    Text,
    Html,
}

impl From<InputArg> for InputKind {
    fn from(a: InputArg) -> Self {
        match a {
            InputArg::Auto => InputKind::Auto,
            InputArg::Text => InputKind::Text,
            InputArg::Html => InputKind::Html,
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    Jsonl,
}

#[derive(Args)]
struct CleanArgs {
    /// The page to clean; `-` or nothing reads standard input.
    file: Option<PathBuf>,
    /// How to read the input.
    #[arg(long, value_enum, default_value = "auto")]
    input: InputArg,
    /// The page's URL; its host picks the site rule file.
    #[arg(long, conflicts_with = "site")]
    url: Option<String>,
    /// The site's host name, when no URL is known.
    #[arg(long)]
    site: Option<String>,
    /// Leave the title out.
    #[arg(long)]
    body: bool,
    /// Print every line with its decision and the reason for it.
    #[arg(long, conflicts_with = "format")]
    explain: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Read JSON Lines (fields url, and html or text) and write one JSON line
    /// per record with the cleaned fields under `deboil`; --url, --site,
    /// --input and --body are defaults for every record.
    #[arg(long, conflicts_with_all = ["explain", "format"])]
    jsonl: bool,
    #[command(flatten)]
    stream: StreamArgs,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    rules: RulesArgs,
}

#[derive(Args)]
struct StreamArgs {
    /// Worker threads for --jsonl and warc (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Longest JSONL line or WARC record accepted; longer ones become error records.
    #[arg(long, value_name = "BYTES", default_value_t = deboil::stream::DEFAULT_MAX_RECORD_BYTES)]
    max_record_bytes: usize,
}

impl StreamArgs {
    fn config(&self, options: Options) -> StreamConfig {
        StreamConfig {
            options,
            jobs: self.jobs.map(usize::from),
            max_record_bytes: self.max_record_bytes,
            ..StreamConfig::default()
        }
    }
}

#[derive(Args)]
struct WarcArgs {
    /// WARC files; gzip (one member per record, as Common Crawl writes them,
    /// or whole-file) is recognized by its signature.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Leave titles out.
    #[arg(long)]
    body: bool,
    #[command(flatten)]
    stream: StreamArgs,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    rules: RulesArgs,
}

#[derive(Args, Clone, Copy)]
struct LimitArgs {
    /// Refuse an input larger than this many bytes (gzip input: once
    /// decompressed).
    #[arg(long, value_name = "BYTES", default_value_t = deboil::decode::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
}

#[derive(Args)]
struct BatchArgs {
    /// The directory of scraped pages.
    in_dir: PathBuf,
    /// Where the cleaned pages go (created if missing).
    out_dir: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Write a JSON report of every file to FILE.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// How to read the inputs.
    #[arg(long, value_enum, default_value = "auto")]
    input: InputArg,
    /// Leave titles out.
    #[arg(long)]
    body: bool,
    /// Learn each site's template from the batch first (pages grouped by
    /// host, detected rule file, or shared masthead/footer line), and drop
    /// lines that recur across a site's pages, with reason `site-template`.
    #[arg(long)]
    site_templates: bool,
    /// Clean every input again, even when its output is up to date.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    rules: RulesArgs,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Show every loaded rule file, where it came from and what it applies to.
    List(RulesArgs),
    /// Validate rule files and run their examples (exit 2 on any problem).
    Check(RulesCheckArgs),
    /// Write a commented skeleton rule file HOST.toml.
    New(RulesNewArgs),
    /// Propose a rule file from many pages of one site: lines that recur
    /// across the pages become drop rules, a shared tail a cut-after rule.
    Learn(RulesLearnArgs),
}

#[derive(Args)]
struct RulesLearnArgs {
    /// A directory of pages of one site (text dumps or HTML, .gz too).
    dir: PathBuf,
    /// The site's host name: becomes the file's `hosts` and its name.
    /// Without it the file relies on `detect` patterns.
    #[arg(long)]
    site: Option<String>,
    /// How to read the pages.
    #[arg(long, value_enum, default_value = "auto")]
    input: InputArg,
    /// Write the file into the first --rules directory (default: the current
    /// one) instead of printing it; refuses to overwrite.
    #[arg(long)]
    write: bool,
    #[command(flatten)]
    rules: RulesArgs,
}

#[derive(Args)]
struct RulesCheckArgs {
    /// Rule files to check; without any, every built-in file and every file
    /// of the --rules directories (and DEBOIL_RULES).
    files: Vec<PathBuf>,
    #[command(flatten)]
    rules: RulesArgs,
}

#[derive(Args)]
struct RulesNewArgs {
    /// The site's host name, e.g. example.com.
    host: String,
    /// Write into the first of these directories (default: the current one).
    #[command(flatten)]
    rules: RulesArgs,
}

#[derive(Args)]
struct EvalArgs {
    /// The gold file: {"<id>": {"articleBody": "...", "url": "..."}, ...}.
    #[arg(long)]
    gold: PathBuf,
    /// The directory of pages, named <id>.html.gz, <id>.html or <id>.txt.
    #[arg(long)]
    pages: PathBuf,
    /// How to read the pages.
    #[arg(long, value_enum, default_value = "auto")]
    input: InputArg,
    /// How many of the worst pages to list.
    #[arg(long, default_value_t = 10)]
    worst: usize,
    /// List every page's precision and recall, worst first.
    #[arg(long, conflicts_with = "json")]
    per_page: bool,
    /// Print the whole report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    rules: RulesArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => cmd_clean(args),
        Command::Batch(args) => cmd_batch(args),
        Command::Rules(cmd) => cmd_rules(cmd),
        Command::Eval(args) => cmd_eval(args),
        Command::Warc(args) => cmd_warc(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("deboil: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Built-in rules plus every `--rules DIR` and `DEBOIL_RULES`.
fn load_rules(args: &RulesArgs) -> Result<RuleSet> {
    let mut rules = RuleSet::builtin().context("the built-in rule files are broken")?;
    for dir in &rule_dirs(args) {
        rules.add_dir(dir)?;
    }
    Ok(rules)
}

/// Read the input, at most one byte past `max_bytes` (the cleaner then
/// refuses it as too large).
fn read_input(file: Option<&Path>, max_bytes: u64) -> Result<(String, Vec<u8>)> {
    match file {
        None => read_stdin(max_bytes),
        Some(p) if p == Path::new("-") => read_stdin(max_bytes),
        Some(p) => {
            let bytes = std::fs::File::open(p)
                .and_then(|f| deboil::decode::read_limited(f, max_bytes))
                .with_context(|| format!("{}: cannot read", p.display()))?;
            Ok((p.display().to_string(), bytes))
        }
    }
}

fn read_stdin(max_bytes: u64) -> Result<(String, Vec<u8>)> {
    let bytes = deboil::decode::read_limited(io::stdin().lock(), max_bytes)
        .context("<stdin>: cannot read")?;
    Ok(("<stdin>".to_string(), bytes))
}

fn cmd_clean(args: CleanArgs) -> Result<ExitCode> {
    let cleaner = Cleaner::new(load_rules(&args.rules)?).with_max_bytes(args.limits.max_bytes);
    let options = Options {
        input: args.input.into(),
        url: args.url,
        site: args.site,
        body_only: args.body,
    };
    if args.jsonl {
        return clean_jsonl(&cleaner, args.file.as_deref(), args.stream.config(options));
    }
    let (name, bytes) = read_input(args.file.as_deref(), args.limits.max_bytes)?;
    let cleaned = cleaner
        .clean_bytes(&bytes, &options)
        .with_context(|| name.clone())?;
    let out = if args.explain {
        render::explain(&cleaned)
    } else {
        match args.format {
            Format::Text => cleaned.text(),
            Format::Json | Format::Jsonl => render::json(&cleaned) + "\n",
        }
    };
    let mut stdout = io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    // The process ends here: freeing the compiled rule sets' automata, one
    // allocation at a time, cost more than cleaning a short page.
    std::mem::forget(cleaner);
    Ok(ExitCode::SUCCESS)
}

/// `clean --jsonl`: stream records from FILE or stdin to stdout. Errors in
/// records are in-band and exit 0; only I/O failures exit 2.
fn clean_jsonl(cleaner: &Cleaner, file: Option<&Path>, config: StreamConfig) -> Result<ExitCode> {
    let stdout = io::stdout().lock();
    let output = io::BufWriter::with_capacity(256 * 1024, stdout);
    let (name, summary) = match file {
        Some(path) if path != Path::new("-") => {
            let name = path.display().to_string();
            let file = std::fs::File::open(path).with_context(|| format!("{name}: cannot read"))?;
            let input = io::BufReader::with_capacity(256 * 1024, file);
            let summary = deboil::stream::clean_jsonl(cleaner, input, output, &config);
            (name, summary)
        }
        _ => {
            let input = io::BufReader::with_capacity(256 * 1024, io::stdin().lock());
            let summary = deboil::stream::clean_jsonl(cleaner, input, output, &config);
            ("<stdin>".to_string(), summary)
        }
    };
    let summary = summary.map_err(|e| stream_error(e, &name))?;
    eprint!("{}", jsonl_summary(&summary, &name));
    Ok(ExitCode::SUCCESS)
}

/// Keep a stream's I/O error as the error's source, so a closed pipe is
/// recognized, and name the input.
fn stream_error(err: StreamError, name: &str) -> anyhow::Error {
    let context = match &err {
        StreamError::Read(_) => format!("{name}: cannot read"),
        StreamError::Write(_) => "<stdout>: cannot write".to_string(),
        StreamError::Pool { .. } => "cannot start the worker threads".to_string(),
    };
    match err {
        StreamError::Read(io) | StreamError::Write(io) => anyhow::Error::new(io).context(context),
        other => anyhow::Error::new(other),
    }
}

fn jsonl_summary(summary: &StreamSummary, name: &str) -> String {
    let secs = summary.elapsed.as_secs_f64();
    format!(
        "deboil clean --jsonl: {name}: {} records in {secs:.2}s ({:.0}/s): {} cleaned, {} errors, {} blank lines skipped\n",
        summary.records,
        summary.records as f64 / secs.max(1e-9),
        summary.cleaned,
        summary.errors,
        summary.blank_lines,
    )
}

/// `warc`: clean every file in turn to stdout. A damaged or unreadable file
/// is reported and the run goes on; it exits 1 at the end. A failed write
/// exits 2.
fn cmd_warc(args: WarcArgs) -> Result<ExitCode> {
    let cleaner = Cleaner::new(load_rules(&args.rules)?);
    let config = args.stream.config(Options {
        input: InputKind::Html,
        body_only: args.body,
        ..Options::default()
    });
    let pool = deboil::stream::thread_pool(config.jobs)?;
    let mut output = io::BufWriter::with_capacity(256 * 1024, io::stdout().lock());
    let mut failed = 0usize;
    for path in &args.files {
        let name = path.display().to_string();
        let reader = match deboil::warc::open(path) {
            Ok(reader) => reader,
            Err(err) => {
                eprintln!("deboil warc: {name}: cannot read: {err}");
                failed += 1;
                continue;
            }
        };
        let summary =
            deboil::warc::clean_warc(&cleaner, reader, &name, &mut output, &config, &pool)
                .map_err(|e| stream_error(e, &name))?;
        if summary.damage.is_some() {
            failed += 1;
        }
        eprint!("{}", warc_summary(&summary, &name));
    }
    output.flush().context("<stdout>: cannot write")?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn warc_summary(summary: &WarcSummary, name: &str) -> String {
    let secs = summary.elapsed.as_secs_f64();
    let mut out = format!(
        "deboil warc: {name}: {} records in {secs:.2}s: {} cleaned ({:.0}/s), {} errors; skipped {} not responses, {} not HTML, {} not status 200\n",
        summary.records,
        summary.cleaned,
        summary.cleaned as f64 / secs.max(1e-9),
        summary.errors,
        summary.not_response,
        summary.not_html,
        summary.not_ok,
    );
    if let Some(damage) = &summary.damage {
        out += &format!("deboil warc: {name}: {damage}; the records before it were written\n");
    }
    out
}

/// Draws the progress bar (on a terminal only) and keeps the per-file
/// records when a report was asked for.
struct BatchProgress {
    bar: ProgressBar,
    records: Option<Mutex<Vec<FileRecord>>>,
}

impl BatchObserver for BatchProgress {
    fn planned(&self, files: u64, _bytes: u64) {
        self.bar.set_length(files);
    }

    fn finished(&self, record: &FileRecord) {
        self.bar.inc(1);
        if let Some(records) = &self.records {
            records
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(record.clone());
        }
    }
}

fn progress_bar() -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style =
        ProgressStyle::with_template("{elapsed_precise} [{wide_bar}] {pos}/{len} files, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::new(0).with_style(style)
}

fn cmd_batch(args: BatchArgs) -> Result<ExitCode> {
    let cleaner = Cleaner::new(load_rules(&args.rules)?).with_max_bytes(args.limits.max_bytes);
    if let Some(report) = &args.report {
        batch::check_outside_input(&args.in_dir, report, "report file")?;
    }
    let config = BatchConfig {
        in_dir: args.in_dir.clone(),
        out_dir: args.out_dir.clone(),
        options: Options {
            input: args.input.into(),
            body_only: args.body,
            ..Options::default()
        },
        jobs: args.jobs.map(usize::from),
        force: args.force,
    };
    let progress = BatchProgress {
        bar: progress_bar(),
        records: args.report.as_ref().map(|_| Mutex::new(Vec::new())),
    };
    let templates = if args.site_templates {
        let paths = batch::input_paths(&args.in_dir)?;
        let templates = SiteTemplates::learn(&cleaner, &paths, &config.options);
        let groups = templates.groups();
        eprintln!(
            "deboil batch: site templates learned for {} group{} of pages",
            groups.len(),
            if groups.len() == 1 { "" } else { "s" }
        );
        for group in &groups {
            eprintln!(
                "    {:>6} pages  {:>4} template lines{}  {}",
                group.pages,
                group.template_shapes,
                if group.has_tail { " + tail" } else { "" },
                group.group
            );
        }
        Some(templates)
    } else {
        None
    };
    let hints = templates.as_ref().map(|t| t as &dyn LineHints);
    let summary = batch::run_with_hints(&cleaner, &config, &progress, hints);
    progress.bar.finish_and_clear();
    let summary = summary?;
    if let (Some(report), Some(records)) = (&args.report, progress.records) {
        let records = records
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let json = batch::report_json(&records, &summary) + "\n";
        batch::write_atomic(report, json.as_bytes())
            .with_context(|| format!("{}: cannot write the report", report.display()))?;
    }
    eprint!("{}", batch_summary(&summary, &args.in_dir, &args.out_dir));
    Ok(if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The end-of-run summary for stderr.
fn batch_summary(summary: &Summary, in_dir: &Path, out_dir: &Path) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "deboil batch: {} files in {:.2}s: {} cleaned into {}, {} skipped ({} up to date), {} failed",
        summary.files,
        summary.elapsed.as_secs_f64(),
        summary.cleaned,
        out_dir.display(),
        summary.skipped,
        summary.up_to_date,
        summary.failed,
    );
    if summary.stale_temp_files_removed > 0 {
        let _ = writeln!(
            out,
            "  removed {} temporary files of an interrupted run",
            summary.stale_temp_files_removed
        );
    }
    let _ = writeln!(
        out,
        "  bytes: {} in, {} out",
        HumanBytes(summary.bytes_in),
        HumanBytes(summary.bytes_out)
    );
    let _ = writeln!(
        out,
        "  lines: {} in, {} kept, {} dropped",
        summary.lines_in, summary.lines_kept, summary.lines_dropped
    );
    let top = summary.top_drop_reasons(10);
    if !top.is_empty() {
        let _ = writeln!(out, "  dropped most by:");
        for (reason, count) in top {
            let _ = writeln!(out, "    {count:>8}  {reason}");
        }
    }
    if !summary.skipped_entries.is_empty() {
        let _ = writeln!(out, "  skipped {}:", summary.skipped_entries.len());
        for skipped in &summary.skipped_entries {
            let _ = writeln!(
                out,
                "    {}: {}",
                in_dir.join(&skipped.path).display(),
                skipped.reason
            );
        }
    }
    if !summary.failures.is_empty() {
        let _ = writeln!(out, "  failed {}:", summary.failures.len());
        for failure in &summary.failures {
            let _ = writeln!(
                out,
                "    {}: {}",
                in_dir.join(&failure.path).display(),
                failure.error
            );
        }
    }
    out
}

fn cmd_rules(cmd: RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::List(args) => rules_list(&args),
        RulesCommand::Check(args) => rules_check(&args),
        RulesCommand::New(args) => rules_new(&args),
        RulesCommand::Learn(args) => rules_learn(&args),
    }
}

/// The `--rules` directories plus DEBOIL_RULES, in load order.
fn rule_dirs(args: &RulesArgs) -> Vec<PathBuf> {
    let mut dirs = args.dirs.clone();
    if let Some(env) = std::env::var_os("DEBOIL_RULES") {
        if !env.is_empty() {
            dirs.push(PathBuf::from(env));
        }
    }
    dirs
}

fn rules_list(args: &RulesArgs) -> Result<ExitCode> {
    let rules = load_rules(args)?;
    let mut out = String::new();
    for file in rules.files() {
        let origin = match &file.origin {
            Origin::Builtin(_) => "built-in".to_string(),
            Origin::File(path) => path.display().to_string(),
        };
        out += &format!(
            "{}  [{}]  {}  ({} rules, {} examples)\n",
            file.name,
            file.level.name(),
            origin,
            file.rules.len(),
            file.examples.len()
        );
        if let Some(replaced) = &file.replaces {
            let replaced = match replaced {
                Origin::Builtin(_) => "the built-in file".to_string(),
                Origin::File(path) => path.display().to_string(),
            };
            out += &format!("    replaces: {replaced}\n");
        }
        if !file.hosts.is_empty() {
            out += &format!("    hosts:  {}\n", file.hosts.join(", "));
        }
        for pattern in &file.detect {
            out += &format!("    detect: {pattern}\n");
        }
    }
    let mut stdout = io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn rules_check(args: &RulesCheckArgs) -> Result<ExitCode> {
    let mut loaded: Vec<Result<RuleFile, RuleError>> = Vec::new();
    if args.files.is_empty() {
        loaded.extend(deboil::rules::builtin_files());
        for dir in rule_dirs(&args.rules) {
            match deboil::rules::dir_files(&dir) {
                Ok(paths) => loaded.extend(paths.iter().map(|p| RuleFile::load(p))),
                Err(err) => loaded.push(Err(err)),
            }
        }
    } else {
        loaded.extend(args.files.iter().map(|p| RuleFile::load(p)));
    }
    let (mut files, mut examples, mut problems) = (0usize, 0usize, 0usize);
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    for result in loaded {
        files += 1;
        match result {
            Err(err) => {
                problems += 1;
                writeln!(stderr, "{err}")?;
            }
            Ok(file) => {
                examples += file.examples.len();
                let failures = file.check_examples();
                for failure in &failures {
                    let (line, column) = failure.example.location;
                    writeln!(stderr, "{}:{line}:{column}: {failure}", file.origin)?;
                }
                problems += failures.len();
                if failures.is_empty() {
                    writeln!(
                        stdout,
                        "ok  {} ({} rules, {} examples)",
                        file.origin,
                        file.rules.len(),
                        file.examples.len()
                    )?;
                }
            }
        }
    }
    writeln!(
        stdout,
        "{files} files, {examples} examples, {problems} problem{}",
        if problems == 1 { "" } else { "s" }
    )?;
    Ok(if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn rules_new(args: &RulesNewArgs) -> Result<ExitCode> {
    let host = parse_host(&args.host)?;
    write_new_rule_file(&args.rules, &host, &deboil::rules::skeleton(&host))
}

/// Write `NAME.toml` into the first `--rules` directory (else the current
/// one), never over an existing file.
fn write_new_rule_file(rules: &RulesArgs, name: &str, text: &str) -> Result<ExitCode> {
    let dir = rules
        .dirs
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let path = dir.join(format!("{name}.toml"));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| {
            if path.exists() {
                format!(
                    "{}: already exists; edit it, remove it, or pass another --rules directory",
                    path.display()
                )
            } else {
                format!("{}: cannot create", path.display())
            }
        })?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// A host name as given on the command line, normalized and checked.
fn parse_host(given: &str) -> Result<String> {
    let host = deboil::normalize_host(given);
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
    {
        anyhow::bail!(
            "`{given}` is not a host name; give it like `example.com`, without scheme or path"
        );
    }
    Ok(host)
}

/// A rule file name made from a directory name.
fn name_from_dir(dir: &Path) -> String {
    let raw = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_lowercase()))
        .unwrap_or_default();
    let name: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches(['-', '.']).to_string();
    if name.is_empty() {
        "learned".to_string()
    } else {
        name
    }
}

fn rules_learn(args: &RulesLearnArgs) -> Result<ExitCode> {
    let host = args.site.as_deref().map(parse_host).transpose()?;
    let paths = batch::input_paths(&args.dir)?;
    let mut pages = Vec::new();
    let mut stderr = io::stderr().lock();
    for path in &paths {
        let name = path
            .strip_prefix(&args.dir)
            .unwrap_or(path)
            .display()
            .to_string();
        let read = std::fs::read(path)
            .map_err(anyhow::Error::from)
            .and_then(|bytes| Ok(learn::read_page(&bytes, args.input.into())?));
        match read {
            Ok(page) => pages.push(SourcePage { name, page }),
            Err(err) => writeln!(stderr, "deboil: {}: skipped: {err:#}", path.display())?,
        }
    }
    // Without --site, name the file after the host most pages declare, else
    // after the directory.
    let name = host.clone().unwrap_or_else(|| {
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for page in &pages {
            if let Some(h) = page.page.url.as_deref().and_then(deboil::host_of) {
                *counts.entry(h).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|(h, c)| (*c, std::cmp::Reverse(h.clone())))
            .filter(|(_, c)| 2 * c >= pages.len())
            .map_or_else(|| name_from_dir(&args.dir), |(h, _)| h)
    });
    let options = LearnOptions {
        host,
        name: name.clone(),
        source: args.dir.display().to_string(),
    };
    let learned = learn::learn_rule_file(&pages, &options)
        .with_context(|| format!("{}: cannot learn a rule file", args.dir.display()))?;

    let (mut total_lines, mut total_removed) = (0, 0);
    writeln!(stderr, "{:>6} {:>8}  page", "lines", "removed")?;
    for page in &learned.pages {
        writeln!(
            stderr,
            "{:>6} {:>8}  {}",
            page.lines, page.removed, page.name
        )?;
        total_lines += page.lines;
        total_removed += page.removed;
    }
    writeln!(
        stderr,
        "{total_lines:>6} {total_removed:>8}  in all: {} pages, {} rules",
        learned.pages.len(),
        learned.file.rules.len()
    )?;
    if !args.write {
        let mut stdout = io::stdout().lock();
        stdout.write_all(learned.text.as_bytes())?;
        stdout.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    write_new_rule_file(&args.rules, &name, &learned.text)
}

fn cmd_eval(args: EvalArgs) -> Result<ExitCode> {
    let cleaner = Cleaner::new(load_rules(&args.rules)?);
    let gold = eval::load_gold(&args.gold)?;
    let report = eval::evaluate(&cleaner, &gold, &args.pages, args.input.into())?;
    let mut stdout = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &report)?;
        writeln!(stdout)?;
        return Ok(ExitCode::SUCCESS);
    }
    let fmt = |x: Option<f64>| x.map_or_else(|| "  -  ".to_string(), |x| format!("{x:.3}"));
    let shown = if args.per_page {
        report.pages.len()
    } else {
        args.worst
    };
    let worst = report.worst(shown);
    if !worst.is_empty() {
        writeln!(stdout, "worst pages:")?;
        writeln!(stdout, "  {:>5}  {:>5}  page", "P", "R")?;
        for page in worst {
            writeln!(
                stdout,
                "  {}  {}  {}",
                fmt(page.precision),
                fmt(page.recall),
                page.path.display()
            )?;
        }
    }
    let m = report.metrics;
    writeln!(
        stdout,
        "pages {}  P {:.4}  R {:.4}  F1 {:.4}  {:.0} pages/s",
        report.pages.len(),
        m.precision,
        m.recall,
        m.f1,
        report.pages_per_second()
    )?;
    Ok(ExitCode::SUCCESS)
}
