//! `newsie diff` end to end: every field compared, edited texts aligned,
//! the summary grouped, the formats, the flags, any order of ids.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{bin, run, run_stdin, seeds_dir};
use serde_json::{Value, json};

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// The seeds' records, with their texts (`--emit-text`).
fn seed_records() -> Vec<Value> {
    let out = run(bin()
        .args(["extract", "--emit-text", "-q"])
        .arg(seeds_dir()));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn write_records(path: &Path, records: &[Value]) {
    let body: String = records.iter().map(|r| r.to_string() + "\n").collect();
    std::fs::write(path, body).unwrap();
}

/// `diff --format json` of two record lists.
fn diff_json(old: &[Value], new: &[Value], flags: &[&str]) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("old.jsonl"), dir.path().join("new.jsonl"));
    write_records(&a, old);
    write_records(&b, new);
    let out = run(bin()
        .args(["diff", "--format", "json"])
        .args(flags)
        .arg(&a)
        .arg(&b));
    let report =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    (code(&out), report)
}

/// The `(layer, op, label)` of each change of the first differing document.
fn changes(report: &Value) -> Vec<(String, String, String)> {
    report["documents"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (s("layer"), s("op"), s("label"))
        })
        .collect()
}

#[test]
fn every_field_is_compared() {
    let seeds = seed_records();
    let base = &seeds[1];
    type Edit = fn(&mut Value);
    // (name, the edit of the new record, the one change it must give)
    let rows: [(&str, Edit, (&str, &str, &str)); 10] = [
        (
            "a warning",
            |r| r["warnings"] = json!(["a new warning"]),
            ("warnings", "added", "a new warning"),
        ),
        (
            "an entity's name",
            |r| r["entities"][0]["name"] = json!("Another Name"),
            ("entities", "changed", ""),
        ),
        (
            "a relation's rule",
            |r| r["relations"][0]["rule"] = json!("other-rule"),
            ("relations", "changed", ""),
        ),
        (
            "a relation's evidence",
            |r| r["relations"][0]["evidence"]["end"] = json!(3),
            ("relations", "changed", ""),
        ),
        (
            "a sentence",
            |r| r["sentences"][0]["end"] = json!(5),
            ("sentences", "changed", ""),
        ),
        (
            "the source",
            |r| r["source"] = json!("elsewhere.txt"),
            ("fields", "changed", "source"),
        ),
        (
            "the dct",
            |r| r["dct"] = json!("1999-01-01"),
            ("fields", "changed", "dct"),
        ),
        (
            "a new field",
            |r| r["provenance"] = json!({"newsie": "9"}),
            ("fields", "added", "provenance"),
        ),
        (
            "a money value",
            |r| r["money"][0]["value"] = json!(1),
            ("money", "changed", ""),
        ),
        (
            "a date value",
            |r| r["dates"][0]["value"] = json!("1999"),
            ("dates", "changed", ""),
        ),
    ];
    for (name, edit, (layer, op, label)) in rows {
        let mut new = base.clone();
        edit(&mut new);
        let (code, report) = diff_json(std::slice::from_ref(base), &[new], &[]);
        assert_eq!(code, 1, "{name}");
        let found = changes(&report);
        let hit = found
            .iter()
            .any(|(l, o, lab)| l == layer && o == op && (label.is_empty() || lab == label));
        // A sentence whose end moved is one removed and one added.
        let sentence = layer == "sentences"
            && found
                .iter()
                .any(|(l, o, _)| l == "sentences" && o == "added");
        assert!(hit || sentence, "{name}: {found:?}");
    }
    // An edited text is reported as such, even with no item changed.
    let mut new = base.clone();
    new["text_sha256"] = json!("0".repeat(64));
    let (code, report) = diff_json(std::slice::from_ref(base), &[new], &[]);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["texts_edited"], 1);
    assert!(report["documents"][0]["text"].is_object());
}

/// The seed with an edit in its middle: `Tencent` → `Tencent Music`.
fn edited_seed() -> (String, String, usize) {
    let path = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("001_"))
        .unwrap();
    let old = std::fs::read_to_string(path).unwrap();
    let at = old[old.len() / 3..].find("Tencent").unwrap() + old.len() / 3;
    let new = format!(
        "{}Tencent Music{}",
        &old[..at],
        &old[at + "Tencent".len()..]
    );
    let at_chars = old[..at].chars().count();
    (old, new, at_chars)
}

fn extract_text(dir: &Path, name: &str, text: &str, flags: &[&str]) -> Value {
    let path = dir.join(name);
    std::fs::create_dir_all(&path).unwrap();
    std::fs::write(path.join("doc.txt"), text).unwrap();
    let out = run(bin().args(["extract", "-q"]).args(flags).arg(&path));
    serde_json::from_str(stdout(&out).trim()).unwrap()
}

