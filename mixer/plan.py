"""The mix plan: per domain, tokens available, tokens drawn, epochs and effective share.

The loader draws whole packed sequences, so the plan is decided in sequences: the token budget
becomes ``round(total_tokens / seq_len)`` sequences, and each domain gets its quota
``ratio * total_tokens / seq_len`` rounded by largest remainder, so the counts add up exactly and
each domain's sequences are within one of its share of the budget. ``epochs`` is sequences drawn
over sequences available (> 1: repeated, upsampled; < 1: a subset, downsampled), and
``tokens_drawn`` is what one pass of the loader yields of the domain's document tokens (its
padding left out), within one sequence. Every check that can fail fails here, naming the key,
before a worker or a GPU is spent.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

from common.config import load_config
from common.errors import ConfigError
from formats.manifest_io import ManifestError
from formats.token_manifest import TokenManifest, read_token_manifest
from mixer.config import MixConfig

log = logging.getLogger(__name__)


class MixError(ConfigError):
    """The mix cannot be drawn from the token directory; the message names the key."""


@dataclass(frozen=True, slots=True)
class PlanRow:
    domain: str
    ratio: float
    """Requested share of the token budget."""
    tokens_available: int
    """Document tokens in the domain's token shards (EOS included, padding excluded)."""
    tokens_drawn: int
    """Document tokens one pass of the loader yields: sequences drawn x the domain's document
    tokens per sequence (its padding left out); within one sequence of what the loader yields,
    and of ``tokens_requested`` give or take the rounding to whole sequences."""
    sequences_available: int
    sequences_drawn: int
    """Samples per epoch of the loader (streaming's ``choose``)."""
    epochs: float
    """sequences_drawn / sequences_available: > 1 repeats the domain, < 1 draws a subset."""
    share: float
    """sequences_drawn / all sequences drawn: the share the model actually sees."""
    tokens_requested: int = 0
    """ratio x total_tokens: the request in tokens."""

    @property
    def upsampled(self) -> bool:
        return self.epochs > 1

    @property
    def downsampled(self) -> bool:
        return self.epochs < 1


