"""The toxicity filter: the shipped classifier, per-sentence scores and the thresholds' boundaries."""

from __future__ import annotations

import math

import numpy as np
import pytest
from profanity_check import predict_prob

from common.config import parse_config
from common.errors import ConfigError
from corpus.filters.toxicity import ToxicityConfig, ToxicityFilter, load_profanity_model
from corpus.lm.reference import read_documents, reference_path
from corpus.text import TextView
from formats.documents import Document

ABUSIVE = [
    "You are a stupid worthless idiot and everybody hates you.",
    "Shut the fuck up, you pathetic piece of shit.",
    "Go kill yourself, you disgusting loser.",
    "What a dumb bitch, she is a fucking moron.",
]
NEUTRAL = [
    "The committee approved the budget for the new library on Tuesday.",
    "Rain is expected in the north tomorrow, with sunny spells in the south.",
    "She has taught mathematics at the local school for twenty years.",
    "Add the flour and stir until the mixture is smooth.",
]


def _score(flt: ToxicityFilter, text: str) -> dict[str, float]:
    doc = Document(id="d", url="https://example.com/", domain="web", text=text, lang="en")
    return flt.score(doc, TextView(text))


@pytest.fixture(scope="module")
def toxicity() -> ToxicityFilter:
    flt = ToxicityFilter(ToxicityConfig())
    flt.setup()
    return flt


def test_abusive_texts_score_above_and_neutral_texts_below_the_threshold(toxicity: ToxicityFilter) -> None:
    threshold = toxicity.config.max_doc
    assert threshold == 0.4
    for text in ABUSIVE:
        scores = _score(toxicity, text)
        assert scores["doc"] > threshold, text
        assert toxicity.verdict(scores) == "doc"
    for text in NEUTRAL:
        scores = _score(toxicity, text)
        assert scores["doc"] <= threshold, text
        assert toxicity.verdict(scores) is None


def test_closed_form_model_equals_profanity_check_predict_prob() -> None:
    news = list(read_documents(reference_path("en", "heldout")))[:5]
    texts = [*ABUSIVE, *NEUTRAL, *news, "", "the and of it", "Ünïcödé wörds only"]
    ours = load_profanity_model().predict(texts)
    np.testing.assert_allclose(ours, predict_prob(texts), rtol=0, atol=1e-12)


def test_document_and_sentence_scores_come_from_one_batch_and_match_the_classifier(
    toxicity: ToxicityFilter,
) -> None:
    text = " ".join([NEUTRAL[0], ABUSIVE[1], NEUTRAL[1]])
    view = TextView(text)
    assert len(view.sentences) == 3
    scores = _score(toxicity, text)
    per_sentence = predict_prob(view.sentences)
    assert scores["doc"] == pytest.approx(predict_prob([text])[0], abs=1e-12)
    assert scores["max_sentence"] == pytest.approx(per_sentence.max(), abs=1e-12)
    assert scores["toxic_fraction"] == pytest.approx(1 / 3)


@pytest.mark.parametrize("abusive", ABUSIVE)
def test_max_sentence_catches_one_toxic_sentence_in_a_long_neutral_document(
    toxicity: ToxicityFilter, abusive: str
) -> None:
    docs = list(read_documents(reference_path("en", "heldout")))[:3]  # ~5,600 characters of news
    paragraphs = "\n".join(docs).split("\n")
    text = "\n".join([*paragraphs[:3], abusive, *paragraphs[3:]])
    scores = _score(toxicity, text)
    assert scores["doc"] < 0.4  # diluted by the long neutral text: the document score misses it
    assert scores["max_sentence"] >= 0.9
    assert 0 < scores["toxic_fraction"] < 0.1
    assert toxicity.verdict(scores) is None  # default policy: sentence rule off
    strict = ToxicityFilter(ToxicityConfig(max_sentence=0.4))
    assert strict.verdict(scores) == "max_sentence"


def test_threshold_boundaries_are_pinned() -> None:
    """At a threshold keeps, just above drops (the chain's one convention; Dolma drops at 0.4)."""
    flt = ToxicityFilter(ToxicityConfig(max_doc=0.4, max_sentence=0.8, max_toxic_fraction=0.25))
    above = math.nextafter(0.4, 1.0)
    assert flt.verdict({"doc": 0.4, "max_sentence": 0.0, "toxic_fraction": 0.0}) is None  # at: kept
    assert flt.verdict({"doc": above, "max_sentence": 0.0, "toxic_fraction": 0.0}) == "doc"
    assert flt.verdict({"doc": 0.0, "max_sentence": 0.8, "toxic_fraction": 0.0}) is None
    assert (
        flt.verdict({"doc": 0.0, "max_sentence": math.nextafter(0.8, 1.0), "toxic_fraction": 0.0})
        == "max_sentence"
    )
    assert flt.verdict({"doc": 0.0, "max_sentence": 0.0, "toxic_fraction": 0.25}) is None  # at: kept
    assert flt.verdict({"doc": 0.0, "max_sentence": 0.0, "toxic_fraction": 0.26}) == "toxic_fraction"
    assert flt.verdict({}) is None  # not measured: never dropped, even with zero thresholds
    assert ToxicityFilter(ToxicityConfig(max_doc=0.0)).verdict({}) is None


def test_toxic_sentence_score_counts_sentences_at_or_above_it(toxicity: ToxicityFilter) -> None:
    text = " ".join([NEUTRAL[0], ABUSIVE[2], NEUTRAL[2], NEUTRAL[3]])
    abusive_prob = float(predict_prob([ABUSIVE[2]])[0])
    at = ToxicityFilter(ToxicityConfig(toxic_sentence_score=abusive_prob))
    above = ToxicityFilter(ToxicityConfig(toxic_sentence_score=min(1.0, math.nextafter(abusive_prob, 2.0))))
    at.setup()
    above.setup()
    assert _score(at, text)["toxic_fraction"] == pytest.approx(0.25)
    assert _score(above, text)["toxic_fraction"] == 0.0


def test_empty_text_is_not_scored_and_kept(toxicity: ToxicityFilter) -> None:
    assert _score(toxicity, "  \n ") == {}
    assert toxicity.verdict({}) is None


def test_config_rejects_thresholds_outside_zero_one() -> None:
    with pytest.raises(ConfigError, match="max_doc"):
        parse_config({"max_doc": 1.5}, ToxicityConfig)
