//! `newsie diff`: a semantic diff of two extraction outputs.
//!
//! Records are matched by document id. Both files are streamed side by side;
//! a record whose partner has not been seen yet waits in a map, so memory grows
//! only with how far the two files' orders disagree (not at all for outputs of
//! the same inputs). Within a document, mentions, money, percents and dates are
//! keyed by span: present on one side only is an addition or removal, present
//! on both with another type, id or value is a change. Relations are keyed by
//! `(type, head, tail)`.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::error::RecordsError;
use crate::record::RecordLines;

/// How to print the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per differing document, then a summary object.
    Json,
}

/// One difference inside a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `mention`, `money`, `percent`, `date`, `relation`, `dct`.
    pub layer: &'static str,
    /// `added`, `removed` or `changed`.
    pub op: &'static str,
    /// Span start (code points), when the item has a span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// Span end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<i64>,
    /// Surface text (or the relation triple).
    pub text: String,
    /// The old attributes (absent for additions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// The new attributes (absent for removals).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// A little of the document text around the span, when the source is readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

/// The differences of one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocDiff {
    /// Document id.
    pub id: String,
    /// `changed`, `added`, `removed`, `errored` (now an error record) or `recovered`.
    pub status: &'static str,
    /// Error message, for `errored`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Item-level changes (for `changed`).
    pub changes: Vec<Change>,
}

/// Totals of a diff.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiffSummary {
    /// Documents present in both.
    pub compared: usize,
    /// Documents whose records differ.
    pub changed: usize,
    /// Only in NEW.
    pub added: usize,
    /// Only in OLD.
    pub removed: usize,
    /// Items added.
    pub items_added: usize,
    /// Items removed.
    pub items_removed: usize,
    /// Items changed.
    pub items_changed: usize,
}

type Rec = serde_json::Map<String, Value>;

fn arr<'a>(d: &'a Rec, key: &str) -> &'a [Value] {
    d.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn span_of(v: &Value) -> (i64, i64) {
    let g = |k| v.get(k).and_then(Value::as_i64).unwrap_or(-1);
    (g("start"), g("end"))
}

fn s(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(x)) => x.clone(),
        Some(Value::Null) | None => "null".into(),
        Some(x) => x.to_string(),
    }
}

/// Keyed items of one layer: span → (surface, attributes).
fn layer_items(rec: &Rec, layer: &str) -> BTreeMap<(i64, i64), (String, String)> {
    let mut out = BTreeMap::new();
    match layer {
        "mention" => {
            for e in arr(rec, "entities") {
                let attrs = format!("{} {}", s(e.get("type")), s(e.get("id")));
                for m in e
                    .get("mentions")
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice)
                {
                    out.insert(span_of(m), (s(m.get("text")), attrs.clone()));
                }
            }
        }
        "money" => {
            for m in arr(rec, "money") {
                let mut attrs = format!("{} {}", s(m.get("value")), s(m.get("currency")));
                if m.get("approx").and_then(Value::as_bool) == Some(true) {
                    attrs += " approx";
                }
                if let Some(Value::Number(n)) = m.get("equivalent_of") {
                    attrs += &format!(" equivalent_of={n}");
                }
                out.insert(span_of(m), (s(m.get("text")), attrs));
            }
        }
        "percent" => {
            for p in arr(rec, "percents") {
                let attrs = format!("{} {}", s(p.get("value")), s(p.get("modifier")));
                out.insert(span_of(p), (s(p.get("text")), attrs));
            }
        }
        "date" => {
            for d in arr(rec, "dates") {
                let attrs = format!("{} {}", s(d.get("type")), s(d.get("value")));
                out.insert(span_of(d), (s(d.get("text")), attrs));
            }
        }
        _ => {}
    }
    out
}

fn relation_keys(rec: &Rec) -> BTreeMap<String, String> {
    arr(rec, "relations")
        .iter()
        .map(|r| {
            let (mut h, mut t) = (s(r.get("head")), s(r.get("tail")));
            let kind = s(r.get("type"));
            if kind == "competes_with" && t < h {
                std::mem::swap(&mut h, &mut t);
            }
            (format!("{kind}({h}, {t})"), s(r.get("rule")))
        })
        .collect()
}

