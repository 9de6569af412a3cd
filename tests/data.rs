//! Tests as named data, as the regex crate keeps its suite: each layer's
//! cases are rows of `tests/data/<layer>.toml` (entities, money, dates,
//! relations), one `[[test]]` table per case with a unique kebab-case `name`,
//! the `text`, an optional document date `dct` (`YYYY-MM-DD`) and what the
//! layer must find. Each file's header says what its fields mean.
//!
//! One harness per file (`tests/data/<layer>.rs`), through the public API
//! only: the pipeline is built once, every row runs through
//! [`Pipeline::process_text`] and [`Record::from_document`], and the row's
//! expectation is compared with the record's layer. All failures are
//! gathered and reported together, each with the row's name, its text, what
//! was expected and what was found, the latter written as the file writes it.
//!
//! A file is rejected as a whole for unknown fields, a missing field, a name
//! given twice or a name that is not kebab-case.
//!
//! To run some rows only, set `NEWSIE_TEST_ROW` to part of their names:
//! `NEWSIE_TEST_ROW=leap-day cargo test --test data`. To run one file's
//! rows: `cargo test --test data dates`.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::LazyLock;

use chrono::NaiveDate;
use newsie::{Pipeline, PipelineBuilder, Record};
use serde::Deserialize;
use serde::de::DeserializeOwned;

#[path = "data/dates.rs"]
mod dates;
#[path = "data/entities.rs"]
mod entities;
#[path = "data/money.rs"]
mod money;
#[path = "data/relations.rs"]
mod relations;

/// The filter on row names (`NEWSIE_TEST_ROW`).
const ROW_FILTER: &str = "NEWSIE_TEST_ROW";

static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| PipelineBuilder::new().build().expect("pipeline"));

/// A data file: its rows, each a `[[test]]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File<R> {
    test: Vec<R>,
}

/// A row of a data file.
trait Row: DeserializeOwned {
    /// The layer's expected items, compared with what the pipeline found.
    type Item: PartialEq + std::fmt::Display;

    fn name(&self) -> &str;
    fn text(&self) -> &str;
    /// The document date.
    fn dct(&self) -> Option<NaiveDate> {
        None
    }
    /// What makes the row malformed beyond what serde checks.
    fn malformed(&self) -> Option<String> {
        None
    }
    /// What the row expects, in the order the layer is compared in.
    fn expected(&self) -> Vec<Self::Item>;
    /// What the pipeline found (`record`, of the row's text), in the same order.
    fn actual(&self, record: &Record) -> Vec<Self::Item>;
}

/// Loads `tests/data/<file>`, runs every row (or those `NEWSIE_TEST_ROW`
/// picks) and panics with a report of every row that failed.
fn run_file<R: Row>(file: &str) {
    let rows = load::<R>(file);
    let filter = std::env::var(ROW_FILTER).ok();
    let picked: Vec<&R> = match filter.as_deref() {
        None => rows.iter().collect(),
        Some(f) => rows.iter().filter(|r| r.name().contains(f)).collect(),
    };
    let of = match filter.as_deref() {
        None => format!("{} rows", picked.len()),
        Some(f) => format!("the {} rows {ROW_FILTER}={f} picks", picked.len()),
    };
    if picked.is_empty() {
        // Another file may hold the rows asked for. Said straight to stderr:
        // the test harness keeps back what a passing test prints.
        let f = filter.unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "tests/data/{file}: no row's name contains {f:?}"
        );
        return;
    }
    let mut report = String::new();
    let mut failed = 0;
    for row in picked {
        // A row the pipeline panics on is one failure; the other rows still run.
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| check(row)))
            .unwrap_or_else(|_| Err("  the pipeline panicked\n".to_string()));
        if let Err(why) = outcome {
            failed += 1;
            let _ = write!(report, "\n{}  {:?}", row.name(), row.text());
            if let Some(dct) = row.dct() {
                let _ = write!(report, " (dct {dct})");
            }
            let _ = write!(report, "\n{why}");
        }
    }
    assert!(
        failed == 0,
        "tests/data/{file}: {failed} of {of} failed (one alone: {ROW_FILTER}=<name>):\n{report}"
    );
}

/// Runs one row: `Err` says what it expected and what was found.
fn check<R: Row>(row: &R) -> Result<(), String> {
    let doc = PIPELINE.process_text(row.name(), "tests/data", row.text(), row.dct());
    let record = Record::from_document(&doc);
    let (want, got) = (row.expected(), row.actual(&record));
    if want == got {
        return Ok(());
    }
    let list = |items: &[R::Item]| -> String {
        if items.is_empty() {
            return "    (none)\n".to_string();
        }
        items.iter().map(|i| format!("    {i},\n")).collect()
    };
    Err(format!(
        "  expected:\n{}  actual:\n{}",
        list(&want),
        list(&got)
    ))
}

/// Reads and checks a data file: known fields only, every name kebab-case and
/// given once.
fn load<R: Row>(file: &str) -> Vec<R> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows = toml::from_str::<File<R>>(&source)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .test;
    let mut seen = HashSet::new();
    for row in &rows {
        let name = row.name();
        assert!(
            is_kebab_case(name),
            "{}: name {name:?} is not kebab-case",
            path.display()
        );
        assert!(
            seen.insert(name),
            "{}: name {name:?} is given twice",
            path.display()
        );
        if let Some(why) = row.malformed() {
            panic!("{}: row {name:?}: {why}", path.display());
        }
    }
    assert!(!rows.is_empty(), "{}: no rows", path.display());
    rows
}

/// `lower-case-words-joined-by-dashes` (digits allowed).
fn is_kebab_case(name: &str) -> bool {
    name.split('-').all(|w| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// A string as a TOML basic string (JSON's escapes are TOML's).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[test]
fn names_must_be_kebab_case() {
    for ok in ["year-after-in", "q1-2021", "a"] {
        assert!(is_kebab_case(ok), "{ok}");
    }
    for bad in ["", "Year", "a--b", "-a", "a-", "a_b", "é"] {
        assert!(!is_kebab_case(bad), "{bad}");
    }
}
