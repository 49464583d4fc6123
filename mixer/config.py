"""The mix config (`configs/mix.yaml`), validated at start-up. Layout: docs/formats.md."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from common.config import StrictModel
from formats.domains import DOMAINS, unknown_domains

RATIO_TOLERANCE = 1e-6
"""Ratios must sum to 1 within this absolute tolerance: room for decimal rounding in YAML, none
for a forgotten domain (the smallest demo ratio is 0.04)."""

Ratio = Annotated[float, Field(ge=0, allow_inf_nan=False, strict=True)]
"""Strict: a quoted "0.45" or a ``true`` is a mistake in a mix, not a number to coerce."""


class MixConfig(StrictModel):
    tokens_dir: str
    """A Stage 2 output (``tokenization.encode --output``); relative paths are from the working
    directory, as on the command line."""
    total_tokens: int = Field(gt=0)
    """Tokens drawn for one pass of training, across all domains."""
    max_epochs: float = Field(4.0, gt=0, allow_inf_nan=False)
    """Refuse plans that repeat a domain more than this: Muennighoff et al. (2023), "Scaling
    Data-Constrained Language Models", find up to ~4 epochs of repeated data almost as good as
    fresh data, and quickly diminishing returns beyond."""
    seed: int = Field(17, ge=0)
    """Shuffle and sampling seed for the loader (streaming's ``shuffle_seed``)."""
    domains: dict[str, Ratio]
    """Share of ``total_tokens`` drawn from each domain; 0 leaves a domain out."""

    @field_validator("domains")
    @classmethod
    def _known_domains_summing_to_one(cls, value: dict[str, float]) -> dict[str, float]:
        # PydanticCustomError keeps the message as written (no "Value error," prefix).
        unknown = unknown_domains(list(value))
        if unknown:
            raise PydanticCustomError(
                "unknown_domain",
                "unknown domain {names} (known: {known})",
                {"names": ", ".join(map(repr, unknown)), "known": ", ".join(DOMAINS)},
            )
        if not any(r > 0 for r in value.values()):
            raise PydanticCustomError("no_ratio", "no domain has a ratio above 0")
        total = math.fsum(value.values())
        if abs(total - 1.0) > RATIO_TOLERANCE:
            raise PydanticCustomError(
                "ratio_sum",
                "ratios sum to {total}, not 1 (tolerance {tol}): {terms}",
                {
                    "total": f"{total:.9g}",
                    "tol": f"{RATIO_TOLERANCE:g}",
                    "terms": " + ".join(f"{d} {r:g}" for d, r in value.items()),
                },
            )
        return value
