//! Datasets in and out, end to end: compressed inputs, foreign JSONL
//! records, HTML pages, directory walks, standard input, Parquet tables.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod common;
use common::{bin, root, run, run_stdin, seed_texts, seeds_dir, venv_python};

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "exit {:?}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8(stdout.to_vec())
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l}: {e}")))
        .collect()
}

/// Records without `source`, which names where each came from.
fn without_source(records: Vec<Value>) -> Vec<Value> {
    records
        .into_iter()
        .map(|mut r| {
            r.as_object_mut().expect("object").remove("source");
            r
        })
        .collect()
}

fn seeds_jsonl() -> String {
    seed_texts()
        .iter()
        .map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string() + "\n")
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::stream::encode_all(bytes, 3).unwrap()
}

#[test]
fn compressed_inputs_give_the_records_of_plain_ones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let jsonl = seeds_jsonl();
    let plain = lines(&ok(run(bin().arg("extract").arg(seeds_dir()))).stdout);
    // (file name, bytes, how it is read)
    let rows: Vec<(&str, Vec<u8>)> = vec![
        ("seeds.jsonl.gz", gzip(jsonl.as_bytes())),
        ("seeds.jsonl.zst", zstd(jsonl.as_bytes())),
        // The bytes tell, whatever the name says.
        ("seeds.jsonl", gzip(jsonl.as_bytes())),
    ];
    for (name, bytes) in rows {
        let path = d.join(name);
        std::fs::write(&path, bytes).unwrap();
        let got = lines(&ok(run(bin().arg("extract").arg(&path))).stdout);
        assert_eq!(without_source(got), without_source(plain.clone()), "{name}");
    }
    // Text files, one document each, ids from the name without suffixes.
    let texts = d.join("texts");
    std::fs::create_dir(&texts).unwrap();
    for (k, (id, text)) in seed_texts().iter().enumerate() {
        let (name, bytes) = match k % 3 {
            0 => (format!("{id}.txt.gz"), gzip(text.as_bytes())),
            1 => (format!("{id}.txt.zst"), zstd(text.as_bytes())),
            _ => (format!("{id}.txt"), text.as_bytes().to_vec()),
        };
        std::fs::write(texts.join(name), bytes).unwrap();
    }
    let got = lines(&ok(run(bin().arg("extract").arg(&texts))).stdout);
    assert_eq!(without_source(got), without_source(plain.clone()));
    // Standard input, compressed and sniffed.
    let got = lines(&ok(run_stdin(bin().arg("extract"), &zstd(jsonl.as_bytes()))).stdout);
    assert_eq!(without_source(got), without_source(plain));
}

#[test]
fn a_damaged_compressed_file_is_an_error_record_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = gzip(seed_texts()[0].1.as_bytes());
    bytes.truncate(bytes.len() / 2);
    let path = dir.path().join("cut.txt.gz");
    std::fs::write(&path, bytes).unwrap();
    let out = run(bin().arg("extract").arg(&path));
    assert_eq!(out.status.code(), Some(1));
    let recs = lines(&out.stdout);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["id"], "cut");
    assert!(
        recs[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("cannot read")
    );
}

/// A body with entities, a date and an amount.
const BODY: &str = "Tencent invested $3 billion in JD.com last year.";

