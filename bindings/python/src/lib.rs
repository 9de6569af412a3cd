//! `newsie._newsie`: the Rust pipeline as a Python extension module. The
//! Python package (`bindings/python/python/newsie`) re-exports it and adds
//! the cached default pipeline and the spaCy component.
//!
//! Records cross over as plain dicts with the CLI's fields, key order and
//! code-point offsets (which are Python's string indices). Text is copied into
//! Rust while the GIL is held; the pipeline then runs with the GIL released.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;

use crossbeam_channel::Receiver;

use newsie::input::{InputDoc, parse_date_field};
use newsie::pipeline::BuildError;
use newsie::record::{EntityRec, MentionRec, SpanRec};
use newsie::{GazetteerError as LibGazetteerError, Pipeline, PipelineBuilder, Record};
use pyo3::exceptions::{PyException, PyTypeError, PyUnicodeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3::{create_exception, intern};
use rayon::prelude::*;

// The pipeline allocates many small, short-lived values per document;
// mimalloc's thread-local free lists serve them, as in the CLI binary. (On a
// 20 MB corpus with 2 jobs, glibc's malloc and free were 14% of the worker
// threads' samples.)
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(
    newsie,
    NewsieError,
    PyException,
    "Base class of newsie's errors."
);
create_exception!(
    newsie,
    GazetteerError,
    NewsieError,
    "A gazetteer could not be loaded; `path` and `line` say where (None when unknown)."
);
create_exception!(
    newsie,
    DocumentError,
    NewsieError,
    "A document could not be processed (too large, or an internal error); `id` names it."
);

/// The `source` of records made from Python strings.
const SOURCE: &str = "<python>";
/// Default `batch_size` of `Pipeline.pipe`.
const DEFAULT_BATCH: usize = 256;
/// Batches queued for the workers beyond the one Python is reading: enough
/// that the workers never wait while Python turns records into dicts.
const BATCHES_AHEAD: usize = 2;
/// Upper bound of `jobs`: more threads than this only cost memory.
const MAX_JOBS: usize = 1024;

/// The extraction pipeline: gazetteers loaded and automata compiled once,
/// then `extract` for one text or `pipe` for many. Thread-safe; build it once
/// and reuse it.
///
/// Args:
///     gazetteers: TSV or compiled (`.ngz`) gazetteer files added to the
///         built-in lists.
///     builtin_gazetteers: load the built-in lists (default True).
///     dct: the date used for articles that carry none (a `date` object or a
///         `YYYY-MM-DD` string); relative dates resolve against it.
///     strict_gazetteers: refuse a full alias shared by two entries.
///     max_doc_bytes: the size limit of one document in UTF-8 bytes
///         (default 16 MiB).
///
/// Raises:
///     GazetteerError: a gazetteer file is missing or malformed (the message
///         names the file and line).
///     ValueError: `dct` is not a date.
#[pyclass(frozen, module = "newsie", name = "Pipeline")]
struct PyPipeline {
    inner: Arc<Pipeline>,
}

#[pymethods]
impl PyPipeline {
    #[new]
    #[pyo3(signature = (gazetteers = None, builtin_gazetteers = true, dct = None, strict_gazetteers = false, max_doc_bytes = None))]
    fn new(
        py: Python<'_>,
        gazetteers: Option<Vec<PathBuf>>,
        builtin_gazetteers: bool,
        dct: Option<&Bound<'_, PyAny>>,
        strict_gazetteers: bool,
        max_doc_bytes: Option<usize>,
    ) -> PyResult<Self> {
        let dct = dct_arg(dct)?.and_then(|d| parse_date_field(&d).ok());
        let mut builder = PipelineBuilder::new()
            .default_dct(dct)
            .strict_gazetteers(strict_gazetteers);
        if !builtin_gazetteers {
            builder = builder.without_builtin_gazetteers();
        }
        if let Some(n) = max_doc_bytes {
            builder = builder.max_doc_bytes(n);
        }
        for path in gazetteers.unwrap_or_default() {
            builder = builder.gazetteer_file(path);
        }
        let pipeline = py
            .detach(|| builder.build())
            .map_err(|e| build_error(py, e))?;
        Ok(PyPipeline {
            inner: Arc::new(pipeline),
        })
    }

    /// Extracts one article's record.
    ///
    /// Args:
    ///     text: the article (an optional first line ` date YYYY-MM-DD` gives
    ///         its date, as in the CLI's inputs).
    ///     id: the record's id (default "doc").
    ///     dct: the article's date (a `date`/`datetime` or an ISO 8601
    ///         string), as a JSONL line's "date": a leading ` date` line
    ///         still wins, and it wins over a dateline and the pipeline's
    ///         `dct` (docs/FORMAT.md, `dct`).
    ///
    /// Returns:
    ///     The record as a dict: the CLI's JSON line, offsets in code points
    ///     (`text[m["start"]:m["end"]] == m["text"]`).
    ///
    /// Raises:
    ///     DocumentError: the text is over `max_doc_bytes`, or the pipeline
    ///         failed on it.
    ///     ValueError: `dct` is not a date.
    #[pyo3(signature = (text, id = None, dct = None))]
    fn extract(
        &self,
        py: Python<'_>,
        text: String,
        id: Option<&Bound<'_, PyAny>>,
        dct: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyDict>> {
        let id = match id {
            Some(id) => id_arg(id)?.unwrap_or_else(|| "doc".into()),
            None => "doc".into(),
        };
        let date = dct_arg(dct)?;
        let input = InputDoc::from_fields(
            id,
            SOURCE.into(),
            text,
            date.as_deref(),
            self.inner.max_doc_bytes(),
        );
        let pipeline = &self.inner;
        let record = py.detach(|| pipeline.process(input));
        if let Some(error) = &record.error {
            let err = DocumentError::new_err(format!("{}: {error}", record.id));
            err.value(py).setattr(intern!(py, "id"), &*record.id)?;
            return Err(err);
        }
        Ok(record_to_dict(py, &record)?.unbind())
    }

    /// Extracts the records of many articles, in input order, as they are
    /// ready: batches run on `jobs` threads with the GIL released while
    /// Python reads the next records.
    ///
    /// Args:
    ///     docs: an iterable of texts, or of dicts with "text" and optionally
    ///         "id" (str or int), "date" (a date or ISO 8601 string) and
    ///         "source". A text's id is its position in `docs`.
    ///     jobs: worker threads (default: one per core).
    ///     batch_size: documents per batch handed to the workers.
    ///
    /// Yields:
    ///     One record per document. A document that cannot be processed
    ///     yields an error record `{"id", "source", "error"}`, as the CLI
    ///     writes, and the run goes on; a "date" that is not a date is left
    ///     out with a warning in the record, as in JSONL input.
    ///
    /// Raises:
    ///     TypeError: an item is neither a str nor a dict with a str "text"
    ///         (raised when the iteration reaches it; the records before it
    ///         come first).
    ///     ValueError: `jobs` or `batch_size` is out of range.
    #[pyo3(signature = (docs, jobs = None, batch_size = DEFAULT_BATCH))]
    fn pipe(
        &self,
        docs: &Bound<'_, PyAny>,
        jobs: Option<usize>,
        batch_size: usize,
    ) -> PyResult<PipeIter> {
        let jobs = match jobs {
            Some(n) if (1..=MAX_JOBS).contains(&n) => n,
            Some(n) => {
                return Err(PyValueError::new_err(format!(
                    "jobs must be between 1 and {MAX_JOBS}, got {n}"
                )));
            }
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        if batch_size == 0 {
            return Err(PyValueError::new_err("batch_size must be at least 1"));
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .thread_name(|i| format!("newsie-{i}"))
            // A panic outside the stages' own guard drops its batch's sender,
            // which `__next__` reports as an error instead of aborting Python.
            .panic_handler(|_| {})
            .build()
            .map_err(|e| NewsieError::new_err(format!("cannot start {jobs} threads: {e}")))?;
        Ok(PipeIter {
            pipeline: Arc::clone(&self.inner),
            docs: Some(docs.try_iter()?.unbind()),
            pool,
            batch_size,
            position: 0,
            in_flight: VecDeque::new(),
            ready: Vec::new(),
            next_ready: 0,
            deferred: None,
        })
    }
}

/// The iterator `Pipeline.pipe` returns.
#[pyclass(module = "newsie")]
struct PipeIter {
    pipeline: Arc<Pipeline>,
    /// The input, until it is exhausted or fails.
    docs: Option<Py<pyo3::types::PyIterator>>,
    pool: rayon::ThreadPool,
    batch_size: usize,
    /// Items read from `docs` so far (the default id of a text).
    position: usize,
    /// Batches handed to the workers, oldest first.
    in_flight: VecDeque<Receiver<Vec<Record<'static>>>>,
    /// Records of the oldest finished batch, yielded up to `next_ready`.
    ready: Vec<Record<'static>>,
    next_ready: usize,
    /// An error met reading `docs`, raised once the records before it are out.
    deferred: Option<PyErr>,
}

#[pymethods]
impl PipeIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyDict>>> {
        loop {
            if let Some(record) = self.ready.get(self.next_ready) {
                self.next_ready += 1;
                return Ok(Some(record_to_dict(py, record)?.unbind()));
            }
            // A worker frees the batch: the thread that holds the GIL has
            // enough to do.
            let done = std::mem::take(&mut self.ready);
            self.next_ready = 0;
            if !done.is_empty() {
                self.pool.spawn(move || drop(done));
            }
            self.fill(py);
            let Some(batch) = self.in_flight.pop_front() else {
                return match self.deferred.take() {
                    Some(e) => Err(e),
                    None => Ok(None),
                };
            };
            let records = py
                .detach(move || batch.recv())
                .map_err(|_| NewsieError::new_err("internal error: a worker thread failed"))?;
            self.ready = records;
            // The workers take the next batch while Python reads this one.
            self.fill(py);
        }
    }
}

impl PipeIter {
    /// Reads batches from `docs` and hands them to the workers until
    /// [`BATCHES_AHEAD`] are in flight or the input ends.
    fn fill(&mut self, py: Python<'_>) {
        while self.in_flight.len() < BATCHES_AHEAD && self.deferred.is_none() {
            let Some(docs) = &self.docs else { break };
            let mut docs = docs.bind(py).clone();
            let mut batch = Vec::with_capacity(self.batch_size);
            while batch.len() < self.batch_size {
                let item = match docs.next() {
                    None => {
                        self.docs = None;
                        break;
                    }
                    Some(item) => item,
                };
                match item.and_then(|item| self.input_of(&item)) {
                    Ok(doc) => batch.push(doc),
                    Err(e) => {
                        self.deferred = Some(e);
                        self.docs = None;
                        break;
                    }
                }
            }
            if batch.is_empty() {
                break;
            }
            let (done, receiver) = crossbeam_channel::bounded(1);
            let pipeline = Arc::clone(&self.pipeline);
            self.pool.spawn_fifo(move || {
                let records: Vec<Record<'static>> = batch
                    .into_par_iter()
                    .map(|doc| pipeline.process(doc))
                    .collect();
                // The iterator may have been dropped: nobody wants them then.
                let _ = done.send(records);
            });
            self.in_flight.push_back(receiver);
        }
    }

    /// One item of `docs` as an input document.
    fn input_of(&mut self, item: &Bound<'_, PyAny>) -> PyResult<InputDoc> {
        let position = self.position;
        self.position += 1;
        let max = self.pipeline.max_doc_bytes();
        let py = item.py();
        if let Ok(text) = item.cast::<PyString>() {
            let text = text.to_cow().map_err(|e| prefix(py, e, position))?;
            let text = text.into_owned();
            return Ok(InputDoc::from_fields(
                position.to_string(),
                SOURCE.into(),
                text,
                None,
                max,
            ));
        }
        let Ok(fields) = item.cast::<PyDict>() else {
            return Err(PyTypeError::new_err(format!(
                "pipe item {position}: expected a str or a dict with \"text\", found {}",
                item.get_type().name()?
            )));
        };
        let text = match fields.get_item(intern!(py, "text"))? {
            Some(text) => match text.cast::<PyString>() {
                Ok(text) => text
                    .to_cow()
                    .map_err(|e| prefix(py, e, position))?
                    .into_owned(),
                Err(_) => {
                    return Err(PyTypeError::new_err(format!(
                        "pipe item {position}: \"text\" must be a str, found {}",
                        text.get_type().name()?
                    )));
                }
            },
            None => {
                return Err(PyTypeError::new_err(format!(
                    "pipe item {position}: a dict item needs a \"text\""
                )));
            }
        };
        let id = match fields.get_item(intern!(py, "id"))? {
            Some(id) => id_arg(&id).map_err(|e| prefix(py, e, position))?,
            None => None,
        };
        let source = match fields.get_item(intern!(py, "source"))? {
            Some(s) if !s.is_none() => s.extract::<String>().map_err(|_| {
                PyTypeError::new_err(format!("pipe item {position}: \"source\" must be a str"))
            })?,
            _ => SOURCE.into(),
        };
        let date = fields.get_item(intern!(py, "date"))?;
        let date = date_arg(date.as_ref()).map_err(|e| prefix(py, e, position))?;
        Ok(InputDoc::from_fields(
            id.unwrap_or_else(|| position.to_string()),
            source,
            text,
            date.as_deref(),
            max,
        ))
    }
}

/// A `TypeError` or `ValueError` with the item's position in front of its
/// message; other errors (a `UnicodeEncodeError`, whose arguments are not a
/// message) as they are.
fn prefix(py: Python<'_>, e: PyErr, position: usize) -> PyErr {
    let message = || format!("pipe item {position}: {}", e.value(py));
    if e.is_instance_of::<PyTypeError>(py) {
        PyTypeError::new_err(message())
    } else if e.is_instance_of::<PyValueError>(py) && !e.is_instance_of::<PyUnicodeError>(py) {
        PyValueError::new_err(message())
    } else {
        e
    }
}

/// A `dct` argument ([`date_arg`]) that must be a date: a `ValueError` if not.
fn dct_arg(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let date = date_arg(value)?;
    if let Some(d) = &date {
        parse_date_field(d).map_err(|e| PyValueError::new_err(format!("dct {e}")))?;
    }
    Ok(date)
}

/// An `id` argument: a str or an int (its decimal text); None or "" means
/// "the default".
fn id_arg(id: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if id.is_none() {
        return Ok(None);
    }
    if let Ok(s) = id.cast::<PyString>() {
        let s = s.to_cow()?;
        return Ok((!s.is_empty()).then(|| s.into_owned()));
    }
    if id.is_instance_of::<pyo3::types::PyInt>() {
        return Ok(Some(id.str()?.to_cow()?.into_owned()));
    }
    Err(PyTypeError::new_err(format!(
        "id must be a str or an int, found {}",
        id.get_type().name()?
    )))
}

/// A date argument as the text the input layer parses: a str as it is, a
/// `date`/`datetime` (or anything else with `isoformat()`, such as a pandas
/// `Timestamp`) by its ISO form; None is no date.
fn date_arg(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Some(s.to_cow()?.into_owned()));
    }
    let py = value.py();
    match value.getattr(intern!(py, "isoformat")) {
        Ok(isoformat) => Ok(Some(isoformat.call0()?.extract()?)),
        Err(_) => Err(PyTypeError::new_err(format!(
            "a date must be a datetime.date or a YYYY-MM-DD str, found {}",
            value.get_type().name()?
        ))),
    }
}

/// A pipeline build error as its Python exception.
fn build_error(py: Python<'_>, e: BuildError) -> PyErr {
    let message = e.to_string();
    let BuildError::Gazetteer(g) = &e else {
        return NewsieError::new_err(message);
    };
    let (path, line) = match g {
        LibGazetteerError::Io { path, .. } | LibGazetteerError::Compiled { path, .. } => {
            (path.clone(), None)
        }
        LibGazetteerError::Invalid { origin, line, .. } => (origin.clone(), Some(*line)),
        _ => (String::new(), None),
    };
    let err = GazetteerError::new_err(message);
    let value = err.value(py);
    // Setting attributes on a fresh exception instance cannot fail short of
    // memory exhaustion, which Python reports on its own.
    let _ = value.setattr(intern!(py, "path"), (!path.is_empty()).then_some(path));
    let _ = value.setattr(intern!(py, "line"), line);
    err
}

/// A record as the dict of its JSON line: the same keys in the same order,
/// the fields a line leaves out left out.
fn record_to_dict<'py>(py: Python<'py>, rec: &Record<'_>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "id"), &*rec.id)?;
    d.set_item(intern!(py, "source"), &*rec.source)?;
    if let Some(error) = &rec.error {
        d.set_item(intern!(py, "error"), error)?;
        return Ok(d);
    }
    d.set_item(intern!(py, "dct"), rec.dct.as_deref())?;
    if let Some(sha) = &rec.text_sha256 {
        d.set_item(intern!(py, "text_sha256"), sha)?;
    }
    if let Some(text) = &rec.text {
        d.set_item(intern!(py, "text"), &**text)?;
    }
    if let Some(sentences) = &rec.sentences {
        let list = PyList::empty(py);
        for s in sentences {
            list.append(span_dict(py, s)?)?;
        }
        d.set_item(intern!(py, "sentences"), list)?;
    }
    let entities = PyList::empty(py);
    for e in &rec.entities {
        entities.append(entity_dict(py, e)?)?;
    }
    d.set_item(intern!(py, "entities"), entities)?;
    let money = PyList::empty(py);
    for m in &rec.money {
        let item = spanned(py, m.start, m.end, &m.text)?;
        item.set_item(intern!(py, "value"), json_value(py, &m.value)?)?;
        item.set_item(intern!(py, "currency"), m.currency.as_deref())?;
        item.set_item(intern!(py, "approx"), m.approx)?;
        item.set_item(intern!(py, "equivalent_of"), m.equivalent_of)?;
        money.append(item)?;
    }
    d.set_item(intern!(py, "money"), money)?;
    let percents = PyList::empty(py);
    for p in &rec.percents {
        let item = spanned(py, p.start, p.end, &p.text)?;
        item.set_item(intern!(py, "value"), json_value(py, &p.value)?)?;
        item.set_item(intern!(py, "modifier"), p.modifier.as_deref())?;
        percents.append(item)?;
    }
    d.set_item(intern!(py, "percents"), percents)?;
    let dates = PyList::empty(py);
    for t in &rec.dates {
        let item = spanned(py, t.start, t.end, &t.text)?;
        item.set_item(intern!(py, "type"), &*t.kind)?;
        item.set_item(intern!(py, "value"), t.value.as_deref())?;
        dates.append(item)?;
    }
    d.set_item(intern!(py, "dates"), dates)?;
    let relations = PyList::empty(py);
    for r in &rec.relations {
        let item = PyDict::new(py);
        item.set_item(intern!(py, "type"), &*r.kind)?;
        item.set_item(intern!(py, "head"), &*r.head)?;
        item.set_item(intern!(py, "tail"), &*r.tail)?;
        if let Some(evidence) = &r.evidence {
            item.set_item(intern!(py, "evidence"), span_dict(py, evidence)?)?;
        }
        if let Some(rule) = &r.rule {
            item.set_item(intern!(py, "rule"), &**rule)?;
        }
        relations.append(item)?;
    }
    d.set_item(intern!(py, "relations"), relations)?;
    if let Some(warnings) = &rec.warnings {
        d.set_item(intern!(py, "warnings"), warnings)?;
    }
    if let Some(tokens) = &rec.tokens {
        d.set_item(intern!(py, "tokens"), json_value(py, tokens)?)?;
    }
    Ok(d)
}

