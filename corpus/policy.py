"""Keep or drop, decided over stored scores.

The policy walks the configured filters in order and returns the first rule whose threshold the
document's scores break. It never runs a model: given the ``scores`` column of a previous run's
``attributes/`` and a config with new thresholds, it re-decides every document (``python -m
corpus.policy``), which is how a team tunes thresholds without re-scoring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from corpus.config import CleanConfig
from corpus.filters.base import FILTERS, Filter


def build_filters(config: CleanConfig) -> list[Filter]:
    """The configured chain, in order; models are loaded later by each filter's ``setup``."""
    return [FILTERS[spec.name](spec) for spec in config.filters]


def applies(flt: Filter, domain: str) -> bool:
    return domain not in flt.config.skip_domains


class Policy:
    def __init__(self, filters: Sequence[Filter]) -> None:
        self.filters = list(filters)

    @classmethod
    def from_config(cls, config: CleanConfig) -> Policy:
        return cls(build_filters(config))

    def first_failure(self, scores: Mapping[str, float], domain: str) -> str | None:
        """The drop reason (``<filter>.<rule>``) or None to keep."""
        for flt in self.filters:
            if not applies(flt, domain):
                continue
            rule = flt.verdict(flt.scores_of(scores))
            if rule is not None:
                return flt.reason(rule)
        return None
