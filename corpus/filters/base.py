"""The shape every filter takes: measure (score) apart from decide (verdict).

A filter's ``score`` records measurements on the document and never looks at thresholds; its
``verdict`` compares those stored scores with the thresholds of its config and names the rule
that failed. A data team can therefore change thresholds and re-decide over stored scores
(`corpus.policy`) without running a single model again, as Dolma separates taggers from mixer
rules. Parameters that change what is *measured* (a word list, an n-gram size) are scoring
parameters; changing them means re-scoring.

Line-level rules (C4's line removal, for instance) rewrite ``doc.text`` inside ``score``; such a
filter sets ``modifies_text = True`` so the cleaner rebuilds the shared `TextView` after it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import ClassVar, Generic, TypeVar

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


class Filter(ABC, Generic[C]):
    """One named step of the cleaning chain.

    Subclasses set ``name`` (also the prefix of their score keys and drop reasons) and
    ``Config``; models and word lists are loaded in `setup`, once per worker, not per document.
    """

    name: ClassVar[str]
    Config: ClassVar[type[FilterConfig]]
    modifies_text: ClassVar[bool] = False

    def __init__(self, config: C) -> None:
        self.config = config

    def setup(self) -> None:
        """Load models or lists; called once before the first document."""

    @abstractmethod
    def score(self, doc: Document, view: TextView) -> dict[str, float]:
        """Measure the document; returns scores keyed by metric name (without the prefix)."""

    @abstractmethod
    def verdict(self, scores: Mapping[str, float]) -> str | None:
        """The rule (a metric name) whose threshold these scores break, or None to keep.

        ``scores`` are this filter's own scores without prefix. A missing score means "not
        measured" (a language without a model, say) and must not drop the document.
        """

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
    """Class decorator adding a filter to the registry that configs are validated against."""
    if cls.name in FILTERS and FILTERS[cls.name] is not cls:
        raise ValueError(f"two filters are named {cls.name!r}")
    FILTERS[cls.name] = cls
    return cls