#[test]
fn an_edit_in_the_middle_of_a_seed_yields_exactly_the_changed_mentions() {
    let (old_text, new_text, at) = edited_seed();
    let dir = tempfile::tempdir().unwrap();
    let old = extract_text(dir.path(), "old", &old_text, &["--emit-text"]);
    let new = extract_text(dir.path(), "new", &new_text, &["--emit-text"]);
    let (code, report) = diff_json(
        std::slice::from_ref(&old),
        std::slice::from_ref(&new),
        &["--ignore", "source"],
    );
    assert_eq!(code, 1);
    assert_eq!(report["documents"][0]["text"]["edits"], 1);
    let mentions: Vec<(String, String, u64, u64)> = report["documents"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["layer"] == "mentions")
        .map(|c| {
            (
                c["op"].as_str().unwrap().to_string(),
                c["label"].as_str().unwrap().to_string(),
                c["start"].as_u64().unwrap(),
                c["end"].as_u64().unwrap(),
            )
        })
        .collect();
    let at = at as u64;
    assert_eq!(
        mentions,
        [
            ("removed".into(), "tencent".into(), at, at + 7),
            ("added".into(), "tencent-music".into(), at, at + 13),
        ]
    );
    // Every other change is at the edit: the new entity, the sentence around it.
    for c in report["documents"][0]["changes"].as_array().unwrap() {
        if let (Some(s), Some(e)) = (c["start"].as_u64(), c["end"].as_u64()) {
            assert!(s <= at + 13 && e >= at, "a change away from the edit: {c}");
        }
    }
    // Without the texts (no "text", a source that no longer holds it),
    // spans compare by offset: every later mention moves.
    let strip = |mut r: Value| {
        r.as_object_mut().unwrap().remove("text");
        r["source"] = json!("gone.txt");
        r
    };
    let (_, by_offset) = diff_json(&[strip(old.clone())], &[strip(new.clone())], &[]);
    assert_eq!(by_offset["summary"]["texts_aligned"], 0);
    let moved = by_offset["documents"][0]["changes"]
        .as_array()
        .unwrap()
        .len();
    assert!(moved > 10, "by offset, {moved} changes");
    // --text gives the texts back (read as extract reads them).
    let texts = dir.path().join("texts");
    std::fs::create_dir(&texts).unwrap();
    std::fs::write(texts.join("old.txt"), &old_text).unwrap();
    std::fs::write(texts.join("new.txt"), &new_text).unwrap();
    let flags = ["--text", texts.to_str().unwrap()];
    let (_, found) = diff_json(&[strip(old)], &[strip(new)], &flags);
    assert_eq!(found["summary"]["texts_aligned"], 1);
    assert_eq!(
        found["documents"][0]["changes"],
        report["documents"][0]["changes"]
    );
}

