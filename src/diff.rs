//! `newsie diff`: what changed between two extraction outputs, document by
//! document, field by field.
//!
//! Records are matched by id (the k-th record of an id with the k-th of the
//! same id). Both files are streamed side by side; a record whose partner
//! has not come yet is parked in a spool file, and only its id and place
//! stay in memory, so memory is bounded whatever the two orders. A pair of
//! byte-identical lines is counted without being parsed; the others are
//! parsed and compared on the worker threads, a batch at a time
//! ([`compare::diff_records`]). An edited text is aligned with its old
//! self ([`align`]) so that only the items inside or across an edit differ.
//! The summary ([`summary`]) comes first in every format, so the documents'
//! details wait in a spool file until the end.

mod align;
mod compare;
mod html;
mod render;
mod summary;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::record::sha256_hex;
use rayon::prelude::*;
use serde_json::Value;
use serde_json::value::RawValue;

pub use align::Alignment;
pub use compare::{
    Change, DocDiff, Ignore, Layer, Op, Rec, Status, TextChange, Texts, diff_records,
};
pub use summary::{DiffSummary, Group, LayerCounts};

use compare::compare_records;

use crate::error::RecordsError;
use crate::input::{InputOptions, Inputs};
use crate::record::RecordLines;
use render::Paint;
use summary::Tally;

/// How to print the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    /// Lines for a reader: the summary, then each document's changes.
    Text,
    /// One JSON document: `{"old", "new", "summary", "documents"}`.
    Json,
    /// A summary table and the most frequent changes, then the first
    /// documents' changes: for a pull-request comment or a CI job summary.
    Markdown,
}

/// What to compare and how to report it.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// The output format.
    pub format: DiffFormat,
    /// Layers and fields left out.
    pub ignore: Ignore,
    /// Changes listed per document (0: all).
    pub max_per_doc: usize,
    /// Most frequent changes listed in the summary.
    pub top: usize,
    /// The summary only.
    pub stat: bool,
    /// No output: the exit code says whether the files differ (stops at the
    /// first difference).
    pub quiet: bool,
    /// ANSI colours in the text format.
    pub color: bool,
    /// Article files or directories to find edited texts in (read as
    /// `extract` reads them), when neither record carries its text and its
    /// `source` no longer holds it.
    pub texts: Vec<PathBuf>,
    /// Write an HTML page of the differences here.
    pub html: Option<PathBuf>,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            format: DiffFormat::Text,
            ignore: Ignore::default(),
            max_per_doc: 50,
            top: 10,
            stat: false,
            quiet: false,
            color: false,
            texts: Vec::new(),
            html: None,
        }
    }
}

/// Documents an HTML page shows at most (the summary counts them all).
const HTML_DOCS: usize = 500;
/// Documents the Markdown details list at most.
const MARKDOWN_DOCS: usize = 50;
/// Pairs of differing lines compared per batch on the worker threads.
const BATCH_PAIRS: usize = 512;
/// Text files larger than this are not read for a record's text.
const MAX_SOURCE_BYTES: u64 = 64 << 20;

/// A line of a records file, with its id.
struct Line {
    id: String,
    bytes: Vec<u8>,
}

/// Where a parked line is in its side's spool.
struct Parked {
    offset: u64,
    len: usize,
    seq: usize,
}

/// One side of the diff: its records file, read line by line, and the
/// lines parked until their partner comes.
struct Side {
    lines: Box<dyn BufRead + Send>,
    origin: String,
    line: usize,
    seq: usize,
    spool: Spool,
    parked: HashMap<String, VecDeque<Parked>>,
}

/// An append-only temporary file read back at offsets.
struct Spool {
    file: Option<BufWriter<File>>,
    len: u64,
}

impl Spool {
    fn new() -> Spool {
        Spool { file: None, len: 0 }
    }

    fn io(e: std::io::Error) -> RecordsError {
        RecordsError::Io {
            path: "<temporary file>".into(),
            source: e,
        }
    }

