//! The `newsie` command line: argument parsing, output handling and exit codes.
//! Everything else is the library's.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use newsie::dct::parse_iso_date;
use newsie::diff::{DiffFormat, DiffOptions, diff_files};
use newsie::eval::{EvalFormat, by_rule, evaluate, load_records_counted};
use newsie::input::{FieldNames, FileFilter, InputOptions};
use newsie::report::ReportDoc;
use newsie::subword::{SubwordTagger, labels_json};
use newsie::{InputFormat, Inputs, PipelineBuilder, RunSummary, Runner};

// The pipeline makes many small, short-lived allocations per document (spans'
// texts, ids, record fields); mimalloc's thread-local free lists serve them at
// a fraction of the system allocator's cost. Built without transparent huge
// pages (Cargo feature `no_thp`): with them, each batch's memory came back from
// the OS as 2 MB pages the kernel had to zero first (5-9% of `perf` samples
// on some runs, more than twice the system time, about twice the peak RSS).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXIT_CODES: &str = "\
Exit codes:
  0  every document was processed (eval: all --min thresholds met; diff: no differences)
  1  some documents produced error records, the output is still complete (extract:
     0 with --allow-errors) (eval: a --min threshold was missed; diff: the outputs differ)
  2  usage or setup error: bad flags, unreadable gazetteer, unwritable output";

/// The version, and the digest of the built-in gazetteers and lexicon: two
/// builds of one version with different data print different digests.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (gazetteers and lexicon ",
    env!("NEWSIE_DATA_DIGEST"),
    ")"
);

#[derive(Parser)]
#[command(
    name = "newsie",
    version = VERSION,
    about = "Information extraction for news articles: entities, money, percentages, dates and relations as JSON lines.",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Read the lexicon files found in DIR (edited copies of `lexicon/*.txt`,
    /// `*.tsv`: word lists, legal suffixes, currency tables) instead of the
    /// built-in ones of the same name; the others stay built in.
    #[arg(long, global = true, value_name = "DIR")]
    lexicon: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Extract one JSON record per input document (see docs/FORMAT.md).
    #[command(after_help = EXIT_CODES)]
    Extract(ExtractArgs),
    /// Score predictions against gold records (same measures as score.py).
    #[command(after_help = EXIT_CODES)]
    Eval(EvalArgs),
    /// Semantic diff of two extraction outputs, matched by document id.
    #[command(after_help = EXIT_CODES)]
    Diff(DiffArgs),
    /// Write a self-contained HTML report of the extractions (highlights, values, relations).
    #[command(after_help = EXIT_CODES)]
    Render(RenderArgs),
    /// Write token-classification training windows (input_ids, attention_mask, labels) for a model's tokenizer.
    #[command(after_help = EXIT_CODES)]
    ExportNer(ExportNerArgs),
    /// List the built-in gazetteer entries, check gazetteer files, or compile them for quick loading.
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),
}

#[derive(Subcommand)]
enum GazetteerCommand {
    /// Print the built-in entries, one a line, in the gazetteer format (id,
    /// type, name, aliases, attributes; tab-separated): a line copied into a
    /// `--gazetteer` file and edited replaces the built-in entry of its id.
    List(GazetteerListArgs),
    /// Check gazetteer files (the built-in ones when none is given) and report
    /// clashes, malformed lines, unknown hq= ids, empty aliases, aliases that
    /// are ordinary English words, the most shared short forms and the
    /// entities per type. Exit 1 when it finds errors.
    #[command(
        after_help = "Exit codes:\n  0  no errors (warnings may be listed)\n  1  errors found\n  2  a file could not be read"
    )]
    Check(GazetteerCheckArgs),
    /// Compile gazetteer files (TSV) into one binary list (`.ngz`) that
    /// `--gazetteer FILE.ngz` loads in place, without parsing or indexing:
    /// for lists of hundreds of thousands of entities. Extraction with the
    /// compiled list gives the same records as with the TSV files.
    #[command(after_help = EXIT_CODES)]
    Compile(GazetteerCompileArgs),
}

