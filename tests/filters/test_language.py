"""The language filter: lid.176's top-1 score, the rule over the configured languages, its boundary."""

from __future__ import annotations

import math

import pytest

from corpus.filters.language import LanguageConfig, LanguageFilter
from corpus.policy import decide
from corpus.text import TextView
from formats.documents import Document

ENGLISH = (
    "The river winds through the valley and the farmers along its banks have grown wheat and "
    "barley there for generations."
)
GERMAN = (
    "Der Fluss fließt durch das Tal und die Bauern an seinen Ufern bauen dort seit vielen "
    "Generationen Weizen und Gerste an."
)


@pytest.fixture(scope="module")
def language() -> LanguageFilter:
    flt = LanguageFilter(LanguageConfig())
    flt.setup()
    return flt


def test_scores_the_top_language_and_sets_it_on_the_document(language: LanguageFilter) -> None:
    doc = Document(id="d", url="u", domain="web", text=ENGLISH)
    scores = language.score(doc, TextView(ENGLISH))
    assert list(scores) == ["en"] and scores["en"] > 0.9 and doc.lang == "en"
    assert language.verdict(scores) is None
    german = language.score(Document(id="d", url="u", domain="web", text=GERMAN), TextView(GERMAN))
    assert list(german) == ["de"] and language.verdict(german) == "language"


def test_min_score_keeps_at_the_threshold_and_drops_just_below() -> None:
    """FineWeb keeps above 0.65; the chain's one convention also keeps a page exactly at it."""
    flt = LanguageFilter(LanguageConfig(min_score=0.65))
    assert flt.verdict({"en": 0.65}) is None
    assert flt.verdict({"en": math.nextafter(0.65, 0.0)}) == "language"


def test_a_top_language_that_is_not_configured_drops_whatever_the_threshold() -> None:
    assert LanguageFilter(LanguageConfig(min_score=0.0)).verdict({"fr": 0.99}) == "language"
    assert LanguageFilter(LanguageConfig(min_score=0.0)).verdict({"en": 0.0}) is None


def test_any_configured_language_keeps_the_page() -> None:
    flt = LanguageFilter(LanguageConfig(languages=["en", "de"], min_score=0.5))
    assert flt.verdict({"de": 0.9}) is None
    assert flt.verdict({"de": 0.4}) == "language"


def test_a_page_the_filter_never_scored_is_not_dropped_by_it() -> None:
    """A filter before it raised: no ``language.*`` score, so re-deciding keeps it for the rest."""
    flt = LanguageFilter(LanguageConfig())
    assert flt.verdict({}) is None
    assert decide([flt], {"gopher_quality.word_count": 3.0}, "web") is None
    assert decide([flt], {"language.fr": 0.99}, "web") == "language.language"
