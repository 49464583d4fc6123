"""Checkpoints that a crash can never leave half-written as the one to resume from.

DeepSpeed writes the model, optimizer, LR-scheduler and ZeRO partitions of every rank; our
training state rides along in its ``client_state`` (step, tokens seen per domain, the data
loader's position, every rank's RNG states, the spike guard's history, the run identity, the
world size). DeepSpeed keeps ``client_state`` in rank 0's file only, so per-rank state is
gathered to rank 0 before a save. A checkpoint is written under ``.staging/``, moved into place with
one rename once every rank has written its part, and only then named in ``latest``:

    <dir>/latest                 the tag of the newest complete checkpoint (DeepSpeed's format)
    <dir>/step-00000040/         a complete checkpoint (+ headwater.json: what it holds)
    <dir>/.staging/step-...      a checkpoint being written, or the debris of a crash

`Checkpointer.load` resumes from what ``latest`` names and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist

from common import storage
from train.engine import World

log = logging.getLogger(__name__)

LATEST = "latest"
META = "headwater.json"
_STAGING = ".staging"
_CLIENT_KEY = "headwater"


def tag_for(step: int) -> str:
    return f"step-{step:08d}"


def capture_rng() -> dict[str, Any]:
    """Every RNG a training step may draw from, in this process."""
    state: dict[str, Any] = {
        "python": random.getstate(),
        "numpy": np.random.get_state(),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state: dict[str, Any]) -> None:
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _barrier() -> None:
    if dist.is_available() and dist.is_initialized():
        dist.barrier()


class Checkpointer:
    """Saves and finds the run's checkpoints in one directory."""

    def __init__(self, root: str | Path, keep: int, world: World) -> None:
        self.root = Path(root)
        self.keep = keep
        self.world = world

    def save(self, engine: Any, step: int, state: dict[str, Any], meta: dict[str, Any]) -> Path:
        """Write a checkpoint of step ``step`` (every rank calls this). ``state`` is restored by
        `load`; ``meta`` is a human-readable summary written beside it."""
        tag = tag_for(step)
        staging = self.root / _STAGING
        final = self.root / tag
        if self.world.is_main:
            shutil.rmtree(staging / tag, ignore_errors=True)  # debris of a crash while saving
        _barrier()
        engine.save_checkpoint(str(staging), tag=tag, client_state={_CLIENT_KEY: state}, save_latest=False)
        if self.world.is_main:
            record = {**meta, "step": step, "saved_at": time.time()}
            storage.write_bytes(str(staging / tag / META), json.dumps(record).encode("utf-8"))
            # replaces the same step saved by an earlier attempt that did not reach `latest`
            storage.replace_dir(staging / tag, final)
            for helper in staging.glob("zero_to_*.py"):  # DeepSpeed's ZeRO -> fp32 export scripts
                os.replace(helper, self.root / helper.name)
            storage.write_bytes(str(self.root / LATEST), tag.encode("utf-8"))
            self._prune(keep_tag=tag)
            with contextlib.suppress(OSError):  # empty unless another save is under way
                staging.rmdir()
        _barrier()
        log.info("checkpoint %s written", final)
        return final

    def latest(self) -> Path | None:
        """The newest complete checkpoint, or None when there is none yet."""
        marker = self.root / LATEST
        if not marker.is_file():
            return None
        tag = marker.read_text(encoding="utf-8").strip()
        path = self.root / tag
        if not (path / META).is_file():
            raise RuntimeError(f"{marker} names {tag!r}, but {path} is not a complete checkpoint")
        return path

    def clear(self) -> None:
        """Delete the checkpoints of this directory (a fresh run replacing an old one): what
        `save` writes and nothing else, in case the directory is shared with other files."""
        if self.world.is_main:
            (self.root / LATEST).unlink(missing_ok=True)  # first: never names a half-deleted one
            for path in [*self.root.glob("step-*"), self.root / _STAGING]:
                shutil.rmtree(path, ignore_errors=True)
            for helper in self.root.glob("zero_to_*.py"):
                helper.unlink()
        _barrier()

    def read_meta(self, path: Path) -> dict[str, Any]:
        """What a complete checkpoint holds, without loading it (written beside DeepSpeed's files)."""
        return json.loads((path / META).read_text(encoding="utf-8"))

    def load(self, engine: Any, path: Path) -> dict[str, Any]:
        """Restore the engine from the complete checkpoint ``path`` (every rank calls this with
        the same one); returns our state."""
        loaded, client_state = engine.load_checkpoint(str(self.root), tag=path.name)
        if loaded is None or not client_state or _CLIENT_KEY not in client_state:
            raise RuntimeError(f"{path}: DeepSpeed could not load this checkpoint")
        return client_state[_CLIENT_KEY]

    def _prune(self, keep_tag: str) -> None:
        complete = sorted(p for p in self.root.glob("step-*") if (p / META).is_file())
        for old in complete[: max(0, len(complete) - self.keep)]:
            if old.name != keep_tag:
                shutil.rmtree(old, ignore_errors=True)
