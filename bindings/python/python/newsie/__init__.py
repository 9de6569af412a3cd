"""newsie: information extraction for news articles.

Linked entities (companies, people, places, products, each with a stable id),
money with exact values and ISO currencies, percentages, TIMEX3 dates and
durations, and typed relations between entities, as one record (a dict) per
article. The pipeline is Rust; this package is a thin layer over it.

    >>> import newsie
    >>> record = newsie.extract("Tencent invested in JD.com.")
    >>> record["relations"][0]["type"]
    'invested_in'

For many articles build one `Pipeline` and use `Pipeline.pipe`, which runs on
every core with the GIL released. The record's fields are those of the CLI's
JSON lines (docs/FORMAT.md); offsets count code points, so
`text[m["start"]:m["end"]] == m["text"]`.
"""

import threading
from typing import Any, Dict, Optional, Union

from ._newsie import DocumentError, GazetteerError, NewsieError, Pipeline, __version__

__all__ = [
    "DocumentError",
    "GazetteerError",
    "NewsieError",
    "Pipeline",
    "__version__",
    "default_pipeline",
    "extract",
]

_default: Optional[Pipeline] = None
_default_lock = threading.Lock()


def default_pipeline() -> Pipeline:
    """The pipeline with the built-in gazetteers, built on first use and
    shared afterwards (`extract` uses it)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Pipeline()
    return _default


def extract(text: str, id: Optional[Union[str, int]] = None, dct: Optional[Any] = None) -> Dict[str, Any]:
    """Extracts one article's record with the default pipeline.

    See `Pipeline.extract`; `dct` is a `datetime.date` or a `YYYY-MM-DD`
    string. Raises `DocumentError` for a document that cannot be processed.
    """
    return default_pipeline().extract(text, id=id, dct=dct)
