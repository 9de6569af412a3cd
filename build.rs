//! Compiles the built-in gazetteers (gazetteers/*.tsv) into the binary
//! format once, at build time, so that start-up does not parse or index them
//! (`Gazetteer::builtin` reads `OUT_DIR/builtin.ngz` in place), and lists them
//! for `newsie gazetteer check` (`OUT_DIR/builtin_sources.rs`).

use std::path::Path;

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
}
