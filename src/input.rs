//! Reading input documents: text files, HTML pages, JSONL files (`{"id",
//! "text", "date"?}` per line, or cc_news / news-please records), any of them
//! gzip- or zstd-compressed, directories of them, and standard input, as one
//! lazy stream of [`InputDoc`]s in input order. Every document of the input
//! becomes exactly one item, read or failed; nothing is skipped silently
//! (blank JSONL lines are not documents; an input with no document at all is
//! a warning).
//!
//! Decoding policy: invalid UTF-8 is decoded lossily (U+FFFD) with a warning; a
//! leading UTF-8 byte-order mark is dropped with a warning (it encodes, it is not
//! text); content that is mostly NUL or control bytes is refused as binary.

mod fields;
mod html;
mod open;
#[cfg(feature = "parquet")]
mod parquet;
mod walk;

use std::collections::VecDeque;
use std::hash::BuildHasher;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::dct::parse_iso_date;
use crate::error::DocumentError;

pub use fields::{FieldNames, parse_jsonl_line, with_title};
use open::Counted;
pub use open::{Compression, Stream, decompressed, open_file, open_records};
pub use walk::FileFilter;

/// How to read inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// By file name (see [`Kind::of_name`]); standard input by its first
    /// bytes (a `{` is JSONL, `<!DOCTYPE html` or `<html` HTML, else text).
    #[default]
    Auto,
    /// Each file (or stdin) is one document.
    Text,
    /// Each line is a JSON object with a text field.
    Jsonl,
    /// Each file (or stdin) is one HTML page.
    Html,
    /// Each file is a Parquet table, a document per row (not stdin).
    Parquet,
}

impl InputFormat {
    /// The kind every input is read as; None for [`InputFormat::Auto`].
    fn kind(self) -> Option<Kind> {
        match self {
            InputFormat::Auto => None,
            InputFormat::Text => Some(Kind::Text),
            InputFormat::Jsonl => Some(Kind::Jsonl),
            InputFormat::Html => Some(Kind::Html),
            InputFormat::Parquet => Some(Kind::Parquet),
        }
    }
}

/// What a file holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One text document (`*.txt`).
    Text,
    /// JSON lines (`*.jsonl`, `*.ndjson`).
    Jsonl,
    /// One HTML page (`*.html`, `*.htm`).
    Html,
    /// A Parquet table, a document per row (`*.parquet`).
    Parquet,
}

impl Kind {
    /// The kind a file name says, compression suffix (`.gz`, `.zst`) aside;
    /// None for other names (a directory walk leaves those out).
    pub fn of_name(path: &Path) -> Option<Kind> {
        let name = path.file_name()?.to_str()?;
        let name = open::without_compression_suffix(name);
        let (_, ext) = name.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "txt" => Some(Kind::Text),
            "jsonl" | "ndjson" => Some(Kind::Jsonl),
            "html" | "htm" => Some(Kind::Html),
            "parquet" => Some(Kind::Parquet),
            _ => None,
        }
    }
}

/// Everything about reading inputs but the paths.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// How to read them.
    pub format: InputFormat,
    /// Larger documents are errors.
    pub max_doc_bytes: usize,
    /// Which JSON fields hold what.
    pub fields: FieldNames,
    /// Which files of a directory are read.
    pub filter: FileFilter,
    /// Follow symbolic links to directories in directory walks.
    pub follow_links: bool,
    /// Every record carries its text (`text`), not only those whose text is
    /// not an input field as it is (a JSONL title put first, an HTML page).
    pub emit_text: bool,
    /// A file's id is its path below the directory it was found in (or as
    /// given), without extension (`a/story`), not its name alone (`story`).
    pub id_from_path: bool,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            format: InputFormat::Auto,
            max_doc_bytes: crate::pipeline::DEFAULT_MAX_DOC_BYTES,
            fields: FieldNames::default(),
            filter: FileFilter::default(),
            follow_links: false,
            emit_text: false,
            id_from_path: false,
        }
    }
}

/// One input document, read or failed.
#[derive(Debug, Clone)]
pub struct InputDoc {
    /// The document id.
    pub id: String,
    /// Where it came from (`path`, `path:line`, `<stdin>`).
    pub source: String,
    /// The text and what came with it, or why it could not be read.
    pub content: Result<InputText, DocumentError>,
}

