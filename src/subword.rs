//! The model-token layer: a record's extractions aligned to a model's own
//! subword tokens, with the Hugging Face `tokenizers` crate, as BIO tags, and
//! training windows for token classification (`newsie export-ner`).
//!
//! Offsets are the tokenizer's character offsets (`encode_char_offsets`), i.e.
//! Unicode code points, as the Python library reports them. A token is tagged by
//! where it starts: `B-<LABEL>` when it is the first token starting inside a
//! span, `I-<LABEL>` for the next ones, `O` outside. A zero-width token (a BPE
//! space token whose offsets were trimmed) is `O`. Labels are the entity
//! types plus `MONEY`, `PERCENT` and `DATE` (dates and durations); where spans of
//! different layers overlap, the pipeline's overlap policy picks one.

use std::path::Path;

use serde::Serialize;
use tokenizers::{Encoding, PostProcessor, Tokenizer, TruncationDirection};

use crate::entities::resolve_overlaps;
use crate::error::TokenizerError;
use crate::record::Record;

/// Every label, in id order (`O` is 0).
pub const LABELS: [&str; 15] = [
    "O",
    "B-PERSON",
    "I-PERSON",
    "B-ORG",
    "I-ORG",
    "B-GPE",
    "I-GPE",
    "B-PRODUCT",
    "I-PRODUCT",
    "B-MONEY",
    "I-MONEY",
    "B-PERCENT",
    "I-PERCENT",
    "B-DATE",
    "I-DATE",
];

/// The label id of special tokens in training windows (ignored by the loss).
pub const IGNORE: i64 = -100;

/// The `tokens` field of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenLayer {
    /// Vocabulary ids.
    pub ids: Vec<u32>,
    /// `[start, end]` in code points.
    pub offsets: Vec<[usize; 2]>,
    /// One BIO tag per token.
    pub tags: Vec<&'static str>,
}

/// One training window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    /// Document id.
    pub id: String,
    /// Ids with the tokenizer's special tokens.
    pub input_ids: Vec<u32>,
    /// 1 for every token (windows are not padded).
    pub attention_mask: Vec<u32>,
    /// Label ids (see [`LABELS`]), [`IGNORE`] on special tokens.
    pub labels: Vec<i64>,
}

/// A labelled span in code points.
#[derive(Debug, Clone, Copy)]
struct Labelled {
    start: usize,
    end: usize,
    /// Index into LABELS of the `B-` label.
    b: usize,
}

fn b_label(kind: &str) -> usize {
    LABELS
        .iter()
        .position(|l| l.strip_prefix("B-") == Some(kind))
        .unwrap_or(0)
}

/// The spans of a record that get tags, non-overlapping, sorted.
fn labelled_spans(rec: &Record) -> Vec<Labelled> {
    let mut spans: Vec<(Labelled, u8)> = Vec::new();
    for e in &rec.entities {
        for m in &e.mentions {
            spans.push((
                Labelled {
                    start: m.start,
                    end: m.end,
                    b: b_label(&e.kind),
                },
                0,
            ));
        }
    }
    spans.extend(rec.money.iter().map(|m| {
        (
            Labelled {
                start: m.start,
                end: m.end,
                b: b_label("MONEY"),
            },
            1,
        )
    }));
    spans.extend(rec.percents.iter().map(|p| {
        (
            Labelled {
                start: p.start,
                end: p.end,
                b: b_label("PERCENT"),
            },
            2,
        )
    }));
    spans.extend(rec.dates.iter().map(|d| {
        (
            Labelled {
                start: d.start,
                end: d.end,
                b: b_label("DATE"),
            },
            3,
        )
    }));
    let keep = resolve_overlaps(
        &spans,
        |(l, _)| crate::Span::new(l.start, l.end),
        |(_, p)| *p,
    );
    keep.into_iter().map(|i| spans[i].0).collect()
}

