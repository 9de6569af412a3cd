//! Reading input documents: text files, directories of `*.txt`, JSONL files
//! (`{"id", "text", "date"?}` per line) and standard input, as one lazy stream
//! of [`InputDoc`]s in input order. Every document of the input becomes exactly
//! one item, read or failed; nothing is skipped silently (blank JSONL lines are
//! not documents).
//!
//! Decoding policy: invalid UTF-8 is decoded lossily (U+FFFD) with a warning; a
//! leading UTF-8 byte-order mark is dropped with a warning (it encodes, it is not
//! text); content that is mostly NUL or control bytes is refused as binary.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::dct::parse_iso_date;
use crate::error::DocumentError;

/// How to read inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// `*.jsonl` files are JSONL, everything else (stdin included) is text.
    #[default]
    Auto,
    /// Each file (or stdin) is one document.
    Text,
    /// Each line is a JSON object with `text`.
    Jsonl,
}

/// One input document, read or failed.
#[derive(Debug, Clone)]
pub struct InputDoc {
    /// The document id.
    pub id: String,
    /// Where it came from (`path`, `path:line`, `<stdin>`).
    pub source: String,
    /// The text and what came with it, or why it could not be read.
    pub content: Result<InputText, DocumentError>,
}

/// A readable document.
#[derive(Debug, Clone, Default)]
pub struct InputText {
    /// The text.
    pub text: String,
    /// The input's own date (JSONL `date`).
    pub date: Option<NaiveDate>,
    /// Things noticed while decoding.
    pub warnings: Vec<String>,
}

impl InputDoc {
    /// A document from the fields of a JSONL line (or of a Python `pipe`
    /// item): a text over `max_doc_bytes` is an error; a `date` that
    /// [`parse_date_field`] refuses is ignored with a warning, as the line's
    /// other problems with its document are.
    pub fn from_fields(
        id: String,
        source: String,
        text: String,
        date: Option<&str>,
        max_doc_bytes: usize,
    ) -> InputDoc {
        let content = if text.len() > max_doc_bytes {
            Err(DocumentError::TooLarge {
                limit: max_doc_bytes,
            })
        } else {
            let mut warnings = Vec::new();
            let date = date.and_then(|d| {
                parse_date_field(d)
                    .map_err(|e| warnings.push(format!("ignored \"date\" {e}")))
                    .ok()
            });
            Ok(InputText {
                text,
                date,
                warnings,
            })
        };
        InputDoc {
            id,
            source,
            content,
        }
    }

    /// Size in bytes of the text (0 for failures).
    pub fn len(&self) -> usize {
        self.content.as_ref().map_or(0, |c| c.text.len())
    }

    /// True when there is no text.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Turns raw bytes into text by the decoding policy above.
pub fn decode(bytes: Vec<u8>) -> Result<InputText, DocumentError> {
    if looks_binary(&bytes) {
        return Err(DocumentError::Binary);
    }
    let mut warnings = Vec::new();
    let mut bytes = bytes;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        warnings.push("dropped a UTF-8 byte-order mark; offsets count from after it".to_string());
    }
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let bytes = e.into_bytes();
            let bad = String::from_utf8_lossy(&bytes).matches('\u{FFFD}').count();
            warnings.push(format!(
                "invalid UTF-8: {bad} sequence(s) replaced by U+FFFD"
            ));
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    Ok(InputText {
        text,
        date: None,
        warnings,
    })
}

/// Binary: NUL bytes or other control bytes make up more than 10% of the
/// first 8 KiB. A stray NUL in an article is kept as text.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.is_empty() {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    control * 10 > head.len()
}

enum Source {
    Path(PathBuf),
    Stdin,
}

/// The lazy stream of input documents.
pub struct Inputs {
    pending: VecDeque<Source>,
    format: InputFormat,
    max_doc_bytes: usize,
    jsonl: Option<JsonlReader>,
}

struct JsonlReader {
    reader: Box<dyn BufRead + Send>,
    name: String,
    stem: String,
    line: usize,
    /// The line being read, reused from line to line.
    buf: Vec<u8>,
}

impl Inputs {
    /// Inputs from `paths` (`-` is stdin; none means stdin).
    pub fn new(paths: &[PathBuf], format: InputFormat, max_doc_bytes: usize) -> Inputs {
        let mut pending: VecDeque<Source> = paths
            .iter()
            .map(|p| {
                if p.as_os_str() == "-" {
                    Source::Stdin
                } else {
                    Source::Path(p.clone())
                }
            })
            .collect();
        if pending.is_empty() {
            pending.push_back(Source::Stdin);
        }
        Inputs {
            pending,
            format,
            max_doc_bytes,
            jsonl: None,
        }
    }

