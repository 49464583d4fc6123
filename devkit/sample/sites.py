"""The sites of the sample crawl: hosts, their page layouts and the URLs of their pages.

A page's domain is read from its URL by the rules in ``configs/clean.yaml`` (host suffixes and
path prefixes), so every site here is chosen to fall under exactly the rule of the domain it
serves: encyclopedia pages on en.wikipedia.org, code on stackoverflow.com and github.com, books
on www.gutenberg.org, dialog on www.reddit.com and on ``/forum/`` and ``/thread/`` paths, math on
math.stackexchange.com and arxiv.org, and web pages on a few dozen generated news, blog, recipe,
travel and review hosts. The tests check each URL against the config's rules.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

from devkit.sample import vocab
from devkit.sample.grammar import pick, words


@dataclass(frozen=True, slots=True)
class Site:
    """A host with its look: ``layout`` names a template in `pages`."""

    host: str
    name: str
    domain: str
    layout: str
    lang: str = "en"
    kind: str = ""
    """What the site publishes (news, blog, recipes, forum, ...): picks URL shapes."""

    @property
    def label(self) -> str:
        """What page chrome calls the site: the foreign news sites have no English name."""
        return self.name or self.host


_SLUG_DROP_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_words: int = 8) -> str:
    """ASCII URL slug: accents folded, punctuation dropped, at most ``max_words`` words."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = [p for p in _SLUG_DROP_RE.split(folded) if p]
    return "-".join(parts[:max_words]) or "page"


_NEWS_TAILS = words("gazette echo herald post chronicle times mercury advertiser courier observer")
_BLOG_TAILS = words("diaries notebook journal life days corner notes adventures")
_WEB_KINDS = {
    "news": ("news", _NEWS_TAILS),
    "blog": ("blog", _BLOG_TAILS),
    "recipe": ("blog", words("kitchen table cooks recipes bakes pantry")),
    "travel": ("blog", words("travels wanders trips roads journeys guide")),
    "review": ("news", words("reviews tested verdict hub insider")),
    "howto": ("blog", words("howto guides fixit handbook basics")),
}
_TLDS = words("com co.uk net org com.au ca ie")

_FOREIGN = {
    "de": (words("anzeiger zeitung kurier rundschau bote"), "de"),
    "fr": (words("journal echo gazette courrier depeche"), "fr"),
    "es": (words("diario noticias heraldo gaceta correo"), "es"),
    "ru": (words("news vesti gazeta novosti"), "ru"),
}

_SPAM_HOSTS = words(
    "best-deals-online.shop cheap-outlet-store.biz top-offers-today.xyz mega-discount-hub.top "
    "free-gifts-winner.club lowest-price-direct.shop"
)


