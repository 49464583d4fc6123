"""Normalised text and its hash for exact deduplication.

Two pages are exact duplicates when they are the same text up to what a crawl varies without
changing content: Unicode compatibility forms, letter case, punctuation and symbols, digits
(dates, counters, "page 3 of 10", prices in boilerplate) and whitespace. This is CCNet's
normalisation for its hash dedup (Wenzek et al. 2020: lower case, digits to 0, punctuation
removed), with NFKC in place of accent stripping: accents distinguish words in most languages,
while NFKC only folds encodings of the same character (full-width forms, ligatures, ``ﬁ``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import xxhash

# Runs of non-ASCII characters: the only places where the slow per-character table is needed.
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")
_ASCII_DIGITS_TO_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)


class _UnicodeTable(dict):
    """``str.translate`` table: punctuation and symbols (categories P*, S*) removed, decimal
    digits mapped to ``0``, every other character kept.

    Filled per character on first sight (``__missing__``) rather than over all 1.1 M code points
    up front, a start-up cost every process that normalised a page paid, every Beam worker
    included (docs/benchmarks.md, Scaling), while a crawl's pages use a few thousand characters.
    """

    def __missing__(self, cp: int) -> str | None:
        category = unicodedata.category(chr(cp))
        value = None if category[0] in "PS" else "0" if category == "Nd" else chr(cp)
        self[cp] = value
        return value


_TABLE = _UnicodeTable()


@cache
def _ascii_deletions() -> bytes:
    return bytes(cp for cp in range(128) if _TABLE[cp] is None)


def normalize_for_exact(text: str) -> str:
    """NFKC, case-folded, punctuation and symbols removed, digits as ``0``, whitespace collapsed.

    ASCII bytes go through one ``bytes.translate`` (about 1 ns per byte); only runs of non-ASCII
    characters pay for the Unicode table, which keeps English web text at tens of microseconds
    per page.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    raw = text.encode("utf-8", "surrogatepass").translate(_ASCII_DIGITS_TO_ZERO, _ascii_deletions())
    text = raw.decode("utf-8", "surrogatepass")
    if not text.isascii():
        text = _NON_ASCII_RE.sub(lambda m: m.group(0).translate(_TABLE), text)
    return " ".join(text.split())


def exact_hash(text: str) -> bytes:
    """128-bit xxh3 digest of the normalised text: the key that groups exact duplicates.

    128 bits keep the chance of any false merge negligible at web scale (about 1e-20 for 1e9
    documents; 64 bits would give a few percent). A text that normalises to nothing (only
    punctuation, symbols or whitespace) is hashed in its NFKC, whitespace-collapsed form instead,
    so unrelated symbol-only pages are not all merged into one group.
    """
    normalized = normalize_for_exact(text)
    if not normalized:
        normalized = "\x00" + " ".join(unicodedata.normalize("NFKC", text).split())
    return xxhash.xxh3_128_digest(normalized.encode("utf-8", "surrogatepass"))