#[derive(Parser)]
struct GazetteerListArgs {
    /// Only entries of this type.
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    kind: Option<EntityTypeArg>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
enum EntityTypeArg {
    Person,
    Org,
    Gpe,
    Product,
}

#[derive(Parser)]
struct GazetteerCompileArgs {
    /// Gazetteer files (TSV), compiled as one list in this order.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The compiled file to write (replaced atomically).
    #[arg(short, long, value_name = "FILE.ngz")]
    output: PathBuf,
    /// Refuse a full alias two entries share (else the document or rank= decides).
    #[arg(long)]
    strict: bool,
}

#[derive(Parser)]
struct GazetteerCheckArgs {
    /// Gazetteer files (TSV). None: the built-in gazetteers.
    files: Vec<PathBuf>,
    /// Check the files alone, not against the built-in gazetteers (their ids and aliases).
    #[arg(long)]
    no_builtin: bool,
    /// Report a full alias two entries share as an error, as `extract --strict`
    /// refuses it (always so for the built-in lists).
    #[arg(long)]
    strict: bool,
    /// How many ordinary-word aliases and shared short forms to list.
    #[arg(long, default_value_t = 20)]
    top: usize,
}

/// When to draw a progress bar or use colours.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum WhenArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum IdFromArg {
    Stem,
    Path,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormatArg {
    Jsonl,
    Parquet,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    Text,
    Jsonl,
    Html,
    Parquet,
}

/// What `extract` and `export-ner` share: inputs and pipeline settings.
#[derive(Parser)]
struct InputArgs {
    /// Files, directories (their *.txt, *.jsonl, *.html and *.parquet files below, gzip or zstd compressed too, sorted by path; hidden ones skipped) or - for stdin. None: stdin.
    inputs: Vec<PathBuf>,
    /// How to read inputs: auto goes by file name (*.jsonl and *.ndjson are JSON lines, *.html and *.htm pages, *.parquet tables with a document per row, the rest one text each; .gz/.zst suffixes aside) and reads stdin by its first bytes ({ is JSONL, <html or <!DOCTYPE html a page, else text).
    #[arg(long, value_enum, default_value = "auto")]
    input_format: FormatArg,
    /// The JSON field with the text (default: text, else maintext).
    #[arg(long, value_name = "NAME")]
    text_field: Option<String>,
    /// The JSON field with the document id (default: id).
    #[arg(long, value_name = "NAME")]
    id_field: Option<String>,
    /// The JSON field with the document date, YYYY-MM-DD or an ISO 8601 timestamp (default: date, else date_publish).
    #[arg(long, value_name = "NAME")]
    date_field: Option<String>,
    /// The JSON field with a headline, put before the text as its first line and a blank line; offsets then count in that text, which the record carries as "text" (default: title; "" for none).
    #[arg(long, value_name = "NAME")]
    title_field: Option<String>,
    /// Read only the files of input directories that match this glob (*.txt matches at any depth; !GLOB leaves files out). Repeatable.
    #[arg(long = "glob", value_name = "GLOB")]
    globs: Vec<String>,
    /// Follow symbolic links to directories when walking input directories.
    #[arg(short = 'L', long)]
    follow: bool,
    /// Add each document's text to its record ("text"), as records of HTML pages and titled JSON lines always have it.
    #[arg(long)]
    emit_text: bool,
    /// How files are named in records: stem (the file name without extension, a/story.txt → story) or path (below the input directory, a/story.txt → a/story).
    #[arg(long, value_enum, default_value = "stem")]
    id_from: IdFromArg,
    /// No progress bar, notes, warnings or failure summary on stderr (errors that stop the run are still printed).
    #[arg(short, long)]
    quiet: bool,
    /// A progress bar on stderr (bytes read of the total, rate, ETA, documents, errors): auto (when stderr is a terminal), always, never.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    progress: WhenArg,
    /// Document date (YYYY-MM-DD) for documents that carry none (no " date" header, no JSONL "date", no dated dateline).
    #[arg(long, value_parser = parse_dct)]
    dct: Option<chrono::NaiveDate>,
    /// Worker threads (default: all cores; at most 1024).
    #[arg(short, long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    jobs: Option<u16>,
    /// An extra gazetteer file: TSV (like gazetteers/*.tsv) or compiled by `newsie gazetteer compile` (.ngz). Repeatable.
    #[arg(long = "gazetteer", value_name = "PATH")]
    gazetteers: Vec<PathBuf>,
    /// Use only the --gazetteer files, not the built-in ones.
    #[arg(long)]
    no_builtin_gazetteers: bool,
    /// Refuse gazetteers in which two entities share a full alias (as for
    /// curated lists). Without it such a name is ambiguous: the entity the
    /// document introduced, else the lower rank=, else untagged (a warning).
    #[arg(long)]
    strict: bool,
    /// Documents larger than this many bytes get an error record instead of being processed.
    #[arg(long, default_value_t = newsie::pipeline::DEFAULT_MAX_DOC_BYTES)]
    max_doc_bytes: usize,
    /// Documents between flushes of the output (at most four times as many are in flight).
    #[arg(long, default_value_t = newsie::runner::DEFAULT_BATCH_DOCS, hide = true)]
    batch_docs: usize,
}

#[derive(Parser)]
struct ExtractArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Write the records here (atomically: a temporary file renamed on success; a device or named pipe is written in place, a symbolic link followed; not one of the inputs). Default, or -: stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// jsonl: one JSON record per line. parquet: a directory of tables (documents, entities, mentions, money, percents, dates, relations; see docs/FORMAT.md) at -o DIR, written atomically.
    #[arg(long, value_enum, default_value = "jsonl")]
    output_format: OutputFormatArg,
    /// Add each document's model tokens ("tokens": ids, offsets, BIO tags) with this tokenizer.json.
    #[arg(long, value_name = "PATH")]
    tokenizer: Option<PathBuf>,
    /// Print the time spent per stage to stderr at the end.
    #[arg(long)]
    timings: bool,
    /// Exit 0 even when some documents got error records (they are still
    /// written): for stream processors such as Spark's RDD.pipe, which fail a
    /// task on any non-zero exit.
    #[arg(long)]
    allow_errors: bool,
    /// Add "provenance" to each record: {"newsie": version, "gazetteers": digest of the gazetteers and lexicon in use} (off by default, so that records of two builds compare equal when their extractions do).
    #[arg(long)]
    provenance: bool,
}

#[derive(Parser)]
struct ExportNerArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The model's tokenizer.json.
    #[arg(long, value_name = "PATH")]
    tokenizer: PathBuf,
    /// Tokens per window, special tokens included.
    #[arg(long, default_value_t = 512)]
    max_length: usize,
    /// Tokens shared by consecutive windows of a document.
    #[arg(long, default_value_t = 64)]
    stride: usize,
    /// Write the windows here (atomically). Default: stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Where to write the label list (id2label, label2id). Default: labels.json beside --output, or in the current directory.
    #[arg(long, value_name = "PATH")]
    labels: Option<PathBuf>,
}

#[derive(Parser)]
struct RenderArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Where to write the report.
    #[arg(short, long, default_value = "report.html")]
    output: PathBuf,
    /// Render these existing records (JSONL, matched by id) instead of running the pipeline; the inputs supply the texts.
    #[arg(long, value_name = "OUT.jsonl")]
    records: Option<PathBuf>,
    /// Show at most this many documents (the page says so when there were more).
    #[arg(long, default_value_t = 300)]
    max_docs: usize,
}

