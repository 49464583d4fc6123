"""The texts a team trains a quality classifier on: JSONL, our Parquet shards, or a Stage 1 output.

What was read is recorded for the model card: every file, its size and SHA-256, and how many
texts it gave, so a model can be traced to its data and retrained from the same bytes.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq

from common.errors import InputError
from corpus.quality.card import SourceFile, file_sha256
from formats.clean_manifest import read_clean_manifest
from formats.documents import TEXT_COLUMN
from formats.manifest_io import MANIFEST_FILE

SUFFIXES = (".jsonl", ".jsonl.gz", ".parquet")


def input_files(path: str) -> list[Path]:
    """The files behind one ``--positive``/``--negative`` argument: a file, a Stage 1 output (its
    Parquet shards, from its manifest), or a folder (every JSONL and Parquet file below, sorted)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: not found")
    if p.is_file():
        if not p.name.endswith(SUFFIXES):
            raise InputError(f"{path}: not a .jsonl, .jsonl.gz or .parquet file")
        return [p]
    if (p / MANIFEST_FILE).is_file():
        manifest = read_clean_manifest(str(p))
        return [p / s.path for s in manifest.shards_of("parquet")]
    files = sorted(f for f in p.rglob("*") if f.is_file() and f.name.endswith(SUFFIXES))
    if not files:
        raise InputError(f"{path}: no .jsonl, .jsonl.gz or .parquet files in this folder")
    return files


def _jsonl(path: Path, key: str) -> Iterator[str]:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as err:
                    raise InputError(f"{path}:{n}: not a JSON object ({err.msg})") from None
                text = row.get(key) if isinstance(row, dict) else None
                if not isinstance(text, str):
                    raise InputError(f"{path}:{n}: no string {key!r} in this record")
                yield text
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read it: {err}") from None


def _parquet(path: Path) -> Iterator[str]:
    try:
        f = pq.ParquetFile(path)
        if TEXT_COLUMN not in f.schema_arrow.names:
            raise InputError(
                f"{path}: no {TEXT_COLUMN!r} column (columns: {', '.join(f.schema_arrow.names)})"
            )
        for batch in f.iter_batches(columns=[TEXT_COLUMN], batch_size=4096):
            yield from (t for t in batch.column(0).to_pylist() if t is not None)
    except InputError:
        raise
    except Exception as err:
        raise InputError(f"{path}: cannot read it as Parquet: {type(err).__name__}: {err}") from None


def read_texts(paths: list[str], text_key: str = "text") -> tuple[list[str], list[SourceFile]]:
    """Every non-blank text of ``paths`` in file order, and what each file gave."""
    texts: list[str] = []
    sources: list[SourceFile] = []
    for path in paths:
        for file in input_files(path):
            rows = _parquet(file) if file.name.endswith(".parquet") else _jsonl(file, text_key)
            before = len(texts)
            texts.extend(t for t in rows if t.strip())
            sources.append(
                SourceFile(
                    path=str(file),
                    bytes=file.stat().st_size,
                    sha256=file_sha256(file),
                    texts=len(texts) - before,
                )
            )
    return texts, sources
