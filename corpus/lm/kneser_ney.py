"""An interpolated modified Kneser-Ney n-gram trainer that writes ARPA files for KenLM.

The ``kenlm`` wheel queries ARPA and binary models but ships no ``lmplz`` trainer, so the
project trains its own model here and hands KenLM the ARPA file: KenLM then does the fast part,
scoring millions of lines. The estimate follows Chen & Goodman (1998) as ``lmplz`` does
(Heafield et al. 2013):

* the highest order and n-grams that start with ``<s>`` keep their raw counts; every other
  n-gram's count is its number of distinct left extensions (the Kneser-Ney continuation count);
* each order has three discounts D1, D2, D3+ estimated from its counts of counts;
* ``p(w|h) = (a(hw) - D(a(hw))) / a(h.) + gamma(h) * p(w|h')`` with ``h'`` the context without
  its oldest word, ``gamma(h)`` the discounted mass, and unigrams interpolated with the uniform
  distribution over the vocabulary (``<unk>`` included, so it gets ``gamma() / |V|``).

An interpolated model is a backoff model in disguise: the ARPA file stores ``p(w|h)`` for every
seen n-gram and ``gamma(h)`` as the backoff weight of every seen context, so KenLM's backoff
arithmetic reproduces the interpolation exactly. `KneserNeyModel.logprob` computes the same
probability straight from the counts, which is how the tests prove the ARPA file right.
"""

from __future__ import annotations

import io
import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from common import storage

log = logging.getLogger(__name__)

BOS, EOS, UNK = "<s>", "</s>", "<unk>"
# Used when an order has too few distinct counts to estimate discounts (tiny corpora): the
# values lmplz's discount fallback uses.
FALLBACK_DISCOUNTS = (0.5, 1.0, 1.5)
_LOG10_ZERO = -99.0  # ARPA's convention for log10(0), used for p(<s>)

Gram = tuple[int, ...]


@dataclass
class _ContextStats:
    """Per context h: the sum of its continuations' counts and how many have count 1, 2, 3+."""

    total: int = 0
    n1: int = 0
    n2: int = 0
    n3: int = 0


@dataclass
class KneserNeyModel:
    """Counts and discounts of a trained model; probabilities are derived on demand.

    ``counts[k - 1]`` maps k-grams (tuples of word ids) to adjusted counts; ``discounts[k - 1]``
    holds (D1, D2, D3+) for order k; ``contexts[k - 1]`` holds the statistics of contexts of
    length k - 1 seen before a k-gram.
    """

    order: int
    words: list[str]
    counts: list[dict[Gram, int]]
    discounts: list[tuple[float, float, float]]
    contexts: list[dict[Gram, _ContextStats]]
    ids: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.ids = {w: i for i, w in enumerate(self.words)}

    @property
    def vocab_size(self) -> int:
        """|V|: every word the model can predict (``<unk>`` included, ``<s>`` not)."""
        return len(self.counts[0]) + (0 if (self.ids[UNK],) in self.counts[0] else 1)

    def _discount(self, k: int, count: int) -> float:
        d1, d2, d3 = self.discounts[k - 1]
        return d1 if count == 1 else d2 if count == 2 else d3

    def _gamma(self, k: int, stats: _ContextStats) -> float:
        d1, d2, d3 = self.discounts[k - 1]
        return (d1 * stats.n1 + d2 * stats.n2 + d3 * stats.n3) / stats.total

    def _prob(self, context: Gram, word: int) -> float:
        """p(word | context) by the interpolation formula, straight from the counts."""
        k = len(context) + 1
        stats = self.contexts[k - 1].get(context)
        if k == 1:
            assert stats is not None  # the empty context always has statistics
            lower = 1.0 / self.vocab_size
        else:
            lower = self._prob(context[1:], word)
            if stats is None:  # context never seen: all mass goes to the shorter context
                return lower
        count = self.counts[k - 1].get((*context, word), 0)
        discounted = max(count - self._discount(k, count), 0.0) if count else 0.0
        return discounted / stats.total + self._gamma(k, stats) * lower

    def logprob(self, word: str, context: Sequence[str] = ()) -> float:
        """log10 p(word | context); unknown words are ``<unk>``, as KenLM maps them."""
        unk = self.ids[UNK]
        ids = tuple(self.ids.get(w, unk) for w in context)[-(self.order - 1) :] if self.order > 1 else ()
        if word == BOS:
            return _LOG10_ZERO
        return math.log10(self._prob(ids, self.ids.get(word, unk)))

    def score(self, tokens: Sequence[str], bos: bool = True, eos: bool = True) -> float:
        """log10 probability of a tokenised sentence, as ``kenlm.Model.score`` defines it."""
        history: list[str] = [BOS] if bos else []
        total = 0.0
        for word in [*tokens, EOS] if eos else tokens:
            total += self.logprob(word, history)
            history.append(word)
        return total

    def write_arpa(self, path: str | Path) -> None:
        """The model as an ARPA file that KenLM loads; probabilities computed order by order."""
        path = Path(path)
        unk, bos = self.ids[UNK], self.ids[BOS]
        vocab_size = self.vocab_size
        probs: list[dict[Gram, float]] = []
        # Order 1: interpolate with the uniform distribution; <unk> gets only the uniform part.
        root = self.contexts[0][()]
        gamma0 = self._gamma(1, root)
        unigrams: dict[Gram, float] = {}
        for gram, count in self.counts[0].items():
            unigrams[gram] = (count - self._discount(1, count)) / root.total + gamma0 / vocab_size
        unigrams.setdefault((unk,), gamma0 / vocab_size)
        probs.append(unigrams)
        for k in range(2, self.order + 1):
            lower = probs[k - 2]
            contexts = self.contexts[k - 1]
            gammas = {h: self._gamma(k, s) for h, s in contexts.items()}
            layer: dict[Gram, float] = {}
            for gram, count in self.counts[k - 1].items():
                h = gram[:-1]
                discounted = (count - self._discount(k, count)) / contexts[h].total
                layer[gram] = discounted + gammas[h] * lower[gram[1:]]
            probs.append(layer)

        words = self.words
        with storage.atomic_output(str(path)) as stream:
            out = io.TextIOWrapper(stream, encoding="utf-8")
            sizes = [len(probs[0]) + 1] + [len(p) for p in probs[1:]]  # +1: <s>
            out.write("\\data\\\n")
            for k, n in enumerate(sizes, start=1):
                out.write(f"ngram {k}={n}\n")
            for k in range(1, self.order + 1):
                out.write(f"\n\\{k}-grams:\n")
                next_contexts = self.contexts[k] if k < self.order else {}
                if k == 1:
                    gamma_bos = self._gamma(2, next_contexts[(bos,)]) if (bos,) in next_contexts else 1.0
                    out.write(f"{_LOG10_ZERO}\t{BOS}\t{math.log10(gamma_bos):.7g}\n")
                for gram, p in probs[k - 1].items():
                    text = " ".join(words[i] for i in gram)
                    stats = next_contexts.get(gram)
                    if stats is not None:
                        backoff = math.log10(self._gamma(k + 1, stats))
                        out.write(f"{math.log10(p):.7g}\t{text}\t{backoff:.7g}\n")
                    else:
                        out.write(f"{math.log10(p):.7g}\t{text}\n")
            out.write("\n\\end\\\n")
            out.flush()
            out.detach()  # the stream is closed by atomic_output, which then moves the file
        log.info("wrote %s (%s n-grams)", path, " + ".join(str(n) for n in sizes))


