"""Packing documents into fixed-length samples, and writing them as one MDS dataset per domain.

Documents are concatenated, each followed by EOS, and cut into samples of exactly ``seq_len``
tokens; ``segments`` numbers the documents inside each sample (0, 0, 1, 1, 1, 2, ...) so the
trainer can keep attention within a document. Only the last sample of a domain is partial; it is
padded with ``pad_id`` and segment -1. Packing wastes no tokens on padding (Raffel et al. 2020's
packing; the segment ids are what makes it safe).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from common.streaming import import_streaming
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

    def __init__(self, seq_len: int, eos_id: int, pad_id: int) -> None:
        if seq_len <= 0:
            raise ValueError(f"seq_len must be positive, got {seq_len}")
        self.seq_len = seq_len
        self.eos_id = eos_id
        self.pad_id = pad_id
        self.stats = PackStats()
        self._tokens = np.empty(0, dtype=np.int32)
        self._docs = np.empty(0, dtype=np.int64)  # running document number of each buffered token

    def add(self, tokens: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Append documents (``tokens`` flat, ``lengths`` per document); return the full samples.

        Returns ``(tokens, segments)``, both ``int32`` of shape ``(samples, seq_len)``; zero rows
        when the buffer has not filled a sample yet.
        """
        lengths = np.asarray(lengths, dtype=np.int64)
        tokens = np.asarray(tokens, dtype=np.int32)
        if int(lengths.sum()) != len(tokens):
            raise ValueError(f"lengths sum to {int(lengths.sum())} but {len(tokens)} tokens were given")
        n = len(lengths)
        if n:
            with_eos = np.insert(tokens, np.cumsum(lengths), np.int32(self.eos_id))
            first = self.stats.documents
            doc_of = np.repeat(np.arange(first, first + n, dtype=np.int64), lengths + 1)
            self.stats.documents += n
            self.stats.tokens += len(with_eos)
            self._tokens = np.concatenate([self._tokens, with_eos])
            self._docs = np.concatenate([self._docs, doc_of])
        full = len(self._tokens) // self.seq_len
        cut = full * self.seq_len
        out_tokens = self._tokens[:cut].reshape(full, self.seq_len).copy()
        docs = self._docs[:cut].reshape(full, self.seq_len)
        # Every document holds at least its EOS, so document numbers inside a sample are
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


def write_domain(
    out_dir: str | Path,
    batches: Iterable[tuple[np.ndarray, np.ndarray]],
    seq_len: int,
    eos_id: int,
    pad_id: int,
    shard_bytes: int = DEFAULT_SHARD_BYTES,
) -> PackStats:
    """Pack ``(tokens, lengths)`` batches into an MDS dataset at ``out_dir`` (must not exist)."""
    streaming = import_streaming()
    packer = SequencePacker(seq_len, eos_id, pad_id)
    with streaming.MDSWriter(
        out=str(out_dir), columns=TOKEN_COLUMNS, compression=None, size_limit=shard_bytes
    ) as w:
        for tokens, lengths in batches:
            _write_rows(w, *packer.add(tokens, lengths))
        _write_rows(w, *packer.finish())
    return packer.stats


def _write_rows(writer: Any, tokens: np.ndarray, segments: np.ndarray) -> None:
    for row_tokens, row_segments in zip(tokens, segments, strict=True):
        writer.write({"tokens": row_tokens, "segments": row_segments})
