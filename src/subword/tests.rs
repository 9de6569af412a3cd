use super::*;
use crate::pipeline::{Pipeline, PipelineBuilder};
use std::sync::LazyLock;

static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| PipelineBuilder::new().build().expect("pipeline"));

fn tokenizer(name: &str) -> SubwordTagger {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("fixtures/tokenizers/{name}-seeds.json"));
    SubwordTagger::from_file(&path).expect("tokenizer")
}

fn record(text: &str) -> Record<'static> {
    Record::from_document(&PIPELINE.process_text("t", "t", text, None)).into_owned()
}

#[test]
fn tags_follow_span_starts() {
    let spans = [
        Labelled {
            start: 0,
            end: 7,
            b: b_label("ORG"),
        },
        Labelled {
            start: 8,
            end: 12,
            b: b_label("DATE"),
        },
    ];
    // (offsets, tags)
    type Row<'a> = (&'a [Option<(usize, usize)>], &'a [&'a str]);
    let rows: &[Row] = &[
        (
            &[Some((0, 3)), Some((3, 7)), Some((7, 8))],
            &["B-ORG", "I-ORG", "O"],
        ),
        // A token straddling the start of a span is tagged by where it starts.
        (
            &[Some((0, 3)), Some((3, 9)), Some((9, 12))],
            &["B-ORG", "I-ORG", "B-DATE"],
        ),
        // A zero-width token (a BPE space with trimmed offsets) is outside every span.
        (
            &[Some((8, 8)), Some((8, 10)), Some((10, 12))],
            &["O", "B-DATE", "I-DATE"],
        ),
        (
            &[None, Some((0, 7)), Some((8, 12)), None],
            &["-", "B-ORG", "B-DATE", "-"],
        ),
        (
            &[Some((7, 8)), Some((8, 10)), Some((10, 12)), Some((12, 13))],
            &["O", "B-DATE", "I-DATE", "O"],
        ),
    ];
    for &(offsets, want) in rows {
        let got: Vec<&str> = label_ids(&spans, offsets.iter().copied())
            .into_iter()
            .map(|id| {
                if id == IGNORE {
                    "-"
                } else {
                    LABELS[id as usize]
                }
            })
            .collect();
        assert_eq!(got, want, "{offsets:?}");
    }
}

#[test]
fn layer_tags_every_mention_start() {
    let text = "Tencent’s WeChat Pay rose 5% on Monday, said Pony Ma.";
    for name in ["wordpiece", "bpe"] {
        let rec = record(text);
        let layer = tokenizer(name).layer(text, &rec).expect("layer");
        assert_eq!(layer.ids.len(), layer.offsets.len());
        assert_eq!(layer.ids.len(), layer.tags.len());
        let tag_at = |start: usize| {
            // The first token with text at or after the span start.
            let i = layer
                .offsets
                .iter()
                .position(|o| o[0] >= start && o[1] > o[0])
                .expect("token");
            layer.tags[i]
        };
        for e in &rec.entities {
            for m in &e.mentions {
                assert_eq!(
                    tag_at(m.start),
                    format!("B-{}", e.kind),
                    "{name}: {}",
                    m.text
                );
            }
        }
        assert_eq!(tag_at(rec.percents[0].start), "B-PERCENT");
        assert_eq!(tag_at(rec.dates[0].start), "B-DATE");
    }
}

#[test]
fn windows_overlap_by_stride_and_cover_the_text() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/seeds/003_1c215459ed7ecf07.txt"
    ))
    .unwrap();
    let rec = record(&text);
    for (name, first, last) in [("wordpiece", "[CLS]", "[SEP]"), ("bpe", "<s>", "</s>")] {
        let tok = tokenizer(name);
        let plain = tok.layer(&text, &rec).unwrap();
        let (max_length, stride) = (32, 8);
        let windows = tok.windows(&text, &rec, max_length, stride).unwrap();
        let (cls, sep) = (
            tok.tokenizer.token_to_id(first).unwrap(),
            tok.tokenizer.token_to_id(last).unwrap(),
        );
        let mut covered = Vec::new();
        for (k, w) in windows.iter().enumerate() {
            assert!(w.input_ids.len() <= max_length);
            assert_eq!(w.input_ids.len(), w.labels.len());
            assert_eq!(w.attention_mask, vec![1; w.input_ids.len()]);
            assert_eq!(
                (w.input_ids[0], *w.input_ids.last().unwrap()),
                (cls, sep),
                "{name}"
            );
            assert_eq!((w.labels[0], *w.labels.last().unwrap()), (IGNORE, IGNORE));
            let body = &w.input_ids[1..w.input_ids.len() - 1];
            if k > 0 {
                // The window starts with the last `stride` content tokens of the one before.
                let prev = &windows[k - 1].input_ids;
                assert_eq!(
                    &body[..stride],
                    &prev[prev.len() - 1 - stride..prev.len() - 1]
                );
                covered.extend_from_slice(&body[stride..]);
            } else {
                covered.extend_from_slice(body);
            }
            // Labels agree with the plain layer's tags.
            for (&label, &id) in w.labels[1..w.labels.len() - 1].iter().zip(body) {
                assert!(label >= 0 && (label as usize) < LABELS.len() && id < 100_000);
            }
        }
        assert_eq!(covered, plain.ids, "{name}: windows cover every token once");
        let first_labels: Vec<&str> = windows[0].labels[1..windows[0].labels.len() - 1]
            .iter()
            .map(|&l| LABELS[l as usize])
            .collect();
        assert_eq!(first_labels, plain.tags[..first_labels.len()]);
    }
}

#[test]
fn windows_need_room() {
    let rec = record("Tencent rose.");
    let err = tokenizer("wordpiece")
        .windows("Tencent rose.", &rec, 10, 8)
        .unwrap_err();
    assert!(err.contains("no room"), "{err}");
    let short = tokenizer("wordpiece")
        .windows("Tencent rose.", &rec, 512, 64)
        .unwrap();
    assert_eq!(short.len(), 1);
}

#[test]
fn label_list_round_trips() {
    let v = labels_json();
    for (i, l) in LABELS.iter().enumerate() {
        assert_eq!(v["id2label"][i.to_string()], *l);
        assert_eq!(v["label2id"][l], i);
    }
}
