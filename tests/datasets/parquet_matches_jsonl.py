"""Checks that newsie's Parquet tables hold the rows of its JSON lines.

usage: parquet_matches_jsonl.py OUT.jsonl TABLES_DIR   (exit 1 and a listing on a mismatch)

Each table is read with pyarrow and compared, row by row and in order, with
the rows derived from the JSON records as docs/FORMAT.md describes them.
"""

import datetime
import decimal
import json
import sys

import pyarrow.parquet as pq


def value(v):
    return None if v is None else decimal.Decimal(str(v)).quantize(decimal.Decimal("1e-10"))


def expected(records):
    t = {name: [] for name in ("documents", "entities", "mentions", "money", "percents", "dates", "relations")}
    for r in records:
        doc = r["id"]
        sentences = r.get("sentences") or []
        t["documents"].append({
            "id": doc,
            "source": r["source"],
            "dct": datetime.date.fromisoformat(r["dct"]) if r.get("dct") else None,
            "text_sha256": r.get("text_sha256"),
            "text": r.get("text"),
            "error": r.get("error"),
            "sentence_starts": [s["start"] for s in sentences],
            "sentence_ends": [s["end"] for s in sentences],
            "warnings": r.get("warnings") or [],
        })
        for e in r.get("entities", []):
            t["entities"].append({"doc_id": doc, "entity_id": e["id"], "type": e["type"], "name": e["name"], "mentions": len(e["mentions"])})
            for m in e["mentions"]:
                t["mentions"].append({"doc_id": doc, "entity_id": e["id"], "start": m["start"], "end": m["end"], "text": m["text"]})
        for i, m in enumerate(r.get("money", [])):
            t["money"].append({"doc_id": doc, "index": i, "start": m["start"], "end": m["end"], "text": m["text"],
                               "value": value(m["value"]), "currency": m["currency"], "approx": m["approx"], "equivalent_of": m["equivalent_of"]})
        for i, p in enumerate(r.get("percents", [])):
            t["percents"].append({"doc_id": doc, "index": i, "start": p["start"], "end": p["end"], "text": p["text"],
                                  "value": value(p["value"]), "modifier": p["modifier"]})
        for i, d in enumerate(r.get("dates", [])):
            t["dates"].append({"doc_id": doc, "index": i, "start": d["start"], "end": d["end"], "text": d["text"], "type": d["type"], "value": d["value"]})
        for rel in r.get("relations", []):
            ev = rel.get("evidence") or {}
            t["relations"].append({"doc_id": doc, "type": rel["type"], "head": rel["head"], "tail": rel["tail"],
                                   "evidence_start": ev.get("start"), "evidence_end": ev.get("end"), "rule": rel.get("rule")})
    return t


def main():
    jsonl, tables = sys.argv[1], sys.argv[2]
    with open(jsonl, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    failures = 0
    for name, want in expected(records).items():
        got = pq.read_table(f"{tables}/{name}.parquet").to_pylist()
        if got != want:
            failures += 1
            print(f"{name}: {len(got)} rows in the table, {len(want)} from the JSON lines")
            for g, w in zip(got, want):
                if g != w:
                    print(f"  first difference:\n    table: {g}\n    jsonl: {w}")
                    break
        else:
            print(f"{name}: {len(got)} rows match")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
