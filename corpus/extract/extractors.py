"""The main-text extractors we can run, by name, and the text layout they all return.

Every extractor is a plain function ``(html, url) -> text`` registered in `EXTRACTORS` (the URL is
a hint only page-type-aware extractors read), so the config
can name one (``extraction.extractor``), `bench/extraction.py` can score all of them on the same
pages in one run, and the child process of `corpus.extract.timeout` can look one up from its
name alone. Heavy libraries are imported inside the functions: the config validates a name
without paying for trafilatura's import. Each returns its text through `corpus.text.normalise_text`
exactly once, so what an extractor returns is what the filters see (the cleaner only caps its
length) and what the benchmark scores.

The default (``web``, `corpus.extract.web`) was chosen by measurement on WCXB dev, seven page
types of real pages; the tables, the command and the reasons are in docs/benchmarks.md (section
"Extraction"). The article-only extractors below were chosen earlier on the 181 news pages of the
article-extraction benchmark, where ``hybrid`` still scores best:

- ``resiliparse_tuned`` cuts the parts of a page that resiliparse's main-content heuristic keeps
  but an article body does not have (headline, header, captions, share/related/newsletter/cookie
  blocks), using CSS selectors evaluated by lexbor in C, then drops short furniture lines
  (consent banners, "subscribe", copyright, flattened menus): trafilatura's F1 at several
  times its speed, since lexbor does the cutting in C.
- ``hybrid`` runs ``resiliparse_tuned`` and, only when its result looks unlike an article (most
  lines not ending like sentences, very many lines, or almost no text), runs trafilatura's fast
  mode instead, so the slow extractor pays only for the pages the fast one gets wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from corpus.text import normalise_text

ExtractFn = Callable[[str, str], str]
"""``(html, url) -> text``; the URL is a hint (a forum engine's path), "" when unknown."""


@dataclass(frozen=True, slots=True)
class ExtractorInfo:
    name: str
    fn: ExtractFn
    description: str


EXTRACTORS: dict[str, ExtractorInfo] = {}
"""Registry of extractors by config name; `corpus.config.ExtractionConfig` validates against it."""

DEFAULT_EXTRACTOR = "web"


def register(name: str, description: str) -> Callable[[ExtractFn], ExtractFn]:
    def wrap(fn: ExtractFn) -> ExtractFn:
        if name in EXTRACTORS:
            raise ValueError(f"extractor {name!r} registered twice")
        EXTRACTORS[name] = ExtractorInfo(name, fn, description)
        return fn

    return wrap


def get_extractor(name: str) -> ExtractFn:
    try:
        return EXTRACTORS[name].fn
    except KeyError:
        known = ", ".join(sorted(EXTRACTORS))
        raise KeyError(f"unknown extractor {name!r} (known: {known})") from None


# --- trafilatura -----------------------------------------------------------------------------
# ``deduplicate`` stays off: trafilatura's duplicate test is a process-wide LRU cache, so with it
# a page's text depends on which pages the same worker saw before (DataTrove turns it on; its
# output then changes with sharding and worker count, which our reproducibility rules forbid).


@register("trafilatura_precision", "trafilatura, precision favoured, no comments (FineWeb's setting)")
def trafilatura_precision(html: str, url: str = "") -> str:
    import trafilatura

    return normalise_text(trafilatura.extract(html, favor_precision=True, include_comments=False))


@register("trafilatura", "trafilatura defaults, no comments (the benchmark's own run)")
def trafilatura_default(html: str, url: str = "") -> str:
    import trafilatura

    return normalise_text(trafilatura.extract(html, include_comments=False))


@register("trafilatura_fast", "trafilatura, precision favoured, fast=True (no readability/jusText fallback)")
def trafilatura_fast(html: str, url: str = "") -> str:
    import trafilatura

    return normalise_text(trafilatura.extract(html, favor_precision=True, include_comments=False, fast=True))


# --- resiliparse -----------------------------------------------------------------------------


def parse_html(html: str):  # -> resiliparse.parse.html.HTMLTree
    """Parse with lexbor; a str holding lone surrogates (a page decoded with ``surrogateescape``)
    cannot be UTF-8 encoded for lexbor, so those become U+FFFD instead of failing the page. The
    retry costs nothing on the normal path."""
    from resiliparse.parse.html import HTMLTree

    try:
        return HTMLTree.parse(html)
    except UnicodeEncodeError:
        return HTMLTree.parse(html.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))


@register("resiliparse", "resiliparse extract_plain_text(main_content=True), library defaults")
def resiliparse_main(html: str, url: str = "") -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return normalise_text(extract_plain_text(parse_html(html), main_content=True))


# Elements resiliparse's main-content heuristic keeps but an article body lacks. Tags first; then
# id/class substrings (case-insensitive) from trafilatura's discard vocabulary that measured a
# gain or no loss. The :not() guard keeps a token on <body>/<main>/<article> (a theme's
# "has-breadcrumbs" body class) from deleting the whole page. Tokens that matched article
# wrappers on the benchmark and cost F1 ("meta", "more", "modal", "image", "widget", "nav")
# are left out.
_SKIP_TAGS = ("h1", "header", "figcaption")
_SKIP_TOKENS = (
    "caption",
    "title",
    "headline",
    "gallery",
    "share",
    "social",
    "related",
    "popular",
    "newsletter",
    "subscribe",
    "cookie",
    "consent",
    "banner",
    "promo",
    "button",
    "footer",
    "credit",
    "byline",
    "author",
    "breadcrumb",
)
_GUARD = ":not(html, body, main, article)"
SKIP_SELECTORS: tuple[str, ...] = _SKIP_TAGS + tuple(
    f'[{attr}*="{token}" i]{_GUARD}' for token in _SKIP_TOKENS for attr in ("class", "id")
)

