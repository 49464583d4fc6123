"""Reading and writing a stage's ``manifest.json`` through its typed model.

A manifest is written last, so its presence means the stage completed; reading one checks it
against the model, and every problem names the file and the key.
"""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from common import storage
from common.config import StrictModel, parse_config
from common.errors import InputError

MANIFEST_FILE = "manifest.json"
M = TypeVar("M", bound=BaseModel)


class ManifestError(InputError):
    """A stage output's manifest is missing or does not match its model; the message names it."""


class ManifestModel(StrictModel):
    """Base of the manifest models: strict types too (a manifest is written by us, so a string
    where a count belongs is damage, not something to coerce)."""

    model_config = ConfigDict(strict=True)


def manifest_path(folder: str) -> str:
    return storage.join(folder, MANIFEST_FILE)


def read_model(folder: str, model: type[M], what: str, made_by: str) -> M:
    """``folder/manifest.json`` as ``model``; ``what`` and ``made_by`` phrase the errors
    ("a completed Stage 1 output", "python -m pipelines.clean")."""
    if not storage.exists(folder):
        raise ManifestError(f"{folder}: folder not found (expected {what} of {made_by})")
    path = manifest_path(folder)
    if not storage.exists(path):
        raise ManifestError(f"{path}: not found; {folder} is not {what} ({made_by} writes it last)")
    try:
        data = json.loads(storage.read_bytes(path))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ManifestError(f"{path}: cannot read manifest: {err}") from None
    return parse_config(data, model, path, error=ManifestError)


def write_model(folder: str, manifest: BaseModel, sort_keys: bool = False) -> str:
    """Write ``manifest`` as ``folder/manifest.json`` atomically; returns the path."""
    path = manifest_path(folder)
    text = json.dumps(manifest.model_dump(mode="json"), indent=2, sort_keys=sort_keys) + "\n"
    storage.write_bytes(path, text.encode("utf-8"))
    return path
