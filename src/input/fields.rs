//! JSONL lines as documents: which fields hold the text, id, date and title.
//! The defaults read newsie's own lines (`{"id", "text", "date"}`), cc_news
//! records (`title`, `text`, `date`) and news-please records (`title`,
//! `maintext`, `date_publish`); `--text-field` and kin name others.

use super::{DocumentError, InputDoc};

/// The JSON fields a document is read from; each list is tried in order and
/// the first field present (and not null) is taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldNames {
    /// The article text (required).
    pub text: Vec<String>,
    /// The document id (a string or a number); none: `<stem>:<line>`.
    pub id: Vec<String>,
    /// The document date (`YYYY-MM-DD` or an ISO 8601 timestamp).
    pub date: Vec<String>,
    /// A headline, put before the text as its first line (see [`with_title`]).
    pub title: Vec<String>,
}

impl Default for FieldNames {
    fn default() -> Self {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect();
        FieldNames {
            text: names(&["text", "maintext"]),
            id: names(&["id"]),
            date: names(&["date", "date_publish"]),
            title: names(&["title"]),
        }
    }
}

/// The text of a document with a headline: the title, a blank line, the body
/// (offsets count in this text, which the record then carries as `text`).
/// A body that already starts with the title is kept as it is, and so is one
/// with an empty title. Returns the text and whether it differs from `body`.
pub fn with_title(title: Option<&str>, body: String) -> (String, bool) {
    match title.map(str::trim) {
        Some(t) if !t.is_empty() && !body.trim_start().starts_with(t) => {
            (format!("{t}\n\n{body}"), true)
        }
        _ => (body, false),
    }
}

/// The fields of a JSONL line as most lines have them with the default
/// [`FieldNames`] (see [`parse_jsonl_line`]).
#[derive(serde::Deserialize)]
struct PlainLine {
    id: Option<String>,
    source: Option<String>,
    text: Option<String>,
    maintext: Option<String>,
    date: Option<String>,
    date_publish: Option<String>,
    title: Option<String>,
}

/// Parses one JSONL input line into a document.
pub fn parse_jsonl_line(
    buf: &[u8],
    stem: &str,
    name: &str,
    line: usize,
    max_doc_bytes: usize,
    fields: &FieldNames,
) -> InputDoc {
    // The common line first, without building a `serde_json::Value` (a map
    // and a string per key): an object (a `{` first, which a struct would
    // not insist on) whose known fields are strings or absent, read with the
    // default field names. Anything else, repeated keys too, takes the
    // general way below, which says what is wrong.
    let object = buf.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if object
        && *fields == FieldNames::default()
        && let Ok(plain) = serde_json::from_slice::<PlainLine>(buf)
        && let Some(body) = plain.text.or(plain.maintext)
    {
        let id = match plain.id {
            Some(id) if !id.is_empty() => id,
            _ => format!("{stem}:{line}"),
        };
        let source = plain.source.unwrap_or_else(|| format!("{name}:{line}"));
        let date = plain.date.or(plain.date_publish);
        return document(
            id,
            source,
            body,
            date.as_deref(),
            plain.title.as_deref(),
            max_doc_bytes,
        );
    }
    parse_jsonl_value(buf, stem, name, line, max_doc_bytes, fields)
}

/// A document from its fields: the title put first, the size limit and the
/// date read as [`InputDoc::from_fields`] does.
pub(crate) fn document(
    id: String,
    source: String,
    body: String,
    date: Option<&str>,
    title: Option<&str>,
    max_doc_bytes: usize,
) -> InputDoc {
    let (text, assembled) = with_title(title, body);
    let mut doc = InputDoc::from_fields(id, source, text, date, max_doc_bytes);
    if let Ok(content) = &mut doc.content {
        content.text_in_record = assembled;
    }
    doc
}

/// [`parse_jsonl_line`] the general way, through a `serde_json::Value`: every
/// line, whatever its fields hold.
pub(crate) fn parse_jsonl_value(
    buf: &[u8],
    stem: &str,
    name: &str,
    line: usize,
    max_doc_bytes: usize,
    fields: &FieldNames,
) -> InputDoc {
    let fallback_id = format!("{stem}:{line}");
    let source = format!("{name}:{line}");
    let failed = |id: String, source: String, e: DocumentError| InputDoc {
        id,
        source,
        content: Err(e),
    };
    let value: serde_json::Value = match serde_json::from_slice(buf) {
        Ok(v) => v,
        Err(e) => {
            let message = e.to_string();
            return failed(
                fallback_id,
                source,
                DocumentError::BadJson { line, message },
            );
        }
    };
    // Owned, so the text (most of the line) is moved out, not copied.
    let serde_json::Value::Object(mut obj) = value else {
        let message = "expected an object with a \"text\" field".into();
        return failed(
            fallback_id,
            source,
            DocumentError::BadJson { line, message },
        );
    };
    let mut first = |names: &[String]| {
        names.iter().find_map(|n| {
            obj.remove(n)
                .filter(|v| !v.is_null())
                .map(|v| (n.clone(), v))
        })
    };
    let id = match first(&fields.id) {
        Some((_, serde_json::Value::String(s))) if !s.is_empty() => s,
        // As written: 12345678901234567890123 is no float, 1e3 no 1000.0.
        Some((field, serde_json::Value::Number(n))) => {
            raw_field(buf, &field).unwrap_or_else(|| n.to_string())
        }
        _ => fallback_id,
    };
    let text = first(&fields.text);
    let date = first(&fields.date);
    let title = first(&fields.title);
    let source = match obj.remove("source") {
        Some(serde_json::Value::String(s)) => s,
        _ => source,
    };
    let body = match text {
        None => {
            let message = format!("missing \"{}\" field", fields.text.join("\" or \""));
            return failed(id, source, DocumentError::BadField { line, message });
        }
        Some((_, serde_json::Value::String(t))) => t,
        Some((field, other)) => {
            let message = format!("\"{field}\" must be a string, found {}", json_kind(&other));
            return failed(id, source, DocumentError::BadField { line, message });
        }
    };
    let mut warnings = Vec::new();
    let date = match date {
        None => None,
        Some((_, serde_json::Value::String(d))) => Some(d),
        Some((field, other)) => {
            warnings.push(format!(
                "ignored \"{field}\" {other}: not a YYYY-MM-DD string"
            ));
            None
        }
    };
    let title = match title {
        None => None,
        Some((_, serde_json::Value::String(t))) => Some(t),
        Some((field, other)) => {
            warnings.push(format!("ignored \"{field}\" {other}: not a string"));
            None
        }
    };
    let mut doc = document(
        id,
        source,
        body,
        date.as_deref(),
        title.as_deref(),
        max_doc_bytes,
    );
    if let Ok(content) = &mut doc.content {
        content.warnings.extend(warnings);
    }
    doc
}

/// The text of top-level field `name` of the JSON object in `buf`, as
/// written.
fn raw_field(buf: &[u8], name: &str) -> Option<String> {
    let fields: std::collections::HashMap<std::borrow::Cow<str>, &serde_json::value::RawValue> =
        serde_json::from_slice(buf).ok()?;
    fields.get(name).map(|raw| raw.get().to_string())
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
