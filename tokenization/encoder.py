"""Documents to SentencePiece ids in numpy: the unit of work of `tokenization.encode`'s workers.

Kept free of mosaicml-streaming (and so of torch) so that worker processes start quickly; each
worker loads the model once and returns a shard as one flat ``int32`` array plus per-document
lengths, which pickle cheaply back to the parent.

Speed comes from encoding each distinct word once. SentencePiece's BPE only merges pieces found
in its vocabulary, and no piece of a model trained with whitespace splitting holds a character
followed by the whitespace mark ``▁`` (words start at ``▁``, runs of ``▁`` may lead a word). So a
document cut just before each space that follows a non-space encodes to the concatenation of its
parts' encodings, and each part is looked up in a cache instead of being merged again. Whether a
model has that property is checked when it is loaded (its pieces, and its normaliser on probe
strings); a model without it is encoded document by document. The ids are the same either way;
tests compare them with SentencePiece's own encoding of whole documents.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import sentencepiece as spm

from tokenization.model_files import load_processor
from tokenization.sources import ParquetShard, iter_text_batches

SPACE, MARK = " ", "\u2581"
_WORD_START = re.compile(r"(?<=[^ \u2581])[ \u2581]")
"""A space (or ``▁``, the same after normalisation) after a non-space: where parts are cut."""
_NORMALISER_PROBES = ("a b", "  lead", "trail  ", "x\t\ny", "\u2581z", "ﬁ ① Å ｆ", "A\u0301")
"""Identity normalisation with a dummy prefix maps each to ``▁`` + the text with spaces as ``▁``;
NFKC would fold the ligature, circled digit and full-width letter, and compose the accent."""


def cacheable(sp: spm.SentencePieceProcessor) -> bool:
    """Whether documents of this model may be encoded part by part (see the module docstring)."""
    for text in _NORMALISER_PROBES:
        if sp.normalize(text) != MARK + text.replace(SPACE, MARK):
            return False
    for i in range(sp.get_piece_size()):
        if sp.is_control(i) or sp.is_unknown(i) or sp.is_byte(i):
            continue  # never produced by merging text
        piece = sp.id_to_piece(i)
        if re.search(r"[^\u2581]\u2581", piece):
            return False
    return True


class TokenBuffer:
    """A growing ``int32`` array: the ids of a shard are written into it, never into lists."""

    def __init__(self, capacity: int = 1 << 16) -> None:
        self._data = np.empty(max(capacity, 16), dtype=np.int32)
        self.size = 0

    def reserve(self, n: int) -> np.ndarray:
        """The next ``n`` slots, to be filled by the caller."""
        end = self.size + n
        if end > len(self._data):
            grown = np.empty(max(end, 2 * len(self._data)), dtype=np.int32)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        out = self._data[self.size : end]
        self.size = end
        return out

    def array(self) -> np.ndarray:
        return self._data[: self.size]


class PartCache:
    """Ids of document parts (the text after a space, see `split_parts`), bounded in size.

    A part's ids are SentencePiece's encoding of it with its dummy prefix, which is exactly the
    encoding of " " + part inside a document. When the cache outgrows its bounds it starts over
    with only the parts of the batch at hand (the frequent words are in every batch), so memory
    stays fixed however large the corpus; what is cached changes speed, never ids.
    """

    def __init__(self, sp: spm.SentencePieceProcessor, max_parts: int = 1 << 18, max_ids: int = 1 << 22):
        self.sp = sp
        self.max_parts, self.max_ids = max_parts, max_ids
        # A trailing single space is the part "": the ids of a lone final "▁", as SentencePiece
        # encodes it at the end of a document (parts never interact, so "a " = "a" + "▁").
        self._space = np.array(sp.encode("a ")[len(sp.encode("a")) :], dtype=np.int32)
        self.clear()

    def clear(self) -> None:
        self._slot: dict[str, int] = {}
        self._starts = np.empty(1 << 12, dtype=np.int64)
        self._lengths = np.empty(1 << 12, dtype=np.int64)
        self._ids = TokenBuffer(1 << 16)
        self._add([""], np.array([len(self._space)]), self._space)

    def __len__(self) -> int:
        return len(self._slot)

    def lookup(self, parts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ids table, start and length in it of each part); encodes the parts not yet cached."""
        unique = set(parts)
        missing = unique.difference(self._slot)
        if missing and (len(self._slot) + len(missing) > self.max_parts or self._ids.size > self.max_ids):
            self._start_over(list(unique.difference(missing).difference([""])))
        if missing:
            new = list(missing)
            encoded = self.sp.encode(new, num_threads=1)
            lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(new))
            flat = np.fromiter(
                itertools.chain.from_iterable(encoded), dtype=np.int32, count=int(lengths.sum())
            )
            self._add(new, lengths, flat)
        slots = np.fromiter(map(self._slot.__getitem__, parts), dtype=np.int64, count=len(parts))
        return self._ids.array(), self._starts[slots], self._lengths[slots]

    def _start_over(self, kept: list[str]) -> None:
        """Empty the cache but for ``kept``, whose ids move to the new table."""
        slots = np.fromiter(map(self._slot.__getitem__, kept), dtype=np.int64, count=len(kept))
        ids = _gather(self._ids.array(), self._starts[slots], self._lengths[slots])
        lengths = self._lengths[slots]
        self.clear()
        self._add(kept, lengths, ids)

    def _add(self, parts: list[str], lengths: np.ndarray, flat: np.ndarray) -> None:
        first, n = len(self._slot), len(parts)
        if first + n > len(self._starts):
            size = max(first + n, 2 * len(self._starts))
            self._starts = np.resize(self._starts, size)
            self._lengths = np.resize(self._lengths, size)
        self._starts[first : first + n] = self._ids.size + np.cumsum(lengths) - lengths
        self._lengths[first : first + n] = lengths
        self._ids.reserve(len(flat))[:] = flat
        self._slot.update(zip(parts, range(first, first + n), strict=True))


