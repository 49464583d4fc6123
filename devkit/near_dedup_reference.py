"""Single-machine near dedup: the reference the Beam pipeline's result is checked against.

Same signatures, star edges per LSH bucket and verification as `pipelines.dedup`, with
union-find in place of the distributed connected components. It holds every id and signature in
one process, so it serves tests and benchmarks, never a run.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from corpus.dedup.graph import Edge, star_edges
from corpus.dedup.minhash import MinHasher, band_keys, payload_similarity, verification_payload

if TYPE_CHECKING:
    from corpus.config import MinHashConfig


class UnionFind:
    """Disjoint sets over string ids whose representative is always the lowest id."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        root = parent.setdefault(x, x)
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo

    def components(self) -> dict[str, str]:
        """Every id seen, mapped to its component's lowest id."""
        return {x: self.find(x) for x in list(self.parent)}


def candidate_edges(ids: Sequence[str], signatures: np.ndarray, bands: int, rows: int) -> set[Edge]:
    """Star edges of every LSH bucket, on one machine: the reference for the Beam grouping."""
    buckets: dict[bytes, list[str]] = {}
    for doc_id, row in zip(ids, signatures, strict=True):
        for key in band_keys(row, bands, rows):
            buckets.setdefault(key, []).append(doc_id)
    return {edge for members in buckets.values() if len(members) > 1 for edge in star_edges(members)}


def reference_near_dedup(ids: Sequence[str], texts: Sequence[str], config: MinHashConfig) -> dict[str, str]:
    """Single-machine near dedup: ``{duplicate id: kept id}`` for every document to drop.

    The pipeline's algorithm (same signatures, star edges per bucket, same verification) with
    union-find in place of the distributed components: for tests and benchmarks only, as it
    holds every id and signature in one process.
    """
    if len(set(ids)) != len(ids):
        raise ValueError("document ids must be unique")
    hasher = MinHasher.from_config(config)
    signatures, hashes, offsets = hasher.signatures_and_shingles(texts)
    edges = candidate_edges(ids, signatures, hasher.bands, hasher.rows)
    if config.verify != "none":
        index = {doc_id: i for i, doc_id in enumerate(ids)}

        @cache  # a bucket's lowest id is the parent of every other member's edge
        def payload(doc_id: str) -> bytes:
            i = index[doc_id]
            return verification_payload(config.verify, signatures[i], hashes[offsets[i] : offsets[i + 1]])

        edges = {
            (child, parent)
            for child, parent in edges
            if payload_similarity(config.verify, payload(child), payload(parent)) >= config.threshold
        }
    uf = UnionFind()
    for child, parent in edges:
        uf.union(child, parent)
    return {x: root for x, root in uf.components().items() if x != root}
