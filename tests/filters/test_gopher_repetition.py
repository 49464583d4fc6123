"""Gopher's repetition rules (Rae et al. 2021, Table A1): thresholds pinned from both sides,
and the fast n-gram scores checked against a plain reading of their definition."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from common.config import parse_config
from common.errors import ConfigError
from corpus.config import CleanConfig
from corpus.filters.gopher import (
    DUP_NGRAM_DEFAULTS,
    TOP_NGRAM_DEFAULTS,
    GopherRepetitionConfig,
    GopherRepetitionFilter,
    ngram_char_fractions,
)
from corpus.text import TextView
from formats.documents import Document

# Table A1 of the paper, written out so a changed default fails the tests built on them.
PAPER_TOP = {2: 0.20, 3: 0.18, 4: 0.16}
PAPER_DUP = {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10}

LINE_PARA_RULES = (
    "max_dup_para_frac",
    "max_dup_para_char_frac",
    "max_dup_line_frac",
    "max_dup_line_char_frac",
)


def unique_words(n: int, length: int = 5, seed: int = 0) -> list[str]:
    """``n`` distinct lower-case words of ``length`` letters."""
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(length)))
    return sorted(out)


def only(rule: str, n: int | None = None) -> GopherRepetitionConfig:
    """A config where only ``rule`` (for n-gram rules: its size ``n``) keeps its default."""
    off: dict = {k: None for k in LINE_PARA_RULES if k != rule}
    off["max_top_ngram_char_frac"] = {
        k: (v if rule == "max_top_ngram_char_frac" and k == n else None)
        for k, v in TOP_NGRAM_DEFAULTS.items()
    }
    off["max_dup_ngram_char_frac"] = {
        k: (v if rule == "max_dup_ngram_char_frac" and k == n else None)
        for k, v in DUP_NGRAM_DEFAULTS.items()
    }
    return GopherRepetitionConfig(**off)


def scores_of(text: str) -> dict[str, float]:
    flt = GopherRepetitionFilter(GopherRepetitionConfig())
    return flt.score(Document(id="d", url="u", domain="web", text=text), TextView(text))


def verdict(text: str, config: GopherRepetitionConfig | None = None) -> str | None:
    return GopherRepetitionFilter(config or GopherRepetitionConfig()).verdict(scores_of(text))


def sentences(n: int, seed: int = 1) -> list[str]:
    """``n`` distinct 8-word units sharing no word, so nothing but what a test repeats repeats."""
    vocab = unique_words(8 * n, seed=seed)
    return [" ".join(vocab[8 * i : 8 * i + 8]) for i in range(n)]


# --- lines and paragraphs -----------------------------------------------------------------------


def test_unrepeated_text_scores_zero_everywhere_and_is_kept():
    text = "\n\n".join(sentences(12))
    assert all(v == 0.0 for v in scores_of(text).values())
    assert verdict(text) is None


def test_three_tenths_repeated_paragraphs_keep_and_more_drop():
    p = sentences(14)
    inside = "\n\n".join(p[:14] + p[:6])  # 6 repeats of 20
    outside = "\n\n".join(p[:13] + p[:7])  # 7 of 20
    assert scores_of(inside)["dup_para_frac"] == 0.3
    assert verdict(inside, only("max_dup_para_frac")) is None
    assert verdict(outside, only("max_dup_para_frac")) == "dup_para_frac"
    assert verdict(outside) == "dup_para_frac"  # first in order


def exact(length: int, seed: int) -> str:
    """A run of distinct words exactly ``length`` characters long."""
    out = " ".join(unique_words(length // 5 + 1, length=4, seed=seed))[:length]
    return out[:-1] + "x" if out.endswith(" ") else out


def _repeated_unit_text(sep: str, extra_chars: int = 0) -> str:
    """Units a, b, c, d, a joined by ``sep`` where the repeated ``a`` is exactly a fifth of the
    text's characters (minus ``extra_chars`` from ``b``, which pushes it above)."""
    d = 40
    others = 3 * d - 4 * len(sep)  # len = 2d + others + 4 separators = 5d
    b, c, e = exact(others // 3 - extra_chars, 2), exact(others // 3, 3), exact(others - 2 * (others // 3), 4)
    a = exact(d, 1)
    text = sep.join([a, b, c, e, a])
    assert len(text) == 5 * d - extra_chars
    return text


def test_a_fifth_of_the_characters_in_repeated_paragraphs_keeps_and_more_drops():
    inside = _repeated_unit_text("\n\n")
    assert scores_of(inside)["dup_para_char_frac"] == 0.2
    assert verdict(inside, only("max_dup_para_char_frac")) is None
    outside = _repeated_unit_text("\n\n", extra_chars=1)
    assert verdict(outside, only("max_dup_para_char_frac")) == "dup_para_char_frac"


def test_three_tenths_repeated_lines_keep_and_more_drop():
    lines = sentences(14)
    inside = "\n".join(lines[:14] + lines[:6])
    outside = "\n".join(lines[:13] + lines[:7])
    assert scores_of(inside)["dup_line_frac"] == 0.3
    assert scores_of(inside)["dup_para_frac"] == 0.0  # one paragraph
    assert verdict(inside, only("max_dup_line_frac")) is None
    assert verdict(outside, only("max_dup_line_frac")) == "dup_line_frac"


def test_a_fifth_of_the_characters_in_repeated_lines_keeps_and_more_drops():
    inside = _repeated_unit_text("\n")
    assert scores_of(inside)["dup_line_char_frac"] == 0.2
    assert verdict(inside, only("max_dup_line_char_frac")) is None
    outside = _repeated_unit_text("\n", extra_chars=1)
    assert verdict(outside, only("max_dup_line_char_frac")) == "dup_line_char_frac"


def test_lines_compare_stripped_and_empty_lines_are_not_lines():
    lines = sentences(4)
    text = "\n".join([lines[0], "", lines[1], "   " + lines[0] + "  ", lines[2], lines[3]])
    s = scores_of(text)
    assert s["dup_line_frac"] == 1 / 5


# --- n-grams ------------------------------------------------------------------------------------


def _gram(n: int, chars: int, seed: int) -> list[str]:
    """``n`` distinct words with ``chars`` letters in all (each at least 2)."""
    lengths = [chars // n] * n
    lengths[-1] += chars - sum(lengths)
    return [unique_words(1, length=k, seed=seed * 100 + i)[0] for i, k in enumerate(lengths)]


def _text_around(gram: list[str], repeats: int, length: int) -> str:
    """``gram`` ``repeats`` times, apart, in distinct filler words; exactly ``length`` characters."""
    fill = length - repeats * (sum(map(len, gram)) + len(gram)) + 1  # each filler costs len + 1
    count = fill // 7
    sizes = [6] * count
    sizes[-1] += fill - 7 * count
    fillers = [unique_words(1, length=k, seed=5000 + i)[0] for i, k in enumerate(sizes)]
    assert len(set(fillers)) == len(fillers) and not set(fillers) & set(gram) and count >= repeats
    per_gap = count // repeats
    words: list[str] = []
    for r in range(repeats):
        words += gram + fillers[r * per_gap : (r + 1) * per_gap]
    words += fillers[repeats * per_gap :]
    text = " ".join(words)
    assert len(text) == length
    return text


def _top_text(n: int, threshold: float, extra_chars: int = 0) -> str:
    """The most frequent n-gram (3 occurrences) is exactly ``threshold`` of the text's characters
    with ``extra_chars == 0``; each extra character taken off the fillers pushes it above."""
    percent, repeats = round(threshold * 100), 3
    spaced = next(c for c in range(4 * n, 1000) if repeats * c * 100 % percent == 0)
    gram = _gram(n, spaced - (n - 1), seed=n)
    return _text_around(gram, repeats, repeats * spaced * 100 // percent - extra_chars)


def _dup_text(n: int, threshold: float, extra_chars: int = 0) -> str:
    """An n-gram seen twice: its second occurrence is exactly ``threshold`` of the characters."""
    percent = round(threshold * 100)
    chars = next(c for c in range(3 * n, 1000) if c * 100 % percent == 0)
    gram = _gram(n, chars, seed=n)
    return _text_around(gram, 2, chars * 100 // percent - extra_chars)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_top_ngram_at_its_threshold_keeps_and_above_drops(n):
    threshold = PAPER_TOP[n]
    inside = _top_text(n, threshold)
    outside = _top_text(n, threshold, extra_chars=1)
    assert scores_of(inside)[f"top_{n}gram_char_frac"] == threshold
    assert verdict(inside, only("max_top_ngram_char_frac", n)) is None
    assert verdict(outside, only("max_top_ngram_char_frac", n)) == f"top_{n}gram_char_frac"


@pytest.mark.parametrize("n", [5, 6, 7, 8, 9, 10])
def test_duplicated_ngrams_at_their_threshold_keep_and_above_drop(n):
    threshold = PAPER_DUP[n]
    inside = _dup_text(n, threshold)
    outside = _dup_text(n, threshold, extra_chars=1)
    assert scores_of(inside)[f"dup_{n}gram_char_frac"] == threshold
    assert verdict(inside, only("max_dup_ngram_char_frac", n)) is None
    assert verdict(outside, only("max_dup_ngram_char_frac", n)) == f"dup_{n}gram_char_frac"


def test_top_ngram_rules_come_before_duplicated_ngram_rules():
    gram = _gram(10, 50, seed=7)
    text = _text_around(gram, 3, 300)  # a 10-gram of 59 characters three times in 300
    s = scores_of(text)
    assert s["top_2gram_char_frac"] == 3 * len(" ".join(gram[:2])) / 300
    assert s["top_4gram_char_frac"] > 0.16 and s["top_2gram_char_frac"] <= 0.20
    assert s["dup_10gram_char_frac"] == 2 * 50 / 300
    assert verdict(text) == "top_4gram_char_frac"
    assert verdict(text, only("max_dup_ngram_char_frac", 10)) == "dup_10gram_char_frac"


def test_repeats_count_from_their_second_occurrence_and_never_twice():
    # "ab" six times: the 5-gram at 0 is new, the one at 1 repeats it (10 characters), then the
    # walk jumps past it; the top 2-gram "ab ab" occurs 5 times, overlapping, as in DataTrove
    s = ngram_char_fractions(["ab"] * 6, 17)
    assert s["dup_5gram_char_frac"] == 10 / 17
    assert s["top_2gram_char_frac"] == 5 * 5 / 17


def test_a_most_frequent_ngram_seen_once_scores_zero():
    s = ngram_char_fractions(unique_words(30), 200)
    assert all(v == 0.0 for v in s.values())
    assert ngram_char_fractions(["hello", "world"], 11)["top_2gram_char_frac"] == 0.0


def test_ties_between_most_frequent_ngrams_take_the_first_seen():
    words = ["aa", "b", "x1", "cccccc", "d", "x2", "aa", "b", "x3", "cccccc", "d", "x4"]
    assert ngram_char_fractions(words, 100)["top_2gram_char_frac"] == 2 * len("aa b") / 100


def test_ngrams_ignore_case_and_punctuation():
    text = "The quick brown fox jumps. the QUICK brown fox, jumps!"
    assert scores_of(text)["dup_5gram_char_frac"] == len("quickbrownfoxjumpsthe") / len(text)


def _reference(words: list[str], text_chars: int) -> dict[str, float]:
    """DataTrove's definitions read literally (Counter, strings, the walk), on exact tuples."""
    out: dict[str, float] = {}
    for n in range(2, 5):
        grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
        value = 0.0
        if grams:
            gram, count = Counter(grams).most_common(1)[0]
            if count > 1:
                value = count * len(" ".join(gram)) / text_chars
        out[f"top_{n}gram_char_frac"] = value
    for n in range(5, 11):
        seen: set[tuple[str, ...]] = set()
        idx = dup = 0
        while idx < len(words) - n + 1:
            gram = tuple(words[idx : idx + n])
            if gram in seen:
                dup += len("".join(gram))
                idx += n
            else:
                seen.add(gram)
                idx += 1
        out[f"dup_{n}gram_char_frac"] = dup / text_chars
    return out


@pytest.mark.parametrize("seed", range(12))
def test_fast_ngram_scores_equal_the_literal_definition(seed):
    rng = random.Random(seed)
    vocab = unique_words(rng.choice([3, 6, 20, 200]), length=rng.randint(1, 6), seed=seed)
    words = [rng.choice(vocab) for _ in range(rng.randint(0, 300))]
    if words and seed % 3 == 0:  # paste a copied span, as spam does
        i = rng.randrange(len(words))
        words[i:i] = words[max(0, i - 40) : i]
    text_chars = len(" ".join(words)) or 1
    assert ngram_char_fractions(words, text_chars) == pytest.approx(_reference(words, text_chars), abs=1e-12)


# --- config and policy --------------------------------------------------------------------------


def test_new_thresholds_redecide_stored_scores_without_scoring(monkeypatch):
    p = sentences(14)
    stored = scores_of("\n\n".join(p[:13] + p[:7]))  # 7 of 20 paragraphs repeated
    assert stored["dup_para_frac"] == 0.35 and stored["dup_para_char_frac"] > 0.2
    assert GopherRepetitionFilter(GopherRepetitionConfig()).verdict(stored) == "dup_para_frac"
    relaxed = GopherRepetitionFilter(GopherRepetitionConfig(max_dup_para_frac=0.4))
    monkeypatch.setattr(relaxed, "score", lambda *a, **k: pytest.fail("verdict must not score again"))
    assert relaxed.verdict(stored) == "dup_para_char_frac"
    assert GopherRepetitionFilter(only("max_dup_para_frac")).verdict(stored) == "dup_para_frac"
    assert GopherRepetitionFilter(only("none")).verdict(stored) is None


def test_partial_ngram_thresholds_keep_the_other_defaults():
    config = GopherRepetitionConfig(max_top_ngram_char_frac={3: None})
    assert config.max_top_ngram_char_frac == {2: 0.20, 3: None, 4: 0.16}


def test_unmeasured_ngram_size_is_a_config_error_naming_the_key():
    with pytest.raises(ConfigError) as info:
        parse_config(
            {"filters": [{"name": "gopher_repetition", "max_dup_ngram_char_frac": {11: 0.1}}]},
            CleanConfig,
            "c.yaml",
        )
    assert "max_dup_ngram_char_frac" in str(info.value) and "11" in str(info.value)


def test_missing_scores_never_drop():
    assert GopherRepetitionFilter(GopherRepetitionConfig()).verdict({}) is None


def test_shipped_config_runs_the_quality_filters_in_finewebs_order_with_paper_defaults():
    from pathlib import Path

    from common.config import load_config
    from corpus.config import CleanConfig
    from corpus.filters.c4 import C4Config
    from corpus.filters.fineweb import FineWebConfig
    from corpus.filters.gopher import GopherQualityConfig

    config = load_config(Path(__file__).resolve().parents[2] / "configs" / "clean.yaml", CleanConfig)
    names = [f.name for f in config.filters]
    quality = ["gopher_repetition", "gopher_quality", "c4", "fineweb"]
    assert [n for n in names if n in quality] == quality
    assert names.index("language") < names.index("gopher_repetition")
    specs = {f.name: f for f in config.filters}
    for name, model in (
        ("gopher_repetition", GopherRepetitionConfig),
        ("gopher_quality", GopherQualityConfig),
        ("c4", C4Config),
        ("fineweb", FineWebConfig),
    ):
        shipped = specs[name].model_dump(exclude={"skip_domains"})
        assert shipped == model().model_dump(exclude={"skip_domains"}), name
    assert {"code", "math"} <= set(specs["c4"].skip_domains)
