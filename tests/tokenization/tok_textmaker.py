"""A small seeded text maker and a fake-but-real Stage 1 output for the tokenization tests.

The realistic crawl generator lives elsewhere; these tests only need varied text per domain
(prose, code with indentation, numbers, dialog) written in the exact Stage 1 Parquet layout
of docs/formats.md, so that training and encoding run for real on it in well under a second.
"""

from __future__ import annotations

import random
from pathlib import Path

from corpus import shards
from formats.documents import Document
from tests.stage1_output import write_stage1_output

_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "ten",
    "sor",
    "vel",
    "an",
    "ri",
    "pu",
    "gle",
    "dra",
    "mon",
    "fi",
    "sta",
    "qua",
    "ber",
    "nel",
    "hox",
    "zu",
    "tri",
    "pan",
    "el",
    "ost",
]


def _lexicon(size: int, seed: int = 7) -> list[str]:
    """Pseudo-words from syllables: a vocabulary big enough for a few hundred BPE merges."""
    rng = random.Random(seed)
    words = {"the", "of", "and", "to", "in", "is", "river", "water", "town", "season"}
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))))
    return sorted(words)


WORDS = _lexicon(1500)
_ZIPF = [1 / (rank + 1) for rank in range(len(WORDS))]  # a few words common, most rare, as in text
NAMES = ["alice", "bob", "carol", "dave", "erin", "frank"]


def _sentence(rng: random.Random, n: int) -> str:
    words = rng.choices(WORDS, weights=_ZIPF, k=n)
    return " ".join(words).capitalize() + rng.choice([".", ".", "!", "?"])


def make_text(domain: str, rng: random.Random) -> str:
    """One document in the style of ``domain``."""
    if domain == "code":
        name = rng.choice(NAMES)
        body = "\n".join(
            f"    {rng.choice(WORDS)}_{i} = {name}({rng.randint(0, 999)}, {rng.choice(WORDS)!r})"
            for i in range(4)
        )
        return f"def {name}_{rng.randint(1, 99)}(x):\n{body}\n    return x + {rng.randint(1, 9)}\n"
    if domain == "math":
        a, b = rng.randint(1, 9999), rng.randint(1, 9999)
        return f"Let x = {a} and y = {b}. Then x + y = {a + b} and x * y = {a * b}. " + _sentence(rng, 8)
    if domain == "dialog":
        turns = [
            f"{rng.choice(NAMES)}: {_sentence(rng, rng.randint(3, 9))}" for _ in range(rng.randint(2, 5))
        ]
        return "\n".join(turns)
    if domain == "encyclopedia":
        return f"{rng.choice(WORDS).title()} (born {rng.randint(1700, 1999)}) " + " ".join(
            _sentence(rng, rng.randint(6, 14)) for _ in range(4)
        )
    paragraphs = [
        " ".join(_sentence(rng, rng.randint(5, 15)) for _ in range(rng.randint(2, 5))) for _ in range(2)
    ]
    if rng.random() < 0.2:
        paragraphs.append("Café naïve façade — ünïcödé ✓")  # rare characters: byte fallback territory
    return "\n\n".join(paragraphs)


def write_clean_output(
    root: Path, docs_per_domain: dict[str, int], shards_per_domain: int = 2, seed: int = 0
) -> dict[str, list[str]]:
    """Write a Stage 1 output under ``root`` with Stage 1's own shard and manifest writers;
    returns domain -> texts in (sorted shard, row) order."""
    rng = random.Random(seed)
    docs = [
        Document(
            id=f"{domain}-{seed}-{i:05d}",
            url=f"https://{domain}.example.org/{domain}-{seed}-{i:05d}",
            domain=domain,
            text=make_text(domain, rng),
            source="synthetic.warc.gz",
            offset=i,
            lang="en",
            date="2024-01-01",
            scores={"language.en": 0.9},
        )
        for domain, n in sorted(docs_per_domain.items())
        for i in range(n)
    ]
    body = write_stage1_output(root, docs, shards_per_domain, f"test{seed}", domains=list(docs_per_domain))
    order: dict[str, list[str]] = {domain: [] for domain in docs_per_domain}
    for entry in sorted(body.shards, key=lambda s: s.path):
        order[entry.domain].extend(d.text for d in shards.read_documents(str(root / entry.path)))
    return order