#[test]
fn foreign_jsonl_records_map_onto_documents() {
    // (name, line, flags, id, text, dct)
    type Row<'a> = (
        &'a str,
        Value,
        Vec<&'a str>,
        &'a str,
        String,
        Option<&'a str>,
    );
    let rows: Vec<Row> = vec![
        (
            "cc_news",
            serde_json::json!({"title": "Tencent bets on JD.com", "text": BODY,
                "domain": "example.com", "date": "2021-03-17 08:30:00",
                "description": "x", "url": "https://example.com/a"}),
            vec![],
            "f:1",
            format!("Tencent bets on JD.com\n\n{BODY}"),
            Some("2021-03-17"),
        ),
        (
            "news-please",
            serde_json::json!({"title": "Tencent bets on JD.com", "maintext": BODY,
                "date_publish": "2021-03-17T08:30:00Z", "authors": ["A. Writer"],
                "url": "https://example.com/a", "language": "en"}),
            vec![],
            "f:1",
            format!("Tencent bets on JD.com\n\n{BODY}"),
            Some("2021-03-17"),
        ),
        (
            "a title the text already starts with",
            serde_json::json!({"id": "a", "title": "Tencent", "text": BODY}),
            vec![],
            "a",
            BODY.to_string(),
            None,
        ),
        (
            "named fields",
            serde_json::json!({"doc": 12, "body": BODY, "published": "2020-01-02T23:59:59+08:00",
                "headline": "Deal", "text": "not this"}),
            vec![
                "--text-field",
                "body",
                "--id-field",
                "doc",
                "--date-field",
                "published",
                "--title-field",
                "headline",
            ],
            "12",
            format!("Deal\n\n{BODY}"),
            Some("2020-01-02"),
        ),
        (
            "titles turned off",
            serde_json::json!({"title": "Deal", "text": BODY}),
            vec!["--title-field", ""],
            "f:1",
            BODY.to_string(),
            None,
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.jsonl");
    for (name, line, flags, id, text, dct) in rows {
        std::fs::write(&path, line.to_string() + "\n").unwrap();
        let out = ok(run(bin().arg("extract").args(&flags).arg(&path)));
        let rec = &lines(&out.stdout)[0];
        assert_eq!(rec["id"], id, "{name}");
        assert_eq!(rec["dct"].as_str(), dct, "{name}");
        // The record carries the text its offsets count in whenever it is
        // not the input's field as it is.
        let carried = rec.get("text").and_then(Value::as_str);
        if text == BODY {
            assert_eq!(carried, None, "{name}");
        } else {
            assert_eq!(carried, Some(text.as_str()), "{name}");
        }
        for e in rec["entities"].as_array().unwrap() {
            for m in e["mentions"].as_array().unwrap() {
                let (s, t) = (
                    m["start"].as_u64().unwrap() as usize,
                    m["end"].as_u64().unwrap() as usize,
                );
                let surface: String = text.chars().skip(s).take(t - s).collect();
                assert_eq!(m["text"].as_str(), Some(surface.as_str()), "{name}");
            }
        }
    }
}

#[test]
fn emit_text_puts_every_text_in_its_record() {
    let out = ok(run(bin().args(["extract", "--emit-text"]).arg(seeds_dir())));
    for (rec, (_, text)) in lines(&out.stdout).iter().zip(seed_texts()) {
        assert_eq!(rec["text"].as_str(), Some(text.as_str()));
    }
}

/// A headline without entities, long enough that the page title's " |
/// Example News" goes (Readability keeps a title whose first part is under
/// three words whole).
const HEADLINE: &str = "Markets close higher after a volatile week";

/// A news page around `paragraphs`: everything a crawled page has besides
/// the article.
fn news_page(headline: &str, paragraphs: &[&str]) -> String {
    let story: String = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>\n", p.replace('&', "&amp;")))
        .collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{headline} | Example News</title>
<meta property="article:published_time" content="2021-03-17T08:30:00Z">
<style>body {{ font-family: serif; }} .nav a {{ color: red; }}</style>
<script>var trackingScriptWord = "SCRIPTMARKER"; function load() {{ return 1; }}</script>
</head><body>
<div class="cookie-banner">We use cookies COOKIEMARKER. <button>Accept all</button></div>
<header><nav class="nav"><a href="/">Home</a> <a href="/markets">Markets NAVMARKER</a>
<a href="/tech">Tech</a> <a href="/world">World</a> <a href="/opinion">Opinion</a></nav></header>
<main><article><h1>{headline}</h1>
<div class="story-body">
{story}</div></article>
<aside class="sidebar"><h3>Related stories</h3><ul>
<li><a href="/r1">Oil prices slip SIDEBARMARKER</a></li><li><a href="/r2">Stocks rally</a></li></ul></aside>
</main>
<footer><p>Copyright 2021 Example News FOOTERMARKER. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
<script>console.log("SCRIPTMARKER2");</script>
</body></html>"#
    )
}

