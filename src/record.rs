//! The output record of SPEC §1, and the conversion of a processed
//! [`Document`] into it: byte offsets become Unicode code-point offsets here,
//! once, through a [`CharIndex`].
//!
//! The same structs read records back (`newsie eval`, `newsie diff`, tests);
//! unknown fields are rejected so the format stays pinned.

use std::borrow::Cow;

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

    /// The record with every string owned (no longer tied to the document).
    pub fn into_owned(self) -> Record<'static> {
        let owned_opt = |s: Option<Cow<'_, str>>| s.map(owned);
        Record {
            id: owned(self.id),
            source: owned(self.source),
            error: self.error,
            dct: self.dct,
            text_sha256: self.text_sha256,
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
        let mut line = LineWriter::default();
        line.record(self);
        String::from_utf8(line.out).unwrap_or_default()
    }
}

/// `"name":` for the keys of [`LineWriter`]: plain ASCII field names, nothing to escape.
macro_rules! key {
    ($name:literal) => {
        concat!("\"", $name, "\":")
    };
}

/// Writes a full record as the JSON serde would write for it, byte for byte
/// (a test holds the two equal), with the keys written as they are rather
/// than escaped one byte at a time: escaping the ~500 keys and strings of a
/// typical record was a tenth of all the work per document (measured with
/// callgrind). Strings that need no escaping are copied; the rest, and the
/// `Value` fields, go through serde_json.
struct LineWriter {
    out: Vec<u8>,
    /// No value written yet in the current object or array (no comma due).
    first: bool,
}

impl Default for LineWriter {
    fn default() -> LineWriter {
        // About the size of a typical line, so it rarely grows.
        LineWriter {
            out: Vec::with_capacity(8 << 10),
            first: true,
        }
    }
}

impl LineWriter {
    fn sep(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }
    fn open(&mut self, bracket: u8) {
        self.sep();
        self.out.push(bracket);
        self.first = true;
    }
    fn close(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.first = false;
    }
    /// An object key, already quoted with its colon (see [`key!`]).
    fn key(&mut self, quoted: &str) {
        self.sep();
        self.out.extend_from_slice(quoted.as_bytes());
        self.first = true;
    }
    fn str(&mut self, s: &str) {
        self.sep();
        if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            self.out.push(b'"');
            self.out.extend_from_slice(s.as_bytes());
            self.out.push(b'"');
        } else {
            // Writing into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut self.out, s);
        }
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }
    fn uint(&mut self, n: usize) {
        self.sep();
        self.out
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }
    fn null(&mut self) {
        self.sep();
        self.out.extend_from_slice(b"null");
    }
    fn bool(&mut self, b: bool) {
        self.sep();
        self.out
            .extend_from_slice(if b { b"true" } else { b"false" });
    }
    fn json(&mut self, v: &serde_json::Value) {
        self.sep();
        let _ = serde_json::to_writer(&mut self.out, v);
    }
    fn span_fields(&mut self, start: usize, end: usize) {
        self.key(key!("start"));
        self.uint(start);
        self.key(key!("end"));
        self.uint(end);
    }
    fn span(&mut self, s: &SpanRec) {
        self.open(b'{');
        self.span_fields(s.start, s.end);
        self.close(b'}');
    }
    fn list<T>(&mut self, key: &str, items: &[T], mut item: impl FnMut(&mut Self, &T)) {
        self.key(key);
        self.open(b'[');
        for t in items {
            item(self, t);
        }
        self.close(b']');
    }

    /// The fields in the order of [`Record`]'s declaration, as serde writes them.
    fn record(&mut self, r: &Record) {
        self.open(b'{');
        self.key(key!("id"));
        self.str(&r.id);
        self.key(key!("source"));
        self.str(&r.source);
        if let Some(e) = &r.error {
            self.key(key!("error"));
            self.str(e);
        }
        self.key(key!("dct"));
        self.opt_str(r.dct.as_deref());
        if let Some(sha) = &r.text_sha256 {
            self.key(key!("text_sha256"));
            self.str(sha);
        }
        if let Some(sentences) = &r.sentences {
            self.list(key!("sentences"), sentences, Self::span);
        }
        self.list(key!("entities"), &r.entities, |w, e| {
            w.open(b'{');
            w.key(key!("id"));
            w.str(&e.id);
            w.key(key!("type"));
            w.str(&e.kind);
            w.key(key!("name"));
            w.str(&e.name);
            w.list(key!("mentions"), &e.mentions, |w, m| {
                w.open(b'{');
                w.span_fields(m.start, m.end);
                w.key(key!("text"));
                w.str(&m.text);
                w.close(b'}');
            });
            w.close(b'}');
        });
        self.list(key!("money"), &r.money, |w, m| {
            w.open(b'{');
            w.span_fields(m.start, m.end);
            w.key(key!("text"));
            w.str(&m.text);
            w.key(key!("value"));
            w.json(&m.value);
            w.key(key!("currency"));
            w.opt_str(m.currency.as_deref());
            w.key(key!("approx"));
            w.bool(m.approx);
            w.key(key!("equivalent_of"));
            match m.equivalent_of {
                Some(i) => w.uint(i),
                None => w.null(),
            }
            w.close(b'}');
        });
        self.list(key!("percents"), &r.percents, |w, p| {
            w.open(b'{');
            w.span_fields(p.start, p.end);
            w.key(key!("text"));
            w.str(&p.text);
            w.key(key!("value"));
            w.json(&p.value);
            w.key(key!("modifier"));
            w.opt_str(p.modifier.as_deref());
            w.close(b'}');
        });
        self.list(key!("dates"), &r.dates, |w, d| {
            w.open(b'{');
            w.span_fields(d.start, d.end);
            w.key(key!("text"));
            w.str(&d.text);
            w.key(key!("type"));
            w.str(&d.kind);
            w.key(key!("value"));
            w.opt_str(d.value.as_deref());
            w.close(b'}');
        });
        self.list(key!("relations"), &r.relations, |w, rel| {
            w.open(b'{');
            w.key(key!("type"));
            w.str(&rel.kind);
            w.key(key!("head"));
            w.str(&rel.head);
            w.key(key!("tail"));
            w.str(&rel.tail);
            if let Some(ev) = &rel.evidence {
                w.key(key!("evidence"));
                w.span(ev);
            }
            if let Some(rule) = &rel.rule {
                w.key(key!("rule"));
                w.str(rule);
            }
            w.close(b'}');
        });
        if let Some(warnings) = &r.warnings {
            self.list(key!("warnings"), warnings, |w, s| w.str(s));
        }
        if let Some(tokens) = &r.tokens {
            self.key(key!("tokens"));
            self.json(tokens);
        }
        self.close(b'}');
    }
}

