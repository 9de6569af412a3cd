//! The pipeline: stages in a fixed order, built once, shared by all threads;
//! and the batch runner that streams input documents through it in order.

use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use chrono::NaiveDate;

use crate::dates::DateTagger;
use crate::dct::DctDetector;
use crate::document::Document;
use crate::entities::EntityTagger;
use crate::error::{GazetteerError, LexiconError, TokenizerError};
use crate::gazetteer::Gazetteer;
use crate::input::InputDoc;
use crate::money::MoneyTagger;
use crate::record::Record;
use crate::relations::RelationExtractor;
use crate::sentences::SentenceSplitter;
use crate::stage::Stage;
use crate::subword::SubwordTagger;
use crate::tokenize::Tokenizer;

/// Why a pipeline could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A gazetteer is missing or invalid.
    #[error(transparent)]
    Gazetteer(#[from] GazetteerError),
    /// The tokenizer could not be loaded.
    #[error(transparent)]
    Tokenizer(#[from] TokenizerError),
    /// A lexicon file is invalid.
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
}

/// Default `--max-doc-bytes`: 16 MiB (news articles are kilobytes; this bounds memory).
pub const DEFAULT_MAX_DOC_BYTES: usize = 16 << 20;

/// The documents of one chunk, the unit a worker takes at a time (a
/// document takes ~0.06 ms): enough that handing chunks over costs little,
/// few enough that the last chunks of a run, done one at a time, are short.
const MAX_DOCS_PER_TASK: usize = 32;

/// Builds a [`Pipeline`].
///
/// ```
/// let pipeline = newsie::PipelineBuilder::new().build().unwrap();
/// let doc = pipeline.process_text("a", "a.txt", " date 2021-03-17 Tencent sued ByteDance on Monday.", None);
/// assert_eq!(doc.entities[0].id, "tencent");
/// ```
#[derive(Debug, Clone, Default)]
pub struct PipelineBuilder {
    tokenizer_file: Option<PathBuf>,
    gazetteer_files: Vec<PathBuf>,
    no_builtin: bool,
    dct: Option<NaiveDate>,
    max_doc_bytes: Option<usize>,
}

impl PipelineBuilder {
    /// A builder with the built-in gazetteers and no default document date.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a user gazetteer file (same format as `gazetteers/*.tsv`).
    pub fn gazetteer_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.gazetteer_files.push(path.into());
        self
    }

    /// Adds the model-token layer (`tokens`) with this `tokenizer.json`.
    pub fn tokenizer_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.tokenizer_file = Some(path.into());
        self
    }

    /// Leaves out the built-in gazetteers.
    pub fn without_builtin_gazetteers(mut self) -> Self {
        self.no_builtin = true;
        self
    }

    /// The document date for documents that carry none (`--dct`).
    pub fn default_dct(mut self, dct: Option<NaiveDate>) -> Self {
        self.dct = dct;
        self
    }

    /// Documents larger than this many bytes become error records.
    pub fn max_doc_bytes(mut self, n: usize) -> Self {
        self.max_doc_bytes = Some(n);
        self
    }

    /// Loads gazetteers and compiles every automaton and pattern.
    pub fn build(self) -> Result<Pipeline, BuildError> {
        crate::money::check_lexicon()?;
        let mut gazetteer = if self.no_builtin {
            Gazetteer::default()
        } else {
            Gazetteer::builtin()?
        };
        for f in &self.gazetteer_files {
            gazetteer.add_file(f)?;
        }
        let relations = RelationExtractor::new(&gazetteer);
        let entities = EntityTagger::new(gazetteer)?;
        let stages: Vec<Box<dyn Stage>> = vec![
            Box::new(Tokenizer),
            Box::new(SentenceSplitter),
            Box::new(DctDetector { default: self.dct }),
            Box::new(entities),
            Box::new(MoneyTagger),
            Box::new(DateTagger),
            Box::new(relations),
        ];
        assert!(
            stages.len() <= MAX_STAGES,
            "StageClock holds {MAX_STAGES} stages"
        );
        let timings = (0..CLOCK_SHARDS).map(|_| StageClock::default()).collect();
        let subword = match &self.tokenizer_file {
            Some(path) => Some(SubwordTagger::from_file(path)?),
            None => None,
        };
        Ok(Pipeline {
            subword,
            stages,
            timings,
            max_doc_bytes: self.max_doc_bytes.unwrap_or(DEFAULT_MAX_DOC_BYTES),
        })
    }
}

