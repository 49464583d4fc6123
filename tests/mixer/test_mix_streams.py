"""One epoch of a real StreamingDataset over `build_streams(plan)` draws exactly the plan."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from common.streaming import import_streaming, release_dataset_shared_memory
from mixer.plan import load_plan
from mixer.streams import build_streams
from tests.mixer.mix_tokens import domain_of, write_mix, write_token_dir

SEQ = 32
SIZES = {"web": 12800, "code": 1600, "math": 3200, "dialog": 1200}


@pytest.fixture()
def plan(tmp_path: Path):
    tok = write_token_dir(tmp_path / "tok", SIZES, seq_len=SEQ, shard_bytes=3000)
    ratios = {"web": 0.55, "code": 0.2, "math": 0.15, "dialog": 0.1}
    return load_plan(write_mix(tmp_path / "mix.yaml", tok, 19200, ratios, seed=3))


def test_streams_follow_the_plan_rows(plan):
    streams = build_streams(plan)
    assert [Path(s.local).name for s in streams] == list(plan.domains)
    assert [s.choose for s in streams] == [r.sequences_drawn for r in plan.rows]


def test_one_streaming_epoch_draws_each_domain_at_its_planned_share(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # streaming's file locks stay in the test's dir
    streaming = import_streaming()
    names = list(SIZES)
    dataset = streaming.StreamingDataset(
        streams=build_streams(plan), shuffle=True, shuffle_seed=plan.seed, batch_size=4, num_canonical_nodes=1
    )
    try:
        assert len(dataset) == plan.total_sequences
        drawn: dict[str, Counter] = {d: Counter() for d in names}
        for sample in dataset:
            tokens = sample["tokens"]
            drawn[domain_of(tokens, names)][tokens.tobytes()] += 1
    finally:
        release_dataset_shared_memory(dataset)
        del dataset

    total = sum(sum(c.values()) for c in drawn.values())
    assert total == plan.total_sequences
    for row in plan.rows:
        seen = drawn[row.domain]
        assert abs(sum(seen.values()) / total - row.share) <= 0.01, row.domain
        if row.upsampled:  # every sample at least floor(epochs) times, some more often
            assert len(seen) == row.sequences_available
            assert min(seen.values()) >= int(row.epochs) and max(seen.values()) >= 2
        else:  # a subset, no sample twice
            assert row.downsampled
            assert max(seen.values()) == 1 and len(seen) == row.sequences_drawn < row.sequences_available
    assert {r.domain for r in plan.rows if r.upsampled} == {"code", "dialog"}
    assert {r.domain for r in plan.rows if r.downsampled} == {"web", "math"}
    assert np.isclose(sum(r.share for r in plan.rows), 1.0)


def test_one_pass_of_the_loader_yields_the_planned_tokens_of_each_domain(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    streaming = import_streaming()
    names = list(SIZES)
    dataset = streaming.StreamingDataset(
        streams=build_streams(plan), shuffle=True, shuffle_seed=plan.seed, batch_size=4, num_canonical_nodes=1
    )
    try:
        tokens: Counter = Counter()
        for sample in dataset:
            document = sample["segments"] >= 0  # padding is not a document token
            tokens[domain_of(sample["tokens"], names)] += int(document.sum())
    finally:
        release_dataset_shared_memory(dataset)
        del dataset
    for row in plan.rows:
        assert abs(tokens[row.domain] - row.tokens_drawn) <= plan.seq_len, row
        # and the sequences drawn are within one sequence of the request
        assert abs(row.sequences_drawn * plan.seq_len - row.tokens_requested) < plan.seq_len
