"""A Stage 1 output for tests of the stages after it, written with Stage 1's own writers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from corpus import manifest, shards
from formats.clean_manifest import KEPT, CleanManifest, ShardEntry, write_clean_manifest
from formats.documents import ATTRIBUTE_COLUMNS, SHARD_COLUMNS, Document

ATTRIBUTES_FILE = "attributes/part-00000-of-00001.parquet"


def write_stage1_output(
    root: Path,
    docs: Sequence[Document],
    shards_per_domain: int = 1,
    config_hash: str = "test",
    domains: Sequence[str] | None = None,
) -> CleanManifest:
    """Kept documents into ``parquet/<domain>/`` shards placed as the pipeline places them,
    every document into ``attributes/``, and the manifest counting them all.

    ``domains`` (default: those with kept documents) get every shard written, empty ones too,
    which the pipeline never writes but a reader must survive.
    """
    counts, infos = manifest.new_counts(), []
    for d in docs:
        manifest.add_count(counts, d.domain, d.drop_reason or KEPT, 1, len(d.text) if d.kept else 0)
    for domain in sorted(domains if domains is not None else {d.domain for d in docs if d.kept}):
        parts: list[list[Document]] = [[] for _ in range(shards_per_domain)]
        for d in docs:
            if d.kept and d.domain == domain:
                parts[shards.shard_index(d.id, shards_per_domain)].append(d)
        for k, part in enumerate(parts):
            rel = f"parquet/{domain}/{shards.shard_name(k, shards_per_domain)}.parquet"
            shards.write_documents(shards.sorted_by_id(part), str(root / rel), SHARD_COLUMNS)
            chars = sum(len(d.text) for d in part)
            infos.append(
                ShardEntry(path=rel, format="parquet", domain=domain, documents=len(part), chars=chars)
            )
    shards.write_documents(shards.sorted_by_id(docs), str(root / ATTRIBUTES_FILE), ATTRIBUTE_COLUMNS)
    body = manifest.build_manifest(config_hash, ["synthetic.warc.gz"], counts, infos, [ATTRIBUTES_FILE], [])
    write_clean_manifest(str(root), body)
    return body
