//! Invariants on arbitrary text (proptest): no panic, every span in bounds and
//! on character boundaries with `text == doc[start:end]`, layers sorted, and
//! the same output for every run and every number of threads.

use std::sync::LazyLock;

use newsie::input::{InputDoc, InputText};
use newsie::{Pipeline, PipelineBuilder, Record, Runner};
use proptest::prelude::*;

static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| PipelineBuilder::new().build().expect("pipeline"));

/// Pieces of news text, separators, and any character at all.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "Alibaba", "Tencent's", "WeChat Pay", "Jack Ma", "Ma", "Ant", "Ant Group Co.", "sued", "fined",
            "founded by", "rival", "Inc.", "Ltd.", "U.S.", "Mr.", "$", "US$", "¥", "€", "18.2", "billion",
            "yuan", "500,000", "%", "percent", "over", "about", "Monday", "July 13", "2021", "last year",
            "next three years", "-based", "Shenzhen", "the", "and", ",", ".", "“", "”", "(", ")", "’s",
            " date 2021-03-17", "President", "Chen Pengfei", ", an attorney with", "law firm", "jiemian.com",
        ]).prop_map(str::to_string),
        2 => prop::sample::select(vec![" ", " ", "\n", "\n\n", "\r\n", "\t", "\u{a0}"]).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "\\PC{0,6}",
    ]
}

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|v| v.concat())
}

fn check_record(rec: &Record, text: &str) -> Result<(), TestCaseError> {
    let chars: Vec<char> = text.chars().collect();
    let slice = |s: usize, e: usize| -> Option<String> {
        (s <= e && e <= chars.len()).then(|| chars[s..e].iter().collect())
    };
    let mut mention_spans = Vec::new();
    for e in &rec.entities {
        prop_assert!(!e.mentions.is_empty());
        for m in &e.mentions {
            prop_assert_eq!(slice(m.start, m.end), Some(m.text.to_string()));
            mention_spans.push((m.start, m.end));
        }
        for w in e.mentions.windows(2) {
            prop_assert!(w[0].start < w[1].start, "mentions sorted");
        }
    }
    mention_spans.sort();
    for w in mention_spans.windows(2) {
        prop_assert!(w[0].1 <= w[1].0, "mentions overlap: {:?}", w);
    }
    let starts = |v: Vec<(usize, usize)>| -> Result<(), TestCaseError> {
        for w in v.windows(2) {
            prop_assert!(w[0].0 <= w[1].0, "layer not sorted");
        }
        Ok(())
    };
    for m in &rec.money {
        prop_assert_eq!(slice(m.start, m.end), Some(m.text.to_string()));
    }
    for p in &rec.percents {
        prop_assert_eq!(slice(p.start, p.end), Some(p.text.to_string()));
    }
    for d in &rec.dates {
        prop_assert_eq!(slice(d.start, d.end), Some(d.text.to_string()));
    }
    starts(rec.money.iter().map(|m| (m.start, m.end)).collect())?;
    starts(rec.percents.iter().map(|m| (m.start, m.end)).collect())?;
    starts(rec.dates.iter().map(|m| (m.start, m.end)).collect())?;
    let sentences = rec.sentences.as_ref().expect("sentences");
    for s in sentences {
        prop_assert!(slice(s.start, s.end).is_some());
    }
    for w in sentences.windows(2) {
        prop_assert!(w[0].end <= w[1].start);
    }
    let ids: Vec<&str> = rec.entities.iter().map(|e| &*e.id).collect();
    for r in &rec.relations {
        prop_assert!(ids.contains(&&*r.head) && ids.contains(&&*r.tail));
    }
    // The line parses back into the same record.
    let back: Record = serde_json::from_str(&rec.to_line()).expect("round trip");
    prop_assert_eq!(&back, rec);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn spans_are_exact_and_sorted(text in article()) {
        let doc = PIPELINE.process_text("p", "p", &text, None);
        let rec = Record::from_document(&doc);
        check_record(&rec, &text)?;
        // Deterministic: a second run gives the same line.
        let again_doc = PIPELINE.process_text("p", "p", &text, None);
        let again = Record::from_document(&again_doc);
        prop_assert_eq!(rec.to_line(), again.to_line());
    }

    #[test]
    fn with_a_document_date_too(text in article(), day in 1u32..=28, month in 1u32..=12, year in 1990i32..2040) {
        let dct = chrono::NaiveDate::from_ymd_opt(year, month, day);
        let doc = PIPELINE.process_text("p", "p", &text, dct);
        check_record(&Record::from_document(&doc), &text)?;
    }

    #[test]
    fn same_output_for_any_number_of_threads(texts in prop::collection::vec(article(), 1..12)) {
        let inputs = || texts.iter().enumerate().map(|(i, t)| InputDoc {
            id: i.to_string(),
            source: "p".into(),
            content: Ok(InputText { text: t.clone(), ..InputText::default() }),
        }).collect::<Vec<_>>();
        let mut outputs = Vec::new();
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            let mut out = Vec::new();
            pool.install(|| Runner::new().batch_docs(2).batch_bytes(1 << 20).run(&PIPELINE, inputs(), &mut out)).expect("run");
            outputs.push(out);
        }
        prop_assert_eq!(&outputs[0], &outputs[1]);
        prop_assert_eq!(&outputs[0], &outputs[2]);
        prop_assert_eq!(String::from_utf8_lossy(&outputs[0]).lines().count(), texts.len());
    }
}
