"""Density, repetition and grammar scores on texts whose values are worked out by hand, and
their rules pinned from both sides of a threshold (all off by default)."""

from __future__ import annotations

import random
import string
import zlib

import pytest

from common.config import ConfigError, parse_config
from corpus.config import CleanConfig
from corpus.filters.density import DensityConfig, DensityFilter
from corpus.text import TextView
from formats.documents import Document


def scores_of(text: str, lang: str = "en", config: DensityConfig | None = None) -> dict[str, float]:
    flt = DensityFilter(config or DensityConfig())
    return flt.score(Document(id="d", url="u", domain="web", lang=lang, text=text), TextView(text))


def test_character_entropy_is_bits_per_character():
    assert scores_of("aaaa")["char_entropy"] == 0.0
    assert scores_of("abab")["char_entropy"] == 1.0
    assert scores_of("abcd")["char_entropy"] == 2.0
    assert scores_of("aab")["char_entropy"] == pytest.approx(
        -(2 / 3) * -0.5849625007 - (1 / 3) * -1.5849625007
    )
    # characters, not bytes: "é" is one character (two UTF-8 bytes), "😀" one (four)
    assert scores_of("ééa")["char_entropy"] == pytest.approx(scores_of("aab")["char_entropy"])
    assert scores_of("😀😀é")["char_entropy"] == pytest.approx(scores_of("aab")["char_entropy"])


def test_word_entropy_is_over_lower_cased_words():
    assert scores_of("Spam spam SPAM spam")["word_entropy"] == 0.0
    assert scores_of("the cat the cat")["word_entropy"] == 1.0
    assert scores_of("one two three four")["word_entropy"] == 2.0


def test_repeated_text_compresses_far_better_than_random_letters():
    rng = random.Random(3)
    noise = "".join(rng.choice(string.ascii_lowercase) for _ in range(4000))
    repeated = "Buy cheap shoes online now. " * 150
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = packer.compress(noise.encode()) + packer.flush()
    assert scores_of(noise)["compression_ratio"] == len(raw) / 4000  # raw deflate, no header
    assert scores_of(noise)["compression_ratio"] > 0.55
    assert scores_of(repeated)["compression_ratio"] < 0.03


def test_symbols_are_what_prose_punctuation_is_not_per_word():
    assert scores_of("Home » Shop | Cart")["symbol_word_ratio"] == 2 / 3
    assert scores_of("Price: $5 & more")["symbol_word_ratio"] == 1 / 3  # "$"; "&" and ":" are prose
    assert scores_of("He said: “Yes, (really) — 50% off…”/no.")["symbol_word_ratio"] == 0.0
    # five stars, "_" and "#" over the words "great_deal" and "1"
    assert scores_of("★★★★☆ great_deal #1")["symbol_word_ratio"] == 7 / 2


def test_function_word_ratio_and_articles_followed_by_function_words():
    s = scores_of("The cat sat on the mat")
    assert s["function_word_ratio"] == 3 / 6  # the, on, the
    assert s["article_function_ratio"] == 0.0
    salad = scores_of("the the cat a of dog")
    assert salad["article_function_ratio"] == 2 / 3  # the->the, a->of; the->cat is fine
    assert "article_function_ratio" not in scores_of("cats sat on mats")  # no article to judge


def test_grammar_scores_only_for_configured_languages():
    assert "function_word_ratio" not in scores_of("Der Hund und die Katze", lang="de")
    assert "function_word_ratio" not in scores_of("The dog", lang="")
    de = DensityConfig(grammar_languages=["en", "de"])
    assert "function_word_ratio" in scores_of("Der Hund und die Katze", lang="de", config=de)


def test_empty_text_has_no_scores_and_missing_scores_never_drop():
    assert scores_of("") == {}
    flt = DensityFilter(DensityConfig(min_char_entropy=3.0, max_article_function_ratio=0.1))
    assert flt.verdict({}) is None


def test_every_rule_is_off_by_default():
    flt = DensityFilter(DensityConfig())
    extreme = {
        "char_entropy": 0.0,
        "word_entropy": 0.0,
        "compression_ratio": 0.0,
        "symbol_word_ratio": 99.0,
        "function_word_ratio": 0.0,
        "article_function_ratio": 1.0,
    }
    assert flt.verdict(extreme) is None


@pytest.mark.parametrize(
    ("field", "metric", "threshold", "inside", "outside"),
    [
        ("min_char_entropy", "char_entropy", 3.5, 3.5, 3.49),
        ("max_char_entropy", "char_entropy", 5.5, 5.5, 5.51),
        ("min_word_entropy", "word_entropy", 6.0, 6.0, 5.99),
        ("min_compression_ratio", "compression_ratio", 0.2, 0.2, 0.19),
        ("max_symbol_word_ratio", "symbol_word_ratio", 0.2, 0.2, 0.21),
        ("min_function_word_ratio", "function_word_ratio", 0.25, 0.25, 0.24),
        ("max_article_function_ratio", "article_function_ratio", 0.12, 0.12, 0.13),
    ],
)
def test_each_rule_keeps_at_its_threshold_and_drops_beyond(field, metric, threshold, inside, outside):
    flt = DensityFilter(DensityConfig(**{field: threshold}))
    assert flt.verdict({metric: inside}) is None
    assert flt.verdict({metric: outside}) == metric


def test_config_errors_name_the_key():
    with pytest.raises(ConfigError, match=r"filters\[0\]\.density\.min_function_word_ratio"):
        parse_config({"filters": [{"name": "density", "min_function_word_ratio": 1.5}]}, CleanConfig)
    with pytest.raises(ConfigError, match=r"filters\[0\]\.density\.max_entropy"):
        parse_config({"filters": [{"name": "density", "max_entropy": 5}]}, CleanConfig)
