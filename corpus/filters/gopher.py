"""Gopher's quality and repetition rules (Rae et al. 2021, "Scaling Language Models: Methods,
Analysis & Insights from Training Gopher", Appendix A and its Table A1).

Gopher applied both to MassiveWeb before its own deduplication; FineWeb (Penedo et al. 2024) runs
them in the same place, right after language identification, repetition first. The defaults
below are the paper's numbers; every one can be changed in ``configs/clean.yaml`` and applied to
stored scores again without re-scoring (the rules only read scores). The paper's bounds are
inclusive, as our one boundary convention is: a score equal to its threshold keeps.

Where the paper leaves a definition open we say what we measure and how DataTrove's filters
(`gopher_quality_filter.py`, `gopher_repetition_filter.py`, v0.10.1) differ, so a team can read
our scores next to FineWeb's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

import numpy as np
from pydantic import Field, field_validator

from corpus.filters.base import Filter, FilterConfig, Rule, register
from corpus.text import TextView
from formats.documents import Document

# ----------------------------------------------------------------------------------------------
# Gopher quality
# ----------------------------------------------------------------------------------------------

STOP_WORDS = ("the", "be", "to", "of", "and", "that", "have", "with")
"""Gopher's English stop words: a document must contain at least two of them."""

BULLETS = ("•", "‣", "◦", "▪", "▫", "●", "○", "■", "□", "·", "-", "*", "–")
"""Line starts that count as a bullet point (DataTrove counts only "•" and "-")."""

ELLIPSES = ("...", "…")

# Finds a letter (any script): a word character that is neither a digit nor "_".
_HAS_LETTER = re.compile(r"[^\W\d_]").search


class GopherQualityConfig(FilterConfig):
    """Thresholds of Gopher's quality rules (Rae et al. 2021, Appendix A); ``None`` turns a rule off.

    Words are whitespace-separated tokens (`TextView.tokens`), as in Dolma's Gopher tagger (the
    paper does not say how it splits words). Scoring
    parameters (changing them changes what is measured, so documents must be scored again):
    ``stop_words``. Everything else is a threshold over stored scores.
    """

    name: Literal["gopher_quality"] = "gopher_quality"

    # --- scoring parameters
    stop_words: list[str] = Field(default_factory=lambda: list(STOP_WORDS), min_length=1)
    """Scoring: the words counted by ``stop_words`` (Gopher: the, be, to, of, and, that, have,
    with). Matched in lower case against `TextView.words_lower`."""

    # --- thresholds
    min_words: int | None = Field(50, ge=0)
    """Drop with fewer words (Gopher: 50)."""
    max_words: int | None = Field(100_000, ge=0)
    """Drop with more words (Gopher: 100,000)."""
    min_mean_word_length: float | None = Field(3.0, ge=0)
    """Drop when the mean word length in characters is below this (Gopher: 3)."""
    max_mean_word_length: float | None = Field(10.0, ge=0)
    """Drop when the mean word length is above this (Gopher: 10)."""
    max_symbol_word_ratio: float | None = Field(0.1, ge=0)
    """Drop when '#' per word, or ellipses ('...', '…') per word, is above this (Gopher: 0.1)."""
    max_bullet_lines_ratio: float | None = Field(0.9, ge=0, le=1)
    """Drop when more than this fraction of lines start with a bullet (Gopher: 0.9)."""
    max_ellipsis_lines_ratio: float | None = Field(0.3, ge=0, le=1)
    """Drop when more than this fraction of lines end with an ellipsis (Gopher: 0.3)."""
    min_alpha_words_ratio: float | None = Field(0.8, ge=0, le=1)
    """Drop when fewer than this fraction of words contain a letter (Gopher: 0.8)."""
    min_stop_words: int | None = Field(2, ge=0)
    """Drop when fewer than this many distinct stop words occur (Gopher: 2)."""


