"""The domains a corpus is split into: Stage 1 assigns them, the mixer draws them by name.

A closed list, checked where a domain is first named (the cleaning config's domain rules) as
well as where it is drawn (the mix), so a misspelt domain fails before Stage 1 spends a worker
on it, not after Stage 2.
"""

from __future__ import annotations

DOMAINS = ("web", "books", "code", "encyclopedia", "dialog", "math")


def unknown_domains(names: list[str] | tuple[str, ...]) -> list[str]:
    """The names in ``names`` that are not domains, in their order."""
    return [name for name in names if name not in DOMAINS]
