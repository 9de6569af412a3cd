#!/usr/bin/env python3
"""Turn a JSONL file of articles into tables with newsie's Python package.

    pip install . pandas           # from the repository root
    python examples/python/dataset.py articles.jsonl [--out relations.csv]

Each input line is {"id", "text", "date"?} (the CLI's JSONL input). The
records stream out of `Pipeline.pipe` in input order while the next batches
run on every core; here they become three pandas tables (entities, money,
relations, one row each, keyed by article id) and the relations are written
as CSV. Without pandas the script prints a count per table instead.
"""

import argparse
import json

import newsie


def articles(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", help="JSONL articles")
    ap.add_argument("--out", default="relations.csv", help="CSV file for the relations table")
    ap.add_argument("--gazetteer", action="append", default=[], help="extra gazetteer (TSV or .ngz)")
    args = ap.parse_args()

    pipeline = newsie.Pipeline(gazetteers=args.gazetteer)
    entities, money, relations, failed = [], [], [], []
    for record in pipeline.pipe(articles(args.input)):
        doc = record["id"]
        if "error" in record:
            failed.append((doc, record["error"]))
            continue
        names = {e["id"]: e["name"] for e in record["entities"]}
        for e in record["entities"]:
            entities.append({"doc": doc, "id": e["id"], "type": e["type"], "name": e["name"], "mentions": len(e["mentions"])})
        for m in record["money"]:
            money.append({"doc": doc, "text": m["text"], "value": m["value"], "currency": m["currency"]})
        for r in record["relations"]:
            relations.append({"doc": doc, "type": r["type"], "head": names[r["head"]], "tail": names[r["tail"]]})
    for doc, error in failed:
        print(f"{doc}: {error}")

    try:
        import pandas as pd
    except ImportError:
        print(f"{len(entities)} entity rows, {len(money)} money rows, {len(relations)} relation rows (pip install pandas for tables)")
        return
    relations_df = pd.DataFrame(relations, columns=["doc", "type", "head", "tail"])
    relations_df.to_csv(args.out, index=False)
    entities_df = pd.DataFrame(entities)
    print(entities_df.groupby(["type", "name"]).size().sort_values(ascending=False).head(10))
    print(relations_df.groupby("type").size().sort_values(ascending=False))
    print(f"relations written to {args.out}")


if __name__ == "__main__":
    main()