@register
class GopherQualityFilter(Filter[GopherQualityConfig]):
    """Scores ``gopher_quality.*``; rules are checked in the paper's order.

    Scores: ``word_count``, ``mean_word_length``, ``hash_word_ratio``, ``ellipsis_word_ratio``,
    ``bullet_lines_ratio``, ``ellipsis_lines_ratio`` (over non-empty lines), ``alpha_words_ratio``,
    ``stop_words`` (distinct stop words present). Rule names are the score names.

    Differences from DataTrove's GopherQualityFilter: DataTrove tokenises with spaCy (punctuation
    becomes separate tokens, which lowers its alpha-words ratio and mean word length) and counts
    empty lines in the line ratios. We use whitespace tokens, where "words with a letter" means
    what it says (DataTrove's alpha rule drops ordinary news, whose punctuation tokens have no
    letter; counts in docs/benchmarks.md, "Quality filters"), and non-empty lines; no tagger to
    run also makes it much faster.
    """

    name = "gopher_quality"
    Config = GopherQualityConfig
    rules = (
        Rule("word_count", "min", "min_words"),
        Rule("word_count", "max", "max_words"),
        Rule("mean_word_length", "min", "min_mean_word_length"),
        Rule("mean_word_length", "max", "max_mean_word_length"),
        Rule("hash_word_ratio", "max", "max_symbol_word_ratio"),
        Rule("ellipsis_word_ratio", "max", "max_symbol_word_ratio"),
        Rule("bullet_lines_ratio", "max", "max_bullet_lines_ratio"),
        Rule("ellipsis_lines_ratio", "max", "max_ellipsis_lines_ratio"),
        Rule("alpha_words_ratio", "min", "min_alpha_words_ratio"),
        Rule("stop_words", "min", "min_stop_words"),
    )

    def __init__(self, config: GopherQualityConfig) -> None:
        super().__init__(config)
        self._stop_words = frozenset(w.lower() for w in config.stop_words)

    def score(self, doc: Document, view: TextView) -> dict[str, float]:
        text = view.text
        tokens = view.tokens
        lines = view.lines
        words = len(tokens) or 1  # an empty text scores 0 everywhere (and fails word_count)
        n_lines = len(lines) or 1
        # str.isalpha settles most tokens in C; the regex only sees tokens with digits or symbols
        no_letter = sum(1 for t in tokens if not t.isalpha() and not _HAS_LETTER(t))
        present = self._stop_words.intersection(view.words_lower)
        return {
            "word_count": float(len(tokens)),
            "mean_word_length": sum(map(len, tokens)) / words,
            "hash_word_ratio": text.count("#") / words,
            "ellipsis_word_ratio": sum(map(text.count, ELLIPSES)) / words,
            "bullet_lines_ratio": sum(1 for line in lines if line.startswith(BULLETS)) / n_lines,
            "ellipsis_lines_ratio": sum(1 for line in lines if line.endswith(ELLIPSES)) / n_lines,
            "alpha_words_ratio": (len(tokens) - no_letter) / words,
            "stop_words": float(len(present)),
        }


# ----------------------------------------------------------------------------------------------
# Gopher repetition
# ----------------------------------------------------------------------------------------------

TOP_NGRAM_SIZES = (2, 3, 4)
DUP_NGRAM_SIZES = (5, 6, 7, 8, 9, 10)
TOP_NGRAM_DEFAULTS: dict[int, float | None] = {2: 0.20, 3: 0.18, 4: 0.16}
DUP_NGRAM_DEFAULTS: dict[int, float | None] = {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10}


def duplicate_stats(items: Iterable[str]) -> tuple[int, int, int, int]:
    """(items, duplicate items, characters, characters in duplicates) of a sequence.

    An item is a duplicate when an identical item came before it, so the first copy is not
    counted (Gopher's "duplicate line fraction"; DataTrove's ``find_duplicates``).
    """
    seen: set[str] = set()
    n = dup = chars = dup_chars = 0
    for item in items:
        n += 1
        size = len(item)
        chars += size
        if item in seen:
            dup += 1
            dup_chars += size
        else:
            seen.add(item)
    return n, dup, chars, dup_chars


