//! The Python package's test suite (`bindings/python/tests`, pytest), run
//! against the `newsie` package installed in a venv: `$NEWSIE_PYTHON`, else
//! `target/python-venv` (which `.ci/run` makes with `pip install .`). The
//! package must be rebuilt (`pip install .`) after a change to the Rust code;
//! the suite compares its records with this build's binary.

use std::process::Command;

mod common;
use common::{root, venv_python};

#[test]
#[ignore = "needs a venv with the newsie Python package, pytest and spaCy (.ci/run makes target/python-venv)"]
fn python_package_suite() {
    let python = venv_python();
    let check = Command::new(&python)
        .args(["-c", "import newsie, pytest, spacy"])
        .output();
    assert!(
        check.as_ref().is_ok_and(|o| o.status.success()),
        "{} cannot import newsie, pytest and spaCy ({:?}): run .ci/run, or make the venv and `pip install . pytest spacy`",
        python.display(),
        check.map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
    );
    let out = Command::new(&python)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(root().join("bindings/python/tests"))
        .env("NEWSIE_BIN", env!("CARGO_BIN_EXE_newsie"))
        .env("NEWSIE_REQUIRE_SPACY", "1")
        .current_dir(root())
        .output()
        .expect("run pytest");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pytest failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{}", report.lines().last().unwrap_or_default());
}