    fn is_jsonl(&self, path: Option<&Path>) -> bool {
        match self.format {
            InputFormat::Jsonl => true,
            InputFormat::Text => false,
            InputFormat::Auto => path.is_some_and(|p| p.extension().is_some_and(|e| e == "jsonl")),
        }
    }

    fn read_text(&self, id: String, source: String, reader: impl Read) -> InputDoc {
        let mut bytes = Vec::new();
        // Read one byte past the limit to know it was exceeded without reading it all.
        let limit = self.max_doc_bytes.saturating_add(1) as u64;
        let content = match reader.take(limit).read_to_end(&mut bytes) {
            Err(e) => Err(DocumentError::Read {
                path: source.clone(),
                message: e.to_string(),
            }),
            Ok(_) if bytes.len() > self.max_doc_bytes => Err(DocumentError::TooLarge {
                limit: self.max_doc_bytes,
            }),
            Ok(_) => decode(bytes),
        };
        InputDoc {
            id,
            source,
            content,
        }
    }

    fn next_jsonl(&mut self) -> Option<InputDoc> {
        let max = self.max_doc_bytes;
        let r = self.jsonl.as_mut()?;
        loop {
            let buf = &mut r.buf;
            buf.clear();
            r.line += 1;
            match r.reader.read_until(b'\n', buf) {
                Ok(0) => {
                    self.jsonl = None;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    let doc = InputDoc {
                        id: format!("{}:{}", r.stem, r.line),
                        source: format!("{}:{}", r.name, r.line),
                        content: Err(DocumentError::Read {
                            path: r.name.clone(),
                            message: e.to_string(),
                        }),
                    };
                    self.jsonl = None;
                    return Some(doc);
                }
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(parse_jsonl_line(buf, &r.stem, &r.name, r.line, max));
        }
    }
}

/// The fields of a JSONL line as most lines have them (see [`parse_jsonl_line`]).
#[derive(serde::Deserialize)]
struct PlainLine {
    id: Option<String>,
    source: Option<String>,
    text: String,
    date: Option<String>,
}

/// Parses one JSONL input line into a document.
pub fn parse_jsonl_line(
    buf: &[u8],
    stem: &str,
    name: &str,
    line: usize,
    max_doc_bytes: usize,
) -> InputDoc {
    let source = || format!("{name}:{line}");
    // The common line first, without building a `serde_json::Value` (a map
    // and a string per key): an object (a `{` first, which a struct would
    // not insist on) with string or absent `id`, `source` and `date` and a
    // string `text`. Anything else, repeated keys too, takes the general way
    // below, which says what is wrong.
    let object = buf.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if object && let Ok(plain) = serde_json::from_slice::<PlainLine>(buf) {
        let id = match plain.id {
            Some(id) if !id.is_empty() => id,
            _ => format!("{stem}:{line}"),
        };
        let source = plain.source.unwrap_or_else(source);
        return InputDoc::from_fields(id, source, plain.text, plain.date.as_deref(), max_doc_bytes);
    }
    parse_jsonl_value(buf, stem, name, line, max_doc_bytes)
}

/// [`parse_jsonl_line`] the general way, through a `serde_json::Value`: every
/// line, whatever its fields hold.
fn parse_jsonl_value(
    buf: &[u8],
    stem: &str,
    name: &str,
    line: usize,
    max_doc_bytes: usize,
) -> InputDoc {
    let fallback_id = format!("{stem}:{line}");
    let source = format!("{name}:{line}");
    let value: serde_json::Value = match serde_json::from_slice(buf) {
        Ok(v) => v,
        Err(e) => {
            return InputDoc {
                id: fallback_id,
                source,
                content: Err(DocumentError::BadJson {
                    line,
                    message: e.to_string(),
                }),
            };
        }
    };
    // Owned, so the text (most of the line) is moved out, not copied.
    let serde_json::Value::Object(mut obj) = value else {
        return InputDoc {
            id: fallback_id,
            source,
            content: Err(DocumentError::BadJson {
                line,
                message: "expected an object with a \"text\" field".into(),
            }),
        };
    };
    let id = match obj.remove("id") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => fallback_id,
    };
    let source = match obj.remove("source") {
        Some(serde_json::Value::String(s)) => s,
        _ => source,
    };
    let content = match obj.remove("text") {
        None => Err(DocumentError::BadField {
            line,
            message: "missing \"text\" field".into(),
        }),
        Some(serde_json::Value::String(t)) => {
            return match obj.get("date") {
                None | Some(serde_json::Value::Null) => {
                    InputDoc::from_fields(id, source, t, None, max_doc_bytes)
                }
                Some(serde_json::Value::String(d)) => {
                    InputDoc::from_fields(id, source, t, Some(d), max_doc_bytes)
                }
                Some(other) => {
                    let mut doc = InputDoc::from_fields(id, source, t, None, max_doc_bytes);
                    if let Ok(content) = &mut doc.content {
                        let warning = format!("ignored \"date\" {other}: not a YYYY-MM-DD string");
                        content.warnings.push(warning);
                    }
                    doc
                }
            };
        }
        Some(other) => Err(DocumentError::BadField {
            line,
            message: format!("\"text\" must be a string, found {}", json_kind(&other)),
        }),
    };
    InputDoc {
        id,
        source,
        content,
    }
}

