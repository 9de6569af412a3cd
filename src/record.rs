//! The output record of SPEC §1, and the conversion of a processed
//! [`Document`] into it: byte offsets become Unicode code-point offsets here,
//! once, through a [`CharIndex`].
//!
//! The same structs read records back (`newsie eval`, `newsie diff`, tests);
//! unknown fields are rejected so the format stays pinned.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::dct::iso_date;
use crate::document::Document;

mod line;
mod read;
pub(crate) use line::sha256_hex;
pub use line::write_record;
pub use read::{ReadRecord, RecordLines};

/// Converts byte offsets of one text into code-point offsets. Keeps the
/// count of chars before every 8-byte word, so a lookup counts the chars of
/// at most 7 bytes, in one word; ASCII text needs no table at all.
pub struct CharIndex<'a> {
    text: &'a str,
    ascii: bool,
    /// Per 8-byte word of the text: the chars that start before it.
    before_word: Vec<u32>,
}

impl<'a> CharIndex<'a> {
    /// Builds the index for `text`.
    pub fn new(text: &'a str) -> CharIndex<'a> {
        let ascii = text.is_ascii();
        let mut before_word = Vec::new();
        if !ascii {
            let bytes = text.as_bytes();
            before_word.reserve(bytes.len() / 8 + 1);
            let mut count = 0u32;
            let chunks = bytes.chunks_exact(64);
            let rest = chunks.remainder();
            for chunk in chunks {
                // Most 64-byte pieces of mostly-ASCII text are all ASCII: 8
                // chars a word, no word taken apart.
                if chunk.is_ascii() {
                    before_word.extend((0..8).map(|k| count + 8 * k));
                    count += 64;
                } else {
                    count = count_words(chunk, count, &mut before_word);
                }
            }
            count = count_words(&rest[..rest.len() / 8 * 8], count, &mut before_word);
            // The word holding the end of the text (or starting right at it).
            before_word.push(count);
        }
        CharIndex {
            text,
            ascii,
            before_word,
        }
    }

    /// The code-point offset of byte offset `byte` (a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        let (k, within) = (byte / 8, byte % 8);
        let Some(&before) = self.before_word.get(k) else {
            return self.text.chars().count();
        };
        if within == 0 {
            return before as usize;
        }
        let bytes = self.text.as_bytes();
        let word = match bytes.get(k * 8..k * 8 + 8) {
            Some(w) => u64::from_le_bytes(w.try_into().unwrap_or_default()),
            None => {
                // The text's last, partial word, zero-padded.
                let mut w = [0u8; 8];
                w[..bytes.len() - k * 8].copy_from_slice(&bytes[k * 8..]);
                u64::from_le_bytes(w)
            }
        };
        // Its first `within` bytes (little-endian: the low ones); zeros are
        // no continuation bytes.
        let first = word & ((1u64 << (within * 8)) - 1);
        before as usize + within - continuations(first) as usize
    }
}

/// Pushes the count of chars before each 8-byte word of `words` (a whole
/// number of words), starting from `count`; returns the count after them.
fn count_words(words: &[u8], mut count: u32, before_word: &mut Vec<u32>) -> u32 {
    for w in words.chunks_exact(8) {
        before_word.push(count);
        let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
        count += if w & 0x8080_8080_8080_8080 == 0 {
            8
        } else {
            8 - continuations(w)
        };
    }
    count
}

/// The number of UTF-8 continuation bytes (`10xxxxxx`) in the 8 bytes of `w`:
/// each byte's flag in its own lane, the lanes summed by one multiplication
/// (they add up to at most 8, so no lane carries into the next).
fn continuations(w: u64) -> u32 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let lanes = (w & !(w << 1) & HIGH) >> 7;
    (lanes.wrapping_mul(0x0101_0101_0101_0101) >> 56) as u32
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
pub struct MentionRec<'a> {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The text of the span.
    pub text: Cow<'a, str>,
}

