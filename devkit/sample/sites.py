"""The sites of the sample crawl: hosts, their layouts and the URLs of their pages (data/sites.yaml).

A page's domain is read from its URL by the rules in ``configs/clean.yaml`` (host suffixes and
path prefixes), so every site is chosen to fall under exactly the rule of the domain it serves:
encyclopedia pages on en.wikipedia.org, code on stackoverflow.com and github.com, books on
www.gutenberg.org, dialog on www.reddit.com and on ``/forum/`` and ``/thread/`` paths, math on
math.stackexchange.com and arxiv.org, and web pages on a few dozen generated news, blog, recipe,
travel and review hosts. The tests check each URL against the config's rules.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import datetime

from devkit.sample.grammar import data, pick, words
from devkit.sample.text import Writer


@dataclass(frozen=True, slots=True)
class Site:
    """A host with its look (``layout``: a template), its URL shape and what it publishes."""

    host: str
    name: str
    domain: str = "web"
    layout: str = "news"
    urls: str = "blog"
    """A key of ``sites.urls`` in the data: the pattern of its pages' paths."""
    genres: tuple[str, ...] = ()
    lang: str = "en"
    kind: str = ""
    """Sites of one kind republish each other's pages (syndication)."""
    weight: float = 1.0
    mirror: str = ""
    """The host that copies its pages (Wikipedia's mobile site, old Reddit, a fork host)."""
    same_path: bool = False
    """Its copies of a mirrored site's pages keep their path."""

    @property
    def label(self) -> str:
        """What page chrome calls the site: the foreign news sites have no English name."""
        return self.name or self.host


_FIELDS = {f.name for f in fields(Site)}
_SLUG_DROP_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_words: int = 8) -> str:
    """ASCII URL slug: accents folded, punctuation dropped, at most ``max_words`` words."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join([p for p in _SLUG_DROP_RE.split(folded) if p][:max_words]) or "page"


def _site(entry: dict) -> Site:
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ValueError(f"site {entry.get('host')}: unknown keys {sorted(unknown)}")
    return Site(**{**entry, "genres": tuple(entry.get("genres", ()))})


class SitePool:
    """A fixed set of sites for one sample, so several pages come from the same site as in a crawl."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        spec = data()["sites"]
        self.sites = [_site(entry) for entry in spec["fixed"]]
        w = Writer(rng)
        for kind, group in spec["generated"].items():
            site = {k: v for k, v in group.items() if k in _FIELDS}
            for _ in range(group["count"]):
                base = re.sub(r"[^a-z]", "", w.fill(group.get("base", "{townhead}{towntail}")).lower())
                tail = pick(rng, words(group["tails"]))
                name = group.get("name", "{base} {tail}").format(
                    base=base.capitalize(), tail=tail.capitalize()
                )
                host = f"www.{base}{tail}.{pick(rng, words(group['tlds']))}"
                self.sites.append(_site({**site, "host": host, "name": name, "kind": kind}))
        self._by_host = {s.host: s for s in self.sites}

    def pick(self, genre: str, lang: str = "en") -> Site:
        """A site that publishes pages of ``genre`` in ``lang`` (the data's weights)."""
        choices = [s for s in self.sites if genre in s.genres and s.lang == lang]
        if not choices:
            raise KeyError(f"no site publishes genre {genre!r} in {lang!r}")
        return self.rng.choices(choices, weights=[s.weight for s in choices])[0]

    def mirror(self, site: Site) -> Site:
        """Where a copy of a page of ``site`` appears: its mirror, or another site of its kind."""
        if site.mirror:
            return self._by_host[site.mirror]
        others = [s for s in self.sites if s.kind == site.kind and s.host != site.host]
        return pick(self.rng, others) if site.kind and others else site


class UrlMaker:
    """Unique URLs in each site's own style."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def _unique(self, url: str) -> str:
        candidate, n = url, 2
        while candidate in self.seen:
            candidate = f"{url}{'&' if '?' in url else '?'}page={n}"
            n += 1
        self.seen.add(candidate)
        return candidate

    def page(self, site: Site, when: datetime, title: str = "", shape: str = "", **values: str) -> str:
        """A URL of ``site`` in its shape (or ``shape``); ``values`` fill the pattern's own slots."""
        slug = slugify(title)
        w = Writer(self.rng)
        w.memo.update(
            values,
            slug=slug,
            slug_=slug.replace("-", "_"),
            title_=re.sub(r"\s+", "_", title.strip()),
            yyyy=f"{when.year}",
            mm=f"{when.month:02d}",
            yy=f"{when.year % 100:02d}",
            id=str(self.rng.randint(1_000, 72_000)),
            b36=_base36(self.rng.randint(10**7, 10**9)),
        )
        shape = shape or site.urls
        path = re.sub(r"\s+", "-", w.fill(data()["sites"]["urls"].get(shape, shape)))
        return self._unique(f"https://{site.host}{path}")

    def on_host(self, url: str, site: Site) -> str:
        """``url``'s path on ``site`` (a mirror that keeps its original's paths)."""
        return self._unique(f"https://{site.host}/{url.split('://', 1)[1].partition('/')[2]}")

    def variant(self, url: str, how: str) -> str:
        """The same page at another URL of the same site: AMP, print or tracking parameters."""
        if how == "amp" and url.endswith("/"):
            return self._unique(url + "amp/")
        query = {"amp": "amp=1", "print": "print=1"}.get(
            how, f"utm_source=newsletter&utm_medium=email&utm_campaign={self.rng.randint(100, 999)}"
        )
        return self._unique(f"{url}{'&' if '?' in url else '?'}{query}")


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"
