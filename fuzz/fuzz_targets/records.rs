//! Fuzz the record reader of `eval`, `diff` and `render --records`, and
//! `diff`'s comparison of the records it reads (any JSON shape).
//!
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run records fuzz/corpus/records
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsie::record::RecordLines;

fuzz_target!(|data: &[u8]| {
    let mut previous = None;
    for read in RecordLines::new(data, "fuzz.jsonl") {
        let Ok((id, record, line)) = read else {
            continue;
        };
        assert!(line >= 1);
        if let Some(old) = previous.replace(record) {
            let new = previous.as_ref().expect("just set");
            let _ = newsie::diff::diff_docs(&id.to_string(), &old, new);
            assert!(newsie::diff::diff_docs("same", new, new).is_none());
        }
    }
});
