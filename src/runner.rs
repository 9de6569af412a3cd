//! The batch runner: streams input documents through a [`Pipeline`] (or any
//! per-document step) on the rayon pool and writes one output per document,
//! in input order, with memory bounded whatever the number of documents.
//!
//! A reader thread hands out chunks of a few documents; every worker thread
//! of the rayon pool takes the next chunk as soon as it is done with one, so
//! no worker waits for the others (as a batch's workers did for its last
//! task); a writer thread puts the chunks' lines back in input order and
//! writes them.

use std::io::Write;
use std::panic::AssertUnwindSafe;

use crate::input::InputDoc;
use crate::pipeline::{Pipeline, line_room};

/// Documents between flushes of the output when [`Runner::batch_docs`] is
/// not set (the command line's hidden `--batch-docs`).
pub const DEFAULT_BATCH_DOCS: usize = 512;

/// Hands each complete line of `buf` (without its newline) to `line`, the
/// bytes of a line begun in an earlier buffer first; what `buf` leaves
/// unfinished waits in `partial`. For writers that take the runner's
/// output line by line ([`Write`] may split it anywhere).
pub fn complete_lines(
    partial: &mut Vec<u8>,
    buf: &[u8],
    mut line: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut rest = buf;
    while let Some(end) = rest.iter().position(|&b| b == b'\n') {
        if partial.is_empty() {
            line(&rest[..end])?;
        } else {
            partial.extend_from_slice(&rest[..end]);
            let whole = std::mem::take(partial);
            line(&whole)?;
        }
        rest = &rest[end + 1..];
    }
    partial.extend_from_slice(rest);
    Ok(())
}

/// Bytes of text between flushes of the output when
/// [`Runner::batch_bytes`] is not set: 8 MiB.
pub const DEFAULT_BATCH_BYTES: usize = 8 << 20;

/// The documents of one chunk, the unit a worker takes at a time (a
/// document takes ~0.06 ms): enough that handing chunks over costs little,
/// few enough that the last chunks of a run, done one at a time, are short.
const MAX_DOCS_PER_TASK: usize = 32;

/// The settings of a batch run, and the run itself ([`Runner::run`] through a
/// pipeline, [`Runner::run_with`] with any per-document step).
///
/// At most `4 * batch_docs` documents and `4 * batch_bytes` bytes of text are
/// between the reader and the writer at a time (a larger document goes
/// alone). The writer flushes the output every `batch_docs` documents or
/// `batch_bytes` bytes of text and at the end, and the
/// [`on_batch`](Runner::on_batch) callback sees the running [`RunSummary`]
/// then (a progress line). A write error (a closed pipe) stops the run and is
/// returned.
///
/// ```
/// use newsie::input::{InputDoc, InputText};
/// use newsie::{PipelineBuilder, Runner};
///
/// let pipeline = PipelineBuilder::new().build()?;
/// let texts = ["Tencent sued ByteDance.", "Alibaba rose 3%."];
/// let inputs = texts.iter().enumerate().map(|(i, text)| InputDoc {
///     id: i.to_string(),
///     source: "example".into(),
///     content: Ok(InputText { text: text.to_string(), ..InputText::default() }),
/// });
/// let mut out = Vec::new();
/// let mut progress = 0;
/// let summary = Runner::new()
///     .batch_docs(1)
///     .on_batch(|running| progress = running.documents)
///     .run(&pipeline, inputs, &mut out)?;
/// assert_eq!((summary.documents, summary.errors), (2, 0));
/// assert_eq!(progress, 2);
/// assert_eq!(String::from_utf8(out)?.lines().count(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Runner<'a> {
    batch_docs: usize,
    batch_bytes: usize,
    on_batch: Option<OnBatch<'a>>,
    on_error_record: Option<OnErrorRecord<'a>>,
}

/// The callback of [`Runner::on_error_record`].
type OnErrorRecord<'a> = Box<dyn Fn(&[u8]) + Send + Sync + 'a>;

/// The callback of [`Runner::on_batch`].
type OnBatch<'a> = Box<dyn FnMut(&RunSummary) + Send + 'a>;

impl Default for Runner<'_> {
    fn default() -> Self {
        Runner {
            batch_docs: DEFAULT_BATCH_DOCS,
            batch_bytes: DEFAULT_BATCH_BYTES,
            on_batch: None,
            on_error_record: None,
        }
    }
}

impl std::fmt::Debug for Runner<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("batch_docs", &self.batch_docs)
            .field("batch_bytes", &self.batch_bytes)
            .field("on_batch", &self.on_batch.as_ref().map(|_| ".."))
            .field(
                "on_error_record",
                &self.on_error_record.as_ref().map(|_| ".."),
            )
            .finish()
    }
}