/// A few words of context around a span, from the record's source file when it
/// is a readable text file.
struct ContextSource {
    text: Option<Vec<char>>,
}

impl ContextSource {
    fn load(rec: &Rec) -> ContextSource {
        let text = rec
            .get("source")
            .and_then(Value::as_str)
            .map(Path::new)
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "txt"))
            .and_then(|p| std::fs::read_to_string(p).ok())
            .filter(|t| {
                // Only trust the file if it is still the text the record was made from.
                use sha2::{Digest, Sha256};
                let want = rec.get("text_sha256").and_then(Value::as_str);
                let got: String = Sha256::digest(t.as_bytes())
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                want == Some(got.as_str())
            })
            .map(|t| t.chars().collect());
        ContextSource { text }
    }

    fn around(&self, start: i64, end: i64) -> Option<String> {
        let t = self.text.as_ref()?;
        let (a, b) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
        if a > b || b > t.len() {
            return None;
        }
        let lo = a.saturating_sub(30);
        let hi = (b + 30).min(t.len());
        let piece: String = t[lo..a]
            .iter()
            .chain(['['].iter())
            .chain(t[a..b].iter())
            .chain([']'].iter())
            .chain(t[b..hi].iter())
            .collect();
        Some(format!(
            "…{}…",
            piece.split_whitespace().collect::<Vec<_>>().join(" ")
        ))
    }
}

/// Differences between two records of the same document.
pub fn diff_records(old: &Rec, new: &Rec) -> Vec<Change> {
    let mut changes = Vec::new();
    if s(old.get("dct")) != s(new.get("dct")) {
        changes.push(Change {
            layer: "dct",
            op: "changed",
            start: None,
            end: None,
            text: "dct".into(),
            old: Some(s(old.get("dct"))),
            new: Some(s(new.get("dct"))),
            context: None,
        });
    }
    let mut ctx: Option<ContextSource> = None;
    for layer in ["mention", "money", "percent", "date"] {
        let (a, b) = (layer_items(old, layer), layer_items(new, layer));
        let mut keys: Vec<&(i64, i64)> = a.keys().chain(b.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let (op, text, o, n) = match (a.get(k), b.get(k)) {
                (Some(x), None) => ("removed", x.0.clone(), Some(x.1.clone()), None),
                (None, Some(y)) => ("added", y.0.clone(), None, Some(y.1.clone())),
                (Some(x), Some(y)) if x != y => {
                    ("changed", y.0.clone(), Some(x.1.clone()), Some(y.1.clone()))
                }
                _ => continue,
            };
            let context = ctx
                .get_or_insert_with(|| ContextSource::load(new))
                .around(k.0, k.1);
            changes.push(Change {
                layer,
                op,
                start: Some(k.0),
                end: Some(k.1),
                text,
                old: o,
                new: n,
                context,
            });
        }
    }
    let (a, b) = (relation_keys(old), relation_keys(new));
    for (k, rule) in &a {
        if !b.contains_key(k) {
            changes.push(Change {
                layer: "relation",
                op: "removed",
                start: None,
                end: None,
                text: k.clone(),
                old: Some(rule.clone()),
                new: None,
                context: None,
            });
        }
    }
    for (k, rule) in &b {
        if !a.contains_key(k) {
            changes.push(Change {
                layer: "relation",
                op: "added",
                start: None,
                end: None,
                text: k.clone(),
                old: None,
                new: Some(rule.clone()),
                context: None,
            });
        }
    }
    changes
}

fn error_of(r: &Rec) -> Option<String> {
    r.get("error").filter(|e| !e.is_null()).map(|e| s(Some(e)))
}

/// Compares two matched records.
pub fn diff_docs(id: &str, old: &Rec, new: &Rec) -> Option<DocDiff> {
    let (eo, en) = (error_of(old), error_of(new));
    let (status, error, changes) = match (eo, en) {
        (None, Some(e)) => ("errored", Some(e), Vec::new()),
        (Some(_), None) => ("recovered", None, Vec::new()),
        (Some(a), Some(b)) if a == b => return None,
        (Some(_), Some(b)) => ("errored", Some(b), Vec::new()),
        (None, None) => {
            let c = diff_records(old, new);
            if c.is_empty() {
                return None;
            }
            ("changed", None, c)
        }
    };
    Some(DocDiff {
        id: id.to_string(),
        status,
        error,
        changes,
    })
}

