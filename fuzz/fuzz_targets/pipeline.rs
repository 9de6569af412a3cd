//! Fuzz the whole document pipeline: arbitrary bytes are decoded the way
//! `newsie extract` reads a file, processed (with and without a document
//! date), and every span of the record is checked against the text.
//!
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run pipeline fuzz/corpus/pipeline fixtures/seeds
//!
//! (from the repository root; RUSTC_BOOTSTRAP lets the stable toolchain take
//! the sanitizer flags cargo-fuzz passes).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use newsie::{Pipeline, PipelineBuilder, Record};

static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| PipelineBuilder::new().build().expect("pipeline"));

fuzz_target!(|data: &[u8]| {
    // The first byte picks a document date (or none); the rest is the file.
    let (dct, bytes) = match data.split_first() {
        Some((&b, rest)) if b % 2 == 0 => (
            chrono::NaiveDate::from_ymd_opt(
                2000 + i32::from(b % 40),
                1 + u32::from(b % 12),
                1 + u32::from(b % 28),
            ),
            rest,
        ),
        Some((_, rest)) => (None, rest),
        None => (None, data),
    };
    let Ok(input) = newsie::input::decode(bytes.to_vec()) else {
        return;
    };
    let doc = PIPELINE.process_text("fuzz", "fuzz", &input.text, dct);
    let rec = Record::from_document(&doc);
    let chars: Vec<char> = input.text.chars().collect();
    let slice = |s: usize, e: usize| -> String {
        assert!(s <= e && e <= chars.len(), "span {s}..{e} out of bounds");
        chars[s..e].iter().collect()
    };
    for e in &rec.entities {
        assert!(!e.mentions.is_empty());
        for m in &e.mentions {
            assert_eq!(slice(m.start, m.end), m.text);
        }
    }
    for m in &rec.money {
        assert_eq!(slice(m.start, m.end), m.text);
    }
    for p in &rec.percents {
        assert_eq!(slice(p.start, p.end), p.text);
    }
    for d in &rec.dates {
        assert_eq!(slice(d.start, d.end), d.text);
    }
    let line = rec.to_line();
    let back: Record = serde_json::from_str(&line).expect("record parses back");
    assert_eq!(back, rec);
});
