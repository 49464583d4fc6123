"""mosaicml-streaming on our machines: importing it, and cleaning up after it.

Importing: ``streaming`` imports ``torchvision`` (for its vision datasets). The PyPI torchvision wheel is
built against CUDA torch; beside the CPU torch build its ``_C`` extension does not load, and
``torchvision._meta_registrations`` then fails with ``operator torchvision::nms does not exist``
while registering fake kernels for ops that were never loaded. Only in that case we import
torchvision without those registrations (there is nothing for them to describe) and retry.
Every module that needs ``streaming`` imports it through `import_streaming`.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import types
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)

_META = "torchvision._meta_registrations"
_LOCK = threading.Lock()  # Beam runs DoFns in threads: two first imports must not interleave


def import_streaming() -> ModuleType:
    with _LOCK:
        module = sys.modules.get("streaming")
        if module is not None and hasattr(module, "MDSWriter"):
            return module
        return _import()


_WRITER = "streaming.base.format.mds.writer"
_WRITER_PARENTS = ("streaming", "streaming.base", "streaming.base.format", "streaming.base.format.mds")


def mds_writer() -> type:
    """streaming's ``MDSWriter`` class, without importing the rest of streaming.

    Writers (Stage 1's shard writer in every Beam worker, Stage 2's packer) need only this class,
    but ``import streaming`` runs its package ``__init__`` files, which import its datasets and
    with them torchvision and transformers: about 6 CPU-seconds per process, more than a small
    Beam bundle costs. The parent packages are entered as empty placeholders, so only the writer
    module and what it imports itself are executed; the class is the same one, so the bytes it
    writes are too. `import_streaming` replaces the placeholders with the real packages.
    """
    with _LOCK:
        full = sys.modules.get("streaming")
        if full is not None and hasattr(full, "MDSWriter"):
            return full.MDSWriter
        if _WRITER not in sys.modules:
            import importlib
            import importlib.util

            spec = importlib.util.find_spec("streaming")
            if spec is None or not spec.submodule_search_locations:
                raise ImportError("mosaicml-streaming is not installed")
            root = Path(next(iter(spec.submodule_search_locations)))
            for name in _WRITER_PARENTS:
                if name not in sys.modules:
                    package = types.ModuleType(name)
                    package.__path__ = [str(root.joinpath(*name.split(".")[1:]))]
                    package.__package__ = name
                    package._headwater_placeholder = True  # type: ignore[attr-defined]
                    sys.modules[name] = package
            importlib.import_module(_WRITER)
        return sys.modules[_WRITER].MDSWriter


def _import() -> ModuleType:
    for name in _WRITER_PARENTS:  # placeholders of `mds_writer`: the real packages replace them
        if getattr(sys.modules.get(name), "_headwater_placeholder", False):
            del sys.modules[name]
    try:
        import streaming
    except RuntimeError as err:
        if "torchvision::" not in str(err):
            raise
        for name in [
            m for m in sys.modules if m == "torchvision" or m.startswith(("torchvision.", "streaming"))
        ]:
            del sys.modules[name]
        sys.modules[_META] = types.ModuleType(_META)
        import streaming
    return streaming


# -- shared memory and temp-dir hygiene ------------------------------------------------------
# Streaming coordinates its readers through /dev/shm segments and file locks in the temp dir; a
# killed process leaves both behind and the next run can hang or read stale state. Every reader
# of MDS datasets (the trainer, tests) uses these rather than streaming's own
# `clean_stale_shared_memory()`, which also removes the segments of runs still alive.

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


def _dist() -> Any:
    """torch.distributed when a process group of more than one rank exists, else None.

    Looked up rather than imported: a group exists only where the caller imported it, and
    Stage 1 code that uses this module stays free of torch (the house's import contracts)."""
    dist = sys.modules.get("torch.distributed")
    if dist is None or not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() == 1:
        return None
    return dist


def _job() -> tuple[int, int, int] | None:
    """(rank, local rank, world size) of a multi-rank job, or None for a single process.

    The local rank comes from the launcher's environment (torchrun and deepspeed set
    ``LOCAL_RANK``), as streaming itself reads it."""
    dist = _dist()
    if dist is None:
        return None
    return dist.get_rank(), int(os.environ.get("LOCAL_RANK", "0")), dist.get_world_size()


def _barrier() -> None:
    _dist().barrier()


def _job_token() -> str:
    """A name every rank of the job agrees on: drawn by rank 0, broadcast to the others."""
    dist = _dist()
    token = [uuid.uuid4().hex[:12] if dist.get_rank() == 0 else None]
    dist.broadcast_object_list(token, src=0)
    return str(token[0])


_shared_scratch = False
"""Inside a multi-rank `streaming_scratch`: datasets' segments are shared by the node's ranks."""


@contextmanager
def streaming_scratch() -> Iterator[Path]:
    """A temp directory for streaming's file locks for the length of a run.

    Streaming puts its locks in ``tempfile.gettempdir()``; a lock left by a killed run in a shared
    /tmp makes the next run wait or skip, so a run gets a directory of its own. The ranks of one
    job on one node share theirs: streaming's barrier between a node's ranks is a file lock plus
    shared memory, and a lock file that is private to each rank guards nothing. The ranks agree
    on its name (rank 0 draws it); on every node the first rank (``LOCAL_RANK`` 0) releases dead
    runs' shared memory before anyone builds a dataset and removes the directory when all ranks
    are done. A rank that fails leaves without waiting for the others: a barrier there could
    wait forever on ranks still in a step, and the launcher ends them anyway.
    """
    global _shared_scratch
    job = _job()
    leader = job is None or job[1] == 0
    if leader:
        release_orphaned_shared_memory()
    if job is None:
        scratch = Path(tempfile.mkdtemp(prefix="headwater-streaming-"))
    else:
        scratch = Path(tempfile.gettempdir()) / f"headwater-streaming-{_job_token()}"
        scratch.mkdir(exist_ok=True)
        _barrier()  # the leader's release is done before any rank creates a segment
        _shared_scratch = True
    saved_tempdir, saved_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = str(scratch)
    os.environ["TMPDIR"] = str(scratch)  # DataLoader workers and anything they spawn
    finished = False
    try:
        yield scratch
        finished = True
    finally:
        tempfile.tempdir = saved_tempdir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        _shared_scratch = False
        if job is not None and finished:
            _barrier()  # every rank of the job has closed its datasets
        if leader:
            shutil.rmtree(scratch, ignore_errors=True)


def release_dataset_shared_memory(dataset: object) -> None:
    """Unlink one StreamingDataset's segments now rather than at interpreter exit.

    Not inside a multi-rank `streaming_scratch`: there the segments are shared by the node's
    ranks, and a rank unlinking them while another still works with them fails on a segment
    already gone (or breaks the other). Each is left to the process that created it, which
    unlinks it at exit (streaming's own handler); a killed job's are released as orphans by the
    next run."""
    prefix = getattr(dataset, "_shm_prefix_int", None)  # streaming's own naming
    if prefix is None or _shared_scratch:
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
    try:
        shm.unlink()
    except FileNotFoundError:  # another process of this machine got there first
        return
