"""What kind of page this is, from what the page says about itself, cheaply.

The extractor treats three kinds apart, because what counts as content differs between them:
on a forum thread the replies *are* the content, where on an article they are the comment
section; a product page's description and specifications sit among grids of other products
that a generic main-content pass cannot tell from it. Everything else is handled alike.

The signals are the ones a site publishes on purpose, so they need no model and no tuning to a
benchmark: schema.org types in JSON-LD or microdata (``DiscussionForumPosting``, ``QAPage``,
``Product``), the Open Graph type (``og:type`` = ``product``), and the URL shapes of the common
forum engines (Discourse ``/t/``, phpBB ``viewtopic.php``, vBulletin and XenForo ``/threads/``,
Reddit and Lemmy ``/comments/`` and ``/post/``, a ``forum.`` or ``community.`` host). A page that
declares nothing is "other", which the extractor treats like an article.
"""

from __future__ import annotations

import re
from typing import Literal

PageKind = Literal["forum", "product", "other"]

HEAD_CHARS = 400_000
"""Look for the declarations in the first 400 KB only: JSON-LD and meta tags sit in <head> or near
the top of <body>, and a regex over a 5 MB page is a cost every page would pay."""

# Each pattern starts with a case-sensitive literal ("@type" is how JSON-LD spells its key), so the
# regex engine skips ahead to it instead of trying every character; only the type names that
# decide something are matched, case-insensitively. Lower-casing the page first would cost more
# than all the searches.
_TYPES = r"(?i:(discussionforumposting|qapage|productgroup|product))\b"
_SCHEMA_TYPE_RES = (
    re.compile(r'"@type"\s*:\s*\[?\s*"' + _TYPES),  # JSON-LD
    re.compile(r"schema\.org/" + _TYPES),  # microdata itemtype
)
_OG_TYPE_RE = re.compile(r"""og:type["']""")
_OG_PRODUCT_RE = re.compile(r"""content\s*=\s*["']\s*product""", re.IGNORECASE)
FORUM_SCHEMA_TYPES = frozenset({"discussionforumposting", "qapage"})
PRODUCT_SCHEMA_TYPES = frozenset({"product", "productgroup"})
_FORUM_URL_RE = re.compile(
    r"""
    ^https?://(?:www\.)?(?:forums?|community|discuss|discussions?|talk|boards?)\.   # forum host
    | ^https?://[^/]*forum[^/]*/                                                    # *forum* host
    | /(?:t|threads?|topics?|forums?|discussions?|comments|post|boards?)/           # engine paths
    | /(?:viewtopic|showthread|showtopic)\.php                                      # phpBB, vBulletin
    """,
    re.IGNORECASE | re.VERBOSE,
)


def page_kind(html: str, url: str = "") -> PageKind:
    """``forum``, ``product`` or ``other``; a declared schema type wins over the URL's shape."""
    head = html[:HEAD_CHARS]
    types = {t.lower() for pattern in _SCHEMA_TYPE_RES for t in pattern.findall(head)}
    if types & FORUM_SCHEMA_TYPES:
        return "forum"
    if types & PRODUCT_SCHEMA_TYPES:
        return "product"
    for og in _OG_TYPE_RE.finditer(head):  # <meta property="og:type" content="product"> either way round
        tag_start, tag_end = head.rfind("<", 0, og.start()), head.find(">", og.end())
        if _OG_PRODUCT_RE.search(head, tag_start, tag_end):
            return "product"
    if url and _FORUM_URL_RE.search(url):
        return "forum"
    return "other"
