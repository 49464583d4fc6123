"""A trained quality classifier as a filter: DCLM's fastText score, thresholds as percentiles.

The model is a folder written by ``python -m corpus.quality train`` (``model.bin`` with its card),
trained on text the team brings; nothing ships with headwater and nothing is downloaded. Every
document gets two scores:

- ``quality_model.score``: the model's probability of the positive class;
- ``quality_model.percentile``: where that score falls among the card's reference scores (by
  default the held-out negatives, i.e. the crawl side of the training data; ``--reference`` sets
  them to a sample of the crawl to be filtered), 0-100.

DCLM (Li et al. 2024) kept the top 10% of its crawl pool by this kind of score: ``min_percentile:
90`` with a reference drawn from the same crawl. Both thresholds are off by default, because the
right cut depends on the model and on how much data the mix needs; they are thresholds over stored
scores, so a team re-decides with ``python -m corpus.policy`` without running the model again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from corpus.filters.base import Filter, FilterConfig, Rule, register
from corpus.quality.card import CARD_FILE, CardError, read_card
from corpus.quality.model import QualityModel, load_quality_model
from corpus.text import TextView
from formats.documents import Document


class QualityModelConfig(FilterConfig):
    name: Literal["quality_model"] = "quality_model"

    # --- scoring parameters
    model: str
    """Scoring: the model folder of ``python -m corpus.quality train`` (``model.bin``, ``card.json``)."""

    # --- thresholds
    min_percentile: float | None = Field(None, ge=0, le=100)
    """Drop below this percentile of the card's reference scores (DCLM: the top 10%, 90)."""
    min_score: float | None = Field(None, ge=0, le=1)
    """Drop below this probability of the positive class (DCLM's own cut was a probability
    chosen on its pool, 0.018112: a percentile carries over to another model, a probability
    does not)."""

    @field_validator("model")
    @classmethod
    def _model_folder(cls, value: str) -> str:
        if not (Path(value) / CARD_FILE).is_file():
            raise ValueError(
                f"{value!r} is not a model folder of `python -m corpus.quality train` (no {CARD_FILE})"
            )
        try:
            read_card(value)
        except CardError as err:
            raise ValueError(str(err)) from None
        return value


@register
class QualityModelFilter(Filter[QualityModelConfig]):
    """Scores ``score`` and ``percentile`` with the configured model (module docstring)."""

    name = "quality_model"
    Config = QualityModelConfig
    rules = (
        Rule("percentile", "min", "min_percentile"),
        Rule("score", "min", "min_score"),
    )

    def setup(self) -> None:
        self._model: QualityModel = load_quality_model(self.config.model)

    def score(self, doc: Document, view: TextView) -> dict[str, float]:
        if not view.text:
            return {}
        score = self._model.score(view.text)
        return {"score": score, "percentile": self._model.percentile(score)}