#[derive(Parser)]
struct EvalArgs {
    /// Gold records (JSONL).
    gold: PathBuf,
    /// Predicted records (JSONL).
    pred: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: EvalFormatArg,
    /// Fail (exit 1) when a measure's F1 is below a threshold: a key of the summary line (entities, linking, money, percents, dates, relations) or a measure's full name, e.g. --min entities=0.95 --min dates=0.9. Repeatable.
    #[arg(long = "min", value_name = "KEY=F1", value_parser = parse_min)]
    min: Vec<(String, f64)>,
    /// Also score the relations per rule that found them, and list each
    /// false hit and each miss with its sentence (read from the predicted
    /// records' `source` files when they can be read).
    #[arg(long)]
    by_rule: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum EvalFormatArg {
    Table,
    Json,
}

#[derive(Parser)]
struct DiffArgs {
    /// The earlier records (JSONL; .gz/.zst; - for stdin).
    old: PathBuf,
    /// The newer records (JSONL; .gz/.zst; - for stdin).
    new: PathBuf,
    /// text: the summary, then each document's changes (coloured on a terminal); json: one JSON document {"files", "summary", "documents"}; markdown: summary tables and the most frequent changes, then the first documents' changes (for a pull-request comment or $GITHUB_STEP_SUMMARY).
    #[arg(long, value_enum, default_value = "text")]
    format: DiffFormatArg,
    /// The summary only.
    #[arg(long)]
    stat: bool,
    /// No output: exit 1 if the records differ, 0 if not (stops at the first difference).
    #[arg(short, long)]
    quiet: bool,
    /// Leave out a layer (text, fields, sentences, entities, mentions, money, percents, dates, relations, warnings) or a field (source, dct, provenance …). Repeatable.
    #[arg(long, value_name = "NAME")]
    ignore: Vec<String>,
    /// Changes listed per document (0: all).
    #[arg(long, default_value_t = 50, value_name = "N")]
    max_per_doc: usize,
    /// Most frequent changes listed in the summary.
    #[arg(long, default_value_t = 10, value_name = "N")]
    top: usize,
    /// Article files or directories (read as extract reads them) in which to find the texts of edited documents, when a record has no "text" and its source no longer holds the text it was made from. Repeatable.
    #[arg(long = "text", value_name = "PATH")]
    texts: Vec<PathBuf>,
    /// Also write an HTML page of the differing documents, their changes highlighted in their text.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Colours in the text format: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: WhenArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormatArg {
    Text,
    Json,
    Markdown,
}

fn parse_dct(s: &str) -> Result<chrono::NaiveDate, String> {
    parse_iso_date(s).ok_or_else(|| format!("{s:?} is not a valid YYYY-MM-DD date"))
}

fn parse_min(s: &str) -> Result<(String, f64), String> {
    let (k, v) = s
        .split_once('=')
        .ok_or("expected KEY=F1, e.g. entities=0.95")?;
    let f: f64 = v.parse().map_err(|_| format!("{v:?} is not a number"))?;
    if !(0.0..=1.0).contains(&f) {
        return Err(format!("{f} is not between 0 and 1"));
    }
    Ok((k.to_string(), f))
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Temporary outputs (a file or a directory of tables being written beside
/// its target) are removed when SIGINT or SIGTERM ends the run, which then
/// exits 130 or 143 as a shell reports those signals: an interrupted run
/// leaves the target as it was and nothing beside it.
mod interrupted {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
        PENDING.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts the thread that waits for the signals.
    pub fn watch() {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    for path in pending().drain(..) {
                        let _ = if path.is_dir() {
                            std::fs::remove_dir_all(&path)
                        } else {
                            std::fs::remove_file(&path)
                        };
                    }
                    std::process::exit(128 + signal);
                }
            });
        }
    }

    /// `path` goes if a signal ends the run.
    pub fn remove_on_signal(path: &Path) {
        pending().push(path.to_path_buf());
    }

    /// `path` was renamed into place or removed: no longer ours to remove.
    pub fn keep(path: &Path) {
        pending().retain(|p| p != path);
    }
}

fn main() -> ExitCode {
    interrupted::watch();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if let Some(dir) = &cli.lexicon
        && let Err(e) = newsie::use_lexicon_dir(dir)
    {
        eprintln!("newsie: error: --lexicon: {e}");
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Extract(a) => extract(a),
        Command::Eval(a) => eval(a),
        Command::Diff(a) => diff(a),
        Command::ExportNer(a) => export_ner(a),
        Command::Render(a) => render(a),
        Command::Gazetteer(GazetteerCommand::List(a)) => gazetteer_list(a),
        Command::Gazetteer(GazetteerCommand::Check(a)) => gazetteer_check(a),
        Command::Gazetteer(GazetteerCommand::Compile(a)) => gazetteer_compile(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsie: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Output that lands atomically: a temporary file in the target's directory,
/// renamed over the target only when the run completes. It ends up as a
/// plain write would leave it: through a symbolic link into the link's
/// target, with an existing file's permissions or, for a new one, those the
/// umask gives.
enum Output {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    /// A device, pipe or socket (`/dev/null`, a FIFO): written in place, since
    /// renaming a file over it would replace the device itself.
    Special(std::io::BufWriter<std::fs::File>),
    File {
        tmp: std::io::BufWriter<tempfile::NamedTempFile>,
        target: PathBuf,
        /// Bytes written since the file was last synced to disk.
        unsynced: u64,
    },
}

/// The file `path` names: a symbolic link's target, so that the link stays
/// (renaming over the link itself would replace it with a plain file); else
/// `path` itself.
fn link_target(path: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return path.to_path_buf();
    }
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        // A dangling link: the file it names, which the run creates.
        match std::fs::read_link(path) {
            Ok(to) => path.parent().map_or(to.clone(), |dir| dir.join(&to)),
            Err(_) => path.to_path_buf(),
        }
    })
}

/// How much output may wait in the page cache before a flush syncs it to
/// disk. The file is synced before the rename that publishes it; syncing
/// along the way, in the writer thread while the workers go on, leaves that
/// last sync only the tail to wait for (the whole file's writeback, some 0.15
/// s for the 100 MB benchmark corpus's output, was the run's last step).
const SYNC_EVERY: u64 = 32 << 20;

