"""Splits of a document's text, computed once and shared by every filter.

DataTrove re-tokenises the text in each filter; here a `TextView` caches lines, words and
paragraphs so a chain of ten filters splits the text once.
"""

from __future__ import annotations

import re
from functools import cached_property

# Unicode-aware word pattern: letters, digits and apostrophes/hyphens inside words.
_WORD_RE = re.compile(r"\w+(?:['’\-]\w+)*", re.UNICODE)
_PARAGRAPH_SPLIT_RE = re.compile(r"\n\s*\n")


class TextView:
    """Lazily computed views of one text; create a new view after the text changes."""

    __slots__ = ("__dict__", "text")

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lines(self) -> list[str]:
        """Non-empty lines, stripped."""
        return [line.strip() for line in self.text.split("\n") if line.strip()]

    @cached_property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in _PARAGRAPH_SPLIT_RE.split(self.text) if p.strip()]

    @cached_property
    def tokens(self) -> list[str]:
        """Whitespace-separated tokens, punctuation attached (what Gopher calls words)."""
        return self.text.split()

    @cached_property
    def words(self) -> list[str]:
        """Alphanumeric words without punctuation."""
        return _WORD_RE.findall(self.text)

    @cached_property
    def words_lower(self) -> list[str]:
        return [w.lower() for w in self.words]
