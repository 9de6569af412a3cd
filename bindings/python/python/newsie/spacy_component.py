"""newsie as a spaCy pipeline component: `nlp.add_pipe("newsie")`.

spaCy finds the factory through the `spacy_factories` entry point in
pyproject.toml, so importing newsie never imports spaCy; this module is
imported by spaCy when a pipeline asks for the "newsie" factory.

What the component sets on each `Doc`:

* `doc.ents`: entity mentions (PERSON, ORG, GPE, PRODUCT, with `kb_id_` = the
  entity id), MONEY, PERCENT, and DATE or DURATION spans;
* `span._.value`: the normalised value of a span: `{"value", "currency"}` for
  MONEY, the number for PERCENT, the TIMEX3 value for DATE and DURATION, None
  for entity mentions (their id is `kb_id_`);
* `doc._.newsie`: the whole record, relations included (offsets in the
  record are character offsets into `doc.text`);
* `doc._.newsie_alignment`: how the record's spans became entities:
  `{"spans", "exact", "expanded", "overlapping", "unaligned"}`.

Alignment: a span whose ends do not fall on spaCy's token boundaries is
widened to the tokens it touches (`Doc.char_span(..., alignment_mode=
"expand")`) and counted as "expanded"; one that covers no token is counted as
"unaligned" and left out.

Overlaps, one policy: `doc.ents` cannot overlap, so the longest span wins, and
of two equally long spans the earlier one (spaCy's `filter_spans`); the spans
that lose are counted as "overlapping" and stay in `doc._.newsie`. With
`overwrite_ents=False` the entities already on the doc are kept and newsie's
spans that overlap them are dropped (and counted).

Per-document dates: set `doc._.newsie_dct` (a `date` or `YYYY-MM-DD` string)
before the component runs; otherwise the article's ` date` line or the
component's `dct` is used.
"""

from typing import Any, Dict, Iterable, Iterator, List, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, minibatch

from . import DocumentError, Pipeline

for _name, _default in (("newsie", None), ("newsie_alignment", None), ("newsie_dct", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
if not Span.has_extension("value"):
    Span.set_extension("value", default=None)


@Language.factory(
    "newsie",
    default_config={
        "gazetteers": [],
        "builtin_gazetteers": True,
        "dct": None,
        "overwrite_ents": True,
        "jobs": None,
        "batch_size": 256,
    },
)
def make_newsie(
    nlp: Language,
    name: str,
    gazetteers: List[str],
    builtin_gazetteers: bool,
    dct: Optional[str],
    overwrite_ents: bool,
    jobs: Optional[int],
    batch_size: int,
) -> "NewsieComponent":
    """The factory spaCy calls for `nlp.add_pipe("newsie", config={...})`."""
    pipeline = Pipeline(gazetteers=gazetteers, builtin_gazetteers=builtin_gazetteers, dct=dct)
    return NewsieComponent(pipeline, overwrite_ents=overwrite_ents, jobs=jobs, batch_size=batch_size)


class NewsieComponent:
    """Sets `doc.ents`, `span._.value` and `doc._.newsie` from newsie's record."""

    def __init__(
        self,
        pipeline: Pipeline,
        overwrite_ents: bool = True,
        jobs: Optional[int] = None,
        batch_size: int = 256,
    ) -> None:
        self.pipeline = pipeline
        self.overwrite_ents = overwrite_ents
        self.jobs = jobs
        self.batch_size = batch_size

    def __call__(self, doc: Doc) -> Doc:
        record = self.pipeline.extract(doc.text, dct=doc._.newsie_dct)
        return annotate(doc, record, self.overwrite_ents)

    def pipe(self, docs: Iterable[Doc], batch_size: Optional[int] = None) -> Iterator[Doc]:
        """Processes docs in batches with `Pipeline.pipe` (every core)."""
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            # The id `extract` gives, so that both ways give the same record.
            items = [{"id": "doc", "text": doc.text, "date": doc._.newsie_dct} for doc in batch]
            records = self.pipeline.pipe(items, jobs=self.jobs, batch_size=len(items))
            for doc, record in zip(batch, records):
                if "error" in record:
                    raise DocumentError(record["error"])
                yield annotate(doc, record, self.overwrite_ents)


def annotate(doc: Doc, record: Dict[str, Any], overwrite_ents: bool = True) -> Doc:
    """Puts one record on its doc (see the module's docstring)."""
    counts = {"spans": 0, "exact": 0, "expanded": 0, "overlapping": 0, "unaligned": 0}
    spans: List[Span] = []

    def add(start: int, end: int, label: str, kb_id: str = "", value: Any = None) -> None:
        counts["spans"] += 1
        span = doc.char_span(start, end, label=label, kb_id=kb_id, alignment_mode="expand")
        if span is None:
            counts["unaligned"] += 1
            return
        counts["exact" if (span.start_char, span.end_char) == (start, end) else "expanded"] += 1
        if value is not None:
            span._.value = value
        spans.append(span)

    for entity in record["entities"]:
        for m in entity["mentions"]:
            add(m["start"], m["end"], entity["type"], kb_id=entity["id"])
    for m in record["money"]:
        add(m["start"], m["end"], "MONEY", value={"value": m["value"], "currency": m["currency"]})
    for p in record["percents"]:
        add(p["start"], p["end"], "PERCENT", value=p["value"])
    for d in record["dates"]:
        add(d["start"], d["end"], d["type"], value=d["value"])

    kept = filter_spans(spans)
    if not overwrite_ents and doc.ents:
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        free = [s for s in kept if not taken.intersection(range(s.start, s.end))]
        counts["overlapping"] += len(spans) - len(free)
        doc.ents = sorted(list(doc.ents) + free, key=lambda s: s.start)
    else:
        counts["overlapping"] += len(spans) - len(kept)
        doc.ents = kept
    doc._.newsie = record
    doc._.newsie_alignment = counts
    return doc
