"""The filter registry: importing this package registers every filter that configs may name.

Add a filter by writing a module with a ``@register``-ed `Filter` subclass and importing it here.
"""

from corpus.filters import c4, fineweb, gopher, language, perplexity, toxicity  # noqa: F401  (registers)
from corpus.filters.base import FILTERS, Filter, FilterConfig, Rule, register

__all__ = ["FILTERS", "Filter", "FilterConfig", "Rule", "register"]
