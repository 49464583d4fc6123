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


def _refuse_unknown_domains(value: dict[str, float]) -> None:
    """PydanticCustomError keeps the message as written (no "Value error," prefix)."""
    unknown = unknown_domains(list(value))
    if unknown:
        raise PydanticCustomError(
            "unknown_domain",
            "unknown domain {names} (known: {known})",
            {"names": ", ".join(map(repr, unknown)), "known": ", ".join(DOMAINS)},
        )


Share = Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False, strict=True)]


class HeldoutConfig(StrictModel):
    """The held-out split (`mixer.split`): the share of each domain's documents set aside for
    evaluation. A few percent is the usual size of a validation set (the Pile held out 0.1% of
    ~800 GB; a small demo corpus needs more to measure anything)."""

    share: Share = 0.05
    """Held-out share of every domain's documents, unless ``domains`` names the domain."""
    domains: dict[str, Share] = Field(default_factory=dict)
    """Per-domain shares in place of ``share``."""
    salt: str = Field("heldout-v1", min_length=1)
    """Salt of the per-document hash; change it only to draw a different split."""

    @field_validator("domains")
    @classmethod
    def _known_domains(cls, value: dict[str, float]) -> dict[str, float]:
        _refuse_unknown_domains(value)
        return value

    def share_of(self, domain: str) -> float:
        return self.domains.get(domain, self.share)


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
    heldout: HeldoutConfig = Field(default_factory=HeldoutConfig)
    """What ``python -m mixer split`` sets aside before training (docs/formats.md)."""

    @field_validator("domains")
    @classmethod
    def _known_domains_summing_to_one(cls, value: dict[str, float]) -> dict[str, float]:
        _refuse_unknown_domains(value)
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
