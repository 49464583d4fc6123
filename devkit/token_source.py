"""Random documents packed into Stage 2 token shards, as a trainer `DataSource`.

The trainer's GPU checks and its throughput bench need token shards in the loader's real input
format (MDS written by `tokenization.packing.write_domain`, read through streaming) without
running Stages 1 and 2 first; speed does not depend on what the ids mean.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from common.streaming import import_streaming
from tokenization.packing import write_domain
from train.data import DataSource


def synthetic_source(
    root: Path,
    sequences: int,
    seq_len: int,
    vocab: int,
    *,
    doc_tokens: tuple[int, int] = (50, 2000),
    seed: int = 0,
) -> DataSource:
    """About ``sequences`` packed sequences of ``seq_len`` from documents of ``doc_tokens``
    (low, high) random ids in ``[2, vocab)``, in one domain, ``web``, under ``root``."""
    low, high = doc_tokens
    rng = np.random.default_rng(seed)
    # 10% more tokens than the sequences need, so the packer fills all of them
    lengths = rng.integers(low, high, size=int(1.1 * sequences * seq_len / ((low + high) / 2)) + 1)
    tokens = rng.integers(2, vocab, size=int(lengths.sum()), dtype=np.int32)
    write_domain(root / "web", [(tokens, lengths)], seq_len, eos_id=1, pad_id=0)
    streaming = import_streaming()
    return DataSource(
        make_streams=lambda: [streaming.Stream(local=str(root / "web"))],
        seq_len=seq_len,
        vocab_size=vocab,
        shuffle_seed=17,
        fingerprint=f"synthetic-{sequences}-{seq_len}-{vocab}-{low}-{high}-{seed}",
        description=f"synthetic, {sequences:,} sequences of {seq_len}, vocabulary {vocab:,}",
        domains=("web",),
    )
