"""Word shingles for MinHash, and their hashes computed for a whole batch of documents at once.

The words are FineWeb's (DataTrove's ``simplify_text`` before ``ngrams``, Penedo et al. 2024):
lower case, punctuation removed, digits normalised (here every ASCII digit becomes ``0``), then
word n-grams (5 by default). Words are what lies between whitespace once ASCII punctuation and
control characters, Latin-1 punctuation (U+00A0-U+00BF: no-break space, guillemets, ``¿``),
General Punctuation (U+2000-U+206F: curly quotes, dashes, ellipsis, zero-width spaces) and CJK
punctuation (U+3000-U+303F) have become spaces. Other scripts' characters, accents included, are
word characters. Scripts written without spaces (Chinese, Japanese, Thai) therefore give whole
phrases as words; the cleaning chain keeps English by default, and a character n-gram variant is
the way to extend this.

Two implementations of the same definition live here:

- `shingle_words`, `shingles`, `shingle_hash`: plain Python on one text, the readable reference
  the tests compare against;
- `shingle_hashes`: numpy over a batch, with no Python loop over words. The batch's UTF-8 bytes
  go through one ``bytes.translate``; word boundaries come from a byte mask; each word's
  polynomial hash comes from one prefix sum over the batch (``sum(byte_i * P**i)`` mod 2**64,
  shifted to the word start by the modular inverse of ``P``); an n-gram's hash is a fixed linear
  combination of its words' hashes, mixed by the MurmurHash3 finaliser.

A document with fewer words than the shingle size has one shingle of all its words (so two
such short documents match only when their words are equal); a document with no words has no
shingles and never becomes a near-duplicate candidate.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

MASK64 = (1 << 64) - 1
# Odd multiplier of the per-word polynomial hash (FNV-1a's 64-bit prime) and its inverse mod 2^64.
_P = 0x100000001B3
_P_INV = pow(_P, -1, 1 << 64)
# Position weights of the words in an n-gram: odd 64-bit constants (splitmix64 / xxh64 / murmur3),
# then a splitmix64 sequence for longer shingles. Different weights per position make the hash
# depend on word order.
_BASE_WEIGHTS = (
    0x9E3779B97F4A7C15,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD,
)
# UTF-8 prefixes of the non-ASCII punctuation blocks that separate words (see the module doc).
_PUNCT_RANGES = ((0x00A0, 0x00BF), (0x2000, 0x206F), (0x3000, 0x303F))


def _weights(n: int) -> list[int]:
    out = list(_BASE_WEIGHTS[:n])
    state = _BASE_WEIGHTS[-1]
    while len(out) < n:
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        out.append(_fmix64_int(state) | 1)
    return out


def _fmix64_int(h: int) -> int:
    """MurmurHash3's 64-bit finaliser on a Python int (the scalar twin of `_fmix64`)."""
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & MASK64
    return h ^ (h >> 33)


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, in place on a uint64 array (wrap-around is the modulo)."""
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    h ^= h >> np.uint64(33)
    return h


# ---------------------------------------------------------------------------------------------
# The reference: one text, plain Python.


def _str_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(128):
        ch = chr(cp)
        if ch.isdigit():
            table[cp] = "0"
        elif not ch.isalnum():
            table[cp] = " "
    for lo, hi in _PUNCT_RANGES:
        for cp in range(lo, hi + 1):
            table[cp] = " "
    return table


_STR_TABLE = _str_table()


def shingle_words(text: str) -> list[str]:
    """The normalised words a document's shingles are made of (see the module doc)."""
    return [w for w in text.lower().translate(_STR_TABLE).split(" ") if w]


def shingles(text: str, size: int = 5) -> list[str]:
    """Word ``size``-grams, each as its words joined by one space, in document order.

    Repeated n-grams are repeated here; MinHash treats them as a set.
    """
    if size < 1:
        raise ValueError(f"shingle size must be positive, got {size}")
    words = shingle_words(text)
    if len(words) >= size:
        return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    return [" ".join(words)] if words else []


