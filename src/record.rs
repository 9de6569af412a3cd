//! The output record of SPEC §1, and the conversion of a processed
//! [`Document`] into it: byte offsets become Unicode code-point offsets here,
//! once, through a [`CharIndex`].
//!
//! The same structs read records back (`newsie eval`, `newsie diff`, tests);
//! unknown fields are rejected so the format stays pinned.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::dct::iso_date;
use crate::document::Document;

/// Converts byte offsets of one text into code-point offsets. Keeps one
/// checkpoint every 64 bytes, so a lookup counts at most 63 bytes; ASCII text
/// needs no table at all.
pub struct CharIndex<'a> {
    text: &'a str,
    ascii: bool,
    checkpoints: Vec<u32>,
}

const STRIDE: usize = 64;

impl<'a> CharIndex<'a> {
    /// Builds the index for `text`.
    pub fn new(text: &'a str) -> CharIndex<'a> {
        let ascii = text.is_ascii();
        let mut checkpoints = Vec::new();
        if !ascii {
            let bytes = text.as_bytes();
            checkpoints.reserve(bytes.len() / STRIDE + 1);
            let mut count = 0u32;
            for chunk in bytes.chunks(STRIDE) {
                checkpoints.push(count);
                count += char_starts(chunk);
            }
        }
        CharIndex {
            text,
            ascii,
            checkpoints,
        }
    }

    /// The code-point offset of byte offset `byte` (a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        let k = byte / STRIDE;
        if k >= self.checkpoints.len() {
            return self.text.chars().count();
        }
        let base = self.checkpoints[k] as usize;
        base + char_starts(&self.text.as_bytes()[k * STRIDE..byte]) as usize
    }
}

/// The number of chars starting in `bytes` (bytes that are no UTF-8
/// continuation byte), summed in a form the compiler vectorises.
fn char_starts(bytes: &[u8]) -> u32 {
    bytes.iter().map(|&b| u32::from((b as i8) >= -0x40)).sum()
}

/// `{"start", "end"}` in code points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpanRec {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// One mention of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentionRec {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The text of the span.
    pub text: String,
}

/// One entity and its mentions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRec {
    /// Stable slug.
    pub id: String,
    /// `PERSON`, `ORG`, `GPE` or `PRODUCT`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Canonical name.
    pub name: String,
    /// Every span that names it.
    pub mentions: Vec<MentionRec>,
}

/// A money amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyRec {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The text of the span.
    pub text: String,
    /// The amount.
    pub value: serde_json::Value,
    /// ISO 4217 code.
    pub currency: Option<String>,
    /// A qualifier stood before it.
    #[serde(default)]
    pub approx: bool,
    /// Index of the amount this one converts.
    #[serde(default)]
    pub equivalent_of: Option<usize>,
}

/// A percentage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PercentRec {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The text of the span.
    pub text: String,
    /// The number.
    pub value: serde_json::Value,
    /// `more_than`, `less_than`, `about` or null.
    #[serde(default)]
    pub modifier: Option<String>,
}

/// A date or duration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRec {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The text of the span.
    pub text: String,
    /// `DATE` or `DURATION`.
    #[serde(rename = "type")]
    pub kind: String,
    /// TIMEX3 value or null.
    pub value: Option<String>,
}

/// A relation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationRec {
    /// Relation type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Head entity id.
    pub head: String,
    /// Tail entity id.
    pub tail: String,
    /// The sentence that states it (absent in gold files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<SpanRec>,
    /// The rule that found it (absent in gold files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// One output line: a full record or, with `error` set, an error record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Document id.
    pub id: String,
    /// Where it came from.
    pub source: String,
    /// Why the document could not be processed (error records only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Document creation time.
    #[serde(default, skip_serializing_if = "is_error_absent")]
    pub dct: Option<String>,
    /// SHA-256 of the text (hex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_sha256: Option<String>,
    /// Sentence spans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentences: Option<Vec<SpanRec>>,
    /// Entities.
    #[serde(default)]
    pub entities: Vec<EntityRec>,
    /// Money.
    #[serde(default)]
    pub money: Vec<MoneyRec>,
    /// Percentages.
    #[serde(default)]
    pub percents: Vec<PercentRec>,
    /// Dates and durations.
    #[serde(default)]
    pub dates: Vec<DateRec>,
    /// Relations.
    #[serde(default)]
    pub relations: Vec<RelationRec>,
    /// Warnings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
    /// Model-token layer (only with `--tokenizer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<serde_json::Value>,
}

// `dct` is always written on full records (null when unknown); serde cannot
// see the sibling `error` field, so full records go through `to_json`.
fn is_error_absent(_: &Option<String>) -> bool {
    false
}