def ngram_char_fractions(words: list[str], text_chars: int) -> dict[str, float]:
    """Gopher's n-gram repetition scores of a word sequence, as DataTrove (FineWeb) defines them.

    ``top_<n>gram_char_frac`` (n = 2..4): occurrences of the most frequent n-gram (ties: the one
    seen first) times its length with single spaces, over ``text_chars``; 0 when no n-gram
    occurs twice (DataTrove scores a unique n-gram too, which drops any text of a few words
    here rather than at Gopher quality's word count). Overlapping occurrences count each time,
    as in DataTrove, so the value can exceed 1 on text like "ha ha ha ha".

    ``dup_<n>gram_char_frac`` (n = 5..10): walking the text, an n-gram seen before adds its
    characters (without spaces) and the walk jumps past it, so no character counts twice; the
    first occurrence does not count; over ``text_chars``. (Dolma and RedPajama-V2 count every
    occurrence of a repeated n-gram, which roughly doubles the value and, with Gopher's
    thresholds, more than doubles the pages dropped: docs/benchmarks.md, "Quality filters".)

    Fast: each n-gram gets an exact integer id from the (n-1)-gram id and the next word id in
    one ``np.unique`` (no joined strings, no hash collisions), the walk visits only positions of
    repeated n-grams, and a size without repeats ends the scan, since a repeated n-gram implies
    a repeated (n-1)-gram. DataTrove joins every n-gram into a string, for each size.
    """
    out = {f"top_{n}gram_char_frac": 0.0 for n in TOP_NGRAM_SIZES}
    out.update({f"dup_{n}gram_char_frac": 0.0 for n in DUP_NGRAM_SIZES})
    n_words = len(words)
    if n_words < 2 or text_chars <= 0:
        return out
    index: dict[str, int] = {w: i for i, w in enumerate(dict.fromkeys(words))}
    vocab = len(index)
    if vocab == n_words:  # every word distinct: no n-gram can repeat
        return out
    word_ids = np.fromiter(map(index.__getitem__, words), dtype=np.int64, count=n_words)
    prefix = np.zeros(n_words + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, words), dtype=np.int64, count=n_words), out=prefix[1:])
    ngram_ids = word_ids
    for n in range(2, DUP_NGRAM_SIZES[-1] + 1):
        m = n_words - n + 1
        if m < 2:
            break
        keys = ngram_ids[:m] * vocab + word_ids[n - 1 :]
        _, first, ngram_ids, counts = np.unique(
            keys, return_index=True, return_inverse=True, return_counts=True
        )
        ngram_ids = ngram_ids.reshape(-1)
        top = int(counts.max())
        if top < 2:
            break
        if n in TOP_NGRAM_SIZES:
            start = int(first[counts == top].min())
            chars = int(prefix[start + n] - prefix[start]) + n - 1
            out[f"top_{n}gram_char_frac"] = top * chars / text_chars
        else:
            repeated = np.flatnonzero(counts[ngram_ids] > 1)
            spans = prefix[repeated + n] - prefix[repeated]
            seen: set[int] = set()
            resume = dup_chars = 0
            for pos, gram, span in zip(
                repeated.tolist(), ngram_ids[repeated].tolist(), spans.tolist(), strict=True
            ):
                if pos < resume:
                    continue
                if gram in seen:
                    dup_chars += span
                    resume = pos + n
                else:
                    seen.add(gram)
            out[f"dup_{n}gram_char_frac"] = dup_chars / text_chars
    return out


