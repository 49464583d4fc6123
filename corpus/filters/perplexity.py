"""CCNet-style perplexity under an n-gram language model, with head/middle/tail buckets.

CCNet (Wenzek et al. 2020) scores each document with a 5-gram KenLM model trained on Wikipedia
in the document's language (SentencePiece tokens) and splits each language at the 30th and 60th
percentile of its perplexities into head, middle and tail. It keeps all three and labels them;
later work picks buckets (RedPajama v1 kept head and middle). Our default does the same: every
document is labelled and only an extreme tail beyond ``max_perplexity`` (text the model does not
recognise as prose of its language: keyword spam, random strings, another language) is dropped;
a team that wants head+middle adds ``drop_buckets: [tail]``.

Scores: ``perplexity.value`` and ``perplexity.bucket`` (0 head, 1 middle, 2 tail). Documents in a
language without a configured model get no scores and are never dropped by this filter.

Models per language: a KenLM file (ARPA or binary) with its SentencePiece model (``kenlm_path``,
``sentencepiece_path``), or, for languages with a shipped reference text (English), the built-in
model trained at first use by `corpus.lm.builtin`. Cutoffs are per model: recompute them on a
sample of your own crawl with ``python -m corpus.lm calibrate``.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field, model_validator

from common.config import StrictModel
from corpus.filters.base import Filter, FilterConfig, Rule, register
from corpus.lm.model import NGramLM
from corpus.text import TextView
from formats.documents import Document

Bucket = Literal["head", "middle", "tail"]
BUCKETS: tuple[Bucket, ...] = ("head", "middle", "tail")

# The built-in English model's cutoffs: 30th and 60th percentile over 40 real English web pages
# it never saw (the held-out benchmark articles' full pages and the shared WARC's pages that the
# chain before this filter keeps, with the text this filter gets), from `python
# bench/perplexity_toxicity_speed.py --write-sample s.jsonl` then `python -m corpus.lm calibrate
# --input s.jsonl` (docs/benchmarks.md). Recalibrate when corpus.lm.builtin.BUILD_VERSION
# changes, and on a sample of your own crawl (a Stage 1 output's parquet/) for production.
EN_HEAD_CUTOFF = 267.3
EN_TAIL_CUTOFF = 476.5
DEFAULT_MAX_PERPLEXITY = 2500.0
"""Well above every page of that sample and below what is not English prose (keyword spam,
another language, random letters); the perplexities of each are in docs/benchmarks.md, "Perplexity
and toxicity filters". Shuffled English words score like real pages and are left to the
repetition and quality rules."""


class LanguageModelConfig(StrictModel):
    """One language's model and its CCNet cutoffs."""

    kenlm_path: str | None = None
    """A KenLM model (ARPA or binary). None: the built-in model (languages with a shipped text)."""
    sentencepiece_path: str | None = None
    """The SentencePiece model the KenLM model's text was tokenised with (CCNet ships
    ``<lang>.sp.model`` beside ``<lang>.arpa.bin``). None with a ``kenlm_path``: whitespace words."""
    normalize: bool = True
    """Apply CCNet's normalisation (lower case, no accents, digits as 0) before tokenising, as
    CCNet's and our models were trained; turn off only for a model trained on raw text."""
    head_cutoff: float = Field(gt=0)
    """Perplexity below this is ``head`` (CCNet: the language's 30th percentile)."""
    tail_cutoff: float = Field(gt=0)
    """Perplexity at or above this is ``tail``, between the two ``middle`` (CCNet: 60th pct)."""

    @model_validator(mode="after")
    def _consistent(self) -> LanguageModelConfig:
        if self.tail_cutoff < self.head_cutoff:
            raise ValueError(f"tail_cutoff ({self.tail_cutoff}) is below head_cutoff ({self.head_cutoff})")
        if self.sentencepiece_path and not self.kenlm_path:
            raise ValueError("sentencepiece_path needs a kenlm_path (the built-in model has its own)")
        return self


def _default_models() -> dict[str, LanguageModelConfig]:
    return {"en": LanguageModelConfig(head_cutoff=EN_HEAD_CUTOFF, tail_cutoff=EN_TAIL_CUTOFF)}


class PerplexityConfig(FilterConfig):
    name: Literal["perplexity"] = "perplexity"
    models: dict[str, LanguageModelConfig] = Field(default_factory=_default_models)
    """Language code (as the language filter sets ``doc.lang``) -> model and cutoffs."""
    max_perplexity: float | None = Field(DEFAULT_MAX_PERPLEXITY, gt=0)
    """Drop above this perplexity (rule ``value``; exactly at it keeps); None keeps every
    document. One number for all languages, since the rules see scores only: set it for the
    models you configure."""
    drop_buckets: list[Bucket] = Field(default_factory=list)
    """Buckets to drop (rule ``bucket``). CCNet keeps all three; ``[tail]`` keeps head+middle."""

    @model_validator(mode="after")
    def _builtin_exists(self) -> PerplexityConfig:
        from corpus.lm.reference import shipped_languages

        shipped = shipped_languages()
        for lang, spec in self.models.items():
            if spec.kenlm_path is None and lang not in shipped:
                raise ValueError(
                    f"models.{lang}.kenlm_path: no built-in model for {lang!r} "
                    f"(built-in: {', '.join(shipped) or 'none'}); give a KenLM model path"
                )
        return self


@cache
def load_language_model(
    kenlm_path: str | None, sentencepiece_path: str | None, normalize: bool, lang: str
) -> NGramLM:
    """One loaded model per process and spec (KenLM models are read-only and shared)."""
    if kenlm_path is None:
        from corpus.lm.builtin import builtin_model

        files = builtin_model(lang)
        return NGramLM(files.kenlm, files.sentencepiece, normalize=True)
    return NGramLM(kenlm_path, sentencepiece_path, normalize=normalize)


def load_models(config: PerplexityConfig) -> dict[str, NGramLM]:
    """Language -> its loaded model, for every language of ``config``.

    Everything loads (or is built) now, so a wrong path fails at start-up, not on the first
    document in that language; the filter and ``python -m corpus.lm calibrate --config`` share it.
    """
    return {
        lang: load_language_model(spec.kenlm_path, spec.sentencepiece_path, spec.normalize, lang)
        for lang, spec in config.models.items()
    }


def bucket_of(value: float, head_cutoff: float, tail_cutoff: float) -> int:
    """CCNet's rule: below head -> 0, below tail -> 1, otherwise 2."""
    if value < head_cutoff:
        return 0
    if value < tail_cutoff:
        return 1
    return 2


@register
class PerplexityFilter(Filter[PerplexityConfig]):
    """Scores ``value`` (CCNet document perplexity) and ``bucket`` for languages with a model."""

    name = "perplexity"
    Config = PerplexityConfig
    rules = (
        Rule("value", "max", "max_perplexity"),
        Rule("bucket", "in", "drop_buckets", labels=BUCKETS),
    )

    def setup(self) -> None:
        self._models = load_models(self.config)

    def score(self, doc: Document, view: TextView) -> dict[str, float]:
        model = self._models.get(doc.lang)
        if model is None:
            return {}
        value = model.perplexity(view.lines)
        if value is None:
            return {}
        spec = self.config.models[doc.lang]
        return {"value": value, "bucket": float(bucket_of(value, spec.head_cutoff, spec.tail_cutoff))}