def word_hash(word: str) -> int:
    """64-bit hash of one normalised word: polynomial over its UTF-8 bytes, then fmix64."""
    h = 0
    power = 1
    for byte in word.encode("utf-8", "surrogatepass"):
        h = (h + byte * power) & MASK64
        power = (power * _P) & MASK64
    return _fmix64_int(h)


def shingle_hash(shingle: str) -> int:
    """32-bit hash of one shingle as `shingles` writes it; equals `shingle_hashes` bit for bit."""
    words = shingle.split(" ")
    weights = _weights(len(words))
    s = 0
    for weight, word in zip(weights, words, strict=True):
        s = (s + weight * word_hash(word)) & MASK64
    return _fmix64_int(s) >> 32


# ---------------------------------------------------------------------------------------------
# The batch version: numpy over the concatenated bytes of many documents.


def _byte_table() -> bytes:
    """ASCII: digits -> '0', letters kept (lower-cased), everything else -> space; others kept."""
    table = bytearray(range(256))
    for cp in range(128):
        ch = chr(cp)
        if ch.isdigit():
            table[cp] = ord("0")
        elif ch.isalpha():
            table[cp] = ord(ch.lower())
        else:
            table[cp] = 0x20
    return bytes(table)


_BYTE_TABLE = _byte_table()


class _Powers:
    """``P**i`` and ``P**-i`` mod 2**64 for i up to the largest chunk seen, grown by doubling.

    Shared by all threads: the pair is replaced as one tuple, so a reader never sees halves of
    two different sizes.
    """

    def __init__(self) -> None:
        self.tables = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))

    def get(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        tables = self.tables
        if tables[0].size <= n:
            size = max(n + 1, 2 * tables[0].size, 1 << 16)
            up = np.full(size, _P, dtype=np.uint64)
            down = np.full(size, _P_INV, dtype=np.uint64)
            up[0] = down[0] = 1
            np.multiply.accumulate(up, out=up)
            np.multiply.accumulate(down, out=down)
            tables = self.tables = (up, down)
        return tables


_POWERS = _Powers()


class _Scratch(threading.local):
    """Per-thread reusable buffers for the per-byte temporaries.

    Fresh numpy arrays of a few MB are mmap'ed and page-faulted on every call; reusing them, and
    keeping chunks small enough to stay in cache, avoids that (docs/benchmarks.md, Dedup).
    """

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def get(self, name: str, size: int, dtype: type) -> np.ndarray:
        arr = self.arrays.get(name)
        if arr is None or arr.size < size:
            arr = np.empty(max(size, 2 * (0 if arr is None else arr.size), 1 << 12), dtype=dtype)
            self.arrays[name] = arr
        return arr[:size]


SCRATCH = _Scratch()
CHUNK_CHARS = 1 << 17
"""Texts are shingled in chunks of about this many characters (one text may exceed it)."""


def _blank_unicode_punctuation(b: np.ndarray) -> np.ndarray:
    """Turn the UTF-8 sequences of `_PUNCT_RANGES` into spaces (returns a writable copy)."""
    b = b.copy()
    lead, second = b[:-1], b[1:]
    # U+00A0-U+00BF: C2 A0..BF
    (i,) = np.nonzero((lead == 0xC2) & (second >= 0xA0) & (second <= 0xBF))
    b[i] = 0x20
    b[i + 1] = 0x20
    if b.size >= 3:
        lead, second, third = b[:-2], b[1:-1], b[2:]
        # U+2000-U+206F: E2 80 80..BF, E2 81 80..AF; U+3000-U+303F: E3 80 80..BF
        general = (lead == 0xE2) & ((second == 0x80) | ((second == 0x81) & (third <= 0xAF)))
        cjk = (lead == 0xE3) & (second == 0x80)
        (i,) = np.nonzero(general | cjk)
        b[i] = 0x20
        b[i + 1] = 0x20
        b[i + 2] = 0x20
    return b


def _word_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every word of every text, and the number of words per text."""
    encoded = [t.lower().encode("utf-8", "surrogatepass") for t in texts]
    # One space between documents, so no word spans two of them.
    joined = b" ".join(encoded).translate(_BYTE_TABLE)
    doc_starts = np.zeros(len(encoded), dtype=np.int64)
    if len(encoded) > 1:
        np.cumsum([len(e) + 1 for e in encoded[:-1]], out=doc_starts[1:])
    b = np.frombuffer(joined, dtype=np.uint8)
    if not joined.isascii():
        b = _blank_unicode_punctuation(b)
    n = b.size
    # Word starts and ends alternate among the positions where the word mask changes.
    is_word = SCRATCH.get("is_word", n + 2, np.bool_)
    is_word[0] = is_word[-1] = False
    np.greater(b, 0x20, out=is_word[1:-1])
    changed = SCRATCH.get("changed", n + 1, np.bool_)
    np.not_equal(is_word[1:], is_word[:-1], out=changed)
    changes = np.flatnonzero(changed)
    starts = changes[0::2]
    ends = changes[1::2]
    up, down = _POWERS.get(n)
    prefix = SCRATCH.get("prefix", n + 1, np.uint64)
    prefix[0] = 0
    np.multiply(b, up[:n], out=prefix[1:])
    np.cumsum(prefix[1:], out=prefix[1:])
    words = prefix[ends] - prefix[starts]
    words *= down[starts]
    _fmix64(words)
    word_counts = np.diff(np.searchsorted(starts, doc_starts), append=starts.size)
    return words, word_counts


def shingle_hashes(texts: Sequence[str], size: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of every shingle of every text, as one flat array plus row offsets.

    Returns ``(hashes, offsets)``: the shingles of ``texts[d]`` are
    ``hashes[offsets[d]:offsets[d + 1]]`` in document order, equal to
    ``[shingle_hash(s) for s in shingles(texts[d], size)]``.
    """
    if size < 1:
        raise ValueError(f"shingle size must be positive, got {size}")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}]: expected str, got {type(text).__name__}")
    if not texts:
        return np.empty(0, dtype=np.uint32), np.zeros(1, dtype=np.int64)
    parts: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    lo = 0
    while lo < len(texts):
        hi, chars = lo, 0
        while hi < len(texts) and (hi == lo or chars + len(texts[hi]) <= CHUNK_CHARS):
            chars += len(texts[hi])
            hi += 1
        hashes, offsets = _chunk_shingle_hashes(texts[lo:hi], size)
        parts.append(hashes)
        counts.append(np.diff(offsets))
        lo = hi
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.concatenate(counts), out=offsets[1:])
    return np.concatenate(parts), offsets


