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
use deboil::rules::{Origin, RuleFile};
use deboil::{eval, render, Cleaner, InputKind, Options, RuleError, RuleSet};
use indicatif::{HumanBytes, ProgressBar, ProgressStyle};

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
    let (name, bytes) = read_input(args.file.as_deref(), args.limits.max_bytes)?;
    let options = Options {
        input: args.input.into(),
        url: args.url,
        site: args.site,
        body_only: args.body,
    };
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
    Ok(ExitCode::SUCCESS)
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
    let summary = batch::run(&cleaner, &config, &progress);
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
    let host = deboil::normalize_host(&args.host);
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
    {
        anyhow::bail!(
            "`{}` is not a host name; give it like `example.com`, without scheme or path",
            args.host
        );
    }
    let dir = args
        .rules
        .dirs
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let path = dir.join(format!("{host}.toml"));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| {
            if path.exists() {
                format!(
                    "{}: already exists; edit it, or remove it first",
                    path.display()
                )
            } else {
                format!("{}: cannot create", path.display())
            }
        })?;
    file.write_all(deboil::rules::skeleton(&host).as_bytes())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
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
