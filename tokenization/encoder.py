"""Encoding one Parquet shard into token ids: the unit of work of `tokenization.encode`'s workers.

Kept free of mosaicml-streaming (and so of torch) so that worker processes start quickly; each
worker loads the SentencePiece model once and returns a shard as one flat ``int32`` array plus
per-document lengths, which pickle cheaply back to the parent.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sentencepiece as spm

from tokenization.sources import ParquetShard, iter_text_batches

_PROCESSOR: spm.SentencePieceProcessor | None = None


@dataclass(frozen=True, slots=True)
class EncodedShard:
    path: Path
    domain: str
    tokens: np.ndarray  # int32, every document's ids back to back (no EOS: the packer adds it)
    lengths: np.ndarray  # int64, ids per document, in file order
    chars: int


def load_processor(model: bytes) -> spm.SentencePieceProcessor:
    return spm.SentencePieceProcessor(model_proto=model)


def init_worker(model: bytes) -> None:
    """Pool initializer: one processor per worker process."""
    global _PROCESSOR
    _PROCESSOR = load_processor(model)


def encode_texts(sp: spm.SentencePieceProcessor, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Flat ids and per-text lengths for a batch, on this thread only (per-core throughput)."""
    ids = sp.encode(texts, num_threads=1)
    lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
    flat = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int32, count=int(lengths.sum()))
    return flat, lengths


def encode_shard(shard: ParquetShard, sp: spm.SentencePieceProcessor | None = None) -> EncodedShard:
    """Every document of ``shard`` in file order (``sp`` defaults to the worker's processor)."""
    sp = sp or _PROCESSOR
    if sp is None:
        raise RuntimeError("encode_shard called in a process without a tokenizer (init_worker not run)")
    flats, lens, chars = [], [], 0
    for texts in iter_text_batches(shard):
        flat, lengths = encode_texts(sp, texts)
        flats.append(flat)
        lens.append(lengths)
        chars += sum(len(t) for t in texts)
    tokens = np.concatenate(flats) if flats else np.empty(0, np.int32)
    lengths = np.concatenate(lens) if lens else np.empty(0, np.int64)
    return EncodedShard(shard.path, shard.domain, tokens, lengths, chars)
