"""Shared fixtures of the Python package's tests.

The CLI comparisons need the `newsie` binary: `$NEWSIE_BIN` (the Rust test
harness `tests/python.rs` sets it), else `target/release/newsie` or
`target/debug/newsie`. The spaCy tests need spaCy; with
`NEWSIE_REQUIRE_SPACY=1` (as CI runs them) its absence fails instead of
skipping.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "fixtures" / "seeds"
DEV = ROOT / "fixtures" / "dev" / "texts"


def read_text(path: Path) -> str:
    """A fixture's text exactly as the CLI reads it (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def articles(directory: Path):
    """(id, text) of every `*.txt` in `directory`, sorted as the CLI sorts them."""
    return [(p.stem, read_text(p)) for p in sorted(directory.glob("*.txt"))]


@pytest.fixture(scope="session")
def newsie_bin() -> Path:
    candidates = [os.environ.get("NEWSIE_BIN")]
    candidates += [str(ROOT / "target" / p / "newsie") for p in ("release", "debug")]
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    pytest.skip("no newsie binary: set NEWSIE_BIN or run `cargo build --release`")


@pytest.fixture(scope="session")
def cli_records(newsie_bin):
    """`newsie extract DIR`'s records by id, per directory, computed once."""
    cache = {}

    def run(directory: Path):
        if directory not in cache:
            out = subprocess.run(
                [str(newsie_bin), "extract", str(directory)],
                check=True,
                capture_output=True,
            ).stdout
            records = [json.loads(line) for line in out.decode("utf-8").splitlines()]
            cache[directory] = {r["id"]: r for r in records}
        return cache[directory]

    return run


@pytest.fixture(scope="session")
def spacy():
    if os.environ.get("NEWSIE_REQUIRE_SPACY") == "1":
        import spacy

        return spacy
    return pytest.importorskip("spacy")
