"""The per-page time limit: a runaway page is cut off and the extractor carries on."""

from __future__ import annotations

import gc
import os
import signal
import threading
import time

import pytest

from corpus.extract import (
    ExtractionError,
    ExtractionTimeout,
    InProcessExtractor,
    ProcessExtractor,
)
from tests.extract.pages import ARTICLE_PARAGRAPHS, article_page, deeply_nested_page


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); it has exited for our purposes
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
def extractor():
    ex = ProcessExtractor("resiliparse_tuned", timeout_s=0.05)
    yield ex
    ex.close()


def test_pathological_page_times_out_and_the_extractor_keeps_working(extractor):
    assert ARTICLE_PARAGRAPHS[0] in extractor.extract(article_page())  # child started and warm
    (first_pid,) = extractor.pids
    start = time.monotonic()
    with pytest.raises(ExtractionTimeout, match="longer than 0.05 s"):
        extractor.extract(deeply_nested_page())
    assert time.monotonic() - start < 1.0  # cut off near the limit, not after the page's ~1 s+
    assert extractor.restarts == 1
    assert not _alive(first_pid)
    assert ARTICLE_PARAGRAPHS[0] in extractor.extract(article_page())
    assert extractor.pids and extractor.pids != [first_pid]


def test_a_crashed_child_is_an_extraction_error_for_that_page_only(extractor):
    extractor.extract(article_page())
    (pid,) = extractor.pids
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(ExtractionError, match="died") as err:
        extractor.extract(article_page())
    assert err.value.cause == f"exit code {-signal.SIGKILL}"
    assert ARTICLE_PARAGRAPHS[0] in extractor.extract(article_page())


def test_an_exception_in_the_child_comes_back_as_extraction_error_with_its_cause():
    """The registered extractors swallow bad HTML, so provoke the child's error path with a
    request the parent itself never sends: bytes that are not UTF-8."""
    from corpus.extract.child import REQUEST_HEADER
    from corpus.extract.timeout import _Child

    child = _Child("resiliparse")
    try:
        assert child.extract("<p>ok</p>", timeout_s=5.0) == "ok"  # started and ready
        proc = child._proc
        assert proc is not None and proc.stdin is not None
        proc.stdin.write(REQUEST_HEADER.pack(0, 3) + b"\xff\xfe\xfd")
        status, body = child._read_frame(proc, time.monotonic() + 5.0)
        assert status == 1 and body.startswith(b"UnicodeDecodeError:")
        # the same child answers the next page: an error costs one page, not the process
        assert child.extract("<p>still ok</p>", timeout_s=5.0) == "still ok"
    finally:
        child.close()


def test_in_process_errors_keep_the_original_exception_as_cause():
    with pytest.raises(ExtractionError) as err:
        InProcessExtractor("resiliparse").extract(None)  # type: ignore[arg-type]
    assert err.value.cause == "TypeError"
    assert isinstance(err.value.__cause__, TypeError)


def test_child_output_equals_in_process_output():
    pages = [article_page(), "<p>" + "x" * 200_000 + "</p>", "<p>caf\u00e9 \u4e2d\u6587 \U0001f600</p>"]
    with ProcessExtractor("hybrid", timeout_s=10.0) as ex:
        for page in pages:
            assert ex.extract(page) == InProcessExtractor("hybrid").extract(page)


def test_pages_larger_than_the_pipe_cross_both_ways_intact():
    words = " ".join(f"w{i}" for i in range(400_000))  # ~2.7 MB: several pipe-fulls each way
    page = f"<html><body><article><p>{words}.</p><p>caf\u00e9 \U0001f600 end.</p></article></body></html>"
    with ProcessExtractor("resiliparse_tuned", timeout_s=30.0) as ex:
        text = ex.extract(page)
    assert text == f"{words}.\ncaf\u00e9 \U0001f600 end."


def test_many_threads_share_one_extractor_each_with_its_own_child():
    pages = [article_page().replace("weir", f"weir {i}") for i in range(12)]
    expected = [InProcessExtractor("resiliparse_tuned").extract(p) for p in pages]
    results: dict[int, str] = {}
    pids: set[int] = set()
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)
    ex = ProcessExtractor("resiliparse_tuned", timeout_s=10.0)

    def work(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(worker, len(pages), 4):
                results[i] = ex.extract(pages[i])
            pids.update(ex.pids)
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert not errors
        assert [results[i] for i in range(len(pages))] == expected
        assert len(pids) >= 2  # not one child serialising everybody
    finally:
        ex.close()
    for pid in pids:
        deadline = time.monotonic() + 5
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not _alive(pid)


def test_a_finished_threads_child_is_closed():
    ex = ProcessExtractor("resiliparse", timeout_s=5.0)
    seen: list[int] = []

    def work() -> None:
        ex.extract("<p>hello</p>")
        seen.extend(ex.pids)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    gc.collect()
    try:
        assert len(seen) == 1
        assert not _alive(seen[0])
        assert ex.pids == []
    finally:
        ex.close()


def test_closed_extractor_refuses_work_and_unknown_names_fail_early():
    ex = ProcessExtractor("resiliparse", timeout_s=1.0)
    ex.close()
    with pytest.raises(RuntimeError, match="closed"):
        ex.extract("<p>x</p>")
    with pytest.raises(KeyError, match="unknown extractor 'nope'"):
        ProcessExtractor("nope", timeout_s=1.0)
    with pytest.raises(ValueError, match="positive"):
        ProcessExtractor("resiliparse", timeout_s=0)


def test_cleaner_drops_a_runaway_page_as_extraction_timeout_and_keeps_the_next():
    """The contract with the pipeline: the per-page limit surfaces as the schema's drop reason."""
    from common.config import parse_config
    from corpus.cleaner import Cleaner
    from corpus.config import CleanConfig
    from formats import documents

    config = parse_config({"extraction": {"extractor": "hybrid", "timeout_s": 0.05}}, CleanConfig)

    def record(i: int, html: str) -> documents.RawRecord:
        return documents.RawRecord(
            source="test.warc.gz",
            offset=i,
            record_id=f"r{i}",
            url=f"https://example.org/{i}",
            http_status=200,
            content_type="text/html; charset=utf-8",
            body=html.encode("utf-8"),
        )

    with Cleaner(config) as cleaner:
        cleaner.clean(record(0, article_page()))  # child started before the clock matters
        slow = cleaner.clean(record(1, deeply_nested_page()))
        fine = cleaner.clean(record(2, article_page()))
    assert slow.drop_reason == documents.EXTRACTION_TIMEOUT
    assert "0.05 s" in slow.drop_detail
    assert fine.kept and ARTICLE_PARAGRAPHS[0] in fine.text
