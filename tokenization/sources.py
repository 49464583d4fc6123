"""Reading the Stage 1 output: which Parquet shards exist for each domain, and their text.

Stage 1's ``manifest.json`` is written last, so its presence means the run completed, and its
``shards`` list says which files must be there and how many documents each holds. We trust that
list over the directory: a listed shard that is missing, unreadable or holds a different number
of documents is an error naming the file, so no document is silently lost between stages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from common.errors import InputError
from formats.clean_manifest import CleanManifest, read_clean_manifest
from formats.documents import ID_COLUMN, TEXT_COLUMN

N_CHARS_COLUMN = "n_chars"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ParquetShard:
    """One Stage 1 shard of kept documents."""

    path: Path
    domain: str
    documents: int
    """Row count promised by the Stage 1 manifest."""


def find_shards(
    clean_out: str | Path, manifest: CleanManifest | None = None
) -> dict[str, list[ParquetShard]]:
    """Domain -> its Parquet shards in sorted path order (the order every reader uses)."""
    clean_out = Path(clean_out)
    manifest = manifest or read_clean_manifest(str(clean_out))
    where = clean_out / "manifest.json"
    listed: dict[Path, ParquetShard] = {}
    for i, entry in enumerate(manifest.shards):
        if entry.format != "parquet":
            continue
        parts = Path(entry.path).parts
        if len(parts) != 3 or parts[0] != "parquet" or not entry.path.endswith(".parquet"):
            raise InputError(f"{where}: shards[{i}].path {entry.path!r} is not parquet/<domain>/<file>")
        if entry.domain != parts[1]:
            raise InputError(
                f"{where}: shards[{i}] says domain {entry.domain!r} but lives in parquet/{parts[1]}/"
            )
        listed[clean_out / entry.path] = ParquetShard(clean_out / entry.path, entry.domain, entry.documents)
    if not listed:
        log.warning("%s lists no Parquet shards: nothing to read", where)
    for path in sorted(set((clean_out / "parquet").glob("*/*.parquet")) - set(listed)):
        log.warning("%s is not in the Stage 1 manifest; skipping it (left over from another run?)", path)
    for shard in listed.values():
        if not shard.path.is_file():
            raise InputError(f"{shard.path}: shard listed in {where} is missing")

    by_domain: dict[str, list[ParquetShard]] = {}
    for path in sorted(listed):
        by_domain.setdefault(listed[path].domain, []).append(listed[path])
    return dict(sorted(by_domain.items()))


def _open(shard: ParquetShard) -> pq.ParquetFile:
    try:
        pf = pq.ParquetFile(shard.path)
    except FileNotFoundError:
        raise InputError(f"{shard.path}: shard is missing") from None
    except (OSError, pa.ArrowException) as err:
        raise InputError(f"{shard.path}: unreadable Parquet shard: {err}") from None
    names = pf.schema_arrow.names
    if TEXT_COLUMN not in names:
        raise InputError(f"{shard.path}: no {TEXT_COLUMN!r} column (columns: {', '.join(names)})")
    if pf.metadata.num_rows != shard.documents:
        raise InputError(
            f"{shard.path}: holds {pf.metadata.num_rows} documents but the Stage 1 manifest says {shard.documents}"
        )
    return pf


def read_ids(shard: ParquetShard) -> tuple[list[str], list[int] | None]:
    """Document ids in file order, and each document's length in characters (Stage 1's
    ``n_chars``; None when the shard lacks it). Ids fall back to row positions if the shard has
    no id column."""
    pf = _open(shard)
    names = pf.schema_arrow.names
    columns = [c for c in (ID_COLUMN, N_CHARS_COLUMN) if c in names]
    try:
        table = pf.read(columns=columns) if columns else None
    except (OSError, pa.ArrowException) as err:
        raise InputError(f"{shard.path}: unreadable Parquet shard: {err}") from None
    if table is not None and ID_COLUMN in columns:
        ids = table.column(ID_COLUMN).to_pylist()
    else:
        ids = [f"{shard.path.name}#{i}" for i in range(pf.metadata.num_rows)]
    sizes = table.column(N_CHARS_COLUMN).to_pylist() if N_CHARS_COLUMN in columns else None
    return ids, sizes


def iter_text_batches(shard: ParquetShard, batch_rows: int = 1024) -> Iterator[list[str]]:
    """The shard's texts in file order, in batches; a null text is an error naming the row."""
    pf = _open(shard)
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=batch_rows, columns=[TEXT_COLUMN]):
            column = batch.column(0)
            if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
                raise InputError(f"{shard.path}: column {TEXT_COLUMN!r} holds {column.type}, not strings")
            if column.null_count:
                j = column.is_null().index(True).as_py()
                raise InputError(f"{shard.path}: row {row + j} has no text (null)")
            row += len(column)
            yield column.to_pylist()
    except (OSError, pa.ArrowException) as err:
        raise InputError(f"{shard.path}: unreadable Parquet shard at row {row}: {err}") from None
