"""`Pipeline.pipe`: order, determinism, streaming, the GIL, per-document errors."""

import itertools
import threading
import time

import pytest

import newsie
from conftest import DEV, SEEDS, articles

TEXTS = [t for _, t in articles(SEEDS) + articles(DEV)]


@pytest.fixture(scope="module")
def pipeline():
    return newsie.Pipeline()


@pytest.fixture(scope="module")
def corpus():
    # 200 documents of different lengths, each with its own id.
    return [{"id": f"doc-{i}", "text": TEXTS[i % len(TEXTS)][: 400 + 97 * i]} for i in range(200)]


def test_order_and_determinism_across_jobs_and_batches(pipeline, corpus):
    one = list(pipeline.pipe(corpus, jobs=1))
    assert [r["id"] for r in one] == [d["id"] for d in corpus]
    assert one == [pipeline.extract(d["text"], id=d["id"]) for d in corpus]
    for jobs, batch_size in [(2, 64), (2, 1), (2, 7), (1, 1000), (None, 64)]:
        assert list(pipeline.pipe(corpus, jobs=jobs, batch_size=batch_size)) == one, (jobs, batch_size)


def test_texts_take_their_position_as_id(pipeline):
    ids = [r["id"] for r in pipeline.pipe(["Tencent.", "Alibaba.", "Baidu."])]
    assert ids == ["0", "1", "2"]


def test_dict_items_carry_id_date_and_source(pipeline):
    items = [
        {"id": 12, "text": "Alibaba was fined last year.", "date": "2021-04-10T08:30:00Z", "source": "feed:12"},
        {"text": "Alibaba was fined last year.", "date": "not a date"},
    ]
    first, second = pipeline.pipe(items)
    assert (first["id"], first["dct"], first["source"]) == ("12", "2021-04-10", "feed:12")
    assert second["id"] == "1" and second["dct"] is None
    assert any("not a date" in w for w in second["warnings"])


def test_pipe_streams(pipeline):
    consumed = 0

    def endless():
        nonlocal consumed
        for text in itertools.cycle(TEXTS):
            consumed += 1
            yield text

    first = list(itertools.islice(pipeline.pipe(endless(), jobs=2, batch_size=8), 10))
    assert len(first) == 10
    # The two batches yielded from, and two queued behind them, no more.
    assert consumed <= 8 * 4


class Ticker:
    """Another Python thread that notes the time about every millisecond."""

    def __init__(self):
        self.ticks = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run)

    def run(self):
        while not self.stop.is_set():
            self.ticks.append(time.perf_counter())
            time.sleep(0.001)

    def __enter__(self):
        self.thread.start()
        time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def between(self, start, end):
        return [t for t in self.ticks if start + 0.02 < t < end - 0.02]


def timed_until_slow(call):
    """Runs `call(scale)` for growing scales until one run takes 0.2 s (a call
    too quick cannot show whether another thread ran during it)."""
    for scale in (1, 4, 16, 64):
        start = time.perf_counter()
        call(scale)
        end = time.perf_counter()
        if end - start > 0.2:
            return start, end
    pytest.fail("the work never took 0.2 s")


def test_another_python_thread_runs_while_pipe_works():
    # One batch of large documents: the workers hold it for a while, and the
    # other thread must run meanwhile.
    pipeline = newsie.Pipeline(max_doc_bytes=1 << 30)
    text = " ".join(TEXTS)
    with Ticker() as ticker:
        start, end = timed_until_slow(lambda n: next(pipeline.pipe([text * 4 * n] * 4, jobs=2, batch_size=4)))
    # With the GIL held no tick happens; released, one about every ms.
    ticks = len(ticker.between(start, end))
    assert ticks > (end - start) * 100, (ticks, end - start)


def test_extract_releases_the_gil_too():
    pipeline = newsie.Pipeline(max_doc_bytes=1 << 30)
    text = " ".join(TEXTS)
    with Ticker() as ticker:
        start, end = timed_until_slow(lambda n: pipeline.extract(text * 16 * n))
    ticks = len(ticker.between(start, end))
    assert ticks > (end - start) * 100, (ticks, end - start)


def test_a_failing_document_yields_its_error_record_and_the_run_goes_on():
    pipeline = newsie.Pipeline(max_doc_bytes=1000)
    records = list(pipeline.pipe(["Tencent sued ByteDance.", "x" * 1001, "Alibaba."]))
    assert [r["id"] for r in records] == ["0", "1", "2"]
    assert set(records[1]) == {"id", "source", "error"}
    assert "1000" in records[1]["error"]
    assert "error" not in records[0] and "error" not in records[2]


def test_bad_items_raise_after_the_records_before_them(pipeline):
    records = pipeline.pipe(["Tencent.", "Alibaba.", 42, "Baidu."], batch_size=2)
    assert next(records)["id"] == "0"
    assert next(records)["id"] == "1"
    with pytest.raises(TypeError, match="pipe item 2: expected a str or a dict"):
        next(records)
    with pytest.raises(StopIteration):
        next(records)


@pytest.mark.parametrize(
    "item, message",
    [
        ({"id": "a"}, 'needs a "text"'),
        ({"text": b"bytes"}, '"text" must be a str, found bytes'),
        ({"text": "x", "id": 1.5}, "id must be a str or an int"),
        ({"text": "x", "date": 20210410}, "a date must be"),
        (b"bytes", "expected a str or a dict"),
    ],
)
def test_malformed_items_raise_type_error(pipeline, item, message):
    with pytest.raises(TypeError, match=message):
        list(pipeline.pipe([item]))


@pytest.mark.parametrize("item", ["Tencent \ud800", {"text": "Tencent \ud800"}])
def test_a_lone_surrogate_raises_unicode_encode_error(pipeline, item):
    records = pipeline.pipe(["Alibaba.", item])
    assert next(records)["id"] == "0"
    with pytest.raises(UnicodeEncodeError):
        next(records)


def test_an_error_in_the_input_iterable_propagates(pipeline):
    def failing():
        yield "Tencent."
        raise RuntimeError("source went away")

    records = pipeline.pipe(failing())
    assert next(records)["id"] == "0"
    with pytest.raises(RuntimeError, match="source went away"):
        next(records)


@pytest.mark.parametrize("kwargs", [{"jobs": 0}, {"jobs": 100_000}, {"batch_size": 0}])
def test_bad_pipe_arguments(pipeline, kwargs):
    with pytest.raises(ValueError):
        pipeline.pipe(["Tencent."], **kwargs)


def test_pipe_of_nothing(pipeline):
    assert list(pipeline.pipe([])) == []
