"""The token loader: next-token batches from Stage 2 shards, exact resume, clear errors, and
streaming's shared memory and locks cleaned up."""

from __future__ import annotations

import os
import tempfile
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path

import numpy as np
import pytest

from common.errors import InputError
from common.streaming import import_streaming, release_orphaned_shared_memory, streaming_scratch
from tests.train.conftest import SEQ_LEN, VOCAB
from train.data import (
    DataSource,
    TokenLoader,
    check_token_shards,
    collate_packed,
    source_from_mix,
)
from train.model import IGNORE_INDEX

SHM = Path("/dev/shm")


def hand_built_source(token_dir: Path, shuffle_seed: int = 5) -> DataSource:
    """Streams built directly (not through the mixer): web drawn once, books twice per epoch."""
    streaming = import_streaming()
    return DataSource(
        make_streams=lambda: [
            streaming.Stream(local=str(token_dir / "web")),
            streaming.Stream(local=str(token_dir / "books"), repeat=2),
        ],
        seq_len=SEQ_LEN,
        vocab_size=VOCAB,
        shuffle_seed=shuffle_seed,
        fingerprint="test",
        description="test streams",
    )


def digests(loader: TokenLoader, n: int) -> list[str]:
    return [loader.next_batch().digest for _ in range(n)]


def test_batches_are_shifted_tokens_with_padding_labels_ignored():
    tokens = np.array([5, 6, 7, 1, 9, 10, 1, 0, 0], dtype=np.int32)
    segments = np.array([0, 0, 0, 0, 1, 1, 1, -1, -1], dtype=np.int32)
    batch = collate_packed([{"tokens": tokens, "segments": segments}], seq_len=9)
    assert batch["inputs"].tolist() == [[5, 6, 7, 1, 9, 10, 1, 0]]
    assert batch["labels"].tolist() == [[6, 7, 1, 9, 10, 1, IGNORE_INDEX, IGNORE_INDEX]]
    assert batch["segments"].tolist() == [[0, 0, 0, 0, 1, 1, 1, -1]]


def test_sample_of_the_wrong_length_is_refused_naming_the_column():
    sample = {"tokens": np.zeros(8, np.int32), "segments": np.zeros(9, np.int32)}
    with pytest.raises(ValueError, match="'tokens' has shape \\(8,\\), expected \\(9,\\)"):
        collate_packed([sample], seq_len=9)


def test_loader_yields_micro_batches_of_the_stage2_samples(token_dir: Path):
    with streaming_scratch():
        loader = TokenLoader(hand_built_source(token_dir), micro_batch_size=4)
        try:
            batch = loader.next_batch()
        finally:
            loader.close()
    assert batch.inputs.shape == (4, SEQ_LEN - 1)
    assert batch.labels.shape == (4, SEQ_LEN - 1)
    assert int(batch.inputs.max()) < VOCAB


def test_resumed_loader_yields_what_the_uninterrupted_one_yields_next(token_dir: Path):
    source = hand_built_source(token_dir)
    with streaming_scratch():
        whole = TokenLoader(source, micro_batch_size=4)
        try:
            per_epoch = len(whole.dataset) // 4
            expected = digests(whole, 2 * per_epoch + 3)  # two epochs and a bit
            assert whole.epochs_started == 3
        finally:
            whole.close()
        # stop once mid-epoch 1 and once mid-epoch 2; a fresh loader resumes at the same sample
        for stop in (5, per_epoch + 2):
            first = TokenLoader(source, micro_batch_size=4)
            try:
                assert digests(first, stop) == expected[:stop]
                state = first.state_dict()
            finally:
                first.close()
            second = TokenLoader(source, micro_batch_size=4)
            try:
                second.load_state_dict(state)
                assert digests(second, len(expected) - stop) == expected[stop:]
            finally:
                second.close()


def test_epochs_are_reshuffled_and_the_seed_decides_the_order(token_dir: Path):
    with streaming_scratch():
        a = TokenLoader(hand_built_source(token_dir, shuffle_seed=5), micro_batch_size=4)
        b = TokenLoader(hand_built_source(token_dir, shuffle_seed=6), micro_batch_size=4)
        try:
            n = len(a.dataset) // 4
            first_epoch, second_epoch = digests(a, n), digests(a, n)
            other_seed = digests(b, n)
        finally:
            a.close()
            b.close()
    assert first_epoch != second_epoch
    assert first_epoch != other_seed


def test_mix_plan_source_reads_the_plan(mix_file: Path, token_dir: Path):
    source = source_from_mix(mix_file)
    assert (source.seq_len, source.vocab_size, source.shuffle_seed) == (SEQ_LEN, VOCAB, 17)
    streams = source.make_streams()
    assert [Path(s.local).name for s in streams] == ["web", "books"]
    assert source.fingerprint == source_from_mix(mix_file).fingerprint


def test_missing_stream_directory_is_named(tmp_path: Path):
    with pytest.raises(InputError, match=str(tmp_path / "nowhere" / "index.json")):
        check_token_shards(tmp_path / "nowhere")


def test_text_shards_instead_of_token_shards_are_refused_naming_the_index(tmp_path: Path):
    streaming = import_streaming()
    with streaming.MDSWriter(out=str(tmp_path / "text"), columns={"text": "str"}) as w:
        w.write({"text": "not tokens"})
    with pytest.raises(ValueError, match=r"text/index\.json.*'tokens'"):
        check_token_shards(tmp_path / "text")


def test_fewer_samples_than_one_micro_batch_is_refused(token_dir: Path):
    with streaming_scratch(), pytest.raises(ValueError, match="fewer than one micro-batch"):
        TokenLoader(hand_built_source(token_dir), micro_batch_size=10_000)


@pytest.mark.skipif(not SHM.is_dir(), reason="needs POSIX shared memory in /dev/shm")
def test_stale_streaming_segments_are_released_but_live_ones_kept():
    stale = SHM / "999999_locals"  # what a killed run leaves: a segment nobody maps
    stale.write_bytes(bytes(8))
    live = SharedMemory(name="999998_locals", create=True, size=8)
    try:
        removed = release_orphaned_shared_memory()
        assert "999999_locals" in removed
        assert not stale.exists()
        assert (SHM / "999998_locals").exists()
    finally:
        live.close()
        live.unlink()
        stale.unlink(missing_ok=True)


@pytest.mark.skipif(not SHM.is_dir(), reason="needs POSIX shared memory in /dev/shm")
def test_a_run_leaves_no_shared_memory_or_scratch_behind(token_dir: Path):
    before = {p.name for p in SHM.iterdir()}
    outer_tmp = tempfile.gettempdir()
    with streaming_scratch() as scratch:
        assert tempfile.gettempdir() == str(scratch) == os.environ["TMPDIR"]
        loader = TokenLoader(hand_built_source(token_dir), micro_batch_size=4)
        try:
            loader.next_batch()
            assert {p.name for p in SHM.iterdir()} - before  # streaming is using shared memory
        finally:
            loader.close()
    assert {p.name for p in SHM.iterdir()} - before == set()
    assert not scratch.exists()
    assert tempfile.gettempdir() == outer_tmp


def test_scratch_is_removed_when_the_run_fails():
    with pytest.raises(RuntimeError), streaming_scratch() as scratch:
        raise RuntimeError("boom")
    assert not scratch.exists()
