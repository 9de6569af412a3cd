//! Compiles the built-in gazetteers (gazetteers/*.tsv) into the binary
//! format once, at build time, so that start-up does not parse or index them
//! (`Gazetteer::builtin` reads `OUT_DIR/builtin.ngz` in place), and lists them
//! for `newsie gazetteer check` (`OUT_DIR/builtin_sources.rs`); and digests
//! the built-in data, gazetteers and lexicon, for `newsie --version` and
//! `extract --provenance` (`NEWSIE_DATA_DIGEST`).

use std::path::Path;

#[path = "src/digest.rs"]
mod digest;

#[path = "src/gazetteer/format.rs"]
#[allow(dead_code)]
mod format;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo::rerun-if-changed=src/gazetteer/format.rs");
    let mut texts = Vec::new();
    let mut sources = String::from(
        "/// The built-in gazetteer files `(name, text)`, in load order.\npub const BUILTIN: &[(&str, &str)] = &[\n",
    );
    for name in format::BUILTIN_FILES {
        let path = Path::new(&root).join(name);
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
        sources.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
        texts.push((*name, text));
    }
    sources.push_str("];\n");
    let files: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (*n, t.as_str())).collect();
    // Curated data: two entries sharing a full alias is an error here.
    let compiled = format::compile(&files, true)
        .unwrap_or_else(|e| panic!("built-in gazetteer {}:{}: {}", e.file, e.line, e.message));
    std::fs::write(Path::new(&out).join("builtin.ngz"), compiled).expect("write builtin.ngz");
    std::fs::write(Path::new(&out).join("builtin_sources.rs"), sources)
        .expect("write builtin_sources.rs");
    println!(
        "cargo::rustc-env=NEWSIE_DATA_DIGEST={}",
        data_digest(&root, &files)
    );
}

/// SHA-256 of the built-in gazetteer files and the lexicon files (each
/// name, its length and its bytes, the lexicon in name order), as 16 hex
/// digits: what the knowledge in a build was.
fn data_digest(root: &str, gazetteers: &[(&str, &str)]) -> String {
    let lexicon = Path::new(root).join("lexicon");
    println!("cargo::rerun-if-changed={}", lexicon.display());
    let mut names: Vec<String> = std::fs::read_dir(&lexicon)
        .expect("read lexicon/")
        .map(|e| {
            e.expect("read lexicon/")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".txt") || n.ends_with(".tsv"))
        .collect();
    names.sort();
    let mut files: Vec<(String, Vec<u8>)> = gazetteers
        .iter()
        .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
        .collect();
    for name in names {
        let bytes = std::fs::read(lexicon.join(&name)).expect("read a lexicon file");
        files.push((format!("lexicon/{name}"), bytes));
    }
    digest::digest16(&files)
}
