"""Reading and writing output files on local disk or object stores, atomically.

pyarrow's filesystems cover local paths, ``gs://``, ``s3://`` and HDFS without Beam, so the same
writers serve a laptop run and a Dataflow run. A file is written under a temporary name in its
final folder and then moved into place: a reader (or a resumed run) never sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
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


@contextlib.contextmanager
def atomic_output(path: str) -> Iterator[BinaryIO]:
    """Write to a temporary sibling, then move over ``path``; nothing is left on failure."""
    fs, p = filesystem(path)
    parent = p.rsplit("/", 1)[0]
    fs.create_dir(parent, recursive=True)
    tmp = f"{p}.{uuid.uuid4().hex[:8]}{TMP_SUFFIX}"
    try:
        with fs.open_output_stream(tmp) as out:
            yield out
        fs.move(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            fs.delete_file(tmp)
        raise


def write_bytes(path: str, data: bytes) -> None:
    with atomic_output(path) as out:
        out.write(data)


def read_bytes(path: str) -> bytes:
    fs, p = filesystem(path)
    with fs.open_input_stream(p) as f:
        return f.read()


def remove_stale_temporaries(path: str) -> int:
    """Delete ``*.inprogress`` files a killed run left under ``path``; returns how many."""
    fs, p = filesystem(path)
    if fs.get_file_info(p).type == pafs.FileType.NotFound:
        return 0
    stale = [
        i.path
        for i in fs.get_file_info(pafs.FileSelector(p, recursive=True))
        if i.type == pafs.FileType.File and i.path.endswith(TMP_SUFFIX)
    ]
    for f in stale:
        with contextlib.suppress(OSError):
            fs.delete_file(f)
    return len(stale)
