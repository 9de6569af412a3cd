#!/usr/bin/env python3
"""The `newsie diff` benchmark (docs/PERFORMANCE.md): a 10,000-article corpus
from scripts/make_corpus.py, 100 of its articles edited (`Tencent` becomes
`Tencent Music` once), the records of both extracted in one place (as a CI job
regenerates a committed snapshot), then, alternating, round after round:

  extract  the edited articles (the time diff must not exceed),
  diff     old and new records, ids in the same order,
  diff     old and new records, the new ones in reverse order,
  diff     old records and new ones extracted from another path, so that
           every record differs (in `source`, ignored): the worst case, all
           records parsed and compared,

each timed with its peak RSS (/usr/bin/time). The old articles are given with
--text, so edited texts are aligned. Prints the medians and checks that the
diff lists only the real changes: per edited document, one mention removed
and one added, at the edit.

  scripts/bench_diff.py [--newsie target/release/newsie] [--runs 5] [--docs 10000] [--edits 100]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd):
    """(seconds, peak RSS in MB) of one run of cmd."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed: {out.stderr}")
    secs, kb = out.stderr.strip().splitlines()[-1].split()
    return float(secs), int(kb) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--newsie", default=os.path.join(ROOT, "target/release/newsie"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=100)
    a = ap.parse_args()
    work = os.path.join(ROOT, "target/bench/diff")
    os.makedirs(os.path.join(work, "now"), exist_ok=True)
    os.makedirs(os.path.join(work, "elsewhere"), exist_ok=True)
    corpus = os.path.join(work, "corpus.jsonl")
    if not os.path.exists(corpus):
        mb = max(1, a.docs * 34 // 10000)
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts/make_corpus.py"),
                        os.path.join(ROOT, "fixtures/seeds"), corpus, "--mb", str(mb)], check=True)
    with open(corpus, encoding="utf-8") as f:
        docs = [json.loads(line) for _, line in zip(range(a.docs), f)]
    if len(docs) < a.docs:
        sys.exit(f"the corpus has {len(docs)} articles, not {a.docs}")
    edited, edits = [], {}
    for d in docs:
        d2 = dict(d)
        t = d["text"]
        if len(edits) < a.edits and "Tencent" in t and "Tencent Music" not in t:
            at = t.index("Tencent")
            d2["text"] = t[:at] + "Tencent Music" + t[at + len("Tencent"):]
            edits[d["id"]] = len(t[:at])  # code points: Python counts them
        edited.append(d2)
    if len(edits) < a.edits:
        sys.exit(f"only {len(edits)} articles name Tencent")

    def write(path, rows):
        with open(path, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")

    articles = os.path.join(work, "now/articles.jsonl")
    old_articles = os.path.join(work, "old-articles.jsonl")
    old, new, new_rev = (os.path.join(work, n) for n in ("old.jsonl", "new.jsonl", "new-reversed.jsonl"))
    write(articles, docs)
    write(old_articles, docs)
    subprocess.run([a.newsie, "extract", "-q", articles, "-o", old], check=True)
    write(articles, edited)
    subprocess.run([a.newsie, "extract", "-q", articles, "-o", new], check=True)
    elsewhere = os.path.join(work, "elsewhere/articles.jsonl")
    new_elsewhere = os.path.join(work, "new-elsewhere.jsonl")
    write(elsewhere, edited)
    subprocess.run([a.newsie, "extract", "-q", elsewhere, "-o", new_elsewhere], check=True)
    with open(new, encoding="utf-8") as f:
        lines = f.readlines()
    with open(new_rev, "w", encoding="utf-8") as f:
        f.writelines(reversed(lines))

    configs = {
        "extract": [a.newsie, "extract", "-q", articles, "-o", os.path.join(work, "scratch.jsonl")],
        "diff": [a.newsie, "diff", "--text", old_articles, old, new],
        "diff, reversed": [a.newsie, "diff", "--text", old_articles, old, new_rev],
        "diff, all differ": [a.newsie, "diff", "--ignore", "source", "--text", old_articles, old, new_elsewhere],
    }
    results = {k: [] for k in configs}
    for _ in range(a.runs):
        for name, cmd in configs.items():
            results[name].append(timed(cmd))
    mb = sum(len(d["text"].encode()) for d in edited) / 1e6
    print(f"{a.docs:,} articles ({mb:.1f} MB of text), {len(edits)} edited; {a.runs} runs each, alternating")
    print(f"{'':18} {'median s':>9} {'min s':>7} {'max s':>7} {'peak RSS MB':>12}")
    for name, runs in results.items():
        secs = [s for s, _ in runs]
        print(f"{name:18} {statistics.median(secs):9.2f} {min(secs):7.2f} {max(secs):7.2f} {max(m for _, m in runs):12.0f}")

    # Only the real changes: per edited document, its mention changes are
    # the one removed and the one added at the edit.
    report = json.loads(subprocess.run(
        [a.newsie, "diff", "--format", "json", "--max-per-doc", "0", "--text", old_articles, old, new],
        capture_output=True, text=True).stdout)
    wrong = []
    for d in report["documents"]:
        at = edits.get(d["id"])
        mentions = sorted((c["op"], c["label"], c["start"], c["end"]) for c in d["changes"] if c["layer"] == "mentions")
        # The mention at the edit, as long as its alias runs (`Tencent
        # Holdings Ltd.` becomes `Tencent Music Holdings Ltd.`).
        exact = (
            at is not None
            and [m[:3] for m in mentions] == [("added", "tencent-music", at), ("removed", "tencent", at)]
            and mentions[0][3] - mentions[1][3] == len(" Music")
        )
        if not exact or not d.get("text", {}).get("aligned"):
            wrong.append(d["id"])
    s = report["summary"]
    print(f"summary: {s['changed']} changed, {s['identical']} identical, {s['texts_aligned']} texts aligned; "
          f"documents whose mention changes are not exactly the edit's: {len(wrong)} {wrong[:5]}")
    if wrong or s["changed"] != len(edits):
        sys.exit(1)


if __name__ == "__main__":
    main()
