"""No filter, nor the normaliser, takes long on a crafted line: each is timed on a megabyte of
repeated punctuation, one endless word, a million line breaks and the like, against a bound far
inside the per-document budget (``limits.document_timeout_s``) and generous enough for a loaded
two-core CI machine. A regex that backtracks quadratically takes hours on these, not seconds.

The time budget itself is checked between filters (`corpus.cleaner.score_and_decide`); the last
test drives it through the real cleaner.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

import pytest

from common.config import load_config, parse_config
from corpus.cleaner import Cleaner, score_and_decide
from corpus.config import CleanConfig
from corpus.policy import build_filters
from corpus.text import TextView, normalise_text
from formats import documents
from formats.documents import Document, RawRecord
from tests.warc_builder import html_page

MB = 1_000_000
BOUND_S = (
    20.0  # per filter and line; the slowest measured on a shared 2-core machine is in docs/reliability.md
)
LINES = {
    "repeated_bang": "!" * MB,
    "dot_space": ". " * (MB // 2),
    "ellipses": "…" * MB,
    "one_word": "a" * MB,
    "words_one_line": "word " * (MB // 5),
    "line_breaks": "\n" * MB,
    "short_lines": "a.\n" * (MB // 3),
    "bullets": "• x\n" * (MB // 4),
    "braces": "{" * MB,
    "url_scheme": "http://" * (MB // 7),
    "combining_marks": "a" + "\u0301" * MB,
    "quote_runs": "!\u201d " * (MB // 3),
}


@contextlib.contextmanager
def within(seconds: float, what: str) -> Iterator[None]:
    """Fail, not hang, when ``what`` runs past ``seconds``: the regex engine checks signals, so
    SIGALRM stops a backtracking match that would otherwise run for hours."""

    def stop(signum, frame):
        raise TimeoutError(f"{what} ran past {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def filters():
    built = build_filters(load_config("configs/clean.yaml", CleanConfig))
    for f in built:
        f.setup()
    return built


@pytest.mark.parametrize("name", sorted(LINES))
def test_the_normaliser_and_the_text_splits_are_fast_on_a_crafted_line(name):
    with within(BOUND_S, f"normalising and splitting {name}"):
        view = TextView(normalise_text(LINES[name]))
        _ = view.lines, view.words, view.paragraphs, view.sentences


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LINES))
def test_every_filter_scores_a_crafted_line_within_the_bound(filters, name):
    for flt in filters:
        # lang set as the language filter would, so the perplexity filter scores too
        doc = Document(id="x", url="http://a.example/", domain="web", lang="en", text=LINES[name])
        with within(BOUND_S, f"{flt.name} on {name}"):
            score_and_decide(doc, [flt], score_all=True)
        assert not (doc.drop_reason or "").endswith(documents.FILTER_ERROR_SUFFIX), doc.drop_detail


def test_a_document_past_its_budget_is_dropped_before_the_next_filter_naming_those_left():
    config = parse_config(
        {
            "limits": {"document_timeout_s": 1e-9},
            "filters": [{"name": "gopher_quality"}, {"name": "fineweb"}],
        },
        CleanConfig,
    )
    body = html_page("A page", ["The river winds through the valley and the farmers grow wheat there. " * 5])
    raw = RawRecord(
        source="s",
        offset=0,
        record_id="r",
        url="http://a.example/",
        http_status=200,
        content_type="text/html",
        body=body,
    )
    with Cleaner(config) as cleaner:
        doc = cleaner.clean(raw)
    assert doc.drop_reason == documents.DOCUMENT_TIMEOUT
    assert doc.drop_detail.endswith("before gopher_quality, fineweb")
    assert doc.scores == {}  # no filter ran