impl Output {
    fn open(path: Option<&Path>) -> Result<Output> {
        // `-o -` is standard output, as `-` is standard input.
        let Some(path) = path.filter(|p| p.as_os_str() != "-") else {
            if stdout_was_closed() {
                bail!(
                    "standard output is closed (the records would be lost): give -o FILE, or redirect it (> FILE, or > /dev/null to discard them)"
                );
            }
            return Ok(Output::Stdout(std::io::BufWriter::with_capacity(
                1 << 16,
                std::io::stdout(),
            )));
        };
        if let Ok(meta) = std::fs::metadata(path)
            && !meta.is_file()
            && !meta.is_dir()
        {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot write output {}", path.display()))?;
            return Ok(Output::Special(std::io::BufWriter::with_capacity(
                1 << 16,
                file,
            )));
        }
        let target = link_target(path);
        if std::fs::metadata(&target).is_ok_and(|m| m.is_file() && m.permissions().readonly()) {
            bail!("{} is read-only; not replaced", path.display());
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".newsie-").suffix(".tmp");
        // A temporary file is the owner's alone (0600); the output is not.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder
            .tempfile_in(dir)
            .with_context(|| format!("cannot write output {}", path.display()))?;
        if let Ok(meta) = std::fs::metadata(&target)
            && meta.is_file()
        {
            tmp.as_file()
                .set_permissions(meta.permissions())
                .with_context(|| format!("cannot write output {}", path.display()))?;
        }
        interrupted::remove_on_signal(tmp.path());
        Ok(Output::File {
            tmp: std::io::BufWriter::with_capacity(1 << 16, tmp),
            target,
            unsynced: 0,
        })
    }

    fn finish(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => Ok(w.flush()?),
            Output::Special(mut w) => Ok(w.flush()?),
            Output::File { tmp, target, .. } => {
                let tmp = tmp.into_inner().map_err(|e| e.into_error())?;
                tmp.as_file().sync_all()?;
                let path = tmp.path().to_path_buf();
                // The rename's own error: `PersistError` would print it twice.
                tmp.persist(&target)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot write output {}", target.display()))?;
                interrupted::keep(&path);
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::Special(w) => w.write(buf),
            Output::File { tmp, unsynced, .. } => {
                let n = tmp.write(buf)?;
                *unsynced += n as u64;
                Ok(n)
            }
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::Special(w) => w.flush(),
            Output::File { tmp, unsynced, .. } => {
                tmp.flush()?;
                if *unsynced >= SYNC_EVERY {
                    tmp.get_ref().as_file().sync_data()?;
                    *unsynced = 0;
                }
                Ok(())
            }
        }
    }
}

impl InputArgs {
    fn pipeline(&self, tokenizer: Option<&Path>) -> Result<newsie::Pipeline> {
        let mut builder = PipelineBuilder::new()
            .default_dct(self.dct)
            .max_doc_bytes(self.max_doc_bytes)
            .strict_gazetteers(self.strict);
        if self.no_builtin_gazetteers {
            builder = builder.without_builtin_gazetteers();
        }
        for g in &self.gazetteers {
            builder = builder.gazetteer_file(g);
        }
        if let Some(t) = tokenizer {
            builder = builder.tokenizer_file(t);
        }
        let pipeline = builder.build()?;
        if !self.quiet {
            for note in pipeline.notes() {
                eprintln!("newsie: note: {note}");
            }
        }
        Ok(pipeline)
    }

    fn pool(&self) -> Result<rayon::ThreadPool> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.jobs.map_or(0, usize::from))
            .build()
            .context("cannot start worker threads")
    }

    fn inputs(&self) -> Result<Inputs> {
        let format = match self.input_format {
            FormatArg::Auto => InputFormat::Auto,
            FormatArg::Text => InputFormat::Text,
            FormatArg::Jsonl => InputFormat::Jsonl,
            FormatArg::Html => InputFormat::Html,
            FormatArg::Parquet => InputFormat::Parquet,
        };
        let mut fields = FieldNames::default();
        let chosen = |name: &Option<String>, default: &mut Vec<String>| {
            if let Some(name) = name {
                *default = if name.is_empty() {
                    Vec::new()
                } else {
                    vec![name.clone()]
                };
            }
        };
        chosen(&self.text_field, &mut fields.text);
        chosen(&self.id_field, &mut fields.id);
        chosen(&self.date_field, &mut fields.date);
        chosen(&self.title_field, &mut fields.title);
        if fields.text.is_empty() {
            bail!("--text-field needs a field name");
        }
        if self.inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
            bail!("standard input (-) can be read only once");
        }
        let options = InputOptions {
            format,
            max_doc_bytes: self.max_doc_bytes,
            fields,
            filter: FileFilter::new(&self.globs).context("invalid --glob")?,
            follow_links: self.follow,
            emit_text: self.emit_text,
            id_from_path: self.id_from == IdFromArg::Path,
        };
        Ok(Inputs::with_options(&self.inputs, options))
    }
}

/// Writes JSON lines through to `inner` with `field` (`,"name":value`)
/// added before each line's closing brace. A line split across writes waits
/// in `partial` for its end.
struct WithField<'w, W: Write> {
    inner: &'w mut W,
    field: Vec<u8>,
    partial: Vec<u8>,
}

impl<'w, W: Write> WithField<'w, W> {
    fn new(inner: &'w mut W, field: String) -> Self {
        WithField {
            inner,
            field: field.into_bytes(),
            partial: Vec::new(),
        }
    }

    /// Writes a line not ended by a newline, as it is (the runner ends
    /// every line, so there is none unless the run stopped mid-line).
    fn finish(self) -> std::io::Result<()> {
        self.inner.write_all(&self.partial)?;
        self.inner.flush()
    }
}

impl<W: Write> Write for WithField<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let WithField {
            inner,
            field,
            partial,
        } = self;
        newsie::runner::complete_lines(partial, buf, |line| match line {
            [body @ .., b'}'] => {
                inner.write_all(body)?;
                inner.write_all(field)?;
                inner.write_all(b"}\n")
            }
            _ => {
                inner.write_all(line)?;
                inner.write_all(b"\n")
            }
        })?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The progress of a run on stderr: a bar with bytes read of the total,
