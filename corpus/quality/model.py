"""A trained quality classifier at work: the text it sees, loading it (checked against its
card), and the score and percentile of a text."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from corpus.quality.card import MODEL_FILE, CardError, ModelCard, file_sha256, read_card
from corpus.quality.fit import fasttext_module

LABEL_PREFIX = "__label__"
PREPROCESSING = "lines joined by single spaces (whitespace runs collapsed), case kept: DCLM's"


def prepare(text: str) -> str:
    """The one line fastText reads for a text, in training and in scoring alike.

    DCLM joins a page's lines with spaces and keeps case and punctuation; fastText splits on
    whitespace and wants one example per line, so runs of whitespace become one space.
    """
    return " ".join(text.split())


class QualityModel:
    """A model folder of ``python -m corpus.quality train``: ``model.bin`` and ``card.json``.

    The model file's SHA-256 must be the card's, so scores are never attributed to a model the
    card does not describe (a retrained model copied over the old one, a damaged download).
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.card: ModelCard = read_card(self.folder)
        path = self.folder / MODEL_FILE
        if not path.is_file():
            raise CardError(f"{path}: not found (the card describes it)")
        found = file_sha256(path)
        if found != self.card.model.sha256:
            raise CardError(
                f"{path}: SHA-256 {found[:16]}... is not the card's {self.card.model.sha256[:16]}...: "
                "the model file was replaced or damaged; retrain or restore it"
            )
        self.model = fasttext_module().load_model(str(path))
        self.positive = LABEL_PREFIX + self.card.labels[0]

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of the positive class for each text (fastText's softmax over the two)."""
        if not texts:
            return np.empty(0)
        labels, probs = self.model.predict([prepare(t) for t in texts], k=2)
        out = np.empty(len(texts))
        for i, (ls, ps) in enumerate(zip(labels, probs, strict=True)):
            by_label = dict(zip(ls, ps, strict=True))
            out[i] = min(1.0, float(by_label.get(self.positive, 0.0)))
        return out

    def score(self, text: str) -> float:
        return float(self.scores([text])[0])

    def percentile(self, score: float) -> float:
        return self.card.reference.percentile(score)


@cache
def load_quality_model(folder: str) -> QualityModel:
    """One loaded model per process and folder (fastText models are read-only for predict)."""
    return QualityModel(folder)
