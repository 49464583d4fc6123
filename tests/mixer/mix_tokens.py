"""Token directories of known sizes, written by the real packer and MDS writer.

Every non-special token of domain k is ``MARK * (k + 1) + its position in the domain``, so a
sample's domain is readable from any of its tokens and no two samples of a domain are equal.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from formats.token_manifest import DomainTokens, TokenManifest, write_token_manifest
from tokenization.packing import write_domain

MARK = 100_000
EOS, PAD = 2, 3


def write_token_dir(
    root: Path, tokens_per_domain: dict[str, int], seq_len: int = 32, shard_bytes: int = 4096
) -> Path:
    """One MDS dataset per domain holding about ``tokens`` tokens, plus ``manifest.json``."""
    rng = np.random.default_rng(11)
    domains = {}
    for k, (domain, target) in enumerate(tokens_per_domain.items()):
        lengths = []
        while sum(lengths) + len(lengths) < target:
            lengths.append(int(rng.integers(5, 3 * seq_len)))
        n = sum(lengths)
        assert n < MARK, "positions must stay below the next domain's mark"
        tokens = (MARK * (k + 1) + np.arange(n)).astype(np.int32)
        stats = write_domain(root / domain, [(tokens, np.array(lengths))], seq_len, EOS, PAD, shard_bytes)
        domains[domain] = DomainTokens(
            documents=stats.documents,
            tokens=stats.tokens,
            sequences=stats.sequences,
            padding=stats.padding,
            shards=1,
        )
    manifest = TokenManifest(seq_len=seq_len, vocab_size=MARK * 10, eos_id=EOS, pad_id=PAD, domains=domains)
    write_token_manifest(str(root), manifest)
    return root


def domain_of(tokens: np.ndarray, names: list[str]) -> str:
    marked = tokens[tokens >= MARK]
    return names[int(marked[0]) // MARK - 1]


def write_mix(
    path: Path, tokens_dir: Path | str, total: int, ratios: dict[str, object], **extra: object
) -> Path:
    lines = [f"tokens_dir: {tokens_dir}", f"total_tokens: {total}"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    lines.append("domains:")
    lines += [f"  {d}: {r}" for d, r in ratios.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