/// The seeds as many documents (`seed-N`), `edited` of them with `Tencent`
/// → `Tencent Music` at one place; their records with their texts.
fn corpus(documents: usize, edited: usize) -> (Vec<Value>, Vec<Value>) {
    let texts: Vec<String> = seed_records()
        .iter()
        .map(|r| r["text"].as_str().unwrap().to_string())
        .collect();
    let (old_text, new_text, _) = edited_seed();
    let rows = |edit: bool| -> String {
        (0..documents)
            .map(|i| {
                let text = match i % texts.len() {
                    1 if edit && i / texts.len() < edited => new_text.clone(),
                    1 => old_text.clone(),
                    k => texts[k].clone(),
                };
                json!({"id": format!("seed-{i}"), "text": text}).to_string() + "\n"
            })
            .collect()
    };
    let extract = |body: String| -> Vec<Value> {
        let out = run_stdin(
            bin().args(["extract", "--emit-text", "-q"]),
            body.as_bytes(),
        );
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    (extract(rows(false)), extract(rows(true)))
}

#[test]
fn the_summary_groups_like_changes() {
    let (old, new) = corpus(40, 7);
    let (code, report) = diff_json(&old, &new, &[]);
    assert_eq!(code, 1);
    let summary = &report["summary"];
    assert_eq!(summary["compared"], 40);
    assert_eq!(summary["changed"], 7);
    assert_eq!(summary["identical"], 33);
    let top = summary["top"].as_array().unwrap();
    let group = top
        .iter()
        .find(|g| g["op"] == "added" && g["layer"] == "mentions" && g["label"] == "tencent-music")
        .unwrap_or_else(|| panic!("{top:#?}"));
    assert_eq!(
        (group["changes"].as_u64(), group["documents"].as_u64()),
        (Some(7), Some(7))
    );
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    write_records(&a, &old);
    write_records(&b, &new);
    let text = stdout(&run(bin().arg("diff").arg(&a).arg(&b)));
    assert!(
        text.contains("+ mentions ORG tencent-music: 7 changes in 7 documents"),
        "{text}"
    );
    assert!(
        text.find("most frequent changes").unwrap() < text.find("~ seed-1:").unwrap(),
        "summary first"
    );
}

#[test]
fn flags_stat_ignore_quiet_max_per_doc_and_stdin() {
    let (old, new) = corpus(12, 3);
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    write_records(&a, &old);
    write_records(&b, &new);
    let diff = |flags: &[&str]| run(bin().arg("diff").args(flags).arg(&a).arg(&b));
    let stat = diff(&["--stat"]);
    assert_eq!(code(&stat), 1);
    assert!(
        stdout(&stat).contains("documents: 12 compared") && !stdout(&stat).contains("~ seed-1")
    );
    let ignored = diff(&[
        "--ignore",
        "mentions",
        "--ignore",
        "entities",
        "--ignore",
        "sentences",
        "--ignore",
        "text",
    ]);
    assert_eq!(code(&ignored), 0, "{}", stdout(&ignored));
    let quiet = diff(&["-q"]);
    assert_eq!((code(&quiet), quiet.stdout.len()), (1, 0));
    let same = run(bin().args(["diff", "-q"]).arg(&a).arg(&a));
    assert_eq!((code(&same), same.stdout.len()), (0, 0));
    let capped = stdout(&diff(&["--max-per-doc", "1"]));
    assert!(capped.contains("more (--max-per-doc)"), "{capped}");
    let bad = diff(&["--ignore", "Not A Layer"]);
    assert_eq!(code(&bad), 2);
    // `-` is standard input, on either side.
    let body = std::fs::read(&b).unwrap();
    let from_stdin = run_stdin(bin().args(["diff", "--stat"]).arg(&a).arg("-"), &body);
    assert_eq!(stdout(&from_stdin), stdout(&stat));
    let colored = stdout(&diff(&["--color", "always"]));
    assert!(colored.contains("\x1b[32m+ mentions"), "{colored}");
    assert!(!stdout(&diff(&[])).contains('\x1b'), "no colour on a pipe");
}

#[test]
fn any_order_of_ids_and_documents_on_one_side() {
    let (old, mut new) = corpus(30, 4);
    let (_, in_order) = diff_json(&old, &new, &[]);
    new.reverse();
    let (_, reversed) = diff_json(&old, &new, &[]);
    assert_eq!(in_order["summary"], reversed["summary"]);
    // A document removed, one added, one failing now.
    let mut changed = new.clone();
    changed.retain(|r| r["id"] != "seed-0");
    changed.push(json!({"id": "brand-new", "source": "x", "dct": null, "entities": []}));
    let i = changed.iter().position(|r| r["id"] == "seed-2").unwrap();
    changed[i] = json!({"id": "seed-2", "source": "x", "error": "binary content"});
    let (code, report) = diff_json(&old, &changed, &["--stat"]);
    assert_eq!(code, 1);
    let s = &report["summary"];
    assert_eq!(
        (
            s["removed"].as_u64(),
            s["added"].as_u64(),
            s["failing"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert!(
        report.get("documents").is_none(),
        "--stat: the summary only"
    );
}

#[test]
fn markdown_and_html_show_the_changes() {
    let (old, new) = corpus(8, 2);
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    write_records(&a, &old);
    write_records(&b, &new);
    let page = dir.path().join("diff.html");
    let out = run(bin()
        .args(["diff", "--format", "markdown", "--html"])
        .arg(&page)
        .arg(&a)
        .arg(&b));
    assert_eq!(code(&out), 1);
    let md = stdout(&out);
    assert!(
        md.starts_with("### newsie diff: 2 of 8 documents differ"),
        "{md}"
    );
    assert!(
        md.contains("| layer | type | added | removed | changed |"),
        "{md}"
    );
    assert!(
        md.contains("| `+ mentions ORG tencent-music` | 2 | 2 |"),
        "{md}"
    );
    assert!(
        md.contains("<details>") && md.trim_end().ends_with("</details>"),
        "{md}"
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(html.matches("<section class=\"doc\"").count(), 2);
    assert!(
        html.contains("<mark class=\"added\" title=\"+ mentions ORG tencent-music"),
        "added items marked in the text"
    );
    assert!(
        html.contains("<ins class=\"edit\"> Music</ins>"),
        "the edit marked"
    );
}

#[test]
fn diff_is_as_fast_as_reading_the_files_allows() {
    // Byte-identical records are not parsed: a file against itself is only
    // read (this guards the fast path's correctness, not its speed).
    let (old, _) = corpus(20, 0);
    let dir = tempfile::tempdir().unwrap();
    let a: PathBuf = dir.path().join("a.jsonl");
    write_records(&a, &old);
    let out = run(bin()
        .args(["diff", "--format", "json", "--stat"])
        .arg(&a)
        .arg(&a));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["identical"], 20);
    assert_eq!(code(&out), 0);
}

#[test]
fn records_that_differ_only_in_how_they_are_written_are_the_same() {
    let old = seed_records();
    // Fields in reverse order, numbers written another way: not byte-identical.
    let new: Vec<Value> = old
        .iter()
        .map(|r| {
            let fields = r.as_object().unwrap();
            let reversed: serde_json::Map<String, Value> = fields
                .iter()
                .rev()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Value::Object(reversed)
        })
        .collect();
    let (code, report) = diff_json(&old, &new, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["identical"], 0);
    assert_eq!(report["summary"]["compared"], old.len());
}
