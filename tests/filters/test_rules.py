"""Rules declared once: one verdict for every filter, one boundary convention, one decide function."""

from __future__ import annotations

import math
from typing import Literal

import pytest
from pydantic import Field

from corpus.filters import FILTERS
from corpus.filters.base import Filter, FilterConfig, Rule, register
from corpus.filters.c4 import C4Config, C4Filter
from corpus.filters.gopher import GopherRepetitionConfig, GopherRepetitionFilter
from corpus.filters.perplexity import PerplexityConfig, PerplexityFilter
from corpus.policy import decide


class _Config(FilterConfig):
    name: Literal["probe"] = "probe"
    low: float | None = 0.5
    high: float | None = Field(2.0)
    switch: bool = True
    per_n: dict[int, float | None] = Field(default_factory=lambda: {1: 1.0, 2: None})
    banned: list[str] = Field(default_factory=lambda: ["b"])


class _Probe(Filter[_Config]):
    """Not registered: a filter made only of rules, one of each kind."""

    name = "probe"
    Config = _Config
    rules = (
        Rule("value", "min", "low"),
        Rule("value", "max", "high"),
        Rule("flag", "max", "switch"),
        Rule("one", "max", "per_n", key=1),
        Rule("two", "max", "per_n", key=2),
        Rule("label", "in", "banned", labels=("a", "b")),
        Rule("kept", "min", "low", name="renamed"),
    )

    def score(self, doc, view) -> dict[str, float]:
        return {}


def probe(**config) -> _Probe:
    return _Probe(_Config(**config))


def test_min_and_max_keep_at_the_threshold_and_drop_beyond_it() -> None:
    flt = probe()
    assert flt.verdict({"value": 0.5}) is None
    assert flt.verdict({"value": math.nextafter(0.5, 0.0)}) == "value"
    assert flt.verdict({"value": 2.0}) is None
    assert flt.verdict({"value": math.nextafter(2.0, 3.0)}) == "value"


def test_a_missing_score_never_drops_and_a_none_threshold_turns_the_rule_off() -> None:
    assert probe().verdict({}) is None
    assert probe(low=None).verdict({"value": -1.0}) is None


def test_a_bool_field_is_a_switch_for_any_score_above_zero() -> None:
    assert probe().verdict({"flag": 1.0}) == "flag"
    assert probe().verdict({"flag": 0.0}) is None
    assert probe(switch=False).verdict({"flag": 1.0}) is None


def test_a_key_picks_one_entry_of_a_dict_field() -> None:
    assert probe().verdict({"one": 1.5}) == "one"
    assert probe().verdict({"two": 100.0}) is None  # its entry is None: off


def test_membership_reads_the_label_of_the_score() -> None:
    assert probe().verdict({"label": 1.0}) == "label"
    assert probe().verdict({"label": 0.0}) is None


def test_a_rule_can_keep_a_name_apart_from_its_score() -> None:
    assert probe().verdict({"kept": 0.0}) == "renamed"


def test_rules_are_checked_in_declaration_order() -> None:
    assert probe().verdict({"label": 1.0, "value": 3.0, "flag": 1.0}) == "value"


def test_a_rule_reading_a_field_that_does_not_exist_fails_at_registration() -> None:
    class _Broken(_Probe):
        rules = (Rule("value", "min", "no_such_field"),)

    with pytest.raises(ValueError, match="no_such_field"):
        register(_Broken)
    assert "probe" not in FILTERS


def test_every_registered_rule_reads_an_existing_field_and_a_known_bound() -> None:
    for cls in FILTERS.values():
        assert cls.rules, cls.name
        for rule in cls.rules:
            assert rule.field in cls.Config.model_fields and rule.bound in ("min", "max", "in")


def test_per_n_gopher_thresholds_are_rules_of_their_own() -> None:
    flt = GopherRepetitionFilter(GopherRepetitionConfig(max_top_ngram_char_frac={3: None}))
    assert flt.verdict({"top_2gram_char_frac": 0.2}) is None
    assert flt.verdict({"top_2gram_char_frac": 0.21}) == "top_2gram_char_frac"
    assert flt.verdict({"top_3gram_char_frac": 0.99}) is None


def test_c4_switches_and_the_lines_rule_keep_their_config_keys_and_reasons() -> None:
    assert C4Filter(C4Config()).verdict({"curly_bracket": 1.0}) == "curly_bracket"
    assert C4Filter(C4Config(drop_curly_bracket=False)).verdict({"curly_bracket": 1.0}) is None
    assert C4Filter(C4Config(min_lines=3)).verdict({"kept_lines": 2.0}) == "lines"
    assert C4Filter(C4Config(min_lines=3)).verdict({"kept_lines": 3.0}) is None


def test_perplexity_buckets_drop_by_name() -> None:
    flt = PerplexityFilter(PerplexityConfig(max_perplexity=None, drop_buckets=["head", "tail"]))
    assert [flt.verdict({"bucket": float(b)}) for b in range(3)] == ["bucket", None, "bucket"]


def test_decide_returns_the_first_failing_filter_in_order_and_skips_domains() -> None:
    c4 = C4Filter(C4Config(skip_domains=["code"]))
    rep = GopherRepetitionFilter(GopherRepetitionConfig())
    scores = {"c4.curly_bracket": 1.0, "gopher_repetition.dup_line_frac": 0.9}
    assert decide([c4, rep], scores, "web") == "c4.curly_bracket"
    assert decide([rep, c4], scores, "web") == "gopher_repetition.dup_line_frac"
    assert decide([c4], scores, "code") is None
    assert decide([c4, rep], {}, "web") is None
