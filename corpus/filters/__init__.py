"""The filter registry: importing this package registers every filter that configs may name.

Add a filter by writing a module with a ``@register``-ed `Filter` subclass and importing it here.
"""

from corpus.filters import (  # noqa: F401  (registers)
    c4,
    density,
    fineweb,
    gopher,
    language,
    perplexity,
    quality_model,
    toxicity,
)
from corpus.filters.base import FILTERS, Filter, FilterConfig, Rule, register

__all__ = ["FILTERS", "Filter", "FilterConfig", "Rule", "register"]
