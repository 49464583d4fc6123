"""FineWeb's line rules (Penedo et al. 2024), pinned from both sides of each threshold.

The paper drops a page exactly at a threshold; the chain's one boundary convention keeps it
(corpus/filters/base.py), so "at" keeps and the nearest value beyond drops."""

from __future__ import annotations

import pytest

from corpus.filters.fineweb import FineWebConfig, FineWebFilter
from corpus.text import TextView
from formats.documents import Document


def long_line(i: int, end: str = ".") -> str:
    """A distinct line of well over 30 characters."""
    return f"Line number {i:03d} tells a longer part of the story{end}"


def short_line(i: int) -> str:
    """A distinct line of under 30 characters, ending in a full stop."""
    return f"Short line {i:03d}."


def scores_of(text: str, config: FineWebConfig | None = None) -> dict[str, float]:
    flt = FineWebFilter(config or FineWebConfig())
    return flt.score(Document(id="d", url="u", domain="web", text=text), TextView(text))


def verdict(text: str, config: FineWebConfig | None = None) -> str | None:
    return FineWebFilter(config or FineWebConfig()).verdict(scores_of(text, config))


def test_ordinary_prose_is_kept():
    text = "\n".join(long_line(i) for i in range(10))
    assert verdict(text) is None
    assert scores_of(text)["line_punct_ratio"] == 1.0


def test_twelve_percent_punctuated_lines_keep_and_fewer_drop():
    at = "\n".join(long_line(i, "." if i < 3 else "") for i in range(25))  # 3/25 = 0.12
    below = "\n".join(long_line(i, "." if i < 2 else "") for i in range(25))  # 0.08
    assert scores_of(at)["line_punct_ratio"] == 0.12
    assert verdict(at) is None
    assert verdict(below) == "line_punct_ratio"


@pytest.mark.parametrize("end", ["!", "?", "。", "।", "؟"])
def test_unicode_sentence_terminals_count_as_punctuation(end):
    assert scores_of(long_line(1, end))["line_punct_ratio"] == 1.0


@pytest.mark.parametrize("end", ['."', ":", ",", "…", ")"])
def test_other_line_ends_do_not_count(end):
    assert scores_of(long_line(1, end))["line_punct_ratio"] == 0.0


def test_two_thirds_short_lines_keep_and_more_drop():
    at = "\n".join([short_line(i) for i in range(67)] + [long_line(i) for i in range(33)])
    above = "\n".join([short_line(i) for i in range(68)] + [long_line(i) for i in range(32)])
    assert scores_of(at)["short_line_ratio"] == 0.67
    assert verdict(at) is None
    assert scores_of(above)["short_line_ratio"] == 0.68
    assert verdict(above) == "short_line_ratio"


def test_a_line_of_exactly_thirty_characters_is_not_short():
    line = "Twenty-nine characters then.."
    assert len(line) == 29
    assert scores_of(line)["short_line_ratio"] == 1.0
    assert scores_of(line + ".")["short_line_ratio"] == 0.0
    assert scores_of(line, FineWebConfig(short_line_length=29))["short_line_ratio"] == 0.0


def test_a_tenth_of_characters_in_repeated_lines_keeps_and_more_drops():
    lines = [long_line(i) for i in range(9)]
    at = "\n".join([*lines, lines[0]])  # equal lengths: 1/10
    assert scores_of(at)["dup_line_char_ratio"] == 0.1
    assert verdict(at) is None
    above = "\n".join([*lines[1:], lines[0] + "x", lines[0] + "x"])  # the repeated line one longer
    ratio = scores_of(above)["dup_line_char_ratio"]
    assert ratio == (len(lines[0]) + 1) / (10 * len(lines[0]) + 2) > 0.1
    assert verdict(above) == "dup_line_char_ratio"


def test_newline_ratio_is_scored_but_off_by_default():
    text = "\n".join(f"Item {i}." for i in range(40)) + "\n" + "\n".join(long_line(i) for i in range(60))
    s = scores_of(text)
    assert s["newline_word_ratio"] == pytest.approx(99 / (40 * 2 + 60 * 10))
    assert verdict(text) is None
    assert verdict(text, FineWebConfig(newline_word_thr=0.14)) == "newline_word_ratio"
    assert verdict(text, FineWebConfig(newline_word_thr=0.15)) is None


def test_first_failing_rule_in_order_is_reported():
    text = "\n".join(["menu", "home", "menu", "about", "menu"])
    s = scores_of(text)
    assert s["line_punct_ratio"] == 0.0 and s["short_line_ratio"] == 1.0 and s["dup_line_char_ratio"] > 0.1
    assert verdict(text) == "line_punct_ratio"
    assert FineWebFilter(FineWebConfig(line_punct_thr=None)).verdict(s) == "short_line_ratio"
    flt = FineWebFilter(FineWebConfig(line_punct_thr=None, short_line_thr=None))
    assert flt.verdict(s) == "dup_line_char_ratio"


def test_new_thresholds_redecide_stored_scores_without_scoring(monkeypatch):
    text = "\n".join(long_line(i, "." if i < 3 else "") for i in range(25))
    stored = scores_of(text)
    relaxed = FineWebFilter(FineWebConfig(line_punct_thr=0.1))
    monkeypatch.setattr(relaxed, "score", lambda *a, **k: pytest.fail("verdict must not score again"))
    assert relaxed.verdict(stored) is None


def test_empty_text_fails_the_punctuation_rule_and_missing_scores_never_drop():
    assert verdict("") == "line_punct_ratio"
    assert FineWebFilter(FineWebConfig()).verdict({}) is None
