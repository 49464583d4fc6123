"""Which domain (web, books, code, ...) a page belongs to, from its URL.

Rules come from the cleaning config so a team can map its own hosts; the first rule that matches
wins, and anything unmatched is the default domain (``web``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from corpus.config import DomainsConfig


class DomainResolver:
    def __init__(self, config: DomainsConfig) -> None:
        self.default = config.default
        self._rules = [
            (rule.domain, tuple(h.lower().lstrip(".") for h in rule.hosts), tuple(rule.path_prefixes))
            for rule in config.rules
        ]

    def __call__(self, url: str) -> str:
        try:
            parts = urlsplit(url)
        except ValueError:
            return self.default
        host = (parts.hostname or "").lower()
        path = parts.path or "/"
        for domain, hosts, prefixes in self._rules:
            if any(host == h or host.endswith("." + h) for h in hosts):
                return domain
            if any(path.startswith(p) for p in prefixes):
                return domain
        return self.default