/// rate and ETA when the inputs are files, else a spinner with bytes read
/// and rate; documents and errors so far beside it. Drawn past a handful of
/// documents, so that a short run leaves no flicker.
struct Progress {
    bar: indicatif::ProgressBar,
    read: Arc<AtomicU64>,
    started: std::sync::Once,
}

impl Progress {
    /// A progress display for `inputs`, or none: with `--quiet`, or
    /// `--progress never`, or (`auto`) when stderr is not a terminal.
    fn new(args: &InputArgs, inputs: &Inputs) -> Option<Progress> {
        let terminal = std::io::stderr().is_terminal();
        let target = match (args.progress, terminal) {
            _ if args.quiet => return None,
            (WhenArg::Never, _) | (WhenArg::Auto, false) => return None,
            (_, true) => indicatif::ProgressDrawTarget::stderr(),
            // Asked for on a file or pipe: drawn there all the same.
            (WhenArg::Always, false) => {
                indicatif::ProgressDrawTarget::term_like(Box::new(PlainStderr))
            }
        };
        let (bar, template) = match inputs.total_bytes() {
            Some(total) => (
                indicatif::ProgressBar::with_draw_target(Some(total), target),
                "{wide_bar} {bytes}/{total_bytes} {bytes_per_sec}, ETA {eta} · {msg}",
            ),
            None => (
                indicatif::ProgressBar::with_draw_target(None, target),
                "{spinner} {bytes} read, {bytes_per_sec} · {msg} [{elapsed}]",
            ),
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template(template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(Progress {
            bar,
            read: inputs.bytes_read(),
            started: std::sync::Once::new(),
        })
    }

    fn show(progress: &Option<Progress>, s: &RunSummary) {
        let Some(p) = progress.as_ref().filter(|_| s.documents > 8) else {
            return;
        };
        p.started.call_once(|| {
            p.bar
                .enable_steady_tick(std::time::Duration::from_millis(200));
        });
        p.bar.set_position(p.read.load(Ordering::Relaxed));
        p.bar
            .set_message(format!("{} documents, {} errors", s.documents, s.errors));
    }

    fn finish(progress: Option<Progress>) {
        if let Some(p) = progress {
            p.bar.finish_and_clear();
        }
    }
}

/// Standard error as a terminal that moves the cursor with ANSI escapes:
/// `--progress always` when stderr is a file or a pipe.
#[derive(Debug)]
struct PlainStderr;

impl indicatif::TermLike for PlainStderr {
    fn width(&self) -> u16 {
        100
    }
    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        self.write_str(&format!("\x1b[{n}A"))
    }
    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        self.write_str(&format!("\x1b[{n}B"))
    }
    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        self.write_str(&format!("\x1b[{n}C"))
    }
    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        self.write_str(&format!("\x1b[{n}D"))
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.write_str(&format!("{s}\n"))
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        std::io::stderr().write_all(s.as_bytes())
    }
    fn clear_line(&self) -> std::io::Result<()> {
        self.write_str("\r\x1b[2K")
    }
    fn flush(&self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Whether newsie started with standard output closed (`>&-`). The Rust
/// runtime then opens `/dev/null` on it, read-write, and every write
/// succeeds into nothing; a shell's `> /dev/null` opens it write-only. So:
/// `/dev/null` opened read-write. (Linux, through /proc; elsewhere, no.)
fn stdout_was_closed() -> bool {
    let is_null = std::fs::read_link("/proc/self/fd/1").is_ok_and(|t| t == Path::new("/dev/null"));
    if !is_null {
        return false;
    }
    let Ok(info) = std::fs::read_to_string("/proc/self/fdinfo/1") else {
        return false;
    };
    let flags = info
        .lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|f| u32::from_str_radix(f.trim(), 8).ok());
    // O_ACCMODE is 3, O_RDWR 2.
    flags.is_some_and(|f| f & 3 == 2)
}

/// An output file that is also an input would replace the articles with
/// their records: refused before anything is read.
fn refuse_output_among_inputs(output: Option<&Path>, inputs: &[PathBuf]) -> Result<()> {
    let Some(output) = output.and_then(|o| std::fs::canonicalize(o).ok()) else {
        return Ok(());
    };
    for input in inputs {
        if std::fs::canonicalize(input).is_ok_and(|i| i == output) {
            bail!(
                "the output {} is also an input; write the records elsewhere",
                input.display()
            );
        }
    }
    Ok(())
}

fn extract(a: ExtractArgs) -> Result<u8> {
    refuse_output_among_inputs(a.output.as_deref(), &a.input.inputs)?;
    let pipeline = a.input.pipeline(a.tokenizer.as_deref())?;
    let pool = a.input.pool()?;
    let inputs = a.input.inputs()?;
    let warnings = inputs.warnings();
    let progress = Progress::new(&a.input, &inputs);
    let started = std::time::Instant::now();
    let failures = Failures::default();
    let runner = Runner::new()
        .batch_docs(a.input.batch_docs)
        .on_batch(|s| Progress::show(&progress, s))
        .on_error_record(|line| failures.note(line));
    let provenance = a.provenance.then(|| pipeline.provenance());
    let summary = match a.output_format {
        OutputFormatArg::Jsonl => {
            let mut out = Output::open(a.output.as_deref())?;
            let summary = match provenance {
                Some(p) => {
                    let mut lines = WithField::new(&mut out, p.field());
                    let summary = pool.install(|| runner.run(&pipeline, inputs, &mut lines))?;
                    lines.finish()?;
                    summary
                }
                None => pool.install(|| runner.run(&pipeline, inputs, &mut out))?,
            };
            out.finish()?;
            summary
        }
        OutputFormatArg::Parquet => {
            let Some(dir) = a.output.as_deref() else {
                bail!("--output-format parquet writes a directory of tables: give it with -o DIR");
            };
            let mut sink = newsie::tables::TableSink::create(dir, provenance)?;
            let staging = sink.staging().to_path_buf();
            interrupted::remove_on_signal(&staging);
            let summary = pool.install(|| runner.run(&pipeline, inputs, &mut sink))?;
            sink.finish()?;
            interrupted::keep(&staging);
            summary
        }
    };
    Progress::finish(progress);
    if !a.input.quiet {
        print_warnings(&warnings);
        failures.report(&summary);
    }
    if a.timings {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "newsie: {} documents, {:.1} MB in {:.2} s ({:.1} MB/s), {} errors",
            summary.documents,
            summary.bytes as f64 / 1e6,
            secs,
            summary.bytes as f64 / 1e6 / secs.max(1e-9),
            summary.errors
        );
        let timings = pipeline.stage_timings();
        let total: f64 = timings.iter().map(|t| t.1).sum();
        for (name, t) in timings {
            eprintln!(
                "  {name:<10} {t:8.3} s  {:5.1}%",
                100.0 * t / total.max(1e-12)
            );
        }
    }
    // The process ends here: freeing the gazetteer's and automata's many
    // small allocations one by one would only delay the exit (a tenth of the
    // start-up time with a user list of 200,000 entities).
    std::mem::forget(pipeline);
    Ok(if summary.errors > 0 && !a.allow_errors {
        1
    } else {
        0
    })
}