    fn append(&mut self, bytes: &[u8]) -> Result<u64, RecordsError> {
        if self.file.is_none() {
            self.file = Some(BufWriter::with_capacity(
                1 << 20,
                tempfile::tempfile().map_err(Spool::io)?,
            ));
        }
        let file = self.file.as_mut().expect("made above");
        file.write_all(bytes).map_err(Spool::io)?;
        let at = self.len;
        self.len += bytes.len() as u64;
        Ok(at)
    }

    fn read(&mut self, offset: u64, len: usize) -> Result<Vec<u8>, RecordsError> {
        let file = self.file.as_mut().expect("read only what was appended");
        file.flush().map_err(Spool::io)?;
        let file = file.get_mut();
        let mut buf = vec![0; len];
        file.seek(SeekFrom::Start(offset)).map_err(Spool::io)?;
        file.read_exact(&mut buf).map_err(Spool::io)?;
        file.seek(SeekFrom::End(0)).map_err(Spool::io)?;
        Ok(buf)
    }

    /// Everything appended, from the start.
    fn reader(self) -> Result<Option<File>, RecordsError> {
        let Some(file) = self.file else {
            return Ok(None);
        };
        let mut file = file.into_inner().map_err(|e| Spool::io(e.into_error()))?;
        file.rewind().map_err(Spool::io)?;
        Ok(Some(file))
    }
}

/// The id of a record line, read from its start when it is `{"id":"…"` (as
/// `extract` writes it), else from the parsed line; a line that is not a
/// record is an error.
fn line_id(bytes: &[u8], origin: &str, line: usize) -> Result<String, RecordsError> {
    let parse_error = |message: String| RecordsError::Parse {
        path: origin.to_string(),
        line,
        message,
    };
    let is_record = |b: &[u8]| {
        [&b"\"entities\":["[..], b"\"entities\": [", b"\"error\":"]
            .iter()
            .any(|key| memchr::memmem::find(b, key).is_some())
    };
    if let Some(rest) = bytes.strip_prefix(b"{\"id\":\"")
        && let Some(end) = rest.iter().position(|&b| b == b'"' || b == b'\\')
        && rest[end] == b'"'
        && is_record(bytes)
        && let Ok(id) = std::str::from_utf8(&rest[..end])
    {
        return Ok(id.to_string());
    }
    // Anything else: the record reader's checks and messages.
    let mut records = RecordLines::new(bytes, origin);
    let (id, _, _) = match records.next() {
        Some(read) => read.map_err(|e| match e {
            RecordsError::Parse { message, .. } => parse_error(message),
            other => other,
        })?,
        None => return Err(parse_error("an empty line".into())),
    };
    match id {
        Value::String(s) => Ok(s),
        Value::Null => Err(parse_error("record has no \"id\"".into())),
        other => Ok(other.to_string()),
    }
}

