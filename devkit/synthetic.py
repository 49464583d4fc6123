"""Seeded generators of documents and near-duplicate pairs with a known Jaccard similarity.

Tests and benchmarks need corpora whose duplicate structure is known exactly, at any size,
without downloading anything. Words come from a pronounceable pseudo-vocabulary with Zipfian
frequencies (so shingles repeat across documents as they do in real text), rendered as sentences
with capitals, commas, full stops and the odd number. A near-duplicate is made by editing a
copy (scattered word substitutions, a replaced passage, insertions and deletions) until its
Jaccard similarity over shingle sets reaches a target; the similarity recorded is the exact one,
computed from the two texts' shingles, never the target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from corpus.dedup.shingling import shingles

_ONSETS = ("b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
           "br", "ch", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr")  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou", "io")
_CODAS = ("", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng")


def jaccard(text_a: str, text_b: str, size: int = 5) -> float:
    """Exact Jaccard similarity of the two texts' shingle sets (1.0 for two shingle-less texts)."""
    a = set(shingles(text_a, size))
    b = set(shingles(text_b, size))
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


class TextGenerator:
    """Pseudo-English documents from a Zipfian vocabulary, reproducible from ``seed``."""

    def __init__(self, seed: int = 0, vocab_size: int = 50_000, zipf: float = 1.07) -> None:
        self.rng = np.random.default_rng(seed)
        self.vocab = self._vocabulary(vocab_size)
        weights = 1.0 / np.arange(1, vocab_size + 1) ** zipf
        self._cdf = np.cumsum(weights / weights.sum())

    def _vocabulary(self, size: int) -> list[str]:
        words: dict[str, None] = {}
        while len(words) < size:
            n_syllables = int(self.rng.integers(1, 4))
            parts = []
            for _ in range(n_syllables):
                parts.append(_ONSETS[self.rng.integers(len(_ONSETS))])
                parts.append(_VOWELS[self.rng.integers(len(_VOWELS))])
                parts.append(_CODAS[self.rng.integers(len(_CODAS))])
            words.setdefault("".join(parts))
        return list(words)

    def word_ids(self, n: int, rng: np.random.Generator | None = None) -> np.ndarray:
        ids = np.searchsorted(self._cdf, (rng or self.rng).random(n))
        return np.minimum(ids, len(self.vocab) - 1)

    def words(self, n: int, rng: np.random.Generator | None = None) -> list[str]:
        return [self.vocab[i] for i in self.word_ids(n, rng)]

    def render(self, words: list[str], rng: np.random.Generator | None = None) -> str:
        """Sentences of 8-24 words with a capital, commas now and then, and a full stop."""
        out: list[str] = []
        i = 0
        rng = rng or self.rng
        while i < len(words):
            n = int(rng.integers(8, 25))
            sentence = words[i : i + n]
            i += n
            sentence[0] = sentence[0].capitalize()
            if len(sentence) > 6 and rng.random() < 0.4:
                k = int(rng.integers(2, len(sentence) - 2))
                sentence[k] += ","
            out.append(" ".join(sentence) + ".")
        return " ".join(out)

    def document(self, n_words: int) -> str:
        return self.render(self.words(n_words))

    def lengths(self, n: int, median: float = 250.0, sigma: float = 0.6, lo: int = 20) -> np.ndarray:
        """Log-normal document lengths in words, like web pages after quality filtering."""
        return np.maximum(self.rng.lognormal(np.log(median), sigma, n).astype(np.int64), lo)

    def corpus(self, n: int, median: float = 250.0, sigma: float = 0.6) -> list[str]:
        return [self.document(int(k)) for k in self.lengths(n, median, sigma)]


@dataclass(frozen=True)
class Pair:
    """Two documents and the exact Jaccard similarity of their shingle sets."""

    a: str
    b: str
    jaccard: float
    edit: str


