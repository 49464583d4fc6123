"""Toxicity: a trained offensive-language classifier, per document and per sentence.

The model is the one shipped in the ``alt-profanity-check`` wheel (a TF-IDF + linear SVM,
sigmoid-calibrated over five folds, trained, per its README, on ~200k human-labelled texts), so nothing is
downloaded or trained at run time. Dolma tags each sentence with its Jigsaw classifier and
removes spans scoring at or above 0.4; a TF-IDF model is diluted by length, so a document-level
score alone misses one abusive sentence in a long page. We therefore score the document and each
of its sentences (`TextView.sentences`) in one pass:

* ``toxicity.doc``: probability that the whole text is offensive;
* ``toxicity.max_sentence``: the highest sentence probability;
* ``toxicity.toxic_fraction``: share of sentences at or above ``toxic_sentence_score``.

Default policy: drop when ``doc`` is above 0.4 (Dolma's threshold; real news and web pages stay
far below it). The sentence rule is off by default: this classifier scores some ordinary
sentences of news ("It's a shame to see a comrade die in this way") as offensive, so a sizeable
share of real pages hold one such sentence (figures in docs/benchmarks.md, "Perplexity and
toxicity filters"). Teams that want Dolma's strictness set ``max_sentence`` (or
``max_toxic_fraction``) and re-decide over the stored scores with ``python -m corpus.policy``.

Speed: scikit-learn spends most of a ``predict_proba`` call on input checks. The classifier is
linear in the TF-IDF vector, so `ProfanityModel` applies the wheel's own vocabulary, idf
weights, SVM coefficients and sigmoid calibrators with numpy, one batch for the document and all
its sentences; a test pins its output to ``profanity_check.predict_prob`` on the same texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Literal

import numpy as np
from pydantic import Field

from corpus.filters.base import Filter, FilterConfig, Rule, register
from corpus.text import TextView
from formats.documents import Document


class ProfanityModel:
    """``alt-profanity-check``'s classifier, evaluated in closed form over a batch of texts.

    ``p(text) = mean_k 1 / (1 + exp(a_k * (w_k . x + c_k) + b_k))`` with ``x`` the l2-normalised
    TF-IDF vector, ``w_k, c_k`` the k-th fold's SVM and ``a_k, b_k`` its sigmoid calibrator.
    """

    def __init__(self) -> None:
        from profanity_check import profanity_check as pc

        vec, clf = pc.vectorizer, pc.model
        expected = {
            "analyzer": "word",
            "ngram_range": (1, 1),
            "lowercase": True,
            "norm": "l2",
            "use_idf": True,
            "sublinear_tf": False,
            "binary": False,
            "strip_accents": None,
            "preprocessor": None,
            "tokenizer": None,
        }
        found = {k: getattr(vec, k, None) for k in expected}
        if found != expected or getattr(clf, "method", None) != "sigmoid" or list(clf.classes_) != [0, 1]:
            raise RuntimeError(
                f"alt-profanity-check's model is not the TF-IDF + sigmoid-calibrated linear model this "
                f"filter evaluates (vectorizer {found}, calibration {getattr(clf, 'method', None)!r}); "
                "install alt-profanity-check==1.9.1"
            )
        self._token_re = re.compile(vec.token_pattern)
        self._vocab: dict[str, int] = vec.vocabulary_
        self._idf = np.asarray(vec.idf_, dtype=np.float64)
        folds = clf.calibrated_classifiers_
        # (n_features, k): column k is fold k's SVM weights.
        self._weights = np.stack(
            [np.asarray(f.estimator.coef_, dtype=np.float64).ravel() for f in folds], axis=1
        )
        self._intercepts = np.array([float(np.ravel(f.estimator.intercept_)[0]) for f in folds])
        self._a = np.array([float(f.calibrators[0].a_) for f in folds])
        self._b = np.array([float(f.calibrators[0].b_) for f in folds])

    def token_ids(self, text: str) -> list[int]:
        """Vocabulary ids of the text's tokens (stop words and rare words are not in it)."""
        vocab = self._vocab
        return [i for t in self._token_re.findall(text.lower()) if (i := vocab.get(t)) is not None]

    def predict_ids(self, rows: Sequence[Sequence[int]]) -> np.ndarray:
        """Offensive-language probability of each row of token ids."""
        n = len(rows)
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=n)
        numerators = np.zeros((n, len(self._intercepts)))
        norms = np.zeros(n)
        if lengths.sum():
            row_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
            cols = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(lengths.sum()))
            n_features = len(self._idf)
            keys, counts = np.unique(row_of * n_features + cols, return_counts=True)
            r, c = keys // n_features, keys % n_features
            tfidf = counts * self._idf[c]
            norms = np.sqrt(np.bincount(r, weights=tfidf * tfidf, minlength=n))
            numerators = np.stack(
                [
                    np.bincount(r, weights=tfidf * self._weights[c, k], minlength=n)
                    for k in range(self._weights.shape[1])
                ],
                axis=1,
            )
        safe = np.where(norms > 0, norms, 1.0)[:, None]
        decision = numerators / safe + self._intercepts
        return (1.0 / (1.0 + np.exp(self._a * decision + self._b))).mean(axis=1)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.predict_ids([self.token_ids(t) for t in texts])

    def score_document(self, sentences: Sequence[str]) -> tuple[float, np.ndarray]:
        """(document probability, per-sentence probabilities), all in one batch.

        Sentences partition the document's tokens (they are split at whitespace), so the
        document's row is the concatenation of theirs and the text is tokenised once.
        """
        rows = [self.token_ids(s) for s in sentences]
        probs = self.predict_ids([*rows, [i for r in rows for i in r]])
        return float(probs[-1]), probs[:-1]


