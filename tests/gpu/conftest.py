"""GPU checks: they run only where CUDA is present (`bench/gpu_check.sh` runs them on one GPU and
prints their report as a table); elsewhere every test here is skipped.

Each check adds a line to the JSONL file named by ``HEADWATER_GPU_REPORT`` when it is set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from common.streaming import import_streaming
from tokenization.packing import write_domain
from train.data import DataSource


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA device")
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(skip)


def report(check: str, **values: Any) -> None:
    """One line of the GPU check's summary."""
    path = os.environ.get("HEADWATER_GPU_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"check": check, **values}) + "\n")


def synthetic_source(root: Path, sequences: int, seq_len: int, vocab: int, seed: int = 0) -> DataSource:
    """Random documents of 50-2,000 tokens packed into Stage 2 token shards."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(50, 2000, size=sequences * seq_len // 1000 + 1)
    tokens = rng.integers(2, vocab, size=int(lengths.sum()), dtype=np.int32)
    write_domain(root / "web", [(tokens, lengths)], seq_len, eos_id=1, pad_id=0)
    streaming = import_streaming()
    return DataSource(
        make_streams=lambda: [streaming.Stream(local=str(root / "web"))],
        seq_len=seq_len,
        vocab_size=vocab,
        shuffle_seed=17,
        fingerprint=f"gpu-check-{sequences}-{seq_len}-{vocab}-{seed}",
        description=f"synthetic, {sequences:,} sequences of {seq_len}, vocabulary {vocab:,}",
        domains=("web",),
    )