fn entity_surfaces(rec: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = rec["entities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            e["mentions"].as_array().unwrap().iter().map(|m| {
                (
                    e["id"].as_str().unwrap().to_string(),
                    m["text"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    out.sort();
    out
}

#[test]
fn an_html_page_gives_the_entities_of_its_text() {
    let dir = tempfile::tempdir().unwrap();
    for (id, text) in seed_texts() {
        // The seed without its date line, a paragraph per line.
        let body: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("date "))
            .collect();
        let txt = dir.path().join(format!("{id}.txt"));
        std::fs::write(&txt, body.join("\n\n")).unwrap();
        let page = dir.path().join(format!("{id}.html"));
        std::fs::write(&page, news_page(HEADLINE, &body)).unwrap();
        let from_txt = &lines(&ok(run(bin().arg("extract").arg(&txt))).stdout)[0];
        let from_page = &lines(&ok(run(bin().arg("extract").arg(&page))).stdout)[0];
        assert_eq!(
            entity_surfaces(from_page),
            entity_surfaces(from_txt),
            "{id}"
        );
        assert_eq!(
            from_page["dct"], "2021-03-17",
            "{id}: the page's published time"
        );
        let text = from_page["text"]
            .as_str()
            .expect("the page's text in the record");
        assert!(
            text.starts_with(&format!("{HEADLINE}\n\n")),
            "{id}: headline first"
        );
        for marker in [
            "SCRIPTMARKER",
            "COOKIEMARKER",
            "NAVMARKER",
            "SIDEBARMARKER",
            "FOOTERMARKER",
        ] {
            assert!(!text.contains(marker), "{id}: {marker} in {text:?}");
        }
        for needle in ["<p>", "</", "{", "font-family"] {
            assert!(
                !text.contains(needle),
                "{id}: markup {needle:?} in the text"
            );
        }
        for p in &body {
            assert!(text.contains(p), "{id}: paragraph lost: {p}");
        }
    }
}

#[test]
fn stdin_is_read_by_its_first_bytes() {
    let page = news_page(HEADLINE, &[BODY]);
    // (name, input, flags, what the records show)
    type Row<'a> = (&'a str, Vec<u8>, Vec<&'a str>, Box<dyn Fn(&[Value])>);
    let rows: Vec<Row> = vec![
        (
            "JSON lines",
            seeds_jsonl().into_bytes(),
            vec![],
            Box::new(|r: &[Value]| assert_eq!(r.len(), 4)),
        ),
        (
            "blank lines, then JSON",
            [b"\n\n  ".to_vec(), seeds_jsonl().into_bytes()].concat(),
            vec![],
            Box::new(|r: &[Value]| assert_eq!(r.len(), 4)),
        ),
        (
            "a text",
            BODY.as_bytes().to_vec(),
            vec![],
            Box::new(|r: &[Value]| assert_eq!(r[0]["id"], "stdin")),
        ),
        (
            "a page",
            page.clone().into_bytes(),
            vec![],
            Box::new(|r: &[Value]| {
                assert!(
                    r[0]["text"]
                        .as_str()
                        .unwrap()
                        .starts_with(&format!("{HEADLINE}\n\n"))
                )
            }),
        ),
        (
            "a page read as text when asked",
            page.into_bytes(),
            vec!["--input-format", "text"],
            Box::new(|r: &[Value]| assert!(r[0].get("text").is_none())),
        ),
        (
            "JSON read as one text when asked",
            seeds_jsonl().into_bytes(),
            vec!["--input-format", "text"],
            Box::new(|r: &[Value]| assert_eq!(r.len(), 1)),
        ),
    ];
    for (name, input, flags, check) in rows {
        let out = run_stdin(bin().arg("extract").args(&flags), &input);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        check(&lines(&out.stdout));
    }
}

fn ids(out: &Output) -> Vec<String> {
    lines(&out.stdout)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn directory_walks() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write = |p: &str, bytes: &[u8]| {
        let path = d.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    write("a.txt", BODY.as_bytes());
    write(
        "b/shard-1.jsonl.gz",
        &gzip(b"{\"id\":\"s1\",\"text\":\"Tencent.\"}\n{\"id\":\"s2\",\"text\":\"Baidu.\"}\n"),
    );
    write(
        "b/shard-2.jsonl.zst",
        &zstd(b"{\"id\":\"s3\",\"text\":\"Alibaba.\"}\n"),
    );
    write("c/page.html", news_page(HEADLINE, &[BODY]).as_bytes());
    write("c/notes.md", b"not an input");
    write(".hidden/x.txt", BODY.as_bytes());
    write("d/.hidden.txt", BODY.as_bytes());
    // (flags, ids in order)
    let rows: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec![], vec!["a", "s1", "s2", "s3", "page"]),
        (vec!["--glob", "*.jsonl*"], vec!["s1", "s2", "s3"]),
        (vec!["--glob", "!b/*"], vec!["a", "page"]),
        (vec!["--glob", "c/*"], vec!["notes", "page"]),
    ];
    for (flags, want) in rows {
        let out = ok(run(bin().arg("extract").args(&flags).arg(d)));
        assert_eq!(ids(&out), want, "{flags:?}");
    }
    // A directory reached by a symbolic link: left out with a warning, and
    // followed with -L.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("linked.txt"), BODY).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), d.join("e")).unwrap();
        let out = ok(run(bin().arg("extract").arg(d)));
        assert!(!ids(&out).contains(&"linked".to_string()));
        assert!(String::from_utf8_lossy(&out.stderr).contains("-L follows it"));
        let out = ok(run(bin().args(["extract", "-L"]).arg(d)));
        assert!(ids(&out).contains(&"linked".to_string()));
    }
    // A FIFO is left out with a warning instead of blocking the run.
    #[cfg(unix)]
    {
        let fifo = d.join("a/fifo.txt");
        std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if made {
            let out = ok(run(bin().arg("extract").arg(d)));
            assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file; skipped"));
        }
    }
}

