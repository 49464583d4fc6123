"""Token batches for training: mix plan -> streams -> StreamingDataset -> StreamingDataLoader.

The loader is mosaicml-streaming's, because its state (epoch, sample in epoch) resumes at the
exact sample, also with a different worker count; the trainer saves `TokenLoader.state_dict()` in
each checkpoint. Samples are the packed sequences of Stage 2 (docs/formats.md): ``tokens`` and
``segments``, each `seq_len` long. A training example is inputs = tokens[:-1], labels = tokens[1:],
with labels on padding (segment -1) ignored.

Streaming keeps its coordination state in POSIX shared memory (/dev/shm) and file locks in the
temp directory. A killed run leaves both behind and the next run can hang on them, so every run
gets its own temp directory (`streaming_scratch`), removes debris of dead runs at start and its
own segments at the end.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path
from typing import Any

import numpy as np
import torch
import xxhash

from corpus.streaming_compat import import_streaming
from train.model import IGNORE_INDEX

log = logging.getLogger(__name__)

TOKEN_COLUMNS = ("tokens", "segments")


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


def source_from_mix(mix_path: str | Path, tokens_dir: str | Path | None = None) -> DataSource:
    """The data of a mix plan (Stage 3): one stream per domain, drawn as the plan says, shuffled
    with the plan's seed. ``tokens_dir`` replaces the plan's Stage 2 directory."""
    from mixer.plan import load_plan
    from mixer.streams import build_streams

    plan = load_plan(mix_path, tokens_dir)
    identity = {
        # where the tokens live may move between attempts; what they are and how they are drawn may not
        "mix": plan.config.model_dump(mode="json", exclude={"tokens_dir"}),
        "manifest": json.loads(plan.manifest.to_json()),
    }
    return DataSource(
        make_streams=lambda: build_streams(plan),
        seq_len=plan.seq_len,
        vocab_size=plan.manifest.vocab_size,
        shuffle_seed=plan.seed,
        fingerprint=hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16],
        description=f"mix {mix_path} ({plan.total_sequences:,} sequences of {plan.seq_len} per epoch)",
    )


def check_token_shards(stream_dir: str | Path) -> None:
    """Fail early, naming the file, when a stream directory is not Stage 2 token shards.

    Streaming would otherwise fail deep inside iteration (or hang waiting for a shard)."""
    index = Path(stream_dir) / "index.json"
    try:
        shards = json.loads(index.read_text(encoding="utf-8"))["shards"]
    except FileNotFoundError:
        raise FileNotFoundError(f"{index}: no MDS index; expected Stage 2 token shards here") from None
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise ValueError(f"{index}: not an MDS index ({err})") from None
    for shard in shards:
        columns = dict(zip(shard.get("column_names", []), shard.get("column_encodings", []), strict=False))
        for name in TOKEN_COLUMNS:
            encoding = columns.get(name, "")
            if not encoding.startswith("ndarray"):
                found = ", ".join(f"{k}: {v}" for k, v in columns.items()) or "none"
                raise ValueError(
                    f"{index}: shard {shard.get('raw_data', {}).get('basename', '?')} needs column "
                    f"{name!r} as ndarray:int32 (docs/formats.md, Stage 2); columns: {found}"
                )


# -- shared memory and temp-dir hygiene ------------------------------------------------------

_SHM_DIR = Path("/dev/shm")


def _streaming_shm_pattern() -> re.Pattern[str]:
    """Names streaming gives its segments: a six-digit prefix and a purpose (``000003_locals``)."""
    names = import_streaming().base.constant.SHM_TO_CLEAN
    alternatives = "|".join(map(re.escape, names))
    return re.compile(rf"^\d{{6}}_({alternatives})$")


def _mapped_shm_names() -> set[str]:
    """Names of /dev/shm segments that some live process has mapped."""
    names: set[str] = set()
    for maps in Path("/proc").glob("[0-9]*/maps"):
        try:
            text = maps.read_text()
        except OSError:  # the process exited, or is not ours to read
            continue
        for line in text.splitlines():
            where = line.find("/dev/shm/")
            if where != -1:
                names.add(line[where + len("/dev/shm/") :].removesuffix(" (deleted)"))
    return names


def release_orphaned_shared_memory() -> list[str]:
    """Unlink streaming's /dev/shm segments that no live process maps: debris of killed runs.

    `streaming.base.util.clean_stale_shared_memory()` unlinks every streaming segment it finds,
    including those of another run alive on the same machine (a second job, a test suite), whose
    coordination then breaks. A live dataset keeps all its segments mapped, so "mapped by nobody"
    is exactly "left by a dead process". Returns the names removed.
    """
    if not _SHM_DIR.is_dir():  # not Linux: nothing we can inspect; streaming's own checks apply
        return []
    pattern = _streaming_shm_pattern()
    candidates = [p for p in _SHM_DIR.iterdir() if pattern.match(p.name)]
    if not candidates:
        return []
    mapped = _mapped_shm_names()
    removed = []
    for path in candidates:
        if path.name in mapped:
            continue
        try:
            path.unlink()
            removed.append(path.name)
        except (FileNotFoundError, PermissionError):
            continue
    if removed:
        log.info("removed %d stale streaming shared-memory segments: %s", len(removed), ", ".join(removed))
    return removed


@contextmanager
def streaming_scratch() -> Iterator[Path]:
    """A private temp directory for streaming's file locks for the length of a run.

    Streaming puts its locks in ``tempfile.gettempdir()``; a lock left by a killed run in a shared
    /tmp makes the next run wait or skip. Dead runs' shared memory is released first; the scratch
    is removed on the way out, whatever happened inside.
    """
    release_orphaned_shared_memory()
    scratch = Path(tempfile.mkdtemp(prefix="headwater-streaming-"))
    saved_tempdir, saved_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = str(scratch)
    os.environ["TMPDIR"] = str(scratch)  # DataLoader workers and anything they spawn
    try:
        yield scratch
    finally:
        tempfile.tempdir = saved_tempdir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        shutil.rmtree(scratch, ignore_errors=True)


# -- batches ---------------------------------------------------------------------------------


@dataclass
class Batch:
    """One micro-batch: inputs, labels and segment ids (B, seq_len - 1), and a digest of the
    input tokens so the metrics can say which data each step saw."""

    inputs: torch.Tensor
    labels: torch.Tensor
    segments: torch.Tensor
    digest: str

    def to(self, device: torch.device) -> Batch:
        return Batch(
            self.inputs.to(device, non_blocking=True),
            self.labels.to(device, non_blocking=True),
            self.segments.to(device, non_blocking=True),
            self.digest,
        )

    @property
    def num_tokens(self) -> int:
        return self.inputs.numel()


def collate_packed(samples: list[dict[str, Any]], seq_len: int) -> dict[str, Any]:
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
    return {
        "inputs": torch.from_numpy(inputs),
        "labels": torch.from_numpy(labels),
        "segments": torch.from_numpy(np.ascontiguousarray(segments[:, :-1])),
        "digest": xxhash.xxh64_hexdigest(inputs.tobytes()),
    }


class TokenLoader:
    """An endless stream of micro-batches over the data source, epoch after epoch, whose position
    can be saved and restored exactly (`state_dict` / `load_state_dict`)."""

    def __init__(self, source: DataSource, micro_batch_size: int, num_workers: int = 0) -> None:
        streaming = import_streaming()
        streams = list(source.make_streams())
        for stream in streams:
            check_token_shards(os.path.join(stream.local, stream.split))
        self.dataset = streaming.StreamingDataset(
            streams=streams, shuffle=True, shuffle_seed=source.shuffle_seed, batch_size=micro_batch_size
        )
        self.loader = streaming.StreamingDataLoader(
            self.dataset,
            batch_size=micro_batch_size,
            num_workers=num_workers,
            collate_fn=partial(collate_packed, seq_len=source.seq_len),
            drop_last=True,
            persistent_workers=num_workers > 0,
            pin_memory=torch.cuda.is_available(),  # lets Batch.to(cuda, non_blocking=True) overlap
        )
        self._batches: Iterator[dict[str, Any]] | None = None
        self.epochs_started = 0
        if len(self.dataset) < micro_batch_size:
            self.close()
            raise ValueError(
                f"{source.description}: {len(self.dataset)} samples per device, fewer than one "
                f"micro-batch of {micro_batch_size}"
            )

    def next_batch(self) -> Batch:
        """The next micro-batch; an exhausted epoch starts the next one (reshuffled)."""
        for _ in range(2):  # a resumed epoch may have nothing left; the next one must not
            if self._batches is None:
                self._batches = iter(self.loader)
                self.epochs_started += 1
            try:
                return Batch(**next(self._batches))
            except StopIteration:
                self._batches = None
        raise RuntimeError("the data loader yielded no batch in a fresh epoch")

    def state_dict(self) -> dict[str, Any]:
        """Epoch and sample position; a loader given it yields next what this one yields next."""
        state = self.loader.state_dict()
        assert state is not None  # a StreamingDataset always has state
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.loader.load_state_dict(state)
        self._batches = None

    def close(self) -> None:
        """Stop workers and unlink this dataset's shared memory now rather than at exit."""
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
        prefix = getattr(self.dataset, "_shm_prefix_int", None)  # streaming's own naming
        if prefix is None:
            return
        pattern = _streaming_shm_pattern()
        for path in _SHM_DIR.glob(f"{prefix:06}_*"):
            if pattern.match(path.name):
                _unlink_shared_memory(path.name)


def _unlink_shared_memory(name: str) -> None:
    """Unlink a segment through the stdlib, which also drops it from this process's resource
    tracker (a plain file unlink leaves the tracker to complain about it at exit)."""
    try:
        shm = SharedMemory(name=name, create=False)
    except FileNotFoundError:
        return
    shm.close()
    shm.unlink()
