"""Stage 1's shard writers: Parquet and MDS files, and which shard a document goes to.

The layouts are `formats.documents`'; this module decides placement and does the writing.

A document's shard is a hash of its id, and rows in a shard are sorted by id, so the same input
and config give byte-identical shards whatever the runner, worker count or bundle order.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

from common import storage
from formats.documents import MDS_COLUMNS, Document, documents_to_table, mds_row, table_to_documents

PARQUET_OPTIONS = {"compression": "zstd", "use_dictionary": ["domain", "lang", "source", "drop_reason"]}


def shard_index(doc_id: str, num_shards: int) -> int:
    return xxhash.xxh64_intdigest(doc_id.encode("utf-8")) % num_shards


def shard_name(index: int, num_shards: int) -> str:
    return f"part-{index:05d}-of-{num_shards:05d}"


def sorted_by_id(docs: Iterable[Document]) -> list[Document]:
    return sorted(docs, key=lambda d: d.id)


def write_parquet(table: pa.Table, path: str) -> None:
    buf = io.BytesIO()
    pq.write_table(table, buf, **PARQUET_OPTIONS)
    storage.write_bytes(path, buf.getvalue())


def read_parquet(path: str, columns: Sequence[str] | None = None) -> pa.Table:
    fs, p = storage.filesystem(path)
    return pq.read_table(p, filesystem=fs, columns=list(columns) if columns else None)


def write_documents(docs: Sequence[Document], path: str, columns: Sequence[str] | None = None) -> None:
    """Documents (all columns, or ``columns``) as one Parquet file, rows in the given order."""
    write_parquet(documents_to_table(docs, columns), path)


def read_documents(path: str) -> list[Document]:
    return table_to_documents(read_parquet(path))


def write_mds(docs: Sequence[Document], out_dir: str, compression: str | None) -> None:
    """One MDS dataset (index.json + shards) for these documents, replaced atomically.

    A local folder is written beside its final place and renamed into it; a remote one is
    uploaded by streaming itself, shard by shard, with the index last.
    """
    if "://" in out_dir:
        _write_mds_rows(out_dir, docs, compression)
        return
    with storage.staged_dir(out_dir) as staged:
        _write_mds_rows(str(staged), docs, compression)


def _write_mds_rows(out: str, docs: Sequence[Document], compression: str | None) -> None:
    from common.streaming import mds_writer

    with mds_writer()(out=out, columns=MDS_COLUMNS, compression=compression) as w:
        for d in docs:
            w.write(mds_row(d))


def merge_mds_indexes(domain_dir: str, part_dirs: Sequence[str]) -> None:
    """Write ``domain_dir/index.json`` listing every part's shards (paths relative to it).

    Equivalent to streaming's ``merge_index`` but deterministic in order and local-or-remote
    through pyarrow's filesystems.
    """
    shards: list[dict[str, Any]] = []
    for part in sorted(part_dirs):
        index = json.loads(storage.read_bytes(storage.join(part, "index.json")))
        rel = part.rstrip("/").rsplit("/", 1)[-1]
        for shard in index["shards"]:
            shard = json.loads(json.dumps(shard))
            for key in ("raw_data", "zip_data"):
                if shard.get(key):
                    shard[key]["basename"] = f"{rel}/{shard[key]['basename']}"
            shards.append(shard)
    storage.write_bytes(
        storage.join(domain_dir, "index.json"),
        json.dumps({"version": 2, "shards": shards}, indent=2).encode(),
    )