/// One entity and its mentions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRec<'a> {
    /// Stable slug.
    pub id: Cow<'a, str>,
    /// `PERSON`, `ORG`, `GPE` or `PRODUCT`.
    #[serde(rename = "type")]
    pub kind: Cow<'a, str>,
    /// Canonical name.
    pub name: Cow<'a, str>,
    /// Every span that names it.
    pub mentions: Vec<MentionRec<'a>>,
}

/// A money amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyRec<'a> {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The text of the span.
    pub text: Cow<'a, str>,
    /// The amount.
    pub value: serde_json::Value,
    /// ISO 4217 code.
    pub currency: Option<Cow<'a, str>>,
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
pub struct PercentRec<'a> {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The text of the span.
    pub text: Cow<'a, str>,
    /// The number.
    pub value: serde_json::Value,
    /// `more_than`, `less_than`, `about` or null.
    #[serde(default)]
    pub modifier: Option<Cow<'a, str>>,
}

/// A date or duration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRec<'a> {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The text of the span.
    pub text: Cow<'a, str>,
    /// `DATE` or `DURATION`.
    #[serde(rename = "type")]
    pub kind: Cow<'a, str>,
    /// TIMEX3 value or null.
    pub value: Option<Cow<'a, str>>,
}

/// A relation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationRec<'a> {
    /// Relation type.
    #[serde(rename = "type")]
    pub kind: Cow<'a, str>,
    /// Head entity id.
    pub head: Cow<'a, str>,
    /// Tail entity id.
    pub tail: Cow<'a, str>,
    /// The sentence that states it (absent in gold files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<SpanRec>,
    /// The rule that found it (absent in gold files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Cow<'a, str>>,
}

/// One output line: a full record or, with `error` set, an error record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record<'a> {
    /// Document id.
    pub id: Cow<'a, str>,
    /// Where it came from.
    pub source: Cow<'a, str>,
    /// Why the document could not be processed (error records only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Document creation time.
    #[serde(default, skip_serializing_if = "is_error_absent")]
    pub dct: Option<String>,
    /// SHA-256 of the text (hex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_sha256: Option<String>,
    /// The text the offsets count in, when it is not an input field as it is
    /// (a headline put first, a page's extracted text) or was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Cow<'a, str>>,
    /// Sentence spans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentences: Option<Vec<SpanRec>>,
    /// Entities.
    #[serde(default)]
    pub entities: Vec<EntityRec<'a>>,
    /// Money.
    #[serde(default)]
    pub money: Vec<MoneyRec<'a>>,
    /// Percentages.
    #[serde(default)]
    pub percents: Vec<PercentRec<'a>>,
    /// Dates and durations.
    #[serde(default)]
    pub dates: Vec<DateRec<'a>>,
    /// Relations.
    #[serde(default)]
    pub relations: Vec<RelationRec<'a>>,
    /// Warnings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
    /// Model-token layer (only with `--tokenizer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<serde_json::Value>,
    /// What made the record (only with `extract --provenance`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// What made a record: the newsie version and the digest of the knowledge
/// it used (`extract --provenance`; see [`Pipeline::provenance`](crate::Pipeline::provenance)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The newsie version (`0.1.0`).
    pub newsie: String,
    /// SHA-256 (16 hex digits) of the gazetteers and lexicon files in use:
    /// the built-in ones' digest alone unless user files were given.
    pub gazetteers: String,
}

impl Provenance {
    /// The record field, `,"provenance":{…}`, as the line writer appends it
    /// before a record's closing brace.
    pub fn field(&self) -> String {
        format!(
            ",\"provenance\":{}",
            serde_json::to_string(self).expect("two strings serialize")
        )
    }
}

// `dct` is always written on full records (null when unknown); serde cannot
// see the sibling `error` field, so full records go through `to_json`.
fn is_error_absent(_: &Option<String>) -> bool {
    false
}

