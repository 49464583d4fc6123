"""Which WARC files a run reads: a glob, a list of globs, or a CommonCrawl ``warc.paths.gz``."""

from __future__ import annotations

import gzip
import io

from apache_beam.io.filesystems import FileSystems

from common.errors import InputError

CC_PREFIX = "s3://commoncrawl/"


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
