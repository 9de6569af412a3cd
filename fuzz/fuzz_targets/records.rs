//! Fuzz the record reader of `eval`, `diff` and `render --records`, and
//! `diff`'s comparison of the records it reads (any JSON shape).
//!
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run records fuzz/corpus/records
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsie::diff::{Ignore, Texts, diff_records};
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
            let (texts, ignore) = (Texts::default(), Ignore::default());
            let _ = diff_records(&id.to_string(), &old, new, texts, &ignore);
            assert!(diff_records("same", new, new, texts, &ignore).is_none());
        }
    }
});
