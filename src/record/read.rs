//! Reading records back (`eval`, `diff`, `render --records`): a JSONL file
//! of records, line by line, each checked to be a record.

use std::io::BufRead;

use serde_json::{Map, Value};

use crate::error::RecordsError;

/// One record read back: its `id` (`Null` when it has none), its fields and
/// its 1-based line.
pub type ReadRecord = (Value, Map<String, Value>, usize);

/// The records of a JSONL stream, in order; blank lines skipped. A line that
/// is not a JSON object, or an object with neither `entities` nor `error`
/// (an article, say), is an error naming `origin` and the line, so that two
/// article files are never taken for two outputs that agree.
pub struct RecordLines<R> {
    reader: R,
    origin: String,
    line: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> RecordLines<R> {
    /// Records from `reader`; `origin` (a path, `<stdin>`) names it in errors.
    pub fn new(reader: R, origin: &str) -> RecordLines<R> {
        RecordLines {
            reader,
            origin: origin.to_string(),
            line: 0,
            buf: Vec::new(),
        }
    }

    /// The name errors give the stream.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    fn parse_error(&self, message: String) -> RecordsError {
        RecordsError::Parse {
            path: self.origin.clone(),
            line: self.line,
            message,
        }
    }
}

impl<R: BufRead> Iterator for RecordLines<R> {
    type Item = Result<ReadRecord, RecordsError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => self.line += 1,
                Err(source) => {
                    return Some(Err(RecordsError::Io {
                        path: self.origin.clone(),
                        source,
                    }));
                }
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let parsed = match serde_json::from_slice::<Value>(&self.buf) {
                Ok(Value::Object(fields)) => fields,
                Ok(_) => return Some(Err(self.parse_error("not a JSON object".into()))),
                Err(e) => return Some(Err(self.parse_error(e.to_string()))),
            };
            if !parsed.get("entities").is_some_and(Value::is_array) && !parsed.contains_key("error")
            {
                let message = "no \"entities\" (nor \"error\"): an article, not a record?";
                return Some(Err(self.parse_error(message.into())));
            }
            let id = parsed.get("id").cloned().unwrap_or(Value::Null);
            return Some(Ok((id, parsed, self.line)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_table() {
        /// The ids read, or the start of the error.
        type Want = Result<&'static [&'static str], &'static str>;
        let rows: [(&str, &[u8], Want); 7] = [
            (
                "records",
                b"{\"id\":\"a\",\"entities\":[]}\n\n{\"id\":\"b\",\"error\":\"x\"}\n",
                Ok(&["\"a\"", "\"b\""]),
            ),
            (
                "no final newline",
                b"{\"id\":1,\"entities\":[]}",
                Ok(&["1"]),
            ),
            ("no id", b"{\"entities\":[]}\n", Ok(&["null"])),
            (
                "an article",
                b"{\"id\":\"a\",\"text\":\"Hi\"}\n",
                Err("t:1: not a valid record: no \"entities\""),
            ),
            (
                "an array",
                b"\n[1]\n",
                Err("t:2: not a valid record: not a JSON object"),
            ),
            (
                "bad JSON",
                b"{\"id\":\n",
                Err("t:1: not a valid record: EOF"),
            ),
            (
                "invalid UTF-8",
                b"{\"id\":\"\xff\"}",
                Err("t:1: not a valid record: invalid unicode"),
            ),
        ];
        for (name, input, want) in rows {
            let got: Result<Vec<String>, String> = RecordLines::new(input, "t")
                .map(|r| {
                    r.map(|(id, _, _)| id.to_string())
                        .map_err(|e| e.to_string())
                })
                .collect();
            match (got, want) {
                (Ok(ids), Ok(want)) => assert_eq!(ids, want, "{name}"),
                (Err(e), Err(start)) => assert!(e.starts_with(start), "{name}: {e}"),
                (got, want) => panic!("{name}: {got:?}, want {want:?}"),
            }
        }
    }
}