impl Side {
    fn open(path: &Path) -> Result<Side, RecordsError> {
        let origin = if path.as_os_str() == "-" {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let lines = crate::input::open_records(path).map_err(|source| RecordsError::Io {
            path: origin.clone(),
            source,
        })?;
        Ok(Side {
            lines,
            origin,
            line: 0,
            seq: 0,
            spool: Spool::new(),
            parked: HashMap::new(),
        })
    }

    /// The next record line (blank lines skipped).
    fn next(&mut self) -> Result<Option<Line>, RecordsError> {
        loop {
            let mut bytes = Vec::new();
            let n =
                self.lines
                    .read_until(b'\n', &mut bytes)
                    .map_err(|source| RecordsError::Io {
                        path: self.origin.clone(),
                        source,
                    })?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            while bytes.last().is_some_and(|b| b.is_ascii_whitespace()) {
                bytes.pop();
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let id = line_id(&bytes, &self.origin, self.line)?;
            return Ok(Some(Line { id, bytes }));
        }
    }

    /// Parks a line until its partner comes.
    fn park(&mut self, line: Line) -> Result<(), RecordsError> {
        let offset = self.spool.append(&line.bytes)?;
        self.seq += 1;
        let parked = Parked {
            offset,
            len: line.bytes.len(),
            seq: self.seq,
        };
        self.parked.entry(line.id).or_default().push_back(parked);
        Ok(())
    }

    /// The first parked line of `id`, taken out.
    fn unpark(&mut self, id: &str) -> Result<Option<Vec<u8>>, RecordsError> {
        let Some(queue) = self.parked.get_mut(id) else {
            return Ok(None);
        };
        let parked = queue.pop_front().expect("no empty queue is kept");
        if queue.is_empty() {
            self.parked.remove(id);
        }
        self.spool.read(parked.offset, parked.len).map(Some)
    }

    /// The ids still parked, in file order.
    fn leftover(&mut self) -> Vec<String> {
        let mut left: Vec<(usize, String)> = self
            .parked
            .drain()
            .flat_map(|(id, queue)| queue.into_iter().map(move |p| (p.seq, id.clone())))
            .collect();
        left.sort();
        left.into_iter().map(|(_, id)| id).collect()
    }
}

/// Two lines of one id that are not byte-identical.
struct Pair {
    id: String,
    old: Vec<u8>,
    new: Vec<u8>,
}

/// A compared pair: its differences and, for the page, its new text and
/// alignment; or, when its texts are to be found in the `--text` files,
/// the pair back with the texts' digests.
enum Outcome {
    Same,
    Differs(Box<Compared>),
    NeedsTexts(Pair, Wanted),
}

struct Compared {
    diff: DocDiff,
    new_text: Option<String>,
    alignment: Option<Alignment>,
}

/// A record's text: its `text` field, else its `source` file when that
/// still holds the text the record was made from (same `text_sha256`).
fn text_at_hand(rec: &Rec) -> Option<String> {
    if let Some(Value::String(t)) = rec.get("text") {
        return Some(t.clone());
    }
    let want = rec.get("text_sha256")?.as_str()?;
    let path = Path::new(rec.get("source")?.as_str()?);
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_SOURCE_BYTES {
        return None;
    }
    let mut bytes = Vec::new();
    File::open(path).ok()?.read_to_end(&mut bytes).ok()?;
    let text = crate::input::decode(bytes).ok()?.text;
    (sha256_hex(&text) == want).then_some(text)
}

/// A record line's top-level fields, each as its raw JSON text.
type RawFields<'a> = BTreeMap<String, &'a RawValue>;

/// The fields every comparison reads, parsed whether they differ or not.
const ALWAYS_PARSED: [&str; 5] = ["id", "source", "text", "text_sha256", "error"];

/// A record line's fields, raw; an error when it is no record.
fn raw_fields<'a>(bytes: &'a [u8], origin: &str) -> Result<RawFields<'a>, RecordsError> {
    let error = |message: String| RecordsError::Parse {
        path: origin.to_string(),
        line: 0,
        message,
    };
    let fields: RawFields = serde_json::from_slice(bytes).map_err(|e| error(e.to_string()))?;
    let has_entities = fields
        .get("entities")
        .is_some_and(|v| v.get().starts_with('['));
    if !has_entities && !fields.contains_key("error") {
        return Err(error(
            "no \"entities\" (nor \"error\"): an article, not a record?".into(),
        ));
    }
    Ok(fields)
}

/// Two record lines, parsed as far as the comparison needs: the fields
/// whose raw JSON differs, and those it always reads. A field the same on
/// both sides, byte for byte, has no change to find (an edited text moves
/// the spans after the edit, so their layers differ too), and most of a
/// record is not parsed when little of it changed.
fn parse_pair(old: &[u8], new: &[u8], origins: [&str; 2]) -> Result<(Rec, Rec), RecordsError> {
    let (a, b) = (raw_fields(old, origins[0])?, raw_fields(new, origins[1])?);
    let mut recs = (Rec::new(), Rec::new());
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for name in names {
        let (x, y) = (a.get(name), b.get(name));
        if x.map(|v| v.get()) == y.map(|v| v.get()) && !ALWAYS_PARSED.contains(&name.as_str()) {
            continue;
        }
        let value = |v: &RawValue, origin: &str| {
            serde_json::from_str::<Value>(v.get()).map_err(|e| RecordsError::Parse {
                path: origin.to_string(),
                line: 0,
                message: e.to_string(),
            })
        };
        if let Some(x) = x {
            recs.0.insert(name.clone(), value(x, origins[0])?);
        }
        if let Some(y) = y {
            recs.1.insert(name.clone(), value(y, origins[1])?);
        }
    }
    Ok(recs)
}

