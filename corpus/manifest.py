"""What a run read, kept and dropped, and where it wrote it: ``manifest.json``.

The counts are exact (every input record is one document, kept or with one reason), keyed by
domain and reason; the manifest is written last, so its presence means the run completed.
``_work/run.json`` records the config hash and inputs of a run in progress: a restart with a
different config is refused instead of mixing two runs' files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from common import storage

MANIFEST_VERSION = 1
KEPT = "kept"


class OutputConflict(RuntimeError):
    """The output folder holds another run's files."""


class ManifestError(ValueError):
    """A manifest that exists but cannot be read as one."""


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


def summarise(counts: Mapping) -> dict[str, Any]:
    """The manifest's ``counts`` and ``domains`` sections, keys sorted for stable files."""
    total = {"records": 0, "kept": 0, "dropped": {}}
    domains: dict[str, Any] = {}
    for domain in sorted(counts):
        entry = {"kept": 0, "kept_chars": 0, "dropped": {}}
        for outcome in sorted(counts[domain]):
            docs, chars = counts[domain][outcome]
            total["records"] += docs
            if outcome == KEPT:
                entry["kept"], entry["kept_chars"] = docs, chars
                total["kept"] += docs
            else:
                entry["dropped"][outcome] = docs
                total["dropped"][outcome] = total["dropped"].get(outcome, 0) + docs
        domains[domain] = entry
    total["dropped"] = dict(sorted(total["dropped"].items()))
    return {"counts": total, "domains": domains}


def build_manifest(
    config_hash: str,
    inputs: Sequence[str],
    counts: Mapping,
    shards: Sequence[Mapping],
    extra: Mapping | None = None,
) -> dict[str, Any]:
    manifest = {"version": MANIFEST_VERSION, "config_hash": config_hash, "inputs": list(inputs)}
    manifest.update(summarise(counts))
    manifest["shards"] = sorted(shards, key=lambda s: s["path"])
    if extra:
        manifest.update(extra)
    return manifest


def dumps(obj: Any) -> bytes:
    return (json.dumps(obj, indent=2, sort_keys=False) + "\n").encode("utf-8")


def manifest_path(out: str) -> str:
    return storage.join(out, "manifest.json")


def run_state_path(out: str) -> str:
    return storage.join(out, "_work", "run.json")


def read_manifest(out: str) -> dict[str, Any]:
    """A finished run's manifest; FileNotFoundError or ManifestError name the file and the cause."""
    if not storage.exists(out):
        raise FileNotFoundError(f"{out}: folder not found (expected the output of python -m pipelines.clean)")
    path = manifest_path(out)
    if not storage.exists(path):
        raise FileNotFoundError(
            f"{path}: not found; {out} is not a completed Stage 1 output (python -m pipelines.clean writes it last)"
        )
    try:
        manifest = json.loads(storage.read_bytes(path))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ManifestError(f"{path}: cannot read manifest: {err}") from None
    if not isinstance(manifest, dict):
        raise ManifestError(f"{path}: expected a JSON object")
    return manifest


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
    storage.write_bytes(state_file, dumps(state))
    return False