/// A readable document.
#[derive(Debug, Clone, Default)]
pub struct InputText {
    /// The text.
    pub text: String,
    /// The input's own date (JSONL `date`).
    pub date: Option<NaiveDate>,
    /// Things noticed while decoding.
    pub warnings: Vec<String>,
    /// The text is not an input field as it is (a title was put first, a
    /// page's text extracted, or `--emit-text`): the record carries it.
    pub text_in_record: bool,
}

impl InputDoc {
    /// A document from the fields of a JSONL line (or of a Python `pipe`
    /// item): a text over `max_doc_bytes` is an error; a `date` that
    /// [`parse_date_field`] refuses is ignored with a warning, as the line's
    /// other problems with its document are.
    pub fn from_fields(
        id: String,
        source: String,
        text: String,
        date: Option<&str>,
        max_doc_bytes: usize,
    ) -> InputDoc {
        let content = if text.len() > max_doc_bytes {
            Err(DocumentError::TooLarge {
                limit: max_doc_bytes,
            })
        } else {
            let mut warnings = Vec::new();
            let date = date.and_then(|d| {
                parse_date_field(d)
                    .map_err(|e| warnings.push(format!("ignored \"date\" {e}")))
                    .ok()
            });
            Ok(InputText {
                text,
                date,
                warnings,
                text_in_record: false,
            })
        };
        InputDoc {
            id,
            source,
            content,
        }
    }

    /// Size in bytes of the text (0 for failures).
    pub fn len(&self) -> usize {
        self.content.as_ref().map_or(0, |c| c.text.len())
    }

    /// True when there is no text.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The UTF-8 byte-order mark.
const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Turns raw bytes into text by the decoding policy above.
pub fn decode(bytes: Vec<u8>) -> Result<InputText, DocumentError> {
    if looks_binary(&bytes) {
        return Err(DocumentError::Binary);
    }
    let mut warnings = Vec::new();
    let mut bytes = bytes;
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
        warnings.push("dropped a UTF-8 byte-order mark; offsets count from after it".to_string());
    }
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let (text, warning) = lossy_utf8(e.as_bytes());
            warnings.push(warning);
            text
        }
    };
    Ok(InputText {
        text,
        date: None,
        warnings,
        text_in_record: false,
    })
}

/// Bytes that are not valid UTF-8 as text, each bad sequence replaced by
/// U+FFFD, and the warning that says so (for text files and JSONL lines alike).
fn lossy_utf8(bytes: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let bad = text.matches('\u{FFFD}').count();
    (
        text,
        format!("invalid UTF-8: {bad} sequence(s) replaced by U+FFFD"),
    )
}

/// Binary: NUL bytes or other control bytes make up more than 10% of the
/// first 8 KiB. A stray NUL in an article is kept as text.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.is_empty() {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    control * 10 > head.len()
}

/// Things worth a warning that reading the inputs noticed (an input with no
/// document, a FIFO left out of a walk), shared with whoever runs them.
#[derive(Debug, Clone, Default)]
pub struct InputWarnings(Arc<Mutex<Vec<String>>>);

impl InputWarnings {
    fn push(&self, warning: String) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(warning);
    }

    /// The warnings so far, taken.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

enum Source {
    Path(PathBuf),
    Stdin,
    /// A stream a caller gave ([`Inputs::from_reader`]), and its name.
    Reader(Stream, String),
    /// A path a directory walk could not read.
    Failed(PathBuf, String),
}

/// A source, the command-line input it belongs to, and the directory a
/// walk found it in.
struct Pending {
    source: Source,
    input: usize,
    base: Option<Arc<Path>>,
}

/// The lazy stream of input documents.
pub struct Inputs {
    pending: VecDeque<Pending>,
    options: InputOptions,
    jsonl: Option<JsonlReader>,
    /// The Parquet file being read, and the input it belongs to.
    #[cfg(feature = "parquet")]
    parquet: Option<(parquet::ParquetDocs, usize)>,
    /// Each command-line input as given, and how many documents it yielded.
    inputs: Vec<(String, usize)>,
    /// Hashes of the ids given so far, the number of repeats and the first.
    ids: foldhash::HashSet<u64>,
    repeated_ids: usize,
    first_repeat: Option<(String, String)>,
    warnings: InputWarnings,
    /// Bytes read from the input files and streams so far (compressed
    /// bytes as stored), for [`Inputs::bytes_read`].
    read: Arc<AtomicU64>,
}

