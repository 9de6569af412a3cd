"""Bad input raises Python exceptions carrying the library's message."""

import pytest

import newsie


def test_a_missing_gazetteer(tmp_path):
    missing = tmp_path / "missing.tsv"
    with pytest.raises(newsie.GazetteerError, match="missing.tsv: cannot read gazetteer") as e:
        newsie.Pipeline(gazetteers=[missing])
    assert e.value.path == str(missing)
    assert e.value.line is None
    assert isinstance(e.value, newsie.NewsieError)


def test_a_malformed_gazetteer_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("acme\tORG\tAcme\tAcme Corp\nBad Id\tORG\tBad\t\n", encoding="utf-8")
    with pytest.raises(newsie.GazetteerError) as e:
        newsie.Pipeline(gazetteers=[bad])
    assert str(e.value).startswith(f"{bad}:2: ")
    assert (e.value.path, e.value.line) == (str(bad), 2)


def test_a_damaged_compiled_gazetteer(tmp_path):
    damaged = tmp_path / "list.ngz"
    damaged.write_bytes(b"NEWSIEGZ" + b"\0" * 40)
    with pytest.raises(newsie.GazetteerError, match="cannot use compiled gazetteer"):
        newsie.Pipeline(gazetteers=[damaged])


def test_gazetteers_must_be_a_list():
    with pytest.raises(TypeError):
        newsie.Pipeline(gazetteers="companies.tsv")


@pytest.mark.parametrize("dct", ["yesterday", "2021-13-01", "17/03/2021"])
def test_a_bad_dct(dct):
    with pytest.raises(ValueError, match="not a YYYY-MM-DD date"):
        newsie.extract("Tencent.", dct=dct)
    with pytest.raises(ValueError, match="not a YYYY-MM-DD date"):
        newsie.Pipeline(dct=dct)


@pytest.mark.parametrize("text", [None, 42, b"Tencent"])
def test_text_must_be_a_str(text):
    with pytest.raises(TypeError):
        newsie.extract(text)


def test_a_document_over_the_limit():
    pipeline = newsie.Pipeline(max_doc_bytes=10)
    with pytest.raises(newsie.DocumentError, match="big: .*10") as e:
        pipeline.extract("Tencent sued ByteDance.", id="big")
    assert e.value.id == "big"


def test_odd_text_is_still_a_record():
    for text in ["", " ", "\0\0\0", "\ud7ff" * 3, "a\r\nb"]:
        record = newsie.extract(text)
        assert record["id"] == "doc"


def test_a_lone_surrogate_cannot_cross_into_rust():
    with pytest.raises(UnicodeEncodeError):
        newsie.extract("Tencent \ud800 sued ByteDance.")
