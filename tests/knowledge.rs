//! The knowledge a run uses, seen from the command line: user gazetteers
//! replacing built-in entries, `newsie gazetteer list`, and the provenance
//! of records (`--version`, `extract --provenance`).

mod common;

use std::path::Path;
use std::process::Output;

use common::{bin, run, run_stdin};
use newsie::Record;

fn records(stdout: &[u8]) -> Vec<Record<'static>> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str::<Record>(l).unwrap().into_owned())
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const ARTICLE: &[u8] = b"Tencent Holdings Ltd. said on Monday that Tencent would invest in JD.com.";

#[test]
fn a_user_entry_replaces_the_builtin_entry_of_its_id() {
    let dir = tempfile::tempdir().unwrap();
    // The built-in entry has the aliases Tencent Holdings (Ltd./Limited)
    // and hq=shenzhen; this one drops them and moves the headquarters.
    let gaz = write(
        dir.path(),
        "mine.tsv",
        "# edited\ntencent\tORG\tTencent (edited)\tTencent\thq=hangzhou\n",
    );
    // 腾讯 is a built-in alias the user's entry drops.
    let article = "腾讯 said on Monday that Tencent would invest in JD.com.".as_bytes();
    let surfaces = |out: &Output| -> (String, Vec<String>) {
        let rec = &records(&out.stdout)[0];
        let tencent = rec.entities.iter().find(|e| e.id == "tencent").unwrap();
        let texts = tencent
            .mentions
            .iter()
            .map(|m| m.text.to_string())
            .collect();
        (tencent.name.to_string(), texts)
    };
    let builtin = run_stdin(bin().arg("extract"), article);
    assert_eq!(
        surfaces(&builtin),
        ("Tencent".into(), vec!["腾讯".into(), "Tencent".into()])
    );
    let out = run_stdin(bin().args(["extract", "--gazetteer"]).arg(&gaz), article);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        surfaces(&out),
        ("Tencent (edited)".into(), vec!["Tencent".into()])
    );
    let note = format!(
        "newsie: note: {}:2: \"tencent\" replaces the built-in entry",
        gaz.display()
    );
    assert!(stderr(&out).contains(&note), "{}", stderr(&out));
    // -q: no note.
    let quiet = run_stdin(
        bin().args(["extract", "-q", "--gazetteer"]).arg(&gaz),
        ARTICLE,
    );
    assert!(quiet.stderr.is_empty(), "{}", stderr(&quiet));

    // Two user files with one id are still an error.
    let again = write(dir.path(), "again.tsv", "tencent\tORG\tTencent\tTencent\n");
    let out = run_stdin(
        bin()
            .args(["extract", "--gazetteer"])
            .arg(&gaz)
            .arg("--gazetteer")
            .arg(&again),
        ARTICLE,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("duplicate id \"tencent\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn gazetteer_check_lists_replacements_not_errors() {
    let dir = tempfile::tempdir().unwrap();
    let gaz = write(dir.path(), "mine.tsv", "tencent\tORG\tTencent\tTencent\n");
    let out = run(bin().args(["gazetteer", "check"]).arg(&gaz));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("errors: 0"), "{stdout}");
    assert!(
        stdout.contains("built-in entries replaced (same id): 1"),
        "{stdout}"
    );
}

#[test]
fn errors_do_not_point_at_builtin_files() {
    let dir = tempfile::tempdir().unwrap();
    // "Alibaba" is a full alias of the built-in alibaba-group.
    let gaz = write(
        dir.path(),
        "mine.tsv",
        "alibaba-pictures\tORG\tAlibaba Pictures\tAlibaba\n",
    );
    let out = run_stdin(
        bin().args(["extract", "--strict", "--gazetteer"]).arg(&gaz),
        ARTICLE,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("mine.tsv:1"), "{err}");
    assert!(err.contains("newsie gazetteer list"), "{err}");
    assert!(!err.contains("gazetteers/"), "{err}");
}

