"""One record in, one document out: every way a page can fail has its own reason, nothing raises."""

from __future__ import annotations

from typing import Literal

import pytest

from common.config import load_config
from corpus.cleaner import Cleaner, score_and_decide
from corpus.config import CleanConfig
from corpus.filters.base import Filter, FilterConfig
from corpus.policy import decide
from formats import documents
from formats.documents import Document, RawRecord
from tests.warc_builder import html_page

GOOD_HTML = html_page(
    "A walk by the river",
    [
        "The river winds through the valley and the farmers along its banks have grown wheat and barley there for generations.",
        "In spring the water rises with the melting snow, and the old stone bridge near the village is sometimes closed for days.",
        "Local historians say that the bridge was built in the eighteenth century by masons who came from the towns to the north.",
        "Today visitors walk along the path beside the water, stopping at the small cafe that serves bread, cheese and coffee.",
        "The council has promised to repair the path before the summer, when the number of walkers is usually at its highest.",
    ],
)


def raw(body: bytes = GOOD_HTML, **fields) -> RawRecord:
    values = {
        "source": "crawl.warc.gz",
        "offset": 1234,
        "record_id": "rec-1",
        "url": "https://news.example.com/a",
        "http_status": 200,
        "content_type": "text/html; charset=utf-8",
        "body": body,
    }
    values.update(fields)
    return RawRecord(**values)


@pytest.fixture(scope="module")
def cleaner():
    with Cleaner(load_config("configs/clean.yaml", CleanConfig)) as c:
        yield c


def test_a_good_page_is_kept_with_every_filter_score(cleaner):
    doc = cleaner.clean(raw())
    assert doc.kept, (doc.drop_reason, doc.drop_detail)
    assert doc.domain == "web" and doc.lang == "en" and doc.charset == "utf-8"
    assert "old stone bridge" in doc.text and "Privacy policy" not in doc.text
    for name in (
        "language",
        "gopher_repetition",
        "gopher_quality",
        "c4",
        "fineweb",
        "perplexity",
        "toxicity",
    ):
        assert any(k.startswith(name + ".") for k in doc.scores), name


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (raw(error="truncated record: 10 of 99 payload bytes"), documents.CORRUPT_RECORD),
        (raw(http_status=404), documents.HTTP_STATUS),
        (raw(content_type="application/pdf", body=b"%PDF-1.7 ..."), documents.NOT_HTML),
        (raw(body=b"   "), documents.EMPTY_PAGE),
        (raw(body=b"<html>" + b"x" * 6_000_000 + b"</html>"), documents.TOO_LARGE),
        (raw(body=b"<html>" + bytes(range(32)) * 200 + b"</html>"), documents.BINARY_CONTENT),
        (
            raw(
                body=b"<html><p>" + bytes(range(128, 256)) * 20 + b"</p></html>",
                content_type="text/html; charset=utf-8",
            ),
            documents.UNDECODABLE,
        ),
        (raw(body=b"<html><body><nav><a href='/'>Home</a></nav></body></html>"), documents.EXTRACTION_EMPTY),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_each_broken_input_is_dropped_with_its_own_reason(cleaner, record, reason):
    doc = cleaner.clean(record)
    assert doc.drop_reason == reason
    assert doc.source == "crawl.warc.gz" and doc.offset == 1234


class _ExplodingConfig(FilterConfig):
    name: Literal["exploding"] = "exploding"


class _Exploding(Filter[_ExplodingConfig]):
    """A filter that raises, as a buggy or overwhelmed filter would."""

    name = "exploding"
    Config = _ExplodingConfig

    def score(self, doc, view) -> dict[str, float]:
        raise RuntimeError("boom")


def test_a_filter_that_raises_drops_the_page_with_a_reason_and_the_cleaner_goes_on():
    cleaner = Cleaner(load_config("configs/clean.yaml", CleanConfig))
    cleaner.filters = [*cleaner.filters[:1], _Exploding(_ExplodingConfig()), *cleaner.filters[1:]]
    with cleaner:
        doc = cleaner.clean(raw())
        assert doc.drop_reason == "exploding.error" and "boom" in doc.drop_detail
        assert "language.en" in doc.scores
        cleaner.filters = [f for f in cleaner.filters if f.name != "exploding"]
        assert cleaner.clean(raw()).kept


GERMAN_HTML = html_page(
    "Fluss",
    [
        "Der Fluss fließt durch das Tal und die Bauern an seinen Ufern bauen dort seit vielen "
        "Generationen Weizen und Gerste an, und im Frühling steigt das Wasser."
    ]
    * 3,
)


def test_first_reason_is_kept_and_later_filters_still_score_when_score_all(cleaner):
    doc = cleaner.clean(raw(body=GERMAN_HTML))
    assert doc.drop_reason == "language.language"
    assert any(k.startswith("gopher_quality.") for k in doc.scores)


def test_without_score_all_the_loop_stops_at_the_first_drop(cleaner):
    text = cleaner.clean(raw(body=GERMAN_HTML)).text
    doc = Document(id="d", url="u", domain="web", text=text)
    score_and_decide(doc, cleaner.filters, score_all=False)
    assert doc.drop_reason == "language.language"
    assert all(k.startswith("language.") for k in doc.scores)


def test_a_filter_drop_carries_the_rules_value_and_threshold_as_its_detail(cleaner):
    doc = cleaner.clean(raw(body=GERMAN_HTML))
    (measured,) = [k for k in doc.scores if k.startswith("language.")]  # only the identified language
    assert measured == "language.de"
    # no English score at all: the derived metric is -inf, and the detail names what was measured
    assert doc.drop_detail == f"-inf < 0.65 from de={doc.scores[measured]:.4g}"


def test_the_loop_and_the_policy_reach_the_same_verdict_from_the_same_scores(cleaner):
    """The cleaner decides through corpus.policy.decide, so re-deciding stored scores agrees."""
    for body in (GOOD_HTML, GERMAN_HTML):
        doc = cleaner.clean(raw(body=body))
        assert decide(cleaner.filters, doc.scores, doc.domain) == doc.drop_reason


def test_c4_rewrites_the_text_before_the_filters_after_it_score(cleaner):
    prose = [
        "The river winds through the valley and the farmers grow wheat there.",
        "In spring the water rises and the old stone bridge is sometimes closed.",
        "Today visitors walk along the path beside the water to the small cafe.",
    ]
    text = "\n".join(["Menu", prose[0], "Share this", prose[1], "Subscribe now", prose[2]])
    chain = [flt for flt in cleaner.filters if flt.name in ("c4", "fineweb")]
    doc = Document(id="d", url="u", domain="web", text=text)
    score_and_decide(doc, chain, score_all=True)
    assert doc.text == "\n".join(prose) and doc.kept
    assert doc.scores["c4.removed_no_terminal_punct"] == 3.0 and doc.scores["c4.sentences"] == 3.0
    assert doc.scores["fineweb.line_punct_ratio"] == 1.0  # the kept lines, not the original six


def test_cleaning_before_setup_is_an_error_that_says_so():
    with pytest.raises(RuntimeError, match="setup"):
        Cleaner(load_config("configs/clean.yaml", CleanConfig)).clean(raw())
