"""What a run's files hold, from their metadata only: documents per Parquet shard (footer row
counts), the text column's size on disk and decoded (column-chunk statistics), MDS indexes
against the manifest, and every file the manifest lists that is missing, unreadable or short,
named. No document is read here, so this costs the same at a thousand documents or a billion.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

import pyarrow.parquet as pq

from common import storage
from corpus.stats.runs import Run, file_size
from formats.documents import TEXT_COLUMN


@dataclass
class ShardRow:
    path: str
    domain: str
    documents: int
    chars: int
    file_bytes: int
    text_bytes: int
    """The text column's decoded size (Parquet column-chunk metadata: UTF-8 bytes plus 4 bytes of
    length per value)."""
    text_bytes_on_disk: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _metadata(run: Run, rel: str, what: str) -> pq.FileMetaData | None:
    path = storage.join(run.path, rel)
    if not storage.exists(path):
        run.problems.append(f"{rel}: {what} missing")
        return None
    fs, p = storage.filesystem(path)
    try:
        with fs.open_input_file(p) as f:
            return pq.read_metadata(f)
    except Exception as err:
        run.problems.append(f"{rel}: {what} unreadable ({type(err).__name__}: {err})")
        return None


def parquet_shards(run: Run) -> list[ShardRow]:
    """One row per Parquet shard the manifest lists and that can be opened; a missing,
    unreadable or short shard goes to ``run.problems``."""
    rows = []
    for info in run.manifest.shards_of("parquet"):
        meta = _metadata(run, info.path, "shard")
        if meta is None:
            continue
        if meta.num_rows != info.documents:
            run.problems.append(
                f"{info.path}: partial shard: {meta.num_rows:,} documents, the manifest says {info.documents:,}"
            )
        decoded = on_disk = 0
        names = meta.schema.to_arrow_schema().names
        if TEXT_COLUMN in names:
            col = names.index(TEXT_COLUMN)
            for g in range(meta.num_row_groups):
                chunk = meta.row_group(g).column(col)
                decoded += chunk.total_uncompressed_size
                on_disk += chunk.total_compressed_size
        rows.append(
            ShardRow(
                path=info.path,
                domain=info.domain,
                documents=meta.num_rows,
                chars=info.chars,
                file_bytes=file_size(storage.join(run.path, info.path)) or 0,
                text_bytes=decoded,
                text_bytes_on_disk=on_disk,
            )
        )
    return rows


def check_mds(run: Run) -> None:
    """Each MDS part's index against the manifest's count, and every shard file it lists present
    at the size it records."""
    domains = set()
    for info in run.manifest.shards_of("mds"):
        domains.add(info.domain)
        index_path = storage.join(run.path, info.path, "index.json")
        if not storage.exists(index_path):
            run.problems.append(f"{info.path}: MDS index.json missing")
            continue
        try:
            index = json.loads(storage.read_bytes(index_path))
            samples = sum(s["samples"] for s in index["shards"])
        except (OSError, ValueError, KeyError, TypeError) as err:
            run.problems.append(f"{info.path}/index.json: unreadable ({type(err).__name__}: {err})")
            continue
        if samples != info.documents:
            run.problems.append(
                f"{info.path}: partial MDS part: {samples:,} samples, the manifest says {info.documents:,}"
            )
        for shard in index["shards"]:
            data = shard.get("zip_data") or shard.get("raw_data") or {}
            name, size = data.get("basename"), data.get("bytes")
            if not name:
                continue
            actual = file_size(storage.join(run.path, info.path, name))
            if actual is None:
                run.problems.append(f"{info.path}/{name}: MDS shard file missing")
            elif size is not None and actual != size:
                run.problems.append(
                    f"{info.path}/{name}: partial MDS shard file: {actual:,} bytes of {size:,}"
                )
    for domain in sorted(domains):
        if not storage.exists(storage.join(run.path, "mds", domain, "index.json")):
            run.problems.append(f"mds/{domain}/index.json: merged MDS index missing")


def check_tables(run: Run) -> int:
    """Rows of ``attributes/`` (from the footers) against the manifest's records, and the
    ``dropped/`` and ``errors/`` files present; returns the attribute rows found."""
    rows = 0
    for rel in run.manifest.attributes:
        meta = _metadata(run, rel, "attributes file")
        rows += meta.num_rows if meta is not None else 0
    records = run.manifest.counts.records
    if rows != records and run.manifest.attributes:
        run.problems.append(
            f"attributes/ holds {rows:,} documents, the manifest counts {records:,}: "
            f"{abs(records - rows):,} documents are {'missing' if rows < records else 'extra'}"
        )
    for rel in run.manifest.dropped_text:
        _metadata(run, rel, "dropped-text file")
    for rel in run.manifest.errors:
        if not storage.exists(storage.join(run.path, rel)):
            run.problems.append(f"{rel}: dead-letter file missing")
    return rows