class GopherRepetitionConfig(FilterConfig):
    """Thresholds of Gopher's repetition rules (Rae et al. 2021, Table A1); ``None`` turns a rule
    off. A document is dropped when a score is above its threshold.

    Nothing here changes what is measured: lines are `TextView.lines`, paragraphs
    `TextView.paragraphs`, n-grams are over `TextView.words_lower` for n = 2..10 (the paper's
    sizes), character fractions are of the whole text's length (as DataTrove), so every
    threshold can be changed over stored scores.
    """

    name: Literal["gopher_repetition"] = "gopher_repetition"
    max_dup_para_frac: float | None = Field(0.30, ge=0, le=1)
    """Fraction of paragraphs that repeat an earlier paragraph (Gopher: 0.30)."""
    max_dup_para_char_frac: float | None = Field(0.20, ge=0, le=1)
    """Fraction of the text's characters in repeated paragraphs (Gopher: 0.20)."""
    max_dup_line_frac: float | None = Field(0.30, ge=0, le=1)
    """Fraction of lines that repeat an earlier line (Gopher: 0.30)."""
    max_dup_line_char_frac: float | None = Field(0.20, ge=0, le=1)
    """Fraction of the text's characters in repeated lines (Gopher: 0.20)."""
    max_top_ngram_char_frac: dict[int, float | None] = Field(default_factory=lambda: dict(TOP_NGRAM_DEFAULTS))
    """Per n (2..4): the text's characters in occurrences of the most frequent n-gram
    (Gopher: 0.20, 0.18, 0.16). Sizes left out keep their default; ``null`` turns one off."""
    max_dup_ngram_char_frac: dict[int, float | None] = Field(default_factory=lambda: dict(DUP_NGRAM_DEFAULTS))
    """Per n (5..10): the text's characters in repeats of n-grams seen before
    (Gopher: 0.15, 0.14, 0.13, 0.12, 0.11, 0.10). Sizes left out keep their default."""

    @field_validator("max_top_ngram_char_frac")
    @classmethod
    def _top_sizes(cls, value: dict[int, float | None]) -> dict[int, float | None]:
        return _merge_ngram_thresholds(value, TOP_NGRAM_DEFAULTS)

    @field_validator("max_dup_ngram_char_frac")
    @classmethod
    def _dup_sizes(cls, value: dict[int, float | None]) -> dict[int, float | None]:
        return _merge_ngram_thresholds(value, DUP_NGRAM_DEFAULTS)


def _merge_ngram_thresholds(
    value: dict[int, float | None], defaults: dict[int, float | None]
) -> dict[int, float | None]:
    unknown = sorted(set(value) - set(defaults))
    if unknown:
        raise ValueError(f"n-gram sizes {unknown} are not measured; the sizes are {sorted(defaults)}")
    bad = sorted(n for n, v in value.items() if v is not None and not 0.0 <= v <= 1.0)
    if bad:
        raise ValueError(f"thresholds for n = {bad} must be fractions between 0 and 1")
    return {**defaults, **value}


@register
class GopherRepetitionFilter(Filter[GopherRepetitionConfig]):
    """Scores ``gopher_repetition.*``: duplicate paragraphs and lines, top and duplicated n-grams.

    Rules are checked in DataTrove's (and FineWeb's) order: paragraphs, lines, top n-grams,
    duplicated n-grams; rule names are the score names (``dup_line_frac``,
    ``top_2gram_char_frac``, ``dup_5gram_char_frac``, ...).

    Differences from DataTrove's GopherRepetitionFilter: lines and paragraphs are compared
    stripped and empty ones are not counted; n-grams are over lower-cased words without
    punctuation (`TextView.words_lower`, so "The end." repeats "the end") rather than spaCy
    tokens, and are exact word tuples (DataTrove joins words without spaces, so "ab c" equals
    "a bc"); a most frequent n-gram seen once scores 0.
    """

    name = "gopher_repetition"
    Config = GopherRepetitionConfig
    rules = (
        Rule("dup_para_frac", "max", "max_dup_para_frac"),
        Rule("dup_para_char_frac", "max", "max_dup_para_char_frac"),
        Rule("dup_line_frac", "max", "max_dup_line_frac"),
        Rule("dup_line_char_frac", "max", "max_dup_line_char_frac"),
        *(Rule(f"top_{n}gram_char_frac", "max", "max_top_ngram_char_frac", key=n) for n in TOP_NGRAM_SIZES),
        *(Rule(f"dup_{n}gram_char_frac", "max", "max_dup_ngram_char_frac", key=n) for n in DUP_NGRAM_SIZES),
    )

    def score(self, doc: Document, view: TextView) -> dict[str, float]:
        scores: dict[str, float] = {}
        text_chars = len(view.text)
        for unit, items in (("para", view.paragraphs), ("line", view.lines)):
            n, dup, _, dup_chars = duplicate_stats(items)
            scores[f"dup_{unit}_frac"] = dup / n if n else 0.0
            scores[f"dup_{unit}_char_frac"] = dup_chars / text_chars if text_chars else 0.0
        scores.update(ngram_char_fractions(view.words_lower, text_chars))
        return scores