def _chunk_shingle_hashes(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    n_docs = len(texts)
    offsets = np.zeros(n_docs + 1, dtype=np.int64)
    words, counts = _word_hashes(texts)
    # Lay the words out with size-1 zeros after each document: a window never crosses into the
    # next document, and a short document's single window sums only its own words.
    pad = size - 1
    first_word = np.zeros(n_docs, dtype=np.int64)
    np.cumsum(counts[:-1], out=first_word[1:])
    padded_start = first_word + pad * np.arange(n_docs)
    padded = SCRATCH.get("padded", words.size + pad * n_docs + pad, np.uint64)
    padded[:] = 0
    padded[np.repeat(padded_start - first_word, counts) + np.arange(words.size)] = words
    n_windows = np.where(counts >= size, counts - size + 1, (counts > 0).astype(np.int64))
    np.cumsum(n_windows, out=offsets[1:])
    # Every window of the padded layout by contiguous slices, then keep the valid ones.
    span = padded.size - pad
    weights = _weights(size)
    acc = SCRATCH.get("acc", span, np.uint64)
    term = SCRATCH.get("term", span, np.uint64)
    np.multiply(padded[:span], np.uint64(weights[0]), out=acc)
    for j in range(1, size):
        np.multiply(padded[j : j + span], np.uint64(weights[j]), out=term)
        acc += term
    window = np.repeat(padded_start - offsets[:-1], n_windows) + np.arange(offsets[-1])
    kept = acc[window]
    _fmix64(kept)
    return (kept >> np.uint64(32)).astype(np.uint32), offsets
