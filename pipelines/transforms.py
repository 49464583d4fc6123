"""Beam transforms around `corpus/`: clean files, write shards, count, write the manifest.

Each DoFn is a thin adapter: the work is done by `corpus.cleaner`, `corpus.shards` and
`corpus.manifest`. Every document is counted in Beam Metrics (namespace ``headwater``) and in
the exact counts that go into ``manifest.json``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable, Iterator

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from common import storage
from corpus import manifest as mf
from corpus import shards
from corpus.cleaner import Cleaner
from corpus.config import CleanConfig
from corpus.warc import iter_records
from formats.clean_manifest import KEPT, ParagraphDedupCounts, ShardEntry, write_clean_manifest
from formats.documents import (
    SHARD_COLUMNS,
    UNREADABLE_FILE,
    Document,
    is_error_reason,
)
from pipelines.inputs import HttpFileSystem  # noqa: F401  (registers https:// inputs with Beam on each worker)

log = logging.getLogger(__name__)
NAMESPACE = "headwater"


def is_error(doc: Document) -> bool:
    """Failures, not unwanted pages, also go to errors/ (dead letters)."""
    return is_error_reason(doc.drop_reason)


def work_file(out: str, source: str) -> str:
    """Where one input file's cleaned documents are kept for resuming."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:20]
    return storage.join(out, "_work", "docs", f"{digest}.parquet")


def _count(doc: Document) -> None:
    Metrics.counter(NAMESPACE, "documents_in").inc()
    if doc.kept:
        Metrics.counter(NAMESPACE, "passed_filters").inc()  # dedup counts its own drops after this
    else:
        Metrics.counter(NAMESPACE, f"dropped.{doc.drop_reason}").inc()


class CleanFile(beam.DoFn):
    """One WARC file -> all its documents, via a resumable per-file work file.

    A file whose work file exists was finished by an earlier (possibly killed) run and is not
    read again; the work file is written atomically, so it is either complete or absent.
    """

    def __init__(self, config: CleanConfig, out: str) -> None:
        self.config = config
        self.out = out
        self.cleaner: Cleaner | None = None

    def setup(self) -> None:
        self.cleaner = Cleaner(self.config)
        self.cleaner.setup()

    def teardown(self) -> None:
        if self.cleaner is not None:
            self.cleaner.close()

    def process(self, source: str) -> Iterator[Document]:
        path = work_file(self.out, source)
        if storage.exists(path):
            Metrics.counter(NAMESPACE, "files_resumed").inc()
            docs = shards.read_documents(path)
        else:
            docs = self._clean(source)
            shards.write_documents(docs, path)
            Metrics.counter(NAMESPACE, "files_cleaned").inc()
        for doc in docs:
            _count(doc)
            yield doc

    def _clean(self, source: str) -> list[Document]:
        assert self.cleaner is not None
        keep_text = self.config.policy.keep_dropped_text
        docs: list[Document] = []
        start = time.perf_counter()
        try:
            for raw in iter_records(
                lambda: FileSystems.open(source, compression_type="uncompressed"),
                source,
                max_body_bytes=self.config.limits.max_body_bytes,
                max_head_bytes=self.config.limits.max_http_head_bytes,
            ):
                doc = self.cleaner.clean(raw)
                if not doc.kept and not keep_text:
                    doc.text = ""
                docs.append(doc)
        except Exception as err:
            # The file cannot be opened, or its stream broke beyond what the WARC reader can
            # resynchronise on: one document stands for the unread rest, named in errors/.
            detail = f"after {len(docs)} records: {type(err).__name__}: {err}"
            log.error("%s: unreadable input file (%s)", source, detail)
            docs.append(
                Document(id=f"{source}@-1", url="", domain="unknown", source=source, offset=-1).drop(
                    UNREADABLE_FILE, detail
                )
            )
        elapsed = time.perf_counter() - start
        kept = sum(d.kept for d in docs)
        log.info(
            "%s: %d records, %d kept, %.1f docs/s", source, len(docs), kept, len(docs) / max(elapsed, 1e-9)
        )
        return docs


