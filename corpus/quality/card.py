"""The model card written beside a trained quality classifier (``MODEL/card.json``).

It says what the model is and where it came from, so a score in ``attributes/`` can be traced
back: the data (every file with its SHA-256, texts per class, the held-out split), the training
settings, the held-out metrics, the model file's hash (checked when the filter loads it), and
the reference scores percentiles are read against.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, Field

from common.config import StrictModel, parse_config
from common.errors import InputError

CARD_FILE = "card.json"
MODEL_FILE = "model.bin"
CARD_VERSION = 1


def file_sha256(path: Path) -> str:
    """The SHA-256 a card records of a file (the model, each training source)."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


class CardError(InputError):
    """A model folder without a readable, valid card; the message names the file and key."""


class _Card(StrictModel):
    model_config = ConfigDict(strict=True)


class SourceFile(_Card):
    path: str
    bytes: int = Field(ge=0)
    sha256: str
    texts: int = Field(ge=0)
    """Non-blank texts read from it."""


class ClassData(_Card):
    sources: list[SourceFile]
    texts: int = Field(ge=0)
    """Distinct texts used (after removing blanks, repeats, and texts found in both classes)."""
    train: int = Field(ge=0)
    heldout: int = Field(ge=0)
    chars: int = Field(ge=0)


class Data(_Card):
    positive: ClassData
    negative: ClassData
    in_both_classes: int = Field(ge=0)
    """Distinct texts given as positive and as negative: left out of both."""
    heldout_fraction: float = Field(ge=0, lt=1)
    """Share of texts held out for the metrics, chosen by a hash of the text and the seed (the
    same text always falls on the same side, so copies never leak across the split)."""


class Training(_Card):
    fasttext: str
    """The fastText package and version that trained it."""
    seed: int
    threads: Literal[1] = 1
    """One thread: fastText's training is then deterministic for a seed (same bytes out)."""
    lr: float
    dim: int
    epoch: int
    word_ngrams: int
    min_count: int
    bucket: int
    """Hash buckets of the word n-grams (unused with unigrams): with ``dim``, the model's size."""
    max_per_class: int | None
    """Cap on training-plus-held-out texts per class (the smallest hashes), or None."""


class Metrics(_Card):
    """On the held-out texts; positive is the class being predicted."""

    threshold: float
    """The score from which a text is predicted positive (fastText's top label: 0.5)."""
    precision: float
    recall: float
    f1: float
    accuracy: float
    roc_auc: float | None
    """Threshold-free: the chance a held-out positive outscores a held-out negative."""
    positives: int
    negatives: int


class Reference(_Card):
    """Scores that a document's ``percentile`` is read against."""

    source: str
    """What they were measured on (by default the held-out negatives: the crawl side, as
    DCLM keeps the top tenth of its crawl pool by score)."""
    texts: int = Field(ge=0)
    scores: list[float]
    """Sorted; every score when there are at most 1,001, else 1,001 evenly spaced order statistics."""

    def percentile(self, score: float) -> float:
        """Share of the reference at or below ``score``, in percent (0-100)."""
        if not self.scores:
            return 0.0
        return 100.0 * bisect_right(self.scores, score) / len(self.scores)


class ModelFile(_Card):
    file: str = MODEL_FILE
    bytes: int = Field(ge=0)
    sha256: str


class ModelCard(_Card):
    version: int = CARD_VERSION
    kind: Literal["headwater.quality_model"] = "headwater.quality_model"
    labels: list[str] = Field(default_factory=lambda: ["positive", "negative"], min_length=2, max_length=2)
    """fastText labels (``__label__<name>``) of the two classes; ``score`` is the first's probability."""
    preprocessing: str
    """What a text becomes before fastText sees it (`corpus.quality.model.prepare`)."""
    model: ModelFile
    data: Data
    training: Training
    metrics: Metrics
    reference: Reference
    command: list[str]
    """The command line that trained it."""


def read_card(folder: str | Path) -> ModelCard:
    path = Path(folder) / CARD_FILE
    if not path.is_file():
        raise CardError(
            f"{path}: not found; {folder} is not a model folder of `python -m corpus.quality train`"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CardError(f"{path}: cannot read the card: {err}") from None
    return parse_config(data, ModelCard, str(path), error=CardError)