struct JsonlReader {
    reader: Box<dyn BufRead + Send>,
    name: String,
    stem: String,
    line: usize,
    input: usize,
    /// The line being read, reused from line to line.
    buf: Vec<u8>,
}

impl Inputs {
    /// Inputs from `paths` (`-` is stdin; none means stdin).
    pub fn new(paths: &[PathBuf], format: InputFormat, max_doc_bytes: usize) -> Inputs {
        let options = InputOptions {
            format,
            max_doc_bytes,
            ..InputOptions::default()
        };
        Inputs::with_options(paths, options)
    }

    /// Inputs from `paths` (`-` is stdin; none means stdin), read as
    /// `options` say.
    pub fn with_options(paths: &[PathBuf], options: InputOptions) -> Inputs {
        let stdin = [PathBuf::from("-")];
        let paths = if paths.is_empty() { &stdin[..] } else { paths };
        let pending = paths
            .iter()
            .enumerate()
            .map(|(input, p)| Pending {
                source: if p.as_os_str() == "-" {
                    Source::Stdin
                } else {
                    Source::Path(p.clone())
                },
                input,
                base: None,
            })
            .collect();
        Inputs {
            pending,
            options,
            jsonl: None,
            #[cfg(feature = "parquet")]
            parquet: None,
            inputs: paths
                .iter()
                .map(|p| {
                    let name = if p.as_os_str() == "-" {
                        "<stdin>".to_string()
                    } else {
                        p.display().to_string()
                    };
                    (name, 0)
                })
                .collect(),
            ids: foldhash::HashSet::default(),
            repeated_ids: 0,
            first_repeat: None,
            warnings: InputWarnings::default(),
            read: Arc::default(),
        }
    }

    /// Inputs from one stream read as standard input is (decompressed, its
    /// format sniffed unless `options` give one); `name` is its source in
    /// records and errors, and its stem the id (JSONL: `stem:line`).
    pub fn from_reader(
        name: &str,
        reader: impl Read + Send + 'static,
        options: InputOptions,
    ) -> Inputs {
        let mut inputs = Inputs::with_options(&[PathBuf::from(name)], options);
        inputs.pending[0].source = Source::Reader(Box::new(reader), name.to_string());
        inputs
    }

