#!/usr/bin/env python3
"""newsie inside a spaCy pipeline.

    pip install . spacy            # from the repository root
    python examples/python/spacy_pipeline.py [FILE.txt]

`nlp.add_pipe("newsie")` works once the package is installed (it registers
the factory through spaCy's entry points). The component sets `doc.ents` with
newsie's entities, money, percentages and dates; `ent.kb_id_` is the entity
id, `ent._.value` the normalised value, `doc._.newsie` the whole record with
its relations. Later components (a custom relation filter, displaCy) see them
as ordinary spaCy entities.
"""

import sys

import spacy

TEXT = (
    " date 2021-04-10 China's State Administration for Market Regulation fined "
    "Alibaba 18.2 billion yuan ($2.8 billion) last year. Tencent invested in JD.com."
)


def main():
    text = open(sys.argv[1], encoding="utf-8").read() if len(sys.argv) > 1 else TEXT
    nlp = spacy.blank("en")
    nlp.add_pipe("newsie", config={"dct": None})
    doc = nlp(text)
    for ent in doc.ents:
        print(f"{ent.label_:9} {ent.text!r:45} {ent.kb_id_ or '':25} {ent._.value if ent._.value is not None else ''}")
    for r in doc._.newsie["relations"]:
        evidence = text[r["evidence"]["start"] : r["evidence"]["end"]]
        print(f"{r['head']} {r['type']} {r['tail']}: {evidence!r}")
    print("alignment:", doc._.newsie_alignment)


if __name__ == "__main__":
    main()
