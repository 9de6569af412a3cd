//! Fuzz the lexicon parsers (word lists, legal suffixes, currency tables)
//! on text given as an edited copy of one of the built-in files, as a
//! `--lexicon` directory gives it.
//!
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run lexicon fuzz/corpus/lexicon
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static NAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| newsie::lexicon::file_names().collect());

fuzz_target!(|data: &[u8]| {
    // The first byte picks the file the text stands in for.
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(choice) % NAMES.len()];
    let text = String::from_utf8_lossy(bytes);
    if let Err(e) = newsie::lexicon::check_file(name, &text) {
        // The file, or a built-in one it disagrees with (a currency form
        // whose cue words the edited cue file dropped).
        let builtin = e.origin.starts_with("lexicon/");
        assert!(
            e.origin == name || builtin,
            "an error names {}, not {name}",
            e.origin
        );
    }
});
