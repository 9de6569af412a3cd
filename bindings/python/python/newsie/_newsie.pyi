"""Type stubs of the Rust extension module `newsie._newsie`."""

import datetime
import os
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Union

Record = Dict[str, Any]
"""One article's record: `id`, `source`, `dct`, `text_sha256`, `sentences`,
`entities`, `money`, `percents`, `dates`, `relations`, `warnings`; an error
record has only `id`, `source` and `error` (docs/FORMAT.md)."""

DateLike = Union[str, datetime.date]
Doc = Union[str, Mapping[str, Any]]

__version__: str

class NewsieError(Exception):
    """Base class of newsie's errors."""

class GazetteerError(NewsieError):
    """A gazetteer could not be loaded."""

    path: Optional[str]
    """The file (or built-in list) at fault, when known."""
    line: Optional[int]
    """The 1-based line at fault, when known."""

class DocumentError(NewsieError):
    """A document could not be processed (too large, or an internal error)."""

    id: str
    """The document's id."""

class Pipeline:
    """The extraction pipeline, built once and reused; thread-safe.

    Args:
        gazetteers: TSV or compiled (`.ngz`) gazetteer files added to the
            built-in lists.
        builtin_gazetteers: load the built-in lists.
        dct: the date used for articles that carry none.
        strict_gazetteers: refuse a full alias shared by two entries.
        max_doc_bytes: the size limit of one document in UTF-8 bytes
            (default 16 MiB).

    Raises:
        GazetteerError: a gazetteer file is missing or malformed.
        ValueError: `dct` is not a date.
    """

    def __init__(
        self,
        gazetteers: Optional[List[Union[str, os.PathLike[str]]]] = None,
        builtin_gazetteers: bool = True,
        dct: Optional[DateLike] = None,
        strict_gazetteers: bool = False,
        max_doc_bytes: Optional[int] = None,
    ) -> None: ...
    def extract(
        self, text: str, id: Optional[Union[str, int]] = None, dct: Optional[DateLike] = None
    ) -> Record:
        """Extracts one article's record (offsets in code points).

        `dct` is the article's date, as a JSONL line's "date": a leading
        ` date` line still wins; it wins over a dateline and the pipeline's
        `dct`.

        Raises:
            DocumentError: the text is over `max_doc_bytes`, or the pipeline
                failed on it.
            ValueError: `dct` is not a date.
        """
    def pipe(
        self, docs: Iterable[Doc], jobs: Optional[int] = None, batch_size: int = 256
    ) -> Iterator[Record]:
        """Extracts the records of many articles, in input order, streaming.

        `docs` holds texts or dicts with "text" and optionally "id", "date"
        and "source". A document that cannot be processed yields an error
        record, as in the CLI. Batches of `batch_size` run on `jobs` threads
        (default: one per core) with the GIL released.
        """
