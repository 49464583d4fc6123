"""Stage 1's bookkeeping: exact counts per domain and outcome, the manifest built from them, and
the claim on an output folder.

The manifest's layout is `formats.clean_manifest`; it is written last, so its presence means
the run completed. ``_work/run.json`` records the config hash and inputs of a run in progress:
a restart with a different config is refused instead of mixing two runs' files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from common import storage
from common.errors import OutputConflict
from formats.clean_manifest import (
    KEPT,
    CleanManifest,
    DomainCounts,
    ParagraphDedupCounts,
    ShardEntry,
    Totals,
)


def new_counts() -> dict[str, dict[str, list[int]]]:
    """domain -> outcome (``kept`` or a drop reason) -> [documents, chars]."""
    return {}


def add_count(counts: dict, domain: str, outcome: str, docs: int, chars: int) -> dict:
    cell = counts.setdefault(domain, {}).setdefault(outcome, [0, 0])
    cell[0] += docs
    cell[1] += chars
    return counts


def merge_counts(parts: Sequence[Mapping]) -> dict:
    out: dict = new_counts()
    for part in parts:
        for domain, outcomes in part.items():
            for outcome, (docs, chars) in outcomes.items():
                add_count(out, domain, outcome, docs, chars)
    return out


def build_manifest(
    config_hash: str,
    inputs: Sequence[str],
    counts: Mapping,
    shards: Sequence[ShardEntry],
    attributes: Sequence[str],
    errors: Sequence[str],
    dropped_text: Sequence[str] = (),
    config: Mapping[str, Any] | None = None,
    paragraph_dedup: ParagraphDedupCounts | None = None,
) -> CleanManifest:
    """The manifest of a finished run; keys sorted, so the same run gives the same file.
    ``config`` is the cleaning config as JSON, recorded so statistics can show its thresholds;
    ``paragraph_dedup`` what paragraph dedup removed (None when it was off)."""
    records = kept = 0
    dropped: dict[str, int] = {}
    domains: dict[str, DomainCounts] = {}
    for domain in sorted(counts):
        outcomes = {outcome: counts[domain][outcome] for outcome in sorted(counts[domain])}
        kept_docs, kept_chars = outcomes.pop(KEPT, (0, 0))
        records += kept_docs + sum(docs for docs, _ in outcomes.values())
        kept += kept_docs
        for outcome, (docs, _) in outcomes.items():
            dropped[outcome] = dropped.get(outcome, 0) + docs
        domains[domain] = DomainCounts(
            kept=kept_docs,
            kept_chars=kept_chars,
            dropped={outcome: docs for outcome, (docs, _) in outcomes.items()},
        )
    return CleanManifest(
        config_hash=config_hash,
        inputs=list(inputs),
        counts=Totals(records=records, kept=kept, dropped=dict(sorted(dropped.items()))),
        domains=domains,
        shards=sorted(shards, key=lambda s: s.path),
        attributes=sorted(attributes),
        errors=sorted(errors),
        dropped_text=sorted(dropped_text),
        config=dict(config) if config is not None else None,
        paragraph_dedup=paragraph_dedup,
    )


def run_state_path(out: str) -> str:
    return storage.join(out, "_work", "run.json")


def claim_output(out: str, config_hash: str, inputs: Sequence[str], overwrite: bool) -> bool:
    """Check the output folder before a run; returns True when it resumes an earlier run.

    An empty folder is claimed for this run. A folder holding the same config and inputs is
    resumed. Anything else is refused unless ``overwrite``, which deletes it first.
    """
    state = {"config_hash": config_hash, "inputs": list(inputs)}
    state_file = run_state_path(out)
    fs, p = storage.filesystem(out)
    occupied = storage.has_entries(out)
    if occupied and not storage.exists(state_file) and not overwrite:
        raise OutputConflict(
            f"{out}: folder is not empty and holds no headwater run; pass --overwrite to replace it"
        )
    if occupied and storage.exists(state_file):
        previous = json.loads(storage.read_bytes(state_file))
        if previous != state and not overwrite:
            what = "config" if previous.get("config_hash") != config_hash else "input list"
            raise OutputConflict(
                f"{out}: holds a run with a different {what} (config {previous.get('config_hash')}); "
                "pass --overwrite to replace it, or choose another --output"
            )
        if previous == state and not overwrite:
            storage.remove_stale_temporaries(out)
            return True
    if occupied:
        fs.delete_dir_contents(p)
    storage.write_bytes(state_file, (json.dumps(state, indent=2) + "\n").encode("utf-8"))
    return False