/// The first few documents that got error records, for the summary a run
/// ends with.
#[derive(Default)]
struct Failures(std::sync::Mutex<Vec<String>>);

impl Failures {
    /// How many failures the summary names.
    const SHOWN: usize = 3;

    /// Notes an error record's line.
    fn note(&self, line: &[u8]) {
        #[derive(serde::Deserialize)]
        struct ErrorLine {
            source: String,
            error: String,
        }
        let mut shown = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if shown.len() < Self::SHOWN
            && let Ok(e) = serde_json::from_slice::<ErrorLine>(line)
        {
            shown.push(format!("{}: {}", e.source, e.error));
        }
    }

    /// `2 of 11 documents failed: a.txt: …; b.txt: …` on stderr, when any did.
    fn report(&self, summary: &RunSummary) {
        if summary.errors == 0 {
            return;
        }
        let shown = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let more = summary.errors.saturating_sub(shown.len());
        let more = if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        };
        eprintln!(
            "newsie: {} of {} documents failed: {}{more}",
            summary.errors,
            summary.documents,
            shown.join("; ")
        );
    }
}

/// What reading the inputs noticed, on stderr.
fn print_warnings(warnings: &newsie::input::InputWarnings) {
    for w in warnings.take() {
        eprintln!("newsie: warning: {w}");
    }
}

fn export_ner(a: ExportNerArgs) -> Result<u8> {
    let pipeline = a.input.pipeline(None)?;
    let subword = SubwordTagger::from_file(&a.tokenizer)?;
    // One usage error, not one error per document.
    subword
        .window_room(a.max_length, a.stride)
        .map_err(anyhow::Error::msg)?;
    refuse_output_among_inputs(a.output.as_deref(), &a.input.inputs)?;
    let pool = a.input.pool()?;
    let labels_path =
        a.labels
            .clone()
            .unwrap_or_else(|| match a.output.as_deref().and_then(Path::parent) {
                Some(dir) if !dir.as_os_str().is_empty() => dir.join("labels.json"),
                _ => PathBuf::from("labels.json"),
            });
    let mut out = Output::open(a.output.as_deref())?;
    let to_windows = |input: newsie::InputDoc| -> (String, bool) {
        let (id, source) = (input.id.clone(), input.source.clone());
        let content = match input.content {
            Ok(c) => c,
            Err(e) => {
                eprintln!("newsie export-ner: {source}: {e}");
                return (String::new(), true);
            }
        };
        let doc = pipeline.process_text(&id, &source, &content.text, content.date);
        let rec = newsie::Record::from_document(&doc);
        match subword.windows(&doc.text, &rec, a.max_length, a.stride) {
            Ok(windows) => {
                let mut text = String::new();
                for w in windows {
                    text += &serde_json::to_string(&w).unwrap_or_default();
                    text.push('\n');
                }
                (text, false)
            }
            Err(e) => {
                eprintln!("newsie export-ner: {source}: {e}");
                (String::new(), true)
            }
        }
    };
    let inputs = a.input.inputs()?;
    let warnings = inputs.warnings();
    let progress = Progress::new(&a.input, &inputs);
    let summary = pool.install(|| {
        Runner::new()
            .batch_docs(a.input.batch_docs)
            .on_batch(|s| Progress::show(&progress, s))
            .run_with(inputs, &mut out, to_windows)
    })?;
    out.finish()?;
    Progress::finish(progress);
    if !a.input.quiet {
        print_warnings(&warnings);
    }
    let labels = serde_json::to_string_pretty(&labels_json())? + "\n";
    std::fs::write(&labels_path, labels)
        .with_context(|| format!("cannot write {}", labels_path.display()))?;
    Ok(if summary.errors > 0 { 1 } else { 0 })
}

