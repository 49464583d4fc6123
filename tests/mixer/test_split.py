"""The held-out split: a partition of each domain's documents, stable as the corpus grows, and
never in what the training loader yields."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pytest

from common.streaming import import_streaming, streaming_scratch
from formats.token_manifest import DomainTokens, TokenManifest, read_token_manifest, write_token_manifest
from mixer.config import HeldoutConfig
from mixer.split import split_tokens
from tests.mixer.mix_tokens import MARK, write_mix, write_token_dir
from tokenization.packing import write_domain
from train.data import TokenLoader, source_from_mix

SEQ = 32
BOS, EOS, PAD = 1, 2, 3


def rows(domain_dir: Path) -> list[tuple[bytes, bytes]]:
    data = import_streaming().LocalDataset(local=str(domain_dir))
    return [(data[i]["tokens"].tobytes(), data[i]["segments"].tobytes()) for i in range(len(data))]


def document_tokens(domain_dir: Path) -> set[int]:
    """Every document token id (specials and padding left out) in a domain's shards."""
    data = import_streaming().LocalDataset(local=str(domain_dir))
    ids = np.concatenate([data[i]["tokens"] for i in range(len(data))])
    return {int(t) for t in ids[ids >= MARK]}


def framed_docs(n_docs: int, first: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Documents of unique ids ``first + position`` and random lengths (the truth of the test)."""
    lengths = np.random.default_rng(seed).integers(3, 2 * SEQ, size=n_docs)
    return (first + np.arange(int(lengths.sum()))).astype(np.int32), lengths


def write_bos_eos_dir(root: Path, batches: list[tuple[np.ndarray, np.ndarray]]) -> Path:
    stats = write_domain(root / "web", batches, SEQ, EOS, PAD, 4096, bos_id=BOS)
    manifest = TokenManifest(
        seq_len=SEQ,
        vocab_size=MARK * 10,
        eos_id=EOS,
        pad_id=PAD,
        bos_id=BOS,
        add_bos=True,
        domains={
            "web": DomainTokens(documents=stats.documents, tokens=stats.tokens, sequences=stats.sequences)
        },
    )
    write_token_manifest(str(root), manifest)
    return root


def split_documents(split: Path, side: str) -> list[tuple[int, ...]]:
    """Documents of one side, as runs of consecutive ids (each generated document is one run)."""
    ids = sorted(document_tokens(split / side / "web")) if (split / side / "web").is_dir() else []
    runs, run = [], []
    for t in ids:
        if run and t != run[-1] + 1:
            runs.append(tuple(run))
            run = []
        run.append(t)
    return [*runs, tuple(run)] if run else runs


def test_nothing_held_out_leaves_the_shards_byte_for_byte(tmp_path):
    tok = write_token_dir(tmp_path / "tok", {"web": 5000, "code": 900}, seq_len=SEQ)
    split_tokens(tok, tmp_path / "split", HeldoutConfig(share=0.0))
    for domain in ("web", "code"):
        assert rows(tmp_path / "split/train" / domain) == rows(tok / domain)
        assert not (tmp_path / "split/heldout" / domain).exists()
    assert read_token_manifest(str(tmp_path / "split/train")).domains == read_token_manifest(str(tok)).domains


def test_split_partitions_the_documents_at_the_documented_share(tmp_path):
    tokens, lengths = framed_docs(3000, MARK, seed=1)
    tok = write_bos_eos_dir(tmp_path / "tok", [(tokens, lengths)])
    result = split_tokens(tok, tmp_path / "split", HeldoutConfig(share=0.1))
    truth = sorted(tuple(d) for d in np.split(tokens, np.cumsum(lengths)[:-1]))
    train, held = split_documents(tmp_path / "split", "train"), split_documents(tmp_path / "split", "heldout")
    # adjacent documents on one side merge into one run; cut each side's runs at the true starts
    starts = set((np.cumsum(lengths) - lengths + MARK).tolist())

    def cut(runs: list[tuple[int, ...]]) -> list[np.ndarray]:
        return [
            d for r in runs for d in np.split(np.array(r), [i for i, t in enumerate(r) if t in starts][1:])
        ]

    assert sorted(tuple(map(int, d)) for d in cut(train) + cut(held)) == truth
    n_held = len(cut(held))
    assert n_held == result.record.heldout["web"].documents
    # binomial(3000, 0.1): mean 300, sd ~16.4
    assert abs(n_held - 300) < 4 * 16.4
    on_disk = json.loads((tmp_path / "split/split.json").read_text())
    assert on_disk["shares"] == {"web": 0.1}
    assert read_token_manifest(str(tmp_path / "split/heldout")).domains["web"].documents == n_held


def test_held_out_documents_stay_held_out_when_the_corpus_grows(tmp_path):
    old = framed_docs(800, MARK, seed=2)
    new = framed_docs(800, 4 * MARK, seed=3)
    split_tokens(write_bos_eos_dir(tmp_path / "a", [old]), tmp_path / "sa", HeldoutConfig(share=0.2))
    split_tokens(write_bos_eos_dir(tmp_path / "b", [old, new]), tmp_path / "sb", HeldoutConfig(share=0.2))
    held_before = document_tokens(tmp_path / "sa/heldout/web")
    held_after = document_tokens(tmp_path / "sb/heldout/web")
    assert held_before and held_after & set(range(4 * MARK, 5 * MARK))  # the new documents join too
    assert held_after & set(range(MARK, 2 * MARK)) == held_before


def test_training_loader_never_yields_a_held_out_token(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    tok = write_token_dir(tmp_path / "tok", {"web": 6000, "code": 2500}, seq_len=SEQ)
    split_tokens(tok, tmp_path / "split", HeldoutConfig(share=0.2, domains={"code": 0.3}))
    held = document_tokens(tmp_path / "split/heldout/web") | document_tokens(tmp_path / "split/heldout/code")
    kept = document_tokens(tmp_path / "split/train/web") | document_tokens(tmp_path / "split/train/code")
    assert len(held) > 500

    def yielded(tokens_dir: Path) -> set[int]:
        manifest = read_token_manifest(str(tokens_dir))
        total = sum(d.tokens for d in manifest.domains.values())
        web = manifest.domains["web"].tokens / total
        mix = write_mix(
            tmp_path / "mix.yaml", tokens_dir, total, {"web": round(web, 6), "code": round(1 - web, 6)}
        )
        seen: set[int] = set()
        with streaming_scratch():
            loader = TokenLoader(source_from_mix(mix), micro_batch_size=4)
            try:
                while (batch := loader.next_batch()) is not None:
                    ids = torch_ids(batch)
                    seen |= {int(t) for t in ids[ids >= MARK]}
            finally:
                loader.close()
        return seen

    from_split = yielded(tmp_path / "split/train")
    assert not from_split & held
    assert len(from_split) > 0.95 * len(kept)  # the loader did read the training side
    assert yielded(tok) & held  # the same loader over the unsplit shards does yield them


def torch_ids(batch) -> np.ndarray:
    return np.concatenate([batch.inputs.numpy().ravel(), batch.labels.numpy().ravel()])


def test_unknown_domain_in_heldout_config_is_named():
    with pytest.raises(ValueError, match="unknown domain 'wbe'"):
        HeldoutConfig(domains={"wbe": 0.1})
