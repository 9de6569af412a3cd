"""The spaCy component (`nlp.add_pipe("newsie")`), on spacy.blank("en")."""

from importlib.metadata import entry_points

import pytest

import newsie
from conftest import DEV, articles

TEXT = (
    " date 2021-04-10 China's State Administration for Market Regulation fined "
    "Alibaba 18.2 billion yuan ($2.8 billion) last year, and its shares fell 9%. "
    "Tencent invested in JD.com."
)


@pytest.fixture(scope="module")
def nlp(spacy):
    nlp = spacy.blank("en")
    nlp.add_pipe("newsie")
    return nlp


def test_the_factory_is_registered_by_entry_point():
    eps = entry_points()
    group = eps.select(group="spacy_factories") if hasattr(eps, "select") else eps.get("spacy_factories", [])
    assert {ep.name: ep.value for ep in group}["newsie"] == "newsie.spacy_component:make_newsie"


def test_ents_ids_and_values(nlp):
    doc = nlp(TEXT)
    got = [(e.text, e.label_, e.kb_id_, e._.value) for e in doc.ents]
    assert ("Alibaba", "ORG", "alibaba-group", None) in got
    assert ("China", "GPE", "china", None) in got
    assert ("18.2 billion yuan", "MONEY", "", {"value": 18200000000, "currency": "CNY"}) in got
    assert ("$2.8 billion", "MONEY", "", {"value": 2800000000, "currency": "USD"}) in got
    assert ("9%", "PERCENT", "", 9) in got
    assert ("last year", "DATE", "", "2020") in got
    record = doc._.newsie
    assert record == newsie.extract(TEXT)
    assert ("fined", "samr", "alibaba-group") in {(r["type"], r["head"], r["tail"]) for r in record["relations"]}
    assert doc._.newsie_alignment == {
        "spans": len(doc.ents),
        "exact": len(doc.ents),
        "expanded": 0,
        "overlapping": 0,
        "unaligned": 0,
    }


def test_spans_off_token_boundaries_are_expanded_and_counted(spacy):
    from spacy.tokenizer import Tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = Tokenizer(nlp.vocab)  # whitespace only: "JD.com." is one token
    nlp.add_pipe("newsie")
    doc = nlp("Tencent invested in JD.com.")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("Tencent", "tencent"), ("JD.com.", "jd-com")]
    assert doc._.newsie_alignment["expanded"] == 1
    assert doc._.newsie_alignment["exact"] == 1


def test_overlaps_keep_the_longest_span(spacy):
    from newsie.spacy_component import annotate

    doc = spacy.blank("en")("Acme Bank Holdings paid $5 million.")
    record = {
        "entities": [
            {"id": "acme", "type": "ORG", "name": "Acme", "mentions": [{"start": 0, "end": 4, "text": "Acme"}]},
            {
                "id": "acme-bank",
                "type": "ORG",
                "name": "Acme Bank",
                "mentions": [{"start": 0, "end": 9, "text": "Acme Bank"}],
            },
        ],
        "money": [{"start": 24, "end": 34, "text": "$5 million", "value": 5000000, "currency": "USD"}],
        "percents": [],
        "dates": [{"start": 25, "end": 26, "text": "5", "type": "DATE", "value": "XXXX"}],
    }
    annotate(doc, record)
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("Acme Bank", "ORG", "acme-bank"),
        ("$5 million", "MONEY", ""),
    ]
    assert doc._.newsie_alignment["overlapping"] == 2


def test_existing_entities_are_kept_without_overwrite(spacy):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "COMPANY", "pattern": "Tencent"}])
    nlp.add_pipe("newsie", config={"overwrite_ents": False})
    doc = nlp("Tencent invested in JD.com.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Tencent", "COMPANY"), ("JD.com", "ORG")]
    assert doc._.newsie_alignment["overlapping"] == 1


def test_per_document_dct(nlp):
    doc = nlp.make_doc("Alibaba was fined last year.")
    doc._.newsie_dct = "2021-04-10"
    doc = nlp.get_pipe("newsie")(doc)
    assert [(e.text, e._.value) for e in doc.ents if e.label_ == "DATE"] == [("last year", "2020")]


def test_nlp_pipe_equals_one_by_one(nlp):
    texts = [t for _, t in articles(DEV)]
    piped = [(d.ents, d._.newsie) for d in nlp.pipe(texts, batch_size=5)]
    single = [(d.ents, d._.newsie) for d in map(nlp, texts)]
    assert [[(e.start, e.end, e.label_, e.kb_id_) for e in ents] for ents, _ in piped] == [
        [(e.start, e.end, e.label_, e.kb_id_) for e in ents] for ents, _ in single
    ]
    assert [r for _, r in piped] == [r for _, r in single]


def test_component_config(spacy, tmp_path):
    gazetteer = tmp_path / "acme.tsv"
    gazetteer.write_text("acme-rockets\tORG\tAcme Rockets\tAcme\n", encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("newsie", config={"gazetteers": [str(gazetteer)], "builtin_gazetteers": False})
    doc = nlp("Acme Rockets sued Tencent.")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("Acme Rockets", "acme-rockets")]
    with pytest.raises(newsie.GazetteerError):
        spacy.blank("en").add_pipe("newsie", config={"gazetteers": [str(tmp_path / "none.tsv")]})
