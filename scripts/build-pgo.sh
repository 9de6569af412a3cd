#!/usr/bin/env bash
# Builds a profile-guided (PGO) `newsie` at target/pgo/newsie: the
# `release-lto` profile compiled once with instrumentation, run on a
# training corpus, and compiled again with the profile it recorded. Same
# output as any other build; see docs/PERFORMANCE.md for what it gains.
#
#   scripts/build-pgo.sh
#
# Needs an `llvm-profdata` of the LLVM that rustc is built on (`rustc -vV`
# names it): rustup's llvm-tools component, or a distribution's package
# (Debian: `apt-get install llvm-22` for LLVM 22). Set LLVM_PROFDATA to use
# another path. The training corpus is drawn from fixtures/seeds with a
# different random seed (11) than the benchmark corpus (7): other articles
# of the same sentences, as no other text ships with the project.
set -euo pipefail
cd "$(dirname "$0")/.."

LLVM_MAJOR=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
profdata_major() {
  "$1" --version 2>/dev/null | sed -n 's/.*LLVM version \([0-9]*\).*/\1/p' | head -n 1
}
PROFDATA=""
for CANDIDATE in "${LLVM_PROFDATA:-}" \
  "$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/llvm-profdata" \
  "llvm-profdata-$LLVM_MAJOR" "/usr/lib/llvm-$LLVM_MAJOR/bin/llvm-profdata" llvm-profdata; do
  if [ -n "$CANDIDATE" ] && command -v "$CANDIDATE" > /dev/null \
    && [ "$(profdata_major "$CANDIDATE")" = "$LLVM_MAJOR" ]; then
    PROFDATA=$CANDIDATE
    break
  fi
done
if [ -z "$PROFDATA" ]; then
  echo "build-pgo: no llvm-profdata of LLVM $LLVM_MAJOR (rustc's) found; install rustup's" \
    "llvm-tools component or your distribution's llvm-$LLVM_MAJOR, or set LLVM_PROFDATA" >&2
  exit 1
fi

OUT=target/pgo
PROFILES="$PWD/$OUT/profiles"
rm -rf "$PROFILES"
mkdir -p "$PROFILES"
# Own target directories: the flags differ, and the usual build stays as it is.
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-generate=$PROFILES" \
  cargo build --profile release-lto --quiet --target-dir target/pgo-instrumented
INSTRUMENTED=target/pgo-instrumented/release-lto/newsie
TRAIN="$OUT/train.jsonl"
if [ ! -s "$TRAIN" ]; then
  python3 scripts/make_corpus.py fixtures/seeds "$TRAIN" --mb 5 --seed 11
fi
# Both runner paths (one worker, two), and a directory of files.
export LLVM_PROFILE_FILE="$PROFILES/newsie-%m-%p.profraw"
"$INSTRUMENTED" extract --input-format jsonl --jobs 1 "$TRAIN" -o "$OUT/train-1.jsonl"
"$INSTRUMENTED" extract --input-format jsonl --jobs 2 "$TRAIN" -o "$OUT/train-2.jsonl"
"$INSTRUMENTED" extract fixtures/seeds -o "$OUT/seeds-instrumented.jsonl"
unset LLVM_PROFILE_FILE
"$PROFDATA" merge -o "$OUT/newsie.profdata" "$PROFILES"

RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$PWD/$OUT/newsie.profdata" \
  cargo build --profile release-lto --quiet --target-dir target/pgo-build
cp target/pgo-build/release-lto/newsie "$OUT/newsie"
# The profile changes the code's layout, never its results.
"$OUT/newsie" extract fixtures/seeds -o "$OUT/seeds-pgo.jsonl"
cmp "$OUT/seeds-instrumented.jsonl" "$OUT/seeds-pgo.jsonl"
echo "build-pgo: $OUT/newsie (profile of $PROFDATA)"
