"""The benchmark metric on texts small enough to score by hand."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from devkit.extraction_metric import (
    PageCounts,
    WordScores,
    aggregate,
    mean_word_scores,
    page_counts,
    score,
    shingles,
    word_scores,
)

BENCHMARK = Path(__file__).resolve().parents[3] / "shared" / "data" / "article-extraction-benchmark"


def test_shingles_are_four_word_tokens_ignoring_punctuation():
    assert shingles("Hello, world! foo-bar baz") == {
        ("Hello", "world", "foo", "bar"): 1,
        ("world", "foo", "bar", "baz"): 1,
    }


def test_text_shorter_than_a_shingle_is_one_short_shingle_and_empty_text_none():
    assert shingles("just two") == {("just", "two"): 1}
    assert shingles("  ,.; ") == {}


def test_identical_texts_score_one():
    text = "the quick brown fox jumps over the lazy dog"
    assert score([(text, text)]).f1 == 1.0


def test_extra_predicted_words_cost_precision_only():
    # true: 5 tokens -> shingles abcd, bcde; pred: 7 tokens -> abcd, bcde, cdef, defg
    counts = page_counts("a b c d e", "a b c d e f g")
    assert counts == PageCounts(tp=0.5, fp=0.5, fn=0.0)
    assert (counts.precision, counts.recall) == (0.5, 1.0)


def test_missing_words_cost_recall_and_counts_are_a_multiset():
    # true has "x y z w" twice (shingles: xyzw, yzwx, zwxy, wxyz, xyzw -> xyzw counted 2x)
    counts = page_counts("x y z w x y z w", "x y z w")
    assert counts.tp == pytest.approx(1 / 5)
    assert counts.fn == pytest.approx(4 / 5)
    assert counts.fp == 0


def test_pages_are_averaged_and_a_page_with_nothing_predicted_has_no_precision():
    half = page_counts("a b c d e", "a b c d e f g")  # P 0.5, R 1.0
    empty = page_counts("x y z w", "")  # nothing predicted: precision undefined, recall 0
    assert empty.precision is None and empty.recall == 0.0
    s = aggregate([half, empty])
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(0.5)
    assert s.f1 == pytest.approx(0.5)
    assert s.pages == 2


def test_a_page_with_nothing_expected_and_nothing_predicted_is_perfect():
    assert aggregate([page_counts("", "")]).f1 == 1.0


def test_no_pages_is_an_error():
    with pytest.raises(ValueError, match="no pages"):
        aggregate([])


@pytest.mark.skipif(not BENCHMARK.is_dir(), reason="article-extraction-benchmark not present")
def test_default_extractor_keeps_its_measured_f1_on_the_article_benchmark():
    """Quality regression guard for the default on news articles: 0.951 measured when it became
    the default (docs/benchmarks.md; trafilatura scores 0.960 here, its published 0.958)."""
    from corpus.extract.extractors import DEFAULT_EXTRACTOR, get_extractor

    truth = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
    extract = get_extractor(DEFAULT_EXTRACTOR)
    pairs = []
    for key, item in truth.items():
        with gzip.open(BENCHMARK / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as f:
            pairs.append((item["articleBody"], extract(f.read(), item.get("url", ""))))
    assert score(pairs).f1 >= 0.945


def test_wcxb_word_scores_count_lower_cased_words_as_a_multiset():
    # true: the(2) cat sat on mat = 6 tokens; pred: The cat the dog = 4 tokens, overlap the(2)+cat = 3
    s = word_scores("the cat sat on the mat", "The cat, the dog!")
    assert (s.precision, s.recall) == (3 / 4, 3 / 6)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)


def test_wcxb_empty_truth_is_perfect_only_when_nothing_is_predicted_and_empty_prediction_scores_zero():
    assert word_scores("", "") == WordScores(1.0, 1.0, 1.0)
    assert word_scores("", "menu") == WordScores(0.0, 0.0, 0.0)
    assert word_scores("some words", "  ..  ") == WordScores(0.0, 0.0, 0.0)


def test_wcxb_scores_are_means_over_pages_with_f1_averaged_not_recomputed():
    pages = [WordScores(1.0, 0.0, 0.0), WordScores(0.5, 1.0, 2 / 3)]
    mean = mean_word_scores(pages)
    assert (mean.precision, mean.recall) == (0.75, 0.5)
    assert mean.f1 == pytest.approx(1 / 3)  # not 2 * 0.75 * 0.5 / 1.25 = 0.6
    with pytest.raises(ValueError, match="no pages"):
        mean_word_scores([])
