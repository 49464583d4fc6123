"""FineWeb's own line rules (Penedo et al. 2024, "The FineWeb Datasets: Decanting the Web for the
Finest Text Data at Scale").

FineWeb found these by comparing the distributions of page metrics on a high- and a low-quality
crawl dump, and kept the rules that improved its ablation models: drop when the fraction of
lines ending in punctuation is low (0.12), when the fraction of characters in duplicated lines
is high (0.1), or when the fraction of lines shorter than 30 characters is high (0.67).

The paper writes its bounds as drops at the threshold (<= 0.12, >= 0.1, >= 0.67); the chain has
one boundary convention for every rule (`corpus.filters.base`), under which a score exactly at
a threshold keeps, as in DataTrove's FineWebQualityFilter (``ratio < 0.12`` drops). Only a page
exactly on a threshold is judged differently from the paper's wording.

DataTrove's filter (v0.10.1) also differs in small ways we do not copy: a default
duplicate-character threshold of 0.01 rather than the paper's 0.1, lines of at most (rather
than under) 30 characters counted as short,
unstripped lines (a trailing space hides a full stop, and whitespace variants of a line are not
duplicates), and a fourth rule, newlines per word > 0.3 (``list_ratio``), which the paper does
not list; we score it and leave its threshold off by default.
"""

from __future__ import annotations

from typing import Literal

import regex
from pydantic import Field

from corpus.filters.base import Filter, FilterConfig, Rule, register
from corpus.filters.gopher import duplicate_stats
from corpus.text import TextView
from formats.documents import Document

# Unicode's Sentence_Terminal property: the set DataTrove's TERMINAL_PUNCTUATION lists by hand.
_TERMINAL_RE = regex.compile(r"\p{Sentence_Terminal}")


class FineWebConfig(FilterConfig):
    """FineWeb's thresholds (Penedo et al. 2024); ``None`` turns a rule off.

    Scoring parameter (changes what is measured): ``short_line_length``. Lines are the
    non-empty, stripped lines of `TextView.lines`.
    """

    name: Literal["fineweb"] = "fineweb"

    # --- scoring parameter
    short_line_length: int = Field(30, gt=0)
    """Scoring: a line with fewer characters than this is short (FineWeb: 30)."""

    # --- thresholds over stored scores
    line_punct_thr: float | None = Field(0.12, ge=0, le=1)
    """Drop when the fraction of lines ending in terminal punctuation is below this (FineWeb:
    0.12). The paper also drops a page exactly at 0.12; here, as in DataTrove, it keeps."""
    short_line_thr: float | None = Field(0.67, ge=0, le=1)
    """Drop when the fraction of short lines is above this (FineWeb: 0.67). The paper also
    drops a page exactly at 0.67; here it keeps."""
    dup_line_char_thr: float | None = Field(0.1, ge=0, le=1)
    """Drop when the fraction of line characters in lines repeating an earlier line is above
    this (FineWeb: 0.1; DataTrove's code default is 0.01). The paper also drops a page exactly
    at 0.1; here it keeps."""
    newline_word_thr: float | None = Field(None, ge=0)
    """Drop when line breaks per word are above this; off by default (DataTrove: 0.3, not one of
    the paper's rules: it catches pages that are lists of one- or two-word lines)."""


@register
class FineWebFilter(Filter[FineWebConfig]):
    """Scores ``fineweb.line_punct_ratio``, ``short_line_ratio``, ``dup_line_char_ratio`` and
    ``newline_word_ratio``; rules carry the score names and are checked in that order.

    A line ends in punctuation when its last character is a Unicode sentence terminal (".",
    "!", "?", "。", "।", ...), as in DataTrove; a closing quote after the stop does not count.
    """

    name = "fineweb"
    Config = FineWebConfig
    rules = (
        Rule("line_punct_ratio", "min", "line_punct_thr"),
        Rule("short_line_ratio", "max", "short_line_thr"),
        Rule("dup_line_char_ratio", "max", "dup_line_char_thr"),
        Rule("newline_word_ratio", "max", "newline_word_thr"),
    )

    def score(self, doc: Document, view: TextView) -> dict[str, float]:
        lines = view.lines
        n, _, chars, dup_chars = duplicate_stats(lines)
        if not n:
            return {
                "line_punct_ratio": 0.0,
                "short_line_ratio": 0.0,
                "dup_line_char_ratio": 0.0,
                "newline_word_ratio": 0.0,
            }
        terminal = _TERMINAL_RE.match
        short = self.config.short_line_length
        n_words = len(view.tokens)
        return {
            "line_punct_ratio": sum(1 for line in lines if terminal(line, len(line) - 1)) / n,
            "short_line_ratio": sum(1 for line in lines if len(line) < short) / n,
            "dup_line_char_ratio": dup_chars / chars,
            "newline_word_ratio": view.text.count("\n") / n_words if n_words else 0.0,
        }
