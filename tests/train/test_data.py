"""The token loader: next-token batches from Stage 2 shards, one pass counted per domain, exact
resume, clear errors, and streaming's shared memory and locks cleaned up."""

from __future__ import annotations

import os
import tempfile
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path

import numpy as np
import pytest

from common.errors import InputError
from common.streaming import import_streaming, release_orphaned_shared_memory, streaming_scratch
from formats.token_manifest import read_token_manifest
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
    """Streams built directly (not through the mixer): web drawn once, books twice per pass."""
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
        domains=("web", "books"),
    )


def digests(loader: TokenLoader, n: int) -> list[int]:
    return [loader.next_batch().digest for _ in range(n)]


def whole_pass(loader: TokenLoader) -> list:
    batches = []
    while (batch := loader.next_batch()) is not None:
        batches.append(batch)
    return batches


def test_batches_are_shifted_tokens_with_padding_labels_ignored():
    tokens = np.array([5, 6, 7, 1, 9, 10, 1, 0, 0], dtype=np.int32)
    segments = np.array([0, 0, 0, 0, 1, 1, 1, -1, -1], dtype=np.int32)
    batch = collate_packed([{"tokens": tokens, "segments": segments}], seq_len=9)
    assert batch["inputs"].tolist() == [[5, 6, 7, 1, 9, 10, 1, 0]]
    assert batch["labels"].tolist() == [[6, 7, 1, 9, 10, 1, IGNORE_INDEX, IGNORE_INDEX]]
    assert batch["segments"].tolist() == [[0, 0, 0, 0, 1, 1, 1, -1]]


def test_batches_count_sequences_and_document_tokens_per_stream():
    full = {"tokens": np.arange(9, dtype=np.int32), "segments": np.zeros(9, np.int32)}
    padded = {"tokens": np.arange(9, dtype=np.int32), "segments": np.array([0] * 6 + [-1] * 3, np.int32)}
    samples = [{**full, "__stream": 2}, {**padded, "__stream": 0}, {**padded, "__stream": 2}]
    batch = collate_packed(samples, seq_len=9, num_streams=3)
    assert batch["domain_sequences"].tolist() == [1, 0, 2]
    assert batch["domain_tokens"].tolist() == [6, 0, 9 + 6]


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


def test_one_pass_draws_each_stream_as_asked_then_ends(token_dir: Path):
    manifest = read_token_manifest(str(token_dir))
    web, books = manifest.domains["web"], manifest.domains["books"]
    with streaming_scratch():
        loader = TokenLoader(hand_built_source(token_dir), micro_batch_size=4)
        try:
            batches = whole_pass(loader)
            assert loader.next_batch() is None  # one pass, not looped
        finally:
            loader.close()
    assert sum(b.inputs.shape[0] for b in batches) == web.sequences + 2 * books.sequences
    assert len(batches) == -(-(web.sequences + 2 * books.sequences) // 4)  # the last one may be short
    # what the Stage 2 writer counted: every sequence of web once, of books twice (repeat=2)
    assert np.sum([b.domain_sequences for b in batches], axis=0).tolist() == [
        web.sequences,
        2 * books.sequences,
    ]
    assert np.sum([b.domain_tokens for b in batches], axis=0).tolist() == [web.tokens, 2 * books.tokens]


def test_resumed_loader_yields_what_the_uninterrupted_one_yields_next(token_dir: Path):
    source = hand_built_source(token_dir)
    with streaming_scratch():
        whole = TokenLoader(source, micro_batch_size=4)
        try:
            expected = [b.digest for b in whole_pass(whole)]
        finally:
            whole.close()
        # stop at the start, in the middle and one before the end; a fresh loader goes on there
        for stop in (1, len(expected) // 2, len(expected) - 1):
            first = TokenLoader(source, micro_batch_size=4)
            try:
                assert digests(first, stop) == expected[:stop]
                state = first.state_dict()
            finally:
                first.close()
            second = TokenLoader(source, micro_batch_size=4)
            try:
                second.load_state_dict(state)
                assert [b.digest for b in whole_pass(second)] == expected[stop:]
            finally:
                second.close()


def test_the_seed_decides_the_order(token_dir: Path):
    with streaming_scratch():
        a = TokenLoader(hand_built_source(token_dir, shuffle_seed=5), micro_batch_size=4)
        b = TokenLoader(hand_built_source(token_dir, shuffle_seed=6), micro_batch_size=4)
        c = TokenLoader(hand_built_source(token_dir, shuffle_seed=5), micro_batch_size=4)
        try:
            n = 5
            first, other_seed, same_seed = digests(a, n), digests(b, n), digests(c, n)
        finally:
            a.close()
            b.close()
            c.close()
    assert first != other_seed
    assert first == same_seed


def test_mix_plan_source_reads_the_plan(mix_file: Path, token_dir: Path):
    source = source_from_mix(mix_file)
    assert (source.seq_len, source.vocab_size, source.shuffle_seed) == (SEQ_LEN, VOCAB, 17)
    assert source.domains == ("web", "books")
    assert source.planned_sequences() == {"web": 64, "books": 32}
    assert source.plan_steps(16) == 6 and source.plan_steps(10) == 10  # 96 sequences, rounded up
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