/// The most stages a [`StageClock`] times.
const MAX_STAGES: usize = 8;
/// Shards of the stage timings: worker threads beyond this share shards.
const CLOCK_SHARDS: usize = 64;

/// Nanoseconds per stage summed by one worker thread, on cache lines of its
/// own: with one set of counters for all threads, every stage of every
/// document moved the counters' cache line between cores. (On the 100 MB
/// corpus with 2 jobs, leaving the clock out entirely ran a paired 1.02x
/// faster, the shards 1.01x: the rest is the clock reads themselves.)
#[derive(Default)]
#[repr(align(128))]
struct StageClock([AtomicU64; MAX_STAGES]);

/// The built pipeline. `Sync`: one instance serves every worker thread.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
    /// The model-token layer, when a tokenizer was given.
    subword: Option<SubwordTagger>,
    /// Nanoseconds spent per stage, one shard per worker thread.
    timings: Vec<StageClock>,
    max_doc_bytes: usize,
}

impl Pipeline {
    /// The size limit for one document, in bytes.
    pub fn max_doc_bytes(&self) -> usize {
        self.max_doc_bytes
    }

    /// Runs every stage over one text.
    pub fn process_text(
        &self,
        id: &str,
        source: &str,
        text: &str,
        date: Option<NaiveDate>,
    ) -> Document {
        let mut doc = Document::new(id, source, text);
        doc.dct = date;
        self.run(&mut doc);
        doc
    }

    /// Runs every stage over a document in place.
    pub fn run(&self, doc: &mut Document) {
        // Threads outside the pool (tests, the library's callers) share shard 0.
        let shard = rayon::current_thread_index().map_or(0, |i| (i + 1) % CLOCK_SHARDS);
        // One clock read between stages: a stage's end is the next one's start.
        let mut t = Instant::now();
        for (stage, total) in self.stages.iter().zip(&self.timings[shard].0) {
            stage.process(doc);
            let now = Instant::now();
            total.fetch_add((now - t).as_nanos() as u64, Ordering::Relaxed);
            t = now;
        }
    }

    /// Turns one input document into its output record.
    pub fn process(&self, input: InputDoc) -> Record<'static> {
        let doc = match self.document_of(input) {
            Ok(doc) => doc,
            Err(error_record) => return *error_record,
        };
        let mut rec = Record::from_document(&doc);
        match self.subword_layer(&doc, &rec) {
            Ok(tokens) => rec.tokens = tokens,
            Err(e) => return Record::error(rec.id, rec.source, e),
        }
        rec.into_owned()
    }

    /// Appends one input document's output line and a newline to `out`;
    /// returns whether it is an error record. The line is written straight
    /// from the document's layers ([`record::write_record`](crate::record::write_record)).
    pub fn write_line(&self, input: InputDoc, out: &mut Vec<u8>) -> bool {
        let doc = match self.document_of(input) {
            Ok(doc) => doc,
            Err(error_record) => return push_line(out, &error_record),
        };
        let tokens = match &self.subword {
            None => None,
            Some(_) => match self.subword_layer(&doc, &Record::from_document(&doc)) {
                Ok(tokens) => tokens,
                Err(e) => return push_line(out, &Record::error(doc.id, doc.source, e)),
            },
        };
        // Room for the line, so it does not grow (and get copied) while it
        // is written.
        out.reserve(line_room(doc.text.len(), 1));
        crate::record::write_record(&doc, tokens.as_ref(), out);
        out.push(b'\n');
        false
    }

    /// Runs the stages over a readable input; an unreadable one becomes its
    /// error record. So does one that a stage panics on (a bug): it costs
    /// its document, not the run.
    fn document_of(&self, input: InputDoc) -> Result<Document, Box<Record<'static>>> {
        let content = input.content.map_err(|e| {
            Box::new(Record::error(
                input.id.clone(),
                input.source.clone(),
                e.to_string(),
            ))
        })?;
        let mut doc = Document::new(input.id, input.source, content.text);
        doc.dct = content.date;
        doc.warnings = content.warnings;
        if let Err(payload) = std::panic::catch_unwind(AssertUnwindSafe(|| self.run(&mut doc))) {
            let error = format!("internal error: {}", panic_message(payload.as_ref()));
            return Err(Box::new(Record::error(doc.id, doc.source, error)));
        }
        Ok(doc)
    }

    /// The model-token layer of `doc` (whose record is `rec`), when the
    /// pipeline has a tokenizer.
    fn subword_layer(
        &self,
        doc: &Document,
        rec: &Record,
    ) -> Result<Option<serde_json::Value>, String> {
        let Some(subword) = &self.subword else {
            return Ok(None);
        };
        let layer = subword
            .layer(&doc.text, rec)
            .map_err(|e| format!("tokenizer: {e}"))?;
        Ok(serde_json::to_value(layer).ok())
    }

    /// Seconds spent in each stage so far, summed over threads.
    pub fn stage_timings(&self) -> Vec<(&'static str, f64)> {
        self.stages
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let ns: u64 = self
                    .timings
                    .iter()
                    .map(|clock| clock.0[k].load(Ordering::Relaxed))
                    .sum();
                (s.name(), ns as f64 / 1e9)
            })
            .collect()
    }
}