fn render(a: RenderArgs) -> Result<u8> {
    use rayon::prelude::*;
    refuse_output_among_inputs(Some(&a.output), &a.input.inputs)?;
    let inputs = a.input.inputs()?;
    let warnings = inputs.warnings();
    let mut inputs = inputs;
    let chosen: Vec<newsie::InputDoc> = inputs.by_ref().take(a.max_docs).collect();
    // The page says how many there were: the rest are read, not processed.
    let total = chosen.len() + inputs.count();
    if !a.input.quiet {
        print_warnings(&warnings);
    }
    let texts: Vec<String> = chosen
        .iter()
        .map(|d| {
            d.content
                .as_ref()
                .map(|c| c.text.clone())
                .unwrap_or_default()
        })
        .collect();
    let records: Vec<newsie::Record<'static>> = match &a.records {
        Some(path) => {
            let wanted: std::collections::HashSet<&str> =
                chosen.iter().map(|d| d.id.as_str()).collect();
            let mut by_id: std::collections::HashMap<String, newsie::Record<'static>> =
                std::collections::HashMap::new();
            let file = newsie::input::open_records(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            for (n, line) in std::io::BufRead::lines(file).enumerate() {
                let line = line.with_context(|| format!("cannot read {}", path.display()))?;
                if line.trim().is_empty() {
                    continue;
                }
                let rec: newsie::Record<'static> =
                    serde_json::from_str(&line).with_context(|| {
                        format!("{}:{}: not a newsie record", path.display(), n + 1)
                    })?;
                if wanted.contains(&*rec.id) {
                    by_id.insert(rec.id.to_string(), rec);
                }
            }
            chosen
                .iter()
                .map(|d| {
                    by_id.remove(&d.id).unwrap_or_else(|| {
                        newsie::Record::error(
                            &d.id,
                            &d.source,
                            format!("no record with this id in {}", path.display()),
                        )
                    })
                })
                .collect()
        }
        None => {
            let pipeline = a.input.pipeline(None)?;
            a.input.pool()?.install(|| {
                chosen
                    .into_par_iter()
                    .map(|d| pipeline.process(d))
                    .collect()
            })
        }
    };
    let docs: Vec<ReportDoc> = records
        .iter()
        .zip(&texts)
        .map(|(record, text)| ReportDoc { record, text })
        .collect();
    let html =
        newsie::report::render(&docs, total, a.max_docs).context("cannot render the report")?;
    let mut out = Output::open(Some(&a.output))?;
    out.write_all(html.as_bytes())?;
    out.finish()?;
    Ok(if records.iter().any(|r| r.is_error()) {
        1
    } else {
        0
    })
}

fn gazetteer_compile(a: GazetteerCompileArgs) -> Result<u8> {
    let started = std::time::Instant::now();
    let mut files = Vec::new();
    for path in &a.files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read gazetteer", path.display()))?;
        files.push((path.display().to_string(), text));
    }
    let sources: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let bytes = newsie::gazetteer::compile(&sources, a.strict)?;
    let size = bytes.len();
    // Written as `extract -o` writes: atomically, with the permissions a
    // plain write would give.
    let mut out = Output::open(Some(&a.output))?;
    out.write_all(&bytes)
        .with_context(|| format!("cannot write output {}", a.output.display()))?;
    out.finish()?;
    drop(bytes);
    // Opened as `--gazetteer` opens it (mapped, checksum and tables
    // checked): what was written loads.
    let mut check = newsie::gazetteer::Gazetteer::default();
    check.add_file(&a.output)?;
    eprintln!(
        "{}: {} entities, {} surfaces (aliases, short forms, case variants), {:.1} MB, compiled in {:.2} s",
        a.output.display(),
        check.len(),
        check.surface_count(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(0)
}

fn gazetteer_list(a: GazetteerListArgs) -> Result<u8> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "# id\ttype\tname\taliases\tattributes (the built-in gazetteers, newsie {VERSION})"
    )?;
    let wanted = a.kind.map(|k| match k {
        EntityTypeArg::Person => "PERSON",
        EntityTypeArg::Org => "ORG",
        EntityTypeArg::Gpe => "GPE",
        EntityTypeArg::Product => "PRODUCT",
    });
    for (_, text) in newsie::gazetteer::BUILTIN {
        for (_, line) in newsie::gazetteer::data_lines(text) {
            let kind = line.split('\t').nth(1).unwrap_or_default();
            if wanted.is_none_or(|w| w == kind) {
                writeln!(out, "{line}")?;
            }
        }
    }
    out.flush()?;
    Ok(0)
}

fn gazetteer_check(a: GazetteerCheckArgs) -> Result<u8> {
    let (files, context) = if a.files.is_empty() {
        let files = newsie::gazetteer::BUILTIN
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect::<Vec<_>>();
        (files, newsie::gazetteer::Gazetteer::default())
    } else {
        let mut files = Vec::new();
        for path in &a.files {
            let bytes = std::fs::read(path)
                .with_context(|| format!("{}: cannot read gazetteer", path.display()))?;
            if bytes.starts_with(newsie::gazetteer::MAGIC) {
                bail!(
                    "{}: a compiled gazetteer; check the TSV files it was compiled from (a compiled file's checksum is checked as it loads)",
                    path.display()
                );
            }
            let text = String::from_utf8(bytes)
                .with_context(|| format!("{}: cannot read gazetteer", path.display()))?;
            files.push((path.display().to_string(), text));
        }
        let context = if a.no_builtin {
            newsie::gazetteer::Gazetteer::default()
        } else {
            newsie::gazetteer::Gazetteer::builtin()?
        };
        (files, context)
    };
    // The built-in lists are curated: checked strictly, as they load.
    let strict = a.strict || a.files.is_empty();
    let report = newsie::gazetteer::check(&files, &context, strict);
    let mut out = std::io::stdout().lock();
    let mut total = [0usize; 4];
    // Entities per type, in the order of `CheckReport::counts`.
    let by_type = |c: &[usize; 4]| {
        format!(
            "{} entities (PERSON {}, ORG {}, GPE {}, PRODUCT {})",
            c.iter().sum::<usize>(),
            c[0],
            c[1],
            c[2],
            c[3]
        )
    };
    for (name, counts) in &report.counts {
        writeln!(out, "{name}: {}", by_type(counts))?;
        for (t, c) in total.iter_mut().zip(counts) {
            *t += c;
        }
    }
    writeln!(out, "total: {}", by_type(&total))?;
    // Each list: its heading and size, then its first `top` problems.
    let list = |out: &mut std::io::StdoutLock,
                heading: &str,
                issues: &[newsie::gazetteer::CheckIssue],
                top| {
        writeln!(out, "\n{heading}: {}", issues.len())?;
        for w in issues.iter().take(top) {
            writeln!(out, "  {}: {}", w.origin, w.message)?;
        }
        std::io::Result::Ok(())
    };
    list(&mut out, "errors", &report.errors, usize::MAX)?;
    list(
        &mut out,
        "ordinary-word aliases (warnings)",
        &report.common_word_aliases,
        a.top,
    )?;
    writeln!(
        out,
        "\nshort forms shared by several entities: {}",
        report.ambiguous_short_forms.len()
    )?;
    for (form, n) in report.ambiguous_short_forms.iter().take(a.top) {
        writeln!(out, "  ~{form}: {n} entities")?;
    }
    list(
        &mut out,
        "full aliases shared with another entry (the document or rank= decides; errors with --strict)",
        &report.shared_full_aliases,
        a.top,
    )?;
    if !report.replacements.is_empty() {
        let heading = "built-in entries replaced (same id)";
        list(&mut out, heading, &report.replacements, a.top)?;
    }
    Ok(u8::from(!report.errors.is_empty()))
}

