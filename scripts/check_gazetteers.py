#!/usr/bin/env python3
"""Check newsie's gazetteer files the way the Rust loader does, without a build.

    python3 scripts/check_gazetteers.py [FILE.tsv ...]

With no arguments it checks every built-in file: gazetteers/*.tsv and
gazetteers/generated/*.tsv, as one set. It reports, with file and line:
malformed rows, ids that are not lowercase slugs, duplicate ids, a full alias
claimed by two entities, `hq=` ids that are unknown or not a GPE, empty aliases.
Exit 1 when it finds an error. Counts per type go to stdout.
"""

import glob
import os
import re
import sys

TYPES = {"PERSON", "ORG", "GPE", "PRODUCT"}
SLUG = re.compile(r"^[a-z0-9-]+$")


def builtin_files(root):
    return sorted(glob.glob(os.path.join(root, "gazetteers", "*.tsv"))) + sorted(
        glob.glob(os.path.join(root, "gazetteers", "generated", "*.tsv"))
    )


def check(files):
    errors = []
    entries = {}  # id -> (type, origin)
    alias_owner = {}  # alias -> (id, origin)
    hq_refs = []  # (hq id, origin)
    counts = {}
    for path in files:
        with open(path, encoding="utf-8") as f:
            for n, raw in enumerate(f, 1):
                line = raw.rstrip("\n").rstrip("\r")
                origin = f"{path}:{n}"
                if n == 1 and line.startswith("\ufeff"):
                    errors.append(f"{origin}: byte-order mark")
                    line = line[1:]
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                cols = [c.strip() for c in line.split("\t")]
                if not 3 <= len(cols) <= 5:
                    errors.append(f"{origin}: expected 3 to 5 tab-separated columns, found {len(cols)}")
                    continue
                eid, etype, name = cols[0], cols[1], cols[2]
                if not SLUG.match(eid):
                    errors.append(f"{origin}: id {eid!r} is not a lowercase slug")
                if etype not in TYPES:
                    errors.append(f"{origin}: unknown type {etype!r}")
                if not name:
                    errors.append(f"{origin}: empty name")
                if eid in entries:
                    errors.append(f"{origin}: duplicate id {eid!r} (first at {entries[eid][1]})")
                    continue
                entries[eid] = (etype, origin)
                counts[etype] = counts.get(etype, 0) + 1
                aliases = [name]
                raw_aliases = cols[3] if len(cols) > 3 else ""
                if raw_aliases:
                    for a in raw_aliases.split("|"):
                        a = a.strip()
                        if not a:
                            errors.append(f"{origin}: empty alias in {raw_aliases!r}")
                            continue
                        if a.startswith("~"):
                            continue
                        if a not in aliases:
                            aliases.append(a)
                for a in aliases:
                    prev = alias_owner.get(a)
                    if prev and prev[0] != eid:
                        errors.append(
                            f"{origin}: alias {a!r} of {eid!r} is already an alias of {prev[0]!r} ({prev[1]})"
                        )
                    else:
                        alias_owner[a] = (eid, origin)
                attrs = cols[4] if len(cols) > 4 else ""
                for attr in attrs.split():
                    key, _, value = attr.partition("=")
                    if key == "hq" and SLUG.match(value):
                        hq_refs.append((value, origin))
                    elif key == "surname" and value:
                        pass
                    else:
                        errors.append(f"{origin}: unknown attribute {attr!r}")
    for hq, origin in hq_refs:
        target = entries.get(hq)
        if target is None:
            errors.append(f"{origin}: hq={hq} is no known id")
        elif target[0] != "GPE":
            errors.append(f"{origin}: hq={hq} is a {target[0]}, not a GPE")
    return errors, counts, len(alias_owner)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = sys.argv[1:] or builtin_files(root)
    errors, counts, n_aliases = check(files)
    for e in errors:
        print(e, file=sys.stderr)
    total = sum(counts.values())
    per_type = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"{len(files)} files, {total} entities ({per_type}), {n_aliases} full aliases, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
