"""Small Stage 1 outputs for the statistics tests, written with Stage 1's own writers
(`tests.stage1_output`) plus what a pipeline run records beside them: its cleaning config in the
manifest and, with ``policy.keep_dropped_text``, the dropped documents' text in ``dropped/``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import xxhash

from common.config import load_config
from corpus import shards
from corpus.config import CleanConfig
from formats.clean_manifest import CleanManifest, write_clean_manifest
from formats.documents import DROPPED_COLUMNS, Document
from tests.stage1_output import write_stage1_output

ROOT = Path(__file__).resolve().parents[2]
DROPPED_FILE = "dropped/part-00000-of-00001.parquet"


def clean_config(**changes: object) -> CleanConfig:
    """``configs/clean.yaml`` with ``{"<filter>.<field>": value}`` changes."""
    config = load_config(ROOT / "configs/clean.yaml", CleanConfig)
    data = config.model_dump(mode="json")
    for dotted, value in changes.items():
        name, field = dotted.split(".")
        next(f for f in data["filters"] if f["name"] == name)[field] = value
    return CleanConfig.model_validate(data)


def write_run(
    root: Path,
    docs: Sequence[Document],
    config: CleanConfig | None = None,
    dropped_text: bool = False,
    shards_per_domain: int = 1,
) -> CleanManifest:
    """The documents as a finished run decided with ``config`` (default: configs/clean.yaml;
    the manifest records it). Dropped documents keep their text only with ``dropped_text``."""
    config = config or clean_config()
    if not dropped_text:  # the pipeline strips a dropped document's text unless told to keep it
        docs = [d if d.kept else replace(d, text="") for d in docs]
    manifest = write_stage1_output(root, docs, shards_per_domain=shards_per_domain, config_hash=config.hash())
    update: dict[str, object] = {"config": config.model_dump(mode="json")}
    if dropped_text:
        dropped = [d for d in docs if not d.kept and d.text]
        shards.write_documents(shards.sorted_by_id(dropped), str(root / DROPPED_FILE), DROPPED_COLUMNS)
        update["dropped_text"] = [DROPPED_FILE]
    manifest = manifest.model_copy(update=update)
    write_clean_manifest(str(root), manifest)
    return manifest


def by_hash(ids: Sequence[str]) -> list[str]:
    """Ids in the order the statistics pick examples: smallest xxh64 of the id first."""
    return sorted(ids, key=lambda i: xxhash.xxh64_intdigest(i.encode("utf-8")))
