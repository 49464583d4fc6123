"""The shape every filter takes: measure (score) apart from decide (rules).

A filter's ``score`` records measurements on the document and never looks at thresholds. What
drops a document is declared once per filter, as data: its `Rule`s, each a metric, a bound and
the config field holding the threshold. `Filter.verdict`, written once here, compares stored
scores with those thresholds, so a data team changes thresholds and re-decides over stored
scores (`corpus.policy`) without running a model again, as Dolma separates taggers from mixer
rules. Parameters that change what is *measured* (a word list, an n-gram size) are scoring
parameters; changing them means re-scoring.

One boundary convention for every rule, DataTrove's: a ``min`` rule drops a score below its
threshold, a ``max`` rule one above it, and the threshold itself keeps. Where a paper states an
inclusive bound (FineWeb drops at <= 0.12), the config field's docstring says how ours differs.

A filter whose rules judge a rewritten text (C4 removes lines) implements `Filter.rewrite`: the
chain applies it before scoring, keeps the text it returns and splits it afresh for the filters
after it; what the rewrite measured is stored as scores like any other. ``score`` never changes
``doc.text``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, TypeVar

from pydantic import Field

from common.config import StrictModel
from corpus.text import TextView
from formats.documents import Document


class FilterConfig(StrictModel):
    """Base of each filter's config; subclasses fix ``name`` with a ``Literal``."""

    name: str
    skip_domains: list[str] = Field(default_factory=list)
    """Domains this filter does not apply to (C4's curly-brace rule would drop all code, say)."""


C = TypeVar("C", bound=FilterConfig)


@dataclass(frozen=True, slots=True)
class Rule:
    """One drop rule: a metric, a bound and the config field that holds its threshold.

    ``metric`` is the score the rule reads (without the filter's prefix) and the rule's name in
    the drop reason ``<filter>.<metric>``; ``name`` overrides the latter where a rule's name
    predates its score's (C4's ``lines`` reads ``kept_lines``). ``bound``: ``min`` drops a score
    below the threshold, ``max`` one above it, ``in`` one whose label (``labels[int(score)]``, or
    the score itself without labels) is in the threshold's collection. A threshold of ``None``
    turns the rule off; a ``bool`` field is a switch for a ``max`` rule (true: any score above 0
    drops). ``key`` picks one entry of a dict-valued field (per-n thresholds).
    """

    metric: str
    bound: Literal["min", "max", "in"]
    field: str
    key: int | None = None
    labels: tuple[str, ...] = ()
    name: str = ""

    @property
    def rule_name(self) -> str:
        return self.name or self.metric

    def threshold(self, config: FilterConfig) -> Any:
        """The configured threshold, or None when the rule is off."""
        value = getattr(config, self.field)
        if self.key is not None:
            value = value.get(self.key)
        if isinstance(value, bool):
            return 0.0 if value else None
        return value

    def breaks(self, value: float, threshold: Any) -> bool:
        if self.bound == "min":
            return value < threshold
        if self.bound == "max":
            return value > threshold
        label = self.labels[int(value)] if self.labels else value
        return label in threshold


class Filter(ABC, Generic[C]):
    """One named step of the cleaning chain.

    Subclasses set ``name`` (also the prefix of their score keys and drop reasons), ``Config``
    and ``rules`` (checked in order; the first broken one is the drop reason). Models and word
    lists are loaded in `setup`, once per worker, not per document: callers call it before the
    first `score`.
    """

    name: ClassVar[str]
    Config: ClassVar[type[FilterConfig]]
    rules: ClassVar[tuple[Rule, ...]] = ()

    def __init__(self, config: C) -> None:
        self.config = config

    def setup(self) -> None:
        """Load models or lists; called once before the first document."""

    def rewrite(self, text: str) -> tuple[str, dict[str, float]] | None:
        """The text this filter's rules judge, and what rewriting it measured (stored as scores);
        None when the filter judges the text as it is. The chain calls it before `score`."""
        return None

    @abstractmethod
    def score(self, doc: Document, view: TextView) -> dict[str, float]:
        """Measure the document; returns scores keyed by metric name (without the prefix)."""

    def derived(self, scores: Mapping[str, float]) -> dict[str, float]:
        """Metrics the rules read that are computed from the stored scores rather than stored
        (language: the best probability among the configured languages); none by default."""
        return {}

    def verdict(self, scores: Mapping[str, float]) -> str | None:
        """The first rule these scores break, or None to keep.

        ``scores`` are this filter's own scores without prefix. A missing score means "not
        measured" (a language without a model, a filter an earlier one's error kept from running)
        and never drops the document.
        """
        derived = self.derived(scores)
        values = {**scores, **derived} if derived else scores
        for rule in self.rules:
            value = values.get(rule.metric)
            if value is None:
                continue
            threshold = rule.threshold(self.config)
            if threshold is not None and rule.breaks(value, threshold):
                return rule.rule_name
        return None

    def drop_detail(self, rule: str, doc: Document) -> str:
        """Why ``rule`` (a name `verdict` returned) dropped ``doc``, for the drop's detail: the
        value the rule read against its threshold ("37 < 50"; a metric `derived` from the stored
        scores names them: "-inf < 0.65 from de=0.9985"). Filters whose measurement knows
        more than its number (the bad words C4 matched) add it by overriding this; it runs only
        for a document that is dropped, so it may measure again. Never used to decide."""
        scores = self.scores_of(doc.scores)
        derived = self.derived(scores)
        values = {**scores, **derived} if derived else scores
        for r in self.rules:
            if r.rule_name != rule:
                continue
            value, threshold = values.get(r.metric), r.threshold(self.config)
            if value is None or threshold is None:
                return ""
            if r.bound == "in":
                label = r.labels[int(value)] if r.labels else value
                return f"{label} in {threshold}"
            detail = f"{value:g} {'<' if r.bound == 'min' else '>'} {threshold:g}"
            if r.metric not in scores:  # derived: show the stored scores it came from
                detail += " from " + ", ".join(f"{k}={v:.4g}" for k, v in sorted(scores.items()))
            return detail
        return ""

    def scores_of(self, doc_scores: Mapping[str, float]) -> dict[str, float]:
        """This filter's scores out of a document's prefixed score map."""
        prefix = self.name + "."
        n = len(prefix)
        return {k[n:]: v for k, v in doc_scores.items() if k.startswith(prefix)}

    def reason(self, rule: str) -> str:
        return f"{self.name}.{rule}"


FILTERS: dict[str, type[Filter]] = {}

F = TypeVar("F", bound=type[Filter])


def register(cls: F) -> F:
    """Class decorator adding a filter to the registry that configs are validated against.

    A rule naming a config field that does not exist fails here, at import, not on the first
    document that reaches it.
    """
    if cls.name in FILTERS and FILTERS[cls.name] is not cls:
        raise ValueError(f"two filters are named {cls.name!r}")
    fields = cls.Config.model_fields
    for rule in cls.rules:
        if rule.field not in fields:
            config = cls.Config.__name__
            raise ValueError(
                f"{cls.name}: rule {rule.rule_name!r} reads {config}.{rule.field}, which is no field"
            )
    FILTERS[cls.name] = cls
    return cls
