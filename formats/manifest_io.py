"""Reading and writing a stage's ``manifest.json`` through its typed model.

A manifest is written last, so its presence means the stage completed; reading one checks it
against the model, and every problem names the file and the key.
"""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from common import storage
from common.config import format_validation_error
from common.errors import InputError

MANIFEST_FILE = "manifest.json"
M = TypeVar("M", bound=BaseModel)


class ManifestError(InputError):
    """A stage output's manifest is missing or does not match its model; the message names it."""


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
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: expected a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ManifestError(format_validation_error(err, path)) from None


def write_model(folder: str, manifest: BaseModel, sort_keys: bool = False) -> str:
    """Write ``manifest`` as ``folder/manifest.json`` atomically; returns the path."""
    path = manifest_path(folder)
    text = json.dumps(manifest.model_dump(mode="json"), indent=2, sort_keys=sort_keys) + "\n"
    storage.write_bytes(path, text.encode("utf-8"))
    return path
