"""Shard formats: documents <-> Arrow tables, Parquet and MDS writers, deterministic placement.

A document's shard is a hash of its id, and rows in a shard are sorted by id, so the same input
and config give byte-identical shards whatever the runner, worker count or bundle order.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

from common import storage
from corpus.schema import Document

SCORES_TYPE = pa.map_(pa.string(), pa.float64())

# Every field of a Document: the intermediate (_work) and attributes files round-trip with it.
DOCUMENT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("url", pa.string()),
        ("domain", pa.string()),
        ("lang", pa.string()),
        ("text", pa.string()),
        ("source", pa.string()),
        ("offset", pa.int64()),
        ("date", pa.string()),
        ("charset", pa.string()),
        ("html_bytes", pa.int64()),
        ("n_chars", pa.int64()),
        ("scores", SCORES_TYPE),
        ("drop_reason", pa.string()),
        ("drop_detail", pa.string()),
    ]
)
SHARD_COLUMNS = ["id", "url", "domain", "lang", "text", "source", "offset", "date", "n_chars", "scores"]
ATTRIBUTE_COLUMNS = [c for c in DOCUMENT_SCHEMA.names if c != "text"]
MDS_COLUMNS = {"id": "str", "url": "str", "domain": "str", "lang": "str", "text": "str"}
PARQUET_OPTIONS = {"compression": "zstd", "use_dictionary": ["domain", "lang", "source", "drop_reason"]}


def shard_index(doc_id: str, num_shards: int) -> int:
    return xxhash.xxh64_intdigest(doc_id.encode("utf-8")) % num_shards


def shard_name(index: int, num_shards: int) -> str:
    return f"part-{index:05d}-of-{num_shards:05d}"


def documents_to_table(docs: Sequence[Document], columns: Sequence[str] | None = None) -> pa.Table:
    """Columns of DOCUMENT_SCHEMA (or a subset), rows in the given order."""
    data: dict[str, list[Any]] = {
        "id": [d.id for d in docs],
        "url": [d.url for d in docs],
        "domain": [d.domain for d in docs],
        "lang": [d.lang for d in docs],
        "text": [d.text for d in docs],
        "source": [d.source for d in docs],
        "offset": [d.offset for d in docs],
        "date": [d.date for d in docs],
        "charset": [d.charset for d in docs],
        "html_bytes": [d.html_bytes for d in docs],
        "n_chars": [len(d.text) for d in docs],
        "scores": [sorted(d.scores.items()) for d in docs],
        "drop_reason": [d.drop_reason for d in docs],
        "drop_detail": [d.drop_detail for d in docs],
    }
    table = pa.table(data, schema=DOCUMENT_SCHEMA)
    return table.select(list(columns)) if columns is not None else table


def table_to_documents(table: pa.Table) -> list[Document]:
    rows = table.to_pylist()
    return [
        Document(
            id=r["id"],
            url=r["url"],
            domain=r["domain"],
            text=r.get("text") or "",
            source=r["source"],
            offset=r["offset"],
            date=r["date"],
            lang=r["lang"],
            charset=r.get("charset") or "",
            html_bytes=r.get("html_bytes") or 0,
            scores=dict(r["scores"] or []),
            drop_reason=r.get("drop_reason"),
            drop_detail=r.get("drop_detail") or "",
        )
        for r in rows
    ]


def sorted_by_id(docs: Iterable[Document]) -> list[Document]:
    return sorted(docs, key=lambda d: d.id)


def write_parquet(table: pa.Table, path: str) -> None:
    buf = io.BytesIO()
    pq.write_table(table, buf, **PARQUET_OPTIONS)
    storage.write_bytes(path, buf.getvalue())


def read_parquet(path: str, columns: Sequence[str] | None = None) -> pa.Table:
    fs, p = storage.filesystem(path)
    return pq.read_table(p, filesystem=fs, columns=list(columns) if columns else None)


def write_mds(docs: Sequence[Document], out_dir: str, compression: str | None) -> None:
    """One MDS dataset (index.json + shards) for these documents, replaced atomically.

    MDSWriter refuses a non-empty local folder, so it writes into a fresh temporary folder that
    is then moved into place (local output) or uploaded by streaming itself (remote output).
    """
    from common.streaming import import_streaming

    streaming = import_streaming()
    if "://" in out_dir:
        with streaming.MDSWriter(out=out_dir, columns=MDS_COLUMNS, compression=compression) as w:
            for d in docs:
                w.write({"id": d.id, "url": d.url, "domain": d.domain, "lang": d.lang, "text": d.text})
        return
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".mds-", suffix=storage.TMP_SUFFIX, dir=parent)
    try:
        target = os.path.join(tmp, "data")
        with streaming.MDSWriter(out=target, columns=MDS_COLUMNS, compression=compression) as w:
            for d in docs:
                w.write({"id": d.id, "url": d.url, "domain": d.domain, "lang": d.lang, "text": d.text})
        if os.path.exists(out_dir):
            shutil.rmtree(out_dir)
        os.replace(target, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