impl<'a> Record<'a> {
    /// An error record: `{"id", "source", "error"}`.
    pub fn error(
        id: impl Into<String>,
        source: impl Into<String>,
        error: impl Into<String>,
    ) -> Record<'static> {
        Record {
            id: Cow::Owned(id.into()),
            source: Cow::Owned(source.into()),
            error: Some(error.into()),
            dct: None,
            text_sha256: None,
            text: None,
            sentences: None,
            entities: Vec::new(),
            money: Vec::new(),
            percents: Vec::new(),
            dates: Vec::new(),
            relations: Vec::new(),
            warnings: None,
            tokens: None,
            provenance: None,
        }
    }

    /// The record with every string owned (no longer tied to the document).
    pub fn into_owned(self) -> Record<'static> {
        let owned_opt = |s: Option<Cow<'_, str>>| s.map(owned);
        Record {
            id: owned(self.id),
            source: owned(self.source),
            error: self.error,
            dct: self.dct,
            text_sha256: self.text_sha256,
            text: owned_opt(self.text),
            sentences: self.sentences,
            entities: self
                .entities
                .into_iter()
                .map(|e| EntityRec {
                    id: owned(e.id),
                    kind: owned(e.kind),
                    name: owned(e.name),
                    mentions: e
                        .mentions
                        .into_iter()
                        .map(|m| MentionRec {
                            start: m.start,
                            end: m.end,
                            text: owned(m.text),
                        })
                        .collect(),
                })
                .collect(),
            money: self
                .money
                .into_iter()
                .map(|m| MoneyRec {
                    text: owned(m.text),
                    currency: owned_opt(m.currency),
                    ..m
                })
                .collect(),
            percents: self
                .percents
                .into_iter()
                .map(|p| PercentRec {
                    text: owned(p.text),
                    modifier: owned_opt(p.modifier),
                    ..p
                })
                .collect(),
            dates: self
                .dates
                .into_iter()
                .map(|d| DateRec {
                    start: d.start,
                    end: d.end,
                    text: owned(d.text),
                    kind: owned(d.kind),
                    value: owned_opt(d.value),
                })
                .collect(),
            relations: self
                .relations
                .into_iter()
                .map(|r| RelationRec {
                    kind: owned(r.kind),
                    head: owned(r.head),
                    tail: owned(r.tail),
                    evidence: r.evidence,
                    rule: owned_opt(r.rule),
                })
                .collect(),
            warnings: self.warnings,
            tokens: self.tokens,
            provenance: self.provenance,
        }
    }

    /// Whether this is an error record.
    pub fn is_error(&self) -> bool {
        self.error.is_some()
    }

    /// Builds the record of a processed document.
    pub fn from_document(doc: &'a Document) -> Record<'a> {
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
                id: Cow::Borrowed(&e.id),
                kind: Cow::Borrowed(e.kind.as_str()),
                name: Cow::Borrowed(&e.name),
                mentions: Vec::with_capacity(n),
            })
            .collect();
        for m in &doc.mentions {
            entities[m.entity].mentions.push(MentionRec {
                start: cp(m.span.start),
                end: cp(m.span.end),
                text: Cow::Borrowed(doc.slice(m.span)),
            });
        }
        Record {
            id: Cow::Borrowed(&doc.id),
            source: Cow::Borrowed(&doc.source),
            error: None,
            dct: doc.dct.map(iso_date),
            text_sha256: Some(sha256_hex(&doc.text)),
            text: doc
                .text_in_record
                .then_some(Cow::Borrowed(doc.text.as_str())),
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
                    text: Cow::Borrowed(doc.slice(m.span)),
                    value: m.value.to_json(),
                    currency: Some(Cow::Borrowed(m.currency)),
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
                    text: Cow::Borrowed(doc.slice(p.span)),
                    value: p.value.to_json(),
                    modifier: p.modifier.map(|m| Cow::Borrowed(m.as_str())),
                })
                .collect(),
            dates: doc
                .dates
                .iter()
                .map(|d| DateRec {
                    start: cp(d.span.start),
                    end: cp(d.span.end),
                    text: Cow::Borrowed(doc.slice(d.span)),
                    kind: Cow::Borrowed(d.kind.as_str()),
                    value: d.value.as_deref().map(Cow::Borrowed),
                })
                .collect(),
            relations: doc
                .relations
                .iter()
                .map(|r| RelationRec {
                    kind: Cow::Borrowed(r.kind.as_str()),
                    head: Cow::Borrowed(&doc.entities[r.head].id),
                    tail: Cow::Borrowed(&doc.entities[r.tail].id),
                    evidence: Some(SpanRec {
                        start: cp(r.evidence.start),
                        end: cp(r.evidence.end),
                    }),
                    rule: Some(Cow::Borrowed(r.rule)),
                })
                .collect(),
            warnings: Some(doc.warnings.clone()),
            tokens: None,
            provenance: None,
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

    /// One JSON line, without the newline. (The pipeline writes its lines
    /// straight from the document with [`write_record`], which tests hold
    /// equal to this.)
    pub fn to_line(&self) -> String {
        if self.is_error() {
            return self.to_json().to_string();
        }
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// `s` as an owned string.
fn owned(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    static PIPELINE: std::sync::LazyLock<crate::Pipeline> = std::sync::LazyLock::new(|| {
        crate::pipeline::PipelineBuilder::new()
            .build()
            .expect("built-in pipeline")
    });

    /// The line [`write_record`] writes for `doc`, and the one serde writes
    /// for its record.
    fn written_and_serde(doc: &Document, tokens: Option<&serde_json::Value>) -> (String, String) {
        let mut written = Vec::new();
        write_record(doc, tokens, &mut written);
        let mut rec = Record::from_document(doc);
        rec.tokens = tokens.cloned();
        let serde = serde_json::to_string(&rec).expect("serde");
        (String::from_utf8(written).expect("UTF-8"), serde)
    }

    #[test]
    fn written_lines_match_serde_of_the_record() {
        let mut docs = Vec::new();
        let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
        for entry in std::fs::read_dir(seeds).expect("seeds").flatten() {
            let text = std::fs::read_to_string(entry.path()).expect("seed");
            docs.push(PIPELINE.process_text("seed", "seed.txt", &text, None));
        }
        assert_eq!(docs.len(), 4, "the seed records are part of the check");
        // Escapes in every free-text field, a fallback name, a fractional
        // percentage, a bracketed conversion, no dct and a far-off one.
        let tricky = "Acme \"Widgets\" Holdings said\ton Monday it paid 18.2 billion yuan \
                      ($2.8 billion), about 12.5 percent of sales, to \u{1}Tencent’s WeChat.";
        let mut doc = PIPELINE.process_text("q\"b\u{0}\r", "C:\\news\u{7f}é.txt", tricky, None);
        doc.warnings = vec!["bad \"byte\"\u{2}".into(), String::new()];
        docs.push(doc);
        let dct = chrono::NaiveDate::from_ymd_opt(12021, 3, 17);
        docs.push(PIPELINE.process_text("far", "far.txt", tricky, dct));
        docs.push(PIPELINE.process_text("empty", "", "", None));
        assert!(docs[4].money.len() == 2 && docs[4].percents[0].value.scale == 1);
        let tokens = serde_json::json!({"ids": [1, 2], "tags": ["O", "B-ORG"], "q": "\"\\"});
        for doc in &docs {
            for tokens in [None, Some(&tokens)] {
                let (written, serde) = written_and_serde(doc, tokens);
                assert_eq!(written, serde, "{}", doc.id);
            }
            let rec = Record::from_document(doc);
            assert_eq!(
                rec.clone().into_owned(),
                rec,
                "into_owned keeps every field"
            );
        }
    }

    proptest! {
        #[test]
        fn written_lines_match_serde_for_any_text(
            id in any::<String>(),
            text in any::<String>(),
            warning in any::<String>(),
        ) {
            let mut doc = PIPELINE.process_text(&id, &text, &text, None);
            doc.warnings.push(warning);
            let (written, serde) = written_and_serde(&doc, None);
            prop_assert_eq!(written, serde);
        }
    }

    #[test]
    fn char_index_matches_counting() {
        let rows = [
            "plain ascii text",
            "Tencent’s WeChat — “super app” 微信 and €4.34bn",
            &"é".repeat(200),
            &"𝄞a微—".repeat(40),
            // All-ASCII 64-byte pieces before, between and after others.
            &format!(
                "{}é{}“x”{}",
                "a".repeat(130),
                "b".repeat(70),
                "c".repeat(65)
            ),
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