class WriteDocumentShard(beam.DoFn):
    """((domain, index), documents) -> one Parquet shard and one MDS part, sorted by id."""

    def __init__(self, config: CleanConfig, out: str) -> None:
        self.config = config
        self.out = out

    def process(self, element: tuple[tuple[str, int], Iterable[Document]]) -> Iterator[ShardEntry]:
        (domain, index), docs = element
        docs = shards.sorted_by_id(docs)
        n = self.config.output.shards_per_domain
        name = shards.shard_name(index, n)
        chars = sum(len(d.text) for d in docs)
        if "parquet" in self.config.output.formats:
            rel = f"parquet/{domain}/{name}.parquet"
            shards.write_documents(docs, storage.join(self.out, rel), SHARD_COLUMNS)
            yield ShardEntry(path=rel, format="parquet", domain=domain, documents=len(docs), chars=chars)
        if "mds" in self.config.output.formats:
            rel = f"mds/{domain}/{name}"
            shards.write_mds(docs, storage.join(self.out, rel), self.config.output.mds_compression)
            yield ShardEntry(path=rel, format="mds", domain=domain, documents=len(docs), chars=chars)


class WriteDocumentTable(beam.DoFn):
    """(index, documents) -> ``<folder>/part-k.parquet`` with ``columns``, rows sorted by id:
    ``attributes/`` (every document, no text) and ``dropped/`` (dropped documents' text)."""

    def __init__(self, out: str, folder: str, num_shards: int, columns: list[str]) -> None:
        self.out = out
        self.folder = folder
        self.num_shards = num_shards
        self.columns = columns

    def process(self, element: tuple[int, Iterable[Document]]) -> Iterator[str]:
        index, docs = element
        rel = f"{self.folder}/{shards.shard_name(index, self.num_shards)}.parquet"
        shards.write_documents(shards.sorted_by_id(docs), storage.join(self.out, rel), self.columns)
        yield rel


class WriteErrors(beam.DoFn):
    """(index, documents) -> errors/errors-k.jsonl, the dead letters: file, offset, reason."""

    def __init__(self, out: str, num_shards: int) -> None:
        self.out = out
        self.num_shards = num_shards

    def process(self, element: tuple[int, Iterable[Document]]) -> Iterator[str]:
        index, docs = element
        rows = sorted(docs, key=lambda d: (d.source, d.offset, d.id))
        lines = [
            json.dumps(
                {
                    "source": d.source,
                    "offset": d.offset,
                    "id": d.id,
                    "url": d.url,
                    "reason": d.drop_reason,
                    "detail": d.drop_detail,
                },
                sort_keys=True,
            )
            for d in rows
        ]
        rel = f"errors/{shards.shard_name(index, self.num_shards)}.jsonl"
        storage.write_bytes(storage.join(self.out, rel), ("\n".join(lines) + "\n").encode("utf-8"))
        yield rel


class CountOutcomes(beam.CombineFn):
    """Exact per-domain, per-outcome document and character counts."""

    def create_accumulator(self) -> dict:
        return mf.new_counts()

    def add_input(self, acc: dict, doc: Document) -> dict:
        return mf.add_count(acc, doc.domain, doc.drop_reason or KEPT, 1, len(doc.text) if doc.kept else 0)

    def merge_accumulators(self, accs: Iterable[dict]) -> dict:
        return mf.merge_counts(list(accs))

    def extract_output(self, acc: dict) -> dict:
        return acc


def write_manifest(
    _: object,
    *,
    out: str,
    config: CleanConfig,
    inputs: list[str],
    counts: dict,
    shard_infos: list[ShardEntry],
    attribute_files: list[str],
    error_files: list[str],
    dropped_files: list[str],
    paragraph_dedup: ParagraphDedupCounts | None = None,
) -> str:
    """Merge each domain's MDS parts into one index, then write manifest.json (last)."""
    mds_parts: dict[str, list[str]] = {}
    for info in shard_infos:
        if info.format == "mds":
            mds_parts.setdefault(info.domain, []).append(storage.join(out, info.path))
    for domain, parts in sorted(mds_parts.items()):
        shards.merge_mds_indexes(storage.join(out, "mds", domain), parts)
    manifest = mf.build_manifest(
        config.hash(),
        inputs,
        counts,
        shard_infos,
        attribute_files,
        error_files,
        dropped_files,
        config=config.model_dump(mode="json"),
        paragraph_dedup=paragraph_dedup,
    )
    return write_clean_manifest(out, manifest)
