"""A run as the statistics see it: its manifest, the cleaning config it decided with, and, for a
re-decision by `corpus.policy`, the run that holds the documents' text.

The thresholds drawn on the histograms and the "deciding score" of an example come from the
config recorded in the manifest, so a report never shows thresholds the run did not use.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass, field

from common import storage
from common.config import parse_config, stable_hash
from corpus.config import CleanConfig
from corpus.filters.base import Filter
from corpus.policy import build_filters
from formats.clean_manifest import CleanManifest, read_clean_manifest
from formats.manifest_io import ManifestError, manifest_path

log = logging.getLogger(__name__)


@dataclass
class Run:
    path: str
    manifest: CleanManifest
    config: CleanConfig | None
    source: Run | None = None
    """The run a re-decision was made from (its shards and ``dropped/`` hold the text)."""
    problems: list[str] = field(default_factory=list)
    """What is missing or damaged, each naming the file; the rest is still summarised."""
    notes: list[str] = field(default_factory=list)
    """What the report cannot show and why (no recorded config, no dropped text)."""

    @functools.cached_property
    def filters(self) -> list[Filter]:
        """The configured chain (models not loaded: only the rules are read)."""
        return build_filters(self.config) if self.config is not None else []

    @property
    def keeps_dropped_text(self) -> bool:
        return bool(self.manifest.dropped_text) or (
            self.source is not None and self.source.keeps_dropped_text
        )


def resolve_source(path: str, redecided_from: str) -> str:
    """The source folder of a re-decision, as recorded (absolute, or a URI)."""
    if "://" in redecided_from or os.path.isabs(redecided_from):
        return redecided_from
    return os.path.normpath(os.path.join(path, redecided_from))


def open_run(path: str) -> Run:
    """Read ``path``'s manifest (a `ManifestError` names the file and key when it is not a
    finished run) and the config it records."""
    path = path.rstrip("/") or "/"
    manifest = read_clean_manifest(path)
    run = Run(path, manifest, None)
    source = manifest_path(path)
    if manifest.config is None:
        run.notes.append(
            f"{source} records no cleaning config (written before manifests did): thresholds and "
            "deciding scores are not shown"
        )
    else:
        try:
            run.config = parse_config(manifest.config, CleanConfig, f"{source}: config", error=ManifestError)
        except ManifestError as err:
            run.problems.append(f"the recorded config does not validate, thresholds not shown: {err}")
        else:
            recorded = stable_hash(manifest.config)
            if recorded != manifest.config_hash:
                run.problems.append(
                    f"{source}: the recorded config hashes to {recorded}, not config_hash "
                    f"{manifest.config_hash}: the thresholds shown may not be the run's"
                )
    if manifest.redecided_from:
        where = resolve_source(path, manifest.redecided_from)
        try:
            run.source = open_run(where)
        except ManifestError as err:
            run.problems.append(f"the re-decided run {where} cannot be read, so no text is shown: {err}")
    if not run.keeps_dropped_text:
        run.notes.append(
            "dropped documents' text was not kept (policy.keep_dropped_text: false), so dropped "
            "examples show URL, reason and scores without text"
        )
    for p in run.problems:
        log.warning("%s", p)
    return run


def file_size(path: str) -> int | None:
    fs, p = storage.filesystem(path)
    info = fs.get_file_info(p)
    return info.size if info.is_file else None