/// Room for the lines of `docs` records with `text_bytes` bytes of text in
/// all: a record's line is about twice as long as its text, plus its fixed
/// fields.
fn line_room(text_bytes: usize, docs: usize) -> usize {
    2 * text_bytes + 2048 * docs
}

/// Appends an error record's line and a newline; true (it is an error record).
fn push_line(out: &mut Vec<u8>, error_record: &Record) -> bool {
    out.extend_from_slice(error_record.to_line().as_bytes());
    out.push(b'\n');
    true
}

/// Totals of one [`run_batches`] call.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunSummary {
    /// Documents written.
    pub documents: usize,
    /// Of those, error records.
    pub errors: usize,
    /// Bytes of text processed.
    pub bytes: usize,
}

/// Streams `inputs` through the pipeline and writes one line per document,
/// in input order, with memory bounded whatever the number of documents.
///
/// A reader thread hands out chunks of a few documents; every worker thread
/// of the rayon pool takes the next chunk as soon as it is done with one, so
/// no worker waits for the others (as a batch's workers did for its last
/// task); a writer thread puts the chunks' lines back in input order and
/// writes them. At most `4 * batch_docs` documents and `4 * batch_bytes`
/// bytes of text are between the reader and the writer at a time (a larger
/// document goes alone). The writer flushes every `batch_docs` documents or
/// `batch_bytes` bytes of text and at the end, and `on_batch` sees the
/// running summary then (progress bars). A write error (a closed pipe) stops
/// the run and is returned. A document whose stages panic gets an error
/// record (`internal error: …`) and the run goes on.
pub fn run_batches<W: Write + Send>(
    pipeline: &Pipeline,
    inputs: impl Iterator<Item = InputDoc> + Send,
    out: &mut W,
    batch_docs: usize,
    batch_bytes: usize,
    on_batch: impl FnMut(&RunSummary) + Send,
) -> std::io::Result<RunSummary> {
    let append_line = |doc: InputDoc, lines: &mut Vec<u8>| pipeline.write_line(doc, lines);
    run_chunks(inputs, out, batch_docs, batch_bytes, append_line, on_batch)
}

/// What a panic said, when it said it with a string (as `panic!` does).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a stage panicked")
}