    /// A count of the bytes read from the inputs so far, as they are stored
    /// (compressed bytes of a compressed file): against [`Inputs::total_bytes`],
    /// how far a run is. The handle stays valid after the inputs are moved
    /// into a runner; reading runs a little ahead of processing.
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.read)
    }

    /// The size of every file the inputs will read (directories walked as
    /// reading will walk them), or `None` when standard input or a stream
    /// is among them. Walks the directories once more: ask only for a
    /// progress bar.
    pub fn total_bytes(&self) -> Option<u64> {
        let mut total = 0;
        for pending in &self.pending {
            let path = match &pending.source {
                Source::Path(p) => p,
                Source::Failed(..) => continue,
                Source::Stdin | Source::Reader(..) => return None,
            };
            let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
            if path.is_dir() {
                let walked = walk::walk(path, &self.options.filter, self.options.follow_links);
                total += walked.files.iter().map(|f| size(f)).sum::<u64>();
            } else {
                total += size(path);
            }
        }
        Some(total)
    }

    /// The warnings the inputs give as they are read (the handle stays
    /// valid after the inputs are moved into a runner).
    pub fn warnings(&self) -> InputWarnings {
        self.warnings.clone()
    }

    /// `inner` with the bytes read from it added to [`Inputs::bytes_read`].
    fn counted(&self, inner: impl Read + Send + 'static) -> Stream {
        Box::new(Counted {
            inner,
            count: Arc::clone(&self.read),
        })
    }

    /// The kind of a file, by the format asked for or its name.
    fn kind_of(&self, path: &Path) -> Kind {
        self.options
            .format
            .kind()
            .unwrap_or_else(|| Kind::of_name(path).unwrap_or(Kind::Text))
    }

    /// The kind of standard input: the format asked for, or its first bytes.
    fn sniff_stdin(&self, stream: Stream) -> std::io::Result<(Kind, Stream)> {
        if let Some(kind) = self.options.format.kind() {
            return Ok((kind, stream));
        }
        let (head, stream) = open::peek(stream, 4096)?;
        let start = head.iter().position(|b| !b.is_ascii_whitespace());
        let head = &head[start.unwrap_or(head.len())..];
        let starts = |prefix: &[u8]| {
            head.len() >= prefix.len() && head[..prefix.len()].eq_ignore_ascii_case(prefix)
        };
        let kind = if head.first() == Some(&b'{') {
            Kind::Jsonl
        } else if starts(b"<!doctype html") || starts(b"<html") {
            Kind::Html
        } else {
            Kind::Text
        };
        Ok((kind, stream))
    }

    fn read_document(&self, id: String, source: String, reader: impl Read, kind: Kind) -> InputDoc {
        let max = self.options.max_doc_bytes;
        let mut bytes = Vec::new();
        // Read one byte past the limit to know it was exceeded without reading it all.
        let limit = max.saturating_add(1) as u64;
        let content = match reader.take(limit).read_to_end(&mut bytes) {
            Err(e) => Err(DocumentError::Read {
                path: source.clone(),
                message: e.to_string(),
            }),
            Ok(_) if bytes.len() > max => Err(DocumentError::TooLarge { limit: max }),
            Ok(_) if kind == Kind::Html => decode(bytes).and_then(html::page),
            Ok(_) => decode(bytes),
        };
        InputDoc {
            id,
            source,
            content,
        }
    }

    /// The next line's document, and the input it belongs to.
    fn next_jsonl(&mut self) -> Option<(InputDoc, usize)> {
        let max = self.options.max_doc_bytes;
        let r = self.jsonl.as_mut()?;
        loop {
            let buf = &mut r.buf;
            buf.clear();
            r.line += 1;
            match r.reader.read_until(b'\n', buf) {
                Ok(0) => {
                    self.jsonl = None;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    let doc = failed_at(&r.stem, &r.name, r.line, e.to_string());
                    let input = r.input;
                    self.jsonl = None;
                    return Some((doc, input));
                }
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // A byte-order mark and invalid UTF-8 are read as in a text
            // file: dropped, or replaced by U+FFFD, with a warning.
            let mut notes = Vec::new();
            let mut line: &[u8] = buf;
            if r.line == 1 && line.starts_with(BOM) {
                line = &line[BOM.len()..];
                notes.push("dropped a UTF-8 byte-order mark before the first line".to_string());
            }
            let lossy;
            if std::str::from_utf8(line).is_err() {
                let warning;
                (lossy, warning) = lossy_utf8(line);
                notes.push(warning);
                line = lossy.as_bytes();
            }
            let fields = &self.options.fields;
            let mut doc = parse_jsonl_line(line, &r.stem, &r.name, r.line, max, fields);
            if let Ok(content) = &mut doc.content
                && !notes.is_empty()
            {
                content.warnings.splice(0..0, notes);
            }
            return Some((doc, r.input));
        }
    }

    /// The next document, before `--emit-text` is applied, and the input it
    /// belongs to.
    fn next_document(&mut self) -> Option<(InputDoc, usize)> {
        loop {
            if self.jsonl.is_some() {
                if let Some(found) = self.next_jsonl() {
                    return Some(found);
                }
                continue;
            }
            #[cfg(feature = "parquet")]
            if let Some((docs, input)) = &mut self.parquet {
                if let Some(doc) = docs.next_doc() {
                    return Some((doc, *input));
                }
                self.parquet = None;
                continue;
            }
            let Some(Pending {
                source,
                input,
                base,
            }) = self.pending.pop_front()
            else {
                self.warn_about_empty_inputs();
                return None;
            };
            let (stream, name, stem, kind) = match source {
                Source::Failed(path, message) => {
                    let name = path.display().to_string();
                    let doc = InputDoc {
                        id: stem_of(&path),
                        source: name.clone(),
                        content: Err(DocumentError::Read {
                            path: name,
                            message,
                        }),
                    };
                    return Some((doc, input));
                }
                Source::Stdin | Source::Reader(..) => {
                    let (reader, name, stem): (Stream, _, _) = match source {
                        Source::Reader(reader, name) => {
                            let stem = stem_of(Path::new(&name));
                            (reader, name, stem)
                        }
                        _ => (Box::new(std::io::stdin()), "<stdin>".into(), "stdin".into()),
                    };
                    let opened = decompressed(self.counted(reader))
                        .and_then(|(stream, _)| self.sniff_stdin(stream));
                    match opened {
                        Ok((kind, stream)) => (stream, name, stem, kind),
                        Err(e) => return Some((read_error(stem, name, e), input)),
                    }
                }
                Source::Path(p) => {
                    if p.is_dir() {
                        self.queue_walk(&p, input);
                        continue;
                    }
                    let name = p.display().to_string();
                    let stem = self.file_id(&p, base.as_deref());
                    if self.kind_of(&p) == Kind::Parquet {
                        match self.open_parquet(&p, &stem, input) {
                            Ok(()) => continue,
                            Err(e) => {
                                let doc = InputDoc {
                                    id: stem,
                                    source: name,
                                    content: Err(e),
                                };
                                return Some((doc, input));
                            }
                        }
                    }
                    let opened =
                        std::fs::File::open(&p).and_then(|file| decompressed(self.counted(file)));
                    match opened {
                        Ok((stream, _)) => (stream, name, stem, self.kind_of(&p)),
                        Err(e) => return Some((read_error(stem, name, e), input)),
                    }
                }
            };
            if kind == Kind::Parquet {
                // Only standard input gets here: Parquet needs a file.
                let doc = InputDoc {
                    id: stem,
                    content: Err(DocumentError::Read {
                        path: name.clone(),
                        message: "Parquet input must be a file (it is read by seeking)".into(),
                    }),
                    source: name,
                };
                return Some((doc, input));
            }
            if kind == Kind::Jsonl {
                self.jsonl = Some(JsonlReader {
                    reader: Box::new(BufReader::with_capacity(1 << 20, stream)),
                    name,
                    stem,
                    line: 0,
                    input,
                    buf: Vec::new(),
                });
                continue;
            }
            return Some((self.read_document(stem, name, stream, kind), input));
        }
    }

    /// Starts reading the rows of a Parquet file.
    fn open_parquet(&mut self, path: &Path, stem: &str, input: usize) -> Result<(), DocumentError> {
        #[cfg(feature = "parquet")]
        {
            let options = &self.options;
            let docs =
                parquet::ParquetDocs::open(path, stem, &options.fields, options.max_doc_bytes)?;
            // Read by seeking, in row groups: counted whole as it opens.
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            self.read
                .fetch_add(size, std::sync::atomic::Ordering::Relaxed);
            self.parquet = Some((docs, input));
            Ok(())
        }
        #[cfg(not(feature = "parquet"))]
        {
            let _ = (stem, input);
            Err(DocumentError::Read {
                path: path.display().to_string(),
                message: "Parquet input needs newsie built with the `parquet` feature".into(),
            })
        }
    }

    /// Puts the files of directory `dir` (input `input`) first in line.
    fn queue_walk(&mut self, dir: &Path, input: usize) {
        let walked = walk::walk(dir, &self.options.filter, self.options.follow_links);
        for w in walked.warnings {
            self.warnings.push(w);
        }
        let failed = walked.failed.into_iter().map(|(p, e)| Source::Failed(p, e));
        let files = walked.files.into_iter().map(Source::Path);
        let sources: Vec<Source> = failed.chain(files).collect();
        let base: Arc<Path> = Arc::from(dir);
        for source in sources.into_iter().rev() {
            let base = Some(Arc::clone(&base));
            self.pending.push_front(Pending {
                source,
                input,
                base,
            });
        }
    }

    /// A file's id: its stem, or with `id_from_path` its path below `base`
    /// (the directory a walk found it in) without extension.
    fn file_id(&self, path: &Path, base: Option<&Path>) -> String {
        if !self.options.id_from_path {
            return stem_of(path);
        }
        let relative = base.and_then(|b| path.strip_prefix(b).ok()).unwrap_or(path);
        let mut parts: Vec<String> = relative
            .parent()
            .into_iter()
            .flat_map(|p| p.components())
            .filter_map(|c| match c {
                std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        parts.push(stem_of(relative));
        parts.join("/")
    }

    /// Notes `id`; a repeat is counted (and the first remembered) for the
    /// warning at the end.
    fn note_id(&mut self, id: &str, source: &str) {
        let hash = foldhash::quality::FixedState::default().hash_one(id);
        if !self.ids.insert(hash) {
            self.repeated_ids += 1;
            if self.first_repeat.is_none() {
                self.first_repeat = Some((id.to_string(), source.to_string()));
            }
        }
    }

    fn warn_about_repeated_ids(&mut self) {
        if let Some((id, source)) = self.first_repeat.take() {
            let hint = if self.options.id_from_path {
                ""
            } else {
                "; --id-from path gives files their path below the input as id"
            };
            self.warnings.push(format!(
                "{} documents have the id of an earlier one (the first: {id:?}, {source}){hint}",
                self.repeated_ids
            ));
        }
    }

    fn warn_about_empty_inputs(&mut self) {
        for (name, count) in &mut self.inputs {
            if *count == 0 {
                self.warnings.push(format!(
                    "{name}: no documents (an empty file or directory, or no file of a known kind or matching --glob)"
                ));
                // Once only, should `next` be called again.
                *count = usize::MAX;
            }
        }
    }
}

/// The error record of item `n` (a line, a row) of file `name` that could
/// not be read: id `<stem>:<n>`, source `<name>:<n>`.
pub(crate) fn failed_at(stem: &str, name: &str, n: usize, message: String) -> InputDoc {
    InputDoc {
        id: format!("{stem}:{n}"),
        source: format!("{name}:{n}"),
        content: Err(DocumentError::Read {
            path: name.to_string(),
            message,
        }),
    }
}

fn read_error(id: String, source: String, e: std::io::Error) -> InputDoc {
    InputDoc {
        id,
        content: Err(DocumentError::Read {
            path: source.clone(),
            message: e.to_string(),
        }),
        source,
    }
}

/// A `date` field as a date: `YYYY-MM-DD`, or an ISO 8601 timestamp whose
/// date part is taken as written (`2021-03-17T08:30:00Z` → 2021-03-17, SPEC
/// §1). The error says what was wrong.
pub fn parse_date_field(d: &str) -> Result<NaiveDate, String> {
    let time_follows = |rest: &str| {
        let mut chars = rest.chars();
        matches!(chars.next(), Some('T' | 't' | ' '))
            && chars.next().is_some_and(|c| c.is_ascii_digit())
    };
    let parsed = match (d.get(..10), d.get(10..)) {
        (Some(day), Some(rest)) if rest.is_empty() || time_follows(rest) => parse_iso_date(day),
        _ => None,
    };
    parsed.ok_or_else(|| format!("{d:?}: not a YYYY-MM-DD date or ISO 8601 timestamp"))
}

/// A file's id: its name without compression suffix and extension
/// (`a.jsonl.gz` → `a`).
fn stem_of(path: &Path) -> String {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return path.display().to_string();
    };
    let name = open::without_compression_suffix(&name);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name.to_string(),
    }
}

