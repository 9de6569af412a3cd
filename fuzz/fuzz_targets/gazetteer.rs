//! Fuzz the gazetteer parsers: TSV text compiled alone and loaded on top of
//! the built-in lists (ids, aliases, `hq=`, overrides of built-in entries),
//! checked as `newsie gazetteer check` does, and arbitrary bytes read as a
//! compiled (`.ngz`) list.
//!
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run gazetteer fuzz/corpus/gazetteer
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use newsie::gazetteer::{self, Gazetteer};

static BUILTIN: LazyLock<Gazetteer> = LazyLock::new(|| Gazetteer::builtin().expect("built-in"));

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let strict = choice & 1 != 0;
    if choice & 2 != 0 {
        // A compiled list: the checksum and tables are checked as it opens.
        let mut g = Gazetteer::default();
        if g.add_compiled("fuzz.ngz", bytes.to_vec()).is_ok() {
            for e in g.iter() {
                let _ = (e.id(), e.name(), e.hq(), e.kind());
            }
        }
        return;
    }
    let text = String::from_utf8_lossy(bytes);
    if let Ok(compiled) = gazetteer::compile(&[("fuzz.tsv", &text)], strict) {
        let mut alone = Gazetteer::default();
        alone
            .add_compiled("fuzz.tsv", compiled)
            .expect("a list compile made loads");
    }
    // On top of the built-in lists: the new entries' ids resolve to them
    // (an id the built-in lists have too is the user's).
    let mut g = BUILTIN.clone();
    if g.add_source("fuzz.tsv", &text).is_ok() {
        for i in BUILTIN.len()..g.len() {
            let e = g.entry(i);
            assert_eq!(g.get(e.id()).map(|found| found.index()), Some(i));
        }
        if strict {
            let _ = g.check_aliases();
        }
    }
    // What `newsie gazetteer check --alone` reports (every problem, not the first).
    let files = [("fuzz.tsv".to_string(), text.into_owned())];
    let _ = gazetteer::check(&files, &Gazetteer::default(), strict);
});
