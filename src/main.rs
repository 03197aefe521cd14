//! The `deboil` binary: parses arguments, calls the library, prints, and maps
//! errors to exit codes (0 success, 1 some inputs failed, 2 usage or fatal
//! error).

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use deboil::batch::{self, BatchConfig, BatchObserver, FileRecord, Summary};
use deboil::{render, Cleaner, InputKind, Options, RuleSet};
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
    rules: RulesArgs,
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
    #[command(flatten)]
    rules: RulesArgs,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Show every loaded rule file, where it came from and what it applies to.
    List(RulesArgs),
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
    let mut dirs = args.dirs.clone();
    if let Some(env) = std::env::var_os("DEBOIL_RULES") {
        if !env.is_empty() {
            dirs.push(PathBuf::from(env));
        }
    }
    for dir in &dirs {
        rules.add_dir(dir)?;
    }
    Ok(rules)
}

fn read_input(file: Option<&Path>) -> Result<(String, Vec<u8>)> {
    match file {
        None => read_stdin(),
        Some(p) if p == Path::new("-") => read_stdin(),
        Some(p) => {
            let bytes =
                std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))?;
            Ok((p.display().to_string(), bytes))
        }
    }
}

fn read_stdin() -> Result<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .context("<stdin>: cannot read")?;
    Ok(("<stdin>".to_string(), bytes))
}

fn cmd_clean(args: CleanArgs) -> Result<ExitCode> {
    let cleaner = Cleaner::new(load_rules(&args.rules)?);
    let (name, bytes) = read_input(args.file.as_deref())?;
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
    let cleaner = Cleaner::new(load_rules(&args.rules)?);
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
        "deboil batch: {} files in {:.2}s: {} cleaned into {}, {} failed",
        summary.files,
        summary.elapsed.as_secs_f64(),
        summary.cleaned,
        out_dir.display(),
        summary.failed,
    );
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
    if !summary.skipped.is_empty() {
        let _ = writeln!(out, "  skipped {}:", summary.skipped.len());
        for skipped in &summary.skipped {
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
        RulesCommand::List(args) => {
            let rules = load_rules(&args)?;
            let mut stdout = io::stdout().lock();
            for file in rules.files() {
                writeln!(stdout, "{}", file.name)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn cmd_eval(_args: EvalArgs) -> Result<ExitCode> {
    anyhow::bail!("eval is not built yet")
}
