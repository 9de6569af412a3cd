//! Typed errors of the library.
//!
//! The error enums are `#[non_exhaustive]`: new causes may come in a minor
//! release, so a `match` outside this crate needs a `_` arm.

use thiserror::Error;

/// A gazetteer could not be loaded.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GazetteerError {
    /// The file could not be read.
    #[error("{path}: cannot read gazetteer: {message}")]
    Io {
        /// The file.
        path: String,
        /// What the OS said.
        message: String,
    },
    /// A compiled gazetteer (`.ngz`) is damaged or of another format version.
    #[error("{path}: cannot use compiled gazetteer: {message}")]
    Compiled {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A line is malformed or conflicts with another.
    #[error("{origin}:{line}: {message}")]
    Invalid {
        /// The file (or built-in name).
        origin: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// A lexicon file (word lists, the currency table) is malformed.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{origin}{}: {message}", if *line > 0 { format!(":{line}") } else { String::new() })]
pub struct LexiconError {
    /// The file (or built-in name), or a `--lexicon` directory.
    pub origin: String,
    /// 1-based line number; 0 when the error is not on a line (a file that
    /// cannot be read, a file name no lexicon file has).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl LexiconError {
    pub(crate) fn new(origin: &str, line: usize, message: String) -> LexiconError {
        LexiconError {
            origin: origin.to_string(),
            line,
            message,
        }
    }
}

/// Why one input document could not be turned into a record. Written as the
/// `error` field of an error record; the run goes on.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocumentError {
    /// The file could not be read.
    #[error("cannot read {path}: {message}")]
    Read {
        /// The path.
        path: String,
        /// What the OS said.
        message: String,
    },
    /// The bytes look like a binary file, not text.
    #[error("binary content (NUL bytes or mostly non-text); not an article")]
    Binary,
    /// The document is larger than `--max-doc-bytes`.
    #[error("document is larger than the limit of {limit} bytes (--max-doc-bytes)")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// A JSONL line is not a JSON object.
    #[error("line {line}: not a JSON object: {message}")]
    BadJson {
        /// 1-based line number.
        line: usize,
        /// What the parser said.
        message: String,
    },
    /// A JSONL record lacks a string `text`.
    #[error("line {line}: {message}")]
    BadField {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// An HTML page in which no article text was found.
    #[error("no article text found in the HTML page: {message}")]
    Html {
        /// What the extractor said.
        message: String,
    },
}

/// An error of `newsie eval` or `newsie diff` input.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RecordsError {
    /// A file could not be read (or the output written): the path, then
    /// what the OS said (the error's source).
    #[error("{path}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A line is not a valid record.
    #[error("{path}:{line}: not a valid record: {message}")]
    Parse {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What the parser said.
        message: String,
    },
}

/// A `tokenizer.json` could not be loaded.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{path}: cannot load tokenizer: {message}")]
pub struct TokenizerError {
    /// The file.
    pub path: String,
    /// What the tokenizers library said.
    pub message: String,
}