def _estimate_discounts(counts: Iterable[int], order: int) -> tuple[float, float, float]:
    """Chen & Goodman's D1, D2, D3+ from the counts of counts n1..n4 of one order."""
    n = Counter(c for c in counts if c <= 4)
    n1, n2, n3, n4 = (n.get(i, 0) for i in range(1, 5))
    if min(n1, n2, n3, n4) == 0:
        log.warning(
            "order %d: too few distinct counts to estimate discounts, using %s", order, FALLBACK_DISCOUNTS
        )
        return FALLBACK_DISCOUNTS
    y = n1 / (n1 + 2 * n2)
    d = (1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3)
    if not all(0 < di <= i for i, di in enumerate(d, start=1)):
        log.warning("order %d: discounts %s out of range, using %s", order, d, FALLBACK_DISCOUNTS)
        return FALLBACK_DISCOUNTS
    return d


def train_kneser_ney(
    sentences: Iterable[Sequence[str]], order: int = 5, progress: bool = False
) -> KneserNeyModel:
    """Count n-grams of tokenised sentences and estimate an interpolated modified KN model.

    Each sentence is padded with one ``<s>`` and one ``</s>`` as KenLM pads at query time.
    Tokens must not be ``<s>`` or ``</s>``; ``<unk>`` is allowed and counted like any word.
    """
    if order < 2:
        raise ValueError(f"order must be >= 2 (KenLM loads bigram models and up), got {order}")
    words: list[str] = [BOS, EOS, UNK]
    ids: dict[str, int] = {w: i for i, w in enumerate(words)}
    bos, eos = ids[BOS], ids[EOS]
    raw: Counter[Gram] = Counter()
    n_sentences = 0
    for n_sentences, sentence in enumerate(tqdm(sentences, desc="count n-grams", disable=not progress), 1):
        seq = [bos]
        for token in sentence:
            i = ids.get(token)
            if i is None:
                i = ids[token] = len(words)
                words.append(token)
            elif i in (bos, eos):
                raise ValueError(f"sentence {n_sentences}: the token {token!r} is reserved for padding")
            seq.append(i)
        seq.append(eos)
        for i in range(1, len(seq)):
            raw[tuple(seq[max(0, i - order + 1) : i + 1])] += 1
    if not raw:
        raise ValueError("no sentences to train on")

    # Adjusted counts: raw for the top order and <s>-prefixed grams, continuation counts below.
    counts: list[dict[Gram, int]] = [{} for _ in range(order)]
    for gram, c in raw.items():
        if len(gram) == order or gram[0] == bos:
            counts[len(gram) - 1][gram] = c
    for k in range(order - 1, 0, -1):
        lower = counts[k - 1]
        for gram in counts[k]:
            suffix = gram[1:]
            lower[suffix] = lower.get(suffix, 0) + 1
    del raw

    discounts = [_estimate_discounts(counts[k].values(), k + 1) for k in range(order)]
    contexts: list[dict[Gram, _ContextStats]] = [{} for _ in range(order)]
    for k in range(order):
        stats_of = contexts[k]
        for gram, c in counts[k].items():
            h = gram[:-1]
            stats = stats_of.get(h)
            if stats is None:
                stats = stats_of[h] = _ContextStats()
            stats.total += c
            if c == 1:
                stats.n1 += 1
            elif c == 2:
                stats.n2 += 1
            else:
                stats.n3 += 1
    log.info(
        "trained %d-gram model on %d sentences: %d words, %s n-grams",
        order,
        n_sentences,
        len(words) - 2,
        " + ".join(str(len(c)) for c in counts),
    )
    return KneserNeyModel(order=order, words=words, counts=counts, discounts=discounts, contexts=contexts)
