"""Records from Python equal the CLI's, with offsets Python can slice by."""

import datetime

import pytest

import newsie
from conftest import DEV, SEEDS, articles


def without_source(record):
    return {k: v for k, v in record.items() if k != "source"}


@pytest.mark.parametrize("directory", [SEEDS, DEV], ids=["seeds", "dev"])
def test_extract_gives_the_cli_record(directory, cli_records):
    cli = cli_records(directory)
    docs = articles(directory)
    assert len(docs) == len(cli) > 0
    pipeline = newsie.Pipeline()
    for doc_id, text in docs:
        got = pipeline.extract(text, id=doc_id)
        want = cli[doc_id]
        assert without_source(got) == without_source(want), doc_id
        assert list(got) == list(want), "key order"
        assert got["source"] == "<python>"


@pytest.mark.parametrize("directory", [SEEDS, DEV], ids=["seeds", "dev"])
def test_pipe_gives_the_cli_records(directory, cli_records):
    cli = cli_records(directory)
    docs = [{"id": i, "text": t} for i, t in articles(directory)]
    got = list(newsie.Pipeline().pipe(docs, jobs=2, batch_size=3))
    assert [r["id"] for r in got] == [d["id"] for d in docs]
    for r in got:
        assert without_source(r) == without_source(cli[r["id"]]), r["id"]


def spans_of(record):
    for entity in record["entities"]:
        yield from entity["mentions"]
    for layer in ("money", "percents", "dates"):
        yield from record[layer]


def test_offsets_are_python_string_indices():
    text = "Überraschung 🚀 für 北京: Tencent invested $3 million (€2.8 million) in JD.com on 3 March 2021."
    record = newsie.extract(text)
    spans = list(spans_of(record))
    assert {s["text"] for s in spans} >= {"Tencent", "JD.com", "$3 million", "€2.8 million"}
    for s in spans:
        assert text[s["start"] : s["end"]] == s["text"]
    for s in record["sentences"]:
        assert 0 <= s["start"] < s["end"] <= len(text)


def test_offsets_slice_every_dev_article():
    pipeline = newsie.Pipeline()
    for doc_id, text in articles(DEV):
        record = pipeline.extract(text, id=doc_id)
        for s in spans_of(record):
            assert text[s["start"] : s["end"]] == s["text"], (doc_id, s)


def test_the_readme_example():
    relations = newsie.extract("Tencent invested in JD.com.")["relations"]
    assert [(r["type"], r["head"], r["tail"]) for r in relations] == [("invested_in", "tencent", "jd-com")]


def test_dct_resolves_relative_dates():
    text = "Alibaba was fined last year."
    as_str = newsie.extract(text, dct="2021-04-10")
    as_date = newsie.extract(text, dct=datetime.date(2021, 4, 10))
    as_timestamp = newsie.extract(text, dct=datetime.datetime(2021, 4, 10, 23, 59))
    assert as_str == as_date == as_timestamp
    assert as_str["dct"] == "2021-04-10"
    assert [d["value"] for d in as_str["dates"]] == ["2020"]
    # The pipeline's dct is the default; the call's wins over it.
    pipeline = newsie.Pipeline(dct="2015-06-01")
    assert pipeline.extract(text)["dct"] == "2015-06-01"
    assert pipeline.extract(text, dct="2021-04-10")["dct"] == "2021-04-10"
    assert newsie.extract(text)["dct"] is None


def test_ids():
    assert newsie.extract("Tencent.", id="a")["id"] == "a"
    assert newsie.extract("Tencent.", id=7)["id"] == "7"
    assert newsie.extract("Tencent.")["id"] == "doc"


def test_the_default_pipeline_is_built_once():
    assert newsie.default_pipeline() is newsie.default_pipeline()


def test_user_gazetteers(tmp_path):
    gazetteer = tmp_path / "acme.tsv"
    gazetteer.write_text("acme-rockets\tORG\tAcme Rockets\tAcme\n", encoding="utf-8")
    text = "Acme Rockets sued Tencent."
    with_list = newsie.Pipeline(gazetteers=[gazetteer]).extract(text)
    assert "acme-rockets" in {e["id"] for e in with_list["entities"]}
    only_list = newsie.Pipeline(gazetteers=[str(gazetteer)], builtin_gazetteers=False).extract(text)
    assert {e["id"] for e in only_list["entities"]} == {"acme-rockets"}