@cache
def load_profanity_model() -> ProfanityModel:
    """One model per process: the wheel's joblib files are slow to load."""
    return ProfanityModel()


class ToxicityConfig(FilterConfig):
    name: Literal["toxicity"] = "toxicity"
    toxic_sentence_score: float = Field(0.4, ge=0.0, le=1.0)
    """Scoring: a sentence at or above this counts as toxic in ``toxic_fraction`` (Dolma removes
    spans at >= 0.4). Changing it means re-scoring."""
    max_doc: float | None = Field(0.4, ge=0.0, le=1.0)
    """Drop when ``doc`` is above this (rule ``doc``; Dolma's 0.4). Dolma also drops at exactly
    0.4; here, by the chain's one boundary convention, that keeps. None: never."""
    max_sentence: float | None = Field(None, ge=0.0, le=1.0)
    """Drop when ``max_sentence`` is above this (rule ``max_sentence``; exactly at it keeps).
    Off by default: one noisy sentence would drop many news pages at 0.4 (module docstring)."""
    max_toxic_fraction: float | None = Field(None, ge=0.0, le=1.0)
    """Drop when ``toxic_fraction`` is above this (rule ``toxic_fraction``). Off by default."""


@register
class ToxicityFilter(Filter[ToxicityConfig]):
    """Scores ``doc``, ``max_sentence`` and ``toxic_fraction`` with one classifier call."""

    name = "toxicity"
    Config = ToxicityConfig
    rules = (
        Rule("doc", "max", "max_doc"),
        Rule("max_sentence", "max", "max_sentence"),
        Rule("toxic_fraction", "max", "max_toxic_fraction"),
    )

    def setup(self) -> None:
        self._model = load_profanity_model()

    def score(self, doc: Document, view: TextView) -> dict[str, float]:
        sentences = view.sentences
        if not sentences:
            return {}
        doc_prob, probs = self._model.score_document(sentences)
        return {
            "doc": doc_prob,
            "max_sentence": float(probs.max()),
            "toxic_fraction": float((probs >= self.config.toxic_sentence_score).mean()),
        }
