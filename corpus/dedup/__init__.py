"""Exact and MinHash near-duplicate detection: the primitives `pipelines.dedup` wires into Beam.

- `normalize`: the normalised text and 128-bit hash that define an exact duplicate;
- `shingling`: FineWeb-style word n-grams and their hashes, per text (reference) or per batch;
- `minhash`: `MinHasher` (datasketch's hash family, numpy over batches), band keys, LSH maths;
- `graph`: bucket star edges, large-star / small-star steps and their resolution, and the
  single-machine union-find reference used by tests and benchmarks;
- `marking`: the lowest id kept, the others marked with the drop reason and the kept id;
- `synthetic`: seeded documents and near-duplicate pairs of known Jaccard similarity.
"""

from corpus.dedup.graph import UnionFind, reference_near_dedup
from corpus.dedup.minhash import (
    MinHasher,
    band_keys,
    collision_probability,
    jaccard_estimate,
    optimal_lsh_params,
)
from corpus.dedup.normalize import exact_hash, normalize_for_exact
from corpus.dedup.shingling import shingle_hash, shingle_hashes, shingle_words, shingles

__all__ = [
    "MinHasher",
    "UnionFind",
    "band_keys",
    "collision_probability",
    "exact_hash",
    "jaccard_estimate",
    "normalize_for_exact",
    "optimal_lsh_params",
    "reference_near_dedup",
    "shingle_hash",
    "shingle_hashes",
    "shingle_words",
    "shingles",
]