#[test]
fn repeated_ids_are_a_warning_and_paths_make_them_unique() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for sub in ["a", "b"] {
        std::fs::create_dir(d.join(sub)).unwrap();
        std::fs::write(d.join(sub).join("story.txt"), BODY).unwrap();
    }
    let out = ok(run(bin().arg("extract").arg(d)));
    assert_eq!(ids(&out), ["story", "story"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 documents have the id of an earlier one"),
        "{stderr}"
    );
    assert!(stderr.contains("--id-from path"), "{stderr}");
    let out = ok(run(bin().args(["extract", "--id-from", "path"]).arg(d)));
    assert_eq!(ids(&out), ["a/story", "b/story"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Repeated ids within a JSONL file too.
    let jsonl = d.join("x.jsonl");
    std::fs::write(
        &jsonl,
        "{\"id\":\"q\",\"text\":\"A.\"}\n{\"id\":\"q\",\"text\":\"B.\"}\n",
    )
    .unwrap();
    let out = ok(run(bin().arg("extract").arg(&jsonl)));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"q\""));
}

#[test]
fn an_input_with_no_document_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let empty_dir = dir.path().join("empty");
    std::fs::create_dir(&empty_dir).unwrap();
    let empty_jsonl = dir.path().join("none.jsonl");
    std::fs::write(&empty_jsonl, "\n\n").unwrap();
    for input in [&empty_dir, &empty_jsonl] {
        let out = ok(run(bin().arg("extract").arg(input)));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("no documents"),
            "{}: {stderr}",
            input.display()
        );
    }
}

#[test]
fn bad_globs_and_fields_are_usage_errors() {
    for flags in [vec!["--glob", "a[b"], vec!["--text-field", ""]] {
        let out = run(bin().arg("extract").args(&flags).arg(seeds_dir()));
        assert_eq!(out.status.code(), Some(2), "{flags:?}");
    }
    let out = run(bin()
        .args(["extract", "--output-format", "parquet"])
        .arg(seeds_dir()));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o DIR"));
}

#[test]
fn eval_diff_and_render_read_compressed_records() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(run(bin().arg("extract").arg(seeds_dir())));
    let gz = dir.path().join("pred.jsonl.gz");
    std::fs::write(&gz, gzip(&out.stdout)).unwrap();
    let zst = dir.path().join("pred.jsonl.zst");
    std::fs::write(&zst, zstd(&out.stdout)).unwrap();
    let gold = root().join("fixtures/gold/seeds.gold.jsonl");
    std::fs::write(dir.path().join("plain.jsonl"), &out.stdout).unwrap();
    let want = ok(run(bin()
        .arg("eval")
        .arg(&gold)
        .arg(dir.path().join("plain.jsonl"))))
    .stdout;
    for pred in [&gz, &zst] {
        assert_eq!(ok(run(bin().arg("eval").arg(&gold).arg(pred))).stdout, want);
        assert!(
            run(bin()
                .arg("diff")
                .arg(dir.path().join("plain.jsonl"))
                .arg(pred))
            .status
            .success()
        );
    }
    let report = dir.path().join("report.html");
    ok(run(bin()
        .arg("render")
        .arg(seeds_dir())
        .arg("--records")
        .arg(&gz)
        .arg("-o")
        .arg(&report)));
    // eval reads standard input as `-`.
    let out = run_stdin(bin().arg("eval").arg(&gold).arg("-"), &zstd(&out.stdout));
    assert_eq!(ok(out).stdout, want);
}

