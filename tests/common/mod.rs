//! Helpers the end-to-end test files share (each includes this module and
//! uses what it needs).
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The `newsie` binary of this build.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsie"))
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seeds_dir() -> PathBuf {
    root().join("fixtures/seeds")
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run newsie")
}

/// Runs `cmd` with `input` on its standard input, written from a thread of
/// its own (a large output must not wait for the input to be written).
pub fn run_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn newsie");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer thread").expect("write stdin");
    out
}

/// `(id, text)` of every seed article, in path order.
pub fn seed_texts() -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(seeds_dir())
        .expect("fixtures/seeds")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, std::fs::read_to_string(p).expect("seed text"))
        })
        .collect()
}

/// The Python of the venv `.ci/run` makes (`$NEWSIE_PYTHON` overrides).
pub fn venv_python() -> PathBuf {
    std::env::var_os("NEWSIE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/python-venv/bin/python"))
}
