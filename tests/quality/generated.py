"""A tiny task where the two classes differ: generated prose (the sample's own writer) against
the same texts with their words shuffled. Both classes have exactly the same words, so only word
order tells them apart: a bag-of-words model is at chance, one with word bigrams is not."""

from __future__ import annotations

import json
import random
from pathlib import Path

from devkit.sample.text import genres_of, make_doc


def prose(n: int, seed: int, words: int = 80) -> list[str]:
    rng = random.Random(seed)
    genres = sorted(genres_of("web"))
    return [make_doc(rng, genres[i % len(genres)], words).text for i in range(n)]


def shuffled(texts: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for text in texts:
        tokens = text.split()
        rng.shuffle(tokens)
        out.append(" ".join(tokens))
    return out


def task(n: int, seed: int) -> tuple[list[str], list[str]]:
    """``n`` prose texts and ``n`` shuffled ones, the latter made from other prose of the same seed."""
    return prose(n, seed), shuffled(prose(n, seed + 1), seed)


def write_jsonl(path: Path, texts: list[str], key: str = "text") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(json.dumps({key: t, "n": i}) + "\n" for i, t in enumerate(texts)), encoding="utf-8"
    )
    return path
