"""Packing documents into fixed-length samples, and writing them as one MDS dataset per domain.

Each document is framed (BOS before it and EOS after it, as the tokenizer's config says), the
framed documents are concatenated and cut into samples of exactly ``seq_len`` tokens;
``segments`` numbers the documents inside each sample (0, 0, 1, 1, 1, 2, ...), BOS and EOS
counting as part of the document they frame, so the trainer can keep attention within a
document. Only the last sample of a domain is partial; it is padded with ``pad_id`` and segment
-1. Packing wastes no tokens on padding (Raffel et al. 2020's packing; the segment ids are what
makes it safe).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from common.streaming import mds_writer
from formats.token_shards import PADDING_SEGMENT, TOKEN_COLUMNS

DEFAULT_SHARD_BYTES = 1 << 26


@dataclass
class PackStats:
    documents: int = 0
    tokens: int = 0
    sequences: int = 0
    padding: int = 0


class SequencePacker:
    """Turns a stream of tokenized documents into ``(tokens, segments)`` samples.

    Feed documents in batches (one Parquet shard at a time is natural) as a flat token array
    plus per-document lengths; samples come out as soon as they are full. The packing depends
    only on the order of documents, never on how they were batched.
    """

    def __init__(self, seq_len: int, eos_id: int | None, pad_id: int, bos_id: int | None = None) -> None:
        if seq_len <= 0:
            raise ValueError(f"seq_len must be positive, got {seq_len}")
        if bos_id is None and eos_id is None:
            raise ValueError("a document needs BOS or EOS: packing counts on every document having a token")
        self.seq_len = seq_len
        self.bos_id = bos_id
        self.eos_id = eos_id
        self.pad_id = pad_id
        self.stats = PackStats()
        self._tokens = np.empty(0, dtype=np.int32)
        self._docs = np.empty(0, dtype=np.int64)  # running document number of each buffered token

    def add(self, tokens: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Append documents (``tokens`` flat without BOS/EOS, ``lengths`` per document); return
        the full samples.

        Returns ``(tokens, segments)``, both ``int32`` of shape ``(samples, seq_len)``; zero rows
        when the buffer has not filled a sample yet.
        """
        lengths = np.asarray(lengths, dtype=np.int64)
        tokens = np.asarray(tokens, dtype=np.int32)
        if int(lengths.sum()) != len(tokens):
            raise ValueError(f"lengths sum to {int(lengths.sum())} but {len(tokens)} tokens were given")
        n = len(lengths)
        if n:
            framed, framed_lengths = frame_documents(tokens, lengths, self.bos_id, self.eos_id)
            first = self.stats.documents
            doc_of = np.repeat(np.arange(first, first + n, dtype=np.int64), framed_lengths)
            self.stats.documents += n
            self.stats.tokens += len(framed)
            self._tokens = np.concatenate([self._tokens, framed])
            self._docs = np.concatenate([self._docs, doc_of])
        full = len(self._tokens) // self.seq_len
        cut = full * self.seq_len
        out_tokens = self._tokens[:cut].reshape(full, self.seq_len).copy()
        docs = self._docs[:cut].reshape(full, self.seq_len)
        # Every document holds at least its BOS or EOS, so document numbers inside a sample are
        # consecutive and subtracting the first gives 0, 1, 2, ...
        out_segments = (docs - docs[:, :1]).astype(np.int32)
        self._tokens, self._docs = self._tokens[cut:], self._docs[cut:]
        self.stats.sequences += full
        return out_tokens, out_segments

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        """The last sample, padded with ``pad_id`` and segment -1 (zero rows if nothing is left)."""
        left = len(self._tokens)
        if not left:
            return np.empty((0, self.seq_len), np.int32), np.empty((0, self.seq_len), np.int32)
        tokens = np.full((1, self.seq_len), self.pad_id, dtype=np.int32)
        segments = np.full((1, self.seq_len), PADDING_SEGMENT, dtype=np.int32)
        tokens[0, :left] = self._tokens
        segments[0, :left] = self._docs - self._docs[0]
        self.stats.padding += self.seq_len - left
        self.stats.sequences += 1
        self._tokens = np.empty(0, dtype=np.int32)
        self._docs = np.empty(0, dtype=np.int64)
        return tokens, segments


def frame_documents(
    tokens: np.ndarray, lengths: np.ndarray, bos_id: int | None, eos_id: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """``[bos] ids [eos]`` per document, in one new array; returns it and the framed lengths."""
    extra = (bos_id is not None) + (eos_id is not None)
    framed_lengths = lengths + extra
    framed = np.empty(len(tokens) + extra * len(lengths), dtype=np.int32)
    starts = np.cumsum(framed_lengths) - framed_lengths
    if bos_id is not None:
        framed[starts] = bos_id
    if eos_id is not None:
        framed[starts + framed_lengths - 1] = eos_id
    # document k's ids move right by the specials of the documents before it, plus its own BOS
    shift = np.arange(len(lengths), dtype=np.int64) * extra + (bos_id is not None)
    framed[np.arange(len(tokens)) + np.repeat(shift, lengths)] = tokens
    return framed, framed_lengths


def write_domain(
    out_dir: str | Path,
    batches: Iterable[tuple[np.ndarray, np.ndarray]],
    seq_len: int,
    eos_id: int | None,
    pad_id: int,
    shard_bytes: int = DEFAULT_SHARD_BYTES,
    *,
    bos_id: int | None = None,
) -> PackStats:
    """Pack ``(tokens, lengths)`` batches (documents without BOS/EOS) into an MDS dataset at
    ``out_dir`` (must not exist), framing each document with ``bos_id`` and ``eos_id``."""
    packer = SequencePacker(seq_len, eos_id, pad_id, bos_id)
    with mds_writer()(out=str(out_dir), columns=TOKEN_COLUMNS, compression=None, size_limit=shard_bytes) as w:
        for tokens, lengths in batches:
            _write_rows(w, *packer.add(tokens, lengths))
        _write_rows(w, *packer.finish())
    return packer.stats


def _write_rows(writer: Any, tokens: np.ndarray, segments: np.ndarray) -> None:
    for row_tokens, row_segments in zip(tokens, segments, strict=True):
        writer.write({"tokens": row_tokens, "segments": row_segments})
