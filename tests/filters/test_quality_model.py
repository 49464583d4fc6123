"""The ``quality_model`` filter: fastText's probability and its percentile among the card's
reference scores, thresholds over the stored scores, and a config that names a missing model."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.config import ConfigError, parse_config
from corpus.cleaner import score_and_decide
from corpus.config import CleanConfig
from corpus.filters.quality_model import QualityModelConfig, QualityModelFilter
from corpus.policy import build_filters, decide
from corpus.quality.card import read_card
from corpus.quality.fit import fasttext_module
from corpus.text import TextView
from formats.documents import Document
from tests.quality.generated import task
from tests.quality.models import train_small, write_task


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("quality")
    assert train_small(*write_task(folder), folder / "model") == 0
    return folder / "model"


def _filter(model, **thresholds) -> QualityModelFilter:
    flt = QualityModelFilter(QualityModelConfig(model=str(model), **thresholds))
    flt.setup()
    return flt


def test_the_score_is_fasttexts_probability_and_the_percentile_its_rank_in_the_reference(trained):
    flt = _filter(trained)
    model = fasttext_module().load_model(str(trained / "model.bin"))
    reference = read_card(trained).reference.scores
    prose, salad = task(5, seed=123)
    for text in prose + salad:
        got = flt.score(Document(id="d", url="u", domain="web", text=text), TextView(text))
        labels, probs = model.predict(" ".join(text.split()), k=2)
        expected = dict(zip(labels, probs, strict=True))["__label__positive"]
        assert got["score"] == pytest.approx(expected, abs=1e-6)
        assert got["percentile"] == 100 * sum(s <= got["score"] for s in reference) / len(reference)
    assert flt.score(Document(id="d", url="u", domain="web"), TextView("")) == {}


def test_rules_keep_at_the_threshold_drop_below_and_are_off_by_default(trained):
    assert _filter(trained).verdict({"percentile": 0.0, "score": 0.0}) is None
    flt = _filter(trained, min_percentile=90.0, min_score=0.5)
    assert flt.verdict({"percentile": 90.0, "score": 0.5}) is None
    assert flt.verdict({"percentile": 89.9, "score": 0.9}) == "percentile"
    assert flt.verdict({"percentile": 95.0, "score": 0.49}) == "score"
    assert flt.verdict({}) is None


def test_a_team_redecides_a_percentile_from_stored_scores(trained):
    """Scored once through the cleaner's chain, decided again under a new percentile with
    `corpus.policy.decide` alone: prose stays, word salad goes, no model is run again."""
    config = parse_config({"filters": [{"name": "quality_model", "model": str(trained)}]}, CleanConfig)
    filters = build_filters(config)
    for f in filters:
        f.setup()
    prose, salad = task(4, seed=321)
    docs = [Document(id=f"p{i}", url="u", domain="web", text=t) for i, t in enumerate(prose)]
    docs += [Document(id=f"s{i}", url="u", domain="web", text=t) for i, t in enumerate(salad)]
    for d in docs:
        score_and_decide(d, filters)
    assert all(d.kept for d in docs)  # no threshold set
    strict = parse_config(
        {"filters": [{"name": "quality_model", "model": str(trained), "min_percentile": 90}]}, CleanConfig
    )
    outcomes = {d.id: decide(build_filters(strict), d.scores, d.domain) for d in docs}
    assert outcomes == {
        **{f"p{i}": None for i in range(4)},
        **{f"s{i}": "quality_model.percentile" for i in range(4)},
    }


def test_a_missing_model_folder_is_named_at_start_up(tmp_path):
    with pytest.raises(ConfigError, match=r"filters\[0\]\.quality_model\.model: .*is not a model folder"):
        parse_config({"filters": [{"name": "quality_model", "model": str(tmp_path)}]}, CleanConfig)
    with pytest.raises(ConfigError, match=r"filters\[0\]\.quality_model\.min_percentile"):
        parse_config(
            {"filters": [{"name": "quality_model", "model": str(tmp_path), "min_percentile": 120}]},
            CleanConfig,
        )
