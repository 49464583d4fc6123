"""MinHash signatures for a batch of documents, LSH band keys, and the LSH parameter maths.

The hash family is datasketch's (2.0 default, ``scheme="affine32"``): each 32-bit shingle hash
is pre-mixed by the MurmurHash3 finaliser, then permutation ``k`` is ``a_k * h + b_k`` mod 2**32
with ``a_k`` odd, both drawn by datasketch from ``RandomState(seed)``. A signature here is
therefore bit-for-bit the ``hashvalues`` of a ``datasketch.MinHash(num_perm, seed,
hashfunc=shingle_hash)`` fed the same shingles, which is how the tests check it.

What differs is speed: datasketch hashes one shingle at a time in Python; `MinHasher` hashes a
batch of documents in numpy (`corpus.dedup.shingling.shingle_hashes`), then applies all
permutations to a block of shingles as one ``(num_perm, block)`` product and takes each
document's minimum with ``np.minimum.reduceat`` along the contiguous axis. Blocks of a few
thousand shingles keep the working set in cache; the permutation-major layout makes the
reduction run over contiguous memory, and blocks of at least numpy's ufunc buffer size (8,192)
avoid its buffering. The measurements behind both are in docs/benchmarks.md (Dedup).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

from corpus.dedup.shingling import SCRATCH, shingle_hashes

EMPTY = np.uint32(0xFFFFFFFF)
"""Every value of the signature of a document without shingles (no real shingle reaches it in
all permutations: the chance is 2**-32 per permutation)."""

_SIG_DTYPE = np.dtype("<u4")  # fixed byte order, so band keys and serialised signatures agree everywhere


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (datasketch's ``_fmix`` for width 32), in place."""
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def datasketch_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` of datasketch's affine32 scheme for this ``num_perm`` and ``seed``.

    Drawn here as datasketch 2.0 draws them (``MinHash._init_permutations``: odd ``a`` below
    2**32, then ``b``, from one ``RandomState(seed)``) rather than by building a datasketch
    ``MinHash``: importing datasketch is a start-up cost every Beam worker process would pay
    (docs/benchmarks.md, Scaling). The tests check the signatures against datasketch's own.
    """
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


class MinHasher:
    """Signatures of ``num_perm = bands * rows`` permutations over word ``shingle_size``-grams.

    Give either ``num_perm`` or ``bands`` and ``rows`` (``band_keys`` needs the latter).
    Instances hold only small arrays and pickle cheaply (about 1 KB), so a Beam DoFn can carry one.
    """

    def __init__(
        self,
        num_perm: int | None = None,
        *,
        bands: int | None = None,
        rows: int | None = None,
        shingle_size: int = 5,
        seed: int = 1,
        block: int = 8192,
    ) -> None:
        if (bands is None) != (rows is None):
            raise ValueError("give both bands and rows, or neither")
        if bands is not None and rows is not None:
            if bands < 1 or rows < 1:
                raise ValueError(f"bands and rows must be positive, got {bands} x {rows}")
            if num_perm is not None and num_perm != bands * rows:
                raise ValueError(f"num_perm={num_perm} is not bands x rows = {bands} x {rows}")
            num_perm = bands * rows
        if num_perm is None or num_perm < 1:
            raise ValueError(f"num_perm must be positive, got {num_perm}")
        if shingle_size < 1:
            raise ValueError(f"shingle_size must be positive, got {shingle_size}")
        self.num_perm = num_perm
        self.bands = bands
        self.rows = rows
        self.shingle_size = shingle_size
        self.seed = seed
        self.block = block
        a, b = datasketch_permutations(num_perm, seed)
        self._a = a[:, None].copy()
        self._b = b[:, None].copy()

    @classmethod
    def from_config(cls, config) -> MinHasher:
        """From a `corpus.config.MinHashConfig` (bands and rows resolved for its threshold)."""
        bands, rows = config.lsh_params()
        return cls(bands=bands, rows=rows, shingle_size=config.shingle_size, seed=config.seed)

    def signatures(self, texts: Sequence[str]) -> np.ndarray:
        """``uint32[len(texts), num_perm]``; a text without words gets a row of `EMPTY`."""
        return self.signatures_and_shingles(texts)[0]

    def signatures_and_shingles(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Signatures, plus the shingle hashes and offsets they came from (`shingle_hashes`),
        for callers that also need the exact shingle sets (verification of candidates)."""
        hashes, offsets = shingle_hashes(texts, self.shingle_size)
        return self.signatures_from_hashes(hashes, offsets), hashes, offsets

    def signatures_from_hashes(self, hashes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """Signatures from 32-bit shingle hashes laid out as `shingle_hashes` returns them."""
        hashes = _fmix32(np.array(hashes, dtype=np.uint32))
        offsets = np.asarray(offsets, dtype=np.int64)
        n_docs = offsets.size - 1
        out = np.full((self.num_perm, n_docs), EMPTY, dtype=np.uint32)
        (nonempty,) = np.nonzero(np.diff(offsets) > 0)
        starts = offsets[nonempty]
        total = hashes.size
        block = self.block
        width = min(block, max(total, 1))
        buf = SCRATCH.get("permuted", self.num_perm * width, np.uint32).reshape(self.num_perm, width)
        for lo in range(0, total, block):
            hi = min(total, lo + block)
            values = buf[:, : hi - lo]
            np.multiply(self._a, hashes[None, lo:hi], out=values)
            values += self._b
            # The document holding shingle `lo`, then those starting inside the block.
            first = int(np.searchsorted(starts, lo, side="right")) - 1
            last = int(np.searchsorted(starts, hi, side="left"))
            cuts = np.empty(last - first, dtype=np.int64)
            cuts[0] = 0
            cuts[1:] = starts[first + 1 : last] - lo
            mins = np.minimum.reduceat(values, cuts, axis=1)
            head = nonempty[first]
            np.minimum(out[:, head], mins[:, 0], out=out[:, head])
            out[:, nonempty[first + 1 : last]] = mins[:, 1:]
        return np.ascontiguousarray(out.T)

    def band_keys(self, signature_row: np.ndarray) -> list[bytes]:
        """One key per band: the band index (2 bytes) and its rows' values; [] for no shingles.

        Two documents share a key exactly when they agree on every row of that band, so keys
        compare whole bands (no hash of the band that could collide).
        """
        if self.bands is None or self.rows is None:
            raise ValueError("band_keys needs a MinHasher built with bands and rows")
        return band_keys(signature_row, self.bands, self.rows)


def band_keys(signature_row: np.ndarray, bands: int, rows: int) -> list[bytes]:
    """LSH keys of one signature (see `MinHasher.band_keys`); only the first bands*rows values."""
    row = np.asarray(signature_row)
    if row.size < bands * rows:
        raise ValueError(f"signature has {row.size} values, {bands} bands x {rows} rows need more")
    if is_empty(row):
        return []
    raw = row[: bands * rows].astype(_SIG_DTYPE, copy=False).tobytes()
    width = 4 * rows
    return [struct.pack(">H", i) + raw[i * width : (i + 1) * width] for i in range(bands)]


def is_empty(signature_row: np.ndarray) -> bool:
    """True for the signature of a document without shingles."""
    return bool(np.all(np.asarray(signature_row) == EMPTY))


def jaccard_estimate(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of permutations whose minima agree: the unbiased MinHash estimate of Jaccard.

    0.0 when either document has no shingles (two empty sets are not near-duplicates here).
    """
    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"signatures of different lengths: {a.shape} and {b.shape}")
    if is_empty(a) or is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / a.size


def shingle_set(hashes: np.ndarray) -> np.ndarray:
    """The sorted distinct shingle hashes of one document: its shingle set for exact Jaccard."""
    return np.unique(np.asarray(hashes, dtype=np.uint32))


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two `shingle_set` arrays (0.0 when either is empty).

    Over 32-bit shingle hashes rather than the shingles themselves: two distinct shingles of a
    pair of 1,000-shingle documents share a hash with probability about 2e-4, which moves the
    similarity by at most one shingle.
    """
    if a.size == 0 or b.size == 0:
        return 0.0
    both = np.intersect1d(a, b, assume_unique=True).size
    return both / (a.size + b.size - both)


def signature_to_bytes(signature_row: np.ndarray) -> bytes:
    return np.asarray(signature_row).astype(_SIG_DTYPE, copy=False).tobytes()


def signature_from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=_SIG_DTYPE).astype(np.uint32)


def collision_probability(similarity: float, bands: int, rows: int) -> float:
    """Chance that two documents of this Jaccard similarity share at least one band (S-curve)."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def optimal_lsh_params(
    threshold: float, num_perm: int, false_positive_weight: float = 0.5, false_negative_weight: float = 0.5
) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows <= num_perm`` minimising datasketch's weighted error.

    datasketch (`datasketch.lsh._optimal_param`) integrates the S-curve below the threshold
    (false positives) and above it (false negatives) for every split of ``num_perm``.
    """
    from datasketch.lsh import _optimal_param

    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold}")
    return tuple(_optimal_param(threshold, num_perm, false_positive_weight, false_negative_weight))


VERIFY_MODES = ("exact", "signature", "none")


def verification_payload(mode: str, signature_row: np.ndarray, hashes: np.ndarray) -> bytes:
    """What a document carries to the verification of its candidate pairs, as bytes."""
    if mode == "exact":
        return shingle_set(hashes).astype(_SIG_DTYPE).tobytes()
    if mode == "signature":
        return signature_to_bytes(signature_row)
    raise ValueError(f"verify mode {mode!r} carries no payload (known: {', '.join(VERIFY_MODES)})")


def payload_similarity(mode: str, a: bytes, b: bytes) -> float:
    """Jaccard of two documents from their `verification_payload` bytes."""
    if mode == "exact":
        return exact_jaccard(signature_from_bytes(a), signature_from_bytes(b))
    if mode == "signature":
        return jaccard_estimate(signature_from_bytes(a), signature_from_bytes(b))
    raise ValueError(f"verify mode {mode!r} has no similarity (known: {', '.join(VERIFY_MODES)})")
