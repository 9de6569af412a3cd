#!/usr/bin/env python3
"""A deterministic synthetic gazetteer for benchmarks: N entities, two full
aliases each (a name and its `Group`/`Holdings` form), most of them names no
article holds (pronounceable made-up words), one in a hundred a pair of
capitalised words the corpus holds, so the matcher has work to do.

    python3 scripts/make_gazetteer.py N OUT.tsv [--corpus fixtures/seeds]

The same N and corpus give the same file. Names the list would give twice
are skipped, so the file is valid with --strict within itself; names it
shares with the built-in lists are ambiguities newsie resolves (see
README, Gazetteers)."""

import argparse
import json
import random
import re
from pathlib import Path

SYLLABLES = [
    c + v
    for c in ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "tr", "kl", "st"]
    for v in ["a", "e", "i", "o", "u", "ai", "or", "en"]
]
HEADS = ["Group", "Holdings", "Capital", "Systems", "Partners", "Labs", "Industries", "Energy"]


def corpus_words(path: Path) -> list[str]:
    """Pairs of capitalised words of the corpus's texts (`Hong Kong`), in
    first-seen order."""
    files = sorted(path.rglob("*.txt")) if path.is_dir() else [path]
    seen: dict[str, None] = {}
    for f in files:
        text = f.read_text(encoding="utf-8")
        if f.suffix == ".jsonl":
            text = "\n".join(json.loads(line).get("text", "") for line in text.splitlines() if line.strip())
        for w in re.findall(r"\b[A-Z][a-z]{2,} [A-Z][a-z]{2,}\b", text):
            seen.setdefault(w)
    return list(seen)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--corpus", type=Path, default=Path("fixtures/seeds"))
    args = ap.parse_args()
    rng = random.Random(20261207)
    words = corpus_words(args.corpus)
    names: set[str] = set()
    lines = ["# Synthetic benchmark gazetteer (scripts/make_gazetteer.py): not real entities."]
    made = 0
    while made < args.n:
        # A corpus pair once each; when they are used up, made-up names.
        if made % 100 == 99 and words:
            name = words.pop(rng.randrange(len(words)))
        else:
            first = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            second = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
            name = f"{first} {second}"
        long = f"{name} {rng.choice(HEADS)}"
        if name in names or long in names:
            continue
        names.update([name, long])
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        lines.append(f"syn-{made}-{slug}\tORG\t{long}\t{name}")
        made += 1
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