/// `s` as an owned string.
fn owned(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
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
    use proptest::prelude::*;

    /// A record with every optional field set and strings that need escaping.
    fn tricky_record(s: &str) -> Record<'_> {
        let span = |start, end| SpanRec { start, end };
        Record {
            id: s.into(),
            source: format!("{s}\"\\\n\u{1}\u{7f}é").into(),
            error: None,
            dct: None,
            text_sha256: Some("00ff".into()),
            sentences: Some(vec![span(0, 3), span(4, 9)]),
            entities: vec![EntityRec {
                id: "acme".into(),
                kind: "ORG".into(),
                name: s.into(),
                mentions: vec![MentionRec {
                    start: 1,
                    end: 2,
                    text: format!("“{s}”\t").into(),
                }],
            }],
            money: vec![MoneyRec {
                start: 3,
                end: 7,
                text: s.into(),
                value: crate::document::Decimal::parse("18.25")
                    .map_or(serde_json::Value::Null, |d| d.to_json()),
                currency: None,
                approx: true,
                equivalent_of: Some(0),
            }],
            percents: vec![PercentRec {
                start: 0,
                end: 2,
                text: "5%".into(),
                value: serde_json::json!(5),
                modifier: Some("about".into()),
            }],
            dates: vec![DateRec {
                start: 0,
                end: 4,
                text: "2021".into(),
                kind: "DATE".into(),
                value: None,
            }],
            relations: vec![
                RelationRec {
                    kind: "owns".into(),
                    head: "a".into(),
                    tail: s.into(),
                    evidence: None,
                    rule: None,
                },
                RelationRec {
                    kind: "fined".into(),
                    head: "a".into(),
                    tail: "b".into(),
                    evidence: Some(span(0, 9)),
                    rule: Some("r".into()),
                },
            ],
            warnings: Some(vec![s.to_string(), String::new()]),
            tokens: Some(serde_json::json!({"model": s, "ids": [1, 2]})),
        }
    }

    #[test]
    fn line_writer_matches_serde() {
        let pipeline = crate::pipeline::PipelineBuilder::new()
            .build()
            .expect("pipeline");
        let mut records = vec![
            tricky_record("plain"),
            tricky_record("q\"b\\c\u{0}\r"),
            Record {
                dct: Some("2021-03-17".into()),
                sentences: None,
                text_sha256: None,
                warnings: None,
                tokens: None,
                ..tricky_record("")
            },
        ];
        let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
        for entry in std::fs::read_dir(seeds).expect("seeds").flatten() {
            let text = std::fs::read_to_string(entry.path()).expect("seed");
            let doc = pipeline.process_text("seed", "seed.txt", &text, None);
            records.push(Record::from_document(&doc).into_owned());
        }
        assert!(records.len() > 3, "the seed records are part of the check");
        for r in &records {
            assert_eq!(r.to_line(), serde_json::to_string(r).expect("serde"));
            assert_eq!(&r.clone().into_owned(), r, "into_owned keeps every field");
        }
    }

    proptest! {
        #[test]
        fn line_writer_escapes_like_serde(s in any::<String>()) {
            let r = tricky_record(&s);
            prop_assert_eq!(r.to_line(), serde_json::to_string(&r).expect("serde"));
        }
    }

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
