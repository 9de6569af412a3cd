#!/usr/bin/env python3
"""Run newsie over a newsroom archive with Apache Spark, unchanged, through its
stdin/stdout contract (`newsie extract --input-format jsonl -`: one output line
per input line, in order).

    spark-submit --files target/release/newsie examples/spark/extract.py \\
        INPUT OUTPUT [--partitions N] [--dct YYYY-MM-DD] [--gazetteer FILE ...] [--newsie PATH]

INPUT is any Hadoop-compatible path: JSONL articles ({"id", "text", "date"?} per
line) or, with --text, a directory of *.txt files (read with wholeTextFiles,
ids from the file stems). OUTPUT is a directory of JSONL part files, one record
per article.

The newsie binary (and any --gazetteer file) is shipped to the executors with
SparkContext.addFile (or spark-submit --files) and run by RDD.pipe in every
partition. newsie runs with --allow-errors, so an article it cannot process
becomes an error record instead of failing the task.
"""
import argparse
import json
import os
import shlex

from pyspark import SparkConf, SparkContext, SparkFiles


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--text", action="store_true", help="INPUT is a directory of *.txt files")
    p.add_argument("--partitions", type=int, default=0, help="partitions (default: Spark's)")
    p.add_argument("--dct", help="document date for articles without one (YYYY-MM-DD)")
    p.add_argument("--gazetteer", action="append", default=[], help="extra gazetteer file, shipped to executors")
    p.add_argument("--newsie", default="target/release/newsie", help="the newsie binary to ship")
    p.add_argument("--master", help="Spark master, e.g. local[2] (default: spark-submit's)")
    return p.parse_args()


def text_files_as_jsonl(sc, path):
    """(path, content) pairs → JSONL lines with id = file stem, source = local path."""

    def to_line(pair):
        uri, text = pair
        local = uri[len("file:"):] if uri.startswith("file:") else uri
        stem = os.path.splitext(os.path.basename(local))[0]
        return json.dumps({"id": stem, "source": local, "text": text}, ensure_ascii=False)

    return sc.wholeTextFiles(path).filter(lambda kv: kv[0].endswith(".txt")).sortByKey().map(to_line)


def jsonl_with_sources(sc, path):
    """JSONL lines, each given the `source` newsie would give it (path:line) if it has none."""
    local = path[len("file:"):] if path.startswith("file:") else path

    def add_source(pair):
        line, index = pair
        try:
            rec = json.loads(line)
        except ValueError:
            return line  # newsie turns it into an error record
        if isinstance(rec, dict) and "source" not in rec:
            rec["source"] = f"{local}:{index + 1}"
            return json.dumps(rec, ensure_ascii=False)
        return line

    return sc.textFile(path).zipWithIndex().filter(lambda p: p[0].strip()).map(add_source)


def main():
    args = parse_args()
    conf = SparkConf().setAppName("newsie-extract")
    if args.master:
        conf = conf.setMaster(args.master)
    sc = SparkContext(conf=conf)
    sc.addFile(os.path.abspath(args.newsie))
    for g in args.gazetteer:
        sc.addFile(os.path.abspath(g))

    lines = text_files_as_jsonl(sc, args.input) if args.text else jsonl_with_sources(sc, args.input)
    if args.partitions:
        lines = lines.repartition(args.partitions)

    local = sc.master.startswith("local")
    # Shipped files: an absolute path in local mode; the container's working
    # directory on YARN and Kubernetes (where --files puts them).
    def shipped(name):
        return SparkFiles.get(name) if local else "./" + name

    cmd = [shipped(os.path.basename(args.newsie)), "extract", "--input-format", "jsonl", "--allow-errors", "--jobs", "1"]
    if args.dct:
        cmd += ["--dct", args.dct]
    for g in args.gazetteer:
        cmd += ["--gazetteer", shipped(os.path.basename(g))]
    cmd.append("-")
    records = lines.pipe(" ".join(shlex.quote(c) for c in cmd), checkCode=True)
    records.saveAsTextFile(args.output)
    sc.stop()


if __name__ == "__main__":
    main()
