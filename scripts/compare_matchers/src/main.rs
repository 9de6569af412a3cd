//! Compares alias matchers for a large gazetteer: build time, heap, serialised
//! size and search time over a corpus, each finding, at word starts, the
//! longest alias that ends on a word boundary.
//!
//!     cargo run --release --manifest-path scripts/compare_matchers/Cargo.toml -- GAZETTEER.tsv CORPUS.jsonl
//!
//! The gazetteer is newsie's TSV (aliases: the name and column 4, `~short`
//! forms left out); the corpus is JSONL with a `text` field.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting live and peak bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Byte offsets where a word starts (a word byte after a non-word byte).
fn word_starts(text: &[u8]) -> impl Iterator<Item = usize> + '_ {
    (0..text.len()).filter(|&i| is_word(text[i]) && (i == 0 || !is_word(text[i - 1])))
}

fn ends_word(text: &[u8], end: usize) -> bool {
    end == text.len() || !is_word(text[end])
}

/// Matches on word boundaries over all texts, and the seconds it took:
/// `find` gives a text's leftmost-longest `(start, end)` matches.
fn count_on_boundaries(
    texts: &[String],
    find: impl Fn(&str) -> Vec<(usize, usize)>,
) -> (usize, f64) {
    let t = Instant::now();
    let mut n = 0;
    for text in texts {
        let b = text.as_bytes();
        n += find(text)
            .into_iter()
            .filter(|&(start, end)| (start == 0 || !is_word(b[start - 1])) && ends_word(b, end))
            .count();
    }
    (n, t.elapsed().as_secs_f64())
}

/// Runs `build`, returning its value, seconds, heap it keeps and its peak.
fn measure<T>(build: impl FnOnce() -> T) -> (T, f64, usize, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let t = Instant::now();
    let value = build();
    let secs = t.elapsed().as_secs_f64();
    let kept = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    (value, secs, kept, peak)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (gaz, corpus) = (&args[1], &args[2]);
    let mut aliases: Vec<String> = Vec::new();
    for line in std::fs::read_to_string(gaz).unwrap().lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        aliases.push(cols[2].to_string());
        for a in cols.get(3).unwrap_or(&"").split('|') {
            if !a.is_empty() && !a.starts_with('~') {
                aliases.push(a.to_string());
            }
        }
    }
    aliases.sort();
    aliases.dedup();
    let texts: Vec<String> = std::fs::read_to_string(corpus)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    let text_mb: f64 = texts.iter().map(|t| t.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "{} aliases; corpus {} texts, {text_mb:.1} MB",
        aliases.len(),
        texts.len()
    );
    println!(
        "matcher | build s | heap kept MB | build peak MB | serialised MB | search s | MB/s | matches"
    );

    // 1. aho-corasick, leftmost-longest over the whole text.
    {
        use aho_corasick::{AhoCorasick, MatchKind};
        let (ac, secs, kept, peak) = measure(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&aliases)
                .unwrap()
        });
        let (n, s) = count_on_boundaries(&texts, |t| {
            ac.find_iter(t).map(|m| (m.start(), m.end())).collect()
        });
        println!(
            "aho-corasick 1 (leftmost-longest) | {secs:.2} | {:.0} | {:.0} | - | {s:.2} | {:.1} | {n}",
            mb(kept),
            mb(peak),
            text_mb / s
        );
    }
    // 2. daachorse, leftmost-longest over the whole text.
    {
        use daachorse::{DoubleArrayAhoCorasickBuilder, MatchKind};
        let (da, secs, kept, peak) = measure(|| {
            DoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build::<_, _, u32>(&aliases)
                .unwrap()
        });
        let serialised = da.serialize().len();
        let (n, s) = count_on_boundaries(&texts, |t| {
            da.leftmost_find_iter(t)
                .map(|m| (m.start(), m.end()))
                .collect()
        });
        println!(
            "daachorse (leftmost-longest) | {secs:.2} | {:.0} | {:.0} | {:.0} | {s:.2} | {:.1} | {n}",
            mb(kept),
            mb(peak),
            mb(serialised),
            text_mb / s
        );
    }
    // 3. fst map, probed at word starts: the longest key that ends a word.
    {
        let (map, secs, kept, peak) = measure(|| {
            fst::Map::from_iter(
                aliases
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (a.as_bytes(), i as u64)),
            )
            .unwrap()
        });
        let serialised = map.as_fst().as_bytes().len();
        let t = Instant::now();
        let mut n = 0;
        for text in &texts {
            let b = text.as_bytes();
            let f = map.as_fst();
            let mut next_free = 0;
            for start in word_starts(b) {
                if start < next_free {
                    continue;
                }
                let mut node = f.root();
                let mut best = None;
                for (k, &byte) in b[start..].iter().enumerate() {
                    let Some(i) = node.find_input(byte) else {
                        break;
                    };
                    node = f.node(node.transition(i).addr);
                    if node.is_final() && ends_word(b, start + k + 1) {
                        best = Some(start + k + 1);
                    }
                }
                if let Some(end) = best {
                    n += 1;
                    next_free = end;
                }
            }
        }
        let s = t.elapsed().as_secs_f64();
        println!(
            "fst 0.4 map (word-start probe) | {secs:.2} | {:.0} | {:.0} | {:.0} | {s:.2} | {:.1} | {n}",
            mb(kept),
            mb(peak),
            mb(serialised),
            text_mb / s
        );
    }
    // 4. newsie's design: aliases by first word, longest first, at word starts.
    {
        let (by_first, secs, kept, peak) = measure(|| {
            let mut by_first: HashMap<&str, Vec<&str>> = HashMap::new();
            for a in &aliases {
                let first = a
                    .split(|c: char| !c.is_alphanumeric() && (c as u32) < 0x80)
                    .next()
                    .unwrap_or(a);
                by_first.entry(first).or_default().push(a.as_str());
            }
            for v in by_first.values_mut() {
                v.sort_by_key(|a| std::cmp::Reverse(a.len()));
            }
            by_first
        });
        let t = Instant::now();
        let mut n = 0;
        for text in &texts {
            let b = text.as_bytes();
            let mut next_free = 0;
            for start in word_starts(b) {
                if start < next_free {
                    continue;
                }
                let end = (start..b.len())
                    .find(|&i| !is_word(b[i]))
                    .unwrap_or(b.len());
                let Some(cands) = by_first.get(&text[start..end]) else {
                    continue;
                };
                if let Some(a) = cands
                    .iter()
                    .find(|a| b[start..].starts_with(a.as_bytes()) && ends_word(b, start + a.len()))
                {
                    n += 1;
                    next_free = start + a.len();
                }
            }
        }
        let s = t.elapsed().as_secs_f64();
        println!(
            "first-word hash map (newsie today) | {secs:.2} | {:.0} | {:.0} | - | {s:.2} | {:.1} | {n}",
            mb(kept),
            mb(peak),
            text_mb / s
        );
    }
}