@dataclass(frozen=True, slots=True)
class MixPlan:
    config: MixConfig
    source: str
    """Where the config came from (for messages)."""
    tokens_dir: Path
    """Absolute Stage 2 directory; each row's samples are in ``tokens_dir / row.domain``."""
    manifest: TokenManifest
    rows: tuple[PlanRow, ...]
    """Drawn domains in config order; `mixer.streams.build_streams` returns one stream per row,
    in the same order, so stream index i is ``rows[i].domain``."""
    excluded: tuple[str, ...] = ()
    """Domains with ratio 0 in the config."""
    unused: tuple[str, ...] = ()
    """Domains in the token directory that the config does not mention."""

    @property
    def seq_len(self) -> int:
        return self.manifest.seq_len

    @property
    def seed(self) -> int:
        return self.config.seed

    @property
    def total_sequences(self) -> int:
        return sum(r.sequences_drawn for r in self.rows)

    def optimizer_steps(self, global_batch: int) -> int:
        """Optimizer steps that draw the whole plan once with ``global_batch`` sequences a step
        (the last step may be short of a full batch: rounded up, so no drawn sequence is lost)."""
        if global_batch <= 0:
            raise ValueError(f"global batch must be positive, got {global_batch}")
        return -(-self.total_sequences // global_batch)

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(r.domain for r in self.rows)

    def row(self, domain: str) -> PlanRow:
        for r in self.rows:
            if r.domain == domain:
                return r
        raise KeyError(f"{domain!r} is not drawn by this plan (drawn: {', '.join(self.domains)})")


def apportion(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` into integers proportional to ``weights`` that add up to ``total``."""
    wsum = math.fsum(weights.values())
    return largest_remainder(total, {k: total * w / wsum for k, w in weights.items()})


def largest_remainder(total: int, quotas: dict[str, float]) -> dict[str, int]:
    """Integers within one of ``quotas`` that add up to ``total`` (the quotas must sum to within
    one half of it).

    Largest remainder (Hamilton): each gets its floor, the leftover units go to the largest
    fractional parts, ties to the earlier key. Exact sums keep the plan's shares honest.
    """
    out = {k: math.floor(q) for k, q in quotas.items()}
    left = total - sum(out.values())
    if not 0 <= left <= len(quotas):
        raise ValueError(f"quotas summing to {math.fsum(quotas.values())} cannot make {total}")
    order = sorted(quotas, key=lambda k: out[k] - quotas[k])  # stable: ties keep config order
    for k in order[:left]:
        out[k] += 1
    return out


def build_plan(config: MixConfig, tokens_dir: Path, source: str = "<mix>") -> MixPlan:
    """Check ``config`` against the manifest in ``tokens_dir`` and compute the draws."""
    tokens_dir = tokens_dir.resolve()
    try:  # a missing folder or manifest is a ManifestError naming it
        manifest = read_token_manifest(str(tokens_dir))
    except ManifestError as err:
        raise MixError(f"{source}: tokens_dir: {err}") from None
    seq_len = manifest.seq_len
    total_sequences = round(config.total_tokens / seq_len)
    if total_sequences == 0:
        raise MixError(
            f"{source}: total_tokens: {config.total_tokens} is less than one sequence of {seq_len} tokens"
        )

    drawn = {d: r for d, r in config.domains.items() if r > 0}
    problems = []
    for domain in drawn:
        have = manifest.domains.get(domain)
        if have is None:
            problems.append(
                f"domains.{domain}: not in {tokens_dir / 'manifest.json'} (no Stage 1 shards for it?)"
            )
        elif have.tokens == 0 or have.sequences == 0:
            problems.append(
                f"domains.{domain}: no tokens in {tokens_dir / domain}; set its ratio to 0 or add data"
            )
        elif not (tokens_dir / domain / "index.json").is_file():
            problems.append(f"domains.{domain}: {tokens_dir / domain / 'index.json'} is missing")
    if problems:
        raise MixError("\n".join(f"{source}: {p}" for p in problems))

    # each domain's quota is its share of the budget itself, not of the rounded sequence count,
    # so its sequences x seq_len stay within one sequence of ratio x total_tokens
    rsum = math.fsum(drawn.values())
    sequences = largest_remainder(
        total_sequences, {d: r / rsum * config.total_tokens / seq_len for d, r in drawn.items()}
    )
    rows = []
    for domain, ratio in drawn.items():
        have = manifest.domains[domain]
        n = sequences[domain]
        epochs = n / have.sequences
        tokens_requested = round(ratio * config.total_tokens)
        if n == 0:
            problems.append(
                f"domains.{domain}: ratio {ratio:g} draws no whole sequence of {seq_len} tokens from "
                f"total_tokens {config.total_tokens}; raise it or set it to 0"
            )
        if epochs > config.max_epochs + 1e-9:
            problems.append(
                f"domains.{domain}: the plan repeats {domain} {epochs:.2f} times, above max_epochs "
                f"{config.max_epochs:g}: it has {have.tokens:,} tokens ({have.sequences:,} sequences) and the "
                f"mix asks for {tokens_requested:,}; lower its ratio or total_tokens, or add data"
            )
        rows.append(
            PlanRow(
                domain=domain,
                ratio=ratio,
                tokens_available=have.tokens,
                tokens_drawn=round(n * have.tokens / have.sequences),
                sequences_available=have.sequences,
                sequences_drawn=n,
                epochs=epochs,
                share=n / total_sequences,
                tokens_requested=tokens_requested,
            )
        )
    if problems:
        raise MixError("\n".join(f"{source}: {p}" for p in problems))
    excluded = tuple(d for d, r in config.domains.items() if r == 0)
    unused = tuple(d for d in manifest.domains if d not in config.domains)
    if unused:
        log.info("domains in %s not in the mix (not drawn): %s", tokens_dir, ", ".join(unused))
    return MixPlan(config, source, tokens_dir, manifest, tuple(rows), excluded, unused)


def load_plan(path: str | Path, tokens_dir: str | Path | None = None) -> MixPlan:
    """Validated config + Stage 2 manifest -> plan; ``tokens_dir`` overrides the config's."""
    config = load_config(path, MixConfig)
    return build_plan(config, Path(tokens_dir if tokens_dir is not None else config.tokens_dir), str(path))
