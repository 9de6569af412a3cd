//! # newsie
//!
//! An information-extraction pipeline for news articles: entities (with stable
//! ids from gazetteers), money, percentages, dates and durations (TIMEX3), and
//! typed relations, written as one JSON record per article (see `docs/FORMAT.md`).
//!
//! ```
//! use newsie::{PipelineBuilder, Record};
//!
//! let pipeline = PipelineBuilder::new().build()?;
//! let doc = pipeline.process_text(
//!     "demo",
//!     "demo.txt",
//!     " date 2021-04-10 China's State Administration for Market Regulation \
//!      fined Alibaba 18.2 billion yuan ($2.8 billion) last year.",
//!     None,
//! );
//! let record = Record::from_document(&doc);
//! assert_eq!(record.money[0].text, "18.2 billion yuan");
//! assert_eq!(record.relations[0].kind, "fined");
//! # Ok::<(), newsie::pipeline::BuildError>(())
//! ```
//!
//! The pipeline is a fixed sequence of [`Stage`]s over one shared
//! [`Document`]: tokenize → sentences → document date → entities →
//! money/percents → dates → relations, then any stages of the user's own
//! ([`PipelineBuilder::stage`]). Every stage adds a stand-off layer with
//! byte offsets into the untouched text; [`Record`] converts them to code-point
//! offsets for output.
//!
//! ## Cargo features
//!
//! * `cli` (default): the `newsie` command-line binary, with the crates only
//!   it needs (clap, indicatif, anyhow, tempfile, mimalloc). A program that
//!   uses the library alone can leave it out:
//!   `newsie = { version = "0.1", default-features = false }`.
//! * `parquet` (with `cli`): [`tables`], records as Parquet tables, and
//!   Parquet files as input (the `arrow` and `parquet` crates).

#![deny(missing_docs)]

pub mod dates;
pub mod dct;
pub mod diff;
mod digest;
pub mod document;
pub mod entities;
pub mod error;
pub mod eval;
pub mod gazetteer;
pub mod input;
pub mod lexicon;
pub mod money;
pub mod pipeline;
pub mod record;
pub mod relations;
pub mod report;
pub mod runner;
pub mod sentences;
pub mod stage;
pub mod subword;
#[cfg(feature = "parquet")]
pub mod tables;
pub mod tokenize;

pub use document::{Document, EntityType, RelationType, Span};
pub use error::{DocumentError, GazetteerError, LexiconError, RecordsError, TokenizerError};
pub use input::{InputDoc, InputFormat, Inputs};
pub use lexicon::use_lexicon_dir;
pub use pipeline::{BuildError, Pipeline, PipelineBuilder};
pub use record::Record;
pub use runner::{RunSummary, Runner};
pub use stage::Stage;

/// Digest of the built-in knowledge, gazetteers and lexicon files (16 hex
/// digits of SHA-256, made at build time): which data a build carries.
pub const DATA_DIGEST: &str = env!("NEWSIE_DATA_DIGEST");