/// [`run_batches`] with any per-document step: `process` turns one input
/// document into its output (any number of complete lines, as a `String` or
/// bytes) and whether it failed. Used by `newsie export-ner`, which writes
/// several windows per document. A panic in `process` stops the run (what
/// was done before it in input order is written) and is raised again once
/// every thread has stopped.
pub fn run_batches_with<W: Write + Send, L: AsRef<[u8]> + Send>(
    inputs: impl Iterator<Item = InputDoc> + Send,
    out: &mut W,
    batch_docs: usize,
    batch_bytes: usize,
    process: impl Fn(InputDoc) -> (L, bool) + Sync,
    on_batch: impl FnMut(&RunSummary) + Send,
) -> std::io::Result<RunSummary> {
    let append = |doc: InputDoc, lines: &mut Vec<u8>| {
        let (text, is_error) = process(doc);
        lines.extend_from_slice(text.as_ref());
        is_error
    };
    run_chunks(inputs, out, batch_docs, batch_bytes, append, on_batch)
}

/// The runner of [`run_batches`] and [`run_batches_with`]: `append` adds one
/// input document's lines to its chunk's output and says whether it failed.
/// A chunk's lines go into one buffer, written with one call: a few hundred
/// kilobytes, which a `BufWriter` passes on without copying them (a buffer
/// per line, a few kilobytes, would be copied into it, and allocated by a
/// worker and freed by the writer).
fn run_chunks<W: Write + Send>(
    inputs: impl Iterator<Item = InputDoc> + Send,
    out: &mut W,
    batch_docs: usize,
    batch_bytes: usize,
    append: impl Fn(InputDoc, &mut Vec<u8>) -> bool + Sync,
    mut on_batch: impl FnMut(&RunSummary) + Send,
) -> std::io::Result<RunSummary> {
    use std::sync::mpsc::sync_channel;
    let batch_docs = batch_docs.max(1);
    let budget = InFlight::new(4 * batch_docs, 4 * batch_bytes.max(1));
    // The budget bounds the chunks in flight: the reader never waits on a send.
    let (chunk_tx, chunk_rx) = sync_channel::<Chunk>(4 * batch_docs);
    let (done_tx, done_rx) = sync_channel::<Done>(4 * batch_docs);
    let chunk_rx = std::sync::Mutex::new(chunk_rx);
    // The first panic of an `append` call, raised again after the run.
    let panicked = std::sync::Mutex::new(None);
    let result = std::thread::scope(|scope| {
        let budget = &budget;
        scope.spawn(move || {
            let mut chunk = Chunk::new(0);
            // Sends the chunk held and starts the next; false once the
            // workers are gone.
            let hand_over = |chunk: &mut Chunk| {
                let next = Chunk::new(chunk.seq + 1);
                chunk_tx.send(std::mem::replace(chunk, next)).is_ok()
            };
            for doc in inputs {
                let bytes = doc.len();
                if !budget.try_take(bytes) {
                    // No room: the documents held here go out first (the
                    // writer may be waiting for them to give room back).
                    if !chunk.items.is_empty() && !hand_over(&mut chunk) {
                        return;
                    }
                    if !budget.take(bytes) {
                        return; // the writer stopped
                    }
                }
                chunk.items.push(doc);
                chunk.bytes += bytes;
                if chunk.items.len() == MAX_DOCS_PER_TASK && !hand_over(&mut chunk) {
                    return;
                }
            }
            if !chunk.items.is_empty() {
                hand_over(&mut chunk);
            }
        });
        let writer = scope.spawn(move || -> std::io::Result<RunSummary> {
            // Stops the reader however the writer ends.
            let _close = CloseOnDrop(budget);
            let mut summary = RunSummary::default();
            // What was written at the last flush: documents and bytes of text.
            let mut reported = (0, 0);
            let mut waiting = std::collections::BTreeMap::new();
            let mut next = 0;
            loop {
                while let Some(done) = waiting.remove(&next) {
                    let done: Done = done;
                    out.write_all(&done.lines)?;
                    summary.errors += done.errors;
                    summary.documents += done.documents;
                    summary.bytes += done.bytes;
                    budget.give_back(done.documents, done.bytes);
                    next += 1;
                    if summary.documents - reported.0 >= batch_docs
                        || summary.bytes - reported.1 >= batch_bytes
                    {
                        out.flush()?;
                        on_batch(&summary);
                        reported = (summary.documents, summary.bytes);
                    }
                }
                let Ok(done) = done_rx.recv() else { break };
                waiting.insert(done.seq, done);
            }
            out.flush()?;
            if summary.documents > reported.0 {
                on_batch(&summary);
            }
            Ok(summary)
        });
        let (chunk_rx, append, panicked) = (&chunk_rx, &append, &panicked);
        rayon::scope(|workers| {
            for _ in 0..rayon::current_num_threads() {
                let done_tx = done_tx.clone();
                workers.spawn(move |_| {
                    loop {
                        let chunk = match chunk_rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        let Ok(chunk) = chunk else { return };
                        let documents = chunk.items.len();
                        let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
                            let mut lines = Vec::with_capacity(line_room(chunk.bytes, documents));
                            let errors = chunk
                                .items
                                .into_iter()
                                .map(|doc| usize::from(append(doc, &mut lines)))
                                .sum();
                            (lines, errors)
                        }));
                        let (lines, errors) = match done {
                            Ok(done) => done,
                            Err(payload) => {
                                // The chunk's lines will never come: the
                                // writer would wait for them, and the reader
                                // for room, forever. Stop the run instead and
                                // panic once it has wound down.
                                budget.close();
                                if let Ok(mut first) = panicked.lock() {
                                    first.get_or_insert(payload);
                                }
                                return;
                            }
                        };
                        let done = Done {
                            seq: chunk.seq,
                            documents,
                            bytes: chunk.bytes,
                            lines,
                            errors,
                        };
                        if done_tx.send(done).is_err() {
                            return; // the writer failed; it returns the error
                        }
                    }
                });
            }
        });
        drop(done_tx);
        writer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("writer thread panicked")))
    });
    if let Some(payload) = panicked.into_inner().ok().flatten() {
        std::panic::resume_unwind(payload);
    }
    result
}