# Short lines that are page furniture, not prose: consent banners, sign-up prompts, copyright,
# share prompts, image-carousel counters. Only lines under _BOILERPLATE_MAX_WORDS words are
# tested, so an article *about* cookies or newsletters keeps its sentences.
_BOILERPLATE_LINE_RE = re.compile(
    r"""
    \bcookies?\b | \bconsent\b | \bsubscri(?:be|ption)\b | \bnewsletter\b
    | \bsign[ -]?(?:up|in)\b | \blog[ -]?in\b | \bregister\b
    | \ball\ rights\ reserved\b | © | \bcopyright\b
    | \bprivacy\ policy\b | \bterms\ (?:of|and)\ (?:use|service|conditions)\b
    | \bfollow\ us\b | \bshare\ (?:this|on)\b | \bclick\ here\b | \bread\ more\b
    | ^advertisement\b | \brelated\ (?:articles?|posts?|stories)\b | ^comments?$ | \bloading\b
    | \bbreaking\ news\b | ^photo\b | \bimage\ \d+\ of\b
    | ^sponsored\b | \bsponsored\ (?:content|by|links?)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
_BOILERPLATE_MAX_WORDS = 20
_WORDS_RE = re.compile(r"\w+")
# "Home | News | Sport | Contact": a menu flattened into one line by a page built of bare <div>s.
_MENU_SEPARATOR_RE = re.compile(r"\s[|·•»]\s")
_SENTENCE_END = tuple(".!?:…\"'”’)")


def drop_boilerplate_lines(text: str, title: str) -> str:
    """Remove short furniture lines, flattened menus and a repeated page title (the headline is
    not the body) from normalised text, keeping its layout (one blank line at most, none at
    either end). The title is normalised as the text is, so the two compare like for like."""
    title_key = " ".join(_WORDS_RE.findall(normalise_text(title).lower())) if title else ""
    kept: list[str] = []
    for line in text.split("\n"):
        if not line:  # a blank line normalise_text left: keep one, never at the start
            if kept and kept[-1]:
                kept.append(line)
            continue
        n_words = len(line.split())
        if n_words < _BOILERPLATE_MAX_WORDS and _BOILERPLATE_LINE_RE.search(line):
            continue
        if len(_MENU_SEPARATOR_RE.findall(line)) >= 2 and not line.endswith(_SENTENCE_END):
            continue
        if title_key and n_words >= 3 and " ".join(_WORDS_RE.findall(line.lower())) in title_key:
            continue
        kept.append(line)
    return "\n".join(kept).strip()


@register("resiliparse_tuned", "resiliparse main content, boilerplate selectors skipped, line post-pass")
def resiliparse_tuned(html: str, url: str = "") -> str:
    from resiliparse.extract.html2text import extract_plain_text

    tree = parse_html(html)
    text = extract_plain_text(
        tree,
        main_content=True,
        alt_texts=False,
        list_bullets=False,
        comments=False,
        post_meta=False,
        skip_elements=list(SKIP_SELECTORS),
    )
    return drop_boilerplate_lines(normalise_text(text), tree.title or "")


# --- hybrid ----------------------------------------------------------------------------------

HYBRID_MIN_PUNCT_LINES = 0.5
"""Fall back when fewer than half the lines end like a sentence: menus, lists, link farms."""
HYBRID_MAX_LINES = 60
"""Fall back on very many blocks: comment threads and list pages the fast path mis-cuts."""
HYBRID_MIN_WORDS = 20
"""Fall back when the fast path found (almost) nothing: its heuristic may have missed the body."""


def needs_fallback(text: str) -> bool:
    """Whether a fast extraction looks unlike an article body (measured on the benchmark)."""
    lines = text.split("\n") if text else []
    if len(text.split()) < HYBRID_MIN_WORDS or len(lines) > HYBRID_MAX_LINES:
        return True
    ending = sum(line.endswith(_SENTENCE_END) for line in lines)
    return ending < HYBRID_MIN_PUNCT_LINES * len(lines)


@register("hybrid", "resiliparse_tuned; trafilatura_fast when the fast result looks poor")
def hybrid(html: str, url: str = "") -> str:
    """On the pages routed here trafilatura's fast mode scored higher than its full mode (its
    readability/jusText comparison tends to widen the cut on exactly these list-like pages) and
    costs less, so the fallback is ``trafilatura_fast``."""
    text = resiliparse_tuned(html, url)
    if needs_fallback(text):
        # trafilatura finding nothing at all is no reason to throw away what the fast path found
        return trafilatura_fast(html, url) or text
    return text


# --- web: page-type aware ------------------------------------------------------------------


@register("web", "page-type aware: resiliparse main content or the main region, trafilatura for products")
def web(html: str, url: str = "") -> str:
    from corpus.extract.web import extract_web

    return extract_web(html, url)