/// Peak resident memory of a finished child process, in KiB.
#[cfg(unix)]
fn run_measured(cmd: &mut Command) -> (Output, i64) {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; `status` and `usage`
    // are valid for writes.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let out = child.wait_with_output();
    // The child was reaped by wait4: its output pipes are still ours.
    let out = out.unwrap_or_else(|_| Output {
        status: std::os::unix::process::ExitStatusExt::from_raw(status),
        stdout: Vec::new(),
        stderr: Vec::new(),
    });
    (out, usage.ru_maxrss)
}

/// A corpus of `n` seed articles as JSONL.
fn corpus(n: usize) -> String {
    let seeds = seed_texts();
    (0..n)
        .map(|i| {
            let text = &seeds[i % seeds.len()].1;
            serde_json::json!({"id": format!("doc-{i}"), "text": text}).to_string() + "\n"
        })
        .collect()
}

#[test]
fn parquet_tables_hold_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, corpus(40)).unwrap();
    let jsonl = lines(&ok(run(bin().arg("extract").arg(&input))).stdout);
    let tables = dir.path().join("tables");
    // Twice: the second run replaces the first's directory.
    for _ in 0..2 {
        ok(run(bin()
            .args(["extract", "--output-format", "parquet", "-o"])
            .arg(&tables)
            .arg(&input)));
    }
    let mut names: Vec<String> = std::fs::read_dir(&tables)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "dates",
            "documents",
            "entities",
            "mentions",
            "money",
            "percents",
            "relations"
        ]
        .map(|t| format!("{t}.parquet"))
    );
    // Nothing left beside it.
    let siblings: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(siblings.len(), 2, "{siblings:?}");
    let count = |table: &str| -> usize {
        use parquet::file::reader::FileReader;
        let file = std::fs::File::open(tables.join(format!("{table}.parquet"))).unwrap();
        let reader = parquet::file::reader::SerializedFileReader::new(file).unwrap();
        reader.metadata().file_metadata().num_rows() as usize
    };
    let sum = |f: &dyn Fn(&Value) -> usize| jsonl.iter().map(f).sum::<usize>();
    let len = |v: &Value, k: &str| v[k].as_array().map_or(0, Vec::len);
    assert_eq!(count("documents"), jsonl.len());
    assert_eq!(count("entities"), sum(&|r| len(r, "entities")));
    assert_eq!(
        count("mentions"),
        sum(&|r| r["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| len(e, "mentions"))
            .sum())
    );
    for layer in ["money", "percents", "dates", "relations"] {
        assert_eq!(count(layer), sum(&|r| len(r, layer)), "{layer}");
    }
}

#[test]
fn a_failed_parquet_run_leaves_the_target_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    std::fs::write(&target, "a file").unwrap();
    let out = run(bin()
        .args(["extract", "--output-format", "parquet", "-o"])
        .arg(&target)
        .arg(seeds_dir()));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "a file");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
#[cfg(unix)]
fn parquet_memory_stays_flat() {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.jsonl");
    let large = dir.path().join("large.jsonl");
    std::fs::write(&small, corpus(200)).unwrap();
    std::fs::write(&large, corpus(4000)).unwrap();
    let rss = |input: &Path| {
        let tables = dir.path().join("t");
        let (out, kib) = run_measured(
            bin()
                .args(["extract", "--jobs", "2", "--output-format", "parquet", "-o"])
                .arg(&tables)
                .arg(input),
        );
        ok(out);
        kib
    };
    let (small_kib, large_kib) = (rss(&small), rss(&large));
    // Twenty times the documents (about 25 MB of text), the same memory give
    // or take the row groups in flight.
    assert!(
        large_kib < small_kib + 64 * 1024,
        "peak RSS {small_kib} KiB for 200 documents, {large_kib} KiB for 4,000"
    );
}

#[test]
#[ignore = "needs a Python with pyarrow (.ci/run makes target/python-venv)"]
fn parquet_tables_read_back_with_pyarrow_give_the_jsonl_rows() {
    let python = venv_python();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, corpus(30) + &seeds_jsonl()).unwrap();
    let jsonl = dir.path().join("out.jsonl");
    ok(run(bin().arg("extract").arg(&input).arg("-o").arg(&jsonl)));
    let tables = dir.path().join("tables");
    ok(run(bin()
        .args(["extract", "--output-format", "parquet", "-o"])
        .arg(&tables)
        .arg(&input)));
    let out = run(Command::new(&python)
        .arg(root().join("tests/datasets/parquet_matches_jsonl.py"))
        .arg(&jsonl)
        .arg(&tables));
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