/// A `date` field as a date: `YYYY-MM-DD`, or an ISO 8601 timestamp whose
/// date part is taken as written (`2021-03-17T08:30:00Z` → 2021-03-17, SPEC
/// §1). The error says what was wrong.
pub fn parse_date_field(d: &str) -> Result<NaiveDate, String> {
    let time_follows = |rest: &str| {
        let mut chars = rest.chars();
        matches!(chars.next(), Some('T' | 't' | ' '))
            && chars.next().is_some_and(|c| c.is_ascii_digit())
    };
    let parsed = match (d.get(..10), d.get(10..)) {
        (Some(day), Some(rest)) if rest.is_empty() || time_follows(rest) => parse_iso_date(day),
        _ => None,
    };
    parsed.ok_or_else(|| format!("{d:?}: not a YYYY-MM-DD date or ISO 8601 timestamp"))
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

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// All `*.txt` files below `dir`, sorted by path. Unreadable subdirectories
/// are returned as paths too, so they yield an error record.
fn walk_txt(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            if d != dir {
                out.push(d);
            }
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "txt") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

impl Iterator for Inputs {
    type Item = InputDoc;

    fn next(&mut self) -> Option<InputDoc> {
        loop {
            if self.jsonl.is_some() {
                if let Some(doc) = self.next_jsonl() {
                    return Some(doc);
                }
                continue;
            }
            let source = self.pending.pop_front()?;
            match source {
                Source::Stdin => {
                    if self.is_jsonl(None) {
                        self.jsonl = Some(JsonlReader {
                            reader: Box::new(BufReader::new(std::io::stdin())),
                            name: "<stdin>".into(),
                            stem: "stdin".into(),
                            line: 0,
                            buf: Vec::new(),
                        });
                        continue;
                    }
                    return Some(self.read_text(
                        "stdin".into(),
                        "<stdin>".into(),
                        std::io::stdin().lock(),
                    ));
                }
                Source::Path(p) => {
                    if p.is_dir() {
                        let files = walk_txt(&p);
                        for f in files.into_iter().rev() {
                            self.pending.push_front(Source::Path(f));
                        }
                        continue;
                    }
                    let name = p.display().to_string();
                    let stem = stem_of(&p);
                    let file = match File::open(&p) {
                        Ok(f) => f,
                        Err(e) => {
                            return Some(InputDoc {
                                id: stem,
                                source: name.clone(),
                                content: Err(DocumentError::Read {
                                    path: name,
                                    message: e.to_string(),
                                }),
                            });
                        }
                    };
                    if self.is_jsonl(Some(&p)) {
                        self.jsonl = Some(JsonlReader {
                            reader: Box::new(BufReader::with_capacity(1 << 20, file)),
                            name,
                            stem,
                            line: 0,
                            buf: Vec::new(),
                        });
                        continue;
                    }
                    return Some(self.read_text(stem, name, file));
                }
            }
        }
    }
}

/// A document of `bytes` bytes of `x` with id `i`, for the runner's tests.
#[cfg(test)]
pub(crate) fn test_doc(i: usize, bytes: usize) -> InputDoc {
    InputDoc {
        id: i.to_string(),
        source: "test".into(),
        content: Ok(InputText {
            text: "x".repeat(bytes),
            date: None,
            warnings: Vec::new(),
        }),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn date_fields_take_dates_and_timestamps() {
        let rows: &[(&str, Option<&str>)] = &[
            ("2021-03-17", Some("2021-03-17")),
            ("2021-03-17T08:30:00Z", Some("2021-03-17")),
            ("2021-03-17T23:30:00-05:00", Some("2021-03-17")),
            ("2021-03-17 08:30:00", Some("2021-03-17")),
            ("2021-03-17x", None),
            ("2021-13-01T00:00:00Z", None),
            ("17/03/2021", None),
            ("", None),
        ];
        for &(d, want) in rows {
            let got = parse_date_field(d).ok().map(crate::dct::iso_date);
            assert_eq!(got.as_deref(), want, "{d:?}");
        }
    }

    use super::*;

    #[test]
    fn decoding_table() {
        let rows: &[(&[u8], Result<&str, ()>, usize)] = &[
            (b"plain", Ok("plain"), 0),
            (b"\xEF\xBB\xBFwith bom", Ok("with bom"), 1),
            (b"bad \xFF byte", Ok("bad \u{FFFD} byte"), 1),
            (
                b"one\x00nul in text of some length",
                Ok("one\u{0}nul in text of some length"),
                0,
            ),
            (b"\x00\x00\x00\x01\x02bin", Err(()), 0),
            (b"", Ok(""), 0),
            (b"crlf\r\nline", Ok("crlf\r\nline"), 0),
        ];
        for &(bytes, want, warnings) in rows {
            let got = decode(bytes.to_vec());
            match want {
                Ok(text) => {
                    let got = got.unwrap();
                    assert_eq!(got.text, text);
                    assert_eq!(got.warnings.len(), warnings, "{bytes:?}");
                }
                Err(()) => assert_eq!(got.unwrap_err(), DocumentError::Binary),
            }
        }
    }

    #[test]
    fn jsonl_lines_table() {
        let rows: &[(&str, &str, Result<&str, &str>)] = &[
            (
                r#"{"id":"a","text":"Hi","date":"2021-03-17"}"#,
                "a",
                Ok("Hi"),
            ),
            (r#"{"id":7,"text":"Hi"}"#, "7", Ok("Hi")),
            (r#"{"text":"Hi"}"#, "f:3", Ok("Hi")),
            (r#"{"id":"b"}"#, "b", Err("missing \"text\"")),
            (
                r#"{"id":"c","text":5}"#,
                "c",
                Err("\"text\" must be a string, found a number"),
            ),
            (r#"not json"#, "f:3", Err("not a JSON object")),
            (r#"[1,2]"#, "f:3", Err("not a JSON object")),
        ];
        for &(line, id, want) in rows {
            let doc = parse_jsonl_line(line.as_bytes(), "f", "f.jsonl", 3, usize::MAX);
            assert_eq!(doc.id, id, "{line}");
            match (doc.content, want) {
                (Ok(t), Ok(text)) => assert_eq!(t.text, text),
                (Err(e), Err(msg)) => assert!(e.to_string().contains(msg), "{line}: {e}"),
                (got, _) => panic!("{line}: unexpected {got:?}"),
            }
        }
    }

    #[test]
    fn plain_lines_read_as_the_general_way_reads_them() {
        let lines = [
            r#"{"id":"a","text":"Hi","date":"2021-03-17"}"#,
            r#" {"text":"Hi \"there\"\n","id":"","date":null,"extra":[1]}"#,
            r#"{"id":"a","source":"s.txt","text":"x","date":"2021-13-01"}"#,
            r#"{"id":"a","text":"way too long for the limit"}"#,
            r#"{"id":"a","text":"x","text":"twice"}"#,
            r#"{"id":null,"source":null,"text":"x"}"#,
            r#"{"id":7,"text":"Hi"}"#,
            r#"{"id":"a","text":"x","date":20210317}"#,
            r#"{"id":"a","source":5,"text":"x"}"#,
            r#"{"id":"b"}"#,
            r#"["a",null,"text",null]"#,
            r#"{"id":"a","text":"\ud800"}"#,
            "not json",
        ];
        for line in lines {
            let fast = parse_jsonl_line(line.as_bytes(), "f", "f.jsonl", 3, 12);
            let general = parse_jsonl_value(line.as_bytes(), "f", "f.jsonl", 3, 12);
            assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{line}");
        }
    }

    #[test]
    fn bad_jsonl_date_is_a_warning() {
        let doc = parse_jsonl_line(
            br#"{"id":"a","text":"x","date":"2021-13-01"}"#,
            "f",
            "f",
            1,
            100,
        );
        let t = doc.content.unwrap();
        assert_eq!(t.date, None);
        assert_eq!(t.warnings.len(), 1);
    }
}