/// The texts found in `--text` files and sources, by their SHA-256.
type FoundTexts = HashMap<String, String>;

/// The texts to look for after the first pass: their digests, and the
/// records' source files to read besides the `--text` ones.
#[derive(Default)]
struct Wanted {
    shas: HashSet<String>,
    files: BTreeSet<PathBuf>,
}

/// The file a record's `source` names, when it is one (`a.jsonl:12` names
/// `a.jsonl`): read whole with the `--text` files, as `extract` reads it.
fn source_file(rec: &Rec) -> Option<PathBuf> {
    let source = rec.get("source")?.as_str()?;
    let path = match source.rsplit_once(':') {
        Some((path, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => path,
        _ => source,
    };
    let path = PathBuf::from(path);
    path.is_file().then_some(path)
}

fn compare_pair(
    pair: Pair,
    origins: [&str; 2],
    options: &DiffOptions,
    found: Option<&FoundTexts>,
) -> Result<Outcome, RecordsError> {
    let (old, new) = parse_pair(&pair.old, &pair.new, origins)?;
    let sha = |r: &Rec| {
        r.get("text_sha256")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let edited = sha(&old) != sha(&new);
    let lookup = |r: &Rec| text_at_hand(r).or_else(|| found.and_then(|f| f.get(&sha(r)?).cloned()));
    let (old_text, new_text) = if edited {
        (lookup(&old), lookup(&new))
    } else {
        (None, None)
    };
    if edited && (old_text.is_none() || new_text.is_none()) && found.is_none() {
        let files: BTreeSet<PathBuf> = [&old, &new].into_iter().filter_map(source_file).collect();
        if !options.texts.is_empty() || !files.is_empty() {
            let shas = [&old, &new].into_iter().filter_map(sha).collect();
            return Ok(Outcome::NeedsTexts(pair, Wanted { shas, files }));
        }
    }
    let texts = Texts {
        old: old_text.as_deref(),
        new: new_text.as_deref(),
    };
    let (Some(mut diff), alignment) = compare_records(&pair.id, &old, &new, texts, &options.ignore)
    else {
        return Ok(Outcome::Same);
    };
    // An unedited text is read only now that it has changes to give context
    // to, once for both sides.
    let (old_text, new_text) = if edited {
        (old_text, new_text)
    } else {
        let text = text_at_hand(&new).or_else(|| text_at_hand(&old));
        (text.clone(), text)
    };
    let texts = Texts {
        old: old_text.as_deref(),
        new: new_text.as_deref(),
    };
    compare::add_context(&mut diff.changes, texts);
    Ok(Outcome::Differs(Box::new(Compared {
        diff,
        new_text: if options.html.is_some() {
            new_text
        } else {
            None
        },
        alignment: alignment.filter(|_| options.html.is_some()),
    })))
}

/// Where the details go as documents are compared, and the page's sections.
struct Details {
    spool: Spool,
    documents: usize,
    sections: Vec<html::Section>,
    differing: usize,
}

/// A diff's state as the files are read: the totals, the details written
/// so far, and the pairs waiting for texts.
struct Pass<'o> {
    options: &'o DiffOptions,
    origins: [&'o str; 2],
    tally: Tally,
    details: Details,
    /// Pairs whose texts are to be read from the `--text` files and sources.
    waiting: Vec<Pair>,
    wanted: Wanted,
}

/// Streams both files and writes their differences to `out` as `options`
/// say (and the page to `options.html`); returns the totals.
pub fn diff_files(
    old: &Path,
    new: &Path,
    options: &DiffOptions,
    out: &mut dyn Write,
) -> Result<DiffSummary, RecordsError> {
    if old.as_os_str() == "-" && new.as_os_str() == "-" {
        return Err(RecordsError::Parse {
            path: "-".into(),
            line: 0,
            message: "standard input can be only one of the two files".into(),
        });
    }
    let mut a = Side::open(old)?;
    let mut b = Side::open(new)?;
    let origins = [a.origin.clone(), b.origin.clone()];
    let mut pass = Pass {
        options,
        origins: [origins[0].as_str(), origins[1].as_str()],
        tally: Tally::default(),
        details: Details {
            spool: Spool::new(),
            documents: 0,
            sections: Vec::new(),
            differing: 0,
        },
        waiting: Vec::new(),
        wanted: Wanted::default(),
    };
    let mut pairs: Vec<Pair> = Vec::new();
    loop {
        let (la, lb) = (a.next()?, b.next()?);
        if la.is_none() && lb.is_none() {
            break;
        }
        match (la, lb) {
            (Some(x), Some(y)) if x.id == y.id => pass.pair_up(x.id, x.bytes, y.bytes, &mut pairs),
            (x, y) => {
                if let Some(x) = x {
                    match b.unpark(&x.id)? {
                        Some(partner) => pass.pair_up(x.id, x.bytes, partner, &mut pairs),
                        None => a.park(x)?,
                    }
                }
                if let Some(y) = y {
                    match a.unpark(&y.id)? {
                        Some(partner) => pass.pair_up(y.id, partner, y.bytes, &mut pairs),
                        None => b.park(y)?,
                    }
                }
            }
        }
        // With --quiet the first batch with a difference is the answer.
        if pairs.len() >= BATCH_PAIRS && pass.compare(&mut pairs, None)? && options.quiet {
            return Ok(pass.tally.finish(0));
        }
    }
    pass.compare(&mut pairs, None)?;
    if !pass.waiting.is_empty() {
        let mut paths = options.texts.clone();
        paths.extend(std::mem::take(&mut pass.wanted.files));
        let found = find_texts(&paths, &pass.wanted.shas);
        let mut rest = std::mem::take(&mut pass.waiting);
        pass.compare(&mut rest, Some(&found))?;
    }
    for (side, status) in [(&mut a, Status::Removed), (&mut b, Status::Added)] {
        for id in side.leftover() {
            let d = DocDiff {
                id,
                status,
                error: None,
                text: None,
                changes: Vec::new(),
            };
            pass.record(&d, None, None)?;
        }
    }
    let summary = pass.tally.finish(options.top);
    if !options.quiet {
        write_report(&summary, pass.details, pass.origins, options, out)?;
    }
    Ok(summary)
}

impl Pass<'_> {
    /// A pair of lines of one id: counted when identical, else to compare.
    fn pair_up(&mut self, id: String, old: Vec<u8>, new: Vec<u8>, pairs: &mut Vec<Pair>) {
        if old == new {
            self.tally.identical();
        } else {
            pairs.push(Pair { id, old, new });
        }
    }

    /// Compares the pairs gathered on the worker threads and records what
    /// they found, in order; pairs whose texts are still to be read wait.
    /// Returns whether a difference was found.
    fn compare(
        &mut self,
        pairs: &mut Vec<Pair>,
        found: Option<&FoundTexts>,
    ) -> Result<bool, RecordsError> {
        let (origins, options) = (self.origins, self.options);
        let outcomes: Vec<Result<Outcome, RecordsError>> = std::mem::take(pairs)
            .into_par_iter()
            .map(|p| compare_pair(p, origins, options, found))
            .collect();
        let mut differs = false;
        for outcome in outcomes {
            match outcome? {
                Outcome::Same => self.tally.same(),
                Outcome::Differs(c) => {
                    differs = true;
                    self.record(&c.diff, c.new_text.as_deref(), c.alignment.as_ref())?;
                }
                Outcome::NeedsTexts(pair, more) => {
                    self.wanted.shas.extend(more.shas);
                    self.wanted.files.extend(more.files);
                    self.waiting.push(pair);
                }
            }
        }
        Ok(differs)
    }

    /// Counts a document's differences and writes its details.
    fn record(
        &mut self,
        d: &DocDiff,
        new_text: Option<&str>,
        alignment: Option<&Alignment>,
    ) -> Result<(), RecordsError> {
        let (options, details) = (self.options, &mut self.details);
        self.tally.add(d);
        details.differing += 1;
        if options.quiet {
            return Ok(());
        }
        if options.html.is_some() && details.sections.len() < HTML_DOCS {
            let header = render::header(d);
            let section = html::Section::of(d, header, options.max_per_doc, new_text, alignment);
            details.sections.push(section);
        }
        if options.stat {
            return Ok(());
        }
        let mut text = String::new();
        match options.format {
            DiffFormat::Text => {
                render::text_doc(d, options.max_per_doc, Paint(options.color), &mut text)
            }
            DiffFormat::Markdown if details.documents < MARKDOWN_DOCS => {
                render::markdown_doc(d, options.max_per_doc, &mut text);
            }
            DiffFormat::Markdown => {}
            DiffFormat::Json => {
                if details.documents > 0 {
                    text.push(',');
                }
                text += &serde_json::to_string(&render::json_doc(d, options.max_per_doc))
                    .expect("a diff serializes");
            }
        }
        details.documents += 1;
        details.spool.append(text.as_bytes())?;
        Ok(())
    }
}

/// Reads the `--text` files as `extract` would and keeps the texts whose
/// digest is wanted.
fn find_texts(paths: &[PathBuf], wanted: &HashSet<String>) -> FoundTexts {
    let mut found = FoundTexts::new();
    for doc in Inputs::with_options(paths, InputOptions::default()) {
        if let Ok(content) = doc.content {
            let sha = sha256_hex(&content.text);
            if wanted.contains(&sha) {
                found.insert(sha, content.text);
            }
        }
    }
    found
}

fn write_report(
    summary: &DiffSummary,
    details: Details,
    origins: [&str; 2],
    options: &DiffOptions,
    out: &mut dyn Write,
) -> Result<(), RecordsError> {
    let io = |e: std::io::Error| RecordsError::Io {
        path: "<output>".into(),
        source: e,
    };
    if let Some(path) = &options.html {
        let page = html::page(
            summary,
            origins[0],
            origins[1],
            &details.sections,
            details.differing,
        )
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
        std::fs::write(path, page).map_err(|source| RecordsError::Io {
            path: path.display().to_string(),
            source,
        })?;
    }
    let mut head = String::new();
    match options.format {
        DiffFormat::Text => {
            render::text_summary(summary, Paint(options.color), &mut head);
            if details.documents > 0 {
                head.push('\n');
            }
        }
        DiffFormat::Markdown => {
            render::markdown_summary(summary, origins[0], origins[1], &mut head);
            if details.documents > 0 {
                let shown = details.documents.min(MARKDOWN_DOCS);
                head += &format!(
                    "\n<details><summary>Changes of {} documents{}</summary>\n\n",
                    shown,
                    if details.differing > shown {
                        format!(" (the first {shown} of {})", details.differing)
                    } else {
                        String::new()
                    }
                );
            }
        }
        DiffFormat::Json => {
            let summary = serde_json::to_string(summary).expect("a summary serializes");
            let names = serde_json::to_string(&origins).expect("names serialize");
            head = format!("{{\"files\":{names},\"summary\":{summary}");
            if !options.stat {
                head += ",\"documents\":[";
            }
        }
    }
    out.write_all(head.as_bytes()).map_err(io)?;
    if let Some(mut spool) = details.spool.reader()? {
        std::io::copy(&mut spool, out).map_err(io)?;
    }
    let tail = match options.format {
        DiffFormat::Json if options.stat => "}\n",
        DiffFormat::Json => "]}\n",
        DiffFormat::Markdown if details.documents > 0 => "\n</details>\n",
        _ => "",
    };
    out.write_all(tail.as_bytes()).map_err(io)?;
    out.flush().map_err(io)
}