fn eval(a: EvalArgs) -> Result<u8> {
    let format = match a.format {
        EvalFormatArg::Table => EvalFormat::Table,
        EvalFormatArg::Json => EvalFormat::Json,
    };
    let (gold, gold_repeats) = load_records_counted(&a.gold)?;
    let (pred, pred_repeats) = load_records_counted(&a.pred)?;
    let gold_ids: std::collections::HashSet<String> =
        gold.iter().map(|(id, _)| id.to_string()).collect();
    let found = pred
        .iter()
        .filter(|(id, _)| gold_ids.contains(&id.to_string()))
        .count();
    eprintln!(
        "newsie eval: {} gold records; predictions: {found} found, {} missing, {} not in the gold, {} repeated ids (gold: {gold_repeats})",
        gold.len(),
        gold.len() - found,
        pred.len() - found,
        pred_repeats,
    );
    // Records under other ids are a wrong file, not poor predictions (an
    // empty file scores what it scores).
    if found == 0 && !gold.is_empty() && !pred.is_empty() {
        bail!(
            "no prediction in {} has the id of a gold record in {}",
            a.pred.display(),
            a.gold.display()
        );
    }
    let report = evaluate(&gold, &pred);
    for (k, _) in &a.min {
        if report.counts(k).is_none() {
            let mut known: Vec<String> = newsie::eval::SUMMARY_KEYS
                .iter()
                .map(|(key, _)| key.to_string())
                .collect();
            known.extend(
                report
                    .measure_names()
                    .into_iter()
                    .filter(|m| !m.chars().all(|c| c.is_ascii_lowercase())),
            );
            bail!("--min {k}: no such measure (known: {})", known.join(", "));
        }
    }
    let mut stdout = std::io::stdout().lock();
    if a.by_rule {
        let rules = by_rule(&gold, &pred);
        match format {
            // One JSON document: the measures and the rules.
            EvalFormat::Json => {
                let both = format!(
                    "{{\"measures\": {}, \"by_rule\": {}}}\n",
                    report.render(format).trim_end(),
                    rules.render(format).trim_end()
                );
                stdout.write_all(both.as_bytes())?;
            }
            EvalFormat::Table => {
                stdout.write_all(report.render(format).as_bytes())?;
                stdout.write_all(b"\n")?;
                stdout.write_all(rules.render(format).as_bytes())?;
            }
        }
    } else {
        stdout.write_all(report.render(format).as_bytes())?;
    }
    let failed = report.below(&a.min);
    for (k, want, got) in &failed {
        eprintln!("newsie eval: {k} F1 {got:.3} is below --min {want:.3}");
    }
    Ok(if failed.is_empty() { 0 } else { 1 })
}

fn diff(a: DiffArgs) -> Result<u8> {
    let format = match a.format {
        DiffFormatArg::Text => DiffFormat::Text,
        DiffFormatArg::Json => DiffFormat::Json,
        DiffFormatArg::Markdown => DiffFormat::Markdown,
    };
    let known = newsie::diff::Layer::ALL.map(|l| l.name());
    for name in &a.ignore {
        let field = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit());
        if !known.contains(&name.as_str()) && !field {
            bail!(
                "--ignore {name:?}: not a layer ({}) nor a field name",
                known.join(", ")
            );
        }
    }
    let color = match a.color {
        WhenArg::Always => true,
        WhenArg::Never => false,
        WhenArg::Auto => std::io::stdout().is_terminal(),
    };
    let options = DiffOptions {
        format,
        ignore: newsie::diff::Ignore::new(&a.ignore),
        max_per_doc: a.max_per_doc,
        top: a.top,
        stat: a.stat,
        quiet: a.quiet,
        color,
        texts: a.texts,
        html: a.html,
    };
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let summary = diff_files(&a.old, &a.new, &options, &mut stdout)?;
    stdout.flush()?;
    Ok(u8::from(summary.differs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_field_adds_the_field_to_each_line_however_the_lines_are_split() {
        let lines = b"{\"id\":\"a\"}\n{\"id\":\"b\",\"error\":\"x\"}\n\n{\"id\":\"c\"}\n";
        let want = b"{\"id\":\"a\",\"p\":1}\n{\"id\":\"b\",\"error\":\"x\",\"p\":1}\n\n{\"id\":\"c\",\"p\":1}\n";
        for cut in 0..=lines.len() {
            for second in cut..=lines.len() {
                let mut out = Vec::new();
                let mut w = WithField::new(&mut out, ",\"p\":1".into());
                w.write_all(&lines[..cut]).unwrap();
                w.write_all(&lines[cut..second]).unwrap();
                w.write_all(&lines[second..]).unwrap();
                w.finish().unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&out),
                    String::from_utf8_lossy(want),
                    "cuts at {cut} and {second}"
                );
            }
        }
        // A line the run did not finish is written as it is.
        let mut out = Vec::new();
        let mut w = WithField::new(&mut out, ",\"p\":1".into());
        w.write_all(b"{\"id\":\"a\"}\n{\"id\"").unwrap();
        w.finish().unwrap();
        assert_eq!(out, b"{\"id\":\"a\",\"p\":1}\n{\"id\"");
    }
}
