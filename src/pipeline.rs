//! The pipeline: stages in a fixed order, built once, shared by all threads.
//! The batch runner that streams input documents through it is
//! [`Runner`](crate::runner::Runner).

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
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
use crate::record::{Provenance, Record};
use crate::relations::RelationExtractor;
use crate::sentences::SentenceSplitter;
use crate::stage::Stage;
use crate::subword::SubwordTagger;
use crate::tokenize::Tokenizer;

/// Why a pipeline could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
    /// More stages than the stage timings hold.
    #[error("{stages} stages: a pipeline holds at most {max} (the built-in ones included)")]
    TooManyStages {
        /// The stages asked for, the built-in ones included.
        stages: usize,
        /// The most a pipeline holds.
        max: usize,
    },
}

/// Default `--max-doc-bytes`: 16 MiB (news articles are kilobytes; this bounds memory).
pub const DEFAULT_MAX_DOC_BYTES: usize = 16 << 20;

/// Builds a [`Pipeline`].
///
/// ```
/// let pipeline = newsie::PipelineBuilder::new().build().unwrap();
/// let doc = pipeline.process_text("a", "a.txt", " date 2021-03-17 Tencent sued ByteDance on Monday.", None);
/// assert_eq!(doc.entities[0].id, "tencent");
/// ```
#[derive(Clone, Default)]
pub struct PipelineBuilder {
    tokenizer_file: Option<PathBuf>,
    gazetteer_files: Vec<PathBuf>,
    no_builtin: bool,
    dct: Option<NaiveDate>,
    max_doc_bytes: Option<usize>,
    strict_gazetteers: bool,
    /// A user's stages, run after the built-in ones.
    extra_stages: Vec<Arc<dyn Stage>>,
}

impl std::fmt::Debug for PipelineBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let extra: Vec<&str> = self.extra_stages.iter().map(|s| s.name()).collect();
        f.debug_struct("PipelineBuilder")
            .field("tokenizer_file", &self.tokenizer_file)
            .field("gazetteer_files", &self.gazetteer_files)
            .field("no_builtin", &self.no_builtin)
            .field("dct", &self.dct)
            .field("max_doc_bytes", &self.max_doc_bytes)
            .field("strict_gazetteers", &self.strict_gazetteers)
            .field("extra_stages", &extra)
            .finish()
    }
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

    /// Makes a full alias that two entities share an error (as for curated
    /// lists) instead of an ambiguity the document or `rank=` resolves.
    pub fn strict_gazetteers(mut self, strict: bool) -> Self {
        self.strict_gazetteers = strict;
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

    /// Appends a user's stage: it runs after the built-in stages (and after
    /// the stages added before it) on every document, and its time shows in
    /// [`Pipeline::stage_timings`] under its [`name`](Stage::name). A
    /// pipeline holds at most 16 stages, the 7 built-in ones included.
    ///
    /// ```
    /// use newsie::{Document, EntityType, PipelineBuilder, Record, Stage};
    ///
    /// /// Flags documents that name no organisation.
    /// struct FlagNoOrg;
    ///
    /// impl Stage for FlagNoOrg {
    ///     fn name(&self) -> &'static str {
    ///         "no-org"
    ///     }
    ///
    ///     fn process(&self, doc: &mut Document) {
    ///         // The built-in layers are there: entities, money, dates, relations.
    ///         if !doc.entities.iter().any(|e| e.kind == EntityType::Org) {
    ///             doc.warnings.push("no organisation named".into());
    ///         }
    ///     }
    /// }
    ///
    /// let pipeline = PipelineBuilder::new().stage(FlagNoOrg).build()?;
    /// let doc = pipeline.process_text("a", "a.txt", "Prices rose 3% in May.", None);
    /// assert_eq!(doc.warnings, ["no organisation named"]);
    /// let doc = pipeline.process_text("b", "b.txt", "Tencent sued ByteDance.", None);
    /// assert!(doc.warnings.is_empty());
    /// // The warning is part of the record.
    /// let doc = pipeline.process_text("c", "c.txt", "Hello.", None);
    /// let record = Record::from_document(&doc);
    /// assert_eq!(record.warnings, Some(vec!["no organisation named".to_string()]));
    /// let names: Vec<&str> = pipeline.stage_timings().iter().map(|t| t.0).collect();
    /// assert_eq!(names.last(), Some(&"no-org"));
    /// # Ok::<(), newsie::BuildError>(())
    /// ```
    pub fn stage(mut self, stage: impl Stage + 'static) -> Self {
        self.extra_stages.push(Arc::new(stage));
        self
    }

    /// Loads gazetteers and compiles every automaton and pattern.
    pub fn build(self) -> Result<Pipeline, BuildError> {
        crate::money::check_lexicon()?;
        crate::lexicon::check()?;
        let mut gazetteer = if self.no_builtin {
            Gazetteer::default()
        } else {
            Gazetteer::builtin()?
        };
        for f in &self.gazetteer_files {
            gazetteer.add_file(f)?;
        }
        if self.strict_gazetteers {
            gazetteer.check_aliases()?;
        }
        let notes = gazetteer
            .replacements()
            .iter()
            .map(|&(user, _)| {
                let e = gazetteer.entry(user);
                format!(
                    "{}: {:?} replaces the built-in entry with this id",
                    e.origin(),
                    e.id()
                )
            })
            .collect();
        let relations = RelationExtractor::new(&gazetteer);
        let money = MoneyTagger::new(&gazetteer);
        let entities = EntityTagger::new(gazetteer)?;
        let mut stages: Vec<Box<dyn Stage>> = vec![
            Box::new(Tokenizer),
            Box::new(SentenceSplitter),
            Box::new(DctDetector { default: self.dct }),
            Box::new(entities),
            Box::new(money),
            Box::new(DateTagger),
            Box::new(relations),
        ];
        stages.extend(
            self.extra_stages
                .into_iter()
                .map(|s| Box::new(s) as Box<dyn Stage>),
        );
        // `run` times the stages with one clock slot each.
        if stages.len() > MAX_STAGES {
            return Err(BuildError::TooManyStages {
                stages: stages.len(),
                max: MAX_STAGES,
            });
        }
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
            builtin_gazetteers: !self.no_builtin,
            gazetteer_files: self.gazetteer_files,
            notes,
            provenance: OnceLock::new(),
        })
    }
}

