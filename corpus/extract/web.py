"""The default extractor for the whole web: articles, forums, products, grids, listings, docs.

Measured on WCXB's seven page types (docs/benchmarks.md, "Extraction"), no single pass serves
them all. resiliparse's main-content heuristic finds an article's body but throws away the item
blocks of a listing or a category grid (link-dense, so it takes them for navigation), and on some
pages finds nothing at all; the full text of the page's main region keeps the items but also an
article's surroundings. So `extract_web` runs both on one parsed tree and keeps one, with three
general mechanisms and no per-site rules:

1. **Two candidates from one parse.** ``main``: resiliparse's main-content text. ``region``: the
   full text of the page's ``<main>`` (or ``role=main``) element when it holds a real part of
   the page's text, else of the whole body, without the page furniture HTML names for what it is
   (``nav``, ``footer``, ``aside``, the ARIA landmarks for navigation, banner and complementary
   content, dialogs, ``aria-hidden``), and with ``<noscript>`` text, which is where some forum
   engines serve the thread to clients without JavaScript. Image alt texts are left out of both:
   they describe pictures, and on real pages they are mostly captions of unrelated teasers.
   The main-content pass also skips share/related/newsletter/cookie/byline blocks and drops
   short furniture lines, as `resiliparse_tuned` does (without its heading rules: headings of a
   guide or a service page are content).
2. **Keep the main-content text when it is a fair part of the region** (`keep_main`); otherwise
   the heuristic cut a list's items or missed the body, and the region is the better text.
3. **Page kind** (`corpus.extract.pagetype`): on a forum thread, replies are content (comment
   sections are kept); on any other page they are not (resiliparse's comment detection, and
   comment/reply containers skipped in the region). A page that declares itself a product goes to
   trafilatura, whose markup rules separate a product's description from the grids of other
   products around it far better than either candidate; products are a tenth of pages, so this
   costs a fraction of running trafilatura everywhere.
"""

from __future__ import annotations

from corpus.extract.pagetype import page_kind
from corpus.text import normalise_text

MIN_MAIN_SHARE = 0.5
"""Main-content words as a share of the ``<main>`` region's below which the region is kept."""
MIN_MAIN_SHARE_OF_BODY = 0.2
"""Without a ``<main>`` element the region is the whole body, chrome and all: the main-content
text is kept if it holds this share of the body's words, or reads as prose (a short article on a
heavy page)."""
MIN_PROSE_WORDS = 20
MIN_MAIN_REGION_SHARE = 0.1
"""A ``<main>`` element holding less of the body's text than this is not the page's main region
(an empty app shell whose content is rendered elsewhere)."""

_GUARD = ":not(html, body, main, article)"
"""Never skip the page or its main region because a theme put a token on it."""
FURNITURE_SELECTORS: tuple[str, ...] = (
    "nav",
    "footer",
    "aside",
    "dialog",
    "body > header",
    "[role=navigation]",
    "[role=banner]",
    "[role=contentinfo]",
    "[role=complementary]",
    "[aria-hidden=true]",
)
MAIN_SKIP_TOKENS = (
    "share",
    "social",
    "related",
    "popular",
    "newsletter",
    "subscribe",
    "cookie",
    "consent",
    "footer",
    "breadcrumb",
    "caption",
    "gallery",
    "promo",
    "banner",
    "credit",
    "byline",
    "author",
)
"""id/class tokens of blocks the main-content pass skips: `resiliparse_tuned`'s list without its
heading tokens ("title", "headline", ``<h1>``, ``<header>``), since headings inside a guide, a
service page or a listing are content."""
MAIN_SKIP_SELECTORS: tuple[str, ...] = tuple(
    f'[{attr}*="{token}" i]{_GUARD}' for token in MAIN_SKIP_TOKENS for attr in ("class", "id")
)
COMMENT_SELECTORS: tuple[str, ...] = tuple(
    f'[{attr}*="{token}" i]{_GUARD}' for token in ("comment", "respond", "disqus") for attr in ("id", "class")
)


def _isolate(node) -> None:  # node: resiliparse DOMNode
    """Remove everything in the body but ``node`` and its ancestors (so their text is not kept)."""
    while node.parent is not None and node.tag != "body":
        for step in ("prev", "next"):
            sibling = getattr(node, step)
            while sibling is not None:
                following = getattr(sibling, step)
                sibling.decompose()
                sibling = following
        node = node.parent


def _restrict_to_main_region(tree) -> bool:
    """Keep only the page's ``<main>`` region, if it has one; whether it had."""
    body = tree.body
    if body is None:
        return False
    main = body.query_selector("main, [role=main]")
    if main is not None and len(main.text) >= MIN_MAIN_REGION_SHARE * len(body.text):
        _isolate(main)
        return True
    return False


_SENTENCE_END = tuple(".!?:…\"'”’)")


def _reads_as_prose(text: str) -> bool:
    """Most lines end like sentences: an article's body, however small a share of its page."""
    lines = text.split("\n")
    if len(text.split()) < MIN_PROSE_WORDS:
        return False
    return 2 * sum(line.endswith(_SENTENCE_END) for line in lines if line) >= sum(1 for line in lines if line)


def keep_main(main: str, region: str, has_main: bool) -> bool:
    """Whether the main-content text, rather than the region's, is the page's text.

    Thresholds chosen on WCXB dev (docs/benchmarks.md); each is a share of words, so no page
    length or language is built in.
    """
    n_main, n_region = len(main.split()), len(region.split())
    if not n_main:
        return False
    if has_main:
        if n_main > n_region:  # the heuristic reached outside <main>: menus or teasers
            return False
        return n_main >= MIN_MAIN_SHARE * n_region
    return n_main >= MIN_MAIN_SHARE_OF_BODY * n_region or _reads_as_prose(main)


def extract_web(html: str, url: str = "") -> str:
    """The page's main text in `corpus.text.normalise_text`'s layout, "" when it has none."""
    from resiliparse.extract.html2text import extract_plain_text

    from corpus.extract.extractors import drop_boilerplate_lines, parse_html, trafilatura_default

    kind = page_kind(html, url)
    if kind == "product":
        text = trafilatura_default(html)
        if text:
            return text
    forum = kind == "forum"
    tree = parse_html(html)
    main = extract_plain_text(
        tree, main_content=True, alt_texts=False, comments=forum, skip_elements=list(MAIN_SKIP_SELECTORS)
    )
    main = drop_boilerplate_lines(normalise_text(main), tree.title or "")
    has_main = _restrict_to_main_region(tree)  # changes the tree: the main-content pass ran first
    skip = FURNITURE_SELECTORS if forum else FURNITURE_SELECTORS + COMMENT_SELECTORS
    region = normalise_text(
        extract_plain_text(tree, alt_texts=False, noscript=True, skip_elements=list(skip))
    )
    return main if keep_main(main, region, has_main) else region or main
