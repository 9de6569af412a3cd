//! Fuzz the reading of an input stream as `newsie extract` reads standard
//! input or a `.jsonl` file: decompression, format sniffing, byte-order
//! marks, invalid UTF-8, JSON lines with any fields. Every document read
//! must have an id, and a text within the size limit.
//!
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run jsonl fuzz/corpus/jsonl
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsie::input::{FieldNames, InputFormat, InputOptions, Inputs};

const MAX_DOC_BYTES: usize = 2048;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the format (sniffed or JSONL) and the fields.
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let mut fields = FieldNames::default();
    if choice & 2 != 0 {
        fields.title.clear();
    }
    if choice & 4 != 0 {
        fields.text = vec!["body".into()];
    }
    let options = InputOptions {
        format: if choice & 1 == 0 {
            InputFormat::Auto
        } else {
            InputFormat::Jsonl
        },
        max_doc_bytes: MAX_DOC_BYTES,
        fields,
        ..InputOptions::default()
    };
    let inputs = Inputs::from_reader("fuzz.jsonl", std::io::Cursor::new(bytes.to_vec()), options);
    let mut documents = 0;
    for doc in inputs {
        documents += 1;
        assert!(!doc.id.is_empty(), "a document without an id");
        assert!(
            doc.source.starts_with("fuzz.jsonl"),
            "source {}",
            doc.source
        );
        if let Ok(content) = &doc.content {
            assert!(
                content.text.len() <= MAX_DOC_BYTES + 4096,
                "text over the limit"
            );
        }
    }
    // A JSONL line is at most one document (when the lines are the bytes
    // as given, not compressed).
    if newsie::input::Compression::sniff(&bytes[..bytes.len().min(4)]).is_none() {
        assert!(documents <= bytes.split(|&b| b == b'\n').count().max(1));
    }
});