/// The most stages a pipeline holds, which its [`StageClock`]s time: 16
/// counters fill the clock's 128 bytes exactly.
const MAX_STAGES: usize = 16;
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
    /// Whether the built-in gazetteers are in use, and the user's files.
    builtin_gazetteers: bool,
    gazetteer_files: Vec<PathBuf>,
    /// Built-in entries the user's gazetteers replaced: one note each.
    notes: Vec<String>,
    /// Made on first use (it reads the user's files again).
    provenance: OnceLock<Provenance>,
}

impl Pipeline {
    /// The size limit for one document, in bytes.
    pub fn max_doc_bytes(&self) -> usize {
        self.max_doc_bytes
    }

    /// Notes on how the gazetteers loaded: each built-in entry a user
    /// gazetteer replaced (same id), with the user's file and line.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The newsie version and the digest of the knowledge this pipeline
    /// uses: [`DATA_DIGEST`](crate::DATA_DIGEST) when that is the built-in
    /// data alone, else a digest of it, the user's gazetteer files (their
    /// bytes, read again) and `--lexicon` files, and whether the built-in
    /// gazetteers are left out.
    pub fn provenance(&self) -> &Provenance {
        self.provenance.get_or_init(|| {
            let replaced = crate::lexicon::replacement_files();
            let gazetteers = if self.builtin_gazetteers
                && self.gazetteer_files.is_empty()
                && replaced.is_empty()
            {
                crate::DATA_DIGEST.to_string()
            } else {
                let mut parts: Vec<(String, Vec<u8>)> = vec![(
                    format!("built-in data {}", crate::DATA_DIGEST),
                    vec![u8::from(self.builtin_gazetteers)],
                )];
                for (name, text) in replaced {
                    parts.push((format!("lexicon/{name}"), text.as_bytes().to_vec()));
                }
                for path in &self.gazetteer_files {
                    // Unreadable now: the build read it; name the failure.
                    let bytes = std::fs::read(path).unwrap_or_else(|e| e.to_string().into_bytes());
                    parts.push((path.display().to_string(), bytes));
                }
                crate::digest::digest16(&parts)
            };
            Provenance {
                newsie: env!("CARGO_PKG_VERSION").to_string(),
                gazetteers,
            }
        })
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
        doc.text_in_record = content.text_in_record;
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
pub(crate) fn line_room(text_bytes: usize, docs: usize) -> usize {
    2 * text_bytes + 2048 * docs
}

/// Appends an error record's line and a newline; true (it is an error record).
fn push_line(out: &mut Vec<u8>, error_record: &Record) -> bool {
    out.extend_from_slice(error_record.to_line().as_bytes());
    out.push(b'\n');
    true
}

/// What a panic said, when it said it with a string (as `panic!` does).
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a stage panicked")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::input::test_doc as doc;
    use crate::runner::Runner;
    use rayon::prelude::*;

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
        let pipeline = PipelineBuilder::new()
            .stage(PanicsOnBoom)
            .build()
            .expect("built-in pipeline");
        let texts = ["Alibaba rose 3%.", "boom", "Tencent fell 2%."];
        let inputs = texts.iter().enumerate().map(|(i, t)| {
            let mut d = doc(i, 0);
            if let Ok(content) = &mut d.content {
                content.text = t.to_string();
            }
            d
        });
        let mut out = Vec::new();
        let summary = Runner::new()
            .batch_docs(2)
            .batch_bytes(1000)
            .run(&pipeline, inputs, &mut out)
            .expect("run");
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

    #[test]
    fn user_stages_run_after_the_built_in_ones_in_order() {
        /// Records which stages ran before it, in the document's warnings.
        struct Note(&'static str);
        impl Stage for Note {
            fn name(&self) -> &'static str {
                self.0
            }
            fn process(&self, doc: &mut Document) {
                let seen = format!("{} after {} relations", self.0, doc.relations.len());
                doc.warnings.push(seen);
            }
        }
        let pipeline = PipelineBuilder::new()
            .stage(Note("first"))
            .stage(Box::new(Note("second")) as Box<dyn Stage>)
            .build()
            .expect("pipeline");
        let doc = pipeline.process_text("a", "t", "Tencent sued ByteDance on Monday.", None);
        assert_eq!(
            doc.warnings,
            ["first after 1 relations", "second after 1 relations"]
        );
        let names: Vec<&str> = pipeline.stage_timings().iter().map(|t| t.0).collect();
        assert_eq!(names.len(), 9);
        assert_eq!(names[7..], ["first", "second"]);

        let mut builder = PipelineBuilder::new();
        for _ in 0..MAX_STAGES - 7 {
            builder = builder.stage(Note("n"));
        }
        assert!(builder.clone().build().is_ok());
        assert!(matches!(
            builder.stage(Note("one too many")).build(),
            Err(BuildError::TooManyStages {
                stages: 17,
                max: 16
            })
        ));
    }
}