#[test]
fn gazetteer_list_prints_every_builtin_entry_in_the_gazetteer_format() {
    let out = run(bin().args(["gazetteer", "list"]));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let builtin = newsie::gazetteer::Gazetteer::builtin().unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), builtin.len());
    // As a user gazetteer, the list loads: every entry replaces itself.
    let dir = tempfile::tempdir().unwrap();
    let copy = write(dir.path(), "copy.tsv", &text);
    let mut g = newsie::gazetteer::Gazetteer::builtin().unwrap();
    g.add_file(&copy).unwrap();
    assert_eq!(g.replacements().len(), builtin.len());
    assert_eq!(g.iter().count(), builtin.len());

    let people = run(bin().args(["gazetteer", "list", "--type", "PERSON"]));
    let people = String::from_utf8(people.stdout).unwrap();
    let rows: Vec<&str> = people.lines().filter(|l| !l.starts_with('#')).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|l| l.split('\t').nth(1) == Some("PERSON")));
}

/// The 16 hex digits of a digest.
fn is_digest(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

#[test]
fn version_names_the_data_digest() {
    for flag in ["--version", "-V"] {
        let out = run(bin().arg(flag));
        let line = String::from_utf8(out.stdout).unwrap();
        let want = format!(
            "newsie {} (gazetteers and lexicon {})\n",
            env!("CARGO_PKG_VERSION"),
            newsie::DATA_DIGEST
        );
        assert_eq!(line, want);
    }
    assert!(is_digest(newsie::DATA_DIGEST));
}

#[test]
fn provenance_is_added_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "a.jsonl",
        "{\"id\":\"a\",\"text\":\"Tencent rose.\"}\n\"not an object\"\n",
    );
    let plain = run(bin().arg("extract").arg(&input));
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("provenance"));
    let out = run(bin().args(["extract", "--provenance"]).arg(&input));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "a full record and an error record");
    for line in &lines {
        let fields = line.as_object().unwrap();
        let (last, provenance) = fields.iter().next_back().unwrap();
        assert_eq!(last, "provenance", "the last field");
        assert_eq!(provenance["newsie"], env!("CARGO_PKG_VERSION"));
        assert_eq!(provenance["gazetteers"], newsie::DATA_DIGEST);
    }
    // Records with provenance read back as records.
    let rec: Record = serde_json::from_value(lines[0].clone()).unwrap();
    assert_eq!(rec.provenance.unwrap().gazetteers, newsie::DATA_DIGEST);
    // The rest of each line is the record without it.
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("provenance");
        v
    };
    let plain: Vec<serde_json::Value> = String::from_utf8_lossy(&plain.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.into_iter().map(strip).collect::<Vec<_>>(), plain);

    // User knowledge changes the digest; the same files give the same one.
    let gaz = write(dir.path(), "mine.tsv", "zorblax\tORG\tZorblax\tZorblax\n");
    let digest = |extra: &[&std::ffi::OsStr]| {
        let out = run(bin()
            .args(["extract", "--provenance"])
            .args(extra)
            .arg(&input));
        let first: serde_json::Value =
            serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap())
                .unwrap();
        first["provenance"]["gazetteers"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let with_gaz = digest(&["--gazetteer".as_ref(), gaz.as_os_str()]);
    assert!(is_digest(&with_gaz));
    assert_ne!(with_gaz, newsie::DATA_DIGEST);
    assert_eq!(with_gaz, digest(&["--gazetteer".as_ref(), gaz.as_os_str()]));
    assert_ne!(
        with_gaz,
        digest(&[
            "--no-builtin-gazetteers".as_ref(),
            "--gazetteer".as_ref(),
            gaz.as_os_str()
        ])
    );
}

#[test]
fn provenance_goes_into_parquet_metadata() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let dir = tempfile::tempdir().unwrap();
    let tables = dir.path().join("tables");
    let out = run_stdin(
        bin()
            .args([
                "extract",
                "--provenance",
                "--output-format",
                "parquet",
                "-o",
            ])
            .arg(&tables),
        ARTICLE,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for name in newsie::tables::TABLES {
        let file = std::fs::File::open(tables.join(format!("{name}.parquet"))).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        let kv = reader
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .unwrap();
        let value = kv
            .iter()
            .find(|kv| kv.key == newsie::tables::PROVENANCE_KEY)
            .and_then(|kv| kv.value.clone())
            .unwrap();
        let p: newsie::record::Provenance = serde_json::from_str(&value).unwrap();
        assert_eq!(p.gazetteers, newsie::DATA_DIGEST, "{name}");
    }
}
