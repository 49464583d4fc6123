"""Gopher's quality rules (Rae et al. 2021): each threshold pinned from both sides."""

from __future__ import annotations

import pytest

from common.config import parse_config
from common.errors import ConfigError
from corpus.config import CleanConfig
from corpus.filters.gopher import GopherQualityConfig, GopherQualityFilter
from corpus.text import TextView
from formats.documents import Document

# Five-letter words with a letter each; "the" and "and" give the two stop words Gopher asks for.
FILLER = [f"{a}{v}{b}er" for a in "bcdfghjklmnpqrstvwxz" for v in "aiou" for b in "mnrst"]


def words(n: int, stop: tuple[str, ...] = ("the", "and")) -> list[str]:
    """``n`` whitespace tokens: the stop words first, then five-letter fillers (cycling)."""
    pool = [*stop, *FILLER]
    return (pool * (n // len(pool) + 1))[:n]


def scores_of(text: str, config: GopherQualityConfig | None = None) -> dict[str, float]:
    flt = GopherQualityFilter(config or GopherQualityConfig())
    return flt.score(Document(id="d", url="u", domain="web", text=text), TextView(text))


def verdict(text: str, config: GopherQualityConfig | None = None) -> str | None:
    flt = GopherQualityFilter(config or GopherQualityConfig())
    return flt.verdict(scores_of(text, config))


def lines_of(n_lines: int, per_line: int = 5) -> list[str]:
    """Lines of ``per_line`` tokens each, the stop words in the first line."""
    toks = words(n_lines * per_line)
    return [" ".join(toks[i * per_line : (i + 1) * per_line]) for i in range(n_lines)]


def test_filler_text_passes_every_rule():
    assert verdict(" ".join(words(50))) is None


def test_fifty_words_keep_and_forty_nine_drop():
    assert scores_of(" ".join(words(50)))["word_count"] == 50.0
    assert verdict(" ".join(words(50))) is None
    assert verdict(" ".join(words(49))) == "word_count"


def test_one_hundred_thousand_words_keep_and_one_more_drops():
    base = words(52)
    many = (base * (100_000 // len(base) + 1))[:100_000]
    assert verdict(" ".join(many)) is None
    assert verdict(" ".join([*many, "extra"])) == "word_count"


def test_mean_word_length_of_three_keeps_and_below_drops():
    three = ["the", "and", *[f"{c}{v}x" for c in "bcdfghjklmnpqrstvwxz" for v in "aeiou"]][:50]
    assert scores_of(" ".join(three))["mean_word_length"] == 3.0
    assert verdict(" ".join(three)) is None
    shorter = [*three[:-1], "ab"]  # 149 characters over 50 words
    assert verdict(" ".join(shorter)) == "mean_word_length"


def test_mean_word_length_of_ten_keeps_and_above_drops():
    long_words = [f"{c}{v}" + "x" * 8 for c in "bcdfghjklmnpqrstvwxz" for v in "aeiou"][:47]
    exact = ["the", "and", *long_words, "y" * 24]  # 6 + 470 + 24 = 500 characters, 50 words
    assert scores_of(" ".join(exact))["mean_word_length"] == 10.0
    assert verdict(" ".join(exact)) is None
    assert verdict(" ".join([*exact[:-1], "y" * 25])) == "mean_word_length"


@pytest.mark.parametrize("mark", ["#"])
def test_hash_per_word_of_a_tenth_keeps_and_more_drops(mark):
    toks = words(500)
    inside = [f"{mark}{t}" if 5 <= i < 55 else t for i, t in enumerate(toks)]
    outside = [f"{mark}{t}" if 5 <= i < 56 else t for i, t in enumerate(toks)]  # 0.102
    assert scores_of(" ".join(inside))["hash_word_ratio"] == 0.1
    assert verdict(" ".join(inside)) is None
    assert verdict(" ".join(outside)) == "hash_word_ratio"


@pytest.mark.parametrize("mark", ["...", "…"])
def test_ellipsis_per_word_of_a_tenth_keeps_and_more_drops(mark):
    toks = words(500)
    inside = [f"{t}{mark}" if 5 <= i < 55 else t for i, t in enumerate(toks)]
    outside = [f"{t}{mark}" if 5 <= i < 56 else t for i, t in enumerate(toks)]  # 0.102
    assert scores_of(" ".join(inside))["ellipsis_word_ratio"] == 0.1
    assert verdict(" ".join(inside)) is None
    assert verdict(" ".join(outside)) == "ellipsis_word_ratio"


@pytest.mark.parametrize("bullet", ["-", "•", "*"])
def test_nine_tenths_bullet_lines_keep_and_more_drop(bullet):
    lines = lines_of(200)
    inside = [f"{bullet} {line}" if i < 180 else line for i, line in enumerate(lines)]
    outside = [f"{bullet} {line}" if i < 181 else line for i, line in enumerate(lines)]  # 0.905
    assert scores_of("\n".join(inside))["bullet_lines_ratio"] == 0.9
    assert verdict("\n".join(inside)) is None
    assert verdict("\n".join(outside)) == "bullet_lines_ratio"


def test_empty_lines_do_not_count_as_lines():
    lines = lines_of(20)
    text = "\n\n".join(f"- {line}" if i < 18 else line for i, line in enumerate(lines))
    assert scores_of(text)["bullet_lines_ratio"] == 0.9


def test_three_tenths_ellipsis_lines_keep_and_more_drop():
    lines = lines_of(200)
    inside = [f"{line}..." if i < 60 else line for i, line in enumerate(lines)]
    outside = [f"{line}…" if i < 61 else line for i, line in enumerate(lines)]  # 0.305
    assert scores_of("\n".join(inside))["ellipsis_lines_ratio"] == 0.3
    assert verdict("\n".join(inside)) is None
    assert verdict("\n".join(outside)) == "ellipsis_lines_ratio"


def test_four_fifths_words_with_a_letter_keep_and_fewer_drop():
    toks = words(500)
    inside = [str(1000 + i) if 10 <= i < 110 else t for i, t in enumerate(toks)]  # 100 numbers
    outside = [str(1000 + i) if 10 <= i < 111 else t for i, t in enumerate(toks)]  # 0.798
    assert scores_of(" ".join(inside))["alpha_words_ratio"] == 0.8
    assert verdict(" ".join(inside)) is None
    assert verdict(" ".join(outside)) == "alpha_words_ratio"


def test_symbol_only_tokens_are_words_without_a_letter():
    toks = words(50)
    text = " ".join(["|" if i % 5 == 0 else t for i, t in enumerate(toks)] + ["x2"])
    s = scores_of(text)
    assert s["alpha_words_ratio"] == 41 / 51


def test_two_stop_words_keep_and_one_drops():
    assert scores_of(" ".join(words(50)))["stop_words"] == 2.0
    one = words(50, stop=("the", "the"))
    assert scores_of(" ".join(one))["stop_words"] == 1.0
    assert verdict(" ".join(one)) == "stop_words"


def test_stop_words_match_any_case_and_attached_punctuation():
    toks = words(50, stop=("The,", "AND."))
    assert scores_of(" ".join(toks))["stop_words"] == 2.0


def test_stop_word_list_is_a_scoring_parameter():
    toks = words(50, stop=("der", "und"))
    german = GopherQualityConfig(stop_words=["der", "die", "und"])
    assert verdict(" ".join(toks)) == "stop_words"
    assert verdict(" ".join(toks), german) is None


def test_first_failing_rule_in_paper_order_is_reported():
    # too few words, no stop words, and hashes everywhere: word_count comes first
    assert verdict("#a #b #c") == "word_count"
    # enough words but hashes above 0.1 and too few words with letters: hashes come first
    toks = words(50)
    both = ["#" + str(i) if i < 20 else t for i, t in enumerate(toks)]
    s = scores_of(" ".join(both))
    assert s["hash_word_ratio"] > 0.1 and s["alpha_words_ratio"] < 0.8
    assert verdict(" ".join(both)) == "hash_word_ratio"


def test_new_thresholds_redecide_stored_scores_without_scoring(monkeypatch):
    text = " ".join(words(45))
    stored = scores_of(text)
    assert GopherQualityFilter(GopherQualityConfig()).verdict(stored) == "word_count"
    relaxed = GopherQualityFilter(GopherQualityConfig(min_words=40))

    def no_scoring(*args, **kwargs):
        raise AssertionError("verdict must not score again")

    monkeypatch.setattr(relaxed, "score", no_scoring)
    assert relaxed.verdict(stored) is None
    assert GopherQualityFilter(GopherQualityConfig(min_words=None)).verdict(stored) is None


def test_missing_scores_never_drop():
    assert GopherQualityFilter(GopherQualityConfig()).verdict({}) is None


def test_empty_text_fails_on_word_count():
    s = scores_of("")
    assert s["word_count"] == 0.0
    assert GopherQualityFilter(GopherQualityConfig()).verdict(s) == "word_count"


def test_wrong_threshold_in_config_names_the_key():
    with pytest.raises(ConfigError) as info:
        parse_config({"filters": [{"name": "gopher_quality", "min_words": -1}]}, CleanConfig, "c.yaml")
    assert "c.yaml" in str(info.value) and "min_words" in str(info.value)
