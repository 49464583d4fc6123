"""Stage 1's ``OUT/manifest.json``: what a cleaning run read, kept and dropped, and where it wrote.

The counts are exact (every input record is one document, kept or with one reason), keyed by
domain and reason. Stats, policy re-decisions and tokenization read the run through this model.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from formats.manifest_io import ManifestModel, read_model, write_model

CLEAN_MANIFEST_VERSION = 1
KEPT = "kept"
"""The outcome of a kept document, beside the drop reasons."""


class Totals(ManifestModel):
    records: int = Field(ge=0)
    kept: int = Field(ge=0)
    dropped: dict[str, int] = Field(default_factory=dict)
    """Drop reason -> documents."""


class DomainCounts(ManifestModel):
    kept: int = Field(ge=0)
    kept_chars: int = Field(ge=0)
    dropped: dict[str, int] = Field(default_factory=dict)


class ShardEntry(ManifestModel):
    path: str
    """Relative to the output folder: ``parquet/<domain>/<name>.parquet`` or ``mds/<domain>/<name>``."""
    format: Literal["parquet", "mds"]
    domain: str
    documents: int = Field(ge=0)
    chars: int = Field(ge=0)


class RepeatedParagraph(ManifestModel):
    """One paragraph that paragraph dedup removed."""

    text: str
    """One copy as a page had it (the smallest string among the removed copies), cut to 300
    characters; the copies differ only in case, digits, punctuation and spacing."""
    documents: int = Field(ge=0)
    """Kept documents that held it."""
    removed: int = Field(ge=0)
    """Documents it was removed from."""


class ParagraphDedupCounts(ManifestModel):
    """What paragraph dedup (``dedup.paragraphs``) saw and removed among the documents still
    kept after document dedup, in the domains it applies to."""

    documents: int = Field(ge=0)
    paragraphs: int = Field(ge=0)
    chars: int = Field(ge=0)
    """Characters of those paragraphs (line breaks not counted)."""
    repeated: int = Field(ge=0)
    """Distinct paragraphs held by more documents than ``max_documents``."""
    documents_changed: int = Field(ge=0)
    """Documents that lost at least one paragraph."""
    documents_dropped: int = Field(ge=0)
    """Of those, the ones dropped as ``duplicate_paragraphs`` (what was left fails the chain)."""
    paragraphs_removed: int = Field(ge=0)
    chars_removed: int = Field(ge=0)
    most_removed: list[RepeatedParagraph] = Field(default_factory=list)
    """The repeated paragraphs removed from the most documents, most first."""


class CleanManifest(ManifestModel):
    version: int = CLEAN_MANIFEST_VERSION
    config_hash: str
    inputs: list[str]
    counts: Totals
    domains: dict[str, DomainCounts]
    shards: list[ShardEntry] = Field(default_factory=list)
    attributes: list[str] = Field(default_factory=list)
    """``attributes/`` files, relative to the output folder."""
    errors: list[str] = Field(default_factory=list)
    """``errors/`` files (dead letters), relative to the output folder."""
    dropped_text: list[str] = Field(default_factory=list)
    """``dropped/`` files (dropped documents with their text; only with
    ``policy.keep_dropped_text``), relative to the output folder."""
    config: dict[str, Any] | None = None
    """The cleaning config the outcomes were decided with, validated and dumped as JSON (its
    hash is ``config_hash``): what the statistics read the thresholds from. None in manifests
    written before it was recorded."""
    paragraph_dedup: ParagraphDedupCounts | None = None
    """What paragraph dedup removed; None when it was off (and in re-decisions and manifests
    written before it existed)."""
    redecided_from: str | None = None
    """Set on the output of ``python -m corpus.policy --output``: the run whose stored scores were
    re-decided. Such an output holds only ``attributes/`` (the new outcomes) and this manifest;
    the documents' text stays in that run (its shards, and ``dropped/`` if it kept dropped text)."""

    def shards_of(self, fmt: Literal["parquet", "mds"]) -> list[ShardEntry]:
        return [s for s in self.shards if s.format == fmt]


def read_clean_manifest(out: str) -> CleanManifest:
    """A finished Stage 1 run's manifest; a `ManifestError` names the file and the key."""
    return read_model(out, CleanManifest, "a completed Stage 1 output", "python -m pipelines.clean")


def write_clean_manifest(out: str, manifest: CleanManifest) -> str:
    return write_model(out, manifest)