/// Label ids for tokens with these code-point offsets (`None` marks a special token).
fn label_ids(
    spans: &[Labelled],
    offsets: impl Iterator<Item = Option<(usize, usize)>>,
) -> Vec<i64> {
    let mut out = Vec::new();
    let mut last_span: Option<usize> = None;
    for off in offsets {
        let Some((start, end)) = off else {
            out.push(IGNORE);
            continue;
        };
        // The span holding the token's start (spans are sorted and disjoint).
        let k = spans.partition_point(|s| s.end <= start);
        let inside = spans
            .get(k)
            .filter(|s| s.start <= start && start < s.end && end > start);
        match inside {
            Some(s) => {
                let id = if last_span == Some(k) { s.b + 1 } else { s.b };
                last_span = Some(k);
                out.push(id as i64);
            }
            None => {
                out.push(0);
                // A token outside every span ends the run; an empty token does not.
                if end > start {
                    last_span = None;
                }
            }
        }
    }
    out
}

/// A loaded tokenizer, shared by all threads.
pub struct SubwordTagger {
    tokenizer: Tokenizer,
}

impl SubwordTagger {
    /// Loads a `tokenizer.json`.
    pub fn from_file(path: &Path) -> Result<SubwordTagger, TokenizerError> {
        let tokenizer = Tokenizer::from_file(path).map_err(|e| TokenizerError {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Ok(SubwordTagger { tokenizer })
    }

    fn encode(&self, text: &str) -> Result<Encoding, String> {
        self.tokenizer
            .encode_char_offsets(text, false)
            .map_err(|e| e.to_string())
    }

    /// The token layer of a record made from `text`.
    pub fn layer(&self, text: &str, rec: &Record) -> Result<TokenLayer, String> {
        let enc = self.encode(text)?;
        let spans = labelled_spans(rec);
        let tags = label_ids(&spans, enc.get_offsets().iter().map(|&o| Some(o)))
            .into_iter()
            .map(|id| LABELS[id as usize])
            .collect();
        Ok(TokenLayer {
            ids: enc.get_ids().to_vec(),
            offsets: enc.get_offsets().iter().map(|&(s, e)| [s, e]).collect(),
            tags,
        })
    }

    /// The text tokens a window of `max_length` tokens holds besides the
    /// special tokens; an error when that leaves no more than `stride` (the
    /// windows could not advance).
    pub fn window_room(&self, max_length: usize, stride: usize) -> Result<usize, String> {
        let specials = self
            .tokenizer
            .get_post_processor()
            .map_or(0, |p| p.added_tokens(false));
        max_length.checked_sub(specials).filter(|&r| r > stride).ok_or_else(|| {
            format!("--max-length {max_length} leaves no room for --stride {stride} besides {specials} special tokens")
        })
    }

    /// Training windows of at most `max_length` tokens (special tokens
    /// included) that overlap by `stride` tokens.
    pub fn windows(
        &self,
        text: &str,
        rec: &Record,
        max_length: usize,
        stride: usize,
    ) -> Result<Vec<Window>, String> {
        let room = self.window_room(max_length, stride)?;
        let mut enc = self.encode(text)?;
        enc.truncate(room, stride, TruncationDirection::Right);
        let mut pieces = vec![];
        let overflowing = enc.take_overflowing();
        pieces.push(enc);
        pieces.extend(overflowing);
        let spans = labelled_spans(rec);
        let mut out = Vec::with_capacity(pieces.len());
        for piece in pieces {
            let processed = self
                .tokenizer
                .post_process(piece, None, true)
                .map_err(|e| e.to_string())?;
            let special = processed.get_special_tokens_mask();
            let offsets = processed
                .get_offsets()
                .iter()
                .zip(special)
                .map(|(&o, &s)| (s == 0).then_some(o));
            out.push(Window {
                id: rec.id.to_string(),
                input_ids: processed.get_ids().to_vec(),
                attention_mask: vec![1; processed.len()],
                labels: label_ids(&spans, offsets),
            });
        }
        Ok(out)
    }
}

/// The label list as written to `labels.json`: `id2label` and `label2id`.
pub fn labels_json() -> serde_json::Value {
    let id2label: serde_json::Map<String, serde_json::Value> = LABELS
        .iter()
        .enumerate()
        .map(|(i, l)| (i.to_string(), (*l).into()))
        .collect();
    let label2id: serde_json::Map<String, serde_json::Value> = LABELS
        .iter()
        .enumerate()
        .map(|(i, l)| (l.to_string(), i.into()))
        .collect();
    serde_json::json!({ "id2label": id2label, "label2id": label2id })
}

#[cfg(test)]
mod tests;