/// A few consecutive documents: `seq` is the chunk's place in the input.
struct Chunk {
    seq: u64,
    items: Vec<InputDoc>,
    /// Bytes of text of its documents.
    bytes: usize,
}

/// A chunk's output: its documents' lines, in order, in one buffer.
struct Done {
    seq: u64,
    documents: usize,
    /// Bytes of text of its documents.
    bytes: usize,
    lines: Vec<u8>,
    /// Of its documents, those that got an error record.
    errors: usize,
}

impl Chunk {
    fn new(seq: u64) -> Chunk {
        Chunk {
            seq,
            items: Vec::with_capacity(MAX_DOCS_PER_TASK),
            bytes: 0,
        }
    }
}

/// The documents and bytes of text between the reader and the writer: the
/// reader waits while a budget is spent, the writer gives back what it has
/// written, and closing it lets the reader go.
struct InFlight {
    state: std::sync::Mutex<InFlightState>,
    freed: std::sync::Condvar,
    max_docs: usize,
    max_bytes: usize,
}

impl InFlight {
    fn new(max_docs: usize, max_bytes: usize) -> InFlight {
        InFlight {
            state: std::sync::Mutex::new(InFlightState::default()),
            freed: std::sync::Condvar::new(),
            max_docs,
            max_bytes,
        }
    }

    /// Takes one document of `bytes` from the budget if there is room (a
    /// document larger than the whole budget fits when nothing else is in
    /// flight).
    fn try_take(&self, bytes: usize) -> bool {
        self.state
            .lock()
            .is_ok_and(|mut state| self.take_from(&mut state, bytes))
    }

    /// [`InFlight::try_take`], waiting for room; false once the budget is closed.
    fn take(&self, bytes: usize) -> bool {
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        loop {
            if state.closed {
                return false;
            }
            if self.take_from(&mut state, bytes) {
                return true;
            }
            state = match self.freed.wait(state) {
                Ok(state) => state,
                Err(_) => return false,
            };
        }
    }

    fn take_from(&self, state: &mut InFlightState, bytes: usize) -> bool {
        let room = state.docs == 0
            || (state.docs < self.max_docs && state.bytes + bytes <= self.max_bytes);
        let taken = room && !state.closed;
        if taken {
            state.docs += 1;
            state.bytes += bytes;
        }
        taken
    }

