"""Token shards for the trainer's tests, written by the project's own Stage 2 writer.

Documents follow a learnable rule (each token is its predecessor + 1, wrapping), so a model that
learns drives the loss far below the ln(vocab) of guessing; starts and lengths are random (seeded).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from common.config import load_config
from formats.token_manifest import DomainTokens, TokenManifest, write_token_manifest
from tokenization.packing import write_domain
from train.config import TrainConfig

SEQ_LEN = 33  # 32 input positions per sample
VOCAB = 64
PAD_ID, EOS_ID = 0, 1
FIRST_WORD = 2  # ids below are special


def successor_documents(n_docs: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n_docs`` documents as (flat tokens, lengths): runs t, t+1, t+2, ... over the word ids."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(6, 24, size=n_docs)
    starts = rng.integers(0, VOCAB - FIRST_WORD, size=n_docs)
    docs = [
        FIRST_WORD + (s + np.arange(n)) % (VOCAB - FIRST_WORD) for s, n in zip(starts, lengths, strict=True)
    ]
    return np.concatenate(docs).astype(np.int32), lengths


def write_token_dir(root: Path, docs_per_domain: dict[str, int], seed: int = 0) -> Path:
    """A Stage 2 output (docs/formats.md): one MDS dataset per domain and manifest.json."""
    root.mkdir(parents=True, exist_ok=True)
    domains = {}
    for i, (domain, n_docs) in enumerate(docs_per_domain.items()):
        stats = write_domain(root / domain, [successor_documents(n_docs, seed + i)], SEQ_LEN, EOS_ID, PAD_ID)
        domains[domain] = DomainTokens(
            documents=stats.documents, tokens=stats.tokens, sequences=stats.sequences, padding=stats.padding
        )
    manifest = TokenManifest(seq_len=SEQ_LEN, vocab_size=VOCAB, eos_id=EOS_ID, pad_id=PAD_ID, domains=domains)
    write_token_manifest(str(root), manifest)
    return root


def write_mix(
    path: Path, tokens_dir: Path, ratios: dict[str, float], total_tokens: int, seed: int = 17
) -> Path:
    lines = [f"tokens_dir: {tokens_dir}", f"total_tokens: {total_tokens}", f"seed: {seed}", "domains:"]
    lines += [f"  {domain}: {ratio}" for domain, ratio in ratios.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def token_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_token_dir(tmp_path_factory.mktemp("tokens"), {"web": 120, "books": 60})


@pytest.fixture(scope="session")
def mix_file(tmp_path_factory: pytest.TempPathFactory, token_dir: Path) -> Path:
    # 96 sequences per epoch: 64 web + 32 books (books repeated about twice)
    return write_mix(
        tmp_path_factory.mktemp("mix") / "mix.yaml", token_dir, {"web": 0.67, "books": 0.33}, 96 * SEQ_LEN
    )


def tiny_config(**overrides: object) -> TrainConfig:
    """The tiny model, a learning rate that shows learning within a few steps; the steps come
    from the mix plan unless given."""
    base = {
        "model": {"preset": "tiny"},
        "optimizer": {"lr": 1e-2},
        "schedule": {"warmup_steps": 2},
        "batch": {"micro_batch_size": 4, "grad_accum_steps": 2},
        "log_interval": 4,
    }
    return load_config(None, TrainConfig, {**base, **overrides})