fn entity_dict<'py>(py: Python<'py>, e: &EntityRec<'_>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "id"), &*e.id)?;
    d.set_item(intern!(py, "type"), &*e.kind)?;
    d.set_item(intern!(py, "name"), &*e.name)?;
    let mentions = PyList::empty(py);
    for MentionRec { start, end, text } in &e.mentions {
        mentions.append(spanned(py, *start, *end, text)?)?;
    }
    d.set_item(intern!(py, "mentions"), mentions)?;
    Ok(d)
}

fn span_dict<'py>(py: Python<'py>, s: &SpanRec) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "start"), s.start)?;
    d.set_item(intern!(py, "end"), s.end)?;
    Ok(d)
}

/// `{"start", "end", "text"}`, the head of every span item.
fn spanned<'py>(
    py: Python<'py>,
    start: usize,
    end: usize,
    text: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "start"), start)?;
    d.set_item(intern!(py, "end"), end)?;
    d.set_item(intern!(py, "text"), text)?;
    Ok(d)
}

/// A JSON value as `json.loads` would give it.
fn json_value<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => pyo3::types::PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u), _) => u.into_pyobject(py)?.into_any(),
            (None, None, Some(f)) => f.into_pyobject(py)?.into_any(),
            _ => py.None().into_bound(py),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_value(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let d = PyDict::new(py);
            for (k, item) in map {
                d.set_item(k, json_value(py, item)?)?;
            }
            d.into_any()
        }
    })
}

/// The extension module.
#[pymodule]
fn _newsie(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyPipeline>()?;
    m.add_class::<PipeIter>()?;
    m.add("NewsieError", py.get_type::<NewsieError>())?;
    m.add("GazetteerError", py.get_type::<GazetteerError>())?;
    m.add("DocumentError", py.get_type::<DocumentError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