/// A file's records, by id.
struct RecordStream(RecordLines<Box<dyn std::io::BufRead + Send>>);

impl RecordStream {
    fn open(path: &Path) -> Result<RecordStream, RecordsError> {
        let f = crate::input::open_records(path).map_err(|source| RecordsError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Ok(RecordStream(RecordLines::new(
            f,
            &path.display().to_string(),
        )))
    }

    fn next(&mut self) -> Result<Option<(String, Rec)>, RecordsError> {
        let Some((id, rec, line)) = self.0.next().transpose()? else {
            return Ok(None);
        };
        let id = match id {
            Value::String(s) => s,
            Value::Null => {
                return Err(RecordsError::Parse {
                    path: self.0.origin().to_string(),
                    line,
                    message: "record has no \"id\"".into(),
                });
            }
            other => other.to_string(),
        };
        Ok(Some((id, rec)))
    }
}

fn render_text(d: &DocDiff, out: &mut impl Write) -> std::io::Result<()> {
    match d.status {
        "added" => writeln!(out, "+ {} (only in NEW)", d.id),
        "removed" => writeln!(out, "- {} (only in OLD)", d.id),
        "errored" => writeln!(
            out,
            "! {}: now an error record: {}",
            d.id,
            d.error.as_deref().unwrap_or("")
        ),
        "recovered" => writeln!(out, "~ {}: no longer an error record", d.id),
        _ => {
            writeln!(out, "~ {}", d.id)?;
            for c in &d.changes {
                let sign = match c.op {
                    "added" => '+',
                    "removed" => '-',
                    _ => '~',
                };
                let span = match (c.start, c.end) {
                    (Some(a), Some(b)) => format!(" [{a}..{b}]"),
                    _ => String::new(),
                };
                let what = match (&c.old, &c.new) {
                    (Some(o), Some(n)) => format!("{o} -> {n}"),
                    (Some(o), None) => o.clone(),
                    (None, Some(n)) => n.clone(),
                    (None, None) => String::new(),
                };
                write!(out, "  {sign} {:<8} {:?}{span} {what}", c.layer, c.text)?;
                if let Some(ctx) = &c.context {
                    write!(out, "  {ctx}")?;
                }
                writeln!(out)?;
            }
            Ok(())
        }
    }
}

/// Streams both files and writes their differences; returns whether they differ.
pub fn diff_files(
    old: &Path,
    new: &Path,
    format: DiffFormat,
    out: &mut impl Write,
) -> Result<bool, RecordsError> {
    let mut a = RecordStream::open(old)?;
    let mut b = RecordStream::open(new)?;
    let mut waiting_old: HashMap<String, Rec> = HashMap::new();
    let mut waiting_new: HashMap<String, Rec> = HashMap::new();
    let mut summary = DiffSummary::default();
    let io = |e: std::io::Error| RecordsError::Io {
        path: "<output>".into(),
        source: e,
    };
    let mut emit = |d: DocDiff, summary: &mut DiffSummary| -> Result<(), RecordsError> {
        match d.status {
            "added" => summary.added += 1,
            "removed" => summary.removed += 1,
            _ => summary.changed += 1,
        }
        for c in &d.changes {
            match c.op {
                "added" => summary.items_added += 1,
                "removed" => summary.items_removed += 1,
                _ => summary.items_changed += 1,
            }
        }
        match format {
            DiffFormat::Text => render_text(&d, out).map_err(io),
            DiffFormat::Json => {
                let line = serde_json::to_string(&d).unwrap_or_default();
                writeln!(out, "{line}").map_err(io)
            }
        }
    };
    let mut compare =
        |id: &str, o: &Rec, n: &Rec, summary: &mut DiffSummary| -> Result<(), RecordsError> {
            summary.compared += 1;
            if let Some(d) = diff_docs(id, o, n) {
                emit(d, summary)?;
            }
            Ok(())
        };
    let (mut done_a, mut done_b) = (false, false);
    while !(done_a && done_b) {
        let ra = if done_a { None } else { a.next()? };
        let rb = if done_b { None } else { b.next()? };
        done_a |= ra.is_none();
        done_b |= rb.is_none();
        match (ra, rb) {
            (Some((ia, ra)), Some((ib, rb))) if ia == ib => compare(&ia, &ra, &rb, &mut summary)?,
            (ra, rb) => {
                if let Some((ia, ra)) = ra {
                    match waiting_new.remove(&ia) {
                        Some(rb) => compare(&ia, &ra, &rb, &mut summary)?,
                        None => {
                            waiting_old.insert(ia, ra);
                        }
                    }
                }
                if let Some((ib, rb)) = rb {
                    match waiting_old.remove(&ib) {
                        Some(ra) => compare(&ib, &ra, &rb, &mut summary)?,
                        None => {
                            waiting_new.insert(ib, rb);
                        }
                    }
                }
            }
        }
    }
    let mut removed: Vec<String> = waiting_old.into_keys().collect();
    removed.sort();
    for id in removed {
        emit(
            DocDiff {
                id,
                status: "removed",
                error: None,
                changes: Vec::new(),
            },
            &mut summary,
        )?;
    }
    let mut added: Vec<String> = waiting_new.into_keys().collect();
    added.sort();
    for id in added {
        emit(
            DocDiff {
                id,
                status: "added",
                error: None,
                changes: Vec::new(),
            },
            &mut summary,
        )?;
    }
    let differs = summary.changed + summary.added + summary.removed > 0;
    match format {
        DiffFormat::Text => writeln!(
            out,
            "summary: {} compared, {} changed, {} added, {} removed; items +{} -{} ~{}",
            summary.compared,
            summary.changed,
            summary.added,
            summary.removed,
            summary.items_added,
            summary.items_removed,
            summary.items_changed
        ),
        DiffFormat::Json => writeln!(out, "{}", serde_json::json!({ "summary": summary })),
    }
    .map_err(io)?;
    Ok(differs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(s: &str) -> Rec {
        match serde_json::from_str(s).unwrap() {
            Value::Object(o) => o,
            _ => panic!(),
        }
    }

    #[test]
    fn change_table() {
        let base = r#"{"id":"a","dct":null,"entities":[{"id":"x","type":"ORG","name":"X","mentions":[{"start":0,"end":1,"text":"X"}]}],
                       "money":[],"percents":[],"dates":[],"relations":[{"type":"owns","head":"x","tail":"y"}]}"#;
        let rows: &[(&str, &[(&str, &str)])] = &[
            (base, &[]),
            (
                r#"{"id":"a","dct":null,"entities":[{"id":"x","type":"GPE","name":"X","mentions":[{"start":0,"end":1,"text":"X"}]}],
                    "relations":[{"type":"owns","head":"x","tail":"y"}]}"#,
                &[("mention", "changed")],
            ),
            (
                r#"{"id":"a","dct":"2021-01-01","entities":[],"relations":[]}"#,
                &[
                    ("dct", "changed"),
                    ("mention", "removed"),
                    ("relation", "removed"),
                ],
            ),
            (
                r#"{"id":"a","dct":null,"entities":[{"id":"x","type":"ORG","name":"X","mentions":[{"start":0,"end":1,"text":"X"}]}],
                    "dates":[{"start":3,"end":7,"text":"2013","type":"DATE","value":"2013"}],"relations":[{"type":"owns","head":"x","tail":"y"}]}"#,
                &[("date", "added")],
            ),
        ];
        for &(new, want) in rows {
            let got: Vec<(&str, &str)> = diff_records(&rec(base), &rec(new))
                .iter()
                .map(|c| (c.layer, c.op))
                .collect();
            assert_eq!(got, want, "{new}");
        }
    }

    #[test]
    fn error_status() {
        let ok = rec(r#"{"id":"a","entities":[]}"#);
        let bad = rec(r#"{"id":"a","source":"a","error":"boom"}"#);
        assert_eq!(diff_docs("a", &ok, &bad).unwrap().status, "errored");
        assert_eq!(diff_docs("a", &bad, &ok).unwrap().status, "recovered");
        assert!(diff_docs("a", &bad, &bad).is_none());
    }
}