impl<'a> Runner<'a> {
    /// A runner with [`DEFAULT_BATCH_DOCS`], [`DEFAULT_BATCH_BYTES`] and no
    /// callback.
    pub fn new() -> Self {
        Self::default()
    }

    /// Flushes the output every `n` documents (at least 1).
    pub fn batch_docs(mut self, n: usize) -> Self {
        self.batch_docs = n;
        self
    }

    /// Flushes the output every `n` bytes of text (at least 1).
    pub fn batch_bytes(mut self, n: usize) -> Self {
        self.batch_bytes = n;
        self
    }

    /// Called with the running summary after every flush, and once at the
    /// end when documents were written since the last one: for progress
    /// lines. It runs on the writer thread.
    pub fn on_batch(mut self, f: impl FnMut(&RunSummary) + Send + 'a) -> Self {
        self.on_batch = Some(Box::new(f));
        self
    }

    /// Called with each error record [`Runner::run`] writes (the line,
    /// without its newline), on the worker thread that made it: for a
    /// summary of what failed.
    pub fn on_error_record(mut self, f: impl Fn(&[u8]) + Send + Sync + 'a) -> Self {
        self.on_error_record = Some(Box::new(f));
        self
    }

    /// Streams `inputs` through `pipeline` and writes one line per document
    /// ([`Pipeline::write_line`]), in input order. A document whose stages
    /// panic gets an error record (`internal error: …`) and the run goes on.
    pub fn run<W: Write + Send>(
        mut self,
        pipeline: &Pipeline,
        inputs: impl IntoIterator<Item = InputDoc, IntoIter: Send>,
        out: &mut W,
    ) -> std::io::Result<RunSummary> {
        let on_error = self.on_error_record.take();
        let append_line = |doc: InputDoc, lines: &mut Vec<u8>| {
            let start = lines.len();
            let failed = pipeline.write_line(doc, lines);
            if failed && let Some(f) = &on_error {
                let line = &lines[start..];
                f(line.strip_suffix(b"\n").unwrap_or(line));
            }
            failed
        };
        self.run_chunks(inputs.into_iter(), out, append_line)
    }

    /// [`Runner::run`] with any per-document step: `process` turns one input
    /// document into its output (any number of complete lines, as a `String`
    /// or bytes) and whether it failed. Used by `newsie export-ner`, which
    /// writes several windows per document. A panic in `process` stops the
    /// run (what was done before it in input order is written) and is raised
    /// again once every thread has stopped.
    pub fn run_with<W: Write + Send, L: AsRef<[u8]> + Send>(
        self,
        inputs: impl IntoIterator<Item = InputDoc, IntoIter: Send>,
        out: &mut W,
        process: impl Fn(InputDoc) -> (L, bool) + Sync,
    ) -> std::io::Result<RunSummary> {
        let append = |doc: InputDoc, lines: &mut Vec<u8>| {
            let (text, is_error) = process(doc);
            lines.extend_from_slice(text.as_ref());
            is_error
        };
        self.run_chunks(inputs.into_iter(), out, append)
    }

    /// The runner of [`Runner::run`] and [`Runner::run_with`]: `append` adds
    /// one input document's lines to its chunk's output and says whether it
    /// failed. A chunk's lines go into one buffer, written with one call: a few
    /// hundred kilobytes, which a `BufWriter` passes on without copying them (a
    /// buffer per line, a few kilobytes, would be copied into it, and allocated
    /// by a worker and freed by the writer).
    fn run_chunks<W: Write + Send>(
        self,
        inputs: impl Iterator<Item = InputDoc> + Send,
        out: &mut W,
        append: impl Fn(InputDoc, &mut Vec<u8>) -> bool + Sync,
    ) -> std::io::Result<RunSummary> {
        use std::sync::mpsc::sync_channel;
        let Runner {
            batch_docs,
            batch_bytes,
            on_batch: mut callback,
            // `run` took it for its per-document step.
            on_error_record: _,
        } = self;
        let mut on_batch = move |summary: &RunSummary| {
            if let Some(f) = callback.as_mut() {
                f(summary);
            }
        };
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
                                let mut lines =
                                    Vec::with_capacity(line_room(chunk.bytes, documents));
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
}

/// Totals of one run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunSummary {
    /// Documents written.
    pub documents: usize,
    /// Of those, error records.
    pub errors: usize,
    /// Bytes of text processed.
    pub bytes: usize,
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

    use crate::input::test_doc as doc;
    use crate::pipeline::panic_message;
    use std::sync::atomic::{AtomicUsize, Ordering};

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

    /// Runs `docs` through [`Runner::run_with`] on a pool of `threads`, with work
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
        let result = pool.install(|| {
            Runner::new()
                .batch_docs(16)
                .batch_bytes(1000)
                .run_with(inputs, &mut sink, process)
        });
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
}