def _gather(
    table: np.ndarray, starts: np.ndarray, lengths: np.ndarray, out: np.ndarray | None = None
) -> np.ndarray:
    """``table[starts[k]:starts[k] + lengths[k]]`` for every k, back to back (into ``out``)."""
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    return np.take(table, np.repeat(starts - (ends - lengths), lengths) + np.arange(total), out=out)


def split_parts(text: str) -> list[str]:
    """``text`` cut before each space that follows a non-space, that space dropped.

    The first part keeps any leading spaces; every part encodes as SentencePiece encodes it
    inside the document. Most documents have single spaces only, and ``str.split`` cuts them the
    same way faster.
    """
    if not text:
        return []
    if "  " in text or MARK in text or text[0] == SPACE:
        return _WORD_START.split(text)
    return text.split(SPACE)


class DocumentEncoder:
    """Whole documents to ids, written into a `TokenBuffer` (no BOS/EOS: the packer frames)."""

    def __init__(self, model: bytes) -> None:
        self.sp = load_processor(model)
        self.cache = PartCache(self.sp) if cacheable(self.sp) else None

    def encode_into(self, texts: list[str], out: TokenBuffer) -> np.ndarray:
        """Append the ids of ``texts`` to ``out``; returns each document's length (int64)."""
        if self.cache is None:
            return self._whole_documents(texts, out)
        parts: list[str] = []
        per_doc = np.empty(len(texts), dtype=np.int64)
        for j, text in enumerate(texts):
            cut = split_parts(text)
            per_doc[j] = len(cut)
            parts += cut
        table, starts, lengths = self.cache.lookup(parts)
        _gather(table, starts, lengths, out=out.reserve(int(lengths.sum())))
        last_part = np.cumsum(per_doc)
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        return bounds[last_part] - bounds[last_part - per_doc]

    def _whole_documents(self, texts: list[str], out: TokenBuffer) -> np.ndarray:
        encoded = self.sp.encode(texts, num_threads=1)
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        dest = out.reserve(int(lengths.sum()))
        pos = 0
        for ids in encoded:
            dest[pos : pos + len(ids)] = ids
            pos += len(ids)
        return lengths

    def encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Flat ids and per-document lengths of ``texts``."""
        out = TokenBuffer(sum(map(len, texts)) // 3 + 16)
        lengths = self.encode_into(texts, out)
        return out.array(), lengths


class ShardEncoder(Protocol):
    """What a worker encodes with: `DocumentEncoder`, or a peer in bench/tokenizer_speed.py."""

    def encode_into(self, texts: list[str], out: TokenBuffer) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class EncodedShard:
    path: Path
    domain: str
    tokens: np.ndarray  # int32, every document's ids back to back (no BOS/EOS: the packer adds them)
    lengths: np.ndarray  # int64, ids per document, in file order
    chars: int


_ENCODER: ShardEncoder | None = None


def init_worker(make_encoder: Callable[[], ShardEncoder]) -> None:
    """Pool initializer: one encoder (and its cache) per worker process."""
    global _ENCODER
    _ENCODER = make_encoder()


def encode_shard(shard: ParquetShard, encoder: ShardEncoder | None = None) -> EncodedShard:
    """Every document of ``shard`` in file order (``encoder`` defaults to the worker's)."""
    encoder = encoder or _ENCODER
    if encoder is None:
        raise RuntimeError("encode_shard called in a process without a tokenizer (init_worker not run)")
    # fewer ids than compressed Parquet bytes in web text; the buffer grows if a shard needs more
    out = TokenBuffer(shard.path.stat().st_size + 1024)
    lens, chars = [], 0
    for texts in iter_text_batches(shard):
        lens.append(encoder.encode_into(texts, out))
        chars += sum(map(len, texts))
    lengths = np.concatenate(lens) if lens else np.empty(0, np.int64)
    return EncodedShard(shard.path, shard.domain, out.array(), lengths, chars)