impl Record {
    /// An error record: `{"id", "source", "error"}`.
    pub fn error(
        id: impl Into<String>,
        source: impl Into<String>,
        error: impl Into<String>,
    ) -> Record {
        Record {
            id: id.into(),
            source: source.into(),
            error: Some(error.into()),
            dct: None,
            text_sha256: None,
            sentences: None,
            entities: Vec::new(),
            money: Vec::new(),
            percents: Vec::new(),
            dates: Vec::new(),
            relations: Vec::new(),
            warnings: None,
            tokens: None,
        }
    }

    /// Whether this is an error record.
    pub fn is_error(&self) -> bool {
        self.error.is_some()
    }

    /// Builds the record of a processed document.
    pub fn from_document(doc: &Document) -> Record {
        let idx = CharIndex::new(&doc.text);
        let cp = |b: usize| idx.char_offset(b);
        let mut mention_counts = vec![0; doc.entities.len()];
        for m in &doc.mentions {
            mention_counts[m.entity] += 1;
        }
        let mut entities: Vec<EntityRec> = doc
            .entities
            .iter()
            .zip(mention_counts)
            .map(|(e, n)| EntityRec {
                id: e.id.clone(),
                kind: e.kind.as_str().to_string(),
                name: e.name.clone(),
                mentions: Vec::with_capacity(n),
            })
            .collect();
        for m in &doc.mentions {
            entities[m.entity].mentions.push(MentionRec {
                start: cp(m.span.start),
                end: cp(m.span.end),
                text: doc.slice(m.span).to_string(),
            });
        }
        Record {
            id: doc.id.clone(),
            source: doc.source.clone(),
            error: None,
            dct: doc.dct.map(iso_date),
            text_sha256: Some(hex(&Sha256::digest(doc.text.as_bytes()))),
            sentences: Some(
                doc.sentences
                    .iter()
                    .map(|s| SpanRec {
                        start: cp(s.start),
                        end: cp(s.end),
                    })
                    .collect(),
            ),
            entities,
            money: doc
                .money
                .iter()
                .map(|m| MoneyRec {
                    start: cp(m.span.start),
                    end: cp(m.span.end),
                    text: doc.slice(m.span).to_string(),
                    value: m.value.to_json(),
                    currency: Some(m.currency.to_string()),
                    approx: m.approx,
                    equivalent_of: m.equivalent_of,
                })
                .collect(),
            percents: doc
                .percents
                .iter()
                .map(|p| PercentRec {
                    start: cp(p.span.start),
                    end: cp(p.span.end),
                    text: doc.slice(p.span).to_string(),
                    value: p.value.to_json(),
                    modifier: p.modifier.map(|m| m.as_str().to_string()),
                })
                .collect(),
            dates: doc
                .dates
                .iter()
                .map(|d| DateRec {
                    start: cp(d.span.start),
                    end: cp(d.span.end),
                    text: doc.slice(d.span).to_string(),
                    kind: d.kind.as_str().to_string(),
                    value: d.value.clone(),
                })
                .collect(),
            relations: doc
                .relations
                .iter()
                .map(|r| RelationRec {
                    kind: r.kind.as_str().to_string(),
                    head: doc.entities[r.head].id.clone(),
                    tail: doc.entities[r.tail].id.clone(),
                    evidence: Some(SpanRec {
                        start: cp(r.evidence.start),
                        end: cp(r.evidence.end),
                    }),
                    rule: Some(r.rule.to_string()),
                })
                .collect(),
            warnings: Some(doc.warnings.clone()),
            tokens: None,
        }
    }

    /// The record as one JSON object, fields in SPEC §1 order; error records
    /// hold only `id`, `source` and `error`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        if let serde_json::Value::Object(map) = &mut v
            && self.is_error()
        {
            map.retain(|k, _| matches!(k.as_str(), "id" | "source" | "error"));
        }
        v
    }

    /// One JSON line, without the newline.
    pub fn to_line(&self) -> String {
        if self.is_error() {
            return self.to_json().to_string();
        }
        // Full records serialize straight from the structs (no `Value` tree),
        // into a buffer about the size of a typical line, so it rarely grows.
        let mut line = Vec::with_capacity(8 << 10);
        match serde_json::to_writer(&mut line, self) {
            Ok(()) => String::from_utf8(line).unwrap_or_default(),
            Err(_) => String::new(),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|&b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 0xf)]])
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_index_matches_counting() {
        let rows = [
            "plain ascii text",
            "Tencent’s WeChat — “super app” 微信 and €4.34bn",
            &"é".repeat(200),
            "",
        ];
        for text in rows {
            let idx = CharIndex::new(text);
            for (b, _) in text
                .char_indices()
                .chain(std::iter::once((text.len(), ' ')))
            {
                assert_eq!(
                    idx.char_offset(b),
                    text[..b].chars().count(),
                    "{text:?} at {b}"
                );
            }
        }
    }

    #[test]
    fn error_records_hold_three_fields() {
        let line = Record::error("a", "a.txt", "boom").to_line();
        assert_eq!(line, r#"{"id":"a","source":"a.txt","error":"boom"}"#);
    }
}
