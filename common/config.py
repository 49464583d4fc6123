"""YAML configs validated by typed models, with errors that name the file and the key.

Every config in headwater (cleaning, tokenization, mix, training) goes through `load_config`, so
a wrong key or value fails at start-up, before a worker or a GPU is spent, with one message such
as ``configs/clean.yaml: filters[2] (gopher_quality).min_words: Input should be a valid
integer``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from common.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def stable_hash(obj: Any, extra: bytes = b"") -> str:
    """16 hex digits of SHA-256 over ``obj`` as sorted JSON (and ``extra``): the same config
    gives the same digest in any process, so manifests and checkpoints can compare runs."""
    digest = hashlib.sha256(json.dumps(obj, sort_keys=True).encode())
    digest.update(extra)
    return digest.hexdigest()[:16]


class StrictModel(BaseModel):
    """Base for every config model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def _format_loc(loc: tuple[Any, ...]) -> str:
    """('filters', 2, 'gopher_quality', 'min_words') -> 'filters[2].gopher_quality.min_words'."""
    out = ""
    for item in loc:
        out += f"[{item}]" if isinstance(item, int) else (f".{item}" if out else str(item))
    return out


def format_validation_error(err: ValidationError, source: str) -> str:
    lines = []
    for e in err.errors():
        where = _format_loc(tuple(e["loc"])) or "(top level)"
        lines.append(f"{source}: {where}: {e['msg']}")
    return "\n".join(lines)


def parse_config(
    data: Any, model: type[M], source: str = "<config>", error: type[Exception] = ConfigError
) -> M:
    """Validate already-parsed data; ``source`` names it in errors, raised as ``error``."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise error(f"{source}: expected a mapping at the top level, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise error(format_validation_error(err, source)) from None


def load_config(path: str | Path | None, model: type[M], overrides: dict[str, Any] | None = None) -> M:
    """Read YAML with the safe loader and validate it; ``overrides`` replace top-level keys.

    Without a path, the model's defaults (with ``overrides``): every config has defaults that
    run, so a command's ``--config`` can be optional.
    """
    if path is None:
        return parse_config(overrides or {}, model, "<defaults>")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read config: {err}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML: {err}") from None
    if overrides:
        data = {**(data or {}), **overrides}
    return parse_config(data, model, str(path))