def _edit(gen: TextGenerator, words: list[str], mode: str, amount: int, seed: int) -> list[str]:
    """Apply ``amount`` units of one kind of edit; the same seed gives nested edits."""
    rng = np.random.default_rng(seed)
    new_words = gen.words(max(amount, 1), np.random.default_rng(seed + 1))
    out = list(words)
    n = len(out)
    if mode == "substitute":  # scattered word changes: typos, spinning, template fields
        for p, w in zip(rng.permutation(n)[:amount], new_words, strict=False):
            out[p] = w
    elif mode == "passage":  # one contiguous passage rewritten: a changed paragraph
        start = int(rng.integers(0, max(1, n - amount + 1)))
        out[start : start + amount] = new_words[: min(amount, n - start)]
    elif mode == "indel":  # words inserted and deleted at random places
        for step in range(amount):
            if step % 2 == 0 or len(out) < 2:
                out.insert(int(rng.integers(0, len(out) + 1)), new_words[step])
            else:
                del out[int(rng.integers(0, len(out)))]
    else:
        raise ValueError(f"unknown edit mode {mode!r}")
    return out


EDIT_MODES = ("substitute", "passage", "indel")


def _closest_edit(
    make: Callable[[int], tuple[str, float]], upper: int, target: float, best: tuple[str, float]
) -> tuple[str, float]:
    """The ``(text, Jaccard)`` of ``make(amount)``, amount in ``[0, upper)``, nearest ``target``,
    or ``best`` if none is nearer.

    Binary search: more editing lowers the similarity (not strictly, as edits can cancel), so
    about log2(upper) texts are made and scored instead of one per amount.
    """
    lo, hi = 0, upper
    while lo < hi:
        mid = (lo + hi) // 2
        text, j = make(mid)
        if abs(j - target) < abs(best[1] - target):
            best = (text, j)
        if j > target:
            lo = mid + 1
        else:
            hi = mid
    return best


def near_duplicate_pair(
    gen: TextGenerator, n_words: int, target: float, size: int = 5, mode: str | None = None
) -> Pair:
    """A document and an edited copy whose shingle Jaccard is as close to ``target`` as the
    edit granularity allows (binary search over the amount of editing)."""
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"target Jaccard must be in [0, 1], got {target}")
    mode = mode or EDIT_MODES[int(gen.rng.integers(len(EDIT_MODES)))]
    words = gen.words(n_words)
    layout_seed = int(gen.rng.integers(1 << 62))
    edit_seed = int(gen.rng.integers(1 << 62))
    a = gen.render(list(words), np.random.default_rng(layout_seed))

    def make(amount: int) -> tuple[str, float]:
        edited = _edit(gen, words, mode, amount, edit_seed)
        text = gen.render(edited, np.random.default_rng(layout_seed))
        return text, jaccard(a, text, size)

    upper = n_words if mode != "indel" else 2 * n_words
    b_text, j = _closest_edit(make, upper, target, make(0))
    return Pair(a=a, b=b_text, jaccard=j, edit=mode)


def drift_chain(gen: TextGenerator, length: int, n_words: int, step: float, size: int = 5) -> list[str]:
    """Documents each an edited copy of the one before, at Jaccard about ``step`` from it.

    Neighbours in the chain are near-duplicates while documents further apart are not: the
    shape (daily versions of a page, spun copies of copies) that only connected components
    resolve, and that needs several rounds of them when ids are in random order.
    """
    texts = [gen.document(n_words)]
    for i in range(1, length):
        seed = int(gen.rng.integers(1 << 62)) + i
        texts.append(_drift(gen, texts[-1], step, seed, size))
    return texts


def _drift(gen: TextGenerator, prev: str, target: float, seed: int, size: int) -> str:
    """``prev`` with words substituted until its Jaccard with ``prev`` is nearest ``target``
    (``prev`` itself when no amount of editing comes nearer than 1.0)."""
    words = prev.replace(",", "").replace(".", "").split()

    def make(amount: int) -> tuple[str, float]:
        text = gen.render(_edit(gen, words, "substitute", amount, seed), np.random.default_rng(seed))
        return text, jaccard(prev, text, size)

    return _closest_edit(make, len(words), target, (prev, 1.0))[0]
