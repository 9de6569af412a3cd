//! Criterion benchmarks: each stage alone, and the whole pipeline per document,
//! on the seed articles (fixtures/seeds). Run with `cargo bench`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use newsie::dates::DateTagger;
use newsie::dct::DctDetector;
use newsie::entities::EntityTagger;
use newsie::gazetteer::Gazetteer;
use newsie::money::MoneyTagger;
use newsie::relations::RelationExtractor;
use newsie::sentences::SentenceSplitter;
use newsie::tokenize::Tokenizer;
use newsie::{Document, PipelineBuilder, Stage};

// The allocator the `newsie` binary ships with, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn seeds() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures/seeds")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("seed"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn bench(c: &mut Criterion) {
    let text = seeds();
    let gazetteer = Gazetteer::builtin().expect("gazetteers");
    let stages: Vec<Box<dyn Stage>> = vec![
        Box::new(Tokenizer),
        Box::new(SentenceSplitter),
        Box::new(DctDetector::default()),
        Box::new(EntityTagger::new(gazetteer.clone()).expect("tagger")),
        Box::new(MoneyTagger::default()),
        Box::new(DateTagger),
        Box::new(RelationExtractor::new(&gazetteer)),
    ];

    let mut group = c.benchmark_group("stage");
    group.throughput(Throughput::Bytes(text.len() as u64));
    for (i, stage) in stages.iter().enumerate() {
        // The document as the stages before this one leave it.
        let mut prepared = Document::new("bench", "bench", text.clone());
        for s in &stages[..i] {
            s.process(&mut prepared);
        }
        group.bench_function(stage.name(), |b| {
            b.iter_batched_ref(
                || prepared.clone(),
                |doc| stage.process(black_box(doc)),
                criterion::BatchSize::SmallInput,
            )
        });
    }
    group.finish();

    let pipeline = PipelineBuilder::new().build().expect("pipeline");
    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Bytes(text.len() as u64));
    // The line as `newsie extract` writes it: straight from the document.
    let mut line = Vec::new();
    group.bench_function("document_to_json_line", |b| {
        b.iter(|| {
            let doc = pipeline.process_text("bench", "bench", black_box(&text), None);
            line.clear();
            newsie::record::write_record(&doc, None, &mut line);
            line.len()
        })
    });
    group.finish();

    c.bench_function("build_pipeline", |b| {
        b.iter(|| PipelineBuilder::new().build().expect("pipeline"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
