"""The two extraction metrics our benchmark reports, each as its benchmark defines it.

**WCXB** (Web Content eXtraction Benchmark, the default of `bench/extraction.py`): word-level
precision, recall and F1 per page over lower-cased ``\\w+`` tokens counted as multisets, as in
its ``evaluate.py``; a page with no expected words scores 1 when nothing is predicted and 0
otherwise, a page with nothing predicted scores 0; the reported P, R and F1 are the means over
pages (`word_scores`, `mean_word_scores`).

**The article-extraction benchmark** (Zyte, scrapinghub/article-extraction-benchmark), the second
table. Reimplemented here so `bench/extraction.py` scores candidates exactly as the published table was
scored (trafilatura F1 0.958) without vendoring the benchmark's script. Both texts are split into
``\\w+`` tokens and cut into 4-token shingles; true/false positives and false negatives are
counted over the shingle multisets of each page and normalised to sum to 1, so a long page
weighs no more than a short one. As in the benchmark's ``evaluate.py``, precision and recall are
the means of the per-page precision and recall (a page with nothing predicted has no precision;
a page with nothing expected has no recall), and F1 is their harmonic mean.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class WordScores:
    """One page's, or the mean over pages of, WCXB's word-level precision, recall and F1."""

    precision: float
    recall: float
    f1: float


def word_scores(true: str, pred: str) -> WordScores:
    """WCXB's ``word_f1`` for one page."""
    true_tokens = _TOKEN_RE.findall((true or "").lower())
    pred_tokens = _TOKEN_RE.findall((pred or "").lower())
    if not true_tokens:
        return WordScores(1.0, 1.0, 1.0) if not pred_tokens else WordScores(0.0, 0.0, 0.0)
    if not pred_tokens:
        return WordScores(0.0, 0.0, 0.0)
    overlap = sum((Counter(pred_tokens) & Counter(true_tokens)).values())
    precision = overlap / len(pred_tokens)
    recall = overlap / len(true_tokens)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return WordScores(precision, recall, f1)


def mean_word_scores(pages: Iterable[WordScores]) -> WordScores:
    """Means over pages of precision, recall and F1 (F1 is not recomputed from the means)."""
    pages = list(pages)
    if not pages:
        raise ValueError("no pages to score")
    n = len(pages)
    return WordScores(
        sum(p.precision for p in pages) / n, sum(p.recall for p in pages) / n, sum(p.f1 for p in pages) / n
    )


SHINGLE_SIZE = 4


@dataclass(frozen=True, slots=True)
class PageCounts:
    """Normalised true positives, false positives and false negatives of one page."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted: such a page does not count towards precision."""
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp + self.fp == 0:
            return None
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """None when nothing was expected: such a page does not count towards recall."""
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp + self.fn == 0:
            return None
        return self.tp / (self.tp + self.fn)


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float
    pages: int


def shingles(text: str, n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of ``n``-token shingles; a text of fewer than ``n`` tokens is one short shingle."""
    tokens = _TOKEN_RE.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def page_counts(true: str, pred: str, n: int = SHINGLE_SIZE) -> PageCounts:
    """Shingle matching of one page, normalised so the three counts sum to 1."""
    true_sh = shingles(true, n)
    pred_sh = shingles(pred, n)
    tp = fp = fn = 0
    for key in true_sh.keys() | pred_sh.keys():
        t = true_sh.get(key, 0)
        p = pred_sh.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total == 0:
        return PageCounts(0.0, 0.0, 0.0)
    return PageCounts(tp / total, fp / total, fn / total)


def aggregate(counts: Iterable[PageCounts]) -> Scores:
    """Mean per-page precision and recall, F1 their harmonic mean (the benchmark's definition)."""
    counts = list(counts)
    if not counts:
        raise ValueError("no pages to score")
    precisions = [p for c in counts if (p := c.precision) is not None]
    recalls = [r for c in counts if (r := c.recall) is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return Scores(precision=precision, recall=recall, f1=f1, pages=len(counts))


def score(pairs: Iterable[tuple[str, str]]) -> Scores:
    """Score ``(expected, predicted)`` text pairs, one per page."""
    return aggregate(page_counts(true, pred) for true, pred in pairs)