impl Iterator for Inputs {
    type Item = InputDoc;

    fn next(&mut self) -> Option<InputDoc> {
        let Some((mut doc, input)) = self.next_document() else {
            self.warn_about_repeated_ids();
            return None;
        };
        self.inputs[input].1 += 1;
        self.note_id(&doc.id, &doc.source);
        if self.options.emit_text
            && let Ok(content) = &mut doc.content
        {
            content.text_in_record = true;
        }
        Some(doc)
    }
}

/// A document of `bytes` bytes of `x` with id `i`, for the runner's tests.
#[cfg(test)]
pub(crate) fn test_doc(i: usize, bytes: usize) -> InputDoc {
    InputDoc {
        id: i.to_string(),
        source: "test".into(),
        content: Ok(InputText {
            text: "x".repeat(bytes),
            ..InputText::default()
        }),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn date_fields_take_dates_and_timestamps() {
        let rows: &[(&str, Option<&str>)] = &[
            ("2021-03-17", Some("2021-03-17")),
            ("2021-03-17T08:30:00Z", Some("2021-03-17")),
            ("2021-03-17T23:30:00-05:00", Some("2021-03-17")),
            ("2021-03-17 08:30:00", Some("2021-03-17")),
            ("2021-03-17x", None),
            ("2021-13-01T00:00:00Z", None),
            ("17/03/2021", None),
            ("", None),
        ];
        for &(d, want) in rows {
            let got = parse_date_field(d).ok().map(crate::dct::iso_date);
            assert_eq!(got.as_deref(), want, "{d:?}");
        }
    }

    use super::*;

    fn fields() -> FieldNames {
        FieldNames::default()
    }

    #[test]
    fn decoding_table() {
        let rows: &[(&[u8], Result<&str, ()>, usize)] = &[
            (b"plain", Ok("plain"), 0),
            (b"\xEF\xBB\xBFwith bom", Ok("with bom"), 1),
            (b"bad \xFF byte", Ok("bad \u{FFFD} byte"), 1),
            (
                b"one\x00nul in text of some length",
                Ok("one\u{0}nul in text of some length"),
                0,
            ),
            (b"\x00\x00\x00\x01\x02bin", Err(()), 0),
            (b"", Ok(""), 0),
            (b"crlf\r\nline", Ok("crlf\r\nline"), 0),
        ];
        for &(bytes, want, warnings) in rows {
            let got = decode(bytes.to_vec());
            match want {
                Ok(text) => {
                    let got = got.unwrap();
                    assert_eq!(got.text, text);
                    assert_eq!(got.warnings.len(), warnings, "{bytes:?}");
                }
                Err(()) => assert_eq!(got.unwrap_err(), DocumentError::Binary),
            }
        }
    }

    #[test]
    fn jsonl_lines_table() {
        let rows: &[(&str, &str, Result<&str, &str>)] = &[
            (
                r#"{"id":"a","text":"Hi","date":"2021-03-17"}"#,
                "a",
                Ok("Hi"),
            ),
            (r#"{"id":7,"text":"Hi"}"#, "7", Ok("Hi")),
            (r#"{"text":"Hi"}"#, "f:3", Ok("Hi")),
            (r#"{"id":"b"}"#, "b", Err("missing \"text\"")),
            (
                r#"{"id":"c","text":5}"#,
                "c",
                Err("\"text\" must be a string, found a number"),
            ),
            (r#"not json"#, "f:3", Err("not a JSON object")),
            (r#"[1,2]"#, "f:3", Err("not a JSON object")),
        ];
        for &(line, id, want) in rows {
            let doc = parse_jsonl_line(line.as_bytes(), "f", "f.jsonl", 3, usize::MAX, &fields());
            assert_eq!(doc.id, id, "{line}");
            match (doc.content, want) {
                (Ok(t), Ok(text)) => assert_eq!(t.text, text),
                (Err(e), Err(msg)) => assert!(e.to_string().contains(msg), "{line}: {e}"),
                (got, _) => panic!("{line}: unexpected {got:?}"),
            }
        }
    }

    #[test]
    fn plain_lines_read_as_the_general_way_reads_them() {
        let lines = [
            r#"{"id":"a","text":"Hi","date":"2021-03-17"}"#,
            r#" {"text":"Hi \"there\"\n","id":"","date":null,"extra":[1]}"#,
            r#"{"id":"a","source":"s.txt","text":"x","date":"2021-13-01"}"#,
            r#"{"id":"a","text":"way too long for the limit"}"#,
            r#"{"id":"a","text":"x","text":"twice"}"#,
            r#"{"id":null,"source":null,"text":"x"}"#,
            r#"{"id":7,"text":"Hi"}"#,
            r#"{"id":"a","text":"x","date":20210317}"#,
            r#"{"id":"a","source":5,"text":"x"}"#,
            r#"{"id":"b"}"#,
            r#"["a",null,"text",null]"#,
            r#"{"id":"a","text":"\ud800"}"#,
            "not json",
        ];
        for line in lines {
            let fast = parse_jsonl_line(line.as_bytes(), "f", "f.jsonl", 3, 12, &fields());
            let general =
                fields::parse_jsonl_value(line.as_bytes(), "f", "f.jsonl", 3, 12, &fields());
            assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{line}");
        }
    }

    #[test]
    fn bad_jsonl_date_is_a_warning() {
        let doc = parse_jsonl_line(
            br#"{"id":"a","text":"x","date":"2021-13-01"}"#,
            "f",
            "f",
            1,
            100,
            &fields(),
        );
        let t = doc.content.unwrap();
        assert_eq!(t.date, None);
        assert_eq!(t.warnings.len(), 1);
    }
}
