"""Reading and writing output files on local disk or object stores, atomically.

pyarrow's filesystems cover local paths, ``gs://``, ``s3://`` and HDFS without Beam, so the same
writers serve a laptop run and a Dataflow run. Every output is written under a temporary name
beside its final place and then moved there in one step, so a reader (or a resumed run) never
sees half of it: `atomic_output` for a file, `staged_dir` and `replace_dir` for a folder
(local only: object stores have no folder rename). Temporary names end in `TMP_SUFFIX`, which
`remove_stale_temporaries` clears after a crash.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import io
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pyarrow.fs as pafs

TMP_SUFFIX = ".inprogress"


def filesystem(path: str) -> tuple[pafs.FileSystem, str]:
    """The filesystem holding ``path`` and the path inside it."""
    if "://" in path:
        return pafs.FileSystem.from_uri(path)
    return pafs.LocalFileSystem(), os.path.abspath(path)


def join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *[p.strip("/") for p in parts]])


def exists(path: str) -> bool:
    fs, p = filesystem(path)
    return fs.get_file_info(p).type != pafs.FileType.NotFound


def has_entries(path: str) -> bool:
    """Whether the folder exists and holds any file or folder."""
    fs, p = filesystem(path)
    if fs.get_file_info(p).type != pafs.FileType.Directory:
        return False
    return bool(fs.get_file_info(pafs.FileSelector(p, recursive=False)))


FULL_DISK_ENV = "HEADWATER_FULL_DISK"
"""Fault injection: an `fnmatch` pattern of output paths whose write fails with ENOSPC once half
its bytes are down, as a disk filling up does. An environment variable, so that it reaches Beam's
worker processes; tests/hostile/test_faults.py sets it, nothing else should."""


class _FullDisk(io.RawIOBase):
    """An output stream on a disk that fills up during the first write."""

    def __init__(self, stream: BinaryIO, path: str) -> None:
        super().__init__()
        self._stream, self._path = stream, path

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self._stream.write(bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self._path)


def _disk_full_for(path: str) -> bool:
    pattern = os.environ.get(FULL_DISK_ENV)
    return bool(pattern) and fnmatch.fnmatch(path, pattern)


@contextlib.contextmanager
def atomic_output(path: str) -> Iterator[BinaryIO]:
    """Write to a temporary sibling, then move over ``path``; nothing is left on failure.

    A write that fails (a full disk, a lost bucket) raises an `OSError` naming ``path`` and its
    errno, whatever the filesystem layer said: the run stops saying which output it could not
    write, and the temporary is deleted, so a restart finds the output absent, never half there.
    """
    fs, p = filesystem(path)
    parent = p.rsplit("/", 1)[0]
    tmp = f"{p}.{uuid.uuid4().hex[:8]}{TMP_SUFFIX}"
    try:
        fs.create_dir(parent, recursive=True)
        with fs.open_output_stream(tmp) as out:
            yield _FullDisk(out, path) if _disk_full_for(path) else out
        fs.move(tmp, p)
    except OSError as err:
        with contextlib.suppress(OSError):
            fs.delete_file(tmp)
        if err.filename == path:
            raise
        raise OSError(err.errno, f"cannot write ({err.strerror or err})", path) from err
    except BaseException:
        with contextlib.suppress(OSError):
            fs.delete_file(tmp)
        raise


def replace_dir(staged: str | Path, final: str | Path) -> None:
    """Put a completely written local folder at ``final`` with one rename; an existing ``final``
    is removed first (readers of the old folder may see it missing, never half-written)."""
    final = Path(final)
    if final.exists():
        shutil.rmtree(final)
    os.replace(staged, final)


@contextlib.contextmanager
def staged_dir(final: str | Path, *, replace: bool = True) -> Iterator[Path]:
    """An empty folder beside ``final`` to write into, moved to ``final`` when the block ends
    without error and deleted otherwise.

    With ``replace=False`` an existing ``final`` wins (several workers building the same cache
    entry: the first complete one stays, the others' work is discarded).
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    staged = final.parent / f".{final.name}.{uuid.uuid4().hex[:8]}{TMP_SUFFIX}"
    staged.mkdir()  # the umask's permissions, as `final` would get (mkdtemp's are 0700)
    try:
        yield staged
        if replace:
            replace_dir(staged, final)
        elif not final.exists():
            try:
                os.replace(staged, final)
            except OSError:
                if not final.exists():  # not a concurrent writer that got there first
                    raise
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def write_bytes(path: str, data: bytes) -> None:
    with atomic_output(path) as out:
        out.write(data)


def read_bytes(path: str) -> bytes:
    fs, p = filesystem(path)
    with fs.open_input_stream(p) as f:
        return f.read()


def remove_stale_temporaries(path: str) -> int:
    """Delete the temporary files and folders (``*.inprogress``) a killed run left under
    ``path``; returns how many."""
    fs, p = filesystem(path)
    if fs.get_file_info(p).type == pafs.FileType.NotFound:
        return 0
    stale = [i for i in fs.get_file_info(pafs.FileSelector(p, recursive=True)) if i.path.endswith(TMP_SUFFIX)]
    removed = 0
    for info in stale:
        with contextlib.suppress(OSError):  # a folder's contents may have gone with it already
            if info.type == pafs.FileType.Directory:
                fs.delete_dir(info.path)
            else:
                fs.delete_file(info.path)
            removed += 1
    return removed
