"""The run's thresholds, per score, read from the filters' declared `Rule`s and the recorded config;
and, for one document, the score that decided its outcome.

Nothing here re-implements a verdict: a threshold is `Rule.threshold(config)` and "breaks" is
`Rule.breaks`, the same calls `Filter.verdict` makes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from corpus.filters.base import Filter, Rule
from formats.documents import DUPLICATE_EXACT, DUPLICATE_NEAR

DUPLICATES = (DUPLICATE_EXACT, DUPLICATE_NEAR)


@dataclass(frozen=True)
class Threshold:
    """One numeric rule of the run: ``score`` (``<filter>.<metric>``) against ``value``."""

    score: str
    reason: str
    """The drop reason the rule gives (``<filter>.<rule>``)."""
    bound: str
    value: float
    skip_domains: frozenset[str]

    def breaks(self, value: float) -> bool:
        return value < self.value if self.bound == "min" else value > self.value

    def as_json(self) -> dict[str, Any]:
        return {"reason": self.reason, "bound": self.bound, "value": self.value}


def thresholds(filters: Sequence[Filter]) -> list[Threshold]:
    """The numeric (``min``/``max``) rules that are on, in chain order; ``in`` rules (labels, such
    as perplexity buckets) have no threshold to be near."""
    out = []
    for flt in filters:
        for rule in flt.rules:
            value = rule.threshold(flt.config)
            if rule.bound == "in" or value is None:
                continue
            out.append(
                Threshold(
                    score=f"{flt.name}.{rule.metric}",
                    reason=flt.reason(rule.rule_name),
                    bound=rule.bound,
                    value=float(value),
                    skip_domains=frozenset(flt.config.skip_domains),
                )
            )
    return out


def derives(flt: Filter) -> bool:
    """Whether a rule of ``flt`` reads a metric computed from stored scores (language's best
    configured probability) rather than a stored score."""
    return type(flt).derived is not Filter.derived


def _metric_values(flt: Filter, scores: Mapping[str, float]) -> dict[str, float]:
    own = flt.scores_of(scores)
    return {**own, **flt.derived(own)} if own else {}


def _describe(flt: Filter, rule: Rule, value: float) -> dict[str, Any]:
    threshold = rule.threshold(flt.config)
    shown: Any = value if math.isfinite(value) else str(value)  # JSON has no infinities
    if rule.bound == "in":
        shown = rule.labels[int(value)] if rule.labels else value
        threshold = list(threshold)
    return {"score": f"{flt.name}.{rule.metric}", "value": shown, "bound": rule.bound, "threshold": threshold}


def deciding_score(
    filters: Sequence[Filter], reason: str | None, scores: Mapping[str, float], detail: str
) -> dict[str, Any]:
    """What decided a document: for a filter's drop, the score and the threshold it broke; for a
    duplicate, the id of the document kept in its place; for other drops, the recorded detail;
    for a kept document, the rule it came closest to breaking (relative to the threshold)."""
    if reason is None:
        return _closest_rule(filters, scores)
    if reason in DUPLICATES:
        return {"duplicate_of": detail}
    name, _, rule_name = reason.partition(".")
    for flt in filters:
        if flt.name != name:
            continue
        values = _metric_values(flt, scores)
        rules = [r for r in flt.rules if r.rule_name == rule_name]
        for rule in rules:
            value, threshold = values.get(rule.metric), rule.threshold(flt.config)
            if value is not None and threshold is not None and rule.breaks(value, threshold):
                return _describe(flt, rule, value)
        if rules and (value := values.get(rules[0].metric)) is not None:
            return _describe(flt, rules[0], value)  # breaks no rule of this config
    return {"detail": detail} if detail else {}


def _closest_rule(filters: Sequence[Filter], scores: Mapping[str, float]) -> dict[str, Any]:
    best: tuple[float, dict[str, Any]] | None = None
    for flt in filters:
        values = _metric_values(flt, scores)
        for rule in flt.rules:
            value, threshold = values.get(rule.metric), rule.threshold(flt.config)
            # a zero threshold (a switch, no bad word allowed) has no margin to compare
            if value is None or not threshold or rule.bound == "in" or not math.isfinite(value):
                continue
            margin = abs(value - threshold) / max(abs(float(threshold)), 1e-9)
            if best is None or margin < best[0]:
                best = (margin, {**_describe(flt, rule, value), "closest": True})
    return best[1] if best else {}
