"""Token batches for training: mix plan -> streams -> StreamingDataset -> StreamingDataLoader.

The loader is mosaicml-streaming's, because its state (epoch, sample in epoch) resumes at the
exact sample, also with a different worker count; the trainer saves `TokenLoader.state_dict()` in
each checkpoint. Samples are the packed sequences of Stage 2 (docs/formats.md): ``tokens`` and
``segments``, each `seq_len` long. A training example is inputs = tokens[:-1], labels = tokens[1:],
with labels on padding (segment -1) ignored.

One pass of the loader is the mix plan drawn once (each stream's ``choose`` is the plan's
sequences for that domain), and the loader makes one pass: a run that would draw more than the
plan is refused before it starts, not looped over silently. Every sample is tagged with its
stream, so each micro-batch says how many sequences and tokens of each domain it holds.

Streaming keeps its coordination state in POSIX shared memory (/dev/shm) and file locks in the
temp directory. A killed run leaves both behind and the next run can hang on them, so every run
gets its own temp directory (`common.streaming.streaming_scratch`, shared by the ranks of a node),
removes debris of dead runs at start and its own segments at the end.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
import xxhash

from common.config import stable_hash
from common.errors import ConfigError, InputError
from common.streaming import import_streaming, release_dataset_shared_memory
from formats.token_shards import TOKEN_COLUMNS
from train.model import IGNORE_INDEX

if TYPE_CHECKING:
    from mixer import MixPlan

log = logging.getLogger(__name__)
streaming = import_streaming()


@dataclass(frozen=True)
class DataSource:
    """Where training samples come from, and what the model must fit to read them.

    ``make_streams`` builds fresh `streaming.Stream` objects for each loader (a dataset takes
    ownership of its streams). ``fingerprint`` identifies the data in the run's identity, so a
    resumed run refuses data that changed under it.
    """

    make_streams: Callable[[], Sequence[Any]]
    seq_len: int
    vocab_size: int
    shuffle_seed: int
    fingerprint: str
    description: str
    domains: tuple[str, ...]
    """The name of each stream, in ``make_streams`` order."""
    plan: MixPlan | None = None
    """The mix plan the streams draw, when they come from one: the token budget."""

    def plan_steps(self, global_batch: int) -> int | None:
        """Optimizer steps that draw the plan once, or None without a plan."""
        return None if self.plan is None else self.plan.optimizer_steps(global_batch)

    def planned_sequences(self) -> dict[str, int] | None:
        return None if self.plan is None else {r.domain: r.sequences_drawn for r in self.plan.rows}


def source_from_mix(mix_path: str | Path, tokens_dir: str | Path | None = None) -> DataSource:
    """The data of a mix plan (Stage 3): one stream per domain, drawn as the plan says, shuffled
    with the plan's seed. ``tokens_dir`` replaces the plan's Stage 2 directory."""
    from mixer import build_streams, load_plan

    plan = load_plan(mix_path, tokens_dir)
    identity = {
        # where the tokens live may move between attempts; what they are and how they are drawn may not
        "mix": plan.config.model_dump(mode="json", exclude={"tokens_dir"}),
        "manifest": plan.manifest.model_dump(mode="json"),
    }
    return DataSource(
        make_streams=lambda: build_streams(plan),
        seq_len=plan.seq_len,
        vocab_size=plan.manifest.vocab_size,
        shuffle_seed=plan.seed,
        fingerprint=stable_hash(identity),
        description=f"mix {mix_path} ({plan.total_sequences:,} sequences of {plan.seq_len} per pass)",
        domains=plan.domains,
        plan=plan,
    )


def check_token_shards(stream_dir: str | Path) -> None:
    """Fail early, naming the file, when a stream directory is not Stage 2 token shards.

    Streaming would otherwise fail deep inside iteration (or hang waiting for a shard)."""
    index = Path(stream_dir) / "index.json"
    try:
        shards = json.loads(index.read_text(encoding="utf-8"))["shards"]
    except FileNotFoundError:
        raise InputError(f"{index}: no MDS index; expected Stage 2 token shards here") from None
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise InputError(f"{index}: not an MDS index ({err})") from None
    for shard in shards:
        columns = dict(zip(shard.get("column_names", []), shard.get("column_encodings", []), strict=False))
        for name, written_as in TOKEN_COLUMNS.items():
            encoding = columns.get(name, "")
            if not encoding.startswith("ndarray"):
                found = ", ".join(f"{k}: {v}" for k, v in columns.items()) or "none"
                raise InputError(
                    f"{index}: shard {shard.get('raw_data', {}).get('basename', '?')} needs column "
                    f"{name!r} as {written_as} (docs/formats.md, Stage 2); columns: {found}"
                )


# -- batches ---------------------------------------------------------------------------------


@dataclass
class Batch:
    """One micro-batch: inputs, labels and segment ids (B, seq_len - 1), a digest of the input
    tokens so the metrics can say which data each step saw, and per stream (domain) the
    sequences and document tokens (padding excluded) it holds."""

    inputs: torch.Tensor
    labels: torch.Tensor
    segments: torch.Tensor
    digest: int
    domain_sequences: np.ndarray
    domain_tokens: np.ndarray

    def to(self, device: torch.device) -> Batch:
        return Batch(
            self.inputs.to(device, non_blocking=True),
            self.labels.to(device, non_blocking=True),
            self.segments.to(device, non_blocking=True),
            self.digest,
            self.domain_sequences,
            self.domain_tokens,
        )

    @property
    def num_tokens(self) -> int:
        return self.inputs.numel()


STREAM_KEY = "__stream"
"""The sample field `TaggedStreamingDataset` adds: the index of the stream a sample came from."""


class TaggedStreamingDataset(streaming.StreamingDataset):
    """A StreamingDataset whose samples carry the index of their stream, so the trainer can
    count what each domain contributed. A stream's samples occupy one contiguous range of global
    sample ids (streaming lays the streams' shards out in order), so the index is a search."""

    def get_item(self, sample_id: int, retry: int = 7) -> Any:
        sample = super().get_item(sample_id, retry)
        offsets = self.sample_offset_per_stream
        sample[STREAM_KEY] = int(np.searchsorted(offsets, sample_id, side="right")) - 1
        return sample


def collate_packed(samples: list[dict[str, Any]], seq_len: int, num_streams: int = 1) -> dict[str, Any]:
    """Stage 2 samples -> the fields of a next-token-prediction `Batch`.

    A dict, not the Batch itself: StreamingDataLoader counts the samples it yields (its resume
    position) by the length of the first value of a dict batch."""
    for name in TOKEN_COLUMNS:
        for sample in samples:
            shape = np.shape(sample[name])
            if shape != (seq_len,):
                raise ValueError(
                    f"sample column {name!r} has shape {shape}, expected ({seq_len},): Stage 2 "
                    f"sequences are exactly seq_len long (docs/formats.md)"
                )
    tokens = np.stack([s["tokens"] for s in samples]).astype(np.int64)
    segments = np.stack([s["segments"] for s in samples]).astype(np.int64)
    inputs = np.ascontiguousarray(tokens[:, :-1])
    labels = tokens[:, 1:].copy()
    labels[segments[:, 1:] < 0] = IGNORE_INDEX
    streams = np.array([s.get(STREAM_KEY, 0) for s in samples], dtype=np.int64)
    return {
        "inputs": torch.from_numpy(inputs),
        "labels": torch.from_numpy(labels),
        "segments": torch.from_numpy(np.ascontiguousarray(segments[:, :-1])),
        "digest": xxhash.xxh64_intdigest(inputs.tobytes()),
        "domain_sequences": np.bincount(streams, minlength=num_streams),
        "domain_tokens": np.bincount(
            streams, weights=(segments >= 0).sum(axis=1), minlength=num_streams
        ).astype(np.int64),
    }


class TokenLoader:
    """One pass over the data source in micro-batches, whose position can be saved and restored
    exactly (`state_dict` / `load_state_dict`). Every rank gets the same number of samples
    (streaming repeats a few when the pass does not divide evenly), so every rank's last
    micro-batch comes at the same call, and it may be short of a full one."""

    def __init__(self, source: DataSource, micro_batch_size: int, num_workers: int = 0) -> None:
        streams = list(source.make_streams())
        for stream in streams:
            check_token_shards(os.path.join(stream.local, stream.split))
        self.dataset = TaggedStreamingDataset(
            streams=streams, shuffle=True, shuffle_seed=source.shuffle_seed, batch_size=micro_batch_size
        )
        self.loader = streaming.StreamingDataLoader(
            self.dataset,
            batch_size=micro_batch_size,
            num_workers=num_workers,
            collate_fn=partial(collate_packed, seq_len=source.seq_len, num_streams=len(streams)),
            drop_last=False,
            persistent_workers=num_workers > 0,
            pin_memory=torch.cuda.is_available(),  # lets Batch.to(cuda, non_blocking=True) overlap
        )
        self._batches: Iterator[dict[str, Any]] | None = None
        self._done = False
        if len(self.dataset) < micro_batch_size:
            self.close()
            raise ConfigError(
                f"{source.description}: {len(self.dataset)} samples per device, fewer than one "
                f"micro-batch of {micro_batch_size}"
            )

    @property
    def samples_per_rank(self) -> int:
        """Samples this rank draws in the whole pass."""
        return len(self.dataset)

    def next_batch(self) -> Batch | None:
        """The next micro-batch, or None once the pass is over."""
        if self._done:
            return None
        if self._batches is None:
            self._batches = iter(self.loader)
        try:
            return Batch(**next(self._batches))
        except StopIteration:
            self._batches = None
            self._done = True
            return None

    def state_dict(self) -> dict[str, Any]:
        """The position in the pass; a loader given it yields next what this one yields next."""
        state = self.loader.state_dict()
        assert state is not None  # a StreamingDataset always has state
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.loader.load_state_dict(state)
        self._batches = None
        self._done = False

    def close(self) -> None:
        """Stop workers and release this dataset's shared memory now rather than at exit."""
        if self._batches is not None:
            self._batches.close()  # type: ignore[attr-defined]  (a generator)
            self._batches = None
        workers = getattr(self.loader, "_iterator", None)  # torch DataLoader's persistent workers
        if workers is not None and hasattr(workers, "_shutdown_workers"):
            workers._shutdown_workers()
        # In-process iteration (num_workers=0) leaves the dataset's shard-preparing threads running
        # to the end of the epoch, taking file locks in the scratch directory; stop them first.
        # (Streaming has no public call for it: its own __iter__ does this at each new epoch.)
        samples = getattr(self.dataset, "_iterator", None)
        if samples is not None:
            samples.exit()
        executor = getattr(self.dataset, "_executor", None)
        if executor is not None:
            executor.shutdown(wait=True)
        release_dataset_shared_memory(self.dataset)
