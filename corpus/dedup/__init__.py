"""Exact and MinHash near-duplicate detection: the primitives `pipelines.dedup` wires into Beam.

- `normalize`: the normalised text and 128-bit hash that define an exact duplicate;
- `shingling`: FineWeb-style word n-grams and their hashes, per text (reference) or per batch;
- `minhash`: `MinHasher` (datasketch's hash family, numpy over batches), band keys, LSH maths;
- `graph`: bucket star edges, large-star / small-star steps and their resolution;
- `marking`: the lowest id kept, the others marked with the drop reason and the kept id.

The single-machine reference and the synthetic test corpora live in `devkit`.
"""

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
    "band_keys",
    "collision_probability",
    "exact_hash",
    "jaccard_estimate",
    "normalize_for_exact",
    "optimal_lsh_params",
    "shingle_hash",
    "shingle_hashes",
    "shingle_words",
    "shingles",
]
