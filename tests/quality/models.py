"""A small model trained on the generated task (`tests.quality.generated`), for the quality and
the filter tests alike (their fixtures call these)."""

from __future__ import annotations

from pathlib import Path

from tests.quality.generated import task, write_jsonl

SMALL = ["--dim", "16", "--bucket", "20000", "--epoch", "25", "--lr", "0.5"]
"""A few hundred texts need more epochs than DCLM's 5 and far fewer buckets than its 2 million."""


def write_task(folder: Path, n: int = 300, seed: int = 11) -> tuple[Path, Path]:
    """``prose.jsonl`` (positives) and ``salad.jsonl`` (negatives) in ``folder``."""
    prose, salad = task(n, seed=seed)
    return write_jsonl(folder / "prose.jsonl", prose), write_jsonl(folder / "salad.jsonl", salad)


def train_small(pos: Path, neg: Path, out: Path, *extra: str) -> int:
    """``python -m corpus.quality train`` with the small settings; its exit status."""
    from corpus.quality.__main__ import main

    return main(
        ["train", "--positive", str(pos), "--negative", str(neg), "--output", str(out), *SMALL, *extra]
    )
