"""Which WARC files a run reads: a glob, a list of globs, or a CommonCrawl ``warc.paths.gz``;
and how a Beam worker reads one over ``https://``.

Beam's filesystems cover local paths, ``gs://`` (the ``gcp`` extra) and ``s3://`` (the ``aws``
extra), but not HTTP. CommonCrawl's anonymous endpoint is HTTPS (its S3 bucket wants AWS
credentials), so `HttpFileSystem` registers ``http``/``https`` with Beam, read-only, through
fsspec's HTTP files: seekable by Range requests, which the WARC reader needs to resume after a
broken member. Importing this module registers it; `pipelines.transforms` does, on every worker.
"""

from __future__ import annotations

import gzip
import io
from typing import BinaryIO

import fsspec
from apache_beam.io.filesystem import BeamIOError, CompressionTypes, FileMetadata, FileSystem
from apache_beam.io.filesystems import FileSystems

from common.errors import InputError

CC_PREFIX = "https://data.commoncrawl.org/"
"""Where the relative paths of a CommonCrawl ``warc.paths.gz`` point by default: the public
HTTPS endpoint, readable without credentials from anywhere (``s3://commoncrawl/`` needs AWS
credentials, and is the faster choice from inside us-east-1)."""
HTTP_BLOCK_BYTES = 8 << 20


class HttpFileSystem(FileSystem):
    """Read-only ``http(s)://`` files for Beam: exact URLs (no listing, so no globs), opened as
    seekable fsspec files that fetch ``HTTP_BLOCK_BYTES`` per Range request."""

    def __init__(self, pipeline_options=None) -> None:
        super().__init__(pipeline_options)
        self._fs = fsspec.filesystem("https")

    @classmethod
    def scheme(cls) -> str:
        return "https"

    def join(self, basepath: str, *paths: str) -> str:
        return "/".join([basepath.rstrip("/"), *[p.strip("/") for p in paths]])

    def split(self, path: str) -> tuple[str, str]:
        head, _, tail = path.rstrip("/").rpartition("/")
        return head, tail

    def has_dirs(self) -> bool:
        return False

    def _list(self, dir_or_prefix: str):
        raise BeamIOError(f"{dir_or_prefix}: an HTTP server cannot be listed; name each file")

    def exists(self, path: str) -> bool:
        return bool(self._fs.exists(path))

    def size(self, path: str) -> int:
        return int(self._fs.size(path))

    def metadata(self, path: str) -> FileMetadata:
        return FileMetadata(path, self.size(path))

    def last_updated(self, path: str) -> float:
        raise BeamIOError(f"{path}: HTTP files have no modification time here")

    def checksum(self, path: str) -> str:
        return str(self.size(path))

    def open(
        self,
        path: str,
        mime_type: str = "application/octet-stream",
        compression_type: str = CompressionTypes.AUTO,
    ) -> BinaryIO:
        """The bytes as served, whatever ``compression_type``: the WARC reader decompresses
        members itself and `read_paths_file` sniffs gzip."""
        return self._fs.open(path, "rb", block_size=HTTP_BLOCK_BYTES, cache_type="readahead")

    def _read_only(self, *paths: object):
        raise BeamIOError(f"HTTP inputs are read-only: {paths}")

    def create(self, path, mime_type="application/octet-stream", compression_type=CompressionTypes.AUTO):
        self._read_only(path)

    def mkdirs(self, path):
        self._read_only(path)

    def copy(self, source_file_names, destination_file_names):
        self._read_only(source_file_names)

    def rename(self, source_file_names, destination_file_names):
        self._read_only(source_file_names)

    def delete(self, paths):
        self._read_only(paths)


class _PlainHttpFileSystem(HttpFileSystem):
    @classmethod
    def scheme(cls) -> str:
        return "http"


def _match(pattern: str) -> list[str]:
    try:
        results = FileSystems.match([pattern])
    except Exception as err:
        raise InputError(f"{pattern}: cannot list input files: {err}") from None
    return [m.path for r in results for m in r.metadata_list]


def read_paths_file(path: str, prefix: str) -> list[str]:
    """CommonCrawl's ``warc.paths.gz``: one relative path per line, joined to ``prefix``."""
    try:
        with FileSystems.open(path) as f:
            raw = f.read()
    except Exception as err:
        raise InputError(f"{path}: cannot read the paths file: {err}") from None
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    lines = [line.strip() for line in io.StringIO(raw.decode("utf-8")).read().splitlines()]
    return [line if "://" in line else prefix.rstrip("/") + "/" + line.lstrip("/") for line in lines if line]


def list_inputs(specs: list[str], paths_prefix: str = CC_PREFIX) -> list[str]:
    """Sorted, de-duplicated input files; the order (and so the output) never depends on listing."""
    files: set[str] = set()
    for spec in specs:
        if spec.endswith((".paths", ".paths.gz")):
            files.update(read_paths_file(spec, paths_prefix))
            continue
        matched = _match(spec)
        if not matched:
            raise InputError(f"{spec}: no input file matches")
        files.update(matched)
    if not files:
        raise InputError("no input files given")
    return sorted(files)