    fn give_back(&self, docs: usize, bytes: usize) {
        if let Ok(mut state) = self.state.lock() {
            state.docs -= docs;
            state.bytes -= bytes;
        }
        self.freed.notify_one();
    }

    fn close(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.closed = true;
        }
        self.freed.notify_all();
    }
}

/// What an [`InFlight`] has out, and whether it is closed.
#[derive(Default)]
struct InFlightState {
    docs: usize,
    /// Bytes of text.
    bytes: usize,
    closed: bool,
}

/// Closes an [`InFlight`] when dropped.
struct CloseOnDrop<'a>(&'a InFlight);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::input::InputText;
    use rayon::prelude::*;
    use std::sync::atomic::AtomicUsize;

    fn doc(i: usize, bytes: usize) -> InputDoc {
        InputDoc {
            id: i.to_string(),
            source: "test".into(),
            content: Ok(InputText {
                text: "x".repeat(bytes),
                date: None,
                warnings: Vec::new(),
            }),
        }
    }

    /// Counts the lines written, and fails once `fail_after` bytes are in.
    struct Sink<'a> {
        bytes: Vec<u8>,
        lines: &'a AtomicUsize,
        fail_after: usize,
    }

    impl Write for Sink<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.bytes.len() + buf.len() > self.fail_after {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::BrokenPipe,
                    "closed",
                ));
            }
            self.bytes.extend_from_slice(buf);
            let n = buf.iter().filter(|&&b| b == b'\n').count();
            self.lines.fetch_add(n, Ordering::Relaxed);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Runs `docs` through run_batches_with on a pool of `threads`, with work
    /// that varies by document; returns the result, the bytes written, the
    /// documents the reader took, and the most taken but not yet written.
    fn stream(
        docs: Vec<InputDoc>,
        threads: usize,
        fail_after: usize,
    ) -> (std::io::Result<RunSummary>, Vec<u8>, usize, usize) {
        let lines = AtomicUsize::new(0);
        let pulled = AtomicUsize::new(0);
        let most_ahead = AtomicUsize::new(0);
        let inputs = docs.into_iter().inspect(|_| {
            let ahead = pulled.fetch_add(1, Ordering::Relaxed) + 1 - lines.load(Ordering::Relaxed);
            most_ahead.fetch_max(ahead, Ordering::Relaxed);
        });
        let process = |d: InputDoc| {
            assert!(d.id != "boom", "a document named boom");
            let n: usize = d.id.parse().unwrap_or(0);
            // Uneven work, so chunks finish out of order.
            let mut h = n as u64;
            for _ in 0..(n % 7) * 2000 {
                h = h.wrapping_mul(6364136223846793005).wrapping_add(1);
            }
            std::hint::black_box(h);
            (format!("{}\n", d.id), n % 10 == 3)
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let mut sink = Sink {
            bytes: Vec::new(),
            lines: &lines,
            fail_after,
        };
        let result =
            pool.install(|| run_batches_with(inputs, &mut sink, 16, 1000, process, |_| {}));
        let (pulled, most_ahead) = (pulled.into_inner(), most_ahead.into_inner());
        (result, sink.bytes, pulled, most_ahead)
    }

    #[test]
    fn documents_stream_through_in_input_order_with_bounded_memory() {
        // Small documents, and a few larger than the whole byte budget.
        let sizes = |i: usize| if i % 500 == 250 { 9000 } else { 1 + i % 30 };
        for threads in [1, 2, 3] {
            let docs = (0..3000).map(|i| doc(i, sizes(i))).collect();
            // In a thread of its own, so that a run that waits forever fails
            // the test instead of hanging it.
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || tx.send(stream(docs, threads, usize::MAX)));
            let (result, bytes, pulled, most_ahead) = rx
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("the run ends (no deadlock)");
            let summary = result.expect("no write error");
            let want: String = (0..3000).map(|i| format!("{i}\n")).collect();
            assert_eq!(
                String::from_utf8(bytes).expect("UTF-8"),
                want,
                "{threads} threads"
            );
            assert_eq!(summary.documents, 3000);
            assert_eq!(summary.errors, 300);
            assert_eq!(summary.bytes, (0..3000).map(sizes).sum::<usize>());
            assert_eq!(pulled, 3000);
            // At most 4 × 16 documents between reader and writer, and the
            // one the reader holds while it waits for room.
            assert!(
                most_ahead <= 4 * 16 + 1,
                "{most_ahead} ahead with {threads} threads"
            );
        }
    }

    #[test]
    fn a_failed_write_stops_the_run() {
        let docs = (0..100_000).map(|i| doc(i, 10)).collect();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(stream(docs, 2, 600)));
        let (result, bytes, pulled, _) = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the run ends (the reader is let go)");
        let err = result.expect_err("the sink fails");
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
        assert!(bytes.len() <= 600);
        assert!(pulled < 1000, "the reader went on: {pulled} documents");
    }

    #[test]
    fn a_panic_in_process_stops_the_run_and_is_raised_again() {
        for threads in [1, 2] {
            let mut docs: Vec<InputDoc> = (0..20_000).map(|i| doc(i, 10)).collect();
            docs[5000].id = "boom".into();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let run = std::panic::catch_unwind(|| stream(docs, threads, usize::MAX).2);
                tx.send(run.map_err(|p| panic_message(p.as_ref()).to_string()))
            });
            let run = rx
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("the run ends (no deadlock)");
            assert_eq!(
                run,
                Err("a document named boom".to_string()),
                "{threads} threads"
            );
        }
    }

    /// Panics on a document whose text starts with "boom".
    struct PanicsOnBoom;

    impl Stage for PanicsOnBoom {
        fn name(&self) -> &'static str {
            "boom"
        }
        fn process(&self, doc: &mut Document) {
            assert!(!doc.text.starts_with("boom"), "boom in {}", doc.id);
        }
    }

    #[test]
    fn a_document_whose_stage_panics_gets_an_error_record() {
        let mut pipeline = PipelineBuilder::new().build().expect("built-in pipeline");
        pipeline.stages.push(Box::new(PanicsOnBoom));
        let texts = ["Alibaba rose 3%.", "boom", "Tencent fell 2%."];
        let inputs = texts.iter().enumerate().map(|(i, t)| {
            let mut d = doc(i, 0);
            if let Ok(content) = &mut d.content {
                content.text = t.to_string();
            }
            d
        });
        let mut out = Vec::new();
        let summary = run_batches(&pipeline, inputs, &mut out, 2, 1000, |_| {}).expect("run");
        assert_eq!((summary.documents, summary.errors), (3, 1));
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .expect("UTF-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1]["id"], "1");
        assert_eq!(lines[1]["error"], "internal error: boom in 1");
        for k in [0, 2] {
            assert!(lines[k]["error"].is_null(), "{}", lines[k]);
            assert_eq!(lines[k]["percents"].as_array().map(Vec::len), Some(1));
        }
    }

    #[test]
    fn stage_timings_add_up_the_shards_of_every_thread() {
        let pipeline = PipelineBuilder::new().build().expect("built-in pipeline");
        let text = "Alibaba said on Monday it would invest $1 billion in Hangzhou. ".repeat(40);
        let tokenize_time = |p: &Pipeline| p.stage_timings()[0].1;
        // Outside any thread pool: shard 0.
        pipeline.process_text("a", "t", &text, None);
        let alone = tokenize_time(&pipeline);
        assert!(alone > 0.0);
        // Inside a pool: the workers' own shards, which the totals must include.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("thread pool");
        pool.install(|| {
            (0..8).into_par_iter().for_each(|_| {
                pipeline.process_text("b", "t", &text, None);
            })
        });
        assert!(tokenize_time(&pipeline) > alone);
        let names: Vec<&str> = pipeline.stage_timings().iter().map(|t| t.0).collect();
        assert_eq!(names[0], "tokenize");
        assert_eq!(names.len(), pipeline.stages.len());
    }
}