class SitePool:
    """A fixed set of sites for one sample, so several pages come from the same site as in a crawl."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.web: dict[str, list[Site]] = {}
        for genre, (layout, tails) in _WEB_KINDS.items():
            sites = []
            for _ in range(8 if genre in ("news", "blog") else 4):
                base = re.sub(
                    r"[^a-z]", "", pick(rng, vocab.TOWN_HEADS).lower() + pick(rng, vocab.TOWN_TAILS)
                )
                tail = pick(rng, tails)
                host = f"www.{base}{tail}.{pick(rng, _TLDS)}"
                name = (
                    f"The {base.capitalize()} {tail.capitalize()}"
                    if genre == "news"
                    else f"{base.capitalize()} {tail.capitalize()}"
                )
                sites.append(Site(host, name, "web", layout, kind=genre))
            self.web[genre] = sites
        self.forums = []
        for _ in range(6):
            base = pick(rng, vocab.HANDLE_PARTS) + pick(rng, ("talk", "chat", "board", "community", "folk"))
            self.forums.append(
                Site(f"www.{base}.{pick(rng, _TLDS)}", base.capitalize(), "dialog", "forum", kind="forum")
            )
        self.forums.append(Site("forums.example.net", "Example Forums", "dialog", "forum", kind="forum"))
        self.foreign: dict[str, list[Site]] = {}
        for code, (tails, tld) in _FOREIGN.items():
            self.foreign[code] = [
                Site(
                    f"www.{slugify(pick(rng, vocab.TOWN_HEADS))}-{pick(rng, tails)}.{tld}",
                    "",
                    "web",
                    "news",
                    lang=code,
                    kind="news",
                )
                for _ in range(3)
            ]
        self.spam = [
            Site(h, h.split(".")[0].replace("-", " ").title(), "web", "spam", kind="spam")
            for h in _SPAM_HOSTS
        ]

    # Fixed well-known sites -----------------------------------------------------------------------
    WIKIPEDIA = Site("en.wikipedia.org", "Wikipedia", "encyclopedia", "wiki", kind="wiki")
    WIKIPEDIA_MOBILE = Site("en.m.wikipedia.org", "Wikipedia", "encyclopedia", "wiki", kind="wiki_mobile")
    STACKOVERFLOW = Site("stackoverflow.com", "Stack Overflow", "code", "qa", kind="qa")
    GITHUB = Site("github.com", "GitHub", "code", "github", kind="github")
    GITLAB = Site("gitlab.com", "GitLab", "code", "github", kind="github")
    GUTENBERG = Site("www.gutenberg.org", "Project Gutenberg", "books", "gutenberg", kind="gutenberg")
    STANDARD_EBOOKS = Site(
        "standardebooks.org", "Standard Ebooks", "books", "gutenberg", kind="standardebooks"
    )
    REDDIT = Site("www.reddit.com", "reddit", "dialog", "reddit", kind="reddit")
    OLD_REDDIT = Site("old.reddit.com", "reddit", "dialog", "reddit", kind="reddit")
    MATH_SE = Site("math.stackexchange.com", "Mathematics Stack Exchange", "math", "qa", kind="qa")
    MATHOVERFLOW = Site("mathoverflow.net", "MathOverflow", "math", "qa", kind="qa")
    ARXIV = Site("arxiv.org", "arXiv", "math", "arxiv", kind="arxiv")

    def for_genre(self, genre: str) -> Site:
        """The site that publishes a good page of ``genre``."""
        rng = self.rng
        if genre in self.web:
            return pick(rng, self.web[genre])
        if genre == "encyclopedia":
            return self.WIKIPEDIA
        if genre == "qa":
            return self.STACKOVERFLOW
        if genre == "readme":
            return self.GITHUB if rng.random() < 0.8 else self.GITLAB
        if genre == "chapter":
            return self.GUTENBERG if rng.random() < 0.8 else self.STANDARD_EBOOKS
        if genre == "reddit":
            return self.REDDIT
        if genre == "forum":
            return pick(rng, self.forums)
        if genre == "math_qa":
            return self.MATH_SE if rng.random() < 0.8 else self.MATHOVERFLOW
        if genre == "paper":
            return self.ARXIV
        raise KeyError(f"no site publishes genre {genre!r}")

    def mirror_for(self, original: Site) -> Site:
        """Where a copy of a page of ``original`` appears, in the same domain (syndication, forks, mirrors)."""
        rng = self.rng
        if original.domain == "web":
            others = [s for s in self.web.get(original.kind, []) if s.host != original.host]
            return pick(rng, others) if others else original
        return {
            "en.wikipedia.org": self.WIKIPEDIA_MOBILE,
            "www.reddit.com": self.OLD_REDDIT,
            "www.gutenberg.org": self.STANDARD_EBOOKS,
            "standardebooks.org": self.GUTENBERG,
        }.get(original.host, original)


class UrlMaker:
    """Unique URLs in each site's own style."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def _unique(self, url: str) -> str:
        candidate, n = url, 2
        while candidate in self.seen:
            sep = "&" if "?" in url else "?"
            candidate = f"{url}{sep}page={n}"
            n += 1
        self.seen.add(candidate)
        return candidate

    def page(self, site: Site, title: str, *, year: int, month: int) -> str:
        """The URL of an ordinary page titled ``title`` on ``site``."""
        rng = self.rng
        slug = slugify(title)
        n = rng.randint(10_000, 9_999_999)
        host = site.host
        kind = site.kind
        if kind in ("wiki", "wiki_mobile"):
            path = "/wiki/" + re.sub(r"\s+", "_", title.strip())
        elif kind == "qa":
            path = f"/questions/{n}/{slug}"
        elif kind == "github":
            path = f"/{_handle(rng)}/{slug.split('-')[0]}-{slugify(title, 2).split('-')[-1]}"
        elif kind == "gutenberg":
            book = rng.randint(1_000, 72_000)
            path = f"/files/{book}/{book}-h/{book}-h.htm#chap{rng.randint(1, 19):02d}"
        elif kind == "standardebooks":
            path = f"/ebooks/{_handle(rng)}/{slug}/text/chapter-{rng.randint(1, 19)}"
        elif kind == "reddit":
            sub = pick(
                rng,
                (
                    "AskUK",
                    "gardening",
                    "personalfinance",
                    "cycling",
                    "Cooking",
                    "travel",
                    "DIY",
                    "photography",
                    "running",
                    "homeowners",
                ),
            )
            path = f"/r/{sub}/comments/{_base36(n)}/{slug.replace('-', '_')}/"
        elif kind == "forum":
            section = pick(rng, ("general", "help", "off-topic", "reviews", "beginners", "equipment"))
            path = (
                (f"/forum/{section}/{n}-{slug}" if rng.random() < 0.6 else f"/thread/{n}/{slug}")
                if host != "forums.example.net"
                else f"/t/{slug}/{n}"
            )
        elif kind == "arxiv":
            path = f"/html/{year % 100:02d}{month:02d}.{rng.randint(1000, 29999):05d}v1"
        elif kind == "news":
            section = pick(rng, ("news", "local", "business", "sport", "lifestyle", "science"))
            path = (
                f"/{section}/{year}/{month:02d}/{slug}-{n}" if site.lang == "en" else f"/{section}/{n}.html"
            )
        elif kind == "spam":
            path = f"/{slug}.html"
        else:  # blogs, recipes, travel, reviews, how-to
            path = f"/{year}/{month:02d}/{slug}/"
        return self._unique(f"https://{host}{path}")

    def special(self, site: Site, path: str) -> str:
        """A fixed path (tag index, login, search, assets)."""
        return self._unique(f"https://{site.host}{path}")

    def variant(self, url: str, how: str) -> str:
        """The same page at another URL of the same site: AMP, print or tracking parameters."""
        if how == "amp":
            base = url.rstrip("/")
            return self._unique(base + "/amp/" if url.endswith("/") else base + "?amp=1")
        if how == "print":
            return self._unique(url + ("&" if "?" in url else "?") + "print=1")
        return self._unique(
            url
            + ("&" if "?" in url else "?")
            + f"utm_source=newsletter&utm_medium=email&utm_campaign={self.rng.randint(100, 999)}"
        )


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


def _handle(rng: random.Random) -> str:
    return f"{pick(rng, vocab.HANDLE_PARTS)}{pick(rng, vocab.HANDLE_PARTS)}"
